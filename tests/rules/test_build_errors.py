"""Rules that cannot work fail when they are built, with a message naming the problem."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from funnelkit.model import Lead
from funnelkit.rules import (
    TRUE,
    F,
    Limits,
    RuleBuildError,
    RuleLimitError,
    UnknownFieldError,
    UnsafePatternError,
    all_of,
    any_of,
    at_least,
    compile_rule,
    decision_table,
    evaluate,
    explain,
    grade,
    maximum,
    minimum,
    per,
    points,
    rule,
    score,
    signals,
)

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

BUILD_ERRORS = [
    # unknown fields
    (
        lambda: F.company.employes,
        UnknownFieldError,
        r"unknown field 'company\.employes'; did you mean 'company\.employees'\?",
    ),
    (
        lambda: F("contact.senority"),
        UnknownFieldError,
        r"did you mean 'contact\.seniority'\?",
    ),
    (lambda: F.compnay, UnknownFieldError, r"unknown field 'compnay'; did you mean 'company'\?"),
    (lambda: F.zzz, UnknownFieldError, r"^unknown field 'zzz'$"),
    (lambda: F.signals.kind, RuleBuildError, r"'signals' is a list; read it with an aggregation"),
    (lambda: F.company.employees["x"], RuleBuildError, r"cannot be indexed; only F\.custom"),
    # bool() of a rule
    (
        lambda: bool(F.company.employees >= 50),
        TypeError,
        r"combine rules with `&`, `\|` and `~` \(not `and`, `or`, `not`\)",
    ),
    (
        lambda: (F.company.employees >= 50) and (F.company.country == "US"),
        TypeError,
        r"no truth value until it is evaluated",
    ),
    (lambda: not F.company.employees, TypeError, r"`&`"),
    # types that cannot be compared
    (
        lambda: F.company.employees >= "50",
        RuleBuildError,
        r">= comparison: cannot compare F\.company\.employees \(int\) with '50' \(str\)",
    ),
    (lambda: F.company.employees == "many", RuleBuildError, r"\(int\) with 'many' \(str\)"),
    (lambda: F.company.employees.isin({"50"}), RuleBuildError, r"isin: cannot compare"),
    (lambda: F.company.employees.between("a", 5), RuleBuildError, r"between: cannot compare"),
    (lambda: F.company.name > 3, RuleBuildError, r"cannot compare F\.company\.name \(str\)"),
    (lambda: F.created_at.before(date(2026, 1, 1)), RuleBuildError, r"\(datetime\) with"),
    (
        lambda: F.company.annual_revenue >= 10_000_000,
        RuleBuildError,
        r"compare with Money\(amount=\.\.\., currency=\.\.\.\) or use \.amount",
    ),
    (lambda: F.contact.opted_out < True, RuleBuildError, r"< does not order booleans"),
    # enum values
    (
        lambda: F.contact.seniority == "vpp",
        RuleBuildError,
        r"'vpp' is not a value of contact\.seniority; did you mean 'vp'\?",
    ),
    (
        lambda: F.bant.budget.status.isin({"aproved"}),
        RuleBuildError,
        r"isin: 'aproved' is not a value of bant\.budget\.status; did you mean 'approved'\?",
    ),
    (
        lambda: F.contact.seniority.isin({"cto"}),
        RuleBuildError,
        r"allowed: \['ic', 'manager', 'director', 'vp', 'c_level', 'owner'\]",
    ),
    (
        lambda: F.contact.buying_roles.contains("champ"),
        RuleBuildError,
        r"contains: 'champ' is not one of",
    ),
    # unsafe regular expressions
    (lambda: F.contact.title.matches(r"(a+)+$"), UnsafePatternError, r"nested repetition"),
    (lambda: F.contact.title.matches(r"(\w*)*x"), UnsafePatternError, r"nested repetition"),
    (lambda: F.contact.title.matches(r"(?:a|b+){2,}"), UnsafePatternError, r"nested repetition"),
    (lambda: F.contact.title.matches(r"(\w+) \1"), UnsafePatternError, r"back-references"),
    (lambda: F.contact.title.matches(r"(?P<w>a)(?P=w)"), UnsafePatternError, r"back-references"),
    (
        lambda: F.contact.title.matches("a" * 201),
        UnsafePatternError,
        r"pattern of 201 characters; at most 200 allowed",
    ),
    (lambda: F.contact.title.matches("("), UnsafePatternError, r"invalid regular expression"),
    (lambda: F.company.employees.matches("1"), RuleBuildError, r"matches needs a text"),
    # wrong operand kinds
    (lambda: F.company.technologies.startswith("x"), RuleBuildError, r"startswith needs a text"),
    (lambda: F.contact.title.endswith(3), RuleBuildError, r"endswith takes a string, got 3"),
    (lambda: F.company.employees.contains(3), RuleBuildError, r"contains needs a set or a text"),
    (lambda: F.company.employees.overlaps({3}), RuleBuildError, r"overlaps needs a set"),
    (lambda: F.company.employees.size(), RuleBuildError, r"size needs a set or list"),
    (lambda: F.company.employees.age_days(), RuleBuildError, r"day counts need a date"),
    (lambda: F.company.name + 1, RuleBuildError, r"'\+' needs numbers, got F\.company\.name"),
    (lambda: F.company.employees.isin("abc"), RuleBuildError, r"isin takes a collection"),
    (lambda: F.company.employees.isin({F.company.founded_year}), RuleBuildError, r"plain values"),
    # logic
    (
        lambda: all_of(F.company.employees),
        RuleBuildError,
        r"all_of / & needs conditions, got F\.company\.employees; compare it first",
    ),
    (lambda: any_of(TRUE, 3), RuleBuildError, r"any_of / \| needs conditions"),
    (lambda: ~F.company.employees, RuleBuildError, r"not_ / ~ needs conditions"),
    (lambda: at_least(-1, TRUE), RuleBuildError, r"at_least needs a whole number >= 0, got -1"),
    (lambda: at_least(True, TRUE), RuleBuildError, r"got True"),
    (lambda: at_least(1.5, TRUE), RuleBuildError, r"got 1\.5"),
    (lambda: minimum(), RuleBuildError, r"minimum needs at least one value"),
    (lambda: maximum(), RuleBuildError, r"maximum needs at least one value"),
    (lambda: rule("", TRUE), RuleBuildError, r"a rule name must be a non-empty string"),
    # scoring
    (
        lambda: points(10, when=F.company.employees),
        RuleBuildError,
        r"points\(when=\.\.\.\) needs a condition, got F\.company\.employees",
    ),
    (lambda: points(10, when=True), RuleBuildError, r"needs a condition, got True"),
    (lambda: points("ten", when=TRUE), RuleBuildError, r"points must be a number, got 'ten'"),
    (lambda: points(float("nan"), when=TRUE), RuleBuildError, r"points must be finite"),
    (lambda: points(True, when=TRUE), RuleBuildError, r"points must be a number, got True"),
    (
        lambda: points("1e999999999", when=TRUE),
        RuleBuildError,
        r"points must be below 10\*\*28",
    ),
    (lambda: per(10, F.company.employees >= 5), RuleBuildError, r"per\(\.\.\.\) needs a number"),
    (lambda: per(10, F.company.name), RuleBuildError, r"per\(\.\.\.\) needs a number"),
    (
        lambda: score(points(1, when=TRUE), floor=10, cap=5),
        RuleBuildError,
        r"floor 10 is above cap 5",
    ),
    (
        lambda: score(F.company.employees >= 5),
        RuleBuildError,
        r"score parts are points, not conditions: wrap .* in points\(\)",
    ),
    (lambda: score(cap="x"), RuleBuildError, r"cap must be a number, got 'x'"),
    (lambda: grade(TRUE, {"A": 1}, default="B"), RuleBuildError, r"grade needs a number"),
    # decision tables
    (
        lambda: decision_table([(TRUE, 1)], hit_policy="any"),
        RuleBuildError,
        r"unknown hit policy 'any'; use one of \['collect', 'collect_max', 'collect_sum'",
    ),
    (lambda: decision_table([]), RuleBuildError, r"a decision table needs at least one row"),
    (
        lambda: decision_table([(F.company.employees, 1)]),
        RuleBuildError,
        r"row 0: F\.company\.employees is not a condition",
    ),
    (
        lambda: decision_table([(TRUE, 1), (TRUE,)]),
        RuleBuildError,
        r"row 1 must be a \(condition, output\) pair",
    ),
    (
        lambda: decision_table([(TRUE, "a")], hit_policy="collect_sum"),
        RuleBuildError,
        r"row 0: collect_sum needs numeric outputs, got 'a'",
    ),
    # signals
    (lambda: signals(within=-1), RuleBuildError, r"within must be a whole number of days >= 0"),
    (lambda: signals(kind=""), RuleBuildError, r"signal kinds must be non-empty strings"),
    (lambda: signals(kind=["a", 3]), RuleBuildError, r"signal kinds must be non-empty strings"),
    (lambda: signals().count(limit=-1), RuleBuildError, r"limit must be a whole number >= 0"),
    (lambda: signals().decayed(half_life_days=0), RuleBuildError, r"half_life_days must be > 0"),
    (lambda: signals().decayed(half_life_days="7"), RuleBuildError, r"must be a number"),
]


@pytest.mark.parametrize(("build", "error", "match"), BUILD_ERRORS)
def test_bad_rules_fail_when_built(build, error, match):
    """Each bad rule raises its error, with a message that names the problem."""
    with pytest.raises(error, match=match):
        build()


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (RuleBuildError, TypeError),
        (UnknownFieldError, AttributeError),
        (UnsafePatternError, ValueError),
        (RuleLimitError, ValueError),
    ],
)
def test_errors_inherit_the_matching_builtin(error, builtin):
    """Rule errors are also the builtin exception that fits them."""
    assert issubclass(error, builtin)


def nested(depth: int):
    """A tree of alternating any_of / all_of, ``depth`` levels of logic deep."""
    node = F.company.employees >= 1
    for level in range(depth):
        other = F.company.employees >= level
        node = all_of(node, other) if level % 2 else any_of(node, other)
    return node


RUNNERS = {
    "evaluate": lambda r, limits: evaluate(r, Lead(), as_of=AS_OF, limits=limits),
    "explain": lambda r, limits: explain(r, Lead(), as_of=AS_OF, limits=limits),
    "compile_rule": lambda r, limits: compile_rule(r, limits=limits),
}


@pytest.mark.parametrize("run", RUNNERS.values(), ids=RUNNERS.keys())
@pytest.mark.parametrize(
    ("tree", "limits", "match"),
    [
        (nested(5), Limits(max_depth=4), r"rule nesting depth exceeds 4"),
        (nested(100), None, r"rule nesting depth exceeds 64"),
        (nested(5), Limits(max_nodes=10), r"rule has more than 10 nodes"),
    ],
    ids=["depth", "default-depth", "size"],
)
def test_limits(run, tree, limits, match):
    """Trees deeper or larger than the limits are refused before evaluation."""
    with pytest.raises(RuleLimitError, match=match):
        run(tree, limits)


def test_trees_within_limits_run():
    """A tree within the limits evaluates."""
    assert evaluate(nested(5), Lead(), as_of=AS_OF, limits=Limits(max_depth=20)).is_unknown


NAIVE = {
    "evaluate": lambda as_of: evaluate(TRUE, Lead(), as_of=as_of),
    "explain": lambda as_of: explain(TRUE, Lead(), as_of=as_of),
    "compiled": lambda as_of: compile_rule(TRUE)(Lead(), as_of=as_of),
    "compiled.at": lambda as_of: compile_rule(TRUE).at(as_of),
}


@pytest.mark.parametrize("run", NAIVE.values(), ids=NAIVE.keys())
@pytest.mark.parametrize(
    "as_of", [datetime(2026, 5, 1), date(2026, 5, 1), "2026-05-01T00:00:00Z"], ids=repr
)
def test_as_of_must_be_timezone_aware(run, as_of):
    """A naive or non-datetime as_of is refused: "now" must be a real instant."""
    with pytest.raises(TypeError, match=r"as_of must be a timezone-aware datetime"):
        run(as_of)
