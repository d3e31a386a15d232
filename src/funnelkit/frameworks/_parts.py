"""Building blocks the framework presets share: budget, authority, need, timing, custom facts.

Several frameworks ask the same question under different names (BANT's *need* is CHAMP's
*challenges* and MEDDIC's *identify pain*), so the rules live here once. Every rule is
UNKNOWN while the facts it reads have not been found out.
"""

from __future__ import annotations

from collections.abc import Iterable

from funnelkit.frameworks._framework import Criterion
from funnelkit.model import BudgetStatus
from funnelkit.rules import UNKNOWN, Expr, F, RuleBuildError, signals
from funnelkit.rules import rule as named

__all__ = [
    "BUDGET_READY",
    "DECIDERS",
    "HAND_RAISES",
    "NO_VALUES",
    "PLACEHOLDERS",
    "authority_rule",
    "budget_rule",
    "catalyst_rule",
    "check_days",
    "criterion",
    "current_evidence",
    "custom_fact",
    "is_placeholder",
    "need_rule",
    "timeline_rule",
    "unless_assessed",
    "urgency_rule",
]

BUDGET_READY: frozenset[str] = frozenset({"identified", "approved"})
"""Budget statuses that count as money for the purchase."""

DECIDERS: frozenset[str] = frozenset({"decision_maker", "economic_buyer"})
"""Buying roles that can say yes."""

HAND_RAISES: frozenset[str] = frozenset(
    {"demo_request", "contact_sales", "question", "meeting_booked", "trial_signup"}
)
"""Signal kinds where the lead asked for something."""

NO_VALUES: frozenset[object] = frozenset({False, "false", "False", "FALSE", "no", "No", "NO"})
"""Custom values that record a "no": ``False`` (and so ``0``), ``"false"`` and ``"no"``."""


PLACEHOLDERS: frozenset[object] = frozenset(
    {
        "",
        "-",
        "?",
        "N/A",
        "n/a",
        "NA",
        "TBD",
        "tbd",
        "TBC",
        "tbc",
        "unknown",
        "Unknown",
        "UNKNOWN",
        "null",
        "NULL",
        (),
    }
)
"""Custom values that hold no fact: blanks and placeholders a CRM leaves in a field
(``""``, ``"N/A"``, ``"TBD"``, an empty list, ...). A framework criterion reads them as
missing, a fact to find out, never as met."""


def is_placeholder(value: object) -> bool:
    """Whether a custom value is a blank or placeholder (one of ``PLACEHOLDERS``).

    Args:
        value: A custom attribute's value.

    Returns:
        ``True`` for ``""``, ``"N/A"``, ``"TBD"``, ``()`` and the rest of
        ``PLACEHOLDERS`` (exact values: ``" n/a "`` is text).

    Examples:
        >>> is_placeholder("N/A"), is_placeholder(()), is_placeholder("cut churn by 5%")
        (True, True, False)
    """
    try:
        return value in PLACEHOLDERS
    except TypeError:  # an unhashable value holds a fact
        return False


def check_days(where: str, name: str, value: object) -> int:
    """Return ``value`` if it is a whole number of days >= 0, else raise RuleBuildError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleBuildError(
            f"{where}: {name}: expected a whole number of days >= 0, "
            f"got {value!r} ({type(value).__name__})"
        )
    return value


def criterion(
    key: str, label: str, rule: Expr, description: str, evidence: str | None = None
) -> Criterion:
    """A Criterion, positionally (the presets build many)."""
    return Criterion(key=key, label=label, rule=rule, description=description, evidence=evidence)


def custom_fact(key: str) -> Expr:
    """A condition on a fact you keep in ``Lead.custom`` because the model has no field for it.

    Frameworks such as MEDDIC ask about things a CRM records as free text or a checkbox
    (the buyer's success metrics, the paper process). Map that CRM field to
    ``custom.<key>`` (a [`ColumnMapping`][funnelkit.io.ColumnMapping] does it on load)
    and this condition reads it:

    * missing (no value, or ``None``), or a blank or placeholder (``""``, ``"N/A"``,
      ``"TBD"``, ``[]``: see ``PLACEHOLDERS``): UNKNOWN, a fact to find out;
    * ``False``, ``0``, ``"no"`` or ``"false"`` (also ``"No"``, ``"NO"``, ``"False"``,
      ``"FALSE"``): FALSE;
    * any other value (text, ``True``, a number, a list): TRUE.

    Args:
        key: The custom attribute's name (``metrics`` reads ``custom.metrics``).

    Returns:
        The condition.

    Raises:
        RuleBuildError: ``key`` is empty or holds a dot (custom attributes are flat).

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Lead
        >>> from funnelkit.rules import evaluate
        >>> now = datetime(2026, 5, 1, tzinfo=UTC)
        >>> rule = custom_fact("metrics")
        >>> for value in ("cut churn by 5%", "no", "N/A", None):
        ...     print(evaluate(rule, Lead(custom={"metrics": value}), as_of=now).value)
        true
        false
        unknown
        unknown
    """
    if not isinstance(key, str) or not key.strip() or "." in key:
        raise RuleBuildError(
            f"custom_fact: key: expected a non-empty str without dots, got {key!r}"
        )
    value = F.custom[key]
    placeholder = named(
        f"{key}_placeholder",
        value.isin(PLACEHOLDERS) & UNKNOWN,
        description=f"custom.{key} holds a blank or placeholder: not found out yet",
    )
    return ~value.isin(NO_VALUES) & ~placeholder


def budget_rule(statuses: Iterable[str] = BUDGET_READY) -> Expr:
    """TRUE when the budget status is one of ``statuses``; UNKNOWN while it is unknown."""
    chosen = frozenset(statuses)
    allowed = {s.value for s in BudgetStatus} - {"unknown"}
    bad = sorted(chosen - allowed)
    if not chosen or bad:
        raise RuleBuildError(
            f"budget statuses: expected a non-empty set of {sorted(allowed)}, got {sorted(chosen)}"
        )
    return F.bant.budget.status.isin(chosen)


def authority_rule() -> Expr:
    """TRUE when the contact decides (authority level or buying role)."""
    return (F.bant.authority.level == "decision_maker") | F.contact.buying_roles.overlaps(DECIDERS)


def current_evidence(part: str) -> Expr:
    """TRUE when ``bant.<part>`` carries evidence that still holds at ``as_of``."""
    evidence = F(f"bant.{part}.evidence")
    return evidence.is_present() & (
        evidence.expires_at.is_missing() | (evidence.expires_at.days_until() >= 1)
    )


def unless_assessed(found: Expr, part: str) -> Expr:
    """``found``, but UNKNOWN instead of FALSE unless ``bant.<part>`` was assessed.

    Some facts are recorded only when they exist (a pain point, a catalysing event), so
    their absence means "none" only if someone looked: the BANT part carries evidence
    that still holds at ``as_of``. Otherwise it means "not found out yet".
    """
    return found | named(
        f"{part}_not_assessed",
        ~current_evidence(part) & UNKNOWN,
        description=f"nothing recorded, and no current evidence that bant.{part} was "
        "looked into: not found out yet",
    )


def need_rule() -> Expr:
    """TRUE with a pain point recorded; FALSE when a current assessment found none."""
    return unless_assessed(F.bant.need.pain_points.size() >= 1, "need")


def catalyst_rule() -> Expr:
    """TRUE with a catalysing event (recorded or signalled); FALSE when assessed without."""
    return unless_assessed(
        F.bant.timeline.catalysing_event.is_present() | signals(kind="catalysing_event").exists(),
        "timeline",
    )


def timeline_rule(days: int) -> Expr:
    """TRUE when a decision is due within ``days`` (an agreed date; else the horizon)."""
    date = F.bant.timeline.decision_date
    return (date.is_present() & date.days_until().between(0, days)) | (
        date.is_missing() & (F.bant.timeline.horizon_days <= days)
    )


def urgency_rule(days: int) -> Expr:
    """TRUE with a catalysing event, or a decision due within ``days``."""
    return catalyst_rule() | timeline_rule(days)
