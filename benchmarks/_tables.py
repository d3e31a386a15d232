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
from typing import Any

TableEngine = Callable[[Any, Any, datetime], Any]
"""``(leads frame, signals frame, as_of) -> frame of id, fit, engagement, bant_met, stage``."""

INDUSTRIES = ["software", "fintech", "healthcare_it"]
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL"]
SENIORITIES = ["director", "vp", "c_level"]
DEPARTMENTS = ["sales", "marketing", "revops"]
BUDGET_MET = ["identified", "approved"]
TARGETS = {"polars": 0.8, "polars-lazy": 0.8}
"""The minimum ratio to the hand-written plan each funnelkit engine aims for."""


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


def table_engines() -> list[tuple[str, TableEngine]]:
    """The table engines that can run here (none without polars)."""
    try:
        import polars  # noqa: F401
    except ImportError:
        return []
    return [
        ("polars-handwritten", polars_handwritten),
        ("polars", funnelkit_polars),
        ("polars-lazy", funnelkit_polars_lazy),
    ]


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

    def to_json(self) -> dict[str, Any]:
        """The JSON record of the row."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "ratio_vs_handwritten": self.ratio_vs_handwritten,
            "cpu_ratio_vs_handwritten": self.cpu_ratio_vs_handwritten,
            "ratio_vs_plan": self.ratio_vs_plan,
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
    plan_wall: float | None = None
    for name, engine in engines:
        try:
            wall, cpu, frame = _timed(engine, tables, as_of, repeat)
        except Exception as err:  # a failing engine is a failed row, not a failed run
            results.append(TableResult(name, len(leads), None, None, None, False, f"{err!r}"))
            continue
        got = _tuples(frame)
        wrong = sum(1 for a, b in zip(got, want, strict=True) if a != b)
        if name.endswith("handwritten"):
            plan_wall = wall if not wrong else None
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
            )
        )
    return results


def table_report(results: Sequence[TableResult]) -> str:
    """The table rows as plain text."""
    head = ("engine", "rows", "x per-row (wall)", "x per-row (cpu)", "x hand plan", "match")
    lines = [head]
    for r in results:
        target = TARGETS.get(r.engine)
        plan = "n/a" if r.ratio_vs_plan is None else f"{r.ratio_vs_plan:.2f}x"
        if target is not None and r.ratio_vs_plan is not None:
            plan += f" ({target}x {'met' if r.ratio_vs_plan >= target else 'MISSED'})"
        lines.append(
            (
                r.engine,
                f"{r.rows:,}",
                "n/a" if r.ratio_vs_handwritten is None else f"{r.ratio_vs_handwritten:.2f}x",
                "n/a"
                if r.cpu_ratio_vs_handwritten is None
                else f"{r.cpu_ratio_vs_handwritten:.2f}x",
                plan,
                "yes" if r.outputs_match else "NO " + r.problem,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )
