"""Named rules, rule sets with references, and custom rules written as functions."""

from __future__ import annotations

import pytest

from funnelkit.model import Company, Contact, Lead
from funnelkit.rules import (
    F,
    RuleBuildError,
    RuleEvaluationError,
    Truth,
    custom_rule,
    evaluate,
    explain,
    points,
    ref,
    registered_rule,
    rule,
    rule_set,
    score,
)

T, FA, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
EDU = Lead(company=Company(domain="mit.edu", employees=12000))
COM = Lead(company=Company(domain="acme.com", employees=40))
EMPTY = Lead()
CALLS: list[str] = []


@custom_rule
def t_has_contact(lead: Lead) -> bool | None:
    """The lead names a person."""
    return lead.contact is not None


@custom_rule(inputs={"domain": F.company.domain})
def t_is_edu(domain: str) -> bool | None:
    """The company's domain is an academic one."""
    CALLS.append(domain)
    return domain.endswith(".edu")


@custom_rule(inputs={"employees": F.company.employees})
def t_unsure(employees: int) -> bool | None:
    """Undecided for every head count."""
    return None


@custom_rule(inputs={"title": F.contact.title})
def t_title_length(title: str) -> int:
    """The length of the contact's title."""
    return len(title)


@custom_rule(inputs={"employees": F.company.employees})
def t_returns_text(employees: int) -> bool | None:
    """Wrongly returns a string."""
    return "yes"  # type: ignore[return-value]


@custom_rule
def t_truth(lead: Lead) -> Truth:
    """Returns a Truth directly."""
    return Truth.UNKNOWN if lead.company is None else Truth.TRUE


def test_named_rule_evaluates_like_its_rule(ev):
    """A named rule has the outcome of the rule it names."""
    assert ev(rule("enterprise", F.company.employees >= 1000), EDU) is T


def test_named_rule_value(ev):
    """A named value rule gives the value of the rule it names."""
    assert ev(rule("head count", F.company.employees), COM) == 40


def test_named_rule_appears_in_traces(as_of):
    """explain labels a named rule by its name and keeps its description."""
    named = rule("enterprise", F.company.employees >= 1000, description="1,000+ staff")
    trace = explain(named, EDU, as_of=as_of).trace
    assert (trace.label, trace.description) == ("rule 'enterprise'", "1,000+ staff")


def test_named_rule_composes(ev):
    """Named rules combine with & like any condition."""
    big = rule("big", F.company.employees >= 1000)
    assert ev(big & (F.company.domain == "mit.edu"), EDU) is T


def test_rule_set_gives_every_output_in_order(ev):
    """A rule set evaluates to a dict of its outputs, in definition order."""
    rs = rule_set(size=F.company.employees, big=F.company.employees >= 1000)
    assert list(ev(rs, EDU).items()) == [("size", 12000), ("big", T)]


def test_ref_reads_an_earlier_output(ev):
    """ref(name) reads an earlier output of the same rule set."""
    rs = rule_set(
        fit=score(points(50, when=F.company.employees >= 1000)),
        good=ref("fit") >= 40,
    )
    assert ev(rs, EDU) == {"fit": 50, "good": T}


def test_ref_carries_unknown_facts(as_of):
    """explain lists the facts behind a referenced output."""
    rs = rule_set(
        fit=score(points(50, when=F.company.employees >= 1000)),
        good=ref("fit") >= 40,
    )
    assert explain(rs, EMPTY, as_of=as_of).unknown_facts == ("company.employees",)


@pytest.mark.parametrize(
    "outputs",
    [
        {"good": ref("fit") >= 40},
        {"good": ref("fit") >= 40, "fit": F.company.employees},
        {"a": F.company.employees, "b": ref("A") >= 1},
    ],
    ids=["undefined", "defined-later", "wrong-case"],
)
def test_ref_to_an_undefined_output_is_a_build_error(outputs):
    """A ref to an output not defined before it fails when the rule set is built."""
    with pytest.raises(RuleBuildError, match="which is not defined before it"):
        rule_set(**outputs)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [(Lead(contact=Contact(name="Ana")), T), (EMPTY, FA)],
    ids=["contact", "no-contact"],
)
def test_lead_level_custom_rule(ev, lead, expected):
    """A custom rule without inputs receives the whole lead."""
    assert ev(t_has_contact, lead) is expected


@pytest.mark.parametrize(("lead", "expected"), [(EDU, T), (COM, FA)], ids=["edu", "com"])
def test_inputs_level_custom_rule(ev, lead, expected):
    """A custom rule with inputs receives the named field values."""
    assert ev(t_is_edu, lead) is expected


def test_custom_rule_returning_none_is_unknown(ev):
    """A custom rule that returns None is UNKNOWN."""
    assert ev(t_unsure, EDU) is U


def test_custom_rule_may_return_a_truth(ev):
    """A custom rule may return a Truth directly."""
    assert ev(t_truth, EMPTY) is U


def test_custom_rule_is_not_called_with_a_missing_input(as_of):
    """With a missing input the function is not called and the result is UNKNOWN."""
    CALLS.clear()
    assert evaluate(t_is_edu, EMPTY, as_of=as_of) is U
    assert CALLS == []


def test_custom_value_rule(ev):
    """A custom rule annotated to return an int is a value."""
    assert ev(t_title_length, Lead(contact=Contact(title="CTO"))) == 3


def test_custom_value_rule_with_a_missing_input_is_missing(ev):
    """A custom value rule with a missing input is missing."""
    assert ev(t_title_length, EMPTY) is None


def test_custom_rules_compose(ev):
    """Custom rules combine with other rules."""
    assert ev(t_is_edu & (F.company.employees >= 1000), EDU) is T


def test_custom_rule_docstring_is_its_description(as_of):
    """explain shows a custom rule's docstring as its description."""
    trace = explain(t_is_edu, EDU, as_of=as_of).trace
    assert trace.description == "The company's domain is an academic one."


def test_custom_rule_returning_a_non_bool_is_an_error(as_of):
    """A condition custom rule returning something else than bool | None raises."""
    with pytest.raises(RuleEvaluationError, match=r"returned 'yes', not bool \| None"):
        evaluate(t_returns_text, EDU, as_of=as_of)


def test_registry_lookup_by_name():
    """A custom rule is registered under its function's name."""
    assert registered_rule("t_is_edu") is t_is_edu


def test_registry_lookup_of_an_unknown_name():
    """Looking up an unregistered name raises KeyError listing the known names."""
    with pytest.raises(KeyError, match=r"no custom rule named 't_nope'.*t_is_edu"):
        registered_rule("t_nope")


def test_custom_rule_with_an_explicit_name():
    """name= registers a custom rule under another name."""

    @custom_rule(name="t_renamed", inputs={"n": F.company.employees})
    def anything(n: int) -> bool | None:
        return n > 0

    assert registered_rule("t_renamed") is anything


def t_bad_inputs(domain: str) -> bool | None:
    """Takes a domain."""
    return None


def t_untyped(lead):  # type: ignore[no-untyped-def]
    """Has no return annotation."""
    return True


def t_other(lead: Lead) -> bool | None:
    """Would take t_has_contact's name."""
    return None


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda: custom_rule(t_bad_inputs, inputs={"website": F.company.domain}),
            r"inputs \['website'\] do not match the function's parameters \['domain'\]",
        ),
        (
            lambda: custom_rule(t_bad_inputs, inputs={}),
            r"inputs \[\] do not match",
        ),
        (lambda: custom_rule(t_untyped), "must declare its return type"),
        (
            lambda: custom_rule(t_other, name="t_has_contact"),
            "a different custom rule is already named 't_has_contact'",
        ),
    ],
    ids=["renamed-input", "no-inputs", "no-annotation", "name-taken"],
)
def test_custom_rule_build_errors(make, match):
    """Bad custom rules fail when they are declared."""
    with pytest.raises(RuleBuildError, match=match):
        make()
