"""Shared subexpressions as columns of stacked SELECTs, so nothing is written twice.

A strict node reads an operand twice (its ``IS NULL`` check and its operation), the
half-even rounding reads its value three times, a rule set's ``ref`` reads an earlier
output: inlined, such trees grow exponentially with depth. ``Layers.share`` names an
expression instead (``_fk0``, ``_fk1``, ...) and places it in the first layer above
every shared column it reads; the query is then ``SELECT l.*, <layer 1> FROM (SELECT
l.*, <aggregates> FROM leads AS l LEFT JOIN ...) AS l``, one layer per level, so every
column keeps the alias ``l``.
"""

from __future__ import annotations

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

    def stack(self, base: exp.Select) -> exp.Select:
        """``base`` with one SELECT per level on top, each keeping every column as ``l``."""
        query = base
        for layer in self.layers:
            star = exp.Column(this=exp.Star(), table=exp.to_identifier(LEADS))
            query = exp.select(
                star, *(exp.alias_(sql, name, quoted=True) for name, sql in layer)
            ).from_(query.subquery(LEADS))
        return query
