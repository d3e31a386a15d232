"""Parsing the condition syntax: each form gives the tree the Python API builds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from funnelkit.model import Company, Lead, Money
from funnelkit.rules import (
    FALSE,
    TRUE,
    Expr,
    F,
    Truth,
    at_least,
    custom_rule,
    decision_table,
    evaluate,
    grade,
    lit,
    maximum,
    minimum,
    parse_condition,
    parse_rule,
    per,
    points,
    ref,
    registered_rule,
    rule,
    rule_set,
    score,
    signals,
)

CONFIDENCE = F.bant.budget.evidence.confidence


@custom_rule(name="syntax_is_edu", inputs={"domain": F.company.domain})
def syntax_is_edu(domain: str) -> bool | None:
    """The company's domain is an academic one."""
    return domain.endswith(".edu")


@custom_rule(name="syntax rule with spaces")
def syntax_spaced(lead: Lead) -> int:
    """A custom rule whose name is not a word."""
    return 1


def same(text: str, expected: object) -> None:
    tree = parse_rule(text)
    assert tree.meta.eq(lit(expected)), f"{text!r} gave {tree!r}, expected {expected!r}"


ISSUE_EXAMPLES = [
    (
        'company.employees between 50 and 5000 and contact.seniority in ["vp", "c_level"]',
        F.company.employees.between(50, 5000) & F.contact.seniority.isin({"vp", "c_level"}),
    ),
    (
        'count(signals where kind = "demo_request" within 30 days) >= 1',
        signals(kind="demo_request", within=30).count() >= 1,
    ),
    ("bant.budget.status is missing", F.bant.budget.status.is_missing()),
    ('not company.country in ["XX"]', ~F.company.country.isin({"XX"})),
]


@pytest.mark.parametrize(("text", "expected"), ISSUE_EXAMPLES)
def test_issue_examples(text, expected):
    """The examples of the issue parse to the trees the Python API builds."""
    same(text, expected)


COMPARISONS = [
    ("company.employees = 5", F.company.employees == 5),
    ("company.employees == 5", F.company.employees == 5),
    ("company.employees != 5", F.company.employees != 5),
    ("company.employees < 5", F.company.employees < 5),
    ("company.employees <= 5", F.company.employees <= 5),
    ("company.employees > 5", F.company.employees > 5),
    ("company.employees >= 5", F.company.employees >= 5),
    ("5 < company.employees", lit(5) < F.company.employees),
    ("company.employees > company.founded_year", F.company.employees > F.company.founded_year),
    ('company.country not in ["US"]', ~F.company.country.isin({"US"})),
    ("company.employees in []", F.company.employees.isin(set())),
    ('company.technologies contains "hubspot"', F.company.technologies.contains("hubspot")),
    ('contact.title contains "VP"', F.contact.title.contains("VP")),
    (
        'company.technologies contains any of ["hubspot", "salesforce"]',
        F.company.technologies.overlaps({"hubspot", "salesforce"}),
    ),
    ('contact.title startswith "VP"', F.contact.title.startswith("VP")),
    ('contact.title endswith "Sales"', F.contact.title.endswith("Sales")),
    ('contact.title icontains "sales"', F.contact.title.icontains("sales")),
    (r'contact.title matches r"^VP\b"', F.contact.title.matches(r"^VP\b")),
    (r'contact.title matches "^VP\\b"', F.contact.title.matches(r"^VP\b")),
    ("company.country is present", F.company.country.is_present()),
    ("company.country is not missing", F.company.country.is_present()),
    ("company.country is not present", F.company.country.is_missing()),
    ("created_at within 30 days", F.created_at.within(days=30)),
    ("created_at before 2026-01-31T00:00Z", F.created_at < datetime(2026, 1, 31, tzinfo=UTC)),
    (
        "bant.timeline.decision_date after 2026-01-31",
        F.bant.timeline.decision_date > date(2026, 1, 31),
    ),
    ("signals is missing", F.signals.is_missing()),
    ('custom.tier = "gold"', F.custom["tier"] == "gold"),
    ('custom["tier 2"] = "gold"', F.custom["tier 2"] == "gold"),
]


@pytest.mark.parametrize(("text", "expected"), COMPARISONS)
def test_comparisons_and_predicates(text, expected):
    """Each comparison and predicate operator builds its node."""
    same(text, expected)


LOGIC = [
    ("always", TRUE),
    ("never", FALSE),
    (
        "company.employees > 5 and company.country = 'US' and contact.opted_out = false",
        (F.company.employees > 5) & (F.company.country == "US") & (F.contact.opted_out == False),  # noqa: E712
    ),
    (
        "company.employees > 5 or company.country = 'US' and contact.title = 'x'",
        (F.company.employees > 5) | ((F.company.country == "US") & (F.contact.title == "x")),
    ),
    (
        "not company.employees > 5 and company.country = 'US'",
        ~(F.company.employees > 5) & (F.company.country == "US"),
    ),
    ("not not company.employees > 5", F.company.employees > 5),
    ("not (company.employees > 5 or always)", FALSE),
    ("company.employees > 5 and true", F.company.employees > 5),
    (
        "at least 2 of (company.employees > 5, company.country = 'US', contact.title = 'x')",
        at_least(2, F.company.employees > 5, F.company.country == "US", F.contact.title == "x"),
    ),
    ("at least 0 of ()", TRUE),
]


@pytest.mark.parametrize(("text", "expected"), LOGIC)
def test_logic(text, expected):
    """and / or / not / at least follow their precedence and flatten like the API."""
    same(text, expected)


VALUES = [
    ("company.employees + 1 * 2", F.company.employees + lit(1) * 2),
    ("(company.employees + 1) * 2", (F.company.employees + 1) * 2),
    ("company.employees - 1 - 2", (F.company.employees - 1) - 2),
    ("company.employees / 2", F.company.employees / 2),
    ("-company.employees", -F.company.employees),
    ("-3 * company.employees", -3 * F.company.employees),
    ("min(company.employees, 5)", minimum(F.company.employees, 5)),
    ("max(company.employees, 5, 6)", maximum(F.company.employees, 5, 6)),
    ("clip(company.employees, 0, 100)", F.company.employees.clip(0, 100)),
    ("size(company.technologies)", F.company.technologies.size()),
    ("age_days(created_at)", F.created_at.age_days()),
    ("days_until(bant.timeline.decision_date)", F.bant.timeline.decision_date.days_until()),
    ("count(signals)", signals().count()),
    ("count(signals, limit 3)", signals().count(limit=3)),
    ("exists(signals where explicit = true)", signals(explicit=True).exists()),
    (
        'latest(signals where kind in ["a", "b"] and explicit = false)',
        signals(kind={"a", "b"}, explicit=False).latest(),
    ),
    ("sum(signals within 7 days)", signals(within=7).sum()),
    (
        'decayed(signals where kind = "x", half_life 14 days)',
        signals(kind="x").decayed(half_life_days=14),
    ),
    ("decayed(signals, half_life 0.5 days)", signals().decayed(half_life_days=0.5)),
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_values(text, expected):
    """Arithmetic, functions and signal aggregations build their nodes."""
    same(text, expected)


LITERALS = [
    ("42", 42),
    ("-42", -42),
    ("10_000_000", 10_000_000),
    ("2.5", Decimal("2.5")),
    ("1e3", Decimal("1E+3")),
    ("-0.5", Decimal("-0.5")),
    ("float(0.5)", 0.5),
    ('float("inf")', float("inf")),
    ("decimal(0.5)", Decimal("0.5")),
    ('decimal("-Infinity")', Decimal("-Infinity")),
    ("true", True),
    ("FALSE", False),
    ("none", None),
    ('"a \\"quoted\\" \\n \\t \\\\ \\u00e9 \\U0001F600"', 'a "quoted" \n \t \\ \u00e9 \U0001f600'),
    ("'single'", "single"),
    (r'r"^\d+$"', r"^\d+$"),
    ("2026-01-31", date(2026, 1, 31)),
    ("2026-01-31T09:30:00Z", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
    (
        "2026-01-31T09:30:00.250000+05:30",
        datetime(2026, 1, 31, 9, 30, 0, 250000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ),
    ("2026-01-31T09:30", datetime(2026, 1, 31, 9, 30)),
    ("10000000 USD", Money(amount=10_000_000, currency="USD")),
    ("2.50 EUR", Money(amount="2.50", currency="EUR")),
    ("-5 EUR", Money(amount=-5, currency="EUR")),
    ('money(10, "GBP")', Money(amount=10, currency="GBP")),
    ('["b", "a", "a"]', frozenset({"a", "b"})),
    ("[1, [2]]", frozenset({1, frozenset({2})})),
]


@pytest.mark.parametrize(("text", "expected"), LITERALS)
def test_literals(text, expected):
    """Each literal form gives the value of the documented type."""
    tree = parse_rule(text)
    assert tree.meta.eq(lit(expected))
    assert type(tree.value) is type(expected)  # type: ignore[attr-defined]


def test_plain_decimals_next_to_float_values_are_floats():
    """A decimal number compared with a float-valued field is a float; elsewhere a Decimal."""
    same("bant.budget.evidence.confidence >= 0.8", CONFIDENCE >= 0.8)
    same("0.8 <= bant.budget.evidence.confidence", lit(0.8) <= CONFIDENCE)
    same("bant.budget.evidence.confidence in [0.5, 1]", CONFIDENCE.isin({0.5, 1}))
    same("bant.budget.evidence.confidence between 0.2 and 0.8", CONFIDENCE.between(0.2, 0.8))
    same("min(bant.budget.evidence.confidence, 0.3)", minimum(CONFIDENCE, 0.3))
    same("company.employees / 4 > 0.5", F.company.employees / 4 > 0.5)
    same("company.employees > 0.5", F.company.employees > Decimal("0.5"))
    same("bant.budget.evidence.confidence >= decimal(0.8)", CONFIDENCE.__ge__(Decimal("0.8")))
    same("company.employees > float(0.5)", F.company.employees > 0.5)


def test_keywords_ignore_case():
    """Keywords, function names and hit policies may be written in any case."""
    same(
        "Company.employees BETWEEN 1 AND 5 Or NOT contact.title Is Missing".replace(
            "Company", "company"
        ),
        F.company.employees.between(1, 5) | F.contact.title.is_present(),
    )
    same("COUNT(SIGNALS WHERE KIND = 'x') >= 1", signals(kind="x").count() >= 1)
    same("CASE UNIQUE WHEN ALWAYS THEN 1 END", decision_table([(TRUE, 1)], hit_policy="unique"))


def test_whitespace_newlines_and_comments_are_ignored():
    """Texts may span lines and carry # comments."""
    text = """
        company.employees >= 50   # mid-market and up
        and company.country = "US"
    """
    same(text, (F.company.employees >= 50) & (F.company.country == "US"))


SCORING = [
    ("20 points when always", points(20, when=TRUE)),
    ("1 point when always", points(1, when=TRUE)),
    (
        "-2.5 points when always label 'penalty'",
        points(Decimal("-2.5"), when=TRUE, label="penalty"),
    ),
    ("2.0 points when always", points(2, when=TRUE)),
    (
        "10 points per count(signals where kind = 'x', limit 3) label 'demos'",
        per(10, signals(kind="x").count(limit=3), label="demos"),
    ),
    (
        "score(20 points when company.employees > 5, 5, cap 100, floor 0, name 'fit')",
        score(points(20, when=F.company.employees > 5), 5, cap=100, floor=0, name="fit"),
    ),
    ("score()", score()),
    (
        'grade(company.employees, "A" from 1000, "B" from 100, default "C")',
        grade(F.company.employees, {"A": 1000, "B": 100}, default="C"),
    ),
    (
        "case when company.employees >= 1000 then 'enterprise' "
        "when company.employees >= 100 then 'mid' else 'smb' end",
        decision_table(
            [(F.company.employees >= 1000, "enterprise"), (F.company.employees >= 100, "mid")],
            default="smb",
        ),
    ),
    (
        "case collect_sum when always then 5 when never then company.employees end",
        decision_table([(TRUE, 5), (FALSE, F.company.employees)], hit_policy="collect_sum"),
    ),
    ("case collect when true then true end", decision_table([(TRUE, True)], hit_policy="collect")),
    ("case when always then 1 else none end", decision_table([(TRUE, 1)], default=lit(None))),
]


@pytest.mark.parametrize(("text", "expected"), SCORING)
def test_scoring_and_tables(text, expected):
    """points, per, score, grade and case build scoring nodes and decision tables."""
    same(text, expected)


def test_named_rules():
    """rule("name", ...) names a rule, with an optional description."""
    same(
        'rule("enterprise", company.employees >= 1000, description "1,000+ staff")',
        rule("enterprise", F.company.employees >= 1000, description="1,000+ staff"),
    )


def test_refs_in_a_rule_set_take_the_kind_of_their_output():
    """Inside rule_set, ref("name") is typed as the earlier output it names."""
    text = 'rule_set(fit: score(10 points when always), ok: ref("fit") >= 10, go: ref("ok") and always)'
    expected = rule_set(
        fit=score(points(10, when=TRUE)),
        ok=ref("fit", kind="int") >= 10,
        go=ref("ok", kind="bool", condition=True),
    )
    same(text, expected)


def test_refs_outside_a_rule_set_are_untyped_unless_told():
    """Alone, ref("x") is ref("x"); options or the refs argument give its kind."""
    same('ref("fit")', ref("fit"))
    same('ref("ok", kind "bool", condition true)', ref("ok", kind="bool", condition=True))
    tree = parse_rule('ref("fit") >= 10', refs={"fit": score(points(10, when=TRUE))})
    assert tree.meta.eq(ref("fit", kind="int") >= 10)


def test_rule_set_output_names_may_be_quoted():
    """Output names that are not words are written in quotes."""
    same('rule_set("sales ready": always)', rule_set(**{"sales ready": TRUE}))


def test_custom_rules_are_called_by_registered_name():
    """A registered custom rule is called with empty brackets or through custom("...")."""
    same("syntax_is_edu() and company.employees > 5", syntax_is_edu & (F.company.employees > 5))
    same('custom("syntax rule with spaces") > 0', registered_rule("syntax rule with spaces") > 0)


def test_parse_condition_turns_true_into_always():
    """parse_condition reads a lone true as always; parse_rule keeps it a value."""
    assert parse_condition("true").meta.eq(TRUE)
    assert parse_rule("true").meta.eq(lit(True))


def test_parsed_rule_evaluates_like_the_built_one():
    """A parsed rule gives the same outcome as the rule written in Python."""
    lead = Lead(company=Company(name="Acme", employees=120, country="US"))
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    text = 'company.employees between 50 and 5000 and company.country in ["US", "CA"]'
    assert evaluate(parse_condition(text), lead, as_of=as_of) is Truth.TRUE


def test_parsed_trees_are_expr_nodes():
    """parse_rule returns rule nodes that compose with the Python API."""
    tree = parse_rule("company.employees > 5")
    assert isinstance(tree, Expr)
    assert (tree & (F.company.country == "US")).meta.eq(
        (F.company.employees > 5) & (F.company.country == "US")
    )
