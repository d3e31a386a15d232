"""Signal aggregations as per-lead aggregates over the signals table.

Each distinct aggregation becomes one column of a ``signal_aggregates`` CTE grouped by
``lead_id`` and left-joined to the leads, as ``signal_agg`` (``funnelkit.rules.meaning``)
states it: signals after ``as_of`` left out (the CTE's WHERE); the kinds, ``explicit``
and window filter as the aggregate's ``FILTER (WHERE ...)`` (``COUNT_IF`` / ``IF`` where
a dialect has no FILTER);
``count`` (0 without signals, then ``min(count, limit)``), ``latest`` (missing without
signals), ``sum`` of values (a missing value counts 0) and ``decayed``, each signal
weighing ``0.5 ** (age_seconds / 86400 / half_life)`` with the age in exact
microseconds. Minimum gaps between signals are not lowered (``UnsupportedRuleError``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from sqlglot import exp

from funnelkit.rules.engines.sql._low import LEADS, Low, column, lower_literal, truth_sql
from funnelkit.rules.engines.sql._spell import (
    epoch_micros,
    filtered,
    half_power,
    least,
    micros_since_epoch,
    number,
    sql_type,
)
from funnelkit.rules.engines.sql._strict import Context
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import SignalAgg, Truth

__all__ = ["SignalColumns", "SIGNALS", "AGGREGATES"]

SIGNALS = "s"
"""The alias of the signals table."""
AGGREGATES = "signal_aggregates"
"""The name (and alias) of the per-lead aggregates."""


@attrs.define
class SignalColumns:
    """The aggregate columns one query needs, named ``_agg_0``, ``_agg_1``, ... in order.

    Lowered nodes read them as ``l._agg_0`` like any column of the lead; the innermost
    SELECT (``source``) reads them from the join and hands them on to later layers.
    """

    ctx: Context
    columns: dict[tuple[object, ...], tuple[str, exp.Expr]] = attrs.Factory(dict)

    def lower(self, node: SignalAgg) -> Low:
        """The aggregation for one lead, read from the joined aggregates."""
        if node.min_gap_days is not None:
            raise UnsupportedRuleError(
                "minimum gaps between signals (min_gap_days) depend on the order of each "
                "lead's signals, which one SQL aggregate cannot walk; use a row engine",
                node=node,
            )
        key = (
            tuple(sorted(node.kinds)),
            node.within_days,
            node.explicit,
            node.agg,
            node.half_life_days,
        )
        if key not in self.columns:
            name = f"_agg_{len(self.columns)}"
            self.columns[key] = (name, self._aggregate(node))
        read = column(self.columns[key][0], LEADS)
        if node.agg == "latest":
            return Low(read, "datetime")
        if node.agg == "count":
            count: exp.Expr = exp.Coalesce(this=read, expressions=[exp.Literal.number(0)])
            if node.limit is not None:
                count = least([count, number(node.limit)], self.ctx.dialect)
            return Low(count, "int", nullable=False)
        zero = number(0.0)
        return Low(exp.Coalesce(this=read, expressions=[zero]), "float", nullable=False)

    def _filter(self, node: SignalAgg) -> exp.Expr | None:
        """The aggregation's own rows (``cte``'s WHERE already leaves out the future)."""
        at = column("occurred_at", SIGNALS)
        now = self.ctx.as_of.astimezone(UTC)
        tests: list[exp.Expr] = []
        if node.within_days is not None:
            start = now - timedelta(days=node.within_days)
            tests.append(exp.GTE(this=at, expression=_instant(start)))
        if node.kinds:
            kinds = [exp.Literal.string(k) for k in sorted(node.kinds)]
            tests.append(exp.In(this=column("kind", SIGNALS), expressions=kinds))
        if node.explicit is not None:
            flag = truth_sql(Truth.TRUE if node.explicit else Truth.FALSE)
            tests.append(exp.EQ(this=column("explicit", SIGNALS), expression=flag))
        return exp.and_(*tests) if tests else None

    def _aggregate(self, node: SignalAgg) -> exp.Expr:
        keep = self._filter(node)
        if node.agg == "count":
            return filtered(exp.Count(this=exp.Star()), keep)
        if node.agg == "latest":
            return filtered(exp.Max(this=column("occurred_at", SIGNALS)), keep)
        if node.agg == "sum":
            value = exp.Coalesce(this=column("value", SIGNALS), expressions=[number(0.0)])
            return filtered(exp.Sum(this=value), keep)
        age = exp.Sub(
            this=exp.Literal.number(micros_since_epoch(self.ctx.as_of)),
            expression=epoch_micros(column("occurred_at", SIGNALS), self.ctx.dialect),
        )
        seconds = exp.Div(
            this=exp.cast(exp.paren(age), sql_type("DOUBLE")),
            expression=number(1_000_000.0),
        )
        days = exp.Div(this=seconds, expression=number(86_400.0))
        halves = exp.Div(this=days, expression=number(float(node.half_life_days or 0.0)))
        weight = half_power(halves, self.ctx.dialect)
        return filtered(exp.Sum(this=weight), keep)

    def source(self, leads: str, selected: list[exp.Expr]) -> exp.Select:
        """``SELECT <selected> FROM leads AS l LEFT JOIN signal_aggregates ON ...``.

        ``selected`` reads the aggregates as ``l._agg_0`` (as every later layer does);
        here they are read from the join, ``signal_aggregates._agg_0`` (``selected`` is
        changed in place and becomes part of the query).
        """
        names = {name for name, _ in self.columns.values()}
        read = [_from_join(node, names) for node in selected]
        table = exp.alias_(exp.to_table(leads), LEADS, table=True, copy=False)
        query = exp.select(*read, copy=False).from_(table, copy=False)
        if not self.columns:
            return query
        on = exp.EQ(this=column("lead_id", AGGREGATES), expression=column("id"))
        return query.join(exp.to_table(AGGREGATES), on=on, join_type="left", copy=False)

    def passed(self) -> list[exp.Expr]:
        """The aggregate columns, as the innermost SELECT hands them to later layers."""
        return [
            exp.alias_(column(name, AGGREGATES), name, quoted=True)
            for name, _ in self.columns.values()
        ]

    def cte(self, signals: str) -> exp.Select:
        """``SELECT lead_id, <aggregates> FROM signals GROUP BY lead_id``."""
        lead_id = column("lead_id", SIGNALS)
        select = exp.select(
            exp.alias_(lead_id, "lead_id", quoted=True),
            *(exp.alias_(agg, name, quoted=True) for name, agg in self.columns.values()),
        )
        now = _instant(self.ctx.as_of.astimezone(UTC))
        return (
            select.from_(exp.alias_(exp.to_table(signals), SIGNALS, table=True))
            .where(exp.LTE(this=column("occurred_at", SIGNALS), expression=now))
            .group_by(lead_id.copy())
        )


def _instant(moment: datetime) -> exp.Expr:
    return lower_literal(moment).sql


def _from_join(node: exp.Expr, names: set[str]) -> exp.Expr:
    """``node`` with its reads of ``l._agg_<n>`` turned into ``signal_aggregates._agg_<n>``."""
    for read in node.find_all(exp.Column):
        if read.table == LEADS and read.name in names:
            read.set("table", exp.to_identifier(AGGREGATES))
    return node
