"""``funnelkit sql`` prints a policy as one query in the dialect asked for."""

from __future__ import annotations

import pytest
import sqlglot

from funnelkit.cli import main


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
