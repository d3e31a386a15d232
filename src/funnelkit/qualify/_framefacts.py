"""``qualify_frame(..., explain=True)``: each lead's unknown facts and next facts, as columns.

The unknown facts of the policy's outputs (scores, gates, criteria) are those explain
lists for the lead, stated over polars columns by the shared facts walkers
(``FactWalker`` and ``Directed`` over ``FrameOps``). The next facts are then ``qualify``'s
own ranking (``next_facts``) of those, worked out once for each distinct combination of
a lead's stage, outcomes and facts (most leads share a few), so that the paths cannot
drift apart; ``next_facts_column`` also ranks them for DuckDB's result (``_duckdb``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import polars as pl

from funnelkit.qualify._factcols import fact_names, fact_outputs, next_fact_fields
from funnelkit.qualify._nextfacts import foreign_fact, next_facts, reentry_fact
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._result import NextFact
from funnelkit.rules import Truth
from funnelkit.rules.engines.facts import Directed, FactWalker
from funnelkit.rules.engines.polars import FrameOps, Lowering, fact_list

__all__ = ["NEXT_FACTS_DTYPE", "fact_columns", "next_facts_column"]

_TEXTS = pl.List(pl.String)
NEXT_FACTS_DTYPE = pl.List(
    pl.Struct(
        {
            "path": pl.String,
            "unlocks": _TEXTS,
            "criteria": _TEXTS,
            "scores": _TEXTS,
            "reason": pl.String,
        }
    )
)
"""A ``next_facts`` column: each lead's next facts, most useful first."""
_TRUTH = {True: Truth.TRUE, False: Truth.FALSE, None: Truth.UNKNOWN}
_NUMBERS = pl.List(pl.UInt32)
MAX_KEPT = 65536
"""How many distinct rows' next facts a run keeps, for the batches that follow."""


def fact_columns(policy: Policy, lowering: Lowering) -> tuple[list[list[pl.Expr]], list[pl.Expr]]:
    """The layers of fact columns to add, and the ``__facts_*`` / ``__lifts_*`` lists.

    ``lowering`` has lowered ``policy.rules`` (its outputs are known).
    """
    ops = FrameOps(lowering)
    walker = FactWalker(ops)
    walker.outputs(policy.rules)
    directed = Directed(walker)
    listed = [
        fact_list(walker.env[name].facts).alias(f"__facts_{name}") for name in fact_outputs(policy)
    ]
    listed += [
        fact_list(directed.lifts(walker.nodes[f"stage_{s.key}"])).alias(f"__lifts_{s.key}")
        for s, _ in policy.ordered_gates
    ]
    return ops.layers, listed


def next_facts_column(policy: Policy, columns: Mapping[str, str] | None = None) -> pl.Expr:
    """The ``next_facts`` column, from the columns an engine computes.

    Args:
        policy: The policy.
        columns: Each field ``next_fact_fields`` names -> the column holding it (by
            default, those of ``frame_qualify``).
    """
    if columns is None:
        columns = next_fact_fields(policy, lambda name: f"__out_{name}")
    work = _Rows(policy, *fact_names(policy))
    return (
        pl.struct(*(pl.col(column).alias(name) for name, column in columns.items()))
        .map_batches(work.batch, return_dtype=NEXT_FACTS_DTYPE, is_elementwise=True)
        .alias("next_facts")
    )


class _Rows:
    """``next_facts`` for batches of rows, once per distinct row."""

    def __init__(
        self, policy: Policy, gates: list[str], criteria: list[str], scores: list[str]
    ) -> None:
        self.policy, self.gates, self.criteria, self.scores = policy, gates, criteria, scores
        self.done: dict[tuple[Any, ...], list[int]] = {}  # a row -> its facts' numbers
        self.facts: dict[NextFact, int] = {}  # each next fact met, numbered
        self.lock = threading.Lock()

    def batch(self, rows: pl.Series) -> pl.Series:
        """The next facts of a batch: worked out once per distinct row, then spread.

        Each distinct next fact becomes one struct, and each row a list of their numbers,
        so that polars builds the nested column, not Python.
        """
        if rows.len() == 0:
            return pl.Series(rows.name, [], dtype=NEXT_FACTS_DTYPE)
        table = rows.struct.unnest().with_row_index("__row")
        keys = [c for c in table.columns if c != "__row"]
        groups = table.group_by(keys, maintain_order=True).agg(pl.col("__row"))
        keyed = [
            (tuple(tuple(v) if isinstance(v, list) else v for v in row.values()), row)
            for row in groups.select(keys).iter_rows(named=True)
        ]
        # polars may call this from several threads at once: the kept rows and the
        # numbering are shared, so they are read and grown under a lock, and the batch
        # keeps its own copy of the facts its numbers point to.
        with self.lock:
            done, one, numbers = self.done, self.one, self.facts
            if len(done) + len(keyed) > MAX_KEPT:  # a long stream of distinct leads
                done.clear()  # start over, between batches: a batch's numbers stay valid
                numbers.clear()
            found = []
            for key, row in keyed:
                listed = done.get(key)
                if listed is None:
                    listed = done[key] = [numbers.setdefault(f, len(numbers)) for f in one(row)]
                found.append(listed)
            met = list(numbers)
        schema = NEXT_FACTS_DTYPE.inner.to_schema()  # type: ignore[union-attr]
        structs = pl.DataFrame([f.as_row() for f in met], schema=schema).select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("__fact"),
            pl.struct(*schema).alias("fact"),
        )
        by_group = (
            pl.DataFrame({"__fact": pl.Series(found, dtype=_NUMBERS)})
            .with_row_index("__group")
            .explode("__fact")
            .with_row_index("__at")
            .join(structs, on="__fact", how="inner")
            .sort("__at")
            .group_by("__group", maintain_order=True)
            .agg(pl.col("fact").alias("facts"))
        )
        empty = pl.lit([], dtype=NEXT_FACTS_DTYPE)
        listed_facts = (
            groups.select("__row")
            .with_row_index("__group")
            .explode("__row")
            .join(by_group, on="__group", how="left")
            .sort("__row")
            .select(pl.col("facts").fill_null(empty))
        )
        return listed_facts["facts"].alias(rows.name)

    def one(self, row: dict[str, Any]) -> tuple[NextFact, ...]:
        policy = self.policy
        outcomes: dict[str, Any] = {f"stage_{g}": _TRUTH[row[f"gate_{g}"]] for g in self.gates}
        outcomes.update({c: _TRUTH[row[f"is_{c}"]] for c in self.criteria})
        facts = {n: tuple(row[f"facts_{n}"]) for n in [*self.criteria, *self.scores]}
        lifts = {f"stage_{g}": tuple(row[f"lifts_{g}"]) for g in self.gates}
        expired = tuple(row["expired"])
        notes: tuple[NextFact, ...] = ()
        foreign = bool(row["foreign"])
        if foreign:
            notes = foreign_fact(row["stage"], policy)
        elif row["held"]:
            entered: datetime | None = row["entered"]
            notes = reentry_fact(entered, row["placed"], policy, row["rule_stage"])
        ranked = next_facts(
            policy, row["stage"], outcomes, facts, lifts, expired, movable=not foreign
        )
        return notes + ranked
