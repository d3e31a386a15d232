"""``qualify``: a policy applied to one lead at an explicit instant."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

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
    Stage,
    StageKind,
    Timeline,
)
from funnelkit.qualify._arguments import check_lead_and_policy
from funnelkit.qualify._isolate import evaluation_error
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._recycle import since_last_move
from funnelkit.qualify._result import CriterionResult, NextFact, Qualification
from funnelkit.qualify._stages import rule_stage, standing
from funnelkit.rules import Explanation, Truth, to_text
from funnelkit.rules import explain as explain_rule
from funnelkit.rules.meaning import check_as_of, read_path

__all__ = ["current_facts", "foreign_fact", "next_facts", "qualify", "reentry_fact"]

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
                _kept(
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


_KEPT: dict[object, object] = {}
"""One copy of each criterion result and next fact that qualifications keep."""
MAX_KEPT = 8192
_Result = TypeVar("_Result")


def _kept(result: _Result) -> _Result:
    """The one kept copy of a frozen ``result`` (most leads repeat a few; ``_KEPT``)."""
    try:
        found = _KEPT.get(result)
    except TypeError:  # a value that cannot be hashed (a custom attribute's list)
        return result
    if found is None:
        if len(_KEPT) < MAX_KEPT:
            _KEPT[result] = result
        return result
    return found  # type: ignore[return-value]


def _add(found: dict[str, list[str]], path: str, what: str) -> None:
    items = found.setdefault(path, [])
    if what not in items:
        items.append(what)


def _whole(value: Any) -> Any:
    """Scores without needless decimal places: ``Decimal('30.0000')`` becomes ``30``."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _fact(path: str) -> str:
    """The fact to find out behind a path: evidence paths name the part they back."""
    head, found, _ = path.partition(".evidence")
    return head if found else path


@attrs.frozen
class _Shape:
    """What ``next_facts`` reads of a policy, worked out once per policy."""

    gates: tuple[tuple[str, str, int], ...]  # (stage key, gate output, stage order)
    criteria: tuple[tuple[str, str], ...]  # (criterion output, framework.criterion)
    labels: dict[str, str]  # framework.criterion -> its label in a reason
    order: dict[str, int]  # stage key -> its order
    stage_labels: dict[str, str]  # stage key -> its label
    stages: dict[str, Stage]  # stage key -> the stage (the first with that key)
    memo: dict[tuple[Any, ...], tuple[NextFact, ...]] = attrs.field(factory=dict)
    """What ``next_facts`` gave for each set of inputs it reads (most leads share a few)."""


_SHAPES: weakref.WeakKeyDictionary[Policy, _Shape] = weakref.WeakKeyDictionary()
"""Each policy's ``_Shape``, kept while the policy lives (policies hash by identity)."""
MAX_SHAPES = 64
MAX_MEMO = 4096
_SCORES = ("fit", "engagement", "priority")


def _shape(policy: Policy) -> _Shape:
    """The policy's ``_Shape`` (``next_facts`` is called once per lead or distinct row)."""
    found = _SHAPES.get(policy)
    if found is None:
        found = _Shape(
            gates=tuple((s.key, f"stage_{s.key}", s.order) for s, _gate in policy.ordered_gates),
            criteria=tuple(
                (f"{fw.key}_{c.key}", f"{fw.key}.{c.key}") for fw in policy.frameworks for c in fw
            ),
            labels={
                f"{fw.key}.{c.key}": f"{fw.name} {c.label.lower()}"
                for fw in policy.frameworks
                for c in fw
            },
            order={s.key: s.order for s in policy.funnel.stages},
            stage_labels={s.key: s.label for s in policy.funnel.stages},
            stages={s.key: s for s in reversed(policy.funnel.stages)},
        )
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        _SHAPES[policy] = found
    return found


def next_facts(
    policy: Policy,
    stage: str | None,
    outcomes: dict[str, Any],
    facts: dict[str, tuple[str, ...]],
    lifts: dict[str, tuple[str, ...]],
    expired: tuple[str, ...],
    *,
    movable: bool = True,
) -> tuple[NextFact, ...]:
    """The facts worth finding out: those that could open a gate or meet a criterion.

    A stage is claimed only for facts that could make its gate TRUE (``lifts``); criteria
    and scores list every fact that could change them.
    """
    shape = _shape(policy)
    try:  # the key holds every input the ranking reads
        key: tuple[Any, ...] | None = (
            stage,
            movable,
            expired,
            tuple(outcomes.get(gate) for _, gate, _ in shape.gates),
            tuple(outcomes.get(name) for name, _ in shape.criteria),
            tuple(facts.get(name, ()) for name, _ in shape.criteria),
            tuple(facts.get(name, ()) for name in _SCORES),
            tuple(lifts.get(gate, ()) for _, gate, _ in shape.gates),
        )
        found = shape.memo.get(key)  # type: ignore[arg-type]
    except TypeError:  # a value that cannot be hashed: worked out, not kept
        key, found = None, None
    if found is not None:
        return found
    result = _ranked(shape, policy, stage, outcomes, facts, lifts, expired, movable=movable)
    if key is not None:
        if len(shape.memo) >= MAX_MEMO:
            shape.memo.clear()
        shape.memo[key] = result
    return result


def _ranked(
    shape: _Shape,
    policy: Policy,
    stage: str | None,
    outcomes: dict[str, Any],
    facts: dict[str, tuple[str, ...]],
    lifts: dict[str, tuple[str, ...]],
    expired: tuple[str, ...],
    *,
    movable: bool,
) -> tuple[NextFact, ...]:
    """``next_facts``, worked out."""
    here = shape.stages.get(stage) if stage is not None else None
    unlocks: dict[str, list[str]] = {}
    criteria: dict[str, list[str]] = {}
    scores: dict[str, list[str]] = {}
    movable = movable and (here is None or here.is_open or here.kind is StageKind.NURTURE)
    for key, gate, stage_order in shape.gates if movable else ():
        if outcomes[gate] is Truth.TRUE:
            continue
        if here is None or not here.is_open or stage_order > here.order:
            for path in lifts.get(gate, ()):
                _add(unlocks, _fact(path), key)
        if not policy.allow_skipping:
            break  # later stages need this gate first
    for name, criterion in shape.criteria:
        if outcomes[name] is not Truth.TRUE:
            for path in facts.get(name, ()):
                _add(criteria, _fact(path), criterion)
    for name in _SCORES:  # no priority output: no facts
        for path in facts.get(name, ()):
            _add(scores, _fact(path), name)
    labels = shape.labels
    paths = set(unlocks) | set(criteria) | set(scores)
    order = shape.order

    def rank(path: str) -> tuple[object, ...]:
        stages = unlocks.get(path, [])
        nearest = min((order[s] for s in stages), default=1 << 30)
        return (
            nearest,
            -len(stages),
            -len(criteria.get(path, [])),
            -len(scores.get(path, [])),
            path,
        )

    result = []
    for path in sorted(paths, key=rank):
        parts = []
        stages = unlocks.get(path, [])
        if stages:
            start = here.label if here is not None else "no stage"
            parts.append(f"could move the lead from {start} to {shape.stage_labels[stages[0]]}")
        if criteria.get(path):
            met = ", ".join(labels.get(c, c) for c in criteria[path])
            parts.append(f"could meet {met}")
        if scores.get(path):
            names = scores[path]
            what = " and ".join(names) + (" scores" if len(names) > 1 else " score")
            parts.append(f"could change the {what}")
        if any(path == part or path.startswith(part + ".") for part in expired):
            parts.append("its evidence has expired")
        result.append(
            _kept(
                NextFact(
                    path=path,
                    unlocks=tuple(stages),
                    criteria=tuple(criteria.get(path, ())),
                    scores=tuple(scores.get(path, ())),
                    reason="; ".join(parts),
                )
            )
        )
    return tuple(result)


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


def foreign_fact(stage: str, policy: Policy) -> tuple[NextFact, ...]:
    """The next fact of a lead whose stage the policy's funnel does not have."""
    funnel = policy.funnel
    return (
        NextFact(
            path="stage_history",
            reason=f"its stage {stage!r} is not a stage of the {funnel.name} funnel and the "
            f"policy's stage_map does not place it ({', '.join(funnel.keys)}): rules do not "
            "move it until it is mapped or moved explicitly",
        ),
    )


def _reentry_fact(lead: Lead, policy: Policy, by_rule: str | None) -> tuple[NextFact, ...]:
    """The next fact of a lead held in nurture: something new since it was recycled."""
    return reentry_fact(
        lead.stage_history[-1].at if lead.stage_history else None,
        policy.place(lead.stage),
        policy,
        by_rule,
    )


def reentry_fact(
    entered: datetime | None, placed: str | None, policy: Policy, by_rule: str | None
) -> tuple[NextFact, ...]:
    """The next fact of a lead held in nurture since ``entered``, placed at ``placed``."""
    funnel = policy.funnel
    # in UTC, as a table holds it: the same text from rows and from a table
    since = entered.astimezone(UTC).isoformat() if entered is not None else "a time not recorded"
    here = funnel.stage(placed).label if placed is not None else "nurture"
    target = funnel.stage(by_rule).label if by_rule is not None else "a stage"
    return (
        NextFact(
            path="signals",
            unlocks=() if by_rule is None else (by_rule,),
            reason=f"in {here} since {since}: the rules place it in {target}, and it "
            f"comes back when something new happens after that ({to_text(policy.reentry)})",
        ),
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
