"""Table engines on the reference policy: funnelkit's polars engine against a hand-written plan.

The leads go to the table contract once (``funnelkit.io.leads_to_tables``; not timed).
Each engine then turns the tables into ``(id, fit, engagement, bant_met, stage)``; its
outputs must equal the hand-written per-row function's for every lead before its speed
counts. Ratios are measured in the same run: to the hand-written per-row function over
``Lead`` objects (``ratio_vs_handwritten``) and to the hand-written plan of the same
library (``ratio_vs_plan``). Wall time and process CPU time (all threads) are both
reported as ratios, never alone.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

TableEngine = Callable[[Any, Any, datetime], Any]
"""``(leads frame, signals frame, as_of) -> frame of id, fit, engagement, bant_met, stage``."""

INDUSTRIES = ["software", "fintech", "healthcare_it"]
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL"]
SENIORITIES = ["director", "vp", "c_level"]
DEPARTMENTS = ["sales", "marketing", "revops"]
BUDGET_MET = ["identified", "approved"]
TARGETS = {"polars": 0.8, "polars-lazy": 0.8, "duckdb": 0.8}
"""The minimum ratio to the hand-written plan each funnelkit engine aims for."""
WARM_UP = 1_000
"""Leads each isolated engine runs once, untimed, before it is timed."""
PER_ROW_TARGET = 5.0
"""The minimum ratio to the hand-written per-row function each aims for, in CPU time (as
the issue's prototypes were measured; wall time on 2 cores is shown beside it)."""


def polars_handwritten(leads: Any, signals: Any, as_of: datetime) -> Any:
    """The reference policy written by hand in polars, as a competent user would."""
    import polars as pl

    kind = pl.col("kind")
    counts = (
        signals.filter(pl.col("occurred_at") <= as_of)
        .group_by("lead_id")
        .agg(
            (kind == "demo_request").sum().alias("demos"),
            (kind == "pricing_page_view").sum().alias("pricing"),
            (kind == "content_download").sum().alias("downloads"),
            (kind == "email_reply").sum().alias("replies"),
            (kind == "unsubscribe").any().alias("unsubscribed"),
        )
    )
    frame = leads.join(counts, left_on="id", right_on="lead_id", how="left")

    def hit(test: Any, points: int) -> Any:
        return pl.when(test.fill_null(False)).then(points).otherwise(0)

    revenue = (pl.col("company.annual_revenue.currency") == "USD") & (
        pl.col("company.annual_revenue.amount") >= Decimal("10000000")
    )
    fit = (
        hit(pl.col("company.industry").is_in(INDUSTRIES), 20)
        + hit(pl.col("company.employees").is_between(50, 5000), 15)
        + hit(pl.col("company.country").is_in(COUNTRIES), 10)
        + hit(revenue, 10)
        + hit(pl.col("company.technologies").list.contains("salesforce"), 5)
        + hit(pl.col("contact.seniority").is_in(SENIORITIES), 15)
        + hit(pl.col("contact.department").is_in(DEPARTMENTS), 10)
        + hit(pl.col("company.tags").list.contains("competitor_customer"), -30)
    )

    def capped(name: str, cap: int) -> Any:
        return pl.min_horizontal(pl.col(name).fill_null(0), cap)

    engagement = (
        30 * capped("demos", 1)
        + 10 * capped("pricing", 3)
        + 5 * capped("downloads", 4)
        + 10 * capped("replies", 2)
        + hit(pl.col("unsubscribed"), -50)
    )
    days = (pl.col("bant.timeline.decision_date") - pl.lit(as_of.date())).dt.total_days()
    bant_met = (
        hit(pl.col("bant.budget.status").is_in(BUDGET_MET), 1)
        + hit(pl.col("bant.authority.level") == "decision_maker", 1)
        + hit(pl.col("bant.need.pain_points").list.len() >= 1, 1)
        + hit(days.is_between(0, 90), 1)
    )
    scored = frame.select(
        "id", fit.alias("fit"), engagement.alias("engagement"), bant_met.alias("bant_met")
    )
    ready = (pl.col("fit") >= 40) & (pl.col("engagement") >= 30)
    stage = (
        pl.when(ready & (pl.col("bant_met") == 4))
        .then(pl.lit("sales_opportunity"))
        .when(ready)
        .then(pl.lit("sales_ready"))
        .when(pl.col("fit") >= 40)
        .then(pl.lit("profiled"))
        .otherwise(pl.lit("inquiry"))
    )
    return scored.with_columns(stage.alias("stage"))


def funnelkit_polars(leads: Any, signals: Any, as_of: datetime) -> Any:
    """funnelkit's polars engine on the reference policy, eager."""
    from reference_policy import REFERENCE_POLICY

    from funnelkit.rules.engines.polars import evaluate_frame

    return evaluate_frame(REFERENCE_POLICY, leads, signals, as_of=as_of)


def funnelkit_polars_lazy(leads: Any, signals: Any, as_of: datetime) -> Any:
    """funnelkit's polars engine on lazy frames, collected."""
    from reference_policy import REFERENCE_POLICY

    from funnelkit.rules.engines.polars import evaluate_frame

    return evaluate_frame(REFERENCE_POLICY, leads.lazy(), signals.lazy(), as_of=as_of).collect()


HANDWRITTEN_SQL = """
WITH counts AS (
  SELECT lead_id,
         count(*) FILTER (WHERE kind = 'demo_request') AS demos,
         count(*) FILTER (WHERE kind = 'pricing_page_view') AS pricing,
         count(*) FILTER (WHERE kind = 'content_download') AS downloads,
         count(*) FILTER (WHERE kind = 'email_reply') AS replies,
         bool_or(kind = 'unsubscribe') AS unsubscribed
  FROM signals WHERE occurred_at <= $as_of GROUP BY lead_id
), scored AS (
  SELECT l.id,
    (CASE WHEN l."company.industry" IN ('software', 'fintech', 'healthcare_it') THEN 20 ELSE 0 END
     + CASE WHEN l."company.employees" BETWEEN 50 AND 5000 THEN 15 ELSE 0 END
     + CASE WHEN l."company.country" IN ('US', 'CA', 'GB', 'DE', 'FR', 'NL') THEN 10 ELSE 0 END
     + CASE WHEN l."company.annual_revenue.currency" = 'USD'
             AND l."company.annual_revenue.amount" >= 10000000 THEN 10 ELSE 0 END
     + CASE WHEN list_contains(l."company.technologies", 'salesforce') THEN 5 ELSE 0 END
     + CASE WHEN l."contact.seniority" IN ('director', 'vp', 'c_level') THEN 15 ELSE 0 END
     + CASE WHEN l."contact.department" IN ('sales', 'marketing', 'revops') THEN 10 ELSE 0 END
     + CASE WHEN list_contains(l."company.tags", 'competitor_customer') THEN -30 ELSE 0 END
    ) AS fit,
    (30 * least(coalesce(c.demos, 0), 1) + 10 * least(coalesce(c.pricing, 0), 3)
     + 5 * least(coalesce(c.downloads, 0), 4) + 10 * least(coalesce(c.replies, 0), 2)
     + CASE WHEN c.unsubscribed THEN -50 ELSE 0 END) AS engagement,
    (CASE WHEN l."bant.budget.status" IN ('identified', 'approved') THEN 1 ELSE 0 END
     + CASE WHEN l."bant.authority.level" = 'decision_maker' THEN 1 ELSE 0 END
     + CASE WHEN len(l."bant.need.pain_points") >= 1 THEN 1 ELSE 0 END
     + CASE WHEN l."bant.timeline.decision_date" - $today BETWEEN 0 AND 90 THEN 1 ELSE 0 END
    ) AS bant_met
  FROM leads l LEFT JOIN counts c ON c.lead_id = l.id
)
SELECT id, fit, engagement, bant_met,
  CASE WHEN fit >= 40 AND engagement >= 30 AND bant_met = 4 THEN 'sales_opportunity'
       WHEN fit >= 40 AND engagement >= 30 THEN 'sales_ready'
       WHEN fit >= 40 THEN 'profiled' ELSE 'inquiry' END AS stage
FROM scored
"""
"""The reference policy written by hand in DuckDB SQL over the table contract."""


def _duckdb_run(sql: str, leads: Any, signals: Any, params: dict[str, Any] | None) -> Any:
    import duckdb
    import polars as pl

    connection: Any = duckdb.connect()
    try:
        connection.register("leads", leads.to_arrow())
        connection.register("signals", signals.to_arrow())
        out = connection.sql(sql, params=params).pl()
    finally:
        connection.close()
    order = leads.select(pl.col("id")).with_row_index("__row")
    return order.join(out, on="id", how="left").sort("__row")


def duckdb_handwritten(leads: Any, signals: Any, as_of: datetime) -> Any:
    """The hand-written DuckDB SQL of the reference policy."""
    return _duckdb_run(HANDWRITTEN_SQL, leads, signals, {"as_of": as_of, "today": as_of.date()})


def funnelkit_duckdb(leads: Any, signals: Any, as_of: datetime) -> Any:
    """funnelkit's SQL engine on the reference policy, in an embedded DuckDB."""
    from reference_policy import REFERENCE_POLICY

    from funnelkit.rules import to_sql

    sql = to_sql(REFERENCE_POLICY, as_of=as_of, columns=leads.columns)
    return _duckdb_run(sql, leads, signals, None)


def table_engines() -> list[tuple[str, TableEngine]]:
    """The table engines that can run here (none without polars)."""
    try:
        import polars  # noqa: F401
    except ImportError:
        return []
    engines: list[tuple[str, TableEngine]] = [
        ("polars-handwritten", polars_handwritten),
        ("polars", funnelkit_polars),
        ("polars-lazy", funnelkit_polars_lazy),
    ]
    try:
        import duckdb  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError:
        return engines
    return [*engines, ("duckdb-handwritten", duckdb_handwritten), ("duckdb", funnelkit_duckdb)]


@dataclass(frozen=True)
class TableResult:
    """One table engine's row of the report."""

    engine: str
    rows: int
    ratio_vs_handwritten: float | None
    cpu_ratio_vs_handwritten: float | None
    ratio_vs_plan: float | None
    outputs_match: bool
    problem: str = ""
    peak_rss_mib: float | None = None
    """The peak RSS of the engine's own process (``--isolate``), else ``None``."""
    rows_per_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON record of the row."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "rows_per_s": self.rows_per_s,
            "ratio_vs_handwritten": self.ratio_vs_handwritten,
            "cpu_ratio_vs_handwritten": self.cpu_ratio_vs_handwritten,
            "ratio_vs_plan": self.ratio_vs_plan,
            "peak_rss_mib": self.peak_rss_mib,
            "outputs_match": self.outputs_match,
        }


def _timed(
    engine: TableEngine, tables: Any, as_of: datetime, repeat: int
) -> tuple[float, float, Any]:
    best_wall = best_cpu = float("inf")
    out = None
    was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            out = engine(tables.leads, tables.signals, as_of)
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
    finally:
        if was:
            gc.enable()
    return best_wall, best_cpu, out


def _tuples(frame: Any) -> list[tuple[Any, ...]]:
    rows = frame.select("fit", "engagement", "bant_met", "stage").rows()
    return [(int(f), int(e), int(b), s) for f, e, b, s in rows]


def table_rows(
    leads: Sequence[Any],
    expected: Sequence[tuple[Any, ...]],
    baseline: tuple[float, float],
    *,
    as_of: datetime,
    repeat: int,
) -> list[TableResult]:
    """Time each table engine; check it against ``expected``; ratios to ``baseline``.

    Args:
        leads: The leads (turned into tables once, untimed).
        expected: The hand-written function's outputs, lead by lead.
        baseline: The hand-written per-row function's (wall, CPU) seconds on ``leads``.
        as_of: The instant.
        repeat: Runs per engine (best).

    Returns:
        One row per engine.
    """
    engines = table_engines()
    if not engines:
        return []
    from funnelkit.io import leads_to_tables

    tables = leads_to_tables(leads)
    want = [tuple(int(v) if not isinstance(v, str) else v for v in row) for row in expected]
    results: list[TableResult] = []
    plans: dict[str, float | None] = {}
    for name, engine in engines:
        try:
            wall, cpu, frame = _timed(engine, tables, as_of, repeat)
        except Exception as err:  # a failing engine is a failed row, not a failed run
            results.append(TableResult(name, len(leads), None, None, None, False, f"{err!r}"))
            continue
        got = _tuples(frame)
        wrong = sum(1 for a, b in zip(got, want, strict=True) if a != b)
        family = name.split("-")[0]
        if name.endswith("handwritten"):
            plans[family] = wall if not wrong else None
        plan_wall = plans.get(family)
        ok = not wrong
        results.append(
            TableResult(
                name,
                len(leads),
                baseline[0] / wall if ok else None,
                baseline[1] / cpu if ok and cpu > 0 else None,
                plan_wall / wall if ok and plan_wall else None,
                ok,
                f"{wrong} of {len(leads)} leads differ" if wrong else "",
                rows_per_s=len(leads) / wall,
            )
        )
    return results


def isolated_table_rows(
    leads: Sequence[Any],
    expected: Sequence[tuple[Any, ...]],
    baseline: tuple[float, float],
    *,
    as_of: datetime,
    repeat: int,
    folder: Path,
) -> list[TableResult]:
    """``table_rows`` with each engine in a fresh process, and its peak RSS.

    The tables are written to Parquet once (not timed); each child reads them into memory,
    times its engine (best of ``repeat``, wall and CPU) and writes the outputs, which are
    compared here. The peak RSS is the child's own (``_isolate.run_child``): interpreter,
    libraries, the input tables in memory, and the engine's work.

    Args:
        leads: The leads (turned into tables once, untimed).
        expected: The hand-written function's outputs, lead by lead.
        baseline: The hand-written per-row function's (wall, CPU) seconds on ``leads``.
        as_of: The instant.
        repeat: Runs per engine (best).
        folder: Where the tables and outputs go.

    Returns:
        One row per engine.
    """
    engines = table_engines()
    if not engines:
        return []
    import polars as pl
    from _isolate import run_child

    from funnelkit.io import leads_to_tables

    tables = leads_to_tables(leads)
    tables.leads.write_parquet(folder / "leads.parquet")
    tables.signals.write_parquet(folder / "signals.parquet")
    del tables
    want = [tuple(int(v) if not isinstance(v, str) else v for v in row) for row in expected]
    results: list[TableResult] = []
    plans: dict[str, float | None] = {}
    for name, _engine in engines:
        out = folder / f"out-{name}.parquet"
        child = run_child("_tables.py", [name, str(folder), str(repeat), as_of.isoformat()])
        if child.returncode or not out.exists():
            problem = f"exit {child.returncode}: {child.stderr.strip()[-1500:]}"
            results.append(
                TableResult(name, len(leads), None, None, None, False, problem, child.peak_rss_mib)
            )
            continue
        wall, cpu = child.report["wall"], child.report["cpu"]
        got = _tuples(pl.read_parquet(out))
        wrong = sum(1 for a, b in zip(got, want, strict=True) if a != b)
        family = name.split("-")[0]
        if name.endswith("handwritten"):
            plans[family] = wall if not wrong else None
        plan_wall = plans.get(family)
        ok = not wrong
        results.append(
            TableResult(
                name,
                len(leads),
                baseline[0] / wall if ok else None,
                baseline[1] / cpu if ok and cpu > 0 else None,
                plan_wall / wall if ok and plan_wall else None,
                ok,
                f"{wrong} of {len(leads)} leads differ" if wrong else "",
                child.peak_rss_mib,
                len(leads) / wall,
            )
        )
    return results


def _child(argv: Sequence[str]) -> int:
    """``_tables.py ENGINE FOLDER REPEAT AS_OF``: time one engine on the Parquet tables."""
    import json

    import polars as pl

    name, folder, repeat, when = argv
    engine = dict(table_engines())[name]
    tables = _Tables(
        pl.read_parquet(Path(folder) / "leads.parquet"),
        pl.read_parquet(Path(folder) / "signals.parquet"),
    )
    as_of = datetime.fromisoformat(when)
    few = tables.leads.head(WARM_UP)  # imports and first-call costs, as in-process runs pay once
    engine(few, tables.signals.filter(pl.col("lead_id").is_in(few["id"])), as_of)
    wall, cpu, frame = _timed(engine, tables, as_of, int(repeat))
    frame.select("fit", "engagement", "bant_met", "stage").write_parquet(
        Path(folder) / f"out-{name}.parquet"
    )
    from _isolate import own_peak_rss_mib

    print(json.dumps({"wall": wall, "cpu": cpu, "vm_hwm_mib": own_peak_rss_mib()}))
    return 0


@dataclass(frozen=True)
class _Tables:
    leads: Any
    signals: Any


def table_report(results: Sequence[TableResult]) -> str:
    """The table rows as plain text."""
    head = (
        "engine",
        "rows",
        "rows/s",
        "x per-row (wall)",
        "x per-row (cpu)",
        "x hand plan",
        "peak RSS",
        "match",
    )
    lines = [head]
    for r in results:
        target = TARGETS.get(r.engine)
        plan = "n/a" if r.ratio_vs_plan is None else f"{r.ratio_vs_plan:.2f}x"
        if target is not None and r.ratio_vs_plan is not None:
            plan += f" ({target}x {'met' if r.ratio_vs_plan >= target else 'MISSED'})"
        cpu = r.cpu_ratio_vs_handwritten
        if r.engine in TARGETS and cpu is not None:
            met = "met" if cpu >= PER_ROW_TARGET else "MISSED"
            plan += f"; {PER_ROW_TARGET:.0f}x per-row cpu {met}"
        lines.append(
            (
                r.engine,
                f"{r.rows:,}",
                "n/a" if r.rows_per_s is None else f"{r.rows_per_s:,.0f}",
                "n/a" if r.ratio_vs_handwritten is None else f"{r.ratio_vs_handwritten:.2f}x",
                "n/a"
                if r.cpu_ratio_vs_handwritten is None
                else f"{r.cpu_ratio_vs_handwritten:.2f}x",
                plan,
                "n/a" if r.peak_rss_mib is None else f"{r.peak_rss_mib:,.0f} MiB",
                "yes" if r.outputs_match else "NO " + r.problem,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


if __name__ == "__main__":
    import sys

    sys.exit(_child(sys.argv[1:]))
