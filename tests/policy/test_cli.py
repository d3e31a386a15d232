"""``funnelkit policy validate|show|diff`` and ``qualify --policy FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from funnelkit.cli import main
from funnelkit.policy import example_path

GOOD = "version: 1\nmetadata: {name: mine, version: '3'}\nstages:\n  inquiry: count(signals) > 0\n"
BAD = 'version: 1\nmetadata: {name: mine}\nstages:\n  inquiry: company.employes > 5\n  sales_redy: ref("fit") > 1\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    code = main(["--no-color", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    """Write a file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_validate_a_good_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """A good file: exit 0 and one line naming the policy."""
    path = str(example_path("starter"))
    code, out, err = run(capsys, "policy", "validate", path)
    assert (code, err) == (0, "")
    assert out == f"{path}: ok (starter@1, 4 gated stages)\n"


def test_validate_a_bad_file_lists_every_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad file: exit 1, each problem on stderr as file:line:col: path: message."""
    path = write(tmp_path, "bad.yaml", BAD)
    code, out, err = run(capsys, "policy", "validate", path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:4:12: stages.inquiry: unknown field 'company.employes'; did you mean 'company.employees'?",
        f"{path}:5:3: stages.sales_redy: unknown stage 'sales_redy'; did you mean 'sales_ready'?",
    ]


def test_validate_a_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that cannot be read is a usage error."""
    code, _, err = run(capsys, "policy", "validate", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "cannot read" in err


def test_validate_reads_json_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .json file is read as JSON."""
    path = write(tmp_path, "p.json", json.dumps({"version": 1, "metadata": {"name": "j"}}))
    assert run(capsys, "policy", "validate", path)[0] == 0


def test_show_prints_metadata_gates_scoring_and_frameworks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """show prints a table per part of the policy."""
    code, out, _ = run(capsys, "policy", "show", str(example_path("starter")))
    assert code == 0
    for title in (
        "Policy starter@1",
        "Funnel 'starter' and gates",
        "Fit",
        "Engagement",
        "Framework BANT (bant)",
    ):
        assert title in out
    assert "demo_request" in out


def test_diff_without_changes_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """Two equal files: "no changes", exit 0."""
    path = str(example_path("starter"))
    assert run(capsys, "policy", "diff", path, path) == (0, "no changes\n", "")


def test_diff_with_changes_lists_them_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changes are listed one a line; exit 1, like diff."""
    old = write(tmp_path, "old.yaml", GOOD)
    new = write(tmp_path, "new.yaml", GOOD.replace("> 0", "> 5").replace("'3'", "'4'"))
    code, out, _ = run(capsys, "policy", "diff", old, new)
    assert code == 1
    assert out.splitlines() == [
        "~ metadata.version: 3 -> 4",
        "~ stages.inquiry.entry: count(signals) > 0 -> count(signals) > 5",
    ]


def test_diff_of_a_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file with problems cannot be compared: its problems are listed, exit 2."""
    good, bad = write(tmp_path, "good.yaml", GOOD), write(tmp_path, "bad.yaml", BAD)
    code, out, err = run(capsys, "policy", "diff", good, bad)
    assert (code, out) == (2, "")
    assert "stages.sales_redy" in err


def test_policy_without_an_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """``funnelkit policy`` alone asks for an action."""
    code, _, err = run(capsys, "policy")
    assert code == 2
    assert "an action is required (validate, show, diff)" in err


LEAD = {
    "id": "L-1",
    "company": {"name": "Acme", "industry": "software", "employees": 300, "country": "DE"},
    "signals": [
        {"kind": "demo_request", "occurred_at": "2026-10-25T10:00:00+00:00", "explicit": True}
    ],
}


def test_qualify_accepts_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``qualify --policy FILE`` qualifies with the file's policy."""
    leads = write(tmp_path, "leads.jsonl", json.dumps(LEAD) + "\n")
    policy = write(tmp_path, "mine.yaml", GOOD)
    argv = ("qualify", leads, "--policy", policy, "--as-of", "2026-11-01", "--format", "jsonl")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    record = json.loads(out)
    assert (record["policy"], record["stage"]) == ("mine@3", "inquiry")


def test_qualify_with_a_bad_policy_file_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad policy file is bad input (exit 1, as in ``policy validate``) naming every problem."""
    leads = write(tmp_path, "leads.jsonl", json.dumps(LEAD) + "\n")
    policy = write(tmp_path, "bad.yaml", BAD)
    code, out, err = run(capsys, "qualify", leads, "--policy", policy)
    assert (code, out) == (1, "")
    assert f"{policy}:4:12: stages.inquiry: unknown field 'company.employes'" in err
    assert f"{policy}:5:3: stages.sales_redy: unknown stage" in err


PRIORITY = (
    "version: 1\nmetadata: {name: ranked}\npriority:\n  weights: {fit: 0.6, engagement: 0.4}\n"
    "grades:\n  priority: {hot: 80, warm: 50}\n  priority_default: later\n"
)


def test_show_prints_a_priority_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A policy with a priority: show prints a Priority table after Engagement."""
    code, out, _ = run(capsys, "policy", "show", write(tmp_path, "p.yaml", PRIORITY))
    assert code == 0
    assert out.index("Engagement") < out.index("Priority")
    assert "0.6" in out[out.index("Priority") :]


def test_show_sections_give_the_weights_one_a_row() -> None:
    """Weights are one row each (score, weight), captioned with the priority grades."""
    from funnelkit.cli._policy import show_sections
    from funnelkit.policy import loads_document, loads_policy

    sections = show_sections(loads_document(PRIORITY), loads_policy(PRIORITY))
    (priority,) = [s for s in sections if s.title == "Priority"]
    assert priority.rows == (("fit", "0.6"), ("engagement", "0.4"))
    assert priority.caption == "grades: hot from 80, warm from 50, later below"


def test_show_sections_give_a_text_priority_as_its_rule() -> None:
    """A text priority is one row, as the file writes it, captioned with its grades."""
    from funnelkit.cli._policy import show_sections
    from funnelkit.policy import loads_document, loads_policy

    text = PRIORITY.replace("  weights: {fit: 0.6, engagement: 0.4}\n", '  ref("fit")  *  2\n')
    sections = show_sections(loads_document(text), loads_policy(text))
    (priority,) = [s for s in sections if s.title == "Priority"]
    assert priority.rows == (('ref("fit") * 2',),)
    assert priority.caption == "grades: hot from 80, warm from 50, later below"


def test_show_has_no_priority_table_without_a_priority(capsys: pytest.CaptureFixture[str]) -> None:
    """A policy without a priority shows no Priority table."""
    code, out, _ = run(capsys, "policy", "show", str(example_path("starter")))
    assert code == 0
    assert "Priority" not in out


HINTED = """\
version: 1
metadata: {name: mine}
definitions:
  hr: count(signals where kind = "demo_request") >= 1
stages:
  inquiry: ref("hr") and count(signals) > 0
"""


def test_diff_reads_a_refs_condition_flag_as_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ref("hr") and ref("hr", condition true) are the same rule: no changes, exit 0."""
    old = write(tmp_path, "old.yaml", HINTED)
    new = write(tmp_path, "new.yaml", HINTED.replace('ref("hr")', 'ref("hr", condition true)'))
    assert run(capsys, "policy", "diff", old, new) == (0, "no changes\n", "")


def test_show_says_how_often_a_gapped_signal_counts() -> None:
    """A min_gap_days shows in the counts column: at most once per N days."""
    from funnelkit.cli._policy import show_sections
    from funnelkit.policy import loads_document, loads_policy

    text = (
        "version: 1\nmetadata: {name: gaps}\nengagement:\n  signals:\n"
        "    - {kinds: pricing_page_view, points: 10, min_gap_days: 1}\n"
        "    - {kinds: webinar_attended, points: 5, min_gap_days: 7}\n"
        "    - {kinds: demo_request, points: 30, frequency: once}\n"
    )
    sections = show_sections(loads_document(text), loads_policy(text))
    (engagement,) = [s for s in sections if s.title == "Engagement"]
    assert [row[2] for row in engagement.rows] == [
        "at most once per 1 day",
        "at most once per 7 days",
        "once",
    ]


def test_show_says_when_recycled_leads_return() -> None:
    """The metadata table shows the reentry rule, or the default in words."""
    from funnelkit.cli._policy import show_sections
    from funnelkit.policy import loads_document, loads_policy

    for text, shown in [
        (GOOD, "on proactive engagement or new BANT evidence (default)"),
        (GOOD + "reentry: count(signals) > 2\n", "count(signals) > 2"),
    ]:
        about = show_sections(loads_document(text), loads_policy(text))[0]
        assert ("recycled leads return", shown) in about.rows


def test_show_lists_the_stage_map() -> None:
    """A policy with a stage_map shows it as a table, one mapped stage a row."""
    from funnelkit.cli._policy import show_sections
    from funnelkit.policy import load_document, load_policy, loads_document, loads_policy

    path = example_path("demand_waterfall")
    sections = show_sections(load_document(path), load_policy(path))
    (mapped,) = [s for s in sections if s.title == "Stages of other funnels"]
    assert mapped.rows[:2] == (("profiled", "mql"), ("sales_ready", "sal"))
    assert not [
        s
        for s in show_sections(loads_document(GOOD), loads_policy(GOOD))
        if s.title == "Stages of other funnels"
    ]
