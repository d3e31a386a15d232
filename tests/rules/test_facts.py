"""The columnar engines' unknown facts equal explain's, on random rules and leads with gaps.

For every output: the facts explain lists (``Explanation.child_facts()``), and those that
could make it TRUE (``child_facts(toward=Truth.TRUE)``, what ``qualify`` reads for the
stages a fact could unlock). Each drawn rule runs in polars and in DuckDB: one statement
of the facts (``funnelkit.rules.engines.facts``) over two engines' columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import AS_OF, table_rows, tabular
from tests.rules.test_sql_engine import _text_caveat, with_ids

from funnelkit.io import leads_to_tables
from funnelkit.model import Lead
from funnelkit.rules import (
    F,
    RuleEvaluationError,
    Truth,
    UnsupportedRuleError,
    evaluate_table,
    explain,
    rule_set,
    to_sql,
)
from funnelkit.rules import tree as tr
from funnelkit.testing import conditions, leads, rule_sets, scores, values

pytest.importorskip("duckdb")

Rows = dict[str, dict[str, Any]]


def same_facts(rule: tr.RuleSet, batch: list[Lead], run: Callable[[], Rows]) -> None:
    """``run``'s rows by lead id list every output's facts and lifts as explain does.

    Examples whose reference raises are rejected before ``run`` runs.
    """
    try:
        why = [explain(rule, lead, as_of=AS_OF) for lead in batch]
    except RuleEvaluationError:
        assume(False)
        raise
    rows = run()
    for lead, explained in zip(batch, why, strict=True):
        row = rows[lead.id]
        facts = explained.child_facts()
        lifts = explained.child_facts(toward=Truth.TRUE)
        for name, listed, lifted in zip(rule.names, facts, lifts, strict=True):
            assert row[f"{name}.facts"] == sorted(listed), (lead.id, name, "facts")
            assert row[f"{name}.lifts"] == sorted(lifted), (lead.id, name, "lifts")


def _polars(rule: tr.RuleSet, batch: list[Lead]) -> Rows:
    return {row["id"]: row for row in table_rows(rule, batch, facts=True)}


def _duckdb(rule: tr.RuleSet, batch: list[Lead]) -> Rows:
    try:
        frame = evaluate_table(rule, leads_to_tables(batch), as_of=AS_OF, facts=True)
    except UnsupportedRuleError:
        assume(False)
        raise
    return {row["id"]: row for row in frame.iter_rows(named=True)}


def agree(rule: tr.RuleSet, batch: list[Lead]) -> None:
    """polars and DuckDB list explain's facts, each on the leads as its tables hold them."""
    polars_leads, sql_leads = tabular(batch), with_ids(batch)
    same_facts(rule, polars_leads, lambda: _polars(rule, polars_leads))
    assume(not _text_caveat(rule, sql_leads))
    same_facts(rule, sql_leads, lambda: _duckdb(rule, sql_leads))


_SETTINGS = {"suppress_health_check": [HealthCheck.filter_too_much, HealthCheck.too_slow]}


@examples(14, **_SETTINGS)
@given(conditions(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_condition_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random conditions: the same facts, and the same facts that could make them TRUE."""
    agree(rule_set(value=rule), batch)


@examples(10, **_SETTINGS)
@given(values(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_value_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random values: the same facts."""
    agree(rule_set(value=rule), batch)


@examples(10, **_SETTINGS)
@given(scores(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_score_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random scores: the same facts, with how far each fact could move them."""
    agree(rule_set(value=rule), batch)


@examples(10, **_SETTINGS)
@given(rule_sets(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_rule_set_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random rule sets: every output's facts, with refs to earlier outputs."""
    agree(rule, batch)


def test_facts_of_a_condition_in_sql() -> None:
    """A missing field is listed; the query names the facts' columns in every dialect."""
    rule = rule_set(big=(F.company.employees >= 50) & (F.company.industry == "saas"))
    batch = with_ids([Lead(id="x"), Lead(id="y")])
    frame = evaluate_table(rule, leads_to_tables(batch), as_of=AS_OF, facts=True)
    assert frame.columns == ["id", "big", "big.facts", "big.lifts"]
    both = ["company.employees", "company.industry"]
    assert frame.sort("id").row(0) == ("L0", None, both, both)
    for dialect in ("duckdb", "spark", "postgres", "snowflake", "bigquery"):
        text = to_sql(rule, as_of=AS_OF, dialect=dialect, facts=True)
        assert '"big.facts"' in text or "`big.facts`" in text
