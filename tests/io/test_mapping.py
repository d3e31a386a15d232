"""Column mappings: checked targets, unmapped columns, files, CRM presets."""

import io
import json
import re
import sys
from decimal import Decimal

import attrs
import pytest

from funnelkit.errors import MissingExtraError, RecordError, ValidationError
from funnelkit.io import (
    HUBSPOT_MAPPING,
    SALESFORCE_MAPPING,
    ColumnMapping,
    lead_from_dict,
    read_leads,
)
from funnelkit.io._mapping import MAX_MAPPING_FLOW_DEPTH


def test_mapping_is_frozen():
    """A mapping cannot be changed in place."""
    mapping = ColumnMapping({"Company Name": "company.name"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mapping.unmapped = "ignore"  # type: ignore[misc]


BAD_MAPPINGS = [
    (
        {"# Employees": "company.employes"},
        {},
        "$.columns['# Employees']",
        "did you mean 'company.employees'?",
    ),
    ({"Size": "employees"}, {}, "$.columns['Size']", "did you mean 'company.employees'?"),
    ({"X": "custom."}, {}, "$.columns['X']", "'custom.<name>'"),
    ({"X": 3}, {}, "$.columns['X']", "a lead field path"),
    ({"": "id"}, {}, "$.columns", "non-empty column names"),
    ({"A": "id"}, {"unmapped": "keep"}, "$.unmapped", "'error', 'ignore' or 'custom'"),
]


@pytest.mark.parametrize(("columns", "options", "path", "message"), BAD_MAPPINGS)
def test_targets_are_checked_at_construction(columns, options, path, message):
    """Every target must be a real lead path or custom.<name>; bad ones get a hint."""
    with pytest.raises(RecordError, match=re.escape(path) + ".*" + re.escape(message)):
        ColumnMapping(columns, **options)


def test_objects_and_lists_are_valid_targets():
    """A column may fill a whole nested object or list (given as JSON in CSV)."""
    mapping = ColumnMapping({"Firm": "company", "Events": "signals"})
    assert (mapping.target("Firm"), mapping.target("Events")) == ("company", "signals")


def test_all_bad_entries_are_listed():
    """A mapping with several bad targets reports all of them."""
    with pytest.raises(RecordError) as info:
        ColumnMapping({"A": "nope", "B": "company.nme", "C": "id"})
    assert [p.path for p in info.value.problems] == ["columns['A']", "columns['B']"]


def test_custom_targets_are_allowed():
    """custom.<name> targets take any non-blank name."""
    mapping = ColumnMapping({"Lead Score": "custom.score"})
    assert lead_from_dict({"Lead Score": 87}, mapping=mapping).custom == {"score": 87}


@pytest.mark.parametrize(
    ("unmapped", "expected"),
    [("ignore", {}), ("custom", {"City": "Berlin"})],
)
def test_unmapped_columns_are_ignored_or_kept_when_asked(unmapped, expected):
    """unmapped='ignore' skips other columns; 'custom' keeps them as custom.<column>."""
    mapping = ColumnMapping({"Company": "company.name"}, unmapped=unmapped)
    lead = lead_from_dict({"Company": "Acme", "City": "Berlin"}, mapping=mapping)
    assert (lead.company.name, dict(lead.custom)) == ("Acme", expected)


def test_unmapped_columns_are_errors_by_default():
    """By default a column that is neither mapped nor a lead path is a problem."""
    mapping = ColumnMapping({"Company": "company.name"})
    with pytest.raises(RecordError, match=re.escape("lead 5: $.Cty: expected a mapped column")):
        lead_from_dict({"Company": "Acme", "Cty": "Berlin"}, mapping=mapping, number=5)


def test_model_paths_need_no_entry():
    """Columns already named by lead paths pass through a mapping unchanged."""
    mapping = ColumnMapping({"Company": "company.name"})
    lead = lead_from_dict({"Company": "Acme", "company.employees": 5}, mapping=mapping)
    assert lead.company.employees == 5


def test_plain_dicts_work_as_mappings():
    """read_leads accepts a plain dict as the mapping."""
    result = read_leads([{"Name": "Acme"}], mapping={"Name": "company.name"})
    assert result.leads[0].company.name == "Acme"


def test_mapped_dict_values_are_read_like_csv_cells():
    """Text values of mapped dicts are read as CSV cells are: "12" is 12, "Yes" is true."""
    mapping = ColumnMapping({"Employees": "company.employees", "Opted out": "contact.opted_out"})
    lead = lead_from_dict({"Employees": "12", "Opted out": "Yes"}, mapping=mapping)
    assert (lead.company.employees, lead.contact.opted_out) == (12, True)
    with pytest.raises(RecordError, match=re.escape("$.company.employees: expected an integer")):
        lead_from_dict({"Employees": "twelve"}, mapping=mapping)


def test_none_and_blank_values_are_missing_in_flat_records():
    """In a flat record, None and blank strings are empty cells."""
    mapping = ColumnMapping({"Company": "company.name", "Email": "contact.email"})
    lead = lead_from_dict({"Company": None, "Email": " "}, mapping=mapping)
    assert (lead.company, lead.contact) == (None, None)


def test_errors_name_the_source_column():
    """A problem in a mapped field names the column it came from."""
    mapping = ColumnMapping({"Number of Employees": "company.employees"})
    with pytest.raises(RecordError, match=re.escape("(column 'Number of Employees')")):
        read_leads(io.StringIO("Number of Employees\n-5\n"), format="csv", mapping=mapping)


def test_two_columns_filling_one_field_clash():
    """A row that fills one field from two columns is reported, not resolved silently."""
    mapping = ColumnMapping({"A": "company.name", "B": "company.name"})
    with pytest.raises(RecordError, match=re.escape("columns 'A' and 'B' both give one")):
        lead_from_dict({"A": "x", "B": "y"}, mapping=mapping)


def test_extend_adds_and_replaces_columns():
    """extend returns a new mapping with more columns or another unmapped rule."""
    extended = HUBSPOT_MAPPING.extend({"Country/Region": "custom.country"}, unmapped="ignore")
    assert extended.target("Country/Region") == "custom.country"
    assert extended.unmapped == "ignore"
    assert HUBSPOT_MAPPING.target("Country/Region") == "company.country"


def test_target_raises_for_unknown_columns():
    """target() names the unknown column and suggests a close one."""
    mapping = ColumnMapping({"Company Name": "company.name"})
    with pytest.raises(ValidationError, match=re.escape("(did you mean 'Company Name'?)")):
        mapping.target("Company Nme")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("map.json", json.dumps({"Company Name": "company.name"})),
        (
            "map.json",
            json.dumps({"columns": {"Company Name": "company.name"}, "unmapped": "ignore"}),
        ),
        ("map.yaml", "Company Name: company.name\n"),
        ("map.yml", "columns:\n  Company Name: company.name\nunmapped: ignore\n"),
    ],
)
def test_from_file_reads_json_and_yaml(tmp_path, name, text):
    """Mapping files hold the columns, or columns and the unmapped rule."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert ColumnMapping.from_file(path).target("Company Name") == "company.name"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("map.json", "{", "a valid mapping file"),
        ("map.yaml", "a: [", "a valid mapping file"),
        ("map.json", '{"A": "company.nam"}', "did you mean 'company.name'?"),
        ("map.json", '{"columns": {}, "unmaped": "ignore"}', "did you mean 'unmapped'?"),
        ("map.json", '{"A": "id", "A": "owner"}', "duplicate key 'A'"),
    ],
)
def test_from_file_reports_bad_files(tmp_path, name, text, message):
    """A bad mapping file fails at load time, saying what is wrong."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError, match=re.escape(message)):
        ColumnMapping.from_file(path)


@pytest.mark.parametrize(
    ("depth", "nests_too_deeply"),
    [(MAX_MAPPING_FLOW_DEPTH, False), (MAX_MAPPING_FLOW_DEPTH + 1, True)],
)
def test_yaml_brackets_nest_at_most_the_limit(tmp_path, depth, nests_too_deeply):
    """64 levels of brackets are scanned (and refused as a mapping); 65 stop the scan."""
    path = tmp_path / "map.yaml"
    path.write_text("A: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as info:
        ColumnMapping.from_file(path)
    assert ("nests too deeply" in str(info.value)) is nests_too_deeply


def test_from_file_needs_a_known_suffix(tmp_path):
    """Only .json, .yaml and .yml files are mapping files."""
    with pytest.raises(ValueError, match=re.escape("must end in .json, .yaml or .yml")):
        ColumnMapping.from_file(tmp_path / "map.txt")


def test_yaml_without_pyyaml_names_the_extra(tmp_path, monkeypatch):
    """Without pyyaml, a YAML mapping raises MissingExtraError naming the yaml extra."""
    path = tmp_path / "map.yaml"
    path.write_text("A: id\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(MissingExtraError, match=re.escape('pip install "funnelkit[yaml]"')):
        ColumnMapping.from_file(path)


HUBSPOT_EXPORT = (
    "Record ID,First Name,Email,Job Title,Company Name,Number of Employees,Annual Revenue,"
    "Country/Region,Industry,Lifecycle Stage,Create Date,City\n"
    "101,Ana,Ana@Acme.com,VP Marketing,Acme,250,12000000,US,COMPUTER_SOFTWARE,lead,"
    "2024-03-01 10:22,Berlin\n"
    "102,Bo,bo@beta.io,CTO,Beta,25-50,,United States,,customer,,\n"
)


def test_hubspot_preset_reads_a_contacts_export():
    """The HubSpot preset fills the model and keeps other columns as custom attributes."""
    result = read_leads(
        io.StringIO(HUBSPOT_EXPORT), format="csv", mapping=HUBSPOT_MAPPING, on_error="collect"
    )
    lead = result.leads[0]
    assert (lead.id, lead.contact.email, lead.contact.title) == (
        "101",
        "ana@acme.com",
        "VP Marketing",
    )
    assert (lead.company.employees, lead.company.country) == (250, "US")
    assert lead.company.annual_revenue.amount == Decimal(12_000_000)
    assert lead.custom["lifecycle_stage"] == "lead"
    assert lead.custom["create_date"] == "2024-03-01 10:22"
    assert lead.custom["City"] == "Berlin"


def test_hubspot_preset_reports_ranges_and_reads_country_names():
    """A head-count range is reported, not guessed; a country name becomes its code."""
    result = read_leads(
        io.StringIO(HUBSPOT_EXPORT), format="csv", mapping=HUBSPOT_MAPPING, on_error="collect"
    )
    (error,) = result.errors
    assert error.record_id == "102"
    assert [(p.path, p.value) for p in error.problems] == [("company.employees", "25-50")]
    assert "(column 'Number of Employees')" in str(error)


def test_salesforce_preset_reads_api_field_names():
    """The Salesforce preset reads a Data Loader export, CreatedDate included."""
    export = (
        "Id,FirstName,LastName,Company,NumberOfEmployees,AnnualRevenue,CurrencyIsoCode,"
        "Country,Title,Email,LeadSource,Status,CreatedDate\n"
        "00Q1,Ana,Ruiz,Acme,250,5000000,EUR,DE,CFO,ana@acme.com,Web,Open,"
        "2024-01-15T10:00:00.000Z\n"
    )
    lead = read_leads(io.StringIO(export), format="csv", mapping=SALESFORCE_MAPPING).leads[0]
    assert lead.id == "00Q1"
    assert lead.company.annual_revenue.currency == "EUR"
    assert lead.source.channel == "Web"
    assert lead.created_at.isoformat() == "2024-01-15T10:00:00+00:00"
    assert lead.custom == {"first_name": "Ana", "last_name": "Ruiz", "lead_status": "Open"}


def test_presets_keep_unmapped_columns():
    """Both presets keep unmapped columns as custom attributes."""
    assert HUBSPOT_MAPPING.unmapped == SALESFORCE_MAPPING.unmapped == "custom"
