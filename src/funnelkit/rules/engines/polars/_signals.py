"""Signal aggregations as per-lead columns: one group-by over the signals table.

Each distinct aggregation in a rule (kinds, ``explicit``, window, count/sum/latest/decay)
becomes one column of a frame keyed by ``lead_id``, joined to the leads. A lead with no
matching signal gets the empty aggregate: a count of 0, a sum of 0.0, no latest time.
Sums run in the order of the signals table (a cumulative sum, as the reference adds one
signal after another), so float sums are the reference's to the last bit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from funnelkit.rules.engines.polars._col import Col, divide
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SignalAgg

__all__ = ["SignalColumns"]

_US_PER_DAY = 86_400 * 1_000_000


class SignalColumns:
    """The signal aggregations one rule needs, named ``__signal_<n>``."""

    def __init__(self, as_of: datetime) -> None:
        self.as_of = as_of.astimezone(UTC)
        self.nodes: dict[tuple[object, ...], tuple[str, SignalAgg]] = {}
        self.everything = False

    def column(self, node: SignalAgg) -> Col:
        """The lowered aggregation (registered on first use)."""
        if node.min_gap_days is not None:
            raise UnsupportedRuleError(
                "a minimum gap between signals is read signal by signal; columnar engines "
                "cannot run it (run this rule on rows)",
                node=node,
            )
        key = (
            node.kinds,
            node.within_days,
            node.explicit,
            node.agg,
            node.half_life_days,
            node.limit,
        )
        if key not in self.nodes:
            self.nodes[key] = (f"__signal_{len(self.nodes)}", node)
        name = self.nodes[key][0]
        col = pl.col(name)
        if node.agg == "count":
            return Col(col.fill_null(0), "int", nullable=False)
        if node.agg == "latest":
            return Col(col, "datetime")
        return Col(col.fill_null(0.0), "float", nullable=False)

    def count_all(self) -> Col:
        """How many signals each lead has (``F.signals.size()``: every signal, any time)."""
        self.everything = True
        return Col(pl.col("__signals_all").fill_null(0), "int", nullable=False)

    def _matching(self, node: SignalAgg) -> pl.Expr:
        at = pl.col("occurred_at")
        keep = at <= pl.lit(self.as_of)
        if node.kinds:
            keep = keep & pl.col("kind").is_in(sorted(node.kinds))
        if node.explicit is not None:
            keep = keep & (pl.col("explicit") == node.explicit)
        if node.within_days is not None:
            keep = keep & (at >= pl.lit(self.as_of - timedelta(days=node.within_days)))
        return keep

    def _aggregate(self, name: str, node: SignalAgg) -> pl.Expr:
        keep = self._matching(node)
        if node.agg == "count":
            count = keep.sum().cast(pl.Int64)
            return (count if node.limit is None else pl.min_horizontal(count, node.limit)).alias(
                name
            )
        if node.agg == "latest":
            return pl.col("occurred_at").filter(keep).max().alias(name)
        if node.agg == "sum":
            terms = pl.when(keep).then(pl.col("value").fill_null(0.0)).otherwise(0.0)
        else:
            age_us = (pl.lit(self.as_of) - pl.col("occurred_at")).dt.total_microseconds()
            seconds = divide(age_us, 1e6)  # as timedelta.total_seconds() rounds it
            days = divide(divide(seconds, 86400.0), float(node.half_life_days or 1))
            terms = pl.when(keep).then(pl.lit(0.5).pow(days)).otherwise(0.0)
        return terms.cum_sum().last().alias(name)

    def frame(self, signals: pl.LazyFrame) -> pl.LazyFrame | None:
        """The aggregates per ``lead_id`` (None when the rule reads no signals)."""
        if not self.nodes and not self.everything:
            return None
        aggs = [self._aggregate(name, node) for name, node in self.nodes.values()]
        if self.everything:
            aggs.append(pl.len().cast(pl.Int64).alias("__signals_all"))
        return signals.group_by("lead_id").agg(aggs)
