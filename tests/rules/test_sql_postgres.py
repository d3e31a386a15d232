"""PostgreSQL runs the Postgres SQL and gives the reference's results, cell for cell.

The server is a throwaway one started once per test process (the ``postgres`` fixture in
tests/conftest.py); the tables go in with a warehouse's types (``tests/_postgres.py``).
Each generated example loads its tables in a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._postgres import load, rows
from tests._profiles import examples
from tests.rules.test_backends import POLICY, SQO_AS_OF
from tests.rules.test_facts import same_facts
from tests.rules.test_polars_engine import same, tabular
from tests.rules.test_sql_engine import GAPS, UNGUARDED, _text_caveat, cell, same_cell, with_ids
from tests.rules.test_unreached_tables import LEADS as UNREACHED_LEADS
from tests.rules.test_unreached_tables import REACHED, UNREACHED

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.io import LeadTables, leads_to_tables
from funnelkit.model import BANT, Authority, Company, Contact, Evidence, Lead, Signal
from funnelkit.qualify import (
    BANT_GATED,
    STARTER,
    WATERFALL,
    Policy,
    policy_sql,
    qualify,
    result_row,
)
from funnelkit.rules import (
    Expr,
    F,
    RuleEvaluationError,
    Truth,
    UnsupportedRuleError,
    decision_table,
    evaluate,
    evaluate_table,
    per,
    ref,
    rule_set,
    score,
    signals,
    to_sql,
)
from funnelkit.rules.tree import RuleSet
from funnelkit.testing import (
    aware_datetimes,
    conditions,
    leads,
    policies,
    rule_sets,
    scores,
    values,
)

try:
    import psycopg
except ImportError:  # the postgres fixture skips each test (fails it in CI)
    psycopg = None

pytestmark = pytest.mark.postgres

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


@contextmanager
def _tables(postgres: Any, tables: LeadTables) -> Iterator[None]:
    """``leads`` and ``signals`` as temporary tables, gone when the block ends."""
    with postgres.transaction(force_rollback=True):
        load(postgres, "leads", tables.leads)
        load(postgres, "signals", tables.signals)
        yield


def _too_large(err: Exception) -> bool:
    """Whether Postgres refused a number too large for the query's exact columns."""
    return isinstance(err, psycopg.errors.NumericValueOutOfRange) and "underflow" not in str(err)


@pytest.fixture(scope="module")
def demo(postgres: Any) -> Iterator[LeadTables]:
    """The demo leads and signals, as ``demo_leads`` and ``demo_signals``."""
    tables = leads_to_tables(load_demo())
    load(postgres, "demo_leads", tables.leads)
    load(postgres, "demo_signals", tables.signals)
    yield tables
    postgres.execute("DROP TABLE demo_leads, demo_signals")


def _same_rows(
    found: dict[str, dict[str, Any]],
    batch: list[Lead] | tuple[Lead, ...],
    policy: Policy,
    as_of: datetime,
) -> None:
    """Postgres' rows by lead id are qualify's rows, cell for cell."""
    assert sorted(found) == sorted(lead.id for lead in batch)
    for lead in batch:
        expected = result_row(qualify(lead, policy, as_of=as_of, explain=False))
        row = found[lead.id]
        assert list(row) == list(expected)
        wrong = {k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])}
        assert not wrong, (lead.id, wrong)


def _compare_policy(
    postgres: Any,
    batch: list[Lead] | tuple[Lead, ...],
    policy: Policy,
    as_of: datetime,
    *,
    columns: list[str],
    leads: str = "leads",
    signals: str = "signals",
) -> None:
    text = policy_sql(
        policy, as_of=as_of, dialect="postgres", leads=leads, signals=signals, columns=columns
    )
    _same_rows({row["lead_id"]: row for row in rows(postgres, text)}, batch, policy, as_of)


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_demo_data_on_postgres(postgres: Any, demo: LeadTables, policy: Policy) -> None:
    """Every demo lead under every preset: Postgres gives the row qualify gives."""
    _compare_policy(
        postgres,
        load_demo(),
        policy,
        DEMO_AS_OF,
        columns=demo.leads.columns,
        leads="demo_leads",
        signals="demo_signals",
    )


def test_unknown_facts_on_postgres(postgres: Any, demo: LeadTables) -> None:
    """``policy_sql(..., explain=True)``: Postgres lists each output's unknown facts as
    ``qualify`` does (every fifth demo lead, under the preset with a framework)."""
    text = policy_sql(
        BANT_GATED,
        as_of=DEMO_AS_OF,
        dialect="postgres",
        leads="demo_leads",
        signals="demo_signals",
        columns=demo.leads.columns,
        explain=True,
    )
    found = {row["lead_id"]: row for row in rows(postgres, text)}
    for lead in load_demo()[::5]:
        expected = result_row(qualify(lead, BANT_GATED, as_of=DEMO_AS_OF), explained=True)
        unknown = {k: v for k, v in expected.items() if k.endswith("_unknown")}
        assert unknown
        assert {k: found[lead.id][k] for k in unknown} == unknown, lead.id


def test_reference_policy_on_postgres(postgres: Any, demo: LeadTables) -> None:
    """The reference rule set over the demo leads: Postgres gives evaluate()'s outputs."""
    text = to_sql(
        POLICY,
        as_of=DEMO_AS_OF,
        dialect="postgres",
        leads="demo_leads",
        signals="demo_signals",
        columns=demo.leads.columns,
    )
    found = {row["id"]: row for row in rows(postgres, text)}
    for lead in load_demo():
        expected = evaluate(POLICY, lead, as_of=DEMO_AS_OF)
        wrong = {
            k: (v, found[lead.id][k]) for k, v in expected.items() if not same(v, found[lead.id][k])
        }
        assert not wrong, (lead.id, wrong)


def _twice(err: Exception) -> bool:
    """Whether the error is a ``unique`` decision table that matched twice."""
    return "more than one row matches a 'unique' decision table" in str(err)


def _run_failing(postgres: Any, tables: LeadTables, run: Any, refused: str | None) -> Any:
    """``run()`` over ``tables`` in Postgres, held to the reference's error ``refused``.

    Where the reference fails a lead for a ``unique`` table matching twice the query
    must fail for it too, and the other way round; the example is then rejected, as are
    numbers too large for the exact columns (refused in both).
    """
    failed: str | None = None
    try:
        with _tables(postgres, tables):
            found = run()
    except psycopg.errors.InvalidTextRepresentation as err:
        failed = str(err)
    except Exception as err:
        assume(not _too_large(err))
        raise
    if failed is not None:
        assert _twice(failed), failed
        assert refused is not None, f"Postgres failed where the reference did not: {failed}"
        assume(False)
    assert refused is None or not _twice(refused), f"Postgres ran where {refused}"
    assume(refused is None)  # the reference refused for another reason
    return found


def check(postgres: Any, rule: Expr, batch: list[Lead], as_of: datetime) -> None:
    """Postgres gives the interpreter's results for every lead, cell for cell.

    As ``tests/rules/test_sql_engine.py``'s ``check`` for DuckDB: examples whose rule SQL
    cannot run, or whose text tests meet the documented text caveats, are rejected;
    where the reference raises, Postgres must fail for a ``unique`` table matching twice
    (``_run_failing``).
    """
    batch = with_ids(batch)
    expected: list[Any] = []
    refused: str | None = None
    for lead in batch:
        try:
            expected.append(evaluate(rule, lead, as_of=as_of))
        except Exception as err:
            refused = refused or str(err)
    assume(not _text_caveat(rule, batch))
    tables = leads_to_tables(batch)
    try:
        text = to_sql(rule, as_of=as_of, dialect="postgres", columns=tables.leads.columns)
    except UnsupportedRuleError:
        assume(False)
        raise
    found = _run_failing(
        postgres, tables, lambda: {row["id"]: row for row in rows(postgres, text)}, refused
    )
    assert len(found) == len(batch)
    for lead, result in zip(batch, expected, strict=True):
        outputs = result if isinstance(rule, RuleSet) else {"value": result}
        for name, value in outputs.items():
            got = found[lead.id][name]
            assert same_cell(cell(value), got), (lead.id, name, value, got)


LEAD_LISTS = st.lists(leads(max_history=2), min_size=1, max_size=4)
RULES = examples(5, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@RULES
@given(conditions(columnar=True), LEAD_LISTS, aware_datetimes())
def test_conditions_on_postgres(postgres: Any, rule: Expr, batch: list[Lead], as_of: datetime):
    """Random conditions over random leads with gaps: Postgres gives the interpreter's truth."""
    check(postgres, rule, batch, as_of)


@RULES
@given(values(columnar=True), LEAD_LISTS, aware_datetimes())
def test_values_on_postgres(postgres: Any, rule: Expr, batch: list[Lead], as_of: datetime):
    """Random values: Postgres gives the interpreter's value, exactly."""
    check(postgres, rule, batch, as_of)


@RULES
@given(scores(max_leaves=6, columnar=True), LEAD_LISTS, aware_datetimes())
def test_scores_on_postgres(postgres: Any, rule: Expr, batch: list[Lead], as_of: datetime):
    """Random scores: Postgres gives the interpreter's points, exactly."""
    check(postgres, rule, batch, as_of)


@RULES
@given(rule_sets(columnar=True), LEAD_LISTS, aware_datetimes())
def test_rule_sets_on_postgres(postgres: Any, rule: Expr, batch: list[Lead], as_of: datetime):
    """Random rule sets: every output column is the interpreter's output per lead."""
    check(postgres, rule, batch, as_of)


@RULES
@given(rule_sets(columnar=True), LEAD_LISTS)
def test_rule_set_facts_on_postgres(postgres: Any, rule: RuleSet, batch: list[Lead]) -> None:
    """Random rule sets: Postgres lists each output's facts and lifts as explain does."""
    batch = with_ids(batch)
    assume(not _text_caveat(rule, batch))
    tables = leads_to_tables(batch)
    try:
        text = to_sql(
            rule, as_of=AS_OF, dialect="postgres", columns=tables.leads.columns, facts=True
        )
    except UnsupportedRuleError:
        assume(False)
        raise

    def run() -> dict[str, dict[str, Any]]:
        with _tables(postgres, tables):
            try:
                return {row["id"]: row for row in rows(postgres, text)}
            except psycopg.errors.NumericValueOutOfRange as err:
                assume(not _too_large(err))
                raise

    same_facts(rule, batch, run)


@st.composite
def _case(draw: st.DrawFn) -> tuple[Policy, list[Lead]]:
    policy = draw(policies(columnar=True))
    batch = draw(st.lists(leads(funnel=policy.funnel) | leads(funnel=None), min_size=1, max_size=4))
    return policy, tabular(batch)


@examples(3, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_case(), st.sampled_from([AS_OF, datetime(2031, 1, 1, tzinfo=UTC)]))
def test_random_policies_on_postgres(
    postgres: Any, case: tuple[Policy, list[Lead]], as_of: datetime
) -> None:
    """Random policies over random leads with gaps and histories: Postgres gives qualify's rows."""
    policy, batch = case
    try:
        tables = leads_to_tables(batch)
    except RuntimeError as err:  # polars: a decimal beyond 38 digits (the contract's limit)
        assume("too large" not in str(err))
        raise
    refused: str | None = None
    for lead in batch:
        try:
            qualify(lead, policy, as_of=as_of, explain=False)
        except RuleEvaluationError as err:
            refused = refused or str(err)
    try:
        text = policy_sql(policy, as_of=as_of, dialect="postgres", columns=tables.leads.columns)
    except UnsupportedRuleError:
        assume(False)
        raise
    found = _run_failing(postgres, tables, lambda: rows(postgres, text), refused)
    _same_rows({row["lead_id"]: row for row in found}, batch, policy, as_of)


def test_a_deep_rule_set_is_planned_in_its_layers(postgres: Any) -> None:
    """Each output read twice by the next: the layers hold, Postgres does not unfold them.

    Without ``OFFSET 0`` ending each layer, Postgres' planner pulls the subqueries up and
    writes every shared column out again where it is read: 2**30 copies here, and the
    plan fails with "invalid memory alloc request size" (a random policy did that).
    """
    outputs: dict[str, object] = {"v0": F.company.employees}
    for i in range(1, 31):
        outputs[f"v{i}"] = ref(f"v{i - 1}") + ref(f"v{i - 1}") - ref(f"v{i - 1}")
    rule = rule_set(**outputs)
    batch = load_demo()[:20]
    tables = leads_to_tables(batch)
    text = to_sql(rule, as_of=SQO_AS_OF, dialect="postgres", columns=tables.leads.columns)
    assert "OFFSET 0" in text
    assert "OFFSET 0" not in to_sql(rule, as_of=SQO_AS_OF, dialect="duckdb")
    with _tables(postgres, tables):
        found = {row["id"]: row["v30"] for row in rows(postgres, text)}
    for lead in batch:
        assert found[lead.id] == lead.company.employees, lead.id  # type: ignore[union-attr]


def test_a_unique_table_of_mixed_numbers_is_planned(postgres: Any) -> None:
    """Outputs of three number types: Postgres plans the CASE, and fails only a lead that
    matches twice (the failing cast stays a number among numbers, not a text)."""
    import psycopg

    rule = decision_table(
        [
            (F.bant.authority.decided_by != "CFO", F.bant.timeline.horizon_days),
            (F.bant.authority.decided_by != "CFO", F.bant.authority.evidence.confidence + 0),
            (
                F.bant.authority.decided_by != "CFO",
                score(per(1, F.bant.authority.evidence.confidence)),
            ),
        ],
        hit_policy="unique",
    )
    quiet = Lead(id="L1")
    tables = leads_to_tables([quiet])
    text = to_sql(rule, as_of=SQO_AS_OF, dialect="postgres", columns=tables.leads.columns)
    with _tables(postgres, tables):
        assert [row["value"] for row in rows(postgres, text)] == [None]
    twice = Lead(id="L2", bant=BANT(authority=Authority(decided_by="CEO")))
    with _tables(postgres, leads_to_tables([twice])), pytest.raises(psycopg.Error, match="L2"):
        rows(postgres, text)


@pytest.mark.parametrize("name", sorted(UNGUARDED))
def test_unguarded_operations_on_postgres(postgres: Any, name: str) -> None:
    """Where the NULL check is left out, Postgres still gives the interpreter's result."""
    rule = UNGUARDED[name]
    tables = leads_to_tables(GAPS)
    text = to_sql(rule, as_of=SQO_AS_OF, dialect="postgres", columns=tables.leads.columns)
    with _tables(postgres, tables):
        found = {row["id"]: row["value"] for row in rows(postgres, text)}
    for lead in GAPS:
        assert found[lead.id] == cell(evaluate(rule, lead, as_of=SQO_AS_OF)), lead.id


def _values(postgres: Any, rule: Expr, batch: list[Lead]) -> dict[str, Any]:
    """``rule``'s value per lead id, run in Postgres."""
    tables = leads_to_tables(batch)
    text = to_sql(rule, as_of=SQO_AS_OF, dialect="postgres", columns=tables.leads.columns)
    with _tables(postgres, tables):
        return {row["id"]: row["value"] for row in rows(postgres, text)}


def _titled(*titles: str) -> list[Lead]:
    return [Lead(id=f"L{i}", contact=Contact(title=t)) for i, t in enumerate(titles)]


_TITLES = ("VP Sales", "VPSales", "VP-Ops", "AVP", "Head of Sales", "DE", "soft\x08ware", "e")


@pytest.mark.parametrize(
    "pattern",
    [r"^VP\b", r"\bSales\b", r"VP\B", r"[\b]", r"(?i)sales|marketing", r"^[A-Z]{2}$", r"e$"],
)
def test_regex_word_boundaries(postgres: Any, pattern: str) -> None:
    r"""Python's ``\b`` is a word boundary, Postgres' a backspace: it is written ``\y``."""
    batch = _titled(*_TITLES)
    rule = F.contact.title.matches(pattern)
    found = _values(postgres, rule, batch)
    for lead in batch:
        assert found[lead.id] == cell(evaluate(rule, lead, as_of=SQO_AS_OF)), lead.contact
    if "\\b" in pattern.replace("[\\b]", ""):
        assert "\\y" in to_sql(rule, as_of=SQO_AS_OF, dialect="postgres")


def test_a_double_becomes_the_decimal_of_its_repr(postgres: Any) -> None:
    """Postgres casts a DOUBLE to NUMERIC with 15 digits; the query goes through its text."""
    confident = Evidence(source="call", confidence=0.30000000000000004)
    lead = Lead(id="L0", bant=BANT(authority=Authority(level="influencer", evidence=confident)))
    rule = (F.bant.authority.evidence.confidence + Decimal(0)) > Decimal("0.3")
    assert evaluate(rule, lead, as_of=SQO_AS_OF) is Truth.TRUE
    assert _values(postgres, rule, [lead]) == {"L0": True}
    (value,) = rows(
        postgres, "SELECT CAST(CAST(0.30000000000000004 AS DOUBLE PRECISION) AS NUMERIC)"
    )
    assert value == {"numeric": Decimal("0.3")}  # the trap: Postgres' own cast


def test_a_summed_table_of_floats_stays_exact(postgres: Any) -> None:
    """A ``collect_sum`` table with float rows and no default is a decimal, never a DOUBLE."""
    confident = Evidence(source="call", confidence=0.30000000000000004)
    lead = Lead(id="L0", bant=BANT(authority=Authority(level="influencer", evidence=confident)))
    rule = decision_table(
        [
            (F.bant.authority.level == "influencer", 87),
            (F.bant.authority.evidence.confidence > 0, F.bant.authority.evidence.confidence),
        ],
        hit_policy="collect_sum",
    )
    expected = evaluate(rule, lead, as_of=SQO_AS_OF)
    assert expected == Decimal("87.3000")
    for points in (rule, per(Decimal("0.5"), rule)):  # rounded again: FLOOR(x) % 2 on a DOUBLE
        found = _values(postgres, points, [lead, Lead(id="L1")])
        assert found == {
            "L0": evaluate(points, lead, as_of=SQO_AS_OF),
            "L1": evaluate(points, Lead(id="L1"), as_of=SQO_AS_OF),
        }
        assert isinstance(found["L0"], Decimal)
    frame = evaluate_table(rule, leads_to_tables([lead]), as_of=SQO_AS_OF)
    assert frame.schema["value"] == pl.Decimal(38, 4)  # DuckDB made it a DOUBLE too


def test_a_signal_decayed_to_nothing(postgres: Any) -> None:
    """An old signal weighs 0.0, as in Python; Postgres' POWER fails on underflow instead."""
    moments = [SQO_AS_OF - timedelta(days=days) for days in (1, 1074, 1075, 1076, 4000)]
    lead = Lead(id="L0", signals=[Signal(kind="email_open", occurred_at=m) for m in moments])
    rule = signals("email_open").decayed(half_life_days=1.0)
    assert _values(postgres, rule, [lead]) == {"L0": evaluate(rule, lead, as_of=SQO_AS_OF)}
    with pytest.raises(psycopg.errors.NumericValueOutOfRange, match="underflow"):
        rows(postgres, "SELECT POWER(CAST(0.5 AS DOUBLE PRECISION), 1075)")


def test_the_session_time_zone_does_not_matter(postgres: Any, demo: LeadTables) -> None:
    """Far from UTC (Kiritimati is UTC+14), Postgres still gives qualify's rows."""
    with postgres.transaction(force_rollback=True):
        postgres.execute("SET LOCAL TIME ZONE 'Pacific/Kiritimati'")
        _compare_policy(
            postgres,
            load_demo(),
            WATERFALL,
            DEMO_AS_OF,
            columns=demo.leads.columns,
            leads="demo_leads",
            signals="demo_signals",
        )


def test_a_partial_table_reads_missing_columns_as_missing(postgres: Any) -> None:
    """A leads table with some contract columns: Postgres reads it as tables_to_leads does."""
    from funnelkit.io import tables_to_leads

    tables = leads_to_tables(load_demo()[:60])
    part = tables.leads.drop(
        "company",
        "contact.buying_roles",
        "contact.seniority",
        "bant.budget.amount.amount",
        "bant.budget.amount.currency",
    )  # policy_sql needs the stage columns (they may be all null)
    partial = LeadTables(leads=part, signals=tables.signals)
    with _tables(postgres, partial):
        _compare_policy(
            postgres, tables_to_leads(partial), BANT_GATED, DEMO_AS_OF, columns=part.columns
        )


def test_a_stage_without_its_entry_time(postgres: Any) -> None:
    """A stage with a null stage_entered_at: Postgres gives DuckDB's rows (the stage counts)."""
    from funnelkit.qualify import qualify_table

    tables = leads_to_tables(load_demo()[:100])
    stages = ["nurture", "customer", "profiled", "mql", None]
    leads_in = tables.leads.with_columns(
        pl.Series("stage", [stages[i % len(stages)] for i in range(tables.leads.height)]),
        pl.lit(None, dtype=tables.leads.schema["stage_entered_at"]).alias("stage_entered_at"),
    )
    expected = qualify_table(leads_in, tables.signals, STARTER, as_of=DEMO_AS_OF)
    text = policy_sql(STARTER, as_of=DEMO_AS_OF, dialect="postgres", columns=leads_in.columns)
    with _tables(postgres, LeadTables(leads=leads_in, signals=tables.signals)):
        found = {row["lead_id"]: row for row in rows(postgres, text)}
    for row in expected.rows(named=True):
        got = found[row["lead_id"]]
        wrong = {k: (v, got[k]) for k, v in row.items() if not same(v, got[k])}
        assert not wrong, (row["lead_id"], wrong)


def _failure(postgres: Any, rule: Expr, batch: list[Lead]) -> str | None:
    """Postgres' error for ``rule`` over ``batch``, or None when the query runs."""
    try:
        _values(postgres, rule, batch)
    except psycopg.errors.InvalidTextRepresentation as err:
        return str(err).splitlines()[0]
    return None


def test_a_unique_table_matching_twice_fails_the_query(postgres: Any) -> None:
    """Postgres has no ERROR(): a failing cast names the table and the lead instead."""
    rule = decision_table(
        [(F.company.employees >= 1, "a"), (F.company.employees >= 2, "b")],
        hit_policy="unique",
        default="z",
    )
    twice = Lead(id="L1", company=Company(employees=5))
    with pytest.raises(RuleEvaluationError):
        evaluate(rule, twice, as_of=SQO_AS_OF)
    message = _failure(postgres, rule, [Lead(id="L0"), twice])
    assert message is not None
    assert "more than one row matches a 'unique' decision table: lead L1" in message
    once = [Lead(id="L0"), Lead(id="L2", company=Company(employees=1))]
    assert _values(postgres, rule, once) == {"L0": "z", "L2": "a"}


@pytest.mark.parametrize("name", sorted(UNREACHED))
def test_an_unreached_table_does_not_fail_on_postgres(postgres: Any, name: str) -> None:
    """A failing table the interpreter never reaches for a lead fails no query."""
    rule = UNREACHED[name]
    found = _values(postgres, rule, UNREACHED_LEADS)
    for lead in UNREACHED_LEADS:
        assert same(evaluate(rule, lead, as_of=SQO_AS_OF), found[lead.id]), lead.id


@pytest.mark.parametrize("name", sorted(REACHED))
def test_a_reached_table_fails_on_postgres(postgres: Any, name: str) -> None:
    """Where the interpreter reaches the failing table, the query fails."""
    message = _failure(postgres, REACHED[name], UNREACHED_LEADS)
    assert message is not None
    assert "'unique' decision table" in message


@pytest.mark.parametrize(
    ("pattern", "posix"),
    [
        (r"^VP\b", r"^VP\y"),
        (r"\Bx\b", r"\Yx\y"),
        (r"[\b]\b", r"[\b]\y"),
        (r"[]\b]\b", r"[]\b]\y"),
        (r"[^]\b]\b", r"[^]\b]\y"),
        (r"[\]\b]\b", r"[\]\b]\y"),
        (r"a\\b", r"a\\b"),
        (r"\d+\s\w\Z", r"\d+\s\w\Z"),
    ],
)
def test_posix_pattern(pattern: str, posix: str) -> None:
    r"""Word boundaries become ``\y`` / ``\Y`` outside brackets; nothing else changes."""
    from funnelkit.rules.engines.sql._spell import posix_pattern

    assert posix_pattern(pattern) == posix


def test_postgres_spellings_leave_other_dialects_alone() -> None:
    """The Postgres-only spellings appear in the Postgres query and in no other dialect's."""
    from funnelkit.rules.engines.sql import SQL_DIALECTS

    rule = rule_set(
        title=F.contact.title.matches(r"^VP\b"),
        decay=signals("email_open").decayed(half_life_days=7.0),
        points=per(Decimal("0.5"), F.bant.authority.evidence.confidence),
        one=decision_table(
            [(F.company.employees >= 1, "a"), (F.company.employees >= 2, "b")],
            hit_policy="unique",
        ),
    )
    for dialect in SQL_DIALECTS:
        text = to_sql(rule, as_of=SQO_AS_OF, dialect=dialect)
        postgres_only = ("\\y", ">= 1075", "AS INT)")
        assert all((part in text) is (dialect == "postgres") for part in postgres_only), dialect


def test_result_types_are_the_polars_types(postgres: Any) -> None:
    """Postgres' result columns are qualify_frame's, in order, with matching types."""
    from funnelkit.qualify import qualify_frame

    tables = leads_to_tables(load_demo()[:20])
    frame = qualify_frame(tables.leads, tables.signals, WATERFALL, as_of=DEMO_AS_OF)
    assert isinstance(frame, pl.DataFrame)
    text = policy_sql(WATERFALL, as_of=DEMO_AS_OF, dialect="postgres", columns=tables.leads.columns)
    with _tables(postgres, tables):
        cursor = postgres.execute(text)
        found = cursor.fetchall()
        names = {
            column.name: postgres.execute(
                "SELECT format_type(%s, NULL)", (column.type_code,)
            ).fetchone()[0]
            for column in cursor.description
        }
    kinds = {
        pl.String: "text",
        pl.Boolean: "boolean",
        pl.Int64: "bigint",
        pl.Decimal(38, 4): "numeric",
        pl.List(pl.String): "text[]",
    }
    assert names == {name: kinds[dtype] for name, dtype in frame.schema.items()}
    assert list(names) == frame.columns
    scores = [row[frame.columns.index("fit")] for row in found]
    assert all(score.as_tuple().exponent == -4 for score in scores)  # four places, as polars
