"""One SELECT per rule: the lowered outputs over the leads, joined to the signal aggregates."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
from sqlglot import exp

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts import output_facts
from funnelkit.rules.engines.sql._facts import SqlOps, fact_list
from funnelkit.rules.engines.sql._low import Low, column
from funnelkit.rules.engines.sql._lower import Lowerer
from funnelkit.rules.engines.sql._signals import AGGREGATES
from funnelkit.rules.engines.sql._spell import DIALECTS
from funnelkit.rules.meaning import RuleEvaluationError, check_as_of
from funnelkit.rules.tree import Expr, Limits, check_limits, walk

if TYPE_CHECKING:  # pragma: no cover
    import polars

    from funnelkit.io import LeadTables

__all__ = ["build_query", "fact_columns", "render", "run"]


def _outputs(rule: Expr) -> list[tuple[str, Expr]]:
    if isinstance(rule, tr.RuleSet):
        return list(rule.outputs)
    return [("value", rule)]


def build_query(
    rule: Expr,
    *,
    as_of: datetime,
    dialect: str,
    leads: str,
    signals: str,
    columns: Collection[str] | None,
    facts: bool = False,
) -> exp.Select:
    """The SELECT for ``rule`` (see ``funnelkit.rules.engines.sql.rule_query``)."""
    check_as_of(as_of)
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    check_limits(rule, Limits())
    lowerer = Lowerer(dialect, as_of, columns=columns)
    outputs: list[tuple[str, exp.Expr]] = []
    referenced = {node.name for node in walk(rule) if isinstance(node, tr.Ref)}
    for name, expr in _outputs(rule):
        low: Low = lowerer.lower(expr)
        shared = lowerer.layers.share(low.sql) if name in referenced else low.sql
        lowerer.env[name] = attrs.evolve(low, sql=shared)
        outputs.append((name, shared))
    selected = [exp.alias_(column("id"), "id", quoted=True, copy=False)]
    selected += [exp.alias_(sql.copy(), name, quoted=True, copy=False) for name, sql in outputs]
    if facts:
        selected += [
            exp.alias_(listed, name, quoted=True, copy=False)
            for name, listed in fact_columns(rule, lowerer).items()
        ]
    aggregates = lowerer.signals
    query = lowerer.layers.stack(
        selected,
        lambda columns: aggregates.source(leads, columns),
        aggregates.passed(),
    )
    if aggregates.columns:
        query = query.with_(AGGREGATES, as_=aggregates.cte(signals), copy=False)
    return query


def fact_columns(rule: Expr, lowerer: Lowerer) -> dict[str, exp.Expr]:
    """``<output>.facts`` and ``<output>.lifts`` of each output, as arrays of paths.

    ``lowerer`` has lowered the outputs (``ref`` reads them).
    """
    out: dict[str, exp.Expr] = {}
    for name, (listed, lifts) in output_facts(SqlOps(lowerer), rule).items():
        out[f"{name}.facts"] = fact_list(listed)
        out[f"{name}.lifts"] = fact_list(lifts)
    return out


def render(query: exp.Select, dialect: str) -> str:
    """The query's text in ``dialect``."""
    return query.sql(dialect=dialect, pretty=True, copy=False)


def run(
    rule: Expr, tables: LeadTables, *, as_of: datetime, facts: bool = False
) -> polars.DataFrame:
    """Run ``rule`` over ``tables`` in an embedded DuckDB connection.

    Only the columns the query reads are handed to DuckDB (converting a wide frame to
    Arrow costs more than the query).
    """
    import duckdb

    query = build_query(
        rule,
        as_of=as_of,
        dialect="duckdb",
        leads="leads",
        signals="signals",
        columns=tables.leads.columns,
        facts=facts,
    )
    connection: Any = duckdb.connect()
    try:
        read = {c.name for c in query.find_all(exp.Column)} | {"id"}
        needed = [name for name in tables.leads.columns if name in read]
        connection.register("leads", tables.leads.select(needed).to_arrow())
        connection.register("signals", tables.signals.to_arrow())
        frame: polars.DataFrame = connection.sql(query.sql(dialect="duckdb", copy=False)).pl()
    except (duckdb.ConversionException, duckdb.OutOfRangeException) as err:
        raise RuleEvaluationError(
            f"a number is too large for the SQL engine's exact columns: {str(err).splitlines()[0]}"
        ) from None
    except duckdb.InvalidInputException as err:  # error() in a 'unique' table
        raise RuleEvaluationError(str(err).splitlines()[0]) from None
    finally:
        connection.close()
    return frame
