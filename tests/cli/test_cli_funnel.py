"""The demo's funnel view: stages, conversion, grade mix, and the leads it explains."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from funnelkit.cli._demo import missing_facts
from funnelkit.cli._funnel import (
    LIST_ENTRY,
    conversion_section,
    grade_mix_section,
    pick_missing_data,
    pick_ready,
    stages_section,
)
from funnelkit.model import Company, Contact, Lead, Signal, StageChange
from funnelkit.qualify import STARTER, Qualification, qualify

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
AT = datetime(2026, 10, 25, tzinfo=UTC)
FITS = Company(name="Acme", industry="software", employees=300, country="DE")
VP = Contact(email="ana@acme.example", seniority="vp", department="sales")
DEMO_REQUEST = Signal(kind="demo_request", occurred_at=AT, explicit=True)
VIEW = Signal(kind="pricing_page_view", occurred_at=AT)


def history(*stages: str) -> tuple[StageChange, ...]:
    """A stage history through ``stages``, a day apart."""
    return tuple(
        StageChange(
            at=datetime(2026, 5, day + 1, tzinfo=UTC),
            to_stage=stage,
            from_stage=stages[day - 1] if day else None,
        )
        for day, stage in enumerate(stages)
    )


LEADS = (
    Lead(id="ready", company=FITS, contact=VP, signals=[DEMO_REQUEST]),
    Lead(id="sparse", company=Company(name="Beta"), signals=[VIEW]),
    Lead(id="badge", company=Company(name="Gamma")),
    Lead(id="won", stage_history=history("inquiry", "profiled", "sales_opportunity", "customer")),
    Lead(id="recycled", signals=[VIEW], stage_history=history("inquiry", "profiled", "nurture")),
)


@pytest.fixture(scope="module")
def results() -> list[Qualification]:
    """The leads qualified with the starter preset, not explained."""
    return [qualify(lead, STARTER, as_of=AS_OF, explain=False) for lead in LEADS]


def test_stages_are_counted_in_funnel_order(results: list[Qualification]) -> None:
    """Every stage has a row, in funnel order, then the list entries."""
    rows = stages_section(results, STARTER).rows
    assert [row[0] for row in rows] == [s.label for s in STARTER.funnel.stages] + [LIST_ENTRY]
    counts = {row[0]: row[2] for row in rows}
    assert counts["Sales-Ready Lead"] == 1
    assert counts["Customer"] == 1
    assert counts[LIST_ENTRY] == 1
    assert sum(int(row[2]) for row in rows) == len(LEADS)


def test_conversion_counts_leads_that_reached_at_least_each_stage(
    results: list[Qualification],
) -> None:
    """A stage counts leads there now, further now, or past it in their history."""
    rows = conversion_section(LEADS, results, STARTER).rows
    reached = {row[0]: row[1] for row in rows}
    # inquiry: ready, sparse, won, recycled; profiled: ready, won, recycled (history)
    assert reached == {
        "Inquiry": 4,
        "Profiled Lead": 3,
        "Sales-Ready Lead": 2,
        "Sales Opportunity": 1,
    }
    assert rows[1][3] == "75.0%"
    assert rows[0][3] == "-"


def test_grade_mix_counts_each_lead_once(results: list[Qualification]) -> None:
    """The grid has a row per fit grade, a column per engagement grade, and totals."""
    section = grade_mix_section(results, STARTER)
    assert section.columns[1:] == (
        "engagement 1",
        "engagement 2",
        "engagement 3",
        "engagement 4",
        "all",
    )
    assert [row[0] for row in section.rows] == ["fit A", "fit B", "fit C", "fit D", "all"]
    assert section.rows[-1][-1] == len(LEADS)
    ready = results[0]
    row = next(r for r in section.rows if r[0] == f"fit {ready.fit_grade}")
    assert int(row[section.columns.index(f"engagement {ready.engagement_grade}")]) >= 1


def test_pick_ready_prefers_a_lead_placed_by_the_rules(results: list[Qualification]) -> None:
    """The success example is placed by the rules, not only by its history."""
    picked = pick_ready(results, STARTER)
    assert picked is not None
    assert picked.lead_id == "ready"


def test_pick_missing_data_finds_a_lead_whose_facts_unlock_a_stage(
    results: list[Qualification],
) -> None:
    """The missing-data example is explained, and a next fact could move it forward."""

    def explain(lead: Lead) -> Qualification:
        return qualify(lead, STARTER, as_of=AS_OF)

    picked = pick_missing_data(LEADS, results, STARTER, explain)
    assert picked is not None
    assert picked.lead_id == "sparse"
    assert any(fact.unlocks for fact in picked.next_facts)


def test_missing_facts_name_what_a_lead_lacks() -> None:
    """``missing_facts`` turns failed completeness checks into phrases."""
    lacks = missing_facts(LEADS[1])
    assert "a contact" in lacks
    assert "the industry" in lacks
    assert "a company" not in lacks
