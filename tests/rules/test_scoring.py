"""Scoring: points, per, scores with floors and caps, nested groups, grades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from funnelkit.model import Company, Lead, Signal
from funnelkit.rules import (
    FALSE,
    TRUE,
    F,
    RuleEvaluationError,
    evaluate,
    explain,
    grade,
    per,
    points,
    score,
    signals,
)

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
BIG = Lead(company=Company(employees=120, country="US"))
EMPTY = Lead()


def views(n: int) -> Lead:
    """A lead with ``n`` pricing-page views yesterday."""
    at = AS_OF - timedelta(days=1)
    return Lead(signals=[Signal(kind="pricing_page_view", occurred_at=at)] * n)


def test_points_when_true(ev):
    """points gives its points when the condition is TRUE."""
    assert ev(points(15, when=F.company.employees >= 50), BIG) == 15


def test_points_when_false(ev):
    """points gives 0 when the condition is FALSE."""
    assert ev(points(15, when=F.company.employees >= 500), BIG) == 0


def test_points_when_unknown_gives_zero(ev):
    """points gives 0 when the condition is UNKNOWN."""
    assert ev(points(15, when=F.company.employees >= 50), EMPTY) == 0


def test_unknown_points_are_reported(as_of):
    """A score counts UNKNOWN as 0 points and explain names the fact to find out."""
    why = explain(score(points(15, when=F.company.employees >= 50)), EMPTY, as_of=as_of)
    assert (why.outcome, why.unknown_facts) == (0, ("company.employees",))


def test_negative_points(ev):
    """points may be negative."""
    assert ev(score(points(20, when=TRUE), points(-30, when=TRUE)), EMPTY) == -10


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 10), (3, 30), (7, 30)])
def test_per_multiplies_a_count(ev, n, expected):
    """per gives its weight for each unit of a number (here a capped count)."""
    assert ev(per(10, signals(kind="pricing_page_view").count(limit=3)), views(n)) == expected


def test_per_of_a_missing_value_gives_zero(ev):
    """per of a missing value gives 0."""
    assert ev(per(10, F.company.employees), EMPTY) == 0


def test_per_rounds_a_float_to_score_places(ev):
    """per turns a float into a Decimal rounded to SCORE_PLACES (4) places."""
    lead = Lead(company=Company(employees=10))
    assert ev(per(1, F.company.employees / 3), lead) == Decimal("3.3333")


def test_per_rounds_the_product_to_score_places(ev):
    """per rounds the exact product of weight and value once: 0.5 * 10/3 is 1.6667."""
    lead = Lead(company=Company(employees=10))
    assert ev(per(Decimal("0.5"), F.company.employees / 3), lead) == Decimal("1.6667")


def test_per_over_a_decayed_sum_rounds_only_the_product(ev):
    """10 points per a decay weight of 0.850667 (7 days, half-life 30) give 8.5067, not 8.5070."""
    agg = signals(kind="pricing_page_view").decayed(half_life_days=30)
    seen = AS_OF - timedelta(days=7)
    lead = Lead(signals=[Signal(kind="pricing_page_view", occurred_at=seen)])
    assert ev(per(10, agg), lead) == Decimal("8.5067")


def test_integer_points_stay_integers(ev):
    """A score of whole points is an int."""
    count = signals(kind="pricing_page_view").count()
    result = ev(score(points(20, when=TRUE), per(3, count)), views(2))
    assert (result, type(result)) == (26, int)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.5, Decimal("2.5")), ("0.25", Decimal("0.25")), (Decimal("1.10"), Decimal("1.10"))],
)
def test_fractional_points_are_decimals(ev, value, expected):
    """Fractional points are exact Decimals, so totals never drift."""
    result = ev(score(points(value, when=TRUE), points(value, when=TRUE)), EMPTY)
    assert result == 2 * expected
    assert isinstance(result, Decimal)


def test_points_given_as_a_whole_float_are_ints(ev):
    """A whole number given as a float or string becomes an int."""
    assert type(ev(points(2.0, when=TRUE), EMPTY)) is int


@pytest.mark.parametrize(
    ("total", "expected"),
    [(-40, 10), (0, 10), (5, 10), (10, 10), (35, 35), (60, 60), (61, 60), (500, 60)],
)
def test_floor_then_cap(ev, total, expected):
    """A score adds its items, then applies its floor, then its cap."""
    rule = score(points(total, when=TRUE), floor=10, cap=60)
    assert ev(rule, EMPTY) == expected


def test_floor_alone(ev):
    """A floor raises a low total."""
    assert ev(score(points(-50, when=TRUE), floor=0), EMPTY) == 0


def test_cap_alone(ev):
    """A cap lowers a high total."""
    assert ev(score(points(80, when=TRUE), cap=60), EMPTY) == 60


def test_nested_groups_cap_before_the_outer_sum(ev):
    """A nested score is capped on its own before the outer score adds it."""
    group = score(points(30, when=TRUE), points(30, when=TRUE), cap=40)
    assert ev(score(group, points(10, when=TRUE)), EMPTY) == 50


def test_outer_cap_applies_after_nested_groups(ev):
    """The outer cap applies to the sum of capped groups."""
    group = score(points(30, when=TRUE), cap=25)
    assert ev(score(group, group, cap=45), EMPTY) == 45


def test_nested_floor(ev):
    """A nested floor lifts its group before the outer sum."""
    group = score(points(-30, when=TRUE), floor=-5)
    assert ev(score(group, points(10, when=TRUE)), EMPTY) == 5


def test_false_points_give_nothing(ev):
    """points(when=FALSE) never gives points."""
    assert ev(score(points(99, when=FALSE)), EMPTY) == 0


BANDS = {"A": 80, "B": 60, "C": 40}


@pytest.mark.parametrize(
    ("total", "expected"),
    [(100, "A"), (80, "A"), (79, "B"), (60, "B"), (59, "C"), (40, "C"), (39, "D"), (-5, "D")],
)
def test_grade_bands(ev, total, expected):
    """grade gives the first band (highest first) whose threshold the score reaches."""
    assert ev(grade(score(points(total, when=TRUE)), BANDS, default="D"), EMPTY) == expected


def test_grade_bands_in_any_order(ev):
    """Bands are sorted by threshold, whatever order they are given in."""
    rule = grade(score(points(65, when=TRUE)), {"C": 40, "A": 80, "B": 60}, default="D")
    assert ev(rule, EMPTY) == "B"


def test_grade_of_a_missing_value_is_missing(ev):
    """The grade of a missing number is missing."""
    assert ev(grade(F.company.employees, BANDS, default="D"), EMPTY) is None


def test_per_of_a_huge_float_is_exact(ev):
    """A float too large to round to SCORE_PLACES (no fraction left) counts exactly."""
    lead = Lead(signals=[Signal(kind="x", occurred_at=AS_OF, value=1e24)])
    assert ev(per(1, signals(kind="x").sum()), lead) == Decimal("1e24")


def test_points_from_an_infinite_number_are_an_error(as_of):
    """A sum that overflows to infinity cannot be points: RuleEvaluationError."""
    lead = Lead(signals=[Signal(kind="x", occurred_at=AS_OF, value=1.7e308)] * 2)
    with pytest.raises(RuleEvaluationError, match="points need a finite number, got inf"):
        evaluate(score(per(1, signals(kind="x").sum())), lead, as_of=as_of)
