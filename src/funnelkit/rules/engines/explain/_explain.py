"""Explanations: a trace of every node's outcome, and the unknown facts that matter.

The **unknown facts** of a node are the missing field paths that, once found out, could
change the node's outcome. They are decisive by construction: filling in all of them
determines the outcome, and filling in any fact not listed cannot change it. A node whose
outcome is settled (a FALSE inside an ``all_of`` that no missing fact could flip) lists
none. A ``ref`` to an output of a rule set lists that output's facts. Custom rules that
read the whole lead cannot say which facts they need; when they return UNKNOWN they list
none.

How it runs: a rule is turned once into an *explain plan* (``_explain_plan``), kept in a
small cache keyed by the rule object (``MAX_PLANS`` rules). Each call evaluates the plan
for one lead, which gives the outcome and the unknown facts at once and records every
node's value and facts in one flat list, the record. The Explanation keeps a ``Replay``:
the record until the facts of the root's children are read, then only those facts; the
``TraceNode`` tree is built when ``Explanation.trace`` is first read, from the record or
by evaluating the plan again (see ``_trace``).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules.engines.explain._base import AS_OF, NO_FACTS, SKIP
from funnelkit.rules.engines.explain._direction import ups
from funnelkit.rules.engines.explain._plan import Plan
from funnelkit.rules.engines.explain._reading import Directions
from funnelkit.rules.engines.explain._trace import (
    Explanation,
    TraceNode,
    TraceSource,
    lazy_explanation,
)
from funnelkit.rules.meaning import check_as_of
from funnelkit.rules.tree import DEFAULT_LIMITS, Expr, Limits, Truth, check_limits

__all__ = ["TraceNode", "Explanation", "explain", "plan_for"]

MAX_PLANS = 128
"""How many rules keep their explain plan (the oldest is dropped first)."""
# id(rule) -> (rule, plan); holding the rule keeps its id from being reused meanwhile
_PLANS: dict[int, tuple[Expr, Plan]] = {}
# the last ``as_of`` that passed check_as_of (datetimes are immutable: no need to recheck)
_checked: list[object] = [None]


def plan_for(rule: Expr, limits: Limits = DEFAULT_LIMITS) -> Plan:
    """The explain plan of ``rule``, built on first use and cached.

    Raises:
        RuleLimitError: The rule is deeper or larger than ``limits``.
    """
    entry = _PLANS.get(id(rule))
    if entry is not None and entry[0] is rule:
        plan = entry[1]
        if plan.count > limits.max_nodes or plan.depth > limits.max_depth:
            check_limits(rule, limits)  # raises the error check_limits gives
        return plan
    check_limits(rule, limits)  # before building: a huge tree is refused, not built
    plan = Plan(rule)
    if len(_PLANS) >= MAX_PLANS:
        # another thread may evict at the same time; losing that race is harmless
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(rule)] = (rule, plan)
    return plan


def explain(
    rule: Expr, lead: Lead, *, as_of: datetime, limits: Limits | None = None
) -> Explanation:
    """Evaluate a rule for one lead and say why.

    The outcome and the unknown facts are computed at once; the trace is built when
    ``Explanation.trace`` is first read (printing, ``to_dict`` and the HTML view read
    it), so asking only for the facts is several times faster than building the trace.
    A literal gets no trace line of its own under a node whose label shows it.

    Args:
        rule: Any rule node.
        lead: The lead.
        as_of: The instant "now" means (timezone-aware).
        limits: Depth and size bounds (defaults apply).

    Returns:
        An Explanation with the outcome (equal to ``evaluate``'s), the trace tree and the
        unknown facts that could change the outcome.

    Raises:
        TypeError: ``as_of`` is not a timezone-aware datetime.
        RuleLimitError: The rule is too deep or too large.
        RuleEvaluationError: The rule met values it cannot work with.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead
        >>> from funnelkit.rules import F
        >>> rule = (F.company.employees >= 50) & (F.company.country == "US")
        >>> why = explain(rule, Lead(company=Company(employees=120)), as_of=datetime.now(UTC))
        >>> why.outcome, why.unknown_facts
        (<Truth.UNKNOWN: 'unknown'>, ('company.country',))
        >>> print(why)
        all_of -> UNKNOWN   [find out: company.country]
          F.company.employees >= 50 -> TRUE
            F.company.employees -> 120
          F.company.country == 'US' -> UNKNOWN   [find out: company.country]
            F.company.country -> missing   [find out: company.country]
        find out: company.country
    """
    if as_of is not _checked[0]:
        _checked[0] = check_as_of(as_of)
    entry = _PLANS.get(id(rule))
    if entry is not None and entry[0] is rule and limits is None:
        plan = entry[1]  # the common case, inlined: a cached plan under the default limits
        if plan.count > DEFAULT_LIMITS.max_nodes or plan.depth > DEFAULT_LIMITS.max_depth:
            check_limits(rule, DEFAULT_LIMITS)
    else:
        plan = plan_for(rule, DEFAULT_LIMITS if limits is None else limits)
    rec = plan.template.copy()
    rec[AS_OF] = as_of
    outcome = plan.run(lead, rec)
    found = rec[plan.facts]
    facts = tuple(sorted(found)) if found else ()
    return lazy_explanation(outcome, facts, Replay(plan, lead, as_of, rec))


_SHARED: dict[frozenset[str], frozenset[str]] = {}
"""One copy of each set of facts that explanations keep (most leads repeat a few)."""
MAX_SHARED = 4096


def _shared(facts: frozenset[str]) -> frozenset[str]:
    """The one kept copy of ``facts``, without a direction (``_SHARED``, bounded)."""
    if not facts:
        return NO_FACTS
    kept = _SHARED.get(facts)
    if kept is None:
        kept = frozenset(facts)
        if len(_SHARED) < MAX_SHARED:
            _SHARED[kept] = kept
    return kept


class Replay(TraceSource):
    """What a lazy Explanation keeps to build its trace: the record, then enough to redo it.

    The record of one evaluation holds a value and the facts of every node (about as
    much memory as the lead itself, several times a Qualification without it). It is
    kept until the facts of the root's children are first read (``qualify`` reads them
    at once): then the directions are read off it (``Directions``) and only shared
    copies of each child's facts, and of those that could make each TRUE, are kept with
    the plan, the lead and ``as_of``. The trace is built on the first read of ``trace``,
    from the record or by evaluating the plan again, which gives the same record: plans
    are pure, and leads immutable.
    """

    __slots__ = ("as_of", "kids", "lead", "lifts", "plan", "record", "tree")

    def __init__(self, plan: Plan, lead: Lead, as_of: datetime, record: list[Any]) -> None:
        self.plan, self.lead, self.as_of = plan, lead, as_of
        self.record: list[Any] | None = record
        self.kids: tuple[frozenset[str], ...] = ()
        self.lifts: tuple[frozenset[str], ...] = ()
        self.tree: TraceNode | None = None

    def _record(self) -> list[Any]:
        rec = self.record
        if rec is None:
            rec = self.plan.template.copy()
            rec[AS_OF] = self.as_of
            self.plan.run(self.lead, rec)
        return rec

    def trace(self) -> TraceNode:
        """The trace tree, built once: from the record, or from a new evaluation."""
        tree = self.tree
        if tree is None:
            tree = self.tree = self.plan.trace(self._record())
        return tree

    def child_facts(self, *, toward: Truth | None = None) -> tuple[frozenset[str], ...]:
        """The unknown facts of the root's traced children, in order (``toward``: TRUE)."""
        rec = self.record
        if rec is not None:  # the first read: directions from the record, then drop it
            plan = self.plan
            kids = plan.child_facts(rec)
            walker = Directions(plan.nodes, plan.slots, plan.kids, rec, SKIP)
            listed = [j for j in plan.kids[0] if rec[plan.slots[j]] is not SKIP]
            self.lifts = tuple(_shared(ups(walker.of(j))) for j in listed)
            self.kids = tuple(map(_shared, kids))
            self.record = None
        return self.lifts if toward is Truth.TRUE else self.kids
