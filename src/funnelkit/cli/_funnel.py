"""The funnel view of qualified leads: stages, conversion, grade mix, leads worth explaining.

The tables come from ``funnelkit.analytics`` (so ``funnelkit report`` and a notebook show
the same numbers); this module turns them into sections for the console and picks the
leads the demo explains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from funnelkit.analytics import LIST_ENTRY, Table, conversion, funnel, grade_grid, result_rows
from funnelkit.cli._render import Section
from funnelkit.model import Lead

if TYPE_CHECKING:
    from funnelkit.qualify import Policy, Qualification

__all__ = [
    "LIST_ENTRY",
    "conversion_section",
    "grade_mix_section",
    "pick_missing_data",
    "pick_ready",
    "section_of",
    "stages_section",
]


def _is_number(cell: object) -> bool:
    return cell is None or (isinstance(cell, int | float) and not isinstance(cell, bool))


def section_of(table: Table) -> Section:
    """An analytics table as a console section: every cell as text, counts as numbers.

    Args:
        table: The table.

    Returns:
        The section, with the same title, columns and caption.
    """
    rows = tuple(
        tuple(
            cell if isinstance(cell, int) and not isinstance(cell, bool) else text
            for cell, text in zip(row, texts, strict=True)
        )
        for row, texts in zip(table.rows, table.texts(), strict=True)
    )
    right = frozenset(
        name for name in table.columns if all(_is_number(cell) for cell in table.column(name))
    )
    return Section(
        title=table.title, columns=table.columns, rows=rows, caption=table.caption, right=right
    )


def stages_section(qualifications: Sequence[Qualification], policy: Policy) -> Section:
    """Leads per stage, in funnel order (every stage, even empty ones), then list entries.

    Args:
        qualifications: The results.
        policy: Their policy (its funnel gives the order and the labels).

    Returns:
        The section: stage, kind (open, won, ...), leads, share.
    """
    return section_of(funnel(qualifications, policy))


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
    return section_of(conversion(result_rows(leads, qualifications, columns=()), policy))


def grade_mix_section(qualifications: Sequence[Qualification], policy: Policy) -> Section:
    """The lead-scoring grid: fit grade (rows) by engagement grade (columns).

    Args:
        qualifications: The results.
        policy: The policy (its grade bands give the rows and columns).

    Returns:
        The section, with a total per row and per column.
    """
    return section_of(grade_grid(qualifications, policy))


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
