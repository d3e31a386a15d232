"""Column specs: placeholders, value maps, typed custom attributes, signals, lenient columns."""

import io
import re
from datetime import UTC, date, datetime

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import Column, ColumnMapping, SignalColumn, lead_from_dict, read_leads

AT = datetime(2026, 5, 1, tzinfo=UTC)


def load_csv(text, mapping, **options):
    return read_leads(io.StringIO(text), format="csv", mapping=mapping, **options)


def test_file_wide_and_column_placeholders_are_missing():
    """Texts listed in `missing` (for the file or one column) are missing facts."""
    mapping = ColumnMapping(
        {"Size": Column("company.employees", missing={"?"}), "Name": "company.name"},
        missing={"Select", "N/A"},
    )
    lead = load_csv("Size,Name\n?,Select\n", mapping).leads[0]
    assert lead.company is None
    assert load_csv("Size,Name\nN/A,?\n", mapping).leads[0].company.name == "?"


def test_value_maps_replace_cells_and_null_makes_them_missing():
    """A value map turns 'Yes' into true and 'Student' into a missing seniority."""
    mapping = ColumnMapping(
        {
            "DNE": Column("contact.opted_out", values={"Yes": True, "No": False}),
            "Job": Column(
                "contact.seniority", values={"Working Professional": "ic", "Student": None}
            ),
        }
    )
    lead = lead_from_dict({"DNE": "Yes", "Job": "Working Professional"}, mapping=mapping)
    assert (lead.contact.opted_out, lead.contact.seniority) == (True, "ic")
    assert lead_from_dict({"Job": "Student"}, mapping=mapping).contact is None


@pytest.mark.parametrize(
    ("type_", "cell", "value"),
    [
        ("text", "007", "007"),
        ("number", "0.75", 0.75),
        ("integer", "42", 42),
        ("boolean", "Yes", True),
        ("boolean", "0", False),
        ("date", "2026-03-01", date(2026, 3, 1)),
    ],
)
def test_typed_custom_attributes_are_converted_at_load(type_, cell, value):
    """A custom column with a type is converted at load."""
    mapping = ColumnMapping({"X": Column("custom.x", type=type_)})
    assert load_csv(f"X\n{cell}\n", mapping).leads[0].custom["x"] == value


@pytest.mark.parametrize(
    ("type_", "cell", "message"),
    [
        ("number", "lots", "expected a finite number such as '0.8'"),
        ("integer", "4.5", "expected an integer, written with digits only"),
        ("boolean", "maybe", "expected true or false (also yes/no or 1/0, any case)"),
        ("date", "01/03/2026", "expected an ISO 8601 date such as '2026-05-01'"),
    ],
)
def test_unconvertible_custom_cells_name_record_field_and_value(type_, cell, message):
    """A typed custom cell that cannot be converted refuses the row, naming everything."""
    mapping = ColumnMapping({"Id": "id", "X": Column("custom.x", type=type_)})
    expected = f"lead 1 (id 'L-1'): $.custom.x: {message} (column 'X'), got {cell!r} (str)"
    with pytest.raises(RecordError, match=re.escape(expected)):
        load_csv(f"Id,X\nL-1,{cell}\n", mapping)


def test_lenient_columns_keep_the_lead_and_warn():
    """With on_error='missing', a bad cell is left missing and reported as a warning."""
    mapping = ColumnMapping(
        {
            "Id": "id",
            "Size": Column("company.employees", on_error="missing"),
            "Name": "company.name",
        }
    )
    result = load_csv("Id,Size,Name\nL-1,lots,Acme\nL-2,5,Beta\n", mapping)
    assert [lead.company.employees for lead in result.leads] == [None, 5]
    (warning,) = result.warnings
    assert (warning.record, warning.line, warning.path, warning.value) == (
        1,
        2,
        "company.employees",
        "lots",
    )
    assert "(column 'Size'; left missing)" in str(warning)


def test_strict_is_the_default():
    """Without on_error='missing', the same cell refuses the row."""
    result = load_csv("Size\nlots\n", {"Size": "company.employees"}, on_error="collect")
    assert (len(result.leads), len(result.errors)) == (0, 1)


@pytest.mark.parametrize(
    ("cell", "code"),
    [("India", "IN"), ("USA", "US"), ("united kingdom", "GB"), ("Holland", "NL"), ("DEU", "DE")],
)
def test_country_names_and_aliases_become_codes(cell, code):
    """Where a country code is expected, names, aliases and alpha-3 codes are read."""
    assert lead_from_dict({"C": cell}, mapping={"C": "company.country"}).company.country == code


@pytest.mark.parametrize(
    ("cell", "code"), [("€", "EUR"), ("£", "GBP"), ("$", "USD"), ("eur", "EUR")]
)
def test_currency_symbols_become_codes(cell, code):
    """Where a currency code is expected, symbols are read."""
    mapping = {"Rev": "company.annual_revenue.amount", "Cur": "company.annual_revenue.currency"}
    lead = lead_from_dict({"Rev": "1000", "Cur": cell}, mapping=mapping)
    assert lead.company.annual_revenue.currency == code


def test_unknown_country_names_are_reported():
    """A name that is no country is an error naming the column and the value."""
    with pytest.raises(
        RecordError,
        match=re.escape("country's name (such as 'DE' or 'Germany') (column 'C'), got 'Atlantis'"),
    ):
        lead_from_dict({"C": "Atlantis"}, mapping={"C": "company.country"})


def test_category_columns_give_one_signal_of_the_mapped_kind():
    """A category cell becomes a signal; unlisted text becomes its snake-case kind."""
    mapping = ColumnMapping(
        {"Last": SignalColumn(values={"Email Opened": "email_open", "Unreachable": None})},
        signals_at=AT,
    )
    kinds = [
        lead_from_dict({"Last": t}, mapping=mapping).signals
        for t in ("Email Opened", "SMS Sent", "Unreachable")
    ]
    assert [[s.kind for s in signals] for signals in kinds] == [["email_open"], ["sms_sent"], []]
    assert kinds[0][0].occurred_at == AT


def test_count_columns_give_that_many_signals_and_value_columns_one():
    """A count gives that many signals; a number gives one signal with its value (none for 0)."""
    mapping = ColumnMapping(
        {
            "Visits": SignalColumn("count", kind="website_visit"),
            "Views": SignalColumn("value", kind="page_views"),
        },
        signals_at="2026-05-01",
    )
    lead = lead_from_dict({"Visits": "3", "Views": "2.5"}, mapping=mapping)
    assert [s.kind for s in lead.signals] == ["website_visit"] * 3 + ["page_views"]
    assert lead.signals[-1].value == 2.5
    assert lead_from_dict({"Visits": 0, "Views": 0}, mapping=mapping).signals == ()


def test_signal_dates_come_from_a_column_or_the_default():
    """The `at` column dates a signal; an empty one falls back to signals_at."""
    mapping = ColumnMapping({"Last": SignalColumn(at="When"), "When": "custom.when"}, signals_at=AT)
    dated = lead_from_dict({"Last": "Chat", "When": "2026-02-03"}, mapping=mapping)
    undated = lead_from_dict({"Last": "Chat", "When": ""}, mapping=mapping)
    assert dated.signals[0].occurred_at == datetime(2026, 2, 3, tzinfo=UTC)
    assert undated.signals[0].occurred_at == AT


def test_bad_signal_dates_and_counts_are_reported():
    """A date without an offset or a negative count refuses the row, naming the column."""
    mapping = ColumnMapping(
        {"Last": SignalColumn(at="When"), "N": SignalColumn("count", kind="visit")}, signals_at=AT
    )
    with pytest.raises(RecordError, match=re.escape("in column 'When' (column 'Last')")):
        lead_from_dict({"Last": "Chat", "When": "2026-02-03 10:00"}, mapping=mapping)
    with pytest.raises(
        RecordError, match=re.escape("$.signals: expected a count from 0 to 10,000 (column 'N')")
    ):
        lead_from_dict({"N": -1}, mapping=mapping)


def test_explicit_kinds_are_declared_by_the_mapping_or_the_column():
    """Kinds listed in `explicit`, or a column with explicit=True, give hand-raises."""
    mapping = ColumnMapping(
        {"Last": SignalColumn(), "Demo": SignalColumn("count", kind="demo", explicit=True)},
        signals_at=AT,
        explicit={"form_submitted"},
    )
    lead = lead_from_dict({"Last": "Form Submitted", "Demo": 1}, mapping=mapping)
    assert [(s.kind, s.explicit) for s in lead.signals] == [
        ("form_submitted", True),
        ("demo", True),
    ]
    assert not lead_from_dict({"Last": "Email Opened"}, mapping=mapping).signals[0].explicit


def test_blank_and_repeated_header_names_load():
    """A trailing comma and a repeated name do not stop the load of unmapped='custom'."""
    result = load_csv("id,Note,Note,\nL-1,a,b,\n", ColumnMapping({}, unmapped="custom"))
    assert dict(result.leads[0].custom) == {"Note": "a", "Note (2)": "b"}
    assert load_csv("id,\nL-1,\n", ColumnMapping({})).leads[0].id == "L-1"


BAD_ENTRIES = [
    (
        {"X": Column("company.employees", type="integer")},
        {},
        "$.columns['X'].type",
        "types are for custom.<name>",
    ),
    ({"X": Column("custom.x", type="int")}, {}, "$.columns['X'].type", "did you mean 'integer'?"),
    (
        {"X": Column("custom.x", on_error="skip")},
        {},
        "$.columns['X'].on_error",
        "'error' or 'missing'",
    ),
    (
        {"X": SignalColumn("count")},
        {"signals_at": AT},
        "$.columns['X'].kind",
        "the kind of the signals a count column gives",
    ),
    (
        {"X": SignalColumn("counts", kind="k")},
        {"signals_at": AT},
        "$.columns['X'].signal",
        "did you mean 'count'?",
    ),
    (
        {"X": SignalColumn()},
        {},
        "$.columns['X'].at",
        "a column with the date, or the mapping's signals_at",
    ),
    (
        {"X": {"to": "custom.x", "tpye": "integer"}},
        {},
        "$.columns['X'].tpye",
        "did you mean 'type'?",
    ),
    ({"X": {"values": {}}}, {}, "$.columns['X']", "a column spec with 'to' (a field) or 'signal'"),
    ({"X": {"to": "custom.x", "values": {True: 1}}}, {}, "$.columns['X'].values", "quote Yes, No"),
    ({}, {"signals_at": "2026-05-01T10:00"}, "$.signals_at", "a date-time with a UTC offset"),
    ({}, {"signals_at": "yesterday"}, "$.signals_at", "an ISO 8601 date"),
    ({}, {"missing": "Select"}, "$.missing", "a list of texts, got 'Select'"),
    ({}, {"explicit": [1, "x"]}, "$.explicit", "texts only, got 1 (int)"),
    ({"X": {"to": 5}}, {}, "$.columns['X'].to", "expected str, got 5 (int)"),
    (
        {"X": Column("custom.x", values={"a": [1]})},
        {},
        "$.columns['X'].values['a']",
        "a text, number, bool or null",
    ),
    ({"X": {"to": "custom.x", "missing": "X"}}, {}, "$.columns['X'].missing", "a list of texts"),
]


@pytest.mark.parametrize(("columns", "options", "path", "message"), BAD_ENTRIES)
def test_bad_column_specs_are_reported_at_construction(columns, options, path, message):
    """Every bad column spec is refused with its path and what was expected."""
    with pytest.raises(RecordError, match=re.escape(path) + ".*" + re.escape(message)):
        ColumnMapping(columns, **options)


def test_mapping_files_hold_every_option(tmp_path):
    """A YAML mapping file gives the same mapping as the Python one."""
    path = tmp_path / "m.yaml"
    path.write_text(
        "unmapped: ignore\nmissing: [Select]\nsignals_at: '2026-05-01'\nexplicit: [chat]\n"
        "columns:\n  Size: {to: company.employees, on_error: missing}\n"
        "  Last: {signal: category, values: {Olark Chat: chat}}\n",
        encoding="utf-8",
    )
    expected = ColumnMapping(
        {
            "Size": Column("company.employees", on_error="missing"),
            "Last": SignalColumn(values={"Olark Chat": "chat"}),
        },
        unmapped="ignore",
        missing={"Select"},
        signals_at=AT,
        explicit={"chat"},
    )
    assert ColumnMapping.from_file(path) == expected


def test_to_data_round_trips_every_kind_of_entry(tmp_path):
    """to_data, dumped as YAML, reads back as the same mapping."""
    import yaml

    mapping = ColumnMapping(
        {
            "Id": "id",
            "Size": Column("company.employees", missing={"?"}, on_error="missing"),
            "Job": Column("contact.seniority", values={"Student": None, "Boss": "owner"}),
            "Score": Column("custom.score", type="number"),
            "Last": SignalColumn(values={"Chat": "chat", "Gone": None}, at="When", explicit=False),
            "Views": SignalColumn("value", kind="page_views"),
        },
        unmapped="ignore",
        missing={"N/A", "-"},
        signals_at=datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
        explicit={"chat"},
    )
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(mapping.to_data(), sort_keys=False), encoding="utf-8")
    assert ColumnMapping.from_file(path) == mapping
