"""Engagement scoring: points per signal kind, with caps, recency, decay and penalties."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from funnelkit.rules import Expr, RuleBuildError, minimum, per, score, signals
from funnelkit.rules.tree import check_gap

__all__ = [
    "SignalPoints",
    "engagement_score",
    "STANDARD_ENGAGEMENT",
    "HAND_RAISES",
    "PROACTIVE",
]

FREQUENCIES = frozenset({"once", "every"})

HAND_RAISES: frozenset[str] = frozenset(
    {"demo_request", "contact_sales", "question", "meeting_booked", "trial_signup"}
)
"""Signal kinds that are explicit hand-raises: the lead asked for something."""

PROACTIVE: frozenset[str] = HAND_RAISES | frozenset(
    {"email_reply", "pricing_page_view", "content_download", "webinar_attended", "product_usage"}
)
"""Signal kinds where the lead engaged on its own initiative: the hand-raises, a reply,
an inbound visit to the pricing page, a download, a webinar attended, product use. Not
opens and clicks of our own e-mails (implicit reactions to an outbound touch), nor badge
scans or list imports: a list entry with only those is a list, not a lead."""


def _kinds(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset({value}) if isinstance(value, str) else frozenset(value)


def _check_positive(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not value > 0:
        raise RuleBuildError(f"{attribute.name} must be > 0, got {value!r}")


def _check_explicit(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise RuleBuildError(
            f"explicit must be True, False or None, got {value!r} ({type(value).__name__})"
        )


def _check_points(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RuleBuildError(f"points must be an int or a Decimal, got {value!r}")


@attrs.frozen(kw_only=True)
class SignalPoints:
    """Points for signals of some kinds.

    How often signals count:

    * ``frequency="every"``: every signal counts;
    * ``frequency="once"``: the points at most once, however many signals there are;
    * ``frequency="every", min_gap_days=N``: at most once per N days. Signals are
      taken newest first; one counts when it happened at least N days before the last
      one that counted (exactly N days apart counts), so ten pricing-page views in
      one afternoon count once with ``min_gap_days=1``, and the most recent of them
      is the one that counts (and weighs the most under decay).

    Args:
        kinds: The signal kind, or several kinds that count together.
        points: Points per counted signal; negative for negative signals (unsubscribe,
            bounce).
        frequency: ``every`` signal counts, or only ``once`` (the kind's points at most
            once, however many signals there are).
        cap: At most this many points (in absolute value) from these kinds.
        within_days: Only signals at most this many days before ``as_of`` count.
        half_life_days: Decay: a signal ``age`` days old counts
            ``0.5 ** (age / half_life_days)`` of its points.
        min_gap_days: With ``frequency="every"``: count at most one signal per this
            many days (a number > 0; whole numbers are kept as ``int``).
        explicit: Only hand-raises (``True``: a demo request, a question), only
            observed behaviour (``False``: page views, downloads), or both (``None``),
            as ``Signal.explicit`` says.

    Raises:
        RuleBuildError: A bad value, or ``min_gap_days`` with ``frequency="once"``.

    Examples:
        >>> SignalPoints(kinds="pricing_page_view", points=10, cap=30).to_rule()
        score(per(10, signals(kind='pricing_page_view').count()), cap=30, name='pricing_page_view')
        >>> SignalPoints(kinds="pricing_page_view", points=10, min_gap_days=1).to_rule()
        score(per(10, signals(kind='pricing_page_view').count(min_gap_days=1)), name='pricing_page_view')
        >>> SignalPoints(kinds={"demo_request", "question"}, points=30, explicit=True,
        ...              frequency="once").to_rule()
        score(per(30, signals(kind={'demo_request', 'question'}, explicit=True).count(limit=1)), name='demo_request+question')
    """  # noqa: E501

    kinds: frozenset[str] = attrs.field(converter=_kinds)
    points: int | Decimal = attrs.field(validator=_check_points)
    frequency: str = attrs.field(default="every")
    cap: int | Decimal | None = attrs.field(
        default=None, validator=attrs.validators.optional(_check_positive)
    )
    within_days: int | None = None
    half_life_days: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_check_positive)
    )
    min_gap_days: float | None = attrs.field(default=None, converter=check_gap)
    explicit: bool | None = attrs.field(default=None, validator=_check_explicit)

    @frequency.validator
    def _check_frequency(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if value not in FREQUENCIES:
            raise RuleBuildError(f"frequency must be one of {sorted(FREQUENCIES)}, got {value!r}")

    @min_gap_days.validator
    def _check_gap(self, _attribute: attrs.Attribute[float | None], value: float | None) -> None:
        if value is not None and self.frequency != "every":
            raise RuleBuildError(
                f"min_gap_days={value!r} needs frequency='every' (at most once per "
                f"{value} days); frequency={self.frequency!r} counts one signal at most"
            )

    @property
    def name(self) -> str:
        """The kinds, joined: used to label the points in traces."""
        return "+".join(sorted(self.kinds))

    def to_rule(self) -> Expr:
        """The rule giving these points (a score, so that the cap applies to it alone)."""
        query = signals(kind=self.kinds, within=self.within_days, explicit=self.explicit)
        gap = self.min_gap_days
        amount: Expr
        if self.half_life_days is None:
            limit = 1 if self.frequency == "once" else None
            amount = per(self.points, query.count(limit=limit, min_gap_days=gap))
        else:
            decayed = query.decayed(half_life_days=self.half_life_days, min_gap_days=gap)
            weight = minimum(decayed, 1) if self.frequency == "once" else decayed
            amount = per(self.points, weight)
        if self.cap is None:
            return score(amount, name=self.name)
        if self.points < 0:
            return score(amount, floor=-self.cap, name=self.name)
        return score(amount, cap=self.cap, name=self.name)


def engagement_score(
    *items: SignalPoints | Expr,
    cap: int | None = 100,
    floor: int | None = None,
    name: str = "engagement",
) -> Expr:
    """Add signal points (and any other point rules) into one engagement score.

    Args:
        *items: ``SignalPoints`` or other point rules (``points(...)``, ``per(...)``).
        cap: The highest total (default 100).
        floor: The lowest total (default: none, so penalties can take it below 0).
        name: The score's name in traces.

    Returns:
        A score rule.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Lead, Signal
        >>> from funnelkit.rules import evaluate
        >>> as_of = datetime(2026, 5, 1, tzinfo=UTC)
        >>> rule = engagement_score(SignalPoints(kinds="demo_request", points=30,
        ...                                      frequency="once"))
        >>> lead = Lead(signals=[Signal(kind="demo_request", occurred_at=as_of)] * 2)
        >>> evaluate(rule, lead, as_of=as_of)
        30
    """
    parts = [item.to_rule() if isinstance(item, SignalPoints) else item for item in items]
    return score(*parts, cap=cap, floor=floor, name=name)


STANDARD_ENGAGEMENT: tuple[SignalPoints, ...] = (
    SignalPoints(kinds="demo_request", points=30, frequency="once", within_days=90),
    SignalPoints(kinds="contact_sales", points=30, frequency="once", within_days=90),
    SignalPoints(kinds="meeting_booked", points=30, frequency="once", within_days=90),
    SignalPoints(kinds="trial_signup", points=25, frequency="once", within_days=90),
    SignalPoints(kinds="question", points=15, frequency="once", within_days=90),
    SignalPoints(kinds="pricing_page_view", points=10, cap=30, within_days=90, half_life_days=30),
    SignalPoints(kinds="webinar_attended", points=10, cap=20, within_days=180, half_life_days=60),
    SignalPoints(kinds="content_download", points=5, cap=20, within_days=180, half_life_days=60),
    SignalPoints(kinds="email_reply", points=10, cap=20, within_days=90, half_life_days=30),
    SignalPoints(kinds="email_click", points=2, cap=10, within_days=90, half_life_days=30),
    SignalPoints(kinds="product_usage", points=5, cap=25, within_days=30, half_life_days=14),
    SignalPoints(kinds="unsubscribe", points=-50, frequency="once"),
    SignalPoints(kinds="bounce", points=-20, frequency="once"),
)
"""A documented default: hand-raises count once within 90 days; behaviour decays with a
half-life and is capped per kind; unsubscribes and bounces take points away. Badge scans,
list imports and e-mail opens count nothing: they are not interest."""
