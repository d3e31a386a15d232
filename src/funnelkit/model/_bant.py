"""BANT: budget, authority, need and timeline, each backed by evidence."""

from __future__ import annotations

from datetime import date, datetime

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import _checks, _converters
from funnelkit.model._enums import AuthorityLevel, BudgetStatus, Severity
from funnelkit.model._money import Money

__all__ = ["Evidence", "Budget", "Authority", "PainPoint", "Need", "Timeline", "BANT"]


@attrs.frozen(kw_only=True)
class Evidence:
    """Who or what asserted a fact, when, how sure, and until when it holds.

    Evidence lives in time: qualification at an instant ``as_of`` uses a fact only from
    its ``asserted_at`` (before that nobody knew it) and until its ``expires_at``.

    Args:
        source: Who or what asserted it (``discovery call``, ``form``, a rep's name).
        asserted_at: When it was asserted (timezone-aware).
        confidence: How sure, from 0 to 1.
        expires_at: From this instant on the fact counts as unknown again; not before
            ``asserted_at``.

    Raises:
        ValidationError: ``expires_at`` is before ``asserted_at``.

    Examples:
        >>> from datetime import UTC, datetime
        >>> e = Evidence(source="discovery call", expires_at=datetime(2026, 6, 1, tzinfo=UTC))
        >>> e.is_current(datetime(2026, 5, 1, tzinfo=UTC))
        True
        >>> e.is_current(datetime(2026, 7, 1, tzinfo=UTC))
        False
    """

    source: str | None = attrs.field(default=None, validator=_checks.text(max_length=300))
    asserted_at: datetime | None = attrs.field(default=None, validator=_checks.aware_datetime())
    confidence: float | None = attrs.field(default=None, validator=_checks.unit_interval())
    expires_at: datetime | None = attrs.field(default=None, validator=_checks.aware_datetime())

    @expires_at.validator
    def _check_order(self, _attribute: attrs.Attribute[object], value: datetime | None) -> None:
        if value is not None and self.asserted_at is not None and value < self.asserted_at:
            raise ValidationError(
                path="expires_at",
                expected=f"a time at or after asserted_at {self.asserted_at.isoformat()}",
                value=value,
            )

    def is_known(self, as_of: datetime) -> bool:
        """Whether the fact had been asserted by ``as_of`` (no ``asserted_at``: it had).

        Args:
            as_of: The instant to judge at (timezone-aware).

        Returns:
            ``False`` while ``as_of`` is before ``asserted_at``.

        Examples:
            >>> from datetime import UTC, datetime
            >>> e = Evidence(source="call", asserted_at=datetime(2026, 5, 1, tzinfo=UTC))
            >>> e.is_known(datetime(2026, 4, 30, tzinfo=UTC)), e.is_known(e.asserted_at)
            (False, True)
        """
        return self.asserted_at is None or self.asserted_at <= as_of

    def is_current(self, as_of: datetime) -> bool:
        """Whether the evidence still holds at ``as_of`` (no expiry means it does).

        Args:
            as_of: The instant to judge at (timezone-aware).

        Returns:
            ``False`` once ``as_of`` is at or past ``expires_at``.
        """
        return self.expires_at is None or as_of < self.expires_at


@attrs.frozen(kw_only=True)
class Budget:
    """What is known about the money for the purchase.

    Args:
        status: A [`BudgetStatus`][funnelkit.model.BudgetStatus] member or its value.
        amount: The budget, if stated.
        period: What the amount covers (``annual``, ``one-off``, ``FY2027``, ...).
        evidence: Where the information comes from.
    """

    status: BudgetStatus = attrs.field(
        default=BudgetStatus.UNKNOWN,
        converter=_converters.to_budget_status,
        validator=_checks.member_of(BudgetStatus),
    )
    amount: Money | None = attrs.field(
        default=None, validator=_checks.of_type(Money, optional=True)
    )
    period: str | None = attrs.field(default=None, validator=_checks.text(max_length=100))
    evidence: Evidence | None = attrs.field(
        default=None, validator=_checks.of_type(Evidence, optional=True)
    )


@attrs.frozen(kw_only=True)
class Authority:
    """What is known about the contact's power to decide.

    Args:
        level: An [`AuthorityLevel`][funnelkit.model.AuthorityLevel] member or its value.
        decided_by: Who decides, if known and not the contact (name or role).
        evidence: Where the information comes from.
    """

    level: AuthorityLevel = attrs.field(
        default=AuthorityLevel.UNKNOWN,
        converter=_converters.to_authority_level,
        validator=_checks.member_of(AuthorityLevel),
    )
    decided_by: str | None = attrs.field(default=None, validator=_checks.text(max_length=300))
    evidence: Evidence | None = attrs.field(
        default=None, validator=_checks.of_type(Evidence, optional=True)
    )


@attrs.frozen(kw_only=True)
class PainPoint:
    """A problem the buyer has that the product addresses.

    Args:
        description: The problem in words.
        severity: A [`Severity`][funnelkit.model.Severity] member or its value.
    """

    description: str = attrs.field(validator=_checks.text(optional=False, max_length=1000))
    severity: Severity = attrs.field(
        default=Severity.MEDIUM,
        converter=_converters.to_severity,
        validator=_checks.member_of(Severity),
    )


@attrs.frozen(kw_only=True)
class Need:
    """The buyer's stated needs.

    Args:
        pain_points: The pain points found so far, most important first.
        evidence: Where the information comes from.
    """

    pain_points: tuple[PainPoint, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(PainPoint)
    )
    evidence: Evidence | None = attrs.field(
        default=None, validator=_checks.of_type(Evidence, optional=True)
    )


@attrs.frozen(kw_only=True)
class Timeline:
    """When the buyer means to decide, and what drives the date.

    Args:
        decision_date: The agreed date of the buy/no-buy decision.
        horizon_days: A rougher horizon, in days from when it was asserted, when no date
            is agreed.
        catalysing_event: The event that makes the purchase urgent (a renewal, an audit).
        evidence: Where the information comes from.
    """

    decision_date: date | None = attrs.field(default=None, validator=_checks.plain_date())
    horizon_days: int | None = attrs.field(default=None, validator=_checks.int_at_least(0))
    catalysing_event: str | None = attrs.field(
        default=None, validator=_checks.text(max_length=1000)
    )
    evidence: Evidence | None = attrs.field(
        default=None, validator=_checks.of_type(Evidence, optional=True)
    )


@attrs.frozen(kw_only=True)
class BANT:
    """A budget / authority / need / timeline assessment; every part defaults to unknown.

    Examples:
        >>> b = BANT(budget=Budget(status="identified"))
        >>> b.budget.status, b.authority.level
        (<BudgetStatus.IDENTIFIED: 'identified'>, <AuthorityLevel.UNKNOWN: 'unknown'>)
    """

    budget: Budget = attrs.field(factory=Budget, validator=_checks.of_type(Budget))
    authority: Authority = attrs.field(factory=Authority, validator=_checks.of_type(Authority))
    need: Need = attrs.field(factory=Need, validator=_checks.of_type(Need))
    timeline: Timeline = attrs.field(factory=Timeline, validator=_checks.of_type(Timeline))
