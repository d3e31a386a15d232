"""Properties: structure(unstructure(x)) == x for every model class, also through JSON."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.io import from_json, structure, to_json, unstructure
from funnelkit.testing import strategies as fks

# Custom attributes round-trip exactly when they hold JSON values. A date or Decimal
# custom value is written as its string and read back as that string (JSON has no date
# or decimal type, and the reader never guesses one), so those are left out here.
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(min_size=1, max_size=20).filter(str.strip)
)

STRATEGIES = {
    "Lead": fks.leads(attribute_values=JSON_SCALARS),
    "complete Lead": fks.leads(complete=True, attribute_values=JSON_SCALARS),
    "Company": fks.companies(),
    "Contact": fks.contacts(),
    "Account": fks.accounts(),
    "Money": fks.money(),
    "Signal": fks.signals(attribute_values=JSON_SCALARS),
    "BANT": fks.bants(complete=True),
    "Evidence": fks.evidence(),
    "StageChange": fks.stage_changes(),
    "Stage": fks.stages(),
    "Funnel": fks.funnels(),
    "IdealCustomerProfile": fks.icps(),
}

ROUND_TRIP = settings(suppress_health_check=[HealthCheck.too_slow])
# A whole lead costs tens of times more than a company to generate: fewer under ``ci``.
LEAD_ROUND_TRIP = examples(20, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_records_round_trip(name):
    """For every model class, structure(unstructure(x)) == x, also through JSON text."""

    @(LEAD_ROUND_TRIP if name.endswith("Lead") else ROUND_TRIP)
    @given(STRATEGIES[name])
    def check(obj):
        record = unstructure(obj)
        assert structure(record, type(obj)) == obj
        text = to_json(obj)
        assert json.loads(text) == record
        assert from_json(text, type(obj)) == obj

    check()


@LEAD_ROUND_TRIP
@given(fks.leads(attribute_values=JSON_SCALARS))
def test_unstructure_is_deterministic(lead):
    """Unstructuring twice, or a rebuilt equal lead, gives the same JSON text."""
    rebuilt = structure(unstructure(lead), type(lead))
    assert to_json(lead) == to_json(rebuilt)


def as_read_back(value):
    """What a custom value reads back as: dates and decimals as their strings."""
    if isinstance(value, tuple):
        return tuple(as_read_back(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@LEAD_ROUND_TRIP
@given(fks.leads())
def test_custom_dates_and_decimals_come_back_as_strings(lead):
    """With any custom scalar the record reads back; dates and decimals come back as text."""
    back = structure(unstructure(lead), type(lead))
    assert dict(back.custom) == {k: as_read_back(v) for k, v in lead.custom.items()}
