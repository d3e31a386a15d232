"""The tutorial's notebook runs in the folder of the tutorial's files and shows what the page shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docs.conftest import tutorial_files

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("polars")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "leads-table.ipynb"
PAGE = ROOT / "docs" / "tutorial" / "leads-table.md"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The text of every output, the notebook run where the tutorial's files were saved."""
    folder = tmp_path_factory.mktemp("tutorial")
    for name, content in tutorial_files().items():
        (folder / name).write_text(content, encoding="utf-8")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    found: list[dict[str, Any]] = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [o for o in found if o["output_type"] == "error"]
    assert (folder / "qualified.parquet").exists()
    return [o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in found]


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_the_tutorial_page_links_the_notebook() -> None:
    assert "../notebooks/leads-table.ipynb" in PAGE.read_text(encoding="utf-8")


def test_the_frame_is_the_one_the_tutorial_prints(outputs: list[str]) -> None:
    page = PAGE.read_text(encoding="utf-8")
    start = page.index("shape: (4, 6)")
    printed = page[start : page.index("\n>>>", start)].strip()
    assert printed in [text.strip() for text in outputs]


def test_one_lead_is_printed_and_explained(outputs: list[str]) -> None:
    text = "\n".join(outputs)
    assert "L-2: Profiled Lead under my-first-policy@1" in text
    assert "score 'engagement' -> 9.2543" in text


def test_the_table_engine_gives_the_same_rows(outputs: list[str]) -> None:
    assert "same as qualify: True" in "\n".join(outputs)
