"""read_tables' CSV reading: polars' reader where it splits as the csv module does, else csv."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from tests._profiles import examples
from tests.io.test_tables_properties import CELLS, MAPPING, exports

from funnelkit.errors import RecordError
from funnelkit.io import ColumnMapping, SignalColumn, read_leads, read_tables
from funnelkit.io._tablecsv import PY_WHITESPACE, read_csv_frame, read_csv_rows, simple_csv
from funnelkit.io._tablevalues import series_of

PLAIN = ColumnMapping({})


def by_csv_module(text: str) -> pl.DataFrame | Exception:
    """What the csv module's reading gives for ``text`` (or the error it raises)."""
    try:
        return read_csv_rows(io.StringIO(text, newline=""), PLAIN, pl)
    except Exception as err:
        return err


def by_read_tables(text: str, tmp_path) -> pl.DataFrame | Exception:
    """What read_tables' CSV reading gives for ``text`` as a file (or the error it raises)."""
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        return read_csv_frame(path, PLAIN, pl)
    except Exception as err:
        return err


def assert_same(got, want):
    """The same frame, or the same error."""
    if isinstance(want, Exception):
        assert isinstance(got, Exception), got
        assert (type(got), str(got)) == (type(want), str(want))
    else:
        assert not isinstance(got, Exception), got
        assert_frame_equal(got, want)


def test_the_whitespace_is_what_str_strip_removes():
    """PY_WHITESPACE holds exactly the characters str.isspace() accepts."""
    import sys

    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(PY_WHITESPACE) == spaces


CELL_TEXT = st.lists(
    st.sampled_from(["a", "B", " ", ",", '"', "\n", "\r\n", "\u00a0", "\x1c", "é", "1"]),
    max_size=6,
).map("".join)


@st.composite
def csv_files(draw):
    """Well-formed CSV text as the csv module writes it, with blank and spaced rows."""
    width = draw(st.integers(min_value=1, max_value=4))
    header = draw(st.lists(CELL_TEXT, min_size=width, max_size=width, unique=True))
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=width, max_size=width), max_size=6))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=quoting, lineterminator=ending)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if draw(st.booleans()):
            out.write(draw(st.sampled_from(["", " ", " ," * (width - 1), "\u00a0"])) + ending)
    text = out.getvalue()
    return text if draw(st.booleans()) else text.removesuffix(ending)


@examples(100)
@given(csv_files())
def test_a_well_formed_file_is_read_by_polars_as_the_csv_module_reads_it(text):
    """Quoted commas, quotes and line breaks, blank rows: same cells, and polars reads it."""
    want = by_csv_module(text)
    fast = simple_csv(text.encode("utf-8"), PLAIN, pl)
    if isinstance(want, pl.DataFrame) and text.strip():
        first = next(csv.reader(io.StringIO(text, newline="")))
        if first and all(
            len(r) in (0, len(first)) for r in csv.reader(io.StringIO(text, newline=""))
        ):
            assert fast is not None  # the fast path is taken, not only safe
    if fast is not None:
        assert_same(fast, want)


@examples(150)
@given(text=st.text(alphabet=st.sampled_from('ab ,"\n\r\u00a0\x00'), max_size=30))
def test_any_text_is_read_as_the_csv_module_reads_it(text, tmp_path_factory):
    """Ragged rows, stray quotes, lone carriage returns: the same frame or the same error."""
    tmp_path = tmp_path_factory.mktemp("csv")
    assert_same(by_read_tables(text, tmp_path), by_csv_module(text))


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2,3\n",  # too many cells
        "a,b\n1\n",  # too few
        "a,b\n1,2,3\n4\n",  # one too many, one too few: as many commas in all
        "a,b\n4\n\n1,2,3\n",  # the same, with an empty line
        'a,b\n1,"x"y\n',  # text after a closing quote
        'a,b\n1,x"y"\n',  # a quote inside a cell
        "a,b\r1,2\r",  # lone carriage returns end lines for the csv module
        'a,b\n1, "2"\n',  # a space before a quote
        "a,a\n1,2\n",  # a repeated name, kept with unmapped="error"
        "",
        "\n\na,b\n",
    ],
)
def test_files_polars_would_split_otherwise_go_to_the_csv_module(text, tmp_path):
    """None of these is read by polars; each gives what the csv module gives."""
    assert simple_csv(text.encode("utf-8"), PLAIN, pl) is None
    assert_same(by_read_tables(text, tmp_path), by_csv_module(text))


def test_a_byte_order_mark_is_dropped_from_a_file_and_kept_from_an_open_text(tmp_path):
    """A file is read as utf-8-sig; an open text file is read as it is."""
    text = "\ufeffid,company.name\nL-1,Acme\n"
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_csv_frame(path, PLAIN, pl).columns == ["id", "company.name"]
    assert read_csv_frame(io.StringIO(text), PLAIN, pl).columns == ["\ufeffid", "company.name"]


def test_a_cell_over_the_field_limit_is_the_csv_module_s_error(tmp_path):
    """The csv module's field limit still applies (its error, not a polars frame)."""
    limit = csv.field_size_limit()
    text = "a,b\n1," + "x" * (limit + 1) + "\n"
    assert_same(by_read_tables(text, tmp_path), by_csv_module(text))
    assert isinstance(by_csv_module(text), csv.Error)


def test_bytes_that_are_not_utf8_raise_as_before(tmp_path):
    """A latin-1 file raises the decoding error the csv module's reading raises."""
    path = tmp_path / "latin.csv"
    path.write_bytes("id,company.name\nL-1,Société\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        read_tables(path)


def test_a_ragged_row_is_a_record_error(tmp_path):
    """A row with a cell too few is reported as before (the csv module's reading)."""
    path = tmp_path / "ragged.csv"
    path.write_text("id,company.name\nL-1,Acme\nL-2\n", encoding="utf-8")
    with pytest.raises(RecordError, match="2 cells, one per header column"):
        read_tables(path)


@examples(30)
@given(columns=exports(), ending=st.sampled_from(["\n", "\r\n"]))
def test_a_csv_file_gives_the_tables_its_frame_gives(columns, ending, tmp_path_factory):
    """The random exports, written to CSV: read_tables on the file agrees with read_leads."""
    path = tmp_path_factory.mktemp("export") / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator=ending)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    tables = read_tables(path, mapping=MAPPING, on_error="collect")
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    framed = read_tables(frame, mapping=MAPPING, on_error="collect")
    blank = [all(not c.strip() for c in row) for row in zip(*columns.values(), strict=True)]
    if not any(blank):  # the frame keeps blank rows, the file drops them
        assert_frame_equal(tables.leads, framed.leads)
        assert_frame_equal(tables.signals, framed.signals)
    result = read_leads(path, mapping=MAPPING, on_error="collect")
    assert [str(e) for e in tables.errors] == [str(e) for e in result.errors]
    assert [str(w) for w in tables.warnings] == [str(w) for w in result.warnings]
    assert tables.leads["id"].to_list() == [lead.id for lead in result.leads]
    assert set(CELLS) <= set(columns)


def test_a_file_of_blank_rows_gives_empty_tables():
    """No row left after the blank ones: empty tables (a signal column failed here once)."""
    mapping = ColumnMapping({"V": SignalColumn("count", kind="v")}, signals_at="2026-05-01")
    tables = read_tables(io.StringIO("id,V\n,\n \n"), mapping=mapping)
    assert (tables.leads.height, tables.signals.height) == (0, 0)


VALUES = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: len(d.as_tuple().digits) - d.as_tuple().exponent <= 36 and d.adjusted() < 30
    ),
    st.text(max_size=3),
    st.integers(-5, 5),
)


@given(st.lists(VALUES, max_size=8))
def test_a_column_of_values_is_the_series_polars_infers(values):
    """series_of gives pl.Series(values, strict=False): same type, same values."""
    want = pl.Series(values, strict=False)
    got = series_of(values, pl)
    assert got.dtype == want.dtype
    assert got.to_list() == want.to_list()


def test_a_large_file_reads_the_same_on_threads(tmp_path, monkeypatch):
    """A file read on threads (its shape checked while polars parses it, its columns side
    by side) gives the tables, errors and warnings of one thread (the sizes from which
    threads start are lowered to this file's)."""
    import random

    draw = random.Random(11)
    header = list(CELLS)

    def cell(name: str) -> str:  # a good cell mostly, now and then any from the pool
        return draw.choice(CELLS[name] if draw.random() < 0.005 else CELLS[name][:2])

    rows = [[f"L-{i}", *(cell(name) for name in header)] for i in range(3_000)]
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", *header])
        writer.writerows(rows)
    monkeypatch.setattr("funnelkit.io._tables._THREADED_ROWS", 1_000)
    monkeypatch.setattr("funnelkit.io._tablecsv._THREADED_BYTES", 10_000)
    threaded = read_tables(path, mapping=MAPPING, on_error="collect")
    monkeypatch.setattr("funnelkit.io._tables._THREADED_ROWS", 10**9)
    monkeypatch.setattr("funnelkit.io._tablecsv._THREADED_BYTES", 10**12)
    alone = read_tables(path, mapping=MAPPING, on_error="collect")
    assert_frame_equal(threaded.leads, alone.leads)
    assert_frame_equal(threaded.signals, alone.signals)
    assert [str(e) for e in threaded.errors] == [str(e) for e in alone.errors]
    assert [str(w) for w in threaded.warnings] == [str(w) for w in alone.warnings]
    assert threaded.errors  # the pools hold bad cells too
