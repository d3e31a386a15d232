"""The lead under qualification, its origin and its stage history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import _checks, _converters
from funnelkit.model._bant import BANT, Evidence
from funnelkit.model._company import Company
from funnelkit.model._contact import Contact
from funnelkit.model._enums import Direction
from funnelkit.model._frozendict import FrozenDict
from funnelkit.model._html import lead_html
from funnelkit.model._signal import Signal

__all__ = ["LeadSource", "StageChange", "CustomEvidence", "Lead"]


@attrs.frozen(kw_only=True)
class LeadSource:
    """Where a lead came from.

    Args:
        direction: A [`Direction`][funnelkit.model.Direction] member or its value.
        channel: The channel (``web_form``, ``trade_show``, ``purchased_list``, ...).
        campaign: The campaign it is attributed to.
    """

    direction: Direction = attrs.field(
        default=Direction.UNKNOWN,
        converter=_converters.to_direction,
        validator=_checks.member_of(Direction),
    )
    channel: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    campaign: str | None = attrs.field(default=None, validator=_checks.text(max_length=300))


@attrs.frozen(kw_only=True)
class StageChange:
    """One move of a lead between funnel stages.

    Args:
        at: When the move happened (timezone-aware).
        to_stage: The stage moved to.
        from_stage: The stage moved from; ``None`` for the first entry.
        reason: Why, in words or as a reason code.
        policy_version: The policy (name and version) that made the move, if any.
    """

    at: datetime = attrs.field(validator=_checks.aware_datetime(optional=False))
    to_stage: str = attrs.field(validator=_checks.text(optional=False, max_length=100))
    from_stage: str | None = attrs.field(default=None, validator=_checks.text(max_length=100))
    reason: str | None = attrs.field(default=None, validator=_checks.text(max_length=1000))
    policy_version: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))


def _custom_key(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or "." in value or len(value) > 200:
        raise ValidationError(
            path=attribute.name,
            expected="a custom attribute's name (non-empty, no dots, at most 200 characters)",
            value=value,
        )


@attrs.frozen(kw_only=True)
class CustomEvidence:
    """The evidence behind a fact kept in ``Lead.custom`` (a MEDDPICC metric, a champion).

    Like a BANT part's evidence, it says who asserted the fact, when, and until when it
    holds: qualification reads ``custom.<key>`` only from ``asserted_at`` and until
    ``expires_at``; outside that the fact is missing, a thing to find out.

    Args:
        key: The custom attribute's name (``metrics`` for ``custom.metrics``).
        evidence: Who or what asserted it, when, and until when.

    Examples:
        >>> from datetime import UTC, datetime
        >>> CustomEvidence(key="metrics", evidence=Evidence(
        ...     source="discovery call", expires_at=datetime(2026, 9, 1, tzinfo=UTC))).key
        'metrics'
    """

    key: str = attrs.field(validator=_custom_key)
    evidence: Evidence = attrs.field(validator=_checks.of_type(Evidence))


@attrs.frozen(kw_only=True)
class Lead:
    """The record under qualification: who, which company, what happened, and what is known.

    Everything but the lead's own facts is optional. A lead without contact details or a
    company is still a lead: the gaps are facts to find out.

    Args:
        id: Your identifier for the lead.
        contact: The person, if known.
        company: The company, embedded, if known.
        account_id: The id of the [`Account`][funnelkit.model.Account] (company) it
            belongs to, when the company is kept apart.
        source: Where the lead came from.
        signals: What the lead did or what happened to it, in any order.
        bant: What is known of budget, authority, need and timeline.
        stage_history: The stage moves so far, oldest first; each starts where the
            previous one ended.
        owner: Who works the lead (a rep's id or name).
        created_at: When the lead was created (timezone-aware).
        custom: Your own fields the model does not have, as a mapping of scalars.
        custom_evidence: The evidence behind custom facts, one per custom key at most:
            such a fact counts only from its ``asserted_at`` until its ``expires_at``.

    Examples:
        >>> lead = Lead(id="L-1", company=Company(name="Acme", employees=250))
        >>> lead.company.employees, lead.contact, lead.stage
        (250, None, None)
    """

    id: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    contact: Contact | None = attrs.field(
        default=None, validator=_checks.of_type(Contact, optional=True)
    )
    company: Company | None = attrs.field(
        default=None, validator=_checks.of_type(Company, optional=True)
    )
    account_id: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    source: LeadSource = attrs.field(factory=LeadSource, validator=_checks.of_type(LeadSource))
    signals: tuple[Signal, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(Signal)
    )
    bant: BANT = attrs.field(factory=BANT, validator=_checks.of_type(BANT))
    stage_history: tuple[StageChange, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(StageChange)
    )
    owner: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    created_at: datetime | None = attrs.field(default=None, validator=_checks.aware_datetime())
    custom: FrozenDict[str, object] = attrs.field(
        factory=FrozenDict, converter=_converters.to_attributes, validator=_checks.attributes
    )
    custom_evidence: tuple[CustomEvidence, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(CustomEvidence)
    )

    @custom_evidence.validator
    def _check_custom_evidence(
        self, _attribute: attrs.Attribute[object], value: tuple[CustomEvidence, ...]
    ) -> None:
        seen: set[str] = set()
        for index, item in enumerate(value):
            if item.key in seen:
                raise ValidationError(
                    path=f"custom_evidence[{index}].key",
                    expected="each custom key once",
                    value=item.key,
                )
            seen.add(item.key)

    @stage_history.validator
    def _check_history(
        self, _attribute: attrs.Attribute[object], value: tuple[StageChange, ...]
    ) -> None:
        for index in range(1, len(value)):
            before, after = value[index - 1], value[index]
            if after.at < before.at:
                raise ValidationError(
                    path=f"stage_history[{index}].at",
                    expected=f"a time at or after {before.at.isoformat()}",
                    value=after.at,
                )
            if after.from_stage != before.to_stage:
                raise ValidationError(
                    path=f"stage_history[{index}].from_stage",
                    expected=f"{before.to_stage!r} (where the previous move ended)",
                    value=after.from_stage,
                )

    @account_id.validator
    def _check_account(self, _attribute: attrs.Attribute[object], value: str | None) -> None:
        company_id = self.company.id if self.company is not None else None
        if value is not None and company_id is not None and value != company_id:
            raise ValidationError(
                path="account_id",
                expected=f"the embedded company's id {company_id!r}",
                value=value,
            )

    @property
    def stage(self) -> str | None:
        """The current stage key: where the last stage change ended, or ``None``."""
        return self.stage_history[-1].to_stage if self.stage_history else None

    def _repr_html_(self) -> str:
        return lead_html(self)

    @property
    def company_id(self) -> str | None:
        """The company's id: the embedded company's, else ``account_id``."""
        if self.company is not None and self.company.id is not None:
            return self.company.id
        return self.account_id
