"""Reading CSV: one header row of column names, then one lead per row.

Columns are lead field paths (``company.employees``) or columns of a
[`ColumnMapping`][funnelkit.io.ColumnMapping]. The header is checked once, before any
row: an unknown column stops the load (every row would fail the same way). Each row is
then read on its own; a bad row is reported and the next one is read.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

import attrs

from funnelkit.errors import RecordError, ValidationError
from funnelkit.io._flat import Flat, Slot, nest, plan_column
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


def read_csv(file: TextIO, mapping: ColumnMapping) -> Iterator[Row | RecordError]:
    """Read rows from a CSV file.

    Args:
        file: An open text file (opened with ``newline=""``).
        mapping: How columns become fields.

    Yields:
        Each non-blank row, or a RecordError for a row the CSV reader could not split.

    Raises:
        RecordError: The header has unknown or repeated columns (before any row).
    """
    reader = csv.reader(file)
    header = next(reader, None)
    if header is None:
        return
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    header = unique_header(header, mapping)
    slots = _plan(header, mapping)
    number = 0
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            line = reader.line_num
            problem = ValidationError(path="", expected=f"a CSV row ({exc})", value=f"line {start}")
            yield RecordError([problem], record=number, line=start)
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        yield _row(header, slots, row, number, start, mapping)


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


def _plan(header: list[str], mapping: ColumnMapping) -> list[Slot | None]:
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
    if problems:
        raise RecordError(problems, line=1, raw=header, kind="CSV header")
    return slots
