from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from _handwritten import score_lead
from reference_policy import REFERENCE_POLICY, as_tuple

from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Company,
    Contact,
    Lead,
    Money,
    Need,
    PainPoint,
    Signal,
    Timeline,
)
from funnelkit.rules import evaluate

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TODAY = AS_OF.date()
PAIN = PainPoint(description="manual lead routing")


def company(**fields: Any) -> Lead:
    return Lead(company=Company(**fields))


def contact(**fields: Any) -> Lead:
    return Lead(contact=Contact(**fields))


def usd(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="USD")


def signals(**counts: int) -> Lead:
    at = AS_OF - timedelta(days=1)
    return Lead(
        signals=[Signal(kind=kind, occurred_at=at) for kind, n in counts.items() for _ in range(n)]
    )


def bant(**parts: Any) -> Lead:
    return Lead(bant=BANT(**parts))


def in_days(days: int) -> Timeline:
    return Timeline(decision_date=TODAY + timedelta(days=days))


FIT = [
    pytest.param(company(industry="software"), 20, id="industry-software"),
    pytest.param(company(industry="fintech"), 20, id="industry-fintech"),
    pytest.param(company(industry="healthcare_it"), 20, id="industry-healthcare_it"),
    pytest.param(company(industry="Software"), 0, id="industry-case-sensitive"),
    pytest.param(company(industry="retail"), 0, id="industry-other"),
    pytest.param(company(), 0, id="industry-missing"),
    pytest.param(company(employees=49), 0, id="employees-49"),
    pytest.param(company(employees=50), 15, id="employees-50"),
    pytest.param(company(employees=5000), 15, id="employees-5000"),
    pytest.param(company(employees=5001), 0, id="employees-5001"),
    pytest.param(company(employees=0), 0, id="employees-0"),
    pytest.param(company(employees=None), 0, id="employees-missing"),
    pytest.param(company(country="US"), 10, id="country-US"),
    pytest.param(company(country="NL"), 10, id="country-NL"),
    pytest.param(company(country="IE"), 0, id="country-other"),
    pytest.param(company(country=None), 0, id="country-missing"),
    pytest.param(company(annual_revenue=usd("9999999.99")), 0, id="revenue-9999999.99"),
    pytest.param(company(annual_revenue=usd("10000000")), 10, id="revenue-10000000"),
    pytest.param(company(annual_revenue=usd("10000000.00")), 10, id="revenue-10000000.00"),
    pytest.param(company(annual_revenue=Money(amount=Decimal("50000000"), currency="EUR")), 0, id="revenue-not-usd"),
    pytest.param(company(annual_revenue=None), 0, id="revenue-missing"),
    pytest.param(company(technologies={"salesforce", "slack"}), 5, id="salesforce"),
    pytest.param(company(technologies={"Salesforce"}), 0, id="salesforce-case-sensitive"),
    pytest.param(company(technologies=set()), 0, id="technologies-empty"),
    pytest.param(company(tags={"competitor_customer"}), -30, id="competitor-customer"),
    pytest.param(company(tags={"partner"}), 0, id="other-tag"),
    pytest.param(contact(seniority="director"), 15, id="seniority-director"),
    pytest.param(contact(seniority="vp"), 15, id="seniority-vp"),
    pytest.param(contact(seniority="c_level"), 15, id="seniority-c_level"),
    pytest.param(contact(seniority="owner"), 0, id="seniority-owner"),
    pytest.param(contact(seniority="manager"), 0, id="seniority-manager"),
    pytest.param(contact(seniority=None), 0, id="seniority-missing"),
    pytest.param(contact(department="sales"), 10, id="department-sales"),
    pytest.param(contact(department="revops"), 10, id="department-revops"),
    pytest.param(contact(department="Marketing"), 0, id="department-case-sensitive"),
    pytest.param(contact(department=None), 0, id="department-missing"),
    pytest.param(Lead(), 0, id="no-company-no-contact"),
    pytest.param(
        Lead(
            company=Company(industry="fintech", employees=50, country="DE", annual_revenue=usd("10000000"), technologies={"salesforce"}),
            contact=Contact(seniority="vp", department="marketing"),
        ),
        85,
        id="everything",
    ),
    pytest.param(
        Lead(
            company=Company(industry="fintech", employees=5000, country="DE", annual_revenue=usd("10000000"), technologies={"salesforce"}, tags={"competitor_customer"}),
            contact=Contact(seniority="vp", department="marketing"),
        ),
        55,
        id="everything-but-a-competitor-customer",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lead", "fit"), FIT)
def test_fit(lead: Lead, fit: int) -> None:
    """Each fit criterion gives its points on inclusive bounds; missing values give none."""
    assert score_lead(lead, AS_OF)[0] == fit


ENGAGEMENT = [
    pytest.param(signals(), 0, id="no-signals"),
    pytest.param(signals(demo_request=1), 30, id="demo-1"),
    pytest.param(signals(demo_request=4), 30, id="demo-capped-at-1"),
    pytest.param(signals(pricing_page_view=1), 10, id="pricing-1"),
    pytest.param(signals(pricing_page_view=3), 30, id="pricing-3"),
    pytest.param(signals(pricing_page_view=6), 30, id="pricing-capped-at-3"),
    pytest.param(signals(content_download=4), 20, id="downloads-4"),
    pytest.param(signals(content_download=5), 20, id="downloads-capped-at-4"),
    pytest.param(signals(email_reply=2), 20, id="replies-2"),
    pytest.param(signals(email_reply=3), 20, id="replies-capped-at-2"),
    pytest.param(signals(unsubscribe=1), -50, id="unsubscribe"),
    pytest.param(signals(unsubscribe=3), -50, id="unsubscribe-counts-once"),
    pytest.param(signals(demo_request=1, unsubscribe=1), -20, id="demo-and-unsubscribe"),
    pytest.param(signals(email_open=5, webinar_attended=2), 0, id="other-kinds-ignored"),
    pytest.param(signals(demo_request=6, pricing_page_view=6, content_download=6, email_reply=6), 100, id="all-capped"),
    pytest.param(signals(demo_request=1, pricing_page_view=3, content_download=4, email_reply=2, unsubscribe=1), 50, id="all-capped-and-unsubscribe"),
]  # fmt: skip


@pytest.mark.parametrize(("lead", "engagement"), ENGAGEMENT)
def test_engagement(lead: Lead, engagement: int) -> None:
    """Engagement sums capped signal counts by kind, minus 50 for an unsubscribe."""
    assert score_lead(lead, AS_OF)[1] == engagement


BANT_MET = [
    pytest.param(bant(), 0, id="nothing-known"),
    pytest.param(bant(budget=Budget(status="identified")), 1, id="budget-identified"),
    pytest.param(bant(budget=Budget(status="approved")), 1, id="budget-approved"),
    pytest.param(bant(budget=Budget(status="planned")), 0, id="budget-planned"),
    pytest.param(bant(budget=Budget(status="none")), 0, id="budget-none"),
    pytest.param(bant(budget=Budget(status="unknown")), 0, id="budget-unknown"),
    pytest.param(bant(authority=Authority(level="decision_maker")), 1, id="decision-maker"),
    pytest.param(bant(authority=Authority(level="unknown")), 0, id="decision-maker-unknown"),
    pytest.param(bant(authority=Authority(level="influencer")), 0, id="influencer"),
    pytest.param(bant(authority=Authority(level="none")), 0, id="no-authority"),
    pytest.param(bant(need=Need(pain_points=[])), 0, id="no-pain-point"),
    pytest.param(bant(need=Need(pain_points=[PAIN])), 1, id="one-pain-point"),
    pytest.param(bant(need=Need(pain_points=[PAIN, PAIN, PAIN])), 1, id="three-pain-points"),
    pytest.param(bant(timeline=in_days(0)), 1, id="timeline-today"),
    pytest.param(bant(timeline=in_days(90)), 1, id="timeline-90-days"),
    pytest.param(bant(timeline=in_days(91)), 0, id="timeline-91-days"),
    pytest.param(bant(timeline=in_days(-1)), 0, id="timeline-yesterday"),
    pytest.param(bant(timeline=Timeline()), 0, id="timeline-unknown"),
    pytest.param(bant(timeline=Timeline(horizon_days=30)), 0, id="timeline-horizon-only"),
    pytest.param(
        bant(budget=Budget(status="approved"), authority=Authority(level="decision_maker"), need=Need(pain_points=[PAIN]), timeline=in_days(30)),
        4,
        id="all-four",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lead", "bant_met"), BANT_MET)
def test_bant_met(lead: Lead, bant_met: int) -> None:
    """BANT counts only facts known to hold; unknown never counts."""
    assert score_lead(lead, AS_OF)[2] == bant_met


def test_timeline_counts_from_as_of_local_date() -> None:
    """Days to the decision count from as_of's date in as_of's own time zone."""
    as_of = datetime(2026, 5, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 2 May in UTC
    lead = bant(timeline=Timeline(decision_date=date(2026, 7, 30)))  # 90 days after 1 May
    assert score_lead(lead, as_of)[2] == 1


FIT_45 = Company(industry="software", country="US", employees=50)
FIT_35 = Company(industry="software", employees=50)
ENGAGED_30 = (Signal(kind="demo_request", occurred_at=AS_OF - timedelta(days=2)),)
ENGAGED_25 = tuple(
    Signal(kind=kind, occurred_at=AS_OF - timedelta(days=2))
    for kind in ("pricing_page_view", "pricing_page_view", "content_download")
)
BANT_4 = BANT(
    budget=Budget(status="identified"),
    authority=Authority(level="decision_maker"),
    need=Need(pain_points=[PAIN]),
    timeline=in_days(90),
)
BANT_3 = BANT(
    budget=Budget(status="identified"),
    authority=Authority(level="unknown"),
    need=Need(pain_points=[PAIN]),
    timeline=in_days(90),
)

STAGES = [
    pytest.param(Lead(company=FIT_45, signals=ENGAGED_30, bant=BANT_4), (45, 30, 4, "sales_opportunity"), id="sales-opportunity"),
    pytest.param(Lead(company=FIT_45, signals=ENGAGED_30, bant=BANT_3), (45, 30, 3, "sales_ready"), id="sales-ready"),
    pytest.param(Lead(company=FIT_45, signals=ENGAGED_25, bant=BANT_4), (45, 25, 4, "profiled"), id="profiled"),
    pytest.param(Lead(company=FIT_35, signals=ENGAGED_30, bant=BANT_4), (35, 30, 4, "inquiry"), id="inquiry-fit-35"),
    pytest.param(Lead(company=Company(industry="software", country="US", annual_revenue=usd("10000000")), signals=ENGAGED_30, bant=BANT_4), (40, 30, 4, "sales_opportunity"), id="fit-exactly-40"),
    pytest.param(Lead(), (0, 0, 0, "inquiry"), id="empty-lead"),
]  # fmt: skip


@pytest.mark.parametrize(("lead", "outputs"), STAGES)
def test_stage_first_match(lead: Lead, outputs: tuple[int, int, int, str]) -> None:
    """The stage is the first of opportunity, ready, profiled, inquiry whose test holds."""
    assert score_lead(lead, AS_OF) == outputs


def test_outputs_are_plain_ints_and_str() -> None:
    """The outputs are ints and a str, not enums or Decimals."""
    outputs = score_lead(Lead(company=FIT_45, signals=ENGAGED_30, bant=BANT_4), AS_OF)
    assert [type(value) for value in outputs] == [int, int, int, str]


def test_signals_after_as_of_count_for_nothing_in_both() -> None:
    """A signal dated after as_of is ignored by the hand-written function, as by the engine."""
    later = AS_OF + timedelta(seconds=1)
    lead = Lead(
        company=Company(industry="software", employees=500, country="US"),
        signals=[
            Signal(kind="demo_request", occurred_at=later),
            Signal(kind="unsubscribe", occurred_at=later),
            Signal(kind="pricing_page_view", occurred_at=AS_OF),
            Signal(kind="email_reply", occurred_at=later + timedelta(days=30)),
        ],
    )
    expected = as_tuple(evaluate(REFERENCE_POLICY, lead, as_of=AS_OF))
    assert score_lead(lead, AS_OF) == expected
    assert expected[1] == 10  # one pricing view at as_of itself; the rest is later
