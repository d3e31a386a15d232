"""Explain steps for composite nodes: logic, scores, tables, named rules, rule sets.

The facts follow the rules in ``_explain``'s docstring. The steps evaluate what the
reference interpreter evaluates, and a few children more where the facts need them: the
items of ``all_of`` / ``any_of`` after a FALSE / TRUE that a missing fact could flip, and
the rows, outputs and default of a decision table that finding out a fact could bring
into play. The outcome is always the interpreter's.

In the steps, ``s`` is the node's value slot and ``s + 1`` its facts slot (see
``_explain_base``); children that were not evaluated keep empty facts, so a union over
all children is the union over the evaluated ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import tree as tr
from funnelkit.rules.engines.explain._base import (
    AS_OF,
    ENV,
    ENV_FACTS,
    NO_FACTS,
    SKIP,
    Kid,
    Rec,
    Slots,
    Step,
    merge,
    one_count,
)
from funnelkit.rules.meaning import (
    NO_DEFAULT,
    at_least_truth,
    bounded,
    custom_truth,
    points_when,
    strict_meaning,
    table_outcome,
    to_points,
)
from funnelkit.rules.tree import DecisionTable, Expr, Literal, Truth

__all__ = ["composite_step"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
# the interpreter's hit-policy logic, shared (it reads nothing from the instance)


def _facts_of(kids: tuple[Kid, ...]) -> tuple[int, ...]:
    return tuple(kid.at + 1 for kid in kids)


def _literal(s: int, node: Literal, kids: tuple[Kid, ...]) -> Step:
    value = node.value

    def literal(lead: Lead, rec: Rec) -> Any:
        rec[s] = value
        return value

    return literal


def _const(s: int, node: tr.Const, kids: tuple[Kid, ...]) -> Step:
    value = U if node.value is None else T if node.value else F_  # a constant has no facts

    def const(lead: Lead, rec: Rec) -> Any:
        rec[s] = value
        return value

    return const


def _one(s: int, kid: Kid, run: Callable[[Any], Any]) -> Step:
    """A node over one child: ``run(value)``, with the child's facts."""
    read, kf, sf = kid.step, kid.at + 1, s + 1

    def step(lead: Lead, rec: Rec) -> Any:
        out = rec[s] = run(read(lead, rec))
        f = rec[kf]
        if f:
            rec[sf] = f
        return out

    return step


def _named(s: int, node: tr.Named, kids: tuple[Kid, ...]) -> Step:
    return _one(s, kids[0], lambda x: x)


def _not(s: int, node: tr.Not, kids: tuple[Kid, ...]) -> Step:
    return _one(s, kids[0], lambda x: ~x)


def _points(s: int, node: tr.Points, kids: tuple[Kid, ...]) -> Step:
    pts = node.points
    return _one(s, kids[0], lambda x: points_when(x, pts))


def _strict_one(s: int, node: Expr, kids: tuple[Kid, ...]) -> Step:
    """A strict node over one child (``per``, ``grade``), as the meaning declares it."""
    meaning = strict_meaning(node)
    assert meaning is not None
    run, missing = meaning.operation(node), meaning.on_missing
    return _one(s, kids[0], lambda x: missing if x is None else run(x))


_POINTS, _PER, _TOTAL, _VALUE, _COUNT = 0, 1, 2, 3, 4


def _score(s: int, node: tr.Score, kids: tuple[Kid, ...], slots: Slots) -> Step:
    # points and per items are evaluated here, not by steps of their own (it is faster),
    # and so are signal counts under a per; they record their value and facts as their
    # steps would
    items: list[tuple[Any, ...]] = []
    for kid in kids:
        item = kid.node
        if isinstance(item, tr.Points | tr.Per):
            (inner,) = kid.kids
            count = one_count(inner.node, slots) if isinstance(item, tr.Per) else None
            if count is not None and isinstance(item, tr.Per):
                items.append((_COUNT, kid.at, inner.at, count, _per_of(item)[0]))
                continue
            number: object = item.points if isinstance(item, tr.Points) else _per_of(item)
            kind = _POINTS if isinstance(item, tr.Points) else _PER
            items.append((kind, kid.at, inner.at + 1, inner.step, number))
        else:
            kind = _TOTAL if isinstance(item, tr.Score) else _VALUE
            items.append((kind, kid.at, kid.at + 1, kid.step, 0))
    cap, floor, sf = node.cap, node.floor, s + 1
    if all(item[0] == _POINTS for item in items):
        return _points_score(s, node, tuple(item[1:] for item in items))

    def score(lead: Lead, rec: Rec) -> Any:
        total: Any = 0
        found = None
        for kind, k, inner_facts, step, number in items:
            if kind == _COUNT:  # per(weight, signals(kind=...).count(...))
                shared, counts_of, signal_kind, top = step
                counts = rec[shared]
                if counts is None:
                    counts = rec[shared] = counts_of(lead, rec[AS_OF])
                n = counts.get(signal_kind, 0)
                if n > top >= 0:
                    n = top
                rec[inner_facts] = n  # the count's value slot (never missing)
                x = rec[k] = number(n)
                total += x
                continue
            x = step(lead, rec)
            if kind == _POINTS:
                x = rec[k] = points_when(x, number)
            elif kind == _PER:
                run, missing = number
                x = rec[k] = missing if x is None else run(x)
            elif kind == _VALUE:
                x = None if x is None else to_points(x)
            if x is not None:
                total += x
            f = rec[inner_facts]
            if f:
                rec[k + 1] = f
                found = f if found is None else found | f
        total = rec[s] = bounded(total, floor, cap)
        if found is not None:
            rec[sf] = found
        return total

    return score


def _per_of(node: tr.Per) -> tuple[Callable[[Any], Any], object]:
    """A ``per`` item's declared operation and its result on a missing value."""
    meaning = strict_meaning(node)
    assert meaning is not None
    return meaning.operation(node), meaning.on_missing


def _points_score(s: int, node: tr.Score, items: tuple[tuple[Any, ...], ...]) -> Step:
    """A score of ``points`` items only (the common case), in a tighter loop."""
    cap, floor, sf = node.cap, node.floor, s + 1

    # each item's points for each Truth, from the declared points_when (a condition
    # that gives no Truth, a ref to a value, takes the call)
    priced = tuple((*item, {t: points_when(t, item[3]) for t in Truth}) for item in items)

    def points_score(lead: Lead, rec: Rec) -> Any:
        total: Any = 0
        found = None
        for k, inner_facts, when, number, by_truth in priced:
            outcome = when(lead, rec)
            x = rec[k] = (
                by_truth[outcome] if type(outcome) is Truth else points_when(outcome, number)
            )
            total += x
            f = rec[inner_facts]
            if f:
                rec[k + 1] = f
                found = f if found is None else found | f
        total = rec[s] = bounded(total, floor, cap)
        if found is not None:
            rec[sf] = found
        return total

    return points_score


def _junction(s: int, node: tr.All | tr.Any, kids: tuple[Kid, ...]) -> Step:
    # all_of: FALSE settles it, any_of: TRUE does; the evaluation goes on past a settling
    # value that a missing fact could flip, so that its facts and the later ones are known
    settle, other = (F_, T) if isinstance(node, tr.All) else (T, F_)
    items = tuple((kid.at + 1, kid.step) for kid in kids)
    sf = s + 1

    def junction(lead: Lead, rec: Rec) -> Any:
        result: Truth = other
        found = None
        for kf, item in items:
            if result is settle:  # past the interpreter's answer, only looking for facts
                try:
                    out = item(lead, rec)
                except Exception:
                    break  # what it has found so far stands
            else:
                out = item(lead, rec)
            f = rec[kf]
            if out is settle:
                result = settle
                if not f:
                    found = None  # settled for good: nothing to find out
                    break
            elif out is U and result is other:
                result = U
            if f:
                found = f if found is None else found | f
        if found is not None:
            rec[sf] = found
        rec[s] = result
        return result

    return junction


def _at_least(s: int, node: tr.AtLeast, kids: tuple[Kid, ...]) -> Step:
    n = node.n
    items = tuple((kid.at + 1, kid.step) for kid in kids)
    facts, sf = _facts_of(kids), s + 1

    def at_least(lead: Lead, rec: Rec) -> Any:
        true = unknown = sure = possible = 0
        for kf, item in items:
            out = item(lead, rec)
            f = rec[kf]
            if out is T:
                true += 1
                sure += not f
            elif out is U:
                unknown += 1
            possible += out is T or out is U or bool(f)
        result = rec[s] = at_least_truth(n, true, unknown)
        if sure < n <= possible:  # finding out the facts could still decide it
            merge(rec, sf, facts)
        return result

    return at_least


_NOT_LITERAL: Any = object()


def _output(kid: Kid) -> tuple[int, Step, Any]:
    """A table output's value slot, step, and its value if it is a literal."""
    constant = kid.node.value if isinstance(kid.node, Literal) else _NOT_LITERAL
    return kid.at, kid.step, constant


def _table(s: int, node: DecisionTable, kids: tuple[Kid, ...]) -> Step:
    first = node.hit_policy == "first"
    rows = tuple(
        (kids[2 * r].at + 1, kids[2 * r].step, *_output(kids[2 * r + 1]))
        for r in range(len(node.rows))
    )
    has_default = node.default is not None
    d, default, constant_default = _output(kids[-1]) if has_default else (0, None, None)
    facts, sf = _facts_of(kids), s + 1

    # Explain goes further than the interpreter, for the facts: it evaluates the outputs
    # of rows whose condition is UNKNOWN (or FALSE only for now), rows past a hit that
    # missing facts could undo, and the default. Only what the interpreter evaluates may
    # raise; an output it never reaches that fails is left out (not evaluated, no facts).
    def table(lead: Lead, rec: Rec) -> Any:
        hits: list[object] = []
        sure = False  # a row matches whatever the missing facts turn out to be
        for wf, when, t, then, constant in rows:
            if sure and first:
                break
            try:
                outcome = when(lead, rec)
            except Exception:
                if first and hits:  # past the interpreter's hit, only looking for facts
                    break
                raise
            settled = not rec[wf]
            if outcome is F_ and settled:
                continue
            if constant is _NOT_LITERAL:
                try:
                    value = then(lead, rec)
                except Exception:
                    if first and hits:
                        break
                    if outcome is T:
                        raise
                    rec[t], rec[t + 1] = SKIP, NO_FACTS
                    continue
                known = value is not None and not rec[t + 1]
            else:
                value = rec[t] = constant
                known = value is not None
            if outcome is T:
                hits.append(value)
                sure = sure or (settled and (first or known))
        out = (hits[0] if hits else NO_DEFAULT) if first else table_outcome(node.hit_policy, hits)
        fallback = None
        if has_default and not sure:
            if constant_default is not _NOT_LITERAL:
                fallback = rec[d] = constant_default
            elif out is NO_DEFAULT:  # the interpreter's fallback: it may raise
                fallback = default(lead, rec)  # type: ignore[misc]
            else:
                try:
                    fallback = default(lead, rec)  # type: ignore[misc]
                except Exception:
                    rec[d], rec[d + 1] = SKIP, NO_FACTS
        if out is NO_DEFAULT:
            out = fallback
        rec[s] = out
        merge(rec, sf, facts)
        return out

    return table


def _ref(s: int, node: tr.Ref, kids: tuple[Kid, ...]) -> Step:
    name, sf = node.name, s + 1

    def ref(lead: Lead, rec: Rec) -> Any:
        env = rec[ENV]
        if env is None:
            raise KeyError(name)  # as the interpreter does outside a rule set
        out = rec[s] = env[name]
        f = rec[ENV_FACTS].get(name)
        if f:
            rec[sf] = f
        return out

    return ref


def _rule_set(s: int, node: tr.RuleSet, kids: tuple[Kid, ...]) -> Step:
    outputs = tuple(
        (name, kid.at + 1, kid.step) for (name, _), kid in zip(node.outputs, kids, strict=True)
    )
    sf = s + 1

    def rule_set(lead: Lead, rec: Rec) -> Any:
        env, env_facts = rec[ENV], rec[ENV_FACTS]
        if env is None:
            env = rec[ENV] = {}
            env_facts = rec[ENV_FACTS] = {}
        found = None
        for name, kf, output in outputs:
            env[name] = output(lead, rec)
            f = env_facts[name] = rec[kf]
            if f:
                found = f if found is None else found | f
        out = rec[s] = dict(env)
        if found is not None:
            rec[sf] = found
        return out

    return rule_set


def _custom(s: int, node: tr.Custom, kids: tuple[Kid, ...]) -> Step:
    fn, returns, name = node.func, node.returns, node.name
    inputs = tuple((key, kid.step) for (key, _), kid in zip(node.inputs, kids, strict=True))
    facts, sf = _facts_of(kids), s + 1

    def call(lead: Lead, rec: Rec) -> Any:
        if inputs:
            kwargs = {key: step(lead, rec) for key, step in inputs}
            merge(rec, sf, facts)
            if any(x is None for x in kwargs.values()):
                missing: object = U if returns == "bool" else None
                rec[s] = missing
                return missing
            result = fn(**kwargs)
        else:
            result = fn(lead)
        out = custom_truth(name, result) if returns == "bool" else result
        rec[s] = out
        return out

    return call


_COMPOSITES: dict[type, Callable[[int, Any, tuple[Kid, ...]], Step]] = {
    Literal: _literal,
    tr.Const: _const,
    tr.Not: _not,
    tr.All: _junction,
    tr.Any: _junction,
    tr.AtLeast: _at_least,
    tr.Points: _points,
    tr.Per: _strict_one,
    tr.Grade: _strict_one,
    DecisionTable: _table,
    tr.Named: _named,
    tr.Ref: _ref,
    tr.RuleSet: _rule_set,
    tr.Custom: _custom,
}


def composite_step(s: int, node: Expr, kids: tuple[Kid, ...], slots: Slots) -> Step:
    """The step of a composite node (or a literal, a constant, a ref, a custom rule)."""
    if isinstance(node, tr.Score):
        return _score(s, node, kids, slots)
    make = _COMPOSITES.get(type(node))
    if make is None:
        raise TypeError(f"explain cannot evaluate {type(node).__name__} nodes")
    return make(s, node, kids)
