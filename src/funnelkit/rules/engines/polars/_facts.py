"""The polars engine's columns for the facts walkers (``funnelkit.rules.engines.facts``).

Every column the walkers share is added to the frame in layers (``FrameOps.layers``, one
``with_columns`` each), after the lowering's own steps and signal aggregates.
"""

from __future__ import annotations

from typing import Any

import attrs
import polars as pl

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts import Ops, Value
from funnelkit.rules.engines.polars._col import Col
from funnelkit.rules.engines.polars._lower import Lowering
from funnelkit.rules.engines.polars._numbers import points_of
from funnelkit.rules.tree import Expr

__all__ = ["FrameOps"]

_READ_AS_THEY_ARE = (tr.Field, tr.Literal, tr.Const, tr.SignalAgg)


class FrameOps(Ops):
    """The columns of one lowering's frame, for the facts walkers.

    Args:
        lowering: The lowering of the rule's values (its steps and signal aggregates are
            columns of the frame the layers are added to).

    Attributes:
        layers: Columns to add in order, one ``with_columns`` per layer.
    """

    TRUE = pl.lit(True)
    FALSE = pl.lit(False)

    def __init__(self, lowering: Lowering) -> None:
        self.low = lowering
        self.layers: list[list[pl.Expr]] = []
        self._count = 0

    def int_(self, value: int | None) -> pl.Expr:
        """An Int64 constant (``None``: a null one)."""
        return pl.lit(value, dtype=pl.Int64)

    def any_(self, conditions: list[Any]) -> pl.Expr:
        """``pl.any_horizontal``."""
        return pl.any_horizontal(conditions)

    def count(self, conditions: list[Any]) -> pl.Expr:
        """The sum of the conditions as Int64."""
        if not conditions:
            return pl.lit(0, dtype=pl.Int64)
        return pl.sum_horizontal([c.cast(pl.Int64) for c in conditions])

    def when(self, condition: Any, then: Any, otherwise: Any | None) -> pl.Expr:
        """``pl.when(condition).then(then).otherwise(otherwise)``."""
        chosen = pl.when(condition).then(then)
        return chosen if otherwise is None else chosen.otherwise(otherwise)

    def coalesce(self, values: list[Any]) -> pl.Expr:
        """``pl.coalesce``."""
        return pl.coalesce(values)

    def column(self, expr: Any, height: int) -> pl.Expr:
        """``expr`` added to layer ``height``; the column read back."""
        name = f"{self.low.prefix}fact_{self._count}"
        self._count += 1
        while len(self.layers) <= height:
            self.layers.append([])
        self.layers[height].append(expr.alias(name))
        return pl.col(name)

    def value(self, node: Expr) -> Value:
        """The node lowered (its checks left to the lowering of the outputs)."""
        checks = len(self.low.checks)
        col = self.low.lower(node)
        del self.low.checks[checks:]  # the value lowering keeps its own checks
        if not isinstance(node, _READ_AS_THEY_ARE):  # a column or a constant: no copy
            col = attrs.evolve(col, expr=self.column(col.expr, 0))
        exact = col.kind in ("int", "fixed")
        scale = col.scale if col.kind == "fixed" else 0
        return Value(col.expr, col.nullable, exact, scale, col)

    def units(self, value: Value, scale: int) -> pl.Expr:
        """``Col.at_scale`` of the value."""
        col: Col = value.native
        return col.at_scale(scale)

    def points(self, value: Value) -> pl.Expr:
        """``points_of`` the value."""
        col: Col = value.native
        return points_of(col)
