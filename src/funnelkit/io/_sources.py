"""Where records come from: paths, open files (text or binary, maybe gzipped), iterables.

Each reader yields a [`Row`][funnelkit.io._csv.Row] per record (or a RecordError for
input that is not even a record, such as a line that is not JSON); structuring the rows
into leads is the caller's job.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal, TextIO, cast

from funnelkit.errors import RecordError, ValidationError
from funnelkit.io._csv import Row, read_csv
from funnelkit.io._flat import Flat, nest_mapped
from funnelkit.io._framesin import frame_kind, frame_rows
from funnelkit.io._mapping import ColumnMapping
from funnelkit.io._scalars import decode_json, no_duplicate_keys

Format = Literal["jsonl", "json", "csv"]
Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[Mapping[str, Any]] | Any
"""A path, an open file, an iterable of records, or a data frame (polars, pandas, Arrow)."""
SUFFIXES: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
}


def open_source(
    source: Source, format: Format | None, mapping: ColumnMapping | None
) -> Iterator[Row | RecordError]:
    """Check the arguments now, and return the reader to run later."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return _read_path(path, format or _format_of(path.name), mapping)
    if hasattr(source, "read"):
        file = cast(IO[Any], source)
        name = getattr(file, "name", None)
        fmt = format or _format_of(name if isinstance(name, str) else None)
        return _read_file(file, fmt, mapping)
    if frame_kind(source) is not None:
        if format is not None:
            raise ValueError(f"format is for files; a data frame has none, got {format!r}")
        return _read_records(frame_rows(source), mapping or ColumnMapping({}))
    if isinstance(source, Mapping | bytes) or not isinstance(source, Iterable):
        raise TypeError(
            "source must be a path, an open file, an iterable of records or a data frame, got "
            f"{type(source).__name__} (for one record, use lead_from_dict)"
        )
    if format is not None:
        raise ValueError(f"format is for files; an iterable of records has none, got {format!r}")
    return _read_records(source, mapping)


def _format_of(name: str | None) -> Format:
    if name is None:
        raise ValueError("cannot tell the format of a file without a name; pass format=")
    stem = name[:-3] if name.lower().endswith(".gz") else name
    fmt = SUFFIXES.get(Path(stem).suffix.lower())
    if fmt is None:
        raise ValueError(
            f"cannot tell the format of {name!r} (not .jsonl, .json or .csv, optionally "
            "with .gz); pass format='jsonl', 'json' or 'csv'"
        )
    return fmt


def _read_path(
    path: Path, fmt: Format, mapping: ColumnMapping | None
) -> Iterator[Row | RecordError]:
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as file:
            yield from _read_text(file, fmt, mapping)
    else:
        with path.open(encoding="utf-8-sig", newline="") as file:
            yield from _read_text(file, fmt, mapping)


def _read_file(
    file: IO[Any], fmt: Format, mapping: ColumnMapping | None
) -> Iterator[Row | RecordError]:
    if not isinstance(file.read(0), bytes):
        yield from _read_text(cast(TextIO, file), fmt, mapping)
        return
    name = getattr(file, "name", None)
    binary: IO[bytes] = file
    if isinstance(name, str) and name.lower().endswith(".gz"):
        binary = cast(IO[bytes], gzip.GzipFile(fileobj=file, mode="rb"))
    text = io.TextIOWrapper(cast(Any, binary), encoding="utf-8-sig", newline="")
    try:
        yield from _read_text(text, fmt, mapping)
    finally:
        text.detach()  # leave the caller's file open


def _read_text(
    file: TextIO, fmt: Format, mapping: ColumnMapping | None
) -> Iterator[Row | RecordError]:
    if fmt == "csv":
        yield from read_csv(file, mapping or ColumnMapping({}))
    elif fmt == "jsonl":
        yield from _read_jsonl(file, mapping)
    else:
        yield from _read_json(file, mapping)


def _read_jsonl(file: TextIO, mapping: ColumnMapping | None) -> Iterator[Row | RecordError]:
    number = 0
    for line, text in enumerate(file, 1):
        if line == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        number += 1
        try:
            data = decode_json(text)
        except ValueError as exc:
            reason = (
                f"{exc.msg} at column {exc.pos + 1}"
                if isinstance(exc, json.JSONDecodeError)
                else str(exc)
            )
            problem = ValidationError(
                path="", expected=f"a JSON object on line {line} ({reason})", value=text.strip()
            )
            yield RecordError([problem], record=number, line=line, raw=text)
            continue
        yield Row(number, line, data, flat_of(data, mapping))


def _read_json(file: TextIO, mapping: ColumnMapping | None) -> Iterator[Row | RecordError]:
    text = file.read().removeprefix("\ufeff")
    expected = "a JSON array of lead records"
    try:
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except ValueError as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        problem = ValidationError(
            path="", expected=f"{expected} ({_reason(exc)})", value=_snippet(exc, text)
        )
        yield RecordError([problem], line=line, raw=text)
        return
    if not isinstance(data, list):
        problem = ValidationError(
            path="", expected=expected + " (for one record per line, use .jsonl)", value=data
        )
        yield RecordError([problem], raw=data)
        return
    for number, item in enumerate(data, 1):
        yield Row(number, None, item, flat_of(item, mapping))


def _read_records(
    records: Iterable[Any], mapping: ColumnMapping | None
) -> Iterator[Row | RecordError]:
    for number, item in enumerate(records, 1):
        yield Row(number, None, item, flat_of(item, mapping))


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return str(exc)


def _snippet(exc: ValueError, text: str) -> str:
    pos = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
    return text[max(0, pos - 30) : pos + 30]


def flat_of(raw: object, mapping: ColumnMapping | None) -> Flat | None:
    return nest_mapped(raw, mapping) if mapping is not None else None
