"""``qualify``: a policy applied to one lead at an explicit instant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from funnelkit.frameworks import is_placeholder
from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Evidence,
    FrozenDict,
    Lead,
    Need,
    StageKind,
    Timeline,
)
from funnelkit.qualify._arguments import check_lead_and_policy
from funnelkit.qualify._isolate import evaluation_error
from funnelkit.qualify._nextfacts import foreign_fact, next_facts, reentry_fact
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._recycle import since_last_move
from funnelkit.qualify._result import CriterionResult, NextFact, Qualification, kept
from funnelkit.qualify._stages import rule_stage, standing
from funnelkit.rules import Explanation, Truth
from funnelkit.rules import explain as explain_rule
from funnelkit.rules.meaning import check_as_of, read_path

__all__ = ["current_facts", "qualify"]

_PARTS = (("budget", Budget), ("authority", Authority), ("need", Need), ("timeline", Timeline))


def current_facts(
    lead: Lead, as_of: datetime, *, custom_facts: Iterable[str] = ()
) -> tuple[Lead, tuple[str, ...]]:
    """The lead as known at ``as_of``: facts count only while their evidence holds.

    Evidence lives in time. A BANT part whose evidence was asserted after ``as_of`` was
    not known yet, and a part whose evidence expired at or before ``as_of`` is not known
    any more: either way the part becomes unknown (its facts and its evidence are left
    out), so that judging a lead at an earlier instant sees what was known then. A
    custom fact with evidence (``Lead.custom_evidence``) is treated the same way: it is
    left out of ``custom`` before its evidence was asserted and once it has expired.

    Args:
        lead: The lead.
        as_of: The instant (timezone-aware).
        custom_facts: Custom attributes read as framework facts (a policy's
            ``custom_facts``): a blank or placeholder value of one of these (``""``,
            ``"N/A"``, ``[]``: see ``funnelkit.frameworks.PLACEHOLDERS``) is left out,
            as missing.

    Returns:
        The lead as known at ``as_of`` (the same object when every part holds) and the
        expired parts (``bant.budget``, ``custom.metrics``, ...). Parts asserted after
        ``as_of`` are not expired, only unknown.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import BANT, Budget, Evidence, Lead
        >>> old = Evidence(source="call", expires_at=datetime(2026, 1, 1, tzinfo=UTC))
        >>> lead = Lead(bant=BANT(budget=Budget(status="approved", evidence=old)))
        >>> now, expired = current_facts(lead, datetime(2026, 5, 1, tzinfo=UTC))
        >>> now.bant.budget.status, now.bant.budget.evidence, expired
        (<BudgetStatus.UNKNOWN: 'unknown'>, None, ('bant.budget',))
        >>> later = Evidence(source="call", asserted_at=datetime(2026, 6, 1, tzinfo=UTC))
        >>> lead = Lead(bant=BANT(budget=Budget(status="approved", evidence=later)))
        >>> then, expired = current_facts(lead, datetime(2026, 5, 1, tzinfo=UTC))
        >>> then.bant.budget.status, expired
        (<BudgetStatus.UNKNOWN: 'unknown'>, ())
    """
    bant: BANT = lead.bant
    changes: dict[str, Any] = {}
    expired: list[str] = []
    drop = {key for key in custom_facts if key in lead.custom and is_placeholder(lead.custom[key])}
    for item in lead.custom_evidence:
        if item.key not in lead.custom:
            continue
        if not item.evidence.is_known(as_of):
            drop.add(item.key)
        elif not item.evidence.is_current(as_of):
            drop.add(item.key)
            expired.append(f"custom.{item.key}")
    if drop:
        lead = attrs.evolve(lead, custom={k: v for k, v in lead.custom.items() if k not in drop})
    for name, cls in _PARTS:
        evidence = getattr(bant, name).evidence
        if evidence is None:
            continue
        if not evidence.is_known(as_of):
            changes[name] = cls()
        elif not evidence.is_current(as_of):
            changes[name] = cls()
            expired.append(f"bant.{name}")
    if not changes:
        return lead, tuple(expired)
    return attrs.evolve(lead, bant=attrs.evolve(bant, **changes)), tuple(expired)


def _criteria(
    policy: Policy,
    lead: Lead,
    outcomes: dict[str, Any],
    facts: dict[str, tuple[str, ...]],
    expired: tuple[str, ...],
    as_of: datetime,
) -> tuple[CriterionResult, ...]:
    """The criteria, with the evidence known at ``as_of`` (expired evidence included)."""
    out = []
    for fw in policy.frameworks:
        for c in fw:
            evidence = read_path(lead, tuple(c.evidence.split("."))) if c.evidence else None
            part = c.evidence.rsplit(".", 1)[0] if c.evidence else None
            if evidence is None:  # a custom fact's evidence, if it has one
                for item in lead.custom_evidence:
                    if f"custom.{item.key}" in policy.criterion_fields(fw.key, c.key):
                        evidence, part = item.evidence, f"custom.{item.key}"
                        if part in expired:
                            break
            if isinstance(evidence, Evidence) and not evidence.is_known(as_of):
                evidence = None
            out.append(
                kept(
                    CriterionResult(
                        framework=fw.key,
                        key=c.key,
                        label=c.label,
                        status=outcomes[f"{fw.key}_{c.key}"],
                        evidence=evidence,  # type: ignore[arg-type]
                        expired=part in expired,
                        unknown_facts=facts.get(f"{fw.key}_{c.key}", ()),
                    )
                )
            )
    return tuple(out)


def _whole(value: Any) -> Any:
    """Scores without needless decimal places: ``Decimal('30.0000')`` becomes ``30``."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _held_in_nurture(
    current: str | None,
    lead: Lead,
    known: Lead,
    policy: Policy,
    by_rule: str | None,
    as_of: datetime,
) -> bool:
    """Whether a recycled lead stays in nurture.

    It does when the rules would move it from ``current`` (its stage, placed in the
    policy's funnel), but nothing new since its last stage change meets ``reentry``.
    """
    funnel = policy.funnel
    if by_rule is None or current is None or current not in funnel:
        return False
    if funnel.stage(current).kind is not StageKind.NURTURE:
        return False
    if standing(funnel, current, by_rule) == current:
        return False  # the gates do not move it anyway
    verdict = policy.compiled_reentry.at(as_of)(since_last_move(known))
    return not (isinstance(verdict, Truth) and verdict.is_true)


def _reentry_fact(lead: Lead, policy: Policy, by_rule: str | None) -> tuple[NextFact, ...]:
    """The next fact of a lead held in nurture: something new since it was recycled."""
    return reentry_fact(
        lead.stage_history[-1].at if lead.stage_history else None,
        policy.place(lead.stage),
        policy,
        by_rule,
    )


def _facts_by_output(
    policy: Policy, explanation: Explanation, *, lifting: bool = False
) -> dict[str, tuple[str, ...]]:
    """Each output's unknown facts; with ``lifting``, only those that could make it TRUE."""
    names = policy.rules.names
    kids = explanation.child_facts(toward=Truth.TRUE if lifting else None)
    if len(kids) != len(names):  # pragma: no cover - guarded by tests
        raise AssertionError("the explanation of a rule set has one child per output")
    return {name: tuple(sorted(facts)) for name, facts in zip(names, kids, strict=True)}


def qualify(lead: Lead, policy: Policy, *, as_of: datetime, explain: bool = True) -> Qualification:
    """Qualify one lead: its stage, scores, criteria, next facts and explanation.

    Args:
        lead: The lead (never changed).
        policy: The policy to apply.
        as_of: The instant "now" means (timezone-aware); nothing reads a clock.
        explain: Explain the result (unknown facts, next facts, the trace). ``False``
            is faster and leaves ``next_facts``, ``unknown_facts`` and ``explanation``
            empty.

    Returns:
        A frozen Qualification.

    Raises:
        funnelkit.errors.InvalidArgumentError: ``lead`` is not a Lead, ``policy`` not a
            Policy, or ``as_of`` not a timezone-aware datetime (also a ``TypeError``).
        funnelkit.rules.RuleEvaluationError: A rule met values it cannot work with (a
            custom attribute of the wrong type, a custom rule that raised); the message
            names the lead and the policy output, ``path`` holds the output's name.
    """
    check_as_of(as_of)
    check_lead_and_policy(lead, policy)
    known, expired = current_facts(lead, as_of, custom_facts=policy.custom_facts)
    explanation = None
    facts: dict[str, tuple[str, ...]] = {}
    lifts: dict[str, tuple[str, ...]] = {}
    try:
        if explain:
            explanation = explain_rule(policy.rules, known, as_of=as_of)
            outcomes: dict[str, Any] = explanation.outcome  # type: ignore[assignment]
            facts = _facts_by_output(policy, explanation)
            lifts = _facts_by_output(policy, explanation, lifting=True)
        else:
            outcomes = policy.compiled.at(as_of)(known)
    except Exception as err:  # a custom rule or attribute: isolated to this lead
        raise evaluation_error(err, policy.rules, lead, known, as_of) from err
    by_rule = rule_stage(policy, outcomes)
    placed = policy.place(lead.stage)
    foreign = lead.stage if lead.stage is not None and placed is None else None
    held = foreign is None and _held_in_nurture(placed, lead, known, policy, by_rule, as_of)
    if foreign is not None or held:
        stage = lead.stage if foreign is not None else placed
    else:
        stage = standing(policy.funnel, placed, by_rule)
    notes: tuple[NextFact, ...] = ()
    if explain and foreign is not None:
        notes = foreign_fact(foreign, policy)
    elif explain and held:
        notes = _reentry_fact(lead, policy, by_rule)
    label = (
        policy.funnel.stage(stage).label if stage is not None and stage in policy.funnel else None
    )
    return Qualification(
        lead_id=lead.id,
        as_of=as_of,
        policy=policy.label,
        stage=stage,
        stage_label=label,
        rule_stage=by_rule,
        gates=tuple((s.key, outcomes[f"stage_{s.key}"]) for s, _ in policy.ordered_gates),
        fit=_whole(outcomes["fit"]),
        fit_grade=outcomes["fit_grade"],
        engagement=_whole(outcomes["engagement"]),
        engagement_grade=outcomes["engagement_grade"],
        priority=None if policy.priority is None else _whole(outcomes["priority"]),
        priority_grade=outcomes.get("priority_grade"),
        criteria=_criteria(policy, lead, outcomes, facts, expired, as_of),
        next_facts=notes
        + (
            next_facts(policy, stage, outcomes, facts, lifts, expired, movable=foreign is None)
            if explain
            else ()
        ),
        expired_evidence=expired,
        foreign_stage=foreign,
        outputs=FrozenDict(outcomes),
        explanation=explanation,
    )
