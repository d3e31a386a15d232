"""Behaviour every model class shares: frozen, slotted, evolvable, hashable, picklable."""

import pickle
from datetime import UTC, date, datetime

import attrs
import pytest

from funnelkit.errors import ValidationError
from funnelkit.model import (
    BANT,
    STARTER_FUNNEL,
    Account,
    Authority,
    Band,
    Budget,
    Company,
    Contact,
    Evidence,
    Exclusions,
    Funnel,
    IdealCustomerProfile,
    Lead,
    LeadSource,
    Money,
    Need,
    PainPoint,
    Signal,
    Stage,
    StageChange,
    Timeline,
)

AT = datetime(2026, 5, 1, tzinfo=UTC)
COMPANY = Company(
    id="C-1", name="Acme", domain="acme.com", employees=120, country="US", technologies={"aws"}
)
CONTACT = Contact(name="Ana", email="ana@acme.com", seniority="vp", buying_roles=["champion"])
SIGNAL = Signal(kind="demo_request", occurred_at=AT, explicit=True, attributes={"page": "/demo"})
EVIDENCE = Evidence(source="call", asserted_at=AT, confidence=0.9)
STAGE_CHANGE = StageChange(at=AT, to_stage="inquiry")

# One example per model class, with the field to change in the "evolve re-validates" test.
EXAMPLES = {
    Money: (Money(amount=5, currency="EUR"), "currency", "eur"),
    Company: (COMPANY, "employees", -1),
    Contact: (CONTACT, "email", "nope"),
    Account: (Account(id="C-1", company=COMPANY, contacts=[CONTACT]), "id", ""),
    Signal: (SIGNAL, "occurred_at", datetime(2026, 5, 1)),
    Evidence: (EVIDENCE, "confidence", 2),
    Budget: (Budget(status="identified", amount=Money(amount=10), evidence=EVIDENCE), "status", "lots"),
    Authority: (Authority(level="decision_maker"), "level", "boss"),
    PainPoint: (PainPoint(description="slow", severity="high"), "severity", "dire"),
    Need: (Need(pain_points=[PainPoint(description="slow")]), "pain_points", ["slow"]),
    Timeline: (Timeline(decision_date=date(2026, 9, 30), horizon_days=90), "horizon_days", -1),
    BANT: (BANT(budget=Budget(status="approved")), "budget", None),
    LeadSource: (LeadSource(direction="inbound", channel="web_form"), "direction", "in"),
    StageChange: (STAGE_CHANGE, "to_stage", ""),
    Lead: (Lead(id="L-1", contact=CONTACT, company=COMPANY, signals=[SIGNAL], stage_history=[STAGE_CHANGE], custom={"tier": "gold"}), "account_id", "C-2"),
    Stage: (STARTER_FUNNEL.stages[0], "order", -5),
    Funnel: (STARTER_FUNNEL, "transitions", {("inquiry", "nowhere")}),
    Band: (Band(low=50, high=5000), "high", 10),
    Exclusions: (Exclusions(countries={"CU"}, domains={"rival.com"}), "countries", {"cuba"}),
    IdealCustomerProfile: (IdealCustomerProfile(name="icp", industries={"software"}, employee_bands=[Band(low=50)]), "weights", {"budget": 1}),
}  # fmt: skip

CLASSES = list(EXAMPLES)


def _example(cls):
    return EXAMPLES[cls][0]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_is_a_frozen_slotted_keyword_only_attrs_class(cls):
    """Every model class is an attrs class with slots and keyword-only fields."""
    assert attrs.has(cls)
    assert "__slots__" in vars(cls)
    assert all(a.kw_only for a in attrs.fields(cls))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_cannot_be_changed_in_place(cls):
    """Assigning to a field raises FrozenInstanceError."""
    obj = _example(cls)
    name = attrs.fields(cls)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, name, getattr(obj, name))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_evolve_without_changes_gives_an_equal_object(cls):
    """attrs.evolve with no changes builds an equal object with the same hash."""
    obj = _example(cls)
    copy = attrs.evolve(obj)
    assert copy == obj
    assert hash(copy) == hash(obj)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_evolve_validates_the_change(cls):
    """attrs.evolve runs the validators, so a bad change is rejected."""
    obj, field, bad = EXAMPLES[cls]
    with pytest.raises(ValidationError, match=f"\\$\\.{field}"):
        attrs.evolve(obj, **{field: bad})


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_pickle_round_trip(cls):
    """Pickling and unpickling gives an equal object."""
    obj = _example(cls)
    assert pickle.loads(pickle.dumps(obj)) == obj


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_usable_in_sets_and_as_dict_keys(cls):
    """Equal objects collapse in a set and find each other as dict keys."""
    obj = _example(cls)
    assert len({obj, attrs.evolve(obj)}) == 1
    assert {obj: 1}[attrs.evolve(obj)] == 1


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_revalidating_an_example_passes(cls):
    """attrs.validate accepts the example as it stands."""
    attrs.validate(_example(cls))


def test_evolve_applies_converters():
    """attrs.evolve runs converters too: a new domain is normalised."""
    assert attrs.evolve(COMPANY, domain="https://www.Example.org/x").domain == "example.org"


def test_evolve_leaves_the_original_alone():
    """attrs.evolve returns a new object and never changes the original."""
    changed = attrs.evolve(COMPANY, employees=500)
    assert (changed.employees, COMPANY.employees) == (500, 120)
