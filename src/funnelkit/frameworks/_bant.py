"""BANT and the sales-opportunity checklist: the frameworks the starter funnel uses."""

from __future__ import annotations

from funnelkit.frameworks._framework import Criterion, Framework
from funnelkit.frameworks._parts import (
    DECIDERS,
    authority_rule,
    budget_rule,
    catalyst_rule,
    check_days,
    need_rule,
    timeline_rule,
)
from funnelkit.rules import F, signals

__all__ = ["bant", "BANT_FRAMEWORK", "opportunity_checklist", "OPPORTUNITY"]


def bant(*, timeline_days: int = 90) -> Framework:
    """BANT (budget, authority, need, timeline) with a configurable timeline horizon.

    Args:
        timeline_days: A decision at most this many days after ``as_of`` meets the
            timeline (an agreed date, or a stated horizon when no date is agreed).

    Returns:
        The framework; [`BANT_FRAMEWORK`][funnelkit.frameworks.BANT_FRAMEWORK] is ``bant()``.

    Raises:
        RuleBuildError: ``timeline_days`` is not a whole number of days >= 0.
    """
    check_days("bant", "timeline_days", timeline_days)
    return Framework(
        key="bant",
        name="BANT",
        description="Budget, authority, need and timeline: the classic sales-readiness test.",
        criteria=(
            Criterion(
                key="budget",
                label="Budget",
                rule=budget_rule(),
                description="A budget is identified or approved.",
                evidence="bant.budget.evidence",
            ),
            Criterion(
                key="authority",
                label="Authority",
                rule=authority_rule(),
                description="The contact decides, or is the economic buyer.",
                evidence="bant.authority.evidence",
            ),
            Criterion(
                key="need",
                label="Need",
                rule=need_rule(),
                description="At least one pain point the product addresses is recorded "
                "(unmet when a current assessment found none).",
                evidence="bant.need.evidence",
            ),
            Criterion(
                key="timeline",
                label="Timeline",
                rule=timeline_rule(timeline_days),
                description=f"A decision is due within {timeline_days} days.",
                evidence="bant.timeline.evidence",
            ),
        ),
    )


BANT_FRAMEWORK = bant()
"""BANT with a 90-day timeline. (Not ``BANT``: that name is
[`funnelkit.model.BANT`][funnelkit.model.BANT], the record of BANT facts it judges.)"""


def opportunity_checklist(*, next_step_days: int = 30) -> Framework:
    """The sales-opportunity checklist: can a buy/no-buy date be forecast?

    Args:
        next_step_days: A next step agreed at most this many days before ``as_of`` shows
            the buyer is working on it.

    Returns:
        The framework; [`OPPORTUNITY`][funnelkit.frameworks.OPPORTUNITY] is
        ``opportunity_checklist()``.

    Raises:
        RuleBuildError: ``next_step_days`` is not a whole number of days >= 0.
    """
    check_days("opportunity_checklist", "next_step_days", next_step_days)
    return Framework(
        key="opportunity",
        name="Opportunity checklist",
        description="Has the buying process gone far enough to forecast a decision date?",
        criteria=(
            Criterion(
                key="timeline_agreed",
                label="Purchase timeline agreed",
                rule=F.bant.timeline.decision_date.days_until() >= 0,
                description="A decision date in the future is agreed with the buyer.",
                evidence="bant.timeline.evidence",
            ),
            Criterion(
                key="decision_maker",
                label="Decision maker involved",
                rule=(F.bant.authority.level == "decision_maker")
                | F.bant.authority.decided_by.is_present()
                | F.contact.buying_roles.overlaps(DECIDERS),
                description="The decision maker is involved, or at least known and aware.",
                evidence="bant.authority.evidence",
            ),
            Criterion(
                key="budget",
                label="Budget available",
                rule=budget_rule(),
                description="A budget is identified or approved.",
                evidence="bant.budget.evidence",
            ),
            Criterion(
                key="next_steps",
                label="Buyer working on next steps",
                rule=signals(kind="next_step_agreed", within=next_step_days).exists(),
                description=f"A next step was agreed in the last {next_step_days} days.",
            ),
            Criterion(
                key="catalysing_event",
                label="Catalysing event",
                rule=catalyst_rule(),
                description="An event makes the purchase urgent (a renewal, an audit, ...); "
                "unmet when a current timeline assessment found none.",
                evidence="bant.timeline.evidence",
            ),
        ),
    )


OPPORTUNITY = opportunity_checklist()
"""The sales-opportunity checklist with a 30-day next-step window."""
