"""Tables: plain values that print, show as HTML and become frames."""

from __future__ import annotations

import pytest

from funnelkit.analytics import Table, as_rows
from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.io import qualification_row
from funnelkit.qualify import STARTER, qualify

TABLE = Table(
    title="T",
    columns=("name", "n", "rate"),
    rows=(("a", 1200, 0.5), ("b <x>", 3, None)),
    percent=frozenset({"rate"}),
    caption="a caption",
)


def test_text_shows_counts_shares_and_missing_values() -> None:
    """Counts get separators, shares a percent sign, missing values a dash."""
    assert TABLE.texts() == (("a", "1,200", "50.0%"), ("b <x>", "3", "-"))
    assert str(TABLE).splitlines() == [
        "T",
        "name       n   rate",
        "a      1,200  50.0%",
        "b <x>      3      -",
        "a caption",
    ]


def test_a_row_of_the_wrong_length_is_refused() -> None:
    """Every row has one value per column; the message names the table and the row."""
    with pytest.raises(ValueError, match=r"table 'T': row 0: expected 2 values .*got 1"):
        Table(title="T", columns=("a", "b"), rows=(("x",),))


def test_column_names_a_missing_column() -> None:
    """Asking for an unknown column names it and the table."""
    with pytest.raises(KeyError, match="table 'T' has no column 'nope'"):
        TABLE.column("nope")


def test_html_escapes_the_cells() -> None:
    """The notebook view escapes text and keeps every cell."""
    html = TABLE._repr_html_()
    assert "b &lt;x&gt;" in html
    assert "<th>rate</th>" in html
    assert "a caption" in html


def test_to_dicts_and_to_polars_keep_the_values() -> None:
    """Rows and frames hold the raw values: shares stay floats."""
    assert TABLE.to_dicts()[0] == {"name": "a", "n": 1200, "rate": 0.5}
    frame = TABLE.to_polars()
    assert frame.columns == ["name", "n", "rate"]
    assert frame["rate"].to_list() == [0.5, None]


def test_as_rows_reads_qualifications_dicts_and_frames() -> None:
    """A Qualification, its row dict and a polars frame of it read the same."""
    from funnelkit.io import qualifications_frame

    q = qualify(load_demo()[0], STARTER, as_of=DEMO_AS_OF, explain=False)
    from_q = as_rows([q])[0]
    assert from_q == qualification_row(q)
    assert as_rows([from_q])[0] is from_q
    assert as_rows(qualifications_frame([q]))[0]["stage"] == from_q["stage"]


def test_as_rows_refuses_other_rows() -> None:
    """A row that is neither a mapping nor a Qualification names its index and value."""
    with pytest.raises(
        TypeError, match=r"row 1: expected a mapping or a Qualification, got 3 \(int\)"
    ):
        as_rows([{}, 3])
