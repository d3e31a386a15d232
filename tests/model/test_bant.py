import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import (
    BANT,
    Authority,
    AuthorityLevel,
    Budget,
    BudgetStatus,
    Evidence,
    Money,
    Need,
    PainPoint,
    Severity,
    Timeline,
)

AT = datetime(2026, 5, 1, tzinfo=UTC)
AWARE = "a timezone-aware datetime"
STATUSES = "'unknown', 'none', 'planned', 'identified', 'approved'"
LEVELS = "'unknown', 'none', 'influencer', 'decision_maker'"
SEVERITIES = "'low', 'medium', 'high', 'critical'"

BAD = [
    pytest.param(Evidence, {"source": ""}, ValidationError, "$.source: expected a non-empty str of at most 300 characters, got '' (str)", id="evidence-source-empty"),
    pytest.param(Evidence, {"asserted_at": datetime(2026, 5, 1)}, ValidationError, f"$.asserted_at: expected {AWARE} (add a tzinfo, e.g. datetime.UTC), got datetime.datetime(2026, 5, 1, 0, 0) (datetime)", id="evidence-asserted-naive"),
    pytest.param(Evidence, {"expires_at": "2026-05-01"}, FieldTypeError, f"$.expires_at: expected {AWARE}, got '2026-05-01' (str)", id="evidence-expires-str"),
    pytest.param(Evidence, {"asserted_at": datetime(2026, 5, 2, tzinfo=UTC), "expires_at": datetime(2026, 5, 1, tzinfo=UTC)}, ValidationError, "$.expires_at: expected a time at or after asserted_at 2026-05-02T00:00:00+00:00, got datetime.datetime(2026, 5, 1...tzinfo=datetime.timezone.utc) (datetime)", id="evidence-expires-before-asserted"),
    pytest.param(Evidence, {"confidence": 1.5}, ValidationError, "$.confidence: expected a number between 0 and 1, got 1.5 (float)", id="evidence-confidence-above-1"),
    pytest.param(Evidence, {"confidence": -0.1}, ValidationError, "$.confidence: expected a number between 0 and 1, got -0.1 (float)", id="evidence-confidence-negative"),
    pytest.param(Evidence, {"confidence": "high"}, FieldTypeError, "$.confidence: expected a number between 0 and 1, got 'high' (str)", id="evidence-confidence-str"),
    pytest.param(Evidence, {"confidence": True}, FieldTypeError, "$.confidence: expected a number between 0 and 1, got True (bool)", id="evidence-confidence-bool"),
    pytest.param(Budget, {"status": "big"}, ValidationError, f"$.status: expected one of {STATUSES}, got 'big' (str)", id="budget-status-unknown"),
    pytest.param(Budget, {"status": None}, ValidationError, f"$.status: expected one of {STATUSES}, got None (NoneType)", id="budget-status-none"),
    pytest.param(Budget, {"amount": 5}, FieldTypeError, "$.amount: expected Money or None, got 5 (int)", id="budget-amount-int"),
    pytest.param(Budget, {"period": ""}, ValidationError, "$.period: expected a non-empty str of at most 100 characters, got '' (str)", id="budget-period-empty"),
    pytest.param(Budget, {"evidence": "call"}, FieldTypeError, "$.evidence: expected Evidence or None, got 'call' (str)", id="budget-evidence-str"),
    pytest.param(Authority, {"level": "ceo"}, ValidationError, f"$.level: expected one of {LEVELS}, got 'ceo' (str)", id="authority-level-unknown"),
    pytest.param(Authority, {"decided_by": " "}, ValidationError, "$.decided_by: expected a non-empty str of at most 300 characters, got ' ' (str)", id="authority-decided-by-blank"),
    pytest.param(Authority, {"evidence": {}}, FieldTypeError, "$.evidence: expected Evidence or None, got {} (dict)", id="authority-evidence-dict"),
    pytest.param(PainPoint, {"description": ""}, ValidationError, "$.description: expected a non-empty str of at most 1000 characters, got '' (str)", id="pain-description-empty"),
    pytest.param(PainPoint, {"description": "slow", "severity": "urgent"}, ValidationError, f"$.severity: expected one of {SEVERITIES}, got 'urgent' (str)", id="pain-severity-unknown"),
    pytest.param(Need, {"pain_points": ["manual reporting"]}, FieldTypeError, "$.pain_points[0]: expected PainPoint, got 'manual reporting' (str)", id="need-pain-point-str"),
    pytest.param(Need, {"pain_points": "manual"}, FieldTypeError, "$.pain_points: expected a tuple of PainPoint, got 'manual' (str)", id="need-pain-points-bare-str"),
    pytest.param(Need, {"evidence": 1}, FieldTypeError, "$.evidence: expected Evidence or None, got 1 (int)", id="need-evidence-int"),
    pytest.param(Timeline, {"decision_date": datetime(2026, 9, 30)}, FieldTypeError, "$.decision_date: expected a date or None, got datetime.datetime(2026, 9, 30, 0, 0) (datetime)", id="timeline-date-is-datetime"),
    pytest.param(Timeline, {"decision_date": "2026-09-30"}, FieldTypeError, "$.decision_date: expected a date or None, got '2026-09-30' (str)", id="timeline-date-str"),
    pytest.param(Timeline, {"horizon_days": -1}, ValidationError, "$.horizon_days: expected int >= 0, got -1 (int)", id="timeline-horizon-negative"),
    pytest.param(Timeline, {"catalysing_event": ""}, ValidationError, "$.catalysing_event: expected a non-empty str of at most 1000 characters, got '' (str)", id="timeline-event-empty"),
    pytest.param(BANT, {"budget": "identified"}, FieldTypeError, "$.budget: expected Budget, got 'identified' (str)", id="bant-budget-str"),
    pytest.param(BANT, {"authority": None}, FieldTypeError, "$.authority: expected Authority, got None (NoneType)", id="bant-authority-none"),
    pytest.param(BANT, {"need": Budget()}, FieldTypeError, "$.need: expected Need, got Budget(", id="bant-need-wrong-class"),
    pytest.param(BANT, {"timeline": 90}, FieldTypeError, "$.timeline: expected Timeline, got 90 (int)", id="bant-timeline-int"),
]  # fmt: skip


@pytest.mark.parametrize(("cls", "kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(cls, kwargs, error, message):
    """Each bad value raises an error whose message names the field and the value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        cls(**kwargs)
    assert type(info.value) is error


def test_everything_defaults_to_unknown():
    """An empty BANT knows nothing: unknown budget and authority, no need, no timeline."""
    bant = BANT()
    assert bant.budget.status is BudgetStatus.UNKNOWN
    assert bant.authority.level is AuthorityLevel.UNKNOWN
    assert bant.need.pain_points == ()
    assert bant.timeline == Timeline()


@pytest.mark.parametrize(
    ("cls", "field", "value", "member"),
    [
        (Budget, "status", "identified", BudgetStatus.IDENTIFIED),
        (Authority, "level", "decision_maker", AuthorityLevel.DECISION_MAKER),
        (PainPoint, "severity", "high", Severity.HIGH),
    ],
)
def test_enum_fields_accept_their_values(cls, field, value, member):
    """A string value of an enum field becomes the enum member."""
    extra = {"description": "slow"} if cls is PainPoint else {}
    assert getattr(cls(**{field: value, **extra}), field) is member


def test_pain_points_become_a_tuple():
    """A list of pain points becomes a tuple, in the order given."""
    first, second = PainPoint(description="a"), PainPoint(description="b", severity="low")
    assert Need(pain_points=[first, second]).pain_points == (first, second)


def test_budget_keeps_amount_and_evidence():
    """A budget holds its amount as Money and the evidence behind it."""
    proof = Evidence(source="discovery call", asserted_at=AT, confidence=0.8)
    budget = Budget(status="approved", amount=Money(amount=50_000), evidence=proof)
    assert budget.amount == Money(amount=50_000)
    assert budget.evidence is proof


@pytest.mark.parametrize(
    ("expires_at", "as_of", "current"),
    [
        (None, AT, True),
        (AT + timedelta(days=1), AT, True),
        (AT, AT, False),
        (AT - timedelta(seconds=1), AT, False),
        (datetime(2026, 5, 1, 3, 0, tzinfo=timezone(timedelta(hours=2))), AT, True),
        (datetime(2026, 5, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))), AT, False),
    ],
    ids=[
        "no-expiry",
        "before",
        "at-expiry",
        "after",
        "later-in-other-offset",
        "earlier-in-other-offset",
    ],
)
def test_evidence_is_current_until_it_expires(expires_at, as_of, current):
    """Evidence holds until its expiry instant (exclusive), compared across offsets."""
    assert Evidence(expires_at=expires_at).is_current(as_of) is current


def test_decision_date_is_a_plain_date():
    """A timeline's decision date is a date, not a datetime."""
    assert Timeline(decision_date=date(2026, 9, 30)).decision_date == date(2026, 9, 30)


def test_evidence_may_expire_the_instant_it_is_asserted():
    """expires_at equal to asserted_at is allowed: the fact never holds."""
    e = Evidence(asserted_at=AT, expires_at=AT)
    assert not e.is_current(AT)


@pytest.mark.parametrize(
    ("as_of", "known"),
    [(AT - timedelta(microseconds=1), False), (AT, True), (AT + timedelta(days=1), True)],
)
def test_evidence_is_known_from_when_it_is_asserted(as_of, known):
    """is_known is False before asserted_at and True from it on."""
    assert Evidence(asserted_at=AT).is_known(as_of) is known


def test_evidence_without_asserted_at_is_always_known():
    """Evidence with no asserted_at counts as known at any instant."""
    assert Evidence(source="call").is_known(datetime(1990, 1, 1, tzinfo=UTC))
