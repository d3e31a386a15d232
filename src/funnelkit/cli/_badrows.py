"""``--bad-rows FILE``: every bad record, with its errors, as one JSON object per line.

Each line: ``file``, ``record`` (1-based number), ``line`` (where the record starts,
when known), ``id`` (when it could be read) and ``problems``, each with ``path``,
``value``, ``code``, ``expected`` and ``message``. E-mail addresses and phone numbers
are redacted as everywhere else (``funnelkit.model.redact``): a value under an ``email``
or ``phone`` field reads ``<redacted>``, and so does such a key inside a value.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, TextIO

from funnelkit.cli._escape import json_line
from funnelkit.errors import RecordError
from funnelkit.model import redact

__all__ = ["BadRows", "bad_row_record"]


def _plain(value: object) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def _value(path: str, value: object) -> Any:
    last = path.rsplit(".", 1)[-1].split("[", 1)[0]
    return redact({last: _plain(value)})[last]


def bad_row_record(error: RecordError, *, file: str) -> dict[str, Any]:
    """The JSON-ready line of one bad record.

    Args:
        error: The bad record.
        file: The input file's name.

    Returns:
        ``{"file", "record", "line", "id", "problems": [{"path", "value", "code",
        "expected", "message"}, ...]}``, personal data redacted.

    Examples:
        >>> from funnelkit.errors import ValidationError
        >>> problem = ValidationError(path="contact.email", expected="an e-mail address",
        ...                           value="ana@")
        >>> line = bad_row_record(RecordError([problem], record=3), file="leads.csv")
        >>> line["record"], line["problems"][0]["value"]
        (3, '<redacted>')
    """
    return {
        "file": file,
        "record": error.record,
        "line": error.line,
        "id": error.record_id,
        "problems": [
            {
                "path": p.path,
                "value": _value(p.path, p.value),
                "code": p.code,
                "expected": p.expected,
                "message": str(p),
            }
            for p in error.problems
        ],
    }


class BadRows:
    """The side file: opened (and emptied) at the start, one line per bad record.

    Args:
        path: The file to write, or ``None`` (nothing is written).
        file: The input file's name, written on each line.
    """

    def __init__(self, path: str | None, *, file: str) -> None:
        self.path = path
        self.file = file
        self.written = 0
        self._out: TextIO | None = None

    def open(self) -> None:
        """Create (or empty) the file; ``OSError`` when it cannot be written."""
        if self.path is not None and self._out is None:
            self._out = open(self.path, "w", encoding="utf-8")  # noqa: SIM115

    def __enter__(self) -> BadRows:
        self.open()
        return self

    def write(self, error: RecordError) -> None:
        """Write one bad record."""
        if self._out is not None:
            # escaped as qualify's JSON Lines are: a hostile id stays safe to print
            self._out.write(json_line(bad_row_record(error, file=self.file)) + "\n")
            self.written += 1

    def reset(self) -> None:
        """Empty the file again (the input is read once more, by another engine)."""
        if self._out is not None:
            self._out.seek(0)
            self._out.truncate()
        self.written = 0

    def failure(self, error: Exception, *, record: int | None, lead_id: str | None) -> None:
        """Write a record that could not be read or qualified as a whole (no field path)."""
        if self._out is not None:
            line = {
                "file": self.file,
                "record": record,
                "line": None,
                "id": lead_id,
                "problems": [
                    {
                        "path": None,
                        "value": None,
                        "code": getattr(error, "code", "error"),
                        "expected": None,
                        "message": str(error),
                    }
                ],
            }
            self._out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.written += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
