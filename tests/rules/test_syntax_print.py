"""Printing rules in the condition syntax: exact texts, parentheses, literal forms."""

from __future__ import annotations

import functools
import operator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from funnelkit.model import Lead, Money
from funnelkit.rules import (
    FALSE,
    TRUE,
    F,
    RuleBuildError,
    at_least,
    custom_rule,
    decision_table,
    grade,
    lit,
    maximum,
    none_of,
    parse_rule,
    per,
    points,
    ref,
    rule,
    rule_set,
    score,
    signals,
    to_text,
)

CONFIDENCE = F.bant.budget.evidence.confidence
BIG = F.company.employees >= 1000
US = F.company.country == "US"
VP = F.contact.title == "VP"


@custom_rule(name="syntax_print_reachable")
def syntax_print_reachable(lead: Lead) -> bool | None:
    """The lead names a contact."""
    return lead.contact is not None


@custom_rule(name="count")
def syntax_print_named_like_a_function(lead: Lead) -> int:
    """A custom rule whose name is a built-in function's."""
    return 0


PRINTED = [
    # comparisons and predicates
    (F.company.employees == 5, "company.employees = 5"),
    (F.company.employees != 5, "company.employees != 5"),
    (F.company.country.isin({"US", "CA"}), 'company.country in ["CA", "US"]'),
    (~F.company.country.isin({"XX"}), 'company.country not in ["XX"]'),
    (F.company.employees.between(50, 5000), "company.employees between 50 and 5000"),
    (F.company.technologies.contains("hubspot"), 'company.technologies contains "hubspot"'),
    (
        F.company.technologies.overlaps({"b", "a"}),
        'company.technologies contains any of ["a", "b"]',
    ),
    (F.contact.title.startswith("VP"), 'contact.title startswith "VP"'),
    (F.contact.title.icontains("sales"), 'contact.title icontains "sales"'),
    (F.contact.title.matches(r"^VP\b"), r'contact.title matches r"^VP\b"'),
    (F.contact.title.matches('say "x"'), r'contact.title matches "say \"x\""'),
    (F.bant.budget.status.is_missing(), "bant.budget.status is missing"),
    (F.bant.budget.status.is_present(), "bant.budget.status is present"),
    (F.created_at.within(days=30), "created_at within 30 days"),
    (
        F.created_at.before(datetime(2026, 1, 31, tzinfo=UTC)),
        "created_at < 2026-01-31T00:00:00+00:00",
    ),
    (F.custom["tier"] == "gold", 'custom.tier = "gold"'),
    (F.custom["tier 2"] == "gold", 'custom["tier 2"] = "gold"'),
    # logic and parentheses
    (BIG & US, 'company.employees >= 1000 and company.country = "US"'),
    (
        BIG | (US & VP),
        'company.employees >= 1000 or (company.country = "US" and contact.title = "VP")',
    ),
    (
        (BIG | US) & VP,
        '(company.employees >= 1000 or company.country = "US") and contact.title = "VP"',
    ),
    (~BIG & US, 'not company.employees >= 1000 and company.country = "US"'),
    (~(BIG & US), 'not (company.employees >= 1000 and company.country = "US")'),
    (none_of(BIG, US), 'not (company.employees >= 1000 or company.country = "US")'),
    (
        at_least(2, BIG, US, VP),
        'at least 2 of (company.employees >= 1000, company.country = "US", contact.title = "VP")',
    ),
    (TRUE, "always"),
    (FALSE, "never"),
    (BIG == US, '(company.employees >= 1000) = (company.country = "US")'),
    # arithmetic
    (F.company.employees + lit(1) * 2, "company.employees + 1 * 2"),
    ((F.company.employees + 1) * 2, "(company.employees + 1) * 2"),
    ((F.company.employees - 1) - 2, "company.employees - 1 - 2"),
    (F.company.employees - (lit(1) - 2), "company.employees - (1 - 2)"),
    (-F.company.employees, "0 - company.employees"),
    (F.company.employees * -3, "company.employees * -3"),
    (maximum(F.company.employees, 5), "max(company.employees, 5)"),
    (F.company.employees.clip(0, 10), "clip(company.employees, 0, 10)"),
    (F.company.technologies.size(), "size(company.technologies)"),
    (F.created_at.age_days(), "age_days(created_at)"),
    (F.bant.timeline.decision_date.days_until(), "days_until(bant.timeline.decision_date)"),
    # signals
    (signals().count(), "count(signals)"),
    (
        signals(kind="demo_request", within=30).count() >= 1,
        'count(signals where kind = "demo_request" within 30 days) >= 1',
    ),
    (
        signals(kind={"b", "a"}, explicit=True).count(limit=3),
        'count(signals where kind in ["a", "b"] and explicit = true, limit 3)',
    ),
    (signals().latest(), "latest(signals)"),
    (signals(explicit=False).sum(), "sum(signals where explicit = false)"),
    (signals().decayed(half_life_days=14), "decayed(signals, half_life 14.0 days)"),
    # literals
    (lit(True), "true"),
    (lit(None), "none"),
    (lit("a\\b\n"), '"a\\\\b\\n"'),
    (lit("\x00\u2028"), '"\\u0000\\u2028"'),
    (lit(Decimal("2.5")), "2.5"),
    (lit(Decimal("5")), "5.0"),
    (lit(Decimal("1E+3")), "1E+3"),
    (lit(0.5), "float(0.5)"),
    (lit(float("inf")), 'float("inf")'),
    (CONFIDENCE >= 0.8, "bant.budget.evidence.confidence >= 0.8"),
    (CONFIDENCE >= Decimal("0.8"), "bant.budget.evidence.confidence >= decimal(0.8)"),  # noqa: SIM300
    (F.company.employees > 0.5, "company.employees > float(0.5)"),
    (lit(date(2026, 1, 31)), "2026-01-31"),
    (lit(Money(amount=10_000_000, currency="USD")), "10000000 USD"),
    (lit(Money(amount="-2.50", currency="EUR")), "-2.50 EUR"),
    (lit(frozenset({frozenset({1}), 2})), "[2, [1]]"),
    # scoring, tables, names
    (points(20, when=BIG), "20 points when company.employees >= 1000"),
    (
        points(Decimal("-2.5"), when=TRUE, label="penalty"),
        '-2.5 points when always label "penalty"',
    ),
    (per(10, signals(kind="x").count()), '10 points per count(signals where kind = "x")'),
    (
        score(points(20, when=BIG), 5, cap=100, floor=0, name="fit"),
        'score(20 points when company.employees >= 1000, 5, cap 100, floor 0, name "fit")',
    ),
    (points(5, when=TRUE) >= 3, "(5 points when always) >= 3"),
    (
        grade(F.company.employees, {"B": 100, "A": 1000}, default="C"),
        'grade(company.employees, "A" from 1000, "B" from 100, default "C")',
    ),
    (
        decision_table([(BIG, "enterprise")], default="smb"),
        'case when company.employees >= 1000 then "enterprise" else "smb" end',
    ),
    (
        decision_table([(BIG, points(5, when=TRUE))], hit_policy="collect_sum"),
        "case collect_sum when company.employees >= 1000 then (5 points when always) end",
    ),
    (
        rule("enterprise", BIG, description="1,000+ staff"),
        'rule("enterprise", company.employees >= 1000, description "1,000+ staff")',
    ),
    (ref("fit"), 'ref("fit")'),
    (ref("fit", kind="int", condition=True), 'ref("fit", kind "int", condition true)'),
    (
        rule_set(fit=score(points(10, when=TRUE)), ok=ref("fit", kind="int") >= 10),
        'rule_set(fit: score(10 points when always), ok: ref("fit") >= 10)',
    ),
    (
        rule_set(fit=score(points(10, when=TRUE)), ok=ref("fit") >= 10),
        'rule_set(fit: score(10 points when always), ok: ref("fit", kind "any") >= 10)',
    ),
    (rule_set(**{"sales ready": TRUE}), 'rule_set("sales ready": always)'),
    (syntax_print_reachable & BIG, "syntax_print_reachable() and company.employees >= 1000"),
    (syntax_print_named_like_a_function > 0, 'custom("count") > 0'),
]


@pytest.mark.parametrize(("tree", "text"), PRINTED, ids=[t for _, t in PRINTED])
def test_printed_text(tree, text):
    """Each node prints in its documented form and reads back as the same tree."""
    assert to_text(tree) == text
    assert parse_rule(text).meta.eq(tree)


def test_str_is_the_text_form_and_repr_the_python_form():
    """str(rule) is to_text(rule); repr stays the Python code that builds it."""
    tree = F.company.employees.between(50, 5000)
    assert str(tree) == "company.employees between 50 and 5000"
    assert repr(tree) == "F.company.employees.between(50, 5000)"


def test_printing_is_a_fixed_point():
    """Printing a parsed text again gives the same text."""
    text = 'score(20 points when company.country in ["CA", "US"] label "north america", cap 50)'
    assert to_text(parse_rule(text)) == text


def test_deep_trees_print_without_recursion():
    """A tree deeper than the recursion limit allows for a recursive walk still prints."""
    deep = functools.reduce(operator.add, [F.company.employees] * 900)
    text = to_text(deep)
    assert text == " + ".join(["company.employees"] * 900)


def test_literals_without_a_text_form_are_refused():
    """A literal of a type the syntax cannot write raises RuleBuildError."""
    with pytest.raises(RuleBuildError, match=r"b'x' \(bytes\) has no form in the condition syntax"):
        to_text(F.custom["tier"] == b"x")


def test_not_a_number_prints_and_reads_back():
    """NaN literals print in a form that reads back as NaN (NaN never equals itself)."""
    assert to_text(lit(Decimal("NaN"))) == 'decimal("NaN")'
    assert to_text(lit(float("nan"))) == 'float("nan")'
    assert parse_rule('decimal("NaN")').value.is_nan()  # type: ignore[attr-defined]
