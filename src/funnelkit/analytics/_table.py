"""The tables analytics return, and the frames they read."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from funnelkit.errors import MissingExtraError
from funnelkit.io import qualification_row
from funnelkit.qualify import Qualification

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["Cell", "Frame", "Table", "as_rows", "cell_text", "is_number", "share"]

Cell = str | int | float | None
"""One value of a table: a label, a count, a share or rate (a float), or ``None``."""

Frame = Any
"""What analytics read: a polars DataFrame, row dicts, or ``Qualification`` objects."""


def as_rows(frame: Frame) -> tuple[Mapping[str, Any], ...]:
    """The rows of a frame as mappings, whatever form it came in.

    Args:
        frame: A polars DataFrame, an iterable of row mappings (such as
            ``funnelkit.io.qualification_rows``), or an iterable of ``Qualification``.

    Returns:
        One mapping per row, in order.

    Raises:
        TypeError: If a row is neither a mapping nor a ``Qualification``.
    """
    if hasattr(frame, "to_dicts") and hasattr(frame, "schema"):
        return tuple(frame.to_dicts())
    rows: list[Mapping[str, Any]] = []
    for index, row in enumerate(frame):
        if isinstance(row, Qualification):
            rows.append(qualification_row(row))
        elif isinstance(row, Mapping):
            rows.append(row)
        else:
            raise TypeError(
                f"row {index}: expected a mapping or a Qualification, "
                f"got {row!r} ({type(row).__name__})"
            )
    return tuple(rows)


def cell_text(value: Cell, *, percent: bool = False, digits: int = 2) -> str:
    """A cell for people: ``-`` for ``None``, ``12.5%`` for a share, ``0.73`` for a float.

    Args:
        value: The cell.
        percent: Show a float as a percentage with one decimal place.
        digits: Decimal places of other floats.

    Returns:
        The text; whole numbers get thousands separators (``1,669``).

    Examples:
        >>> cell_text(0.125, percent=True), cell_text(1669), cell_text(None), cell_text(0.7349)
        ('12.5%', '1,669', '-', '0.73')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{100 * value:.1f}%" if percent else f"{value:.{digits}f}"
    return value


@attrs.frozen(kw_only=True)
class Table:
    """One titled table of plain values: what every analytics function returns.

    Shares and rates are floats between 0 and 1 (shown as percentages), missing values
    ``None``; ``to_dicts`` and ``to_polars`` give the same data as rows or a frame.

    Args:
        title: What the table shows.
        columns: The column names.
        rows: The rows, one value per column.
        percent: The columns whose floats are shares (shown as ``12.5%``).
        caption: A note on how to read it.
        digits: Decimal places of the other floats when shown.

    Examples:
        >>> t = Table(title="Leads", columns=("stage", "leads", "share"),
        ...           rows=(("Inquiry", 3, 0.75), ("Customer", 1, 0.25)),
        ...           percent=frozenset({"share"}))
        >>> print(t)
        Leads
        stage     leads  share
        Inquiry       3  75.0%
        Customer      1  25.0%
        >>> t.column("leads")
        (3, 1)
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    percent: frozenset[str] = frozenset()
    caption: str | None = None
    digits: int = 2

    def __attrs_post_init__(self) -> None:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: row {index}: expected {len(self.columns)} "
                    f"values (one per column), got {len(row)}"
                )

    def column(self, name: str) -> tuple[Cell, ...]:
        """The values of one column, top to bottom.

        Args:
            name: The column's name.

        Returns:
            One value per row.

        Raises:
            KeyError: If the table has no such column.
        """
        if name not in self.columns:
            raise KeyError(f"table {self.title!r} has no column {name!r}: {self.columns}")
        index = self.columns.index(name)
        return tuple(row[index] for row in self.rows)

    def to_dicts(self) -> list[dict[str, Cell]]:
        """The rows as dicts, column name to value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_polars(self) -> pl.DataFrame:
        """The table as a polars DataFrame (shares stay floats between 0 and 1).

        Raises:
            MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).
        """
        try:
            import polars as pl
        except ImportError as err:  # pragma: no cover - exercised without polars
            raise MissingExtraError("polars", "polars") from err
        data = {name: list(self.column(name)) for name in self.columns}
        return pl.DataFrame(data, strict=False)

    def texts(self) -> tuple[tuple[str, ...], ...]:
        """Every cell as text, as ``str(table)`` shows it (see ``cell_text``)."""
        return tuple(
            tuple(
                cell_text(cell, percent=name in self.percent, digits=self.digits)
                for name, cell in zip(self.columns, row, strict=True)
            )
            for row in self.rows
        )

    def __str__(self) -> str:
        texts = self.texts()
        widths = [len(c) for c in self.columns]
        for row in texts:
            widths = [max(w, len(t)) for w, t in zip(widths, row, strict=True)]
        numeric = [
            bool(texts) and all(is_number(cell) for cell in self.column(name))
            for name in self.columns
        ]

        def line(cells: Iterable[str]) -> str:
            parts = [
                t.rjust(w) if right else t.ljust(w)
                for t, w, right in zip(cells, widths, numeric, strict=True)
            ]
            return "  ".join(parts).rstrip()

        lines = [self.title, line(self.columns), *(line(row) for row in texts)]
        if self.caption:
            lines.append(self.caption)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(f"<th>{e(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{e(t)}</td>" for t in row) + "</tr>" for row in self.texts()
        )
        caption = f"<p><small>{e(self.caption)}</small></p>" if self.caption else ""
        return (
            f'<div class="funnelkit-table"><p><strong>{e(self.title)}</strong></p>'
            f"<table><tr>{head}</tr>{body}</table>{caption}</div>"
        )


def is_number(cell: Cell) -> bool:
    """A count, a float or ``None``: a cell shown right-aligned."""
    return cell is None or (isinstance(cell, int | float) and not isinstance(cell, bool))


def share(count: int, total: int) -> float | None:
    """``count / total``, or ``None`` when ``total`` is 0."""
    return count / total if total else None
