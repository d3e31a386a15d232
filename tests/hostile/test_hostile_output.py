"""Results written as JSON Lines or CSV carry no raw control, bidi or invisible characters."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelkit.cli import main
from funnelkit.cli._escape import json_line, printable

AS_OF = "2026-05-01"
# C1 controls (CSI, NEL), ESC, DEL, bidi overrides and isolates, invisible characters
NASTY = ["\x9b31m", "\x85", "\x1b]0;pwned\x07", "\x7f", "\u202eevil", "\u2066", "\u200b", "\ufeff"]
UNSAFE = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\n"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e")
    + list("\u2066\u2067\u2068\u2069\ufeff")
)


def raw(text: str) -> set[str]:
    return {c for c in text if c in UNSAFE or "\ud800" <= c <= "\udfff"}


def qualify(tmp_path, capsys, fmt: str, lead_id: str) -> str:
    leads = tmp_path / "leads.jsonl"
    leads.write_text(json.dumps({"id": lead_id}) + "\n", encoding="utf-8")
    code = main(["qualify", str(leads), "--as-of", AS_OF, "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert not raw(err), repr(err)
    return out


@pytest.mark.parametrize("nasty", NASTY)
def test_jsonl_escapes_them_and_keeps_the_exact_id(tmp_path, capsys, nasty):
    """qualify --format jsonl writes them as \\u escapes; the id reads back exactly."""
    lead_id = f"L-é-{nasty}"
    out = qualify(tmp_path, capsys, "jsonl", lead_id)
    assert not raw(out.rstrip("\n")), repr(out)
    assert "é" in out  # other non-ASCII text is written as it is
    (line,) = out.splitlines()
    assert json.loads(line)["lead_id"] == lead_id


@pytest.mark.parametrize("nasty", NASTY)
def test_csv_shows_them_escaped_like_the_table(tmp_path, capsys, nasty):
    """qualify --format csv writes them as \\x1b or \\u202e escapes, one row per lead."""
    lead_id = f"L-é-{nasty}"
    out = qualify(tmp_path, capsys, "csv", lead_id)
    assert not raw(out.replace("\n", "")), repr(out)
    header, row = list(csv.reader(io.StringIO(out)))
    assert row[header.index("lead_id")] == printable(lead_id)
    assert row[header.index("lead_id")].startswith("L-é-\\")


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_csv_writes_formula_like_ids_as_they_are(tmp_path, capsys, formula):
    """A cell starting with =, +, - or @ is data and is written unchanged (documented)."""
    out = qualify(tmp_path, capsys, "csv", formula)
    header, row = list(csv.reader(io.StringIO(out)))
    assert row[header.index("lead_id")] == formula


@given(st.recursive(st.text(), lambda kids: st.lists(kids, max_size=3), max_leaves=5))
def test_json_line_is_lossless_and_printable(value):
    """json_line of any text reads back equal and holds no unsafe character raw."""
    line = json_line(value)
    assert json.loads(line) == value
    assert not raw(line)


@given(st.text())
def test_printable_leaves_nothing_unsafe_but_line_breaks_and_tabs(text):
    """printable (the CSV cells' escape) leaves no control, bidi or surrogate raw."""
    assert raw(printable(text)) <= {"\t"}


def test_an_indented_json_file_escapes_as_a_line_does() -> None:
    """``json_line(indent=2)`` (mapping suggest's JSON file): escapes, layout kept."""
    value = {"columns": {"\u202eEmail\x85": "contact.email"}}
    text = json_line(value, indent=2)
    assert "\u202e" not in text
    assert "\x85" not in text
    assert "\\u202eEmail\\u0085" in text
    assert text.count("\n") == 4
    assert json.loads(text) == value
