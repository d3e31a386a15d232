"""The columnar engines' CSV writer gives write_csv_rows' bytes for any table of results."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.cli._csvframe import write_csv_frame
from funnelkit.cli._formats import csv_columns, write_csv_rows
from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.qualify import STARTER, WATERFALL, Policy

pl = pytest.importorskip("polars")

# mostly text polars writes (commas, quotes, spaces, non-ASCII), sometimes anything
_TEXT = st.text(st.sampled_from('ab ,"-üß'), max_size=8) | st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(',"\n\r\t '),
    max_size=8,
)
_SCORES = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)


def _by_rows(frame: Any, policy: Policy) -> str:
    out = io.StringIO()
    present = [c for c in csv_columns(policy) if c in frame.columns]
    write_csv_rows(frame.select(present).iter_rows(named=True), policy, out)
    return out.getvalue()


def _by_columns(frame: Any, policy: Policy) -> str:
    out = io.StringIO()
    count = write_csv_frame(frame, policy, out)
    assert count == frame.height
    return out.getvalue()


@st.composite
def _results(draw: st.DrawFn) -> Any:
    n = draw(st.integers(0, 6))
    text = st.lists(st.none() | _TEXT, min_size=n, max_size=n)
    scores = st.lists(st.none() | _SCORES, min_size=n, max_size=n)
    counts = st.lists(st.none() | st.integers(-5, 5), min_size=n, max_size=n)
    columns = {
        "lead_id": pl.Series(draw(text), dtype=pl.String),
        "stage": pl.Series(draw(text), dtype=pl.String),
        "fit": pl.Series(draw(scores), dtype=pl.Decimal(38, 4)),
        "fit_grade": pl.Series(draw(text), dtype=pl.String),
        "engagement": pl.Series(draw(scores), dtype=pl.Decimal(38, 4)),
        "engagement_grade": pl.Series(draw(text), dtype=pl.String),
        "segment": pl.Series(draw(text), dtype=pl.String),
        "bant_met": pl.Series(draw(counts), dtype=pl.Int64),
        "opportunity_met": pl.Series(draw(counts), dtype=pl.Int64),
    }
    dropped = draw(st.lists(st.sampled_from(sorted(columns)), unique=True, max_size=2))
    return pl.DataFrame({k: v for k, v in columns.items() if k not in dropped})


@examples(100)
@given(_results(), st.sampled_from([STARTER, WATERFALL]))
def test_any_table_is_written_as_the_rows_writer_writes_it(frame: Any, policy: Policy) -> None:
    """Text with commas, quotes, line breaks, controls; whole and exact scores; gaps."""
    assert _by_columns(frame, policy) == _by_rows(frame, policy)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (Decimal("17.0000"), "17"),
        (Decimal("-0.0000"), "0"),
        (Decimal("-3.0000"), "-3"),
        (Decimal("9.2050"), "9.2050"),
        (Decimal("-0.5000"), "-0.5000"),
    ],
)
def test_scores_are_whole_numbers_or_exact_decimals(value: Decimal, cell: str) -> None:
    frame = pl.DataFrame({"lead_id": ["L-1"], "fit": pl.Series([value], dtype=pl.Decimal(38, 4))})
    text = _by_columns(frame, STARTER)
    assert text.splitlines()[1].split(",")[2] == cell
    assert text == _by_rows(frame, STARTER)


def test_the_demo_through_duckdb_is_written_alike() -> None:
    pytest.importorskip("duckdb")
    from funnelkit.io import leads_to_tables
    from funnelkit.qualify import qualify_table

    tables = leads_to_tables(load_demo()[:500])
    frame = qualify_table(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
    assert _by_columns(frame, STARTER) == _by_rows(frame, STARTER)


def test_plain_text_is_written_by_polars(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commas, quotes and spaces do not send a table row by row; a control character does."""
    import funnelkit.cli._csvframe as module

    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        return write_csv_rows(*args, **kwargs)

    monkeypatch.setattr(module, "write_csv_rows", counted)
    frame = pl.DataFrame({"lead_id": ["a,b", 'say "hi"', " x ", "", None]})
    assert _by_columns(frame, STARTER) == _by_rows(frame, STARTER)
    assert not calls
    frame = pl.DataFrame({"lead_id": ["L-\x1b]0;title\x07"]})
    assert _by_columns(frame, STARTER) == _by_rows(frame, STARTER)
    assert calls


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_standard_output_gets_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """polars writes UTF-8 lines straight to standard output's bytes, after the header;
    another encoding gets text, encoded by the stream. Either way: the rows' bytes."""
    frame = pl.DataFrame(
        {"lead_id": ["L-1", 'Zoë, "Z"'], "fit": [Decimal("2.5000"), None]},
        schema={"lead_id": pl.String, "fit": pl.Decimal(38, 4)},
    )
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding=encoding, write_through=False)
    monkeypatch.setattr("sys.stdout", stdout)
    assert write_csv_frame(frame, STARTER, sys.stdout) == 2
    stdout.flush()
    assert raw.getvalue() == _by_rows(frame, STARTER).encode(encoding)
