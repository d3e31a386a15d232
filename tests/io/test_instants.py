"""Signal dates for a whole column: the same instants and verdicts as read_instant per cell."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from funnelkit.errors import ValidationError
from funnelkit.io._flat import is_empty, read_instant
from funnelkit.io._instants import BAD, OK, instants, iso_instants


def two(low: int, high: int) -> st.SearchStrategy[str]:
    """Two digits from ``low`` to ``high`` (out of range too, to be refused)."""
    return st.integers(low, high).map(lambda n: f"{n:02d}")


@st.composite
def dates(draw):
    """ISO-like texts: good and impossible dates, times and offsets, other shapes."""
    year = draw(st.sampled_from(["0001", "0999", "1000", "1970", "2024", "2026", "2999", "3000"]))
    text = f"{year}-{draw(two(0, 13))}-{draw(two(0, 32))}"
    if draw(st.booleans()):
        sep = draw(st.sampled_from(["T", "T", " ", "t"]))
        text += f"{sep}{draw(two(0, 24))}:{draw(two(0, 60))}:{draw(two(0, 60))}"
        if draw(st.booleans()):
            text += draw(st.sampled_from([".5", ".123456"]))
        sign = draw(st.sampled_from(["+", "-", "Z", ""]))
        if sign in "+-" and sign:
            text += f"{sign}{draw(two(0, 24))}:{draw(two(0, 60))}"
        else:
            text += sign
    pad = draw(st.sampled_from(["", " ", "\n"]))
    return draw(st.sampled_from([text, pad + text, text + pad, text.replace("-", "/")]))


COMMON = re.compile(
    r"[12][0-9]{3}-[0-9]{2}-[0-9]{2}(T[0-9:]{8}(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?"
)
"""The shapes exports write (some offsets Python takes, such as ``+00:60``, are not here)."""


def reference(cell: object) -> datetime | None:
    """What the row path reads: the instant in UTC, or None when it refuses the cell."""
    try:
        return read_instant(cell).astimezone(UTC)
    except ValidationError:
        return None


@given(st.lists(dates(), min_size=1, max_size=20))
def test_the_fast_reading_equals_read_instant_where_it_reads(cells):
    """A cell read by polars gives read_instant's instant; a common good cell is read."""
    fast = iso_instants(pl.Series(cells, dtype=pl.String), pl).to_list()
    for cell, got in zip(cells, fast, strict=True):
        if not converts(cell):
            assert got is None
            continue
        want = reference(cell)
        if got is not None:
            assert got == want, cell
        if want is not None and COMMON.fullmatch(cell):
            assert got is not None, cell


def converts(cell: str) -> bool:
    """Whether the cell's instant exists in UTC (near year 1 it may not: not a case here)."""
    try:
        reference(cell)
    except OverflowError:  # pragma: no cover - depends on the draw
        return False
    return True


CELLS = st.one_of(
    dates().filter(converts), st.sampled_from(["", "  ", "N/A", "2026-05-01", "soon"]), st.none()
)


@given(
    st.lists(CELLS, min_size=1, max_size=12),
    st.sampled_from([frozenset(), frozenset({"N/A", "2026-05-01"})]),
    st.sampled_from([None, datetime(2026, 5, 1, tzinfo=UTC)]),
)
def test_a_column_of_dates_is_read_as_cell_by_cell(cells, missing, fallback):
    """Every cell: the fallback when empty, read_instant's instant, or bad."""
    got, codes = instants(pl.Series(cells, dtype=pl.String), missing, fallback, pl)
    for cell, at, code in zip(cells, got.to_list(), codes.to_list(), strict=True):
        if is_empty(cell, missing):
            assert (at, code) == (fallback, OK if fallback else BAD), cell
        else:
            want = reference(cell)
            assert (at, code) == (want, OK if want is not None else BAD), cell


def test_dates_of_a_frame_are_read_too():
    """A date or date-time column of a frame (not text) goes through read_instant."""
    cells = pl.Series([datetime(2026, 5, 1, 9, tzinfo=UTC), None])
    got, codes = instants(cells, frozenset(), None, pl)
    assert got.to_list() == [datetime(2026, 5, 1, 9, tzinfo=UTC), None]
    assert codes.to_list() == [OK, BAD]


def test_a_column_polars_cannot_look_up_is_read_cell_by_cell():
    """A list column (no date in it) gives bad cells, and the fallback where empty."""
    fallback = datetime(2026, 5, 1, tzinfo=UTC)
    got, codes = instants(pl.Series([["2026-05-01"], None]), frozenset(), fallback, pl)
    assert got.to_list() == [None, fallback]
    assert codes.to_list() == [BAD, OK]
