"""Explanations: traces, and unknown facts that are decisive."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from funnelkit.model import Company, Lead
from funnelkit.rules import (
    F,
    RuleEvaluationError,
    Truth,
    at_least,
    custom_rule,
    decision_table,
    evaluate,
    explain,
    points,
    score,
)
from funnelkit.rules._interpret import read_path
from funnelkit.rules._meta import walk
from funnelkit.rules._paths import field_info
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
        "    50 -> 50\n"
        "  F.company.country == 'US' -> UNKNOWN   [find out: company.country]\n"
        "    F.company.country -> missing   [find out: company.country]\n"
        "    'US' -> 'US'\n"
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
                {"node": "'US'", "outcome": "US"},
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


@settings(suppress_health_check=[HealthCheck.filter_too_much])
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


@settings(suppress_health_check=[HealthCheck.filter_too_much])
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


@settings(suppress_health_check=[HealthCheck.filter_too_much])
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
