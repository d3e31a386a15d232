"""Directed facts over columns: which facts could make a node TRUE or FALSE, or move a number.

This walker states, over an engine's columns, what ``funnelkit.rules.engines.explain``'s
directions read off an explanation's record (``_direction`` and ``_reading`` there), node
kind by node kind and in the same order, one visitor per kind in ``_VISITS``: ``not``
swaps the directions; ``all_of`` / ``any_of`` and ``at_least`` pass up what could move
them; a comparison with a constant keeps the moves that could carry its number across;
the numbers' visitors are in ``_numbers``. Any other kind lists its facts either way.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts._dirs import Dir, Directions, Moves, plain
from funnelkit.rules.engines.facts._numbers import per, points, score, table
from funnelkit.rules.engines.facts._ops import Ops, Paths, Value, weight_units
from funnelkit.rules.engines.facts._walk import FactWalker, Found
from funnelkit.rules.tree import Expr

__all__ = ["Directed", "output_facts"]


class Directed:
    """The directed facts of the nodes a ``FactWalker`` has walked (once per node).

    Args:
        walker: The walker of the same rule (its engine receives these columns too).
    """

    def __init__(self, walker: FactWalker) -> None:
        self.walker = walker
        self.x = walker.ops
        self._memo: dict[int, tuple[Expr, Dir]] = {}

    def lifts(self, node: Expr) -> Paths:
        """The facts that could make ``node`` TRUE (every fact of a number)."""
        return self.of(node).up

    def of(self, node: Expr) -> Dir:
        """The directed facts of ``node``."""
        if isinstance(node, tr.Ref):
            return self.of(self.walker.nodes[node.name])
        entry = self._memo.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        found = self.walker.found(node)
        visit = _VISITS.get(type(node))
        directed = visit(self, node, found) if visit is not None and found.facts else None
        if directed is not None:
            directed = self._columns(directed, found.height + 1)
        else:
            directed = plain(found.facts)
        self._memo[id(node)] = (node, directed)
        return directed

    def _columns(self, d: Dir, height: int) -> Dir:
        paths, column = self.walker.paths, self.walker.column
        moves = d.moves
        if moves is not None:
            moves = Moves(
                column(moves.on, height),
                paths(moves.rise, height),
                paths(moves.fall, height),
                (column(moves.span[0], height), column(moves.span[1], height)),
                moves.scale,
            )
        return Dir(paths(d.has, height), paths(d.up, height), paths(d.down, height), moves)

    def pick(self, cond: Any, yes: Dir, no: Dir) -> Dir:
        """``yes`` where ``cond`` holds, ``no`` elsewhere (their moves too)."""
        x = self.x
        moves = None
        if yes.moves is not None or no.moves is not None:
            a, b = yes.moves, no.moves
            scale = max(m.scale for m in (a, b) if m is not None)
            a = a.at(scale) if a is not None else None
            b = b.at(scale) if b is not None else None
            zero = x.int_(0)

            def choose(y: Any | None, n: Any | None) -> Any:
                return x.when(cond, zero if y is None else y, zero if n is None else n)

            paths = set(a.rise if a else ()) | set(b.rise if b else ())
            on = x.either(
                x.both(cond, a.on if a else x.FALSE), x.both(~cond, b.on if b else x.FALSE)
            )
            moves = Moves(
                on,
                {
                    p: choose(a.rise.get(p) if a else None, b.rise.get(p) if b else None)
                    for p in paths
                },
                {
                    p: choose(a.fall.get(p) if a else None, b.fall.get(p) if b else None)
                    for p in paths
                },
                (
                    choose(a.span[0] if a else None, b.span[0] if b else None),
                    choose(a.span[1] if a else None, b.span[1] if b else None),
                ),
                scale,
            )
        return Dir(
            x.pick(cond, yes.has, no.has),
            x.pick(cond, yes.up, no.up),
            x.pick(cond, yes.down, no.down),
            moves,
        )


def output_facts(ops: Ops, rule: Expr) -> dict[str, tuple[Paths, Paths]]:
    """Each output's facts and the facts that could make it TRUE, over ``ops``' columns.

    The outputs are a rule set's (``value`` for any other rule), as the engines name
    their result columns; the engine has lowered them already (``ref`` reads them).
    """
    walker = FactWalker(ops)
    if isinstance(rule, tr.RuleSet):
        walker.outputs(rule)
        nodes = list(rule.outputs)
    else:
        nodes = [("value", rule)]
    directed = Directed(walker)
    return {name: (walker.found(node).facts, directed.lifts(node)) for name, node in nodes}


# -- conditions ---------------------------------------------------------------------


def _junction(w: Directions, node: tr.All | tr.Any, found: Found) -> Dir:
    x = w.x
    conj = isinstance(node, tr.All)
    result = found.value
    other = conj  # the value that does not settle it
    seen: list[tuple[Any, Any, Dir]] = []  # (selected, not other-way, dir)
    blocked, pending = x.FALSE, x.FALSE
    for item, ev in zip(node.items, found.evaluated, strict=True):
        kid = w.walker.found(item)
        listed = ~x.empty(kid.facts)
        if conj and item is tr.UNKNOWN:
            pending = x.either(pending, x.both(ev, ~listed))  # stands for a fact to find
        else:  # settled for good either way: nothing can lift it
            blocked = x.either(blocked, x.both(ev, x.both(~listed, ~x.truth(kid.value, other))))
        away = ~x.truth(kid.value, other)  # not TRUE (all_of), not FALSE (any_of)
        seen.append((x.both(ev, listed), away, w.of(item)))
    facts = x.union(*(x.where(sel, d.has) for sel, _, d in seen))

    # all_of: TRUE needs every item that is not TRUE to become TRUE; any_of: FALSE
    # needs every item that is not FALSE to become FALSE; any item can spoil either
    def way(t: Dir) -> Paths:
        return t.up if conj else t.down

    def back_way(t: Dir) -> Paths:
        return t.down if conj else t.up

    gate = ~x.truth(result, other) & ~blocked
    for sel, away, d in seen:
        gate = gate & (~x.both(sel, away) | ~x.empty(way(d)))
    toward = x.where(gate, x.union(*(x.where(x.both(sel, away), way(d)) for sel, away, d in seen)))
    if conj:
        toward = x.union(toward, x.where(gate & pending, facts))
    back = x.where(
        ~x.truth(result, not other),
        x.union(*(x.where(sel, back_way(d)) for sel, _, d in seen)),
    )
    up, down = (toward, back) if conj else (back, toward)
    return Dir(x.union(facts, up, down), up, down)


def _at_least(w: Directions, node: tr.AtLeast, found: Found) -> Dir:
    x = w.x
    n, result = node.n, found.value
    kids = [(w.walker.found(item).value, w.of(item)) for item in node.items]
    sure = x.count([x.truth(v, True) & x.empty(d.has) for v, d in kids])
    possible = x.count([~x.truth(v, False) | ~x.empty(d.has) for v, d in kids])
    deciding = (sure < n) & (possible >= n)
    facts = x.union(*(d.has for _, d in kids))
    true = x.count([x.truth(v, True) for v, _ in kids])
    lifting = x.count([~x.truth(v, True) & ~x.empty(d.up) for v, d in kids])
    up = x.where(
        ~x.truth(result, True) & (true + lifting >= n),
        x.union(*(x.where(~x.truth(v, True), d.up) for v, d in kids)),
    )
    staying = x.count([x.truth(v, True) & x.empty(d.down) for v, d in kids])
    down = x.where(
        ~x.truth(result, False) & (staying < n),
        x.union(*(x.where(~x.truth(v, False), d.down) for v, d in kids)),
    )
    toward = Dir(x.union(facts, up, down), up, down)
    use = deciding & ~x.empty(toward.has)
    return w.pick(use, toward, plain(found.facts))


def _compare(w: Directions, node: tr.Compare, found: Found) -> Dir | None:
    right = node.right
    if type(right) is not tr.Literal:
        return None
    left = w.of(node.left)
    const = right.value
    value = w.walker.found(node.left).value
    numbers = value.exact and type(const) in (int, Decimal)
    if left.moves is None or not numbers:
        across = plain(left.has)
    else:
        on = left.moves.on & value.expr.is_not_null()
        number: int | Decimal = const  # type: ignore[assignment]
        toward = _across(w.x, node.op, value, number, found, left)
        across = w.pick(on, toward, plain(left.has))
    return w.pick(found.value.expr.is_null(), plain(found.facts), across)


def _across(x: Ops, op: str, value: Value, const: int | Decimal, found: Found, left: Dir) -> Dir:
    """``compare_toward``: the facts that could carry a number across a constant."""
    m = left.moves
    assert m is not None
    cunits, cscale = weight_units(const)
    scale = max(value.scale, cscale, m.scale)
    m = m.at(scale)
    v = x.units(value, scale)
    c = x.int_(cunits * 10 ** (scale - cscale))
    high, low = v + m.span[0], v - m.span[1]
    rise, fall = left.up, left.down
    is_true, is_false = x.truth(found.value, True), x.truth(found.value, False)
    if op in (">=", ">"):
        holds_high = (high >= c if op == ">=" else high > c).fill_null(True)
        holds_low = (low >= c if op == ">=" else low > c).fill_null(False)
        up = x.where(~is_true & holds_high, rise)
        down = x.where(~is_false & ~holds_low, fall)
    elif op in ("<=", "<"):
        holds_low = (low <= c if op == "<=" else low < c).fill_null(True)
        holds_high = (high <= c if op == "<=" else high < c).fill_null(False)
        up = x.where(~is_true & holds_low, fall)
        down = x.where(~is_false & ~holds_high, rise)
    else:
        inside = (low <= c).fill_null(True) & (high >= c).fill_null(True)
        reach = x.union(x.where(inside & (v < c), rise), x.where(inside & (v > c), fall))
        leave = x.union(rise, fall)
        equal = v.eq(c)
        to_equal, to_other = x.where(~equal, reach), x.where(equal, leave)
        up, down = (to_equal, to_other) if op == "==" else (to_other, to_equal)
    return Dir(x.union(up, down), up, down)


def _named(w: Directions, node: tr.Named, found: Found) -> Dir:
    return w.of(node.expr)


def _not(w: Directions, node: tr.Not, found: Found) -> Dir:
    inner = w.of(node.operand)
    return Dir(inner.has, inner.down, inner.up)


_VISITS: dict[type, Callable[[Any, Any, Found], Dir | None]] = {
    tr.Named: _named,
    tr.Not: _not,
    tr.All: _junction,
    tr.Any: _junction,
    tr.AtLeast: _at_least,
    tr.Compare: _compare,
    tr.Points: points,
    tr.Per: per,
    tr.Score: score,
    tr.DecisionTable: table,
}
"""The kinds with directions of their own (the others list their facts either way)."""
