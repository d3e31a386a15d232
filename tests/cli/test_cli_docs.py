"""The command-line how-to: its ``funnelkit qualify`` and ``funnelkit demo`` examples are true."""

from __future__ import annotations

import contextlib
import io
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests._docs import examples, input_files, matches

from funnelkit.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "cli.md"
RUN = ("funnelkit qualify", "funnelkit demo")
"""The commands whose examples are run; ``validate``'s refer to files the page only names."""
TODAY = datetime(2026, 12, 3, tzinfo=UTC)
"""The day the examples without ``--as-of`` were written on."""


TEXT = PAGE.read_text(encoding="utf-8")
EXAMPLES = examples(TEXT, RUN)


def test_the_page_has_examples_to_run() -> None:
    """The how-to defines its input file and shows qualify and demo examples."""
    assert "new-leads.jsonl" in input_files(TEXT)
    assert {command.split()[1] for command, _, _ in EXAMPLES} == {"qualify", "demo"}


@pytest.mark.parametrize(("command", "output", "code"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_output_is_what_the_command_prints(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    output: list[str],
    code: int | None,
) -> None:
    """Running the example prints its output (stdout and stderr, as on a terminal)."""
    for name, content in input_files(TEXT).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr("funnelkit.cli._qualify.today_utc", lambda: TODAY)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        exit_code = main(shlex.split(command)[1:])
    actual = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    assert matches([line.rstrip() for line in output], actual), "\n".join(actual)
    if code is not None:
        assert exit_code == code
