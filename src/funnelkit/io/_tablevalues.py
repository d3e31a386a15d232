"""What the table path needs of the model's fields, and columns of Python values.

A field's leaf (its attrs attribute, its table type, its default), whether its values fit
one cell, the cell a value becomes, and a polars column of values built from text where
that gives what polars' own inference gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, get_origin

import attrs

from funnelkit.io._schema import field_types, unwrap_optional
from funnelkit.model import Lead, Money

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["AS_IS", "MONEY_AMOUNT", "Leaf", "is_flat", "leaf_of", "series_of", "table_value"]

MONEY_AMOUNT: Final = attrs.fields(Money).amount
"""``Money.amount``, whose converter keeps a ``Decimal`` as it is and whose validator takes
any finite one (``tests/io/test_tables_properties.py`` holds it to that): the table readers
keep finite decimals for it without a call per value."""


def series_of(values: list[object], pl: Any) -> polars.Series:
    """``pl.Series(values, strict=False)``, built without a Python object per value if it can.

    Text goes in as text, and finite decimals as their digits cast to the decimal type
    polars infers for them (precision 38, the largest number of places among them);
    anything else is left to polars' inference.
    """
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds == {str}:
        text: polars.Series = pl.Series(values, dtype=pl.String)
        return text
    decimals = [v for v in present if isinstance(v, Decimal)]
    if kinds == {Decimal} and all(v.is_finite() for v in decimals):
        digits = [None if v is None else format(v, "f") for v in values]
        places = max(len(t) - 1 - t.find(".") if "." in t else 0 for t in digits if t)
        try:
            series: polars.Series = pl.Series(digits, dtype=pl.String).cast(
                pl.Decimal(38, places), strict=True
            )
            return series
        except pl.exceptions.PolarsError:  # pragma: no cover - more than 38 digits
            pass
    inferred: polars.Series = pl.Series(values, strict=False)
    return inferred


@attrs.frozen
class Leaf:
    """What the table path needs of a field: its class's attribute, table type, default."""

    field: attrs.Attribute[Any]
    type: Any
    default: object


def leaf_of(parts: Sequence[str]) -> Leaf | None:
    cls: Any = Lead
    for part in parts[:-1]:
        cls = unwrap_optional(field_types(cls)[part])
    fields = {a.alias: a for a in attrs.fields(cls)}
    field = fields.get(parts[-1])
    if field is None:  # pragma: no cover - targets are resolved paths
        return None
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = None if default.takes_self else default.factory()
    if default is attrs.NOTHING:
        default = attrs.NOTHING
    elif field.converter is not None and default is not None:
        default = field.converter(default)
    return Leaf(field, unwrap_optional(field_types(cls)[parts[-1]]), default)


def is_flat(tp: Any) -> bool:
    """Whether a field's values fit one table cell: scalars, enums, sets."""
    if tp in (str, int, float, bool, Decimal, date, datetime):
        return True
    if isinstance(tp, type) and issubclass(tp, Enum):
        return True
    return (get_origin(tp) or tp) is frozenset


AS_IS: Final = frozenset({str, int, float, bool, Decimal, date})
"""Types whose values a table cell holds as they are (``_table_value`` returns them)."""


def table_value(value: object) -> object:
    if isinstance(value, Enum):
        return None if value.value == "unknown" else value.value
    if isinstance(value, frozenset):
        return sorted(str(v.value if isinstance(v, Enum) else v) for v in value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value
