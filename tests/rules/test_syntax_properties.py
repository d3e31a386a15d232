"""Laws of the condition syntax: print-then-parse round trips; the parser never crashes."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import Money
from funnelkit.rules import (
    ConditionSyntaxError,
    Expr,
    F,
    RuleEvaluationError,
    evaluate,
    lit,
    parse_condition,
    parse_rule,
    to_text,
)
from funnelkit.rules.syntax._lexer import SyntaxLimits, tokenize
from funnelkit.testing import leads
from funnelkit.testing._rules import conditions, rule_sets, scores, values

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_round_trip(tree: Expr) -> None:
    text = to_text(tree)
    back = parse_rule(text)
    assert back.meta.eq(tree), f"{text}\n{tree!r}\n{back!r}"
    assert to_text(back) == text


@SLOW
@given(conditions())
def test_conditions_round_trip(tree):
    """Printing a random condition and parsing the text gives an equal tree."""
    assert_round_trip(tree)


@SLOW
@given(values())
def test_values_round_trip(tree):
    """Printing a random value and parsing the text gives an equal tree."""
    assert_round_trip(tree)


@examples(15, suppress_health_check=SLOW.suppress_health_check)
@given(scores())
def test_scores_round_trip(tree):
    """Printing a random score and parsing the text gives an equal tree."""
    assert_round_trip(tree)


@examples(30, suppress_health_check=SLOW.suppress_health_check)
@given(rule_sets())
def test_rule_sets_round_trip(tree):
    """Rule sets with refs, names, labels and every hit policy round-trip."""
    assert_round_trip(tree)


# whole seconds: CPython's fromisoformat drops offsets below one second ("+00:00:00.5")
offsets = st.integers(-(24 * 3600 - 1), 24 * 3600 - 1).map(lambda s: timedelta(seconds=s))
scalars = st.one_of(
    st.integers(-(10**60), 10**60),
    st.decimals(allow_nan=False).filter(lambda d: len(str(d)) < 300),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.builds(timezone, offsets)),
    st.builds(
        Money,
        amount=st.decimals(allow_nan=False, allow_infinity=False).filter(
            lambda d: len(str(d)) < 300
        ),
        currency=st.sampled_from(("USD", "EUR", "JPY")),
    ),
)
literal_values = st.recursive(scalars, lambda kids: st.frozensets(kids, max_size=4), max_leaves=8)


@given(literal_values)
def test_every_literal_round_trips(value):
    """Every literal value prints in a form that reads back with its exact type."""
    assert_round_trip(lit(value))
    assert_round_trip(F.custom["tier"] == value)


@given(st.frozensets(scalars, max_size=4))
def test_every_list_of_values_round_trips(items):
    """Lists of any values in `in` and `contains any of` round-trip."""
    assert_round_trip(F.custom["tier"].isin(items))
    assert_round_trip(F.company.technologies.overlaps(items))


@examples(20, suppress_health_check=SLOW.suppress_health_check)
@given(rule_sets(), leads())
def test_rule_sets_evaluate(tree, lead):
    """rule_sets() builds rule sets the interpreter evaluates to a dict of every output."""
    try:
        outcome = evaluate(tree, lead, as_of=AS_OF)
    except RuleEvaluationError as err:  # 'unique' tables may match twice
        message = str(err)
    else:
        message = "unique" if set(outcome) >= set(tree.names) else repr(outcome)
    assert "unique" in message


def parses_or_fails_cleanly(text: str) -> Expr | None:
    """Parse; only a tree or a ConditionSyntaxError may come out, and quickly."""
    started = time.perf_counter()
    try:
        tree = parse_rule(text, limits=SyntaxLimits(max_length=2_000))
    except ConditionSyntaxError as err:
        error = err
    else:
        return tree
    finally:
        assert time.perf_counter() - started < 5
    assert error.line >= 1
    assert error.column >= 1
    assert str(error).startswith(f"line {error.line}, column {error.column}: ")
    return None


@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    """Random text gives a tree or a ConditionSyntaxError, nothing else."""
    parses_or_fails_cleanly(text)


WORDS = [
    *("and", "or", "not", "in", "is", "missing", "present", "between", "contains", "any", "of"),
    *("startswith", "matches", "within", "days", "before", "after", "at", "least", "case"),
    *("when", "then", "else", "end", "true", "false", "none", "always", "never", "points"),
    *("per", "label", "signals", "where", "kind", "explicit", "limit", "half_life", "cap"),
    *("floor", "name", "default", "from", "description", "count(", "exists(", "latest(", "sum("),
    *("decayed(", "size(", "age_days(", "min(", "max(", "clip(", "money(", "float(", "decimal("),
    *("score(", "grade(", "rule(", "rule_set(", "ref(", "custom(", "company.employees"),
    *("contact.seniority", "contact.title", "bant.budget.amount", "created_at", "custom.tier"),
    *("(", ")", "[", "]", ",", ":", "=", "!=", "<", ">=", "+", "-", "*", "/", "0", "7", "2.5"),
    *('"vp"', "'x'", 'r"^a+"', "2026-01-31", "2026-01-31T10:00Z", "10 USD", "-", "1e999"),
]


@given(st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join))
def test_random_token_soup_never_crashes(text):
    """Texts made of the syntax's own words give a tree or a ConditionSyntaxError."""
    tree = parses_or_fails_cleanly(text)
    if tree is not None:
        assert_round_trip(tree)


def mutate(text: str, data: Any) -> str:
    spans = [(t.start, t.end) for t in tokenize(text, SyntaxLimits())[:-1]]
    pieces = [text[a:b] for a, b in spans]
    for _ in range(data.draw(st.integers(1, 3))):
        if not pieces:
            break
        i = data.draw(st.integers(0, len(pieces) - 1))
        j = data.draw(st.integers(0, len(pieces) - 1))
        action = data.draw(st.sampled_from(("delete", "duplicate", "swap")))
        if action == "delete":
            del pieces[i]
        elif action == "duplicate":
            pieces.insert(i, pieces[i])
        else:
            pieces[i], pieces[j] = pieces[j], pieces[i]
    return " ".join(pieces)


@examples(30, suppress_health_check=SLOW.suppress_health_check)
@given(conditions(max_leaves=4) | scores(max_leaves=3), st.data())
def test_mutated_valid_texts_never_crash(tree, data):
    """Valid texts with tokens deleted, duplicated or swapped give a tree or the error."""
    text = mutate(to_text(tree), data)
    parsed = parses_or_fails_cleanly(text)
    if parsed is not None:
        assert_round_trip(parsed)
    with contextlib.suppress(ConditionSyntaxError):
        parse_condition(text)
