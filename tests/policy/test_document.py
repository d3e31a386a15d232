"""Documents built in Python: to_policy, to_data, and what a bad document reports."""

from __future__ import annotations

import pytest

from funnelkit.policy import (
    CriterionChange,
    CriterionSpec,
    CustomFramework,
    FitScoring,
    Metadata,
    PolicyDocument,
    PolicyFileError,
    PresetFramework,
    ScoreGroup,
    ScorePoints,
    StageSpec,
    dump_policy,
    loads_policy,
    policies_equal,
)
from funnelkit.rules import F


def _doc(**changes: object) -> PolicyDocument:
    return PolicyDocument(metadata=Metadata(name="py"), **changes)  # type: ignore[arg-type]


def test_a_document_builds_a_policy() -> None:
    """to_policy parses the rules and builds the runtime policy."""
    doc = _doc(
        fit=FitScoring(
            groups=(
                ScoreGroup(
                    name="size",
                    cap=30,
                    points=(ScorePoints(points=20, when="company.employees >= 50"),),
                ),
            ),
        ),
        frameworks=(PresetFramework(preset="bant", options=(("timeline_days", 60),)),),
        stages=(("profiled", StageSpec(entry='ref("fit") >= 20')),),
    )
    policy = doc.to_policy()
    assert policy.label == "py@1"
    assert (
        policy.frameworks[0].criterion("timeline").description
        == "A decision is due within 60 days."
    )


def test_a_bad_document_reports_paths_without_lines() -> None:
    """A document built in Python has no file: problems name the path only."""
    doc = _doc(stages=(("inquiry", StageSpec(entry="company.employes > 1")),))
    with pytest.raises(PolicyFileError) as info:
        doc.to_policy()
    assert str(info.value) == (
        "<document>: stages.inquiry: unknown field 'company.employes'; did you mean "
        "'company.employees'? (at column 1 of the rule)"
    )


def test_preset_changes_replace_drop_and_add_criteria() -> None:
    """A preset framework can change, drop and add criteria."""
    doc = _doc(
        frameworks=(
            PresetFramework(
                preset="bant",
                criteria=(("budget", CriterionChange(rule='bant.budget.status = "approved"')),),
                without=("need",),
                add=(
                    CriterionSpec(
                        key="champion", label="Champion", rule="custom.champion is present"
                    ),
                ),
            ),
        )
    )
    fw = doc.to_policy().frameworks[0]
    assert fw.keys == ("budget", "authority", "timeline", "champion")
    assert fw.criterion("budget").rule.meta.eq(F.bant.budget.status == "approved")


def test_definitions_may_come_in_any_order() -> None:
    """A definition may refer to one written after it; the policy orders them."""
    doc = _doc(
        definitions=(
            ("ready", 'ref("big") and ref("near")'),
            ("big", "company.employees >= 1000"),
            ("near", 'company.country in ["DE"]'),
        ),
        stages=(("inquiry", StageSpec(entry='ref("ready")')),),
    )
    assert [name for name, _ in doc.to_policy().definitions] == ["big", "near", "ready"]


def test_a_custom_framework_dumps_and_loads() -> None:
    """A custom framework survives a YAML round trip."""
    doc = _doc(
        frameworks=(
            CustomFramework(
                key="mine",
                name="Mine",
                criteria=(
                    CriterionSpec(key="a", label="A", rule="custom.a is present", evidence=None),
                ),
            ),
        ),
        stages=(("sales_ready", StageSpec(entry='ref("mine_met") >= 1', description="One met.")),),
    )
    policy = doc.to_policy()
    assert policies_equal(loads_policy(dump_policy(doc)), policy)


def test_dump_can_name_the_schema_for_editors() -> None:
    """dump_policy(schema=...) writes the yaml-language-server comment first."""
    text = dump_policy(_doc(), schema="policy.schema.json")
    assert text.startswith("# yaml-language-server: $schema=policy.schema.json\nversion: 1\n")


REENTRY = """\
version: 1
metadata: {name: back}
reentry: count(signals where kind = "demo_request") >= 1
stages:
  inquiry: count(signals) > 0
"""


def test_reentry_loads_dumps_and_diffs() -> None:
    """A file's reentry builds the policy's reentry, is dumped back, and a change is listed."""
    from funnelkit.policy import diff_policies, dump_policy, loads_document, loads_policy
    from funnelkit.rules import signals

    policy = loads_policy(REENTRY)
    assert policy.reentry.meta.eq(signals(kind="demo_request").count() >= 1)
    again = loads_policy(dump_policy(policy))
    assert again.reentry.meta.eq(policy.reentry)
    other = REENTRY.replace("demo_request", "question")
    changes = [str(c) for c in diff_policies(loads_document(REENTRY), loads_document(other))]
    assert changes == [
        '~ reentry: count(signals where kind = "demo_request") >= 1 -> '
        'count(signals where kind = "question") >= 1'
    ]


def test_the_default_reentry_is_not_written() -> None:
    """A policy with the default reentry dumps without the key."""
    from funnelkit.policy import dump_policy
    from funnelkit.qualify import STARTER

    assert "reentry" not in dump_policy(STARTER)


def test_a_ref_in_reentry_is_a_located_problem() -> None:
    """reentry reads no outputs: ref("fit") there is reported at its line."""
    from funnelkit.policy import PolicyFileError, loads_policy

    text = REENTRY.replace('count(signals where kind = "demo_request") >= 1', 'ref("fit") > 5')
    with pytest.raises(PolicyFileError, match=r"<text>:3:\d+: reentry: no output named 'fit'"):
        loads_policy(text)


def test_stage_map_loads_and_dumps() -> None:
    """A file's stage_map builds the policy's, and dumping writes it back."""
    from funnelkit.policy import dump_policy, loads_policy, policies_equal

    text = (
        "version: 1\nmetadata: {name: w}\nfunnel: demand_waterfall\nstage_map:\n  profiled: mql\n"
    )
    policy = loads_policy(text)
    assert policy.stage_map == (("profiled", "mql"),)
    assert policies_equal(loads_policy(dump_policy(policy)), policy)
