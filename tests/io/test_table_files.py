"""read_tables on JSONL and Parquet files: the facts of read_leads + leads_to_tables."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from tests._profiles import examples

import funnelkit.data
from funnelkit.errors import RecordError
from funnelkit.io import leads_to_tables, read_leads, read_tables, write_jsonl
from funnelkit.testing import leads as lead_strategy

DEMO = Path(funnelkit.data.__file__).parent / "demo_leads.jsonl"


def assert_same_tables(a, b):
    """Leads and signals frames are equal, cell for cell and type for type."""
    assert_frame_equal(a.leads, b.leads)
    assert_frame_equal(a.signals, b.signals)


def test_demo_jsonl_gives_the_tables_of_read_leads():
    """The demo file through read_tables equals read_leads then leads_to_tables."""
    tables = read_tables(DEMO)
    assert_same_tables(tables, leads_to_tables(read_leads(DEMO).leads))
    assert tables.errors == ()


def test_jsonl_is_converted_in_chunks_with_the_same_result(monkeypatch, tmp_path):
    """Chunks of a few leads concatenate to the one-piece tables (custom columns too)."""
    monkeypatch.setattr("funnelkit.io._tablefiles.CHUNK", 7)
    records = [json.loads(line) for line in DEMO.read_text().splitlines()[:40]]
    records[3]["custom"] = {"score": 3}
    records[20]["custom"] = {"score": 4.5, "tier": "gold"}
    leads = read_leads(records).leads
    path = tmp_path / "leads.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert_same_tables(read_tables(path), leads_to_tables(leads))


def test_bad_jsonl_records_give_read_leads_errors_and_good_ones_are_kept(tmp_path):
    """A bad record is reported as read_leads reports it; the others are in the tables."""
    path = tmp_path / "leads.jsonl"
    rows = [
        {"id": "L-1", "company": {"employees": 12}},
        {"id": "L-2", "company": {"employees": -3}},
        {"id": "L-3", "contact": {"seniority": "VP"}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tables = read_tables(path, on_error="collect")
    expected = read_leads(path, on_error="collect")
    assert tables.leads["id"].to_list() == ["L-1"]
    assert [str(e) for e in tables.errors] == [str(e) for e in expected.errors]
    assert [(e.record, e.line, e.path) for e in tables.errors] == [
        (e.record, e.line, e.path) for e in expected.errors
    ]
    with pytest.raises(RecordError, match=r"company\.employees: expected int >= 0, got -3"):
        read_tables(path)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"id": "L-1"}, {"id": "L-1"}], "lead id not used by an earlier record"),
        ([{"company": {"employees": 3}}], r"\$\.id: expected a lead id"),
    ],
)
def test_jsonl_leads_need_a_unique_id(tmp_path, rows, message):
    """The signals table joins on the id: a missing or repeated one makes a record bad."""
    path = tmp_path / "leads.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tables = read_tables(path, on_error="collect")
    assert len(tables.errors) == 1
    assert tables.errors[0].record == len(rows)
    with pytest.raises(RecordError, match=message):
        read_tables(path)


@given(st.lists(lead_strategy(), max_size=8, unique_by=lambda lead: lead.id))
@examples(10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_random_leads_through_jsonl_give_the_same_tables(tmp_path_factory, batch):
    """Random leads written as JSONL and read into tables: leads_to_tables of them."""
    batch = [lead for lead in batch if lead.id is not None and not lead.custom_evidence]
    path = tmp_path_factory.mktemp("jsonl") / "leads.jsonl"
    write_jsonl(batch, path)
    try:
        expected = leads_to_tables(read_leads(path).leads)
    except RecordError:  # a custom attribute with values of two kinds: no table holds it
        assume(False)
    assert_same_tables(read_tables(path), expected)


def _demo_parquet(folder: Path, n: int = 300) -> tuple[Path, object]:
    tables = leads_to_tables(read_leads(DEMO).leads[:n])
    tables.leads.write_parquet(folder / "leads.parquet")
    tables.signals.write_parquet(folder / "leads.signals.parquet")
    return folder / "leads.parquet", tables


def test_parquet_in_the_contract_layout_reads_back_with_its_sibling_signals(tmp_path):
    """leads.parquet and leads.signals.parquet give back the tables they were written from."""
    path, tables = _demo_parquet(tmp_path)
    assert_same_tables(read_tables(path), tables)


def test_parquet_signals_can_be_named(tmp_path):
    """signals= names the signals file; without a sibling there are no signals."""
    path, tables = _demo_parquet(tmp_path)
    moved = tmp_path / "elsewhere.parquet"
    (tmp_path / "leads.signals.parquet").rename(moved)
    assert read_tables(path).signals.height == 0
    assert_same_tables(read_tables(path, signals=moved), tables)


def test_parquet_with_fewer_columns_reads_the_rest_as_missing(tmp_path):
    """A file with some contract columns: the others are all missing, typed."""
    pl.DataFrame({"id": ["L-1"], "company.employees": [40]}).write_parquet(tmp_path / "a.parquet")
    tables = read_tables(tmp_path / "a.parquet")
    assert tables.leads["company.employees"].to_list() == [40]
    assert tables.leads.schema["company.employees"] == pl.Int64
    assert tables.leads["contact.seniority"].to_list() == [None]


def test_parquet_values_the_model_refuses_make_their_row_bad(tmp_path):
    """Each bad value names its row, id, column and value; other rows are kept."""
    frame = pl.DataFrame(
        {
            "id": ["L-1", "L-2", "L-3", "L-3"],
            "company.employees": [10, -3, 5, 6],
            "contact.seniority": ["vp", None, "VP", "vp"],
        }
    )
    frame.write_parquet(tmp_path / "a.parquet")
    tables = read_tables(tmp_path / "a.parquet", on_error="collect")
    assert tables.leads["id"].to_list() == ["L-1"]
    found = [(e.record, e.record_id, p.path, p.value) for e in tables.errors for p in e.problems]
    assert found == [
        (2, "L-2", "company.employees", -3),
        (3, "L-3", "contact.seniority", "VP"),
        (4, "L-3", "id", "L-3"),
    ]
    with pytest.raises(RecordError, match=r"lead 2 \(id 'L-2'\): \$\.company\.employees"):
        read_tables(tmp_path / "a.parquet")


def test_parquet_rows_without_an_id_or_with_an_earlier_one_are_bad(tmp_path):
    """Each missing id and each id an earlier row has makes its row bad, in row order."""
    frame = pl.DataFrame(
        {
            "id": [None, "L-1", None, "L-1", "L-2", "L-1"],
            "company.annual_revenue.amount": pl.Series(["1.5", "-0.25", "3", "4", "5", "6"]).cast(
                pl.Decimal(38, 2)
            ),
        }
    )
    frame.write_parquet(tmp_path / "a.parquet")
    tables = read_tables(tmp_path / "a.parquet", on_error="collect")
    assert tables.leads["id"].to_list() == ["L-1", "L-2"]
    assert [str(a) for a in tables.leads["company.annual_revenue.amount"]] == ["-0.25", "5.00"]
    found = [(e.record, e.record_id, p.path, p.value) for e in tables.errors for p in e.problems]
    assert found == [
        (1, None, "id", None),
        (3, None, "id", None),
        (4, "L-1", "id", "L-1"),
        (6, "L-1", "id", "L-1"),
    ]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pl.DataFrame({"id": ["L-1"], "employees": [3]}), "a column of the table contract"),
        (pl.DataFrame({"company.employees": [3]}), "an id column"),
        (pl.DataFrame({"id": ["L-1"], "company.employees": ["many"]}), "int values"),
    ],
)
def test_parquet_columns_outside_the_contract_are_refused(tmp_path, frame, message):
    """Unknown, missing id and mistyped columns: a RecordError naming the column."""
    frame.write_parquet(tmp_path / "a.parquet")
    with pytest.raises(RecordError, match=message):
        read_tables(tmp_path / "a.parquet", on_error="collect")


def test_format_can_be_given_and_mappings_go_with_csv(tmp_path):
    """format= overrides the file name; a mapping with JSONL is refused."""
    path = tmp_path / "leads.txt"
    path.write_text(json.dumps({"id": "L-1"}) + "\n", encoding="utf-8")
    assert read_tables(path, format="jsonl").leads["id"].to_list() == ["L-1"]
    with pytest.raises(ValueError, match="a mapping reads CSV"):
        read_tables(path, format="jsonl", mapping={"a": "id"})
    with pytest.raises(ValueError, match="format must be"):
        read_tables(path, format="xml")  # type: ignore[arg-type]


def test_progress_is_reported(tmp_path):
    """progress= is called with the number of records read."""
    seen: list[int] = []
    read_tables(DEMO, progress=seen.append)
    assert seen[-1] == 2500
