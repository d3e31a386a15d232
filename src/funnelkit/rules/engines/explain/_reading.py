"""Reading directions off a filled record: which facts could make a node TRUE, or move it.

Explain steps record plain facts while they evaluate (what could change each node). The
directions (``_direction``) are added afterwards by this walker over the same plan, only
when they are asked for, so explaining costs no more for them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.explain._direction import (
    INF,
    Reach,
    Sum,
    all_toward,
    any_toward,
    at_least_toward,
    compare_toward,
    not_toward,
    per_reach,
    points_reach,
    undirected,
)
from funnelkit.rules.meaning import to_points
from funnelkit.rules.tree import Truth

__all__ = ["Directions"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
_NUMBERS = (int, Decimal)
_NONE: frozenset[str] = frozenset()


class Directions:
    """Directions read off a filled record: what each node's facts could do to it.

    Explain steps record plain facts (what could change each node); this walker adds the
    direction afterwards, only when it is asked for (``qualify`` asks for the facts that
    could make each stage gate TRUE), from the values and facts the record holds. A node
    is directed after its children; a ``ref`` after the output it reads.
    """

    __slots__ = ("_skip", "done", "kids", "nodes", "outputs", "rec", "slots")

    def __init__(
        self,
        nodes: tuple[Any, ...],
        slots: tuple[int, ...],
        kids: tuple[tuple[int, ...], ...],
        rec: list[Any],
        skip: Any,
    ) -> None:
        self.nodes, self.slots, self.kids, self.rec = nodes, slots, kids, rec
        self.done: dict[int, frozenset[str]] = {}
        self.outputs: dict[str, int] = {}
        root = nodes[0]
        if type(root) is tr.RuleSet:
            self.outputs = {name: j for (name, _), j in zip(root.outputs, kids[0], strict=True)}
        self._skip = skip

    def of(self, i: int) -> frozenset[str]:
        """The directed facts of node ``i`` (its plain facts when no direction is known)."""
        found = self.done.get(i)
        if found is None:
            found = self.done[i] = self._direct(i)
        return found

    def _direct(self, i: int) -> frozenset[str]:
        rec, s = self.rec, self.slots[i]
        facts: frozenset[str] = rec[s + 1]
        node = self.nodes[i]
        kind = type(node)
        if kind is tr.Ref:
            j = self.outputs.get(node.name)
            return self.of(j) if j is not None and facts else facts
        if not facts:
            return facts
        kids = [j for j in self.kids[i] if rec[self.slots[j]] is not self._skip]
        value = rec[s]
        if kind is tr.Named:
            return self.of(kids[0]) if kids else facts
        if kind is tr.Not:
            return not_toward(self.of(kids[0])) if kids else facts
        if kind is tr.All or kind is tr.Any:
            return self._junction(node, kids, value)
        if kind is tr.AtLeast:
            seen = [(rec[self.slots[j]], self.of(j)) for j in kids]
            return at_least_toward(node.n, seen, value) or facts
        if kind is tr.Points:
            when = rec[self.slots[kids[0]]] if kids else U
            return points_reach(when, node.points, self.of(kids[0]) if kids else facts)
        if kind is tr.Per:
            return per_reach(node.weight, self.of(kids[0])) if kids else facts
        if kind is tr.Score:
            return self._score(node, kids, facts)
        if kind is tr.Compare:
            right = node.right
            if type(right) is tr.Literal and kids and value is not U:
                left = rec[self.slots[kids[0]]]
                return compare_toward(node.op, left, right.value, value, self.of(kids[0]))
            return facts
        if kind is tr.DecisionTable:
            return self._table(i, node, value, facts)
        return facts

    def _junction(self, node: Any, kids: list[int], result: Truth) -> frozenset[str]:
        conj = type(node) is tr.All
        other = T if conj else F_
        seen: list[tuple[Truth, frozenset[str]]] = []
        pending, blocked = 0, False
        for j in kids:
            out, f = self.rec[self.slots[j]], self.rec[self.slots[j] + 1]
            if f:
                seen.append((out, self.of(j)))
            elif conj and self.nodes[j] is tr.UNKNOWN:
                pending += 1
            elif out is not other:
                blocked = True
        toward = all_toward if conj else any_toward
        return toward(seen, result, pending, blocked) if seen else _NONE

    def _score(self, node: Any, kids: list[int], facts: frozenset[str]) -> frozenset[str]:
        found = Sum()
        raw: Any = 0
        for j in kids:
            value = self.rec[self.slots[j]]
            if value is not None:
                raw += to_points(value)
            if self.rec[self.slots[j] + 1]:
                found.item(self.of(j) if type(self.nodes[j]) in _MOVING else _anywhere(j, self))
        return found.reach(raw, node.floor, node.cap) or facts

    def _table(self, i: int, node: Any, value: Any, facts: frozenset[str]) -> frozenset[str]:
        """A number a ``first`` table gives: its output moves as it says.

        A row not taken could give anything: the other facts move it without bound.
        """
        if node.hit_policy != "first" or type(value) not in _NUMBERS:
            return facts
        listed, rows, chosen = self.kids[i], len(node.rows), None
        for r in range(rows):
            if self.rec[self.slots[listed[2 * r]]] is T:
                chosen = listed[2 * r + 1]
                break
        else:
            if node.default is not None and len(listed) > 2 * rows:
                chosen = listed[2 * rows]
        if chosen is None:
            return facts
        output = self.of(chosen)
        if type(output) is not Reach:
            return facts
        others = facts - output
        moves: dict[str, tuple[Any, Any]] = dict.fromkeys(others, (INF, INF))
        moves.update(output.moves)
        return Reach(moves, (INF, INF) if others else output.span)


_MOVING = (tr.Points, tr.Per, tr.Score, tr.Named, tr.Ref, tr.DecisionTable)


def _anywhere(j: int, walker: Directions) -> frozenset[str]:
    return undirected(walker.rec[walker.slots[j] + 1])
