"""Running a policy's SQL query in an embedded DuckDB over polars frames."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import polars as pl

from funnelkit.qualify._factcols import next_fact_fields
from funnelkit.qualify._frame import complete_leads
from funnelkit.qualify._framefacts import next_facts_column
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._sql import policy_query
from funnelkit.rules.engines.polars import SIGNALS_SCHEMA
from funnelkit.rules.meaning import RuleEvaluationError

__all__ = ["run_policy"]


def run_policy(
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = False,
) -> pl.DataFrame:
    """``qualify_table(..., engine="duckdb")``: the rows in the order of ``leads``.

    With ``explain``, the query gives the unknown facts and the fields the next facts
    are ranked from; they are ranked here (``next_facts_column``, as for polars).
    """
    frame = complete_leads(leads.lazy()).collect()
    sig = pl.DataFrame(schema=SIGNALS_SCHEMA) if signals is None else signals
    sig = sig.collect() if isinstance(sig, pl.LazyFrame) else sig
    query = policy_query(
        policy, as_of=as_of, columns=frame.columns, facts=explain, next_inputs=explain
    )
    connection: Any = duckdb.connect()
    try:
        connection.register("leads", frame.with_row_index("__row").to_arrow())
        connection.register("signals", sig.to_arrow())
        out: pl.DataFrame = connection.sql(query.sql(dialect="duckdb", copy=False)).pl()
    except (duckdb.ConversionException, duckdb.OutOfRangeException) as err:
        raise RuleEvaluationError(
            f"a number is too large for the SQL engine's exact columns: {str(err).splitlines()[0]}"
        ) from None
    except duckdb.InvalidInputException as err:  # error() in a 'unique' table, and the like
        raise RuleEvaluationError(str(err).splitlines()[0]) from None
    finally:
        connection.close()
    order = frame.select(pl.col("id").alias("lead_id")).with_row_index("__row")
    rows = order.join(out, on="lead_id", how="left").sort("__row").drop("__row")
    if not explain:
        return rows
    fields = {name: f"__next_{name}" for name in next_fact_fields(policy, lambda name: name)}
    ranked = rows.with_columns(next_facts_column(policy, fields))
    return ranked.drop(fields.values())
