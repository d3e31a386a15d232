"""Data frames in: polars and pandas frames and Arrow tables load with the same mapping."""

from __future__ import annotations

import re

import polars as pl
import pytest

from funnelkit.errors import RecordError
from funnelkit.io import Column, ColumnMapping, SignalColumn, read_leads

MAPPING = ColumnMapping(
    {
        "Lead": "id",
        "Country": "company.country",
        "Size": "company.employees",
        "DNE": Column("contact.opted_out", values={"Yes": True, "No": False}),
        "Visits": SignalColumn("count", kind="website_visit"),
    },
    missing={"Select"},
    signals_at="2026-05-01",
)
DATA = {
    "Lead": ["L-1", "L-2", "L-3"],
    "Country": ["India", "Select", None],
    "Size": [120, None, 7],
    "DNE": ["Yes", "No", None],
    "Visits": [2, 0, None],
}


def frames():
    """The same data as every kind of frame that is installed."""
    out = [pytest.param(pl.DataFrame(DATA), id="polars")]
    try:
        import pandas as pd

        out.append(pytest.param(pd.DataFrame(DATA), id="pandas"))
    except ImportError:  # pragma: no cover - pandas is optional
        pass
    try:
        import pyarrow as pa

        out.append(pytest.param(pa.table(DATA), id="arrow"))
    except ImportError:  # pragma: no cover - pyarrow is optional
        pass
    return out


@pytest.mark.parametrize("frame", frames())
def test_frames_load_like_the_rows_they_hold(frame):
    """Each kind of frame gives the leads its rows give as dicts."""
    expected = read_leads(pl.DataFrame(DATA).to_dicts(), mapping=MAPPING).leads
    assert read_leads(frame, mapping=MAPPING).leads == expected


def test_frame_cells_are_read_with_the_mapping():
    """Names become codes, placeholders and nulls are missing, counts become signals."""
    first, second, third = read_leads(pl.DataFrame(DATA), mapping=MAPPING).leads
    assert (first.company.country, first.company.employees, first.contact.opted_out) == (
        "IN",
        120,
        True,
    )
    assert [s.kind for s in first.signals] == ["website_visit"] * 2
    assert (second.company, second.signals, third.contact) == (None, (), None)


def test_pandas_integer_columns_with_gaps_stay_integers():
    """A pandas int column with a gap (float64 in pandas) still fills an int field."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["L-1", "L-2"], "company.employees": [120, None]})
    leads = read_leads(frame).leads
    assert [lead.company.employees if lead.company else None for lead in leads] == [120, None]


def test_frames_without_a_mapping_use_dotted_columns():
    """Without a mapping, frame columns are lead field paths, as in CSV."""
    lead = read_leads(pl.DataFrame({"id": ["L-1"], "company.name": ["Acme"]})).leads[0]
    assert lead.company.name == "Acme"
    with pytest.raises(RecordError, match=re.escape("(did you mean 'company.name'?)")):
        read_leads(pl.DataFrame({"company.nme": ["Acme"]}))


def test_bad_frame_rows_are_numbered():
    """A bad row is reported with its 1-based number, as for files."""
    result = read_leads(
        pl.DataFrame({"id": ["L-1", "L-2"], "company.employees": [5, -3]}), on_error="collect"
    )
    assert (len(result.leads), result.errors[0].record) == (1, 2)


def test_a_format_is_refused_for_frames():
    """format= is for files."""
    with pytest.raises(ValueError, match="a data frame has none"):
        read_leads(pl.DataFrame(DATA), format="csv", mapping=MAPPING)
