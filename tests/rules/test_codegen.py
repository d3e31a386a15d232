"""The generated code of compiled rules: safe by construction, and exact where it is subtle."""

from __future__ import annotations

import functools
import io
import keyword
import re
import tokenize
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import BANT, Company, Lead, Money, Signal, Timeline
from funnelkit.model._enums import AuthorityLevel, Direction
from funnelkit.rules import (
    F,
    Limits,
    Truth,
    all_of,
    any_of,
    compile_rule,
    custom_rule,
    decision_table,
    evaluate,
    grade,
    not_,
    points,
    rule,
    rule_set,
    score,
    signals,
)
from funnelkit.rules.engines.compiled._base import GENERATED_NAME, model_attributes
from funnelkit.rules.engines.compiled._compile import CACHE_SIZE
from funnelkit.rules.engines.compiled._generate import TEMPLATE_NAMES
from funnelkit.rules.engines.compiled._runtime import RUNTIME_NAMES
from funnelkit.testing import aware_datetimes, leads
from funnelkit.testing._rules import conditions, scores, values

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)
HOSTILE = st.sampled_from(
    (
        '"); import os; ("',
        "'); __import__('os').system('echo pwned'); ('",
        '"""',
        "'''",
        "\\",
        "\n#",
        "{0}{x!r}",
        "a'b\"c",
        "_T",
        "lead",
    )
) | st.text(min_size=1, max_size=12)
KEYS = HOSTILE.filter(lambda key: "." not in key)
ALLOWED_NAMES = frozenset(keyword.kwlist) | RUNTIME_NAMES | TEMPLATE_NAMES | model_attributes()
ALLOWED_TOKENS = frozenset(
    {
        tokenize.NAME,
        tokenize.OP,
        tokenize.NUMBER,
        tokenize.NEWLINE,
        tokenize.NL,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
)
TEMPLATE_NUMBERS = frozenset({"0", "1", "0.0", "0.5", "86400.0"})


def _title_has(title: str, part: str) -> bool | None:
    """The title holds ``part``; a custom rule with a hostile name and inputs."""
    return part in title


@functools.cache
def _hostile_custom() -> Any:
    """A custom rule whose name is hostile text (registered once)."""
    return custom_rule(
        _title_has,
        name='fkt "); import os; #',
        inputs={"title": F.contact.title, "part": F.custom['it\'s "x"']},
    )


def _leaves(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Conditions that carry hostile text in every place a rule can hold text."""
    custom = KEYS.map(lambda key: F.custom[key])
    return st.one_of(
        st.builds(lambda field, s: field == s, custom, text),
        st.builds(lambda field, a, b: field.isin({a, b, None}), custom, text, text),
        st.builds(lambda s: F.company.industry.startswith(s), text),
        st.builds(lambda s: F.company.industry.endswith(s), text),
        st.builds(lambda s: F.contact.title.icontains(s), text),
        st.builds(lambda s: F.company.tags.contains(s), text),
        st.builds(lambda s: F.company.technologies.overlaps({s}), text),
        st.builds(lambda s: F.company.name.matches(re.escape(s)), text),
        st.builds(lambda field, s: field.startswith(s), custom, text),
        st.builds(lambda s: signals(kind=s, within=30).count() >= 1, text),
        st.builds(lambda s: signals(kind=s).latest().is_present(), text),
        st.builds(
            lambda a, b: decision_table([(F.company.employees >= 50, a)], default=b) == a,
            text,
            text,
        ),
        st.builds(
            lambda a, b: grade(F.company.employees, {a: 50}, default=b).isin({a}), text, text
        ),
        st.builds(lambda name, c: rule(name, c), text.filter(str.strip), conditions(max_leaves=2)),
        st.just(_hostile_custom()),
    )


def hostile_rules() -> st.SearchStrategy[Any]:
    """Rules full of hostile text: conditions, scores over them, rule sets named by it."""
    conds = st.recursive(
        _leaves(HOSTILE),
        lambda kids: (
            st.lists(kids, min_size=2, max_size=3).map(lambda xs: all_of(*xs))
            | st.lists(kids, min_size=2, max_size=3).map(lambda xs: any_of(*xs))
            | kids.map(not_)
        ),
        max_leaves=6,
    )
    scored = st.lists(st.builds(points, st.integers(-5, 5), when=conds), min_size=1).map(
        lambda xs: score(*xs)
    )
    named = st.dictionaries(HOSTILE, conds | scored, min_size=1, max_size=3).map(
        lambda outputs: rule_set(**outputs)
    )
    return st.one_of(conds, scored, named)


def check_tokens(source: str) -> None:
    """Assert ``source`` holds no string, comment or stray token, and only known names."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        assert token.type in ALLOWED_TOKENS, token
        if token.type == tokenize.NAME:
            assert token.string in ALLOWED_NAMES or GENERATED_NAME.fullmatch(token.string), token
        if token.type == tokenize.NUMBER:
            assert token.string in TEMPLATE_NUMBERS, token


@given(hostile_rules())
def test_generated_source_never_holds_rule_text(tree):
    """Source made from rules full of hostile text has no string token and no foreign name."""
    check_tokens(compile_rule(tree).source)


@examples(30)
@given(conditions() | values() | scores(max_leaves=6))
def test_generated_source_of_random_rules_is_template_only(tree):
    """Any random rule's source is made of templates, generated names and model fields."""
    check_tokens(compile_rule(tree).source)


def outcome(run: Any) -> tuple[str, object]:
    """``repr`` of what ``run()`` returns, or the type of what it raises."""
    try:
        return ("value", repr(run()))
    except Exception as error:
        return ("error", type(error))


@examples(20)
@given(hostile_rules(), leads(max_history=1))
def test_hostile_text_is_data(tree, lead):
    """Hostile text in a rule is compared as a value, exactly as the interpreter does."""
    expected = outcome(lambda: evaluate(tree, lead, as_of=AS_OF))
    assert outcome(lambda: compile_rule(tree)(lead, as_of=AS_OF)) == expected


def test_namespace_has_no_builtins():
    """The generated function runs without builtins, with only helpers and constants."""
    compiled = compile_rule(F.company.employees.between(50, 5000) & F.custom["x"].is_present())
    scope = compiled.at(AS_OF).__globals__
    assert scope["__builtins__"] == {}
    extra = set(scope) - RUNTIME_NAMES - {"__builtins__", "_make"}
    assert extra
    assert all(GENERATED_NAME.fullmatch(name) for name in extra)


def test_user_text_does_not_reach_the_source():
    """A custom key and a literal built to break out of a string stay out of the source."""
    tree = F.custom['k"); import os; ("'] == '"); import os; ("'
    source = compile_rule(tree).source
    assert "import" not in source
    assert '"' not in source
    assert "'" not in source


def test_source_is_read_only():
    """CompiledRule.source can be read but not replaced."""
    compiled = compile_rule(F.company.employees >= 50)
    assert compiled.source.startswith("def _make(_as_of):")
    with pytest.raises(AttributeError):
        compiled.source = "def _make(_as_of): ..."  # type: ignore[misc]


def _reference_policy_source() -> str:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "reference_policy.py"
    spec = importlib.util.spec_from_file_location("fk_reference_policy_codegen", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return compile_rule(module.REFERENCE_POLICY).source


def test_reference_policy_makes_no_truth_objects():
    """The reference policy's function tests conditions directly, never through Truths."""
    names = {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(_reference_policy_source()).readline)
        if token.type == tokenize.NAME
    }
    assert not names & {"_T", "_F", "_U", "_compare", "_interpret"}


def _nested(depth: int, leaf: Any) -> Any:
    """Alternating all_of / any_of, ``depth`` levels deep, with ``leaf`` at every level."""
    node = leaf
    for level in range(depth):
        other = F.company.employees >= level
        node = all_of(leaf, node, other) if level % 2 else any_of(leaf, node, other)
    return node


@examples(10)
@given(leads(max_history=1))
def test_deep_trees_compile_and_agree(lead):
    """A tree nested too deep for one function's indentation still gives the interpreter's."""
    large = _hostile_custom()
    for tree, limits in ((_nested(60, large), None), (_nested(150, large), Limits(200))):
        compiled = compile_rule(tree, limits=limits)
        expected = outcome(functools.partial(evaluate, tree, lead, as_of=AS_OF, limits=limits))
        assert outcome(functools.partial(compiled, lead, as_of=AS_OF)) == expected


def test_wide_tables_and_junctions_compile():
    """Hundreds of rows or items compile (long elif chains are split) and agree."""
    rows = [(F.company.employees >= n, n) for n in range(300, 0, -1)]
    table = decision_table(rows, default=-1)
    wide = all_of(*(F.company.employees != n for n in range(500)))
    lead = Lead(company=Company(employees=123))
    for tree in (table, wide, any_of(*(signals(kind=f"k{n}").exists() for n in range(100)))):
        assert compile_rule(tree)(lead, as_of=AS_OF) == evaluate(tree, lead, as_of=AS_OF)


def test_equal_instants_in_other_zones_are_not_confused():
    """An as_of equal to a cached one but in another zone gets its own calendar date."""
    tree = F.bant.timeline.decision_date.days_until()
    lead = Lead(bant=BANT(timeline=Timeline(decision_date=date(2026, 5, 10))))
    compiled = compile_rule(tree)
    utc = datetime(2026, 5, 1, 23, 30, tzinfo=UTC)
    later_zone = utc.astimezone(timezone(timedelta(hours=2)))
    assert utc == later_zone
    assert compiled(lead, as_of=utc) == evaluate(tree, lead, as_of=utc) == 9
    assert compiled(lead, as_of=later_zone) == evaluate(tree, lead, as_of=later_zone) == 8


def test_cache_is_bounded():
    """A compiled rule keeps functions for a few instants only."""
    compiled = compile_rule(F.company.employees >= 1)
    for hour in range(3 * CACHE_SIZE):
        compiled(Lead(), as_of=AS_OF + timedelta(hours=hour))
    assert len(compiled._cache) == CACHE_SIZE


PARIS = ZoneInfo("Europe/Paris")
ZONES = st.sampled_from((UTC, PARIS, ZoneInfo.no_cache("Europe/Paris"), timezone(timedelta(0))))
DST = datetime(2026, 3, 29, 1, 30)  # Paris moves from +01:00 to +02:00 at 02:00 that night


@given(
    as_of=st.sampled_from((0, 1, 2, 24, 25, 48)).map(
        lambda hours: (DST + timedelta(hours=hours)).replace(tzinfo=PARIS)
    ),
    within=st.sampled_from((None, 0, 1, 2)),
    near_edge=st.lists(st.integers(-120, 120), min_size=1, max_size=6),
    zones=st.lists(ZONES, min_size=6, max_size=6),
    explicit=st.sampled_from((None, True, False)),
)
def test_signal_windows_agree_across_time_zones(as_of, within, near_edge, zones, explicit):
    """Windows ending at an as_of in a zone with DST count exactly what the interpreter does."""
    edge = as_of.astimezone(UTC) - timedelta(days=within or 0)
    moments = [
        (edge + timedelta(minutes=m)).astimezone(zone)
        for m, zone in zip(near_edge, zones, strict=False)
    ]
    lead = Lead(
        signals=[
            Signal(kind="demo_request", occurred_at=at, explicit=i % 2 == 0, value=float(i))
            for i, at in enumerate(moments)
        ]
    )
    query = signals(kind="demo_request", within=within, explicit=explicit)
    tree = rule_set(
        n=query.count(),
        latest=query.latest(),
        total=query.sum(),
        decayed=query.decayed(half_life_days=1),
    )
    assert repr(compile_rule(tree)(lead, as_of=as_of)) == repr(evaluate(tree, lead, as_of=as_of))


@given(aware_datetimes(), st.integers(0, 5))
def test_signals_after_as_of_are_ignored(as_of, ahead):
    """A signal after as_of counts in neither engine; one exactly at as_of counts."""
    lead = Lead(
        signals=[
            Signal(kind="demo_request", occurred_at=as_of),
            Signal(kind="demo_request", occurred_at=as_of + timedelta(seconds=ahead + 1)),
        ]
    )
    tree = signals(kind="demo_request").count()
    assert compile_rule(tree)(lead, as_of=as_of) == evaluate(tree, lead, as_of=as_of) == 1


@pytest.mark.parametrize(
    ("tree", "lead", "expected"),
    [
        (
            F.company.industry.isin({"unknown"}),
            Lead(company=Company(industry=Direction.UNKNOWN)),
            Truth.UNKNOWN,
        ),
        (
            F.custom["tier"] == "unknown",
            Lead(custom={"tier": AuthorityLevel.UNKNOWN}),
            Truth.UNKNOWN,
        ),
        (F.custom["tier"].is_missing(), Lead(custom={"tier": AuthorityLevel.UNKNOWN}), Truth.TRUE),
        (
            F.company.industry.is_present(),
            Lead(company=Company(industry=Direction.UNKNOWN)),
            Truth.FALSE,
        ),
    ],
    ids=repr,
)
def test_enum_members_named_unknown_are_missing(tree, lead, expected):
    """An enum member named UNKNOWN reads as missing, even in a text or custom field."""
    assert evaluate(tree, lead, as_of=AS_OF) is expected
    assert compile_rule(tree)(lead, as_of=AS_OF) is expected


@pytest.mark.parametrize(
    ("tree", "company"),
    [
        (F.company.employees.between(Decimal("NaN"), 10), Company(employees=5)),
        (F.company.employees.between(1, Decimal("NaN")), Company(employees=0)),
        (F.company.employees < Decimal("sNaN"), Company(employees=5)),
        (
            F.company.annual_revenue.amount.between(10**9, float("nan")),
            Company(annual_revenue=Money(amount=5)),
        ),
    ],
    ids=repr,
)
def test_not_a_number_bounds_raise_as_in_the_interpreter(tree, company):
    """Decimal NaN bounds raise the interpreter's error even where a short cut would not."""
    lead = Lead(company=company)
    with pytest.raises(InvalidOperation):
        evaluate(tree, lead, as_of=AS_OF)
    with pytest.raises(InvalidOperation):
        compile_rule(tree)(lead, as_of=AS_OF)


@pytest.mark.parametrize(("employees", "raises"), [(1, False), (100, True)])
def test_signal_sums_raise_only_where_evaluated(employees, raises):
    """A sum too large for a float raises only when the rule gets to it, as interpreted."""
    tree = all_of(F.company.employees >= 50, signals().sum() >= 1)
    lead = Lead(
        company=Company(employees=employees),
        signals=[Signal(kind="usage", occurred_at=AS_OF, value=10**400)],
    )
    for engine in (functools.partial(evaluate, tree), compile_rule(tree)):
        if raises:
            with pytest.raises(OverflowError):
                engine(lead, as_of=AS_OF)
        else:
            assert engine(lead, as_of=AS_OF) is Truth.FALSE
