import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import STANDARD_SIGNAL_KINDS, FrozenDict, Signal, SignalKind

AT = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
AWARE = "a timezone-aware datetime"
SCALARS = "str, int, float, bool, Decimal, date or None, or a list of them"

BAD = [
    pytest.param({"kind": ""}, ValidationError, "$.kind: expected a non-empty str of at most 200 characters, got '' (str)", id="kind-empty"),
    pytest.param({"kind": None}, FieldTypeError, "$.kind: expected a non-empty str, got None (NoneType)", id="kind-none"),
    pytest.param({"occurred_at": datetime(2026, 5, 1)}, ValidationError, f"$.occurred_at: expected {AWARE} (add a tzinfo, e.g. datetime.UTC), got datetime.datetime(2026, 5, 1, 0, 0) (datetime)", id="occurred-naive"),
    pytest.param({"occurred_at": "2026-05-01T00:00:00Z"}, FieldTypeError, f"$.occurred_at: expected {AWARE}, got '2026-05-01T00:00:00Z' (str)", id="occurred-str"),
    pytest.param({"occurred_at": date(2026, 5, 1)}, FieldTypeError, f"$.occurred_at: expected {AWARE}, got datetime.date(2026, 5, 1) (date)", id="occurred-date"),
    pytest.param({"occurred_at": None}, FieldTypeError, f"$.occurred_at: expected {AWARE}, got None (NoneType)", id="occurred-none"),
    pytest.param({"channel": ""}, ValidationError, "$.channel: expected a non-empty str of at most 200 characters, got '' (str)", id="channel-empty"),
    pytest.param({"source": 1}, FieldTypeError, "$.source: expected a non-empty str or None, got 1 (int)", id="source-int"),
    pytest.param({"explicit": "yes"}, FieldTypeError, "$.explicit: expected bool, got 'yes' (str)", id="explicit-str"),
    pytest.param({"explicit": 1}, FieldTypeError, "$.explicit: expected bool, got 1 (int)", id="explicit-int"),
    pytest.param({"value": float("nan")}, ValidationError, "$.value: expected a finite number, got nan (float)", id="value-nan"),
    pytest.param({"value": float("inf")}, ValidationError, "$.value: expected a finite number, got inf (float)", id="value-inf"),
    pytest.param({"value": "3"}, FieldTypeError, "$.value: expected a finite number, got '3' (str)", id="value-str"),
    pytest.param({"value": True}, FieldTypeError, "$.value: expected a finite number, got True (bool)", id="value-bool"),
    pytest.param({"attributes": [1, 2]}, FieldTypeError, "$.attributes: expected a mapping of str to scalars, got [1, 2] (list)", id="attributes-list"),
    pytest.param({"attributes": {"": 1}}, FieldTypeError, "$.attributes: expected non-empty str keys, got '' (str)", id="attributes-empty-key"),
    pytest.param({"attributes": {1: "a"}}, FieldTypeError, "$.attributes: expected non-empty str keys, got 1 (int)", id="attributes-int-key"),
    pytest.param({"attributes": {"a": {"b": 1}}}, FieldTypeError, f"$.attributes.a: expected {SCALARS}, got {{'b': 1}} (dict)", id="attributes-nested-dict"),
    pytest.param({"attributes": {"a": [1, {}]}}, FieldTypeError, f"$.attributes.a[1]: expected {SCALARS}, got {{}} (dict)", id="attributes-nested-in-list"),
    pytest.param({"attributes": {"a": float("nan")}}, ValidationError, "$.attributes.a: expected a finite number, got nan (float)", id="attributes-nan"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(kwargs, error, message):
    """Each bad value raises an error whose message names the field and the value."""
    fields = {"kind": "demo_request", "occurred_at": AT, **kwargs}
    with pytest.raises(error, match=re.escape(message)) as info:
        Signal(**fields)
    assert type(info.value) is error


def test_kind_and_time_are_required():
    """A signal without kind or time cannot be built."""
    with pytest.raises(TypeError, match="kind"):
        Signal(occurred_at=AT)  # type: ignore[call-arg]


def test_kind_is_an_open_vocabulary():
    """Any non-empty kind is accepted, not only the standard ones."""
    assert Signal(kind="g2_review", occurred_at=AT).kind == "g2_review"


def test_standard_kind_member_equals_its_value():
    """SignalKind members are plain strings, so they compare equal to their values."""
    signal = Signal(kind=SignalKind.DEMO_REQUEST, occurred_at=AT)
    assert signal.kind == "demo_request"
    assert {k.value for k in SignalKind} == STANDARD_SIGNAL_KINDS


def test_any_fixed_offset_is_aware():
    """A datetime with a non-UTC offset is accepted as is."""
    at = datetime(2026, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert Signal(kind="x", occurred_at=at).occurred_at == at


def test_attributes_become_a_frozendict_with_tuples():
    """A dict of attributes becomes a FrozenDict; lists become tuples."""
    signal = Signal(
        kind="x",
        occurred_at=AT,
        attributes={
            "pages": ["/pricing", "/demo"],
            "amount": Decimal("5.5"),
            "on": date(2026, 1, 1),
        },
    )
    assert isinstance(signal.attributes, FrozenDict)
    assert signal.attributes["pages"] == ("/pricing", "/demo")
    hash(signal)


def test_value_accepts_ints_and_floats():
    """The optional value is any finite int or float."""
    assert Signal(kind="x", occurred_at=AT, value=3).value == 3
    assert Signal(kind="x", occurred_at=AT, value=2.5).value == 2.5
