"""Three-valued (Kleene) truth: TRUE, FALSE and UNKNOWN."""

from __future__ import annotations

from enum import Enum
from typing import NoReturn

__all__ = ["Truth"]


class Truth(Enum):
    """A truth value in Kleene's three-valued logic.

    A missing fact makes a comparison ``UNKNOWN``: never ``FALSE``, never an exception.
    ``&`` is false if either side is false, ``|`` is true if either side is true, and
    ``~UNKNOWN`` is ``UNKNOWN``:

    | ``a``   | ``b``   | ``a & b`` | ``a | b`` |
    |---------|---------|-----------|-----------|
    | TRUE    | UNKNOWN | UNKNOWN   | TRUE      |
    | FALSE   | UNKNOWN | FALSE     | UNKNOWN   |
    | UNKNOWN | UNKNOWN | UNKNOWN   | UNKNOWN   |

    ``bool(truth)`` raises ``TypeError`` so that UNKNOWN is never collapsed silently; ask
    ``.is_true``, ``.is_false`` or ``.is_unknown``.

    Examples:
        >>> Truth.TRUE & Truth.UNKNOWN
        <Truth.UNKNOWN: 'unknown'>
        >>> Truth.FALSE & Truth.UNKNOWN
        <Truth.FALSE: 'false'>
        >>> (Truth.TRUE | Truth.UNKNOWN).is_true
        True
    """

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    # members are singletons compared by identity: hash them so too, in C (Enum's own
    # __hash__ is Python code, and Truths are dict keys on the engines' hot paths)
    __hash__ = object.__hash__

    @classmethod
    def of(cls, value: bool | None) -> Truth:
        """Convert ``True``/``False``/``None`` to a Truth (``None`` is UNKNOWN)."""
        if value is None:
            return cls.UNKNOWN
        return cls.TRUE if value else cls.FALSE

    @property
    def is_true(self) -> bool:
        """Whether this is TRUE."""
        return self is Truth.TRUE

    @property
    def is_false(self) -> bool:
        """Whether this is FALSE."""
        return self is Truth.FALSE

    @property
    def is_unknown(self) -> bool:
        """Whether this is UNKNOWN."""
        return self is Truth.UNKNOWN

    def as_optional(self) -> bool | None:
        """Convert to ``True``/``False``/``None``."""
        return None if self is Truth.UNKNOWN else self is Truth.TRUE

    def __and__(self, other: Truth) -> Truth:
        if self is Truth.FALSE or other is Truth.FALSE:
            return Truth.FALSE
        if self is Truth.TRUE and other is Truth.TRUE:
            return Truth.TRUE
        return Truth.UNKNOWN

    def __or__(self, other: Truth) -> Truth:
        if self is Truth.TRUE or other is Truth.TRUE:
            return Truth.TRUE
        if self is Truth.FALSE and other is Truth.FALSE:
            return Truth.FALSE
        return Truth.UNKNOWN

    def __invert__(self) -> Truth:
        if self is Truth.UNKNOWN:
            return Truth.UNKNOWN
        return Truth.FALSE if self is Truth.TRUE else Truth.TRUE

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "a Truth has three values; use .is_true, .is_false or .is_unknown instead of bool()"
        )
