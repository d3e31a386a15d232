"""A realistic marketing-automation export loads through one mapping file, no Python."""

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from funnelkit.cli import main
from funnelkit.io import ColumnMapping, read_leads
from funnelkit.model import COUNTRY_CODES

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "marketing_export.csv"
MAPPING = DATA / "marketing_export.mapping.yaml"
SCRIPT = Path(__file__).parents[2] / "scripts" / "make_export_fixture.py"
PLACEHOLDERS = {"Select", "N/A", "-", "unknown"}


@pytest.fixture(scope="module")
def loaded():
    return read_leads(EXPORT, mapping=ColumnMapping.from_file(MAPPING), on_error="collect")


@pytest.fixture(scope="module")
def rows():
    with EXPORT.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))[1:]


def test_fixture_is_what_the_script_makes():
    """The checked-in export is byte for byte what the seeded script writes."""
    spec = importlib.util.spec_from_file_location("make_export_fixture", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_export_fixture"] = module
    spec.loader.exec_module(module)
    assert module.export(300, 12) == EXPORT.read_text(encoding="utf-8")


def test_every_row_loads(loaded, rows):
    """Every row of the export becomes a lead; none is refused."""
    assert (len(loaded.leads), len(loaded.errors)) == (len(rows), 0)


def test_placeholders_are_missing_facts_not_values(loaded):
    """'Select', 'N/A', '-' and 'unknown' never show up as values."""
    for lead in loaded.leads:
        assert not PLACEHOLDERS & {str(v) for v in lead.custom.values()}
        if lead.company is not None:
            assert lead.company.country is None or lead.company.country in COUNTRY_CODES
    assert any(lead.custom.get("Specialization") is None for lead in loaded.leads)


def test_countries_are_coded(loaded, rows):
    """Country names and aliases ('India', 'USA', 'UK', 'Holland') become ISO codes."""
    by_name = {
        row[12]: lead.company.country
        for row, lead in zip(rows, loaded.leads, strict=True)
        if lead.company
    }
    assert {by_name[n] for n in ("India", "USA", "United States", "UK", "Holland")} == {
        "IN",
        "US",
        "GB",
        "NL",
    }
    assert by_name.get("unknown") is None


def test_activities_become_signals(loaded, rows):
    """Last Activity, visit counts and page views become dated signals of mapped kinds."""
    kinds = {s.kind for lead in loaded.leads for s in lead.signals}
    assert {"email_open", "chat", "website_visit", "page_views_per_visit", "sms_sent"} <= kinds
    assert "converted_to_lead" not in kinds
    first = loaded.leads[0]
    assert sum(s.kind == "website_visit" for s in first.signals) >= int(rows[0][7])
    chats = [s for lead in loaded.leads for s in lead.signals if s.kind == "chat"]
    assert all(s.explicit for s in chats)


def test_booleans_numbers_and_money_are_typed(loaded):
    """Yes/No and 0/1 are booleans, counts are ints, revenue is Money with its currency."""
    lead = loaded.leads[0]
    assert isinstance(lead.custom["converted"], bool)
    assert isinstance(lead.custom["lead_number"], int)
    currencies = {
        lead.company.annual_revenue.currency
        for lead in loaded.leads
        if lead.company and lead.company.annual_revenue
    }
    assert currencies == {"USD", "EUR", "GBP", "INR"}


def test_unexpected_values_of_lenient_columns_are_warnings(loaded):
    """An occupation the mapping does not list is left missing, with a warning naming it."""
    assert loaded.warnings
    assert all("(column 'What is your current occupation'" in str(w) for w in loaded.warnings)


def test_validate_reports_no_bad_row(capsys):
    """`funnelkit validate FILE --mapping M` loads every row of the export."""
    assert main(["validate", str(EXPORT), "--mapping", str(MAPPING), "--no-color"]) == 0
    assert "300 records, 0 bad" in capsys.readouterr().out
