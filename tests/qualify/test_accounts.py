"""Accounts: rolled-up scores, the furthest stage, buying-committee coverage in rules."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.errors import ValidationError
from funnelkit.model import Account, BuyingRole, Company, Contact, Lead, StageChange
from funnelkit.qualify import (
    BUYING_COMMITTEE,
    ENGAGEMENT_ROLLUP,
    STARTER,
    AccountResults,
    CommitteeCoverage,
    Policy,
    Rollup,
    StageGate,
    committee_coverage,
    committee_key,
    qualify,
    qualify_account,
    qualify_accounts,
    weighted_priority,
    with_committee,
)
from funnelkit.rules import F, Truth, evaluate
from funnelkit.testing import accounts, contacts, leads

from .conftest import AS_OF, bant_met, days_ago, demo_request, fitting_lead

ROLES = st.frozensets(st.sampled_from(BuyingRole), max_size=3)
SCORES = st.integers(min_value=-50, max_value=200) | st.decimals(
    min_value=-50, max_value=200, places=4
)


def _committee_policy() -> Policy:
    """STARTER, with an economic buyer required in the committee for an opportunity."""
    gates = tuple(
        StageGate(
            stage=g.stage,
            entry=g.entry & (F.custom["committee_has_economic_buyer"] == True),  # noqa: E712
        )
        if g.stage == "sales_opportunity"
        else g
        for g in STARTER.gates
    )
    return attrs.evolve(STARTER, name="committee", gates=gates)


COMMITTEE_POLICY = _committee_policy()


def _own(lead: Lead, account: Account) -> Lead:
    """The lead moved into the account (its embedded company takes the account's id)."""
    company = attrs.evolve(lead.company, id=account.id) if lead.company is not None else None
    return attrs.evolve(lead, company=company, account_id=account.id)


def _person(*roles: str, name: str = "P") -> Contact:
    """A contact holding ``roles``."""
    return Contact(name=name, buying_roles=roles)


ACME = Account(
    id="A-1",
    company=Company(id="A-1", name="Acme"),
    contacts=[_person("champion", name="Cho")],
)


def _acme_lead(lead_id: str, **changes: object) -> Lead:
    """A fitting lead of ACME."""
    return attrs.evolve(fitting_lead(id=lead_id, **changes), account_id="A-1")


# --- rollups ------------------------------------------------------------------------


def test_max_rollup_takes_the_best_score():
    """``max`` gives the best lead's score."""
    assert Rollup(method="max").roll([(40, ()), (85, ()), (10, ())]) == 85


def test_sum_rollup_adds_the_scores():
    """``sum`` without a cap adds every lead's score."""
    assert Rollup(method="sum").roll([(40, ()), (85, ()), (10, ())]) == 135


def test_sum_rollup_stops_at_its_cap():
    """``sum`` with a cap gives at most the cap."""
    assert Rollup(method="sum", cap=100).roll([(40, ()), (85, ())]) == 100


def test_cap_keeps_negative_totals():
    """The cap bounds from above only: penalties below zero stay."""
    assert Rollup(method="sum", cap=100).roll([(-30, ()), (10, ())]) == -20


def test_weighted_rollup_counts_the_largest_role_weight():
    """A lead counts with the largest weight among its contact's roles."""
    rollup = Rollup(method="weighted", role_weights={"economic_buyer": 3, "champion": 2})
    assert rollup.roll([(10, {"champion", "economic_buyer"})]) == 30


def test_weighted_rollup_gives_the_default_weight_to_a_contact_without_roles():
    """A lead whose contact has no role counts with ``default_weight``."""
    rollup = Rollup(method="weighted", role_weights={"champion": 2}, default_weight=Decimal("0.5"))
    assert rollup.roll([(10, ()), (10, {"champion"})]) == 25


def test_weighted_rollup_gives_the_default_weight_to_an_unweighted_role():
    """A role missing from ``role_weights`` weighs ``default_weight``."""
    rollup = Rollup(method="weighted", role_weights={"champion": 2})
    assert rollup.weight({"user"}) == 1


def test_weight_of_an_unknown_role_is_an_error():
    """``weight`` names a value that is not a buying role."""
    with pytest.raises(ValidationError, match=re.escape("$.roles: expected buying roles from")):
        Rollup(method="weighted").weight({"ceo"})


def test_weighted_rollup_stops_at_its_cap():
    """``weighted`` with a cap gives at most the cap."""
    rollup = Rollup(method="weighted", role_weights={"economic_buyer": 2}, cap=50)
    assert rollup.roll([(40, {"economic_buyer"})]) == 50


def test_weighted_rollup_rounds_fractions_to_score_places():
    """Fractional weighted totals are Decimals with four places, half to even."""
    rollup = Rollup(method="weighted", default_weight=Decimal("0.33333"))
    assert rollup.roll([(Decimal("1.5"), ())]) == Decimal("0.5000")


def test_float_weights_become_exact_decimals():
    """A float weight is read through its repr, so 0.1 is Decimal('0.1')."""
    assert Rollup(method="weighted", default_weight=0.1).default_weight == Decimal("0.1")


def test_rolling_up_nothing_gives_none():
    """No scores: no rolled-up score (not zero)."""
    assert Rollup(method="sum", cap=100).roll([]) is None


def test_describe_names_the_method_and_cap():
    """``describe`` says the method and the cap in words."""
    assert ENGAGEMENT_ROLLUP.describe() == "sum capped at 100"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"method": "mean"}, "$.method: expected one of 'max', 'sum', 'weighted', got 'mean'"),
        ({"cap": -1}, "$.cap: expected a finite number >= 0 or None, got -1 (int)"),
        ({"cap": float("inf")}, "$.cap: expected a finite number >= 0 or None, got inf"),
        ({"cap": True}, "$.cap: expected a finite number >= 0 or None, got True (bool)"),
        (
            {"method": "weighted", "role_weights": {"ceo": 2}},
            "$.role_weights: expected buying roles from 'decision_maker'",
        ),
        (
            {"method": "weighted", "role_weights": {"champion": "2"}},
            "$.role_weights.champion: expected a finite number >= 0, got '2' (str)",
        ),
        (
            {"method": "sum", "role_weights": {"champion": 2}},
            "$.role_weights: expected no role weights unless method='weighted'",
        ),
        ({"default_weight": -1}, "$.default_weight: expected a finite number >= 0, got -1"),
    ],
)
def test_bad_rollups_are_rejected_naming_the_field(changes, message):
    """A bad rollup setting fails at construction with its path and value."""
    with pytest.raises(ValidationError, match=re.escape(message)):
        Rollup(**changes)


def test_rollup_to_dict_is_json_ready():
    """``Rollup.to_dict`` gives role values and exact numbers as strings."""
    rollup = Rollup(method="weighted", role_weights={"champion": Decimal("1.5")}, cap=80)
    assert json.loads(json.dumps(rollup.to_dict())) == {
        "method": "weighted",
        "cap": 80,
        "role_weights": {"champion": "1.5"},
        "default_weight": 1,
    }


@given(st.lists(st.tuples(SCORES, ROLES), min_size=1, max_size=8))
def test_max_rollup_is_at_least_every_score(items):
    """Property: the max rollup is >= every lead's score, and is one of them."""
    rolled = Rollup(method="max").roll(items)
    assert all(rolled >= score for score, _ in items)
    assert any(rolled == score for score, _ in items)


@given(
    st.lists(st.tuples(SCORES, ROLES), max_size=8),
    st.integers(min_value=0, max_value=300),
    st.sampled_from(["sum", "weighted"]),
)
def test_sum_and_weighted_rollups_never_exceed_their_cap(items, cap, method):
    """Property: a capped sum or weighted rollup is never above its cap."""
    weights = {"economic_buyer": 3, "champion": Decimal("1.5")} if method == "weighted" else {}
    rolled = Rollup(method=method, cap=cap, role_weights=weights).roll(items)
    assert rolled is None or rolled <= cap


@given(st.lists(st.tuples(SCORES, ROLES), max_size=8))
def test_weighted_rollup_with_unit_weights_is_the_sum(items):
    """Property: weighting every lead by 1 is the plain sum."""
    weighted = Rollup(method="weighted", role_weights=dict.fromkeys(BuyingRole, 1))
    assert weighted.roll(items) == Rollup(method="sum").roll(items)


# --- committee coverage -------------------------------------------------------------


def test_coverage_counts_roles_of_the_accounts_contacts():
    """Roles held by the account's contacts are known."""
    acct = Account(id="A-1", contacts=[_person("economic_buyer"), _person("champion", "user")])
    cov = committee_coverage(acct)
    assert cov.covered == (BuyingRole.ECONOMIC_BUYER, BuyingRole.CHAMPION)
    assert cov.from_leads == frozenset()


def test_coverage_counts_roles_of_the_accounts_leads_contacts():
    """Roles held by the contacts of the account's leads are known too, apart."""
    acct = Account(id="A-1")
    lead = Lead(account_id="A-1", contact=_person("decision_maker"))
    cov = committee_coverage(acct, [lead])
    assert cov.from_leads == {BuyingRole.DECISION_MAKER}
    assert cov.from_contacts == frozenset()
    assert cov.covered == (BuyingRole.DECISION_MAKER,)


def test_coverage_ignores_leads_of_other_accounts():
    """A lead of another account adds nothing to the coverage."""
    other = Lead(account_id="A-2", contact=_person("economic_buyer"))
    assert committee_coverage(Account(id="A-1"), [other]).count == 0


def test_coverage_reports_the_missing_roles_and_the_share():
    """Missing roles come in BuyingRole order; the share is covered / required."""
    cov = committee_coverage(Account(id="A-1", contacts=[_person("champion")]))
    assert cov.missing == (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)
    assert cov.share == Decimal("0.3333")
    assert not cov.is_complete


def test_coverage_takes_a_required_set_of_role_values():
    """``required`` accepts role values and replaces the default committee."""
    acct = Account(id="A-1", contacts=[_person("user")])
    cov = committee_coverage(acct, required=["user", "influencer"])
    assert cov.required == {BuyingRole.USER, BuyingRole.INFLUENCER}
    assert cov.missing == (BuyingRole.INFLUENCER,)


def test_an_empty_required_set_is_complete():
    """With nothing required the committee is complete, share 1."""
    cov = committee_coverage(Account(id="A-1"), required=())
    assert cov.is_complete
    assert cov.share == 1


def test_coverage_knows_roles_outside_the_required_set():
    """A known blocker is reported by ``has`` though it is not required."""
    cov = committee_coverage(Account(id="A-1", contacts=[_person("blocker")]))
    assert cov.has("blocker")
    assert cov.count == 0


def test_an_unknown_required_role_is_rejected():
    """``required`` naming no buying role fails, naming the value."""
    with pytest.raises(ValidationError, match=re.escape("$.required: expected one of")):
        committee_coverage(Account(id="A-1"), required=["ceo"])


def test_coverage_to_dict_is_json_ready():
    """``CommitteeCoverage.to_json`` lists roles in order and the share exactly."""
    cov = CommitteeCoverage(account_id="A-1", from_contacts={"champion", "economic_buyer"})
    assert json.loads(cov.to_json()) == {
        "account_id": "A-1",
        "required": ["decision_maker", "economic_buyer", "champion"],
        "from_contacts": ["economic_buyer", "champion"],
        "from_leads": [],
        "absent": [],
        "covered": ["economic_buyer", "champion"],
        "missing": ["decision_maker"],
        "lacking": [],
        "count": 2,
        "share": "0.6667",
    }


@examples(20)
@given(accounts(), contacts(), st.lists(leads(max_signals=1, max_history=1), max_size=3))
def test_adding_a_contact_never_lowers_coverage(account, contact, some_leads):
    """Property: one more contact keeps every covered role covered."""
    before = committee_coverage(account, some_leads)
    more = attrs.evolve(account, contacts=(*account.contacts, contact))
    after = committee_coverage(more, some_leads)
    assert set(before.covered) <= set(after.covered)
    assert after.share >= before.share


# --- with_committee -----------------------------------------------------------------


def test_with_committee_writes_the_documented_keys():
    """The count, the required size and one True key per known role."""
    cov = CommitteeCoverage(account_id="A-1", from_contacts={"champion", "blocker"})
    lead = with_committee(Lead(account_id="A-1"), cov)
    assert dict(lead.custom) == {
        "committee_coverage": 1,
        "committee_required": 3,
        "committee_has_champion": True,
        "committee_has_blocker": True,
    }


def test_with_committee_leaves_unknown_roles_without_a_key():
    """A role nobody is known to hold has no key, so rules see it as unknown."""
    cov = CommitteeCoverage(account_id="A-1")
    lead = with_committee(Lead(account_id="A-1"), cov)
    assert committee_key("economic_buyer") not in lead.custom


def test_with_committee_replaces_stale_committee_keys_and_keeps_others():
    """Old committee keys go, the lead's own custom fields stay."""
    stale = Lead(account_id="A-1", custom={"tier": "gold", "committee_has_champion": True})
    lead = with_committee(stale, CommitteeCoverage(account_id="A-1"))
    assert dict(lead.custom) == {
        "tier": "gold",
        "committee_coverage": 0,
        "committee_required": 3,
    }


def test_with_committee_rejects_a_lead_of_another_account():
    """Attaching one account's committee to another's lead is an error."""
    with pytest.raises(ValidationError, match=re.escape("$.company_id: expected a lead of")):
        with_committee(Lead(account_id="A-2"), CommitteeCoverage(account_id="A-1"))


def test_a_gate_can_require_an_economic_buyer_in_the_committee():
    """A sales_opportunity gate on committee_has_economic_buyer admits the lead once known."""
    lead = _acme_lead("L-1", signals=[demo_request()], bant=bant_met())
    without = Account(id="A-1", contacts=[_person("champion")])
    with_boss = Account(id="A-1", contacts=[_person("champion"), _person("economic_buyer")])
    before = qualify(
        with_committee(lead, committee_coverage(without)), COMMITTEE_POLICY, as_of=AS_OF
    )
    after = qualify(
        with_committee(lead, committee_coverage(with_boss)), COMMITTEE_POLICY, as_of=AS_OF
    )
    assert (before.stage, after.stage) == ("sales_ready", "sales_opportunity")


def test_a_missing_economic_buyer_is_a_fact_to_find_out():
    """The unknown committee role is a next fact that unlocks the opportunity."""
    lead = _acme_lead("L-1", signals=[demo_request()], bant=bant_met())
    unknown = with_committee(lead, CommitteeCoverage(account_id="A-1"))
    q = qualify(unknown, COMMITTEE_POLICY, as_of=AS_OF)
    fact = next(f for f in q.next_facts if f.path == "custom.committee_has_economic_buyer")
    assert fact.unlocks == ("sales_opportunity",)


# --- qualify_account ----------------------------------------------------------------


def test_qualify_account_ignores_leads_of_other_accounts():
    """Only leads whose company_id is the account's id are qualified."""
    mine = _acme_lead("L-1")
    theirs = attrs.evolve(fitting_lead(id="L-9"), account_id="A-2")
    result = qualify_account(ACME, [mine, theirs, Lead(id="L-0")], STARTER, as_of=AS_OF)
    assert result.lead_ids == ("L-1",)


def test_an_account_without_leads_has_no_scores_and_no_stage():
    """No leads: scores, grades and stage are None; the coverage still comes from contacts."""
    result = qualify_account(ACME, [], STARTER, as_of=AS_OF)
    assert (result.fit, result.fit_grade, result.engagement, result.stage) == (None,) * 4
    assert result.segment is None
    assert result.coverage.covered == (BuyingRole.CHAMPION,)


def test_qualify_account_rolls_fit_up_with_max_by_default():
    """The account's fit is its best-fitting lead's fit."""
    good = _acme_lead("L-1")
    poor = attrs.evolve(good, id="L-2", contact=None)
    result = qualify_account(ACME, [good, poor], STARTER, as_of=AS_OF)
    assert result.fit == max(q.fit for q in result.leads)
    assert result.leads[0].fit > result.leads[1].fit


def test_qualify_account_rolls_engagement_up_as_a_capped_sum_by_default():
    """The account's engagement is the leads' sum, at most 100."""
    busy = [_acme_lead(f"L-{i}", signals=[demo_request(i)]) for i in range(1, 5)]
    result = qualify_account(ACME, busy, STARTER, as_of=AS_OF)
    assert sum(q.engagement for q in result.leads) > 100
    assert result.engagement == 100
    assert result.engagement_grade == "1"


def test_qualify_account_takes_a_rollup_per_score():
    """``fit_rollup`` and ``engagement_rollup`` choose each score's method."""
    leads_ = [_acme_lead("L-1", signals=[demo_request()]), _acme_lead("L-2")]
    result = qualify_account(
        ACME,
        leads_,
        STARTER,
        as_of=AS_OF,
        fit_rollup=Rollup(method="sum"),
        engagement_rollup=Rollup(method="max"),
    )
    assert result.fit == sum(q.fit for q in result.leads)
    assert result.engagement == max(q.engagement for q in result.leads)


def test_qualify_account_grades_with_the_policys_bands():
    """Rolled-up scores are graded with the policy's own bands."""
    policy = attrs.evolve(STARTER, fit_grades={"gold": 90, "silver": 1}, fit_default_grade="lead")
    result = qualify_account(ACME, [_acme_lead("L-1")], policy, as_of=AS_OF)
    assert 1 <= result.fit < 90
    assert result.fit_grade == "silver"


def test_qualify_account_weights_the_economic_buyers_engagement():
    """A weighted engagement rollup counts the economic buyer's lead double."""
    boss = _acme_lead("L-1", signals=[demo_request()])
    boss = attrs.evolve(boss, contact=attrs.evolve(boss.contact, buying_roles={"economic_buyer"}))
    rollup = Rollup(method="weighted", role_weights={"economic_buyer": 2})
    result = qualify_account(ACME, [boss], STARTER, as_of=AS_OF, engagement_rollup=rollup)
    assert result.engagement == 2 * result.leads[0].engagement


def test_qualify_account_stage_is_the_furthest_among_its_leads():
    """The account stands where its furthest lead stands."""
    ready = _acme_lead("L-1", signals=[demo_request()])
    quiet = _acme_lead("L-2")
    result = qualify_account(ACME, [quiet, ready], STARTER, as_of=AS_OF)
    assert (result.stage, result.stage_label) == ("sales_ready", "Sales-Ready Lead")


def test_a_won_lead_makes_the_furthest_stage_won():
    """A customer lead beats every open stage."""
    won = _acme_lead("L-1", stage_history=[StageChange(at=days_ago(5), to_stage="customer")])
    ready = _acme_lead("L-2", signals=[demo_request()])
    assert qualify_account(ACME, [ready, won], STARTER, as_of=AS_OF).stage == "customer"


def test_an_open_lead_beats_a_lost_one():
    """An account with one open lead is not lost because another lead is."""
    lost = _acme_lead("L-1", stage_history=[StageChange(at=days_ago(5), to_stage="closed_lost")])
    ready = _acme_lead("L-2", signals=[demo_request()])
    assert qualify_account(ACME, [lost, ready], STARTER, as_of=AS_OF).stage == "sales_ready"


def test_qualify_account_passes_the_committee_to_its_leads_rules():
    """Each lead is qualified with the committee, so an account's economic buyer opens the gate."""
    lead = _acme_lead("L-1", signals=[demo_request()], bant=bant_met())
    boss = Lead(id="L-2", account_id="A-1", contact=_person("economic_buyer"))
    result = qualify_account(ACME, [lead, boss], COMMITTEE_POLICY, as_of=AS_OF)
    assert result.leads[0].stage == "sales_opportunity"
    assert result.stage == "sales_opportunity"


def test_qualify_account_lists_missing_roles_as_facts_to_find_out():
    """Missing roles are next facts; the one a gate waits for comes first, with its unlock."""
    lead = _acme_lead("L-1", signals=[demo_request()], bant=bant_met())
    result = qualify_account(ACME, [lead], COMMITTEE_POLICY, as_of=AS_OF)
    paths = [f.path for f in result.next_facts]
    assert paths[:2] == [
        "custom.committee_has_economic_buyer",
        "custom.committee_has_decision_maker",
    ]
    assert result.next_facts[0].unlocks == ("sales_opportunity",)
    assert "L-1 to Sales Opportunity" in result.next_facts[0].reason


def test_qualify_account_checks_as_of():
    """A naive ``as_of`` is refused."""
    with pytest.raises(TypeError):
        qualify_account(ACME, [], STARTER, as_of=AS_OF.replace(tzinfo=None))


def test_account_qualification_is_frozen():
    """Results cannot be changed in place."""
    result = qualify_account(ACME, [], STARTER, as_of=AS_OF)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.fit = 3  # type: ignore[misc]


def test_account_qualification_to_json_round_trips_through_json():
    """``to_json`` is valid JSON carrying scores, rollups, coverage, facts and leads."""
    lead = _acme_lead("L-1", signals=[demo_request()])
    result = qualify_account(ACME, [lead], STARTER, as_of=AS_OF)
    data = json.loads(result.to_json())
    assert data == result.to_dict()
    assert data["engagement_rollup"]["method"] == "sum"
    assert data["coverage"]["covered"] == ["champion"]
    assert [lead["lead_id"] for lead in data["leads"]] == ["L-1"]
    assert data["segment"] == result.segment


def test_account_qualification_prints_a_summary():
    """``str`` names the stage, scores with their rollups and the committee."""
    result = qualify_account(
        ACME, [_acme_lead("L-1", signals=[demo_request()])], STARTER, as_of=AS_OF
    )
    text = str(result)
    assert text.startswith("A-1: Sales-Ready Lead under starter@1")
    assert "sum capped at 100" in text
    assert "buying committee: 1 of 3 buying roles known (champion)" in text


# --- qualify_accounts ---------------------------------------------------------------


def test_qualify_accounts_reads_the_leads_once():
    """Leads given as a one-shot iterator serve every account."""
    beta = Account(id="B-1")
    stream = iter([_acme_lead("L-1"), Lead(id="L-2", account_id="B-1"), Lead(id="L-3")])
    results = list(qualify_accounts([ACME, beta], stream, STARTER, as_of=AS_OF))
    assert [r.lead_ids for r in results] == [("L-1",), ("L-2",)]


def test_qualify_accounts_rejects_a_bad_required_role_at_once():
    """A bad ``required`` fails on the call, not on the first result."""
    with pytest.raises(ValidationError):
        qualify_accounts([ACME], [], STARTER, as_of=AS_OF, required=["ceo"])


@examples(10)
@given(
    st.lists(accounts(), min_size=1, max_size=3, unique_by=lambda a: a.id),
    st.lists(leads(max_signals=2, max_history=2), max_size=6),
    st.data(),
)
def test_qualify_accounts_agrees_with_qualify_account(accts, some_leads, data):
    """Property: grouping in one pass gives each account what qualify_account gives it."""
    placed = [
        _own(lead, data.draw(st.sampled_from(accts))) if data.draw(st.booleans()) else lead
        for lead in some_leads
    ]
    together = list(qualify_accounts(accts, placed, STARTER, as_of=AS_OF, explain=False))
    alone = [qualify_account(a, placed, STARTER, as_of=AS_OF, explain=False) for a in accts]
    assert [r.to_dict() for r in together] == [r.to_dict() for r in alone]


@examples(15)
@given(accounts(), st.lists(leads(max_signals=3, max_history=2), min_size=1, max_size=4))
def test_account_fit_is_at_least_every_leads_fit(account, some_leads):
    """Property: with the max rollup the account's fit is >= each counted lead's fit."""
    own = [attrs.evolve(_own(lead, account), id=f"L-{i}") for i, lead in enumerate(some_leads)]
    everyone = qualify_account(
        account, own, STARTER, as_of=AS_OF, explain=False, leave_out=(), count_opted_out=True
    )
    assert len(everyone.leads) == len(own)
    assert everyone.left_out == ()
    assert all(everyone.fit >= q.fit for q in everyone.leads)
    result = qualify_account(account, own, STARTER, as_of=AS_OF, explain=False)
    counted = [q for q in result.leads if q.lead_id not in result.left_out]
    assert all(result.fit >= q.fit for q in counted)
    assert result.fit is None or result.fit <= everyone.fit


@examples(15)
@given(accounts(), st.lists(leads(max_signals=5, max_history=2), max_size=4))
def test_account_engagement_never_exceeds_the_cap(account, some_leads):
    """Property: with the default rollup the account's engagement is never above 100."""
    own = [attrs.evolve(_own(lead, account), id=f"L-{i}") for i, lead in enumerate(some_leads)]
    result = qualify_account(account, own, STARTER, as_of=AS_OF, explain=False)
    assert result.engagement is None or result.engagement <= 100


def test_the_default_committee_is_economic_buyer_decision_maker_champion():
    """BUYING_COMMITTEE holds the three classic roles."""
    assert {r.value for r in BUYING_COMMITTEE} == {"economic_buyer", "decision_maker", "champion"}


def test_an_accounts_priority_is_its_most_urgent_leads():
    """Under a policy with a priority, the account takes the highest lead priority, graded."""
    policy = attrs.evolve(STARTER, priority=weighted_priority(fit="0.6", engagement="0.4"))
    good = _acme_lead("L-1", signals=[demo_request(1)])
    poor = attrs.evolve(good, id="L-2", contact=None, signals=())
    result = qualify_account(ACME, [poor, good], policy, as_of=AS_OF)
    priorities = [q.priority for q in result.leads]
    assert priorities[0] < priorities[1]
    assert result.priority == priorities[1]
    assert result.priority_grade == result.leads[1].priority_grade
    assert result.to_dict()["priority_grade"] == result.priority_grade
    assert f"({result.priority_grade}, highest lead)" in str(result)


def test_an_account_has_no_priority_without_a_priority_rule_or_leads():
    """No priority rule, or no leads: the account's priority and its grade are None."""
    assert qualify_account(ACME, [_acme_lead("L-1")], STARTER, as_of=AS_OF).priority is None
    policy = attrs.evolve(STARTER, priority=weighted_priority())
    empty = qualify_account(ACME, [], policy, as_of=AS_OF)
    assert (empty.priority, empty.priority_grade) == (None, None)


# --- who counts -----------------------------------------------------------------------


def _lost(lead: Lead) -> Lead:
    """The lead closed as lost 10 days ago."""
    lost = StageChange(at=days_ago(10), to_stage="closed_lost", reason="left the company")
    return attrs.evolve(lead, stage_history=[lost])


ANA = Contact(id="P-9", name="Ana", buying_roles={"economic_buyer"})


def test_a_departed_economic_buyer_no_longer_counts_as_known():
    """The contact of a closed-lost lead leaves the committee, on the account too."""
    account = attrs.evolve(ACME, contacts=[*ACME.contacts, ANA])
    gone = _lost(_acme_lead("L-9", contact=ANA))
    result = qualify_account(account, [gone], STARTER, as_of=AS_OF)
    assert BuyingRole.ECONOMIC_BUYER in result.coverage.missing
    assert result.left_out == ("L-9",)
    assert "left out (disqualified, lost or opted out): L-9" in str(result)
    everyone = qualify_account(account, [gone], STARTER, as_of=AS_OF, leave_out=())
    assert everyone.coverage.has("economic_buyer")
    assert everyone.left_out == ()
    alone = committee_coverage(account, [gone])
    assert BuyingRole.ECONOMIC_BUYER in alone.missing


def test_opted_out_contacts_do_not_count_unless_asked():
    """An opted-out contact's roles are not known; count_opted_out=True counts them."""
    account = Account(id="A-1", contacts=[Contact(buying_roles={"champion"}, opted_out=True)])
    assert not committee_coverage(account).has("champion")
    assert committee_coverage(account, count_opted_out=True).has("champion")


def test_roll_ups_leave_out_disqualified_and_lost_leads():
    """A closed-lost lead's engagement is not summed, but the lead is still qualified."""
    busy = _acme_lead("L-1", signals=[demo_request()])
    gone = _lost(_acme_lead("L-2", signals=[demo_request()]))
    result = qualify_account(ACME, [busy, gone], STARTER, as_of=AS_OF)
    assert result.lead_ids == ("L-1", "L-2")
    assert result.engagement == result.leads[0].engagement
    counted = qualify_account(ACME, [busy, gone], STARTER, as_of=AS_OF, leave_out=())
    assert counted.engagement == min(100, 2 * result.leads[0].engagement)


def test_leave_out_takes_stage_kinds_only():
    """leave_out names stage kinds; anything else is a ValidationError naming it."""
    with pytest.raises(ValidationError, match=r"\$\.leave_out: expected stage kinds .* got 'gone'"):
        qualify_account(ACME, [], STARTER, as_of=AS_OF, leave_out=["gone"])


# --- roles checked and absent ---------------------------------------------------------


def test_a_role_checked_and_absent_makes_no_known_blocker_true():
    """absent_roles writes committee_has_blocker = False, so 'no blocker' is TRUE."""
    no_blocker = ~(F.custom["committee_has_blocker"] == True)  # noqa: E712
    unchecked = with_committee(Lead(account_id="A-1"), committee_coverage(ACME))
    assert evaluate(no_blocker, unchecked, as_of=AS_OF) is Truth.UNKNOWN
    checked = attrs.evolve(ACME, absent_roles={"blocker"})
    lead = with_committee(Lead(account_id="A-1"), committee_coverage(checked))
    assert lead.custom["committee_has_blocker"] is False
    assert evaluate(no_blocker, lead, as_of=AS_OF) is Truth.TRUE
    assert "checked, none: blocker" in str(committee_coverage(checked))


def test_a_required_role_checked_and_absent_is_lacking_not_missing():
    """A required role recorded absent is a known gap: no fact to find out, not complete."""
    account = attrs.evolve(ACME, absent_roles={"decision_maker"})
    result = qualify_account(account, [_acme_lead("L-1")], STARTER, as_of=AS_OF)
    cov = result.coverage
    assert cov.lacking == (BuyingRole.DECISION_MAKER,)
    assert BuyingRole.DECISION_MAKER not in cov.missing
    assert not cov.is_complete
    assert "custom.committee_has_decision_maker" not in [f.path for f in result.next_facts]


def test_a_role_a_lead_holds_stays_known_though_recorded_absent():
    """A lead's contact holding a role recorded absent wins: the role is known."""
    account = attrs.evolve(ACME, absent_roles={"blocker"})
    lead = _acme_lead("L-1", contact=Contact(buying_roles={"blocker"}))
    cov = committee_coverage(account, [lead])
    assert cov.has("blocker")
    assert cov.known_absent == frozenset()


# --- which leads ----------------------------------------------------------------------


def test_duplicate_lead_ids_in_an_account_are_refused():
    """The same lead twice would count its engagement twice: a ValidationError naming it."""
    lead = _acme_lead("L-1", signals=[demo_request()])
    message = r"\$\.leads: expected each lead of account 'A-1' once .* got 'L-1'"
    with pytest.raises(ValidationError, match=message):
        qualify_account(ACME, [lead, lead], STARTER, as_of=AS_OF)
    with pytest.raises(ValidationError, match=message):
        qualify_accounts([ACME], [lead, lead], STARTER, as_of=AS_OF)


def test_qualify_accounts_reports_leads_without_an_account():
    """Leads of no listed account (or with none) are in unassigned, in input order."""
    stray = Lead(id="L-2", account_id="A-9")
    orphan = Lead(id="L-3")
    results = qualify_accounts([ACME], [_acme_lead("L-1"), stray, orphan], STARTER, as_of=AS_OF)
    assert isinstance(results, AccountResults)
    assert results.unassigned == (stray, orphan)
    assert [r.lead_ids for r in results] == [("L-1",)]


# --- what would move the account --------------------------------------------------------


def test_account_next_facts_name_the_lead_facts_that_would_move_it():
    """Lead facts that move a lead past the account's stage are listed, naming the lead."""
    ready = _acme_lead("L-1", signals=[demo_request()])
    result = qualify_account(ACME, [ready], STARTER, as_of=AS_OF)
    assert result.stage == "sales_ready"
    budget = next(f for f in result.next_facts if f.path == "bant.budget.status")
    assert budget.unlocks == ("sales_opportunity",)
    assert budget.reason == "could move L-1 to Sales Opportunity"
    behind = _acme_lead("L-2", company=None)
    both = qualify_account(ACME, [ready, behind], STARTER, as_of=AS_OF)
    assert all(
        STARTER.funnel.stage(s).order > STARTER.funnel.stage("sales_ready").order
        for f in both.next_facts
        for s in f.unlocks
    )
