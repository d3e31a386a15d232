"""The SQL engine's unknown facts equal explain's, on random rules and leads with gaps.

As for polars (``test_polars_facts``): for every output, the facts explain lists and
those that could make it TRUE, from the same walkers over SQL columns, run in DuckDB.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import AS_OF
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


def agree(rule: tr.RuleSet, batch: list[Lead]) -> None:
    """Every output's facts and lifts, for every lead, as explain gives them."""
    batch = with_ids(batch)
    try:
        why = [explain(rule, lead, as_of=AS_OF) for lead in batch]
    except RuleEvaluationError:
        assume(False)
        raise
    assume(not _text_caveat(rule, batch))
    try:
        frame = evaluate_table(rule, leads_to_tables(batch), as_of=AS_OF, facts=True)
    except UnsupportedRuleError:
        assume(False)
        raise
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    for lead, explained in zip(batch, why, strict=True):
        row = rows[lead.id]
        facts = explained.child_facts()
        lifts = explained.child_facts(toward=Truth.TRUE)
        for name, listed, lifted in zip(rule.names, facts, lifts, strict=True):
            assert row[f"{name}.facts"] == sorted(listed), (lead.id, name, "facts")
            assert row[f"{name}.lifts"] == sorted(lifted), (lead.id, name, "lifts")


_SETTINGS = {"suppress_health_check": [HealthCheck.filter_too_much, HealthCheck.too_slow]}


@examples(10, **_SETTINGS)
@given(conditions(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_condition_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random conditions: the same facts, and the same facts that could make them TRUE."""
    agree(rule_set(value=rule), batch)


@examples(8, **_SETTINGS)
@given(values(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_value_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random values: the same facts."""
    agree(rule_set(value=rule), batch)


@examples(8, **_SETTINGS)
@given(scores(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_score_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random scores: the same facts, with how far each fact could move them."""
    agree(rule_set(value=rule), batch)


@examples(8, **_SETTINGS)
@given(rule_sets(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_rule_set_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random rule sets: every output's facts, with refs to earlier outputs."""
    agree(rule, batch)


def test_facts_of_a_condition() -> None:
    """A missing field is listed; a known one is not; the query says so per dialect."""
    rule = rule_set(big=(F.company.employees >= 50) & (F.company.industry == "saas"))
    batch = with_ids([Lead(id="x"), Lead(id="y")])
    frame = evaluate_table(rule, leads_to_tables(batch), as_of=AS_OF, facts=True)
    assert frame.columns == ["id", "big", "big.facts", "big.lifts"]
    both = ["company.employees", "company.industry"]
    assert frame.sort("id").row(0) == ("L0", None, both, both)
    for dialect in ("duckdb", "spark", "postgres", "snowflake", "bigquery"):
        text = to_sql(rule, as_of=AS_OF, dialect=dialect, facts=True)
        assert '"big.facts"' in text or "`big.facts`" in text
