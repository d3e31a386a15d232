"""qualify_frame equals qualify, row for row and cell for cell (DuckDB too, on random policies)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, event, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import same, tabular

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.io import leads_to_tables
from funnelkit.model import Lead
from funnelkit.qualify import (
    BANT_GATED,
    STARTER,
    WATERFALL,
    Policy,
    qualify,
    qualify_frame,
    qualify_table,
    result_row,
)
from funnelkit.rules import RuleEvaluationError, UnsupportedRuleError
from funnelkit.testing import leads, policies

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _compare(
    batch: list[Lead], policy: Policy, as_of: datetime, *, engine: str | None = None
) -> None:
    """qualify_frame's rows (or qualify_table's with ``engine``) equal qualify's."""
    tables = leads_to_tables(batch)
    if engine is None:
        frame = qualify_frame(tables.leads, tables.signals, policy, as_of=as_of)
    else:
        frame = qualify_table(tables.leads, tables.signals, policy, as_of=as_of, engine=engine)
    assert isinstance(frame, pl.DataFrame)
    assert frame["lead_id"].to_list() == [lead.id for lead in batch]
    for lead, row in zip(batch, frame.rows(named=True), strict=True):
        expected = result_row(qualify(lead, policy, as_of=as_of, explain=False))
        assert list(row) == list(expected)
        for name, value in expected.items():
            assert same(value, row[name]), {
                k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])
            }


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_demo_data(policy: Policy) -> None:
    """Every demo lead, under every preset: the same row as qualify gives."""
    _compare(load_demo(), policy, DEMO_AS_OF)


def test_lazy_in_lazy_out() -> None:
    """A lazy frame gives a lazy frame, with the same rows when collected."""
    tables = leads_to_tables(load_demo()[:40])
    eager = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
    lazy = qualify_frame(tables.leads.lazy(), tables.signals.lazy(), STARTER, as_of=DEMO_AS_OF)
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(eager)  # type: ignore[union-attr]


def test_no_signals_table() -> None:
    """Without a signals table no lead has signals."""
    batch = [lead for lead in load_demo()[:20] if not lead.signals]
    tables = leads_to_tables(batch)
    frame = qualify_frame(tables.leads, None, STARTER, as_of=DEMO_AS_OF)
    assert frame.height == len(batch)  # type: ignore[union-attr]


_SETTINGS: dict[str, Any] = {
    "suppress_health_check": [HealthCheck.filter_too_much, HealthCheck.too_slow]
}


@st.composite
def _case(draw: st.DrawFn) -> tuple[Policy, list[Lead]]:
    policy = draw(policies(columnar=True))
    home = leads(funnel=policy.funnel)
    batch = draw(st.lists(home | leads(funnel=None), min_size=1, max_size=4))
    return policy, tabular(batch)


# One property for both columnar engines: a random policy and its leads cost far more to
# generate than to qualify, so each generated case is checked by polars and by DuckDB.
@examples(25, **_SETTINGS)
@given(_case(), st.sampled_from([AS_OF, datetime(2031, 1, 1, tzinfo=UTC)]))
def test_random_policies_agree(case: tuple[Policy, list[Lead]], as_of: datetime) -> None:
    """Random policies over random leads with gaps and histories: polars and DuckDB agree."""
    policy, batch = case
    try:
        _compare(batch, policy, as_of)
    except (UnsupportedRuleError, RuleEvaluationError):
        assume(False)
    try:
        _compare(batch, policy, as_of, engine="duckdb")
    except (UnsupportedRuleError, RuleEvaluationError):
        event("DuckDB refused a policy polars ran")


def test_parquet_scan_to_sink(tmp_path: Any) -> None:
    """Parquet scanned lazily, qualified, sunk to Parquet: the eager rows."""
    tables = leads_to_tables(load_demo()[:300])
    tables.leads.write_parquet(tmp_path / "leads.parquet")
    tables.signals.write_parquet(tmp_path / "signals.parquet")
    lazy = qualify_frame(
        pl.scan_parquet(tmp_path / "leads.parquet"),
        pl.scan_parquet(tmp_path / "signals.parquet"),
        STARTER,
        as_of=DEMO_AS_OF,
    )
    assert isinstance(lazy, pl.LazyFrame)
    lazy.sink_parquet(tmp_path / "out.parquet")
    eager = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
    assert pl.read_parquet(tmp_path / "out.parquet").equals(eager)  # type: ignore[arg-type]
