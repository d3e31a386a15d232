"""The doctests of the tutorial run in a folder holding the files its pages define.

A tutorial page defines a file with a ``Given this `NAME`:`` line followed by a code
block (``tests/_docs.py``); its Python examples then read the file by name, as a reader
would in the folder where they saved it. This fixture writes the files of every tutorial
page into a temporary folder and runs each tutorial doctest there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._docs import input_files

TUTORIAL = Path(__file__).resolve().parent / "tutorial"


def tutorial_files() -> dict[str, str]:
    """The files the tutorial pages define, by name."""
    files: dict[str, str] = {}
    for page in sorted(TUTORIAL.glob("*.md")):
        files.update(input_files(page.read_text(encoding="utf-8")))
    return files


@pytest.fixture(autouse=True)
def _in_the_tutorial_folder(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run a tutorial page's examples in a folder holding the tutorial's files."""
    if TUTORIAL not in Path(str(request.node.path)).parents:
        return
    for name, content in tutorial_files().items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
