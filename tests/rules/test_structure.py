"""Structure of rule trees: flattening, constants, reprs, inspection, hashing, pickling."""

from __future__ import annotations

import copy
import pickle
import re
import sys
import threading
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import Company, Lead, Money
from funnelkit.rules import (
    FALSE,
    TRUE,
    F,
    all_of,
    any_of,
    at_least,
    compile_rule,
    decision_table,
    grade,
    lit,
    minimum,
    none_of,
    not_,
    per,
    points,
    ref,
    rule,
    rule_set,
    score,
    signals,
)
from funnelkit.testing import leads
from funnelkit.testing._rules import conditions, scores, values

A = F.company.employees >= 50
B = F.company.country == "US"
C = F.contact.seniority.isin({"vp", "c_level"})
D = F.company.industry == "software"


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        ((A & B) & C, all_of(A, B, C)),
        (A & (B & C), all_of(A, B, C)),
        (all_of(all_of(A, B), all_of(C, D)), all_of(A, B, C, D)),
        ((A | B) | C, any_of(A, B, C)),
        (A | (B | C), any_of(A, B, C)),
        (A.and_(B, C), all_of(A, B, C)),
        (A.or_(B).or_(C), any_of(A, B, C)),
    ],
    ids=repr,
)
def test_same_operators_flatten(built, expected):
    """Nested & (or |) flatten into one all_of (or any_of)."""
    assert built.meta.eq(expected)


def test_mixed_operators_do_not_flatten():
    """(a & b) | c keeps the & inside the |."""
    tree = (A & B) | C
    assert tree.meta.eq(any_of(all_of(A, B), C))
    assert not tree.meta.eq(any_of(A, B, C))


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (A & TRUE, A),
        (TRUE & A, A),
        (A | FALSE, A),
        (FALSE | A, A),
        (A & True, A),
        (A | False, A),
        (all_of(A, TRUE, B), all_of(A, B)),
        (any_of(A, FALSE, B), any_of(A, B)),
    ],
    ids=repr,
)
def test_identity_constants_drop_out(built, expected):
    """TRUE is the identity of & and FALSE the identity of |."""
    assert built.meta.eq(expected)


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (A & FALSE, FALSE),
        (FALSE & A, FALSE),
        (all_of(A, B, FALSE, C), FALSE),
        (A | TRUE, TRUE),
        (any_of(A, TRUE, B), TRUE),
        (A & False, FALSE),
        (A | True, TRUE),
    ],
    ids=repr,
)
def test_absorbing_constants_absorb(built, expected):
    """FALSE absorbs & and TRUE absorbs |."""
    assert built is expected


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (all_of(), TRUE),
        (any_of(), FALSE),
        (all_of(A), A),
        (any_of(A), A),
        (not_(TRUE), FALSE),
        (not_(FALSE), TRUE),
        (none_of(), TRUE),
        (at_least(0, A, B), TRUE),
        (at_least(3, A, B), FALSE),
    ],
    ids=[
        "all_of()",
        "any_of()",
        "all_of(a)",
        "any_of(a)",
        "~TRUE",
        "~FALSE",
        "none_of()",
        "at_least(0)",
        "at_least(3 of 2)",
    ],
)
def test_degenerate_forms_simplify(built, expected):
    """Empty and one-item forms simplify to a constant or the item."""
    assert built.meta.eq(expected)


def test_double_negation_is_removed():
    """~~a is a itself."""
    assert ~~A is A


def test_single_negation_is_kept():
    """~a is a Not node around a."""
    assert (~A).children() == (A,)


def test_none_of_is_not_any_of():
    """none_of(a, b) is ~any_of(a, b)."""
    assert none_of(A, B).meta.eq(~(A | B))


def test_operators_evaluate_nothing():
    """Building a rule reads no lead; it returns a node."""
    built = (A & B) | ~C
    assert type(built).__name__ == "Any"


def test_strings_are_values_not_paths():
    """A string is always a literal value, even if it looks like a field path."""
    assert lit("company.employees").meta.eq(lit("company.employees"))
    assert not lit("company.employees").meta.eq(F.company.employees)


@pytest.mark.parametrize(
    ("built", "text"),
    [
        (A, "F.company.employees >= 50"),
        (
            (A & C) | ~B,
            "any_of(all_of(F.company.employees >= 50, "
            "F.contact.seniority.isin({'c_level', 'vp'})), not_(F.company.country == 'US'))",
        ),
        (F.created_at.within(days=30), "F.created_at.within(days=30)"),
        (F.company.employees.is_present(), "F.company.employees.is_present()"),
        (F.company.employees.is_missing(), "F.company.employees.is_missing()"),
        (F.custom["tier"] == "gold", "F.custom['tier'] == 'gold'"),
        ((F.company.employees + 1) * 2 > 10, "((F.company.employees + 1) * 2) > 10"),
        (F.company.employees.clip(0, 10), "F.company.employees.clip(0, 10)"),
        (minimum(F.company.employees, 3), "minimum(F.company.employees, 3)"),
        (
            signals(kind="demo_request", within=30).count(limit=1) >= 1,
            "signals(kind='demo_request', within=30).count(limit=1) >= 1",
        ),
        (
            signals(kind={"b", "a"}, explicit=True).decayed(half_life_days=7),
            "signals(kind={'a', 'b'}, explicit=True).decayed(half_life_days=7.0)",
        ),
        (signals().latest(), "signals().latest()"),
        (
            F.company.annual_revenue >= Money(amount=10, currency="USD"),
            "F.company.annual_revenue >= Money(amount=Decimal('10'), currency='USD')",
        ),
        (
            score(points(20, when=A, label="size"), per(5, F.company.technologies.size()), cap=30),
            "score(points(20, when=F.company.employees >= 50, label='size'), "
            "per(5, F.company.technologies.size()), cap=30)",
        ),
        (
            grade(F.company.employees, {"B": 10, "A": 100}, default="C"),
            "grade(F.company.employees, {'A': 100, 'B': 10}, default='C')",
        ),
        (
            decision_table([(A, "big")], default="small"),
            "decision_table([(F.company.employees >= 50, 'big')], hit_policy='first', "
            "default='small')",
        ),
        (at_least(1, A, B), "at_least(1, F.company.employees >= 50, F.company.country == 'US')"),
        (rule("big", A), "rule('big', F.company.employees >= 50)"),
        (
            rule_set(n=F.company.employees, big=ref("n") >= 50),
            "rule_set(n=F.company.employees, big=ref('n') >= 50)",
        ),
        (TRUE, "TRUE"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_repr_reads_like_code(built, text):
    """A rule's repr is the code that builds it."""
    assert repr(built) == text


@given(conditions())
def test_repr_never_falls_back(tree):
    """Every node of a random tree has a code-like repr, never a <ClassName> placeholder."""
    assert not re.search(r"<[A-Z]\w*>", repr(tree))


def test_tree_format():
    """tree_format shows one node per line, children indented."""
    tree = score(points(20, when=A & ~B, label="fit"), per(10, signals(kind="x").count()))
    assert tree.meta.tree_format() == (
        "score\n"
        "  points(20) 'fit'\n"
        "    all_of\n"
        "      F.company.employees >= 50\n"
        "      not_\n"
        "        F.company.country == 'US'\n"
        "  per(10)\n"
        "    signals(kind='x').count()"
    )


@pytest.mark.parametrize(
    ("built", "fields"),
    [
        (A, {"company.employees"}),
        ((A & B) | ~C, {"company.employees", "company.country", "contact.seniority"}),
        (signals(kind="x").count() >= 1, {"signals"}),
        (
            score(points(1, when=A), per(2, signals().count())),
            {"company.employees", "signals"},
        ),
        (TRUE, set()),
        (F.custom["tier"] == "gold", {"custom.tier"}),
    ],
    ids=repr,
)
def test_fields_lists_what_a_rule_reads(built, fields):
    """meta.fields() names every path the rule reads (signals as 'signals')."""
    assert built.meta.fields() == fields


def test_node_count_and_depth():
    """meta.node_count() counts nodes and meta.depth() the levels."""
    tree = A & ~B
    assert (tree.meta.node_count(), tree.meta.depth()) == (8, 4)


def test_equal_trees_have_equal_meta_views():
    """Two separately built equal trees are meta.eq, and their .meta views equal and hash alike."""
    one, two = (A & B) | C, (F.company.employees >= 50) & (F.company.country == "US") | C
    assert one.meta.eq(two)
    assert one.meta == two.meta
    assert hash(one.meta) == hash(two.meta)


def test_rules_work_in_sets_and_as_dict_keys():
    """A rule is found in a set and as a dict key by identity; building it again is another key."""
    rule = F.company.employees >= 50
    assert rule in {rule}
    assert {rule: "big"}[rule] == "big"
    assert (F.company.employees >= 50) not in {rule}


def test_structural_sets_go_through_meta():
    """Sets of .meta views hold one entry per distinct tree, whoever built it."""
    views = {(F.company.employees >= 50).meta, A.meta, (F.company.country == "US").meta}
    assert len(views) == 2
    assert (F.company.employees >= 50).meta in views
    assert next(iter({A.meta})).node is A


def test_meta_views_do_not_equal_other_things():
    """A .meta view is not equal to its node, nor to a string."""
    assert A.meta != "F.company.employees >= 50"
    assert A.meta.__eq__(A) is NotImplemented


@pytest.mark.parametrize(
    "other",
    [
        F.company.employees >= 51,
        F.company.employees > 50,
        F.company.founded_year >= 50,
        F.company.employees >= 50.0,
        ~A,
    ],
    ids=repr,
)
def test_different_trees_are_not_meta_eq(other):
    """Trees that differ in an operator, a path, a value or its type are not meta.eq."""
    assert not A.meta.eq(other)


def test_meta_eq_of_a_non_rule():
    """meta.eq with something that is not a rule is False."""
    assert not A.meta.eq("F.company.employees >= 50")


def test_nodes_are_frozen():
    """Rule nodes cannot be changed after they are built."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        A.op = "<"  # type: ignore[misc]


@given(conditions())
def test_pickled_conditions_round_trip(tree):
    """A pickled condition loads as a structurally equal tree; its .meta hashes alike."""
    loaded = pickle.loads(pickle.dumps(tree))
    assert loaded.meta.eq(tree)
    assert hash(loaded.meta) == hash(tree.meta)


@examples(20)
@given(scores(max_leaves=6))
def test_pickled_scores_round_trip(tree):
    """A pickled score loads as a structurally equal tree."""
    assert pickle.loads(pickle.dumps(tree)).meta.eq(tree)


@examples(25)
@given(values(), values())
def test_hash_agrees_with_meta_eq(one, other):
    """Trees that are meta.eq have .meta views that hash alike; a deep copy is meta.eq."""
    assert one.meta.eq(copy.deepcopy(one))
    if one.meta.eq(other):
        assert hash(one.meta) == hash(other.meta)
    else:
        assert one.meta.key() != other.meta.key()


def test_pickled_field_checks_its_path_again():
    """A pickled field keeps its catalogue entry."""
    loaded = pickle.loads(pickle.dumps(F.contact.seniority))
    assert loaded.info.enum is not None


POLICY = score(
    points(20, when=F.company.employees.between(50, 5000)),
    points(10, when=F.company.country.isin({"US", "CA"})),
    per(10, signals(kind="pricing_page_view", within=30).count(limit=3)),
)


@examples(10)
@given(st.lists(leads(), min_size=1, max_size=10))
def test_compiled_rule_is_thread_safe(batch):
    """Four threads evaluating one compiled rule on the same leads get the same results."""
    compiled = compile_rule(POLICY)
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    expected = [compiled(lead, as_of=as_of) for lead in batch]
    results: list[list[object]] = []

    def work() -> None:
        for _ in range(10):
            results.append([compiled(lead, as_of=as_of) for lead in batch])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 40


def test_compiled_rule_cache_survives_threads():
    """Threads evaluating at many instants at once never break the per-instant cache."""
    compiled = compile_rule(POLICY)
    lead = Lead(company=Company(employees=100, country="US"))
    start = datetime(2026, 5, 1, tzinfo=UTC)
    errors: list[BaseException] = []
    switch = sys.getswitchinterval()

    def work(offset: int) -> None:
        try:
            for i in range(3000):
                assert compiled(lead, as_of=start + timedelta(hours=(i + offset) % 24)) == 30
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    sys.setswitchinterval(1e-6)  # switch threads often, to provoke races
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert errors == []
