"""BANT's close relatives: ANUM, CHAMP and FAINT.

They ask BANT's questions in another order or with another emphasis, so they read the
same fields of the model: ``bant.budget``, ``bant.authority``, ``bant.need``,
``bant.timeline``, the contact's buying roles and the lead's signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from funnelkit.frameworks._framework import Framework
from funnelkit.frameworks._parts import (
    HAND_RAISES,
    authority_rule,
    budget_rule,
    check_days,
    criterion,
    need_rule,
    timeline_rule,
    urgency_rule,
)
from funnelkit.rules import RuleBuildError, signals

__all__ = ["anum", "ANUM", "champ", "CHAMP", "faint", "FAINT"]

_AUTHORITY = "The contact decides: authority level decision maker, or the decision_maker or "
_AUTHORITY += "economic_buyer buying role."
_BUDGET = "bant.budget.evidence"
_WHO = "bant.authority.evidence"
_PAIN = "bant.need.evidence"
_WHEN = "bant.timeline.evidence"


def anum(*, urgency_days: int = 90) -> Framework:
    """ANUM: authority, need, urgency, money (authority first: find the decider early).

    Args:
        urgency_days: Without a catalysing event, a decision due at most this many days
            after ``as_of`` makes the purchase urgent.

    Returns:
        The framework; [`ANUM`][funnelkit.frameworks.ANUM] is ``anum()``.

    Raises:
        RuleBuildError: ``urgency_days`` is not a whole number of days >= 0.

    Examples:
        >>> ANUM.keys
        ('authority', 'need', 'urgency', 'money')
    """
    check_days("anum", "urgency_days", urgency_days)
    return Framework(
        key="anum",
        name="ANUM",
        description="Authority, need, urgency and money: BANT reordered to start with "
        "the person who decides.",
        criteria=(
            criterion("authority", "Authority", authority_rule(), _AUTHORITY, _WHO),
            criterion(
                "need",
                "Need",
                need_rule(),
                "At least one pain point is recorded (bant.need.pain_points); unmet when "
                "a current assessment found none.",
                _PAIN,
            ),
            criterion(
                "urgency",
                "Urgency",
                urgency_rule(urgency_days),
                "A catalysing event drives the purchase (bant.timeline.catalysing_event or "
                f"a catalysing_event signal), or a decision is due within {urgency_days} days.",
                _WHEN,
            ),
            criterion(
                "money",
                "Money",
                budget_rule(),
                "A budget is identified or approved (bant.budget.status).",
                _BUDGET,
            ),
        ),
    )


ANUM = anum()
"""ANUM with a 90-day urgency window."""


def champ(*, priority_days: int = 90) -> Framework:
    """CHAMP: challenges, authority, money, prioritisation (the buyer's problems first).

    Args:
        priority_days: Without a catalysing event, a decision due at most this many days
            after ``as_of`` shows the purchase is a priority.

    Returns:
        The framework; [`CHAMP`][funnelkit.frameworks.CHAMP] is ``champ()``.

    Raises:
        RuleBuildError: ``priority_days`` is not a whole number of days >= 0.

    Examples:
        >>> CHAMP.keys
        ('challenges', 'authority', 'money', 'prioritisation')
    """
    check_days("champ", "priority_days", priority_days)
    return Framework(
        key="champ",
        name="CHAMP",
        description="Challenges, authority, money and prioritisation: qualify around the "
        "buyer's problems before their budget.",
        criteria=(
            criterion(
                "challenges",
                "Challenges",
                need_rule(),
                "The buyer has a challenge the product addresses: a pain point is recorded "
                "(bant.need.pain_points); unmet when a current assessment found none.",
                _PAIN,
            ),
            criterion("authority", "Authority", authority_rule(), _AUTHORITY, _WHO),
            criterion(
                "money",
                "Money",
                budget_rule(),
                "A budget is identified or approved (bant.budget.status).",
                _BUDGET,
            ),
            criterion(
                "prioritisation",
                "Prioritisation",
                urgency_rule(priority_days),
                "Solving it is a priority now: a catalysing event, or a decision due within "
                f"{priority_days} days.",
                _WHEN,
            ),
        ),
    )


CHAMP = champ()
"""CHAMP with a 90-day priority window."""


def faint(
    *,
    timing_days: int = 90,
    interest_days: int = 90,
    funding_days: int = 365,
    interest_kinds: Iterable[str] = HAND_RAISES,
) -> Framework:
    """FAINT: funds, authority, interest, need, timing (for buyers without a budget yet).

    *Funds* asks whether the organisation has money at all, not whether a budget is set
    aside: a planned budget or a recent funding round is enough.

    Args:
        timing_days: A decision due at most this many days after ``as_of`` meets timing.
        interest_days: Hand-raises at most this many days old show interest.
        funding_days: A funding round at most this many days old shows funds.
        interest_kinds: The signal kinds that count as interest (the hand-raises
            ``demo_request``, ``contact_sales``, ``question``, ``meeting_booked`` and
            ``trial_signup`` by default).

    Returns:
        The framework; [`FAINT`][funnelkit.frameworks.FAINT] is ``faint()``.

    Raises:
        RuleBuildError: A day count is not a whole number >= 0, or ``interest_kinds`` is
            empty.

    Examples:
        >>> FAINT.keys
        ('funds', 'authority', 'interest', 'need', 'timing')
    """
    for name, days in (
        ("timing_days", timing_days),
        ("interest_days", interest_days),
        ("funding_days", funding_days),
    ):
        check_days("faint", name, days)
    kinds = frozenset([interest_kinds] if isinstance(interest_kinds, str) else interest_kinds)
    if not kinds:
        raise RuleBuildError("faint: interest_kinds: expected at least one signal kind, got none")
    funds = (
        budget_rule({"planned", "identified", "approved"})
        | signals(kind="funding_round", within=funding_days).exists()
    )
    return Framework(
        key="faint",
        name="FAINT",
        description="Funds, authority, interest, need and timing: qualify buyers who can pay "
        "before they have set a budget aside.",
        criteria=(
            criterion(
                "funds",
                "Funds",
                funds,
                "The organisation can pay: a budget planned, identified or approved "
                f"(bant.budget.status), or a funding_round signal within {funding_days} days.",
                _BUDGET,
            ),
            criterion("authority", "Authority", authority_rule(), _AUTHORITY, _WHO),
            criterion(
                "interest",
                "Interest",
                signals(kind=kinds, within=interest_days).exists(),
                f"The lead raised a hand ({', '.join(sorted(kinds))}) within "
                f"{interest_days} days. Signals are never missing, so this is met or unmet.",
            ),
            criterion(
                "need",
                "Need",
                need_rule(),
                "At least one pain point is recorded (bant.need.pain_points); unmet when "
                "a current assessment found none.",
                _PAIN,
            ),
            criterion(
                "timing",
                "Timing",
                timeline_rule(timing_days),
                f"A decision is due within {timing_days} days (bant.timeline.decision_date, "
                "else bant.timeline.horizon_days).",
                _WHEN,
            ),
        ),
    )


FAINT = faint()
"""FAINT with 90-day timing and interest windows and a one-year funding window."""
