"""Custom attributes of declared types (a policy's custom_attributes), converted at load."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from funnelkit.cli import main
from funnelkit.io import read_leads

TYPES = {"seats": "integer", "score": "number", "vip": "boolean", "since": "date", "tier": "text"}


def test_declared_custom_values_are_converted():
    """CSV text becomes the declared type: integer, number, boolean, date; text stays."""
    text = "id,custom.seats,custom.score,custom.vip,custom.since,custom.tier\n"
    text += "L-1,42,0.5,Yes,2026-05-01,7\n"
    (lead,) = read_leads(io.StringIO(text), format="csv", custom_types=TYPES).leads
    assert dict(lead.custom) == {
        "seats": 42,
        "score": 0.5,
        "vip": True,
        "since": date(2026, 5, 1),
        "tier": "7",
    }


def test_a_value_that_is_not_of_the_declared_type_makes_a_bad_record():
    """The error names the record, custom.<name> and the value; other records load."""
    text = "id,custom.seats\nL-1,42\nL-2,many\n"
    result = read_leads(io.StringIO(text), format="csv", custom_types=TYPES, on_error="collect")
    assert [lead.id for lead in result.leads] == ["L-1"]
    (error,) = result.errors
    assert str(error) == (
        "lead 2 (id 'L-2'): $.custom.seats: expected an integer, written with digits only, "
        "got 'many' (str)"
    )


def test_records_given_in_python_are_not_changed():
    """The caller's dicts keep their values; the lead has the converted one."""
    record = {"id": "L-1", "custom": {"seats": "12", "other": "x"}}
    (lead,) = read_leads([record], custom_types={"seats": "integer"}).leads
    assert lead.custom == {"seats": 12, "other": "x"}
    assert record["custom"]["seats"] == "12"


def test_without_custom_types_values_stay_as_given():
    """The default is unchanged: CSV custom cells are text."""
    (lead,) = read_leads(io.StringIO("id,custom.seats\nL-1,42\n"), format="csv").leads
    assert lead.custom["seats"] == "42"


def test_an_unknown_type_is_refused():
    """custom_types takes the five column types only."""
    with pytest.raises(ValueError, match=r"custom_types\['seats'\] must be one of text, "):
        read_leads([{"id": "L-1"}], custom_types={"seats": "int"})


def test_qualify_converts_what_the_policy_declares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """qualify --policy reads declared numbers from CSV text; a bad one is a bad record."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nmetadata: {name: seats}\ncustom_attributes: {seats: integer}\n"
        "stages:\n  profiled: custom.seats >= 10\n",
        encoding="utf-8",
    )
    data = tmp_path / "leads.csv"
    data.write_text("id,custom.seats\nL-1,42\nL-2,many\n", encoding="utf-8")
    argv = ["qualify", str(data), "--policy", str(policy), "--as-of", "2026-11-01"]
    code = main(["--no-color", *argv, "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[1].startswith("L-1,profiled,")
    assert "$.custom.seats: expected an integer, written with digits only, got 'many'" in err
    assert "TypeError" not in err
