"""Money: an exact amount in one ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal

import attrs

from funnelkit.model import _checks, _converters

__all__ = ["Money"]


@attrs.frozen(kw_only=True)
class Money:
    """An exact amount of money in one currency.

    Amounts are ``Decimal``, never floats, so sums and thresholds do not drift.

    Args:
        amount: The amount; ints, decimal strings and ``Decimal`` are exact, a float is
            taken by its shortest repr (``0.1`` becomes ``Decimal("0.1")``).
        currency: An ISO 4217 code in upper case, ``USD`` by default.

    Examples:
        >>> Money(amount="10000000", currency="EUR")
        Money(amount=Decimal('10000000'), currency='EUR')
        >>> from funnelkit.errors import ValidationError
        >>> try:
        ...     Money(amount=5, currency="usd")
        ... except ValidationError as err:
        ...     print(err.path, repr(err.value), "|", err.expected)
        currency 'usd' | an ISO 4217 currency code such as 'USD'
    """

    amount: Decimal = attrs.field(
        converter=_converters.lenient_decimal, validator=_checks.decimal_amount()
    )
    currency: str = attrs.field(default="USD", validator=_checks.currency_code)

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"
