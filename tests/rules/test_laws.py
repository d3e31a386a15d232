"""Laws of three-valued logic on random rule trees and random leads with missing fields."""

from __future__ import annotations

from datetime import datetime

from hypothesis import assume, given
from tests._profiles import examples

from funnelkit.model import Lead
from funnelkit.rules import Expr, RuleEvaluationError, Truth, at_least, evaluate, none_of
from funnelkit.rules.tree._nodes import All, Any, Not
from funnelkit.testing import aware_datetimes, leads
from funnelkit.testing._rules import conditions

TREES = conditions(max_leaves=6)
AS_OF = aware_datetimes()


def truth(rule: Expr, lead: Lead, as_of: datetime) -> Truth:
    """Evaluate, rejecting the example if the rule cannot be evaluated for this lead."""
    try:
        result = evaluate(rule, lead, as_of=as_of)
    except (RuleEvaluationError, ArithmeticError):  # two 'unique' rows match, NaN...
        assume(False)
        raise
    assert isinstance(result, Truth)
    return result


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_and_is_kleene_and(a, b, lead, as_of):
    """a & b evaluates to the Kleene AND of a and b."""
    ta, tb = truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(a & b, lead, as_of) is (ta & tb)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_or_is_kleene_or(a, b, lead, as_of):
    """a | b evaluates to the Kleene OR of a and b."""
    ta, tb = truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(a | b, lead, as_of) is (ta | tb)


@examples(15)
@given(TREES, leads(), AS_OF)
def test_not_is_kleene_not(a, lead, as_of):
    """~a evaluates to the Kleene NOT of a."""
    assert truth(~a, lead, as_of) is ~truth(a, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_de_morgan_and(a, b, lead, as_of):
    """~(a & b) and ~a | ~b evaluate alike."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(~(a & b), lead, as_of) is truth(~a | ~b, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_de_morgan_or(a, b, lead, as_of):
    """~(a | b) and ~a & ~b evaluate alike."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(~(a | b), lead, as_of) is truth(~a & ~b, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_none_of_is_not_any(a, b, lead, as_of):
    """none_of(a, b) evaluates like ~a & ~b."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(none_of(a, b), lead, as_of) is truth(~a & ~b, lead, as_of)


@examples(15)
@given(TREES, leads(), AS_OF)
def test_double_negation(a, lead, as_of):
    """An unsimplified Not(Not(a)) evaluates like a."""
    assert truth(Not(operand=Not(operand=a)), lead, as_of) is truth(a, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_and_commutes(a, b, lead, as_of):
    """a & b and b & a evaluate alike."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(a & b, lead, as_of) is truth(b & a, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_or_commutes(a, b, lead, as_of):
    """a | b and b | a evaluate alike."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(a | b, lead, as_of) is truth(b | a, lead, as_of)


@examples(15)
@given(TREES, TREES, TREES, leads(), AS_OF)
def test_and_associates(a, b, c, lead, as_of):
    """Unflattened (a & b) & c and a & (b & c) evaluate alike, and like all_of(a, b, c)."""
    truth(a, lead, as_of), truth(b, lead, as_of), truth(c, lead, as_of)
    left = truth(All(items=(All(items=(a, b)), c)), lead, as_of)
    right = truth(All(items=(a, All(items=(b, c)))), lead, as_of)
    assert left is right is truth(a & b & c, lead, as_of)


@examples(15)
@given(TREES, TREES, TREES, leads(), AS_OF)
def test_or_associates(a, b, c, lead, as_of):
    """Unflattened (a | b) | c and a | (b | c) evaluate alike, and like any_of(a, b, c)."""
    truth(a, lead, as_of), truth(b, lead, as_of), truth(c, lead, as_of)
    left = truth(Any(items=(Any(items=(a, b)), c)), lead, as_of)
    right = truth(Any(items=(a, Any(items=(b, c)))), lead, as_of)
    assert left is right is truth(a | b | c, lead, as_of)


@examples(15)
@given(TREES, TREES, TREES, leads(), AS_OF)
def test_and_distributes_over_or(a, b, c, lead, as_of):
    """a & (b | c) and (a & b) | (a & c) evaluate alike (Kleene logic distributes)."""
    truth(a, lead, as_of), truth(b, lead, as_of), truth(c, lead, as_of)
    assert truth(a & (b | c), lead, as_of) is truth((a & b) | (a & c), lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_at_least_one_is_or(a, b, lead, as_of):
    """at_least(1, a, b) evaluates like a | b."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(at_least(1, a, b), lead, as_of) is truth(a | b, lead, as_of)


@examples(15)
@given(TREES, TREES, leads(), AS_OF)
def test_at_least_all_is_and(a, b, lead, as_of):
    """at_least(2, a, b) evaluates like a & b."""
    truth(a, lead, as_of), truth(b, lead, as_of)
    assert truth(at_least(2, a, b), lead, as_of) is truth(a & b, lead, as_of)


@examples(15)
@given(TREES, leads(), AS_OF)
def test_excluded_middle_fails_only_for_unknown(a, lead, as_of):
    """a | ~a is TRUE unless a is UNKNOWN (then it is UNKNOWN): Kleene, not Boolean."""
    ta = truth(a, lead, as_of)
    assert truth(a | ~a, lead, as_of) is (Truth.UNKNOWN if ta.is_unknown else Truth.TRUE)
