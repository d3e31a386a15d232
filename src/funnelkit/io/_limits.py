"""Bounds on what the readers take in: line length, file size, header width, problems.

A bounded reader never holds more than one line of a file in memory (a ``.json`` file,
read whole, is bounded by its own limit), so a decompression bomb or a file without line
breaks is refused with an error naming the line, not a MemoryError.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import attrs

__all__ = ["ReadLimits", "LineTooLong", "BoundedLines", "LineSource"]


class LineSource(Protocol):
    """Anything with ``readline(size)``: an open text file."""

    def readline(self, size: int = -1, /) -> str:
        """Read one line of at most ``size`` characters."""
        ...


def _at_least_one(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


@attrs.frozen(kw_only=True)
class ReadLimits:
    r"""Bounds on the input of [`read_leads`][funnelkit.io.read_leads] and friends.

    Args:
        max_line_chars: The longest line (a JSONL record, one physical CSV line), in
            characters after decoding. A longer line is reported as a bad record and
            skipped without being held in memory; the next line is read.
        max_json_chars: The largest ``.json`` file (an array of records is read whole).
        max_columns: The most columns a CSV header may have.
        max_problems: The most problems listed for one record; the rest are counted in
            a last problem (``99,950 more problems not listed``). The command
            line shows the problems of the first 100 bad records and counts the rest.

    Examples:
        >>> from funnelkit.io import ReadLimits, read_leads
        >>> import io
        >>> text = io.StringIO('{"id": "L-1"}\n{"id": "' + "x" * 100 + '"}\n{"id": "L-3"}\n')
        >>> result = read_leads(text, format="jsonl", on_error="collect",
        ...                     limits=ReadLimits(max_line_chars=50))
        >>> [lead.id for lead in result.leads], result.errors[0].record
        (['L-1', 'L-3'], 2)
    """

    max_line_chars: int = attrs.field(default=1_048_576, validator=_at_least_one)
    max_json_chars: int = attrs.field(default=268_435_456, validator=_at_least_one)
    max_columns: int = attrs.field(default=4_096, validator=_at_least_one)
    max_problems: int = attrs.field(default=50, validator=_at_least_one)


class LineTooLong(Exception):  # noqa: N818 - an internal signal, not an error users see
    """A line was longer than the limit; it was skipped up to its end."""

    def __init__(self, line: int, limit: int) -> None:
        self.line = line
        self.limit = limit
        super().__init__(
            f"line {line} has more than {limit:,} characters (ReadLimits.max_line_chars)"
        )


class BoundedLines:
    """The lines of a text file, each at most ``limit`` characters.

    Iterating raises [`LineTooLong`][] for a longer line after skipping the rest of it,
    so the caller can report it and go on iterating. ``line`` is the number of the line
    last read; ``taken`` lists the lines read since the last ``mark()`` (CSV rows that
    span lines are re-read from there); ``exhausted`` is true once the file has ended.
    """

    def __init__(self, file: LineSource, limit: int) -> None:
        self._file = file
        self._limit = limit
        self.line = 0
        self.taken: list[str] = []
        self.exhausted = False

    def mark(self) -> None:
        """Forget the lines read so far (a new record starts)."""
        self.taken.clear()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text = self._file.readline(self._limit + 1)
        if not text:
            self.exhausted = True
            raise StopIteration
        self.line += 1
        if len(text) > self._limit and not text.endswith("\n"):
            while True:  # skip to the end of the line, a bounded chunk at a time
                rest = self._file.readline(self._limit)
                if not rest or rest.endswith("\n"):
                    break
            raise LineTooLong(self.line, self._limit)
        self.taken.append(text)
        return text
