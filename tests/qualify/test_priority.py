"""A policy's priority: fit and engagement combined into one graded score."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.io import qualification_row, qualifications_frame
from funnelkit.model import Company, Lead
from funnelkit.qualify import (
    PRIORITY_BANDS,
    STARTER,
    PolicyError,
    qualify,
    weighted_priority,
)
from funnelkit.qualify._result import shown
from funnelkit.rules import F, RuleBuildError, ref, signals
from funnelkit.testing import leads

from .conftest import AS_OF, demo_request, fitting_lead

WEIGHTED = attrs.evolve(STARTER, priority=weighted_priority(fit="0.6", engagement="0.4"))


def weighted(fit: Decimal | int, engagement: Decimal | int) -> Decimal:
    """0.6 * fit + 0.4 * engagement, each product rounded to 4 places as points are."""
    places = Decimal("0.0001")
    return sum(
        (
            (w * s).quantize(places, rounding=ROUND_HALF_EVEN)
            for w, s in ((Decimal("0.6"), fit), (Decimal("0.4"), engagement))
        ),
        Decimal(0),
    )


def test_a_policy_has_no_priority_by_default():
    """Without a priority rule the result and its row carry none."""
    q = qualify(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF)
    assert q.priority is None
    assert q.priority_grade is None
    assert "priority" not in qualification_row(q)
    assert "priority" not in str(q)
    assert "priority" not in STARTER.rules.names


def test_weighted_priority_is_the_weighted_sum_of_the_two_scores():
    """priority = 0.6 * fit + 0.4 * engagement, exactly."""
    q = qualify(fitting_lead(signals=[demo_request()]), WEIGHTED, as_of=AS_OF)
    assert q.priority == weighted(q.fit, q.engagement)
    assert q.fit != q.engagement  # the weights are told apart


@pytest.mark.parametrize(
    ("fit", "engagement", "grade"),
    [(100, 100, "hot"), (70, 70, "hot"), (69, 70, "warm"), (40, 40, "warm"), (39, 40, "cold")],
)
def test_priority_bands_grade_the_priority(fit, engagement, grade):
    """hot from 70, warm from 40, cold below (equal weights: the mean of the two scores)."""
    policy = attrs.evolve(STARTER, fit=fit, engagement=engagement, priority=weighted_priority())
    q = qualify(Lead(), policy, as_of=AS_OF)
    assert (q.priority, q.priority_grade) == (Decimal(fit + engagement) / 2, grade)


def test_bands_and_default_grade_are_the_policys():
    """Custom bands and a custom lowest grade apply."""
    policy = attrs.evolve(
        STARTER,
        fit=30,
        engagement=0,
        priority=weighted_priority(fit=1, engagement=1),
        priority_grades={"P1": 60, "P2": 35},
        priority_default_grade="P3",
    )
    assert qualify(Lead(), policy, as_of=AS_OF).priority_grade == "P3"
    assert qualify(Lead(), attrs.evolve(policy, fit=35), as_of=AS_OF).priority_grade == "P2"
    assert qualify(Lead(), attrs.evolve(policy, fit=60), as_of=AS_OF).priority_grade == "P1"


def test_any_number_rule_can_be_the_priority():
    """A priority may read the lead as well as ref the scores (fit, plus 20 for a demo request)."""
    asked = signals(kind="demo_request").count(limit=1) * 20
    policy = attrs.evolve(STARTER, priority=ref("fit") + asked)
    q = qualify(fitting_lead(signals=[demo_request()]), policy, as_of=AS_OF)
    assert q.priority == q.fit + 20


def test_a_condition_is_not_a_priority():
    """The priority must be a number rule."""
    with pytest.raises(PolicyError, match="priority must be a number rule"):
        attrs.evolve(STARTER, priority=F.company.employees > 50)


@pytest.mark.parametrize("weight", [0.6, True, None, [1]])
def test_weights_are_exact_numbers(weight):
    """Floats (inexact), booleans and other values are refused as weights."""
    with pytest.raises(RuleBuildError, match="a priority weight must be"):
        weighted_priority(fit=weight)  # type: ignore[arg-type]


def test_priority_is_reserved_for_the_policy():
    """A definition cannot be called priority or priority_grade."""
    for name in ("priority", "priority_grade"):
        with pytest.raises(PolicyError, match="is taken"):
            attrs.evolve(STARTER, definitions={name: F.company.employees > 5})


def test_the_priority_shows_in_text_html_dict_row_and_frame():
    """Every view of a result carries the priority and its grade."""
    q = qualify(fitting_lead(signals=[demo_request()]), WEIGHTED, as_of=AS_OF)
    assert f"priority {shown(q.priority)} ({q.priority_grade})" in str(q)
    assert f"priority {shown(q.priority)}" in q._repr_html_()
    assert q.to_dict()["priority_grade"] == q.priority_grade
    row = qualification_row(q)
    assert (row["priority"], row["priority_grade"]) == (q.priority, q.priority_grade)
    frame = qualifications_frame([q, qualify(Lead(), WEIGHTED, as_of=AS_OF)])
    assert frame["priority"].to_list() == [Decimal(q.priority).quantize(Decimal("0.0001")), 0]
    assert str(frame.schema["priority"]) == "Decimal(precision=38, scale=4)"


def test_a_missing_fact_that_moves_fit_also_moves_the_priority():
    """Next facts name the priority among the scores a fact could change."""
    q = qualify(Lead(company=Company(name="Acme")), WEIGHTED, as_of=AS_OF)
    employees = next(f for f in q.next_facts if f.path == "company.employees")
    assert employees.scores == ("fit", "priority")
    assert "could change the fit and priority scores" in employees.reason


@examples(25)
@given(leads())
def test_explaining_or_not_gives_the_same_priority(lead):
    """The compiled and explaining paths agree on the priority and its grade."""
    a = qualify(lead, WEIGHTED, as_of=AS_OF)
    b = qualify(lead, WEIGHTED, as_of=AS_OF, explain=False)
    assert (a.priority, a.priority_grade) == (b.priority, b.priority_grade)
    assert a.priority == weighted(a.fit, a.engagement)
    assert a.priority_grade in {label for label, _ in PRIORITY_BANDS} | {"cold"}


@given(st.integers(0, 100), st.integers(0, 100))
def test_equal_weights_give_the_mean(fit, engagement):
    """weighted_priority() with its default weights is the mean of fit and engagement."""
    policy = attrs.evolve(STARTER, fit=fit, engagement=engagement, priority=weighted_priority())
    assert qualify(Lead(), policy, as_of=AS_OF, explain=False).priority == (
        Decimal(fit + engagement) / 2
    )


@pytest.mark.parametrize("what", ["fit", "engagement", "priority"])
def test_a_text_or_date_is_not_a_score(what):
    """fit, engagement and priority refuse rules whose value is text or a date."""
    for rule in (F.company.name, F.created_at):
        with pytest.raises(PolicyError, match=f"{what} must be a number rule .* whose value is"):
            attrs.evolve(STARTER, **{what: rule})
