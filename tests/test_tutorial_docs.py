"""The tutorial's command-line examples print what the pages show.

The pages define their input files (``Given this `NAME`:``); the commands run in a folder
holding the files of every tutorial page, since a later part uses the files of an
earlier one. Their Python examples run as doctests (``docs/conftest.py``).
"""

from __future__ import annotations

import contextlib
import io
import shlex
from pathlib import Path

import pytest
from tests._docs import examples, input_files, matches

from funnelkit.cli import main

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial"
PAGES = sorted(TUTORIAL.glob("*.md"))
FILES = {
    name: content
    for page in PAGES
    for name, content in input_files(page.read_text(encoding="utf-8")).items()
}
EXAMPLES = [
    (page.name, *example)
    for page in PAGES
    for example in examples(page.read_text(encoding="utf-8"), "funnelkit ")
]


def test_the_tutorial_defines_its_files_and_commands() -> None:
    """The tutorial defines its policy file and its CSV, and runs validate and qualify."""
    assert {"my-policy.yaml", "leads.csv"} <= set(FILES)
    assert {command.split()[1] for _, command, _, _ in EXAMPLES} >= {"policy", "qualify"}


@pytest.mark.parametrize(
    ("page", "command", "output", "code"), EXAMPLES, ids=[f"{e[0]}: {e[1]}" for e in EXAMPLES]
)
def test_example_output_is_what_the_command_prints(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    command: str,
    output: list[str],
    code: int | None,
) -> None:
    """Running the example prints its output (stdout and stderr, as on a terminal)."""
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        exit_code = main(shlex.split(command)[1:])
    actual = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    assert matches([line.rstrip() for line in output], actual), "\n".join(actual)
    assert exit_code == (code if code is not None else 0)
