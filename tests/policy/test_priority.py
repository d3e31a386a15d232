"""A policy's priority in files: weights or one rule, its grades, dump, diff and schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import attrs
import jsonschema
import pytest
import yaml

from funnelkit.io import structure
from funnelkit.model import Lead
from funnelkit.policy import (
    Grades,
    Metadata,
    PolicyDocument,
    PriorityWeights,
    diff_policies,
    dump_policy,
    loads_document,
    loads_policy,
    policies_equal,
    policy_schema,
    policy_to_document,
)
from funnelkit.qualify import PRIORITY_BANDS, STARTER, Policy, qualify, weighted_priority
from funnelkit.rules import per, points, ref, score

FORMATS = ["yaml", "json"]

WEIGHTED = attrs.evolve(
    STARTER,
    priority=weighted_priority(fit="0.6", engagement="0.4"),
    priority_grades={"hot": 80, "warm": Decimal("47.5")},
    priority_default_grade="later",
)
"""The starter policy with a weighted priority and its own priority grades."""

TEXT = attrs.evolve(
    STARTER,
    priority=score(
        per(Decimal("0.5"), ref("fit")),
        points(20, when=ref("engagement_grade") == "1"),
        cap=100,
        name="priority",
    ),
)
"""The starter policy with a priority no weights can say (written as one rule)."""

WEIGHTED_FILE = """\
version: 1
metadata: {name: ranked}
fit: company.employees
engagement: count(signals)
priority:
  weights: {fit: 0.6, engagement: 0.4}
grades:
  priority: {hot: 80, warm: 50}
  priority_default: later
stages:
  inquiry: ref("priority_grade") = "hot"
"""


def _dump_load(policy: Policy, format: str) -> Policy:
    return loads_policy(dump_policy(policy, format=format), format=format)  # type: ignore[arg-type]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("policy", [WEIGHTED, TEXT, STARTER], ids=["weighted", "text", "none"])
def test_a_priority_round_trips(policy: Policy, format: str) -> None:
    """A policy with a weighted priority, a text priority or none dumps and loads equal."""
    again = _dump_load(policy, format)
    assert policies_equal(again, policy)
    assert (again.priority is None) == (policy.priority is None)
    assert (again.priority_grades, again.priority_default_grade) == (
        (policy.priority_grades, policy.priority_default_grade)
        if policy.priority is not None
        else (PRIORITY_BANDS, "cold")
    )


def test_a_weighted_priority_is_written_as_its_weights() -> None:
    """weighted_priority(...) is written as {weights: {fit, engagement}}, with its grades."""
    data = json.loads(dump_policy(WEIGHTED, format="json"))
    assert data["priority"] == {"weights": {"fit": 0.6, "engagement": 0.4}}
    assert data["grades"] == {"priority": {"hot": 80, "warm": 47.5}, "priority_default": "later"}
    assert list(data).index("priority") == list(data).index("engagement") + 1


def test_any_other_priority_is_written_as_one_rule() -> None:
    """A priority that is not exactly a weighted_priority is written as its rule's text."""
    renamed = attrs.evolve(
        STARTER, priority=score(per(1, ref("fit")), per(1, ref("engagement")), name="mine")
    )
    for policy in (TEXT, renamed):
        written = json.loads(dump_policy(policy, format="json"))["priority"]
        assert isinstance(written, str)
        assert 'ref("fit")' in written


def test_a_policy_without_priority_writes_no_priority() -> None:
    """No priority: neither a priority key nor priority grades, even non-default ones."""
    policy = attrs.evolve(STARTER, priority_grades={"now": 90})
    text = dump_policy(policy, format="json")
    assert "priority" not in text
    assert policy_to_document(policy).priority is None


@pytest.mark.parametrize("format", FORMATS)
def test_weights_are_read_as_exact_decimals(format: str) -> None:
    """0.1 is Decimal('0.1'), not the nearest float; long decimals as text stay exact."""
    weights = {"fit": 0.1, "engagement": "0.1234567890123456789"}
    data = {"version": 1, "metadata": {"name": "x"}, "priority": {"weights": weights}}
    text = json.dumps(data) if format == "json" else yaml.safe_dump(data)
    document = loads_document(text, format=format)  # type: ignore[arg-type]
    assert document.priority == PriorityWeights(
        fit=Decimal("0.1"), engagement=Decimal("0.1234567890123456789")
    )
    policy = loads_policy(text, format=format)  # type: ignore[arg-type]
    expected = weighted_priority(fit="0.1", engagement="0.1234567890123456789")
    assert policy.priority is not None
    assert policy.priority.meta.eq(expected)


def test_a_loaded_priority_is_reported_by_qualify() -> None:
    """A file's weighted priority, its grades and a gate on them qualify a lead."""
    policy = loads_policy(WEIGHTED_FILE)
    lead = structure({"id": "l1", "company": {"name": "Acme", "employees": 200}}, Lead)
    result = qualify(lead, policy, as_of=datetime(2026, 1, 1, tzinfo=UTC))
    assert (result.priority, result.priority_grade) == (120, "hot")  # 200 * 0.6
    assert result.stage == "inquiry"


def test_a_document_built_in_python_carries_the_priority() -> None:
    """PriorityWeights and Grades(priority=...) build the same policy as the file says."""
    document = PolicyDocument(
        metadata=Metadata(name="py"),
        priority=PriorityWeights(fit=Decimal("0.7"), engagement=Decimal("0.3")),
        grades=Grades(priority=(("hot", 60),), priority_default="cool"),
    )
    policy = document.to_policy()
    assert policy.priority is not None
    assert policy.priority.meta.eq(weighted_priority(fit="0.7", engagement="0.3"))
    assert (policy.priority_grades, policy.priority_default_grade) == ((("hot", 60),), "cool")
    assert policies_equal(loads_policy(dump_policy(document)), policy)


def _diff(old: str, new: str) -> list[str]:
    return [str(c) for c in diff_policies(loads_document(old), loads_document(new))]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("fit: 0.6,", "fit: 0.7,", ["~ priority.weights.fit: 0.6 -> 0.7"]),
        ("hot: 80", "hot: 85", ["~ grades.priority.hot: 80 -> 85"]),
        (
            "priority_default: later",
            "priority_default: cool",
            ["~ grades.priority_default: later -> cool"],
        ),
        (
            "  weights: {fit: 0.6, engagement: 0.4}\n",
            '  ref("fit") + ref("engagement")\n',
            ['~ priority: weights: fit: 0.6; engagement: 0.4 -> ref("fit") + ref("engagement")'],
        ),
    ],
)
def test_a_priority_change_is_a_diff_line(old: str, new: str, expected: list[str]) -> None:
    """A changed weight, band, default grade or rule shows where it changed."""
    assert old in WEIGHTED_FILE
    assert _diff(WEIGHTED_FILE, WEIGHTED_FILE.replace(old, new)) == expected


def test_adding_a_priority_is_one_diff_line() -> None:
    """A policy that gains a priority (default grades) shows one added line."""
    old = "version: 1\nmetadata: {name: p}\n"
    new = old + 'priority: ref("fit")\n'
    assert _diff(old, new) == ['+ priority: ref("fit")']


def test_policies_differing_only_in_a_weight_are_not_equal() -> None:
    """policies_equal compares the priority's weights."""
    other = attrs.evolve(WEIGHTED, priority=weighted_priority(fit="0.6", engagement="0.5"))
    assert not policies_equal(WEIGHTED, other)
    assert not policies_equal(STARTER, WEIGHTED)


def test_a_text_priority_comes_right_after_engagement_grade() -> None:
    """A text priority is built as written, its outputs right after engagement_grade."""
    text = WEIGHTED_FILE.replace(
        "  weights: {fit: 0.6, engagement: 0.4}\n", '  ref("fit") * 2 + ref("engagement")\n'
    )
    policy = loads_policy(text)
    assert policy.priority is not None
    assert policy.priority.meta.eq(ref("fit") * 2 + ref("engagement"))
    names = [name for name, _ in policy.rules.outputs]
    assert names[names.index("engagement_grade") + 1 :][:2] == ["priority", "priority_grade"]


@pytest.mark.parametrize("policy", [WEIGHTED, TEXT], ids=["weighted", "text"])
def test_a_dumped_priority_matches_the_schema(policy: Policy) -> None:
    """The JSON Schema accepts both shapes of a dumped priority and its grades."""
    validator = jsonschema.Draft202012Validator(policy_schema())
    data = json.loads(dump_policy(policy, format="json"))
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    "priority",
    [
        {"weights": {"fit": 0.6}},
        {"weights": {"fit": 0.6, "engagement": "high"}},
        {"weights": {"fit": 0.6, "engagement": 0.4, "intent": 1}},
        {"weight": {"fit": 0.6, "engagement": 0.4}},
        "",
        3,
    ],
)
def test_the_schema_refuses_a_bad_priority(priority: object) -> None:
    """Missing or unknown weights, non-numbers and non-rules fail the schema."""
    validator = jsonschema.Draft202012Validator(policy_schema())
    data = {"version": 1, "metadata": {"name": "x"}, "priority": priority}
    assert list(validator.iter_errors(data)) != []
