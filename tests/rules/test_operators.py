"""Examples for every condition and value node, evaluated by all three engines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from funnelkit.model import BANT, Budget, Company, Contact, Lead, LeadSource, Money, Timeline
from funnelkit.rules import F, Truth, lit, maximum, minimum

T, FA, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ACME = Company(
    name="Acme Software",
    domain="acme.com",
    industry="software",
    employees=120,
    annual_revenue=Money(amount="12000000", currency="USD"),
    country="US",
    technologies={"salesforce", "slack"},
    tags={"partner"},
    founded_year=2010,
)
ANA = Contact(
    name="Ana Ruiz",
    email="ana@acme.com",
    title="VP Marketing",
    seniority="vp",
    department="marketing",
    buying_roles={"champion"},
)
LEAD = Lead(
    company=ACME,
    contact=ANA,
    created_at=AS_OF - timedelta(days=10, hours=1),
    bant=BANT(timeline=Timeline(decision_date=date(2026, 6, 1))),
)
EMPTY = Lead()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (F.company.employees == 120, T),
        (F.company.employees != 120, FA),
        (F.company.employees < 200, T),
        (F.company.employees <= 120, T),
        (F.company.employees > 120, FA),
        (F.company.employees >= 121, FA),
        (F.company.employees < F.company.founded_year, T),
        (F.company.country == "US", T),
        (F.company.annual_revenue.amount > 10_000_000, T),
        (F.contact.opted_out == False, T),  # noqa: E712
    ],
    ids=repr,
)
def test_comparisons_on_present_values(ev, rule, expected):
    """Comparisons of present values give TRUE or FALSE."""
    assert ev(rule, LEAD) is expected


@pytest.mark.parametrize(
    "rule",
    [
        F.company.employees == 120,
        F.company.employees != 120,
        F.company.employees < 200,
        F.company.employees >= 0,
        F.company.employees < F.company.founded_year,
        F.contact.opted_out == False,  # noqa: E712
    ],
    ids=repr,
)
def test_comparisons_with_a_missing_side_are_unknown(ev, rule):
    """Any comparison with a missing side is UNKNOWN, never FALSE."""
    assert ev(rule, EMPTY) is U


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.company.industry.isin({"software", "fintech"}), LEAD, T),
        (F.company.industry.isin({"retail"}), LEAD, FA),
        (F.company.industry.isin({"Software"}), LEAD, FA),
        (F.company.industry.isin({"software"}), EMPTY, U),
        (F.contact.seniority.isin({"vp", "c_level"}), LEAD, T),
    ],
    ids=repr,
)
def test_isin(ev, rule, lead, expected):
    """isin is exact, case-sensitive membership; a missing value is UNKNOWN."""
    assert ev(rule, lead) is expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(120, 200, T), (50, 120, T), (120, 120, T), (121, 200, FA), (50, 119, FA)],
)
def test_between_includes_both_edges(ev, low, high, expected):
    """between(low, high) holds for low <= value <= high, edges included."""
    assert ev(F.company.employees.between(low, high), LEAD) is expected


def test_between_on_a_missing_value_is_unknown(ev):
    """between on a missing value is UNKNOWN."""
    assert ev(F.company.employees.between(1, 10), EMPTY) is U


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.company.technologies.contains("salesforce"), LEAD, T),
        (F.company.technologies.contains("hubspot"), LEAD, FA),
        (F.company.technologies.contains("salesforce"), EMPTY, U),
        (F.contact.buying_roles.contains("champion"), LEAD, T),
        (F.company.technologies.overlaps({"hubspot", "slack"}), LEAD, T),
        (F.company.technologies.overlaps({"hubspot", "marketo"}), LEAD, FA),
        (F.company.technologies.overlaps(set()), LEAD, FA),
        (F.company.technologies.overlaps({"slack"}), EMPTY, U),
        (F.contact.buying_roles.overlaps({"champion", "user"}), LEAD, T),
    ],
    ids=repr,
)
def test_set_membership(ev, rule, lead, expected):
    """contains and any_of test a set's items; a missing set is UNKNOWN."""
    assert ev(rule, lead) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (F.company.name.contains("Soft"), T),
        (F.company.name.contains("soft"), FA),
        (F.contact.title.startswith("VP"), T),
        (F.contact.title.startswith("vp"), FA),
        (F.contact.title.endswith("Marketing"), T),
        (F.contact.title.endswith("Sales"), FA),
        (F.contact.title.icontains("MARKET"), T),
        (F.contact.title.icontains("sales"), FA),
        (F.contact.title.matches(r"^VP\b"), T),
        (F.contact.title.matches("Marketing"), T),
        (F.contact.title.matches("^Marketing"), FA),
        (F.contact.seniority.startswith("v"), T),
    ],
    ids=repr,
)
def test_text_tests(ev, rule, expected):
    """Text tests: substring, prefix, suffix, case-insensitive part, regex search."""
    assert ev(rule, LEAD) is expected


@pytest.mark.parametrize(
    "rule",
    [
        F.contact.title.startswith("VP"),
        F.contact.title.endswith("x"),
        F.contact.title.icontains("vp"),
        F.contact.title.matches("VP"),
        F.company.name.contains("Acme"),
    ],
    ids=repr,
)
def test_text_tests_on_missing_text_are_unknown(ev, rule):
    """Text tests on a missing text are UNKNOWN."""
    assert ev(rule, EMPTY) is U


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.company.employees.is_missing(), EMPTY, T),
        (F.company.employees.is_missing(), LEAD, FA),
        (F.company.employees.is_present(), EMPTY, FA),
        (F.company.employees.is_present(), LEAD, T),
        (F.company.is_missing(), EMPTY, T),
        (F.bant.budget.status.is_missing(), LEAD, T),
    ],
    ids=repr,
)
def test_presence_tests_are_never_unknown(ev, rule, lead, expected):
    """is_missing and is_present state what is known: TRUE or FALSE, never UNKNOWN."""
    assert ev(rule, lead) is expected


@pytest.mark.parametrize(
    ("days_ago", "window", "expected"),
    [
        (timedelta(days=10), 30, T),
        (timedelta(days=30), 30, T),
        (timedelta(days=31), 30, FA),
        (timedelta(0), 0, T),
        (-timedelta(days=1), 30, FA),
    ],
)
def test_within_counts_back_from_as_of(ev, days_ago, window, expected):
    """within(days=n) holds for 0 <= whole days since the instant <= n."""
    lead = Lead(created_at=AS_OF - days_ago)
    assert ev(F.created_at.within(days=window), lead) is expected


def test_within_on_a_missing_instant_is_unknown(ev):
    """within on a missing instant is UNKNOWN."""
    assert ev(F.created_at.within(days=30), EMPTY) is U


def test_age_days_counts_whole_days(ev):
    """age_days is the whole number of days from the instant to as_of."""
    assert ev(F.created_at.age_days(), LEAD) == 10


def test_age_days_depends_on_as_of(ev):
    """The same lead is older at a later as_of: nothing reads a clock."""
    later = AS_OF + timedelta(days=5)
    assert ev(F.created_at.age_days(), LEAD, as_of=later) == 15


def test_days_until_a_date(ev):
    """days_until counts whole days from as_of's date to a date."""
    assert ev(F.bant.timeline.decision_date.days_until(), LEAD) == 31


def test_days_until_of_a_missing_date_is_missing(ev):
    """A day count of a missing date is missing."""
    assert ev(F.bant.timeline.decision_date.days_until(), EMPTY) is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (F.bant.timeline.decision_date.before(date(2026, 7, 1)), T),
        (F.bant.timeline.decision_date.before(date(2026, 6, 1)), FA),
        (F.bant.timeline.decision_date.after(date(2026, 6, 1)), FA),
        (F.bant.timeline.decision_date.after(date(2026, 5, 31)), T),
        (F.created_at.before(AS_OF), T),
        (F.created_at.after(AS_OF - timedelta(days=11)), T),
    ],
    ids=repr,
)
def test_before_and_after_are_strict(ev, rule, expected):
    """before and after compare instants strictly."""
    assert ev(rule, LEAD) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (F.company.employees + 10, 130),
        (F.company.employees - 20, 100),
        (F.company.employees * 2, 240),
        (F.company.employees / 4, 30.0),
        (-F.company.employees, -120),
        (100 - F.company.employees, -20),
        (F.company.annual_revenue.amount + 0.5, Decimal("12000000.5")),
    ],
    ids=repr,
)
def test_arithmetic(ev, rule, expected):
    """Arithmetic on present numbers; floats mixed with Decimals become Decimals."""
    result = ev(rule, LEAD)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "rule",
    [F.company.employees / 0, F.company.employees / (F.company.employees - 120)],
    ids=repr,
)
def test_division_by_zero_is_missing(ev, rule):
    """Division by zero gives a missing value, not an exception."""
    assert ev(rule, LEAD) is None


def test_division_by_zero_makes_a_comparison_unknown(ev):
    """A comparison with a division by zero is UNKNOWN."""
    assert ev((F.company.employees / 0) > 1, LEAD) is U


def test_arithmetic_with_a_missing_side_is_missing(ev):
    """Arithmetic with a missing operand is missing."""
    assert ev(F.company.employees + 1, EMPTY) is None


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (minimum(F.company.employees, 100), LEAD, 100),
        (minimum(F.company.employees, 500, 300), LEAD, 120),
        (maximum(F.company.employees, 500), LEAD, 500),
        (maximum(F.company.employees), LEAD, 120),
        (F.company.employees.clip(0, 100), LEAD, 100),
        (F.company.employees.clip(200, 300), LEAD, 200),
        (F.company.employees.clip(0, 1000), LEAD, 120),
        (minimum(F.company.employees, 100), EMPTY, None),
        (maximum(lit(3), F.company.employees), EMPTY, None),
        (F.company.employees.clip(0, 100), EMPTY, None),
    ],
    ids=repr,
)
def test_minimum_maximum_clip(ev, rule, lead, expected):
    """minimum, maximum and clip of numbers; missing if any argument is missing."""
    assert ev(rule, lead) == expected


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.company.technologies.size(), LEAD, 2),
        (F.company.technologies.size(), EMPTY, 0),
        (F.contact.buying_roles.size(), LEAD, 1),
        (F.bant.need.pain_points.size(), LEAD, 0),
        (F.stage_history.size(), EMPTY, 0),
    ],
    ids=repr,
)
def test_size_is_never_missing(ev, rule, lead, expected):
    """size counts items; an absent set counts as empty."""
    assert ev(rule, lead) == expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (F.company.annual_revenue >= Money(amount=10_000_000, currency="USD"), T),
        (F.company.annual_revenue < Money(amount=10_000_000, currency="USD"), FA),
        (F.company.annual_revenue == Money(amount="12000000.00", currency="USD"), T),
        (F.company.annual_revenue >= Money(amount=10_000_000, currency="EUR"), U),
        (F.company.annual_revenue == Money(amount=12_000_000, currency="EUR"), U),
        (
            F.company.annual_revenue.between(
                Money(amount=1, currency="USD"), Money(amount=10**9, currency="USD")
            ),
            T,
        ),
        (
            F.company.annual_revenue.between(
                Money(amount=1, currency="EUR"), Money(amount=10**9, currency="EUR")
            ),
            U,
        ),
    ],
    ids=repr,
)
def test_money_compares_within_one_currency(ev, rule, expected):
    """Money compares by amount in one currency; across currencies it is UNKNOWN."""
    assert ev(rule, LEAD) is expected


def test_money_compared_with_money_on_both_sides(ev):
    """Two money fields in different currencies compare as UNKNOWN."""
    lead = Lead(
        company=ACME,
        bant=BANT(budget=Budget(amount=Money(amount=50_000, currency="EUR"))),
    )
    assert ev(F.bant.budget.amount < F.company.annual_revenue, lead) is U


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.bant.budget.status == "unknown", LEAD, U),
        (F.bant.budget.status != "identified", LEAD, U),
        (F.bant.budget.status.isin({"unknown", "none"}), LEAD, U),
        (
            F.bant.budget.status == "identified",
            Lead(bant=BANT(budget=Budget(status="identified"))),
            T,
        ),
        (F.source.direction == "inbound", LEAD, U),
        (F.source.direction == "inbound", Lead(source=LeadSource(direction="inbound")), T),
    ],
    ids=repr,
)
def test_enum_unknown_members_read_as_missing(ev, rule, lead, expected):
    """An enum's UNKNOWN member is a missing fact: comparisons with it are UNKNOWN."""
    assert ev(rule, lead) is expected


def test_custom_attributes_are_read_by_key(ev):
    """F.custom['key'] reads the lead's custom mapping."""
    assert ev(F.custom["tier"] == "gold", Lead(custom={"tier": "gold"})) is T


def test_absent_custom_key_is_missing(ev):
    """An absent custom key is a missing value."""
    assert ev(F.custom["segment"] == "smb", Lead(custom={"tier": "gold"})) is U
