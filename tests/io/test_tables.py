"""read_tables: the table contract from a mapping, with the same facts as read_leads."""

from __future__ import annotations

import io
import re
from datetime import UTC
from enum import Enum
from pathlib import Path

import polars as pl
import pytest

from funnelkit.errors import RecordError
from funnelkit.io import Column, ColumnMapping, SignalColumn, read_leads, read_tables

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "marketing_export.csv"
MAPPING = ColumnMapping.from_file(DATA / "marketing_export.mapping.yaml")


def fact(lead, path):
    """What the row path holds at a dotted path, in table form."""
    if path.startswith("custom."):
        return lead.custom.get(path.removeprefix("custom."))
    node = lead
    for part in path.split("."):
        node = getattr(node, part) if node is not None else None
    if isinstance(node, Enum):
        return None if node.value == "unknown" else node.value
    return sorted(node) if isinstance(node, frozenset) else node


def assert_same_facts(tables, leads):
    """Every column equals the leads' fields; the signals table equals their signals."""
    for column in tables.leads.columns:
        assert tables.leads[column].to_list() == [fact(lead, column) for lead in leads], column
    signals = [
        (lead.id, s.kind, s.occurred_at.astimezone(UTC), s.explicit, s.value)
        for lead in leads
        for s in lead.signals
    ]
    assert tables.signals.rows() == signals


def test_the_export_gives_the_same_facts_as_the_row_path():
    """On the export fixture, every cell and signal equals what read_leads gives."""
    tables = read_tables(EXPORT, mapping=MAPPING, on_error="collect")
    result = read_leads(EXPORT, mapping=MAPPING, on_error="collect")
    assert (tables.leads.height, len(tables.warnings)) == (300, len(result.warnings))
    assert_same_facts(tables, result.leads)


def test_signals_table_has_the_contract_columns():
    """lead_id, kind, occurred_at (UTC), explicit, value."""
    schema = read_tables(EXPORT, mapping=MAPPING).signals.schema
    assert list(schema) == ["lead_id", "kind", "occurred_at", "explicit", "value"]
    assert schema["occurred_at"] == pl.Datetime("us", "UTC")


def test_defaults_fill_in_once_the_parent_is_known():
    """opted_out is false and sets are empty once the contact or company is known."""
    mapping = ColumnMapping(
        {
            "Id": "id",
            "Email": "contact.email",
            "DNE": "contact.opted_out",
            "Tech": "company.technologies",
            "Name": "company.name",
        }
    )
    text = "Id,Email,DNE,Tech,Name\nL-1,a@b.example,,,Acme\nL-2,,,,\nL-3,,yes,aws; gcp,\n"
    tables = read_tables(io.StringIO(text), mapping=mapping)
    assert tables.leads["contact.opted_out"].to_list() == [False, None, True]
    assert tables.leads["company.technologies"].to_list() == [[], None, ["aws", "gcp"]]
    assert_same_facts(tables, read_leads(io.StringIO(text), format="csv", mapping=mapping).leads)


def test_bad_rows_are_reported_as_read_leads_reports_them():
    """A bad row is left out of both tables, with the row path's error."""
    text = "id,company.employees,Visits\nL-1,5,2\nL-2,-3,1\nL-3,x,1\n"
    mapping = ColumnMapping(
        {"Visits": SignalColumn("count", kind="visit")}, signals_at="2026-05-01"
    )
    tables = read_tables(io.StringIO(text), mapping=mapping, on_error="collect")
    result = read_leads(io.StringIO(text), format="csv", mapping=mapping, on_error="collect")
    assert tables.leads["id"].to_list() == ["L-1"]
    assert tables.signals["lead_id"].to_list() == ["L-1", "L-1"]
    assert [str(e) for e in tables.errors] == [str(e) for e in result.errors]
    with pytest.raises(
        RecordError, match=re.escape("lead 2 (id 'L-2'): $.company.employees: expected int >= 0")
    ):
        read_tables(io.StringIO(text), mapping=mapping)


def test_a_currency_without_an_amount_is_bad():
    """A required field (Money.amount) that no column fills makes its rows bad."""
    tables = read_tables(
        io.StringIO("id,company.annual_revenue.currency\nL-1,EUR\nL-2,\n"), on_error="collect"
    )
    assert (tables.leads["id"].to_list(), len(tables.errors)) == (["L-2"], 1)


@pytest.mark.parametrize(
    "frame",
    [
        pl.DataFrame({"Lead": ["L-1", "L-2"], "Country": ["India", None], "Size": [12, None]}),
    ],
)
def test_frames_give_tables_too(frame):
    """A polars frame reads into tables with the same mapping."""
    mapping = ColumnMapping(
        {"Lead": "id", "Country": "company.country", "Size": Column("company.employees")}
    )
    tables = read_tables(frame, mapping=mapping)
    assert tables.leads.rows() == [("L-1", "IN", 12), ("L-2", None, None)]
    assert_same_facts(tables, read_leads(frame, mapping=mapping).leads)


def test_columns_that_hold_lists_or_objects_are_refused():
    """JSON cells for signals or whole objects need read_leads."""
    with pytest.raises(
        RecordError,
        match=re.escape("a column that fills one field (lists and objects need read_leads)"),
    ):
        read_tables(io.StringIO("id,signals\nL-1,[]\n"))


def test_records_are_refused_with_a_hint():
    """An iterable of dicts is for read_leads."""
    with pytest.raises(TypeError, match="for records, use read_leads"):
        read_tables([{"id": "L-1"}])
