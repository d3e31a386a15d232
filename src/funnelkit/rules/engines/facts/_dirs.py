"""Directed facts: the sets a node's directions are made of, and the walker's interface.

A node's directed facts are three sets of paths (``has``, ``up``, ``down``). Where they
are a number's *reach* (``Moves.on``), each path also has how far it could move the
number up and down, in exact units of ``10 ** -scale``: null is no bound.
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from funnelkit.rules.engines.facts._ops import Column, Ops, Paths
from funnelkit.rules.engines.facts._walk import FactWalker
from funnelkit.rules.tree import Expr

__all__ = ["Dir", "Directions", "Moves", "plain", "positive"]


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


def positive(e: Any) -> Any:
    """A distance above zero (no bound counts)."""
    return (e > 0).fill_null(True)


class Directions(Protocol):
    """What the visitors of one node kind read of the walker (``Directed``)."""

    walker: FactWalker
    x: Ops

    def of(self, node: Expr) -> Dir:
        """The directed facts of ``node``."""
        ...

    def pick(self, cond: Column, yes: Dir, no: Dir) -> Dir:
        """``yes`` where ``cond`` holds, ``no`` elsewhere (their moves too)."""
        ...
