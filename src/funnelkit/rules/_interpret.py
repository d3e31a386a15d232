"""The reference interpreter: the definition of what every rule means.

Missing values are ``None``. Conditions evaluate to a Truth; values to a value or
``None``. Every other engine (compiled, explaining, vectorised, SQL) must give exactly
this interpreter's results.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from funnelkit.errors import FunnelkitError
from funnelkit.model import FrozenDict, Lead, Money, Signal
from funnelkit.rules import _named as nm
from funnelkit.rules import _nodes as nd
from funnelkit.rules import _scoring as sc
from funnelkit.rules._expr import Expr, Field, Literal
from funnelkit.rules._meta import Limits, check_limits
from funnelkit.rules._signals import SignalAgg, gap_filter
from funnelkit.rules._tables import DecisionTable
from funnelkit.rules._truth import Truth

__all__ = ["evaluate", "Interpreter", "RuleEvaluationError", "check_as_of"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
QUANTUM = Decimal(1).scaleb(-sc.SCORE_PLACES)
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class RuleEvaluationError(FunnelkitError, TypeError):
    """A rule met values it cannot work with (e.g. a custom attribute of the wrong type)."""


def check_as_of(as_of: object) -> datetime:
    """Return ``as_of`` if it is a timezone-aware datetime, else raise TypeError."""
    if not isinstance(as_of, datetime) or as_of.tzinfo is None or as_of.utcoffset() is None:
        raise TypeError(f"as_of must be a timezone-aware datetime, got {as_of!r}")
    return as_of


def read_path(lead: Lead, parts: tuple[str, ...]) -> object:
    """Read a field path from a lead: ``None`` for missing, ``UNKNOWN`` enum members too."""
    value: object = lead
    for part in parts:
        if value is None:
            return None
        value = value.get(part) if isinstance(value, FrozenDict) else getattr(value, part)
    if isinstance(value, Enum) and value.name == "UNKNOWN":
        return None
    return value


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
        if isinstance(exponent, int) and exponent < -sc.SCORE_PLACES:
            return product.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
    return product


def _matching(node: SignalAgg, lead: Lead, as_of: datetime) -> Iterator[Signal]:
    """The lead's signals of the node's kinds, explicitness and window, up to ``as_of``."""
    window = None if node.within_days is None else timedelta(days=node.within_days)
    kinds, explicit = node.kinds, node.explicit
    for s in lead.signals:
        if (kinds and s.kind not in kinds) or (explicit is not None and s.explicit is not explicit):
            continue
        age = as_of - s.occurred_at
        if age < timedelta(0) or (window is not None and age > window):
            continue
        yield s


def signal_agg(node: SignalAgg, lead: Lead, as_of: datetime) -> object:
    """Aggregate the lead's signals as ``node`` says (signals after ``as_of`` are ignored).

    With ``min_gap_days``, the signals that pass the kind, ``explicit`` and window filters
    are taken newest first, and each counts only if it happened at least that many days
    before the last one that counted (``_signals.gap_filter``).
    """
    matched: Iterable[Signal] = _matching(node, lead, as_of)
    if node.min_gap_days is not None:
        matched = gap_filter(matched, node.min_gap_days)
    count, latest, total = 0, None, 0.0
    for s in matched:
        count += 1
        if node.agg == "latest":
            latest = s.occurred_at if latest is None or s.occurred_at > latest else latest
        elif node.agg == "sum":
            total += s.value or 0.0
        elif node.agg == "decayed":
            age = as_of - s.occurred_at
            total += 0.5 ** (age.total_seconds() / 86400.0 / node.half_life_days)  # type: ignore[operator]
    if node.agg == "count":
        return count if node.limit is None else min(count, node.limit)
    if node.agg == "latest":
        return latest
    return total


class _NoDefault:
    """The marker ``table_outcome`` returns when the table's default decides."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()


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


class Interpreter:
    """Evaluates nodes against one lead at one instant; subclasses record traces."""

    def __init__(self, lead: Lead, as_of: datetime) -> None:
        self.lead = lead
        self.as_of = as_of
        self.env: dict[str, object] = {}
        self._dispatch: dict[type, Callable[[Any], object]] = {
            Field: self._field,
            Literal: lambda n: n.value,
            nd.Const: lambda n: U if n.value is None else T if n.value else F_,
            nd.Compare: self._compare,
            nd.IsIn: self._isin,
            nd.Between: self._between,
            nd.Contains: self._contains,
            nd.Overlaps: self._overlaps,
            nd.TextTest: self._text,
            nd.Matches: self._matches,
            nd.IsMissing: lambda n: T if self.eval(n.operand) is None else F_,
            nd.Not: lambda n: ~self.eval(n.operand),
            nd.All: self._all,
            nd.Any: self._any,
            nd.AtLeast: self._at_least,
            nd.Arith: self._arith,
            nd.Func: self._func,
            nd.Size: self._size,
            nd.DaysFrom: self._days,
            SignalAgg: lambda n: signal_agg(n, self.lead, self.as_of),
            sc.Points: self._points,
            sc.Per: self._per,
            sc.Score: self._score,
            sc.Grade: self._grade,
            DecisionTable: self._table,
            nm.Named: lambda n: self.eval(n.expr),
            nm.Ref: lambda n: self.env[n.name],
            nm.RuleSet: self._rule_set,
            nm.Custom: self._custom,
        }

    def eval(self, node: Expr) -> Any:
        """Evaluate one node."""
        return self._dispatch[type(node)](node)

    def _field(self, node: Field) -> object:
        return read_path(self.lead, node.parts)

    def _compare(self, node: nd.Compare) -> Truth:
        left, right = self.eval(node.left), self.eval(node.right)
        if left is None or right is None:
            return U
        return compare(node.op, left, right)

    def _isin(self, node: nd.IsIn) -> Truth:
        value = self.eval(node.operand)
        if value is None:
            return U
        return T if value in node.values else F_

    def _between(self, node: nd.Between) -> Truth:
        value, low, high = self.eval(node.operand), self.eval(node.low), self.eval(node.high)
        if value is None or low is None or high is None:
            return U
        result: Truth = compare(">=", value, low) & compare("<=", value, high)
        return result

    def _contains(self, node: nd.Contains) -> Truth:
        value = self.eval(node.operand)
        if value is None:
            return U
        return T if node.item in value else F_

    def _overlaps(self, node: nd.Overlaps) -> Truth:
        value = self.eval(node.operand)
        if value is None:
            return U
        return F_ if node.items.isdisjoint(value) else T

    def _text(self, node: nd.TextTest) -> Truth:
        value = self.eval(node.operand)
        if value is None:
            return U
        if not isinstance(value, str):
            raise RuleEvaluationError(f"{node.op} needs text, got {value!r}")
        if node.op == "icontains":
            return T if node.arg.casefold() in value.casefold() else F_
        return T if getattr(value, node.op)(node.arg) else F_

    def _matches(self, node: nd.Matches) -> Truth:
        value = self.eval(node.operand)
        if value is None:
            return U
        if not isinstance(value, str):
            raise RuleEvaluationError(f"matches needs text, got {value!r}")
        return T if re.search(node.pattern, value) else F_

    def _all(self, node: nd.All) -> Truth:
        result = T
        for item in node.items:
            outcome = self.eval(item)
            if outcome is F_:
                return Truth.FALSE
            if outcome is U:
                result = U
        return result

    def _any(self, node: nd.Any) -> Truth:
        result = F_
        for item in node.items:
            outcome = self.eval(item)
            if outcome is T:
                return Truth.TRUE
            if outcome is U:
                result = U
        return result

    def _at_least(self, node: nd.AtLeast) -> Truth:
        true = unknown = 0
        for item in node.items:
            outcome = self.eval(item)
            if outcome is T:
                true += 1
            elif outcome is U:
                unknown += 1
        if true >= node.n:
            return T
        return F_ if true + unknown < node.n else U

    def _arith(self, node: nd.Arith) -> object:
        left, right = self.eval(node.left), self.eval(node.right)
        if left is None or right is None:
            return None
        return arith(node.op, left, right)

    def _func(self, node: nd.Func) -> object:
        args = [self.eval(a) for a in node.args]
        return None if any(a is None for a in args) else func(node.name, args)

    def _size(self, node: nd.Size) -> int:
        value = self.eval(node.operand)
        return 0 if value is None else len(value)

    def _days(self, node: nd.DaysFrom) -> object:
        value = self.eval(node.operand)
        return None if value is None else days_from(value, node.direction, self.as_of)

    def _points(self, node: sc.Points) -> int | Decimal:
        return node.points if self.eval(node.when) is T else 0

    def _per(self, node: sc.Per) -> int | Decimal:
        value = self.eval(node.value)
        if value is None:
            return 0
        return per_points(value, node.weight)

    def _score(self, node: sc.Score) -> int | Decimal:
        total: int | Decimal = 0
        for item in node.items:
            value = self.eval(item)
            if value is not None:
                total += to_points(value)
        if node.floor is not None and total < node.floor:
            total = node.floor
        if node.cap is not None and total > node.cap:
            total = node.cap
        return total

    def _grade(self, node: sc.Grade) -> object:
        value = self.eval(node.score)
        if value is None:
            return None
        for label, threshold in node.bands:
            if value >= threshold:
                return label
        return node.default

    def _table(self, node: DecisionTable) -> object:
        hits: list[object] = []
        for when, then in node.rows:
            if self.eval(when) is T:
                hits.append(self.eval(then))
                if node.hit_policy == "first":
                    break
        out = table_outcome(node.hit_policy, hits)
        if out is NO_DEFAULT:
            return None if node.default is None else self.eval(node.default)
        return out

    def _rule_set(self, node: nm.RuleSet) -> dict[str, object]:
        for name, expr in node.outputs:
            self.env[name] = self.eval(expr)
        return dict(self.env)

    def _custom(self, node: nm.Custom) -> object:
        if node.inputs:
            kwargs = {key: self.eval(expr) for key, expr in node.inputs}
            if any(v is None for v in kwargs.values()):
                return U if node.returns == "bool" else None
            result = node.func(**kwargs)
        else:
            result = node.func(self.lead)
        if node.returns != "bool":
            return result
        if isinstance(result, Truth):
            return result
        if result is None:
            return U
        if not isinstance(result, bool):
            raise RuleEvaluationError(
                f"custom rule {node.name!r} returned {result!r}, not bool | None"
            )
        return T if result else F_


def evaluate(rule: Expr, lead: Lead, *, as_of: datetime, limits: Limits | None = None) -> Any:
    """Evaluate a rule for one lead with the reference interpreter.

    Args:
        rule: Any rule node (a condition, a value, a score, a rule set).
        lead: The lead.
        as_of: The instant "now" means (timezone-aware); nothing reads a clock.
        limits: Depth and size bounds (defaults apply).

    Returns:
        A Truth for a condition; a value or ``None`` (missing) for a value; a dict of
        outputs for a rule set.

    Raises:
        TypeError: ``as_of`` is not a timezone-aware datetime.
        RuleLimitError: The rule is too deep or too large.
        RuleEvaluationError: The rule met values it cannot work with.

    Example:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead
        >>> from funnelkit.rules import F
        >>> rule = (F.company.employees >= 50) & (F.company.country == "US")
        >>> evaluate(rule, Lead(company=Company(employees=120)), as_of=datetime.now(UTC))
        <Truth.UNKNOWN: 'unknown'>
    """
    check_as_of(as_of)
    check_limits(rule, limits or Limits())
    return Interpreter(lead, as_of).eval(rule)
