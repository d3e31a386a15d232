"""The reference interpreter: the judge of every other engine.

Missing values are ``None``. Conditions evaluate to a Truth; values to a value or
``None``. What each node means is declared in ``funnelkit.rules.meaning``; this walker
applies it in the plainest way, and every other engine (compiled, explaining,
vectorised, SQL) must give exactly its results.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import tree as tr
from funnelkit.rules.meaning import (
    NO_DEFAULT,
    STRICT,
    at_least_truth,
    bounded,
    check_as_of,
    custom_truth,
    points_when,
    read_path,
    signal_agg,
    table_outcome,
    to_points,
)
from funnelkit.rules.tree import (
    DecisionTable,
    Expr,
    Field,
    Limits,
    Literal,
    SignalAgg,
    Truth,
    check_limits,
)

__all__ = ["evaluate", "Interpreter"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


class Interpreter:
    """Evaluates nodes against one lead at one instant: a walker over the declared meaning.

    Strict nodes (``funnelkit.rules.meaning.STRICT``) all go through ``_strict``: their
    operands, then ``on_missing`` or the node's one operation. The other forms call the
    operations ``_declare`` names for them.
    """

    def __init__(self, lead: Lead, as_of: datetime) -> None:
        self.lead = lead
        self.as_of = as_of
        self.env: dict[str, object] = {}
        self._prepared: dict[int, tuple[Expr, Callable[..., object]]] = {}
        self._dispatch: dict[type, Callable[[Any], object]] = {
            **dict.fromkeys(STRICT, self._strict),
            Field: lambda n: read_path(self.lead, n.parts),
            Literal: lambda n: n.value,
            tr.Const: lambda n: U if n.value is None else T if n.value else F_,
            tr.Not: lambda n: ~self.eval(n.operand),
            tr.All: self._all,
            tr.Any: self._any,
            tr.AtLeast: self._at_least,
            SignalAgg: lambda n: signal_agg(n, self.lead, self.as_of),
            tr.Points: lambda n: points_when(self.eval(n.when), n.points),
            tr.Score: self._score,
            DecisionTable: self._table,
            tr.Named: lambda n: self.eval(n.expr),
            tr.Ref: lambda n: self.env[n.name],
            tr.RuleSet: self._rule_set,
            tr.Custom: self._custom,
        }

    def eval(self, node: Expr) -> Any:
        """Evaluate one node."""
        return self._dispatch[type(node)](node)

    def _strict(self, node: Expr) -> object:
        meaning = STRICT[type(node)]
        values = [self.eval(child) for child in node.children()]
        if any(value is None for value in values):
            return meaning.on_missing
        entry = self._prepared.get(id(node))
        if entry is None or entry[0] is not node:
            entry = self._prepared[id(node)] = (node, meaning.operation(node))
        if meaning.timed:
            return entry[1](self.as_of, *values)
        return entry[1](*values)

    def _all(self, node: tr.All) -> Truth:
        result = T
        for item in node.items:
            outcome = self.eval(item)
            if outcome is F_:
                return Truth.FALSE
            if outcome is U:
                result = U
        return result

    def _any(self, node: tr.Any) -> Truth:
        result = F_
        for item in node.items:
            outcome = self.eval(item)
            if outcome is T:
                return Truth.TRUE
            if outcome is U:
                result = U
        return result

    def _at_least(self, node: tr.AtLeast) -> Truth:
        outcomes = [self.eval(item) for item in node.items]
        return at_least_truth(node.n, outcomes.count(T), outcomes.count(U))

    def _score(self, node: tr.Score) -> int | Decimal:
        total: int | Decimal = 0
        for item in node.items:
            value = self.eval(item)
            if value is not None:
                total += to_points(value)
        result: int | Decimal = bounded(total, node.floor, node.cap)
        return result

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

    def _rule_set(self, node: tr.RuleSet) -> dict[str, object]:
        for name, expr in node.outputs:
            self.env[name] = self.eval(expr)
        return dict(self.env)

    def _custom(self, node: tr.Custom) -> object:
        if node.inputs:
            kwargs = {key: self.eval(expr) for key, expr in node.inputs}
            if any(v is None for v in kwargs.values()):
                return U if node.returns == "bool" else None
            result = node.func(**kwargs)
        else:
            result = node.func(self.lead)
        return custom_truth(node.name, result) if node.returns == "bool" else result


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

    Examples:
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
