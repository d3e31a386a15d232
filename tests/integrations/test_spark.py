"""Spark runs a policy's Spark SQL and gives qualify's rows, cell for cell."""

from __future__ import annotations

import doctest
import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples
from tests.rules.test_polars_engine import same, tabular
from tests.rules.test_sql_dialects import FACTS

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.errors import MissingExtraError
from funnelkit.integrations import spark as on_spark
from funnelkit.io import leads_to_tables
from funnelkit.model import Lead
from funnelkit.qualify import (
    BANT_GATED,
    STARTER,
    WATERFALL,
    Policy,
    qualify,
    qualify_frame,
    result_row,
)
from funnelkit.rules import (
    F,
    RuleEvaluationError,
    Truth,
    UnsupportedRuleError,
    custom_rule,
    evaluate,
    explain,
    rule_set,
)
from funnelkit.testing import leads, policies

pytestmark = pytest.mark.spark

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _reference_policy() -> Any:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "reference_policy.py"
    spec = importlib.util.spec_from_file_location("funnelkit_reference_policy_spark", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REFERENCE_POLICY


def _rows(frame: Any, key: str) -> dict[str, dict[str, Any]]:
    rows = [row.asDict(recursive=True) for row in frame.collect()]
    return {row[key]: row for row in rows}


@pytest.fixture(scope="module")
def demo(spark: Any) -> tuple[Any, Any]:
    """The demo leads and signals as cached Spark DataFrames."""
    leads_df, signals_df = on_spark.to_spark(spark, leads_to_tables(load_demo()))
    return leads_df.cache(), signals_df.cache()


def _compare(
    spark: Any,
    batch: list[Lead] | tuple[Lead, ...],
    policy: Policy,
    as_of: datetime,
    frames: tuple[Any, Any] | None = None,
) -> None:
    leads_df, signals_df = frames or on_spark.to_spark(spark, leads_to_tables(list(batch)))
    frame = on_spark.qualify(spark, leads_df, signals_df, policy, as_of=as_of)
    found = _rows(frame, "lead_id")
    assert sorted(found) == sorted(lead.id for lead in batch)
    for lead in batch:
        expected = result_row(qualify(lead, policy, as_of=as_of, explain=False))
        row = found[lead.id]
        assert list(row) == list(expected)
        wrong = {k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])}
        assert not wrong, (lead.id, wrong)


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_demo_data_on_spark(spark: Any, demo: tuple[Any, Any], policy: Policy) -> None:
    """Every demo lead under every preset: Spark gives the row qualify gives."""
    _compare(spark, load_demo(), policy, DEMO_AS_OF, demo)


def test_unknown_facts_on_spark(spark: Any, demo: tuple[Any, Any]) -> None:
    """With ``facts``, Spark lists each output's facts and lifts as ``explain`` does.

    A small rule set (``FACTS``: points, a cap, a ``per``, a ``first`` table, refs):
    the presets' explained queries take Spark about a minute to plan, and DuckDB and
    Postgres run the same walkers' SQL on random rules.
    """
    rule = FACTS
    found = _rows(on_spark.evaluate(spark, *demo, rule, as_of=DEMO_AS_OF, facts=True), "id")
    for lead in load_demo()[::10]:
        why = explain(rule, lead, as_of=DEMO_AS_OF)
        lifts = why.child_facts(toward=Truth.TRUE)
        for name, listed, lifted in zip(rule.names, why.child_facts(), lifts, strict=True):
            assert found[lead.id][f"{name}.facts"] == sorted(listed), (lead.id, name)
            assert found[lead.id][f"{name}.lifts"] == sorted(lifted), (lead.id, name)


def test_reference_policy_on_spark(spark: Any, demo: tuple[Any, Any]) -> None:
    """The reference policy over the demo leads: Spark gives evaluate()'s outputs."""
    rule = _reference_policy()
    batch = load_demo()
    leads_df, signals_df = demo
    found = _rows(on_spark.evaluate(spark, leads_df, signals_df, rule, as_of=DEMO_AS_OF), "id")
    assert len(found) == len(batch)
    for lead in batch:
        expected = evaluate(rule, lead, as_of=DEMO_AS_OF)
        row = found[lead.id]
        wrong = {k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])}
        assert not wrong, (lead.id, wrong)


def test_schema_is_the_polars_schema(spark: Any) -> None:
    """Spark's columns are qualify_frame's, in order, with matching types."""
    tables = leads_to_tables(load_demo()[:20])
    frame = on_spark.qualify(spark, tables.leads, tables.signals, WATERFALL, as_of=DEMO_AS_OF)
    polars_frame = qualify_frame(tables.leads, tables.signals, WATERFALL, as_of=DEMO_AS_OF)
    assert isinstance(polars_frame, pl.DataFrame)
    assert frame.columns == polars_frame.columns
    kinds = {
        pl.String: "string",
        pl.Boolean: "boolean",
        pl.Int64: "bigint",
        pl.Decimal(38, 4): "decimal(38,4)",
        pl.List(pl.String): "array<string>",
    }
    expected = [(name, kinds[dtype]) for name, dtype in polars_frame.schema.items()]
    assert frame.dtypes == expected


def test_polars_frames_no_signals_and_no_views_left(spark: Any) -> None:
    """Polars frames go in as they are, no signals table means none, and no view is left."""
    before = {t.name for t in spark.catalog.listTables()}
    batch = [lead for lead in load_demo()[:30] if not lead.signals][:5]
    tables = leads_to_tables(batch)
    frame = on_spark.qualify(spark, tables.leads.lazy(), None, STARTER, as_of=DEMO_AS_OF)
    assert {t.name for t in spark.catalog.listTables()} == before
    found = _rows(frame, "lead_id")
    for lead in batch:
        expected = result_row(qualify(lead, STARTER, as_of=DEMO_AS_OF, explain=False))
        assert all(same(v, found[lead.id][k]) for k, v in expected.items())


def test_a_partial_table_reads_missing_columns_as_missing(spark: Any) -> None:
    """A leads table with some contract columns: Spark reads it as tables_to_leads does."""
    from funnelkit.io import LeadTables, tables_to_leads

    demo = list(load_demo()[:60])  # some leads without a contact or a company: no lists either
    demo[1::4] = [attrs.evolve(lead, contact=None) for lead in demo[1::4]]
    demo[2::4] = [attrs.evolve(lead, company=None) for lead in demo[2::4]]
    tables = leads_to_tables(demo)
    part = tables.leads.drop(
        "company",
        "company.technologies",
        "contact",
        "contact.buying_roles",
        "contact.seniority",
        "bant.budget.amount.amount",
        "bant.budget.amount.currency",
        "stage",
        "stage_entered_at",
    )
    frame = on_spark.qualify(spark, part, tables.signals, BANT_GATED, as_of=DEMO_AS_OF)
    found = _rows(frame, "lead_id")
    back = tables_to_leads(LeadTables(leads=part, signals=tables.signals))
    for lead in back:
        expected = result_row(qualify(lead, BANT_GATED, as_of=DEMO_AS_OF, explain=False))
        wrong = {
            k: (v, found[lead.id][k]) for k, v in expected.items() if not same(v, found[lead.id][k])
        }
        assert not wrong, (lead.id, wrong)


def test_evaluate_completes_a_partial_table(spark: Any) -> None:
    """evaluate() reads a leads table lacking contract columns as tables_to_leads does."""
    from funnelkit.io import LeadTables, tables_to_leads

    reference = _reference_policy()
    rule = rule_set(
        **dict(reference.outputs),
        no_company=F.company.is_missing(),
        tagged=F.company.tags.size(),
    )
    tables = leads_to_tables(load_demo()[:60])
    part = tables.leads.drop(
        "company",
        "company.industry",
        "company.tags",
        "contact.seniority",
        "bant.need.pain_points",
        "stage",
        "stage_entered_at",
    )
    frame = on_spark.evaluate(spark, part, tables.signals, rule, as_of=DEMO_AS_OF)
    found = _rows(frame, "id")
    back = tables_to_leads(LeadTables(leads=part, signals=tables.signals))
    assert sorted(found) == sorted(lead.id for lead in back)
    for lead in back:
        expected = evaluate(rule, lead, as_of=DEMO_AS_OF)
        row = found[lead.id]
        wrong = {k: (v, row[k]) for k, v in expected.items() if not same(v, row[k])}
        assert not wrong, (lead.id, wrong)


def test_a_stage_without_its_entry_time(spark: Any) -> None:
    """A stage with a null stage_entered_at: Spark gives DuckDB's rows (the stage counts)."""
    from funnelkit.qualify import qualify_table

    tables = leads_to_tables(load_demo()[:60])
    stages = ["nurture", "customer", "profiled", "mql", None]
    leads_df = tables.leads.with_columns(
        pl.Series("stage", [stages[i % len(stages)] for i in range(tables.leads.height)]),
        pl.lit(None, dtype=tables.leads.schema["stage_entered_at"]).alias("stage_entered_at"),
    )
    expected = qualify_table(leads_df, tables.signals, STARTER, as_of=DEMO_AS_OF)
    frame = on_spark.qualify(spark, leads_df, tables.signals, STARTER, as_of=DEMO_AS_OF)
    found = _rows(frame, "lead_id")
    for row in expected.rows(named=True):
        got = found[row["lead_id"]]
        wrong = {k: (v, got[k]) for k, v in row.items() if not same(v, got[k])}
        assert not wrong, (row["lead_id"], wrong)


def _run_examples(text: str, name: str, spark: Any, names: dict[str, Any] | None = None) -> None:
    """Run the doctest examples of ``text`` with a live session, ignoring their SKIPs."""
    text = text.replace("  # doctest: +SKIP", "")
    names = {**(names or {}), "spark": spark}
    test = doctest.DocTestParser().get_doctest(text, names, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output: list[str] = []
    result = runner.run(test, out=output.append)
    assert result.failed == 0, "".join(output)
    assert result.attempted > 0


def test_how_to_page_runs(spark: Any) -> None:
    """The examples of docs/how-to/spark.md give what the page shows, on a live session."""
    page = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "spark.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        'spark = SparkSession.builder.master("local[2]").getOrCreate()', "spark = spark"
    )
    _run_examples(text, "spark.md", spark)


@pytest.mark.parametrize("name", on_spark.__all__)
def test_docstring_examples_run(spark: Any, name: str) -> None:
    """Each public function's examples give what they show, on a live session."""
    doc = getattr(on_spark, name).__doc__
    _run_examples(doc, name, spark, vars(on_spark))


def _positive(employees: int) -> bool | None:
    """A custom rule: Python code, which SQL cannot run."""
    return employees > 0


def test_unsupported_policy_refused_before_spark(spark: Any) -> None:
    """A policy SQL cannot run is refused before any view or frame is made."""
    odd = custom_rule(_positive, name="fkt_spark_positive", inputs={"employees": 1})
    policy = Policy(name="odd", funnel=STARTER.funnel, gates=(), definitions={"odd": odd})
    tables = leads_to_tables(load_demo()[:2])
    before = {t.name for t in spark.catalog.listTables()}
    with pytest.raises(UnsupportedRuleError):
        on_spark.qualify(spark, tables.leads, tables.signals, policy, as_of=DEMO_AS_OF)
    assert {t.name for t in spark.catalog.listTables()} == before


def test_naive_as_of_refused(spark: Any) -> None:
    """``as_of`` without a time zone is a TypeError, as for qualify()."""
    tables = leads_to_tables(load_demo()[:2])
    with pytest.raises(TypeError):
        on_spark.qualify(spark, tables.leads, None, STARTER, as_of=datetime(2026, 1, 1))


_SETTINGS: dict[str, Any] = {
    "suppress_health_check": [
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
    ],
    "deadline": None,
}


@st.composite
def _case(draw: st.DrawFn) -> tuple[Policy, list[Lead]]:
    policy = draw(policies(columnar=True))
    batch = draw(st.lists(leads(funnel=policy.funnel) | leads(funnel=None), min_size=1, max_size=4))
    return policy, tabular(batch)


def _reference_refuses(batch: list[Lead], policy: Policy, as_of: datetime) -> bool:
    """Whether qualify() raises RuleEvaluationError for one of the leads."""
    for lead in batch:
        try:
            qualify(lead, policy, as_of=as_of, explain=False)
        except RuleEvaluationError:
            return True
    return False


@examples(3, **_SETTINGS)
@given(_case(), st.sampled_from([AS_OF, datetime(2031, 1, 1, tzinfo=UTC)]))
def test_random_policies_on_spark(
    spark: Any, case: tuple[Policy, list[Lead]], as_of: datetime
) -> None:
    """Random policies over random leads with gaps and histories: Spark gives qualify's rows."""
    from pyspark.errors import ArithmeticException, SparkRuntimeException

    policy, batch = case
    try:
        tables = leads_to_tables(batch)
    except RuntimeError as err:  # polars: a decimal beyond 38 digits (the contract's limit)
        assume("too large" not in str(err))
        raise
    try:
        _compare(spark, batch, policy, as_of, on_spark.to_spark(spark, tables))
    except (UnsupportedRuleError, RuleEvaluationError, ArithmeticException):
        assume(False)  # refused, or a number too large for exact columns (as in DuckDB)
    except SparkRuntimeException as err:
        # RAISE_ERROR: a 'unique' decision table matched twice; qualify() must say so too
        message = str(err)
    else:
        return
    assert "USER_RAISED_EXCEPTION" in message, message
    assert _reference_refuses(batch, policy, as_of), message
    assume(False)


def test_missing_pyspark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pyspark the call names the extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(MissingExtraError, match=r"funnelkit\[spark\]"):
        on_spark.qualify(None, None, None, STARTER, as_of=DEMO_AS_OF)  # type: ignore[arg-type]
