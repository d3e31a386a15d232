"""Numbers as Python computes them, in polars: ints, floats and exact decimals.

``fixed`` values are Int64 units of ``10 ** -scale``: sums, differences, products and
comparisons of Python ``Decimal`` values are reproduced exactly. What Python rounds is
rounded here the same way, half to even, written out on integers (never a dialect's
``round``). A float meets a decimal only where the reference converts it with
``Decimal(repr(value))``; polars has no shortest-repr conversion, so such places
(points of a float value) round the float product, which differs from the reference only
when the exact product lies within about 1e-12 of a rounding tie.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from funnelkit.rules.engines.facts import weight_units
from funnelkit.rules.engines.polars._col import NUMBERS, Col, divide
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SCORE_PLACES

__all__ = ["compare", "arith", "extreme", "points_of", "half_even_div"]

_OPS = {
    "==": pl.Expr.eq,
    "!=": pl.Expr.ne,
    "<": pl.Expr.lt,
    "<=": pl.Expr.le,
    ">": pl.Expr.gt,
    ">=": pl.Expr.ge,
}


def half_even_div(units: pl.Expr, divisor: int) -> pl.Expr:
    """``units / divisor`` rounded half to even, on integers (``divisor`` > 0)."""
    if divisor == 1:
        return units
    quotient = units // divisor
    twice = (units - quotient * divisor) * 2
    up = (twice > divisor) | ((twice == divisor) & (quotient % 2 != 0))
    return pl.when(up).then(quotient + 1).otherwise(quotient)


def _unify(left: Col, right: Col) -> tuple[pl.Expr, pl.Expr, str, int]:
    """Both numbers in one representation: float if either is, else fixed units."""
    if left.kind not in NUMBERS or right.kind not in NUMBERS:
        raise UnsupportedRuleError(f"cannot compare {left.kind} with {right.kind}")
    if "float" in (left.kind, right.kind):
        return left.as_float(), right.as_float(), "float", 0
    scale = max(
        left.scale if left.kind == "fixed" else 0, right.scale if right.kind == "fixed" else 0
    )
    kind = "fixed" if "fixed" in (left.kind, right.kind) else "int"
    return left.at_scale(scale), right.at_scale(scale), kind, scale


def compare(op: str, left: Col, right: Col) -> pl.Expr:
    """``compare`` of two values (null when either is missing; money by currency)."""
    if left.kind == "money" or right.kind == "money":
        if left.kind != "money" or right.kind != "money":
            raise UnsupportedRuleError(f"cannot compare {left.kind} with {right.kind}")
        a, b, _, _ = _unify(
            Col(left.expr, "fixed", left.scale), Col(right.expr, "fixed", right.scale)
        )
        same = pl.Expr.eq(left.currency, right.currency)  # type: ignore[arg-type]
        return pl.when(same).then(_OPS[op](a, b)).otherwise(pl.lit(None, dtype=pl.Boolean))
    if left.kind in NUMBERS or right.kind in NUMBERS:
        a, b, _, _ = _unify(left, right)
        return _OPS[op](a, b)
    if left.kind == "null" or right.kind == "null":
        return pl.lit(None, dtype=pl.Boolean)
    kinds = {left.kind, right.kind}
    if len(kinds) != 1 or left.kind in ("list", "object", "truth"):
        if kinds <= {"truth", "bool"}:
            return _OPS[op](left.expr, right.expr)
        raise UnsupportedRuleError(f"cannot compare {left.kind} with {right.kind}")
    return _OPS[op](left.expr, right.expr)


def arith(op: str, left: Col, right: Col) -> Col:
    """``arith``: ``+ - *`` and ``/`` as Python computes them; ``/ 0`` is missing."""
    a, b, kind, scale = _unify(left, right)
    if op == "/":
        if kind == "fixed":
            raise UnsupportedRuleError(
                "dividing decimals (money amounts, decimal points) is not exact in columnar "
                "engines: divide whole or float numbers, or run this rule on rows"
            )
        a, b = a.cast(pl.Float64), b.cast(pl.Float64)
        return Col(pl.when(b == 0).then(None).otherwise(divide(a, b)), "float")
    if op == "*" and kind == "fixed":
        return Col(a * b, "fixed", 2 * scale)
    result = a + b if op == "+" else a - b if op == "-" else a * b
    return Col(result, kind, scale)


def extreme(name: str, args: list[Col]) -> Col:
    """``min`` / ``max`` of present numbers (missing when any is missing)."""
    if any(a.kind not in NUMBERS for a in args):
        raise UnsupportedRuleError(f"{name} needs numbers")
    if any(a.kind == "float" for a in args):
        exprs, kind, scale = [a.as_float() for a in args], "float", 0
    else:
        scale = max(a.scale if a.kind == "fixed" else 0 for a in args)
        exprs = [a.at_scale(scale) for a in args]
        kind = "fixed" if any(a.kind == "fixed" for a in args) else "int"
    pick = pl.min_horizontal if name == "min" else pl.max_horizontal
    return Col(pick(exprs), kind, scale)


def points_of(value: Col, weight: int | Decimal = 1) -> pl.Expr:
    """``per_points(value, weight)`` (or ``to_points`` with weight 1) in score units.

    Score units are ``10 ** -SCORE_PLACES``; Python keeps whole products whole and
    rounds others half to even to ``SCORE_PLACES``: in units both are one integer.
    """
    units, wscale = weight_units(weight)
    if value.kind == "int":
        return _rescale(_times(value.expr.cast(pl.Int64), units), wscale)
    if value.kind == "fixed":
        return _rescale(_times(value.expr, units), value.scale + wscale)
    if value.kind == "float":
        exact = value.expr * (float(units) * 10 ** (SCORE_PLACES - wscale))
        rounded: pl.Expr = exact.round(0, mode="half_to_even").cast(pl.Int64)
        return rounded
    if value.kind == "bool":
        return _rescale(_times(value.expr.cast(pl.Int64), units), wscale)
    raise UnsupportedRuleError(f"points need a number, got a {value.kind} value")


def _times(expr: pl.Expr, factor: int) -> pl.Expr:
    return expr if factor == 1 else expr * factor


def _rescale(units: pl.Expr, scale: int) -> pl.Expr:
    if scale <= SCORE_PLACES:
        return _times(units, 10 ** (SCORE_PLACES - scale))
    return half_even_div(units, 10 ** (scale - SCORE_PLACES))
