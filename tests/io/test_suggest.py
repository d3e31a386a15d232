"""suggest_mapping: a starter mapping from a CSV header and a sample of its cells."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from funnelkit.io import Column, ColumnMapping, SignalColumn, read_leads, suggest_mapping

EXPORT = Path(__file__).parent / "data" / "marketing_export.csv"


def suggest(text, **options):
    return suggest_mapping(io.StringIO(text), **options)


def test_placeholders_are_found_as_written():
    """Placeholder texts ('Select', 'N/A', '-') become the mapping's missing texts."""
    mapping = suggest("A,B\nSelect,x\nN/A,-\ny,z\n")
    assert mapping.missing == {"Select", "N/A", "-"}


@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("Email", "contact.email"),
        ("Company Name", "company.name"),
        ("Number of Employees", "company.employees"),
        ("NumberOfEmployees", "company.employees"),
        ("company.industry", "company.industry"),
    ],
)
def test_columns_named_like_fields_map_to_them(header, path):
    """Common names, preset names and field paths map to their field."""
    assert suggest(f"{header},Other\n,x\n").target(header) == path


@pytest.mark.parametrize(
    ("cells", "entry"),
    [
        (["Yes", "No", "No"], Column("custom.x", type="boolean")),
        (["0", "1", "1"], Column("custom.x", type="boolean")),
        (["3", "12", "-4"], Column("custom.x", type="integer")),
        (["0.5", "2", "1e3"], Column("custom.x", type="number")),
        (["2026-01-02", "2026-03-04"], Column("custom.x", type="date")),
        (["India", "USA", "Holland"], "company.country"),
    ],
)
def test_value_shapes_are_recognised(cells, entry):
    """Booleans, whole numbers, numbers, ISO dates and country names are recognised."""
    mapping = suggest("X\n" + "\n".join(cells) + "\n")
    assert mapping.columns["X"] == entry


def test_free_text_stays_unlisted_and_is_kept_as_custom():
    """A text column gets no entry; unmapped='custom' keeps it."""
    mapping = suggest("Notes\ncall back\nWill revert after reading the email\nmaybe\n")
    assert ("Notes" not in mapping.columns, mapping.unmapped) == (True, "custom")


def test_activity_categories_become_dated_signals():
    """A category of activities becomes a signal column dated by its '... Date' column."""
    text = (
        "Last Activity,Last Activity Date\nEmail Opened,2026-02-01\nSMS Sent,2026-03-01\n"
        "Olark Chat Conversation,\n"
    )
    mapping = suggest(text)
    assert mapping.columns["Last Activity"] == SignalColumn(at="Last Activity Date")
    assert mapping.signals_at == datetime(2026, 3, 1, tzinfo=UTC)


def test_columns_that_still_refuse_rows_are_loosened():
    """A column whose cells a field refuses becomes lenient or plain text: every row loads."""
    text = "Employees,Email\n12,ana@example.com\nmany,not an address\n"
    mapping = suggest(text)
    assert mapping.columns["Employees"] == Column("company.employees", on_error="missing")
    assert mapping.columns["Email"] == "custom.email"
    assert read_leads(io.StringIO(text), format="csv", mapping=mapping).total == 2


def test_the_fixture_loads_with_the_suggestion_and_no_edits():
    """The suggested mapping of the export fixture loads every row."""
    mapping = suggest_mapping(EXPORT)
    result = read_leads(EXPORT, mapping=mapping, on_error="collect")
    assert (len(result.leads), len(result.errors)) == (300, 0)
    assert any(lead.signals for lead in result.leads)


def test_to_data_round_trips_through_a_file(tmp_path):
    """to_data, written as JSON, reads back as an equal mapping."""
    mapping = suggest_mapping(EXPORT)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(mapping.to_data()), encoding="utf-8")
    assert ColumnMapping.from_file(path) == mapping
