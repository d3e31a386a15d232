"""A policy on Apache Spark: the policy's Spark SQL query, run by ``spark.sql``.

``qualify`` gives the rows of ``funnelkit.qualify.qualify_frame`` as a Spark DataFrame,
cell for cell what ``funnelkit.qualify`` gives row by row; ``evaluate`` does the same
for one rule or rule set, as ``funnelkit.rules.evaluate_table`` does in DuckDB; and
``to_spark`` turns the table contract's polars tables into Spark DataFrames. No Python
runs per row: the query (``funnelkit.qualify.policy_sql(..., dialect="spark")``) runs
in Spark's own engine, on one machine or a cluster.

Needs the ``spark`` extra (``pip install "funnelkit[spark]"``: pyspark 4, sqlglot,
polars and pyarrow) and a Java 17 runtime. The how-to page ``docs/how-to/spark.md``
says what Spark does differently from DuckDB and what funnelkit does about it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from funnelkit.errors import MissingExtraError
from funnelkit.qualify import Policy, policy_sql
from funnelkit.rules.meaning import check_as_of

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl
    from pyspark.sql import DataFrame, SparkSession

    from funnelkit.io import LeadTables
    from funnelkit.rules.tree import Expr

__all__ = ["qualify", "evaluate", "to_spark"]

_LEAD_COLUMNS = {"stage": "string", "stage_entered_at": "timestamp"}


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError as err:
        raise MissingExtraError("spark", "pyspark") from err
    return pyspark.sql


def _sqlglot() -> None:
    try:
        import sqlglot  # noqa: F401
    except ImportError as err:  # pragma: no cover - the spark extra brings it
        raise MissingExtraError("spark", "sqlglot") from err


def _signals_frame(spark: SparkSession) -> DataFrame:
    """An empty signals table of the contract's schema."""
    frame: DataFrame = spark.createDataFrame(
        [],
        "lead_id string, kind string, occurred_at timestamp, explicit boolean, value double",
    )
    return frame


def _frame(spark: SparkSession, table: Any) -> DataFrame:
    """A Spark DataFrame as it is; a polars frame or an Arrow table through Arrow."""
    sql = _pyspark()
    if isinstance(table, sql.DataFrame):
        given: DataFrame = table
        return given
    to_arrow = getattr(table, "to_arrow", None)
    if to_arrow is None and hasattr(table, "collect"):  # a polars LazyFrame
        table = table.collect()
        to_arrow = table.to_arrow
    arrow = to_arrow() if to_arrow is not None else table
    frame: DataFrame = spark.createDataFrame(arrow)
    return frame


def to_spark(spark: SparkSession, tables: LeadTables) -> tuple[DataFrame, DataFrame]:
    """The table contract's leads and signals as Spark DataFrames, types kept.

    Texts become ``string``, integers ``bigint``, floats ``double``, money amounts
    ``decimal(p, s)`` as they are, sets ``array<string>``, dates ``date`` and instants
    (UTC) ``timestamp``; column names keep their dots (Spark SQL reads them quoted, as
    the query does). The tables go through Arrow, so nothing is converted row by row
    in Python.

    Args:
        spark: The Spark session.
        tables: The table contract (``funnelkit.io.leads_to_tables``, ``read_tables``).

    Returns:
        The leads and the signals DataFrames.

    Raises:
        MissingExtraError: pyspark is not installed (``pip install "funnelkit[spark]"``).

    Examples:
        >>> from funnelkit.data import load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> leads, signals = to_spark(spark, leads_to_tables(load_demo()[:5]))  # doctest: +SKIP
        >>> dict(leads.dtypes)["company.employees"]  # doctest: +SKIP
        'bigint'
    """
    _pyspark()
    leads = _frame(spark, tables.leads)
    signals = _frame(spark, tables.signals) if tables.signals.height else _signals_frame(spark)
    return leads, signals


def _connected(spark: SparkSession) -> bool:
    """Whether ``spark`` is a Spark Connect session (its ``spark.sql`` plans lazily)."""
    return type(spark).__module__.startswith("pyspark.sql.connect")


@contextmanager
def _views(spark: SparkSession, **frames: DataFrame) -> Iterator[dict[str, str]]:
    """Temporary views of ``frames`` under fresh names.

    A classic session analyses ``spark.sql`` at once, so the views are dropped when the
    query is planned; a Spark Connect session resolves them later, so they stay (their
    names are unique, and they end with the session).
    """
    token = uuid.uuid4().hex
    names = {key: f"funnelkit_{key}_{token}" for key in frames}
    try:
        for key, frame in frames.items():
            frame.createOrReplaceTempView(names[key])
        yield names
    finally:
        if not _connected(spark):
            for name in names.values():
                spark.catalog.dropTempView(name)


def _read(policy: Policy, as_of: datetime, given: list[str]) -> list[str]:
    """The columns of ``given`` the policy's query reads, in order.

    Spark plans a query in time that grows with its columns (every layer of the query
    carries each column on), so the leads go in with only what the rules read, the
    evidence dates (expired evidence is reported for every BANT part), the custom facts
    and the stage; a column no rule reads changes no result.
    """
    from funnelkit.model import StageKind

    rules: list[Expr] = [policy.rules]
    if any(stage.kind is StageKind.NURTURE for stage in policy.funnel):
        rules.append(policy.reentry)
    read = {*_LEAD_COLUMNS, *(f"custom.{key}" for key in policy.custom_facts)}
    read |= _read_by(rules, as_of, given)
    dates = (".evidence.asserted_at", ".evidence.expires_at")
    return [c for c in given if c in read or (c.startswith("bant.") and c.endswith(dates))]


def _read_by(rules: list[Expr], as_of: datetime, given: list[str]) -> set[str]:
    """The names of the columns the rules' queries read (with ``id``)."""
    from sqlglot import exp

    from funnelkit.rules import rule_query

    read = {"id"}
    for rule in rules:
        query = rule_query(rule, as_of=as_of, dialect="spark", columns=given)
        read.update(column.name for column in query.find_all(exp.Column))
    return read


_SPARK_TYPES = {
    "str": "string",
    "enum": "string",
    "int": "bigint",
    "float": "double",
    "bool": "boolean",
    "decimal": "decimal(38,4)",
    "date": "date",
    "datetime": "timestamp",
    "set": "array<string>",
    "list": "array<string>",
}


def _complete(leads: DataFrame, given: list[str]) -> DataFrame:
    """The leads with every contract column the table lacks, as the polars engine reads it.

    A field is null, a list empty (missing where the optional object holding it is not
    there), an optional object present where any of the table's columns under it holds
    a value (``funnelkit.qualify.qualify_frame`` and
    ``tables_to_leads`` read a partial table the same way); ``stage`` and
    ``stage_entered_at`` are null.
    """
    from funnelkit.model import table_columns

    functions = _pyspark().functions
    have = set(given)
    added: dict[str, Any] = {}
    holders: dict[str, Any] = {}  # each optional object: where a lead has it
    for column in table_columns():
        if column.kind != "present":
            continue
        if column.path in have:
            holders[column.path] = functions.col(f"`{column.path}`")
            continue
        inner = [
            functions.col(f"`{c}`").isNotNull() for c in given if c.startswith(f"{column.path}.")
        ]
        present = functions.lit(None).cast("boolean")
        for test in inner:
            present = functions.when(test, functions.lit(True)).otherwise(present)
        holders[column.path] = added[column.path] = present
    for column in table_columns():
        if column.path in have or column.kind == "present":
            continue
        if column.kind in ("set", "list"):
            empty = functions.array().cast("array<string>")
            holder = next((p for p in holders if column.path.startswith(f"{p}.")), None)
            if holder is not None:  # a list of an object the lead lacks is missing
                empty = functions.when(holders[holder], empty)
            added[column.path] = empty
        else:
            added[column.path] = functions.lit(None).cast(_SPARK_TYPES[column.kind])
    for name, kind in _LEAD_COLUMNS.items():
        if name not in have:
            added[name] = functions.lit(None).cast(kind)
    return leads.withColumns(added) if added else leads


def _columns(table: Any) -> list[str]:
    """A table's column names (a polars LazyFrame's without a warning)."""
    schema = getattr(table, "collect_schema", None)
    names = schema().names() if schema is not None else table.columns
    return list(names)


def qualify(
    spark: SparkSession,
    leads: DataFrame | pl.DataFrame,
    signals: DataFrame | pl.DataFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = False,
) -> DataFrame:
    """Qualify every lead of a Spark table: ``qualify`` per row, as one Spark SQL query.

    The policy is written as one query over the table contract
    (``funnelkit.qualify.policy_sql(..., dialect="spark")``) and run by
    ``spark.sql`` over temporary views of ``leads`` and ``signals``; no Python runs per
    row. The rows are those of ``qualify_frame`` and of ``result_row(qualify(...))``,
    cell for cell; scores are ``decimal(38, 4)``.

    Args:
        spark: The Spark session, in any session time zone: instants in the query
            carry their UTC offset and are compared as instants.
        leads: The leads table of the contract (see ``funnelkit.qualify.qualify_frame``)
            as a Spark DataFrame; a polars DataFrame or LazyFrame is converted with
            ``to_spark``'s types. ``stage`` and ``stage_entered_at`` may be left out.
        signals: The signals table (``lead_id, kind, occurred_at, explicit, value``), or
            ``None`` when no lead has signals.
        policy: The policy.
        as_of: The instant "now" means (timezone-aware); it is written into the query.
        explain: Also give each output's unknown facts (``fit_unknown``,
            ``gate_<stage>_unknown``, ...: ``policy_sql(..., explain=True)``), worked
            out in the query. The next facts are not: they are ranked in Python.

    Returns:
        A Spark DataFrame, one row per lead in no guaranteed order, with the columns of
        ``qualify_frame`` (``lead_id``, ``policy``, ``stage``, ..., ``expired_evidence``,
        ``foreign_stage``; with ``explain``, the ``<column>_unknown`` columns). It is
        lazy, as Spark DataFrames are: Spark reads the tables when it is written or
        collected.

    Raises:
        UnsupportedRuleError: The policy holds what SQL cannot run exactly (custom
            rules, minimum gaps between signals); raised before Spark runs anything.
        TypeError: ``as_of`` is not a timezone-aware datetime.
        MissingExtraError: pyspark or sqlglot is not installed
            (``pip install "funnelkit[spark]"``).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> from funnelkit.qualify import STARTER
        >>> leads, signals = to_spark(spark, leads_to_tables(load_demo()[:3]))  # doctest: +SKIP
        >>> rows = qualify(spark, leads, signals, STARTER, as_of=DEMO_AS_OF)  # doctest: +SKIP
        >>> rows.select("lead_id", "stage", "fit").orderBy("lead_id").first()  # doctest: +SKIP
        Row(lead_id='L-00001', stage='inquiry', fit=Decimal('17.0000'))
    """
    check_as_of(as_of)
    _pyspark()
    _sqlglot()
    given = _columns(leads)
    # built first: a policy SQL cannot run is refused before Spark sees anything
    policy_sql(
        policy, as_of=as_of, dialect="spark", columns=[*given, *_LEAD_COLUMNS], explain=explain
    )
    lead_frame, signal_frame, columns = _inputs(
        spark, leads, signals, given, lambda everything: _read(policy, as_of, everything)
    )
    with _views(spark, leads=lead_frame, signals=signal_frame) as names:
        text = policy_sql(
            policy,
            as_of=as_of,
            dialect="spark",
            leads=names["leads"],
            signals=names["signals"],
            columns=columns,
            explain=explain,
        )
        return _run(spark, text)


def _inputs(
    spark: SparkSession,
    leads: Any,
    signals: Any,
    given: list[str],
    read: Callable[[list[str]], list[str]],
) -> tuple[DataFrame, DataFrame, list[str]]:
    """The leads cut to the columns ``read`` picks, the signals, and those columns.

    The leads are completed first: a contract column they lack reads as
    ``tables_to_leads`` reads it.
    """
    complete = _complete(_frame(spark, leads), given)
    everything = [*given, *(c for c in complete.columns if c not in given)]
    columns = read(everything)
    lead_frame = complete.select(*(f"`{c}`" for c in columns))
    signal_frame = _signals_frame(spark) if signals is None else _frame(spark, signals)
    return lead_frame, signal_frame, columns


def _run(spark: SparkSession, text: str) -> DataFrame:
    frame: DataFrame = spark.sql(text)
    return frame


def evaluate(
    spark: SparkSession,
    leads: DataFrame | pl.DataFrame,
    signals: DataFrame | pl.DataFrame | None,
    rule: Expr,
    *,
    as_of: datetime,
    facts: bool = False,
) -> DataFrame:
    """Evaluate one rule or rule set for every lead of a Spark table, as Spark SQL.

    The Spark twin of ``funnelkit.rules.evaluate_table``: the rule is lowered by
    ``funnelkit.rules.rule_query(..., dialect="spark")`` and run by ``spark.sql``.

    Args:
        spark: The Spark session.
        leads: The leads table of the contract (a Spark DataFrame, or a polars frame).
            A contract column it lacks is read as ``qualify`` reads it: a field is
            missing, a set empty, an optional object present where a column under it
            holds a value.
        signals: The signals table, or ``None`` when no lead has signals.
        rule: A condition, value, score, grade, decision table, named rule or rule set.
        as_of: The instant "now" means (timezone-aware).
        facts: Also give each output's unknown facts (``<output>.facts``) and those
            that could make it TRUE (``<output>.lifts``), arrays of paths as
            ``rule_query(..., facts=True)`` gives them.

    Returns:
        A Spark DataFrame: ``id`` and one column per output of a rule set (or one
        column ``value``), one row per lead in no guaranteed order.

    Raises:
        UnsupportedRuleError: The rule holds what SQL cannot run exactly; raised before
            Spark runs anything.
        TypeError: ``as_of`` is not a timezone-aware datetime.
        MissingExtraError: pyspark or sqlglot is not installed.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> from funnelkit.rules import F
        >>> leads, signals = to_spark(spark, leads_to_tables(load_demo()[:3]))  # doctest: +SKIP
        >>> big = F.company.employees >= 50
        >>> evaluate(spark, leads, signals, big, as_of=DEMO_AS_OF).count()  # doctest: +SKIP
        3
    """
    from funnelkit.rules import to_sql

    check_as_of(as_of)
    _pyspark()
    _sqlglot()
    given = _columns(leads)
    # built first: a rule SQL cannot run is refused before Spark sees anything
    to_sql(rule, as_of=as_of, dialect="spark", columns=given, facts=facts)

    def read(everything: list[str]) -> list[str]:
        found = _read_by([rule], as_of, everything)
        return [c for c in everything if c in found]

    lead_frame, signal_frame, columns = _inputs(spark, leads, signals, given, read)
    with _views(spark, leads=lead_frame, signals=signal_frame) as names:
        text = to_sql(
            rule,
            as_of=as_of,
            dialect="spark",
            leads=names["leads"],
            signals=names["signals"],
            columns=columns,
            facts=facts,
        )
        return _run(spark, text)
