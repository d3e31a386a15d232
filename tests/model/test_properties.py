"""Laws every generated model object obeys (run with the funnelkit.testing strategies)."""

import itertools
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import (
    BANT,
    STARTER_FUNNEL,
    Account,
    Company,
    Contact,
    Evidence,
    Funnel,
    IdealCustomerProfile,
    Lead,
    Money,
    Signal,
    Stage,
    StageChange,
)
from funnelkit.testing import (
    accounts,
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
    stages,
)

# leads(complete=True) covers the complete variants of the parts it is made of.
STRATEGIES = [
    pytest.param(money(), Money, id="money"),
    pytest.param(companies(), Company, id="companies"),
    pytest.param(contacts(), Contact, id="contacts"),
    pytest.param(accounts(), Account, id="accounts"),
    pytest.param(signals(), Signal, id="signals"),
    pytest.param(evidence(), Evidence, id="evidence"),
    pytest.param(bants(), BANT, id="bants"),
    pytest.param(stages(), Stage, id="stages"),
    pytest.param(stage_changes(), StageChange, id="stage-changes"),
    pytest.param(funnels(), Funnel, id="funnels"),
    pytest.param(icps(), IdealCustomerProfile, id="icps"),
    pytest.param(icps(complete=True), IdealCustomerProfile, id="icps-complete"),
    pytest.param(leads(), Lead, id="leads"),
    pytest.param(leads(complete=True), Lead, id="leads-complete"),
]


def _nested(obj):
    """Yield obj and every attrs object inside it (fields, tuples, frozensets)."""
    yield obj
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        items = value if isinstance(value, tuple | frozenset) else (value,)
        for item in items:
            if attrs.has(type(item)):
                yield from _nested(item)


@pytest.mark.parametrize(("strategy", "cls"), STRATEGIES)
@examples(20)
@given(data=st.data())
def test_generated_objects_are_valid(strategy, cls, data):
    """Every generated object, and every object inside it, passes its validators."""
    obj = data.draw(strategy)
    assert type(obj) is cls
    for part in _nested(obj):
        attrs.validate(part)


@pytest.mark.parametrize(("strategy", "cls"), STRATEGIES)
@examples(20)
@given(data=st.data())
def test_evolve_gives_an_equal_object(strategy, cls, data):
    """Rebuilding through the constructor (converters and all) changes nothing."""
    obj = data.draw(strategy)
    copy = attrs.evolve(obj)
    assert copy == obj
    assert hash(copy) == hash(obj)


@pytest.mark.parametrize(("strategy", "cls"), STRATEGIES)
@examples(20)
@given(data=st.data())
def test_pickle_round_trips(strategy, cls, data):
    """Pickling and unpickling gives an equal object with the same hash."""
    obj = data.draw(strategy)
    copy = pickle.loads(pickle.dumps(obj))
    assert copy == obj
    assert hash(copy) == hash(obj)


@pytest.mark.parametrize(("strategy", "cls"), STRATEGIES)
@examples(20)
@given(data=st.data())
def test_hash_is_consistent_with_equality(strategy, cls, data):
    """Two equal objects always have equal hashes."""
    first, second = data.draw(strategy), data.draw(strategy)
    if first == second:
        assert hash(first) == hash(second)
    assert first == first


@given(companies())
def test_domain_normalisation_is_idempotent(company):
    """Normalising an already normalised domain changes nothing."""
    assert Company(domain=company.domain).domain == company.domain


@given(companies(complete=True))
def test_domain_normalisation_strips_scheme_www_path_and_case(company):
    """A URL-ish spelling of a domain normalises back to the domain."""
    messy = f"HTTPS://www.{company.domain.upper()}/about?x=1"
    assert Company(domain=messy).domain == company.domain


@given(contacts(complete=True))
def test_email_normalisation_trims_and_lowercases(contact):
    """A padded, upper-cased e-mail address normalises back to the address."""
    assert Contact(email=f"  {contact.email.upper()} ").email == contact.email


@examples(25)
@given(leads())
def test_lead_history_is_chained_and_chronological(lead):
    """Each stage change starts where the previous one ended, never earlier in time."""
    history = lead.stage_history
    for before, after in itertools.pairwise(history):
        assert after.from_stage == before.to_stage
        assert after.at >= before.at
    if history:
        assert history[0].from_stage is None
        assert lead.stage == history[-1].to_stage


@examples(25)
@given(leads())
def test_lead_history_follows_the_starter_funnel(lead):
    """By default a lead's stage history only makes moves the starter funnel allows."""
    for change in lead.stage_history[1:]:
        assert STARTER_FUNNEL.allows(change.from_stage, change.to_stage)


@examples(25)
@given(leads())
def test_lead_company_id_agrees_with_the_account_id(lead):
    """A lead's account_id never contradicts its embedded company's id."""
    if lead.account_id is not None and lead.company is not None and lead.company.id is not None:
        assert lead.account_id == lead.company.id
    assert lead.company_id in {None, lead.account_id, getattr(lead.company, "id", None)}


@examples(15)
@given(accounts(), st.lists(leads(), max_size=5))
def test_leads_in_is_a_filter_on_company_id(account, some_leads):
    """Account.leads_in keeps exactly the leads whose company_id is the account id."""
    assert list(account.leads_in(some_leads)) == [
        lead for lead in some_leads if lead.company_id == account.id
    ]


@given(accounts())
def test_account_roles_are_the_union_of_contact_roles(account):
    """Account.buying_roles is the union of its contacts' roles."""
    expected = set()
    for contact in account.contacts:
        expected |= contact.buying_roles
    assert account.buying_roles == expected


@given(funnels())
def test_funnel_moves_stay_inside_the_funnel(funnel):
    """Every move out of every stage leads to a stage of the same funnel."""
    assert len(set(funnel.keys)) == len(funnel)
    for stage in funnel:
        for target in funnel.moves_from(stage.key):
            assert target.key in funnel
            assert funnel.allows(stage.key, target.key)


@given(evidence())
def test_evidence_never_expires_before_it_was_asserted(ev):
    """Generated evidence expires at or after it was asserted."""
    if ev.asserted_at is not None and ev.expires_at is not None:
        assert ev.expires_at >= ev.asserted_at
        assert ev.is_current(ev.asserted_at) is (ev.asserted_at < ev.expires_at)


@given(icps())
def test_icp_bands_are_ordered(icp):
    """Every generated band has low <= high."""
    for band in (*icp.employee_bands, *icp.revenue_bands):
        if band.low is not None and band.high is not None:
            assert band.low <= band.high
            assert band.contains(band.low)
            assert band.contains(band.high)
