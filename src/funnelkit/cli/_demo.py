"""The ``funnelkit demo`` command: qualify the bundled demo leads and show the funnel.

The demo qualifies the 2,500 bundled leads with the ``starter`` preset at
[`DEMO_AS_OF`][funnelkit.data.DEMO_AS_OF] (without explaining, which is fast), prints the
funnel (leads per stage, conversion, grade mix), explains two leads (one sales-ready or an
opportunity, one with missing data and its next facts), summarises the data with the
builders in ``SECTIONS`` (each is a function of ``(leads, top)`` returning a
[`Section`][funnelkit.cli._render.Section]), and ends with a short backtest on the demo
outcomes: the AUC of each score and conversion by fit grade.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from funnelkit.cli._funnel import (
    conversion_section,
    grade_mix_section,
    pick_missing_data,
    pick_ready,
    section_of,
    stages_section,
)
from funnelkit.cli._render import Section, make_console, render_sections, share
from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
from funnelkit.model import BudgetStatus, Lead

if TYPE_CHECKING:
    from rich.console import Console

    from funnelkit.qualify import Qualification

__all__ = [
    "COMPLETENESS",
    "DEMO_POLICY",
    "SECTIONS",
    "SectionBuilder",
    "channels_section",
    "completeness_section",
    "countries_section",
    "industries_section",
    "missing_facts",
    "run_demo",
    "summarize",
]

DEMO_POLICY = "starter"
"""The preset the demo qualifies with."""

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


SECTIONS: tuple[SectionBuilder, ...] = (
    channels_section,
    industries_section,
    countries_section,
    completeness_section,
)
"""The data summary of ``funnelkit demo``, after the funnel, in order."""


def missing_facts(lead: Lead) -> tuple[str, ...]:
    """What the lead lacks, in the words of ``COMPLETENESS`` (``a contact``, ``the industry``).

    Args:
        lead: The lead.

    Returns:
        One phrase per failed completeness check, hand-raises and history left out.
    """
    skip = ("has a hand-raise (explicit signal)", "has a stage history")
    return tuple(
        label.split(" ", 1)[1]
        for label, check in COMPLETENESS
        if label not in skip and not check(lead)
    )


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


def _show(console: Console, title: str, lead: Lead, q: Qualification) -> None:
    from rich.text import Text

    console.print(Text(title, style="bold"))
    lacks = missing_facts(lead)
    if lacks:
        console.print(Text(f"  lacks: {', '.join(lacks)}"), soft_wrap=True)
    console.print(Text(str(q)), soft_wrap=True)
    console.print()


def run_demo(args: argparse.Namespace) -> int:
    """Run ``funnelkit demo``: qualify the bundled leads, show the funnel and the data.

    Args:
        args: The parsed arguments (``no_color``, ``top``).

    Returns:
        The exit code, ``0``.
    """
    from funnelkit.qualify import PRESETS, qualify, qualify_many

    console = make_console(no_color=args.no_color)
    policy = PRESETS[DEMO_POLICY]
    leads = load_demo()
    results: list[Qualification] = list(
        qualify_many(leads, policy, as_of=DEMO_AS_OF, explain=False)
    )

    def explain(lead: Lead) -> Qualification:
        return qualify(lead, policy, as_of=DEMO_AS_OF, explain=True)

    console.print(
        f"[bold]funnelkit demo[/bold]: {len(leads):,} leads "
        f"(bundled sample, as of {DEMO_AS_OF.date().isoformat()})"
    )
    console.print(f"qualified with the {DEMO_POLICY!r} preset ({policy.label})")
    console.print()
    render_sections(
        console,
        (
            stages_section(results, policy),
            conversion_section(leads, results, policy),
            grade_mix_section(results, policy),
        ),
    )
    by_id = {lead.id: lead for lead in leads}
    ready = pick_ready(results, policy)
    if ready is not None:
        how = "the rules place" if ready.rule_stage == ready.stage else "its history puts"
        lead = by_id[ready.lead_id]
        _show(console, f"A lead {how} in {ready.stage_label}", lead, explain(lead))
    missing = pick_missing_data(leads, results, policy, explain)
    if missing is not None:
        _show(
            console,
            "A lead with missing data, and what to find out next",
            by_id[missing.lead_id],
            missing,
        )
    render_sections(console, summarize(leads, top=args.top))
    _backtest(console, leads)
    return 0


def _backtest(console: Console, leads: Sequence[Lead]) -> None:
    from rich.text import Text

    from funnelkit.analytics import backtest
    from funnelkit.qualify import PRESETS

    report = backtest(
        leads, PRESETS[DEMO_POLICY], outcome=load_demo_outcomes(), as_of=DEMO_AS_OF, by=()
    )
    console.print(Text("Backtest on the demo outcomes", style="bold"))
    console.print(Text(f"  {report.summary()}"), soft_wrap=True)
    console.print(
        Text("  (for every table: funnelkit backtest, or funnelkit.analytics.backtest)"),
        soft_wrap=True,
    )
    console.print()
    render_sections(console, (section_of(report.scores), section_of(report.by_fit_grade)))
