"""The analytics how-tos: their ``funnelkit report`` and ``funnelkit backtest`` examples are true."""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
from pathlib import Path

import pytest
from tests._docs import examples, input_files, matches

from funnelkit.cli import main
from funnelkit.data import demo_outcomes_path, demo_path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "how-to"
PAGES = ("funnel-reports.md", "backtest.md")
RUN = ("funnelkit report", "funnelkit backtest")
EXAMPLES = [
    (page, *example)
    for page in PAGES
    for example in examples((DOCS / page).read_text(encoding="utf-8"), RUN)
]


def test_each_page_has_an_example_to_run() -> None:
    """Both pages show a command and its output."""
    assert {page for page, *_ in EXAMPLES} == set(PAGES)


@pytest.mark.parametrize(
    ("page", "command", "output", "code"), EXAMPLES, ids=[e[1] for e in EXAMPLES]
)
def test_example_output_is_what_the_command_prints(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    command: str,
    output: list[str],
    code: int | None,
) -> None:
    """Running the example (with the page's files and the demo files) prints its output."""
    for name, content in input_files((DOCS / page).read_text(encoding="utf-8")).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    shutil.copy(demo_path(), tmp_path)
    shutil.copy(demo_outcomes_path(), tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        exit_code = main(shlex.split(command)[1:])
    actual = [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    assert matches([line.rstrip() for line in output], actual), "\n".join(actual)
    if code is not None:
        assert exit_code == code
