"""Every engine agrees with the reference interpreter: compiled, explained, reference policy."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

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
from funnelkit.rules import F, Truth, compile_rule, evaluate, explain
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


@given(conditions(), LEADS, AS_OF)
def test_compiled_conditions_agree(rule, lead, as_of):
    """A compiled condition gives exactly the interpreter's Truth (or error)."""
    check_compiled(rule, lead, as_of)


@given(values(), LEADS, AS_OF)
def test_compiled_values_agree(rule, lead, as_of):
    """A compiled value gives exactly the interpreter's value, type included."""
    check_compiled(rule, lead, as_of)


@given(scores(max_leaves=6), LEADS, AS_OF)
def test_compiled_scores_agree(rule, lead, as_of):
    """A compiled score gives exactly the interpreter's points, type included."""
    check_compiled(rule, lead, as_of)


@given(conditions(), LEADS, AS_OF)
def test_explained_conditions_agree(rule, lead, as_of):
    """explain's outcome for a condition is the interpreter's."""
    check_explained(rule, lead, as_of)


@given(values(), LEADS, AS_OF)
def test_explained_values_agree(rule, lead, as_of):
    """explain's outcome for a value is the interpreter's."""
    check_explained(rule, lead, as_of)


@given(scores(max_leaves=6), LEADS, AS_OF)
def test_explained_scores_agree(rule, lead, as_of):
    """explain's outcome for a score is the interpreter's."""
    check_explained(rule, lead, as_of)


@given(conditions(), LEADS, AS_OF)
def test_explanations_are_json(rule, lead, as_of):
    """An explanation converts to JSON and back to its dict form."""
    try:
        why = explain(rule, lead, as_of=as_of)
    except Exception:
        return
    assert json.loads(why.to_json()) == why.to_dict()


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


@given(LEADS, AS_OF)
def test_reference_policy_engines_agree(lead, as_of):
    """The reference policy gives the same outputs compiled, interpreted and explained."""
    expected = evaluate(POLICY, lead, as_of=as_of)
    assert COMPILED_POLICY(lead, as_of=as_of) == expected
    assert explain(POLICY, lead, as_of=as_of).outcome == expected


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
