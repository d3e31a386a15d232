"""Framework and Criterion: looking up, replacing, extending and dropping criteria."""

from __future__ import annotations

import pickle

import pytest

from funnelkit.errors import FunnelkitError
from funnelkit.frameworks import (
    ANUM,
    BANT_FRAMEWORK,
    MEDDIC,
    MEDDPICC,
    Criterion,
    Framework,
    UnknownCriterionError,
)
from funnelkit.frameworks._parts import need_rule
from funnelkit.rules import FALSE, TRUE, UNKNOWN, F, RuleBuildError, Truth, evaluate
from funnelkit.rules.tree._expr import Literal
from funnelkit.rules.tree._meta import walk

from .conftest import AS_OF, BUDGET, judge

SECURITY = Criterion(
    key="security_review",
    label="Security review",
    rule=F.custom["security_review"] == "passed",
    description="The buyer's security team signed off (custom.security_review).",
)


def test_criterion_looks_a_criterion_up_by_key():
    """criterion(key) returns the criterion with that key."""
    assert BANT_FRAMEWORK.criterion("need").label == "Need"


def test_an_unknown_key_suggests_the_closest_one():
    """A misspelt key raises UnknownCriterionError with a 'did you mean'."""
    with pytest.raises(
        UnknownCriterionError, match="bant has no criterion 'budgt'; did you mean 'budget'"
    ):
        BANT_FRAMEWORK.criterion("budgt")


def test_a_key_far_from_any_lists_the_known_keys():
    """With no close key, the message lists the framework's keys."""
    with pytest.raises(UnknownCriterionError, match="known: budget, authority, need, timeline"):
        BANT_FRAMEWORK.criterion("zzz")


def test_unknown_criterion_error_is_a_key_error_and_a_funnelkit_error():
    """Callers can catch it as KeyError or as FunnelkitError."""
    with pytest.raises(UnknownCriterionError) as info:
        MEDDIC.criterion("paper_process")
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, FunnelkitError)
    assert (info.value.framework, info.value.key) == ("meddic", "paper_process")


def test_unknown_criterion_error_survives_pickling():
    """The error pickles with its attributes (for multiprocessing workers)."""
    err = UnknownCriterionError("bant", "budgt", BANT_FRAMEWORK.keys)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    assert again.known == BANT_FRAMEWORK.keys


def test_replace_changes_one_criterion_and_keeps_the_order():
    """replace swaps one criterion's rule; the keys and their order stay."""
    stricter = BANT_FRAMEWORK.replace("budget", rule=F.bant.budget.status == "approved")
    assert stricter.keys == BANT_FRAMEWORK.keys
    assert judge(stricter.criterion("budget").rule, BUDGET.met) is Truth.FALSE
    assert judge(BANT_FRAMEWORK.criterion("budget").rule, BUDGET.met) is Truth.TRUE


def test_replace_keeps_what_it_is_not_given():
    """Replacing the rule keeps the label, description and evidence."""
    old = BANT_FRAMEWORK.criterion("budget")
    new = BANT_FRAMEWORK.replace("budget", rule=TRUE).criterion("budget")
    assert (new.label, new.description, new.evidence) == (old.label, old.description, old.evidence)


def test_replace_can_change_the_label_and_description():
    """replace accepts a new label and description without a rule."""
    renamed = ANUM.replace("money", label="Funding", description="Funds exist.")
    assert (renamed.criterion("money").label, renamed.criterion("money").description) == (
        "Funding",
        "Funds exist.",
    )


def test_replace_an_unknown_key_suggests_one():
    """replace with a misspelt key raises UnknownCriterionError with a suggestion."""
    with pytest.raises(UnknownCriterionError, match="did you mean 'champion'"):
        MEDDIC.replace("champoin", rule=TRUE)


def test_replace_checks_the_new_rule_is_a_condition():
    """A number rule cannot replace a condition."""
    with pytest.raises(RuleBuildError, match="a criterion's rule must be a condition"):
        BANT_FRAMEWORK.replace("budget", rule=F.company.employees)


def test_extend_adds_criteria_at_the_end():
    """extend appends criteria after the existing ones."""
    assert MEDDPICC.extend(SECURITY).keys == (*MEDDPICC.keys, "security_review")


def test_extend_refuses_a_key_already_there():
    """Two criteria with one key are refused."""
    with pytest.raises(RuleBuildError, match="criterion 'budget' appears twice"):
        BANT_FRAMEWORK.extend(BANT_FRAMEWORK.criterion("budget"))


def test_extend_refuses_what_is_not_a_criterion():
    """Only Criterion objects can be added."""
    with pytest.raises(RuleBuildError, match="criteria must be Criterion"):
        BANT_FRAMEWORK.extend(F.custom["x"] == 1)  # type: ignore[arg-type]


def test_without_drops_the_named_criteria():
    """without removes criteria and keeps the rest in order."""
    assert MEDDPICC.without("paper_process", "competition").keys == MEDDIC.keys


def test_without_an_unknown_key_suggests_one():
    """without with a misspelt key raises before dropping anything."""
    with pytest.raises(UnknownCriterionError, match="did you mean 'competition'"):
        MEDDPICC.without("paper_process", "competitor")


def test_adapting_a_framework_leaves_the_original_alone():
    """replace, extend and without return new frameworks; the preset is unchanged."""
    before = BANT_FRAMEWORK.keys, BANT_FRAMEWORK.criterion("budget").rule
    BANT_FRAMEWORK.replace("budget", rule=FALSE).extend(SECURITY).without("need")
    assert BANT_FRAMEWORK.keys == before[0]
    assert BANT_FRAMEWORK.criterion("budget").rule is before[1]


def test_a_framework_knows_which_keys_it_holds():
    """`key in framework` asks about criterion keys."""
    assert "need" in BANT_FRAMEWORK
    assert "metrics" not in BANT_FRAMEWORK


def test_fields_lists_what_the_criteria_read():
    """fields names the model and custom paths a framework reads, sorted."""
    fields = MEDDIC.fields
    assert list(fields) == sorted(fields)
    assert {"custom.metrics", "contact.buying_roles", "bant.need.pain_points"} <= set(fields)


def test_a_part_not_assessed_is_the_unknown_constant():
    """A BANT part nobody looked into is UNKNOWN through the UNKNOWN constant, not a none test."""
    nodes = list(walk(need_rule()))
    assert any(node is UNKNOWN for node in nodes)
    assert not any(isinstance(node, Literal) and node.value is None for node in nodes)


def test_a_plain_boolean_becomes_a_constant_condition():
    """True and False are accepted as rules and become TRUE and FALSE."""
    always = Criterion(key="always", label="Always", rule=True)
    assert always.rule is TRUE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"key": "Budget"}, "key must be a lower-case identifier"),
        ({"key": "1st"}, "key must be a lower-case identifier"),
        ({"rule": 3}, "a criterion's rule must be a condition, got 3"),
        ({"evidence": "bant.budget"}, "evidence must be the path of an Evidence field"),
        (
            {"evidence": "bant.budgt.evidence"},
            "evidence: unknown field 'bant.budgt.evidence'; did you mean 'bant.budget.evidence'",
        ),
    ],
)
def test_bad_criteria_are_refused_when_built(fields: dict[str, object], message: str):
    """A bad key, rule or evidence path fails at construction, naming the value."""
    args: dict[str, object] = {"key": "budget", "label": "Budget", "rule": TRUE}
    args.update(fields)
    with pytest.raises(RuleBuildError, match=message):
        Criterion(**args)  # type: ignore[arg-type]


def test_a_framework_key_must_be_an_identifier():
    """Rule outputs are named after the key, so it must be a lower-case identifier."""
    with pytest.raises(RuleBuildError, match="key must be a lower-case identifier"):
        Framework(key="My BANT", name="Mine", criteria=BANT_FRAMEWORK.criteria)


def test_met_count_counts_met_criteria_only():
    """met_count is a score of one point per TRUE criterion; UNKNOWN adds nothing."""
    assert evaluate(BANT_FRAMEWORK.met_count(), BUDGET.met, as_of=AS_OF) == 1
