"""Shared subexpressions as columns of stacked SELECTs, so nothing is written twice.

A strict node reads an operand twice (its ``IS NULL`` check and its operation), the
half-even rounding reads its value three times, a rule set's ``ref`` reads an earlier
output: inlined, such trees grow exponentially with depth. ``Layers.share`` names an
expression instead (``_fk0``, ``_fk1``, ...) and places it in the first layer above
every shared column it reads. The first layer is selected straight from the leads
joined to the signal aggregates; each later layer is one ``SELECT l.*, <layer> FROM
(...) AS l`` around it, so every column keeps the alias ``l`` and a subquery is nested
only where an expression reads a column shared by an earlier layer.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
from sqlglot import exp

from funnelkit.rules.engines.sql._low import LEADS, column

__all__ = ["Layers"]

_TRIVIAL = (exp.Column, exp.Literal, exp.Null, exp.Boolean)


@attrs.define
class Layers:
    """The shared columns, by level (level 0 is the leads joined to the aggregates)."""

    levels: dict[str, int] = attrs.Factory(dict)
    layers: list[list[tuple[str, exp.Expr]]] = attrs.Factory(list)
    fence: bool = False
    """End each inner SELECT with ``OFFSET 0`` (Postgres): its planner would otherwise
    pull the subqueries up into one, writing every shared column out again where it is
    read, and a deep policy then grows past its memory while it is planned."""

    def share(self, sql: exp.Expr) -> exp.Expr:
        """A column holding ``sql`` (trivial expressions come back as they are)."""
        if isinstance(sql, _TRIVIAL) or (
            isinstance(sql, exp.Cast) and isinstance(sql.this, _TRIVIAL)
        ):
            return sql
        reads = [self.levels.get(c.name, 0) for c in sql.find_all(exp.Column)]
        level = 1 + max(reads, default=0)
        name = f"_fk{len(self.levels)}"
        self.levels[name] = level
        while len(self.layers) < level:
            self.layers.append([])
        self.layers[level - 1].append((name, sql))
        return column(name)

    def stack(
        self,
        outputs: list[exp.Expr],
        source: Callable[[list[exp.Expr]], exp.Select],
        passed: list[exp.Expr],
    ) -> exp.Select:
        """The query: one SELECT per layer, then ``outputs`` (the query's own columns).

        The expressions handed in become part of the query (they are not copied).

        Args:
            outputs: The final SELECT list.
            source: Builds the innermost SELECT of its argument over the leads (joined to
                the aggregates), reading the aggregates where they are.
            passed: What the innermost SELECT adds for the later layers besides ``l.*``
                (the aggregate columns).
        """
        levels = [
            [exp.alias_(sql.copy(), name, quoted=True, copy=False) for name, sql in layer]
            for layer in self.layers
        ]
        if not levels:
            return source(outputs)
        star = exp.Column(this=exp.Star(), table=exp.to_identifier(LEADS))
        query = source([star.copy(), *passed, *levels[0]])
        for layer in levels[1:]:
            query = exp.select(star.copy(), *layer, copy=False).from_(
                self._inner(query), copy=False
            )
        return exp.select(*outputs, copy=False).from_(self._inner(query), copy=False)

    def _inner(self, query: exp.Select) -> exp.Subquery:
        """``query`` as the subquery ``l`` the next layer reads (fenced: ``fence``)."""
        if self.fence:
            query = query.offset(0, copy=False)
        return query.subquery(LEADS, copy=False)
