"""Backtests: conversion tables, gates, AUCs, criteria, and two policies side by side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.analytics import (
    Backtest,
    as_of_lead,
    backtest,
    outcome_from_history,
    outcome_value,
    read_outcomes,
)
from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
from funnelkit.model import Lead, Signal, StageChange
from funnelkit.qualify import PRESETS, STARTER
from funnelkit.testing import leads

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
SAMPLE = load_demo()[:300]


@pytest.fixture(scope="module")
def demo_report() -> Backtest:
    """The starter preset backtested on the demo outcomes, against bant_gated."""
    return backtest(
        load_demo(),
        STARTER,
        outcome=load_demo_outcomes(),
        as_of=DEMO_AS_OF,
        against=PRESETS["bant_gated"],
    )


def _conversion_tables(report: Backtest) -> list[Any]:
    return [
        report.by_fit_grade,
        report.by_engagement_grade,
        report.by_stage,
        report.by_cell,
        *report.breakdowns,
    ]


def test_the_demo_outcomes_are_predicted_well_but_not_perfectly(demo_report: Backtest) -> None:
    """Both scores beat chance, neither is perfect, and grade A converts best."""
    aucs = dict(demo_report.auc)
    assert 0.55 < aucs["fit"] < 0.9  # type: ignore[operator]
    assert 0.6 < aucs["engagement"] < 0.95  # type: ignore[operator]
    rates = demo_report.by_fit_grade.column("rate")
    assert rates[0] == max(rates)  # type: ignore[type-var]


def test_a_missing_fact_carries_signal_in_the_free_trial_channel() -> None:
    """Free-trial leads without a company size convert more than those with one."""
    trial = [lead for lead in load_demo() if lead.source.channel == "free_trial"]
    report = backtest(
        trial, STARTER, outcome=load_demo_outcomes(), as_of=DEMO_AS_OF, facts=("company.employees",)
    )
    rows = {row[1]: row for row in report.criteria.rows if row[0] == "fact company.employees"}
    assert rows["unknown"][5] > rows["known"][5]  # type: ignore[operator]


def test_unknown_outcomes_are_counted_and_reported(demo_report: Backtest) -> None:
    """Leads without an outcome are in every table's leads and in ``unknown``."""
    unknown = sum(1 for v in load_demo_outcomes().values() if v is None)
    assert demo_report.unknown == unknown > 0
    assert demo_report.known + demo_report.unknown == demo_report.total == 2500
    for table in _conversion_tables(demo_report):
        assert sum(table.column("unknown outcome")) == unknown
    assert f"({unknown:,} unknown)" in demo_report.summary()


def test_conversion_tables_sum_to_the_input_count(demo_report: Backtest) -> None:
    """Every conversion table, the calibration per score and each criterion count all leads."""
    for table in _conversion_tables(demo_report):
        assert sum(table.column("leads")) == 2500, table.title
    for score in ("fit", "engagement"):
        rows = [row for row in demo_report.calibration.rows if row[0] == score]
        assert sum(row[2] for row in rows) == 2500  # type: ignore[misc]
    by_criterion: dict[str, int] = {}
    for row in demo_report.criteria.rows:
        by_criterion[str(row[0])] = by_criterion.get(str(row[0]), 0) + int(row[2])  # type: ignore[call-overload]
    assert set(by_criterion.values()) == {2500}


@examples(10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_tables_sum_to_the_input_count_for_any_outcomes(data: st.DataObject) -> None:
    """With random leads and random outcomes (some unknown), nothing is dropped."""
    sample = data.draw(st.lists(leads(), min_size=1, max_size=8))
    outcomes = data.draw(
        st.lists(st.sampled_from([True, False, None]), min_size=len(sample), max_size=len(sample))
    )
    by_index = {id(lead): o for lead, o in zip(sample, outcomes, strict=True)}
    report = backtest(sample, STARTER, outcome=lambda lead: by_index[id(lead)], as_of=AS_OF)
    assert report.unknown == outcomes.count(None)
    for table in _conversion_tables(report):
        assert sum(table.column("leads")) == len(sample)
        assert sum(table.column("converted")) == outcomes.count(True)


@examples(10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(leads(), min_size=1, max_size=8), st.sampled_from(sorted(PRESETS)))
def test_a_policy_against_itself_gives_the_identity_transitions(
    sample: list[Lead], name: str
) -> None:
    """Backtested against itself, every lead keeps its stage: only the diagonal counts."""
    policy = PRESETS[name]
    report = backtest(sample, policy, outcome=lambda lead: None, as_of=AS_OF, against=policy)
    assert report.transitions is not None
    matrix = [row[1:] for row in report.transitions.rows]
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if i != j:
                assert count == 0
    assert sum(matrix[i][i] for i in range(len(matrix))) == len(sample)  # type: ignore[misc]


def test_a_different_policy_moves_some_leads(demo_report: Backtest) -> None:
    """starter against bant_gated: the matrix sums to the leads, and some move."""
    assert demo_report.transitions is not None
    matrix = [row[1:] for row in demo_report.transitions.rows]
    assert sum(sum(row) for row in matrix) == 2500  # type: ignore[arg-type, misc]
    off = sum(c for i, row in enumerate(matrix) for j, c in enumerate(row) if i != j)  # type: ignore[misc]
    assert off > 0
    assert demo_report.against is not None
    assert demo_report.against.policy == "bant_gated@1"


def test_gates_have_precision_and_recall(demo_report: Backtest) -> None:
    """Each gate's precision is its converted share; recall shrinks down the funnel."""
    recalls = [r for r in demo_report.gates.column("recall") if r is not None]
    assert recalls == sorted(recalls, reverse=True)  # type: ignore[type-var]
    assert demo_report.gates.column("gate")[0] == "Inquiry"


def test_the_text_and_html_show_every_table(demo_report: Backtest) -> None:
    """``str`` and the notebook view hold the summary and each table's title."""
    text = str(demo_report)
    html = demo_report._repr_html_()
    for table in demo_report.tables():
        assert table.title in text
    assert "Stage transitions: starter@1 (rows) to bant_gated@1 (columns)" in html


def test_each_lead_is_judged_as_it_stood_then() -> None:
    """Signals and stage changes after ``as_of`` are left out: the outcome cannot leak."""
    later = AS_OF + timedelta(days=10)
    lead = Lead(
        id="x",
        created_at=AS_OF - timedelta(days=5),
        signals=[Signal(kind="demo_request", occurred_at=later, explicit=True)],
        stage_history=[StageChange(at=later, to_stage="customer")],
    )
    then = as_of_lead(lead, AS_OF)
    assert then.signals == ()
    assert then.stage_history == ()
    assert as_of_lead(then, AS_OF) is then
    report = backtest([lead], STARTER, outcome=lambda _: True)
    assert report.rows[0]["stage"] != "customer"
    assert report.as_of is None


def test_a_lead_without_created_at_needs_as_of() -> None:
    """Without ``as_of``, a lead must say when it was created; the error names it."""
    with pytest.raises(ValueError, match=r"lead 'x': created_at: expected .* got None"):
        backtest([Lead(id="x")], STARTER, outcome=lambda _: None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("YES", True),
        ("won", True),
        (1, True),
        ("0", False),
        ("lost", False),
        (False, False),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_outcome_value_reads_the_usual_spellings(value: object, expected: bool | None) -> None:
    """Booleans, 1/0 and the usual words, in any case; empty is unknown."""
    assert outcome_value(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, 0.5])
def test_outcome_value_refuses_anything_else(value: object) -> None:
    """Anything else is an error naming the value and its type."""
    with pytest.raises(ValueError, match=rf"got {value!r} \({type(value).__name__}\)"):
        outcome_value(value, where="lead 'x'")


def test_outcomes_from_a_custom_field_a_mapping_or_history() -> None:
    """The three ways to name outcomes give the same report."""
    history = [
        StageChange(at=AS_OF, to_stage="sales_opportunity"),
        StageChange(at=AS_OF, to_stage="customer", from_stage="sales_opportunity"),
    ]
    sample = [
        Lead(id="a", custom={"won": "yes"}, stage_history=history),
        Lead(
            id="b",
            custom={"won": "no"},
            stage_history=[StageChange(at=AS_OF, to_stage="disqualified")],
        ),
        Lead(id="c"),
    ]
    by_field = backtest(sample, STARTER, outcome="custom.won", as_of=AS_OF)
    by_map = backtest(sample, STARTER, outcome={"a": True, "b": False}, as_of=AS_OF)
    by_history = backtest(sample, STARTER, outcome=outcome_from_history(STARTER), as_of=AS_OF)
    assert [r["outcome"] for r in by_field.rows] == [True, False, None]
    assert by_field.by_stage == by_map.by_stage == by_history.by_stage


def test_a_bad_outcome_names_the_lead_and_field() -> None:
    """An unreadable outcome in a custom field names the lead and the field."""
    with pytest.raises(
        ValueError, match=r"lead 'a': custom.won: expected an outcome .*got 'perhaps'"
    ):
        backtest([Lead(id="a", custom={"won": "perhaps"})], STARTER, outcome="won", as_of=AS_OF)


def test_a_bad_outcome_kind_is_refused() -> None:
    """``outcome`` must be a field name, a mapping or a function."""
    with pytest.raises(TypeError, match="backtest: outcome: expected"):
        backtest(SAMPLE, STARTER, outcome=3, as_of=AS_OF)  # type: ignore[arg-type]


def test_read_outcomes_names_a_missing_column_and_a_bad_value(tmp_path: Any) -> None:
    """The file, the line and the value are named."""
    path = tmp_path / "o.csv"
    path.write_text("lead_id,won\nL-1,yes\nL-2,perhaps\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"o.csv:1: expected a column 'converted'"):
        read_outcomes(path)
    with pytest.raises(ValueError, match=r"o.csv:3: won: expected an outcome .*'perhaps'"):
        read_outcomes(path, column="won")
