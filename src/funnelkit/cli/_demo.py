"""The ``funnelkit demo`` command: summarise the bundled demo leads.

The summary is a sequence of [`Section`][funnelkit.cli._render.Section]s, each built by one
function of ``(leads, top)`` listed in ``SECTIONS``; a new view of the demo (such as the
stages a policy assigns) is one more builder.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from funnelkit.cli._render import Section, make_console, render_sections, share
from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.model import BudgetStatus, Lead

__all__ = [
    "COMPLETENESS",
    "SECTIONS",
    "SectionBuilder",
    "completeness_section",
    "countries_section",
    "directions_section",
    "channels_section",
    "industries_section",
    "run_demo",
    "signals_section",
    "stages_section",
    "summarize",
]

SectionBuilder = Callable[[Sequence[Lead], int], Section]
"""Builds one section from the leads and the ``--top`` limit."""

UNKNOWN = "(unknown)"


def _has_budget_info(lead: Lead) -> bool:
    budget = lead.bant.budget
    return budget.status is not BudgetStatus.UNKNOWN or budget.amount is not None


COMPLETENESS: tuple[tuple[str, Callable[[Lead], bool]], ...] = (
    ("has a contact", lambda lead: lead.contact is not None),
    ("has an e-mail address", lambda lead: bool(lead.contact and lead.contact.email)),
    ("has a phone number", lambda lead: bool(lead.contact and lead.contact.phone)),
    ("has a job title", lambda lead: bool(lead.contact and lead.contact.title)),
    ("has a seniority", lambda lead: bool(lead.contact and lead.contact.seniority)),
    ("has a company", lambda lead: lead.company is not None or lead.account_id is not None),
    ("knows the company's domain", lambda lead: bool(lead.company and lead.company.domain)),
    ("knows the industry", lambda lead: bool(lead.company and lead.company.industry)),
    (
        "knows the employees",
        lambda lead: lead.company is not None and lead.company.employees is not None,
    ),
    (
        "knows the annual revenue",
        lambda lead: lead.company is not None and lead.company.annual_revenue is not None,
    ),
    ("knows the country", lambda lead: bool(lead.company and lead.company.country)),
    ("has budget information", _has_budget_info),
    ("has a pain point", lambda lead: bool(lead.bant.need.pain_points)),
    ("has any signal", lambda lead: bool(lead.signals)),
    ("has a hand-raise (explicit signal)", lambda lead: any(s.explicit for s in lead.signals)),
    ("has a stage history", lambda lead: bool(lead.stage_history)),
)
"""The completeness checks of the demo summary: a label and a test per row."""


def _ranked(
    counts: Counter[str], top: int, total: int, unknown: int
) -> tuple[tuple[str | int, ...], ...]:
    # The ``top`` most common values, then one row for the rest and one for the unknown.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows: list[tuple[str | int, ...]] = [(k, n, share(n, total)) for k, n in ranked[:top]]
    rest = sum(n for _, n in ranked[top:])
    if rest:
        rows.append((f"(other: {len(ranked) - top})", rest, share(rest, total)))
    if unknown:
        rows.append((UNKNOWN, unknown, share(unknown, total)))
    return tuple(rows)


def directions_section(leads: Sequence[Lead], top: int) -> Section:
    """Leads by source direction: inbound, outbound, unknown."""
    counts = Counter(lead.source.direction.value for lead in leads)
    rows = tuple((k, n, share(n, len(leads))) for k, n in sorted(counts.items()))
    return Section(title="Source direction", columns=("direction", "leads", "share"), rows=rows)


def channels_section(leads: Sequence[Lead], top: int) -> Section:
    """Leads by source channel, grouped by direction."""
    counts = Counter(
        (lead.source.direction.value, lead.source.channel or UNKNOWN) for lead in leads
    )
    ranked = sorted(counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    rows = tuple((d, c, n, share(n, len(leads))) for (d, c), n in ranked)
    return Section(
        title="Source channel", columns=("direction", "channel", "leads", "share"), rows=rows
    )


def industries_section(leads: Sequence[Lead], top: int) -> Section:
    """Leads by company industry: the ``top`` most common, the rest, the unknown."""
    known = [lead.company.industry for lead in leads if lead.company and lead.company.industry]
    rows = _ranked(Counter(known), top, len(leads), len(leads) - len(known))
    return Section(title="Industry", columns=("industry", "leads", "share"), rows=rows)


def countries_section(leads: Sequence[Lead], top: int) -> Section:
    """Leads by company country: the ``top`` most common, the rest, the unknown."""
    known = [lead.company.country for lead in leads if lead.company and lead.company.country]
    rows = _ranked(Counter(known), top, len(leads), len(leads) - len(known))
    return Section(title="Country", columns=("country", "leads", "share"), rows=rows)


def completeness_section(leads: Sequence[Lead], top: int) -> Section:
    """How many leads know each fact: missing data is to find out, not to drop."""
    rows = []
    for label, check in COMPLETENESS:
        count = sum(1 for lead in leads if check(lead))
        rows.append((label, count, share(count, len(leads))))
    return Section(title="Completeness", columns=("fact", "leads", "share"), rows=tuple(rows))


def signals_section(leads: Sequence[Lead], top: int) -> Section:
    """Signal kinds: how many leads show each, and whether it is a hand-raise."""
    with_kind: Counter[str] = Counter()
    signals: Counter[str] = Counter()
    explicit: dict[str, bool] = {}
    for lead in leads:
        for signal in lead.signals:
            signals[signal.kind] += 1
            explicit[signal.kind] = explicit.get(signal.kind, False) or signal.explicit
        with_kind.update({signal.kind for signal in lead.signals})
    ranked = sorted(with_kind.items(), key=lambda item: (-item[1], item[0]))
    rows = tuple(
        (kind, "explicit" if explicit[kind] else "implicit", n, signals[kind]) for kind, n in ranked
    )
    return Section(title="Signals", columns=("kind", "type", "leads", "signals"), rows=rows)


def stages_section(leads: Sequence[Lead], top: int) -> Section:
    """Leads by the stage recorded in their history (not a qualification)."""
    counts = Counter(lead.stage or "(no history)" for lead in leads)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = tuple((stage, n, share(n, len(leads))) for stage, n in ranked)
    return Section(title="Recorded stage", columns=("stage", "leads", "share"), rows=rows)


SECTIONS: tuple[SectionBuilder, ...] = (
    directions_section,
    channels_section,
    industries_section,
    countries_section,
    completeness_section,
    signals_section,
    stages_section,
)
"""The sections of ``funnelkit demo``, in order."""


def summarize(
    leads: Iterable[Lead], *, top: int = 10, sections: Sequence[SectionBuilder] = SECTIONS
) -> tuple[Section, ...]:
    """Build the demo summary of ``leads``.

    Args:
        leads: The leads to summarise.
        top: How many values the ranked sections (industry, country) list.
        sections: The section builders, in order.

    Returns:
        One section per builder.
    """
    materialised = tuple(leads)
    return tuple(build(materialised, top) for build in sections)


def run_demo(args: argparse.Namespace) -> int:
    """Run ``funnelkit demo``: load the bundled leads and print their summary.

    Args:
        args: The parsed arguments (``no_color``, ``top``).

    Returns:
        The exit code, ``0``.
    """
    console = make_console(no_color=args.no_color)
    leads = load_demo()
    console.print(
        f"[bold]funnelkit demo[/bold]: {len(leads):,} leads "
        f"(bundled sample, as of {DEMO_AS_OF.date().isoformat()})"
    )
    console.print()
    render_sections(console, summarize(leads, top=args.top))
    return 0
