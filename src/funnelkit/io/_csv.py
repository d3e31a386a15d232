"""Reading CSV: one header row of column names, then one lead per row.

Columns are lead field paths (``company.employees``) or columns of a
[`ColumnMapping`][funnelkit.io.ColumnMapping]. The header is checked once, before any
row: an unknown column stops the load (every row would fail the same way). Each row is
then read on its own; a bad row is reported and the next one is read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import attrs

from funnelkit.errors import RecordError, ValidationError
from funnelkit.io._flat import Flat, Slot, nest, plan_column
from funnelkit.io._limits import BoundedLines, LineSource, LineTooLong, ReadLimits
from funnelkit.io._mapping import ColumnMapping


@attrs.frozen
class Row:
    """One input record, with where it came from (used by every reader).

    Attributes:
        number: The 1-based record number (blank lines and rows are not counted), if any.
        line: The line the record starts on, when known (a CSV header is line 1).
        raw: The record as read (a CSV row as column -> cell).
        flat: For flat records (CSV rows, mapped dicts): the nested record and the
            problems found reading cells; ``None`` for nested records.
    """

    number: int | None
    line: int | None
    raw: object
    flat: Flat | None


BAD_BYTE = re.compile("[\udc80-\udcff]")
"""A byte that is not UTF-8, as the ``surrogateescape`` error handler decodes it."""


def read_csv(
    file: LineSource, mapping: ColumnMapping, limits: ReadLimits | None = None
) -> Iterator[Row | RecordError]:
    """Read rows from a CSV file.

    Args:
        file: An open text file (opened with ``newline=""``).
        mapping: How columns become fields.
        limits: Bounds on lines and the header (``ReadLimits()`` by default).

    Yields:
        Each non-blank row, or a RecordError for a row the CSV reader could not split,
        a line that is too long, a cell with bytes that are not UTF-8, or a quoted cell
        that is never closed (the lines after its first are then read again as rows).

    Raises:
        RecordError: The header has unknown or repeated columns, or too many (before
            any row).
    """
    limits = limits or ReadLimits()
    lines = BoundedLines(file, limits.max_line_chars)
    try:
        header = next(csv.reader(lines), None)
    except (LineTooLong, csv.Error) as err:
        problem = ValidationError(path="", expected="a CSV header", value=str(err))
        raise RecordError([problem], line=1, kind="CSV header") from None
    if header is None:
        return
    if len(header) > limits.max_columns:
        problem = ValidationError(
            path="",
            expected=f"at most {limits.max_columns:,} columns (ReadLimits.max_columns)",
            value=f"{len(header):,} columns",
        )
        raise RecordError([problem], line=1, kind="CSV header")
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    header = unique_header(header, mapping)
    slots = _plan(header, mapping, limits.max_problems)
    yield from _rows(lines, header, slots, mapping)


def _rows(
    lines: BoundedLines, header: list[str], slots: list[Slot | None], mapping: ColumnMapping
) -> Iterator[Row | RecordError]:
    number = 0
    offset = lines.line  # lines read before this reader's first line
    source: Iterator[str] = lines
    reader = csv.reader(source)
    while True:
        start = offset + reader.line_num + 1
        lines.mark()
        try:
            row = next(reader)
        except StopIteration:
            break
        except (csv.Error, LineTooLong) as exc:
            number += 1
            problem = ValidationError(path="", expected=f"a CSV row ({exc})", value=f"line {start}")
            yield RecordError([problem], record=number, line=start)
            continue
        if lines.exhausted and source is lines:
            # The reader needed more lines to close a quoted cell and the file ended:
            # report the row, and read the lines after its first one again.
            taken = list(lines.taken)
            number += 1
            problem = ValidationError(
                path="",
                expected=f"a CSV row (a quoted cell opened on line {start} is never closed)",
                value=_printable(taken[0].rstrip("\r\n")) if taken else "",
            )
            yield RecordError([problem], record=number, line=start)
            if len(taken) > 1:
                offset = start
                source = iter(taken[1:])
                reader = csv.reader(source)
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        bad = _bad_cell(header, row)
        if bad is not None:
            yield RecordError([bad], record=number, line=start, raw=row)
            continue
        yield _row(header, slots, row, number, start, mapping)


def _bad_cell(header: list[str], row: list[str]) -> ValidationError | None:
    if "".join(row).isascii():  # no byte that is not UTF-8 (each is a lone surrogate)
        return None
    for column, cell in zip(header, row, strict=False):
        found = BAD_BYTE.search(cell)
        if found is not None:
            byte = ord(found.group()) - 0xDC00
            return ValidationError(
                path=column,
                expected=f"UTF-8 text (byte 0x{byte:02x} is not UTF-8; is the file latin-1?)",
                value=_printable(cell),
            )
    return None


def _printable(text: str) -> str:
    return BAD_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _row(
    header: list[str],
    slots: list[Slot | None],
    row: list[str],
    number: int,
    line: int,
    mapping: ColumnMapping,
) -> Row:
    raw = dict(zip(header, row, strict=False))
    cells = [
        (slot, cell) for slot, cell in zip(slots, row, strict=False) if slot is not None and cell
    ]
    flat = nest(cells, mapping=mapping, row=raw)
    if len(row) != len(header):
        problem = ValidationError(
            path="", expected=f"{len(header)} cells, one per header column", value=row
        )
        flat = Flat(flat.record, (problem, *flat.problems), flat.columns, flat.warnings)
    return Row(number, line, raw, flat)


def unique_header(header: list[str], mapping: ColumnMapping) -> list[str]:
    """Name blank header cells and repeated names, unless repeats are errors.

    A blank header cell (a trailing comma) becomes ``column <n>`` (1-based position). A
    repeated name becomes ``<name> (2)``, ``(3)``, ... when unmapped columns are kept or
    skipped; with ``unmapped="error"`` it stays, to be reported.
    """
    out: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if not name.strip():
            name = f"column {position}"
        if name in seen and mapping.unmapped != "error":
            copy = 2
            while f"{name} ({copy})" in seen:
                copy += 1
            name = f"{name} ({copy})"
        seen.add(name)
        out.append(name)
    return out


def _plan(header: list[str], mapping: ColumnMapping, max_problems: int = 50) -> list[Slot | None]:
    """Plan every header column once; report unknown and repeated columns together.

    A blank header cell never stops the load: its column is ignored unless mapped.
    """
    slots: list[Slot | None] = []
    problems: list[ValidationError] = []
    seen: set[str] = set()
    for position, column in enumerate(header, 1):
        if column in seen:
            problems.append(
                ValidationError(
                    path=column, expected="each column once in the header", value=column
                )
            )
        seen.add(column)
        try:
            slots.append(plan_column(mapping, column))
        except ValidationError as exc:
            if column == f"column {position}" and column not in mapping.columns:
                slots.append(None)  # a blank header cell: nothing to name or keep
            else:
                problems.append(exc)
                slots.append(None)
    if len(problems) > max_problems:
        more = len(problems) - max_problems
        summary = ValidationError(
            path="",
            expected=f"known columns ({more:,} more problems not listed)",
            value=[p.path for p in problems[max_problems : max_problems + 3]],
        )
        problems = [*problems[:max_problems], summary]
    if problems:
        raise RecordError(problems, line=1, raw=header, kind="CSV header")
    return slots
