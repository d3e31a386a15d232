"""Scoring: points for conditions, sums with caps and floors, grades from bands.

Order of operations (documented, tested): each ``points`` gives its points when its
condition is TRUE and 0 otherwise (UNKNOWN gives 0 and is reported); ``per`` multiplies
a number (a count, a decayed sum) by its weight and rounds to ``SCORE_PLACES`` decimal
places, half to even; a ``score`` adds its items, nested scores first, then applies its
``floor`` and then its ``cap``. Integer points stay integers; anything fractional is a
``Decimal``, so totals never drift with float error.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import attrs

from funnelkit.rules.tree._expr import Expr, RuleBuildError, lit

__all__ = ["Points", "Per", "Score", "Grade", "points", "per", "score", "grade", "SCORE_PLACES"]

SCORE_PLACES = 4
"""Decimal places kept for fractional points (``per`` over a decayed sum)."""

Number = int | Decimal


def _points_value(value: object, *, what: str) -> Number:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise RuleBuildError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int):
        return value
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # fixed: "ten" leaked decimal.InvalidOperation
        raise RuleBuildError(f"{what} must be a number, got {value!r}") from None
    if not result.is_finite():
        raise RuleBuildError(f"{what} must be finite, got {value!r}")
    if result.adjusted() >= 28:  # fixed: int("1e999999999") built a billion-digit number
        raise RuleBuildError(f"{what} must be below 10**28, got {value!r}")
    return int(result) if result == result.to_integral_value() else result


@attrs.frozen(eq=False, repr=False)
class Points(Expr):
    """``points`` when ``when`` is TRUE, else 0 (may be negative)."""

    points: Number
    when: Expr
    label: str | None = None

    def children(self) -> tuple[Expr, ...]:
        """The condition."""
        return (self.when,)

    def value_kind(self) -> str:
        """``int`` or ``decimal``."""
        return "int" if isinstance(self.points, int) else "decimal"


@attrs.frozen(eq=False, repr=False)
class Per(Expr):
    """``weight * value`` for a number such as a signal count; a missing value gives 0."""

    weight: Number
    value: Expr
    label: str | None = None

    def children(self) -> tuple[Expr, ...]:
        """The value."""
        return (self.value,)

    def value_kind(self) -> str:
        """``int`` when both are whole, else ``decimal``."""
        whole = isinstance(self.weight, int) and self.value.value_kind() == "int"
        return "int" if whole else "decimal"


@attrs.frozen(eq=False, repr=False)
class Score(Expr):
    """The sum of points, ``per`` items and nested scores, then ``floor``, then ``cap``."""

    items: tuple[Expr, ...]
    cap: Number | None = None
    floor: Number | None = None
    name: str | None = None

    def children(self) -> tuple[Expr, ...]:
        """The items."""
        return self.items

    def value_kind(self) -> str:
        """``int`` when every item and bound is whole, else ``decimal``."""
        whole = all(i.value_kind() == "int" for i in self.items) and all(
            isinstance(b, int | None) for b in (self.cap, self.floor)
        )
        return "int" if whole else "decimal"


@attrs.frozen(eq=False, repr=False)
class Grade(Expr):
    """The label of the first band whose threshold the score reaches (highest first)."""

    score: Expr
    bands: tuple[tuple[str, Number], ...]
    default: str

    def children(self) -> tuple[Expr, ...]:
        """The score."""
        return (self.score,)

    def value_kind(self) -> str:
        """Always ``str``."""
        return "str"


def points(n: int | Decimal | float | str, *, when: object, label: str | None = None) -> Points:
    """Give ``n`` points (may be negative) when ``when`` is TRUE.

    Args:
        n: The points.
        when: A condition; UNKNOWN gives no points but is reported by ``explain``.
        label: A name for traces.

    Returns:
        A Points node.

    Examples:
        >>> from funnelkit.rules import F
        >>> points(15, when=F.company.employees.between(50, 5000))
        points(15, when=F.company.employees.between(50, 5000))
    """
    node = lit(when) if not isinstance(when, bool) else None
    if node is None or not node.is_condition:
        raise RuleBuildError(f"points(when=...) needs a condition, got {when!r}")
    return Points(points=_points_value(n, what="points"), when=node, label=label)


def per(weight: int | Decimal | float | str, value: object, *, label: str | None = None) -> Per:
    """Give ``weight`` points per unit of a number (a count, a decayed sum).

    Examples:
        >>> from funnelkit.rules import signals
        >>> per(10, signals(kind="pricing_page_view").count(limit=3))
        per(10, signals(kind='pricing_page_view').count(limit=3))
    """
    node = lit(value)
    if node.is_condition or node.value_kind() not in ("int", "float", "decimal", "any"):
        raise RuleBuildError(f"per(...) needs a number, got {node!r}")
    return Per(weight=_points_value(weight, what="weight"), value=node, label=label)


def score(
    *items: object,
    cap: int | Decimal | float | str | None = None,
    floor: int | Decimal | float | str | None = None,
    name: str | None = None,
) -> Score:
    """Add points, ``per`` items and nested scores (groups with their own caps).

    Args:
        *items: The parts.
        cap: The highest total, applied after ``floor``.
        floor: The lowest total.
        name: A name for traces.

    Returns:
        A Score node.

    Raises:
        RuleBuildError: A part is not a number, or ``floor > cap``.
    """
    parts = []
    for item in items:
        node = lit(item)
        if node.is_condition:
            raise RuleBuildError(
                f"score parts are points, not conditions: wrap {node!r} in points()"
            )
        parts.append(node)
    hi = None if cap is None else _points_value(cap, what="cap")
    lo = None if floor is None else _points_value(floor, what="floor")
    if hi is not None and lo is not None and lo > hi:
        raise RuleBuildError(f"floor {lo} is above cap {hi}")
    return Score(items=tuple(parts), cap=hi, floor=lo, name=name)


def grade(
    score_value: object, bands: Mapping[str, int | Decimal | float], *, default: str
) -> Grade:
    """Map a score to a label: the first band (highest threshold first) it reaches.

    Args:
        score_value: The score (any number node).
        bands: Label to lowest score of the band, e.g. ``{"A": 80, "B": 60, "C": 40}``.
        default: The label below every band.

    Examples:
        >>> from funnelkit.rules import F
        >>> grade(F.company.employees, {"A": 1000, "B": 100}, default="C")
        grade(F.company.employees, {'A': 1000, 'B': 100}, default='C')
    """
    node = lit(score_value)
    if node.is_condition:
        raise RuleBuildError("grade needs a number, not a condition")
    ordered = sorted(
        ((label, _points_value(v, what=f"band {label!r}")) for label, v in bands.items()),
        key=lambda pair: pair[1],
        reverse=True,
    )
    return Grade(score=node, bands=tuple(ordered), default=default)
