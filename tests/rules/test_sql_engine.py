"""The SQL engine run in DuckDB gives the reference interpreter's results, cell for cell."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_backends import POLICY, REFERENCE, SQO, SQO_AS_OF

from funnelkit.io import leads_to_tables
from funnelkit.model import BANT, Company, Contact, Lead, Timeline
from funnelkit.rules import (
    SQL_DIALECTS,
    Expr,
    F,
    Truth,
    UnsupportedRuleError,
    evaluate,
    evaluate_table,
    to_sql,
)
from funnelkit.rules.tree import Matches, RuleSet, TextTest, walk
from funnelkit.testing import aware_datetimes, conditions, leads, rule_sets, scores, values

pytest.importorskip("duckdb")


_LARGEST = 1e15


def with_ids(leads: list[Lead]) -> list[Lead]:
    """The leads with unique ids, no custom evidence and text-only custom attributes.

    Signal values beyond 1e15 in size are dropped: points from floats pass through
    ``DECIMAL(38, 18)``, which holds 20 whole digits (``docs/how-to/sql.md``).
    """
    out = []
    for index, lead in enumerate(leads):
        custom = {k: v for k, v in lead.custom.items() if isinstance(v, str)}
        signals = [
            s if s.value is None or abs(s.value) <= _LARGEST else attrs.evolve(s, value=None)
            for s in lead.signals
        ]
        out.append(
            attrs.evolve(lead, id=f"L{index}", custom_evidence=(), custom=custom, signals=signals)
        )
    return out


def cell(value: object) -> object:
    """A reference result as a table cell: Truths as booleans or None."""
    if isinstance(value, Truth):
        return None if value is Truth.UNKNOWN else value is Truth.TRUE
    return value


def _as_decimal(value: float | int | Decimal) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def same_cell(expected: object, got: object) -> bool:
    """Equal cells: numbers by value (exactly), floats exactly or both NaN.

    A float meets a decimal as ``Decimal(repr(x))``: a value whose Python type depends
    on the lead (a score is an int or a Decimal) has one SQL type per column.
    """
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | Decimal | float) and isinstance(got, int | Decimal | float):
        if isinstance(expected, float) and math.isnan(expected):
            return isinstance(got, float) and math.isnan(got)
        if isinstance(expected, float) != isinstance(got, float):
            # one column type per output: a float meets a decimal as Decimal(repr(x)),
            # as Python's own arithmetic converts it (docs/how-to/sql.md)
            return _as_decimal(expected) == _as_decimal(got)
        return Decimal(expected) == Decimal(got)
    if isinstance(expected, datetime) and isinstance(got, datetime):
        return expected == got
    return expected == got


def _text_caveat(rule: Expr, leads: list[Lead]) -> bool:
    """Rules whose text tests meet non-ASCII text or line breaks (documented caveats)."""
    if not any(isinstance(n, Matches | TextTest) for n in walk(rule)):
        return False
    tables = leads_to_tables(leads).leads
    for name, dtype in tables.schema.items():
        if str(dtype) == "String":
            for value in tables[name]:
                if value is not None and (not value.isascii() or "\n" in value or "\r" in value):
                    return True
    return False


def check(rule: Expr, leads: list[Lead], as_of: datetime) -> int:
    """DuckDB gives the interpreter's results for every lead, cell for cell.

    Returns how many cells were compared; examples whose reference raises, or whose
    rule SQL cannot run (``UnsupportedRuleError``), are rejected.
    """
    leads = with_ids(leads)
    expected: list[Any] = []
    for lead in leads:
        try:
            expected.append(evaluate(rule, lead, as_of=as_of))
        except Exception:
            assume(False)
    assume(not _text_caveat(rule, leads))
    tables = leads_to_tables(leads)
    try:
        frame = evaluate_table(rule, tables, as_of=as_of)
    except UnsupportedRuleError:
        assume(False)
        raise
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    assert len(rows) == len(leads)
    compared = 0
    for lead, result in zip(leads, expected, strict=True):
        outputs = result if isinstance(rule, RuleSet) else {"value": result}
        for name, value in outputs.items():
            got = rows[lead.id][name]
            assert same_cell(cell(value), got), (lead.id, name, value, got)
            compared += 1
    return compared


LEAD_LISTS = st.lists(leads(max_history=2), min_size=1, max_size=4)
AS_OF = aware_datetimes()
SLOW = examples(30, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@SLOW
@given(conditions(columnar=True), LEAD_LISTS, AS_OF)
def test_conditions_agree(rule, lead_list, as_of):
    """A condition's column is the interpreter's Truth per lead (NULL for unknown)."""
    check(rule, lead_list, as_of)


@SLOW
@given(values(columnar=True), LEAD_LISTS, AS_OF)
def test_values_agree(rule, lead_list, as_of):
    """A value's column is the interpreter's value per lead (NULL for missing)."""
    check(rule, lead_list, as_of)


@SLOW
@given(scores(max_leaves=6, columnar=True), LEAD_LISTS, AS_OF)
def test_scores_agree(rule, lead_list, as_of):
    """A score's column is the interpreter's points per lead, exactly."""
    check(rule, lead_list, as_of)


@SLOW
@given(rule_sets(columnar=True), LEAD_LISTS, AS_OF)
def test_rule_sets_agree(rule, lead_list, as_of):
    """Every output column of a rule set is the interpreter's output per lead."""
    check(rule, lead_list, as_of)


@examples(15, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(leads(max_history=2), min_size=1, max_size=8), AS_OF)
def test_reference_policy_agrees(lead_list, as_of):
    """The reference policy's four outputs are the interpreter's for every lead."""
    check(POLICY, lead_list, as_of)


def test_reference_policy_examples():
    """An empty lead is an inquiry, the complete opportunity a sales opportunity, in DuckDB."""
    leads_ = [Lead(id="empty"), attrs.evolve(SQO, id="sqo")]
    frame = evaluate_table(POLICY, leads_to_tables(leads_), as_of=SQO_AS_OF)
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    assert REFERENCE.as_tuple(rows["empty"]) == (0, 0, 0, "inquiry")
    assert REFERENCE.as_tuple(rows["sqo"]) == (85, 30, 4, "sales_opportunity")


def test_reference_policy_sql_for_every_dialect():
    """The reference policy renders for every dialect and parses back."""
    sqlglot = pytest.importorskip("sqlglot")
    for dialect in SQL_DIALECTS:
        text = to_sql(POLICY, as_of=SQO_AS_OF, dialect=dialect)
        assert sqlglot.parse_one(text, read=dialect) is not None


def test_reference_policy_query_shape():
    """Counts are FILTERed aggregates, no output is guarded twice, one layer below the stage."""
    text = to_sql(POLICY, as_of=SQO_AS_OF).upper()
    assert "SUM(CASE" not in text.replace("\n", "").replace(" ", "")
    assert text.count("COUNT(*) FILTER(WHERE") == 5
    # no CASE WHEN x IS NULL THEN NULL ELSE x IN (...) END where SQL gives NULL itself
    assert "THEN CAST(NULL AS BOOLEAN)\n" not in text
    assert "BETWEEN 50 AND 5000" in text
    # the stage reads fit, engagement and bant_met: one layer, selected from the join
    assert text.count("FROM (") == 1


@pytest.mark.parametrize(
    ("dialect", "count"),
    [("snowflake", "COUNT_IF("), ("bigquery", "COUNTIF("), ("postgres", "FILTER(WHERE")],
)
def test_filtered_counts_per_dialect(dialect, count):
    """Each dialect gets a count it has: COUNT_IF on Snowflake, COUNTIF on BigQuery, FILTER."""
    sqlglot = pytest.importorskip("sqlglot")
    text = to_sql(POLICY, as_of=SQO_AS_OF, dialect=dialect)
    assert count in text.upper()
    assert sqlglot.parse_one(text, read=dialect) is not None


GAPS = [
    Lead(id="empty"),
    Lead(
        id="some",
        company=Company(employees=120, technologies=["salesforce"], tags=[]),
        contact=Contact(title="VP Sales"),
        bant=BANT(timeline=Timeline(decision_date=date(2026, 6, 1))),
    ),
    Lead(id="bare", company=Company(), contact=Contact()),
    Lead(id="small", company=Company(employees=10)),  # 10 BETWEEN 50 AND NULL is FALSE in SQL
]
UNGUARDED = {
    "isin": F.company.employees.isin({10, 120}),
    "compare": F.company.employees >= 100,
    "between": F.company.employees.between(50, 5000),
    "between_nullable_bound": F.company.employees.between(
        50, F.bant.timeline.decision_date.days_until()
    ),
    "contains": F.company.technologies.contains("salesforce"),
    "tags": F.company.tags.contains("competitor_customer"),
    "text": F.contact.title.startswith("VP") | F.contact.title.icontains("sales"),
    "matches": F.contact.title.matches(r"^VP\b"),
    "arith": (F.company.employees + 1) > 100,
    "days": F.bant.timeline.decision_date.days_until().between(0, 90),
    "empty_set": F.company.employees.isin(set()),
    "size": F.company.tags.size() >= 0,
}


@pytest.mark.parametrize("name", sorted(UNGUARDED))
def test_unguarded_operations_keep_three_valued_logic(name):
    """Where the NULL check is left out, a missing operand still gives the interpreter's result."""
    rule = UNGUARDED[name]
    frame = evaluate_table(rule, leads_to_tables(GAPS), as_of=SQO_AS_OF)
    rows = {row["id"]: row["value"] for row in frame.iter_rows(named=True)}
    for lead in GAPS:
        assert rows[lead.id] == cell(evaluate(rule, lead, as_of=SQO_AS_OF)), lead.id


def test_a_partial_table_reads_missing_columns_as_missing():
    """evaluate_table reads a table lacking contract columns as tables_to_leads does."""
    from funnelkit.data import DEMO_AS_OF, load_demo
    from funnelkit.io import LeadTables, tables_to_leads
    from funnelkit.model import Money
    from funnelkit.rules import rule_set

    rule = rule_set(
        **dict(POLICY.outputs),
        no_company=F.company.is_missing(),
        tagged=F.company.tags.size(),
        budget=F.bant.budget.amount >= Money(amount=1, currency="USD"),
    )
    tables = leads_to_tables(load_demo()[:100])
    part = tables.leads.drop(
        "company",
        "company.industry",
        "company.tags",
        "contact.seniority",
        "bant.need.pain_points",
        "bant.budget.amount.amount",
        "bant.budget.amount.currency",
    )
    partial = LeadTables(leads=part, signals=tables.signals)
    frame = evaluate_table(rule, partial, as_of=DEMO_AS_OF)
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    for lead in tables_to_leads(partial):
        for name, value in evaluate(rule, lead, as_of=DEMO_AS_OF).items():
            assert same_cell(cell(value), rows[lead.id][name]), (lead.id, name)


def test_unique_table_of_mixed_numbers_runs_and_still_fails_on_two_matches() -> None:
    """A ``unique`` table whose outputs mix int, float and decimal gives its value, and
    two matching rows still fail the query (its error branch once was text, which
    DuckDB refused to mix with numbers in the CASE). Found by the thorough profile."""

    from funnelkit.model import Authority, Evidence
    from funnelkit.rules import RuleEvaluationError, decision_table, per, score

    table = decision_table(
        [
            (F.contact.title != "CFO", F.bant.timeline.horizon_days),
            (F.contact.title == "CFO", F.bant.authority.evidence.confidence),
            (F.contact.title == "USD", score(per(Decimal("0.5"), F.bant.timeline.horizon_days))),
        ],
        hit_policy="unique",
    )
    proof = Evidence(source="call", confidence=0.5)
    leads = [
        Lead(id="L-1", contact=Contact(title="VP"), bant=BANT(timeline=Timeline(horizon_days=9))),
        Lead(
            id="L-2", contact=Contact(title="CFO"), bant=BANT(authority=Authority(evidence=proof))
        ),
        Lead(id="L-3"),
    ]
    tables = leads_to_tables(leads)
    got = evaluate_table(table, tables, as_of=SQO_AS_OF)
    assert got["value"].to_list() == [evaluate(table, lead, as_of=SQO_AS_OF) for lead in leads]
    both = decision_table(
        [(F.contact.title == "VP", F.bant.timeline.horizon_days), (F.contact.title == "VP", 0.5)],
        hit_policy="unique",
    )
    with pytest.raises(RuleEvaluationError):
        evaluate_table(both, leads_to_tables(leads[:1]), as_of=SQO_AS_OF)
