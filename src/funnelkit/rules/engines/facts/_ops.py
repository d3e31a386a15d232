"""What a columnar engine gives the facts walkers: columns, and a few operations on them.

A column (``Column``) is an engine's expression for one value per lead: polars'
``pl.Expr``, or a sqlglot expression wrapped by the SQL engine. The walkers use only
Kleene ``&`` / ``|`` / ``~`` on conditions, ``fill_null``, null tests, equality with a
constant, integer arithmetic and comparisons, and what ``Ops`` adds: constants, counts,
``CASE``, ``COALESCE``, and sharing an expression as a column of its own.

A set of facts that differs from lead to lead is a ``Paths``: a dict from path to a
condition that is true where the path is in the set (never null). The paths a node can
list are fixed by the rule (the fields under it); a path never listed has no key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol, Self

import attrs

from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import Expr

__all__ = ["Column", "Ops", "Paths", "Value", "decimal_units", "weight_units"]


class Column(Protocol):
    """One value per lead, as an engine's expression (Kleene logic: null is unknown)."""

    def __and__(self, other: Any) -> Self: ...
    def __or__(self, other: Any) -> Self: ...
    def __invert__(self) -> Self: ...
    def __add__(self, other: Any) -> Self: ...
    def __sub__(self, other: Any) -> Self: ...
    def __mul__(self, other: Any) -> Self: ...
    def __lt__(self, other: Any) -> Self: ...
    def __le__(self, other: Any) -> Self: ...
    def __gt__(self, other: Any) -> Self: ...
    def __ge__(self, other: Any) -> Self: ...

    def fill_null(self, value: Any) -> Self:
        """The value, with ``value`` where it is null."""
        ...

    def eq(self, other: Any) -> Self:
        """Equal to ``other`` (null where either is)."""
        ...

    def is_null(self) -> Self:
        """True where the value is null (never null)."""
        ...

    def is_not_null(self) -> Self:
        """True where the value is not null (never null)."""
        ...


Paths = dict[str, "Column"]
"""A set of paths per lead: path -> a ``Column`` condition, true where it is listed."""


@attrs.frozen
class Value:
    """A node's value as the facts walkers read it.

    Attributes:
        expr: The value (a column of its own, or one the engine reads as it is).
        nullable: Whether it can be missing.
        exact: An exact number (an int, or a decimal the engine holds exactly).
        scale: An exact number's own places (``0`` where the engine does not know them:
            ``Ops.units`` is then exact at any scale).
        native: The engine's own lowering of the node.
    """

    expr: Column
    nullable: bool
    exact: bool
    scale: int
    native: Any


class Ops(ABC):
    """An engine's columns for the facts walkers (one per rule being walked)."""

    TRUE: Column
    """The condition true everywhere (the walkers drop it from ``&``)."""
    FALSE: Column
    """The condition false everywhere (the walkers drop it from ``|``)."""

    @abstractmethod
    def int_(self, value: int | None) -> Column:
        """An integer constant (``None``: a null integer, "no bound")."""

    @abstractmethod
    def any_(self, conditions: list[Column]) -> Column:
        """True where any of two or more conditions is (Kleene)."""

    @abstractmethod
    def count(self, conditions: list[Column]) -> Column:
        """How many of ``conditions`` are true (none null), as an integer column."""

    @abstractmethod
    def when(self, condition: Column, then: Column, otherwise: Column | None) -> Column:
        """``then`` where ``condition`` is true, else ``otherwise`` (``None``: null)."""

    @abstractmethod
    def coalesce(self, values: list[Column]) -> Column:
        """The first of ``values`` that is not null."""

    @abstractmethod
    def column(self, expr: Column, height: int) -> Column:
        """``expr`` as a column of its own in layer ``height`` (it reads lower layers)."""

    @abstractmethod
    def value(self, node: Expr) -> Value:
        """The node's value, lowered without the checks the engine runs on outputs."""

    @abstractmethod
    def units(self, value: Value, scale: int) -> Column:
        """An exact number in units of ``10 ** -scale`` (``scale`` >= its own)."""

    @abstractmethod
    def points(self, value: Value) -> Column:
        """A score item's points in score units (``10 ** -SCORE_PLACES``)."""

    # -- sets of paths ------------------------------------------------------------------

    def any_of(self, exprs: Iterable[Column]) -> Column:
        """True where any of ``exprs`` is (false for none)."""
        found = list(exprs)
        if not found:
            return self.FALSE
        return found[0] if len(found) == 1 else self.any_(found)

    def both(self, a: Column, b: Column) -> Column:
        """``a & b``, without a needless ``& TRUE``."""
        if a is self.TRUE:
            return b
        if b is self.TRUE:
            return a
        return a & b

    def either(self, a: Column, b: Column) -> Column:
        """``a | b``, without a needless ``| FALSE``."""
        if a is self.FALSE:
            return b
        if b is self.FALSE:
            return a
        return a | b

    def union(self, *sets: Paths) -> Paths:
        """The paths in any of ``sets``."""
        out: Paths = {}
        for paths in sets:
            for path, expr in paths.items():
                out[path] = self.either(out[path], expr) if path in out else expr
        return out

    def where(self, cond: Column, paths: Paths) -> Paths:
        """``paths`` where ``cond`` holds, none elsewhere."""
        if cond is self.TRUE:
            return paths
        return {path: self.both(cond, expr) for path, expr in paths.items()}

    def pick(self, cond: Column, yes: Paths, no: Paths) -> Paths:
        """``yes`` where ``cond`` holds, ``no`` elsewhere."""
        return self.union(self.where(cond, yes), self.where(~cond, no))

    def empty(self, paths: Paths) -> Column:
        """True where no path is listed."""
        return ~self.any_of(paths.values())

    def truth(self, value: Value, truth: bool) -> Column:
        """Where a condition is exactly ``truth`` (not where it is unknown)."""
        return value.expr.eq(truth).fill_null(False)


def decimal_units(value: Decimal) -> tuple[int, int]:
    """``value`` as (units, scale): ``Decimal("2.50")`` is (250, 2).

    Raises:
        UnsupportedRuleError: ``value`` is not finite.
    """
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or not value.is_finite():
        raise UnsupportedRuleError(f"{value!r} is not a finite decimal")
    scale = max(0, -exponent)
    return int(value.scaleb(scale)), scale


def weight_units(weight: int | Decimal) -> tuple[int, int]:
    """A weight (or points, or a bound) as (units, scale): an int is its own units."""
    if isinstance(weight, int):
        return weight, 0
    return decimal_units(weight)
