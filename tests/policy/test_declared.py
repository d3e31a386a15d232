"""Declarations in policy files: custom_attributes and signal_kinds, read, checked, written."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from funnelkit.cli import main
from funnelkit.policy import (
    PolicyFileError,
    diff_policies,
    dump_policy,
    loads_document,
    loads_policy,
    policies_equal,
    policy_schema,
    render_changes,
)

DECLARED = """\
version: 1
metadata: {name: declared}
custom_attributes:
  seats: integer
  tier: text
signal_kinds: [phone_conversation]
engagement: 'count(signals where kind = "phone_conversation") * 10'
stages:
  profiled: 'custom.seats >= 10 and custom.tier = "gold"'
"""


def test_declarations_are_read_into_the_policy():
    """The file's declarations become the policy's custom_attributes and signal_kinds."""
    policy = loads_policy(DECLARED)
    assert policy.custom_attributes == (("seats", "integer"), ("tier", "text"))
    assert policy.signal_kinds == frozenset({"phone_conversation"})
    assert policy.undeclared == ()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'custom.tier = "gold"',
            "custom.tier > 3",
            r"<string>:9:14: stages\.profiled: custom\.tier is declared text but is "
            r"compared with a number \(3\)",
        ),
        (
            "seats: integer",
            "seats: integr",
            r"<string>:4:10: custom_attributes\.seats: unknown type 'integr' \(str\); "
            r"did you mean 'integer'\?",
        ),
        (
            "[phone_conversation]",
            "[phone_conversation, phone_conversation]",
            r"signal_kinds\[1\]: the signal kind 'phone_conversation' is listed twice",
        ),
        (
            "  tier: text",
            "  custom.tier: text",
            r"custom_attributes\.custom\.tier: expected a custom attribute's name",
        ),
    ],
)
def test_declaration_problems_are_located(old, new, message):
    """A rule against its declared type, or a bad declaration, fails with its position."""
    with pytest.raises(PolicyFileError, match=message):
        loads_policy(DECLARED.replace(old, new), file="<string>")


def test_dump_and_load_keep_the_declarations():
    """dump_policy writes them after the metadata; loading gives an equal policy."""
    policy = loads_policy(DECLARED)
    text = dump_policy(policy)
    assert text.index("custom_attributes:") < text.index("signal_kinds:") < text.index("funnel:")
    again = loads_policy(text)
    assert policies_equal(again, policy)
    assert not policies_equal(
        again, loads_policy(DECLARED.replace("seats: integer", "seats: number"))
    )
    assert (
        list(jsonschema.Draft202012Validator(policy_schema()).iter_errors(yaml.safe_load(text)))
        == []
    )


def test_diff_lists_changed_declarations():
    """policy diff shows a changed type and an added kind."""
    changed = DECLARED.replace("seats: integer", "seats: number").replace(
        "[phone_conversation]", "[phone_conversation, sms_reply]"
    )
    text = render_changes(diff_policies(loads_document(DECLARED), loads_document(changed)))
    assert "~ custom_attributes.seats: integer -> number" in text
    assert "+ signal_kinds: sms_reply" in text


def test_the_schema_refuses_an_unknown_type():
    """Editors see a wrong type too (the schema lists the five)."""
    data = yaml.safe_load(DECLARED.replace("seats: integer", "seats: float"))
    errors = list(jsonschema.Draft202012Validator(policy_schema()).iter_errors(data))
    assert errors


def test_validate_warns_on_undeclared_names_at_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """policy validate loads the file (exit 0) and warns with file:line:col and a hint."""
    path = tmp_path / "p.yaml"
    typo = DECLARED.replace('kind = "phone_conversation"', 'kind = "phone_converstion"')
    path.write_text(typo.replace('"gold"', '"gold" and custom.sesats > 1'), encoding="utf-8")
    assert main(["--no-color", "policy", "validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "ok (declared@1, 1 gated stage)" in out
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}:7:42: warning: signal kind 'phone_converstion'")
    assert lines[0].endswith("did you mean 'phone_conversation'?")
    assert lines[1].startswith(f"{path}:9:")
    assert "custom attribute 'sesats'" in lines[1]
    assert lines[1].endswith("did you mean 'seats'?")


def test_validate_prints_no_warning_for_a_clean_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose names are all declared validates without a word on stderr."""
    path = tmp_path / "p.yaml"
    path.write_text(DECLARED, encoding="utf-8")
    assert main(["--no-color", "policy", "validate", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_show_lists_the_declarations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """policy show names the declared attributes with their types and the extra kinds."""
    path = tmp_path / "p.yaml"
    path.write_text(DECLARED, encoding="utf-8")
    assert main(["--no-color", "policy", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "seats (integer), tier (text)" in out
    assert "phone_conversation" in out
