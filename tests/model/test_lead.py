import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import (
    BANT,
    Company,
    Contact,
    Direction,
    FrozenDict,
    Lead,
    LeadSource,
    Signal,
    StageChange,
)

T0 = datetime(2026, 5, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
DIRECTIONS = "'inbound', 'outbound', 'unknown'"
INQUIRY = StageChange(at=T0, to_stage="inquiry")
PROFILED = StageChange(at=T1, to_stage="profiled", from_stage="inquiry")

BAD_PARTS = [
    pytest.param(LeadSource, {"direction": "sideways"}, ValidationError, f"$.direction: expected one of {DIRECTIONS}, got 'sideways' (str)", id="source-direction-unknown"),
    pytest.param(LeadSource, {"channel": ""}, ValidationError, "$.channel: expected a non-empty str of at most 200 characters, got '' (str)", id="source-channel-empty"),
    pytest.param(LeadSource, {"campaign": 7}, FieldTypeError, "$.campaign: expected a non-empty str or None, got 7 (int)", id="source-campaign-int"),
    pytest.param(StageChange, {"at": datetime(2026, 5, 1), "to_stage": "inquiry"}, ValidationError, "$.at: expected a timezone-aware datetime (add a tzinfo, e.g. datetime.UTC), got datetime.datetime(2026, 5, 1, 0, 0) (datetime)", id="change-at-naive"),
    pytest.param(StageChange, {"at": T0, "to_stage": ""}, ValidationError, "$.to_stage: expected a non-empty str of at most 100 characters, got '' (str)", id="change-to-empty"),
    pytest.param(StageChange, {"at": T0, "to_stage": None}, FieldTypeError, "$.to_stage: expected a non-empty str, got None (NoneType)", id="change-to-none"),
    pytest.param(StageChange, {"at": T0, "to_stage": "a", "from_stage": " "}, ValidationError, "$.from_stage: expected a non-empty str of at most 100 characters, got ' ' (str)", id="change-from-blank"),
    pytest.param(StageChange, {"at": T0, "to_stage": "a", "reason": ""}, ValidationError, "$.reason: expected a non-empty str of at most 1000 characters, got '' (str)", id="change-reason-empty"),
    pytest.param(StageChange, {"at": T0, "to_stage": "a", "policy_version": 2}, FieldTypeError, "$.policy_version: expected a non-empty str or None, got 2 (int)", id="change-policy-int"),
]  # fmt: skip

BAD_LEADS = [
    pytest.param({"id": ""}, ValidationError, "$.id: expected a non-empty str of at most 200 characters, got '' (str)", id="id-empty"),
    pytest.param({"contact": Company()}, FieldTypeError, "$.contact: expected Contact or None, got Company(", id="contact-is-company"),
    pytest.param({"company": "Acme"}, FieldTypeError, "$.company: expected Company or None, got 'Acme' (str)", id="company-str"),
    pytest.param({"company": Company(id="C-1"), "account_id": "C-2"}, ValidationError, "$.account_id: expected the embedded company's id 'C-1', got 'C-2' (str)", id="account-id-mismatch"),
    pytest.param({"account_id": ""}, ValidationError, "$.account_id: expected a non-empty str of at most 200 characters, got '' (str)", id="account-id-empty"),
    pytest.param({"source": "web"}, FieldTypeError, "$.source: expected LeadSource, got 'web' (str)", id="source-str"),
    pytest.param({"signals": [{"kind": "x"}]}, FieldTypeError, "$.signals[0]: expected Signal, got {'kind': 'x'} (dict)", id="signal-dict"),
    pytest.param({"signals": "demo"}, FieldTypeError, "$.signals: expected a tuple of Signal, got 'demo' (str)", id="signals-str"),
    pytest.param({"bant": None}, FieldTypeError, "$.bant: expected BANT, got None (NoneType)", id="bant-none"),
    pytest.param({"stage_history": [INQUIRY, "profiled"]}, FieldTypeError, "$.stage_history[1]: expected StageChange, got 'profiled' (str)", id="history-item-str"),
    pytest.param({"stage_history": [INQUIRY, StageChange(at=T1, to_stage="sales_ready", from_stage="profiled")]}, ValidationError, "$.stage_history[1].from_stage: expected 'inquiry' (where the previous move ended), got 'profiled' (str)", id="history-not-chained"),
    pytest.param({"stage_history": [INQUIRY, StageChange(at=T1, to_stage="profiled")]}, ValidationError, "$.stage_history[1].from_stage: expected 'inquiry' (where the previous move ended), got None (NoneType)", id="history-restarts"),
    pytest.param({"stage_history": [StageChange(at=T1, to_stage="inquiry"), StageChange(at=T0, to_stage="profiled", from_stage="inquiry")]}, ValidationError, "$.stage_history[1].at: expected a time at or after 2026-05-02T00:00:00+00:00, got datetime.datetime(2026, 5, 1", id="history-goes-back-in-time"),
    pytest.param({"owner": ""}, ValidationError, "$.owner: expected a non-empty str of at most 200 characters, got '' (str)", id="owner-empty"),
    pytest.param({"created_at": datetime(2026, 5, 1)}, ValidationError, "$.created_at: expected a timezone-aware datetime (add a tzinfo, e.g. datetime.UTC), got datetime.datetime(2026, 5, 1, 0, 0) (datetime)", id="created-naive"),
    pytest.param({"custom": {"tier": object}}, FieldTypeError, "$.custom.tier: expected str, int, float, bool, Decimal, date or None, or a list of them, got <class 'object'> (type)", id="custom-not-scalar"),
    pytest.param({"custom": "gold"}, FieldTypeError, "$.custom: expected a mapping of str to scalars, got 'gold' (str)", id="custom-str"),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "kwargs", "error", "message"), BAD_PARTS)
def test_bad_source_and_stage_change_values_are_rejected(cls, kwargs, error, message):
    """A bad LeadSource or StageChange value raises an error naming field and value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        cls(**kwargs)
    assert type(info.value) is error


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_LEADS)
def test_bad_lead_values_are_rejected(kwargs, error, message):
    """A bad lead value raises an error whose message names the field path and value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        Lead(**kwargs)
    assert type(info.value) is error


def test_an_empty_lead_is_valid():
    """A lead with nothing known is still a lead."""
    lead = Lead()
    assert (lead.contact, lead.company, lead.stage, lead.company_id) == (None, None, None, None)
    assert lead.bant == BANT()
    assert lead.source.direction is Direction.UNKNOWN


def test_direction_accepts_its_value():
    """A direction given as a string becomes the enum member."""
    assert LeadSource(direction="inbound").direction is Direction.INBOUND


def test_stage_is_where_the_last_change_ended():
    """Lead.stage is the to_stage of the last stage change."""
    assert Lead(stage_history=[INQUIRY, PROFILED]).stage == "profiled"


def test_history_may_repeat_an_instant():
    """Two moves at the same instant are chronological."""
    same = StageChange(at=T0, to_stage="profiled", from_stage="inquiry")
    assert Lead(stage_history=(INQUIRY, same)).stage == "profiled"


def test_history_order_is_judged_by_instant_not_wall_clock():
    """A later instant written in an earlier wall-clock time (another offset) is fine."""
    later = datetime(2026, 4, 30, 22, 0, tzinfo=timezone(timedelta(hours=-5)))  # 03:00 UTC
    moved = StageChange(at=later, to_stage="profiled", from_stage="inquiry")
    assert Lead(stage_history=[INQUIRY, moved]).stage == "profiled"


@pytest.mark.parametrize(
    ("company", "account_id", "expected"),
    [
        (None, None, None),
        (None, "A-1", "A-1"),
        (Company(name="Acme"), "A-1", "A-1"),
        (Company(id="C-1"), None, "C-1"),
        (Company(id="C-1"), "C-1", "C-1"),
    ],
    ids=["nothing", "account-only", "company-without-id", "company-id", "both-agree"],
)
def test_company_id_prefers_the_embedded_company(company, account_id, expected):
    """company_id is the embedded company's id, else account_id."""
    assert Lead(company=company, account_id=account_id).company_id == expected


def test_evolve_rechecks_the_account_id():
    """Changing the company through evolve re-runs the account_id check."""
    import attrs

    lead = Lead(company=Company(id="C-1"), account_id="C-1")
    with pytest.raises(ValidationError, match=re.escape("$.account_id: expected the embedded")):
        attrs.evolve(lead, company=Company(id="C-2"))


def test_collections_are_converted():
    """Signal and history lists become tuples; custom becomes a FrozenDict."""
    signal = Signal(kind="demo_request", occurred_at=T0)
    lead = Lead(signals=[signal], stage_history=[INQUIRY], custom={"seats": [1, 2]})
    assert lead.signals == (signal,)
    assert lead.stage_history == (INQUIRY,)
    assert lead.custom == FrozenDict({"seats": (1, 2)})


def test_contact_is_kept():
    """The contact is stored as given."""
    contact = Contact(name="Ana")
    assert Lead(contact=contact).contact is contact


def test_custom_evidence_names_each_custom_key_once():
    """Two pieces of evidence for one custom key are refused, naming the key."""
    from funnelkit.model import CustomEvidence, Evidence

    item = CustomEvidence(key="metrics", evidence=Evidence(source="call"))
    with pytest.raises(
        ValidationError,
        match=r"custom_evidence\[1\]\.key: expected each custom key once, got 'metrics'",
    ):
        Lead(custom={"metrics": "x"}, custom_evidence=[item, item])


@pytest.mark.parametrize("key", ["", "a.b", 3])
def test_custom_evidence_needs_a_custom_key(key: object):
    """A key that is not a custom attribute's name is a ValidationError."""
    from funnelkit.model import CustomEvidence, Evidence

    with pytest.raises(ValidationError, match=r"\$\.key: expected a custom attribute's name"):
        CustomEvidence(key=key, evidence=Evidence())  # type: ignore[arg-type]
