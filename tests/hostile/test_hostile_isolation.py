"""What cannot be checked at load (custom attribute values) is isolated to its lead."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import funnelkit as fk
from funnelkit.cli import main
from funnelkit.errors import FunnelkitError, RecordError
from funnelkit.io import ColumnMapping
from funnelkit.policy import loads_policy
from funnelkit.rules import RuleEvaluationError

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
POLICY = """
version: 1
metadata: {name: minutes}
definitions:
  minutes: score(1 points per custom.t / 60)
stages:
  inquiry: ref("minutes") > 0
"""


def leads() -> list[fk.Lead]:
    return [
        fk.Lead(id="L-1", custom={"t": 120}),
        fk.Lead(id="L-2", custom={"t": "120"}),  # a number kept as text
        fk.Lead(id="L-3", custom={"t": 60}),
    ]


def test_qualify_names_the_lead_and_the_rule():
    """A custom value a rule cannot use raises RuleEvaluationError naming lead and rule."""
    policy = loads_policy(POLICY)
    with pytest.raises(
        RuleEvaluationError, match=r"lead 'L-2': rule 'minutes' cannot work"
    ) as info:
        fk.qualify(leads()[1], policy, as_of=AS_OF)
    assert isinstance(info.value, TypeError)
    assert info.value.path == "minutes"
    assert isinstance(info.value.__cause__, TypeError)


@pytest.mark.parametrize("explain", [True, False])
def test_qualify_many_collects_and_goes_on(explain):
    """qualify_many(on_error='collect') yields the error in place and qualifies the rest."""
    policy = loads_policy(POLICY)
    out = list(fk.qualify_many(leads(), policy, as_of=AS_OF, explain=explain, on_error="collect"))
    assert [type(x).__name__ for x in out] == [
        "Qualification",
        "RuleEvaluationError",
        "Qualification",
    ]
    assert [out[0].stage, out[2].stage] == ["inquiry", "inquiry"]


def test_qualify_many_raises_by_default():
    """By default qualify_many stops at the first lead a rule cannot handle."""
    policy = loads_policy(POLICY)
    with pytest.raises(RuleEvaluationError, match="L-2"):
        list(fk.qualify_many(leads(), policy, as_of=AS_OF))


def test_qualify_many_checks_on_error():
    """on_error takes 'raise' or 'collect' only."""
    with pytest.raises(FunnelkitError, match="on_error must be 'raise' or 'collect'"):
        fk.qualify_many([], fk.STARTER, as_of=AS_OF, on_error="skip")


def test_the_cli_reports_the_lead_as_a_bad_row_and_goes_on(tmp_path, capsys):
    """funnelkit qualify reports the lead with the rule's name, qualifies the others, exits 1."""
    policy = tmp_path / "minutes.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    file = tmp_path / "leads.jsonl"
    records = [{"id": "L-1", "custom": {"t": 120}}, {"id": "L-2", "custom": {"t": "120"}}]
    file.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code = main(["qualify", str(file), "--policy", str(policy), "--as-of", "2026-05-01",
                 "--format", "jsonl"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert [json.loads(line)["lead_id"] for line in out.splitlines()] == ["L-1"]
    assert "rule 'minutes' cannot work with this lead's values" in err


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("bomb.yaml", 'a: &a ["x","x"]\nb: &b [*a,*a]\ncolumns: *b\n', "anchors, aliases and tags"),
        (
            "tag.yaml",
            "columns: !!python/object/apply:os.system [ls]\n",
            "anchors, aliases and tags",
        ),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nests too deeply"),
        (
            "deep.yaml",
            # 100,000 brackets: the scan stops at the 65th, not minutes later
            "columns: " + "[" * 100_000 + "]" * 100_000 + "\n",
            "nests too deeply",
        ),
        (
            "huge.json",
            '{"columns": {"a": "' + "x" * 1_100_000 + '"}}',
            "more than 1,048,576 characters",
        ),
    ],
)
def test_hostile_mapping_files_are_short_errors(tmp_path, name, text, match):
    """Alias bombs, tags, deep and huge mapping files give one short error."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError, match=match) as info:
        ColumnMapping.from_file(path)
    assert len(str(info.value)) < 1_000
