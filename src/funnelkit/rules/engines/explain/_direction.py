"""Facts with a direction: what finding a fact out could do to a condition or a number.

A node's facts are the missing field paths that could change its outcome. Two kinds of
node also say *how*:

* a condition's facts are a ``Toward``: ``up`` could make it TRUE, ``down`` FALSE;
* a number's facts (a score, points) are a ``Reach``: how far each fact, found out,
  could move it up and down (``INF`` when there is no bound).

Both are frozensets of all their paths, so whatever does not look at directions treats
them as before; a plain frozenset means "either way, any distance". The directions come
from the declared meaning: points move by their points when their condition flips, a
score sums its items' moves and then takes its floor and cap, a comparison with a
constant keeps only the moves that could carry the number across, ``not`` swaps the two
directions, and Kleene ``all_of`` / ``any_of`` / ``at_least`` pass up what could move
them (an ``all_of`` can only become TRUE if every item that is not TRUE can).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from funnelkit.rules.meaning import bounded
from funnelkit.rules.tree import Truth

__all__ = [
    "INF",
    "Toward",
    "Reach",
    "undirected",
    "ups",
    "downs",
    "points_reach",
    "Sum",
    "per_reach",
    "compare_toward",
    "all_toward",
    "any_toward",
    "at_least_toward",
    "not_toward",
]

INF = Decimal("Infinity")
"""No bound on how far a fact could move a number."""
T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
_NONE: frozenset[str] = frozenset()
Moves = Mapping[str, tuple[Any, Any]]


class Toward(frozenset[str]):
    """A condition's facts (any that could change it); ``up`` could make it TRUE, ``down`` FALSE.

    A fact may be in neither direction: it could only make the condition UNKNOWN.
    """

    __slots__ = ("down", "up")
    up: frozenset[str]
    down: frozenset[str]

    def __new__(cls, facts: frozenset[str], up: frozenset[str], down: frozenset[str]) -> Toward:
        self = super().__new__(cls, facts | up | down)
        self.up, self.down = up, down
        return self


class Reach(frozenset[str]):
    """A number's facts: how far each, found out, could move it (up, down), and all together.

    ``span`` bounds the move of all the facts found out at once; it is less than the sum
    of the single moves when several facts feed one item (two facts of one BANT part).
    """

    __slots__ = ("moves", "span")
    moves: Moves
    span: tuple[Any, Any]

    def __new__(cls, moves: Moves, span: tuple[Any, Any] | None = None) -> Reach:
        self = super().__new__(cls, moves)
        self.moves = moves
        self.span = span if span is not None else _sums(moves)
        return self


def _sums(moves: Moves) -> tuple[Any, Any]:
    up = sum((u for u, _ in moves.values()), Decimal(0))
    down = sum((d for _, d in moves.values()), Decimal(0))
    return up, down


def undirected(facts: frozenset[str]) -> frozenset[str]:
    """The facts without a direction, for a node that does not keep one.

    A number's facts read by a test that cannot say which way they move it.
    """
    return facts if type(facts) is frozenset else frozenset(facts)


def ups(facts: frozenset[str]) -> frozenset[str]:
    """The facts that could make a condition TRUE (all of them when no direction is known).

    Examples:
        >>> up, down = frozenset({"contact.seniority"}), frozenset({"company.tags"})
        >>> facts = Toward(frozenset(), up, down)
        >>> ups(facts), sorted(facts)
        (frozenset({'contact.seniority'}), ['company.tags', 'contact.seniority'])
        >>> sorted(ups(frozenset({"a", "b"})))
        ['a', 'b']
    """
    kind = type(facts)
    if kind is Toward:
        return facts.up  # type: ignore[attr-defined, no-any-return]
    if kind is Reach:
        return frozenset(p for p, (up, _) in facts.moves.items() if up > 0)  # type: ignore[attr-defined]
    return facts


def downs(facts: frozenset[str]) -> frozenset[str]:
    """The facts that could make a condition FALSE (all of them when no direction is known)."""
    kind = type(facts)
    if kind is Toward:
        return facts.down  # type: ignore[attr-defined, no-any-return]
    if kind is Reach:
        return frozenset(p for p, (_, down) in facts.moves.items() if down > 0)  # type: ignore[attr-defined]
    return facts


def _toward(facts: frozenset[str], up: frozenset[str], down: frozenset[str]) -> frozenset[str]:
    return Toward(facts, up, down) if facts or up or down else _NONE


def points_reach(when: Truth, points: Any, facts: frozenset[str]) -> frozenset[str]:
    """``points(p, when=...)``: worth p when its condition is TRUE, 0 otherwise."""
    if not facts:
        return _NONE
    if when is T:  # finding out could make it FALSE or UNKNOWN: 0 instead of p
        flip, delta = frozenset(facts), -points
    else:  # could make it TRUE: p instead of 0
        flip, delta = ups(facts), points
    if not flip:
        return _NONE
    # zero points still change the value's type (0 or Decimal("0.0")): kept, moving nothing
    move = (delta, 0) if delta > 0 else (0, -delta) if delta < 0 else (0, 0)
    return Reach(dict.fromkeys(flip, move), move)


def per_reach(weight: Any, facts: frozenset[str]) -> frozenset[str]:
    """``per(weight, value)``: the value's moves times the weight (a negative one swaps them)."""
    if not isinstance(facts, Reach):
        return facts
    size = weight if weight >= 0 else -weight

    def scaled(move: tuple[Any, Any]) -> tuple[Any, Any]:
        up, down = move[0] * size, move[1] * size
        return (up, down) if weight >= 0 else (down, up)

    return Reach({p: scaled(m) for p, m in facts.moves.items()}, scaled(facts.span))


class Sum:
    """A score's facts as its items are added: each fact's moves, and all together."""

    __slots__ = ("down", "moves", "up")

    def __init__(self) -> None:
        self.moves: dict[str, list[Any]] = {}
        self.up: Any = 0
        self.down: Any = 0

    def _add(self, paths: Iterable[str], up: Any, down: Any) -> None:
        moves = self.moves
        for path in paths:
            found = moves.get(path)
            if found is None:
                moves[path] = [up, down]
            else:
                found[0] += up
                found[1] += down

    def item(self, facts: frozenset[str]) -> None:
        """Add any other item: its reach when it has one, else no bound either way."""
        if type(facts) is Reach:
            for path, (up, down) in facts.moves.items():
                self._add((path,), up, down)
            item_up, item_down = facts.span
        else:
            self._add(facts, INF, INF)
            item_up = item_down = INF
        self.up += item_up
        self.down += item_down

    def reach(self, raw: Any, floor: Any, cap: Any) -> frozenset[str]:
        """The score's facts, its sum ``raw`` seen through its floor and cap."""
        total = self.moves
        if not total:
            return _NONE
        # the floor and the cap are seen through all the facts together: a fact that
        # alone leaves a pinned score where it is may matter once others are found out
        # (one raises the sum off its floor, then another lowers it again); only a score
        # pinned whatever the facts turn out to be cannot move (its facts are kept: they
        # can still change the number's type, 0 or Decimal("0.0"), which must be exact)
        lowest, highest = raw - self.down, raw + self.up
        if (floor is not None and highest <= floor) or (cap is not None and lowest >= cap):
            return Reach(dict.fromkeys(total, (0, 0)), (0, 0))
        now = bounded(raw, floor, cap)
        span = (bounded(highest, floor, cap) - now, now - bounded(lowest, floor, cap))
        return Reach({path: (up, down) for path, (up, down) in total.items()}, span)


_NUMBERS = (int, Decimal)


def compare_toward(
    op: str, value: Any, const: Any, outcome: Truth, facts: frozenset[str]
) -> frozenset[str]:
    """The facts of ``value <op> const`` for a present number: those that could carry it across.

    A fact counts when, with the other facts found out the same way, the number could end
    up on the other side; a decided comparison that no fact can carry across has none.
    """
    if not isinstance(facts, Reach) or type(value) not in _NUMBERS or type(const) not in _NUMBERS:
        return undirected(facts)
    moves = facts.moves
    rise = frozenset(p for p, (up, _) in moves.items() if up > 0)
    fall = frozenset(p for p, (_, down) in moves.items() if down > 0)
    high, low = value + facts.span[0], value - facts.span[1]
    if op in (">=", ">"):
        holds_high = high >= const if op == ">=" else high > const
        holds_low = low >= const if op == ">=" else low > const
        up = rise if outcome is not T and holds_high else _NONE
        down = fall if outcome is not F_ and not holds_low else _NONE
    elif op in ("<=", "<"):
        holds_low = low <= const if op == "<=" else low < const
        holds_high = high <= const if op == "<=" else high < const
        up = fall if outcome is not T and holds_low else _NONE
        down = rise if outcome is not F_ and not holds_high else _NONE
    else:  # == and !=: reaching the constant, or leaving it
        reach = (
            (rise if const > value else fall if const < value else _NONE)
            if low <= const <= high
            else _NONE
        )
        leave = rise | fall
        equal_now = value == const
        to_equal, to_other = (_NONE if equal_now else reach), (leave if equal_now else _NONE)
        up, down = (to_equal, to_other) if op == "==" else (to_other, to_equal)
    return _toward(up | down, up, down)


def not_toward(facts: frozenset[str]) -> frozenset[str]:
    """``not``: what could make the operand FALSE could make the negation TRUE."""
    if not facts:
        return facts
    return Toward(facts, downs(facts), ups(facts))


def all_toward(
    outcomes: list[tuple[Truth, frozenset[str]]],
    result: Truth,
    pending: int = 0,
    blocked: bool = False,
) -> frozenset[str]:
    """``all_of``: TRUE needs every item that is not TRUE to become TRUE; any item can spoil it.

    ``outcomes`` are the items with facts; ``blocked`` says an item that is not TRUE has
    none (nothing can lift it). ``pending`` counts the ``UNKNOWN`` constants among the
    items: each stands for something not found out yet, and the other items' facts are
    the way to it (``need not assessed and unknown``): finding any of them out could
    settle it.
    """
    facts = frozenset().union(*(f for _, f in outcomes))
    up: frozenset[str] = _NONE
    if result is not T and not blocked:
        lifts = [ups(f) for out, f in outcomes if out is not T]
        if all(lifts):
            up = frozenset().union(*lifts)
            if pending:
                up |= facts
    down = _NONE if result is F_ else frozenset().union(*(downs(f) for _, f in outcomes))
    return _toward(facts, up, down)


def any_toward(
    outcomes: list[tuple[Truth, frozenset[str]]],
    result: Truth,
    pending: int = 0,
    blocked: bool = False,
) -> frozenset[str]:
    """``any_of``: FALSE needs every item that is not FALSE to become FALSE; any item can win it.

    ``outcomes`` are the items with facts; ``blocked`` says an item that is not FALSE has
    none. ``pending`` is for symmetry with ``all_toward``; an ``any_of`` passes it none.
    """
    facts = frozenset().union(*(f for _, f in outcomes))
    down: frozenset[str] = _NONE
    if result is not F_ and not blocked:
        drops = [downs(f) for out, f in outcomes if out is not F_]
        if all(drops):
            down = frozenset().union(*drops)
    up = _NONE if result is T else frozenset().union(*(ups(f) for _, f in outcomes))
    return _toward(facts, up, down)


def at_least_toward(
    n: int, outcomes: list[tuple[Truth, frozenset[str]]], result: Truth
) -> frozenset[str]:
    """``at_least(n, ...)``: TRUE if enough items could become TRUE, FALSE if enough could fail.

    Its facts are all its items' facts while finding them out could still decide it: fewer
    than ``n`` items are TRUE for sure, and at least ``n`` could be.
    """
    sure = sum(1 for out, f in outcomes if out is T and not f)
    possible = sum(1 for out, f in outcomes if out is not F_ or f)
    if not sure < n <= possible:
        return _NONE
    facts = frozenset().union(*(f for _, f in outcomes))
    up: frozenset[str] = _NONE
    if result is not T:
        true = sum(1 for out, _ in outcomes if out is T)
        lifts = [ups(f) for out, f in outcomes if out is not T and ups(f)]
        if true + len(lifts) >= n:
            up = frozenset().union(*lifts)
    down: frozenset[str] = _NONE
    if result is not F_:
        staying = sum(1 for out, f in outcomes if out is T and not downs(f))
        if staying < n:
            down = frozenset().union(*(downs(f) for out, f in outcomes if out is not F_))
    return _toward(facts, up, down)
