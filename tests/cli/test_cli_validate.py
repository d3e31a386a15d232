"""``funnelkit validate``: every bad record is reported with where, what and why."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from funnelkit.cli import main
from funnelkit.data import demo_path

GOOD = {"id": "L-1", "company": {"name": "Acme", "employees": 120, "country": "DE"}}


def write_jsonl(path: Path, *records: object) -> str:
    """Write records (or raw lines, for strings) as JSON Lines; return the path."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def colour_codes(text: str) -> list[str]:
    """The SGR colour parameters (30-49, 90-107) in ``text``."""
    params = [p for seq in re.findall(r"\x1b\[([\d;]*)m", text) for p in seq.split(";") if p]
    return [p for p in params if 30 <= int(p) <= 49 or 90 <= int(p) <= 107]


def test_good_file_returns_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file of good records returns 0 and says how many it read."""
    path = write_jsonl(tmp_path / "good.jsonl", GOOD, {"id": "L-2"})
    assert main(["validate", path]) == 0
    assert capsys.readouterr().out == "2 records, 0 bad\n"


def test_bundled_demo_file_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled demo file validates."""
    assert main(["validate", str(demo_path())]) == 0
    assert capsys.readouterr().out.endswith("2500 records, 0 bad\n")


@pytest.mark.parametrize(
    ("record", "match"),
    [
        (
            {"id": "L-2", "company": {"employees": -3}},
            r"bad\.jsonl:2: lead 2 \(id 'L-2'\): \$\.company\.employees: "
            r"expected int >= 0, got -3 \(int\)",
        ),
        (
            {"id": "L-2", "company": {"country": "Germany"}},
            r"lead 2 \(id 'L-2'\): \$\.company\.country: expected .*country code.*"
            r"got 'Germany' \(str\)",
        ),
        (
            {"id": "L-2", "contact": {"seniority": "boss"}},
            r"lead 2 \(id 'L-2'\): \$\.contact\.seniority: expected one of .*'vp'.*got 'boss'",
        ),
        (
            {"id": "L-2", "signals": [{"kind": "x", "occurred_at": "2026-05-01T10:00:00"}]},
            r"lead 2 \(id 'L-2'\): \$\.signals\[0\]\.occurred_at: .*got '2026-05-01T10:00:00'",
        ),
        ("{not json", r"bad\.jsonl:2: lead 2: \$: expected a JSON object on line 2"),
    ],
)
def test_bad_record_is_named_with_number_id_path_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record: object, match: str
) -> None:
    """A bad record returns 1; its line names the record number, id, path and value."""
    path = write_jsonl(tmp_path / "bad.jsonl", GOOD, record)
    assert main(["validate", path]) == 1
    out = capsys.readouterr().out
    assert re.search(match, out), out
    assert out.endswith("2 records, 1 bad\n")


def test_every_bad_record_and_problem_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Collect mode: all problems of all bad records are listed, good ones are not."""
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        {"id": "L-1", "contact": {"seniority": "boss", "email": "nope"}},
        GOOD,
        {"id": "L-3", "company": {"employees": -1}},
    )
    assert main(["validate", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[2] for line in lines[:-1]] == [
        "$.contact.email",
        "$.contact.seniority",
        "$.company.employees",
    ]
    assert lines[-1] == "3 records, 2 bad"


def test_csv_rows_are_located_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In a CSV file the line counts the header, the record number does not."""
    path = tmp_path / "leads.csv"
    path.write_text("id,company.employees\nL-1,120\nL-2,-3\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert "leads.csv:3: lead 2 (id 'L-2'): $.company.employees" in capsys.readouterr().out


def test_format_option_overrides_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--format`` reads a file whose name does not tell its format."""
    path = write_jsonl(tmp_path / "leads.txt", GOOD)
    assert main(["validate", path, "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == "1 record, 0 bad\n"


def test_mapping_file_maps_foreign_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--mapping`` turns a CRM export's columns into lead fields."""
    data = tmp_path / "export.csv"
    data.write_text("Lead ID,# Employees\nL-1,120\nL-2,-5\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Lead ID": "id", "# Employees": "company.employees"}))
    assert main(["validate", str(data), "--mapping", str(mapping)]) == 1
    out = capsys.readouterr().out
    assert "lead 2 (id 'L-2'): $.company.employees" in out
    assert out.endswith("2 records, 1 bad\n")


def test_unknown_csv_columns_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header with foreign columns and no mapping is bad input (exit 1)."""
    data = tmp_path / "export.csv"
    data.write_text("Company Name\nAcme\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    assert "did you mean 'company.name'?" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["validate", "{tmp}/missing.jsonl"], r"cannot read '.*missing\.jsonl': No such file"),
        (["validate", "{tmp}/leads.txt"], r"cannot tell the format .*--format jsonl\|json\|csv"),
        (["validate", "{tmp}"], r"cannot tell the format"),
        (
            ["validate", "{tmp}/good.jsonl", "--mapping", "{tmp}/missing.json"],
            r"cannot read mapping file '.*missing\.json': No such file",
        ),
        (
            ["validate", "{tmp}/good.jsonl", "--mapping", "{tmp}/good.jsonl"],
            r"bad mapping file .*must end in \.json, \.yaml or \.yml",
        ),
        (
            ["validate", "{tmp}/good.jsonl", "--mapping", "{tmp}/bad.json"],
            r"bad mapping file .*did you mean 'company\.employees'.*got 'company\.employes'",
        ),
    ],
)
def test_unusable_files_return_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    """A file or mapping that cannot be used returns 2 with a message on stderr."""
    write_jsonl(tmp_path / "good.jsonl", GOOD)
    write_jsonl(tmp_path / "leads.txt", GOOD)
    (tmp_path / "bad.json").write_text(json.dumps({"# Employees": "company.employes"}))
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(match, captured.err), captured.err


def test_summary_is_coloured_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a (forced) terminal the summary line has colour."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["validate", write_jsonl(tmp_path / "good.jsonl", GOOD)]) == 0
    assert colour_codes(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--no-color", "validate"], {}),
        (["validate", "--no-color"], {}),
        (["validate"], {"NO_COLOR": "1"}),
    ],
)
def test_colour_can_be_turned_off(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
) -> None:
    """``--no-color`` (either side of the command) and ``NO_COLOR`` turn colour off."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([*argv, write_jsonl(tmp_path / "good.jsonl", GOOD)]) == 0
    assert colour_codes(capsys.readouterr().out) == []


def test_output_has_no_escape_codes_when_piped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Output that is not a terminal is plain text."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    path = write_jsonl(tmp_path / "bad.jsonl", {"id": "L-1", "company": {"employees": -3}})
    assert main(["validate", path]) == 1
    assert "\x1b[" not in capsys.readouterr().out


def test_markup_in_data_is_printed_as_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Values that look like rich markup are shown literally."""
    path = write_jsonl(
        tmp_path / "bad.jsonl", {"id": "[bold]x[/bold]", "company": {"employees": -1}}
    )
    assert main(["validate", path]) == 1
    assert "(id '[bold]x[/bold]')" in capsys.readouterr().out


NURTURED = {
    "id": "L-7",
    "stage_history": [{"at": "2026-05-01T00:00:00+00:00", "to_stage": "nurture"}],
}
PROFILED = {
    "id": "L-8",
    "stage_history": [{"at": "2026-05-01T00:00:00+00:00", "to_stage": "profiled"}],
}


def test_a_policy_reports_stages_its_funnel_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --policy, a lead whose stage the funnel lacks and the map skips is reported: exit 1."""
    path = write_jsonl(tmp_path / "leads.jsonl", GOOD, NURTURED, PROFILED)
    assert main(["validate", path, "--policy", "demand_waterfall"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{path}: lead 'L-7': stage 'nurture' is not a stage of the demand_waterfall funnel "
        "and demand_waterfall@1 maps it nowhere (stage_map): rules would not move it",
        "3 records, 0 bad, 1 with a stage the demand_waterfall funnel does not have",
    ]
    assert main(["validate", path, "--policy", "starter"]) == 0
    assert capsys.readouterr().out.endswith(
        "3 records, 0 bad, 0 with a stage the starter funnel does not have\n"
    )
