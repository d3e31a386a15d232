"""Collecting located problems, and checking the shape of plain values on the way.

A ``Checker`` holds the source (for positions) and the problems found so far. Its
methods check one value each and return it (or ``None`` after recording a problem), so
the reader can go on and report every problem of a file at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from funnelkit.errors import describe_value
from funnelkit.policy._errors import PolicyFileError, PolicyLimits, PolicyProblem
from funnelkit.policy._source import Path, Source, render_path

__all__ = ["Checker", "did_you_mean", "parse_path"]

T = TypeVar("T")
_INDEX = re.compile(r"\[(\d+)\]")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest known name, else the known names."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of: {', '.join(known)}" if known else ""


def parse_path(text: str) -> Path:
    """``employee_bands[0].low`` as ``("employee_bands", 0, "low")``."""
    out: list[str | int] = []
    for part in text.split("."):
        name, *rest = _INDEX.split(part)
        if name:
            out.append(name)
        out.extend(int(i) for i in rest if i)
    return tuple(out)


class Checker:
    """Records located problems while a document is read and built."""

    def __init__(self, source: Source, limits: PolicyLimits) -> None:
        self.source = source
        self.limits = limits
        self.problems: list[PolicyProblem] = []

    def problem(
        self,
        path: Path,
        message: str,
        value: object = None,
        *,
        key: bool = False,
        position: tuple[int | None, int | None] | None = None,
    ) -> None:
        """Record a problem at ``path`` (at its key with ``key=True``)."""
        if position is None:
            span = self.source.span(path, key=key)
            position = (None, None) if span is None else (span.line, span.column)
        self.problems.append(
            PolicyProblem(
                path=render_path(path),
                message=message,
                value=value,
                file=self.source.file,
                line=position[0],
                column=position[1],
            )
        )

    def raise_if_any(self) -> None:
        """Raise PolicyFileError listing every problem recorded, if there is any."""
        if self.problems:
            raise PolicyFileError(self.problems, file=self.source.file)

    # -- shapes ------------------------------------------------------------------------
    def expected(self, path: Path, what: str, value: object) -> None:
        """Record "expected ``what``, got ``value``"."""
        self.problem(path, f"expected {what}, got {describe_value(value)}", value)

    def mapping(
        self,
        value: object,
        path: Path,
        *,
        known: Sequence[str] | None = None,
        required: Sequence[str] = (),
        what: str = "a mapping",
    ) -> dict[str, Any] | None:
        """A mapping with only ``known`` keys (if given) and every ``required`` key."""
        if not isinstance(value, dict):
            self.expected(path, what, value)
            return None
        if known is not None:
            for key in value:
                if key not in known:
                    hint = did_you_mean(key, known)
                    self.problem((*path, key), f"unknown field {key!r}{hint}", key, key=True)
        for key in required:
            if key not in value:
                self.problem(path, f"the required field {key!r} is missing")
        return value

    def items(self, value: object, path: Path, what: str = "a list") -> list[Any] | None:
        """A list."""
        if not isinstance(value, list):
            self.expected(path, what, value)
            return None
        return value

    def text(self, value: object, path: Path, *, optional: bool = False) -> str | None:
        """A string (``None`` passes when ``optional``)."""
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.expected(path, "text", value)
            return None
        return value

    def rule_text(self, value: object, path: Path) -> str | None:
        """A non-empty rule text within the length limit."""
        if not isinstance(value, str) or not value.strip():
            self.expected(path, "a rule as text", value)
            return None
        return value

    def number(self, value: object, path: Path, *, optional: bool = False) -> int | Decimal | None:
        """An int, or a float or numeric text as a Decimal (never a bool)."""
        if value is None and optional:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            if isinstance(value, float | str):
                result = Decimal(repr(value) if isinstance(value, float) else value.strip())
                if result.is_finite() and result.adjusted() < 28:
                    return int(result) if result == result.to_integral_value() else result
        except ArithmeticError:
            pass
        self.expected(path, "a number", value)
        return None

    def whole(
        self, value: object, path: Path, *, minimum: int = 0, optional: bool = False
    ) -> int | None:
        """A whole number >= ``minimum``."""
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.expected(path, f"a whole number >= {minimum}", value)
            return None
        return value

    def flag(self, value: object, path: Path) -> bool | None:
        """``true`` or ``false``."""
        if not isinstance(value, bool):
            self.expected(path, "true or false", value)
            return None
        return value

    def day(self, value: object, path: Path) -> date | None:
        """A date: a YAML date, or ISO text such as ``2026-01-01``."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.expected(path, "a date such as 2026-01-01", value)
        return None

    def names(self, value: object, path: Path) -> tuple[str, ...] | None:
        """One text, or a list of texts."""
        if isinstance(value, str):
            return (value,)
        items = self.items(value, path, "a text or a list of texts")
        if items is None:
            return None
        out = [self.text(item, (*path, i)) for i, item in enumerate(items)]
        return None if any(o is None for o in out) else tuple(o for o in out if o is not None)

    def limit(self, count: int, most: int, path: Path, what: str, field: str) -> bool:
        """Record a problem if ``count`` is over ``most``; return whether it is within."""
        if count > most:
            self.problem(path, f"{count} {what}; at most {most} are allowed ({field})")
            return False
        return True
