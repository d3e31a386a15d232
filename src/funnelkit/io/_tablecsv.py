"""A CSV file or a data frame as a frame of cells, for ``read_tables``.

A CSV file is read by polars' own reader (every cell as text) when the file is one that
polars and Python's ``csv`` module provably split the same way; any other file is read
by the ``csv`` module, as before. "The same way" is checked on the bytes, in C-speed
passes:

* the file is UTF-8 (polars refuses any other byte), with no NUL byte;
* every quoted cell (``"..."`` with ``""`` for a quote) starts a cell (at the start of
  the file, after a comma or a line feed) and ends one (before a comma, a line end or
  the end of the file), and no quote is left outside such cells;
* no carriage return ends a line on its own (outside quoted cells), so both split lines
  at the same places;
* every line has as many commas as the header, or is empty (a row with too few or too
  many cells is the ``csv`` module's to report): polars refuses a line with more cells
  than the first, so a right total of commas is enough;
* no cell is longer than the ``csv`` module's field limit.

Rows whose cells are all blank are dropped, as the ``csv`` reading drops them.
"""

from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from funnelkit.errors import InvalidArgumentError, RecordError, ValidationError
from funnelkit.io._csv import unique_header
from funnelkit.io._framesin import frame_kind
from funnelkit.io._mapping import ColumnMapping

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["PY_WHITESPACE", "frame_of", "read_csv_frame", "read_csv_rows", "simple_csv"]

PY_WHITESPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters ``str.strip()`` removes (those for which ``str.isspace()`` is true)."""
_BOM: Final = b"\xef\xbb\xbf"
_QUOTED: Final = re.compile(rb'"(?<![^,\n]")[^"]*(?:""[^"]*)*"(?=[,\n]|\r\n|\Z)')
"""A quoted cell that starts a cell (at the start, or after a comma or a line feed) and
ends one (before a comma, a line end or the end); the look-behind follows the opening
quote so that the search still starts from a quote."""
_MARK: Final = b"\x00"
_THREADED_BYTES: Final = 1_000_000
"""Files of this size or more are parsed by polars while their shape is checked."""


def frame_of(source: Any, mapping: ColumnMapping, pl: Any) -> polars.DataFrame:
    """The cells of a CSV file or a data frame, under unique column names."""
    kind = frame_kind(source)
    if kind == "polars":
        frame = source
    elif kind == "pandas":
        from funnelkit.io._framesin import frame_rows

        frame = pl.DataFrame(list(frame_rows(source)), infer_schema_length=None)
        frame.columns = [str(c) for c in source.columns]
    elif kind == "arrow":
        frame = pl.from_arrow(source)
    elif isinstance(source, str | os.PathLike) or hasattr(source, "read"):
        return read_csv_frame(source, mapping, pl)
    else:
        raise InvalidArgumentError(
            f"read_tables reads a CSV file or a data frame, got {type(source).__name__} "
            "(for records, use read_leads)",
            argument="source",
            value=source,
        )
    header = unique_header([str(c) for c in frame.columns], mapping)
    renamed: polars.DataFrame = frame.rename(dict(zip(frame.columns, header, strict=True)))
    return renamed


def read_csv_frame(source: Any, mapping: ColumnMapping, pl: Any) -> polars.DataFrame:
    """A CSV file (a path or an open text file) as a frame of text cells."""
    if isinstance(source, str | os.PathLike):
        data = Path(source).read_bytes()
        data = data.removeprefix(_BOM)  # the file is read as utf-8-sig
        frame = None if data.startswith(_BOM) else simple_csv(data, mapping, pl)
        if frame is not None:
            return frame
        with Path(source).open(encoding="utf-8-sig", newline="") as file:
            return read_csv_rows(file, mapping, pl)
    text = source.read()
    if not isinstance(text, str):
        return read_csv_rows(io.BytesIO(text), mapping, pl)  # the csv module's own error
    frame = None
    if not text.startswith("\ufeff"):  # an open file keeps its byte order mark
        try:
            frame = simple_csv(text.encode("utf-8"), mapping, pl)
        except UnicodeEncodeError:
            frame = None
    return frame if frame is not None else read_csv_rows(io.StringIO(text), mapping, pl)


def simple_csv(data: bytes, mapping: ColumnMapping, pl: Any) -> polars.DataFrame | None:
    """``data`` read by polars, or ``None`` when polars might split it otherwise than ``csv``.

    Args:
        data: The file's bytes, without the byte order mark.
        mapping: The mapping (for the header's names).
        pl: The polars module.

    Returns:
        The frame (the header's cells as column names, every cell as text, blank rows
        dropped), or ``None`` when the ``csv`` module must read the file.
    """
    if not data or data.isspace() or _MARK in data:
        return None
    if len(data) < _THREADED_BYTES:
        shape = _shape(data)
        cells = None if shape is None else _cells(data, pl)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:  # polars reads as the shape is checked
            reading = pool.submit(_cells, data, pl)
            shape = _shape(data)
            cells = reading.result()
    if shape is None or cells is None:
        return None
    lines, commas = shape
    if cells.height != lines or cells.width != commas + 1:
        return None
    limit = csv.field_size_limit()
    if len(data) >= limit and cells.height:
        longest = cells.select(pl.all().str.len_bytes().max()).row(0)  # at least the chars
        if any(n is not None and n >= limit for n in longest):
            longest = cells.select(pl.all().str.len_chars().max()).row(0)
            if any(n is not None and n >= limit for n in longest):
                return None
    header = unique_header([str(c) for c in cells.row(0)], mapping)
    if len(set(header)) != len(header):  # repeated names (kept with unmapped="error")
        return None
    rows: polars.DataFrame = cells.slice(1)
    rows.columns = header
    if not (rows[header[0]].str.strip_chars(PY_WHITESPACE) == "").any():
        return rows  # a blank row has a blank first cell: none here
    blank = pl.all_horizontal(pl.all().str.strip_chars(PY_WHITESPACE) == "")
    kept: polars.DataFrame = rows.filter(~blank)
    return kept


def _shape(data: bytes) -> tuple[int, int] | None:
    """The lines and the commas per line of ``data`` where polars splits it as ``csv`` does.

    ``None``: a file polars might split otherwise (see the module).
    """
    plain = _QUOTED.sub(_MARK, data) if b'"' in data else data
    carriage = b"\r" in plain
    if carriage and plain.count(b"\r") != plain.count(b"\r\n"):
        return None
    if b'"' in plain:  # a quote outside such a cell
        return None
    end = plain.find(b"\n")
    first = plain if end < 0 else plain[:end]
    if first in (b"", b"\r"):
        return None
    commas = first.count(b",")
    lines = plain.count(b"\n") + (not plain.endswith(b"\n"))
    if plain.count(b",") != commas * lines:
        # polars refuses a line with more cells than the first, so when the total is
        # right every line is; else each line on its own (empty lines are fine)
        for line in plain.split(b"\n")[:lines]:
            if line.count(b",") != commas and line not in (b"", b"\r"):
                return None
    return lines, commas


def _cells(data: bytes, pl: Any) -> polars.DataFrame | None:
    """``data`` read by polars, every cell as text (``None``: polars refuses it)."""
    try:
        cells: polars.DataFrame = pl.read_csv(
            data,
            has_header=False,
            infer_schema=False,
            empty_string_is_null=False,
            raise_if_empty=False,
            truncate_ragged_lines=False,
            quote_char='"',
            separator=",",
            eol_char="\n",
        )
    except Exception:  # bytes that are not UTF-8, or anything else polars refuses
        return None
    return cells


def read_csv_rows(source: Any, mapping: ColumnMapping, pl: Any) -> polars.DataFrame:
    """A CSV file read row by row by the ``csv`` module (any file it can read)."""
    reader = csv.reader(source)
    first = next(reader, None) or []
    header = unique_header(first, mapping)
    columns: list[list[str | None]] = [[] for _ in header]
    problems: list[RecordError] = []
    for number, row in enumerate((r for r in reader if any(c.strip() for c in r)), 1):
        if len(row) != len(header):
            problem = ValidationError(
                path="", expected=f"{len(header)} cells, one per header column", value=row
            )
            problems.append(RecordError([problem], record=number))
        for index, cells in enumerate(columns):
            cells.append(row[index] if index < len(row) else None)
    if problems:
        raise problems[0]
    table: polars.DataFrame = pl.DataFrame(
        dict(zip(header, columns, strict=True)),
        schema=dict.fromkeys(header, pl.String),
    )
    return table
