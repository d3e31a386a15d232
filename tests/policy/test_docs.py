"""The policy-file how-to: its files load as it says and its commands print what it shows."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from tests._docs import examples, input_files, matches

from funnelkit.cli import main
from funnelkit.policy import load_policy, loads_policy, policy_schema

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "how-to" / "policy-files.md"
TEXT = PAGE.read_text(encoding="utf-8")
RUN = "funnelkit policy "
"""The commands whose examples are run (``qualify``'s would need a lead file)."""


FILES = input_files(TEXT)
EXAMPLES = examples(TEXT, RUN)


def test_the_page_defines_files_and_commands() -> None:
    """The how-to has its example files and validate, show and diff examples."""
    assert {"acme.yaml", "typos.yaml", "acme-2026.3.yaml"} <= set(FILES)
    assert {command.split()[2] for command, _, _ in EXAMPLES} == {"validate", "show", "diff"}


@pytest.mark.parametrize("name", ["acme.yaml", "acme-2026.3.yaml"])
def test_the_good_example_files_load_and_match_the_schema(tmp_path: Path, name: str) -> None:
    """The annotated example loads, and the JSON Schema accepts it."""
    path = tmp_path / name
    path.write_text(FILES[name], encoding="utf-8")
    assert load_policy(path).name == "acme"
    validator = jsonschema.Draft202012Validator(policy_schema())
    assert list(validator.iter_errors(yaml.safe_load(FILES[name]))) == []


@pytest.mark.parametrize(("command", "output", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_output_is_what_the_command_prints(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    output: list[str],
    code: int | None,
) -> None:
    """Running the example prints its output (stdout and stderr) and exits as shown."""
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        exit_code = main([*shlex.split(command)[1:], "--no-color"])
    printed = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    assert matches(output, printed), "\n".join(printed)
    if code is not None:
        assert exit_code == code


FORMAT_PAGE = ROOT / "docs" / "reference" / "policy-format.md"


def test_the_json_example_of_the_format_reference_loads(tmp_path: Path) -> None:
    """The reference page's JSON policy loads and matches the schema."""
    files = input_files(FORMAT_PAGE.read_text(encoding="utf-8"))
    path = tmp_path / "tiny.json"
    path.write_text(files["tiny.json"], encoding="utf-8")
    policy = load_policy(path)
    assert (policy.label, [g.stage for g in policy.gates]) == ("tiny@3", ["inquiry", "mql", "sql"])
    validator = jsonschema.Draft202012Validator(policy_schema())
    assert list(validator.iter_errors(json.loads(files["tiny.json"]))) == []


def test_the_schema_published_with_the_docs_is_the_shipped_one() -> None:
    """docs/policy.schema.json (what editors fetch) equals policy_schema()."""
    published = json.loads((ROOT / "docs" / "policy.schema.json").read_text(encoding="utf-8"))
    assert published == policy_schema()


def test_the_signal_frequency_example_of_the_format_reference_loads(tmp_path: Path) -> None:
    """The reference page's engagement example loads, with its gap and explicit filter."""
    files = input_files(FORMAT_PAGE.read_text(encoding="utf-8"))
    path = tmp_path / "engagement.yaml"
    path.write_text(files["engagement.yaml"], encoding="utf-8")
    engagement = str(load_policy(path).engagement)
    assert 'count(signals where kind = "pricing_page_view", min_gap 1 days)' in engagement
    assert "explicit = true" in engagement
    validator = jsonschema.Draft202012Validator(policy_schema())
    assert list(validator.iter_errors(yaml.safe_load(files["engagement.yaml"]))) == []


def test_the_priority_example_of_the_format_reference_qualifies_as_it_says(
    tmp_path: Path,
) -> None:
    """The reference page's priority example loads, matches the schema and gives hot (80)."""
    from datetime import UTC, datetime

    from funnelkit.io import structure
    from funnelkit.model import Lead
    from funnelkit.qualify import qualify

    text = input_files(FORMAT_PAGE.read_text(encoding="utf-8"))["priority.yaml"]
    path = tmp_path / "priority.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    lead = structure(
        {
            "id": "l1",
            "company": {"name": "Acme", "employees": 300},
            "signals": [{"kind": "demo_request", "occurred_at": "2026-01-02T00:00:00+00:00"}],
        },
        Lead,
    )
    result = qualify(lead, policy, as_of=datetime(2026, 2, 1, tzinfo=UTC))
    assert (result.priority, result.priority_grade, result.stage) == (80, "hot", "mql")
    validator = jsonschema.Draft202012Validator(policy_schema())
    assert list(validator.iter_errors(yaml.safe_load(text))) == []


def test_the_priority_rule_of_the_format_reference_loads() -> None:
    """The page's one-rule priority is a number rule that loads in place of the weights."""
    page = FORMAT_PAGE.read_text(encoding="utf-8")
    files = input_files(page)
    (rule,) = re.findall(r"```yaml\n(priority: [^\n]*)\n```", page)
    text = re.sub(r"priority:\n  weights: [^\n]*\n", rule + "\n", files["priority.yaml"])
    assert rule in text
    assert "weights" not in text
    assert loads_policy(text).priority is not None
