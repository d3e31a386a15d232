"""diff_policies: what changed between two policies, key by key, rules by meaning."""

from __future__ import annotations

import pytest

from funnelkit.policy import (
    PolicyChange,
    diff_policies,
    load_document,
    loads_document,
    render_changes,
)
from funnelkit.policy import example_path as example
from funnelkit.qualify import PRESETS, STARTER

BASE = """\
version: 1
metadata: {name: p, version: "1"}
fit:
  groups:
    - name: size
      points:
        - {points: 10, when: company.employees >= 50, label: employees}
        - {points: 5, when: company.country = "US", label: country}
grades:
  fit: {A: 80, B: 50}
engagement:
  signals:
    - {kinds: demo_request, points: 30, frequency: once}
frameworks: [bant]
definitions:
  big: company.employees >= 1000
stages:
  inquiry: ref("engagement") > 0
  profiled: ref("fit") >= 50
"""


def _changes(old: str, new: str) -> list[str]:
    return [str(c) for c in diff_policies(loads_document(old), loads_document(new))]


def test_the_same_policy_has_no_changes() -> None:
    """A policy compared with itself gives no change; the rendering says so."""
    assert diff_policies(STARTER, STARTER) == ()
    assert render_changes(()) == "no changes"


def test_each_example_file_equals_its_preset_by_diff() -> None:
    """The shipped example and the preset's own document differ only in how fit is written."""
    for name in PRESETS:
        sections = {c.section for c in diff_policies(PRESETS[name], load_document(example(name)))}
        assert sections <= {"fit", "icp"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('version: "1"', 'version: "2"', ["~ metadata.version: 1 -> 2"]),
        (
            "{points: 10, when",
            "{points: 15, when",
            ["~ fit.groups[size].points[employees].points: 10 -> 15"],
        ),
        ("fit: {A: 80, B: 50}", "fit: {A: 75, B: 50}", ["~ grades.fit.A: 80 -> 75"]),
        (
            "points: 30, frequency: once}",
            "points: 40, frequency: once}",
            ["~ engagement.signals[demo_request].points: 30 -> 40"],
        ),
        (
            "points: 30, frequency: once}",
            "points: 30, explicit: true}",
            [
                "- engagement.signals[demo_request].frequency: once",
                "+ engagement.signals[demo_request].explicit: true",
            ],
        ),
        (
            "points: 30, frequency: once}",
            "points: 30, min_gap_days: 7}",
            [
                "- engagement.signals[demo_request].frequency: once",
                "+ engagement.signals[demo_request].min_gap_days: 7",
            ],
        ),
        (
            "frameworks: [bant]",
            "frameworks: [bant, opportunity]",
            ["+ frameworks[opportunity]: preset: opportunity"],
        ),
        ('  profiled: ref("fit") >= 50\n', "", ['- stages.profiled: entry: ref("fit") >= 50']),
        (
            '  inquiry: ref("engagement") > 0',
            '  inquiry: ref("engagement") > 10',
            ['~ stages.inquiry.entry: ref("engagement") > 0 -> ref("engagement") > 10'],
        ),
        (
            "  big: company.employees >= 1000",
            "  big: company.employees >= 2000",
            ["~ definitions.big: company.employees >= 1000 -> company.employees >= 2000"],
        ),
        (
            "frameworks: [bant]",
            "frameworks: [{preset: bant, options: {timeline_days: 60}}]",
            ["+ frameworks[bant].options: timeline_days: 60"],
        ),
    ],
)
def test_a_change_is_reported_where_it_is(old: str, new: str, expected: list[str]) -> None:
    """Points, thresholds, grade bands, signals, frameworks, gates and definitions are keyed."""
    assert old in BASE
    assert _changes(BASE, BASE.replace(old, new)) == expected


def test_rules_that_mean_the_same_are_not_a_change() -> None:
    """Layout and spacing of a rule do not count: rules are compared parsed."""
    new = BASE.replace('ref("fit") >= 50', '|\n    ref("fit")\n      >= 50')
    assert _changes(BASE, new) == []


def test_added_list_items_are_listed_one_by_one() -> None:
    """Plain lists (industries, countries) are compared as sets."""
    old = "version: 1\nmetadata: {name: p}\nicp: {name: x, industries: [a, b]}\n"
    new = "version: 1\nmetadata: {name: p}\nicp: {name: x, industries: [b, c]}\n"
    assert _changes(old, new) == ["- icp.industries: a", "+ icp.industries: c"]


def test_a_change_knows_its_section_and_values() -> None:
    """PolicyChange keeps kind, path, old and new values."""
    (change,) = diff_policies(loads_document(BASE), loads_document(BASE.replace("A: 80", "A: 90")))
    assert change == PolicyChange(kind="changed", path="grades.fit.A", old=80, new=90)
    assert change.section == "grades"


def test_a_refs_kind_and_condition_flag_are_hints() -> None:
    """ref("big") with or without its flag is the same rule; another name is a change."""
    hinted = BASE.replace(
        'profiled: ref("fit") >= 50',
        'profiled: ref("fit", kind "int") >= 50 and ref("big", condition true)',
    )
    plain = BASE.replace('profiled: ref("fit") >= 50', 'profiled: ref("fit") >= 50 and ref("big")')
    assert _changes(hinted, plain) == []
    other = plain.replace('and ref("big")', 'and ref("stage_inquiry")')
    assert _changes(hinted, other) == [
        '~ stages.profiled.entry: ref("fit", kind "int") >= 50 and ref("big", condition true)'
        ' -> ref("fit") >= 50 and ref("stage_inquiry")'
    ]


def test_policies_equal_reads_ref_hints_as_hints() -> None:
    """A policy built with ref("x", condition=True) equals its file with ref("x")."""
    from funnelkit.policy import loads_policy, policies_equal, same_rule
    from funnelkit.rules import ref

    plain = loads_policy(BASE.replace('ref("fit") >= 50', 'ref("fit") >= 50 and ref("big")'))
    hinted = loads_policy(
        BASE.replace('ref("fit") >= 50', 'ref("fit") >= 50 and ref("big", condition true)')
    )
    assert policies_equal(plain, hinted)
    assert same_rule(ref("big", condition=True), ref("big"))
    assert not same_rule(ref("big"), ref("small"))
