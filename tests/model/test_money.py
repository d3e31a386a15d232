import re
from decimal import Decimal

import pytest

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import Money

AMOUNT = "a finite decimal amount (int, str or Decimal)"
CURRENCY = "an ISO 4217 currency code such as 'USD'"

BAD = [
    pytest.param({"amount": "abc"}, FieldTypeError, f"$.amount: expected {AMOUNT}, got 'abc' (str)", id="amount-not-a-number"),
    pytest.param({"amount": True}, FieldTypeError, f"$.amount: expected {AMOUNT}, got True (bool)", id="amount-bool"),
    pytest.param({"amount": None}, FieldTypeError, f"$.amount: expected {AMOUNT}, got None (NoneType)", id="amount-none"),
    pytest.param({"amount": float("nan")}, ValidationError, f"$.amount: expected {AMOUNT}, got Decimal('NaN') (Decimal)", id="amount-nan"),
    pytest.param({"amount": Decimal("Infinity")}, ValidationError, f"$.amount: expected {AMOUNT}, got Decimal('Infinity') (Decimal)", id="amount-infinite"),
    pytest.param({"amount": 1, "currency": "usd"}, ValidationError, f"$.currency: expected {CURRENCY}, got 'usd' (str)", id="currency-lower-case"),
    pytest.param({"amount": 1, "currency": "XYZ"}, ValidationError, f"$.currency: expected {CURRENCY}, got 'XYZ' (str)", id="currency-unknown"),
    pytest.param({"amount": 1, "currency": 840}, FieldTypeError, f"$.currency: expected {CURRENCY}, got 840 (int)", id="currency-not-a-str"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_values_are_rejected(kwargs, error, message):
    """A bad amount or currency raises an error naming the field and the value."""
    with pytest.raises(error, match=re.escape(message)) as info:
        Money(**kwargs)
    assert type(info.value) is error


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (10, Decimal(10)),
        ("  12.50 ", Decimal("12.50")),
        (0.1, Decimal("0.1")),
        (Decimal("3.14"), Decimal("3.14")),
        ("-5", Decimal(-5)),
    ],
)
def test_amounts_become_exact_decimals(given, expected):
    """Ints, strings, floats (by repr) and Decimals all become the exact Decimal."""
    amount = Money(amount=given).amount
    assert isinstance(amount, Decimal)
    assert amount == expected
    assert str(amount) == str(expected)


def test_currency_defaults_to_usd():
    """Money without a currency is in US dollars."""
    assert Money(amount=1).currency == "USD"


def test_str_groups_thousands():
    """str() shows the amount with thousands separators and the currency."""
    assert str(Money(amount="10000000.50", currency="EUR")) == "10,000,000.50 EUR"


def test_equal_amounts_with_different_exponents_are_equal_and_hash_alike():
    """Money(1.0) and Money(1) are equal and hash alike (Decimal semantics)."""
    assert Money(amount="1.0") == Money(amount=1)
    assert hash(Money(amount="1.0")) == hash(Money(amount=1))
