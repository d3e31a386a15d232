"""The operations of the strict node kinds, in SQL: one visitor per kind, in one table.

``STRICT`` (``funnelkit.rules.meaning``) says what each strict kind is when an operand
is missing and which operation it performs on present values; the walker (``_lower``)
lowers the operands, guards them with an explicit ``IS NULL`` check and the declared
``on_missing``, and calls the visitor here for the present case. So a visitor never
sees a NULL operand, and a dialect whose own function would turn a missing list into
FALSE (Postgres, BigQuery) or ignore a NULL argument (``LEAST``) cannot change a result.

``NULL_PASSES`` names the spellings below that need no such guard: where a kind's
``on_missing`` is itself unknown (or missing), and SQL's own NULL propagation already
makes the operation NULL whenever a nullable operand is NULL (``x IN ('a', 'b')``,
``x BETWEEN 0 AND 90``, ``x = 'vp'``), reading that operand once, the walker leaves
the ``CASE WHEN x IS NULL ...`` out; the result is the same in three-valued logic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import reduce
from typing import Any, Final

import attrs
from sqlglot import exp

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.sql._low import Low, lower_literal
from funnelkit.rules.engines.sql._spell import (
    MICROS_PER_DAY,
    case,
    days_between_dates,
    epoch_micros,
    float_to_decimal,
    floor_div,
    greatest,
    least,
    list_contains,
    list_contains_keeps_null,
    list_size,
    micros_since_epoch,
    number,
    regex_search,
    round_half_even,
    sql_type,
)
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SCORE_PLACES, Expr

__all__ = ["Context", "OPERATIONS", "NULL_PASSES", "exact_points"]


@attrs.frozen
class Context:
    """What a visitor needs besides its operands: the dialect and the instant."""

    dialect: str
    as_of: datetime
    share: Callable[[exp.Expr], exp.Expr] = lambda sql: sql


Visitor = Callable[[Any, list[Low], Context], Low]

_COMPARE: Final[dict[str, Callable[..., exp.Expr]]] = {
    "==": lambda a, b: exp.EQ(this=a, expression=b),
    "!=": lambda a, b: exp.NEQ(this=a, expression=b),
    "<": lambda a, b: exp.LT(this=a, expression=b),
    "<=": lambda a, b: exp.LTE(this=a, expression=b),
    ">": lambda a, b: exp.GT(this=a, expression=b),
    ">=": lambda a, b: exp.GTE(this=a, expression=b),
}
_NUMBERS: Final = frozenset({"int", "float", "decimal", "points", "any"})


def _compare_sql(op: str, left: Low, right: Low, node: Expr) -> exp.Expr:
    if (left.kind == "money") != (right.kind == "money"):
        raise UnsupportedRuleError("money compares only with money", node=node)
    test = _COMPARE[op](left.sql.copy(), right.sql.copy())
    if left.kind == "money":
        assert left.currency is not None
        assert right.currency is not None
        same = exp.EQ(this=left.currency.copy(), expression=right.currency.copy())
        return case([(same, test)], exp.cast(exp.Null(), sql_type("BOOLEAN")))
    return test


def _compare(node: tr.Compare, ops: list[Low], ctx: Context) -> Low:
    return Low(_compare_sql(node.op, ops[0], ops[1], node), "bool")


def _isin(node: tr.IsIn, ops: list[Low], ctx: Context) -> Low:
    if ops[0].kind == "money":
        raise UnsupportedRuleError("isin on money is not lowered to SQL", node=node)
    values = [lower_literal(v).sql for v in sorted(node.values, key=repr) if v is not None]
    if not values:
        return Low(exp.false(), "bool", nullable=False)
    return Low(exp.In(this=ops[0].sql, expressions=values), "bool")


def _between(node: tr.Between, ops: list[Low], ctx: Context) -> Low:
    value, low, high = ops
    if "money" not in (value.kind, low.kind, high.kind):
        return Low(exp.Between(this=value.sql, low=low.sql, high=high.sql), "bool")
    above = _compare_sql(">=", value, low, node)
    below = _compare_sql("<=", value, high, node)
    return Low(exp.and_(above, below), "bool")


def _contains(node: tr.Contains, ops: list[Low], ctx: Context) -> Low:
    value = ops[0]
    if value.kind == "list":
        if node.operand.value_kind() == "list":
            raise UnsupportedRuleError("contains on a list of objects", node=node)
        found = list_contains(value.sql, exp.Literal.string(str(node.item)), ctx.dialect)
        return Low(found, "bool")
    if not isinstance(node.item, str):
        raise UnsupportedRuleError("contains on a text needs a text", node=node)
    position = exp.StrPosition(this=value.sql, substr=exp.Literal.string(node.item))
    return Low(exp.GT(this=position, expression=exp.Literal.number(0)), "bool")


def _overlaps(node: tr.Overlaps, ops: list[Low], ctx: Context) -> Low:
    if node.operand.value_kind() == "list":
        raise UnsupportedRuleError("overlaps on a list of objects", node=node)
    items = sorted(str(getattr(i, "value", i)) for i in node.items)
    if not items:
        return Low(exp.false(), "bool", nullable=False)
    tests = [list_contains(ops[0].sql.copy(), exp.Literal.string(i), ctx.dialect) for i in items]
    return Low(exp.or_(*tests), "bool")


def _text(node: tr.TextTest, ops: list[Low], ctx: Context) -> Low:
    value, arg = ops[0].sql, node.arg
    if node.op == "icontains":
        position = exp.StrPosition(
            this=exp.Lower(this=value), substr=exp.Literal.string(arg.casefold())
        )
        return Low(exp.GT(this=position, expression=exp.Literal.number(0)), "bool")
    side = exp.Left if node.op == "startswith" else exp.Right
    part = side(this=value, expression=exp.Literal.number(len(arg)))
    return Low(exp.EQ(this=part, expression=exp.Literal.string(arg)), "bool")


def _matches(node: tr.Matches, ops: list[Low], ctx: Context) -> Low:
    return Low(regex_search(ops[0].sql, node.pattern, ctx.dialect), "bool")


def _is_missing(node: tr.IsMissing, ops: list[Low], ctx: Context) -> Low:
    return Low(exp.false(), "bool", nullable=False)


def _numeric_kind(a: Low, b: Low, node: Expr) -> str:
    kinds = {a.kind, b.kind}
    if not kinds <= _NUMBERS:
        raise UnsupportedRuleError(f"arithmetic on {sorted(kinds)}", node=node)
    if "any" in kinds:
        raise UnsupportedRuleError("arithmetic on values of unknown type", node=node)
    if kinds == {"float", "points"}:
        raise UnsupportedRuleError(
            "arithmetic of a float with points: in Python a score is an int or a Decimal "
            "depending on the lead (0.1 * 3 is 0.30000000000000004, 0.1 * Decimal(3) is "
            "0.3), which one SQL column type cannot follow",
            node=node,
        )
    if kinds & {"decimal", "points"}:
        return "decimal"
    return "float" if "float" in kinds else "int"


def _as_decimal(low: Low, ctx: Context) -> exp.Expr:
    """Python's ``Decimal(repr(x))`` of a float; ints and decimals as they are."""
    if low.kind == "float":
        return float_to_decimal(low.sql, ctx.dialect)
    return low.sql


def _arith(node: tr.Arith, ops: list[Low], ctx: Context) -> Low:
    left, right = ops
    kind = _numeric_kind(left, right, node)
    if node.op == "/":
        if kind == "decimal":
            raise UnsupportedRuleError(
                "division of decimals: Python's decimal context rounds to 28 digits, "
                "SQL decimals to a fixed scale",
                node=node,
            )
        a: exp.Expr = exp.cast(left.sql, sql_type("DOUBLE"))
        b: exp.Expr = exp.cast(right.sql, sql_type("DOUBLE"))
        zero = exp.EQ(this=right.sql.copy(), expression=exp.Literal.number(0))
        return Low(case([(zero, exp.Null())], exp.Div(this=a, expression=b)), "float")
    if kind == "decimal":
        a, b = _as_decimal(left, ctx), _as_decimal(right, ctx)
    else:
        a, b = left.sql, right.sql
    spell = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}[node.op]
    return Low(spell(this=exp.paren(a), expression=exp.paren(b)), kind)


def _func(node: tr.Func, ops: list[Low], ctx: Context) -> Low:
    kind = reduce(lambda k, low: _numeric_kind(Low(exp.Null(), k), low, node), ops[1:], ops[0].kind)
    if kind == "decimal" and any(o.kind == "float" for o in ops):
        raise UnsupportedRuleError("min / max of decimals and floats", node=node)
    args = [o.sql for o in ops]
    if node.name == "min":
        return Low(least(args, ctx.dialect), kind)
    if node.name == "max":
        return Low(greatest(args, ctx.dialect), kind)
    value, low, high = args
    return Low(greatest([low, least([high, value], ctx.dialect)], ctx.dialect), kind)


def _size(node: tr.Size, ops: list[Low], ctx: Context) -> Low:
    if ops[0].kind == "rows":  # a list the contract holds as its size (``_low._ROWS``)
        return Low(ops[0].sql, "int", nullable=False)
    return Low(list_size(ops[0].sql, ctx.dialect), "int", nullable=False)


def _days(node: tr.DaysFrom, ops: list[Low], ctx: Context) -> Low:
    value = ops[0]
    if value.kind == "date":
        today = exp.cast(exp.Literal.string(ctx.as_of.date().isoformat()), sql_type("DATE"))
        days = days_between_dates(value.sql, today, ctx.dialect)
    elif value.kind == "datetime":
        now = exp.Literal.number(micros_since_epoch(ctx.as_of))
        age = exp.Sub(this=now, expression=epoch_micros(value.sql, ctx.dialect))
        days = floor_div(exp.paren(age), MICROS_PER_DAY, ctx.dialect)
    else:
        raise UnsupportedRuleError("day counts need a date or a datetime", node=node)
    if node.direction == "until":
        days = exp.Neg(this=exp.paren(days))
    return Low(days, "int")


def exact_points(low: Low, ctx: Context) -> exp.Expr:
    """``to_points``: ints as they are, floats rounded half-even to 4 places, decimals exact."""
    if low.kind == "float":
        return round_half_even(
            float_to_decimal(low.sql, ctx.dialect), SCORE_PLACES, share=ctx.share
        )
    return low.sql


def _per(node: tr.Per, ops: list[Low], ctx: Context) -> Low:
    value = ops[0]
    if value.kind not in _NUMBERS - {"any"}:
        raise UnsupportedRuleError(f"per needs a number of known type, got {value.kind}", node=node)
    weight = node.weight
    if value.kind == "int" and isinstance(weight, int):
        product = exp.Mul(this=exp.paren(value.sql), expression=number(weight))
        return Low(product, "int", nullable=value.nullable)
    product = exp.Mul(this=exp.paren(_as_decimal(value, ctx)), expression=number(weight))
    rounded = round_half_even(product, SCORE_PLACES, share=ctx.share)
    return Low(rounded, "points", nullable=value.nullable)


def _grade(node: tr.Grade, ops: list[Low], ctx: Context) -> Low:
    value = ops[0]
    whens: list[tuple[exp.Expr, exp.Expr]] = [
        (exp.GTE(this=value.sql.copy(), expression=number(threshold)), exp.Literal.string(label))
        for label, threshold in node.bands
    ]
    return Low(case(whens, exp.Literal.string(node.default)), "str")


OPERATIONS: Final[dict[type[Expr], Visitor]] = {
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
"""The present-value operation of each strict kind (the keys are ``STRICT``'s)."""


NullPasses = Callable[[Any, list[Low], str], bool]


def _always(node: Expr, ops: list[Low], dialect: str) -> bool:
    return True


def _isin_passes(node: tr.IsIn, ops: list[Low], dialect: str) -> bool:
    # an empty set is FALSE even for a missing value: ``_isin`` writes FALSE, not ``IN ()``
    return any(v is not None for v in node.values) and ops[0].kind != "money"


def _between_passes(node: tr.Between, ops: list[Low], dialect: str) -> bool:
    # ``5 BETWEEN NULL AND 3`` is FALSE: only a missing value (bounds present) is NULL
    value, low, high = ops
    return not (low.nullable or high.nullable) and "money" not in (value.kind, low.kind, high.kind)


def _contains_passes(node: tr.Contains, ops: list[Low], dialect: str) -> bool:
    return ops[0].kind != "list" or list_contains_keeps_null(dialect)


def _arith_passes(node: tr.Arith, ops: list[Low], dialect: str) -> bool:
    return node.op != "/"  # the division reads its divisor twice (a zero is NULL)


def _days_passes(node: tr.DaysFrom, ops: list[Low], dialect: str) -> bool:
    # an instant's day count reads it three times (``floor_div``): only a column is cheap
    return ops[0].kind == "date" or isinstance(ops[0].sql, exp.Column)


NULL_PASSES: Final[dict[type[Expr], NullPasses]] = {
    tr.Compare: _always,
    tr.IsIn: _isin_passes,
    tr.Between: _between_passes,
    tr.Contains: _contains_passes,
    tr.TextTest: _always,
    tr.Matches: _always,
    tr.Arith: _arith_passes,
    tr.DaysFrom: _days_passes,
}
"""The kinds whose operation above is NULL whenever a nullable operand is NULL, reading
it once: when the kind's ``on_missing`` is unknown or missing, the walker needs no
``IS NULL`` check for them (``docs/how-to/sql.md``). ``LEAST`` (which skips NULLs in
DuckDB and Postgres), a list membership in Postgres or BigQuery (FALSE for a NULL list),
``CASE`` (whose NULL condition falls to ``ELSE``: ``Grade``) are not in it."""
