"""A policy file read into plain data, with the line and column of every value and key.

YAML and JSON are both read into the same shape: dicts (with ``str`` keys, in file
order), lists, and scalars, plus a table of positions keyed by the document path. The
JSON reader here is a small recursive-descent parser that keeps positions (the standard
``json`` module does not); it bounds nesting and sizes like the YAML reader does.
"""

from __future__ import annotations

import bisect
import json.decoder
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from funnelkit.policy._errors import PolicyFileError, PolicyLimits, PolicyProblem

__all__ = ["Path", "Span", "Source", "LineIndex", "read_json", "relocate", "render_path"]

Path = tuple[str | int, ...]


def render_path(path: Path) -> str:
    """``("stages", "sql", "entry")`` as ``stages.sql.entry``; indexes as ``[i]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else part
    return out


@attrs.frozen
class Span:
    """Where a value starts, and how its characters map onto the file.

    ``style`` is ``exact`` when a one-line text's characters stand in the file as they
    are, from ``(line, column)`` on; ``block`` when each line of a multi-line text stands
    on its own file line from ``line`` on, indented to ``column``; ``loose`` otherwise
    (escapes, folding): only the start is known.
    """

    line: int
    column: int
    style: str = "loose"


@attrs.frozen
class Source:
    """A document's data, the positions of its values and keys, and its file name."""

    data: object
    values: dict[Path, Span] = attrs.field(factory=dict)
    keys: dict[Path, Span] = attrs.field(factory=dict)
    file: str | None = None

    def span(self, path: Path, *, key: bool = False) -> Span | None:
        """The span of the value (or key) at ``path``, or of its nearest located parent."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return None


def relocate(span: Span | None, line: int, column: int) -> tuple[int | None, int | None, bool]:
    """The file position of ``(line, column)`` inside a text located at ``span``.

    Returns:
        ``(line, column, exact)``; when not ``exact`` the position is the text's start.
    """
    if span is None:
        return None, None, False
    if span.style == "exact" and line == 1:
        return span.line, span.column + column - 1, True
    if span.style == "block":
        return span.line + line - 1, span.column + column - 1, True
    return span.line, span.column, False


class LineIndex:
    """Offsets to 1-based lines and columns, in logarithmic time."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WORDS = {"true": True, "false": False, "null": None}


class _StopError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message


class _JsonReader:
    def __init__(self, text: str, limits: PolicyLimits) -> None:
        self.text = text
        self.limits = limits
        self.index = LineIndex(text)
        self.values: dict[Path, Span] = {}
        self.keys: dict[Path, Span] = {}
        self.depth = 0
        self.duplicates: list[PolicyProblem] = []

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def span(self, pos: int, style: str = "loose") -> Span:
        line, column = self.index.position(pos)
        return Span(line, column, style)

    @contextmanager
    def nested(self, pos: int) -> Iterator[None]:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise _StopError(
                pos,
                f"the document nests deeper than {self.limits.max_depth} levels "
                "(PolicyLimits.max_depth)",
            )
        try:
            yield
        finally:
            self.depth -= 1

    def value(self, pos: int, path: Path) -> tuple[object, int]:
        pos = self.skip(pos)
        ch = self.text[pos : pos + 1]
        if ch == "{":
            with self.nested(pos):
                self.values[path] = self.span(pos)
                return self.mapping(pos + 1, path)
        if ch == "[":
            with self.nested(pos):
                self.values[path] = self.span(pos)
                return self.sequence(pos + 1, path)
        if ch == '"':
            text, end = self.string(pos)
            exact = self.text[pos + 1 : end - 1] == text and "\n" not in text
            self.values[path] = self.span(pos + 1, "exact") if exact else self.span(pos)
            return text, end
        self.values[path] = self.span(pos)
        number = _NUMBER.match(self.text, pos)
        if number and number.end() > pos:
            source = number.group()
            if len(source) > 400:
                raise _StopError(pos, f"a number of {len(source)} characters; at most 400")
            if number.group(1) or number.group(2):
                result = float(source)
                if not math.isfinite(result):
                    raise _StopError(pos, f"the number {source} is too large")
                return result, number.end()
            return int(source), number.end()
        for word, constant in _WORDS.items():
            if self.text.startswith(word, pos):
                return constant, pos + len(word)
        found = self.text[pos : pos + 10] or "the end of the text"
        raise _StopError(pos, f"expected a JSON value, got {found!r}")

    def string(self, pos: int) -> tuple[str, int]:
        try:
            text: str
            text, end = _scanstring(self.text, pos + 1)
        except json.JSONDecodeError as err:
            raise _StopError(err.pos, err.msg) from None
        return text, end

    def count(self, pos: int, n: int) -> None:
        if n > self.limits.max_items:
            raise _StopError(
                pos,
                f"more than {self.limits.max_items} entries in one object or list "
                "(PolicyLimits.max_items)",
            )

    def mapping(self, pos: int, path: Path) -> tuple[dict[str, object], int]:
        out: dict[str, object] = {}
        pos = self.skip(pos)
        if self.text.startswith("}", pos):
            return out, pos + 1
        while True:
            pos = self.skip(pos)
            if not self.text.startswith('"', pos):
                raise _StopError(pos, "expected a key in double quotes")
            key, end = self.string(pos)
            here = (*path, key)
            if key in out:
                first = self.keys[here]
                self.duplicates.append(
                    self.problem(pos, here, f"duplicate key {key!r} (first on line {first.line})")
                )
            self.keys[here] = self.span(pos)
            pos = self.skip(end)
            if not self.text.startswith(":", pos):
                raise _StopError(pos, "expected ':' after the key")
            out[key], pos = self.value(pos + 1, here)
            self.count(pos, len(out))
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("}", pos):
                return out, pos + 1
            raise _StopError(pos, "expected ',' or '}'")

    def sequence(self, pos: int, path: Path) -> tuple[list[object], int]:
        out: list[object] = []
        pos = self.skip(pos)
        if self.text.startswith("]", pos):
            return out, pos + 1
        while True:
            item, pos = self.value(pos, (*path, len(out)))
            out.append(item)
            self.count(pos, len(out))
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("]", pos):
                return out, pos + 1
            raise _StopError(pos, "expected ',' or ']'")

    def problem(self, pos: int, path: Path, message: str) -> PolicyProblem:
        line, column = self.index.position(pos)
        return PolicyProblem(path=render_path(path), message=message, line=line, column=column)


def read_json(text: str, *, file: str | None, limits: PolicyLimits) -> Source:
    """Read a JSON document with the position of every value and key.

    Raises:
        PolicyFileError: The text is not JSON, nests too deeply, has too many entries in
            one object or list, or repeats a key.
    """
    reader = _JsonReader(text, limits)
    try:
        data, end = reader.value(0, ())
        end = reader.skip(end)
        if end < len(text):
            raise _StopError(end, f"unexpected text after the document: {text[end : end + 10]!r}")
    except _StopError as stop:
        problem = reader.problem(stop.offset, (), f"not valid JSON: {stop.message}")
        raise PolicyFileError([attrs.evolve(problem, file=file)], file=file) from None
    except RecursionError:
        problem = PolicyProblem(path="", message="the document nests too deeply", file=file)
        raise PolicyFileError([problem], file=file) from None
    if reader.duplicates:
        problems = [attrs.evolve(p, file=file) for p in reader.duplicates]
        raise PolicyFileError(problems, file=file)
    return Source(data=data, values=reader.values, keys=reader.keys, file=file)


def describe(value: Any) -> str:
    """A value for a message: a short repr and its type (``'x' (str)``)."""
    from funnelkit.errors import describe_value

    return describe_value(value)
