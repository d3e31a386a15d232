"""When signals happened, for a whole column at once: ``read_instant`` without a call per cell.

``read_instant`` (the row path's reader) takes an ISO date (midnight UTC) or an ISO
date-time with a UTC offset. Exports write almost all of them in one of two shapes,
``2026-05-01`` and ``2026-05-01T09:30:00+02:00`` (or ``...Z``); for a cell of exactly
such a shape, with a year from 1000 to 2999, the instant is computed by polars (the date,
or the date and time, parsed by polars' own parsers, which refuse a day its month does
not have; the offset subtracted), which is what ``read_instant`` gives for it. Every other cell (a
different shape, an impossible date, a placeholder text) is read by ``read_instant``
itself, once per distinct value.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from funnelkit.errors import ValidationError
from funnelkit.io._flat import is_empty, read_instant

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["BAD", "OK", "instants", "iso_instants"]

OK: Final = 0
BAD: Final = 2
_DATE: Final = r"[12][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME: Final = r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_OFFSET: Final = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_SHAPE: Final = rf"^{_DATE}(?:{_TIME}{_OFFSET})?$"
_DAY: Final = 10
"""The length of ``2026-05-01``; a longer cell of the shape has a time and an offset."""
_LOCAL: Final = "%Y-%m-%dT%H:%M:%S"


def iso_instants(cells: polars.Series, pl: Any) -> polars.Series:
    """The UTC instant of each cell of the two common shapes; null for any other cell.

    Args:
        cells: A text column.
        pl: The polars module.

    Returns:
        A ``Datetime("us", "UTC")`` column: where not null, equal to
        ``read_instant(cell).astimezone(UTC)``.
    """
    text = pl.col("t")
    shaped = text.str.contains(_SHAPE)
    # the shape holds fixed digits, so polars' own parsers read the date and the time
    # (refusing a day its month does not have), and the offset is subtracted in minutes
    local = (
        pl.when(text.str.len_bytes() > _DAY)
        .then(text.str.slice(0, 19).str.to_datetime(_LOCAL, strict=False, time_unit="us"))
        .otherwise(text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")))
    )
    offset = text.str.slice(19)
    minutes = offset.str.slice(1, 2).cast(pl.Int64, strict=False) * 60 + offset.str.slice(
        4, 2
    ).cast(pl.Int64, strict=False)
    shift = (
        pl.when(offset.is_in(["", "Z", "+00:00"]))
        .then(0)
        .when(offset.str.starts_with("-"))
        .then(-minutes)
        .otherwise(minutes)
    )
    utc = (local - pl.duration(minutes=shift, time_unit="us")).dt.replace_time_zone("UTC")
    frame = pl.DataFrame({"t": cells.cast(pl.String)})
    out: polars.Series = frame.select(pl.when(shaped).then(utc).alias("at")).to_series()
    return out.cast(pl.Datetime("us", "UTC"))


def instants(
    cells: polars.Series, missing: Collection[str], fallback: datetime | None, pl: Any
) -> tuple[polars.Series, polars.Series]:
    """When each cell says, in UTC, with its status (``OK`` or ``BAD``).

    As the row path reads a signal's date: an empty cell (or one of the ``missing``
    texts) takes ``fallback`` (bad without one); any other cell is read by
    ``read_instant`` (bad if it cannot be), once per distinct value, unless
    ``iso_instants`` reads it first. Only the filled cells are looked at (most cells
    of a signal's date column are empty).

    Args:
        cells: The column of dates.
        missing: The texts that mean "not filled".
        fallback: The mapping's ``signals_at`` in UTC, or ``None``.
        pl: The polars module.

    Returns:
        The instants (``Datetime("us", "UTC")``) and the status codes (``Int8``).
    """
    utc = pl.Datetime("us", "UTC")
    if not (cells.dtype == pl.String or cells.dtype.is_temporal() or cells.dtype.is_numeric()):
        return _cell_by_cell(cells, missing, fallback, pl)  # lists, structs, objects, ...
    if cells.dtype.is_float():  # NaN is empty too, and matches no key below
        cells = cells.fill_nan(None)
    filled = cells.is_not_null()
    if cells.dtype == pl.String:  # an empty text is empty as null is (is_empty): no date read
        filled = filled & (cells != "")
    at, codes = _filled(cells.filter(filled), missing, fallback, pl)
    empty_code = OK if fallback else BAD
    where = pl.select(pl.when(filled).then(filled.cum_sum() - 1)).to_series()
    frame = pl.DataFrame({"at": at.gather(where), "code": codes.gather(where), "filled": filled})
    out = frame.select(
        pl.when(pl.col("filled")).then(pl.col("at")).otherwise(pl.lit(fallback, dtype=utc)),
        pl.when(pl.col("filled")).then(pl.col("code")).otherwise(pl.lit(empty_code, dtype=pl.Int8)),
    )
    return out["at"], out["code"]


def _filled(
    cells: polars.Series, missing: Collection[str], fallback: datetime | None, pl: Any
) -> tuple[polars.Series, polars.Series]:
    """``instants`` of cells that are all filled (not null)."""
    utc = pl.Datetime("us", "UTC")
    if cells.dtype == pl.String:
        fast = iso_instants(cells, pl)
        if missing:  # a placeholder is never a date, whatever its shape
            fast = pl.select(pl.when(cells.is_in(list(missing)).not_()).then(fast)).to_series()
    else:
        fast = pl.Series(dtype=utc).extend_constant(None, cells.len())
    rest = pl.select(pl.when(fast.is_null()).then(cells)).to_series()
    keys = [value for value in rest.unique(maintain_order=True).to_list() if value is not None]
    read = [_read_one(value, missing, fallback) for value in keys]
    where = rest.replace_strict(
        pl.Series(keys, dtype=rest.dtype),
        pl.Series(range(len(keys)), dtype=pl.UInt32),
        default=None,
    )
    slow = pl.Series([at for _, at in read], dtype=utc).gather(where)
    slow_codes = pl.Series([code for code, _ in read], dtype=pl.Int8).gather(where)
    frame = pl.DataFrame({"fast": fast, "slow": slow, "code": slow_codes})
    out = frame.select(
        pl.coalesce("fast", "slow").alias("at"),
        pl.when(pl.col("fast").is_not_null())
        .then(pl.lit(OK, dtype=pl.Int8))
        .otherwise(pl.col("code"))
        .alias("code"),
    )
    return out["at"], out["code"]


def _read_one(
    value: object, missing: Collection[str], fallback: datetime | None
) -> tuple[int, datetime | None]:
    """One cell, as the row path reads it: the fallback if empty, else ``read_instant``."""
    if is_empty(value, frozenset(missing)):
        return (OK if fallback else BAD, fallback)
    try:
        return (OK, read_instant(value).astimezone(UTC))
    except ValidationError:
        return (BAD, None)


def _cell_by_cell(
    cells: polars.Series, missing: Collection[str], fallback: datetime | None, pl: Any
) -> tuple[polars.Series, polars.Series]:
    """``instants`` for a column of values polars cannot look up (lists, objects)."""
    read = [_read_one(value, missing, fallback) for value in cells.to_list()]
    return (
        pl.Series([at for _, at in read], dtype=pl.Datetime("us", "UTC")),
        pl.Series([code for code, _ in read], dtype=pl.Int8),
    )
