"""Bounded regular expressions: patterns that cannot backtrack catastrophically."""

from __future__ import annotations

import re
from typing import Any, ClassVar

try:  # Python 3.11+: the parser moved to re._parser
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse

from funnelkit.errors import FunnelkitError

__all__ = ["UnsafePatternError", "check_pattern", "MAX_PATTERN_LENGTH"]

MAX_PATTERN_LENGTH = 200
"""The longest regular expression a rule may use."""

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class UnsafePatternError(FunnelkitError, ValueError):
    """A regular expression is invalid, too long, or could backtrack catastrophically."""

    code: ClassVar[str] = "unsafe-pattern"


def _check_alternatives(branches: list[Any]) -> None:
    """Alternatives under a repetition must start with distinct plain characters.

    Otherwise one text can be matched in many ways per repetition, as in ``(a|a)*`` or
    ``(a|ab)*``, and a failing match takes exponential time.
    """
    firsts = [
        items[0][1] if items and str(items[0][0]) == "LITERAL" else None
        for items in (list(branch) for branch in branches)
    ]
    if None in firsts or len(set(firsts)) != len(firsts):
        raise UnsafePatternError(
            "alternatives under a repetition such as (a|ab)* can take exponential time; "
            "make them start with different characters"
        )


def _walk(items: object, inside_repeat: bool) -> None:
    for op, arg in items:  # type: ignore[attr-defined]
        name = str(op)
        if name in _REPEATS:
            _low, high, sub = arg
            if inside_repeat and high != 1:
                raise UnsafePatternError(
                    "nested repetition such as (a+)+ can take exponential time"
                )
            _walk(sub, inside_repeat or high > 1)
        elif name == "SUBPATTERN":
            _walk(arg[-1], inside_repeat)
        elif name == "BRANCH":
            for branch in arg[1]:
                _walk(branch, inside_repeat)
            if inside_repeat:
                _check_alternatives(arg[1])
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise UnsafePatternError("back-references are not allowed")
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], inside_repeat)


def check_pattern(pattern: str) -> None:
    r"""Accept a regular expression only if it is short, valid and safe.

    Args:
        pattern: The pattern.

    Raises:
        UnsafePatternError: It is longer than ``MAX_PATTERN_LENGTH``, invalid, uses
            back-references, or nests repetitions (``(a+)+``, ``(a*)*``).

    Examples:
        >>> check_pattern(r"^vp\b")
        >>> check_pattern(r"(a+)+$")
        Traceback (most recent call last):
        ...
        funnelkit.rules.tree._regex.UnsafePatternError: nested repetition such as (a+)+ can take exponential time
    """  # noqa: E501
    if not isinstance(pattern, str):
        raise UnsafePatternError(f"a pattern must be a string, got {pattern!r}")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePatternError(
            f"pattern of {len(pattern)} characters; at most {MAX_PATTERN_LENGTH} allowed"
        )
    try:
        re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except re.error as err:
        raise UnsafePatternError(f"invalid regular expression {pattern!r}: {err}") from None
    _walk(parsed, False)
