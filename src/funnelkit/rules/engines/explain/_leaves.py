"""Explain steps for leaf-like nodes: fields, tests, arithmetic, time, signals.

These nodes' labels are their code (``F.company.employees >= 50``), so their literal
operands are constants of the step, with no slots and no trace line of their own. Every
strict node (``funnelkit.rules.meaning``) is one generic step that applies its declared
``on_missing`` or operation; with one field operand the field is read inside that step.
Comparisons keep a fused fast path for plain values (``_compare``); anything else goes
through the declared operations. The tests compare the engines on random trees.

In the steps, ``s`` is the node's value slot and ``s + 1`` its facts slot; ``k`` and
``k + 1`` are the operand's.
"""

from __future__ import annotations

from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import tree as tr
from funnelkit.rules.engines.explain._base import (
    AS_OF,
    Kid,
    Rec,
    Slots,
    Step,
    fused_field,
    merge,
    reader,
    signal_step,
)
from funnelkit.rules.engines.explain._compare import between_step, compare_step
from funnelkit.rules.meaning import Strict, read_path, strict_meaning
from funnelkit.rules.tree import Expr, Field, SignalAgg, Truth, is_leafish

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


def _strict(s: int, node: Expr, kids: tuple[Kid, ...], meaning: Strict) -> Step:
    """A strict node: ``on_missing`` when an operand is missing, else its operation.

    Its facts are the union of its operands' facts. With one operand that is a field, the
    field is read inside this step (the one place the explain path inlines a field read).
    """
    run, missing, timed = meaning.operation(node), meaning.on_missing, meaning.timed
    sf = s + 1
    if len(kids) != 1:
        steps = tuple(kid.step for kid in kids)
        facts = tuple(kid.slot + 1 for kid in kids if kid.slot is not None)

        def many(lead: Lead, rec: Rec) -> Any:
            values = [read(lead, rec) for read in steps]
            if None in values and any(v is None for v in values):
                out = missing
            else:
                out = run(rec[AS_OF], *values) if timed else run(*values)
            rec[s] = out
            merge(rec, sf, facts)
            return out

        return many
    fused = fused_field(kids[0])
    if fused is not None:
        k, (get, parts, unknown, plain, tail, fs) = fused
        kf = k + 1

        def of_field(lead: Lead, rec: Rec) -> Any:
            try:
                x = get(lead)
            except AttributeError:  # a missing object on the way
                x = read_path(lead, parts)
            if x is unknown or type(x) not in plain:
                x = tail(x)
            rec[k] = x
            if x is None:
                rec[kf] = rec[sf] = fs
                rec[s] = missing
                return missing
            out = rec[s] = run(rec[AS_OF], x) if timed else run(x)
            return out

        return of_field
    read, slot = kids[0].step, kids[0].slot
    of = None if slot is None else slot + 1

    def one(lead: Lead, rec: Rec) -> Any:
        x = read(lead, rec)
        if x is None:
            out = rec[s] = missing
        else:
            out = rec[s] = run(rec[AS_OF], x) if timed else run(x)
        if of is not None and rec[of]:
            rec[sf] = rec[of]
        return out

    return one


def leaf_step(s: int, node: Expr, kids: tuple[Kid, ...], slots: Slots) -> Step | None:
    """The step of a leaf-like node over its built children, or None if not one."""
    if isinstance(node, Field):
        return _field(s, node)
    if isinstance(node, tr.Compare):
        return compare_step(s, node, kids[0], kids[1])
    if isinstance(node, tr.Between):
        return between_step(s, node, kids)  # type: ignore[arg-type]
    if isinstance(node, SignalAgg):
        return signal_step(s, node, slots)
    meaning = strict_meaning(node)
    if meaning is not None and is_leafish(node):
        return _strict(s, node, kids, meaning)
    return None
