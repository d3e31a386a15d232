"""What each node means, stated once: the table every engine reads.

Most nodes are **strict**: they read the values of their operands (``node.children()``),
and when any operand is missing the node is its ``on_missing`` result -- UNKNOWN for a
condition, missing (``None``) for a value, 0 for points and sizes. Otherwise the node is
the result of its one ``operation`` on the present values. ``operation(node)`` prepares
that function once per node (constants bound, patterns compiled); it takes the operand
values in ``children()`` order, after ``as_of`` when the node is ``timed``.

The documented exception is ``IsMissing``, a statement about knowledge: missing makes it
TRUE, and any present value FALSE; it is strict all the same, with TRUE on missing.

The other forms are few and are stated here too, as functions of ``_operations``:

* logic (``Const``, ``Not``, ``All``, ``Any``, ``AtLeast``): Kleene's tables on Truth
  (``Truth.__and__`` and friends; ``at_least_truth`` counts);
* ``Points``: its points when the condition is TRUE, else 0 (``points_when``);
* ``Score``: the sum of its present items, then ``floor``, then ``cap`` (``bounded``);
* signal aggregations: ``signal_agg`` (kinds, window, gaps, counts, decay);
* decision tables: rows in order, then the hit policy (``table_outcome``);
* named rules are their expression; rule sets evaluate outputs in order, and ``ref``
  reads an earlier output; custom rules call the user's function (strict on inputs).

An engine is a walker: it looks a node up here (``strict_meaning``), evaluates the
operands its own way, and applies ``on_missing`` or the operation. A fast path an engine
keeps must give the same results; the engine-agreement properties check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from funnelkit.rules import tree as tr
from funnelkit.rules.meaning._operations import (
    arith,
    compare,
    days_from,
    func,
    grade_of,
    matches_text,
    per_points,
    text_test,
)
from funnelkit.rules.tree import Expr, Truth

__all__ = ["Strict", "STRICT", "strict_meaning"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN

Operation = Callable[..., object]


@attrs.frozen
class Strict:
    """The meaning of a strict node kind.

    Attributes:
        on_missing: The node's result when any operand is missing.
        operation: Prepares, for one node, the function of the present operand values.
        timed: Whether that function takes ``as_of`` before the operand values.
    """

    on_missing: object
    operation: Callable[[Any], Operation]
    timed: bool = False


def _compare(node: tr.Compare) -> Operation:
    op = node.op
    return lambda left, right: compare(op, left, right)


def _isin(node: tr.IsIn) -> Operation:
    values = node.values
    return lambda value: T if value in values else F_


def _between(node: tr.Between) -> Operation:
    return lambda value, low, high: compare(">=", value, low) & compare("<=", value, high)


def _contains(node: tr.Contains) -> Operation:
    item = node.item
    return lambda value: T if item in value else F_


def _overlaps(node: tr.Overlaps) -> Operation:
    items = node.items
    return lambda value: F_ if items.isdisjoint(value) else T


def _text(node: tr.TextTest) -> Operation:
    op, arg = node.op, node.arg
    return lambda value: text_test(op, arg, value)


def _matches(node: tr.Matches) -> Operation:
    pattern = re.compile(node.pattern)
    return lambda value: matches_text(pattern, value)


def _arith(node: tr.Arith) -> Operation:
    op = node.op
    return lambda left, right: arith(op, left, right)


def _func(node: tr.Func) -> Operation:
    name = node.name
    return lambda *args: func(name, list(args))


def _days(node: tr.DaysFrom) -> Operation:
    direction = node.direction

    def days(as_of: datetime, value: object) -> int:
        return days_from(value, direction, as_of)

    return days


def _per(node: tr.Per) -> Operation:
    weight = node.weight
    if type(weight) is int:  # whole times whole is whole: no rounding to do

        def whole(value: object) -> object:
            return value * weight if type(value) is int else per_points(value, weight)

        return whole
    return lambda value: per_points(value, weight)


def _grade(node: tr.Grade) -> Operation:
    bands, default = node.bands, node.default
    return lambda value: grade_of(bands, default, value)


STRICT: Mapping[type[Expr], Strict] = {
    tr.Compare: Strict(on_missing=U, operation=_compare),
    tr.IsIn: Strict(on_missing=U, operation=_isin),
    tr.Between: Strict(on_missing=U, operation=_between),
    tr.Contains: Strict(on_missing=U, operation=_contains),
    tr.Overlaps: Strict(on_missing=U, operation=_overlaps),
    tr.TextTest: Strict(on_missing=U, operation=_text),
    tr.Matches: Strict(on_missing=U, operation=_matches),
    tr.IsMissing: Strict(on_missing=T, operation=lambda node: lambda value: F_),
    tr.Arith: Strict(on_missing=None, operation=_arith),
    tr.Func: Strict(on_missing=None, operation=_func),
    tr.Size: Strict(on_missing=0, operation=lambda node: len),
    tr.DaysFrom: Strict(on_missing=None, operation=_days, timed=True),
    tr.Per: Strict(on_missing=0, operation=_per),
    tr.Grade: Strict(on_missing=None, operation=_grade),
}
"""The strict node kinds and their meaning (see the module docstring)."""


def strict_meaning(node: Expr) -> Strict | None:
    """The meaning of ``node``'s kind if it is strict, else None."""
    return STRICT.get(type(node))
