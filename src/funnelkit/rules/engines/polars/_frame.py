"""Running a lowered rule over a leads frame and a signals frame."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import polars as pl

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts import Paths, output_facts
from funnelkit.rules.engines.polars._col import Col
from funnelkit.rules.engines.polars._facts import FrameOps
from funnelkit.rules.engines.polars._lower import Lowering
from funnelkit.rules.engines.polars._signals import DIRECT_BELOW, exact_sums
from funnelkit.rules.meaning import RuleEvaluationError, check_as_of
from funnelkit.rules.tree import Expr

__all__ = ["evaluate_frame", "output_expr", "SIGNALS_SCHEMA", "with_signals", "collect"]

SIGNALS_SCHEMA: dict[str, Any] = {
    "lead_id": pl.String,
    "kind": pl.String,
    "occurred_at": pl.Datetime("us", "UTC"),
    "explicit": pl.Boolean,
    "value": pl.Float64,
}
"""The signals table of the contract: one row per signal."""


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Run a lazy frame; a number too large for exact columns is a RuleEvaluationError.

    Exact decimals and scores travel as Int64 units (up to about 9.2e14 points at four
    places); a value beyond that cannot be held exactly, and polars refuses the cast.
    """
    try:
        return frame.collect()
    except pl.exceptions.InvalidOperationError as err:
        raise RuleEvaluationError(
            "a number is too large for the columnar engines' exact columns (scores up to "
            f"about 9.2e14): {str(err).splitlines()[0]}"
        ) from None


def output_expr(col: Col) -> pl.Expr:
    """A lowered value as its output column: exact decimals as ``Decimal(38, scale)``."""
    if col.kind in ("fixed", "money") and col.scale:
        exact: pl.Expr = col.expr.cast(pl.Decimal(38, col.scale)) / 10**col.scale
        return exact
    if col.kind == "fixed":
        return col.expr.cast(pl.Decimal(38, 0))
    return col.expr


def with_signals(
    leads: pl.LazyFrame,
    signals: pl.LazyFrame | None,
    *lowerings: Lowering,
    rows: int | None = None,
) -> pl.LazyFrame:
    """The leads with the signal aggregates the lowered rules read joined on.

    The aggregates of every lowering come from one group-by over the signals, joined to
    the leads once (in the leads' order): the leads are read once, and polars' streaming
    engine holds one row per lead of aggregates, never the leads. Ordered sums (data
    frames) are exact: added in table order in the group-by for fewer than
    ``DIRECT_BELOW`` leads (``rows``), else streamed and made exact by ``exact_sums``.
    """
    if signals is None:
        signals = pl.LazyFrame(schema=SIGNALS_SCHEMA)
    direct = rows is not None and rows < DIRECT_BELOW
    aggs = [agg for lowering in lowerings for agg in lowering.signals.aggregations(direct=direct)]
    if not aggs:
        return leads
    aggregates = signals.group_by("lead_id").agg(aggs)
    if not direct:
        ordered = {k: v for low in lowerings for k, v in low.signals.ordered_sums().items()}
        if ordered:
            aggregates = exact_sums(aggregates, signals, ordered)
    return leads.join(
        aggregates, left_on="id", right_on="lead_id", how="left", maintain_order="left"
    )


def fact_list(paths: Paths) -> pl.Expr:
    """A set of facts as a sorted list of paths (a ``list[str]`` column)."""
    if not paths:
        return pl.lit([], dtype=pl.List(pl.String))
    listed = [pl.when(cast(pl.Expr, paths[p])).then(pl.lit(p)) for p in sorted(paths)]
    return pl.concat_list(listed).list.drop_nulls()


def with_layers(frame: pl.LazyFrame, layers: list[list[pl.Expr]]) -> pl.LazyFrame:
    """The frame with the columns of each layer added, in order."""
    for layer in layers:
        if layer:
            frame = frame.with_columns(layer)
    return frame


def evaluate_frame(
    rule: Expr,
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    as_of: datetime,
    facts: bool = False,
) -> pl.DataFrame | pl.LazyFrame:
    """Evaluate a rule for every lead of a frame, in polars (no Python per row).

    The result equals the reference interpreter's for every lead (unknown is null):
    see the engines page of the docs for how that is proven.

    Args:
        rule: A condition, a value, a score, or a rule set.
        leads: The leads table of the contract (``funnelkit.io.leads_to_tables``,
            ``funnelkit.io.read_tables``), with an ``id`` column.
        signals: The signals table (``lead_id, kind, occurred_at, explicit, value``);
            ``None``: no lead has signals.
        as_of: The instant "now" means (timezone-aware).
        facts: Also give each output's unknown facts (``<output>.facts``, the paths
            ``explain`` lists, sorted) and those that could make it TRUE
            (``<output>.lifts``).

    Returns:
        ``id`` and one column per output of a rule set (``value`` for other rules):
        conditions as Boolean (null for unknown), exact decimals as ``Decimal``; with
        ``facts``, two ``list[str]`` columns more per output. A lazy
        frame in gives a lazy frame out, every node of which polars' streaming engine
        runs as it reads (holding one row of signal aggregates per lead); its signal
        sums are then added in the engine's order, not the table's, so a float can
        differ in its last bits (as in SQL engines).

    Raises:
        UnsupportedRuleError: The rule holds what columnar engines cannot run (custom
            Python rules, minimum gaps between signals, ``collect`` tables, ...).
        RuleEvaluationError: A ``unique`` decision table has two TRUE rows for a lead.
        TypeError: ``as_of`` is not a timezone-aware datetime.
    """
    check_as_of(as_of)
    lazy = isinstance(leads, pl.LazyFrame)
    frame = leads.lazy()
    lowering = Lowering(dict(frame.collect_schema()), as_of.astimezone(UTC), ordered=not lazy)
    if isinstance(rule, tr.RuleSet):
        cols = lowering.outputs(rule)
    else:
        cols = {"value": lowering.lower(rule)}
    ops = FrameOps(lowering) if facts else None
    found = output_facts(ops, rule) if ops is not None else {}
    rows = leads.height if isinstance(leads, pl.DataFrame) else None
    frame = with_signals(frame, None if signals is None else signals.lazy(), lowering, rows=rows)
    for step in lowering.steps:
        frame = frame.with_columns(step)
    if ops is not None:
        frame = with_layers(frame, ops.layers)
    selected = [pl.col("id"), *(output_expr(c).alias(name) for name, c in cols.items())]
    for name, (listed, lifts) in found.items():
        selected += [
            fact_list(listed).alias(f"{name}.facts"),
            fact_list(lifts).alias(f"{name}.lifts"),
        ]
    checks = [check.alias(f"__check_{i}") for i, (check, _) in enumerate(lowering.checks)]
    out = frame.select(*selected, *checks)
    if lazy:
        return out.drop([f"__check_{i}" for i in range(len(checks))])
    result = collect(out)
    for i, (_, message) in enumerate(lowering.checks):
        broken = result.filter(pl.col(f"__check_{i}").fill_null(False))
        if broken.height:
            raise RuleEvaluationError(f"lead {broken['id'][0]!r}: {message}")
    return result.drop([f"__check_{i}" for i in range(len(checks))])
