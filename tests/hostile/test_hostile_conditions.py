"""Hostile condition texts: each is refused with a located, named error (no raw exception)."""

from __future__ import annotations

import pytest

from funnelkit.errors import FunnelkitError
from funnelkit.rules import ConditionSyntaxError, SyntaxLimits, parse_rule

POLICY = SyntaxLimits(finite_numbers=True)
"""The limits policy files are read with: numbers that could fail at evaluation are refused."""

# Each case: the text, the error class, a piece of its message (escaped). Unicode
# look-alikes (Cyrillic letters, full-width signs, no-break spaces), arithmetic on a
# rule set, NaN and huge numbers, regular-expression bombs, code injection attempts.
# fmt: off
CASES = [
    ('', ConditionSyntaxError, 'expected a value, got the end of the text'),
    ('   ', ConditionSyntaxError, 'expected a value, got the end of the text'),
    ('(', ConditionSyntaxError, "expected a value after '\\(', got the end of the text"),
    (')', ConditionSyntaxError, "expected a value, got '\\)'"),
    ('((company.employees > 5)', ConditionSyntaxError, "expected '\\)' or an operator after '\\)', got the end of the text"),
    ('company.employees >', ConditionSyntaxError, "expected a value after '>', got the end of the text"),
    ('> 5', ConditionSyntaxError, "expected a value, got '>'"),
    ('company.employees > > 5', ConditionSyntaxError, "expected a value after '>', got '>'"),
    ('company.employes > 5', ConditionSyntaxError, "unknown field 'company\\.employes'; did you mean 'company\\.employees'\\?"),
    ('comp\u0430ny.employees > 5', ConditionSyntaxError, "unknown field 'comp\u0430ny\\.employees'; did you mean 'company\\.employees'\\?"),
    ('company.emplo\u0443ees > 5', ConditionSyntaxError, "unknown field 'company\\.emplo\u0443ees'; did you mean 'company\\.employees'\\?"),
    ('contact.senority = "vp"', ConditionSyntaxError, "unknown field 'contact\\.senority'; did you mean 'contact\\.seniority'\\?"),
    ('company.employees > decimal("NaN")', ConditionSyntaxError, "decimal takes a number, 'inf' or '-inf', not 'NaN'"),
    ('company.employees > decimal("sNaN")', ConditionSyntaxError, "decimal takes a number, 'inf' or '-inf', not 'sNaN'"),
    ('company.employees > float("nan")', ConditionSyntaxError, "float takes a number, 'inf' or '-inf', not 'nan'"),
    ('company.employees > float("abc")', ConditionSyntaxError, "could not convert string to float: 'abc'"),
    ('company.employees > decimal(true)', ConditionSyntaxError, 'decimal takes a number or text, got True'),
    ('company.employees * 1e40 > 5', ConditionSyntaxError, 'cannot take an infinity or a number of 10\\*\\*28 or more'),
    ('1 - rule_set(a: 1) > 0', ConditionSyntaxError, "'-' needs numbers, got rule_set\\(a=1\\) \\(mapping\\)"),
    ('rule_set(a: 1) > 0', ConditionSyntaxError, '> comparison: cannot compare rule_set\\(a=1\\) \\(mapping\\) with 0 \\(int\\)'),
    ('rule_set(a: 1) + 1', ConditionSyntaxError, "'\\+' needs numbers, got rule_set\\(a=1\\) \\(mapping\\)"),
    ('-rule_set(a: 1) < 0', ConditionSyntaxError, "'-' needs numbers, got rule_set\\(a=1\\) \\(mapping\\)"),
    ('count(signals where kind = "demo_request" within 99999999 days) >= 1', ConditionSyntaxError, 'within must be a whole number of days >= 0 and at most 36,525 \\(100 yea'),
    ('count(signals where kind = "demo_request" within -1 days) >= 1', ConditionSyntaxError, 'within must be a whole number of days >= 0 and at most 36,525 \\(100 yea'),
    ('count(signals where kind = "demo_request" within 1.5 days) >= 1', ConditionSyntaxError, "expected a whole number after 'within', got '1\\.5'"),
    ('count(signals where kind in [] within 30 days) >= 1', ConditionSyntaxError, 'signal kinds must name at least one kind \\(None selects every kind\\)'),
    ('count(signals where kind = "") >= 1', ConditionSyntaxError, "signal kinds must be non-empty strings, got ''"),
    ('count(signals where kind = "a" and kind = "b") >= 1', ConditionSyntaxError, "'kind' is given twice"),
    ('count(signals where colour = "a") >= 1', ConditionSyntaxError, "expected 'kind', 'explicit' or 'within' after 'where', got 'colour'"),
    ('company.name matches "(a+)+$"', ConditionSyntaxError, 'nested repetition such as \\(a\\+\\)\\+ can take exponential time'),
    ('company.name matches "(a|a)*b"', ConditionSyntaxError, 'alternatives under a repetition such as \\(a\\|ab\\)\\* can take exponential t'),
    ('company.name matches "([a-z]+)*x"', ConditionSyntaxError, 'nested repetition such as \\(a\\+\\)\\+ can take exponential time'),
    ('company.name matches "("', ConditionSyntaxError, "invalid regular expression '\\(': missing \\), unterminated subpattern at "),
    ('company.name matches "\\\\1"', ConditionSyntaxError, "invalid regular expression '\\\\\\\\1': invalid group reference 1 at positio"),
    ('company.name matches "(?P<x>a)(?P=x)"', ConditionSyntaxError, 'back-references are not allowed'),
    ('company.employees between and 5000', ConditionSyntaxError, "expected a value after 'between', got 'and'"),
    ('company.employees between 5 and', ConditionSyntaxError, "expected a value after 'and', got the end of the text"),
    ('company.employees between "a" and "b"', ConditionSyntaxError, "between: cannot compare F\\.company\\.employees \\(int\\) with 'a' \\(str\\)"),
    ('company.employees = "fifty"', ConditionSyntaxError, "== comparison: cannot compare F\\.company\\.employees \\(int\\) with 'fifty' \\("),
    ('company.employees > true', ConditionSyntaxError, '> comparison: cannot compare F\\.company\\.employees \\(int\\) with True \\(bool'),
    ('contact.seniority = "viceroy"', ConditionSyntaxError, "== comparison: 'viceroy' is not a value of contact\\.seniority; allowed:"),
    ('company.name contains', ConditionSyntaxError, "expected a value after 'contains', got the end of the text"),
    ('company.employees contains 5', ConditionSyntaxError, 'contains needs a set or a text, got F\\.company\\.employees \\(int\\)'),
    ('company.employees isin [1, "a"]', ConditionSyntaxError, "expected an operator or the end of the text after 'company\\.employees',"),
    ('company.employees isin []', ConditionSyntaxError, "expected an operator or the end of the text after 'company\\.employees',"),
    ('company.employees isin 5', ConditionSyntaxError, "expected an operator or the end of the text after 'company\\.employees',"),
    ('unknown_function(1) > 0', ConditionSyntaxError, "unknown function or custom rule 'unknown_function'"),
    ('min() > 0', ConditionSyntaxError, 'min takes one value or more: min\\(\\.\\.\\.\\)'),
    ('clip(company.employees, 1) > 0', ConditionSyntaxError, 'clip takes 3 values: clip\\(\\.\\.\\.\\)'),
    ('score(1 points per company.name) > 0', ConditionSyntaxError, 'per\\(\\.\\.\\.\\) needs a number, got F\\.company\\.name'),
    ('score(cap: 5) > 0', ConditionSyntaxError, "unknown field 'cap'"),
    ('score(1 points when company.employees) > 0', ConditionSyntaxError, "'when' needs a condition, got 'company\\.employees', a value of kind int"),
    ('company.employees > 5 and', ConditionSyntaxError, "expected a value after 'and', got the end of the text"),
    ('and company.employees > 5', ConditionSyntaxError, "expected a value, got 'and'"),
    ('not', ConditionSyntaxError, "expected a value after 'not', got the end of the text"),
    ('company.employees > 5 or or company.employees < 3', ConditionSyntaxError, "expected a value after 'or', got 'or'"),
    ('company.employees > 5 &&& company.employees < 3', ConditionSyntaxError, "unexpected '&&': use 'and'"),
    ('company.employees > 5; drop table leads', ConditionSyntaxError, "unexpected character ';': join conditions with 'and' or 'or'"),
    ('__import__("os").system("ls")', ConditionSyntaxError, "unexpected character '\\.'"),
    ('company.__class__ > 5', ConditionSyntaxError, "unknown field 'company\\.__class__'; did you mean 'company\\.tags'\\?"),
    ('company.employees.__class__ > 5', ConditionSyntaxError, "unknown field 'company\\.employees\\.__class__'; did you mean 'company\\.emp"),
    ('lambda: 1', ConditionSyntaxError, "unknown field 'lambda'"),
    ('eval("1") > 0', ConditionSyntaxError, "unknown function or custom rule 'eval'"),
    ('exec("1")', ConditionSyntaxError, "unknown function or custom rule 'exec'"),
    ('"unterminated', ConditionSyntaxError, 'text opened with " is not closed on this line'),
    ("'single' = 1", ConditionSyntaxError, "== comparison: cannot compare 'single' \\(str\\) with 1 \\(int\\)"),
    ('company.employees > 5\x00', ConditionSyntaxError, 'unexpected character U\\+0000'),
    ('company.employees \u2265 5', ConditionSyntaxError, "unexpected character '\u2265'"),
    ('company.employees \uff1e 5', ConditionSyntaxError, "unexpected character '\uff1e'"),
    ('\uff43ompany.employees > 5', ConditionSyntaxError, "unknown field '\uff43ompany\\.employees'; did you mean 'company\\.employees'\\?"),
    ('company.employees > 0x10', ConditionSyntaxError, "expected an operator or the end of the text after '0', got 'x10'"),
    ('company.employees > 1_0_', ConditionSyntaxError, "expected an operator or the end of the text after '1_0', got '_'"),
    ('company.employees > 1..2', ConditionSyntaxError, "unexpected character '\\.'"),
    ('company.employees > .', ConditionSyntaxError, "unexpected character '\\.'"),
    ('company.employees > 5 5', ConditionSyntaxError, "expected an operator or the end of the text after '5', got '5'"),
    ('ref(5) > 0', ConditionSyntaxError, "expected the output's name in quotes after '\\(', got '5'"),
    ('ref() > 0', ConditionSyntaxError, 'ref takes an output name: ref\\("fit"\\)'),
    ('money(10, "XXX") > 0', ConditionSyntaxError, "> comparison: cannot compare Money\\(amount=Decimal\\('10'\\), currency='XXX"),
    ('money("a", "USD") > 0', ConditionSyntaxError, '\\$\\.amount: expected a finite decimal amount \\(int, str or Decimal\\), got '),
    ('company.annual_revenue > money(10)', ConditionSyntaxError, 'money takes plain values, as in money\\(10000, "USD"\\)'),
    ('company.annual_revenue > 5', ConditionSyntaxError, '> comparison: cannot compare F\\.company\\.annual_revenue \\(money\\) with 5 \\('),
    ('created_at > 5', ConditionSyntaxError, '> comparison: cannot compare F\\.created_at \\(datetime\\) with 5 \\(int\\)'),
    ('created_at before', ConditionSyntaxError, "expected a value after 'before', got the end of the text"),
    ('created_at within 30', ConditionSyntaxError, "expected 'days' after '30', got the end of the text"),
    ('case end', ConditionSyntaxError, "expected 'when', or a hit policy and 'when' after 'case', got 'end'; d"),
    ('at least -1 of (company.employees > 5)', ConditionSyntaxError, 'at_least needs a whole number >= 0, got -1'),
]
# fmt: on


@pytest.mark.parametrize(("text", "error", "match"), CASES)
def test_hostile_conditions_are_refused(text, error, match):
    """Each hostile text raises its FunnelkitError, with the expected message."""
    with pytest.raises(error, match=match):
        parse_rule(text, limits=POLICY)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param(
            "(" * 5_000 + "company.employees > 5" + ")" * 5_000,
            r"at most 10,000 are allowed",
            id="deep-parens",
        ),
        pytest.param(
            "not " * 5_000 + "company.employees > 5", r"SyntaxLimits\.max_length", id="deep-not"
        ),
        pytest.param(
            "(" * 400 + "company.employees > 5" + ")" * 400, r"nest", id="deep-parens-short"
        ),
        pytest.param(" and ".join(["company.employees > 5"] * 20_000), r".", id="huge-and"),
        pytest.param('company.name = "' + "a" * 200_000 + '"', r".", id="huge-string"),
    ],
)
def test_deep_and_huge_conditions_are_refused(text, match):
    """Deep or huge texts are refused by the syntax limits, never a RecursionError."""
    with pytest.raises(FunnelkitError, match=match):
        parse_rule(text)


@pytest.mark.parametrize("pattern", ["(a|a)*b", "(a|ab)*c", "x(a|b|)*", "(a+)+$"])
def test_regex_bombs_are_refused(pattern):
    """Patterns that backtrack exponentially are refused when the rule is built."""
    with pytest.raises(ConditionSyntaxError, match="exponential time"):
        parse_rule(f'company.name matches "{pattern}"')


@pytest.mark.parametrize(
    "text",
    [
        'company.employees * decimal("inf") - decimal("inf") > 0',
        'company.employees * 0 * decimal("inf") > 0',
        'company.employees / decimal("inf") > 0',
        'company.employees + float("-inf") > 0',
        'company.employees * float("inf") - float("inf") > 0',
    ],
)
def test_arithmetic_on_infinities_is_refused(text):
    """inf - inf and 0 * inf have no value: infinities are for comparisons only."""
    with pytest.raises(ConditionSyntaxError, match="cannot take an infinity or a number"):
        parse_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        'company.employees < decimal("inf")',
        'company.employees between 5 and decimal("inf")',
        'clip(company.employees, 0, decimal("inf")) > 1',
    ],
)
def test_comparisons_with_infinities_are_kept(text):
    """Open bands still compare with an infinity."""
    parse_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        'decimal("NaN")',
        "1e40",
        'float("nan")',
        "company.employees > 1e999999",
        "company.employees > 99999999999999999999999999999999",
        "company.employees > 0.00000000000000000000000000000001",
        'company.employees > decimal("1e999999")',
    ],
)
def test_without_finite_numbers_rules_built_in_python_read_back(text):
    """parse_rule keeps NaN and huge numbers by default: every printed rule reads back."""
    parse_rule(text)
