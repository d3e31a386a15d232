"""The UNKNOWN constant: Kleene tables, flattening, negation, explanations, text form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from funnelkit.model import Company, Lead
from funnelkit.rules import (
    FALSE,
    TRUE,
    UNKNOWN,
    F,
    Truth,
    all_of,
    any_of,
    at_least,
    explain,
    none_of,
    not_,
    parse_condition,
    parse_rule,
    points,
    score,
)
from funnelkit.rules.tree._nodes import AtLeast, Const

T, FA, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LEAD = Lead(company=Company(employees=100))
# a leaf giving each value on LEAD (employees known, country missing)
LEAVES = {
    T: F.company.employees >= 50,
    FA: F.company.employees < 50,
    U: F.company.country == "US",
}
A, B = F.company.employees >= 50, F.company.country == "US"


def test_unknown_is_a_constant_holding_none():
    """UNKNOWN is a Const whose value is None, next to TRUE and FALSE."""
    assert isinstance(UNKNOWN, Const)
    assert UNKNOWN.value is None
    assert UNKNOWN.is_condition


def test_unknown_evaluates_to_unknown(ev):
    """UNKNOWN alone evaluates to Truth.UNKNOWN in every engine."""
    assert ev(UNKNOWN, LEAD) is U


@pytest.mark.parametrize(
    ("a", "expected"), [(T, U), (FA, FA), (U, U)], ids=["TRUE", "FALSE", "UNKNOWN"]
)
def test_and_unknown_is_false_only_when_the_other_side_is(ev, a, expected):
    """x & UNKNOWN and UNKNOWN & x are FALSE if x is FALSE, else UNKNOWN."""
    assert ev(LEAVES[a] & UNKNOWN, LEAD) is expected
    assert ev(UNKNOWN & LEAVES[a], LEAD) is expected


@pytest.mark.parametrize(
    ("a", "expected"), [(T, T), (FA, U), (U, U)], ids=["TRUE", "FALSE", "UNKNOWN"]
)
def test_or_unknown_is_true_only_when_the_other_side_is(ev, a, expected):
    """x | UNKNOWN and UNKNOWN | x are TRUE if x is TRUE, else UNKNOWN."""
    assert ev(LEAVES[a] | UNKNOWN, LEAD) is expected
    assert ev(UNKNOWN | LEAVES[a], LEAD) is expected


@pytest.mark.parametrize(
    ("n", "expected"), [(1, T), (2, U), (3, FA)], ids=["1 of 3", "2 of 3", "3 of 3"]
)
def test_at_least_counts_unknown_as_maybe(ev, n, expected):
    """at_least with TRUE, FALSE and UNKNOWN items counts UNKNOWN as could-be-TRUE."""
    tree = at_least(n, LEAVES[T], LEAVES[FA], UNKNOWN)
    assert isinstance(tree, AtLeast)
    assert ev(tree, LEAD) is expected


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (TRUE & UNKNOWN, UNKNOWN),
        (UNKNOWN & TRUE, UNKNOWN),
        (FALSE & UNKNOWN, FALSE),
        (UNKNOWN & FALSE, FALSE),
        (TRUE | UNKNOWN, TRUE),
        (UNKNOWN | TRUE, TRUE),
        (FALSE | UNKNOWN, UNKNOWN),
        (UNKNOWN | FALSE, UNKNOWN),
        (UNKNOWN & UNKNOWN, UNKNOWN),
        (UNKNOWN | UNKNOWN, UNKNOWN),
        (all_of(A, UNKNOWN, FALSE), FALSE),
        (any_of(A, UNKNOWN, TRUE), TRUE),
        (not_(UNKNOWN), UNKNOWN),
        (~UNKNOWN, UNKNOWN),
        (none_of(UNKNOWN), UNKNOWN),
        (all_of(UNKNOWN), UNKNOWN),
    ],
    ids=repr,
)
def test_constants_with_unknown_simplify_to_a_constant(built, expected):
    """Among constants, UNKNOWN follows Kleene's tables at build time."""
    assert built is expected


@pytest.mark.parametrize(
    ("built", "items"),
    [
        (A & UNKNOWN, (A, UNKNOWN)),
        (UNKNOWN & A, (UNKNOWN, A)),
        (A | UNKNOWN, (A, UNKNOWN)),
        (all_of(A, UNKNOWN, B, UNKNOWN), (A, UNKNOWN, B)),
        ((A & UNKNOWN) & (B & UNKNOWN), (A, UNKNOWN, B)),
        (all_of(A, TRUE, UNKNOWN), (A, UNKNOWN)),
        (any_of(UNKNOWN, FALSE, B), (UNKNOWN, B)),
    ],
    ids=repr,
)
def test_unknown_stays_an_item_once(built, items):
    """UNKNOWN is neither identity nor absorbing: it stays, once, where it first appears."""
    assert len(built.items) == len(items)
    assert all(got.meta.eq(want) for got, want in zip(built.items, items, strict=True))


def test_unknown_repr_and_text():
    """The repr is UNKNOWN, the text form the keyword unknown."""
    assert repr(A & UNKNOWN) == "all_of(F.company.employees >= 50, UNKNOWN)"
    assert str(UNKNOWN | A) == "unknown or company.employees >= 50"


@pytest.mark.parametrize("text", ["unknown", "UNKNOWN", "Unknown"])
def test_the_unknown_keyword_parses_to_the_constant(text):
    """The keyword unknown (any case) reads as the UNKNOWN constant itself."""
    assert parse_condition(text) is UNKNOWN


def test_unknown_round_trips_through_text():
    """A tree holding UNKNOWN prints and parses back to an equal tree."""
    tree = at_least(1, A, UNKNOWN) | (B & ~UNKNOWN)
    assert parse_rule(str(tree)).meta.eq(tree)


def test_unknown_combines_with_conditions_in_text():
    """`unknown or x` reads as UNKNOWN | x."""
    assert parse_rule("unknown or company.employees > 5").meta.eq(
        UNKNOWN | (F.company.employees > 5)
    )


def test_explain_lists_no_facts_for_unknown():
    """Nothing can be found out about a constant: UNKNOWN lists no facts."""
    why = explain(UNKNOWN, LEAD, as_of=AS_OF)
    assert why.outcome is U
    assert why.unknown_facts == ()


def test_explain_lists_the_other_sides_facts():
    """x & UNKNOWN lists the facts of x only."""
    why = explain(LEAVES[U] & UNKNOWN, LEAD, as_of=AS_OF)
    assert why.outcome is U
    assert why.unknown_facts == ("company.country",)


def test_explain_of_a_settled_and_lists_no_facts():
    """FALSE & UNKNOWN is settled FALSE: no fact could change it."""
    why = explain(LEAVES[FA] & UNKNOWN & LEAVES[U], LEAD, as_of=AS_OF)
    assert why.outcome is FA
    assert why.unknown_facts == ()


def test_points_when_unknown_give_zero(ev):
    """Points under an UNKNOWN condition count zero, as for any UNKNOWN."""
    assert ev(score(points(10, when=UNKNOWN), points(5, when=A)), LEAD) == 5
