"""Kleene truth tables for &, | and ~, on Truth values and on rule trees."""

from __future__ import annotations

import itertools

import pytest

from funnelkit.model import Company, Lead
from funnelkit.rules import F, Truth, all_of, any_of, at_least, none_of, not_

T, FA, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
AND = {
    (T, T): T,
    (T, FA): FA,
    (T, U): U,
    (FA, T): FA,
    (FA, FA): FA,
    (FA, U): FA,
    (U, T): U,
    (U, FA): FA,
    (U, U): U,
}
OR = {
    (T, T): T,
    (T, FA): T,
    (T, U): T,
    (FA, T): T,
    (FA, FA): FA,
    (FA, U): U,
    (U, T): T,
    (U, FA): U,
    (U, U): U,
}
NOT = {T: FA, FA: T, U: U}
LEAD = Lead(company=Company(employees=100))
# two different leaf conditions giving each value on LEAD (employees known, country missing)
LEAVES = {
    T: (F.company.employees >= 50, F.company.employees <= 500),
    FA: (F.company.employees < 50, F.company.employees > 500),
    U: (F.company.country == "US", F.company.industry == "software"),
}
PAIRS = list(itertools.product((T, FA, U), repeat=2))


def ids(pair: tuple[Truth, Truth]) -> str:
    return "-".join(t.name for t in pair)


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[ids(p) for p in PAIRS])
def test_truth_and(a, b):
    """Truth & Truth follows Kleene's table."""
    assert (a & b) is AND[a, b]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[ids(p) for p in PAIRS])
def test_truth_or(a, b):
    """Truth | Truth follows Kleene's table."""
    assert (a | b) is OR[a, b]


@pytest.mark.parametrize("a", [T, FA, U], ids=lambda t: t.name)
def test_truth_not(a):
    """~Truth follows Kleene's table; ~UNKNOWN is UNKNOWN."""
    assert (~a) is NOT[a]


@pytest.mark.parametrize(
    ("truth", "leaf"), [(t, leaf) for t, pair in LEAVES.items() for leaf in pair], ids=repr
)
def test_leaves_give_their_truth(ev, truth, leaf):
    """The leaves used below give the value they are filed under."""
    assert ev(leaf, LEAD) is truth


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[ids(p) for p in PAIRS])
def test_rule_and(ev, a, b):
    """A rule a & b evaluates by Kleene's table."""
    assert ev(LEAVES[a][0] & LEAVES[b][1], LEAD) is AND[a, b]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[ids(p) for p in PAIRS])
def test_rule_or(ev, a, b):
    """A rule a | b evaluates by Kleene's table."""
    assert ev(LEAVES[a][0] | LEAVES[b][1], LEAD) is OR[a, b]


@pytest.mark.parametrize("a", [T, FA, U], ids=lambda t: t.name)
def test_rule_not(ev, a):
    """A rule ~a evaluates by Kleene's table."""
    assert ev(~LEAVES[a][0], LEAD) is NOT[a]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[ids(p) for p in PAIRS])
def test_method_twins_agree_with_operators(ev, a, b):
    """and_, or_ and not_ build what &, | and ~ build."""
    left, right = LEAVES[a][0], LEAVES[b][1]
    assert ev(left.and_(right), LEAD) is AND[a, b]
    assert ev(left.or_(right), LEAD) is OR[a, b]
    assert ev(left.not_(), LEAD) is NOT[a]


TRIPLES = list(itertools.product((T, FA, U), repeat=3))


@pytest.mark.parametrize("abc", TRIPLES, ids=lambda abc: "-".join(t.name for t in abc))
def test_all_of_and_any_of_of_three(ev, abc):
    """all_of and any_of of three items fold & and | over them."""
    items = [LEAVES[t][i % 2] for i, t in enumerate(abc)]
    a, b, c = abc
    assert ev(all_of(*items), LEAD) is AND[AND[a, b], c]
    assert ev(any_of(*items), LEAD) is OR[OR[a, b], c]
    assert ev(none_of(*items), LEAD) is NOT[OR[OR[a, b], c]]


@pytest.mark.parametrize(
    ("n", "truths", "expected"),
    [
        (2, (T, T, FA), T),
        (2, (T, U, FA), U),
        (2, (T, FA, FA), FA),
        (2, (U, U, FA), U),
        (1, (FA, FA, U), U),
        (3, (T, T, U), U),
        (3, (T, T, T), T),
        (1, (T, U, U), T),
    ],
)
def test_at_least(ev, n, truths, expected):
    """at_least(n) is TRUE with n TRUEs, FALSE when even the UNKNOWNs cannot get there."""
    items = [LEAVES[t][i % 2] for i, t in enumerate(truths)]
    assert ev(at_least(n, *items), LEAD) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(True, T), (False, FA), (None, U)], ids=["True", "False", "None"]
)
def test_truth_of(value, expected):
    """Truth.of maps True/False/None to TRUE/FALSE/UNKNOWN."""
    assert Truth.of(value) is expected


@pytest.mark.parametrize("truth", [T, FA, U], ids=lambda t: t.name)
def test_as_optional_round_trips(truth):
    """as_optional is the inverse of Truth.of."""
    assert Truth.of(truth.as_optional()) is truth


@pytest.mark.parametrize("truth", [T, FA, U], ids=lambda t: t.name)
def test_bool_of_a_truth_raises(truth):
    """bool(truth) raises so UNKNOWN is never collapsed silently."""
    with pytest.raises(TypeError, match=r"use \.is_true, \.is_false or \.is_unknown"):
        bool(truth)


def test_not_of_not_is_the_same_tree():
    """not_(not_(x)) is x itself."""
    leaf = LEAVES[U][0]
    assert not_(not_(leaf)) is leaf
