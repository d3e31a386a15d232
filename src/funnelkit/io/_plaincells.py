"""Cells of a column that polars reads as the row path would, without a call per value.

``read_tables`` reads each distinct cell of a column through the row path's code (the
cell reader, the field's converter and validator). Two kinds of column hold a distinct
value in almost every row, where that is a Python call per row; for them the cells of a
plain shape are read by polars, with what the row path provably makes of them, and every
other cell (a placeholder, a value-map key, a cell the field refuses...) goes through
the row path's code as before:

* **money amounts**: a plain decimal (``-12.50``: an optional minus, digits without a
  leading zero, an optional point with digits) is ``Decimal(cell)``, a finite decimal
  that ``Money.amount`` keeps; polars casts the digits to the same decimal column;
* **free text** (a field read as text, without a converter, whose validator is
  ``text``: ids, names, titles): a cell that is not blank, not a placeholder or a
  value-map key once stripped, within the field's length and without a NUL character
  is kept as it is (polars' text is UTF-8, so it holds no lone surrogate).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from funnelkit.io._classes import hook_for
from funnelkit.io._converter import converter
from funnelkit.io._flat import Slot, field_reader
from funnelkit.io._scalars import structure_decimal
from funnelkit.io._tablecsv import PY_WHITESPACE
from funnelkit.io._tablevalues import MONEY_AMOUNT, Leaf

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["plain_cells"]

_PLAIN_DECIMAL: Final = r"^-?(?:0|[1-9][0-9]{0,36})(?:\.[0-9]{1,37})?$"
"""A decimal that ``Decimal()`` reads as it is written (no sign, space or zero to drop)."""

Outcomes = Callable[["polars.Series"], tuple["polars.Series", "polars.Series"]]
"""Reads the cells left (the others null) the row path's way: values and status codes."""


def plain_cells(
    pl: Any, slot: Slot, leaf: Leaf | None, series: polars.Series, outcomes: Outcomes
) -> tuple[polars.Series, polars.Series, polars.Series] | None:
    """A column's values with its plain cells read by polars (see the module).

    Args:
        pl: The polars module.
        slot: The column's plan.
        leaf: The field it fills.
        series: Its cells (text).
        outcomes: Reads the other cells (``_Tables._outcomes`` with the column's
            ``decide``).

    Returns:
        ``(values, plain, status)``: the column's values (the plain cells as polars read
        them, the others as ``outcomes`` read them), which cells were plain, and the
        status codes ``outcomes`` gave the others; ``None``: not such a column, no plain
        cell, or values polars cannot combine (the caller reads the whole column the
        row path's way).
    """
    place = slot.place
    if (
        leaf is None
        or place is None
        or series.dtype != pl.String
        or slot.read is not field_reader(place, None)
    ):
        return None
    keys = [k for k in (*slot.nulls, *slot.values) if isinstance(k, str)]
    amounts = leaf.field is MONEY_AMOUNT
    if amounts:
        if hook_for(converter, Decimal) is not structure_decimal:
            return None
        plain = series.str.contains(_PLAIN_DECIMAL) & series.is_in(keys).not_()
    else:
        accepts = getattr(leaf.field.validator, "accepts_text", None)
        if leaf.field.converter is not None or accepts is None or place.type is not str:
            return None
        stripped = series.str.strip_chars(PY_WHITESPACE)
        plain = (
            (stripped != "")
            & stripped.is_in(keys).not_()
            & (series.str.len_chars() <= accepts[1])
            & series.str.contains("\x00", literal=True).not_()
        )
    plain = plain.fill_null(False)
    if not plain.any():
        return None
    rest = pl.select(pl.when(plain.not_()).then(series)).to_series().alias(series.name)
    typed, status = outcomes(rest)
    column = _amounts(pl, series, plain, typed) if amounts else _texts(pl, series, plain, typed)
    return None if column is None else (column, plain, status)


def _texts(
    pl: Any, series: polars.Series, plain: polars.Series, typed: polars.Series
) -> polars.Series | None:
    """The plain cells as they are, the others as read."""
    if typed.dtype not in (pl.Null, pl.String):  # pragma: no cover - text reads as text
        return None
    kept: polars.Series = pl.select(
        pl.when(plain).then(series).otherwise(typed.cast(pl.String))
    ).to_series()
    return kept


def _amounts(
    pl: Any, series: polars.Series, plain: polars.Series, typed: polars.Series
) -> polars.Series | None:
    """The plain cells cast to decimals, the others as read, in one decimal column."""
    if typed.dtype != pl.Null and getattr(typed.dtype, "precision", None) != 38:
        return None  # series_of inferred another type: read the whole column as before
    digits = pl.select(pl.when(plain).then(series)).to_series()
    places = digits.str.split_exact(".", 1).struct.field("field_1").str.len_chars().max()
    scale = max(getattr(typed.dtype, "scale", 0), int(places or 0))
    try:
        fast = digits.cast(pl.Decimal(38, scale), strict=True)
        column: polars.Series = pl.select(
            pl.coalesce(fast, typed.cast(pl.Decimal(38, scale)))
        ).to_series()
    except pl.exceptions.PolarsError:
        return None
    return column
