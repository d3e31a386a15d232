"""Explanations: traces, and unknown facts that are decisive."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import Company, Lead
from funnelkit.rules import (
    HIT_POLICIES,
    Explanation,
    F,
    Limits,
    RuleEvaluationError,
    RuleLimitError,
    TraceNode,
    Truth,
    at_least,
    custom_rule,
    decision_table,
    evaluate,
    explain,
    points,
    ref,
    rule,
    rule_set,
    score,
)
from funnelkit.rules.engines.explain._explain import plan_for
from funnelkit.rules.meaning._operations import read_path
from funnelkit.rules.tree._meta import walk
from funnelkit.rules.tree._paths import field_info
from funnelkit.testing import aware_datetimes, leads
from funnelkit.testing._rules import conditions, field_values, scores, values, with_field

T, FA, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)
MID = Lead(company=Company(employees=120))
EMPTY = Lead()


def facts(rule, lead):
    """The outcome and unknown facts of ``rule`` for ``lead``."""
    why = explain(rule, lead, as_of=AS_OF)
    return why.outcome, why.unknown_facts


def test_unknown_comparison_names_its_field():
    """An UNKNOWN comparison lists the missing field."""
    assert facts(F.company.country == "US", MID) == (U, ("company.country",))


def test_known_outcome_lists_nothing():
    """A comparison of present values lists no facts."""
    assert facts(F.company.employees >= 50, MID) == (T, ())


def test_settled_false_in_all_of_lists_nothing():
    """A FALSE that no missing fact could flip settles all_of: nothing to find out."""
    rule = (F.company.employees >= 500) & (F.company.country == "US")
    assert facts(rule, MID) == (FA, ())


def test_settled_true_in_any_of_lists_nothing():
    """A TRUE that no missing fact could flip settles any_of: nothing to find out."""
    rule = (F.company.employees >= 50) | (F.company.country == "US")
    assert facts(rule, MID) == (T, ())


def test_unsettled_all_of_lists_every_unknown_item():
    """An UNKNOWN all_of lists the facts of all its UNKNOWN items."""
    rule = (F.company.country == "US") & (F.company.industry == "software")
    assert facts(rule, MID) == (U, ("company.country", "company.industry"))


def test_false_that_could_flip_keeps_its_facts():
    """A FALSE that rests on a missing fact (an absent set is empty) keeps that fact."""
    rule = (F.company.technologies.size() >= 1) & (F.company.employees >= 0)
    assert facts(rule, EMPTY) == (FA, ("company.employees", "company.technologies"))


def test_at_least_settled_lists_nothing():
    """at_least already reached by known items lists nothing."""
    rule = at_least(1, F.company.employees >= 50, F.company.country == "US")
    assert facts(rule, MID) == (T, ())


def test_at_least_unsettled_lists_unknown_items():
    """at_least that UNKNOWN items could still decide lists their facts."""
    rule = at_least(2, F.company.employees >= 50, F.company.country == "US")
    assert facts(rule, MID) == (U, ("company.country",))


def test_score_lists_facts_of_unknown_points():
    """A score lists the facts behind points it could not give."""
    rule = score(
        points(10, when=F.company.employees >= 50), points(5, when=F.company.region == "NA")
    )
    assert facts(rule, MID) == (10, ("company.region",))


def test_table_lists_facts_of_unknown_rows():
    """A decision table lists the facts of rows it skipped as UNKNOWN."""
    table = decision_table([(F.company.country == "US", "us")], default="other")
    assert facts(table, MID) == ("other", ("company.country",))


def test_table_lists_facts_of_outputs_that_unknown_rows_could_give():
    """A skipped UNKNOWN row's output facts are listed: finding out the row may need them."""
    table = decision_table([(F.company.country == "US", F.company.founded_year)], default=0)
    assert facts(table >= 1, MID) == (FA, ("company.country", "company.founded_year"))


@custom_rule
def t_knows_contact(lead: Lead) -> bool | None:
    """Unknown without a contact."""
    return None if lead.contact is None else True


def test_lead_level_custom_rule_lists_nothing():
    """A custom rule reading the whole lead cannot name its facts."""
    assert facts(t_knows_contact, EMPTY) == (U, ())


def test_enum_unknown_member_is_a_fact():
    """An enum's UNKNOWN member is listed as a fact to find out."""
    assert facts(F.bant.budget.status == "approved", EMPTY) == (U, ("bant.budget.status",))


def test_render():
    """str(explanation) shows one node per line and what to find out."""
    why = explain((F.company.employees >= 50) & (F.company.country == "US"), MID, as_of=AS_OF)
    assert str(why) == (
        "all_of -> UNKNOWN   [find out: company.country]\n"
        "  F.company.employees >= 50 -> TRUE\n"
        "    F.company.employees -> 120\n"
        "  F.company.country == 'US' -> UNKNOWN   [find out: company.country]\n"
        "    F.company.country -> missing   [find out: company.country]\n"
        "find out: company.country"
    )


def test_to_dict():
    """to_dict gives the outcome, the facts and the trace as plain data."""
    why = explain(F.company.country == "US", MID, as_of=AS_OF)
    assert why.to_dict() == {
        "outcome": "unknown",
        "unknown_facts": ["company.country"],
        "trace": {
            "node": "F.company.country == 'US'",
            "outcome": "unknown",
            "unknown": ["company.country"],
            "children": [
                {"node": "F.company.country", "outcome": None, "unknown": ["company.country"]},
            ],
        },
    }


def test_html():
    """The notebook view escapes labels and lists the facts to find out."""
    html = explain(F.company.country == "US", MID, as_of=AS_OF)._repr_html_()
    assert "F.company.country == &#x27;US&#x27;" in html
    assert "<li><code>company.country</code></li>" in html


# -- decisive facts ------------------------------------------------------------------------
# Each property is checked on every node of a random tree, so that one example checks many
# UNKNOWN outcomes (a whole random tree is UNKNOWN only now and then).

DECIDABLE = conditions(max_leaves=8, partial=False, presence=False, custom=False) | values(
    partial=False, custom=False
)
ANY_TREE = st.one_of(
    conditions(max_leaves=8, presence=False, custom=False),
    values(custom=False),
    scores(max_leaves=4, custom=False),
)


def fillable(path: str) -> bool:
    """Whether field_values can produce values for the path."""
    return field_info(path).kind not in ("object", "mapping", "list")


ERROR = object()


def attempt(run):
    """``run()``, or ERROR when the rule cannot be evaluated (two 'unique' rows match...)."""
    try:
        return run()
    except (RuleEvaluationError, ArithmeticError):  # decimal errors on NaN, say
        return ERROR


def fill(lead: Lead, paths, data) -> Lead | None:
    """``lead`` with random values at ``paths``; None if one is an object (not fillable)."""
    if not all(fillable(p) for p in paths):
        return None
    for path in paths:
        lead = with_field(lead, path, data.draw(field_values(path), label=path))
    return lead


def same(a: object, b: object) -> bool:
    """Equal values of one type; NaN equals NaN."""
    return type(a) is type(b) and (a == b or (a != a and b != b))


def missing(lead: Lead, paths: frozenset[str]) -> set[str]:
    """The paths that are missing in ``lead``."""
    return {p for p in paths if read_path(lead, tuple(p.split("."))) is None}


@examples(20, suppress_health_check=[HealthCheck.filter_too_much])
@given(DECIDABLE, leads(max_history=2), aware_datetimes(), st.data())
def test_filling_in_every_unknown_fact_decides(rule, lead, as_of, data):
    """Finding out all the unknown facts of an UNKNOWN (or missing) result decides it."""
    checked = 0
    for node in walk(rule):
        why = attempt(lambda node=node: explain(node, lead, as_of=as_of))
        if why is ERROR or why.outcome not in (U, None):
            continue
        filled = fill(lead, why.unknown_facts, data)
        if filled is None:
            continue
        result = attempt(lambda node=node, filled=filled: evaluate(node, filled, as_of=as_of))
        if result is ERROR:
            continue
        assert result is not U, (node, why.unknown_facts)
        assert result is not None, (node, why.unknown_facts)
        checked += 1
    assume(checked)


@examples(15, suppress_health_check=[HealthCheck.filter_too_much])
@given(conditions(max_leaves=8, custom=False), leads(max_history=2), aware_datetimes(), st.data())
def test_filling_in_an_unlisted_fact_changes_nothing(rule, lead, as_of, data):
    """Finding out a missing fact that explain does not list never changes the outcome."""
    checked = 0
    for node in walk(rule):
        why = attempt(lambda node=node: explain(node, lead, as_of=as_of))
        if why is ERROR:
            continue
        read = node.meta.fields() - {"signals"}
        before = missing(lead, read)
        unlisted = sorted(p for p in before if fillable(p) and p not in why.unknown_facts)
        if not unlisted:
            continue
        path = data.draw(st.sampled_from(unlisted), label="path")
        filled = with_field(lead, path, data.draw(field_values(path), label=path))
        if (before - missing(filled, read)) & set(why.unknown_facts):
            continue  # creating the company (say) also found out a listed fact
        result = attempt(lambda node=node, filled=filled: evaluate(node, filled, as_of=as_of))
        assert result is ERROR or same(result, why.outcome), (node, path)
        checked += 1
    assume(checked)


@examples(15, suppress_health_check=[HealthCheck.filter_too_much])
@given(ANY_TREE, leads(max_history=2), aware_datetimes(), st.data())
def test_unknown_facts_determine_the_outcome(rule, lead, as_of, data):
    """Once the unknown facts are found out, finding out the others changes nothing."""
    checked = 0
    for node in walk(rule):
        why = attempt(lambda node=node: explain(node, lead, as_of=as_of))
        if why is ERROR:
            continue
        known = fill(lead, why.unknown_facts, data)
        if known is None:
            continue
        rest = sorted(p for p in missing(known, node.meta.fields() - {"signals"}) if fillable(p))
        complete = fill(known, rest, data)
        if not rest or complete is None:
            continue
        first = attempt(lambda node=node, known=known: evaluate(node, known, as_of=as_of))
        then = attempt(lambda node=node, c=complete: evaluate(node, c, as_of=as_of))
        if ERROR in (first, then):
            continue
        assert same(first, then), (node, why.unknown_facts)
        checked += 1
    assume(checked)


# -- the trace: what it shows, and that it is built lazily ---------------------------------


def test_literals_under_code_labels_have_no_trace_line():
    """A comparison's trace shows the field it read, not the literal its label shows."""
    why = explain(F.company.employees.between(50, 5000), MID, as_of=AS_OF)
    assert [c.label for c in why.trace.children] == ["F.company.employees"]


def test_table_outputs_keep_their_trace_lines():
    """A decision table's literal outputs are traced: its label does not show them."""
    table = decision_table([(F.company.employees >= 50, "mid")], default="small")
    trace = explain(table, MID, as_of=AS_OF).trace
    assert [(c.label, c.outcome) for c in trace.children] == [
        ("F.company.employees >= 50", T),
        ("'mid'", "mid"),
    ]


def test_rule_set_trace_has_one_child_per_output():
    """A rule set's trace has one child per output, literal outputs included."""
    rs = rule_set(size=F.company.employees, fixed=5, big=ref("size") >= 100)
    trace = explain(rs, MID, as_of=AS_OF).trace
    assert [c.outcome for c in trace.children] == [120, 5, T]


def test_ref_lists_the_facts_of_the_output_it_reads():
    """A ref to an output with unknown facts lists them in its trace (and its parents)."""
    rs = rule_set(fit=score(points(50, when=F.company.employees >= 1000)), good=ref("fit") >= 40)
    good = explain(rs, EMPTY, as_of=AS_OF).trace.children[1]
    assert (good.outcome, good.unknown) == (FA, frozenset({"company.employees"}))
    assert good.children[0].unknown == frozenset({"company.employees"})


def test_trace_is_built_once_and_kept():
    """Reading the trace twice gives the very same tree."""
    why = explain((F.company.employees >= 50) & (F.company.country == "US"), MID, as_of=AS_OF)
    assert why.trace is why.trace


def test_lazy_trace_equals_an_eager_one():
    """An explanation equals one built eagerly from its parts, before and after reading."""
    rule = (F.company.employees >= 50) & (F.company.country == "US")
    eager = explain(rule, MID, as_of=AS_OF)
    eager = Explanation(outcome=eager.outcome, trace=eager.trace, unknown_facts=eager.unknown_facts)
    assert explain(rule, MID, as_of=AS_OF) == eager
    assert repr(explain(rule, MID, as_of=AS_OF)) == repr(eager)


def test_explanation_fields_are_its_three_parts():
    """An explanation's attrs fields are outcome, trace and unknown facts, nothing hidden."""
    why = explain(F.company.country == "US", MID, as_of=AS_OF)
    assert attrs.asdict(why, recurse=False) == {
        "outcome": U,
        "trace": why.trace,
        "unknown_facts": ("company.country",),
    }


def test_explanations_are_immutable():
    """Setting an attribute of an explanation raises, whether its trace was read or not."""
    why = explain(F.company.country == "US", MID, as_of=AS_OF)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        why.trace = TraceNode("x", T)  # type: ignore[misc]
    assert why.trace.label == "F.company.country == 'US'"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        why.outcome = T  # type: ignore[misc]


def test_explanations_pickle_and_copy():
    """A lazily built explanation pickles and deep-copies to an equal one."""
    test = F.company.country.isin({"US", "DE"})
    why = explain(test, MID, as_of=AS_OF)
    assert pickle.loads(pickle.dumps(explain(test, MID, as_of=AS_OF))) == why
    assert copy.deepcopy(explain(test, MID, as_of=AS_OF)) == why


def test_plan_is_reused_for_the_same_rule():
    """Explaining one rule object again reuses its plan."""
    rule = F.company.employees >= 50
    assert plan_for(rule) is plan_for(rule)


def test_cached_plan_still_checks_limits():
    """A rule explained once within loose limits is refused under tighter ones."""
    rule = (F.company.employees >= 50) & (F.company.country == "US")
    explain(rule, MID, as_of=AS_OF, limits=Limits(max_nodes=100))
    with pytest.raises(RuleLimitError, match="more than 3 nodes"):
        explain(rule, MID, as_of=AS_OF, limits=Limits(max_nodes=3))
    with pytest.raises(RuleLimitError, match="depth exceeds 2"):
        explain(rule, MID, as_of=AS_OF, limits=Limits(max_depth=2))


def test_ref_outside_a_rule_set_is_an_error():
    """A ref with no rule set around it raises KeyError, as the interpreter does."""
    with pytest.raises(KeyError, match="fit"):
        explain(ref("fit") >= 40, MID, as_of=AS_OF)
    with pytest.raises(KeyError, match="fit"):
        explain(rule("r", ref("fit")), MID, as_of=AS_OF)


# -- the explaining engine on rule sets, every hit policy and custom rules ------------------


def outcome_of(run):
    """``("value", run())`` or ``("error", type)``: two engines must agree on either."""
    try:
        return ("value", run())
    except Exception as error:
        return ("error", type(error))


def agree(left, right) -> bool:
    """Two outcomes are the same value (same type, NaN equal) or the same kind of error."""
    if left[0] != right[0]:
        return False
    if left[0] == "error":
        return left[1] is right[1]
    a, b = left[1], right[1]
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return same(a, b)


POLICIES = st.sampled_from(sorted(HIT_POLICIES))


@st.composite
def tables(draw, *, custom: bool = True):
    """Decision tables of every hit policy over small conditions, with number outputs."""
    conds = conditions(max_leaves=3, custom=custom)
    outputs = values(max_leaves=2, custom=custom) | st.integers(0, 50)
    rows = draw(st.lists(st.tuples(conds, outputs), min_size=1, max_size=3))
    default = draw(st.none() | st.integers(0, 50) | values(max_leaves=2, custom=custom))
    return decision_table(rows, hit_policy=draw(POLICIES), default=default)


@st.composite
def rule_sets(draw, *, custom: bool = True):
    """Rule sets whose later outputs read earlier ones through refs (tables, tests, scores)."""
    fit = draw(scores(max_leaves=4, custom=custom))
    ready = draw(conditions(max_leaves=4, custom=custom))
    level = draw(st.integers(0, 40))
    stage = decision_table(
        [
            ((ref("fit", kind="int") >= level) & ref("ready", condition=True), "hot"),
            (ref("fit", kind="int") >= level, "warm"),
        ],
        hit_policy=draw(st.sampled_from(("first", "unique", "collect"))),
        default=draw(st.none() | st.just("cold")),
    )
    extra = score(points(draw(st.integers(1, 9)), when=ref("ready", condition=True)), ref("fit"))
    return rule_set(fit=fit, ready=ready, stage=stage, bonus=extra)


@examples(15)
@given(tables() | rule_sets(), leads(max_history=2), aware_datetimes())
def test_explain_agrees_with_the_interpreter_on_tables_and_rule_sets(rule, lead, as_of):
    """explain's outcome (or error) is the interpreter's, for tables and rule sets."""
    expected = outcome_of(lambda: evaluate(rule, lead, as_of=as_of))
    assert agree(outcome_of(lambda: explain(rule, lead, as_of=as_of).outcome), expected)


@examples(12)
@given(rule_sets(), leads(max_history=2), aware_datetimes())
def test_rule_set_traces_follow_the_outputs(rs, lead, as_of):
    """A rule set's trace has one child per output, with that output's value."""
    why = attempt(lambda: explain(rs, lead, as_of=as_of))
    assume(why is not ERROR)
    kids = why.trace.children
    assert [k.outcome for k in kids] == [why.outcome[name] for name in rs.names]
    assert frozenset(why.unknown_facts) == frozenset().union(*(k.unknown for k in kids))


@examples(12, suppress_health_check=[HealthCheck.filter_too_much])
@given(rule_sets(custom=False), leads(max_history=2), aware_datetimes(), st.data())
def test_each_output_is_decided_by_its_unknown_facts(rs, lead, as_of, data):
    """Once an output's unknown facts are found out, finding out others leaves it as is."""
    why = attempt(lambda: explain(rs, lead, as_of=as_of))
    assume(why is not ERROR)
    checked = 0
    for name, kid in zip(rs.names, why.trace.children, strict=True):
        known = fill(lead, sorted(kid.unknown), data)
        if known is None:
            continue
        rest = sorted(p for p in missing(known, rs.meta.fields() - {"signals"}) if fillable(p))
        complete = fill(known, rest, data)
        if not rest or complete is None:
            continue
        first = attempt(lambda known=known: evaluate(rs, known, as_of=as_of))
        then = attempt(lambda c=complete: evaluate(rs, c, as_of=as_of))
        if ERROR in (first, then):
            continue
        assert same(first[name], then[name]), (name, kid.unknown)
        checked += 1
    assume(checked)


@examples(10, suppress_health_check=[HealthCheck.filter_too_much])
@given(tables(custom=False), leads(max_history=2), aware_datetimes(), st.data())
def test_table_facts_determine_the_outcome(table, lead, as_of, data):
    """For every hit policy, a table's unknown facts determine its outcome."""
    why = attempt(lambda: explain(table, lead, as_of=as_of))
    assume(why is not ERROR)
    known = fill(lead, why.unknown_facts, data)
    assume(known is not None)
    rest = sorted(p for p in missing(known, table.meta.fields() - {"signals"}) if fillable(p))
    complete = fill(known, rest, data)
    assume(rest and complete is not None)
    first = attempt(lambda: evaluate(table, known, as_of=as_of))
    then = attempt(lambda: evaluate(table, complete, as_of=as_of))
    assume(ERROR not in (first, then))
    assert agree(("value", first), ("value", then)), why.unknown_facts


@examples(25)
@given(conditions(max_leaves=6) | scores(max_leaves=4), leads(max_history=2), aware_datetimes())
def test_trace_shows_what_was_evaluated(rule, lead, as_of):
    """Every trace node's outcome is what the interpreter gives for that node."""
    why = attempt(lambda: explain(rule, lead, as_of=as_of))
    assume(why is not ERROR)
    assert why.trace.outcome is why.outcome or same(why.trace.outcome, why.outcome)
    assert json.loads(why.to_json()) == why.to_dict()
    assert str(why).startswith(why.trace.label)


def test_child_facts_match_the_trace(as_of):
    """child_facts gives each rule-set output's facts, as the trace's children have them."""
    from funnelkit.rules import ref, rule_set

    rules = rule_set(
        big=F.company.employees >= 50,
        here=F.company.country == "US",
        both=ref("big", condition=True) & ref("here", condition=True),
    )
    lead = Lead(company=Company(employees=10))
    lazy = explain(rules, lead, as_of=as_of)
    facts = lazy.child_facts()
    eager = explain(rules, lead, as_of=as_of)
    assert facts == tuple(child.unknown for child in eager.trace.children)
    assert facts == (frozenset(), frozenset({"company.country"}), frozenset())


# A unique table that fails when the country is missing (two rows match)
_FAILS = decision_table(
    [(F.company.country.is_missing(), 1), (F.company.country.is_missing(), 2)],
    hit_policy="unique",
)


@pytest.mark.parametrize(
    ("rule", "lead"),
    [
        # the row's condition is UNKNOWN: the interpreter never evaluates its output
        (decision_table([(F.company.employees >= 10, _FAILS)]), Lead(company=Company())),
        # a row matches, so the interpreter never evaluates the default (explain does,
        # for the facts: finding out the country could undo the match)
        (
            decision_table([(F.company.country.is_missing(), 5)], default=_FAILS),
            Lead(company=Company()),
        ),
        # the same as a later row of a collecting table, its condition UNKNOWN
        (
            decision_table(
                [(F.company.name.is_missing(), 3), (F.company.employees >= 10, _FAILS)],
                hit_policy="collect_sum",
            ),
            Lead(company=Company()),
        ),
    ],
)
def test_outputs_the_interpreter_never_reaches_do_not_fail(rule, lead):
    """explain evaluates more of a table than the interpreter, for the facts; never more errors."""
    expected = evaluate(rule, lead, as_of=AS_OF)
    why = explain(rule, lead, as_of=AS_OF)
    assert why.outcome == expected
    assert "company.employees" in why.unknown_facts or "company.country" in why.unknown_facts
    str(why)  # the trace leaves the failed output out


def test_outputs_the_interpreter_reaches_still_fail():
    """A failing output of a row that matches fails in both."""
    rule = decision_table([(F.company.name.is_missing(), _FAILS)])
    lead = Lead(company=Company())
    with pytest.raises(RuleEvaluationError):
        evaluate(rule, lead, as_of=AS_OF)
    with pytest.raises(RuleEvaluationError):
        explain(rule, lead, as_of=AS_OF)
