"""The SQL engine's columns for the facts walkers (``funnelkit.rules.engines.facts``).

The walkers combine columns with Python operators; ``Sql`` wraps a sqlglot expression
so that they build SQL: Kleene ``AND`` / ``OR`` / ``NOT`` (SQL's own), ``COALESCE`` for
``fill_null``, ``IS NULL``, and exact numbers. Every value and set of facts the walkers
share becomes a column of the query's layers (``Layers.share``). The numbers of the
directions (how far a fact could move a score) are exact: an int is widened to
``DECIMAL(38, 0)`` before it is scaled, a decimal is scaled as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from funnelkit.rules.engines.facts import Ops, Paths, Value
from funnelkit.rules.engines.sql._low import Low
from funnelkit.rules.engines.sql._lower import Lowerer
from funnelkit.rules.engines.sql._spell import sql_type
from funnelkit.rules.engines.sql._strict import exact_points
from funnelkit.rules.tree import SCORE_PLACES, Expr

__all__ = ["Sql", "SqlOps", "fact_list"]

_EXACT = ("int", "decimal", "points")


_LARGEST = 24
"""How many sqlglot nodes an operand may hold before it is shared as a column: the
walkers build running conditions (an ``all_of``'s "stopped so far") that later steps
read again and again, which SQL text would otherwise write out each time."""


def _sql(value: Any) -> exp.Expr:
    """An operand as SQL: a wrapped expression (shared when large), a bool or an int."""
    if isinstance(value, Sql):
        return value.small().e
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, int):
        literal = exp.Literal.number(abs(value))
        return exp.Neg(this=literal) if value < 0 else literal
    raise TypeError(f"not a SQL operand: {value!r}")  # pragma: no cover - a walker's bug


def _wrap(share: Callable[[exp.Expr], exp.Expr], e: exp.Expr, *parts: Any) -> Sql:
    """``e`` as a ``Sql`` built of ``parts`` (operands), its size theirs plus one."""
    size = 1 + sum(p.small().size if isinstance(p, Sql) else 1 for p in parts)
    return Sql(e, share, size)


def _paren(e: exp.Expr) -> exp.Expr:
    """``(e)``, without copying ``e``: the layers copy each column they place."""
    return (
        e
        if isinstance(e, exp.Paren | exp.Column | exp.Literal | exp.Boolean)
        else exp.Paren(this=e)
    )


def _case(whens: list[tuple[exp.Expr, exp.Expr]], default: exp.Expr | None) -> exp.Expr:
    """``CASE WHEN ... END``, without copying its parts."""
    node = exp.Case(ifs=[exp.If(this=w, true=t) for w, t in whens])
    return node if default is None else node.else_(default, copy=False)


class Sql:
    """A sqlglot expression the facts walkers combine with Python operators.

    Args:
        e: The expression.
        share: Names an expression as a column of the query (``Layers.share``).
        size: About how many nodes ``e`` holds.
    """

    __slots__ = ("_small", "e", "share", "size")

    def __init__(self, e: exp.Expr, share: Callable[[exp.Expr], exp.Expr], size: int = 1) -> None:
        self.e, self.share, self.size = e, share, size
        self._small: Sql | None = None

    def small(self) -> Sql:
        """This expression, or a column holding it where it is large (once)."""
        if self.size <= _LARGEST:
            return self
        if self._small is None:
            self._small = Sql(self.share(self.e), self.share)
        return self._small

    def _made(self, e: exp.Expr, *parts: Any) -> Sql:
        return _wrap(self.share, e, *parts)

    def _binary(self, kind: type[exp.Binary], other: Any) -> Sql:
        made = kind(this=_paren(_sql(self)), expression=_paren(_sql(other)))
        return self._made(made, self, other)

    def __and__(self, other: Any) -> Sql:
        return self._binary(exp.And, other)

    def __or__(self, other: Any) -> Sql:
        return self._binary(exp.Or, other)

    def __invert__(self) -> Sql:
        return self._made(exp.Not(this=_paren(_sql(self))), self)

    def __add__(self, other: Any) -> Sql:
        return self._binary(exp.Add, other)

    def __sub__(self, other: Any) -> Sql:
        return self._binary(exp.Sub, other)

    def __mul__(self, other: Any) -> Sql:
        return self._binary(exp.Mul, other)

    def __lt__(self, other: Any) -> Sql:
        return self._binary(exp.LT, other)

    def __le__(self, other: Any) -> Sql:
        return self._binary(exp.LTE, other)

    def __gt__(self, other: Any) -> Sql:
        return self._binary(exp.GT, other)

    def __ge__(self, other: Any) -> Sql:
        return self._binary(exp.GTE, other)

    def eq(self, other: Any) -> Sql:
        """``self = other`` (NULL where either is)."""
        return self._binary(exp.EQ, other)

    def fill_null(self, value: Any) -> Sql:
        """``COALESCE(self, value)``."""
        return self._made(exp.Coalesce(this=_sql(self), expressions=[_sql(value)]), self, value)

    def is_null(self) -> Sql:
        """``self IS NULL``."""
        return self._made(exp.Is(this=_sql(self), expression=exp.Null()), self)

    def is_not_null(self) -> Sql:
        """``NOT self IS NULL``."""
        return ~self.is_null()


class SqlOps(Ops):
    """The columns of one ``Lowerer``'s query, for the facts walkers.

    Args:
        lowerer: The lowerer of the rule (its outputs lowered already: ``ref`` reads
            them); the walkers' columns join its layers.
    """

    def __init__(self, lowerer: Lowerer) -> None:
        self.lowerer = lowerer
        self.share = lowerer.layers.share
        self.TRUE = self._made(exp.true())
        self.FALSE = self._made(exp.false())

    def _made(self, e: exp.Expr, *parts: Any) -> Sql:
        return _wrap(self.share, e, *parts)

    def int_(self, value: int | None) -> Sql:
        """An integer literal (``None``: a BIGINT NULL)."""
        if value is None:
            return self._made(exp.cast(exp.Null(), sql_type("BIGINT")))
        return self._made(_sql(value))

    def any_(self, conditions: list[Any]) -> Sql:
        """``c1 OR c2 OR ...``."""
        either = exp.or_(*(_paren(_sql(c)) for c in conditions), copy=False)
        return self._made(either, *conditions)

    def count(self, conditions: list[Any]) -> Sql:
        """``CASE WHEN c1 THEN 1 ELSE 0 END + ...`` (0 for none)."""
        one, zero = exp.Literal.number(1), exp.Literal.number(0)
        total: exp.Expr = zero
        for i, c in enumerate(conditions):
            term = _case([(_sql(c), one)], zero)
            total = term if i == 0 else exp.Add(this=total, expression=term)
        return self._made(_paren(total), *conditions)

    def when(self, condition: Any, then: Any, otherwise: Any | None) -> Sql:
        """``CASE WHEN condition THEN then ELSE otherwise END``."""
        default = None if otherwise is None else _sql(otherwise)
        made = _case([(_sql(condition), _sql(then))], default)
        return self._made(made, condition, then, *([] if otherwise is None else [otherwise]))

    def coalesce(self, values: list[Any]) -> Sql:
        """``COALESCE(v1, v2, ...)``."""
        first, *rest = (_sql(v) for v in values)
        return self._made(exp.Coalesce(this=first, expressions=rest), *values)

    def column(self, expr: Any, height: int) -> Sql:
        """``expr`` as it is while it is small, else as a shared column of the query.

        The layers place a shared column themselves (``height`` is polars' concern). A
        small expression written out where it is read costs the database less than a
        column more in every layer above it.
        """
        wrapped = expr if isinstance(expr, Sql) else self._made(_sql(expr))
        return wrapped.small()

    def value(self, node: Expr) -> Value:
        """The node lowered once, shared, without the checks of the outputs."""
        with self.lowerer.unchecked():
            low = self.lowerer.lower(node)
        return Value(self._made(low.sql), low.nullable, low.kind in _EXACT, 0, low)

    def units(self, value: Value, scale: int) -> Sql:
        """The number times ``10 ** scale``, exactly (ints widened first)."""
        low: Low = value.native
        factor: int = 10**scale
        return self._made(self._widened(low.kind, low.sql)) * factor

    def points(self, value: Value) -> Sql:
        """The item's points (``to_points``) in score units, exactly."""
        low: Low = value.native
        points = exact_points(low, self.lowerer.ctx)
        factor: int = 10**SCORE_PLACES
        return self._made(self._widened(low.kind, points)) * factor

    @staticmethod
    def _widened(kind: str, sql: exp.Expr) -> exp.Expr:
        if kind == "int":
            return exp.cast(_paren(sql), sql_type("DECIMAL(38,0)"))
        return _paren(sql)


def fact_list(paths: Paths) -> exp.Expr:
    """A set of facts as an array of its paths, sorted (empty where none is listed)."""
    empty = exp.cast(exp.Array(expressions=[]), sql_type("ARRAY<VARCHAR>"))
    listed: exp.Expr | None = None
    for path in sorted(paths):
        one = _case([(_sql(paths[path]), exp.Array(expressions=[exp.Literal.string(path)]))], empty)
        listed = one if listed is None else exp.ArrayConcat(this=listed, expressions=[one])
    return empty if listed is None else listed
