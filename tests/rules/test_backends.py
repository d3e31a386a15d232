"""Every engine agrees with the reference interpreter: compiled, explained, reference policy."""

from __future__ import annotations

import importlib.util
import json
import operator
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Company,
    Contact,
    Lead,
    Money,
    Need,
    PainPoint,
    Signal,
    Timeline,
)
from funnelkit.model._enums import AuthorityLevel
from funnelkit.rules import (
    HIT_POLICIES,
    TRUE,
    F,
    RuleBuildError,
    RuleEvaluationError,
    Truth,
    all_of,
    any_of,
    at_least,
    compile_rule,
    decision_table,
    evaluate,
    explain,
    grade,
    lit,
    maximum,
    minimum,
    per,
    points,
    ref,
    rule_set,
    score,
    signals,
)
from funnelkit.rules.tree._named import RuleSet
from funnelkit.rules.tree._nodes import Compare
from funnelkit.testing import aware_datetimes, leads
from funnelkit.testing._rules import conditions, scores, values

LEADS = leads(max_history=2)
AS_OF = aware_datetimes()


def _same(a: object, b: object) -> bool:
    """Equal and of the same type; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if a != a:  # NaN
        return b != b
    if isinstance(a, tuple | dict):
        return repr(a) == repr(b)
    return bool(a == b)


def outcome(run: Callable[[], Any]) -> tuple[str, object]:
    """The result of ``run()``, or the type of the exception it raised."""
    try:
        return ("value", run())
    except Exception as error:
        return ("error", type(error))


def agree(left: tuple[str, object], right: tuple[str, object]) -> bool:
    """Two outcomes are the same value (same type) or the same kind of error."""
    return left[0] == right[0] and (
        left[1] is right[1] if left[0] == "error" else _same(left[1], right[1])
    )


def check_compiled(rule, lead, as_of):
    expected = outcome(lambda: evaluate(rule, lead, as_of=as_of))
    compiled = compile_rule(rule)
    assert agree(outcome(lambda: compiled(lead, as_of=as_of)), expected)
    assert agree(outcome(lambda: compiled.at(as_of)(lead)), expected)


def check_explained(rule, lead, as_of):
    expected = outcome(lambda: evaluate(rule, lead, as_of=as_of))
    assert agree(outcome(lambda: explain(rule, lead, as_of=as_of).outcome), expected)


@examples(25)
@given(conditions(), LEADS, AS_OF)
def test_compiled_conditions_agree(rule, lead, as_of):
    """A compiled condition gives exactly the interpreter's Truth (or error)."""
    check_compiled(rule, lead, as_of)


@examples(30)
@given(values(), LEADS, AS_OF)
def test_compiled_values_agree(rule, lead, as_of):
    """A compiled value gives exactly the interpreter's value, type included."""
    check_compiled(rule, lead, as_of)


@examples(20)
@given(scores(max_leaves=6), LEADS, AS_OF)
def test_compiled_scores_agree(rule, lead, as_of):
    """A compiled score gives exactly the interpreter's points, type included."""
    check_compiled(rule, lead, as_of)


@examples(30)
@given(conditions(), LEADS, AS_OF)
def test_explained_conditions_agree(rule, lead, as_of):
    """explain's outcome for a condition is the interpreter's."""
    check_explained(rule, lead, as_of)


@examples(30)
@given(values(), LEADS, AS_OF)
def test_explained_values_agree(rule, lead, as_of):
    """explain's outcome for a value is the interpreter's."""
    check_explained(rule, lead, as_of)


@examples(20)
@given(scores(max_leaves=6), LEADS, AS_OF)
def test_explained_scores_agree(rule, lead, as_of):
    """explain's outcome for a score is the interpreter's."""
    check_explained(rule, lead, as_of)


@examples(25)
@given(conditions(), LEADS, AS_OF)
def test_explanations_are_json(rule, lead, as_of):
    """An explanation converts to JSON and back to its dict form."""
    try:
        why = explain(rule, lead, as_of=as_of)
    except Exception:
        return
    assert json.loads(why.to_json()) == why.to_dict()


@examples(25)
@given(conditions(max_leaves=4), LEADS, AS_OF)
def test_compiled_rule_is_reusable_across_leads_and_instants(rule, lead, as_of):
    """One compiled rule evaluates many leads at many instants like the interpreter."""
    compiled = compile_rule(rule)
    for when in (as_of, datetime(2026, 5, 1, tzinfo=UTC), as_of):
        for one in (lead, Lead()):
            expected = outcome(lambda one=one, when=when: evaluate(rule, one, as_of=when))
            assert agree(outcome(lambda one=one, when=when: compiled(one, as_of=when)), expected)


def _load_reference_policy() -> Any:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "reference_policy.py"
    spec = importlib.util.spec_from_file_location("funnelkit_reference_policy", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFERENCE = _load_reference_policy()
POLICY = REFERENCE.REFERENCE_POLICY
COMPILED_POLICY = compile_rule(POLICY)


@examples(30)
@given(LEADS, AS_OF)
def test_reference_policy_engines_agree(lead, as_of):
    """The reference policy gives the same outputs compiled, interpreted and explained."""
    expected = evaluate(POLICY, lead, as_of=as_of)
    assert COMPILED_POLICY(lead, as_of=as_of) == expected
    assert explain(POLICY, lead, as_of=as_of).outcome == expected


@examples(25)
@given(leads(complete=True, max_history=2), AS_OF)
def test_reference_policy_engines_agree_on_complete_leads(lead, as_of):
    """The engines also agree on leads without gaps."""
    expected = evaluate(POLICY, lead, as_of=as_of)
    assert COMPILED_POLICY(lead, as_of=as_of) == expected


SQO_AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)
SQO = Lead(
    company=Company(
        industry="software",
        employees=400,
        country="US",
        annual_revenue=Money(amount=50_000_000),
        technologies={"salesforce"},
    ),
    contact=Contact(seniority="vp", department="sales"),
    signals=[Signal(kind="demo_request", occurred_at=SQO_AS_OF, explicit=True)],
    bant=BANT(
        budget=Budget(status="approved"),
        authority=Authority(level="decision_maker"),
        need=Need(pain_points=[PainPoint(description="manual reporting")]),
        timeline=Timeline(decision_date=date(2026, 6, 1)),
    ),
)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (Lead(), (0, 0, 0, "inquiry")),
        (SQO, (85, 30, 4, "sales_opportunity")),
    ],
    ids=["empty", "opportunity"],
)
def test_reference_policy_examples(ev, lead, expected):
    """The reference policy stages an empty lead and a complete opportunity as expected."""
    assert REFERENCE.as_tuple(ev(POLICY, lead, as_of=SQO_AS_OF)) == expected


@pytest.mark.parametrize(
    ("rule", "lead", "expected"),
    [
        (F.company.employees == None, Lead(company=Company(employees=3)), Truth.UNKNOWN),  # noqa: E711
        (F.company.employees != None, Lead(company=Company(employees=3)), Truth.UNKNOWN),  # noqa: E711
        (F.company.employees.between(None, 5), Lead(company=Company(employees=3)), Truth.UNKNOWN),
        (F.custom.is_missing(), Lead(), Truth.FALSE),
        (F.custom.is_present(), Lead(custom={"tier": "gold"}), Truth.TRUE),
    ],
    ids=repr,
)
def test_compiled_edge_cases_agree(ev, rule, lead, expected):
    """A None literal is missing and F.custom is a mapping, in every engine."""
    assert ev(rule, lead) is expected


# -- shapes the shared strategies do not reach -------------------------------------------
OUTPUT_NAMES = ("fit", "ready", "tier", "sales ready", 'say "hi"')
LABELS = ("enterprise", "mid", "smb")


def _tables() -> st.SearchStrategy[Any]:
    """Decision tables of every hit policy, with missing, text and numeric outputs."""

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        policy = draw(st.sampled_from(sorted(HIT_POLICIES)))
        numeric = policy in ("collect_sum", "collect_max") or draw(st.booleans())
        outputs = (
            values(max_leaves=2) | st.integers(-5, 50) | st.just(lit(None))
            if numeric
            else st.sampled_from((*LABELS, None)).map(lit)
        )
        rows = draw(st.lists(st.tuples(conditions(max_leaves=2), outputs), min_size=1, max_size=4))
        default = draw(st.none() | outputs)
        return decision_table(rows, hit_policy=policy, default=default)

    return build()


def _referring(name: str) -> st.SearchStrategy[Any]:
    """Rules that use an earlier output, as a value, as a condition, or not at all yet."""
    as_cond = ref(name, condition=True)
    small = conditions(max_leaves=2)
    return st.one_of(
        st.integers(0, 60).map(lambda n: ref(name) >= n),
        st.just(ref(name).isin({*LABELS, True})),
        st.just(ref(name).is_missing()),
        small.map(lambda c: as_cond & c),
        small.map(lambda c: c | ~as_cond),
        st.just(score(points(5, when=as_cond), per(2, ref(name)))),
        st.just(grade(ref(name), {"A": 40, "B": 20}, default="C")),
        st.just(decision_table([(as_cond, 1), (ref(name) == "smb", 2)], default=0)),
        small.map(lambda c: all_of(c, ref("no such output", condition=True))),
    )


@st.composite
def rule_sets_with_refs(draw: st.DrawFn) -> Any:
    """Rule sets (built directly, so names may repeat) whose outputs refer to earlier ones."""
    outputs: list[tuple[str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(OUTPUT_NAMES))
        kinds = [conditions(max_leaves=3), values(max_leaves=3), scores(max_leaves=3), _tables()]
        kinds += [_referring(earlier) for earlier, _ in outputs]
        expr = draw(st.one_of(kinds))
        if draw(st.integers(0, 9)) == 0:  # a nested rule set writes into the same outputs
            expr = RuleSet(outputs=((draw(st.sampled_from(OUTPUT_NAMES)), expr),))
        outputs.append((name, expr))
    if draw(st.integers(0, 9)) == 0:  # a rule set that is not always evaluated
        outputs.append(("late", decision_table([(draw(conditions()), rule_set(x=1))])))
    return RuleSet(outputs=tuple(outputs))


@examples(10)
@given(rule_sets_with_refs(), LEADS, AS_OF)
def test_compiled_rule_sets_agree(tree, lead, as_of):
    """Rule sets with refs, repeated names and nested sets give the interpreter's outputs."""
    check_compiled(tree, lead, as_of)


@examples(15)
@given(_tables(), LEADS, AS_OF)
def test_compiled_tables_agree(tree, lead, as_of):
    """Decision tables of every hit policy give the interpreter's result (or error)."""
    check_compiled(tree, lead, as_of)


def _built(build: Callable[..., Any], *args: Any) -> Any:
    """``build(*args)``, or None when the rule engine refuses to build it."""
    try:
        return build(*args)
    except RuleBuildError:
        return None


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False),
    st.sampled_from((Decimal("1.5"), Decimal("-0.0"), Decimal("NaN"), Decimal("sNaN"))),
    st.sampled_from(("gold", "Gold", "", "g", "x y")),
    st.sampled_from((date(2026, 4, 1), AuthorityLevel.UNKNOWN, AuthorityLevel.NONE)),
)
CUSTOM_LEADS = st.builds(
    lambda tier, segment: Lead(custom={"tier": tier, "segment": segment}),
    SCALARS | st.tuples(SCALARS, SCALARS),
    SCALARS,
)
LITERALS = SCALARS | st.sampled_from(
    (
        Money(amount=5, currency="USD"),
        Money(amount=5, currency="EUR"),
        datetime(2026, 4, 1),
        datetime(2026, 4, 1, tzinfo=UTC),
        frozenset({"gold", 1}),
    )
)


def _custom_tests(value: Any) -> st.SearchStrategy[Any]:
    """Every test of a value whose type is not known until a lead gives it."""
    ops = st.sampled_from(("==", "!=", "<", "<=", ">", ">="))
    text = st.sampled_from(("g", "G", "x", ""))
    return st.one_of(
        st.builds(lambda op, v: _built(Compare.build, op, value, v), ops, LITERALS),
        st.builds(lambda op: _built(Compare.build, op, value, F.custom["segment"]), ops),
        st.frozensets(SCALARS.filter(_plain), max_size=3).map(lambda vs: _built(value.isin, vs)),
        st.builds(lambda a, b: _built(value.between, a, b), LITERALS, LITERALS),
        st.builds(lambda v: _built(value.contains, v), SCALARS.filter(_hashable)),
        st.frozensets(text).map(lambda vs: _built(value.overlaps, vs)),
        st.builds(lambda s: _built(value.startswith, s), text),
        st.builds(lambda s: _built(value.icontains, s), text),
        st.just(_built(value.matches, r"^g")),
        st.just(value.is_missing()),
        st.builds(lambda n: _built(lambda: value.size() >= n), st.integers(0, 2)),
        st.builds(lambda n: _built(lambda: value.age_days() <= n), st.integers(-30, 60)),
        st.builds(lambda v: _built(lambda: value + v >= 1), LITERALS),
        st.builds(lambda v: _built(lambda: value / v >= 1), LITERALS),
        st.builds(lambda v: _built(lambda: minimum(value, v) >= 0), LITERALS),
        st.builds(lambda v: _built(lambda: value.clip(0, 2) == v), LITERALS),
        st.builds(lambda w: _built(lambda: score(per(w, value), value) >= 1), st.integers(1, 3)),
    ).filter(lambda tree: tree is not None)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _plain(value: object) -> bool:
    """Hashable and equal to itself (not NaN), so a set of it behaves."""
    try:
        return _hashable(value) and bool(value == value)
    except ArithmeticError:  # Decimal("sNaN") == itself raises InvalidOperation
        return False


def _around(tests: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``tests`` alone, or after conditions that may decide first (errors then never come)."""
    typed = conditions(max_leaves=2)
    pair = st.tuples(typed, tests)
    return st.one_of(
        tests,
        pair.map(lambda ab: all_of(*ab)),
        pair.map(lambda ab: any_of(*ab)),
        pair.map(lambda ab: at_least(1, *ab)),
        pair.map(lambda ab: decision_table([(ab[0], 1), (ab[1], 2)], default=0)),
        pair.map(lambda ab: rule_set(a=ab[0], b=ab[1])),
    )


@examples(30)
@given(
    _around(_custom_tests(F.custom["tier"])),
    st.builds(lambda lead, other: attrs.evolve(lead, custom=other.custom), LEADS, CUSTOM_LEADS),
    AS_OF,
)
def test_compiled_untyped_values_agree(tree, lead, as_of):
    """On custom attributes of any type, compiled rules give the interpreter's result or
    raise the same error with the same message."""
    expected = outcome(lambda: evaluate(tree, lead, as_of=as_of))
    check_compiled(tree, lead, as_of)
    if expected[0] == "error" and expected[1] is RuleEvaluationError:
        with pytest.raises(RuleEvaluationError) as want:
            evaluate(tree, lead, as_of=as_of)
        with pytest.raises(RuleEvaluationError) as got:
            compile_rule(tree)(lead, as_of=as_of)
        assert str(got.value) == str(want.value)


NUMBER_LEAVES = st.one_of(
    st.sampled_from(
        (
            F.company.annual_revenue.amount,
            F.bant.budget.amount.amount,
            F.bant.budget.evidence.confidence,
            F.company.employees,
            signals(kind="demo_request").sum(),
            signals().decayed(half_life_days=7),
            lit(None),
        )
    ),
    st.sampled_from((Decimal("0.5"), Decimal("3"), 0.1, 2.5, 0, 7)).map(lit),
)


def _mixed_numbers() -> st.SearchStrategy[Any]:
    """Arithmetic mixing Decimal, float, int and missing values."""
    ops = st.sampled_from((operator.add, operator.sub, operator.mul, operator.truediv))
    return st.recursive(
        NUMBER_LEAVES,
        lambda kids: (
            st.builds(lambda op, a, b: op(a, b), ops, kids, kids)
            | st.lists(kids, min_size=1, max_size=3).map(lambda xs: minimum(*xs))
            | st.lists(kids, min_size=1, max_size=3).map(lambda xs: maximum(*xs))
            | kids.map(lambda v: v.clip(0, 10))
        ),
        max_leaves=4,
    )


MONEY_TESTS = st.one_of(
    st.builds(
        lambda op, amount, currency: Compare.build(
            op, F.company.annual_revenue, Money(amount=amount, currency=currency)
        ),
        st.sampled_from(("==", "!=", "<", ">=")),
        st.sampled_from((0, 10_000_000, Decimal("9999999.99"))),
        st.sampled_from(("USD", "EUR")),
    ),
    st.builds(
        lambda a, b: F.company.annual_revenue.between(a, b),
        st.sampled_from((Money(amount=0), Money(amount=0, currency="EUR"))),
        st.sampled_from((Money(amount=10**9), Money(amount=10**9, currency="EUR"))),
    ),
    st.just(F.company.annual_revenue == F.bant.budget.amount),
    st.just(F.company.annual_revenue >= F.bant.budget.amount),
)


@given(
    st.one_of(
        _mixed_numbers(),
        st.builds(lambda v, n: v >= n, _mixed_numbers(), st.integers(0, 5)),
        st.builds(
            lambda w, v: score(per(w, v)),
            st.sampled_from((2, Decimal("0.5"), 0.1)),
            _mixed_numbers(),
        ),
        MONEY_TESTS,
        st.sampled_from(
            (
                F.company.employees == None,  # noqa: E711
                F.company.employees.isin({None, 50}),
                F.company.country.isin({None, "US"}),
                F.company.employees.between(None, 5000),
                F.company.employees + None >= 1,
                F.company.employees.between(F.company.founded_year, 5000),
            )
        ),
    ),
    leads(max_history=1),
    AS_OF,
)
def test_compiled_numbers_money_and_none_literals_agree(tree, lead, as_of):
    """Decimal/float mixes, money in two currencies and None literals agree exactly."""
    check_compiled(tree, lead, as_of)


@pytest.mark.parametrize(
    ("tree", "lead"),
    [
        (F.custom["tier"] < 3, Lead(custom={"tier": "gold"})),
        (F.custom["tier"].startswith("g"), Lead(custom={"tier": 3})),
        (F.custom["tier"].matches("g"), Lead(custom={"tier": 3})),
        (F.custom["tier"] >= Money(amount=1), Lead(custom={"tier": 3})),
        (F.custom["tier"].age_days() >= 1, Lead(custom={"tier": "gold"})),
        (score(F.custom["tier"]), Lead(custom={"tier": "gold"})),
        (per(2, F.custom["tier"]), Lead(custom={"tier": "gold"})),
        (
            decision_table([(TRUE, 1), (F.custom["tier"].is_missing(), 2)], hit_policy="unique"),
            Lead(),
        ),
    ],
    ids=repr,
)
def test_compiled_errors_are_the_interpreters(tree, lead):
    """Where the interpreter raises RuleEvaluationError, the compiled rule raises it too,
    with the same message."""
    with pytest.raises(RuleEvaluationError) as want:
        evaluate(tree, lead, as_of=SQO_AS_OF)
    with pytest.raises(RuleEvaluationError) as got:
        compile_rule(tree)(lead, as_of=SQO_AS_OF)
    assert str(got.value) == str(want.value)
