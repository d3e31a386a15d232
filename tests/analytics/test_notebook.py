"""The example notebook runs from top to bottom and shows what the docs say it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from funnelkit.analytics import backtest
from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
from funnelkit.qualify import STARTER

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "crm-export.ipynb"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Every output of the notebook, executed in a scratch directory."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def _texts(outputs: list[dict[str, Any]]) -> str:
    return "\n".join(
        output.get("text", "") or output.get("data", {}).get("text/plain", "") for output in outputs
    )


def test_the_notebook_is_stored_without_outputs() -> None:
    """The file in the repository holds code, not results: they are made by running it."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_the_notebook_runs_without_errors(outputs: list[dict[str, Any]]) -> None:
    """No cell raises."""
    assert not [o for o in outputs if o["output_type"] == "error"]


def test_the_export_loads_through_the_mapping(outputs: list[dict[str, Any]]) -> None:
    """Every row of the CSV export becomes a lead."""
    assert "2500 rows, 2500 leads, 0 bad" in _texts(outputs)


def test_the_backtest_gives_the_numbers_of_the_api(outputs: list[dict[str, Any]]) -> None:
    """The notebook's backtest of the demo leads prints the API's summary."""
    report = backtest(load_demo(), STARTER, outcome=load_demo_outcomes(), as_of=DEMO_AS_OF)
    assert report.summary() in _texts(outputs)


def test_tables_show_as_html_and_plots_as_images(outputs: list[dict[str, Any]]) -> None:
    """Tables are HTML in the notebook, and the plots are PNG images."""
    data = [o.get("data", {}) for o in outputs]
    assert any('class="funnelkit-table"' in d.get("text/html", "") for d in data)
    assert sum("image/png" in d for d in data) >= 2
