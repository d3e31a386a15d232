"""A lowered node: a polars expression and the kind of value it holds.

Unknown and missing are null. Kinds: ``truth`` (Boolean, Kleene), ``int``, ``float``,
``fixed`` (an exact decimal: an Int64 counting units of ``10 ** -scale``, so that
Python's ``Decimal`` sums and products are reproduced without rounding), ``str``
(text and enum values), ``bool``, ``date``, ``datetime`` (UTC), ``list`` (sets and lists
of text), ``money`` (a ``fixed`` amount with a ``currency`` expression), ``object`` (a
present or missing object: true or null) and ``null`` (a column the table does not
have: always missing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import polars as pl

from funnelkit.model import Money
from funnelkit.rules.engines.facts import decimal_units
from funnelkit.rules.meaning import UnsupportedRuleError

__all__ = ["Col", "NUMBERS", "literal", "null_of", "decimal_units", "divide"]

NUMBERS = frozenset({"int", "float", "fixed"})

_DTYPES: dict[str, Any] = {
    "truth": pl.Boolean,
    "bool": pl.Boolean,
    "object": pl.Boolean,
    "int": pl.Int64,
    "fixed": pl.Int64,
    "float": pl.Float64,
    "str": pl.String,
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "list": pl.List(pl.String),
    "null": pl.Null,
}


@attrs.frozen
class Col:
    """A lowered node (see the module docstring for the kinds)."""

    expr: pl.Expr
    kind: str
    scale: int = 0
    currency: pl.Expr | None = None
    nullable: bool = True

    @property
    def missing(self) -> pl.Expr:
        """True where the value is missing."""
        return self.expr.is_null()

    def present(self) -> Col:
        """The same value, known never to be missing (a constant, a count, points)."""
        return attrs.evolve(self, nullable=False)

    def as_float(self) -> pl.Expr:
        """The number as Float64 (exact for ``int`` below 2**53; ``fixed`` is rounded)."""
        if self.kind == "fixed" and self.scale:
            return divide(self.expr, float(10**self.scale))
        return self.expr.cast(pl.Float64)

    def at_scale(self, scale: int) -> pl.Expr:
        """An ``int`` or ``fixed`` number in units of ``10 ** -scale`` (``scale`` >= its own)."""
        own = self.scale if self.kind == "fixed" else 0
        factor = 10 ** (scale - own)
        units = self.expr if self.kind == "fixed" else self.expr.cast(pl.Int64)
        return units if factor == 1 else units * factor


def divide(numerator: pl.Expr, denominator: pl.Expr | float) -> pl.Expr:
    """``numerator / denominator`` in Float64, rounded once as Python rounds it.

    polars divides by a constant by multiplying with its reciprocal, which rounds twice
    and differs from Python's ``/`` in the last bit about a third of the time. A
    denominator as long as the numerator (the constant plus a column of zeros) makes
    polars divide element by element, each quotient correctly rounded.
    """
    zeros = numerator.is_null().cast(pl.Float64) * 0.0
    return numerator.cast(pl.Float64) / (zeros + denominator)


def null_of(kind: str, scale: int = 0) -> Col:
    """A missing value of ``kind`` (money: a missing amount in a missing currency)."""
    if kind == "money":
        currency = pl.lit(None, dtype=pl.String)
        return Col(pl.lit(None, dtype=pl.Int64), kind, scale, currency)
    return Col(pl.lit(None, dtype=_DTYPES.get(kind, pl.Null)), kind, scale)


def literal(value: object) -> Col:
    """A Python value as a lowered constant."""
    if value is None:
        return null_of("null")
    return _constant(value).present()


def _constant(value: object) -> Col:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return Col(pl.lit(value, dtype=pl.Boolean), "bool")
    if isinstance(value, int):
        return Col(pl.lit(value, dtype=pl.Int64), "int")
    if isinstance(value, float):
        return Col(pl.lit(value, dtype=pl.Float64), "float")
    if isinstance(value, Decimal):
        units, scale = decimal_units(value)
        return Col(pl.lit(units, dtype=pl.Int64), "fixed", scale)
    if isinstance(value, str):
        return Col(pl.lit(value, dtype=pl.String), "str")
    if isinstance(value, datetime):
        return Col(pl.lit(value.astimezone(UTC), dtype=_DTYPES["datetime"]), "datetime")
    if isinstance(value, date):
        return Col(pl.lit(value, dtype=pl.Date), "date")
    if isinstance(value, Money):
        amount = literal(value.amount)
        return Col(amount.expr, "money", amount.scale, pl.lit(value.currency, dtype=pl.String))
    raise UnsupportedRuleError(f"the constant {value!r} has no column type")


def dtype_of(kind: str) -> Any:
    """The polars dtype of a kind (``fixed`` and ``money`` amounts are Int64 units)."""
    return _DTYPES.get(kind, pl.Int64 if kind == "money" else pl.Null)
