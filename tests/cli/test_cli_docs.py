"""The command-line how-to: its ``funnelkit qualify`` and ``funnelkit demo`` examples are true."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest

from funnelkit.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "cli.md"
RUN = ("funnelkit qualify", "funnelkit demo")
"""The commands whose examples are run; ``validate``'s refer to files the page only names."""
TODAY = datetime(2026, 12, 3, tzinfo=UTC)
"""The day the examples without ``--as-of`` were written on."""


def input_files(text: str) -> dict[str, str]:
    """The files the page defines: a ``Given this `NAME`:`` line, then a code block."""
    found = re.findall(r"Given this `([^`]+)`:\n\n```\w*\n(.*?)```", text, flags=re.S)
    return dict(found)


def examples(text: str) -> list[tuple[str, list[str], int | None]]:
    """Each command of a console block to run: the command, its output, its exit code."""
    out: list[tuple[str, list[str], int | None]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        last = ""
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *lines = chunk.rstrip("\n").split("\n")
            if command == "echo $?" and last.startswith(RUN):
                out[-1] = (out[-1][0], out[-1][1], int(lines[0]))
            elif command.startswith(RUN):
                out.append((command, lines, None))
            last = command
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines match; a ``...`` line stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


TEXT = PAGE.read_text(encoding="utf-8")
EXAMPLES = examples(TEXT)


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
