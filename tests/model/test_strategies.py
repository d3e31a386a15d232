"""The options of the funnelkit.testing strategies (the objects they make are model objects)."""

import importlib
import itertools
import re
import sys
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from tests._profiles import examples

import funnelkit.testing
from funnelkit.errors import MissingExtraError
from funnelkit.model import (
    DEMAND_WATERFALL,
    AuthorityLevel,
    BudgetStatus,
    Seniority,
    StageKind,
)
from funnelkit.testing import (
    accounts,
    aware_datetimes,
    bants,
    companies,
    contacts,
    evidence,
    funnels,
    icps,
    leads,
    money,
    signals,
    stage_changes,
    stage_histories,
    stages,
)

# find() without the explain phase, which is slow and only useful for failing tests.
QUICK = settings(database=None, max_examples=1000, phases=[Phase.generate, Phase.shrink])


def _fields(obj):
    return {name: getattr(obj, name) for name in type(obj).__slots__ if not name.startswith("__")}


@pytest.mark.parametrize(
    "strategy",
    [
        companies(complete=True),
        contacts(complete=True),
        evidence(complete=True),
        signals(complete=True),
        stage_changes(complete=True),
    ],
    ids=["companies", "contacts", "evidence", "signals", "stage_changes"],
)
@given(data=st.data())
def test_complete_objects_have_no_missing_fields(strategy, data):
    """complete=True fills every optional field."""
    obj = data.draw(strategy)
    for name, value in _fields(obj).items():
        assert value is not None, name
        assert value != frozenset(), name


@examples(20)
@given(leads(complete=True))
def test_complete_leads_know_everything(lead):
    """A complete lead has contact, company, signals, a stage, custom fields and a known BANT."""
    assert lead.contact is not None
    assert lead.company is not None
    assert lead.signals
    assert lead.stage is not None
    assert lead.custom
    assert lead.account_id == lead.company.id
    assert lead.bant.budget.status is not BudgetStatus.UNKNOWN
    assert lead.bant.authority.level is not AuthorityLevel.UNKNOWN
    assert lead.bant.need.pain_points


GAPS = {
    "no-contact": lambda lead: lead.contact is None,
    "no-company": lambda lead: lead.company is None,
    "no-employees": lambda lead: lead.company is not None and lead.company.employees is None,
    "no-email": lambda lead: lead.contact is not None and lead.contact.email is None,
    "no-stage": lambda lead: lead.stage is None,
    "with-contact": lambda lead: lead.contact is not None,
    "with-company": lambda lead: lead.company is not None,
}


def test_leads_have_gaps_often_by_default():
    """By default every optional fact of a lead is missing in a good share of leads."""
    seen = dict.fromkeys(GAPS, 0)

    # derandomized: a share measured on random draws was flaky (8 of 100 once)
    @settings(max_examples=200, database=None, derandomize=True)
    @given(leads())
    def collect(lead):
        for name, holds in GAPS.items():
            seen[name] += holds(lead)

    collect()
    assert all(count >= 20 for count in seen.values()), seen


@given(
    companies(
        industries={"software", "fintech"},
        countries={"US", "CA"},
        min_employees=50,
        max_employees=5000,
    )
)
def test_companies_respect_their_choices(company):
    """Industries, countries and head-count bounds limit what companies() makes."""
    assert company.industry in {None, "software", "fintech"}
    assert company.country in {None, "US", "CA"}
    assert company.employees is None or 50 <= company.employees <= 5000


@given(companies(ids=st.just("C-42")))
def test_companies_take_an_id_strategy(company):
    """ids= replaces the id strategy."""
    assert company.id in {None, "C-42"}


@given(contacts(seniorities={"vp", Seniority.C_LEVEL}, departments={"sales"}))
def test_contacts_respect_their_choices(contact):
    """Seniorities (values or members) and departments limit what contacts() makes."""
    assert contact.seniority in {None, Seniority.VP, Seniority.C_LEVEL}
    assert contact.department in {None, "sales"}


@given(money(currencies={"EUR"}, min_amount=1, max_amount=100, places=0))
def test_money_respects_its_choices(amount):
    """Currencies, bounds and places limit what money() makes."""
    assert amount.currency == "EUR"
    assert 1 <= amount.amount <= 100
    assert amount.amount == amount.amount.to_integral_value()


def test_money_shrinks_to_dollars():
    """The default currencies start with USD, so failures shrink to dollars."""
    assert find(money(), lambda m: m.amount >= 1, settings=QUICK).currency == "USD"


def test_companies_shrink_to_a_minimal_company():
    """A failing company shrinks to one with only the facts that matter."""
    big = find(companies(), lambda c: (c.employees or 0) >= 50, settings=QUICK)
    assert big.employees == 50
    assert big.name is None


AT = datetime(2026, 5, 1, tzinfo=UTC)


@given(signals(kinds={"demo_request"}, times=st.just(AT), attribute_values=st.integers()))
def test_signals_respect_their_choices(signal):
    """Kinds, times and attribute values limit what signals() makes."""
    assert signal.kind == "demo_request"
    assert signal.occurred_at == AT
    for value in signal.attributes.values():
        assert all(isinstance(v, int) for v in (value if isinstance(value, tuple) else (value,)))


@given(aware_datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)))
def test_aware_datetimes_are_aware_and_bounded(at):
    """aware_datetimes() gives aware datetimes within the bounds (local time)."""
    assert at.utcoffset() is not None
    assert at.year == 2026


@given(aware_datetimes(timezones=st.just(UTC)))
def test_aware_datetimes_can_be_utc_only(at):
    """timezones= chooses the tzinfo."""
    assert at.tzinfo is UTC


@given(stage_histories(funnel=DEMAND_WATERFALL, min_size=1))
def test_histories_walk_the_given_funnel(history):
    """A history walks the funnel it is given, starting anywhere in it."""
    assert history
    assert history[0].to_stage in DEMAND_WATERFALL
    for change in history[1:]:
        assert DEMAND_WATERFALL.allows(change.from_stage, change.to_stage)


@given(stage_histories(funnel=None, min_size=2, max_size=4))
def test_histories_without_a_funnel_are_chained_and_sized(history):
    """Without a funnel any keys are used, still chained, chronological and sized."""
    assert 2 <= len(history) <= 4
    for before, after in itertools.pairwise(history):
        assert after.from_stage == before.to_stage
        assert after.at >= before.at


@given(
    leads(funnel=DEMAND_WATERFALL, max_signals=0, company=st.none(), attribute_values=st.booleans())
)
def test_leads_respect_their_choices(lead):
    """funnel, max_signals, company and attribute_values shape what leads() makes."""
    assert lead.stage is None or lead.stage in DEMAND_WATERFALL
    assert lead.signals == ()
    assert lead.company is None
    for value in lead.custom.values():
        assert all(isinstance(v, bool) for v in (value if isinstance(value, tuple) else (value,)))


@examples(25)
@given(leads(contact=contacts(complete=True, seniorities={"owner"})))
def test_leads_take_a_contact_strategy(lead):
    """contact= replaces the contact strategy."""
    assert lead.contact is not None
    assert lead.contact.seniority is Seniority.OWNER


@given(accounts(complete=True, max_contacts=2))
def test_accounts_share_their_id_with_their_company(account):
    """A complete account has a company with the account's id and 1-2 contacts."""
    assert account.company is not None
    assert account.company.id == account.id
    assert 1 <= len(account.contacts) <= 2


@given(accounts())
def test_account_companies_never_contradict_the_account_id(account):
    """An account's company has the account's id or none."""
    assert account.company is None or account.company.id in {None, account.id}


@given(funnels(min_stages=3, max_stages=3))
def test_funnels_have_the_requested_size_and_open_stages_first(funnel):
    """funnels() respects its size bounds and puts open stages before outcomes."""
    assert len(funnel) == 3
    kinds = [stage.is_open for stage in funnel]
    assert kinds == sorted(kinds, reverse=True)
    assert kinds[0]


@given(stages(kinds={"won", StageKind.LOST}, complete=True))
def test_stages_respect_their_choices(stage):
    """kinds= limits the stage kinds; complete=True adds a description."""
    assert stage.kind in {StageKind.WON, StageKind.LOST}
    assert stage.description is not None


@given(stage_changes(keys={"a", "b"}))
def test_stage_changes_use_the_given_keys(change):
    """keys= limits the stage keys."""
    assert change.to_stage in {"a", "b"}
    assert change.from_stage in {None, "a", "b"}


@given(icps(complete=True))
def test_complete_icps_constrain_every_criterion(icp):
    """A complete profile constrains all nine criteria and has its own weights."""
    assert len(icp.criteria) == 9


@given(bants(complete=True))
def test_complete_bants_have_evidence_everywhere(bant):
    """A complete BANT has evidence for every part and a decision date."""
    for part in (bant.budget, bant.authority, bant.need, bant.timeline):
        assert part.evidence is not None
    assert bant.timeline.decision_date is not None
    assert isinstance(bant.budget.amount.amount, Decimal)


BAD_OPTIONS = [
    pytest.param(lambda: companies(countries={"XX"}), "countries contains unknown values: ['XX']", id="companies-unknown-country"),
    pytest.param(lambda: companies(countries="US"), "countries must be a collection of strings, not the string 'US'", id="companies-countries-str"),
    pytest.param(lambda: companies(countries=[]), "countries must not be empty", id="companies-countries-empty"),
    pytest.param(lambda: companies(industries=[""]), "industries must be a non-empty collection of non-blank strings", id="companies-blank-industry"),
    pytest.param(lambda: companies(min_employees=10, max_employees=5), "min_employees=10 is greater than max_employees=5", id="companies-bounds"),
    pytest.param(lambda: companies(min_employees=-1), "min_employees must be an int >= 0, got -1", id="companies-negative-bound"),
    pytest.param(lambda: contacts(seniorities={"ceo"}), "seniorities contains unknown values: ['ceo']", id="contacts-unknown-seniority"),
    pytest.param(lambda: money(currencies={"usd"}), "currencies contains unknown values: ['usd']", id="money-lower-case-currency"),
    pytest.param(lambda: money(min_amount=5, max_amount=1), "min_amount=5 is greater than max_amount", id="money-bounds"),
    pytest.param(lambda: money(places=-1), "places must be an int >= 0, got -1", id="money-negative-places"),
    pytest.param(lambda: signals(kinds=[]), "kinds must be a non-empty collection of non-blank strings", id="signals-no-kinds"),
    pytest.param(lambda: stages(kinds={"done"}), "kinds contains unknown values: ['done']", id="stages-unknown-kind"),
    pytest.param(lambda: funnels(min_stages=0), "min_stages must be an int >= 1, got 0", id="funnels-no-stages"),
    pytest.param(lambda: funnels(min_stages=4, max_stages=2), "min_stages=4 is greater than max_stages=2", id="funnels-bounds"),
    pytest.param(lambda: stage_histories(min_size=3, max_size=1), "min_size=3 is greater than max_size=1", id="histories-bounds"),
    pytest.param(lambda: stage_histories(funnel="starter"), "funnel must be a Funnel or None, got 'starter'", id="histories-funnel-str"),
    pytest.param(lambda: leads(max_signals=-1), "max_signals must be an int >= 0, got -1", id="leads-negative-signals"),
    pytest.param(lambda: leads(complete=True, max_history=0), "max_history must be an int >= 1, got 0", id="leads-complete-without-history"),
    pytest.param(lambda: leads(funnel="starter"), "funnel must be a Funnel or None, got 'starter'", id="leads-funnel-str"),
    pytest.param(lambda: accounts(max_contacts=-1), "max_contacts must be an int >= 0, got -1", id="accounts-negative-contacts"),
    pytest.param(lambda: aware_datetimes(min_value=AT), "min_value and max_value must be naive local times", id="datetimes-aware-bound"),
    pytest.param(lambda: aware_datetimes(min_value=datetime(2030, 1, 1), max_value=datetime(2020, 1, 1)), "is after max_value", id="datetimes-bounds"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "message"), BAD_OPTIONS)
def test_bad_options_fail_when_the_strategy_is_built(build, message):
    """A bad option raises InvalidArgument at once, naming the option and the value."""
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        build()


def test_strategies_module_and_package_export_the_same_names():
    """funnelkit.testing re-exports every strategy of funnelkit.testing.strategies."""
    from funnelkit.testing import strategies

    assert funnelkit.testing.__all__ == strategies.__all__
    for name in strategies.__all__:
        assert getattr(funnelkit.testing, name) is getattr(strategies, name)


def test_missing_hypothesis_names_the_extra(monkeypatch):
    """Without hypothesis, importing funnelkit.testing says to install the testing extra."""
    for name in list(sys.modules):
        if name == "funnelkit.testing" or name.startswith("funnelkit.testing."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(
        MissingExtraError, match=re.escape('pip install "funnelkit[testing]"')
    ) as info:
        importlib.import_module("funnelkit.testing")
    assert (info.value.extra, info.value.package) == ("testing", "hypothesis")


def test_with_field_keeps_evidence_in_order():
    """with_field clamps an asserted_at after expires_at (and the reverse) to the other bound."""
    from datetime import UTC, datetime

    from funnelkit.model import BANT, Authority, Evidence, Lead
    from funnelkit.testing import with_field

    day = datetime(2015, 1, 1, tzinfo=UTC)
    later = datetime(2016, 1, 1, tzinfo=UTC)
    ends = Lead(bant=BANT(authority=Authority(evidence=Evidence(expires_at=day))))
    moved = with_field(ends, "bant.authority.evidence.asserted_at", later)
    assert moved.bant.authority.evidence == Evidence(asserted_at=day, expires_at=day)
    starts = Lead(bant=BANT(authority=Authority(evidence=Evidence(asserted_at=later))))
    moved = with_field(starts, "bant.authority.evidence.expires_at", day)
    assert moved.bant.authority.evidence == Evidence(asserted_at=later, expires_at=later)
    free = with_field(Lead(), "bant.authority.evidence.expires_at", day)
    assert free.bant.authority.evidence == Evidence(expires_at=day)
