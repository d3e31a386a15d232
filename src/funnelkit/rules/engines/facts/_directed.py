"""Directed facts over columns: which facts could make a node TRUE or FALSE, or move a number.

This walker states, over an engine's columns, what ``funnelkit.rules.engines.explain``'s
directions read off an explanation's record (``_direction`` and ``_reading`` there), node
kind by node kind and in the same order: ``not`` swaps the directions; ``all_of`` /
``any_of`` and ``at_least`` pass up what could move them; points move by their points
when their condition flips, ``per`` scales its value's moves by its weight, a score adds
its items' moves and sees the sum through its floor and cap; a comparison with a
constant keeps the moves that could carry its number across; a ``first`` table's number
moves as its chosen output does. Anything else lists its facts either way.

A node's directed facts are three sets of paths (``has``, ``up``, ``down``). Where they
are a number's *reach* (``Moves.on``), each path also has how far it could move the
number up and down, in exact units of ``10 ** -scale``: null is no bound.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts._ops import Paths, Value, weight_units
from funnelkit.rules.engines.facts._walk import FactWalker, Found
from funnelkit.rules.tree import SCORE_PLACES, Expr

__all__ = ["Directed", "Dir", "Moves"]

_MOVING = (tr.Points, tr.Per, tr.Score, tr.Named, tr.Ref, tr.DecisionTable)


@attrs.frozen
class Moves:
    """Where a node's facts are a number's reach, and how far each path could move it.

    Attributes:
        on: Where the facts are a reach (elsewhere they have no distances).
        rise: How far each path could move the number up (null: no bound).
        fall: How far down.
        span: How far all the facts together could move it up, and down.
        scale: The distances are in units of ``10 ** -scale``.
    """

    on: Any
    rise: Paths
    fall: Paths
    span: tuple[Any, Any]
    scale: int

    def at(self, scale: int) -> Moves:
        """The same moves in units of ``10 ** -scale`` (``scale`` >= its own)."""
        factor = 10 ** (scale - self.scale)
        if factor == 1:
            return self
        return Moves(
            self.on,
            {p: e * factor for p, e in self.rise.items()},
            {p: e * factor for p, e in self.fall.items()},
            (self.span[0] * factor, self.span[1] * factor),
            scale,
        )


@attrs.frozen
class Dir:
    """A node's directed facts: all of them, those that could make it TRUE, FALSE."""

    has: Paths
    up: Paths
    down: Paths
    moves: Moves | None = None


def plain(facts: Paths) -> Dir:
    """Facts without a direction: each could move the node either way."""
    return Dir(facts, facts, facts)


def _positive(e: Any) -> Any:
    """A distance above zero (no bound counts)."""
    return (e > 0).fill_null(True)


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
        directed = self._direct(node, found)
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

    def _direct(self, node: Expr, found: Found) -> Dir | None:
        """The node's directions (``None``: its plain facts)."""
        if not found.facts:
            return None
        kind = type(node)
        if kind is tr.Named:
            return self.of(node.expr)  # type: ignore[attr-defined]
        if kind is tr.Not:
            inner = self.of(node.operand)  # type: ignore[attr-defined]
            return Dir(inner.has, inner.down, inner.up)
        if kind is tr.All or kind is tr.Any:
            return self._junction(node, found)  # type: ignore[arg-type]
        if kind is tr.AtLeast:
            return self._at_least(node, found)  # type: ignore[arg-type]
        if kind is tr.Points:
            return self._points(node)  # type: ignore[arg-type]
        if kind is tr.Per:
            return self._per(node)  # type: ignore[arg-type]
        if kind is tr.Score:
            return self._score(node, found)  # type: ignore[arg-type]
        if kind is tr.Compare:
            return self._compare(node, found)  # type: ignore[arg-type]
        if kind is tr.DecisionTable:
            return self._table(node, found)  # type: ignore[arg-type]
        return None

    def _pick(self, cond: Any, yes: Dir, no: Dir) -> Dir:
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

    # -- conditions ---------------------------------------------------------------------

    def _junction(self, node: tr.All | tr.Any, found: Found) -> Dir:
        x = self.x
        conj = isinstance(node, tr.All)
        result = found.value
        other = conj  # the value that does not settle it
        seen: list[tuple[Any, Any, Dir]] = []  # (selected, not other-way, dir)
        blocked, pending = x.FALSE, x.FALSE
        for item, ev in zip(node.items, found.evaluated, strict=True):
            kid = self.walker.found(item)
            listed = ~x.empty(kid.facts)
            if conj and item is tr.UNKNOWN:
                pending = x.either(pending, x.both(ev, ~listed))  # stands for a fact to find
            else:  # settled for good either way: nothing can lift it
                blocked = x.either(blocked, x.both(ev, x.both(~listed, ~x.truth(kid.value, other))))
            away = ~x.truth(kid.value, other)  # not TRUE (all_of), not FALSE (any_of)
            seen.append((x.both(ev, listed), away, self.of(item)))
        facts = x.union(*(x.where(sel, d.has) for sel, _, d in seen))

        # all_of: TRUE needs every item that is not TRUE to become TRUE; any_of: FALSE
        # needs every item that is not FALSE to become FALSE; any item can spoil either
        def way(d: Dir) -> Paths:
            return d.up if conj else d.down

        def back_way(d: Dir) -> Paths:
            return d.down if conj else d.up

        gate = ~x.truth(result, other) & ~blocked
        for sel, away, d in seen:
            gate = gate & (~x.both(sel, away) | ~x.empty(way(d)))
        toward = x.where(
            gate, x.union(*(x.where(x.both(sel, away), way(d)) for sel, away, d in seen))
        )
        if conj:
            toward = x.union(toward, x.where(gate & pending, facts))
        back = x.where(
            ~x.truth(result, not other),
            x.union(*(x.where(sel, back_way(d)) for sel, _, d in seen)),
        )
        up, down = (toward, back) if conj else (back, toward)
        return Dir(x.union(facts, up, down), up, down)

    def _at_least(self, node: tr.AtLeast, found: Found) -> Dir:
        x = self.x
        n, result = node.n, found.value
        kids = [(self.walker.found(item).value, self.of(item)) for item in node.items]
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
        return self._pick(use, toward, plain(found.facts))

    def _compare(self, node: tr.Compare, found: Found) -> Dir | None:
        right = node.right
        if type(right) is not tr.Literal:
            return None
        left = self.of(node.left)
        const = right.value
        value = self.walker.found(node.left).value
        numbers = value.exact and type(const) in (int, Decimal)
        if left.moves is None or not numbers:
            across = plain(left.has)
        else:
            on = left.moves.on & value.expr.is_not_null()
            number: int | Decimal = const  # type: ignore[assignment]
            toward = self._across(node.op, value, number, found, left)
            across = self._pick(on, toward, plain(left.has))
        return self._pick(found.value.expr.is_null(), plain(found.facts), across)

    def _across(self, op: str, value: Value, const: int | Decimal, found: Found, left: Dir) -> Dir:
        """``compare_toward``: the facts that could carry a number across a constant."""
        x = self.x
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

    # -- numbers --------------------------------------------------------------------------

    def _points(self, node: tr.Points) -> Dir:
        x = self.x
        when = x.truth(self.walker.found(node.when).value, True)
        inner = self.of(node.when)
        flip = x.pick(when, inner.has, inner.up)
        units, scale = weight_units(node.points)
        zero, size = x.int_(0), x.int_(abs(units))
        if units > 0:  # TRUE: could lose them; otherwise could gain them
            rise, fall = x.when(when, zero, size), x.when(when, size, zero)
        elif units < 0:
            rise, fall = x.when(when, size, zero), x.when(when, zero, size)
        else:
            rise = fall = zero
        moves = Moves(
            x.any_of(flip.values()),
            dict.fromkeys(flip, rise),
            dict.fromkeys(flip, fall),
            (rise, fall),
            scale,
        )
        up = x.where(rise > 0, flip)
        down = x.where(fall > 0, flip)
        return Dir(flip, up, down, moves)

    def _per(self, node: tr.Per) -> Dir:
        x = self.x
        inner = self.of(node.value)
        if inner.moves is None:
            return inner
        m = inner.moves
        units, wscale = weight_units(node.weight)
        size = abs(units)
        rise = {p: e * size for p, e in m.rise.items()}
        fall = {p: e * size for p, e in m.fall.items()}
        span = (m.span[0] * size, m.span[1] * size)
        if units < 0:
            rise, fall, span = fall, rise, (span[1], span[0])
        moves = Moves(m.on, rise, fall, span, m.scale + wscale)
        up = x.pick(
            m.on, {p: x.both(inner.has[p], _positive(rise[p])) for p in inner.has}, inner.up
        )
        down = x.pick(
            m.on, {p: x.both(inner.has[p], _positive(fall[p])) for p in inner.has}, inner.down
        )
        return Dir(inner.has, up, down, moves)

    def _score(self, node: tr.Score, found: Found) -> Dir:
        x = self.x
        items = []
        for item in node.items:
            kid = self.walker.found(item)
            d = self.of(item) if isinstance(item, _MOVING) else plain(kid.facts)
            items.append((kid, d))
        scale = max([SCORE_PLACES, *(d.moves.scale for _, d in items if d.moves is not None)])
        factor = 10 ** (scale - SCORE_PLACES)
        raw = x.int_(0)
        for kid, _ in items:
            points = x.points(kid.value)
            raw = raw + (points.fill_null(0) if kid.value.nullable else points)
        raw = raw * factor if factor != 1 else raw
        has: Paths = {}
        rise: dict[str, list[Any]] = {}
        fall: dict[str, list[Any]] = {}
        ups, downs = [], []
        for kid, d in items:
            listed = ~x.empty(kid.facts)
            m = d.moves.at(scale) if d.moves is not None else None
            on = x.both(listed, m.on) if m is not None else x.FALSE
            for p, e in d.has.items():
                here = x.both(listed, e)
                has[p] = here if p not in has else has[p] | here
                r = m.rise[p] if m is not None else None
                f = m.fall[p] if m is not None else None
                rise.setdefault(p, []).append(self._move(here, on, r))
                fall.setdefault(p, []).append(self._move(here, on, f))
            ups.append(self._move(listed, on, m.span[0] if m is not None else None))
            downs.append(self._move(listed, on, m.span[1] if m is not None else None))
        total_up = _sum(ups)
        total_down = _sum(downs)
        highest, lowest = raw + total_up, raw - total_down  # null: no bound
        floor = None if node.floor is None else self._units(node.floor, scale)
        cap = None if node.cap is None else self._units(node.cap, scale)
        pinned = x.FALSE
        if floor is not None:
            pinned = pinned | (highest <= floor).fill_null(False)
        if cap is not None:
            pinned = pinned | (lowest >= cap).fill_null(False)
        now = self._bounded(raw, floor, cap)
        top = self._bounded(highest, floor, cap, missing=cap)
        bottom = self._bounded(lowest, floor, cap, missing=floor)
        zero = x.int_(0)
        span = (x.when(pinned, zero, top - now), x.when(pinned, zero, now - bottom))
        moved_up = {p: x.when(pinned, zero, _sum(rs)) for p, rs in rise.items()}
        moved_down = {p: x.when(pinned, zero, _sum(fs)) for p, fs in fall.items()}
        on = x.any_of(has.values())
        reach = Dir(
            has,
            {p: x.both(has[p], _positive(moved_up[p])) for p in has},
            {p: x.both(has[p], _positive(moved_down[p])) for p in has},
            Moves(on, moved_up, moved_down, span, scale),
        )
        return self._pick(on, reach, plain(found.facts))

    def _table(self, node: tr.DecisionTable, found: Found) -> Dir | None:
        x = self.x
        if node.hit_policy != "first" or not found.value.exact:
            return None
        table = self.walker.table(node)
        chosen: list[tuple[Any, Dir]] = []
        taken = x.FALSE
        for (when, then), (going, _, _) in zip(node.rows, table.rows, strict=True):
            here = x.both(going, x.truth(self.walker.found(when).value, True)) & ~taken
            chosen.append((here, self.of(then)))
            taken = taken | here
        if node.default is not None:
            chosen.append((~taken, self.of(node.default)))
        outs = [(c, d) for c, d in chosen if d.moves is not None]
        if not outs:
            return None
        scale = max(d.moves.scale for _, d in outs if d.moves is not None)
        reach_on = x.any_of(x.both(c, d.moves.on) for c, d in outs if d.moves is not None)
        reach_on = reach_on & found.value.expr.is_not_null()
        out_has = x.union(*(x.where(c, d.has) for c, d in outs))
        record = found.facts
        paths = set(record) | set(out_has)
        others = x.any_of(x.both(record[p], ~out_has.get(p, x.FALSE)) for p in record)

        def moved(p: str, up: bool) -> Any:
            parts = []
            for c, d in outs:
                m = d.moves.at(scale)  # type: ignore[union-attr]
                e = (m.rise if up else m.fall).get(p)
                if e is not None and p in d.has:
                    parts.append(x.when(c & d.has[p], e, None))
            if not parts:
                return x.int_(None)
            return x.coalesce(parts) if len(parts) > 1 else parts[0]

        rise = {p: moved(p, True) for p in paths}
        fall = {p: moved(p, False) for p in paths}

        def spanned(i: int) -> Any:
            parts = [x.when(c, d.moves.at(scale).span[i], None) for c, d in outs]  # type: ignore[union-attr]
            chosen_span = x.coalesce(parts) if len(parts) > 1 else parts[0]
            return x.when(others, x.int_(None), chosen_span)

        has = x.union(record, out_has)
        reach = Dir(
            has,
            {p: x.both(has[p], _positive(rise[p])) for p in has},
            {p: x.both(has[p], _positive(fall[p])) for p in has},
            Moves(reach_on, rise, fall, (spanned(0), spanned(1)), scale),
        )
        return self._pick(reach_on, reach, plain(record))

    def _move(self, here: Any, on: Any, distance: Any | None) -> Any:
        """An item's move of a path: its distance where it is a reach, else no bound.

        Where the item does not list the path, it moves it by 0.
        """
        x = self.x
        bound = x.int_(None) if distance is None else x.when(on, distance, x.int_(None))
        return x.when(here, bound, x.int_(0))

    def _units(self, value: int | Decimal, scale: int) -> Any:
        units, own = weight_units(value)
        return self.x.int_(units * 10 ** (scale - own))

    def _bounded(
        self, total: Any, floor: Any | None, cap: Any | None, missing: Any | None = None
    ) -> Any:
        """``bounded`` on units; a null total (no bound) is ``missing`` (null when ``None``)."""
        x = self.x
        out = total
        if floor is not None:
            out = x.when(out < floor, floor, out)
        if cap is not None:
            out = x.when(out > cap, cap, out)
        if missing is not None:
            out = x.when(total.is_null(), missing, out)
        return out


def _sum(exprs: list[Any]) -> Any:
    """A sum where any null (no bound) makes the sum null."""
    total = exprs[0]
    for e in exprs[1:]:
        total = total + e
    return total
