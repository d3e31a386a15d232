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
from funnelkit.io._mapping import ColumnMapping, Flat, nest
from funnelkit.io._schema import Target


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
    targets = _plan(header, mapping)
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
        yield _row(header, targets, row, number, start)


def _row(
    header: list[str], targets: list[Target | None], row: list[str], number: int, line: int
) -> Row:
    cells = [
        (column, place, cell)
        for column, place, cell in zip(header, targets, row, strict=False)
        if place is not None and cell.strip()
    ]
    flat = nest(cells, text=True)
    raw = dict(zip(header, row, strict=False))
    if len(row) != len(header):
        problem = ValidationError(
            path="", expected=f"{len(header)} cells, one per header column", value=row
        )
        flat = Flat(flat.record, (problem, *flat.problems), flat.columns)
    return Row(number, line, raw, flat)


def _plan(header: list[str], mapping: ColumnMapping) -> list[Target | None]:
    """Resolve every header column once; report unknown and repeated columns together."""
    targets: list[Target | None] = []
    problems: list[ValidationError] = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(
                ValidationError(
                    path=column, expected="each column once in the header", value=column
                )
            )
        seen.add(column)
        try:
            targets.append(mapping._resolve(column))
        except ValidationError as exc:
            problems.append(exc)
            targets.append(None)
    if problems:
        raise RecordError(problems, line=1, raw=header, kind="CSV header")
    return targets
