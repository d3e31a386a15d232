"""The generated fast path of structuring: same objects and same errors as the slow one."""

import attrs
import pytest
from hypothesis import given

from funnelkit.errors import RecordError
from funnelkit.io import structure, unstructure
from funnelkit.io._build import _immutable
from funnelkit.model import BANT, FrozenDict, Lead, LeadSource
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
