"""The operations every engine shares: reading paths, comparing, points, signals, tables.

The reference interpreter (``_interpret``) defines what rules mean in terms of these
functions, and the generated code (``_codegen_runtime``) and the explain plans call the
very same functions, so that the engines cannot drift apart on a comparison, a rounding,
a signal window or a decision table's hit policy.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, ClassVar

import attrs

from funnelkit.errors import FunnelkitError, InvalidArgumentError
from funnelkit.model import FrozenDict, Lead, Money, is_unknown_member
from funnelkit.rules import tree as tr
from funnelkit.rules.tree import Truth

__all__ = [
    "DEFAULT_CURRENCY",
    "QUANTUM",
    "COMPARE",
    "RuleEvaluationError",
    "UnsupportedRuleError",
    "check_as_of",
    "read_path",
    "compare",
    "to_points",
    "per_points",
    "NO_DEFAULT",
    "table_outcome",
    "days_from",
    "arith",
    "func",
    "text_test",
    "matches_text",
    "grade_of",
    "points_when",
    "bounded",
    "at_least_truth",
    "custom_truth",
]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
DEFAULT_CURRENCY: str = str(attrs.fields(Money).currency.default)
"""The currency of an amount given without one (``Money``'s default): ``USD``.

A table whose ``<path>.currency`` cell is empty, or which has no such column, holds the
amount in this currency, as a record loaded without one does.
"""
QUANTUM: Decimal = Decimal(1).scaleb(-tr.SCORE_PLACES)
"""The step scores are rounded to (half-even, once per item): ``0.0001``."""
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
"""The one operation of each comparison operator on two present values."""


class RuleEvaluationError(FunnelkitError, TypeError):
    """A rule met values it cannot work with (e.g. a custom attribute of the wrong type)."""

    code: ClassVar[str] = "rule-evaluation"


class UnsupportedRuleError(FunnelkitError, ValueError):
    """A columnar engine (polars, SQL) cannot run this rule; the row engines can.

    Raised when the query is built, never while rows are read. ``node`` is the rule
    node the engine cannot lower (a custom Python rule, a minimum gap between signals,
    ...), and the message says why and what to do instead.
    """

    code: ClassVar[str] = "unsupported-rule"

    def __init__(self, message: str, *, node: object = None) -> None:
        super().__init__(message)
        self.node = node


def check_as_of(as_of: object) -> datetime:
    """Return ``as_of`` if it is a timezone-aware datetime, else raise InvalidArgumentError."""
    if not isinstance(as_of, datetime) or as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidArgumentError(
            f"as_of must be a timezone-aware datetime, got {as_of!r}", argument="as_of", value=as_of
        )
    return as_of


def read_path(lead: Lead, parts: tuple[str, ...]) -> object:
    """Read a field path from a lead: ``None`` for missing, ``UNKNOWN`` enum members too.

    An enum member that means "not known" reads as missing
    ([`is_unknown_member`][funnelkit.model.is_unknown_member], the one statement of
    that rule).
    """
    value: object = lead
    for part in parts:
        if value is None:
            return None
        value = value.get(part) if isinstance(value, FrozenDict) else getattr(value, part)
    return None if is_unknown_member(value) else value


def compare(op: str, left: object, right: object) -> Truth:
    """Compare two present values (Money only within one currency)."""
    if isinstance(left, Money) or isinstance(right, Money):
        if not (isinstance(left, Money) and isinstance(right, Money)):
            raise RuleEvaluationError(f"cannot compare {left!r} with {right!r}")
        if left.currency != right.currency:
            return U
        left, right = left.amount, right.amount
    try:
        return T if COMPARE[op](left, right) else F_
    except TypeError:
        raise RuleEvaluationError(
            f"cannot compare {left!r} ({type(left).__name__}) {op} {right!r} "
            f"({type(right).__name__})"
        ) from None


def to_points(value: object) -> int | Decimal:
    """Normalise a contribution: ints stay ints, floats become rounded Decimals."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite():  # fixed: inf / nan points failed later in decimal code
            raise RuleEvaluationError(f"points need a finite number, got {value!r}")
        try:
            return exact.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # fixed: floats from 1e24 up (no fraction to round) raised
            return exact
    if isinstance(value, Decimal):
        return value
    raise RuleEvaluationError(f"points need a number, got {value!r}")


def per_points(value: object, weight: int | Decimal) -> int | Decimal:
    """``weight * value`` with at most ``SCORE_PLACES`` decimal places (half to even).

    A float value (a decayed sum) is multiplied exactly and the product rounded once, as
    ``_scoring`` documents: ``10 * 0.850667...`` is ``8.5067``, not ``10 * 0.8507``.
    """
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite():
            raise RuleEvaluationError(f"points need a finite number, got {value!r}")
        try:
            return (exact * weight).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # too large to hold four places: no fraction to round
            return exact * weight
    # fixed: round the product as _scoring documents, not only the value (0.5 * 3.3333)
    product = to_points(value) * weight
    if isinstance(product, Decimal):
        exponent = product.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -tr.SCORE_PLACES:
            return product.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
    return product


class _NoDefault:
    """The marker ``table_outcome`` returns when the table's default decides."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: object = _NoDefault()
"""The marker ``table_outcome`` returns when no row decides and the default does."""


def table_outcome(policy: str, hits: list[object]) -> object:
    """A decision table's result from the outputs of its TRUE rows, in row order.

    Returns ``NO_DEFAULT`` where the table's default decides (no hit for ``first``, no
    present output for ``unique`` and the ``collect_*`` policies); the interpreter, the
    explain plans and generated code each supply the default their own way.
    """
    if policy == "first":
        return hits[0] if hits else NO_DEFAULT
    if policy == "unique" and len(hits) > 1:
        raise RuleEvaluationError(f"{len(hits)} rows match a 'unique' decision table")
    if policy == "collect":
        return tuple(hits)
    present = [h for h in hits if h is not None]
    if present:
        if policy == "collect_sum":
            return sum(to_points(h) for h in present)
        if policy == "collect_max":
            return max(present)  # type: ignore[type-var]
        return present[0]
    return NO_DEFAULT


def days_from(value: object, direction: str, as_of: datetime) -> int:
    """Whole days from ``value`` to ``as_of`` (``age``) or from ``as_of`` to it (``until``)."""
    if isinstance(value, datetime):
        delta = as_of - value
    elif isinstance(value, date):
        delta = as_of.date() - value
    else:
        raise RuleEvaluationError(f"day counts need a date, got {value!r}")
    return delta.days if direction == "age" else -delta.days


def arith(op: str, left: Any, right: Any) -> object:
    """Arithmetic on present numbers; division by zero is missing."""
    if isinstance(left, Decimal) != isinstance(right, Decimal):
        left, right = _as_decimal(left), _as_decimal(right)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return None
    return left / right


def _as_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)  # type: ignore[arg-type]


def func(name: str, args: list[Any]) -> object:
    """``min``, ``max`` or ``clip`` of present numbers."""
    if name == "min":
        return min(args)
    if name == "max":
        return max(args)
    value, low, high = args
    return max(low, min(high, value))


def text_test(op: str, arg: str, value: object) -> Truth:
    """``startswith``, ``endswith`` or ``icontains`` (case-folded) on a present text."""
    if not isinstance(value, str):
        raise RuleEvaluationError(f"{op} needs text, got {value!r}")
    if op == "icontains":
        return T if arg.casefold() in value.casefold() else F_
    return T if getattr(value, op)(arg) else F_


def matches_text(pattern: re.Pattern[str], value: object) -> Truth:
    """Whether a compiled pattern matches somewhere in a present text (``re.search``)."""
    if not isinstance(value, str):
        raise RuleEvaluationError(f"matches needs text, got {value!r}")
    return T if pattern.search(value) else F_


def grade_of(bands: tuple[tuple[str, Any], ...], default: str, value: Any) -> str:
    """The label of the first band whose threshold a present score reaches, else ``default``."""
    for label, threshold in bands:
        if value >= threshold:
            return label
    return default


def points_when(truth: Truth, points: int | Decimal) -> int | Decimal:
    """``points`` when the condition is TRUE; FALSE and UNKNOWN give 0."""
    return points if truth is T else 0


def bounded(total: Any, floor: Any, cap: Any) -> Any:
    """A score's sum after its ``floor``, then its ``cap`` (either may be None)."""
    if floor is not None and total < floor:
        total = floor
    if cap is not None and total > cap:
        total = cap
    return total


def at_least_truth(n: int, true: int, unknown: int) -> Truth:
    """``at_least(n, ...)`` from how many items are TRUE and how many UNKNOWN."""
    if true >= n:
        return T
    return F_ if true + unknown < n else U


def custom_truth(name: str, result: object) -> Truth:
    """The Truth of a custom condition's result: a Truth, a bool, or None for UNKNOWN."""
    if isinstance(result, Truth):
        return result
    if result is None:
        return U
    if not isinstance(result, bool):
        raise RuleEvaluationError(f"custom rule {name!r} returned {result!r}, not bool | None")
    return T if result else F_
