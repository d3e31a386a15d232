"""``funnelkit qualify``: formats, bad records, policies, ``--as-of`` and ``--explain``."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from funnelkit.cli import main
from funnelkit.cli._formats import csv_columns, csv_row, qualification_record, table_section
from funnelkit.io import lead_from_dict
from funnelkit.model import Lead
from funnelkit.qualify import STARTER, Qualification, qualify, weighted_priority
from funnelkit.rules import RuleEvaluationError

AS_OF = "2026-11-01"
READY = {
    "id": "L-1",
    "company": {"name": "Acme", "industry": "software", "employees": 300, "country": "DE"},
    "contact": {"email": "ana@acme.example", "seniority": "vp", "department": "sales"},
    "signals": [
        {"kind": "demo_request", "occurred_at": "2026-10-25T10:00:00+00:00", "explicit": True}
    ],
}
"""An inbound demo request from a company that fits: sales-ready."""
SPARSE = {
    "id": "L-2",
    "company": {"name": "Beta"},
    "signals": [{"kind": "pricing_page_view", "occurred_at": "2026-10-28T10:00:00+00:00"}],
}
"""Interest but no contact and little company data: an inquiry with facts to find out."""
BADGE = {"id": "L-3", "company": {"name": "Gamma", "country": "US"}}
"""A badge scan with no engagement: a list entry, not a lead."""
BAD = {"id": "L-4", "company": {"employees": -3}}


def write_jsonl(path: Path, *records: object) -> str:
    """Write records as JSON Lines; return the path."""
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def leads_file(tmp_path: Path) -> str:
    """Three good leads: sales-ready, sparse, a list entry."""
    return write_jsonl(tmp_path / "leads.jsonl", READY, SPARSE, BADGE)


def expected(record: dict[str, Any]) -> Qualification:
    """The library's qualification of ``record`` with the starter preset."""
    return qualify(lead_from_dict(record), STARTER, as_of=datetime(2026, 11, 1, tzinfo=UTC))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_lists_each_lead_with_stage_and_segment(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table has a row per lead: id, stage label, segment, BANT met, top next fact."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF)
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│ L-" in line}
    assert set(rows) == {"L-1", "L-2", "L-3"}
    assert "Sales-Ready Lead" in rows["L-1"]
    assert "not a lead" in rows["L-3"]
    ready = expected(READY)
    assert f"│ {ready.segment} " in rows["L-1"]
    assert "0/4" in rows["L-1"]
    assert "→ Profiled Lead" in rows["L-2"]


def test_table_is_not_squeezed_when_piped(
    leads_file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Piped, the table takes the width it needs: a next fact is never cut or wrapped."""
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF)
    assert code == 0
    fact = expected(SPARSE).next_facts[0].path
    assert re.search(rf"│ L-2 .*│ {re.escape(fact)} → Profiled Lead", out)


def test_jsonl_writes_one_qualification_dict_per_line(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--format jsonl`` writes ``Qualification.to_dict()`` of each lead, one per line."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", "jsonl")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [
        json.loads(json.dumps(qualification_record(expected(r)))) for r in (READY, SPARSE, BADGE)
    ]


def test_jsonl_record_has_the_documented_keys(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each JSON line names the lead, policy, instant, stage, grades, segment and next facts."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", "jsonl")
    record = json.loads(out.splitlines()[0])
    assert code == 0
    assert record["lead_id"] == "L-1"
    assert record["policy"] == "starter@1"
    assert record["as_of"] == "2026-11-01T00:00:00+00:00"
    assert record["stage"] == "sales_ready"
    assert record["segment"] == record["fit_grade"] + record["engagement_grade"]
    assert record["next_facts"]
    assert "explanation" not in record


def test_csv_has_flat_columns_and_one_row_per_lead(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--format csv`` writes the documented header and each lead's flat values."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "lead_id",
        "stage",
        "fit",
        "fit_grade",
        "engagement",
        "engagement_grade",
        "segment",
        "bant_met",
        "opportunity_met",
        "next_fact",
    ]
    assert [row["lead_id"] for row in rows] == ["L-1", "L-2", "L-3"]
    sparse = expected(SPARSE)
    assert rows[1]["stage"] == "inquiry"
    assert rows[1]["fit"] == str(sparse.fit)
    assert rows[1]["next_fact"] == sparse.next_facts[0].path
    assert rows[2]["stage"] == ""


def test_no_next_facts_leaves_the_next_fact_empty(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--no-next-facts`` qualifies without explaining: the next-fact column is empty."""
    argv = ("qualify", leads_file, "--as-of", AS_OF, "--format", "csv", "--no-next-facts")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["next_fact"] for row in rows] == ["", "", ""]
    assert rows[0]["stage"] == "sales_ready"


def test_bad_records_are_reported_and_good_ones_qualified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad record is named on stderr (line, id, path, value); the others are qualified."""
    path = write_jsonl(tmp_path / "mixed.jsonl", READY, BAD, SPARSE)
    code, out, err = run(capsys, "qualify", path, "--as-of", AS_OF, "--format", "csv")
    assert code == 1
    assert [row["lead_id"] for row in csv.DictReader(io.StringIO(out))] == ["L-1", "L-2"]
    assert re.search(
        r"mixed\.jsonl:2: lead 2 \(id 'L-4'\): \$\.company\.employees: "
        r"expected int >= 0, got -3 \(int\)",
        err,
    )
    assert "2 leads qualified with starter@1 as of 2026-11-01T00:00:00+00:00, 1 bad record" in err


def test_summary_goes_to_stderr(leads_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """With good records only, stdout holds only data and stderr the count; exit 0."""
    code, out, err = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", "jsonl")
    assert code == 0
    assert len(out.splitlines()) == 3
    assert err.endswith(
        "3 leads qualified with starter@1 as of 2026-11-01T00:00:00+00:00, 0 bad records\n"
    )


@pytest.mark.parametrize("preset", ["starter", "demand_waterfall", "bant_gated"])
def test_each_preset_can_be_chosen(
    leads_file: str, capsys: pytest.CaptureFixture[str], preset: str
) -> None:
    """``--policy`` takes each preset's name; results name the policy used."""
    argv = ("qualify", leads_file, "--as-of", AS_OF, "--format", "jsonl", "--policy", preset)
    code, out, _ = run(capsys, *argv, "--no-next-facts")
    assert code == 0
    assert {json.loads(line)["policy"] for line in out.splitlines()} == {f"{preset}@1"}


@pytest.mark.parametrize(
    ("policy", "match"),
    [
        ("startr", r"got 'startr'; did you mean 'starter'\? presets: starter, demand_waterfall"),
        ("waterfall", r"did you mean 'demand_waterfall'\?"),
        ("policy.yaml", r"policy\.yaml: cannot read the policy file: no such file"),
        ("rules/my-policy", r"rules/my-policy: cannot read the policy file"),
        ("policy.toml", r"TOML policy files are not supported; use YAML or JSON"),
    ],
)
def test_unknown_policy_is_a_usage_error(
    leads_file: str, capsys: pytest.CaptureFixture[str], policy: str, match: str
) -> None:
    """An unknown preset gets a "did you mean"; a missing policy file is named (exit 2)."""
    code, out, err = run(capsys, "qualify", leads_file, "--policy", policy)
    assert code == 2
    assert out == ""
    assert re.search(r"argument --policy: .*" + match, err), err


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "01/11/2026", "2026-11-01T25:00"])
def test_bad_as_of_is_a_usage_error(
    leads_file: str, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A bad ``--as-of`` returns 2 and shows what was expected and the value given."""
    code, _, err = run(capsys, "qualify", leads_file, "--as-of", value)
    assert code == 2
    assert "argument --as-of: expected an ISO 8601 date or date-time" in err
    assert f"got {value!r}" in err


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("2026-11-01", "2026-11-01T00:00:00+00:00"),
        ("2026-11-01T09:30", "2026-11-01T09:30:00+00:00"),
        ("2026-11-01T09:30:00Z", "2026-11-01T09:30:00+00:00"),
        ("2026-11-01T09:30+01:00", "2026-11-01T09:30:00+01:00"),
    ],
)
def test_as_of_dates_are_midnight_utc_and_naive_times_utc(
    leads_file: str, capsys: pytest.CaptureFixture[str], value: str, instant: str
) -> None:
    """A date means midnight UTC, a date-time without offset is UTC, an offset is kept."""
    argv = ("qualify", leads_file, "--as-of", value, "--format", "jsonl", "--no-next-facts")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert json.loads(out.splitlines()[0])["as_of"] == instant


def test_without_as_of_the_instant_used_is_printed(
    leads_file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``--as-of`` the command uses today at midnight UTC and says so on stderr."""
    monkeypatch.setattr(
        "funnelkit.cli._qualify.today_utc", lambda: datetime(2026, 11, 1, tzinfo=UTC)
    )
    code, out, err = run(capsys, "qualify", leads_file, "--format", "jsonl")
    assert code == 0
    assert err.startswith(
        "funnelkit qualify: as of 2026-11-01T00:00:00+00:00 (today, midnight UTC; "
        "choose the instant with --as-of)\n"
    )
    assert json.loads(out.splitlines()[0])["as_of"] == "2026-11-01T00:00:00+00:00"


def test_explain_prints_the_qualification_and_the_trace(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--explain ID`` prints ``str(q)`` of that lead, then the trace output by output."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--explain", "L-2")
    assert code == 0
    assert out.startswith(str(expected(SPARSE)) + "\n")
    assert "\nWhy: each output of the policy's rules, as evaluated\n" in out
    assert "\nfit:\n" in out
    assert "\nstage_profiled:\n" in out
    assert "L-1" not in out


def test_explain_lists_every_next_fact(leads_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``--explain`` lists all next facts, not only the first five ``str(q)`` shows."""
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--explain", "L-2")
    assert code == 0
    facts = expected(SPARSE).next_facts
    assert len(facts) > 5
    assert all(f"  find out {fact.path}: " in out for fact in facts)


def test_explain_as_json_includes_the_explanation(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--explain ID --format jsonl`` prints one JSON object with the explanation tree."""
    argv = ("qualify", leads_file, "--as-of", AS_OF, "--explain", "L-1", "--format", "jsonl")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    (line,) = out.splitlines()
    record = json.loads(line)
    assert record["lead_id"] == "L-1"
    assert record["explanation"]["trace"]["children"]


def test_explain_of_an_unknown_id_is_a_usage_error(
    leads_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ``--explain`` id that is not in the file returns 2 and suggests a close one."""
    code, out, err = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--explain", "L-9")
    assert code == 2
    assert out == ""
    assert "no lead has the id 'L-9' in " in err
    assert "(3 records read); did you mean 'L-" in err


def test_explain_of_a_bad_record_says_it_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asked to explain a bad record, the command reports its problem and returns 1."""
    path = write_jsonl(tmp_path / "mixed.jsonl", READY, BAD)
    code, out, err = run(capsys, "qualify", path, "--as-of", AS_OF, "--explain", "L-4")
    assert code == 1
    assert out == ""
    assert "$.company.employees" in err
    assert "lead 'L-4' is a bad record of " in err


def test_csv_input_with_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--input-format`` and ``--mapping`` read a CRM export, as ``validate`` does."""
    data = tmp_path / "export.txt"
    data.write_text("Lead ID,Company\nL-7,Acme\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Lead ID": "id", "Company": "company.name"}))
    argv = ("qualify", str(data), "--input-format", "csv", "--mapping", str(mapping))
    code, out, _ = run(capsys, *argv, "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    assert out.splitlines()[1].startswith("L-7,,")


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["{tmp}/missing.jsonl"], r"cannot read '.*missing\.jsonl': No such file"),
        (["{tmp}/leads.txt"], r"cannot tell the format .*--input-format jsonl\|json\|csv"),
        (["{tmp}/leads.jsonl", "--mapping", "{tmp}/no.json"], r"cannot read mapping file"),
    ],
)
def test_unusable_files_return_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    """A file or mapping that cannot be used returns 2 with a message on stderr."""
    write_jsonl(tmp_path / "leads.jsonl", READY)
    write_jsonl(tmp_path / "leads.txt", READY)
    args = [arg.format(tmp=tmp_path) for arg in argv]
    code, out, err = run(capsys, "qualify", *args, "--as-of", AS_OF)
    assert code == 2
    assert out == ""
    assert re.search(match, err), err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jsonl_and_csv_need_no_rich(
    leads_file: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    """Machine-readable output works without the ``cli`` extra."""
    for name in ("rich", "rich.console", "rich.table", "rich.text"):
        monkeypatch.setitem(sys.modules, name, None)
    code, out, _ = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", fmt)
    assert code == 0
    assert "L-3" in out


def test_table_without_rich_names_the_extra(
    leads_file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table needs rich: without it the command names the extra and returns 2."""
    for name in ("rich", "rich.console", "rich.table", "rich.text"):
        monkeypatch.setitem(sys.modules, name, None)
    code, _, err = run(capsys, "qualify", leads_file, "--as-of", AS_OF)
    assert code == 2
    assert 'pip install "funnelkit[cli]"' in err


def test_a_lead_the_rules_cannot_evaluate_is_reported_and_the_run_goes_on(
    leads_file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule evaluation error counts the lead as bad (exit 1); the other leads are qualified."""
    module = importlib.import_module("funnelkit.qualify")  # funnelkit.qualify is the function
    real = module.qualify

    def failing(lead: Lead, *args: Any, **kwargs: Any) -> Any:
        if lead.id == "L-2":
            raise RuleEvaluationError("cannot compare Money(...) with 3")
        return real(lead, *args, **kwargs)

    monkeypatch.setattr(module, "qualify", failing)
    code, out, err = run(capsys, "qualify", leads_file, "--as-of", AS_OF, "--format", "csv")
    assert code == 1
    assert [row["lead_id"] for row in csv.DictReader(io.StringIO(out))] == ["L-1", "L-3"]
    assert "leads.jsonl: lead 'L-2': cannot be qualified: cannot compare Money(...) with 3" in err
    assert "2 leads qualified with starter@1" in err
    assert err.endswith(", 1 bad record\n")


def test_a_policy_with_a_priority_adds_priority_columns() -> None:
    """CSV gets priority and priority_grade after the segment; the table a priority column."""
    policy = attrs.evolve(STARTER, fit=55, priority=weighted_priority(fit=1, engagement=0))
    columns = csv_columns(policy)
    assert columns[columns.index("segment") + 1 : columns.index("segment") + 3] == (
        "priority",
        "priority_grade",
    )
    assert "priority" not in csv_columns(STARTER)
    q = qualify(Lead(id="L-1"), policy, as_of=datetime(2026, 5, 1, tzinfo=UTC))
    row = dict(zip(columns, csv_row(q, columns), strict=True))
    assert (row["priority"], row["priority_grade"]) == (55, "warm")
    section = table_section([q], policy)
    assert section.rows[0][section.columns.index("priority")] == "55 (warm)"


def test_leads_with_a_stage_the_funnel_lacks_are_counted_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """qualify says how many leads keep a stage the policy's funnel does not have."""
    nurtured = {
        "id": "L-7",
        "stage_history": [{"at": "2026-05-01T00:00:00+00:00", "to_stage": "nurture"}],
    }
    path = write_jsonl(tmp_path / "leads.jsonl", READY, nurtured)
    code, _, err = run(
        capsys, "qualify", path, "--as-of", AS_OF, "--policy", "demand_waterfall", "--format", "csv"
    )
    assert code == 0
    assert err.splitlines()[-1] == (
        "funnelkit qualify: 1 lead has a stage the demand_waterfall funnel does not have "
        "(nurture 1): rules do not move them; place such stages with the policy's stage_map"
    )


def test_mapping_warnings_are_reported_as_validate_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --mapping, cells a lenient column left missing are warned about and counted."""
    data = tmp_path / "export.csv"
    data.write_text("Id,Size\nL-1,lots\nL-2,5\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {"columns": {"Id": "id", "Size": {"to": "company.employees", "on_error": "missing"}}}
        )
    )
    code, out, err = run(
        capsys, "qualify", str(data), "--mapping", str(mapping), "--as-of", AS_OF, "--format", "csv"
    )
    assert code == 0
    assert [row["lead_id"] for row in csv.DictReader(io.StringIO(out))] == ["L-1", "L-2"]
    assert re.search(r"export\.csv:2: .*company\.employees: .*left missing\), got 'lots'", err)
    assert "(str) [warning]" in err
    assert err.endswith("0 bad records, 1 with cells left missing\n")
