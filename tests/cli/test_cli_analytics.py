"""``funnelkit report`` and ``funnelkit backtest``: analytics on a lead file."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from funnelkit.analytics import backtest
from funnelkit.cli import main
from funnelkit.data import DEMO_AS_OF, demo_outcomes_path, demo_path, load_demo, load_demo_outcomes
from funnelkit.qualify import STARTER

DEMO = str(demo_path())
OUTCOMES = str(demo_outcomes_path())


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--no-color", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def backtest_output() -> str:
    """``funnelkit backtest`` on the demo data and outcomes, against bant_gated."""
    code, out, err = run(
        "backtest",
        DEMO,
        "--outcomes",
        OUTCOMES,
        "--outcome",
        "converted",
        "--as-of",
        "2026-11-01",
        "--against",
        "bant_gated",
    )
    assert code == 0, err
    return out


def test_backtest_prints_the_same_numbers_as_the_api(backtest_output: str) -> None:
    """The summary line and the AUCs are those of ``funnelkit.analytics.backtest``."""
    report = backtest(load_demo(), STARTER, outcome=load_demo_outcomes(), as_of=DEMO_AS_OF)
    assert backtest_output.splitlines()[0] == report.summary()
    for name, value in report.auc:
        assert value is not None
        assert f"│ {name}" in backtest_output
        assert f"{value:.3f}" in backtest_output
    for title in (
        "Conversion by fit grade",
        "Gates",
        "Criteria and facts",
        "Stage transitions: starter@1 (rows) to bant_gated@1 (columns)",
    ):
        assert title in backtest_output


def test_backtest_prints_every_table_of_the_api_cell_by_cell(backtest_output: str) -> None:
    """Each row of each table of the API's report is a row of the printed table."""
    from funnelkit.qualify import BANT_GATED

    report = backtest(
        load_demo(), STARTER, outcome=load_demo_outcomes(), as_of=DEMO_AS_OF, against=BANT_GATED
    )
    printed = {
        tuple(cell.strip() for cell in line.strip("│").split("│"))
        for line in backtest_output.splitlines()
        if line.startswith("│")
    }
    for table in report.tables():
        for row in table.texts():
            assert row in printed, (table.title, row)


def test_backtest_reads_the_outcome_from_a_custom_column(tmp_path: Path) -> None:
    """A CSV's own outcome column, kept as a custom field, is read with --outcome."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "id,company.employees,created_at,custom.won\n"
        "L-1,300,2026-10-01T00:00:00+00:00,yes\n"
        "L-2,5,2026-10-02T00:00:00+00:00,no\n"
        "L-3,40,2026-10-03T00:00:00+00:00,\n",
        encoding="utf-8",
    )
    code, out, err = run("backtest", str(leads), "--outcome", "won")
    assert code == 0, err
    assert "3 leads, 2 with a known outcome (1 unknown), 1 converted" in out
    assert "each lead's created_at" in out


def test_backtest_names_a_bad_outcome_and_exits_2(tmp_path: Path) -> None:
    """An outcome that is not one stops the command with the lead and the value."""
    leads = tmp_path / "leads.csv"
    leads.write_text("id,custom.won\nL-1,perhaps\n", encoding="utf-8")
    code, _, err = run("backtest", str(leads), "--outcome", "won", "--as-of", "2026-11-01")
    assert code == 2
    assert "lead 'L-1': custom.won: expected an outcome" in err


def test_backtest_names_a_missing_outcome_column(tmp_path: Path) -> None:
    """--outcomes without the --outcome column names the file and the column."""
    code, _, err = run("backtest", DEMO, "--outcomes", OUTCOMES, "--outcome", "won")
    assert code == 2
    assert "expected a column 'won'" in err


def test_report_prints_every_table() -> None:
    """The report has the funnel, conversion, grid, scores, breakdowns, velocity, leakage."""
    code, out, err = run("report", DEMO, "--as-of", "2026-11-01", "--by", "company.industry")
    assert code == 0, err
    assert out.startswith(f"2,500 leads of {DEMO} under starter@1 as of 2026-11-01")
    for title in (
        "Funnel (starter@1)",
        "Conversion",
        "Grade mix",
        "Fit score",
        "By company.industry",
        "Velocity (days in stage)",
        "Leakage",
    ):
        assert title in out
    assert "By source.channel" not in out


def test_report_counts_bad_records_and_exits_1(tmp_path: Path) -> None:
    """Bad records are reported on stderr; the good ones are still reported."""
    leads = tmp_path / "leads.jsonl"
    leads.write_text(
        '{"id": "L-1"}\n{"id": "L-2", "company": {"employees": -3}}\n', encoding="utf-8"
    )
    code, out, err = run("report", str(leads), "--as-of", "2026-11-01")
    assert code == 1
    assert out.startswith(f"1 lead of {leads} under starter@1")
    assert "$.company.employees" in err


def test_report_names_an_unknown_by_path() -> None:
    """--by must be a lead field path; the message names it."""
    code, _, err = run("report", DEMO, "--as-of", "2026-11-01", "--by", "company.nope")
    assert code == 2
    assert "--by: lead field path 'company.nope'" in err


def test_report_without_as_of_says_which_day_it_used() -> None:
    """Without --as-of, a note on stderr names the instant."""
    code, _, err = run("report", DEMO)
    assert code == 0
    assert "today, midnight UTC" in err


def test_backtest_takes_outcomes_from_stage_history() -> None:
    """--from-history judges each demo lead at its created_at, against its history's end."""
    from funnelkit.analytics import outcome_from_history

    code, out, err = run("backtest", DEMO, "--from-history")
    assert code == 0, err
    report = backtest(load_demo(), STARTER, outcome=outcome_from_history(STARTER))
    assert out.splitlines()[0] == report.summary()
    assert report.known == 18 + 26 + 51  # won, lost and disqualified at the demo's date


def test_backtest_needs_one_outcome_option() -> None:
    """Neither --outcome nor --from-history is a usage error."""
    code, _, err = run("backtest", DEMO)
    assert code == 2
    assert "one of the arguments --outcome --from-history is required" in err
