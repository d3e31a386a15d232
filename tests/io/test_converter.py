"""The record format: what unstructure writes and what structure accepts."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import converter, from_json, structure, to_json, unstructure
from funnelkit.model import (
    BANT,
    STARTER_FUNNEL,
    Budget,
    Company,
    Contact,
    IdealCustomerProfile,
    Lead,
    Money,
    Signal,
    Timeline,
)

AT = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def test_defaults_are_left_out():
    """A lead with only an id unstructures to just the id."""
    assert unstructure(Lead(id="L-1")) == {"id": "L-1"}


def test_sets_become_sorted_lists():
    """Frozensets are written as sorted lists, whatever their order in memory."""
    company = Company(technologies={"zendesk", "aws", "hubspot"})
    assert unstructure(company) == {"technologies": ["aws", "hubspot", "zendesk"]}


def test_enums_become_their_values():
    """Enum members are written as plain strings, enum sets as sorted lists of values."""
    record = unstructure(Contact(seniority="vp", buying_roles={"user", "champion"}))
    assert record == {"seniority": "vp", "buying_roles": ["champion", "user"]}
    assert type(record["seniority"]) is str


def test_datetimes_and_dates_are_iso_strings():
    """Datetimes keep their offset; dates are YYYY-MM-DD."""
    offset = timezone(timedelta(hours=2))
    record = unstructure(
        Lead(
            signals=[Signal(kind="demo_request", occurred_at=datetime(2026, 5, 1, tzinfo=offset))],
            bant=BANT(timeline=Timeline(decision_date=date(2026, 9, 30))),
        )
    )
    assert record["signals"][0]["occurred_at"] == "2026-05-01T00:00:00+02:00"
    assert record["bant"] == {"timeline": {"decision_date": "2026-09-30"}}


def test_money_is_a_string_amount_and_a_currency():
    """Decimal amounts are strings, exactly as held; the default currency is left out."""
    assert unstructure(Money(amount=Decimal("12000000.00"), currency="EUR")) == {
        "amount": "12000000.00",
        "currency": "EUR",
    }
    assert unstructure(Money(amount=5)) == {"amount": "5"}


def test_custom_attributes_are_sorted_by_key():
    """Custom attributes are written key-sorted, tuples as lists."""
    record = unstructure(Lead(custom={"zeta": 1, "alpha": ["a", "b"]}))
    assert list(record["custom"]) == ["alpha", "zeta"]
    assert record["custom"]["alpha"] == ["a", "b"]


def test_funnel_transitions_are_sorted_pairs():
    """A funnel's transitions are written as sorted [from, to] lists."""
    record = unstructure(STARTER_FUNNEL)
    assert record["transitions"] == sorted(record["transitions"])
    assert ["inquiry", "profiled"] in record["transitions"]


def test_icp_default_weights_are_left_out():
    """An ICP with the default weights writes no weights."""
    assert "weights" not in unstructure(IdealCustomerProfile(name="any"))


def test_json_output_is_deterministic():
    """Equal objects built from differently ordered sets give the same JSON text."""
    one = Lead(company=Company(technologies=["b", "a", "c"], tags=["y", "x"]))
    two = Lead(company=Company(technologies=["c", "b", "a"], tags=["x", "y"]))
    assert to_json(one) == to_json(two)
    assert '"technologies": ["a", "b", "c"]' in to_json(one)


def test_utc_z_suffix_is_accepted():
    """A "Z" suffix reads as UTC."""
    signal = structure({"kind": "x", "occurred_at": "2026-05-01T10:00:00Z"}, Signal)
    assert signal.occurred_at == AT


def test_numbers_are_accepted_for_decimals():
    """Ints and floats are accepted for Decimal fields; a float goes by its repr."""
    assert structure({"amount": 12}, Money).amount == Decimal(12)
    assert structure({"amount": 0.1}, Money).amount == Decimal("0.1")


def test_enum_values_structure_to_members():
    """Enum values read as members of the enum."""
    budget = structure({"status": "identified"}, Budget)
    assert budget.status is Budget(status="identified").status


def test_round_trip_of_a_full_lead():
    """A lead with every part filled survives to_json and from_json unchanged."""
    lead = Lead(
        id="L-1",
        contact=Contact(email="ana@example.com", seniority="vp", opted_out=True),
        company=Company(name="Acme", employees=120, annual_revenue=Money(amount="1.50")),
        signals=[Signal(kind="demo_request", occurred_at=AT, explicit=True, value=2.5)],
        bant=BANT(budget=Budget(status="approved", amount=Money(amount=10, currency="EUR"))),
        created_at=AT,
        custom={"tier": "gold", "seats": 40, "ratio": 0.5, "flags": [True, None]},
    )
    assert from_json(to_json(lead), Lead) == lead


def test_converter_raises_cattrs_groups():
    """The converter itself raises cattrs' exception group, not a RecordError."""
    with pytest.raises(ExceptionGroup):
        converter.structure({"employees": "12"}, Company)


def test_structure_names_the_kind_and_id():
    """structure() raises a RecordError named after the class and the record's id."""
    with pytest.raises(RecordError, match=re.escape("company (id 'C-1'): $.employees")):
        structure({"id": "C-1", "employees": -1}, Company)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "a JSON document (Expecting property name"),
        ('{"amount": 1, "amount": 2}', "duplicate key 'amount'"),
    ],
)
def test_from_json_reports_bad_json(text, fragment):
    """from_json reports text that is not JSON (or repeats a key) as a RecordError."""
    with pytest.raises(RecordError, match=re.escape(fragment)):
        from_json(text, Money)


def test_unstructured_records_are_plain_json():
    """The unstructured record is made of JSON types only."""
    lead = Lead(
        company=Company(annual_revenue=Money(amount=1)),
        signals=[Signal(kind="x", occurred_at=AT, attributes={"n": 1})],
    )
    record = unstructure(lead)
    assert json.loads(json.dumps(record)) == record
