"""Explain steps for comparisons with constants: ``==``, ``<``, ..., and ``between``.

The constants are operands of the step (the label shows them). A field or a ``ref`` on
the left is read inside the step, which records its value and fact too. Plain values are
compared directly; Money, and anything unusual, go through the interpreter's ``compare``,
so values and errors are exactly the interpreter's.

In the steps, ``s`` is the node's value slot and ``s + 1`` its facts slot; ``k`` and
``k + 1`` are the operand's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from funnelkit.model import Lead, Money
from funnelkit.rules import tree as tr
from funnelkit.rules.engines.explain._base import (
    ENV,
    ENV_FACTS,
    PLAIN_VALUES,
    Kid,
    Rec,
    Step,
    fused_field,
    generic_step,
    test_step,
)
from funnelkit.rules.meaning import COMPARE, compare, read_path
from funnelkit.rules.tree import Expr, Literal, Truth

__all__ = ["between_step", "compare_step"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
# kinds whose values are never Money, so a test against plain constants is plain
_PLAIN_KINDS = frozenset({"int", "float", "decimal", "str", "enum", "bool", "date", "datetime"})
_FAST = PLAIN_VALUES - {Money, type(None)}


def _constant(node: Expr) -> tuple[bool, Any]:
    """Whether ``node`` is a present literal, and its value."""
    if isinstance(node, Literal) and node.value is not None:
        return True, node.value
    return False, None


def compare_step(s: int, node: tr.Compare, left: Kid, right: Kid) -> Step:
    name = node.op
    is_const, const = _constant(node.right)
    if not is_const or left.slot is None:
        return generic_step(
            s, (left, right), lambda a, b: U if a is None or b is None else compare(name, a, b)
        )
    op = COMPARE[name]
    money = isinstance(const, Money)  # Money compares by currency first: compare() does it
    sf = s + 1
    fused = fused_field(left)
    if fused is not None:
        k, (get, parts, unknown, plain, tail, fs) = fused
        kf, fast = k + 1, plain - {Money, type(None)}

        def field_vs_const(lead: Lead, rec: Rec) -> Any:
            try:
                x = get(lead)
            except AttributeError:
                x = read_path(lead, parts)
            if x is unknown or type(x) not in plain:
                x = tail(x)
            rec[k] = x
            if x is None:
                rec[kf] = rec[sf] = fs
                rec[s] = U
                return U
            if money or type(x) not in fast:
                out = compare(name, x, const)
            else:
                try:
                    out = T if op(x, const) else F_
                except TypeError:
                    out = compare(name, x, const)  # raises the interpreter's error
            rec[s] = out
            return out

        return field_vs_const
    if money:
        return test_step(s, left, lambda x: compare(name, x, const))
    k = left.slot
    kf = k + 1
    if isinstance(node.left, tr.Ref):
        ref = node.left.name

        def ref_vs_const(lead: Lead, rec: Rec) -> Any:
            env = rec[ENV]
            if env is None:
                raise KeyError(ref)  # as the interpreter does outside a rule set
            x = rec[k] = env[ref]
            f = rec[ENV_FACTS].get(ref)
            if f:
                rec[kf] = rec[sf] = f
            if x is None:
                out = U
            elif type(x) in _FAST:
                try:
                    out = T if op(x, const) else F_
                except TypeError:
                    out = compare(name, x, const)
            else:
                out = compare(name, x, const)
            rec[s] = out
            return out

        return ref_vs_const
    read = left.step

    def vs_const(lead: Lead, rec: Rec) -> Any:
        x = read(lead, rec)
        if x is None:
            out = U
        elif type(x) in _FAST:
            try:
                out = T if op(x, const) else F_
            except TypeError:
                out = compare(name, x, const)  # raises the interpreter's error
        else:
            out = compare(name, x, const)  # Money and the unusual: the interpreter's way
        rec[s] = out
        f = rec[kf]
        if f:
            rec[sf] = f
        return out

    return vs_const


def between_step(s: int, node: tr.Between, kids: tuple[Kid, Kid, Kid]) -> Step:
    lo_ok, lo = _constant(node.low)
    hi_ok, hi = _constant(node.high)
    plain_kind = node.operand.value_kind() in _PLAIN_KINDS
    if not (lo_ok and hi_ok and plain_kind) or isinstance(lo, Money) or isinstance(hi, Money):

        def run(x: Any, a: Any, b: Any) -> Truth:
            if x is None or a is None or b is None:
                return U
            result: Truth = compare(">=", x, a) & compare("<=", x, b)
            return result

        return generic_step(s, kids, run)

    def test(x: Any) -> Truth:
        try:
            ge, le = x >= lo, x <= hi
        except TypeError:
            return compare(">=", x, lo) & compare("<=", x, hi)  # raises its error
        return T if ge and le else F_

    fused = fused_field(kids[0])
    if fused is None:
        return _between_operand(s, kids[0], lo, hi, test)
    k, (get, parts, unknown, plain, tail, fs) = fused
    sf, kf = s + 1, k + 1

    def field_between(lead: Lead, rec: Rec) -> Any:
        try:
            x = get(lead)
        except AttributeError:
            x = read_path(lead, parts)
        if x is unknown or type(x) not in plain:
            x = tail(x)
        rec[k] = x
        if x is None:
            rec[kf] = rec[sf] = fs
            rec[s] = U
            return U
        try:
            ge, le = x >= lo, x <= hi
            out = T if ge and le else F_
        except TypeError:
            out = test(x)
        rec[s] = out
        return out

    return field_between


def _between_operand(s: int, kid: Kid, lo: Any, hi: Any, test: Callable[[Any], Truth]) -> Step:
    """``low <= operand <= high`` for constant bounds and an operand that is not a field."""
    read, k = kid.step, kid.slot
    if k is None:  # a literal operand
        return test_step(s, kid, test)
    sf, kf = s + 1, k + 1

    def between(lead: Lead, rec: Rec) -> Any:
        x = read(lead, rec)
        if x is None:
            out = U
        else:
            try:
                ge, le = x >= lo, x <= hi
                out = T if ge and le else F_
            except TypeError:
                out = test(x)
        rec[s] = out
        f = rec[kf]
        if f:
            rec[sf] = f
        return out

    return between
