"""GPCT and GPCTBA/C&I: qualify around the buyer's goals and plans.

Goals, plans and the consequences of acting or not are conversations, not fields of the
model, so those criteria read ``Lead.custom`` (see
[`custom_fact`][funnelkit.frameworks.custom_fact]).
"""

from __future__ import annotations

from funnelkit.frameworks._framework import Criterion, Framework
from funnelkit.frameworks._parts import (
    authority_rule,
    budget_rule,
    check_days,
    criterion,
    custom_fact,
    need_rule,
    timeline_rule,
)

__all__ = ["gpct", "GPCT", "gpctba_ci", "GPCTBA_CI"]


def _gpct(days: int) -> tuple[Criterion, ...]:
    return (
        criterion(
            "goals",
            "Goals",
            custom_fact("goals"),
            "The buyer's business goals are known (custom.goals, e.g. 'double pipeline "
            "in the EU').",
        ),
        criterion(
            "plans",
            "Plans",
            custom_fact("plans"),
            "How the buyer means to reach those goals is known (custom.plans).",
        ),
        criterion(
            "challenges",
            "Challenges",
            need_rule(),
            "What stands in the way is known: a pain point is recorded "
            "(bant.need.pain_points); unmet when a current assessment found none.",
            "bant.need.evidence",
        ),
        criterion(
            "timeline",
            "Timeline",
            timeline_rule(days),
            f"A decision is due within {days} days (bant.timeline.decision_date, else "
            "bant.timeline.horizon_days).",
            "bant.timeline.evidence",
        ),
    )


def gpct(*, timeline_days: int = 90) -> Framework:
    """GPCT: goals, plans, challenges, timeline.

    Args:
        timeline_days: A decision at most this many days after ``as_of`` meets the
            timeline.

    Returns:
        The framework; [`GPCT`][funnelkit.frameworks.GPCT] is ``gpct()``.

    Raises:
        RuleBuildError: ``timeline_days`` is not a whole number of days >= 0.

    Examples:
        >>> GPCT.keys
        ('goals', 'plans', 'challenges', 'timeline')
    """
    check_days("gpct", "timeline_days", timeline_days)
    return Framework(
        key="gpct",
        name="GPCT",
        description="Goals, plans, challenges and timeline: start from what the buyer wants "
        "to achieve.",
        criteria=_gpct(timeline_days),
    )


GPCT = gpct()
"""GPCT with a 90-day timeline."""


def gpctba_ci(*, timeline_days: int = 90) -> Framework:
    """GPCTBA/C&I: GPCT plus budget, authority, negative consequences, positive implications.

    Args:
        timeline_days: As for [`gpct`][funnelkit.frameworks.gpct].

    Returns:
        The framework; [`GPCTBA_CI`][funnelkit.frameworks.GPCTBA_CI] is ``gpctba_ci()``.

    Raises:
        RuleBuildError: ``timeline_days`` is not a whole number of days >= 0.

    Examples:
        >>> GPCTBA_CI.keys  # doctest: +NORMALIZE_WHITESPACE
        ('goals', 'plans', 'challenges', 'timeline', 'budget', 'authority',
         'negative_consequences', 'positive_implications')
    """
    check_days("gpctba_ci", "timeline_days", timeline_days)
    return Framework(
        key="gpctba_ci",
        name="GPCTBA/C&I",
        description="GPCT, plus budget and authority, plus what happens if the buyer acts "
        "(positive implications) or does not (negative consequences).",
        criteria=(
            *_gpct(timeline_days),
            criterion(
                "budget",
                "Budget",
                budget_rule(),
                "A budget is identified or approved (bant.budget.status).",
                "bant.budget.evidence",
            ),
            criterion(
                "authority",
                "Authority",
                authority_rule(),
                "The contact decides: authority level decision maker, or the "
                "decision_maker or economic_buyer buying role.",
                "bant.authority.evidence",
            ),
            criterion(
                "negative_consequences",
                "Negative consequences",
                custom_fact("negative_consequences"),
                "What it costs the buyer to do nothing is known (custom.negative_consequences).",
            ),
            criterion(
                "positive_implications",
                "Positive implications",
                custom_fact("positive_implications"),
                "What the buyer gains by reaching the goals is known "
                "(custom.positive_implications).",
            ),
        ),
    )


GPCTBA_CI = gpctba_ci()
"""GPCTBA/C&I with a 90-day timeline."""
