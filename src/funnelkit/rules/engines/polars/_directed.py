"""Directed facts in polars: which facts could make a node TRUE or FALSE, or move a number.

This walker states, over columns, what ``funnelkit.rules.engines.explain``'s directions
read off an explanation's record (``_direction`` and ``_reading`` there), node kind by node
kind and in the same order: ``not`` swaps the directions; ``all_of`` / ``any_of`` and
``at_least`` pass up what could move them; points move by their points when their
condition flips, ``per`` scales its value's moves by its weight, a score adds its items'
moves and sees the sum through its floor and cap; a comparison with a constant keeps the
moves that could carry its number across; a ``first`` table's number moves as its chosen
output does. Anything else lists its facts either way.

A node's directed facts are three sets of paths (``has``, ``up``, ``down``). Where they
are a number's *reach* (``Moves.on``), each path also has how far it could move the
number up and down, in exact units of ``10 ** -scale``: null is no bound.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import polars as pl

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.polars._col import Col
from funnelkit.rules.engines.polars._facts import FactWalker, Found
from funnelkit.rules.engines.polars._numbers import points_of, scaled_weight
from funnelkit.rules.engines.polars._paths import (
    FALSE,
    Paths,
    any_of,
    both,
    either,
    empty,
    pick,
    union,
    where,
)
from funnelkit.rules.tree import SCORE_PLACES, Expr

__all__ = ["Directed", "Dir", "Moves"]

_NO_BOUND = pl.lit(None, dtype=pl.Int64)
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

    on: pl.Expr
    rise: Paths
    fall: Paths
    span: tuple[pl.Expr, pl.Expr]
    scale: int

    def at(self, scale: int) -> Moves:
        """The same moves in units of ``10 ** -scale`` (``scale`` >= its own)."""
        factor = 10 ** (scale - self.scale)
        if factor == 1:
            return self

        def times(e: pl.Expr) -> pl.Expr:
            scaled: pl.Expr = e * factor
            return scaled

        return Moves(
            self.on,
            {p: times(e) for p, e in self.rise.items()},
            {p: times(e) for p, e in self.fall.items()},
            (times(self.span[0]), times(self.span[1])),
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


def _pick(cond: pl.Expr, yes: Dir, no: Dir) -> Dir:
    moves = None
    if yes.moves is not None or no.moves is not None:
        a, b = yes.moves, no.moves
        scale = max(m.scale for m in (a, b) if m is not None)
        a = a.at(scale) if a is not None else None
        b = b.at(scale) if b is not None else None

        def choose(x: pl.Expr | None, y: pl.Expr | None) -> pl.Expr:
            return (
                pl.when(cond).then(x if x is not None else 0).otherwise(y if y is not None else 0)
            )

        paths = set(a.rise if a else ()) | set(b.rise if b else ())
        on = either(both(cond, a.on if a else FALSE), both(~cond, b.on if b else FALSE))
        moves = Moves(
            on,
            {p: choose(a.rise.get(p) if a else None, b.rise.get(p) if b else None) for p in paths},
            {p: choose(a.fall.get(p) if a else None, b.fall.get(p) if b else None) for p in paths},
            (
                choose(a.span[0] if a else None, b.span[0] if b else None),
                choose(a.span[1] if a else None, b.span[1] if b else None),
            ),
            scale,
        )
    return Dir(
        pick(cond, yes.has, no.has), pick(cond, yes.up, no.up), pick(cond, yes.down, no.down), moves
    )


def _positive(e: pl.Expr) -> pl.Expr:
    """A distance above zero (no bound counts)."""
    return (e > 0).fill_null(True)


def _truth(col: Col, value: bool) -> pl.Expr:
    """Where a condition is exactly ``value`` (not where it is unknown)."""
    return col.expr.eq(value).fill_null(False)


class Directed:
    """The directed facts of the nodes a ``FactWalker`` has walked (once per node).

    Args:
        walker: The walker of the same rule (its layers receive these columns too).
    """

    def __init__(self, walker: FactWalker) -> None:
        self.walker = walker
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

    # -- conditions ---------------------------------------------------------------------

    def _junction(self, node: tr.All | tr.Any, found: Found) -> Dir:
        conj = isinstance(node, tr.All)
        result = found.value
        other = conj  # the value that does not settle it
        seen: list[tuple[pl.Expr, pl.Expr, Dir]] = []  # (selected, not other-way, dir)
        blocked, pending = FALSE, FALSE
        for item, ev in zip(node.items, found.evaluated, strict=True):
            kid = self.walker.found(item)
            listed = ~empty(kid.facts)
            if conj and item is tr.UNKNOWN:
                pending = either(pending, both(ev, ~listed))  # stands for a fact to find
            else:  # settled for good either way: nothing can lift it
                blocked = either(blocked, both(ev, both(~listed, ~_truth(kid.value, other))))
            away = ~_truth(kid.value, other)  # not TRUE (all_of), not FALSE (any_of)
            seen.append((both(ev, listed), away, self.of(item)))
        facts = union(*(where(sel, d.has) for sel, _, d in seen))

        # all_of: TRUE needs every item that is not TRUE to become TRUE; any_of: FALSE
        # needs every item that is not FALSE to become FALSE; any item can spoil either
        def way(d: Dir) -> Paths:
            return d.up if conj else d.down

        def back_way(d: Dir) -> Paths:
            return d.down if conj else d.up

        gate = ~_truth(result, other) & ~blocked
        for sel, away, d in seen:
            gate = gate & (~both(sel, away) | ~empty(way(d)))
        toward = where(gate, union(*(where(both(sel, away), way(d)) for sel, away, d in seen)))
        if conj:
            toward = union(toward, where(gate & pending, facts))
        back = where(
            ~_truth(result, not other), union(*(where(sel, back_way(d)) for sel, _, d in seen))
        )
        up, down = (toward, back) if conj else (back, toward)
        return Dir(union(facts, up, down), up, down)

    def _at_least(self, node: tr.AtLeast, found: Found) -> Dir:
        n, result = node.n, found.value
        kids = [(self.walker.found(item).value, self.of(item)) for item in node.items]

        def count(exprs: list[pl.Expr]) -> pl.Expr:
            return pl.sum_horizontal([e.cast(pl.Int64) for e in exprs]) if exprs else pl.lit(0)

        sure = count([_truth(v, True) & empty(d.has) for v, d in kids])
        possible = count([~_truth(v, False) | ~empty(d.has) for v, d in kids])
        deciding = (sure < n) & (possible >= n)
        facts = union(*(d.has for _, d in kids))
        true = count([_truth(v, True) for v, _ in kids])
        lifting = count([~_truth(v, True) & ~empty(d.up) for v, d in kids])
        up = where(
            ~_truth(result, True) & (true + lifting >= n),
            union(*(where(~_truth(v, True), d.up) for v, d in kids)),
        )
        staying = count([_truth(v, True) & empty(d.down) for v, d in kids])
        down = where(
            ~_truth(result, False) & (staying < n),
            union(*(where(~_truth(v, False), d.down) for v, d in kids)),
        )
        toward = Dir(union(facts, up, down), up, down)
        use = deciding & ~empty(toward.has)
        return _pick(use, toward, plain(found.facts))

    def _compare(self, node: tr.Compare, found: Found) -> Dir | None:
        right = node.right
        if type(right) is not tr.Literal:
            return None
        left = self.of(node.left)
        const = right.value
        value = self.walker.found(node.left).value
        numbers = value.kind in ("int", "fixed") and type(const) in (int, Decimal)
        if left.moves is None or not numbers:
            across = plain(left.has)
        else:
            on = left.moves.on & value.expr.is_not_null()
            number: int | Decimal = const  # type: ignore[assignment]
            across = _pick(on, _across(node.op, value, number, found, left), plain(left.has))
        return _pick(found.value.expr.is_null(), plain(found.facts), across)

    # -- numbers --------------------------------------------------------------------------

    def _points(self, node: tr.Points) -> Dir:
        when = _truth(self.walker.found(node.when).value, True)
        inner = self.of(node.when)
        flip = pick(when, inner.has, inner.up)
        units, scale = scaled_weight(node.points)
        zero = pl.lit(0, dtype=pl.Int64)
        size = pl.lit(abs(units), dtype=pl.Int64)
        if units > 0:  # TRUE: could lose them; otherwise could gain them
            rise, fall = (
                pl.when(when).then(zero).otherwise(size),
                pl.when(when).then(size).otherwise(zero),
            )
        elif units < 0:
            rise, fall = (
                pl.when(when).then(size).otherwise(zero),
                pl.when(when).then(zero).otherwise(size),
            )
        else:
            rise = fall = zero
        moves = Moves(
            any_of(flip.values()),
            dict.fromkeys(flip, rise),
            dict.fromkeys(flip, fall),
            (rise, fall),
            scale,
        )
        up = where(rise > 0, flip)
        down = where(fall > 0, flip)
        return Dir(flip, up, down, moves)

    def _per(self, node: tr.Per) -> Dir:
        inner = self.of(node.value)
        if inner.moves is None:
            return inner
        m = inner.moves
        units, wscale = scaled_weight(node.weight)
        size = abs(units)
        rise = {p: e * size for p, e in m.rise.items()}
        fall = {p: e * size for p, e in m.fall.items()}
        span = (m.span[0] * size, m.span[1] * size)
        if units < 0:
            rise, fall, span = fall, rise, (span[1], span[0])
        moves = Moves(m.on, rise, fall, span, m.scale + wscale)
        up = pick(m.on, {p: both(inner.has[p], _positive(rise[p])) for p in inner.has}, inner.up)
        down = pick(
            m.on, {p: both(inner.has[p], _positive(fall[p])) for p in inner.has}, inner.down
        )
        return Dir(inner.has, up, down, moves)

    def _score(self, node: tr.Score, found: Found) -> Dir:
        items = []
        for item in node.items:
            kid = self.walker.found(item)
            d = self.of(item) if isinstance(item, _MOVING) else plain(kid.facts)
            items.append((kid, d))
        scale = max([SCORE_PLACES, *(d.moves.scale for _, d in items if d.moves is not None)])
        factor = 10 ** (scale - SCORE_PLACES)
        raw = (
            pl.sum_horizontal(
                [
                    points_of(kid.value).fill_null(0)
                    if kid.value.nullable
                    else points_of(kid.value)
                    for kid, _ in items
                ]
            )
            if items
            else pl.lit(0, dtype=pl.Int64)
        )
        raw = raw * factor if factor != 1 else raw
        has: Paths = {}
        rise: dict[str, list[pl.Expr]] = {}
        fall: dict[str, list[pl.Expr]] = {}
        ups, downs = [], []
        for kid, d in items:
            listed = ~empty(kid.facts)
            m = d.moves.at(scale) if d.moves is not None else None
            on = both(listed, m.on) if m is not None else FALSE
            for p, e in d.has.items():
                here = both(listed, e)
                has[p] = here if p not in has else has[p] | here
                r = m.rise[p] if m is not None else None
                f = m.fall[p] if m is not None else None
                rise.setdefault(p, []).append(_move(here, on, r))
                fall.setdefault(p, []).append(_move(here, on, f))
            ups.append(_move(listed, on, m.span[0] if m is not None else None))
            downs.append(_move(listed, on, m.span[1] if m is not None else None))
        total_up = _sum(ups)
        total_down = _sum(downs)
        highest, lowest = raw + total_up, raw - total_down  # null: no bound
        floor = None if node.floor is None else _units(node.floor, scale)
        cap = None if node.cap is None else _units(node.cap, scale)
        pinned = FALSE
        if floor is not None:
            pinned = pinned | (highest <= floor).fill_null(False)
        if cap is not None:
            pinned = pinned | (lowest >= cap).fill_null(False)
        now = _bounded(raw, floor, cap)
        top = _bounded(highest, floor, cap, missing=cap)
        bottom = _bounded(lowest, floor, cap, missing=floor)
        zero = pl.lit(0, dtype=pl.Int64)
        span = (
            pl.when(pinned).then(zero).otherwise(top - now),
            pl.when(pinned).then(zero).otherwise(now - bottom),
        )
        moved_up = {p: pl.when(pinned).then(zero).otherwise(_sum(rs)) for p, rs in rise.items()}
        moved_down = {p: pl.when(pinned).then(zero).otherwise(_sum(fs)) for p, fs in fall.items()}
        on = any_of(has.values())
        reach = Dir(
            has,
            {p: both(has[p], _positive(moved_up[p])) for p in has},
            {p: both(has[p], _positive(moved_down[p])) for p in has},
            Moves(on, moved_up, moved_down, span, scale),
        )
        return _pick(on, reach, plain(found.facts))

    def _table(self, node: tr.DecisionTable, found: Found) -> Dir | None:
        if node.hit_policy != "first" or found.value.kind not in ("int", "fixed"):
            return None
        table = self.walker.table(node)
        chosen: list[tuple[pl.Expr, Dir]] = []
        taken = FALSE
        for (when, then), (going, _, _) in zip(node.rows, table.rows, strict=True):
            here = both(going, _truth(self.walker.found(when).value, True)) & ~taken
            chosen.append((here, self.of(then)))
            taken = taken | here
        if node.default is not None:
            chosen.append((~taken, self.of(node.default)))
        outs = [(c, d) for c, d in chosen if d.moves is not None]
        if not outs:
            return None
        scale = max(d.moves.scale for _, d in outs if d.moves is not None)
        reach_on = any_of(both(c, d.moves.on) for c, d in outs if d.moves is not None)
        reach_on = reach_on & found.value.expr.is_not_null()
        out_has = union(*(where(c, d.has) for c, d in outs))
        record = found.facts
        paths = set(record) | set(out_has)
        others = any_of(both(record[p], ~out_has.get(p, FALSE)) for p in record)

        def moved(p: str, up: bool) -> pl.Expr:
            parts = []
            for c, d in outs:
                m = d.moves.at(scale)  # type: ignore[union-attr]
                e = (m.rise if up else m.fall).get(p)
                if e is not None and p in d.has:
                    parts.append(pl.when(c & d.has[p]).then(e))
            if not parts:
                return _NO_BOUND
            return pl.coalesce(parts) if len(parts) > 1 else parts[0]

        rise = {p: moved(p, True) for p in paths}
        fall = {p: moved(p, False) for p in paths}

        def spanned(i: int) -> pl.Expr:
            parts = [pl.when(c).then(d.moves.at(scale).span[i]) for c, d in outs]  # type: ignore[union-attr]
            chosen_span = pl.coalesce(parts) if len(parts) > 1 else parts[0]
            return pl.when(others).then(_NO_BOUND).otherwise(chosen_span)

        has = union(record, out_has)
        reach = Dir(
            has,
            {p: both(has[p], _positive(rise[p])) for p in has},
            {p: both(has[p], _positive(fall[p])) for p in has},
            Moves(reach_on, rise, fall, (spanned(0), spanned(1)), scale),
        )
        return _pick(reach_on, reach, plain(record))


def _move(here: pl.Expr, on: pl.Expr, distance: pl.Expr | None) -> pl.Expr:
    """An item's move of a path: its distance where it is a reach, else no bound.

    Where the item does not list the path, it moves it by 0.
    """
    zero = pl.lit(0, dtype=pl.Int64)
    bound = _NO_BOUND if distance is None else pl.when(on).then(distance).otherwise(_NO_BOUND)
    return pl.when(here).then(bound).otherwise(zero)


def _sum(exprs: list[pl.Expr]) -> pl.Expr:
    """A sum where any null (no bound) makes the sum null."""
    total = exprs[0]
    for e in exprs[1:]:
        total = total + e
    return total


def _units(value: int | Decimal, scale: int) -> pl.Expr:
    units, own = scaled_weight(value)
    return pl.lit(units * 10 ** (scale - own), dtype=pl.Int64)


def _bounded(
    total: pl.Expr, floor: pl.Expr | None, cap: pl.Expr | None, missing: pl.Expr | None = None
) -> pl.Expr:
    """``bounded`` on units; a null total (no bound) is ``missing`` (null when ``None``)."""
    out = total
    if floor is not None:
        out = pl.when(out < floor).then(floor).otherwise(out)
    if cap is not None:
        out = pl.when(out > cap).then(cap).otherwise(out)
    if missing is not None:
        out = pl.when(total.is_null()).then(missing).otherwise(out)
    return out


def _across(op: str, value: Col, const: int | Decimal, found: Found, left: Dir) -> Dir:
    """``compare_toward``: the facts that could carry a number across a constant."""
    m = left.moves
    assert m is not None
    cunits, cscale = scaled_weight(const)
    scale = max(value.scale if value.kind == "fixed" else 0, cscale, m.scale)
    m = m.at(scale)
    v = value.at_scale(scale)
    c = pl.lit(cunits * 10 ** (scale - cscale), dtype=pl.Int64)
    high, low = v + m.span[0], v - m.span[1]
    rise, fall = left.up, left.down
    is_true, is_false = _truth(found.value, True), _truth(found.value, False)
    if op in (">=", ">"):
        holds_high = (high >= c if op == ">=" else high > c).fill_null(True)
        holds_low = (low >= c if op == ">=" else low > c).fill_null(False)
        up = where(~is_true & holds_high, rise)
        down = where(~is_false & ~holds_low, fall)
    elif op in ("<=", "<"):
        holds_low = (low <= c if op == "<=" else low < c).fill_null(True)
        holds_high = (high <= c if op == "<=" else high < c).fill_null(False)
        up = where(~is_true & holds_low, fall)
        down = where(~is_false & ~holds_high, rise)
    else:
        inside = (low <= c).fill_null(True) & (c <= high).fill_null(True)
        reach = union(where(inside & (c > v), rise), where(inside & (c < v), fall))
        leave = union(rise, fall)
        equal = v == c
        to_equal, to_other = where(~equal, reach), where(equal, leave)
        up, down = (to_equal, to_other) if op == "==" else (to_other, to_equal)
    return Dir(union(up, down), up, down)
