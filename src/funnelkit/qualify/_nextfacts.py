"""The next facts of a lead: what to find out, most useful first, and why.

``next_facts`` ranks the unknown facts of a qualified lead (those that could open a
gate, meet a criterion or change a score) from what explaining its rule set found;
``qualify`` and the columnar engines (``_framefacts``) both call it, so the two cannot
drift apart. A policy's shape (its gates, criteria, labels) is worked out once per
policy, and a ranking is kept for each set of inputs it reads. ``foreign_fact`` and
``reentry_fact`` are the notes of a lead the rules do not move.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from typing import Any

import attrs

from funnelkit.model import Stage, StageKind
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._result import NextFact, kept
from funnelkit.rules import Truth, to_text

__all__ = ["foreign_fact", "next_facts", "reentry_fact"]


def _add(found: dict[str, list[str]], path: str, what: str) -> None:
    items = found.setdefault(path, [])
    if what not in items:
        items.append(what)


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
            kept(
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
