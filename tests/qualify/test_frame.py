"""qualify_frame equals qualify, row for row and cell for cell (DuckDB too, on random policies)."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, event, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import same, tabular

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.errors import InvalidArgumentError
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
from funnelkit.rules import F, RuleEvaluationError, UnsupportedRuleError, signals
from funnelkit.testing import leads, policies

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _compare(
    batch: list[Lead],
    policy: Policy,
    as_of: datetime,
    *,
    engine: str | None = None,
    explain: bool = False,
) -> None:
    """qualify_frame's rows (or qualify_table's with ``engine``) equal qualify's.

    With ``explain``, the unknown facts and next facts too (``result_row(explained=True)``).
    """
    tables = leads_to_tables(batch)
    if engine is None:
        frame = qualify_frame(tables.leads, tables.signals, policy, as_of=as_of, explain=explain)
    else:
        frame = qualify_table(
            tables.leads, tables.signals, policy, as_of=as_of, engine=engine, explain=explain
        )
    assert isinstance(frame, pl.DataFrame)
    assert frame["lead_id"].to_list() == [lead.id for lead in batch]
    for lead, row in zip(batch, frame.rows(named=True), strict=True):
        expected = result_row(
            qualify(lead, policy, as_of=as_of, explain=explain), explained=explain
        )
        assert list(row) == list(expected)
        for name, value in expected.items():
            assert same(value, row[name]), {
                k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])
            }


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_demo_data(policy: Policy) -> None:
    """Every demo lead, under every preset: the same row as qualify gives."""
    _compare(load_demo(), policy, DEMO_AS_OF)


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_demo_data_explained(policy: Policy) -> None:
    """The demo leads, under every preset: the same unknown facts and next facts.

    A quarter of them (the command-line tests compare all 2,500 leads' next facts).
    """
    _compare(load_demo()[::4], policy, DEMO_AS_OF, explain=True)


def test_demo_data_explained_in_duckdb() -> None:
    """DuckDB works out the same unknown facts and next facts as ``qualify``.

    An eighth of the demo leads, under the preset with a framework's criteria (the
    command-line tests compare every preset's first next facts on all of them).
    """
    _compare(load_demo()[1::8], BANT_GATED, DEMO_AS_OF, engine="duckdb", explain=True)


@pytest.mark.parametrize(
    "reentry",
    [
        F.signals.size() >= 2,
        signals(kind="email_open").count(limit=1) >= 1,
        signals(kind={"email_open", "email_click"}).decayed(half_life_days=30) >= 0.5,
        signals().sum() > 0,
    ],
    ids=["size", "once", "decayed", "summed"],
)
def test_reentry_reads_new_signals(reentry: Any) -> None:
    """Reentry rules of every aggregation, read after stage_entered_at: qualify's rows."""
    batch = load_demo()[:800]
    policy = attrs.evolve(STARTER, reentry=reentry)
    _compare(batch, policy, DEMO_AS_OF)
    tables = leads_to_tables(batch)
    eager = qualify_frame(tables.leads, tables.signals, policy, as_of=DEMO_AS_OF)
    lazy = qualify_frame(tables.leads.lazy(), tables.signals.lazy(), policy, as_of=DEMO_AS_OF)
    assert lazy.collect(engine="streaming").equals(eager)  # type: ignore[union-attr]


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
@examples(12, **_SETTINGS)
@given(
    _case(),
    st.sampled_from([AS_OF, datetime(2031, 1, 1, tzinfo=UTC)]),
    st.sampled_from([True, False, False]),
)
def test_random_policies_agree(
    case: tuple[Policy, list[Lead]], as_of: datetime, explained: bool
) -> None:
    """Random policies over random leads with gaps and histories: polars and DuckDB agree.

    polars with each output's unknown facts and the next facts; DuckDB with them in
    about a third of the examples (its explained query costs a few seconds to plan).
    """
    policy, batch = case
    try:
        _compare(batch, policy, as_of, explain=True)
    except (UnsupportedRuleError, RuleEvaluationError):
        assume(False)
    try:
        _compare(batch, policy, as_of, engine="duckdb", explain=explained)
    except (UnsupportedRuleError, RuleEvaluationError):
        event("DuckDB refused a policy polars ran")


def _scanned(
    tmp_path: Any, policy: Policy, *, drop: tuple[str, ...] = (), explain: bool = False
) -> pl.LazyFrame:
    """The demo leads written to Parquet, scanned, qualified lazily."""
    tables = leads_to_tables(load_demo()[:600])
    tables.leads.drop(drop).write_parquet(tmp_path / "leads.parquet")
    tables.signals.write_parquet(tmp_path / "signals.parquet")
    lazy = qualify_frame(
        pl.scan_parquet(tmp_path / "leads.parquet"),
        pl.scan_parquet(tmp_path / "signals.parquet"),
        policy,
        as_of=DEMO_AS_OF,
        explain=explain,
    )
    assert isinstance(lazy, pl.LazyFrame)
    return lazy


_PRESETS = pytest.mark.parametrize(
    "policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: str(p.name)
)


@_PRESETS
@pytest.mark.parametrize("drop", [(), ("stage", "stage_entered_at")], ids=["staged", "new"])
def test_parquet_scan_to_sink(tmp_path: Any, policy: Policy, drop: tuple[str, ...]) -> None:
    """Parquet scanned lazily, qualified, sunk to Parquet (streaming): the eager rows."""
    lazy = _scanned(tmp_path, policy, drop=drop)
    lazy.sink_parquet(tmp_path / "out.parquet")
    tables = leads_to_tables(load_demo()[:600])
    eager = qualify_frame(tables.leads.drop(drop), tables.signals, policy, as_of=DEMO_AS_OF)
    assert pl.read_parquet(tmp_path / "out.parquet").equals(eager)  # type: ignore[arg-type]


def _leads_scans(plan: str) -> list[int]:
    """How many columns each scan of ``leads.parquet`` in ``plan`` reads."""
    lines = plan.splitlines()
    found = []
    for index, line in enumerate(lines):
        if "SCAN" in line and "leads.parquet" in line:
            project = next(x for x in lines[index:] if "PROJECT" in x)
            found.append(int(project.split("PROJECT")[1].strip().split("/")[0]))
    return found


@_PRESETS
def test_lazy_plan_reads_the_leads_once(tmp_path: Any, policy: Policy) -> None:
    """A preset's streaming plan: no CACHE, one group-by of the signals, facts scanned once."""
    lazy = _scanned(tmp_path, policy)
    try:
        plan = lazy.explain(engine="streaming")
    except TypeError:  # pragma: no cover - a polars without engine= in explain
        pytest.skip("this polars cannot explain the streaming engine's plan")
    assert "CACHE" not in plan
    assert plan.count("AGGREGATE") == 1
    scans = _leads_scans(plan)
    assert len([n for n in scans if n > 3]) == 1
    nurture = any(s.kind.name == "NURTURE" for s in policy.funnel)
    # under a funnel with nurture, the reentry verdict's signals are cut at the
    # stage_entered_at of the leads in nurture: id, stage and that, filtered as read
    assert sorted(scans)[:-1] == ([3] if nurture else [])


@_PRESETS
@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explained"])
def test_lazy_plan_streams(tmp_path: Any, policy: Policy, explain: bool) -> None:
    """Every node of the streaming engine's plan streams: none holds its input in memory.

    The unknown facts and next facts too (their columns, and the next facts of each batch).
    """
    lazy = _scanned(tmp_path, policy, explain=explain)
    try:
        graph = lazy.show_graph(
            engine="streaming", plan_stage="physical", raw_output=True, show=False
        )
    except TypeError:  # pragma: no cover - a polars without the streaming graph
        pytest.skip("this polars cannot show the streaming engine's physical plan")
    assert isinstance(graph, str)
    nodes = {label.split("\\n")[0] for label in re.findall(r'label="([^"]*)"', graph)}
    assert "group-by" in nodes
    # in-memory-map: a node the streaming engine runs on all of its input at once;
    # multiplexer: a stream read twice, buffered between its readers
    assert not {n for n in nodes if n.startswith(("in-memory", "multiplexer"))}


def test_explained_lazy_frames_stream() -> None:
    """Unknown facts and next facts from a lazy frame: the eager rows, streamed."""
    tables = leads_to_tables(load_demo()[:300])
    eager = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF, explain=True)
    lazy = qualify_frame(
        tables.leads.lazy(), tables.signals.lazy(), STARTER, as_of=DEMO_AS_OF, explain=True
    )
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect(engine="streaming").equals(eager)  # type: ignore[arg-type]


def test_explained_rows_need_an_explained_qualification() -> None:
    """``result_row(explained=True)`` of a qualification made without explaining: an error."""
    unexplained = qualify(load_demo()[0], STARTER, as_of=DEMO_AS_OF, explain=False)
    with pytest.raises(InvalidArgumentError, match="explained"):
        result_row(unexplained, explained=True)


def test_next_facts_batches_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """polars may call the next-facts step from several threads: each batch's facts hold.

    The step's input is captured from one run, cut into batches, and run by four threads
    at once with a small cache (so it is also cleared while others read it): each batch's
    next facts equal those of the batch run alone.
    """
    from concurrent.futures import ThreadPoolExecutor

    from funnelkit.qualify import _framefacts

    seen: list[tuple[Any, pl.Series]] = []
    batch = _framefacts._Rows.batch

    def record(self: Any, rows: pl.Series) -> pl.Series:
        seen.append((self, rows))
        return batch(self, rows)

    monkeypatch.setattr(_framefacts._Rows, "batch", record)
    tables = leads_to_tables(load_demo()[:800])
    qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF, explain=True)
    monkeypatch.setattr(_framefacts._Rows, "batch", batch)
    work, rows = seen[0]
    batches = [rows.slice(at, 40) for at in range(0, rows.len(), 40)] * 3
    alone = [
        _framefacts._Rows(work.policy, work.gates, work.criteria, work.scores).batch(b)
        for b in batches
    ]
    monkeypatch.setattr(_framefacts, "MAX_KEPT", 64)
    shared = _framefacts._Rows(work.policy, work.gates, work.criteria, work.scores)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, to meet any race
    try:
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(shared.batch, batches))
    finally:
        sys.setswitchinterval(switch)
    assert [s.to_list() for s in together] == [s.to_list() for s in alone]
