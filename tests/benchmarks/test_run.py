import json
import sys
from datetime import datetime
from pathlib import Path

import _loading
import _memory
import pytest
import run
from _leads import make_leads

from funnelkit.model import Lead

KEYS = {"engine", "rows", "rows_per_s", "ratio_vs_handwritten", "outputs_match"}


def always_inquiry(as_of: datetime) -> run.Engine:
    return lambda lead: (0, 0, 0, "inquiry")


def crashing(as_of: datetime) -> run.Engine:
    def engine(lead: Lead) -> run.Outputs:
        raise RuntimeError("boom")

    return engine


def test_smoke_run_writes_json(tmp_path: Path) -> None:
    """A small run exits 0 and writes one matching record per engine, hand-written first."""
    out = tmp_path / "bench.json"
    assert run.main(["--rows", "200", "--json", str(out)]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    memory = [r for r in records if r["engine"] == "qualify-memory"]
    tables = [r for r in records if "ratio_vs_plan" in r]
    records = [r for r in records if not r["engine"].startswith(("load-", "qualify-memory"))]
    records = [r for r in records if "ratio_vs_plan" not in r]
    assert all(set(record) == KEYS for record in records)
    engines = ["polars-handwritten", "polars", "polars-lazy", "duckdb-handwritten", "duckdb"]
    assert [r["engine"] for r in tables] == engines
    assert all(r["outputs_match"] and r["ratio_vs_handwritten"] > 0 for r in tables)
    assert len(memory) == 1
    assert memory[0]["rows"] == 200
    assert memory[0]["kib_per_qualification_explained"] > 0
    assert records[0]["engine"] == "handwritten"
    assert records[0]["ratio_vs_handwritten"] == 1.0
    assert all(record["rows"] == 200 and record["outputs_match"] for record in records)
    assert all(record["rows_per_s"] > 0 for record in records)


def test_loader_rows_compare_with_json_loads(tmp_path: Path) -> None:
    """The run ends with load-jsonl and load-csv rows: ratio to json.loads, leads equal."""
    out = tmp_path / "bench.json"
    assert run.main(["--rows", "60", "--repeat", "1", "--json", str(out)]) == 0
    loads = [r for r in json.loads(out.read_text(encoding="utf-8")) if "ratio_vs_json_loads" in r]
    assert [r["engine"] for r in loads] == ["load-jsonl", "load-csv"]
    assert all(
        r["rows"] == 60 and r["outputs_match"] and r["ratio_vs_json_loads"] > 0 for r in loads
    )


def test_rule_engines_are_registered() -> None:
    """The compiled and explaining engines are found when funnelkit.rules imports."""
    assert [name for name, _ in run.rule_engines()] == ["compiled", "explain", "explain+trace"]


def test_explain_with_trace_is_informational() -> None:
    """explain+trace is reported without a target; the other rule engines have one."""
    assert "explain+trace" not in run.TARGETS
    assert {"compiled", "explain"} <= set(run.TARGETS)
    table = run.plain_table([run.Result("explain+trace", 10, 5.0, 0.01, True)])
    assert "MISSED" not in table
    assert "met" not in table


def test_rule_engines_skipped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an importable reference policy the rule engines are skipped with a note."""
    monkeypatch.setitem(sys.modules, "reference_policy", None)
    notes: list[str] = []
    assert run.rule_engines(notes.append) == []
    assert len(notes) == 1
    assert notes[0].startswith("note: rule engines skipped: ModuleNotFoundError")
    assert "reference_policy" in notes[0]


def test_mismatching_engine_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An engine with other outputs is reported, has no ratio, and makes the exit code 1."""
    out = tmp_path / "bench.json"
    engines = [("handwritten", run.handwritten), ("wrong", always_inquiry)]
    assert run.main(["--rows", "50", "--repeat", "1", "--json", str(out)], engines=engines) == 1
    wrong = json.loads(out.read_text(encoding="utf-8"))[1]
    assert wrong["outputs_match"] is False
    assert wrong["ratio_vs_handwritten"] is None
    assert "wrong: " in capsys.readouterr().out


def test_crashing_engine_fails_the_run(tmp_path: Path) -> None:
    """An engine that raises is a failed row with no speed, not a crash of the run."""
    out = tmp_path / "bench.json"
    engines = [("handwritten", run.handwritten), ("crash", crashing)]
    assert run.main(["--rows", "20", "--repeat", "1", "--json", str(out)], engines=engines) == 1
    crash = json.loads(out.read_text(encoding="utf-8"))[1]
    assert crash == {
        "engine": "crash",
        "rows": 20,
        "rows_per_s": None,
        "ratio_vs_handwritten": None,
        "outputs_match": False,
    }


def test_mismatch_lines_name_the_lead() -> None:
    """A mismatch line names the lead, the expected and the actual outputs."""
    lead = Lead(id="L-9")
    assert run.mismatches([lead], [(0, 0, 0, "inquiry")], [(5, 0, 0, "inquiry")]) == [
        "lead L-9: expected (0, 0, 0, 'inquiry'), got (5, 0, 0, 'inquiry')"
    ]


def test_plain_table_shows_targets() -> None:
    """The plain table shows each engine's ratio and whether it meets its target."""
    results = [
        run.Result("handwritten", 10, 1000.0, 1.0, True),
        run.Result("compiled", 10, 900.0, 0.9, True),
        run.Result("explain", 10, 100.0, 0.1, True),
    ]
    table = run.plain_table(results)
    assert "0.900x" in table
    assert "0.8x met" in table
    assert "0.15x MISSED" in table


def test_table_without_rich(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without rich the table is printed as plain text."""
    monkeypatch.setitem(sys.modules, "rich.console", None)
    results = [run.Result("handwritten", 10, 1000.0, 1.0, True)]
    run.print_table(results)
    assert capsys.readouterr().out == run.plain_table(results) + "\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--rows", "0"], "argument --rows: expected a whole number >= 1, got '0'", id="rows-zero"),
        pytest.param(["--repeat", "-2"], "argument --repeat: expected a whole number >= 1, got '-2'", id="repeat-negative"),
        pytest.param(["--rows", "many"], "argument --rows: expected a whole number >= 1, got 'many'", id="rows-not-a-number"),
        pytest.param(["--seed", "x"], "argument --seed: invalid int value: 'x'", id="seed-not-a-number"),
    ],
)  # fmt: skip
def test_bad_arguments(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad arguments stop with exit code 2 and a message naming the argument."""
    with pytest.raises(SystemExit, match=r"^2$"):
        run.main(argv)
    assert message in capsys.readouterr().err


def test_memory_row_measures_kept_qualifications() -> None:
    """The memory row reports bytes per kept Qualification, explained above plain."""
    leads = make_leads(60, seed=1, as_of=run.AS_OF)
    row = _memory.memory_row(leads, run.AS_OF)
    assert row.rows == 60
    assert 0 < row.kib_plain < row.kib_explained
    assert row.trace_on_demand
    assert row.to_json()["engine"] == "qualify-memory"
    assert "KiB per Qualification" in _memory.plain_table(row)


def test_loader_table_compares_csv_with_jsonl() -> None:
    """The load-csv row says how fast it is next to load-jsonl, against the 0.8x target."""
    rows = [
        _loading.LoadRow("load-jsonl", 10, 100.0, 0.2, True),
        _loading.LoadRow("load-csv", 10, 70.0, 0.14, True),
    ]
    table = _loading.plain_table(rows)
    assert "0.70x of load-jsonl (>= 0.8x) MISSED" in table
    assert "0.5x MISSED" in table
