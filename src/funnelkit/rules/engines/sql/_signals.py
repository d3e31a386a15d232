"""Signal aggregations as per-lead aggregates over the signals table.

Each distinct aggregation becomes one column of a ``signal_aggregates`` CTE grouped by
``lead_id`` and left-joined to the leads, as ``signal_agg`` (``funnelkit.rules.meaning``)
states it: the kinds, ``explicit`` and window filter; signals after ``as_of`` left out;
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
    case,
    epoch_micros,
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

    The base of the query selects them beside the lead's columns (``base``), so they
    are read as ``l._agg_0`` like any column of the lead.
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
                count = exp.Least(this=count, expressions=[number(node.limit)])
            return Low(count, "int", nullable=False)
        zero = number(0.0)
        return Low(exp.Coalesce(this=read, expressions=[zero]), "float", nullable=False)

    def _filter(self, node: SignalAgg) -> exp.Expr:
        at = column("occurred_at", SIGNALS)
        now = self.ctx.as_of.astimezone(UTC)
        tests: list[exp.Expr] = [exp.LTE(this=at, expression=_instant(now))]
        if node.within_days is not None:
            start = now - timedelta(days=node.within_days)
            tests.append(exp.GTE(this=at.copy(), expression=_instant(start)))
        if node.kinds:
            kinds = [exp.Literal.string(k) for k in sorted(node.kinds)]
            tests.append(exp.In(this=column("kind", SIGNALS), expressions=kinds))
        if node.explicit is not None:
            flag = truth_sql(Truth.TRUE if node.explicit else Truth.FALSE)
            tests.append(exp.EQ(this=column("explicit", SIGNALS), expression=flag))
        return exp.and_(*tests)

    def _aggregate(self, node: SignalAgg) -> exp.Expr:
        keep = self._filter(node)
        if node.agg == "count":
            ones = case([(keep, exp.Literal.number(1))], exp.Literal.number(0))
            return exp.cast(exp.Sum(this=ones), sql_type("BIGINT"))
        if node.agg == "latest":
            return exp.Max(this=case([(keep, column("occurred_at", SIGNALS))], None))
        if node.agg == "sum":
            value = exp.Coalesce(this=column("value", SIGNALS), expressions=[number(0.0)])
            return exp.Sum(this=case([(keep, value)], None))
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
        weight = exp.Pow(this=number(0.5), expression=halves)
        return exp.Sum(this=case([(keep, weight)], None))

    def base(self, leads: str) -> exp.Select:
        """``SELECT l.*, a._agg_0, ... FROM leads AS l LEFT JOIN signal_aggregates AS a``."""
        star = exp.Column(this=exp.Star(), table=exp.to_identifier(LEADS))
        reads = [
            exp.alias_(column(name, AGGREGATES), name, quoted=True)
            for name, _ in self.columns.values()
        ]
        query = exp.select(star, *reads).from_(exp.alias_(exp.to_table(leads), LEADS, table=True))
        if not self.columns:
            return query
        on = exp.EQ(this=column("lead_id", AGGREGATES), expression=column("id"))
        return query.join(exp.to_table(AGGREGATES), on=on, join_type="left")

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
