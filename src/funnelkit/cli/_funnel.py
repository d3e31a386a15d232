"""The funnel view of qualified leads: stages, conversion, grade mix, leads worth explaining.

Each function reads plain ``Qualification`` objects (and, for conversion, the leads' stage
history), so the demo's numbers can be tested without rendering anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from funnelkit.cli._render import Section, share
from funnelkit.model import Lead, StageKind

if TYPE_CHECKING:
    from funnelkit.qualify import Policy, Qualification

__all__ = [
    "LIST_ENTRY",
    "conversion_section",
    "furthest_open_stage",
    "grade_mix_section",
    "pick_missing_data",
    "pick_ready",
    "stages_section",
]

LIST_ENTRY = "not a lead (list entry)"
"""The row for leads that no stage's entry rule admits."""


def stages_section(qualifications: Sequence[Qualification], policy: Policy) -> Section:
    """Leads per stage, in funnel order (every stage, even empty ones), then list entries.

    Args:
        qualifications: The results.
        policy: Their policy (its funnel gives the order and the labels).

    Returns:
        The section: stage, kind (open, won, ...), leads, share.
    """
    counts = Counter(q.stage for q in qualifications)
    total = len(qualifications)
    rows: list[tuple[str | int, ...]] = []
    for stage in policy.funnel.stages:
        n = counts.pop(stage.key, 0)
        rows.append((stage.label, stage.kind.value, n, share(n, total)))
    unknown = sorted((key, n) for key, n in counts.items() if key is not None)
    for key, n in unknown:  # stages from history that this funnel does not have
        rows.append((str(key), "(not in this funnel)", n, share(n, total)))
    n = counts.get(None, 0)
    rows.append((LIST_ENTRY, "-", n, share(n, total)))
    return Section(
        title=f"Funnel ({policy.label})",
        columns=("stage", "kind", "leads", "share"),
        rows=tuple(rows),
        caption="rules move leads forward, never backward",
    )


def furthest_open_stage(lead: Lead, q: Qualification, policy: Policy) -> int | None:
    """The position (0-based) of the furthest open stage the lead has reached, if any.

    A lead has reached a stage if it stands in it now or its history passed through it;
    a won lead has reached every open stage.

    Args:
        lead: The lead (for its stage history).
        q: Its qualification (for the stage it stands in now).
        policy: The policy (for the funnel).

    Returns:
        The index into the funnel's open stages, or ``None``.
    """
    funnel = policy.funnel
    open_keys = [s.key for s in funnel.open_stages]
    keys = {change.to_stage for change in lead.stage_history}
    if q.stage is not None:
        keys.add(q.stage)
    reached = [open_keys.index(k) for k in keys if k in open_keys]
    if any(k in funnel and funnel.stage(k).kind is StageKind.WON for k in keys):
        reached.append(len(open_keys) - 1)
    return max(reached, default=None)


def conversion_section(
    leads: Sequence[Lead], qualifications: Sequence[Qualification], policy: Policy
) -> Section:
    """How many leads reached at least each open stage, and the conversion between stages.

    Args:
        leads: The leads, in the same order as ``qualifications``.
        qualifications: Their results.
        policy: The policy.

    Returns:
        The section: stage, leads that reached it, share of all leads, and the share of
        the previous stage's leads that went on to it.
    """
    stages = policy.funnel.open_stages
    reached = [0] * len(stages)
    for lead, q in zip(leads, qualifications, strict=True):
        furthest = furthest_open_stage(lead, q, policy)
        if furthest is not None:
            for index in range(furthest + 1):
                reached[index] += 1
    total = len(qualifications)
    rows: list[tuple[str | int, ...]] = []
    for index, stage in enumerate(stages):
        from_previous = share(reached[index], reached[index - 1]) if index else "-"
        rows.append((stage.label, reached[index], share(reached[index], total), from_previous))
    return Section(
        title="Conversion",
        columns=("reached at least", "leads", "of all leads", "of the stage before"),
        rows=tuple(rows),
        caption="reached: in the stage or a later one, now or before",
    )


def _grade_labels(bands: tuple[tuple[str, object], ...], default: str) -> list[str]:
    return [label for label, _ in bands] + [default]


def grade_mix_section(qualifications: Sequence[Qualification], policy: Policy) -> Section:
    """The lead-scoring grid: fit grade (rows) by engagement grade (columns).

    Args:
        qualifications: The results.
        policy: The policy (its grade bands give the rows and columns).

    Returns:
        The section, with a total per row and per column.
    """
    fits = _grade_labels(policy.fit_grades, policy.fit_default_grade)
    engagements = _grade_labels(policy.engagement_grades, policy.engagement_default_grade)
    grid = Counter((q.fit_grade, q.engagement_grade) for q in qualifications)
    rows: list[tuple[str | int, ...]] = []
    for fit in fits:
        counts = [grid[(fit, e)] for e in engagements]
        rows.append((f"fit {fit}", *counts, sum(counts)))
    totals = [sum(grid[(f, e)] for f in fits) for e in engagements]
    rows.append(("all", *totals, sum(totals)))
    return Section(
        title="Grade mix",
        columns=("", *(f"engagement {e}" for e in engagements), "all"),
        rows=tuple(rows),
        caption=(
            f"fit {fits[0]} fits best, engagement {engagements[0]} is the most engaged; "
            f"{fits[0]}{engagements[0]} is the best segment"
        ),
    )


def _first(
    qualifications: Sequence[Qualification], *tests: Callable[[Qualification], bool]
) -> Qualification | None:
    for test in tests:
        for q in qualifications:
            if test(q):
                return q
    return None


def pick_ready(qualifications: Sequence[Qualification], policy: Policy) -> Qualification | None:
    """A lead worth showing as a success: an opportunity or sales-ready by the rules.

    Prefers a lead the rules place in the last open stage, then in the one before it.

    Args:
        qualifications: The results.
        policy: The policy.

    Returns:
        The first such qualification, or ``None``.
    """
    keys = [s.key for s in policy.funnel.open_stages][-2:][::-1]
    return _first(
        qualifications,
        *(lambda q, key=key: q.stage == key and q.rule_stage == key for key in keys),
        *(lambda q, key=key: q.stage == key for key in keys),
    )


def _lacks_contact(lead: Lead) -> bool:
    return lead.contact is None or not (lead.contact.email or lead.contact.phone)


def pick_missing_data(
    leads: Sequence[Lead],
    qualifications: Sequence[Qualification],
    policy: Policy,
    explain: Callable[[Lead], Qualification],
    *,
    tries: int = 50,
) -> Qualification | None:
    """A lead with missing data whose next facts could move it to a further stage.

    Candidates are leads in an open stage before the last, without contact details
    first (no contact, or neither e-mail nor phone), then any; each is explained (scores
    hide missing facts, so only an explanation tells) until one has a next fact that
    unlocks a stage.

    Args:
        leads: The leads, in the same order as ``qualifications``.
        qualifications: Their results (not explained: that is fast).
        policy: The policy.
        explain: Qualifies one lead with its explanation.
        tries: How many candidates to explain at most.

    Returns:
        The explained qualification, or ``None`` if no candidate qualifies.
    """
    open_keys = {s.key for s in policy.funnel.open_stages[:-1]}
    staged = [lead for lead, q in zip(leads, qualifications, strict=True) if q.stage in open_keys]
    candidates = [lead for lead in staged if _lacks_contact(lead)]
    candidates += [lead for lead in staged if not _lacks_contact(lead)]
    for lead in candidates[:tries]:
        q = explain(lead)
        if any(fact.unlocks for fact in q.next_facts):
            return q
    return None
