"""The demo outcomes: reproducible, one per demo lead, and shaped as the docs say."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from funnelkit.analytics import read_outcomes
from funnelkit.data import demo_outcomes_path, load_demo, load_demo_outcomes

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_demo_outcomes.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """The outcomes script, imported as a module."""
    spec = importlib.util.spec_from_file_location("make_demo_outcomes", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_file_is_what_the_script_writes(script: ModuleType, tmp_path: Path) -> None:
    """Rerunning the script writes the shipped file byte for byte."""
    out = tmp_path / "outcomes.csv"
    assert script.main(["--output", str(out)]) == 0
    assert out.read_bytes() == demo_outcomes_path().read_bytes()


def test_every_demo_lead_has_one_row_in_order() -> None:
    """One row per lead, in the leads' order, and nothing else."""
    assert list(read_outcomes(demo_outcomes_path())) == [lead.id for lead in load_demo()]


def test_outcomes_are_mixed_and_some_unknown() -> None:
    """Some converted, most did not, and some are not known yet."""
    values = list(load_demo_outcomes().values())
    converted, lost, unknown = values.count(True), values.count(False), values.count(None)
    assert 0.05 < converted / (converted + lost) < 0.25
    assert 0.05 < unknown / len(values) < 0.3


def test_the_outcomes_are_read_only() -> None:
    """The shared mapping cannot be changed by a caller."""
    with pytest.raises(TypeError):
        load_demo_outcomes()["L-00001"] = True  # type: ignore[index]
