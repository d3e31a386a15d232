"""Scenarios from the domain: lists, inquiries, sales-ready leads, opportunities, gaps."""

from __future__ import annotations

import attrs

from funnelkit.model import Budget, Company, Lead, Signal
from funnelkit.qualify import STARTER, qualify
from funnelkit.rules import Truth

from .conftest import AS_OF, bant_met, days_ago, demo_request, fitting_lead


def test_a_trade_show_badge_list_is_not_a_lead():
    """A badge scan from a fitting company, with no engagement, stays a list entry."""
    badge = Signal(kind="event_badge_scan", occurred_at=days_ago(10))
    q = qualify(fitting_lead(signals=[badge]), STARTER, as_of=AS_OF)
    assert q.stage is None
    assert not q.is_lead
    assert q.engagement == 0
    assert q.fit >= 50  # it fits; it just has not shown interest


def test_an_inbound_demo_request_from_a_fitting_company_is_sales_ready():
    """A demo request from a company and person that fit makes a sales-ready lead."""
    q = qualify(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF)
    assert q.stage == "sales_ready"
    assert q.stage_label == "Sales-Ready Lead"


def test_bant_met_with_a_60_day_timeline_makes_an_opportunity():
    """Budget identified, a decision maker, a stated need and a 60-day timeline: opportunity."""
    lead = fitting_lead(signals=[demo_request()], bant=bant_met(days=60))
    q = qualify(lead, STARTER, as_of=AS_OF)
    assert q.stage == "sales_opportunity"
    assert q.met("bant") == 4
    assert all(c.status is Truth.TRUE for c in q.framework("bant"))


def test_a_lead_without_contact_details_is_kept_staged_and_told_what_to_find_out():
    """No contact at all: still staged, and the contact's facts are among the next facts."""
    lead = Lead(
        id="L-2",
        company=Company(industry="software", employees=300, country="DE"),
        signals=[demo_request()],
    )
    q = qualify(lead, STARTER, as_of=AS_OF)
    assert q.stage == "sales_ready"  # fits well enough, and asked for a demo
    paths = [f.path for f in q.next_facts]
    assert "contact.seniority" in paths
    assert "contact.department" in paths
    seniority = next(f for f in q.next_facts if f.path == "contact.seniority")
    assert seniority.scores == ("fit",)


def test_budget_status_is_the_fact_that_would_make_an_opportunity():
    """With every BANT part but the budget known, budget status unlocks the opportunity."""
    lead = fitting_lead(signals=[demo_request()], bant=attrs.evolve(bant_met(), budget=Budget()))
    q = qualify(lead, STARTER, as_of=AS_OF)
    assert q.stage == "sales_ready"
    first = q.next_facts[0]
    assert first.path == "bant.budget.status"
    assert first.unlocks == ("sales_opportunity",)
    assert "Sales-Ready Lead to Sales Opportunity" in first.reason
