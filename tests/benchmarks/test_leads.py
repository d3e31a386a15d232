import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import _leads
import pytest
from _leads import make_leads

from funnelkit.model import AuthorityLevel, BudgetStatus, Lead, Money

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
TODAY = AS_OF.date()
ROWS = 5000


@pytest.fixture(scope="module")
def leads() -> list[Lead]:
    return make_leads(ROWS, as_of=AS_OF)


def share(leads: list[Lead], predicate: Callable[[Lead], bool]) -> float:
    return sum(1 for lead in leads if predicate(lead)) / len(leads)


def test_same_seed_same_leads() -> None:
    """The same n, seed and as_of give equal leads."""
    assert make_leads(300, seed=7, as_of=AS_OF) == make_leads(300, seed=7, as_of=AS_OF)


def test_other_seed_other_leads() -> None:
    """Another seed gives other leads."""
    assert make_leads(50, seed=7, as_of=AS_OF) != make_leads(50, seed=8, as_of=AS_OF)


def test_fewer_rows_are_a_prefix() -> None:
    """Asking for fewer rows gives the first leads of a longer run."""
    assert make_leads(40, as_of=AS_OF) == make_leads(120, as_of=AS_OF)[:40]


def test_ids_are_numbered() -> None:
    """Leads are numbered L-000000, L-000001, ..."""
    assert [lead.id for lead in make_leads(3, as_of=AS_OF)] == ["L-000000", "L-000001", "L-000002"]


def test_zero_rows() -> None:
    """Zero rows give no leads."""
    assert make_leads(0, as_of=AS_OF) == []


GAPS = [
    pytest.param(lambda lead: lead.company is None, _leads.P_NO_COMPANY, id="no-company"),
    pytest.param(lambda lead: lead.contact is None, _leads.P_NO_CONTACT, id="no-contact"),
    pytest.param(lambda lead: lead.company is not None and lead.company.employees is None, 0.05, id="missing-employees"),
    pytest.param(lambda lead: lead.company is not None and lead.company.annual_revenue is None, 0.07, id="missing-revenue"),
    pytest.param(lambda lead: lead.contact is not None and lead.contact.seniority is None, 0.05, id="missing-seniority"),
    pytest.param(lambda lead: lead.bant.authority.level is AuthorityLevel.UNKNOWN, 0.10, id="unknown-decision-maker"),
    pytest.param(lambda lead: lead.bant.timeline.decision_date is None, 0.20, id="unknown-timeline"),
]  # fmt: skip


@pytest.mark.parametrize(("predicate", "rate"), GAPS)
def test_gap_rates(leads: list[Lead], predicate: Callable[[Lead], bool], rate: float) -> None:
    """Each gap occurs at its rate, within four standard errors."""
    tolerance = 4 * math.sqrt(rate * (1 - rate) / ROWS)
    assert share(leads, predicate) == pytest.approx(rate, abs=tolerance)


def test_every_employee_threshold_value(leads: list[Lead]) -> None:
    """Employee counts 49, 50, 5000 and 5001 all occur, often."""
    counts = Counter(lead.company.employees for lead in leads if lead.company is not None)
    assert all(counts[value] >= 50 for value in (49, 50, 5000, 5001))


def test_every_revenue_threshold_value(leads: list[Lead]) -> None:
    """Revenue of exactly 9,999,999.99 and 10,000,000 USD both occur, often."""
    counts = Counter(lead.company.annual_revenue for lead in leads if lead.company is not None)
    assert counts[Money(amount=Decimal("9999999.99"), currency="USD")] >= 50
    assert counts[Money(amount=Decimal("10000000"), currency="USD")] >= 50


def test_every_timeline_threshold_value(leads: list[Lead]) -> None:
    """Decision dates 90 and 91 days after as_of (and 0 and -1) all occur, often."""
    days = Counter(
        (lead.bant.timeline.decision_date - TODAY).days
        for lead in leads
        if lead.bant.timeline.decision_date is not None
    )
    assert all(days[value] >= 50 for value in (-1, 0, 90, 91))


def test_some_revenue_is_not_in_usd(leads: list[Lead]) -> None:
    """Some revenue is in another currency, above and below the threshold."""
    foreign = [
        lead.company.annual_revenue.amount
        for lead in leads
        if lead.company is not None
        and lead.company.annual_revenue is not None
        and lead.company.annual_revenue.currency != "USD"
    ]
    assert min(foreign) < Decimal("10000000") < max(foreign)


VOCABULARIES = [
    pytest.param(lambda lead: lead.company and lead.company.industry, {"software", "fintech", "healthcare_it", "manufacturing", "Software"}, id="industries"),
    pytest.param(lambda lead: lead.company and lead.company.country, {"US", "CA", "GB", "DE", "FR", "NL", "IN", "BR"}, id="countries"),
    pytest.param(lambda lead: lead.contact and lead.contact.department, {"sales", "marketing", "revops", "engineering", "Sales"}, id="departments"),
    pytest.param(lambda lead: lead.contact and lead.contact.seniority, {"ic", "manager", "director", "vp", "c_level", "owner"}, id="seniorities"),
    pytest.param(lambda lead: lead.bant.budget.status, set(BudgetStatus), id="budget-statuses"),
    pytest.param(lambda lead: lead.bant.authority.level, set(AuthorityLevel), id="authority-levels"),
    pytest.param(lambda lead: len(lead.bant.need.pain_points), {0, 1, 2, 3}, id="pain-point-counts"),
]  # fmt: skip


@pytest.mark.parametrize(("read", "expected"), VOCABULARIES)
def test_vocabularies_are_covered(
    leads: list[Lead], read: Callable[[Lead], object], expected: set[object]
) -> None:
    """The generated values include the policy's values and others."""
    assert expected <= {read(lead) for lead in leads}


@pytest.mark.parametrize(
    ("read", "value"),
    [
        pytest.param(lambda lead: lead.company.technologies, "salesforce", id="salesforce"),
        pytest.param(lambda lead: lead.company.technologies, "Salesforce", id="Salesforce"),
        pytest.param(lambda lead: lead.company.tags, "competitor_customer", id="competitor"),
    ],
)
def test_sets_sometimes_contain(
    leads: list[Lead], read: Callable[[Lead], frozenset[str]], value: str
) -> None:
    """Technologies and tags contain the policy's value for some companies, not all."""
    rate = share(leads, lambda lead: lead.company is not None and value in read(lead))
    assert 0.01 < rate < 0.5


@pytest.mark.parametrize("kind", [*_leads.SCORED_SIGNAL_KINDS, "email_open"])
def test_signal_counts_vary_from_zero_to_six(leads: list[Lead], kind: str) -> None:
    """Every signal kind occurs 0 to 6 times per lead, each count at least once."""
    counts = {sum(1 for s in lead.signals if s.kind == kind) for lead in leads}
    assert counts == set(range(7))


def test_signals_are_in_the_past(leads: list[Lead]) -> None:
    """Every signal happened in the 180 days before as_of."""
    times = [s.occurred_at for lead in leads for s in lead.signals]
    assert min(times) >= AS_OF - timedelta(days=180)
    assert max(times) < AS_OF


def test_timeline_counts_from_the_local_date() -> None:
    """Decision dates count from as_of's date in as_of's own time zone."""
    late = datetime(2026, 5, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    days = {
        (lead.bant.timeline.decision_date - late.date()).days
        for lead in make_leads(500, as_of=late)
        if lead.bant.timeline.decision_date is not None
    }
    assert {-1, 0, 90, 91} <= days


@pytest.mark.parametrize(
    ("n", "as_of", "error", "message"),
    [
        pytest.param(-1, AS_OF, ValueError, r"n must be >= 0, got -1", id="negative-n"),
        pytest.param(1, datetime(2026, 5, 1), TypeError, r"as_of must be a timezone-aware datetime", id="naive-as-of"),
        pytest.param(1, "2026-05-01", TypeError, r"as_of must be a timezone-aware datetime, got '2026-05-01'", id="str-as-of"),
    ],
)  # fmt: skip
def test_bad_arguments(n: int, as_of: object, error: type[Exception], message: str) -> None:
    """A negative count or an as_of without a time zone is refused."""
    with pytest.raises(error, match=message):
        make_leads(n, as_of=as_of)  # type: ignore[arg-type]
