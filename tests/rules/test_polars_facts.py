"""The polars engine's unknown facts equal explain's, on random rules and leads with gaps.

For every output: the facts explain lists (``Explanation.child_facts()``), and those that
could make it TRUE (``child_facts(toward=Truth.TRUE)``, what ``qualify`` reads for the
stages a fact could unlock).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import AS_OF, table_rows, tabular

from funnelkit.model import Lead
from funnelkit.rules import (
    RuleEvaluationError,
    Truth,
    explain,
    rule_set,
)
from funnelkit.rules import tree as tr
from funnelkit.testing import conditions, leads, rule_sets, scores, values


def agree(rule: tr.RuleSet, batch: list[Lead]) -> None:
    """Every output's facts and lifts, for every lead, as explain gives them."""
    batch = tabular(batch)
    try:
        why = [explain(rule, lead, as_of=AS_OF) for lead in batch]
    except RuleEvaluationError:
        assume(False)
        raise
    rows = table_rows(rule, batch, facts=True)
    for lead, row, explained in zip(batch, rows, why, strict=True):
        facts = explained.child_facts()
        lifts = explained.child_facts(toward=Truth.TRUE)
        for name, listed, lifted in zip(rule.names, facts, lifts, strict=True):
            assert row[f"{name}.facts"] == sorted(listed), (lead.id, name, "facts")
            assert row[f"{name}.lifts"] == sorted(lifted), (lead.id, name, "lifts")


_SETTINGS = {"suppress_health_check": [HealthCheck.filter_too_much, HealthCheck.too_slow]}


@examples(20, **_SETTINGS)
@given(conditions(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_condition_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random conditions: the same facts, and the same facts that could make them TRUE."""
    agree(rule_set(value=rule), batch)


@examples(15, **_SETTINGS)
@given(values(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_value_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random values: the same facts."""
    agree(rule_set(value=rule), batch)


@examples(12, **_SETTINGS)
@given(scores(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_score_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random scores: the same facts, with their floors and caps."""
    agree(rule_set(value=rule), batch)


@examples(15, **_SETTINGS)
@given(rule_sets(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_rule_set_facts_agree(rule: Any, batch: list[Lead]) -> None:
    """Random rule sets: every output's facts, with refs to earlier outputs."""
    agree(rule, batch)
