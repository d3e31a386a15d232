"""``qualify_frame``: the public face of the polars qualification (polars imported lazily)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from funnelkit.errors import InvalidArgumentError, MissingExtraError
from funnelkit.qualify._policy import Policy

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["qualify_frame", "qualify_table", "policy_sql"]


def qualify_frame(
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = False,
) -> pl.DataFrame | pl.LazyFrame:
    """Qualify every lead of a table in polars: ``qualify`` per row, cell for cell.

    Args:
        leads: The leads table of the contract (see ``funnelkit.io.leads_to_tables`` and
            ``funnelkit.io.read_tables``): an ``id`` column, dotted-path fact columns,
            and optionally ``stage`` and ``stage_entered_at``.
        signals: The signals table (``lead_id, kind, occurred_at, explicit, value``);
            ``None``: no lead has signals.
        policy: The policy.
        as_of: The instant "now" means (timezone-aware).
        explain: Also give each lead's unknown facts and next facts, as ``qualify``
            works them out: ``<column>_unknown`` (the facts explain lists for ``fit``,
            ``engagement``, ``priority``, each ``gate_<stage>`` and each criterion, sorted)
            and ``next_facts`` (a list of ``path``, ``unlocks``, ``criteria``, ``scores``
            and ``reason``, most useful first): the columns of
            ``result_row(q, explained=True)``.

    Returns:
        One row per lead, the columns of ``result_row``: ``lead_id``, ``policy``,
        ``stage``, ``stage_label``, ``rule_stage``, ``fit``, ``fit_grade``,
        ``engagement``, ``engagement_grade``, ``segment``, ``priority`` and
        ``priority_grade`` (under a policy with a priority), ``gate_<stage>`` and
        ``<framework>_<criterion>`` (true / false / null for unknown), ``<framework>_met``,
        ``expired_evidence`` and ``foreign_stage``. A lazy frame in gives a lazy frame
        out (``scan_parquet(...)`` in, ``sink_parquet(...)`` out streams, reading the
        leads' facts once); its signal sums are added in the streaming engine's order,
        so a score can differ only within ~1e-12 of a rounding tie, as in SQL engines.

    Raises:
        UnsupportedRuleError: The policy holds what the columnar engines cannot run
            (custom Python rules, minimum gaps between signals).
        RuleEvaluationError: A ``unique`` decision table matched twice for a lead.
        TypeError: ``as_of`` is not a timezone-aware datetime.
        MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> from funnelkit.qualify import STARTER
        >>> tables = leads_to_tables(load_demo()[:3])
        >>> frame = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
        >>> frame.select("lead_id", "stage", "fit", "fit_grade").rows()[0]
        ('L-00001', 'inquiry', Decimal('17.0000'), 'D')
        >>> why = qualify_frame(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF,
        ...                     explain=True)
        >>> why["next_facts"][0][0]["path"], why["fit_unknown"][0].to_list()[:2]
        ('company.annual_revenue', ['company.annual_revenue', 'company.country'])
    """
    try:
        import polars  # noqa: F401
    except ImportError as err:  # pragma: no cover - exercised without polars
        raise MissingExtraError("polars", "polars") from err
    from funnelkit.qualify._frame import frame_qualify

    return frame_qualify(leads, signals, policy, as_of=as_of, explain=explain)


def qualify_table(
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
    engine: str = "duckdb",
    explain: bool = False,
) -> pl.DataFrame:
    """Qualify every lead of a table with a columnar engine: the same rows either way.

    Args:
        leads: The leads table of the contract (see ``qualify_frame``).
        signals: The signals table, or ``None`` when no lead has signals.
        policy: The policy.
        as_of: The instant "now" means (timezone-aware).
        engine: ``"duckdb"`` (the policy as one SQL query in an embedded DuckDB, as
            ``policy_sql`` writes it) or ``"polars"`` (``qualify_frame``).
        explain: Also give the unknown facts and next facts (see ``qualify_frame``).
            DuckDB works out the unknown facts in the query, and the next facts are
            ranked in Python once per distinct lead, as for polars.

    Returns:
        One row per lead, in the order of ``leads``, with the columns of
        ``qualify_frame``.

    Raises:
        UnsupportedRuleError: The policy holds what the columnar engines cannot run.
        RuleEvaluationError: A rule met values it cannot work with.
        TypeError: ``as_of`` is not a timezone-aware datetime.
        InvalidArgumentError: An unknown engine (also a ``ValueError``).
        MissingExtraError: The engine's extra is not installed (``polars`` for both;
            ``sql`` for DuckDB).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.io import leads_to_tables
        >>> from funnelkit.qualify import STARTER
        >>> tables = leads_to_tables(load_demo()[:3])
        >>> table = qualify_table(tables.leads, tables.signals, STARTER, as_of=DEMO_AS_OF)
        >>> table.select("lead_id", "stage", "fit").rows()[1]
        ('L-00002', 'profiled', Decimal('60.0000'))
    """
    if engine == "polars":
        import polars as pl

        frame = qualify_frame(leads, signals, policy, as_of=as_of, explain=explain)
        return frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    if engine != "duckdb":
        raise InvalidArgumentError(
            f"engine must be 'duckdb' or 'polars', got {engine!r}", argument="engine", value=engine
        )
    try:
        import duckdb  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as err:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("sql", "duckdb") from err
    from funnelkit.qualify._duckdb import run_policy

    return run_policy(leads, signals, policy, as_of=as_of, explain=explain)


def policy_sql(
    policy: Policy,
    *,
    as_of: datetime,
    dialect: str = "duckdb",
    leads: str = "leads",
    signals: str = "signals",
    columns: Collection[str] | None = None,
    explain: bool = False,
) -> str:
    """The policy as one SQL query over the table contract, in one dialect.

    The query gives the rows of ``qualify_frame``: run it where the tables live (DuckDB,
    Spark, Postgres, Snowflake, BigQuery), with no Python per row.

    Args:
        policy: The policy.
        as_of: The instant "now" means; it is written into the query.
        dialect: ``duckdb``, ``spark``, ``postgres``, ``snowflake`` or ``bigquery``.
        leads: The leads table's name.
        signals: The signals table's name.
        columns: The leads table's columns (default: the contract's fixed columns, and
            ``stage`` and ``stage_entered_at``); a ``custom.<key>`` column a rule reads
            but the table lacks reads as missing.
        explain: Also give each output's unknown facts, as ``qualify_frame(...,
            explain=True)`` does: ``fit_unknown``, ``gate_<stage>_unknown``,
            ``<framework>_<criterion>_unknown``, ... (arrays of paths). The next facts
            are ranked in Python (``qualify_table``), not in the query.

    Returns:
        The query, pretty-printed.

    Raises:
        UnsupportedRuleError: The policy holds what SQL cannot run exactly.
        MissingExtraError: sqlglot is not installed (``pip install "funnelkit[sql]"``).
    """
    try:
        import sqlglot  # noqa: F401
    except ImportError as err:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("sql", "sqlglot") from err
    from funnelkit.model import table_columns
    from funnelkit.qualify._sql import policy_query

    if columns is None:
        columns = [*(c.path for c in table_columns()), "stage", "stage_entered_at"]
    query = policy_query(
        policy,
        as_of=as_of,
        dialect=dialect,
        leads=leads,
        signals=signals,
        columns=columns,
        facts=explain,
    )
    return query.sql(dialect=dialect, pretty=True, copy=False)
