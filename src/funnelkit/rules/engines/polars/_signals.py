"""Signal aggregations as per-lead columns: one group-by over the signals table.

Each distinct aggregation in a rule (kinds, ``explicit``, window, count/sum/latest/decay)
becomes one column of a frame keyed by ``lead_id``, joined to the leads. A lead with no
matching signal gets the empty aggregate: a count of 0, a sum of 0.0, no latest time.

Every aggregation is one of those polars' streaming engine runs as it reads (a sum, a
count, a maximum of a conditional column). A float sum added in the engine's order may
differ from the reference's, which adds a lead's signals one after another in table
order, in the last bits (as SQL sums do): a result can then differ only within ~1e-12
of a rounding tie or a threshold. The ``ordered`` sums are the reference's to the last
bit, at little cost (``exact_sums``): a sum with at most two terms that are not zero is
the same float in any order (adding 0.0 changes nothing, and ``a + b == b + a``), so
the streaming sum is kept where no ordered sum of the lead has more, and only the other
leads' signals are summed again in table order (a cumulative sum, as the reference
adds them). A data frame of fewer than ``DIRECT_BELOW`` leads has its ordered sums added
in table order in the group-by itself, which is quicker to plan.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from funnelkit.rules.engines.polars._col import Col, divide
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SignalAgg

__all__ = ["DIRECT_BELOW", "SignalColumns", "exact_sums"]

_US_PER_DAY = 86_400 * 1_000_000
_TERMS = "_terms"
"""The suffix of an ordered sum's count of terms that are not zero."""
_EXACT = "_exact"
"""The suffix of an ordered sum added again in table order."""
DIRECT_BELOW = 20_000
"""Data frames of fewer leads add their ordered sums in table order in the group-by itself:
on a few leads, planning the streaming sums and ``exact_sums`` costs more than it saves."""


class SignalColumns:
    """The signal aggregations one rule needs, named ``<prefix>signal_<n>``.

    Args:
        as_of: The instant "now" means.
        prefix: The start of the columns' names (two lowerings joined to one frame need
            two prefixes).
        where: Only the signals where this holds count (a per-lead cut-off joined onto
            the signals table, say); ``None``: every signal.
        ordered: Sums in table order, exactly (see the module docstring).
    """

    def __init__(
        self,
        as_of: datetime,
        *,
        prefix: str = "__",
        where: pl.Expr | None = None,
        ordered: bool = True,
    ) -> None:
        self.as_of = as_of.astimezone(UTC)
        self.prefix = prefix
        self.where = where
        self.ordered = ordered
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
            self.nodes[key] = (f"{self.prefix}signal_{len(self.nodes)}", node)
        name = self.nodes[key][0]
        col = pl.col(name)
        if node.agg == "count":  # aggregated as narrow as it can be (see _aggregate)
            return Col(col.cast(pl.Int64).fill_null(0), "int", nullable=False)
        if node.agg == "latest":
            return Col(col, "datetime")
        return Col(col.fill_null(0.0), "float", nullable=False)

    def count_all(self) -> Col:
        """How many signals each lead has (``F.signals.size()``: every signal, any time)."""
        self.everything = True
        return Col(pl.col(self._all).cast(pl.Int64).fill_null(0), "int", nullable=False)

    @property
    def _all(self) -> str:
        return f"{self.prefix}signals_all"

    def _matching(self, node: SignalAgg) -> pl.Expr:
        at = pl.col("occurred_at")
        keep = at <= pl.lit(self.as_of)
        if self.where is not None:
            keep = keep & self.where
        if len(node.kinds) == 1:  # one kind: an equality, cheaper than a set lookup
            keep = keep & (pl.col("kind") == next(iter(node.kinds)))
        elif node.kinds:
            keep = keep & pl.col("kind").is_in(sorted(node.kinds))
        if node.explicit is not None:
            keep = keep & (pl.col("explicit") == node.explicit)
        if node.within_days is not None:
            keep = keep & (at >= pl.lit(self.as_of - timedelta(days=node.within_days)))
        return keep

    def _aggregates(self, name: str, node: SignalAgg, *, direct: bool) -> list[pl.Expr]:
        """The aggregation, and for an ordered sum how many of its terms may not be zero.

        That count may be too high, never too low: a decayed sum counts every signal it
        takes (a weight is zero only when it underflows), a sum of values those whose
        value is not zero.
        """
        if not self.ordered or node.agg not in ("sum", "decayed"):
            return [self._aggregate(name, node)]
        if direct:
            return [self._ordered_sum(name, node)]
        keep = self._matching(node)
        if node.agg == "sum":
            keep = keep & (pl.col("value").fill_null(0.0) != 0.0)
        return [self._aggregate(name, node), keep.sum().alias(name + _TERMS)]

    def _aggregate(self, name: str, node: SignalAgg) -> pl.Expr:
        """One aggregation; counts stay narrow (Boolean, UInt32) until read as Int64.

        The streaming group-by holds a state per lead and aggregation, and the join
        holds its output: a count capped at one is whether any signal matched (a bit,
        not a sum), and other counts are summed as polars counts booleans.
        """
        keep = self._matching(node)
        if node.agg == "count" and node.limit == 1:
            return keep.any().alias(name)
        if node.agg == "count":
            count = keep.sum()
            if node.limit is not None:
                count = pl.min_horizontal(count.cast(pl.Int64), node.limit)
            return count.alias(name)
        if node.agg == "latest":  # a conditional column, not a filter: it streams
            return pl.when(keep).then(pl.col("occurred_at")).max().alias(name)
        return self._terms(node, keep).sum().alias(name)

    def _terms(self, node: SignalAgg, keep: pl.Expr) -> pl.Expr:
        """What each signal adds to a ``sum`` or ``decayed`` aggregation (0.0: nothing)."""
        if node.agg == "sum":
            return pl.when(keep).then(pl.col("value").fill_null(0.0)).otherwise(0.0)
        age_us = (pl.lit(self.as_of) - pl.col("occurred_at")).dt.total_microseconds()
        seconds = divide(age_us, 1e6)  # as timedelta.total_seconds() rounds it
        days = divide(divide(seconds, 86400.0), float(node.half_life_days or 1))
        return pl.when(keep).then(pl.lit(0.5).pow(days)).otherwise(0.0)

    def ordered_sums(self) -> dict[str, pl.Expr]:
        """Each ordered sum's column and its aggregation in table order.

        A cumulative sum over a lead's signals, its last value (as the reference adds
        them); empty unless ``ordered``.
        """
        if not self.ordered:
            return {}
        return {
            name: self._ordered_sum(name, node)
            for name, node in self.nodes.values()
            if node.agg in ("sum", "decayed")
        }

    def _ordered_sum(self, name: str, node: SignalAgg) -> pl.Expr:
        return self._terms(node, self._matching(node)).cum_sum().last().alias(name)

    def aggregations(self, *, direct: bool = False) -> list[pl.Expr]:
        """The aggregations for a group-by on ``lead_id``.

        Args:
            direct: Ordered sums as ``ordered_sums`` gives them, in the group-by itself
                (fewer steps to plan, for a few leads); else each streams with its count
                of terms, for ``exact_sums``.
        """
        aggs = [
            agg
            for name, node in self.nodes.values()
            for agg in self._aggregates(name, node, direct=direct)
        ]
        if self.everything:
            every = pl.len() if self.where is None else self.where.sum()
            aggs.append(every.alias(self._all))
        return aggs


def exact_sums(
    aggregates: pl.LazyFrame, signals: pl.LazyFrame, ordered: dict[str, pl.Expr]
) -> pl.LazyFrame:
    """The aggregates with every ordered sum as the reference adds it, to the last bit.

    ``aggregates`` holds each ordered sum added in the engine's order, and how many of
    its terms may not be zero (``<name>_terms``). Where each of a lead's ordered sums has
    at most two such terms, that sum is the same in any order; the leads with more have
    their signals summed again in table order (a semi-join that keeps the signals'
    order, and a group keeps its rows' order).

    Args:
        aggregates: The aggregates per ``lead_id`` (``SignalColumns.aggregations``).
        signals: The signals table they were aggregated from.
        ordered: ``SignalColumns.ordered_sums`` of every lowering aggregated.

    Returns:
        The aggregates, each ordered sum exact, without the counts of terms (a plan
        that reads the aggregates and those leads' signals).
    """
    names = list(ordered)
    many = pl.any_horizontal(pl.col(n + _TERMS) > 2 for n in names)
    doubtful = aggregates.filter(many).select("lead_id")
    again = (
        signals.join(doubtful, on="lead_id", how="semi", maintain_order="left")
        .group_by("lead_id")
        .agg(expr.alias(n + _EXACT) for n, expr in ordered.items())
    )
    sums = aggregates.drop(n + _TERMS for n in names)
    joined = sums.join(again, on="lead_id", how="left", maintain_order="left")
    exact = [pl.coalesce(n + _EXACT, n).alias(n) for n in names]
    return joined.with_columns(exact).drop(n + _EXACT for n in names)
