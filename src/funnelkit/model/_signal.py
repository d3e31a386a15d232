"""Engagement and opportunity signals: things a lead did or that happened to it."""

from __future__ import annotations

from datetime import datetime

import attrs

from funnelkit.model import _checks, _converters
from funnelkit.model._frozendict import FrozenDict

__all__ = ["Signal"]


@attrs.frozen(kw_only=True)
class Signal:
    """One thing that happened: a demo request, a pricing-page view, a funding round...

    Args:
        kind: What happened. An open vocabulary; the standard kinds are listed in
            [`SignalKind`][funnelkit.model.SignalKind].
        occurred_at: When, as a timezone-aware ``datetime`` (naive ones are refused:
            decay and recency windows need a real instant).
        channel: Where it happened (``web``, ``email``, ``event``, ``phone``, ...).
        source: The system or campaign that reported it.
        explicit: ``True`` for a hand-raise (the lead asked for something), ``False`` for
            behaviour we observed.
        value: An optional number (minutes of usage, amount raised, ...).
        attributes: Further facts as a mapping of scalars.

    Examples:
        >>> from datetime import UTC, datetime
        >>> s = Signal(kind="demo_request", occurred_at=datetime(2026, 5, 1, tzinfo=UTC),
        ...            explicit=True)
        >>> s.kind, s.explicit
        ('demo_request', True)
    """

    kind: str = attrs.field(validator=_checks.text(optional=False, max_length=200))
    occurred_at: datetime = attrs.field(validator=_checks.aware_datetime(optional=False))
    channel: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    source: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    explicit: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    value: float | None = attrs.field(default=None, validator=_checks.finite_number())
    attributes: FrozenDict[str, object] = attrs.field(
        factory=FrozenDict, converter=_converters.to_attributes, validator=_checks.attributes
    )
