"""Explain steps for leaf-like nodes: fields, tests, arithmetic, time, signals.

These nodes' labels are their code (``F.company.employees >= 50``), so their literal
operands are constants of the step, with no slots and no trace line of their own. Common
shapes (a field tested against constants) are fused into one step that also records the
field's value and fact (comparisons are in ``_explain_compare``). Values and errors are
exactly the reference interpreter's (``_interpret``): a fast path is taken only for plain
values, anything else goes through the operations the interpreter uses (``_operations``).
The tests compare the engines on random trees. The fused steps repeat the few lines that
read a field on purpose, to save a function call per leaf and lead on the explain path.

In the steps, ``s`` is the node's value slot and ``s + 1`` its facts slot; ``k`` and
``k + 1`` are the operand's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import _nodes as nd
from funnelkit.rules._explain_base import (
    AS_OF,
    Kid,
    Rec,
    Slots,
    Step,
    fused_field,
    generic_step,
    reader,
    signal_step,
    test_step,
)
from funnelkit.rules._explain_compare import between_step, compare_step
from funnelkit.rules._expr import Expr, Field
from funnelkit.rules._operations import RuleEvaluationError, arith, days_from, func, read_path
from funnelkit.rules._signals import SignalAgg
from funnelkit.rules._truth import Truth

__all__ = ["leaf_step"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def _field(s: int, node: Field) -> Step:
    fast = reader(node)
    if fast is None:
        parts, fact = node.parts, frozenset({node.path})

        def slow(lead: Lead, rec: Rec) -> Any:
            x = rec[s] = read_path(lead, parts)
            if x is None:
                rec[s + 1] = fact
            return x

        return slow
    get, parts, unknown, plain, tail, fs = fast
    sf = s + 1

    def field(lead: Lead, rec: Rec) -> Any:
        try:
            x = get(lead)
        except AttributeError:  # a missing object on the way
            x = read_path(lead, parts)
        if x is unknown or type(x) not in plain:
            x = tail(x)
        rec[s] = x
        if x is None:
            rec[sf] = fs
        return x

    return field


def _isin(s: int, kid: Kid, values: frozenset[object]) -> Step:
    fused = fused_field(kid)
    if fused is None:
        return test_step(s, kid, lambda x: T if x in values else F_)
    k, (get, parts, unknown, plain, tail, fs) = fused
    sf, kf = s + 1, k + 1

    def isin(lead: Lead, rec: Rec) -> Any:
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
        out = rec[s] = T if x in values else F_
        return out

    return isin


def _contains(s: int, kid: Kid, item: object) -> Step:
    fused = fused_field(kid)
    if fused is None:
        return test_step(s, kid, lambda x: T if item in x else F_)
    k, (get, parts, unknown, plain, tail, fs) = fused
    sf, kf = s + 1, k + 1

    def contains(lead: Lead, rec: Rec) -> Any:
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
        out = rec[s] = T if item in x else F_
        return out

    return contains


def _unary(s: int, kid: Kid, run: Callable[[Any, Rec], Any]) -> Step:
    """``run(value, rec)`` of one operand (missing included), with the operand's facts."""
    sf = s + 1
    fused = fused_field(kid)
    if fused is not None:
        k, (get, parts, unknown, plain, tail, fs) = fused
        kf = k + 1

        def of_field(lead: Lead, rec: Rec) -> Any:
            try:
                x = get(lead)
            except AttributeError:
                x = read_path(lead, parts)
            if x is unknown or type(x) not in plain:
                x = tail(x)
            rec[k] = x
            if x is None:
                rec[kf] = rec[sf] = fs
            out = rec[s] = run(x, rec)
            return out

        return of_field
    read, of = kid.step, (None if kid.slot is None else kid.slot + 1)

    def step(lead: Lead, rec: Rec) -> Any:
        out = rec[s] = run(read(lead, rec), rec)
        if of is not None and rec[of]:
            rec[sf] = rec[of]
        return out

    return step


def _size(s: int, kid: Kid) -> Step:
    fused = fused_field(kid)
    if fused is None:
        return _unary(s, kid, lambda x, rec: 0 if x is None else len(x))
    k, (get, parts, unknown, plain, tail, fs) = fused
    sf, kf = s + 1, k + 1

    def size_of_field(lead: Lead, rec: Rec) -> Any:
        try:
            x = get(lead)
        except AttributeError:
            x = read_path(lead, parts)
        if x is unknown or type(x) not in plain:
            x = tail(x)
        rec[k] = x
        if x is None:
            rec[kf] = rec[sf] = fs
            rec[s] = 0
            return 0
        out = rec[s] = len(x)
        return out

    return size_of_field


def _days(s: int, kid: Kid, direction: str) -> Step:
    fused = fused_field(kid)
    if fused is None:
        return _unary(
            s, kid, lambda x, rec: None if x is None else days_from(x, direction, rec[AS_OF])
        )
    k, (get, parts, unknown, plain, tail, fs) = fused
    sf, kf = s + 1, k + 1

    def days_of_field(lead: Lead, rec: Rec) -> Any:
        try:
            x = get(lead)
        except AttributeError:
            x = read_path(lead, parts)
        if x is unknown or type(x) not in plain:
            x = tail(x)
        rec[k] = x
        if x is None:
            rec[kf] = rec[sf] = fs
            rec[s] = None
            return None
        out = rec[s] = days_from(x, direction, rec[AS_OF])
        return out

    return days_of_field


def _text(node: nd.TextTest | nd.Matches) -> Callable[[Any], Truth]:
    if isinstance(node, nd.Matches):
        search = re.compile(node.pattern).search

        def matches(x: Any) -> Truth:
            if not isinstance(x, str):
                raise RuleEvaluationError(f"matches needs text, got {x!r}")
            return T if search(x) else F_

        return matches
    op, arg = node.op, node.arg
    folded = arg.casefold()

    def text(x: Any) -> Truth:
        if not isinstance(x, str):
            raise RuleEvaluationError(f"{op} needs text, got {x!r}")
        if op == "icontains":
            return T if folded in x.casefold() else F_
        return T if getattr(x, op)(arg) else F_

    return text


def _func(name: str, args: tuple[Any, ...]) -> object:
    return None if any(x is None for x in args) else func(name, list(args))


def leaf_step(s: int, node: Expr, kids: tuple[Kid, ...], slots: Slots) -> Step | None:
    """The step of a leaf-like node over its built children, or None if not one."""
    if isinstance(node, Field):
        return _field(s, node)
    if isinstance(node, nd.Compare):
        return compare_step(s, node, kids[0], kids[1])
    if isinstance(node, nd.Between):
        return between_step(s, node, kids)  # type: ignore[arg-type]
    if isinstance(node, SignalAgg):
        return signal_step(s, node, slots)
    if isinstance(node, nd.IsIn):
        return _isin(s, kids[0], node.values)
    if isinstance(node, nd.Contains):
        return _contains(s, kids[0], node.item)
    if isinstance(node, nd.Overlaps):
        items = node.items
        return test_step(s, kids[0], lambda x: F_ if items.isdisjoint(x) else T)
    if isinstance(node, nd.TextTest | nd.Matches):
        return test_step(s, kids[0], _text(node))
    if isinstance(node, nd.IsMissing):
        return _unary(s, kids[0], lambda x, rec: T if x is None else F_)
    if isinstance(node, nd.Size):
        return _size(s, kids[0])
    if isinstance(node, nd.DaysFrom):
        return _days(s, kids[0], node.direction)
    if isinstance(node, nd.Arith):
        op = node.op
        return generic_step(
            s, kids, lambda a, b: None if a is None or b is None else arith(op, a, b)
        )
    if isinstance(node, nd.Func):
        name = node.name
        return generic_step(s, kids, lambda *args: _func(name, args))
    return None
