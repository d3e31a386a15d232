"""The SQL engine's dialects and traps: each place a dialect differs, under a test."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from funnelkit.errors import MissingExtraError
from funnelkit.io import leads_to_tables
from funnelkit.model import BANT, Budget, Company, Evidence, Lead, Signal
from funnelkit.rules import (
    SQL_DIALECTS,
    F,
    RuleEvaluationError,
    UnsupportedRuleError,
    at_least,
    custom_rule,
    decision_table,
    evaluate,
    evaluate_table,
    grade,
    per,
    points,
    ref,
    rule_query,
    rule_set,
    score,
    signals,
    to_sql,
)

sqlglot = pytest.importorskip("sqlglot")
duckdb = pytest.importorskip("duckdb")

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)

EVERYTHING = rule_set(
    fit=score(
        points(20, when=F.company.industry.isin({"software", "fintech"})),
        points(5, when=F.company.technologies.contains("salesforce")),
        points(Decimal("2.5"), when=F.company.technologies.overlaps({"aws", "slack"})),
        points(3, when=F.contact.title.matches(r"^VP\b") | F.contact.title.icontains("head")),
        points(2, when=F.company.name.startswith("Ac") & F.company.domain.endswith(".com")),
        per(Decimal("0.1"), signals(kind="pricing_page_view").decayed(half_life_days=7)),
        per(2, signals(kind="email_reply", within=30).count(limit=3)),
        per(Decimal("0.5"), signals().sum()),
        per(1, F.company.tags.size()),
        cap=100,
        floor=-10,
    ),
    recent=F.created_at.within(days=30) & (F.bant.timeline.decision_date.days_until() <= 90),
    seen=signals(explicit=True).latest().within(days=7),
    tier=decision_table(
        [(ref("fit") >= 40, "A"), (ref("fit") >= 20, "B")], hit_policy="unique", default="C"
    ),
    extra=decision_table(
        [(F.company.employees >= 50, 10), (F.company.employees >= 10, 5)],
        hit_policy="collect_max",
        default=0,
    ),
    total=decision_table(
        [(F.company.employees >= 50, 10), (F.company.country == "US", 1.25)],
        hit_policy="collect_sum",
    ),
    band=grade(ref("fit"), {"A": 40, "B": 20}, default="C"),
    ratio=F.company.employees / (F.bant.timeline.horizon_days + 1),
    bounded=F.company.employees.clip(10, 100),
)

DUCKDB_ONLY = ("EPOCH_US", "ROUND_EVEN", "LEN", "LIST_CONTAINS", "REGEXP_MATCHES", "ERROR")


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_every_dialect_parses_back(dialect):
    """The generated query parses back with sqlglot for its own dialect."""
    text = to_sql(EVERYTHING, as_of=AS_OF, dialect=dialect)
    parsed = sqlglot.parse_one(text, read=dialect)
    assert isinstance(parsed, sqlglot.exp.Select)


FACTS = rule_set(
    fit=score(
        points(20, when=F.company.employees >= 50),
        points(10, when=F.company.industry.isin({"software"}) | F.contact.email.is_present()),
        per(Decimal("0.5"), F.bant.timeline.horizon_days),
        cap=25,
    ),
    tier=decision_table(
        [(ref("fit") >= 20, 2), (F.company.country == "US", 1)], hit_policy="first", default=0
    ),
    ready=at_least(1, ref("fit") >= 10, F.bant.budget.status.isin({"approved"})),
)


@pytest.mark.parametrize("dialect", [d for d in SQL_DIALECTS if d != "duckdb"])
def test_every_dialect_parses_back_with_facts(dialect):
    """With facts (run in DuckDB and Postgres elsewhere), the query parses back too."""
    text = to_sql(FACTS, as_of=AS_OF, dialect=dialect, facts=True)
    parsed = sqlglot.parse_one(text, read=dialect)
    assert isinstance(parsed, sqlglot.exp.Select)
    assert text.upper().count("ARRAY") > len(FACTS.names)
    for name in DUCKDB_ONLY:
        if name == "ERROR" and dialect == "bigquery":
            continue
        assert not re.search(rf"\b{name}\(", text.upper()), name


@pytest.mark.parametrize("dialect", [d for d in SQL_DIALECTS if d != "duckdb"])
def test_no_duckdb_only_functions_leak(dialect):
    """sqlglot passes EPOCH_US, ROUND_EVEN, LEN unchanged; funnelkit never emits them elsewhere."""
    text = to_sql(EVERYTHING, as_of=AS_OF, dialect=dialect).upper()
    for name in DUCKDB_ONLY:
        if name == "ERROR" and dialect == "bigquery":
            continue  # BigQuery has its own ERROR()
        assert not re.search(rf"\b{name}\(", text), name


def test_sqlglot_alone_would_leak_epoch_us():
    """The trap itself: sqlglot's generic node renders UNIX_MICROS for Postgres and Snowflake."""
    node = sqlglot.exp.UnixMicros(this=sqlglot.exp.column("t"))
    assert node.sql("postgres") == "UNIX_MICROS(t)"
    assert node.sql("snowflake") == "UNIX_MICROS(t)"
    text = to_sql(F.created_at.age_days(), as_of=AS_OF, dialect="postgres")
    assert "UNIX_MICROS" not in text.upper()
    assert "EXTRACT(EPOCH" in text.upper()


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_no_dialect_round(dialect):
    """No dialect's ROUND is used: half-even rounding is written out."""
    text = to_sql(EVERYTHING, as_of=AS_OF, dialect=dialect).upper()
    assert not re.search(r"\bROUND(_EVEN)?\(", text)
    assert "FLOOR(" in text


def _run(text: str, tables) -> list[tuple]:
    connection = duckdb.connect()
    connection.register("leads", tables.leads.to_arrow())
    connection.register("signals", tables.signals.to_arrow())
    return connection.sql(text).fetchall()


def test_list_membership_trap_in_postgres_and_bigquery():
    """Postgres/BigQuery membership makes a missing list FALSE; funnelkit checks NULL first."""
    rule = F.company.technologies.contains("salesforce")
    # sqlglot's own Postgres spelling: COALESCE(x = ANY(list), FALSE): missing -> FALSE
    naive = sqlglot.exp.ArrayContains(
        this=sqlglot.exp.Null(), expression=sqlglot.exp.Literal.string("salesforce")
    )
    assert "COALESCE" in naive.sql("postgres")
    assert "EXISTS" in naive.sql("bigquery")
    for dialect in ("postgres", "bigquery"):
        text = to_sql(rule, as_of=AS_OF, dialect=dialect)
        guard = text.upper().index("IS NULL")
        assert guard < text.upper().index("ANY(" if dialect == "postgres" else "EXISTS")
    tables = leads_to_tables([Lead(id="L1"), Lead(id="L2", company=Company(technologies=[]))])
    frame = evaluate_table(rule, tables, as_of=AS_OF).sort("id")
    assert frame["value"].to_list() == [None, False]


def test_bigquery_null_arrays_are_guarded():
    """BigQuery cannot store a NULL array; the query still reads NULL as missing, not empty."""
    text = to_sql(
        F.company.technologies.overlaps({"aws"}) | (F.company.tags.size() >= 1),
        as_of=AS_OF,
        dialect="bigquery",
    )
    assert "`company.technologies` IS NULL" in text
    assert "ARRAY_LENGTH(" in text


def _confident(value: float) -> Lead:
    return Lead(id="L1", bant=BANT(budget=Budget(evidence=Evidence(confidence=value))))


def test_duckdb_round_is_half_away_from_zero_and_points_are_half_even():
    """DuckDB's ROUND(0.00125, 4) is 0.0013; per() gives Python's half-even 0.0012."""
    connection = duckdb.connect()
    assert connection.sql("SELECT ROUND(0.00125, 4)").fetchall()[0][0] == Decimal("0.0013")
    rule = per(Decimal("0.5"), F.bant.budget.evidence.confidence)
    lead = _confident(0.0025)
    expected = evaluate(rule, lead, as_of=AS_OF)
    assert expected == Decimal("0.0012")
    got = evaluate_table(rule, leads_to_tables([lead]), as_of=AS_OF)["value"][0]
    assert got == expected


@pytest.mark.parametrize(
    ("value", "weight"),
    [(0.00005, 1), (0.00015, 1), (0.3, 30), (0.1, Decimal("0.5")), (0.12345, 2), (1e-07, 1)],
)
def test_float_points_round_like_python(value, weight):
    """A float's points come from Decimal(repr(x)), rounded half-even to 4 places."""
    rule = per(weight, F.bant.budget.evidence.confidence)
    lead = _confident(value)
    expected = evaluate(rule, lead, as_of=AS_OF)
    got = evaluate_table(rule, leads_to_tables([lead]), as_of=AS_OF)["value"][0]
    assert Decimal(got) == Decimal(expected)


def _signal_lead(values: list[float]) -> Lead:
    at = AS_OF - timedelta(days=1)
    return Lead(
        id="L1",
        signals=[Signal(kind="web", occurred_at=at, value=v) for v in values],
    )


def test_float_sum_is_exact_when_order_cannot_matter():
    """Sums of values whose float sum is the same in any order equal the reference exactly."""
    lead = _signal_lead([0.5, 0.25, 1.125, 3.0])
    rule = signals().sum()
    got = evaluate_table(rule, leads_to_tables([lead]), as_of=AS_OF)["value"][0]
    assert got == evaluate(rule, lead, as_of=AS_OF) == 4.875


def test_float_sum_depends_on_order_caveat():
    """The documented caveat: a SUM of floats depends on the order rows are added in.

    The reference adds a lead's signals in its order; SQL engines add them in the
    order the scan and the parallel aggregation meet them. Both results are sums of
    the same values in some order, and they can differ in the last bits.
    """
    values = [1e16, 1.0, -1e16]
    lead = _signal_lead(values)
    rule = signals().sum()
    got = evaluate_table(rule, leads_to_tables([lead]), as_of=AS_OF)["value"][0]
    in_order = (1e16 + 1.0) + -1e16
    other_orders = {(1e16 + -1e16) + 1.0, (1.0 + -1e16) + 1e16}
    assert evaluate(rule, lead, as_of=AS_OF) == in_order
    assert got in {in_order, *other_orders}


def test_unsupported_rules_raise_when_the_query_is_built():
    """Custom rules, minimum gaps and collect tables raise UnsupportedRuleError, naming the node."""

    @custom_rule(name="fkt_sql_big", inputs={"n": F.company.employees})
    def big(n: int) -> bool | None:
        """Big."""
        return n > 100

    gap = signals(kind="demo_request").count(min_gap_days=7)
    collect = decision_table([(F.company.employees >= 1, "x")], hit_policy="collect")
    for rule, node in ((big, big), (gap >= 1, gap), (collect, collect)):
        with pytest.raises(UnsupportedRuleError) as info:
            rule_query(rule, as_of=AS_OF)
        assert info.value.node is node


def test_unknown_dialect_and_naive_as_of():
    """An unknown dialect is a ValueError, a naive as_of a TypeError."""
    with pytest.raises(ValueError, match="unknown dialect"):
        to_sql(F.company.employees >= 1, as_of=AS_OF, dialect="oracle")
    with pytest.raises(TypeError, match="timezone-aware"):
        to_sql(F.company.employees >= 1, as_of=datetime(2026, 5, 1))


def test_missing_extra_names_sql(monkeypatch):
    """Without sqlglot, building a query raises MissingExtraError naming the sql extra."""
    for name in [m for m in sys.modules if m == "sqlglot" or m.startswith("sqlglot.")]:
        monkeypatch.setitem(sys.modules, name, None)
    package = sys.modules["funnelkit.rules.engines.sql"]
    for name in [m for m in sys.modules if m.startswith("funnelkit.rules.engines.sql.")]:
        monkeypatch.delitem(sys.modules, name)
        monkeypatch.delattr(package, name.rsplit(".", 1)[1], raising=False)
    with pytest.raises(MissingExtraError, match=r"funnelkit\[sql\]"):
        to_sql(F.company.employees >= 1, as_of=AS_OF)


def test_texts_and_names_are_quoted_not_pasted():
    """Quotes in values, patterns and output names stay data: the query still runs."""
    name = 'say "yes"; DROP TABLE leads; --'
    rule = rule_set(**{name: F.company.name == "O'Brien'); DROP TABLE leads; --"})
    leads = [Lead(id="L1", company=Company(name="O'Brien'); DROP TABLE leads; --")), Lead(id="L2")]
    frame = evaluate_table(rule, leads_to_tables(leads), as_of=AS_OF).sort("id")
    assert frame[name].to_list() == [True, None]
    for dialect in SQL_DIALECTS:
        text = to_sql(rule, as_of=AS_OF, dialect=dialect)
        assert len(sqlglot.parse(text, read=dialect)) == 1


def test_unique_table_with_two_hits_fails_the_query_like_the_reference():
    """A 'unique' table with two TRUE rows is an error in the reference and in DuckDB."""
    rule = decision_table(
        [(F.company.employees >= 1, "a"), (F.company.employees >= 2, "b")],
        hit_policy="unique",
        default="z",
    )
    lead = Lead(id="L1", company=Company(employees=5))
    with pytest.raises(RuleEvaluationError):
        evaluate(rule, lead, as_of=AS_OF)
    with pytest.raises(RuleEvaluationError, match="unique"):  # DuckDB's error, as ours
        evaluate_table(rule, leads_to_tables([lead]), as_of=AS_OF)
    one = Lead(id="L2", company=Company(employees=1))
    assert evaluate_table(rule, leads_to_tables([one]), as_of=AS_OF)["value"][0] == "a"


def test_custom_column_the_table_lacks_reads_as_missing():
    """A custom attribute no lead has is missing for every lead, not an unknown column."""
    rule = rule_set(tier=F.custom["tier"] == "gold", unknown=F.custom["tier"].is_missing())
    tables = leads_to_tables([Lead(id="L1")])
    frame = evaluate_table(rule, tables, as_of=AS_OF)
    assert frame.row(0, named=True) == {"id": "L1", "tier": None, "unknown": True}
    with_tier = leads_to_tables([Lead(id="L1", custom={"tier": "gold"})])
    assert evaluate_table(rule, with_tier, as_of=AS_OF).row(0) == ("L1", True, False)


def test_float_arithmetic_on_points_is_unsupported():
    """A score is an int or a Decimal per lead in Python; float arithmetic on it is refused."""
    rule = F.bant.budget.evidence.confidence * score(per(1, signals().sum()), floor=3)
    lead = _confident(0.1)
    assert evaluate(rule, lead, as_of=AS_OF) == 0.30000000000000004  # 0.1 * int 3
    with pytest.raises(UnsupportedRuleError, match="depending on the lead"):
        rule_query(rule, as_of=AS_OF)
