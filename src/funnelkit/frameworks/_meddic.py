"""MEDDIC and MEDDPICC: qualification for complex deals with several people involved.

The model has no fields for metrics, decision criteria, the decision process or the
paper process, so those criteria read ``Lead.custom`` (see
[`custom_fact`][funnelkit.frameworks.custom_fact]): map your CRM's fields to the keys
named in each criterion's description.
"""

from __future__ import annotations

from funnelkit.frameworks._framework import Criterion, Framework
from funnelkit.frameworks._parts import check_days, criterion, custom_fact, need_rule
from funnelkit.rules import F, signals

__all__ = ["meddic", "MEDDIC", "meddpicc", "MEDDPICC"]


def _metrics() -> Criterion:
    return criterion(
        "metrics",
        "Metrics",
        custom_fact("metrics"),
        "The buyer's measurable goal for the purchase is known (custom.metrics, e.g. "
        "'cut onboarding from 30 to 10 days').",
    )


def _economic_buyer() -> Criterion:
    return criterion(
        "economic_buyer",
        "Economic buyer",
        F.contact.buying_roles.contains("economic_buyer") | custom_fact("economic_buyer"),
        "The person who controls the money is identified: the contact has the economic_buyer "
        "buying role, or custom.economic_buyer names them.",
    )


def _decision_criteria() -> Criterion:
    return criterion(
        "decision_criteria",
        "Decision criteria",
        custom_fact("decision_criteria"),
        "How the buyer will compare solutions is known (custom.decision_criteria).",
    )


def _decision_process(days: int) -> Criterion:
    dated = F.bant.timeline.decision_date.days_until().between(0, days)
    return criterion(
        "decision_process",
        "Decision process",
        dated | custom_fact("decision_process"),
        "The steps to a decision are known: custom.decision_process describes them, or a "
        f"decision date at most {days} days ahead is agreed (bant.timeline.decision_date).",
        "bant.timeline.evidence",
    )


def _paper_process() -> Criterion:
    return criterion(
        "paper_process",
        "Paper process",
        custom_fact("paper_process"),
        "The path from a yes to a signed contract (legal, procurement, security review) is "
        "known (custom.paper_process).",
    )


def _identify_pain() -> Criterion:
    return criterion(
        "identify_pain",
        "Identify pain",
        need_rule(),
        "A pain the product addresses is recorded (bant.need.pain_points); unmet when a "
        "current assessment found none.",
        "bant.need.evidence",
    )


def _champion() -> Criterion:
    return criterion(
        "champion",
        "Champion",
        F.contact.buying_roles.contains("champion") | custom_fact("champion"),
        "Someone inside sells for us: the contact has the champion buying role, or "
        "custom.champion names them.",
    )


def _competition(days: int) -> Criterion:
    return criterion(
        "competition",
        "Competition",
        signals(kind="competitor_mention", within=days).exists() | custom_fact("competition"),
        "The competing options are known: a competitor_mention signal within "
        f"{days} days, or custom.competition (their names, or 'none' when there are none).",
    )


def meddic(*, decision_days: int = 365) -> Framework:
    """MEDDIC: metrics, economic buyer, decision criteria and process, pain, champion.

    Args:
        decision_days: An agreed decision date at most this many days after ``as_of``
            shows the decision process is known.

    Returns:
        The framework; [`MEDDIC`][funnelkit.frameworks.MEDDIC] is ``meddic()``.

    Raises:
        RuleBuildError: ``decision_days`` is not a whole number of days >= 0.

    Examples:
        >>> MEDDIC.keys  # doctest: +NORMALIZE_WHITESPACE
        ('metrics', 'economic_buyer', 'decision_criteria', 'decision_process',
         'identify_pain', 'champion')
    """
    check_days("meddic", "decision_days", decision_days)
    return Framework(
        key="meddic",
        name="MEDDIC",
        description="Metrics, economic buyer, decision criteria, decision process, identify "
        "pain and champion: for complex sales with a buying committee.",
        criteria=(
            _metrics(),
            _economic_buyer(),
            _decision_criteria(),
            _decision_process(decision_days),
            _identify_pain(),
            _champion(),
        ),
    )


MEDDIC = meddic()
"""MEDDIC with a one-year decision-date window."""


def meddpicc(*, decision_days: int = 365, competitor_days: int = 365) -> Framework:
    """MEDDPICC: MEDDIC plus the paper process and the competition.

    Args:
        decision_days: As for [`meddic`][funnelkit.frameworks.meddic].
        competitor_days: A ``competitor_mention`` signal at most this many days old shows
            the competition is known.

    Returns:
        The framework; [`MEDDPICC`][funnelkit.frameworks.MEDDPICC] is ``meddpicc()``.

    Raises:
        RuleBuildError: A day count is not a whole number >= 0.

    Examples:
        >>> MEDDPICC.keys  # doctest: +NORMALIZE_WHITESPACE
        ('metrics', 'economic_buyer', 'decision_criteria', 'decision_process',
         'paper_process', 'identify_pain', 'champion', 'competition')
    """
    check_days("meddpicc", "decision_days", decision_days)
    check_days("meddpicc", "competitor_days", competitor_days)
    return Framework(
        key="meddpicc",
        name="MEDDPICC",
        description="MEDDIC with the paper process and the competition: for deals where "
        "procurement and rivals decide as much as the buyer.",
        criteria=(
            _metrics(),
            _economic_buyer(),
            _decision_criteria(),
            _decision_process(decision_days),
            _paper_process(),
            _identify_pain(),
            _champion(),
            _competition(competitor_days),
        ),
    )


MEDDPICC = meddpicc()
"""MEDDPICC with one-year decision-date and competitor windows."""
