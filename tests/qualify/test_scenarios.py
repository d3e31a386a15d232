"""Scenarios from the domain: lists, inquiries, sales-ready leads, opportunities, gaps."""

from __future__ import annotations

import attrs
import pytest

from funnelkit.model import Budget, Company, Lead, LeadSource, Signal
from funnelkit.policy import example_path, load_policy
from funnelkit.qualify import PRESETS, STARTER, qualify
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


def _purchased(*signals: Signal) -> Lead:
    """A fitting contact from a purchased list (outbound), with the given signals."""
    imported = Signal(kind="list_import", occurred_at=days_ago(40))
    source = LeadSource(direction="outbound", channel="purchased_list")
    return fitting_lead(source=source, signals=[imported, *signals])


def _cold_email_reactions() -> list[Signal]:
    """An open and a click of one of our own cold e-mails."""
    return [
        Signal(kind="email_open", occurred_at=days_ago(3), channel="email"),
        Signal(kind="email_click", occurred_at=days_ago(3), channel="email"),
    ]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_opens_and_clicks_of_a_cold_email_leave_a_list_entry_a_list(name: str):
    """Seed 004: a purchased-list contact who only opened and clicked our e-mail is no lead."""
    q = qualify(_purchased(*_cold_email_reactions()), PRESETS[name], as_of=AS_OF)
    assert q.engagement > 0  # the click still scores engagement
    assert q.stage is None
    assert not q.is_lead


@pytest.mark.parametrize(
    "kind",
    [
        "email_reply",
        "question",
        "demo_request",
        "contact_sales",
        "trial_signup",
        "content_download",
        "webinar_attended",
        "pricing_page_view",
    ],
)
def test_proactive_engagement_makes_a_list_entry_an_inquiry(kind: str):
    """A reply, a question, a request, a trial, a download or a visit makes a lead."""
    proactive = Signal(kind=kind, occurred_at=days_ago(3))
    lead = _purchased(*_cold_email_reactions(), proactive)
    q = qualify(lead, STARTER, as_of=AS_OF)
    assert q.is_lead
    assert q.stage in {"profiled", "sales_ready"}  # it fits, so it is profiled at least


def test_an_unsubscribe_takes_back_a_download():
    """Proactive engagement counts only while the engagement score stays above zero."""
    signals = [
        Signal(kind="content_download", occurred_at=days_ago(20)),
        Signal(kind="unsubscribe", occurred_at=days_ago(2)),
    ]
    q = qualify(_purchased(*signals), STARTER, as_of=AS_OF)
    assert q.engagement < 0
    assert q.stage is None


def test_the_list_rule_is_policy_data_in_the_shipped_files():
    """The shipped files name the proactive kinds; e-mail opens and clicks are not among them."""
    for name in PRESETS:
        policy = load_policy(example_path(name))
        proactive = dict(policy.definitions)["proactive"]
        assert "email_click" not in str(proactive)
        assert "email_open" not in str(proactive)
        assert "email_reply" in str(proactive)
