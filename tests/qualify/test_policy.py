"""Policies: validation at construction, and the rule set they compile to."""

from __future__ import annotations

import pytest

from funnelkit.frameworks import BANT_FRAMEWORK
from funnelkit.model import STARTER_FUNNEL
from funnelkit.qualify import STARTER, Policy, PolicyError, StageGate
from funnelkit.rules import TRUE, F, points, ref, score


def _policy(**changes: object) -> Policy:
    fields: dict[str, object] = {
        "name": "p",
        "funnel": STARTER_FUNNEL,
        "gates": [StageGate(stage="inquiry", entry=TRUE)],
    }
    fields.update(changes)
    return Policy(**fields)  # type: ignore[arg-type]


def test_the_rule_set_outputs_come_in_the_documented_order():
    """Definitions, fit, grades, engagement, framework criteria and counts, then gates."""
    policy = _policy(
        definitions={"big": F.company.employees >= 1000},
        frameworks=[BANT_FRAMEWORK],
        gates=[StageGate(stage="profiled", entry=ref("big", condition=True))],
    )
    assert policy.rules.names == (
        "big",
        "fit",
        "fit_grade",
        "engagement",
        "engagement_grade",
        "bant_budget",
        "bant_authority",
        "bant_need",
        "bant_timeline",
        "bant_met",
        "stage_profiled",
    )


def test_gates_are_ordered_by_the_funnel_not_by_the_argument_order():
    """ordered_gates follows the funnel's stage order."""
    policy = _policy(
        gates=[StageGate(stage="sales_ready", entry=TRUE), StageGate(stage="inquiry", entry=TRUE)]
    )
    assert [s.key for s, _ in policy.ordered_gates] == ["inquiry", "sales_ready"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gates": [StageGate(stage="profiled_lead", entry=TRUE)]}, "did you mean 'profiled'"),
        ({"gates": [StageGate(stage="customer", entry=TRUE)]}, "'customer' is a won stage"),
        (
            {"gates": [StageGate(stage="inquiry", entry=TRUE)] * 2},
            r"gates\[1\]: stage 'inquiry' has two gates",
        ),
        (
            {"gates": [StageGate(stage="inquiry", entry=ref("nope") > 1)]},
            "refers to 'nope', which is not defined before it",
        ),
        ({"definitions": {"fit": TRUE}}, "the definition name 'fit' is taken"),
        ({"definitions": {"Big One": TRUE}}, "must be a lower-case identifier"),
        ({"fit": F.company.employees >= 1}, "fit must be a number rule"),
        ({"fit_grades": {"A": "high"}}, "grade band 'A' needs an int or Decimal"),
        ({"frameworks": [BANT_FRAMEWORK, BANT_FRAMEWORK]}, "'bant_budget' clashes"),
    ],
)
def test_bad_policies_fail_at_construction(changes, message):
    """A policy that does not hang together raises PolicyError (or a KeyError) naming why."""
    with pytest.raises((PolicyError, KeyError), match=message):
        _policy(**changes)


def test_a_gate_entry_must_be_a_condition():
    """A number as a stage's entry rule is refused."""
    with pytest.raises(PolicyError, match="must be a condition"):
        StageGate(stage="inquiry", entry=score(points(1, when=TRUE)))


def test_fit_grades_are_sorted_highest_first():
    """Grade bands may be given in any order."""
    policy = _policy(fit_grades={"C": 10, "A": 90, "B": 50})
    assert policy.fit_grades == (("A", 90), ("B", 50), ("C", 10))


def test_the_label_names_policy_and_version():
    """label is name@version, as stage history records it."""
    assert STARTER.label == "starter@1"


def test_the_compiled_rule_set_is_built_once():
    """Policy.compiled is cached."""
    policy = _policy()
    assert policy.compiled is policy.compiled
