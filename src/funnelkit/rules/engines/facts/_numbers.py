"""Directed facts of numbers: how far each fact could move points, a ``per``, a score.

As explain's directions read them (``_direction`` / ``_reading`` there): points move by
their points when their condition flips, ``per`` scales its value's moves by its weight,
a score adds its items' moves and sees the sum through its floor and cap, and a ``first``
table's number moves as its chosen output does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts._dirs import Dir, Directions, Moves, plain, positive
from funnelkit.rules.engines.facts._ops import Ops, Paths, weight_units
from funnelkit.rules.engines.facts._walk import Found
from funnelkit.rules.tree import SCORE_PLACES

__all__ = ["MOVING", "per", "points", "score", "table"]

MOVING = (tr.Points, tr.Per, tr.Score, tr.Named, tr.Ref, tr.DecisionTable)
"""The kinds whose directions may carry moves (a score reads its items' through them)."""


def points(w: Directions, node: tr.Points, found: Found) -> Dir:
    x = w.x
    when = x.truth(w.walker.found(node.when).value, True)
    inner = w.of(node.when)
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


def per(w: Directions, node: tr.Per, found: Found) -> Dir:
    x = w.x
    inner = w.of(node.value)
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
    up = x.pick(m.on, {p: x.both(inner.has[p], positive(rise[p])) for p in inner.has}, inner.up)
    down = x.pick(m.on, {p: x.both(inner.has[p], positive(fall[p])) for p in inner.has}, inner.down)
    return Dir(inner.has, up, down, moves)


def score(w: Directions, node: tr.Score, found: Found) -> Dir:
    x = w.x
    items = []
    for item in node.items:
        kid = w.walker.found(item)
        d = w.of(item) if isinstance(item, MOVING) else plain(kid.facts)
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
            rise.setdefault(p, []).append(_move(x, here, on, r))
            fall.setdefault(p, []).append(_move(x, here, on, f))
        ups.append(_move(x, listed, on, m.span[0] if m is not None else None))
        downs.append(_move(x, listed, on, m.span[1] if m is not None else None))
    total_up = _sum(ups)
    total_down = _sum(downs)
    highest, lowest = raw + total_up, raw - total_down  # null: no bound
    floor = None if node.floor is None else _units(x, node.floor, scale)
    cap = None if node.cap is None else _units(x, node.cap, scale)
    pinned = x.FALSE
    if floor is not None:
        pinned = pinned | (highest <= floor).fill_null(False)
    if cap is not None:
        pinned = pinned | (lowest >= cap).fill_null(False)
    now = _bounded(x, raw, floor, cap)
    top = _bounded(x, highest, floor, cap, missing=cap)
    bottom = _bounded(x, lowest, floor, cap, missing=floor)
    zero = x.int_(0)
    span = (x.when(pinned, zero, top - now), x.when(pinned, zero, now - bottom))
    moved_up = {p: x.when(pinned, zero, _sum(rs)) for p, rs in rise.items()}
    moved_down = {p: x.when(pinned, zero, _sum(fs)) for p, fs in fall.items()}
    on = x.any_of(has.values())
    reach = Dir(
        has,
        {p: x.both(has[p], positive(moved_up[p])) for p in has},
        {p: x.both(has[p], positive(moved_down[p])) for p in has},
        Moves(on, moved_up, moved_down, span, scale),
    )
    return w.pick(on, reach, plain(found.facts))


def table(w: Directions, node: tr.DecisionTable, found: Found) -> Dir | None:
    x = w.x
    if node.hit_policy != "first" or not found.value.exact:
        return None
    table = w.walker.table(node)
    chosen: list[tuple[Any, Dir]] = []
    taken = x.FALSE
    for (when, then), (going, _, _) in zip(node.rows, table.rows, strict=True):
        here = x.both(going, x.truth(w.walker.found(when).value, True)) & ~taken
        chosen.append((here, w.of(then)))
        taken = taken | here
    if node.default is not None:
        chosen.append((~taken, w.of(node.default)))
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
        {p: x.both(has[p], positive(rise[p])) for p in has},
        {p: x.both(has[p], positive(fall[p])) for p in has},
        Moves(reach_on, rise, fall, (spanned(0), spanned(1)), scale),
    )
    return w.pick(reach_on, reach, plain(record))


def _move(x: Ops, here: Any, on: Any, distance: Any | None) -> Any:
    """An item's move of a path: its distance where it is a reach, else no bound.

    Where the item does not list the path, it moves it by 0.
    """
    bound = x.int_(None) if distance is None else x.when(on, distance, x.int_(None))
    return x.when(here, bound, x.int_(0))


def _units(x: Ops, value: int | Decimal, scale: int) -> Any:
    units, own = weight_units(value)
    return x.int_(units * 10 ** (scale - own))


def _bounded(
    x: Ops, total: Any, floor: Any | None, cap: Any | None, missing: Any | None = None
) -> Any:
    """``bounded`` on units; a null total (no bound) is ``missing`` (null when ``None``)."""
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
