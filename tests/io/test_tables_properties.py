"""read_tables and read_leads agree on random exports: same rows kept, same facts, same errors."""

from __future__ import annotations

from datetime import UTC

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.io.test_tables import fact

from funnelkit.io import Column, ColumnMapping, SignalColumn, read_leads, read_tables
from funnelkit.io._tablevalues import MONEY_AMOUNT

MAPPING = ColumnMapping(
    {
        "Id": "id",
        "Employees": "company.employees",
        "Country": "company.country",
        "Tech": "company.technologies",
        "Revenue": "company.annual_revenue.amount",
        "Currency": "company.annual_revenue.currency",
        "DNE": Column("contact.opted_out", values={"Yes": True, "No": False}),
        "Seniority": Column("contact.seniority", on_error="missing"),
        "Title": Column("contact.title", values={"Boss": "Chief Executive", "Nobody": None}),
        "Company": "company.name",
        "Score": Column("custom.score", type="integer", on_error="missing"),
        "Visits": SignalColumn("count", kind="website_visit"),
        "Last": SignalColumn(at="When", values={"Unreachable": None}),
    },
    unmapped="custom",
    missing={"Select", "N/A"},
    signals_at="2026-05-01",
    explicit={"form_submitted"},
)
CELLS = {
    "Employees": ["", "12", "0", "-3", "lots", "N/A", "4000"],
    "Country": ["", "DE", "India", "USA", "Atlantis", "Select", "gbr"],
    "Tech": ["", "aws", "aws; gcp", "Select"],
    "Revenue": ["", "1000", "12.50", "NaN", "lots", "0.125", "-0", "007", " 12.5", "1_000", "1e3"],
    "Currency": ["", "€", "usd", "XYZ"],
    "DNE": ["", "Yes", "No", "maybe", "true"],
    "Seniority": ["", "vp", "VP", "boss", "ic"],
    "Score": ["", "7", "x", "-2"],
    "Title": [
        "",
        " ",
        "VP Sales",
        " VP Sales ",
        "N/A",
        " Select",
        "Boss",
        "Nobody",
        "t" * 300,
        "t" * 301,
        "a\x00b",
        "\u2003",
        "\x85VP",
        "Ünïcödé 🚀",
    ],
    "Company": ["", "Acme", "\tAcme\n", "N/A", "a\x00", "x" * 10_001, "\u3000"],
    "Visits": ["", "0", "2", "-1", "many"],
    "Last": ["", "Email Opened", "Form Submitted", "Unreachable", "Select"],
    "When": [
        "",
        "2026-02-03",
        "2026-02-03T10:00:00+02:00",
        "2026-02-03T23:59:59-23:59",
        "2024-02-29T10:00:00Z",
        "2023-02-29",
        "03/02/2026",
        "N/A",
    ],
    "City": ["", "Select", "Berlin"],
}


@st.composite
def exports(draw):
    """A few rows of string cells, every column drawn from its pool of good and bad text."""
    count = draw(st.integers(min_value=1, max_value=6))
    ids = [f"L-{i}" for i in range(1, count + 1)]
    pool = [*ids, "", " ", f" {ids[0]} ", "N/A", "i" * 201]
    columns = {"Id": draw(st.lists(st.sampled_from(pool), min_size=count, max_size=count))}
    for name, pool in CELLS.items():
        columns[name] = draw(st.lists(st.sampled_from(pool), min_size=count, max_size=count))
    return columns


@examples(60)
@given(exports())
def test_tables_hold_what_the_leads_hold(columns):
    """Kept rows, every column, every signal and every error agree with read_leads."""
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    tables = read_tables(frame, mapping=MAPPING, on_error="collect")
    result = read_leads(frame.to_dicts(), mapping=MAPPING, on_error="collect")
    assert [str(e) for e in tables.errors] == [str(e) for e in result.errors]
    assert [str(w) for w in tables.warnings] == [str(w) for w in result.warnings]
    for column in tables.leads.columns:
        values = tables.leads[column].to_list()
        assert values == [fact(lead, column) for lead in result.leads], column
    signals = [
        (lead.id, s.kind, s.occurred_at.astimezone(UTC), s.explicit, s.value)
        for lead in result.leads
        for s in lead.signals
    ]
    assert tables.signals.rows() == signals


@examples(30)
@given(st.lists(st.sampled_from(CELLS["Revenue"] + ["N/A", "-12.0"]), min_size=1, max_size=8))
def test_an_amount_column_has_the_places_of_its_longest_amount(cells):
    """Amounts polars reads and amounts the row path reads make one decimal column."""
    frame = pl.DataFrame({"Revenue": cells, "Currency": ["USD"] * len(cells)})
    tables = read_tables(frame, mapping=MAPPING, on_error="collect")
    result = read_leads(frame.to_dicts(), mapping=MAPPING, on_error="collect")
    amounts = [fact(lead, "company.annual_revenue.amount") for lead in result.leads]
    assert tables.leads["company.annual_revenue.amount"].to_list() == amounts
    places = [max(0, -a.as_tuple().exponent) for a in amounts if a is not None]
    dtype = tables.leads["company.annual_revenue.amount"].dtype
    assert dtype == (pl.Decimal(38, max(places)) if places else pl.Null)


@examples(30)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_an_amount_takes_any_finite_decimal_as_it_is(value):
    """The table readers keep finite decimals for Money.amount without asking it."""
    field = MONEY_AMOUNT
    assert field.converter(value) is value
    field.validator(None, field, value)


def test_free_text_cells_are_read_by_polars():
    """The property above reaches the text path: plain cells of a text field skip decide."""
    from funnelkit.io._flat import plan_column
    from funnelkit.io._plaincells import plain_cells
    from funnelkit.io._tablevalues import leaf_of

    cells = pl.Series("Title", ["VP Sales", " x ", "", "N/A", "Boss", "t" * 301, "a\x00b"])
    slot = plan_column(MAPPING, "Title")
    assert slot is not None
    assert slot.place is not None
    rest: list[object] = []

    def outcomes(series: pl.Series) -> tuple[pl.Series, pl.Series]:
        rest.extend(series.to_list())
        return series, pl.Series([0] * series.len(), dtype=pl.Int8)

    found = plain_cells(pl, slot, leaf_of(slot.place.parts), cells, outcomes)
    assert found is not None
    values, plain, _ = found
    assert plain.to_list() == [True, True, False, False, False, False, False]
    assert values.to_list()[:2] == ["VP Sales", " x "]
    assert rest == [None, None, "", "N/A", "Boss", "t" * 301, "a\x00b"]
