"""The SQL engine run in DuckDB gives the reference interpreter's results, cell for cell."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules._sql_check import check

from funnelkit.testing import aware_datetimes, conditions, leads, rule_sets, scores, values

pytest.importorskip("duckdb")

LEAD_LISTS = st.lists(leads(max_history=2), min_size=1, max_size=4)
AS_OF = aware_datetimes()
SLOW = examples(40, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@SLOW
@given(conditions(columnar=True), LEAD_LISTS, AS_OF)
def test_conditions_agree(rule, lead_list, as_of):
    """A condition's column is the interpreter's Truth per lead (NULL for unknown)."""
    check(rule, lead_list, as_of)


@SLOW
@given(values(columnar=True), LEAD_LISTS, AS_OF)
def test_values_agree(rule, lead_list, as_of):
    """A value's column is the interpreter's value per lead (NULL for missing)."""
    check(rule, lead_list, as_of)


@SLOW
@given(scores(max_leaves=6, columnar=True), LEAD_LISTS, AS_OF)
def test_scores_agree(rule, lead_list, as_of):
    """A score's column is the interpreter's points per lead, exactly."""
    check(rule, lead_list, as_of)


@SLOW
@given(rule_sets(columnar=True), LEAD_LISTS, AS_OF)
def test_rule_sets_agree(rule, lead_list, as_of):
    """Every output column of a rule set is the interpreter's output per lead."""
    check(rule, lead_list, as_of)
