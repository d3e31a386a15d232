"""The one operation of each strict node kind, lowered to polars.

Each visitor receives the node, its lowered operands (in ``children()`` order) and
``as_of``, and lowers the operation ``funnelkit.rules.meaning`` declares for present
values; ``_lower`` applies ``on_missing``. Where polars and Python differ, the visitor
says so: ``icontains`` folds case with ``to_lowercase`` (Python's ``casefold`` also
folds ``ß`` to ``ss``), and ``matches`` uses Rust's regex engine, which refuses
look-around and back-references (refused when the rule is lowered).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import polars as pl

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.polars._col import NUMBERS, Col, literal
from funnelkit.rules.engines.polars._numbers import arith, compare, extreme, points_of
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SCORE_PLACES

__all__ = ["OPERATIONS", "PROPAGATES"]

Operation = Callable[[Any, list[Col], datetime], Col]
_US_PER_DAY = 86_400 * 1_000_000


def _truth(expr: pl.Expr) -> Col:
    return Col(expr, "truth")


def _isin(node: tr.IsIn, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind in NUMBERS or value.kind == "money":
        tests = [compare("==", value, literal(v)) for v in node.values if _comparable(value, v)]
        if not tests:
            return _truth(pl.lit(False))
        return _truth(pl.any_horizontal(tests).fill_null(False))
    if value.kind in ("str", "bool", "date", "datetime"):
        same = [literal(v) for v in node.values]
        keep = [c.expr for c in same if c.kind == value.kind]
        if not keep:
            return _truth(pl.lit(False))
        return _truth(pl.any_horizontal([value.expr == k for k in keep]))
    raise UnsupportedRuleError(f"isin on a {value.kind} value", node=node)


def _comparable(value: Col, item: object) -> bool:
    try:
        found = literal(item)
    except UnsupportedRuleError:
        return False
    return found.kind in NUMBERS if value.kind in NUMBERS else found.kind == value.kind


def _between(node: tr.Between, ops: list[Col], as_of: datetime) -> Col:
    value, low, high = ops
    return _truth(compare(">=", value, low) & compare("<=", value, high))


def _contains(node: tr.Contains, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    item = literal(node.item)
    if value.kind == "list" and item.kind == "str":
        return _truth(value.expr.list.contains(item.expr))
    if value.kind == "str" and item.kind == "str":
        return _truth(value.expr.str.contains(str(literal_text(node.item)), literal=True))
    raise UnsupportedRuleError(f"contains on a {value.kind} value", node=node)


def literal_text(value: object) -> str:
    """A text constant (an enum member as its value)."""
    return str(getattr(value, "value", value))


def _overlaps(node: tr.Overlaps, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind != "list":
        raise UnsupportedRuleError(f"overlap with a {value.kind} value", node=node)
    items = sorted(literal_text(i) for i in node.items)
    return _truth(value.expr.list.eval(pl.element().is_in(items)).list.any())


def _text(node: tr.TextTest, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind != "str":
        raise UnsupportedRuleError(f"{node.op} needs text, got a {value.kind} value", node=node)
    if node.op == "startswith":
        return _truth(value.expr.str.starts_with(node.arg))
    if node.op == "endswith":
        return _truth(value.expr.str.ends_with(node.arg))
    folded = value.expr.str.to_lowercase()
    return _truth(folded.str.contains(node.arg.casefold(), literal=True))


def _matches(node: tr.Matches, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind != "str":
        raise UnsupportedRuleError(f"matches needs text, got a {value.kind} value", node=node)
    try:
        pl.Series([""], dtype=pl.String).str.contains(node.pattern)
    except pl.exceptions.ComputeError as err:
        raise UnsupportedRuleError(
            f"the pattern {node.pattern!r} uses what polars' regex engine lacks: {err}",
            node=node,
        ) from None
    return _truth(value.expr.str.contains(node.pattern))


def _is_missing(node: tr.IsMissing, ops: list[Col], as_of: datetime) -> Col:
    return _truth(pl.lit(False))


def _arith(node: tr.Arith, ops: list[Col], as_of: datetime) -> Col:
    left, right = ops
    return arith(node.op, left, right)


def _func(node: tr.Func, ops: list[Col], as_of: datetime) -> Col:
    if node.name in ("min", "max"):
        return extreme(node.name, ops)
    value, low, high = ops
    return extreme("max", [low, extreme("min", [high, value])])


def _size(node: tr.Size, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind == "list":
        return Col(value.expr.list.len().cast(pl.Int64), "int")
    if value.kind == "str":
        return Col(value.expr.str.len_chars().cast(pl.Int64), "int")
    raise UnsupportedRuleError(f"size of a {value.kind} value", node=node)


def _days(node: tr.DaysFrom, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    if value.kind == "datetime":
        age = (pl.lit(as_of.astimezone(UTC)) - value.expr).dt.total_microseconds() // _US_PER_DAY
    elif value.kind == "date":
        age = (pl.lit(as_of.date()) - value.expr).dt.total_days()
    else:
        raise UnsupportedRuleError(f"day counts need a date, got a {value.kind} value", node=node)
    age = age.cast(pl.Int64)
    return Col(age if node.direction == "age" else -age, "int")


def _per(node: tr.Per, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    return Col(points_of(value, node.weight), "fixed", SCORE_PLACES)


def _grade(node: tr.Grade, ops: list[Col], as_of: datetime) -> Col:
    (value,) = ops
    chain: Any = pl
    for label, threshold in node.bands:
        chain = chain.when(compare(">=", value, literal(threshold))).then(pl.lit(label))
    return Col(chain.otherwise(pl.lit(node.default)), "str")


def _compare(node: tr.Compare, ops: list[Col], as_of: datetime) -> Col:
    left, right = ops
    return _truth(compare(node.op, left, right))


OPERATIONS: dict[type, Operation] = {
    tr.Compare: _compare,
    tr.IsIn: _isin,
    tr.Between: _between,
    tr.Contains: _contains,
    tr.Overlaps: _overlaps,
    tr.TextTest: _text,
    tr.Matches: _matches,
    tr.IsMissing: _is_missing,
    tr.Arith: _arith,
    tr.Func: _func,
    tr.Size: _size,
    tr.DaysFrom: _days,
    tr.Per: _per,
    tr.Grade: _grade,
}
"""The lowered operation of each strict node kind (the keys of ``STRICT``)."""

PROPAGATES = frozenset({tr.Compare, tr.Arith, tr.TextTest, tr.Matches, tr.Contains, tr.DaysFrom})
"""Kinds whose lowered operation is already null wherever an operand is: where their
declared ``on_missing`` is unknown or missing, no extra test for missing operands is
needed (the engine-agreement properties check that this holds)."""
