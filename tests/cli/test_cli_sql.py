"""``funnelkit sql`` prints a policy as one query in the dialect asked for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlglot

from funnelkit.cli import main
from funnelkit.data import load_demo
from funnelkit.io import leads_to_tables
from funnelkit.qualify import STARTER, qualify, result_row


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres", "snowflake", "bigquery"])
def test_prints_one_statement(dialect: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The output is one statement that the dialect's parser reads back."""
    code = main(["sql", "--policy", "starter", "--dialect", dialect, "--as-of", "2026-11-01"])
    out = capsys.readouterr().out
    assert code == 0
    (statement,) = sqlglot.parse(out.rstrip().rstrip(";"), read=dialect)
    assert statement is not None
    assert "2026-11-01" in out


def test_unknown_dialect_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A dialect the engine does not write is refused by the parser (exit 2)."""
    assert main(["sql", "--dialect", "oracle"]) == 2
    assert "oracle" in capsys.readouterr().err


def test_unknown_facts_run_in_duckdb(capsys: pytest.CaptureFixture[str]) -> None:
    """``--unknown-facts``: the printed query, run in DuckDB, lists qualify's unknown facts."""
    duckdb = pytest.importorskip("duckdb")
    argv = ["sql", "--policy", "starter", "--as-of", "2026-05-01", "--unknown-facts"]
    assert main(argv) == 0
    text = capsys.readouterr().out.rstrip().rstrip(";")
    batch = load_demo()[:40]
    tables = leads_to_tables(batch)
    connection = duckdb.connect()
    connection.register("leads", tables.leads.to_arrow())
    connection.register("signals", tables.signals.to_arrow())
    found = {row["lead_id"]: row for row in connection.sql(text).pl().iter_rows(named=True)}
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    for lead in batch:
        expected = result_row(qualify(lead, STARTER, as_of=as_of), explained=True)
        unknown = {k: v for k, v in expected.items() if k.endswith("_unknown")}
        assert {k: found[lead.id][k] for k in unknown} == unknown, lead.id
