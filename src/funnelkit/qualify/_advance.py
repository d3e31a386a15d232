"""Moving leads through the funnel: forward by rule, backward only explicitly, with events.

funnelkit never acts: it returns a new lead and the events the move caused, as data, for
the host application to act on. The input lead is never changed, and history is only
appended to, never recomputed from today's rules.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.model import Funnel, Lead, StageChange, StageKind
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._qualify import qualify
from funnelkit.qualify._result import Qualification
from funnelkit.rules.meaning import check_as_of

__all__ = [
    "StageChanged",
    "ThresholdCrossed",
    "Event",
    "Advance",
    "MoveError",
    "advance",
    "move",
    "recycle",
    "disqualify",
    "close_lost",
    "close_won",
]

Number = int | Decimal


class MoveError(FunnelkitError, ValueError):
    """An explicit move is not allowed: unknown stage, no such transition, no reason."""

    code: ClassVar[str] = "move"


@attrs.frozen(kw_only=True)
class StageChanged:
    """A lead moved between stages.

    Attributes:
        lead_id: The lead's id.
        at: When (the ``as_of`` of the evaluation, or the explicit move's time).
        from_stage: The stage it left (``None``: it had none).
        to_stage: The stage it entered.
        reason: Why: the entry rule that admitted it, or the explicit reason.
        policy: The policy (``name@version``) for moves by rule; ``None`` for explicit ones.
        forward: Whether the move is forward in the funnel (by rule, always).
    """

    lead_id: str | None
    at: datetime
    from_stage: str | None
    to_stage: str
    reason: str
    policy: str | None
    forward: bool


@attrs.frozen(kw_only=True)
class ThresholdCrossed:
    """A score crossed a grade threshold since the previous evaluation.

    Attributes:
        lead_id: The lead's id.
        at: The ``as_of`` of the evaluation.
        score: ``fit`` or ``engagement``.
        threshold: The band's lowest score.
        grade: The band's label.
        direction: ``up`` or ``down``.
        value: The score now.
        previous: The score at the previous evaluation (``None``: there was none).
    """

    lead_id: str | None
    at: datetime
    score: str
    threshold: Number
    grade: str
    direction: str
    value: Number
    previous: Number | None


Event = StageChanged | ThresholdCrossed
"""What ``advance`` and the explicit moves report."""


@attrs.frozen(kw_only=True)
class Advance:
    """The result of ``advance``: the new lead, its qualification and the events.

    Attributes:
        lead: The lead with its stage history extended (the same object if unchanged).
        qualification: The qualification the move is based on.
        events: Stage changes and threshold crossings, in that order.
    """

    lead: Lead
    qualification: Qualification
    events: tuple[Event, ...] = ()


def _crossings(
    q: Qualification, policy: Policy, previous: Qualification | None
) -> list[ThresholdCrossed]:
    out = []
    for name, bands in (("fit", policy.fit_grades), ("engagement", policy.engagement_grades)):
        now: Number = getattr(q, name)
        before: Number | None = None if previous is None else getattr(previous, name)
        for label, threshold in sorted(bands, key=lambda pair: pair[1]):
            was = before is not None and before >= threshold
            is_ = now >= threshold
            if is_ != was and (before is not None or is_):
                out.append(
                    ThresholdCrossed(
                        lead_id=q.lead_id,
                        at=q.as_of,
                        score=name,
                        threshold=threshold,
                        grade=label,
                        direction="up" if is_ else "down",
                        value=now,
                        previous=before,
                    )
                )
    return out


def advance(
    lead: Lead,
    policy: Policy,
    *,
    as_of: datetime,
    previous: Qualification | None = None,
    explain: bool = True,
) -> Advance:
    """Qualify a lead and move it forward when the rules place it further along.

    A forward move appends a ``StageChange`` (time ``as_of``, the entry rule as reason,
    the policy's ``name@version``) and reports a ``StageChanged`` event. Rules never
    move a lead backward, nor out of an outcome (customer, closed-lost, disqualified);
    use ``recycle``, ``disqualify``, ``close_lost`` or ``move`` for that. A recycled
    lead comes out of nurture only when something new since the recycle meets the
    policy's ``reentry`` (see ``Policy``).

    A lead whose history ends in a stage of another funnel is placed by the policy's
    ``stage_map``: when the rules move it no further, the placement itself is appended
    (reason: the mapping; the event is not ``forward``). A stage the map does not place
    stays as it is; ``Qualification.foreign_stage`` reports it.

    Threshold events compare with ``previous`` (the last qualification you kept), so a
    crossing is reported once, not on every evaluation. Without ``previous`` every
    threshold the scores reach is reported as crossed upward.

    Args:
        lead: The lead (never changed).
        policy: The policy.
        as_of: The instant (timezone-aware), also the time of the move.
        previous: The previous qualification of this lead, if any.
        explain: As for ``qualify``.

    Returns:
        An Advance with the new lead, the qualification and the events.

    Raises:
        MoveError: ``as_of`` is before the lead's last stage change.
    """
    check_as_of(as_of)
    last = lead.stage_history[-1].at if lead.stage_history else None
    if last is not None and as_of < last:
        raise MoveError(
            f"lead {lead.id!r}: as_of {as_of.isoformat()} is before its last stage "
            f"change at {last.isoformat()}; history is only appended to"
        )
    q = qualify(lead, policy, as_of=as_of, explain=explain)
    events: list[Event] = []
    new = lead
    if q.stage is not None and q.stage != lead.stage:
        mapped = q.stage == policy.place(lead.stage)
        if mapped:
            reason = (
                f"{lead.stage!r} of another funnel is {q.stage!r} in the "
                f"{policy.funnel.name} funnel (the policy's stage_map)"
            )
        else:
            gate = next(g for s, g in policy.ordered_gates if s.key == q.stage)
            reason = f"entry rule of {q.stage!r} met" + (
                f": {gate.description}" if gate.description else ""
            )
        change = StageChange(
            at=as_of,
            from_stage=lead.stage,
            to_stage=q.stage,
            reason=reason,
            policy_version=policy.label,
        )
        new = attrs.evolve(lead, stage_history=(*lead.stage_history, change))
        events.append(
            StageChanged(
                lead_id=lead.id,
                at=as_of,
                from_stage=lead.stage,
                to_stage=q.stage,
                reason=reason,
                policy=policy.label,
                forward=not mapped,
            )
        )
    events.extend(_crossings(q, policy, previous))
    return Advance(lead=new, qualification=q, events=tuple(events))


def move(
    lead: Lead, funnel: Funnel, to_stage: str, *, at: datetime, reason: str
) -> tuple[Lead, StageChanged]:
    """Move a lead explicitly (any move the funnel allows), with a reason.

    Args:
        lead: The lead (never changed).
        funnel: The funnel whose transitions apply.
        to_stage: The stage to move to.
        at: When (timezone-aware, not before the last stage change).
        reason: Why, in words or as a reason code (required).

    Returns:
        The new lead and the event.

    Raises:
        MoveError: No reason, a move the funnel does not allow, or a time before the
            last stage change.
        funnelkit.model.UnknownStageError: ``to_stage`` is not in the funnel.
    """
    check_as_of(at)
    if not isinstance(reason, str) or not reason.strip():
        raise MoveError(f"lead {lead.id!r}: an explicit move needs a reason")
    target = funnel.stage(to_stage)
    current = lead.stage
    if current is not None and current in funnel and not funnel.allows(current, to_stage):
        allowed = ", ".join(s.key for s in funnel.moves_from(current)) or "none"
        raise MoveError(
            f"lead {lead.id!r}: {funnel.name} does not allow {current!r} -> {to_stage!r} "
            f"(allowed: {allowed})"
        )
    if lead.stage_history and at < lead.stage_history[-1].at:
        raise MoveError(
            f"lead {lead.id!r}: {at.isoformat()} is before its last stage change at "
            f"{lead.stage_history[-1].at.isoformat()}"
        )
    forward = False
    if current is not None and current in funnel:
        now = funnel.stage(current)
        forward = now.is_open and target.is_open and target.order > now.order
    change = StageChange(at=at, from_stage=current, to_stage=to_stage, reason=reason)
    new = attrs.evolve(lead, stage_history=(*lead.stage_history, change))
    event = StageChanged(
        lead_id=lead.id,
        at=at,
        from_stage=current,
        to_stage=to_stage,
        reason=reason,
        policy=None,
        forward=forward,
    )
    return new, event


def _to_kind(
    lead: Lead, funnel: Funnel, kind: StageKind, *, at: datetime, reason: str
) -> tuple[Lead, StageChanged]:
    stages = [s for s in funnel.stages if s.kind is kind]
    if not stages:
        raise MoveError(f"{funnel.name} has no {kind.value} stage")
    return move(lead, funnel, stages[0].key, at=at, reason=reason)


def recycle(lead: Lead, funnel: Funnel, *, at: datetime, reason: str) -> tuple[Lead, StageChanged]:
    """Send a lead back to nurture (the funnel's nurture stage), with a reason.

    The recycle holds: rules bring the lead back only when something new happens after
    ``at`` (the policy's ``reentry``: by default proactive engagement or new BANT
    evidence), not on the facts that once placed it.

    Args:
        lead: The lead (never changed).
        funnel: The funnel whose nurture stage it goes to.
        at: When (timezone-aware, not before the last stage change).
        reason: Why (required).

    Returns:
        The new lead and the event.

    Raises:
        MoveError: No reason, no nurture stage, a move the funnel does not allow, or a
            time before the last stage change.
    """
    return _to_kind(lead, funnel, StageKind.NURTURE, at=at, reason=reason)


def disqualify(
    lead: Lead, funnel: Funnel, *, at: datetime, reason: str
) -> tuple[Lead, StageChanged]:
    """Disqualify a lead (the funnel's disqualified stage) with a reason code."""
    return _to_kind(lead, funnel, StageKind.DISQUALIFIED, at=at, reason=reason)


def close_lost(
    lead: Lead, funnel: Funnel, *, at: datetime, reason: str
) -> tuple[Lead, StageChanged]:
    """Close a lead as lost (the funnel's lost stage), with a reason."""
    return _to_kind(lead, funnel, StageKind.LOST, at=at, reason=reason)


def close_won(
    lead: Lead, funnel: Funnel, *, at: datetime, reason: str
) -> tuple[Lead, StageChanged]:
    """Close a lead as won (the funnel's won stage), with a note."""
    return _to_kind(lead, funnel, StageKind.WON, at=at, reason=reason)
