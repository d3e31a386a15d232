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
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal, TextIO, cast

from funnelkit.errors import (
    InvalidArgumentError,
    RecordError,
    SourceError,
    SourceNotFoundError,
    ValidationError,
)
from funnelkit.io._csv import BAD_BYTE, Row, read_csv
from funnelkit.io._flat import Flat, nest_mapped
from funnelkit.io._framesin import frame_kind, frame_rows
from funnelkit.io._limits import BoundedLines, LineTooLong, ReadLimits
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
    source: Source,
    format: Format | None,
    mapping: ColumnMapping | None,
    limits: ReadLimits | None = None,
) -> Iterator[Row | RecordError]:
    """Check the arguments now, and return the reader to run later."""
    limits = limits or ReadLimits()
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        return _read_path(path, format or _format_of(path.name), mapping, limits)
    if hasattr(source, "read"):
        file = cast(IO[Any], source)
        name = getattr(file, "name", None)
        fmt = format or _format_of(name if isinstance(name, str) else None)
        return _read_file(file, fmt, mapping, limits)
    if frame_kind(source) is not None:
        if format is not None:
            raise InvalidArgumentError(
                f"format is for files; a data frame has none, got {format!r}",
                argument="format",
                value=format,
            )
        return _read_records(frame_rows(source), mapping or ColumnMapping({}))
    if isinstance(source, Mapping | bytes) or not isinstance(source, Iterable):
        raise InvalidArgumentError(
            "source must be a path, an open file, an iterable of records or a data frame, got "
            f"{type(source).__name__} (for one record, use lead_from_dict)",
            argument="source",
            value=source,
        )
    if format is not None:
        raise InvalidArgumentError(
            f"format is for files; an iterable of records has none, got {format!r}",
            argument="format",
            value=format,
        )
    return _read_records(source, mapping)


def _format_of(name: str | None) -> Format:
    if name is None:
        raise InvalidArgumentError(
            "cannot tell the format of a file without a name; pass format=",
            argument="format",
            value=None,
        )
    stem = name[:-3] if name.lower().endswith(".gz") else name
    fmt = SUFFIXES.get(Path(stem).suffix.lower())
    if fmt is None:
        raise InvalidArgumentError(
            f"cannot tell the format of {name!r} (not .jsonl, .json or .csv, optionally "
            "with .gz); pass format='jsonl', 'json' or 'csv'",
            argument="format",
            value=name,
        )
    return fmt


def _read_path(
    path: Path, fmt: Format, mapping: ColumnMapping | None, limits: ReadLimits
) -> Iterator[Row | RecordError]:
    try:
        opened = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")  # noqa: SIM115
        binary = cast(IO[bytes], opened)
    except FileNotFoundError as err:
        raise SourceNotFoundError(err.strerror or "no such file", file=str(path)) from None
    except OSError as err:
        raise SourceError(err.strerror or str(err), file=str(path)) from None
    with binary:
        yield from _read_binary(binary, fmt, mapping, limits)


def _read_file(
    file: IO[Any], fmt: Format, mapping: ColumnMapping | None, limits: ReadLimits
) -> Iterator[Row | RecordError]:
    if not isinstance(file.read(0), bytes):
        yield from _read_text(cast(TextIO, file), fmt, mapping, limits)
        return
    name = getattr(file, "name", None)
    binary: IO[bytes] = file
    if isinstance(name, str) and name.lower().endswith(".gz"):
        binary = cast(IO[bytes], gzip.GzipFile(fileobj=file, mode="rb"))
    yield from _read_binary(binary, fmt, mapping, limits, detach=True)


def _read_binary(
    binary: IO[bytes],
    fmt: Format,
    mapping: ColumnMapping | None,
    limits: ReadLimits,
    *,
    detach: bool = False,
) -> Iterator[Row | RecordError]:
    # Bytes that are not UTF-8 become lone surrogates (surrogateescape), so one bad byte
    # spoils its own line or cell, not the file; the readers report them.
    text = io.TextIOWrapper(
        cast(Any, binary), encoding="utf-8-sig", errors="surrogateescape", newline=""
    )
    try:
        head = text.read(1)
        if head in ("\ufffe", "\udcff", "\udcfe"):  # FF FE / FE FF: UTF-16 or UTF-32
            problem = ValidationError(
                path="",
                expected="UTF-8 text (this file is UTF-16; save it as UTF-8)",
                value=_printable(head),
            )
            yield RecordError([problem], line=1)
            return
        yield from _read_text(_Prefixed(head, text), fmt, mapping, limits)
    except (EOFError, OSError, zlib.error) as err:  # a truncated or damaged .gz file
        problem = ValidationError(
            path="",
            expected="a complete file (it ends early or is damaged; the records before "
            f"were read: {type(err).__name__}: {err})",
            value=getattr(binary, "name", None),
        )
        yield RecordError([problem])
    finally:
        if detach:
            text.detach()  # leave the caller's file open
        else:
            text.close()


class _Prefixed:
    """A text file with its first character (read to sniff the encoding) put back."""

    def __init__(self, head: str, file: TextIO) -> None:
        self._head = head
        self._file = file

    def readline(self, size: int = -1) -> str:
        head, self._head = self._head, ""
        if not head:
            return self._file.readline(size)
        if head == "\n":
            return head
        return head + self._file.readline(size - 1 if size > 0 else size)

    def read(self, size: int = -1) -> str:
        head, self._head = self._head, ""
        return head + self._file.read(size - len(head) if size > 0 else size)


def _read_text(
    file: TextIO | _Prefixed, fmt: Format, mapping: ColumnMapping | None, limits: ReadLimits
) -> Iterator[Row | RecordError]:
    if fmt == "csv":
        yield from read_csv(file, mapping or ColumnMapping({}), limits)
    elif fmt == "jsonl":
        yield from _read_jsonl(file, mapping, limits)
    else:
        yield from _read_json(file, mapping, limits)


def _read_jsonl(
    file: TextIO | _Prefixed, mapping: ColumnMapping | None, limits: ReadLimits
) -> Iterator[Row | RecordError]:
    number = 0
    lines = BoundedLines(file, limits.max_line_chars)
    while True:
        lines.mark()  # a JSONL record is one line: keep none of the lines already read
        try:
            text = next(lines)
        except StopIteration:
            return
        except LineTooLong as err:
            number += 1
            problem = ValidationError(
                path="", expected=f"a JSON object on line {err.line} ({err})", value="..."
            )
            yield RecordError([problem], record=number, line=err.line)
            continue
        line = lines.line
        if line == 1:
            text = text.removeprefix("\ufeff")
        if not text or text.isspace():
            continue
        number += 1
        try:
            data = _decode_line(text)
        except ValueError as exc:
            reason = (
                f"{exc.msg} at column {exc.pos + 1}"
                if isinstance(exc, json.JSONDecodeError)
                else str(exc)
            )
            problem = ValidationError(
                path="",
                expected=f"a JSON object on line {line} ({reason})",
                value=_printable(text.strip()),
            )
            yield RecordError([problem], record=number, line=line, raw=text)
            continue
        yield Row(number, line, data, flat_of(data, mapping))


def _decode_line(text: str) -> Any:
    bad = None if text.isascii() else BAD_BYTE.search(text)
    if bad is not None:
        byte = ord(bad.group()) - 0xDC00
        raise ValueError(f"not UTF-8: byte 0x{byte:02x} at column {bad.start() + 1}")
    try:
        return decode_json(text)
    except RecursionError:
        raise ValueError("the JSON nests too deeply") from None


def _printable(text: str) -> str:
    r"""The text with bytes that are not UTF-8 shown as ``\\xNN``."""
    return BAD_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _read_json(
    file: TextIO | _Prefixed, mapping: ColumnMapping | None, limits: ReadLimits
) -> Iterator[Row | RecordError]:
    text = file.read(limits.max_json_chars + 1).removeprefix("\ufeff")
    expected = "a JSON array of lead records"
    if len(text) > limits.max_json_chars:
        problem = ValidationError(
            path="",
            expected=f"{expected} of at most {limits.max_json_chars:,} characters "
            "(ReadLimits.max_json_chars; for more, use .jsonl)",
            value=text[:40] + "...",
        )
        yield RecordError([problem])
        return
    try:
        bad = BAD_BYTE.search(text)
        if bad is not None:
            raise ValueError(f"not UTF-8: byte 0x{ord(bad.group()) - 0xDC00:02x}")
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, RecursionError):
            exc = ValueError("the JSON nests too deeply")
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        problem = ValidationError(
            path="", expected=f"{expected} ({_reason(exc)})", value=_printable(_snippet(exc, text))
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
