"""The columnar engines' CSV: ``write_csv_rows``' bytes, built by polars column by column.

``funnelkit qualify --engine polars|duckdb --format csv`` must write what the row engine
writes, byte for byte. ``write_csv_rows`` turns each row into cells in Python (about a
quarter of the command at a million leads); here each column becomes text in polars
with the same rules, and polars writes the lines:

* a whole score as an integer (``17``), another as its exact decimal (``9.2050``);
* text as it is; an empty text and a missing value as an empty cell;
* a cell quoted only where it holds a comma or a quote, quotes doubled.

Text that ``printable`` would change (control, bidi and invisible characters), line
breaks, tabs, a column of another type: the whole table goes to ``write_csv_rows``
instead, so the rare case keeps the one writer that has always handled it.
"""

from __future__ import annotations

import codecs
import csv
import os
import sys
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TextIO

from funnelkit.cli._formats import csv_columns, csv_header, write_csv_rows
from funnelkit.qualify import Policy

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["write_csv_frame"]

# what printable() escapes (no surrogates in polars' UTF-8), and what csv quotes apart
# from commas and quotes: such text goes to the per-row writer
_SPECIAL = (
    r"[\t\n\r\x00-\x08\x0b-\x1f\x7f-\x9f"
    r"\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)

_CSV: Final[dict[str, Any]] = {
    "include_header": False,
    "quote_style": "necessary",
    "null_value": "",
    "line_terminator": "\n",
}
"""How polars writes the lines (the header is the ``csv`` module's, as the row engine's)."""


def write_csv_frame(frame: pl.DataFrame, policy: Policy, out: TextIO) -> int:
    """Write the header and one line per row of a columnar engine's result.

    Args:
        frame: ``qualify_table``'s rows (the columns of ``csv_columns`` it has).
        policy: The policy (its frameworks and priority give columns).
        out: Where to write.

    Returns:
        The number of rows written (without the header).
    """
    import polars as pl

    columns = csv_columns(policy)
    present = [c for c in columns if c in frame.columns]
    cells = _cells(frame, columns)
    if cells is None:
        return write_csv_rows(frame.select(present).iter_rows(named=True), policy, out)
    text = frame.select(cells)
    if any(text.select(pl.col(pl.String).str.contains(_SPECIAL).any()).row(0)):
        return write_csv_rows(frame.select(present).iter_rows(named=True), policy, out)
    csv.writer(out, lineterminator="\n").writerow(csv_header(columns))
    if frame.height:
        binary = _utf8_bytes(out)
        if binary is not None:  # polars writes the bytes itself, with no text in between
            out.flush()
            text.write_csv(binary, **_CSV)
            binary.flush()
        else:
            out.write(text.write_csv(**_CSV))
    return frame.height


def _utf8_bytes(out: TextIO) -> BinaryIO | None:
    """The bytes under standard output when writing UTF-8 there is writing text there.

    That is the process's standard output, in UTF-8, where a line feed is written as it
    is (not as a carriage return and a line feed, as on Windows).
    """
    binary = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if out is not sys.stdout or binary is None or encoding is None or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return None
    return binary if utf8 else None


def _cells(frame: pl.DataFrame, columns: tuple[str, ...]) -> list[pl.Expr] | None:
    """Each CSV column as text (``None``: a column of a type this writer does not know)."""
    import polars as pl

    cells: list[pl.Expr] = []
    for name in columns:
        if name not in frame.columns:
            cells.append(pl.lit(None, dtype=pl.String).alias(name))
            continue
        dtype, column = frame.schema[name], pl.col(name)
        if isinstance(dtype, pl.Decimal):
            # str() of a 4-place decimal, or the integer when it is whole ("-0" too: 0);
            # polars writes every place, so a whole number ends in a point and zeros only
            text = column.cast(pl.String)
            whole = text.str.strip_suffix("." + "0" * dtype.scale) if dtype.scale else text
            cells.append(pl.when(whole == "-0").then(pl.lit("0")).otherwise(whole).alias(name))
        elif dtype.is_integer():
            cells.append(column.cast(pl.String))
        elif dtype == pl.String:
            cells.append(pl.when(column != "").then(column))
        elif dtype == pl.Null:
            cells.append(column.cast(pl.String))
        else:
            return None
    return cells
