"""The reference interpreter: the definition of what every rule means.

Missing values are ``None``. Conditions evaluate to a Truth; values to a value or
``None``. Every other engine (compiled, explaining, vectorised, SQL) must give exactly
this interpreter's results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import _named as nm
from funnelkit.rules import _nodes as nd
from funnelkit.rules import _scoring as sc
from funnelkit.rules._expr import Expr, Field, Literal
from funnelkit.rules._meta import Limits, check_limits
from funnelkit.rules._operations import (
    F_,
    NO_DEFAULT,
    RuleEvaluationError,
    T,
    U,
    arith,
    check_as_of,
    compare,
    days_from,
    func,
    per_points,
    read_path,
    signal_agg,
    table_outcome,
    to_points,
)
from funnelkit.rules._signals import SignalAgg
from funnelkit.rules._tables import DecisionTable
from funnelkit.rules._truth import Truth

__all__ = ["evaluate", "Interpreter", "RuleEvaluationError", "check_as_of"]


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
