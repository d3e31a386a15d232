"""Console output with rich, imported only when a command needs it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from funnelkit.cli import _escape
from funnelkit.errors import MissingExtraError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["Section", "make_console", "render_section", "render_sections", "share"]

Cell = str | int


@attrs.frozen(kw_only=True)
class Section:
    """One titled table of a report: plain data, so it can be tested without rendering.

    Args:
        title: The heading shown above the table.
        columns: The column headings; columns holding numbers are right-aligned.
        rows: The rows, one value per column.
        caption: A line shown under the table.
        right: Headings of further columns to right-align (scores shown with a grade).
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    right: frozenset[str] = frozenset()


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    """Create a rich console; colour follows ``no_color``, ``NO_COLOR`` and the terminal.

    Args:
        no_color: Turn colour off (``--no-color``); otherwise rich decides: no colour when
            the output is not a terminal or ``NO_COLOR`` is set.
        stderr: Write to standard error instead of standard output.

    Returns:
        A console that writes to the current ``sys.stdout`` (or ``sys.stderr``).

    Raises:
        funnelkit.errors.MissingExtraError: If rich is not installed.
    """
    try:
        from rich.console import Console
    except ImportError:
        raise MissingExtraError("cli", "rich") from None
    return Console(no_color=True if no_color else None, stderr=stderr, highlight=False)


def share(count: int, total: int) -> str:
    """Format ``count`` as a percentage of ``total`` (``12.5%``); ``-`` when total is 0."""
    return f"{100 * count / total:.1f}%" if total else "-"


def _is_number(cell: Cell) -> bool:
    return isinstance(cell, int) or cell.endswith("%") or cell == "-"


def _table(section: Section) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=section.title, title_justify="left", caption=section.caption)
    for index, heading in enumerate(section.columns):
        numeric = bool(section.rows) and all(_is_number(row[index]) for row in section.rows)
        right = numeric or heading in section.right
        table.add_column(heading, justify="right" if right else "left", overflow="fold")
    for row in section.rows:
        # Text, not markup: data such as "[x]" must print as it is.
        table.add_row(*(Text(f"{c:,}" if isinstance(c, int) else _escape.cell(c)) for c in row))
    return table


def _natural_width(section: Section) -> int:
    # What rich's default table needs on one line: each column's widest cell, one space
    # of padding either side, and a border between and around the columns.
    from rich.cells import cell_len

    widths = [cell_len(heading) for heading in section.columns]
    for row in section.rows:
        for index, cell in enumerate(row):
            text = f"{cell:,}" if isinstance(cell, int) else _escape.cell(cell)
            widths[index] = max(widths[index], cell_len(text))
    return sum(widths) + 3 * len(widths) + 1


def render_section(console: Console, section: Section) -> None:
    """Print one section as a rich table.

    When the output is not a terminal (a file, a pipe), the table gets the width it
    needs instead of being squeezed into 80 columns.

    Args:
        console: The console to print to.
        section: What to print.
    """
    if not console.is_terminal:
        needed = _natural_width(section)
        if needed > console.width:
            console.width = needed
    console.print(_table(section))
    console.print()


def render_sections(console: Console, sections: Sequence[Section]) -> None:
    """Print several sections, one table each.

    Args:
        console: The console to print to.
        sections: What to print, in order.
    """
    for section in sections:
        render_section(console, section)
