"""``funnelkit qualify --engine``: the same output from every engine, and auto's choices."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

import funnelkit.data
from funnelkit.cli import main
from funnelkit.cli._app import ENGINES as APP_ENGINES
from funnelkit.cli._engine import ENGINES, choose_engine
from funnelkit.cli._progress import Progress, wants_progress
from funnelkit.io import leads_to_tables, read_leads
from funnelkit.qualify import BANT_GATED, PRESETS, STARTER

QUALIFY = sys.modules["funnelkit.qualify"]
"""The package (``funnelkit.qualify`` as an attribute is the function)."""
DEMO = Path(funnelkit.data.__file__).parent / "demo_leads.jsonl"
AS_OF = "2026-11-01"
DATA = Path(__file__).resolve().parents[1] / "io" / "data"
EXPORT = DATA / "marketing_export.csv"
EXPORT_MAPPING = DATA / "marketing_export.mapping.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_parquet(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo leads as Parquet in the contract's layout, with the sibling signals file."""
    folder = tmp_path_factory.mktemp("parquet")
    tables = leads_to_tables(read_leads(DEMO).leads)
    tables.leads.write_parquet(folder / "demo.parquet")
    tables.signals.write_parquet(folder / "demo.signals.parquet")
    return str(folder / "demo.parquet")


@pytest.fixture(scope="module")
def demo_head(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The first 200 demo leads as JSONL (the table is slow to render for 2,500)."""
    path = tmp_path_factory.mktemp("head") / "head.jsonl"
    path.write_text("".join(DEMO.read_text(encoding="utf-8").splitlines(True)[:200]))
    return str(path)


def qualify_out(capsys: pytest.CaptureFixture[str], file: str, *options: str) -> tuple[int, str]:
    code, out, _ = run(
        capsys, "qualify", file, "--as-of", AS_OF, "--no-next-facts", "--no-color", *options
    )
    return code, out


def _csv_with_side_file(
    capsys: pytest.CaptureFixture[str], leads: Path, engine: str, side: Path
) -> tuple[int, str, str]:
    """``qualify LEADS --format csv --engine ENGINE --bad-rows SIDE`` (no next facts)."""
    return run(
        capsys,
        "qualify",
        str(leads),
        "--as-of",
        AS_OF,
        "--no-next-facts",
        "--format",
        "csv",
        "--engine",
        engine,
        "--bad-rows",
        str(side),
    )


@pytest.mark.parametrize("policy", list(PRESETS))
def test_csv_of_the_demo_is_byte_for_byte_the_same_from_every_engine(
    capsys: pytest.CaptureFixture[str], policy: str, demo_parquet: str
) -> None:
    """Row, polars and DuckDB write the same CSV for every demo lead and preset."""
    options = ("--policy", policy, "--format", "csv")
    code, row = qualify_out(capsys, str(DEMO), *options, "--engine", "row")
    assert code == 0
    assert row.count("\n") == 2501
    for engine in ("polars", "duckdb"):
        assert qualify_out(capsys, str(DEMO), *options, "--engine", engine) == (0, row), engine
    # the same leads from Parquet, by the row engine and the default (polars)
    assert qualify_out(capsys, demo_parquet, *options, "--engine", "row") == (0, row)
    assert qualify_out(capsys, demo_parquet, *options) == (0, row)


@pytest.mark.parametrize("policy", list(PRESETS))
def test_the_table_is_the_same_from_every_engine(
    capsys: pytest.CaptureFixture[str], policy: str, demo_head: str
) -> None:
    """The rendered table is the same text whichever engine runs."""
    options = ("--policy", policy, "--format", "table")
    code, row = qualify_out(capsys, demo_head, *options, "--engine", "row")
    assert code == 0
    assert "L-00001" in row
    for engine in ("polars", "duckdb"):
        assert qualify_out(capsys, demo_head, *options, "--engine", engine) == (0, row), engine


def test_csv_input_with_a_mapping_is_the_same_from_every_engine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A CRM export read through a mapping: the same CSV, bad records and exit code."""
    options = ("--mapping", str(EXPORT_MAPPING), "--format", "csv", "--policy", "bant_gated")
    row_code, row_out, row_err = run(
        capsys,
        "qualify",
        str(EXPORT),
        "--as-of",
        AS_OF,
        "--no-next-facts",
        *options,
        "--engine",
        "row",
    )
    for engine in ("polars", "duckdb"):
        code, out, err = run(
            capsys,
            "qualify",
            str(EXPORT),
            "--as-of",
            AS_OF,
            "--no-next-facts",
            *options,
            "--engine",
            engine,
        )
        assert (code, out) == (row_code, row_out), engine
        assert err.splitlines()[-1] == row_err.splitlines()[-1]  # the same counts


def test_bad_rows_file_is_the_same_from_every_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad records go to the side file with record, id, path, value, code and message."""
    leads = tmp_path / "leads.jsonl"
    rows = [
        {"id": "L-1", "company": {"employees": 12}},
        {"id": "L-2", "company": {"employees": -3}, "contact": {"email": "ana@x.example"}},
        {"id": "L-3", "contact": {"email": "not an address"}},
    ]
    leads.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sides = []
    for engine in ("row", "polars", "duckdb"):
        side = tmp_path / f"bad-{engine}.jsonl"
        code, out, err = _csv_with_side_file(capsys, leads, engine, side)
        assert code == 1
        assert out.count("\n") == 2  # header and L-1
        assert "2 bad records" in err
        sides.append(side.read_text(encoding="utf-8"))
    assert sides[0] == sides[1] == sides[2]
    lines = [json.loads(line) for line in sides[0].splitlines()]
    assert [(line["record"], line["line"], line["id"]) for line in lines] == [
        (2, 2, "L-2"),
        (3, 3, "L-3"),
    ]
    problem = lines[0]["problems"][0]
    assert problem["path"] == "company.employees"
    assert problem["value"] == -3
    assert problem["code"] == "validation"
    assert "expected int >= 0, got -3" in problem["message"]
    email = lines[1]["problems"][0]
    assert email["path"] == "contact.email"
    assert email["value"] == "<redacted>"
    assert "not an address" not in sides[0]


def test_bad_rows_file_is_written_empty_when_every_record_is_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_head: str
) -> None:
    """A run without bad records leaves an empty side file (so an old one is not kept)."""
    side = tmp_path / "bad.jsonl"
    side.write_text("old\n")
    code, _, _ = run(
        capsys, "qualify", demo_head, "--as-of", AS_OF, "--format", "csv", "--bad-rows", str(side)
    )
    assert code == 0
    assert side.read_text() == ""


def test_an_unwritable_bad_rows_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_head: str
) -> None:
    """A side file in a missing folder: exit 2, naming it."""
    side = tmp_path / "no" / "bad.jsonl"
    code, _, err = run(capsys, "qualify", demo_head, "--as-of", AS_OF, "--bad-rows", str(side))
    assert code == 2
    assert "cannot write --bad-rows file" in err


_ROWS_ONLY = [
    (engine, options, message)
    for engine in ("polars", "duckdb")
    for options, message in [
        (("--format", "jsonl", "--no-next-facts"), "JSON Lines output comes from the row"),
        (("--explain", "L-00001", "--no-next-facts"), "--explain needs the row engine"),
    ]
]


@pytest.mark.parametrize(("engine", "options", "message"), _ROWS_ONLY)
def test_a_columnar_engine_asked_for_what_only_rows_give_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    demo_head: str,
    engine: str,
    options: tuple[str, ...],
    message: str,
) -> None:
    """JSON Lines and --explain come from the row engine."""
    code, out, err = run(
        capsys, "qualify", demo_head, "--as-of", AS_OF, "--engine", engine, *options
    )
    assert code == 2
    assert out == ""
    assert f"--engine {engine} cannot run here" in err
    assert message in err


@pytest.mark.parametrize(
    ("policy", "fmt", "engines"),
    [
        ("starter", "table", ("polars",)),  # DuckDB: every demo lead, in the test below
        ("demand_waterfall", "csv", ("polars", "duckdb")),
        ("bant_gated", "table", ("polars", "duckdb")),
    ],
)
def test_next_facts_are_the_same_from_polars_and_duckdb(
    capsys: pytest.CaptureFixture[str],
    demo_head: str,
    policy: str,
    fmt: str,
    engines: tuple[str, ...],
) -> None:
    """With next facts (the default), polars and DuckDB write what the row engine writes.

    Every preset, in CSV or in the table (all 2,500 demo leads' CSV: the test below).
    """
    options = ("--as-of", AS_OF, "--no-color", "--policy", policy, "--format", fmt)
    code, row, _ = run(capsys, "qualify", demo_head, *options, "--engine", "row")
    assert code == 0
    assert "→" in row or fmt == "csv"
    for engine in engines:
        assert run(capsys, "qualify", demo_head, *options, "--engine", engine)[:2] == (0, row)


def test_next_facts_of_every_demo_lead_are_the_same_from_polars_and_duckdb(
    capsys: pytest.CaptureFixture[str], demo_parquet: str
) -> None:
    """All 2,500 demo leads with next facts: the same CSV from rows, polars and DuckDB."""
    options = ("--as-of", AS_OF, "--format", "csv")
    code, row, _ = run(capsys, "qualify", str(DEMO), *options, "--engine", "row")
    assert code == 0
    assert row.count("\n") == 2501
    assert run(capsys, "qualify", str(DEMO), *options, "--engine", "polars")[:2] == (0, row)
    assert run(capsys, "qualify", str(DEMO), *options, "--engine", "duckdb")[:2] == (0, row)
    assert run(capsys, "qualify", demo_parquet, *options)[:2] == (0, row)  # auto: polars


def _args(**changes: object) -> argparse.Namespace:
    values: dict[str, object] = {
        "file": str(DEMO),
        "engine": "auto",
        "explain": None,
        "next_facts": False,
        "format": "csv",
        "mapping": None,
        "input_format": None,
        "signals": None,
    }
    values.update(changes)
    return argparse.Namespace(**values)


def _choose(
    args: argparse.Namespace, fmt: str | None = None, policy=STARTER
) -> tuple[str, list[str]]:
    notes: list[str] = []
    from funnelkit.cli._engine import input_format
    from funnelkit.cli._options import parse_as_of

    engine = choose_engine(
        args, policy, parse_as_of(AS_OF), fmt or input_format(args), note=notes.append
    )
    return engine, notes


def test_auto_runs_parquet_and_large_csv_with_polars(
    monkeypatch: pytest.MonkeyPatch, demo_parquet: str
) -> None:
    """Parquet of any size, CSV from COLUMNAR_MIN_BYTES: polars; small CSV: row."""
    assert _choose(_args(file=demo_parquet)) == ("polars", [])
    assert _choose(_args(file=str(EXPORT)))[0] == "row"
    monkeypatch.setattr("funnelkit.cli._engine.COLUMNAR_MIN_BYTES", 10)
    assert _choose(_args(file=str(EXPORT)))[0] == "polars"


def test_auto_runs_jsonl_with_the_row_engine() -> None:
    """JSONL builds a Lead per record on either path: the row engine reads it."""
    assert _choose(_args())[0] == "row"


def test_auto_keeps_the_row_engine_for_what_only_rows_give(demo_parquet: str) -> None:
    """JSON Lines: auto runs the row engine on a large file and says why."""
    engine, notes = _choose(_args(file=demo_parquet, format="jsonl"))
    assert engine == "row"
    assert "JSON Lines" in notes[0]


def test_auto_runs_polars_with_next_facts(demo_parquet: str) -> None:
    """Next facts (the default) come from polars too: auto runs it on a large file."""
    assert _choose(_args(file=demo_parquet, next_facts=True)) == ("polars", [])


def test_auto_keeps_the_row_engine_for_a_policy_the_columnar_engines_cannot_run(
    monkeypatch: pytest.MonkeyPatch, demo_parquet: str
) -> None:
    """An UnsupportedRuleError when the query is built: the row engine runs."""
    from funnelkit.rules import UnsupportedRuleError

    def refuse(*args: object, **kwargs: object) -> None:
        raise UnsupportedRuleError("a custom Python rule")

    monkeypatch.setattr(QUALIFY, "qualify_frame", refuse)
    monkeypatch.setattr(QUALIFY, "policy_sql", refuse)
    assert _choose(_args(file=demo_parquet))[0] == "row"
    from funnelkit.cli._input import CommandError

    with pytest.raises(CommandError, match="cannot run bant_gated@1: a custom Python rule"):
        _choose(_args(file=demo_parquet, engine="duckdb"), policy=BANT_GATED)


def test_auto_falls_back_to_rows_when_the_columnar_run_cannot_finish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], demo_parquet: str
) -> None:
    """A rule that meets values it cannot work with stops a table: rows qualify the rest."""
    from funnelkit.rules import RuleEvaluationError

    def fail(*args: object, **kwargs: object) -> None:
        raise RuleEvaluationError("lead 'L-00001': a unique table matched twice")

    code, expected = qualify_out(capsys, demo_parquet, "--format", "csv", "--engine", "row")
    monkeypatch.setattr(QUALIFY, "qualify_table", fail)
    code, out, err = run(
        capsys, "qualify", demo_parquet, "--as-of", AS_OF, "--no-next-facts", "--format", "csv"
    )
    assert (code, out) == (0, expected)
    assert "the row engine qualifies this file instead" in err
    code, out, err = run(
        capsys,
        "qualify",
        demo_parquet,
        "--as-of",
        AS_OF,
        "--no-next-facts",
        "--format",
        "csv",
        "--engine",
        "polars",
    )
    assert (code, out) == (2, "")
    assert "--engine row qualifies the other leads" in err


def test_the_engine_choices_are_the_same_in_the_parser_and_the_chooser() -> None:
    """--engine's choices are the engines the chooser knows."""
    assert APP_ENGINES == ENGINES


def test_the_progress_bar_needs_a_terminal_and_a_large_file() -> None:
    """No bar when stderr is not a terminal, the file is small, or --no-progress."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_progress(enabled=True, size=10**9, stream=Terminal())
    assert not wants_progress(enabled=False, size=10**9, stream=Terminal())
    assert not wants_progress(enabled=True, size=10, stream=Terminal())
    assert not wants_progress(enabled=True, size=10**9, stream=io.StringIO())


def test_the_progress_bar_counts_and_goes_away() -> None:
    """A shown bar counts what passes and leaves nothing behind on a terminal."""
    stream = io.StringIO()
    with Progress("qualifying", shown=True, stream=stream) as progress:
        for _ in range(1000):
            progress.advance()
    assert progress.count == 1000
    with Progress("reading", shown=False) as quiet:
        quiet.set(5)
    assert quiet.count == 5


def test_signals_go_with_parquet_and_mappings_with_csv(
    capsys: pytest.CaptureFixture[str], demo_head: str, demo_parquet: str
) -> None:
    """--signals with JSONL, --mapping with Parquet: usage errors that say what goes with what."""
    code, _, err = run(capsys, "qualify", demo_head, "--signals", "s.parquet")
    assert code == 2
    assert "--signals goes with a Parquet LEADS file" in err
    code, _, err = run(capsys, "qualify", demo_parquet, "--mapping", str(EXPORT_MAPPING))
    assert code == 2
    assert "--mapping reads CSV columns" in err


def test_parquet_signals_can_be_named_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_parquet: str
) -> None:
    """--signals names the signals table; the output is that of the sibling file."""
    options = ("--format", "csv", "--engine", "duckdb")
    _, expected = qualify_out(capsys, demo_parquet, *options)
    leads = tmp_path / "leads.parquet"
    leads.write_bytes(Path(demo_parquet).read_bytes())
    signals = tmp_path / "events.parquet"
    signals.write_bytes(Path(demo_parquet).with_suffix(".signals.parquet").read_bytes())
    assert qualify_out(capsys, str(leads), *options, "--signals", str(signals)) == (0, expected)
    code, out = qualify_out(capsys, str(leads), *options)  # no signals: engagement is lower
    assert code == 0
    assert out != expected


def test_bad_parquet_rows_are_reported_by_every_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Parquet row the model refuses: reported, written aside, the others qualified."""
    import polars as pl

    leads = tmp_path / "leads.parquet"
    pl.DataFrame(
        {"id": ["L-1", "L-2"], "company.employees": [40, -3], "contact.email": ["a@x.io", "b@"]}
    ).write_parquet(leads)
    outputs = []
    for engine in ("row", "polars"):
        side = tmp_path / f"bad-{engine}.jsonl"
        code, out, err = _csv_with_side_file(capsys, leads, engine, side)
        assert code == 1
        assert "company.employees: expected int >= 0, got -3" in err
        outputs.append((out, side.read_text()))
    assert outputs[0] == outputs[1]
    line = json.loads(outputs[0][1])
    assert (line["record"], line["id"]) == (2, "L-2")
    values = {p["path"]: p["value"] for p in line["problems"]}
    assert values == {"company.employees": -3, "contact.email": "<redacted>"}
