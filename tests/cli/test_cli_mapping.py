"""``funnelkit mapping suggest``: a starter mapping file that validate accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

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
