"""The generated fast path of structuring: same objects and same errors as the slow one."""

import attrs
import pytest
from hypothesis import given

from funnelkit.errors import RecordError
from funnelkit.io import converter, structure, unstructure
from funnelkit.io._build import _immutable, implied
from funnelkit.model import BANT, Company, Contact, FrozenDict, Lead, LeadSource, Signal
from funnelkit.model._checks import of_type
from funnelkit.testing.strategies import leads

SIGNAL = {"kind": "demo_request", "occurred_at": "2026-05-01T10:00:00+00:00"}


@given(leads())
def test_fast_path_builds_equal_leads(lead):
    """A lead's record structures to the lead its constructor builds from the same values."""
    record = unstructure(lead)
    again = structure(record, Lead)
    assert unstructure(again) == record
    assert again == Lead(**{a: getattr(again, a) for a in attrs_names(Lead)})


def attrs_names(cls):
    """The init names of an attrs class."""
    return [a.alias for a in attrs.fields(cls) if a.init]


def test_left_out_fields_share_one_default():
    """A field a record leaves out gets one shared default object (no FrozenDict per signal)."""
    lead = structure({"id": "L-1", "signals": [SIGNAL, SIGNAL]}, Lead)
    first, second = lead.signals
    assert first.attributes is second.attributes == FrozenDict()
    assert lead.source == LeadSource()
    assert lead.bant == BANT()
    assert structure({"id": "L-2"}, Lead).source is lead.source


def test_fast_path_still_validates_present_fields():
    """A value the field's validator refuses goes to the slow path and its usual message."""
    with pytest.raises(RecordError, match=r"signals\[1\]\.kind: expected a non-empty str"):
        structure({"signals": [SIGNAL, {**SIGNAL, "kind": "  "}]}, Lead)


def test_fast_path_runs_validators_reading_other_fields():
    """Lead.account_id's check against the embedded company still runs."""
    with pytest.raises(RecordError, match="the embedded company's id 'C-1'"):
        structure({"account_id": "C-2", "company": {"id": "C-1"}}, Lead)


@pytest.mark.parametrize(
    ("value", "shared"),
    [
        (None, True),
        ((), True),
        ((1,), False),
        (FrozenDict(), True),
        (FrozenDict({"a": 1}), False),
        (LeadSource(), True),
        ([], False),
        ({}, False),
    ],
)
def test_only_immutable_defaults_are_shared(value, shared):
    """Defaults are shared between objects only when nothing can change them."""
    assert _immutable(value) is shared


@attrs.frozen(slots=False)
class _InADict:
    a: int = attrs.field(validator=attrs.validators.instance_of(int))
    b: str = "x"


@attrs.frozen
class _InSlots:
    a: int = attrs.field(validator=attrs.validators.instance_of(int))
    b: str = "x"


@pytest.mark.parametrize("cls", [_InADict, _InSlots])
def test_fast_path_fills_slotted_and_dict_classes(cls):
    """Slots or a __dict__: the object equals the constructor's and stays frozen."""
    built = structure({"a": 1}, cls)
    assert type(built) is cls
    assert built == cls(a=1)
    assert attrs.asdict(built) == {"a": 1, "b": "x"}
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.a = 2


def _field(cls, name):
    return attrs.fields_dict(cls)[name]


@attrs.frozen
class _Required:
    c: Contact = attrs.field(validator=of_type(Contact))
    n: int = attrs.field(validator=of_type(int))


def test_a_validator_is_implied_only_by_a_hook_returning_what_it_accepts():
    """of_type(X) is skipped for X's class hook; not for other hooks, converters or nulls."""
    contact = converter.get_structure_hook(Contact)
    assert contact.returns is Contact
    assert implied(_field(Lead, "contact"), contact, nullable=True)
    # A hook that declares nothing, or returns another class, implies nothing.
    assert not implied(_field(Lead, "contact"), lambda v, t: v, nullable=True)
    company = converter.get_structure_hook(Company)
    assert not implied(_field(Lead, "contact"), company, nullable=True)
    # A field that is not optional gets no pass for the None of a null.
    assert not implied(_field(_Required, "c"), contact, nullable=True)
    assert implied(_field(_Required, "c"), contact, nullable=False)
    # A converter may change the value; validators other than of_type declare nothing.
    signal = converter.get_structure_hook(Signal)
    assert not implied(_field(Lead, "signals"), signal, nullable=False)
    assert not implied(_field(Lead, "id"), contact, nullable=True)


def test_a_bool_never_passes_for_an_int_by_implication():
    """A hook returning bools does not imply of_type(int), which refuses bools."""

    def bools(value, _type):
        return bool(value)

    bools.returns = bool
    assert not implied(_field(_Required, "n"), bools, nullable=False)


def test_a_required_nested_object_is_still_checked_when_null():
    """null for a required object field is refused, whatever the hook implies."""
    with pytest.raises(RecordError, match=r"\$\.c: expected an object with the fields of Contact"):
        structure({"c": None, "n": 1}, _Required)
