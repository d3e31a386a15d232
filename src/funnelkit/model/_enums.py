"""Closed vocabularies of the model, as string enums.

Every member is a ``str`` equal to its value, so ``Seniority.VP == "vp"`` and the members
serialise as plain strings. Model fields accept either the member or its value.

One rule holds for every enum, and is stated here only: a member named ``UNKNOWN``
(``BudgetStatus.UNKNOWN``, ...) means the fact is not known, so rules read it as a
missing value (their operand is then unknown), and the columnar engines as null. Every
engine asks [`is_unknown_member`][funnelkit.model.is_unknown_member] or
[`unknown_member`][funnelkit.model.unknown_member]; none compares names itself.
"""

from __future__ import annotations

from enum import Enum, StrEnum

__all__ = [
    "Seniority",
    "BuyingRole",
    "BudgetStatus",
    "AuthorityLevel",
    "Severity",
    "StageKind",
    "Direction",
    "SignalKind",
    "STANDARD_SIGNAL_KINDS",
    "UNKNOWN_MEMBER",
    "unknown_member",
    "is_unknown_member",
]

UNKNOWN_MEMBER = "UNKNOWN"
"""The name of the enum member that means "not known": a rule reads it as missing."""


def unknown_member(enum: type[Enum]) -> Enum | None:
    """The member of ``enum`` that means "not known" (named ``UNKNOWN``), or ``None``.

    Args:
        enum: An enum class.

    Returns:
        The member, or ``None`` when every member of ``enum`` is a known value.

    Examples:
        >>> unknown_member(BudgetStatus)
        <BudgetStatus.UNKNOWN: 'unknown'>
        >>> unknown_member(Seniority) is None
        True
    """
    return enum.__members__.get(UNKNOWN_MEMBER)


def is_unknown_member(value: object) -> bool:
    """Whether ``value`` is an enum member that means "not known" (named ``UNKNOWN``).

    Rules read such a member as a missing value, exactly as ``None``.

    Args:
        value: Any value.

    Returns:
        ``True`` for a member named ``UNKNOWN``, ``False`` for anything else.

    Examples:
        >>> is_unknown_member(BudgetStatus.UNKNOWN), is_unknown_member(BudgetStatus.APPROVED)
        (True, False)
        >>> is_unknown_member("unknown")  # a plain string is a value, not a member
        False
    """
    return isinstance(value, Enum) and value._name_ == UNKNOWN_MEMBER


class Seniority(StrEnum):
    """How senior a contact is, from individual contributor to owner."""

    IC = "ic"
    MANAGER = "manager"
    DIRECTOR = "director"
    VP = "vp"
    C_LEVEL = "c_level"
    OWNER = "owner"


class BuyingRole(StrEnum):
    """The part a contact plays in a buying decision."""

    DECISION_MAKER = "decision_maker"
    ECONOMIC_BUYER = "economic_buyer"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    GATEKEEPER = "gatekeeper"
    USER = "user"
    BLOCKER = "blocker"


class BudgetStatus(StrEnum):
    """What is known about the buyer's budget. ``UNKNOWN`` means not found out yet."""

    UNKNOWN = "unknown"
    NONE = "none"
    PLANNED = "planned"
    IDENTIFIED = "identified"
    APPROVED = "approved"


class AuthorityLevel(StrEnum):
    """The decision power of the contact. ``UNKNOWN`` means not found out yet."""

    UNKNOWN = "unknown"
    NONE = "none"
    INFLUENCER = "influencer"
    DECISION_MAKER = "decision_maker"


class Severity(StrEnum):
    """How much a pain point hurts the buyer."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class StageKind(StrEnum):
    """What a funnel stage means: still open, or an outcome."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"


class Direction(StrEnum):
    """Whether a lead came to us (inbound) or we went to it (outbound)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    UNKNOWN = "unknown"


class SignalKind(StrEnum):
    """The documented standard signal kinds.

    [`Signal.kind`][funnelkit.model.Signal] is an open vocabulary: any non-empty string
    is accepted, and these members are the names funnelkit's presets use.
    """

    DEMO_REQUEST = "demo_request"
    CONTACT_SALES = "contact_sales"
    QUESTION = "question"
    PRICING_PAGE_VIEW = "pricing_page_view"
    CONTENT_DOWNLOAD = "content_download"
    WEBINAR_ATTENDED = "webinar_attended"
    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    EMAIL_REPLY = "email_reply"
    MEETING_BOOKED = "meeting_booked"
    EVENT_BADGE_SCAN = "event_badge_scan"
    LIST_IMPORT = "list_import"
    TRIAL_SIGNUP = "trial_signup"
    PRODUCT_USAGE = "product_usage"
    UNSUBSCRIBE = "unsubscribe"
    BOUNCE = "bounce"
    COMPETITOR_MENTION = "competitor_mention"
    FUNDING_ROUND = "funding_round"
    HIRING_SURGE = "hiring_surge"
    JOB_CHANGE = "job_change"
    NEXT_STEP_AGREED = "next_step_agreed"
    CATALYSING_EVENT = "catalysing_event"


STANDARD_SIGNAL_KINDS: frozenset[str] = frozenset(k.value for k in SignalKind)
"""The values of [`SignalKind`][funnelkit.model.SignalKind], as plain strings."""
