"""The fast and the careful structuring paths give the same objects and the same errors."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import structure
from funnelkit.model import Company, Lead, Signal

RECORD = {
    "id": "L-1",
    "company": {"name": "Acme", "employees": 12, "country": "DE", "technologies": ["aws"]},
    "signals": [{"kind": "demo_request", "occurred_at": "2026-05-01T10:00:00+00:00"}],
    "custom": {"tier": "gold", "seats": [1, 2]},
}


def test_other_mappings_give_the_same_lead_as_dicts():
    """A read-only mapping (careful path) gives the lead a dict (fast path) gives."""
    proxy = MappingProxyType({**RECORD, "company": MappingProxyType(RECORD["company"])})
    assert structure(proxy, Lead) == structure(RECORD, Lead)


def test_model_objects_pass_through():
    """An object that already is the class is taken as it is."""
    company = Company(name="Acme")
    assert structure({"company": company}, Lead).company is company


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"signals": [{"kind": "x"}]},
            "$.signals[0].occurred_at: expected a value (the field is required)",
        ),
        (
            {"company": {"employees": -1, "nmae": "A"}},
            "$.company.nmae: expected a known field of Company",
        ),
        ({"company": {"technologies": None}}, "$.company.technologies: expected a list of str"),
        ({"id": 5}, "$.id: expected str, got 5 (int)"),
    ],
)
def test_bad_records_leave_the_fast_path_with_every_problem(record, message):
    """A record the fast path cannot take is reported by the careful path, every problem."""
    with pytest.raises(RecordError, match=re.escape(message)):
        structure(record, Lead)


def test_signals_keep_their_attributes_in_one_frozen_dict():
    """A structured signal's attributes are the FrozenDict its hook built (not a copy)."""
    signal = structure(
        {"kind": "k", "occurred_at": "2026-05-01T10:00:00Z", "attributes": {"a": 1}}, Signal
    )
    assert signal.attributes == {"a": 1}
