"""The polars walker: each node lowered to an expression over the leads frame.

Strict nodes (``funnelkit.rules.meaning.STRICT``) go through one ``_strict`` step: the
operands are lowered, the node's operation is lowered by its visitor in ``OPERATIONS``,
and where any operand is missing the result is the declared ``on_missing``. The other
forms (logic, points, scores, signal aggregations, decision tables, named rules, rule
sets) have one visitor each, lowering the same operations the interpreter calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import polars as pl

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.polars._col import NUMBERS, Col, literal, null_of
from funnelkit.rules.engines.polars._fields import read_field
from funnelkit.rules.engines.polars._numbers import points_of
from funnelkit.rules.engines.polars._operations import OPERATIONS, PROPAGATES
from funnelkit.rules.engines.polars._signals import SignalColumns
from funnelkit.rules.meaning import STRICT, UnsupportedRuleError
from funnelkit.rules.tree import SCORE_PLACES, Expr, Truth

__all__ = ["Lowering", "Check"]

_FALSE = Col(pl.lit(False), "truth")
_NULL_RESULT = {tr.Size: null_of("int"), tr.Per: null_of("fixed", SCORE_PLACES)}

Check = tuple[pl.Expr, str]


def _true(col: Col) -> pl.Expr:
    """Whether a condition is TRUE (FALSE and UNKNOWN are not)."""
    return col.expr.fill_null(False)


def _on_missing(value: object, result: Col) -> Col:
    if value is Truth.UNKNOWN:
        return null_of("truth")
    if value is Truth.TRUE:
        return Col(pl.lit(True), "truth")
    if value is None:
        return null_of(result.kind, result.scale)
    if value == 0:
        zero = pl.lit(0, dtype=pl.Int64)
        return Col(zero, result.kind, result.scale)
    raise UnsupportedRuleError(f"no column value for {value!r}")  # pragma: no cover


class Lowering:
    """Lowers the nodes of one rule for one frame schema and one ``as_of``.

    Args:
        schema: The leads frame's column names and dtypes.
        as_of: The instant (timezone-aware).
        prefix: The start of the names of the columns the lowering adds (its steps
            and its signal aggregates), so that two lowerings can share one frame.
        signals_where: Only the signals where this holds count (see ``SignalColumns``).
        ordered: Signal sums in table order, exactly; ``False``: sums that polars'
            streaming engine runs as it reads (see ``SignalColumns``).

    Attributes:
        signals: The signal aggregations the lowered nodes read.
        steps: Columns to add, in order, before the lowered outputs are selected (the
            rule set's outputs that later ones refer to).
        checks: Conditions that must hold on every row (a ``unique`` decision table
            with one TRUE row at most), with the error message for a row that breaks one.
    """

    def __init__(
        self,
        schema: dict[str, Any],
        as_of: datetime,
        *,
        prefix: str = "__",
        signals_where: pl.Expr | None = None,
        ordered: bool = True,
    ) -> None:
        self.schema = schema
        self.as_of = as_of
        self.prefix = prefix
        self.signals = SignalColumns(as_of, prefix=prefix, where=signals_where, ordered=ordered)
        self.checks: list[Check] = []
        self.steps: list[pl.Expr] = []
        # the rows on which the interpreter evaluates the node being lowered (None: all)
        self._reach: pl.Expr | None = None
        self.env: dict[str, Col] = {}
        self._dispatch: dict[type, Callable[[Any], Col]] = {
            **dict.fromkeys(STRICT, self._strict),
            tr.Field: lambda n: read_field(n, self.schema),
            tr.Literal: lambda n: literal(n.value),
            tr.Const: self._const,
            tr.Not: lambda n: Col(~self.lower(n.operand).expr, "truth"),
            tr.All: lambda n: self._fold(n.items, pl.Expr.and_),
            tr.Any: lambda n: self._fold(n.items, pl.Expr.or_),
            tr.AtLeast: self._at_least,
            tr.SignalAgg: self.signals.column,
            tr.Points: self._points,
            tr.Score: self._score,
            tr.DecisionTable: self._table,
            tr.Named: lambda n: self.lower(n.expr),
            tr.Ref: lambda n: self.env[n.name],
            tr.Custom: self._custom,
        }

    def lower(self, node: Expr) -> Col:
        """The lowered node."""
        visit = self._dispatch.get(type(node))
        if visit is None:
            raise UnsupportedRuleError(f"no polars lowering for {type(node).__name__}", node=node)
        return visit(node)

    def _under(self, node: Expr, reached: pl.Expr | None) -> Col:
        """``node`` lowered where the interpreter reaches it only on the rows ``reached``.

        Only checks (a ``unique`` table matching twice) read this: a table the interpreter
        never evaluates for a lead, in a row whose condition is not TRUE, a default after
        a match, an item after an ``all_of``'s FALSE, must not fail that lead.
        """
        outer = self._reach
        if reached is not None:
            self._reach = reached if outer is None else outer & reached
        try:
            return self.lower(node)
        finally:
            self._reach = outer

    def outputs(self, node: tr.RuleSet) -> dict[str, Col]:
        """A rule set's outputs, in order; later ones read earlier ones through ``ref``.

        An output that a later one refers to is computed once, as a column of its own
        (``steps``), and the later one reads that column.
        """
        referred = {n.name for n in tr.walk(node) if isinstance(n, tr.Ref)}
        for index, (name, expr) in enumerate(node.outputs):
            col = self.lower(expr)
            if name in referred:
                column = f"{self.prefix}output_{index}"
                self.steps.append(col.expr.alias(column))
                col = attrs.evolve(col, expr=pl.col(column))
            self.env[name] = col
        return dict(self.env)

    # -- strict nodes -----------------------------------------------------------------

    def _strict(self, node: Expr) -> Col:
        meaning = STRICT[type(node)]
        if isinstance(node, tr.Size | tr.IsMissing) and _reads_signals(node.operand):
            # the lead's signals are a table of their own: counted there, always present
            return self.signals.count_all() if isinstance(node, tr.Size) else _FALSE
        operands = [self.lower(child) for child in node.children()]
        if any(op.kind == "null" for op in operands):  # a column the table lacks
            return _on_missing(meaning.on_missing, _NULL_RESULT.get(type(node), null_of("null")))
        result = OPERATIONS[type(node)](node, operands, self.as_of)
        missing = [op.missing for op in operands if op.nullable]
        if not missing:
            return result.present() if meaning.on_missing is not None else result
        if type(node) in PROPAGATES and meaning.on_missing in (None, Truth.UNKNOWN):
            return result  # the lowered operation is already null where an operand is
        fallback = _on_missing(meaning.on_missing, result)
        any_missing = missing[0] if len(missing) == 1 else pl.any_horizontal(missing)
        return Col(
            pl.when(any_missing).then(fallback.expr).otherwise(result.expr),
            result.kind,
            result.scale,
            result.currency,
        )

    # -- logic --------------------------------------------------------------------------

    def _const(self, node: tr.Const) -> Col:
        if node.value is None:
            return null_of("truth")
        return Col(pl.lit(bool(node.value)), "truth")

    def _fold(self, items: tuple[Expr, ...], op: Callable[[pl.Expr, pl.Expr], pl.Expr]) -> Col:
        # the interpreter stops at all_of's first FALSE and any_of's first TRUE
        conjunction = op is pl.Expr.and_
        exprs: list[pl.Expr] = []
        going: pl.Expr | None = None  # no earlier item settled it
        for item in items:
            expr = self._under(item, going).expr
            exprs.append(expr)
            still = expr.fill_null(True) if conjunction else ~expr.fill_null(False)
            going = still if going is None else going & still
        result = exprs[0]
        for expr in exprs[1:]:
            result = op(result, expr)
        return Col(result, "truth")

    def _at_least(self, node: tr.AtLeast) -> Col:
        cols = [self.lower(item).expr for item in node.items]
        true = pl.sum_horizontal([c.fill_null(False).cast(pl.Int64) for c in cols])
        unknown = pl.sum_horizontal([c.is_null().cast(pl.Int64) for c in cols])
        if node.n <= 0:
            return Col(pl.lit(True), "truth")
        expr = (
            pl.when(true >= node.n)
            .then(True)
            .when(true + unknown < node.n)
            .then(False)
            .otherwise(None)
        )
        return Col(expr, "truth")

    # -- points and scores ----------------------------------------------------------------

    def _points(self, node: tr.Points) -> Col:
        units = points_of(literal(node.points))
        when = _true(self.lower(node.when))
        return Col(pl.when(when).then(units).otherwise(0), "fixed", SCORE_PLACES, nullable=False)

    def _score(self, node: tr.Score) -> Col:
        terms = []
        for item in node.items:
            col = self.lower(item)
            if col.kind == "fixed" and col.scale > SCORE_PLACES:
                raise UnsupportedRuleError(
                    f"a score item with more than {SCORE_PLACES} decimal places", node=item
                )
            units = points_of(col)
            terms.append(units.fill_null(0) if col.nullable else units)
        total = pl.sum_horizontal(terms) if terms else pl.lit(0, dtype=pl.Int64)
        floor = None if node.floor is None else points_of(literal(node.floor))
        cap = None if node.cap is None else points_of(literal(node.cap))
        return Col(_bounded(total, floor, cap), "fixed", SCORE_PLACES, nullable=False)

    # -- decision tables ------------------------------------------------------------------

    def _table(self, node: tr.DecisionTable) -> Col:
        if node.hit_policy == "collect":
            raise UnsupportedRuleError("a 'collect' decision table gives a tuple", node=node)
        first = node.hit_policy == "first"
        hits: list[pl.Expr] = []
        outs: list[Col] = []
        before: pl.Expr | None = None  # no earlier row matched (what "first" reaches by)
        for when, then in node.rows:
            hit = _true(self._under(when, before if first else None))
            outs.append(self._under(then, hit if before is None or not first else hit & before))
            hits.append(hit)
            before = ~hit if before is None else before & ~hit
        default = None
        if node.default is not None:  # reached where no row gives the output
            given = [h & o.expr.is_not_null() for h, o in zip(hits, outs, strict=True)]
            none = ~pl.any_horizontal(hits if first else given)
            default = self._under(node.default, none)
        if node.hit_policy == "collect_sum":
            present = [
                pl.when(h & o.expr.is_not_null()).then(points_of(o))
                for h, o in zip(hits, outs, strict=True)
            ]
            any_present = pl.any_horizontal([p.is_not_null() for p in present])
            total = pl.sum_horizontal([p.fill_null(0) for p in present])
            summed = Col(total, "fixed", SCORE_PLACES)
            if default is None:
                empty = null_of(summed.kind, summed.scale)
            else:  # one representation for both (a float default makes the column float)
                both = _unified([summed, default])
                summed, empty = both(summed), both(default)
            expr = pl.when(any_present).then(summed.expr).otherwise(empty.expr)
            return Col(expr, summed.kind, summed.scale)
        kinds = _unified([*outs, *([default] if default is not None else [])])
        outs = [kinds(o) for o in outs]
        fallback = None if default is None else kinds(default)
        if node.hit_policy == "collect_max":
            present = [pl.when(h).then(o.expr) for h, o in zip(hits, outs, strict=True)]
            best = pl.max_horizontal(present)
            otherwise = fallback.expr if fallback is not None else None
            expr = pl.when(best.is_not_null()).then(best).otherwise(otherwise)
            return Col(expr, outs[0].kind, outs[0].scale)
        if node.hit_policy == "unique":
            count = pl.sum_horizontal([h.cast(pl.Int64) for h in hits])
            many = count > 1 if self._reach is None else self._reach.fill_null(False) & (count > 1)
            self.checks.append((many, "rows match a 'unique' decision table"))
        chain: Any = pl
        for hit, out in zip(hits, outs, strict=True):
            if node.hit_policy == "unique":  # table_outcome: the first present output
                hit = hit & out.expr.is_not_null()
            chain = chain.when(hit).then(out.expr)
        expr = chain.otherwise(fallback.expr if fallback is not None else None)
        return Col(expr, outs[0].kind, outs[0].scale)

    def _custom(self, node: tr.Custom) -> Col:
        raise UnsupportedRuleError(
            f"custom rule {node.name!r} is Python code: columnar engines cannot run it "
            "(run this rule on rows)",
            node=node,
        )


def _reads_signals(node: Expr) -> bool:
    return isinstance(node, tr.Field) and node.path == "signals"


def _bounded(total: pl.Expr, floor: pl.Expr | None, cap: pl.Expr | None) -> pl.Expr:
    """``funnelkit.rules.meaning.bounded`` on columns: the floor, then the cap."""
    if floor is not None:
        total = pl.max_horizontal(total, floor)
    if cap is not None:
        total = pl.min_horizontal(total, cap)
    return total


def _unified(cols: list[Col]) -> Callable[[Col], Col]:
    """A conversion of each of ``cols`` to one representation (numbers by value)."""
    kinds = {c.kind for c in cols} - {"null"}
    if kinds and kinds <= NUMBERS:
        if "float" in kinds:
            return lambda c: Col(c.as_float(), "float")
        scale = max((c.scale for c in cols if c.kind == "fixed"), default=0)
        kind = "fixed" if "fixed" in kinds else "int"
        return lambda c: (
            Col(c.at_scale(scale), kind, scale) if c.kind != "null" else null_of(kind, scale)
        )
    if len(kinds) > 1:
        raise UnsupportedRuleError(f"a decision table's outputs mix {sorted(kinds)}")
    kind = next(iter(kinds), "null")
    return lambda c: null_of(kind) if c.kind == "null" else c
