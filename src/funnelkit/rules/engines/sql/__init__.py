"""The SQL engine: rule trees as sqlglot expression nodes, one SELECT per dialect.

``rule_query`` lowers a rule (a condition, a value, a score, a decision table, a named
rule, or a rule set whose outputs ``ref`` earlier ones) to one SELECT over the table
contract (``funnelkit.io.leads_to_tables``): the leads table, and the signals table
aggregated per lead. Unknown is SQL NULL, with SQL's Kleene ``AND`` / ``OR`` / ``NOT``.
``to_sql`` renders it for DuckDB, Spark, Postgres, Snowflake or BigQuery;
``evaluate_table`` runs it in an embedded DuckDB. The results are the reference
interpreter's, cell for cell (``docs/how-to/sql.md`` lists the per-dialect caveats).

Needs the ``sql`` extra (sqlglot and duckdb).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from funnelkit.errors import MissingExtraError

if TYPE_CHECKING:  # pragma: no cover
    import polars
    from sqlglot import exp

    from funnelkit.io import LeadTables
    from funnelkit.rules.tree import Expr

__all__ = ["rule_query", "to_sql", "evaluate_table", "SQL_DIALECTS"]

SQL_DIALECTS = ("duckdb", "spark", "postgres", "snowflake", "bigquery")
"""The dialects ``to_sql`` generates."""


def _query_module() -> Any:
    try:
        from funnelkit.rules.engines.sql import _query
    except ImportError as err:
        raise MissingExtraError("sql", "sqlglot") from err
    return _query


def rule_query(
    rule: Expr,
    *,
    as_of: datetime,
    dialect: str = "duckdb",
    leads: str = "leads",
    signals: str = "signals",
    columns: Collection[str] | None = None,
    facts: bool = False,
) -> exp.Select:
    """One SELECT that evaluates ``rule`` for every lead of a table.

    Args:
        rule: A condition, value, score, grade, decision table, named rule or rule set.
        as_of: The instant "now" means (timezone-aware); it is written into the query.
        dialect: One of ``SQL_DIALECTS``; only what the dialect spells differently
            changes.
        leads: The leads table (the table contract's columns).
        signals: The signals table (``lead_id, kind, occurred_at, explicit, value``).
        columns: The leads table's columns, if known: a column not among them is read
            as ``funnelkit.io.tables_to_leads`` reads it (a field missing for every
            lead, a set empty, an optional object present where a column under it
            holds a value), and the query does not name it.
        facts: Also give each output's unknown facts: ``<output>.facts``, the paths
            ``explain`` lists (sorted), and ``<output>.lifts``, those that could make it
            TRUE, as arrays of texts.

    Returns:
        A sqlglot ``Select`` giving ``id`` and one column per output of a rule set (or
        one column ``value``): booleans with NULL for unknown, numbers (points exact,
        as decimals with 4 places), texts, instants; with ``facts``, two arrays more
        per output.

    Raises:
        UnsupportedRuleError: The rule holds something SQL cannot run exactly: a custom
            rule, a minimum gap between signals, a ``collect`` decision table, a
            division of decimals (the message says which node).
        MissingExtraError: sqlglot is not installed (``pip install "funnelkit[sql]"``).
        TypeError: ``as_of`` is not a timezone-aware datetime.
        ValueError: An unknown dialect.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.rules import F
        >>> q = rule_query(F.company.employees >= 50, as_of=datetime(2026, 5, 1, tzinfo=UTC))
        >>> print(q.sql("duckdb"))
        SELECT l."id" AS "id", l."company.employees" >= 50 AS "value" FROM leads AS l
    """
    query: exp.Select = _query_module().build_query(
        rule,
        as_of=as_of,
        dialect=dialect,
        leads=leads,
        signals=signals,
        columns=columns,
        facts=facts,
    )
    return query


def to_sql(
    rule: Expr,
    *,
    as_of: datetime,
    dialect: str = "duckdb",
    leads: str = "leads",
    signals: str = "signals",
    columns: Collection[str] | None = None,
    facts: bool = False,
) -> str:
    """The SQL text of ``rule_query`` in one dialect.

    Args:
        rule: As for ``rule_query``.
        as_of: As for ``rule_query``.
        dialect: ``duckdb``, ``spark``, ``postgres``, ``snowflake`` or ``bigquery``.
        leads: The leads table's name.
        signals: The signals table's name.
        columns: As for ``rule_query``.
        facts: As for ``rule_query``.

    Returns:
        The query, pretty-printed.

    Raises:
        UnsupportedRuleError: As for ``rule_query``.
        MissingExtraError: sqlglot is not installed.
    """
    query = rule_query(
        rule,
        as_of=as_of,
        dialect=dialect,
        leads=leads,
        signals=signals,
        columns=columns,
        facts=facts,
    )
    text: str = _query_module().render(query, dialect)
    return text


def evaluate_table(
    rule: Expr, tables: LeadTables, *, as_of: datetime, facts: bool = False
) -> polars.DataFrame:
    """Evaluate ``rule`` for every lead of ``tables`` in an embedded DuckDB.

    Args:
        rule: As for ``rule_query``.
        tables: The table contract (``funnelkit.io.leads_to_tables``, ``read_tables``);
            a contract column the leads table lacks is read as ``tables_to_leads``
            reads it.
        as_of: The instant "now" means (timezone-aware).
        facts: Also give each output's unknown facts (see ``rule_query``), as
            ``list[str]`` columns.

    Returns:
        A polars DataFrame: ``id`` and one column per output (or ``value``), one row
        per lead, in no guaranteed order (join on ``id``).

    Raises:
        UnsupportedRuleError: As for ``rule_query``.
        RuleEvaluationError: A ``unique`` decision table the interpreter reaches matched
            twice for a lead, or a number is too large for the exact columns.
        MissingExtraError: sqlglot or duckdb is not installed
            (``pip install "funnelkit[sql]"``).
    """
    module = _query_module()
    try:
        import duckdb  # noqa: F401
    except ImportError as err:
        raise MissingExtraError("sql", "duckdb") from err
    frame: polars.DataFrame = module.run(rule, tables, as_of=as_of, facts=facts)
    return frame
