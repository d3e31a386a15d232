"""A table the interpreter never reaches for a lead never fails that lead, in any engine.

A ``unique`` decision table that matches twice is an error where the interpreter
evaluates it. The columnar engines compute a nested table for every lead at once and
explain evaluates more of a table for its facts; each must still fail only where the
interpreter fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from funnelkit.data import DEMO_AS_OF
from funnelkit.model import Company, Lead
from funnelkit.rules import (
    F,
    RuleEvaluationError,
    Truth,
    all_of,
    any_of,
    decision_table,
    evaluate,
    explain,
)

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from funnelkit.io import leads_to_tables  # noqa: E402
from funnelkit.rules import evaluate_table  # noqa: E402
from funnelkit.rules.engines.polars import evaluate_frame  # noqa: E402

# matches twice, so fails, wherever the country is missing (every lead below)
FAILS = decision_table(
    [(F.company.country.is_missing(), 1), (F.company.country.is_missing(), 2)],
    hit_policy="unique",
)
LEADS = [Lead(id="a", company=Company()), Lead(id="b", company=Company(employees=5))]

UNREACHED = {
    "row not TRUE": decision_table([(F.company.employees >= 10, FAILS)]),
    "later row of a collecting table": decision_table(
        [(F.company.name.is_missing(), 3), (F.company.employees >= 10, FAILS)],
        hit_policy="collect_sum",
    ),
    "default after a match": decision_table([(F.company.name.is_missing(), 5)], default=FAILS),
    "row after a first match": decision_table(
        [(F.company.name.is_missing(), 5), (F.company.name.is_missing(), FAILS)]
    ),
    "any_of after TRUE": any_of(F.company.country.is_missing(), FAILS >= 1),
    "all_of after FALSE": all_of(F.company.name.is_present(), FAILS >= 1),
}
REACHED = {
    "a matching row": decision_table([(F.company.name.is_missing(), FAILS)]),
    "all_of after TRUE": all_of(F.company.country.is_missing(), FAILS >= 1),
}


def _engines(rule: Any) -> dict[str, Any]:
    tables = leads_to_tables(LEADS)
    return {
        "polars": lambda: evaluate_frame(rule, tables.leads, tables.signals, as_of=DEMO_AS_OF),
        "duckdb": lambda: evaluate_table(rule, tables, as_of=DEMO_AS_OF),
    }


def _cell(value: Any) -> Any:
    """The interpreter's value as a table cell (a truth as true, false or null)."""
    if isinstance(value, Truth):
        return None if value is Truth.UNKNOWN else value is Truth.TRUE
    return value


@pytest.mark.parametrize("name", sorted(UNREACHED))
def test_an_unreached_table_does_not_fail(name: str) -> None:
    rule = UNREACHED[name]
    want = [evaluate(rule, lead, as_of=DEMO_AS_OF) for lead in LEADS]
    assert [explain(rule, lead, as_of=DEMO_AS_OF).outcome for lead in LEADS] == want
    for engine, run in _engines(rule).items():
        rows = {row["id"]: row["value"] for row in run().iter_rows(named=True)}
        assert [rows[lead.id] for lead in LEADS] == [_cell(w) for w in want], engine


@pytest.mark.parametrize("name", sorted(REACHED))
def test_a_reached_table_fails_in_every_engine(name: str) -> None:
    rule = REACHED[name]
    with pytest.raises(RuleEvaluationError):
        evaluate(rule, LEADS[0], as_of=DEMO_AS_OF)
    with pytest.raises(RuleEvaluationError):
        explain(rule, LEADS[0], as_of=DEMO_AS_OF)
    for engine, run in _engines(rule).items():
        with pytest.raises(RuleEvaluationError):
            run()
        assert engine
