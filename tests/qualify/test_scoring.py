"""ICP fit and engagement scoring as rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnelkit.model import (
    Band,
    Company,
    Contact,
    Exclusions,
    IdealCustomerProfile,
    Lead,
    Money,
    Signal,
)
from funnelkit.qualify import (
    DEFAULT_ICP,
    SignalPoints,
    engagement_score,
    icp_criteria,
    icp_excluded,
    icp_fit,
    icp_points,
)
from funnelkit.rules import RuleBuildError, Truth, evaluate

from .conftest import AS_OF, days_ago


def ev(rule, lead):
    return evaluate(rule, lead, as_of=AS_OF)


ICP = IdealCustomerProfile(
    name="t",
    industries=frozenset({"software"}),
    employee_bands=[Band(low=50, high=500), Band(low=2000)],
    revenue_bands=[Band(low=1_000_000)],
    titles=frozenset({"revenue", "sales"}),
    must_have=frozenset({"industry"}),
    exclusions=Exclusions(domains=frozenset({"rival.example"})),
)


def test_only_constrained_criteria_become_rules():
    """A profile yields conditions for the criteria it constrains, in its order."""
    assert list(icp_criteria(ICP)) == ["industry", "employees", "annual_revenue", "title"]


@pytest.mark.parametrize(
    ("employees", "expected"),
    [
        (49, Truth.FALSE),
        (50, Truth.TRUE),
        (501, Truth.FALSE),
        (2000, Truth.TRUE),
        (None, Truth.UNKNOWN),
    ],
)
def test_any_employee_band_matches(employees, expected):
    """Employees inside any band (ends included) match; open-ended bands work."""
    rule = icp_criteria(ICP)["employees"]
    assert ev(rule, Lead(company=Company(employees=employees))) is expected


def test_revenue_in_another_currency_is_unknown():
    """Revenue is compared in the profile's currency only; EUR revenue is UNKNOWN."""
    rule = icp_criteria(ICP)["annual_revenue"]
    eur = Company(annual_revenue=Money(amount=Decimal(5_000_000), currency="EUR"))
    assert ev(rule, Lead(company=eur)) is Truth.UNKNOWN


def test_title_keywords_match_case_insensitively():
    """Title keywords match anywhere in the title, ignoring case."""
    rule = icp_criteria(ICP)["title"]
    assert ev(rule, Lead(contact=Contact(title="VP Sales EMEA"))) is Truth.TRUE


def test_weights_are_scaled_to_whole_points_summing_to_100():
    """The default weights 20, 15, 10 and 10 scale to 37, 27, 18 and 18."""
    assert icp_points(ICP) == {"industry": 37, "employees": 27, "annual_revenue": 18, "title": 18}


def test_fit_adds_the_points_of_the_met_criteria():
    """Software (37) with 100 employees (27) and no other facts scores 64."""
    lead = Lead(company=Company(industry="software", employees=100))
    assert ev(icp_fit(ICP), lead) == 64


def test_an_excluded_company_scores_zero():
    """A company on the exclusion list scores 0 whatever else it matches."""
    lead = Lead(company=Company(industry="software", employees=100, domain="rival.example"))
    assert ev(icp_excluded(ICP), lead) is Truth.TRUE
    assert ev(icp_fit(ICP), lead) == 0


def test_failing_a_must_have_scores_zero():
    """A known industry outside the profile fails the must-have and scores 0."""
    lead = Lead(company=Company(industry="retail", employees=100))
    assert ev(icp_fit(ICP), lead) == 0


def test_an_unknown_must_have_keeps_the_partial_score():
    """An unknown industry does not zero the score: it is something to find out."""
    lead = Lead(company=Company(employees=100))
    assert ev(icp_fit(ICP), lead) == 27


def test_the_default_icp_fit_stays_between_0_and_100():
    """A lead that matches everything scores exactly 100 with the default weights."""
    lead = Lead(
        company=Company(
            industry="software",
            employees=400,
            country="US",
            annual_revenue=Money(amount=Decimal(20_000_000), currency="USD"),
            technologies=frozenset({"salesforce"}),
        ),
        contact=Contact(seniority="vp", department="sales"),
    )
    assert ev(icp_fit(DEFAULT_ICP), lead) == 100


def _sig(kind: str, age: float) -> Signal:
    return Signal(kind=kind, occurred_at=days_ago(age))


def test_once_counts_a_kind_at_most_once():
    """frequency='once' gives the points once however many signals."""
    rule = engagement_score(SignalPoints(kinds="demo_request", points=30, frequency="once"))
    assert ev(rule, Lead(signals=[_sig("demo_request", 1)] * 3)) == 30


def test_every_counts_each_signal_up_to_the_cap():
    """frequency='every' adds points per signal until the kind's cap."""
    rule = engagement_score(SignalPoints(kinds="pricing_page_view", points=10, cap=30))
    assert ev(rule, Lead(signals=[_sig("pricing_page_view", 1)] * 2)) == 20
    assert ev(rule, Lead(signals=[_sig("pricing_page_view", 1)] * 5)) == 30


def test_signals_outside_the_window_do_not_count():
    """A recency window drops older signals."""
    rule = engagement_score(SignalPoints(kinds="question", points=15, within_days=30))
    assert ev(rule, Lead(signals=[_sig("question", 31)])) == 0
    assert ev(rule, Lead(signals=[_sig("question", 30)])) == 15


def test_decay_halves_the_points_each_half_life():
    """A signal one half-life old gives half its points."""
    rule = engagement_score(SignalPoints(kinds="email_reply", points=10, half_life_days=30))
    assert ev(rule, Lead(signals=[_sig("email_reply", 30)])) == Decimal("5.0000")


def test_negative_signals_take_points_away_within_their_cap():
    """Penalties subtract, and a cap bounds them from below."""
    rule = engagement_score(SignalPoints(kinds="bounce", points=-20, cap=30), floor=None, cap=100)
    assert ev(rule, Lead(signals=[_sig("bounce", 1)] * 3)) == -30


def test_the_total_is_capped():
    """The engagement total never exceeds its cap."""
    rule = engagement_score(
        SignalPoints(kinds="demo_request", points=80, frequency="once"),
        SignalPoints(kinds="question", points=80, frequency="once"),
        cap=100,
    )
    assert ev(rule, Lead(signals=[_sig("demo_request", 1), _sig("question", 1)])) == 100


@pytest.mark.parametrize(("apart", "expected"), [(0.9, 10), (1, 20), (3, 20)])
def test_at_most_once_per_n_days_counts_signals_a_gap_apart(apart, expected):
    """min_gap_days=1 gives the points once per day: two views count twice from 1 day apart."""
    rule = engagement_score(SignalPoints(kinds="pricing_page_view", points=10, min_gap_days=1))
    lead = Lead(signals=[_sig("pricing_page_view", 5), _sig("pricing_page_view", 5 - apart)])
    assert ev(rule, lead) == expected


def test_a_gap_with_decay_weighs_the_newest_signal_of_a_burst():
    """With decay and a gap, of signals 7 and 6 days old only the newest counts."""
    rule = engagement_score(
        SignalPoints(kinds="email_reply", points=10, half_life_days=7, min_gap_days=7)
    )
    lead = Lead(signals=[_sig("email_reply", 7), _sig("email_reply", 6)])
    assert ev(rule, lead) == Decimal("5.5204")


@pytest.mark.parametrize(("explicit", "expected"), [(True, 30), (False, 10), (None, 40)])
def test_explicit_separates_hand_raises_from_behaviour(explicit, expected):
    """explicit=True counts hand-raises only, False observed behaviour only, None both."""
    rule = engagement_score(SignalPoints(kinds="question", points=10, explicit=explicit))
    asked = Signal(kind="question", occurred_at=days_ago(1), explicit=True)
    lead = Lead(signals=[asked] * 3 + [_sig("question", 2)])
    assert ev(rule, lead) == expected


def test_signal_points_map_to_the_signal_query():
    """explicit and min_gap_days go into the rule's signal query."""
    item = SignalPoints(kinds="demo_request", points=5, explicit=True, min_gap_days=7.0)
    assert repr(item.to_rule()) == (
        "score(per(5, signals(kind='demo_request', explicit=True).count(min_gap_days=7)), "
        "name='demo_request')"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": "daily"}, "frequency must be one of"),
        ({"cap": 0}, "cap must be > 0"),
        ({"half_life_days": -1}, "half_life_days must be > 0"),
        ({"points": 1.5}, "points must be an int or a Decimal"),
        ({"min_gap_days": 0}, "min_gap_days must be a number of days > 0 .*got 0"),
        ({"min_gap_days": "7"}, "min_gap_days must be a number of days > 0, got '7'"),
        (
            {"frequency": "once", "min_gap_days": 7},
            "min_gap_days=7 needs frequency='every'",
        ),
        ({"explicit": "yes"}, "explicit must be True, False or None, got 'yes'"),
    ],
)
def test_bad_signal_points_are_refused(kwargs, message):
    """Bad settings raise RuleBuildError naming the setting and value."""
    fields = {"kinds": "x", "points": 1} | kwargs
    with pytest.raises(RuleBuildError, match=message):
        SignalPoints(**fields)
