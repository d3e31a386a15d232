"""The polars engine equals the reference interpreter on random rules and leads with gaps."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.io import LeadTables, leads_to_tables, tables_to_leads
from funnelkit.model import Company, Lead
from funnelkit.rules import (
    UNKNOWN,
    F,
    RuleEvaluationError,
    Truth,
    UnsupportedRuleError,
    custom_rule,
    decision_table,
    evaluate,
    rule_set,
    signals,
)
from funnelkit.rules.engines.polars import SIGNALS_SCHEMA, evaluate_frame
from funnelkit.testing import conditions, leads, rule_sets, scores, values

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


def tabular(batch: list[Lead]) -> list[Lead]:
    """The leads as a table holds them: ids, one kind of value per custom key, no evidence.

    Custom decimals too large for the contract's column are left out (the contract refuses
    them with a RecordError, tested in ``tests/io/test_contract.py``).
    """
    kinds: dict[str, type] = {}
    out = []
    for index, lead in enumerate(batch):
        custom = {}
        for key, value in lead.custom.items():
            kind = int if type(value) is int else type(value)
            if (
                kind not in (str, int, float, Decimal, bool)
                or kinds.setdefault(key, kind) is not kind
                or (isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= 20)
            ):  # a decimal column holds 38 digits, up to 18 of them after the point
                continue
            custom[key] = value
        out.append(attrs.evolve(lead, id=f"L-{index}", custom=custom, custom_evidence=()))
    return out


def same(reference: object, found: object) -> bool:
    """Whether a table cell holds the reference's value (unknown is null; numbers by value)."""
    if isinstance(reference, Truth):
        return found is (None if reference is Truth.UNKNOWN else reference is Truth.TRUE)
    if reference is None or found is None:
        return reference is None and found is None
    if isinstance(reference, float) or isinstance(found, float):
        return float(reference) == float(found)  # type: ignore[arg-type]
    if isinstance(reference, int | Decimal) and isinstance(found, int | Decimal):
        return Decimal(reference) == Decimal(found)
    return reference == found


def table_rows(rule: Any, batch: list[Lead], *, facts: bool = False) -> list[dict[str, Any]]:
    """``evaluate_frame``'s rows for the leads (a rule it refuses is assumed away)."""
    tables = leads_to_tables(batch)
    try:
        frame = evaluate_frame(rule, tables.leads, tables.signals, as_of=AS_OF, facts=facts)
    except UnsupportedRuleError:
        assume(False)
        raise
    except RuleEvaluationError as err:  # too large to be exact; never a table it reached
        # the reference gave every lead a value: no unique table matched twice where
        # the interpreter evaluates it, so the engine must not fail for one either
        if "unique" in str(err):
            pytest.fail(f"the engine failed where the reference did not: {err}")
        assume(False)
        raise
    assert isinstance(frame, pl.DataFrame)
    return frame.rows(named=True)


def _check(rule: Any, batch: list[Lead], reference: list[Any]) -> None:
    rows = table_rows(rule, batch)
    for lead, row, expected in zip(batch, rows, reference, strict=True):
        assert row["id"] == lead.id
        outputs = expected if isinstance(expected, dict) else {"value": expected}
        for name, value in outputs.items():
            assert same(value, row[name]), (lead.id, name, value, row[name])


def _agree(rule: Any, batch: list[Lead]) -> None:
    batch = tabular(batch)
    try:
        reference = [evaluate(rule, lead, as_of=AS_OF) for lead in batch]
    except RuleEvaluationError:
        assume(False)
        raise
    _check(rule, batch, reference)


_SETTINGS = {"suppress_health_check": [HealthCheck.filter_too_much, HealthCheck.too_slow]}


@examples(40, **_SETTINGS)
@given(conditions(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_conditions_agree(rule: Any, batch: list[Lead]) -> None:
    """Random conditions: the same Truth for every lead (unknown as null)."""
    _agree(rule, batch)


@examples(40, **_SETTINGS)
@given(values(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_values_agree(rule: Any, batch: list[Lead]) -> None:
    """Random values: the same number, exactly (missing as null)."""
    _agree(rule, batch)


@examples(30, **_SETTINGS)
@given(scores(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_scores_agree(rule: Any, batch: list[Lead]) -> None:
    """Random scores: the same points, exactly."""
    _agree(rule, batch)


@examples(30, **_SETTINGS)
@given(rule_sets(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_rule_sets_agree(rule: Any, batch: list[Lead]) -> None:
    """Random rule sets: every output, with refs to earlier ones."""
    _agree(rule, batch)


@examples(8, **_SETTINGS)
@given(rule_sets(columnar=True), st.lists(leads(), min_size=1, max_size=4))
def test_rule_sets_agree_with_streamed_sums(rule: Any, batch: list[Lead]) -> None:
    """Random rule sets, with the exact sums a large data frame gets (streamed, then the
    leads with more than two terms added again in table order)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("funnelkit.rules.engines.polars._frame.DIRECT_BELOW", 0)
        _agree(rule, batch)


def _any_lead(lead: Lead) -> bool | None:
    """A custom rule: Python code, which only the row engines run."""
    return True


@pytest.mark.parametrize(
    "rule",
    [
        custom_rule(_any_lead, name="fkt_polars_any"),
        signals(kind="demo_request").count(min_gap_days=7) >= 1,
        decision_table([(F.company.employees >= 1, 1)], hit_policy="collect"),
        F.contact.title.matches(r"(?=VP)"),
    ],
)
def test_refused_when_built(rule: Any) -> None:
    """What polars cannot run is refused when the rule is lowered, naming why."""
    tables = leads_to_tables([Lead(id="L-1")])
    with pytest.raises(UnsupportedRuleError):
        evaluate_frame(rule, tables.leads, tables.signals, as_of=AS_OF)


_EVERY_AGGREGATION = rule_set(
    once=signals(kind="demo_request").count(limit=1),
    capped=signals(kind={"email_open", "email_click"}, within=90).count(limit=3),
    counted=signals(kind="pricing_page_view").count(),
    explicit=signals(explicit=True).count(),
    latest=signals(kind="email_open").latest(),
    summed=signals().sum(),
    decayed=signals(kind="email_open").decayed(half_life_days=30),
    size=F.signals.size(),
)


def test_lazy_frames_stream() -> None:
    """Every signal aggregation streams on lazy frames, with the eager frame's values."""
    tables = leads_to_tables(load_demo()[:400])
    eager = evaluate_frame(_EVERY_AGGREGATION, tables.leads, tables.signals, as_of=DEMO_AS_OF)
    lazy = evaluate_frame(
        _EVERY_AGGREGATION, tables.leads.lazy(), tables.signals.lazy(), as_of=DEMO_AS_OF
    )
    assert isinstance(eager, pl.DataFrame)
    assert isinstance(lazy, pl.LazyFrame)
    try:
        graph = lazy.show_graph(
            engine="streaming", plan_stage="physical", raw_output=True, show=False
        )
    except TypeError:  # pragma: no cover - a polars without the streaming graph
        pytest.skip("this polars cannot show the streaming engine's physical plan")
    assert isinstance(graph, str)
    assert "in-memory-map" not in graph  # an aggregation the streaming engine cannot run
    streamed = lazy.collect(engine="streaming")
    assert streamed["id"].to_list() == eager["id"].to_list()
    for name in ("summed", "decayed"):  # sums in the engine's order: the last bits may move
        assert streamed[name].to_list() == pytest.approx(eager[name].to_list(), rel=1e-12)
    assert streamed.drop("summed", "decayed").equals(eager.drop("summed", "decayed"))


def _sequential(values: list[float]) -> float:
    total = 0.0
    for value in values:  # as the reference adds a lead's signals
        total += value
    return total


@pytest.mark.parametrize("spread", ["interleaved", "contiguous"])
def test_eager_sums_add_in_table_order(spread: str) -> None:
    """Eager float sums are the reference's to the last bit, however the signals lie.

    The values show the order they are added in: ``(1e16 + 1.0) - 1e16`` is 0.0 and
    ``(1e16 - 1e16) + 1.0`` is 1.0. The table is large enough for polars to split it among
    threads; each lead has one to six signals, some of them zeros, interleaved across
    the table or one lead after another. Leads with at most two terms that are not zero
    keep the streaming sum (the same in any order); the others are added again in order.
    """
    import random

    draw = random.Random(7)
    pool = [1e16, -1e16, 1.0, 0.1, 0.2, 0.3, 0.0, -0.0, 2.5e-8, 3e15]
    per_lead = {
        f"L-{i}": [draw.choice(pool) for _ in range(draw.randint(1, 6))] for i in range(40_000)
    }
    rows = [(lead, value) for lead, values in per_lead.items() for value in values]
    if spread == "interleaved":
        draw.shuffle(rows)
    ordered: dict[str, list[float]] = {}
    for lead, value in rows:
        ordered.setdefault(lead, []).append(value)
    at = datetime(2026, 4, 1, tzinfo=UTC)
    frame = pl.DataFrame(
        {
            "lead_id": [lead for lead, _ in rows],
            "kind": ["form_fill"] * len(rows),
            "occurred_at": [at] * len(rows),
            "explicit": [False] * len(rows),
            "value": [value for _, value in rows],
        },
        schema=SIGNALS_SCHEMA,
    )
    ids = pl.DataFrame({"id": list(per_lead)})
    got = evaluate_frame(signals().sum(), ids, frame, as_of=AS_OF)
    assert isinstance(got, pl.DataFrame)
    want = [_sequential(ordered[lead]) for lead in per_lead]
    assert got["value"].to_list() == want
    orders = {lead: {_sequential(v), _sequential(v[::-1])} for lead, v in ordered.items()}
    assert sum(len(both) > 1 for both in orders.values()) > 1_000  # the order shows
    for lead in list(per_lead)[:50]:
        one = frame.filter(pl.col("lead_id") == lead)
        (found,) = tables_to_leads(LeadTables(pl.DataFrame({"id": [lead]}), one))
        assert (
            evaluate(signals().sum(), found, as_of=AS_OF)
            == got.filter(pl.col("id") == lead)["value"][0]
        )


@pytest.mark.parametrize(
    "default",
    [signals().sum() + F.company.tags.size(), F.company.tags.size(), None],
    ids=["float", "int", "none"],
)
def test_collect_sum_default_keeps_its_value(default: Any) -> None:
    """A ``collect_sum`` table whose rows give nothing is its default, by value: a float
    default made the column float, where it was read as points in 1/10,000 units
    (1.0 became 0.0001). Found by the thorough profile."""
    table = decision_table(
        [(UNKNOWN, F.bant.timeline.horizon_days), (F.company.tags.size() >= 2, 3)],
        hit_policy="collect_sum",
        default=default,
    )
    batch = [
        Lead(id="L-0", company=Company(tags={"competitor_customer"})),
        Lead(id="L-1", company=Company(tags={"a", "b"})),
    ]
    _agree(table, batch)
