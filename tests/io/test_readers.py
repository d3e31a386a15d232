"""Loading leads from JSONL, JSON, CSV, gzip, open files and iterables; writing JSONL."""

import gzip
import io
import json
import re

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import LoadResult, iter_leads, read_leads, write_jsonl
from funnelkit.model import Company, Lead

GOOD = {"id": "L-1", "company": {"name": "Acme", "employees": 120}}
BAD = {"id": "L-2", "company": {"employees": -3}}
JSONL = "\n".join(json.dumps(r) for r in (GOOD, BAD, {"id": "L-3"})) + "\n"
CSV = "id,company.name,company.employees\nL-1,Acme,120\nL-2,,-3\nL-3,,\n"


@pytest.fixture
def files(tmp_path):
    """The same three records as .jsonl, .json, .csv and their gzipped forms."""
    contents = {
        "leads.jsonl": JSONL,
        "leads.json": json.dumps([GOOD, BAD, {"id": "L-3"}]),
        "leads.csv": CSV,
    }
    paths = {}
    for name, text in contents.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with gzip.open(tmp_path / f"{name}.gz", "wt", encoding="utf-8") as out:
            out.write(text)
        paths[name] = tmp_path / name
        paths[f"{name}.gz"] = tmp_path / f"{name}.gz"
    return paths


@pytest.mark.parametrize(
    "name", ["leads.jsonl", "leads.json", "leads.csv", "leads.jsonl.gz", "leads.csv.gz"]
)
def test_collect_keeps_good_records_and_reports_bad_ones(files, name):
    """Every format yields the two good leads and one error naming record 2."""
    result = read_leads(files[name], on_error="collect")
    assert [lead.id for lead in result.leads] == ["L-1", "L-3"]
    assert result.total == 3
    assert not result.ok
    (error,) = result.errors
    assert (error.record, error.record_id, error.path, error.value) == (
        2,
        "L-2",
        "company.employees",
        -3,
    )


@pytest.mark.parametrize("name", ["leads.jsonl", "leads.json.gz", "leads.csv"])
def test_raise_mode_raises_the_first_bad_record(files, name):
    """on_error='raise' (the default) raises the bad record's RecordError."""
    with pytest.raises(RecordError, match=re.escape("lead 2 (id 'L-2'): $.company.employees")):
        read_leads(files[name])


def test_string_paths_are_accepted(files):
    """A str source is a path."""
    assert read_leads(str(files["leads.csv"]), on_error="collect").total == 3


def test_text_file_object_with_format(files):
    """An open text file is read; format is needed when it has no name."""
    result = read_leads(io.StringIO(JSONL), format="jsonl", on_error="collect")
    assert len(result.leads) == 2


def test_named_file_object_infers_format(files):
    """An open file's name tells its format; the caller's file stays open."""
    with files["leads.csv"].open(encoding="utf-8", newline="") as file:
        result = read_leads(file, on_error="collect")
        assert not file.closed
    assert result.total == 3


def test_binary_file_objects_are_decoded(files):
    """Binary files are read as UTF-8, gzipped ones by their .gz name."""
    with files["leads.csv.gz"].open("rb") as file:
        result = read_leads(file, on_error="collect")
        assert not file.closed
    assert result.total == 3
    assert read_leads(io.BytesIO(CSV.encode()), format="csv", on_error="collect").total == 3


def test_byte_order_mark_is_skipped(tmp_path):
    """A UTF-8 BOM (as Excel writes) does not become part of the first column name."""
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,company.name\nL-1,Acme\n".encode())
    assert read_leads(path).leads[0].id == "L-1"
    assert read_leads(io.StringIO("\ufeffid\nL-1\n"), format="csv").leads[0].id == "L-1"


def test_iterable_of_dicts():
    """Records can come from any iterable of dicts, numbered from 1."""
    result = read_leads(iter([GOOD, BAD]), on_error="collect")
    assert [lead.id for lead in result.leads] == ["L-1"]
    assert result.errors[0].record == 2


def test_records_may_hold_model_objects():
    """A record may embed model objects built in Python."""
    lead = read_leads([{"id": "L-1", "company": Company(name="Acme")}]).leads[0]
    assert lead.company == Company(name="Acme")


def test_bad_json_line_is_reported_with_its_line():
    """A line that is not JSON is a bad record naming the line; reading goes on."""
    text = '{"id": "L-1"}\n\n{"id": "L-2",\n{"id": "L-3"}\n'
    result = read_leads(io.StringIO(text), format="jsonl", on_error="collect")
    assert [lead.id for lead in result.leads] == ["L-1", "L-3"]
    (error,) = result.errors
    assert (error.record, error.line) == (2, 3)
    assert "a JSON object on line 3" in str(error)


def test_duplicate_keys_in_a_json_line_are_reported():
    """A key given twice is an error, not a silent last-one-wins."""
    result = read_leads(io.StringIO('{"id": "a", "id": "b"}\n'), format="jsonl", on_error="collect")
    assert "duplicate key 'id'" in str(result.errors[0])


def test_json_document_must_be_an_array():
    """A .json file holding one object is reported (use .jsonl for one record per line)."""
    result = read_leads(io.StringIO('{"id": "L-1"}'), format="json", on_error="collect")
    assert "a JSON array of lead records" in str(result.errors[0])


def test_broken_json_document_is_one_error():
    """A .json file that does not parse is one error with the line of the problem."""
    result = read_leads(io.StringIO('[\n{"id": "L-1"},\n{'), format="json", on_error="collect")
    (error,) = result.errors
    assert error.line == 3
    assert result.leads == ()


def test_iter_leads_streams_leads_and_errors():
    """iter_leads yields leads and, when collecting, errors in input order."""
    items = list(iter_leads([GOOD, BAD, GOOD], on_error="collect"))
    assert [type(item) for item in items] == [Lead, RecordError, Lead]


def test_iter_leads_raise_mode_stops_at_the_bad_record():
    """In raise mode, the leads before the bad record are yielded first."""
    stream = iter_leads([GOOD, BAD])
    assert next(stream).id == "L-1"
    with pytest.raises(RecordError):
        next(stream)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"source": [], "on_error": "skip"}, ValueError, "on_error must be 'raise' or 'collect'"),
        ({"source": [], "format": "xml"}, ValueError, "format must be 'jsonl', 'json' or 'csv'"),
        ({"source": "leads.txt"}, ValueError, "cannot tell the format of 'leads.txt'"),
        ({"source": io.StringIO("")}, ValueError, "without a name; pass format="),
        ({"source": GOOD}, TypeError, "for one record, use lead_from_dict"),
        ({"source": 3}, TypeError, "source must be a path"),
        ({"source": [], "format": "csv"}, ValueError, "an iterable of records has none"),
    ],
)
def test_bad_arguments_fail_at_once(kwargs, error, message):
    """Bad arguments raise when iter_leads is called, before anything is read."""
    with pytest.raises(error, match=re.escape(message)):
        iter_leads(**kwargs)


def test_load_result_repr_and_ok():
    """LoadResult summarises itself; ok is true when there are no errors."""
    result = read_leads([GOOD])
    assert repr(result) == "LoadResult(total=1, leads=1, errors=0)"
    assert result.ok
    assert isinstance(result, LoadResult)


def test_empty_inputs_give_empty_results(tmp_path):
    """An empty file or iterable is zero records, not an error."""
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert read_leads(tmp_path / "empty.csv").total == 0
    assert read_leads([]).total == 0


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_write_jsonl_round_trips(tmp_path, name):
    """Leads written with write_jsonl read back equal, gzipped or not."""
    leads = read_leads([GOOD, {"id": "L-3", "company": {"technologies": ["b", "a"]}}]).leads
    assert write_jsonl(leads, tmp_path / name) == 2
    assert read_leads(tmp_path / name).leads == leads


def test_write_jsonl_to_a_file_object_is_one_line_per_lead():
    """Each lead is one line of compact, deterministic JSON."""
    buffer = io.StringIO()
    write_jsonl([Lead(id="L-1"), Lead(id="L-2", company=Company(tags={"b", "a"}))], buffer)
    assert buffer.getvalue().splitlines() == [
        '{"id": "L-1"}',
        '{"id": "L-2", "company": {"tags": ["a", "b"]}}',
    ]
