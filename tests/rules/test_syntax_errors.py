"""Bad texts in the condition syntax: one error type, located, with a clear message."""

from __future__ import annotations

import pickle
import re

import pytest

from funnelkit.errors import FunnelkitError
from funnelkit.rules import (
    ConditionSyntaxError,
    RuleBuildError,
    SyntaxLimits,
    UnknownFieldError,
    UnsafePatternError,
    parse_condition,
    parse_rule,
)

BAD = [
    # (text, line, column, message pattern)
    ("company.employees between and 5000", 1, 27, "expected a value after 'between', got 'and'"),
    ("company.employees > 5 and", 1, 26, "expected a value after 'and', got the end of the text"),
    ("company.employees bewteen 1 and 5", 1, 19, "got 'bewteen'; did you mean 'between'\\?"),
    (
        "company.employes > 5",
        1,
        1,
        "unknown field 'company.employes'; did you mean 'company.employees'\\?",
    ),
    ("\n\n  company.employes > 5", 3, 3, "unknown field 'company.employes'"),
    ('signals.kind = "x"', 1, 1, "'signals' is a list; read it with an aggregation"),
    ("count > 1", 1, 1, "count is a function: write count\\(...\\)"),
    (
        "cuont(signals) > 1",
        1,
        1,
        "unknown function or custom rule 'cuont'; did you mean 'count'\\?",
    ),
    ('custom("nope")', 1, 8, "unknown function or custom rule 'nope'"),
    ("count(signal where kind = 'x') > 1", 1, 7, "expected a signal query"),
    ("count(signals where knd = 'x') > 1", 1, 21, "expected 'kind', 'explicit' or 'within'"),
    ("count(signals where kind = 'x' or kind = 'y')", 1, 32, "expected ',' or '\\)'"),
    ("count(signals where kind = 'x' and kind = 'y')", 1, 36, "'kind' is given twice"),
    ("decayed(signals) > 1", 1, 1, "decayed needs a half-life"),
    (
        'contact.seniority = "vpp"',
        1,
        21,
        "'vpp' is not a value of contact.seniority; did you mean 'vp'\\?",
    ),
    ('contact.seniority in ["vp", "cxo"]', 1, 29, "'cxo' is not a value of contact.seniority"),
    (
        'company.employees > "abc"',
        1,
        21,
        "cannot compare F.company.employees \\(int\\) with 'abc' \\(str\\)",
    ),
    ('contact.title matches "(a+)+"', 1, 23, "nested repetition"),
    ('contact.title matches "("', 1, 23, "invalid regular expression"),
    ("company.employees > 1 > 2", 1, 23, "comparisons cannot be chained"),
    ("company.employees between 1 and 2 in [1]", 1, 35, "comparisons cannot be chained"),
    (
        "company.employees and always",
        1,
        1,
        "'and' needs a condition, got 'company.employees', a value of kind int",
    ),
    ("not company.employees", 1, 5, "'not' needs a condition"),
    ("x = 1 && y", 1, 7, "unexpected '&&': use 'and'"),
    ("a | b", 1, 3, "unexpected character '\\|': use 'or'"),
    ("a ! b", 1, 3, "use 'not', or '!=' for 'is not equal to'"),
    ("contact.title = \u201cVP\u201d", 1, 17, "use straight quotes"),
    ("company.country in {'US'}", 1, 20, "lists are written in square brackets"),
    (
        'company.country in "US"',
        1,
        20,
        'expected a list such as \\["a", "b"\\] after \'in\', got "US"',
    ),
    ("company.country in [company.name]", 1, 21, "lists hold plain values"),
    ("company.technologies contains company.name", 1, 31, "contains takes a plain value"),
    ("[1, 2,", 1, 7, "expected a value after ',', got the end of the text"),
    ('"abc', 1, 1, 'text opened with " is not closed on this line'),
    ('"a\\qb"', 1, 3, "unknown escape '\\\\q' in text"),
    ("company.employees > 5 )", 1, 23, "unmatched '\\)'"),
    ("(company.employees > 5", 1, 23, "expected '\\)' or an operator"),
    ("company.", 1, 9, "expected a field name after 'company.'"),
    ("company.employees = 1.2.3", 1, 24, "unexpected character '\\.'"),
    ("2026-13-01", 1, 1, "'2026-13-01' is not a valid date or time: month must be in 1..12"),
    ("1" * 401, 1, 1, "a number of 401 characters; at most 400"),
    ("bant.budget.amount > 10 usd", 1, 25, "currency codes are written in capitals: 'USD'"),
    ("bant.budget.amount > 10 XYZ", 1, 22, "currency"),
    ("5 points", 1, 9, "expected 'when' \\(points for a condition\\) or 'per'"),
    ("company.employees + 20 points when always", 1, 24, "goes first in its brackets"),
    ("20 points when company.employees", 1, 16, "'when' needs a condition"),
    ("case firts when always then 1 end", 1, 6, "did you mean 'first'\\?"),
    ("case when always then 1", 1, 24, "expected 'when', 'else' or 'end'"),
    ("case when company.employees then 1 end", 1, 11, "'when' needs a condition"),
    ("case collect_sum when always then 'x' end", 1, 18, "collect_sum needs numeric outputs"),
    ("at least 2.5 of (always)", 1, 10, "expected a whole number after 'at least', got '2.5'"),
    ("at least -1 of (always)", 1, 1, "at_least needs a whole number >= 0"),
    ("score(cap 1, cap 2)", 1, 14, "'cap' is given twice"),
    ("score(floor 5, cap 1)", 1, 1, "floor 5 is above cap 1"),
    ("score(company.employees > 5)", 1, 1, "score parts are points, not conditions"),
    ("score(cap 'high')", 1, 11, "expected a number after 'cap'"),
    ('grade(5, "A" from 1)', 1, 1, "grade takes a score, bands and a default"),
    ('grade(5, "A" from 1, "A" from 2, default "C")', 1, 22, "band 'A' is given twice"),
    ('rule("x")', 1, 1, "rule takes a name and a rule"),
    ('rule("", always)', 1, 1, "a rule name must be a non-empty string"),
    ('rule_set(a: 1, b: ref("c"))', 1, 23, "no output named 'c' before this one"),
    ('rule_set(fit: 1, ok: ref("fti") > 0)', 1, 26, "did you mean 'fit'\\?"),
    ("rule_set(a: 1, a: 2)", 1, 16, "output 'a' is given twice"),
    ("size(company.employees)", 1, 1, "size needs a set or list"),
    ("size(company.technologies, company.tags)", 1, 1, "size takes one value"),
    ("min()", 1, 1, "min takes one value or more"),
    ("age_days(company.employees)", 1, 1, "day counts need a date or datetime"),
    ("created_at within 2.5 days", 1, 19, "expected a whole number after 'within'"),
    ("company.employees within 3 days", 1, 1, "day counts need a date"),
    ("company.employees is absent", 1, 22, "expected 'missing' or 'present'"),
    ('float("abc")', 1, 1, "could not convert string to float"),
    ('money(5, "usd")', 1, 1, "currency"),
    ("count(signals, limit -1)", 1, 1, "limit must be a whole number >= 0"),
    ("count(signals where kind in [1])", 1, 7, "signal kinds must be non-empty strings"),
    ("company.employees > 5 label 'x'", 1, 23, "expected an operator or the end of the text"),
    ("", 1, 1, "expected a value, got the end of the text"),
    ("and", 1, 1, "expected a value, got 'and'"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), BAD)
def test_bad_text(text, line, column, message):
    """A bad text raises ConditionSyntaxError naming the place and the problem."""
    with pytest.raises(ConditionSyntaxError, match=message) as info:
        parse_rule(text)
    assert (info.value.line, info.value.column) == (line, column), str(info.value)
    assert str(info.value).startswith(f"line {line}, column {column}: ")


def test_error_carries_the_parts_and_a_caret_excerpt():
    """The error keeps line, column, text and message, and shows the line with a caret."""
    text = "company.employees between and 5000"
    with pytest.raises(ConditionSyntaxError) as info:
        parse_rule(text)
    err = info.value
    assert err.text == text
    assert err.message == "expected a value after 'between', got 'and'"
    assert str(err) == (
        "line 1, column 27: expected a value after 'between', got 'and'\n"
        "  company.employees between and 5000\n"
        "                            ^^^"
    )


def test_error_is_a_funnelkit_error_and_a_value_error():
    """The error type derives from FunnelkitError and ValueError, not the builtin SyntaxError."""
    assert issubclass(ConditionSyntaxError, FunnelkitError)
    assert issubclass(ConditionSyntaxError, ValueError)
    assert not issubclass(ConditionSyntaxError, SyntaxError)


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("company.employes > 5", UnknownFieldError),
        ('company.employees > "abc"', RuleBuildError),
        ('contact.title matches "(a+)+"', UnsafePatternError),
    ],
)
def test_build_errors_are_wrapped_with_their_cause(text, cause):
    """Errors of the building functions come back located, with the original as __cause__."""
    with pytest.raises(ConditionSyntaxError) as info:
        parse_rule(text)
    assert isinstance(info.value.__cause__, cause)
    assert info.value.message == str(info.value.__cause__)


def test_error_pickles():
    """The error survives pickling with its parts."""
    with pytest.raises(ConditionSyntaxError) as info:
        parse_rule("company.employees >")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.line, copy.column, copy.text, str(copy)) == (
        info.value.line,
        info.value.column,
        info.value.text,
        str(info.value),
    )


def test_long_lines_are_cut_around_the_problem():
    """The excerpt of a long line shows the part around the column."""
    text = " and ".join(["company.employees > 1"] * 20) + " and company.employes > 1"
    with pytest.raises(ConditionSyntaxError) as info:
        parse_rule(text)
    _, excerpt, caret = str(info.value).split("\n")
    assert len(excerpt) < 120
    assert excerpt[caret.index("^") :].startswith("company.employes")


def test_parse_condition_refuses_values():
    """parse_condition names a value where a condition is needed."""
    with pytest.raises(
        ConditionSyntaxError, match=r"expected a condition, got 'company.employees \+ 1'"
    ):
        parse_condition("company.employees + 1")


def test_text_must_be_a_string():
    """A non-string is a TypeError, not a syntax error."""
    with pytest.raises(TypeError, match="expected the text of a rule, got 5"):
        parse_rule(5)  # type: ignore[arg-type]


LIMITS = [
    ("x" * 30, SyntaxLimits(max_length=20), "the text has 30 characters; at most 20 are allowed"),
    ("(" * 10 + "1" + ")" * 10, SyntaxLimits(max_depth=5), "nesting deeper than 5 levels"),
    ("1" + " + 1" * 10, SyntaxLimits(max_depth=5), "more than 5 operations in a row"),
    ("[1, 2, 3, 4]", SyntaxLimits(max_items=3), "more than 3 items"),
    ("min(1, 2, 3, 4)", SyntaxLimits(max_items=3), "more than 3 items"),
    ("not " * 20 + "(always)", SyntaxLimits(max_length=50), "at most 50"),
    (
        "rule('a', rule('b', rule('c', rule('d', always))))",
        SyntaxLimits(max_depth=3),
        "nesting deeper than 3 levels",
    ),
]


@pytest.mark.parametrize(("text", "limits", "message"), LIMITS)
def test_limits(text, limits, message):
    """Texts beyond the configured limits fail with a message naming the limit."""
    with pytest.raises(ConditionSyntaxError, match=re.escape(message)):
        parse_rule(text, limits=limits)


def test_default_limits_stop_deep_nesting_before_python_does():
    """A thousand nested brackets is a syntax error, not a RecursionError."""
    with pytest.raises(ConditionSyntaxError, match="nesting deeper than 64 levels"):
        parse_rule("(" * 1000 + "1" + ")" * 1000)
    with pytest.raises(ConditionSyntaxError, match="nesting deeper than 64 levels"):
        parse_rule("size(" * 1000 + "signals" + ")" * 1000)


def test_a_generous_depth_limit_still_fails_cleanly():
    """Even with a depth limit above what Python's stack allows, the error is a syntax error."""
    text = "(" * 5000 + "1" + ")" * 5000
    with pytest.raises(ConditionSyntaxError, match="nest"):
        parse_rule(text, limits=SyntaxLimits(max_depth=100_000, max_length=20_000))


def test_limits_must_be_positive():
    """SyntaxLimits refuses zero, negative or non-integer bounds."""
    with pytest.raises(ValueError, match="max_depth must be a whole number >= 1, got 0"):
        SyntaxLimits(max_depth=0)
