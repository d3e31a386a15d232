"""The ``funnelkit`` entry point: version, usage errors, exit codes, missing extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

import funnelkit
from funnelkit.cli import main


def test_version_prints_name_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints ``funnelkit <version>`` and returns 0."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"funnelkit {funnelkit.__version__}\n"


def test_help_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` lists the commands and returns 0 instead of raising SystemExit."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "demo" in out
    assert "validate" in out
    assert "qualify" in out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        ([], "a command is required"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["demo", "--top", "0"], "expected a number >= 1, got 0"),
        (["demo", "--top", "many"], "expected a whole number, got 'many'"),
        (["validate"], "the following arguments are required: FILE"),
        (["validate", "x.jsonl", "--format", "xml"], "invalid choice: 'xml'"),
        (["qualify"], "the following arguments are required: LEADS"),
        (["qualify", "x.jsonl", "--format", "json"], "invalid choice: 'json'"),
        (["qualify", "x.jsonl", "--input-format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_usage_errors_return_two(
    capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    """Usage errors return exit code 2 and explain themselves on stderr."""
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_no_color_is_accepted_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--no-color`` works on either side of the command name."""
    assert main(["--no-color", "validate", "--no-color", "missing.jsonl"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_missing_rich_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without rich, a command says which extra to install and returns 2."""
    for name in ("rich", "rich.console", "rich.table", "rich.text"):
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["demo"]) == 2
    assert 'pip install "funnelkit[cli]"' in capsys.readouterr().err


def test_version_needs_no_rich(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--version`` works without the cli extra."""
    monkeypatch.setitem(sys.modules, "rich", None)
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("funnelkit ")


def test_python_m_funnelkit_prints_the_version() -> None:
    """``python -m funnelkit --version`` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "funnelkit", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"funnelkit {funnelkit.__version__}\n"
