"""``funnelkit mapping suggest``: a starter mapping file that validate accepts."""

from __future__ import annotations

import contextlib
import io
import shlex
from pathlib import Path

import pytest
from tests._docs import examples, input_files, matches

from funnelkit.cli import main

EXPORT = Path(__file__).parents[1] / "io" / "data" / "marketing_export.csv"


@pytest.mark.parametrize("name", ["suggested.yaml", "suggested.json"])
def test_suggested_mapping_validates_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """With no edits, `validate FILE --mapping suggested` reports 0 bad."""
    out = tmp_path / name
    assert main(["mapping", "suggest", str(EXPORT), "--output", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(EXPORT), "--mapping", str(out), "--no-color"]) == 0
    assert "300 records, 0 bad" in capsys.readouterr().out


def test_yaml_goes_to_stdout_with_a_comment(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --output the YAML is printed, starting with how to check it."""
    assert main(["mapping", "suggest", str(EXPORT)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Suggested by `funnelkit mapping suggest` from marketing_export.csv")
    assert "  Country: company.country\n" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mapping"], "an action is required (suggest)"),
        (["mapping", "suggest", "{tmp}/none.csv"], "cannot read"),
    ],
)
def test_unusable_input_returns_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A missing action or file is a usage error (exit 2) that says why."""
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 2
    assert message in capsys.readouterr().err


PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "load-leads.md"
TEXT = PAGE.read_text(encoding="utf-8")
EXAMPLES = examples(
    TEXT, ("funnelkit mapping", "funnelkit validate", "funnelkit policy", "funnelkit qualify")
)


def test_the_loading_how_to_has_console_examples() -> None:
    """The loading how-to defines its export and walks through suggest and validate."""
    assert {"export.csv", "edited.yaml", "export-policy.yaml"} <= set(input_files(TEXT))
    assert len(EXAMPLES) == 6


@pytest.mark.parametrize(("command", "output", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_loading_how_to_examples_print_what_they_show(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    output: list[str],
    code: int | None,
) -> None:
    """Each console example of the loading how-to prints its output."""
    for name, content in input_files(TEXT).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    if "validate" in command:  # it reads the file the previous example wrote
        assert main(["mapping", "suggest", "export.csv", "--output", "mapping.yaml"]) == 0
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        exit_code = main([*shlex.split(command)[1:], "--no-color"])
    actual = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    assert matches([line.rstrip() for line in output], actual), "\n".join(actual)
    if code is not None:
        assert exit_code == code
