"""Plots: each returns a Figure, draws without a display, and names the missing extra."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from funnelkit.analytics import (
    Backtest,
    backtest,
    plot_conversion,
    plot_funnel,
    plot_lift,
    plot_roc,
    plot_scores,
    plot_transitions,
)
from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
from funnelkit.errors import MissingExtraError
from funnelkit.qualify import BANT_GATED, STARTER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report() -> Backtest:
    """A backtest of 400 demo leads against bant_gated."""
    return backtest(
        load_demo()[:400],
        STARTER,
        outcome=load_demo_outcomes(),
        as_of=DEMO_AS_OF,
        against=BANT_GATED,
    )


def _draw(figure: Any, tmp_path: Path) -> Path:
    from matplotlib.figure import Figure

    assert isinstance(figure, Figure)
    path = tmp_path / "plot.png"
    figure.savefig(path, dpi=40)
    assert path.read_bytes().startswith(b"\x89PNG")
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda r: plot_conversion(r),
        lambda r: plot_conversion(r, by="stage"),
        lambda r: plot_conversion(r, by="cell"),
        lambda r: plot_roc(r),
        lambda r: plot_lift(r, scores=["fit"]),
        lambda r: plot_scores(r, "fit"),
        lambda r: plot_scores(r.rows, "engagement"),
        lambda r: plot_transitions(r),
        lambda r: plot_funnel(r.rows, STARTER),
    ],
)
def test_each_plot_draws_to_png(report: Backtest, make: Any, tmp_path: Path) -> None:
    """Every plot returns a Figure that saves as a PNG without a display."""
    _draw(make(report), tmp_path)


def test_roc_legend_names_each_score_with_its_auc(report: Backtest) -> None:
    """The legend of the ROC plot gives the AUC the report computed."""
    figure = plot_roc(report)
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    fit = dict(report.auc)["fit"]
    assert f"fit (AUC {fit:.3f})" in labels


def test_transitions_need_a_second_policy(report: Backtest) -> None:
    """A backtest without ``against=`` has no matrix to draw."""
    import attrs

    with pytest.raises(ValueError, match="expected a backtest run with against="):
        plot_transitions(attrs.evolve(report, against=None, transitions=None))


def test_conversion_names_a_bad_grouping(report: Backtest) -> None:
    """``by`` must be a grouping the report has."""
    with pytest.raises(ValueError, match=r"by: expected one of .* got 'channel'"):
        plot_conversion(report, by="channel")


def test_a_missing_matplotlib_names_the_extra(
    report: Backtest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib, a plot says which extra to install."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError, match=r'pip install "funnelkit\[plots\]"'):
        plot_roc(report)


def test_the_docs_images_script_draws_every_plot(tmp_path: Path) -> None:
    """scripts/make_plots.py writes one PNG per plot the docs show."""
    spec = importlib.util.spec_from_file_location("make_plots", ROOT / "scripts/make_plots.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.png"))
    assert written == sorted(f"{name}.png" for name in module.figures())
    committed = sorted(p.name for p in (ROOT / "docs/images/analytics").glob("*.png"))
    assert committed == written
