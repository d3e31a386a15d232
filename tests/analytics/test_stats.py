"""Wilson intervals, the AUC, ROC and lift curves."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelkit.analytics import auc, lift_curve, roc_curve, wilson_interval

outcome_lists = st.lists(st.booleans(), min_size=2, max_size=60).filter(
    lambda o: any(o) and not all(o)
)


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_rate_inside_0_and_1(counts: tuple[int, int]) -> None:
    """The interval contains the observed rate and stays within [0, 1]."""
    successes, total = counts
    interval = wilson_interval(successes, total)
    if total == 0:
        assert interval is None
        return
    assert interval is not None
    low, high = interval
    assert 0 <= low <= successes / total <= high <= 1


def test_wilson_interval_matches_a_known_value() -> None:
    """8 of 10 gives the textbook 95% interval (0.490, 0.943)."""
    low, high = wilson_interval(8, 10)  # type: ignore[misc]
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)


@pytest.mark.parametrize(("successes", "total"), [(-1, 3), (4, 3), (0, -1)])
def test_wilson_interval_refuses_impossible_counts(successes: int, total: int) -> None:
    """Negative counts or more successes than trials are refused with both numbers."""
    with pytest.raises(ValueError, match=rf"got {successes} of {total}"):
        wilson_interval(successes, total)


@given(outcome_lists)
def test_auc_of_a_perfect_score_is_1(outcomes: list[bool]) -> None:
    """A score that is 1 for converted leads and 0 for the others has AUC 1."""
    assert auc([float(o) for o in outcomes], outcomes) == 1.0


@given(outcome_lists, st.floats(-100, 100))
def test_auc_of_a_constant_score_is_one_half(outcomes: list[bool], value: float) -> None:
    """A score that ranks nobody above anybody has AUC 0.5."""
    assert auc([value] * len(outcomes), outcomes) == 0.5


@given(
    outcome_lists.flatmap(
        lambda o: st.tuples(
            st.just(o), st.lists(st.integers(0, 5), min_size=len(o), max_size=len(o))
        )
    )
)
def test_auc_of_the_reversed_score_is_its_complement(pair: tuple[list[bool], list[int]]) -> None:
    """Negating a score turns its AUC into 1 - AUC (ties count one half both ways)."""
    outcomes, scores = pair
    forward = auc(scores, outcomes)
    backward = auc([-s for s in scores], outcomes)
    assert forward is not None
    assert backward is not None
    assert forward + backward == pytest.approx(1.0)


def test_auc_is_none_without_both_outcomes() -> None:
    """With every lead converted (or none), there is nothing to rank."""
    assert auc([1, 2], [True, True]) is None
    assert auc([1, 2], [False, False]) is None


def test_auc_refuses_sequences_of_different_lengths() -> None:
    """One outcome per score, or an error with both lengths."""
    with pytest.raises(ValueError, match="got 2 scores and 1 outcomes"):
        auc([1, 2], [True])


@given(
    outcome_lists.flatmap(
        lambda o: st.tuples(
            st.just(o), st.lists(st.integers(0, 5), min_size=len(o), max_size=len(o))
        )
    )
)
def test_roc_curve_runs_from_0_0_to_1_1_and_its_area_is_the_auc(
    pair: tuple[list[bool], list[int]],
) -> None:
    """The ROC curve's trapezoid area equals the AUC."""
    outcomes, scores = pair
    points = roc_curve(scores, outcomes)
    assert points[0] == (0.0, 0.0)
    assert points[-1] == (1.0, 1.0)
    area = sum((x2 - x1) * (y1 + y2) / 2 for (x1, y1), (x2, y2) in itertools.pairwise(points))
    assert area == pytest.approx(auc(scores, outcomes))


@given(
    outcome_lists.flatmap(
        lambda o: st.tuples(
            st.just(o), st.lists(st.integers(0, 5), min_size=len(o), max_size=len(o))
        )
    )
)
def test_lift_curve_ends_at_1(pair: tuple[list[bool], list[int]]) -> None:
    """Taking every lead, the rate is the base rate: lift 1."""
    outcomes, scores = pair
    assert lift_curve(scores, outcomes)[-1] == pytest.approx((1.0, 1.0))


def test_curves_are_empty_without_both_outcomes() -> None:
    """No ROC curve without both outcomes, no lift curve without a conversion."""
    assert roc_curve([1, 2], [True, True]) == ()
    assert lift_curve([1, 2], [False, False]) == ()
