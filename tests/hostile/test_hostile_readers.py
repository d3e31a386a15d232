"""Hostile lead files: one bad line, byte or cell never sinks the good records around it."""

from __future__ import annotations

import gzip
import io
import json
import re
import time

import pytest

from funnelkit.errors import RecordError
from funnelkit.io import ColumnMapping, ReadLimits, read_leads

DEEP = "[" * 100_000 + "]" * 100_000


def load(data: bytes | str, fmt: str, **options):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_leads(io.BytesIO(raw), format=fmt, on_error="collect", **options)


def ids(result) -> list[str]:
    return [lead.id for lead in result.leads]


# Each case: the bytes of a file around one bad record between L-1 and L-3, the format,
# and what the one error says.
# fmt: off
ONE_BAD = [
    pytest.param(b'{"id": "L-1"}\n{"id": "L-\xe9"}\n{"id": "L-3"}\n', "jsonl", r"not UTF-8: byte 0xe9 at column 11", id="jsonl-latin1"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-\xff\xfe"}\n{"id": "L-3"}\n', "jsonl", r"not UTF-8: byte 0xff", id="jsonl-ff"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-\xc3"}\n{"id": "L-3"}\n', "jsonl", r"not UTF-8: byte 0xc3", id="jsonl-cut-sequence"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "signals": ' + DEEP.encode() + b'}\n{"id": "L-3"}\n', "jsonl", r"nests too deeply", id="jsonl-deep-array"),
    pytest.param(b'{"id": "L-1"}\n' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b'\n{"id": "L-3"}\n', "jsonl", r"nests too deeply", id="jsonl-deep-object"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2"\n{"id": "L-3"}\n', "jsonl", r"Expecting ',' delimiter", id="jsonl-cut-object"),
    pytest.param(b'{"id": "L-1"}\n[1, 2]\n{"id": "L-3"}\n', "jsonl", r"an object with the fields of Lead", id="jsonl-array-line"),
    pytest.param(b'{"id": "L-1"}\nNaN\n{"id": "L-3"}\n', "jsonl", r"Lead", id="jsonl-nan-line"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "id": "L-2b"}\n{"id": "L-3"}\n', "jsonl", r"duplicate key 'id'", id="jsonl-duplicate-key"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2\\u0000"}\n{"id": "L-3"}\n', "jsonl", r"without NUL characters", id="jsonl-nul-id"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2\\ud800"}\n{"id": "L-3"}\n', "jsonl", r"lone surrogates", id="jsonl-lone-surrogate"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "created_at": "2026-05-01T00:00:00\\u0000Z"}\n{"id": "L-3"}\n', "jsonl", r"printable, at most 9 digits", id="jsonl-nul-datetime"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "created_at": "2026-05-01T00:00:00.' + b"1" * 5000 + b'Z"}\n{"id": "L-3"}\n', "jsonl", r"at most 9 digits of fractional seconds", id="jsonl-long-fraction"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "created_at": "2026-05-01T00:00:00"}\n{"id": "L-3"}\n', "jsonl", r"the offset is missing", id="jsonl-naive-datetime"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "company": {"employees": 1e400}}\n{"id": "L-3"}\n', "jsonl", r"company\.employees", id="jsonl-infinity"),
    pytest.param(b'{"id": "L-1"}\n{"id": "L-2", "company": {"employees": ' + b"9" * 5000 + b'}}\n{"id": "L-3"}\n', "jsonl", r"Exceeds the limit \(4300 digits\)", id="jsonl-huge-int"),
    pytest.param(b"id,contact.name\nL-1,a\nL-2,b\xe9\nL-3,c\n", "csv", r"\$\.contact\.name: expected UTF-8 text \(byte 0xe9", id="csv-latin1-cell"),
    pytest.param(b'id,signals\nL-1,[]\nL-2,"' + b"[" * 5000 + b"]" * 5000 + b'"\nL-3,[]\n', "csv", r"nests too deeply", id="csv-deep-json-cell"),
    pytest.param(b"id,contact.name\nL-1,a\nL-2,\"b\nL-3,c\n", "csv", r"quoted cell opened on line 3 is never closed", id="csv-unterminated-quote"),
    pytest.param(b"id,company.employees\nL-1,5\nL-2,-3\nL-3,7\n", "csv", r"expected int >= 0, got -3", id="csv-negative"),
    pytest.param(b"id,created_at\nL-1,\nL-2,2026-05-01\x00\nL-3,\n", "csv", r"printable", id="csv-nul-datetime"),
]
# fmt: on


@pytest.mark.parametrize(("data", "fmt", "match"), ONE_BAD)
def test_one_bad_record_keeps_its_neighbours(data, fmt, match):
    """The records before and after a bad one are read; the bad one is reported."""
    result = load(data, fmt)
    assert ids(result) == ["L-1", "L-3"]
    assert len(result.errors) == 1
    assert result.errors[0].record == 2
    assert re.search(match, str(result.errors[0])), str(result.errors[0])


def test_a_long_line_is_skipped_without_holding_it():
    """A line over ReadLimits.max_line_chars is one bad record; the next line is read."""
    text = '{"id": "L-1"}\n{"id": "' + "x" * 5_000 + '"}\n{"id": "L-3"}\n'
    result = load(text, "jsonl", limits=ReadLimits(max_line_chars=1_000))
    assert ids(result) == ["L-1", "L-3"]
    assert "more than 1,000 characters (ReadLimits.max_line_chars)" in str(result.errors[0])


def test_a_long_csv_line_is_skipped():
    """A CSV line over the limit is one bad row; the next row is read."""
    text = "id,contact.name\nL-1,a\nL-2," + "b" * 5_000 + "\nL-3,c\n"
    result = load(text, "csv", limits=ReadLimits(max_line_chars=1_000))
    assert ids(result) == ["L-1", "L-3"]
    assert "ReadLimits.max_line_chars" in str(result.errors[0])


def gz(payload: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as file:
        file.write(payload)
    out = io.BytesIO(buffer.getvalue())
    out.name = "leads.jsonl.gz"
    return out


def test_a_gzip_bomb_line_is_refused_and_the_rest_read():
    """A 50 MB decompressed line (50 kB compressed) is refused by the line limit."""
    bomb = gz(b'{"id": "' + b"a" * 50_000_000 + b'"}\n{"id": "L-2"}\n')
    assert len(bomb.getvalue()) < 100_000
    started = time.perf_counter()
    result = read_leads(bomb, on_error="collect")
    assert ids(result) == ["L-2"]
    assert "ReadLimits.max_line_chars" in str(result.errors[0])
    assert time.perf_counter() - started < 10


def test_a_truncated_gzip_file_keeps_the_records_read():
    """A .gz file cut short reports one error after the records it could read."""
    whole = gz(b"".join(b'{"id": "L-%d"}\n' % i for i in range(5_000))).getvalue()
    cut = io.BytesIO(whole[:-200])
    cut.name = "leads.jsonl.gz"
    result = read_leads(cut, on_error="collect")
    assert 1_000 < len(result.leads) < 5_000
    assert "ends early or is damaged" in str(result.errors[-1])


def test_a_truncated_gzip_path(tmp_path):
    """The same for a .gz path, and for a file that is not gzip at all."""
    whole = gz(b"".join(b'{"id": "L-%d"}\n' % i for i in range(5_000))).getvalue()
    path = tmp_path / "leads.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    result = read_leads(path, on_error="collect")
    assert result.leads
    assert "ends early" in str(result.errors[-1])
    path.write_bytes(b'{"id": "L-1"}\n')
    result = read_leads(path, on_error="collect")
    assert "BadGzipFile" in str(result.errors[0])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_files_are_named(encoding):
    """A UTF-16 or UTF-32 file with a BOM is one clear error, not a line per record."""
    data = '\ufeff{"id": "L-1"}\n{"id": "L-2"}\n'.encode(encoding)
    result = load(data, "jsonl")
    assert (ids(result), len(result.errors)) == ([], 1)
    assert "this file is UTF-16; save it as UTF-8" in str(result.errors[0])


def test_a_utf8_bom_is_read():
    """A UTF-8 byte order mark is skipped."""
    result = load(b'\xef\xbb\xbf{"id": "L-1"}\n', "jsonl")
    assert ids(result) == ["L-1"]


def test_a_huge_csv_header_is_refused_quickly():
    """100,000 unknown columns: one short error, at once."""
    header = ",".join(f"x{i}" for i in range(100_000))
    started = time.perf_counter()
    with pytest.raises(RecordError, match=r"at most 4,096 columns") as info:
        load(header + "\n1\n", "csv")
    assert time.perf_counter() - started < 5
    assert len(str(info.value)) < 500


def test_many_unknown_columns_are_summarised():
    """3,000 unknown columns list 50 problems and count the rest."""
    header = ",".join(f"x{i}" for i in range(3_000))
    with pytest.raises(RecordError, match=r"2,950 more problems not listed") as info:
        load(header + "\n1\n", "csv")
    assert len(info.value.problems) == 51


def test_many_unknown_keys_give_a_bounded_report():
    """A record with 100,000 unknown keys: at most 50 problems and a count."""
    record = {"id": "L-1", **{f"k{i}": 1 for i in range(100_000)}}
    result = read_leads([record], on_error="collect")
    assert len(result.errors[0].problems) == 51
    assert len(str(result.errors[0])) < 20_000
    assert "99,950 more problems not listed" in str(result.errors[0])


def test_many_unknown_keys_through_a_mapping_give_a_bounded_report():
    """Through a column mapping too: the first keys get a "did you mean", all are counted."""
    record = {"id": "L-1", "compnay.name": "Acme", **{f"k{i}": 1 for i in range(100_000)}}
    result = read_leads([record], mapping=ColumnMapping(columns={}), on_error="collect")
    (error,) = result.errors
    assert len(error.problems) == 51
    assert "did you mean 'company.name'" in str(error.problems[0])
    assert "99,951 more problems not listed" in str(error)


def test_unknown_keys_past_the_limit_are_counted_not_built():
    """A JSONL record with 100,000 unknown keys in a nested object: bounded, neighbours kept."""
    company = {"name": "Acme", **{f"c{i}": i for i in range(100_000)}}
    lines = [{"id": "L-1"}, {"id": "L-2", "company": company}, {"id": "L-3"}]
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = load(text, "jsonl", limits=ReadLimits(max_line_chars=10**7, max_problems=3))
    assert ids(result) == ["L-1", "L-3"]
    (error,) = result.errors
    assert [p.path for p in error.problems[:3]] == ["company.c0", "company.c1", "company.c2"]
    assert str(error.problems[0]).startswith("lead 2 (id 'L-2'): $.company.c0: expected a known")
    assert error.problems[0].value == 0
    last = error.problems[3]
    assert last.expected == "fewer problems (99,997 more problems not listed)"
    assert last.value == ["company.c3", "company.c4", "company.c5"]


@pytest.mark.parametrize("limit", [1, 5, 50, 150])
def test_the_summary_counts_every_unknown_key(limit):
    """Listed problems, count and names are as if every unknown key had its problem."""
    record = {
        "id": "L-1",
        **{f"k{i}": i for i in range(120)},
        "company": {"employees": -1, **{f"c{i}": i for i in range(70)}},
    }
    every = [f"k{i}" for i in range(120)] + [f"company.c{i}" for i in range(70)]
    every.append("company.employees")
    result = read_leads([record], on_error="collect", limits=ReadLimits(max_problems=limit))
    (error,) = result.errors
    listed = every[:limit]
    assert [p.path for p in error.problems[:-1]] == listed
    assert error.problems[-1].expected == (
        f"fewer problems ({len(every) - limit:,} more problems not listed)"
    )
    assert error.problems[-1].value == every[limit : limit + 3]


def test_a_deep_json_file_is_one_error():
    """A .json file nesting 100,000 deep is one error, not a RecursionError."""
    result = load(DEEP, "json")
    assert "nests too deeply" in str(result.errors[0])


def test_a_json_file_over_the_limit_is_refused():
    """A .json file over ReadLimits.max_json_chars is refused before it is parsed."""
    data = json.dumps([{"id": f"L-{i}"} for i in range(100)])
    result = load(data, "json", limits=ReadLimits(max_json_chars=100))
    assert "ReadLimits.max_json_chars" in str(result.errors[0])


@pytest.mark.parametrize(
    "field", ["max_line_chars", "max_json_chars", "max_columns", "max_problems"]
)
@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_limits_are_whole_numbers(field, bad):
    """Every limit is a whole number >= 1."""
    with pytest.raises(ValueError, match=f"{field} must be a whole number >= 1"):
        ReadLimits(**{field: bad})
