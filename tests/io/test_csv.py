"""CSV rules: cells are text, read by the target field's type; the header is checked once."""

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import read_leads
from funnelkit.model import BuyingRole


def load(text, **kwargs):
    """Read CSV text with read_leads."""
    return read_leads(io.StringIO(text), format="csv", **kwargs)


def one(header, cell):
    """Read a one-column, one-row CSV and return the lead."""
    return load(f"{header}\n{cell}\n").leads[0]


def test_numbers_are_parsed_from_text():
    """Ints, decimals and floats are read from their digits."""
    lead = load(
        "company.employees,company.annual_revenue.amount,bant.budget.evidence.confidence\n"
        "120,12000000.50,0.8\n"
    ).leads[0]
    assert lead.company.employees == 120
    assert lead.company.annual_revenue.amount == Decimal("12000000.50")
    assert lead.bant.budget.evidence.confidence == 0.8


@pytest.mark.parametrize(("cell", "value"), [("true", True), ("No", False), ("1", True)])
def test_booleans_are_parsed_from_words(cell, value):
    """true/false, yes/no and 1/0 (any case) are booleans."""
    assert one("contact.opted_out", cell).contact.opted_out is value


def test_set_fields_are_semicolon_separated():
    """A set field is a ;-separated list; blanks around items are dropped."""
    lead = one("company.technologies", "aws; hubspot ;;snowflake")
    assert lead.company.technologies == {"aws", "hubspot", "snowflake"}
    assert one("contact.buying_roles", "champion;user").contact.buying_roles == {
        BuyingRole.CHAMPION,
        BuyingRole.USER,
    }


def test_lists_and_objects_are_json_cells():
    """signals and other nested fields can be given as JSON in one cell."""
    text = (
        "signals,bant\n"
        '"[{""kind"": ""demo_request"", ""occurred_at"": ""2026-05-01T10:00:00Z""}]",'
        '"{""budget"": {""status"": ""approved""}}"\n'
    )
    lead = load(text).leads[0]
    assert lead.signals[0].occurred_at == datetime(2026, 5, 1, 10, tzinfo=UTC)
    assert lead.bant.budget.status == "approved"


def test_empty_cells_are_missing():
    """An empty (or blank) cell leaves the field missing, not an empty string."""
    lead = load("id,company.name,contact.email\nL-1,, \n").leads[0]
    assert (lead.company, lead.contact) == (None, None)


def test_blank_rows_are_skipped_and_not_counted():
    """Blank lines and rows of empty cells are not records; numbering skips them."""
    result = load("id,company.employees\n\n,\nL-2,x\n", on_error="collect")
    assert result.total == 1
    assert (result.errors[0].record, result.errors[0].line) == (1, 4)


def test_custom_columns_keep_text():
    """custom.<name> columns are kept as text, never parsed into numbers."""
    assert one("custom.seats", "040").custom == {"seats": "040"}


def test_nested_columns_and_json_cells_merge():
    """A JSON object cell and dotted columns below it fill one object."""
    lead = load('company,company.name\n"{""employees"": 5}",Acme\n').leads[0]
    assert (lead.company.name, lead.company.employees) == ("Acme", 5)


BAD_CELLS = [
    ("company.employees", "12a", "an integer, written with digits only"),
    ("company.employees", "1,200", "an integer, written with digits only"),
    ("company.employees", "12.0", "an integer, written with digits only"),
    ("company.annual_revenue.amount", "12 M", "a finite decimal number"),
    ("contact.opted_out", "maybe", "true or false"),
    ("bant.budget.evidence.confidence", "high", "a finite number"),
    ("signals", "[{", "a JSON array"),
    ("signals", '{"kind": "x"}', "a JSON array"),
    ("bant", "[]", "a JSON object"),
    ("created_at", "2026-05-01 10:00", "never guessed"),
    ("company.country", "Atlantis", "an ISO 3166 country code or a country's name"),
    ("contact.seniority", "VP", "did you mean 'vp'?"),
]


@pytest.mark.parametrize(("column", "cell", "expected"), BAD_CELLS)
def test_unreadable_cells_name_path_and_value(column, cell, expected):
    """A cell that cannot be read is reported with the row, the path and the cell text."""
    text = f'id,{column}\nL-1,"{cell.replace(chr(34), chr(34) * 2)}"\n'
    where = re.escape(f"lead 1 (id 'L-1'): $.{column}")
    with pytest.raises(
        RecordError, match=f"{where}.*{re.escape(expected)}.*{re.escape(repr(cell))}"
    ):
        load(text)


def test_a_bad_row_does_not_stop_a_collect_run():
    """Rows after a bad row are read; every bad row is reported."""
    result = load("id,company.employees\nL-1,1\nL-2,x\nL-3,3\nL-4,-4\n", on_error="collect")
    assert [lead.id for lead in result.leads] == ["L-1", "L-3"]
    assert [(e.record, e.record_id, e.line) for e in result.errors] == [
        (2, "L-2", 3),
        (4, "L-4", 5),
    ]


def test_raw_row_is_kept_on_the_error():
    """The error keeps the row as read, column by column."""
    result = load("id,company.employees\nL-2,x\n", on_error="collect")
    assert result.errors[0].raw == {"id": "L-2", "company.employees": "x"}


def test_quoted_cells_may_span_lines():
    """A quoted cell with a line break is one cell; the next row's line is right."""
    result = load('id,company.name\nL-1,"Acme\nInc"\nL-2,""\nL-3,\n', on_error="collect")
    assert result.leads[0].company.name == "Acme\nInc"
    assert result.total == 3


def test_row_with_extra_cells_is_reported():
    """A row with more cells than the header has is a bad row."""
    result = load("id,company.name\nL-1,Acme,surplus\n", on_error="collect")
    assert "2 cells, one per header column" in str(result.errors[0])


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "id,company.employes",
            "$.company.employes: expected a mapped column or a lead field"
            " path (did you mean 'company.employees'?)",
        ),
        ("id,Employees", "(did you mean 'company.employees'?)"),
        ("id,id", "$.id: expected each column once in the header"),
    ],
)
def test_header_problems_stop_the_load_at_once(header, message):
    """Unknown or repeated columns raise before any row, even when collecting."""
    with pytest.raises(RecordError, match=re.escape(message)) as info:
        load(f"{header}\nL-1,5\n", on_error="collect")
    assert info.value.line == 1


def test_two_columns_for_one_field_in_one_row_is_reported():
    """A JSON cell and a dotted column that both give a value clash."""
    result = load('company,company.name\n"{""name"": ""A""}",B\n', on_error="collect")
    assert "both give one" in str(result.errors[0])
