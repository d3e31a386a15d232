"""Plots of funnels and backtests: each function returns a matplotlib Figure.

matplotlib is imported when a plot is drawn, never at import time; without it, a plot
raises [`MissingExtraError`][funnelkit.errors.MissingExtraError] naming the ``plots``
extra. Figures are built without pyplot, so no window opens and no global state is
touched: show one in a notebook by leaving it as a cell's value, or save it with
``figure.savefig(path)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from funnelkit.analytics._backtest import Backtest
from funnelkit.analytics._funnel import conversion, funnel, score_bands
from funnelkit.analytics._stats import lift_curve, roc_curve
from funnelkit.analytics._table import Frame, as_rows
from funnelkit.errors import MissingExtraError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from funnelkit.qualify import Policy

__all__ = [
    "plot_conversion",
    "plot_funnel",
    "plot_lift",
    "plot_roc",
    "plot_scores",
    "plot_transitions",
]

_SIZE = (7.0, 4.0)
_BY = {
    "fit grade": "by_fit_grade",
    "engagement grade": "by_engagement_grade",
    "stage": "by_stage",
    "cell": "by_cell",
}


def _count(cell: object) -> int:
    return cell if isinstance(cell, int) else 0


def _figure(size: tuple[float, float] = _SIZE) -> tuple[Figure, Axes]:
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise MissingExtraError("plots", "matplotlib") from err
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def plot_funnel(frame: Frame, policy: Policy) -> Figure:
    """The funnel as horizontal bars: leads per stage, and leads that reached each stage.

    Args:
        frame: Qualification rows (see ``qualified_rows``).
        policy: Their policy.

    Returns:
        A Figure: one bar per open stage for the leads that reached at least it (with
        the share of the stage before), and a thinner bar for the leads standing in it.

    Raises:
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    figure, ax = _figure()
    reached = conversion(frame, policy)
    standing = dict(
        zip(
            funnel(frame, policy).column("stage"),
            funnel(frame, policy).column("leads"),
            strict=True,
        )
    )
    labels = [str(label) for label in reached.column("reached at least")]
    counts = [_count(n) for n in reached.column("leads")]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, counts, color="#3f51b5", label="reached at least")
    ax.barh(
        positions,
        [_count(standing.get(label)) for label in labels],
        height=0.35,
        color="#ff9800",
        label="stands in it now",
    )
    for y, count, before in zip(
        positions, counts, reached.column("of the stage before"), strict=True
    ):
        note = f"{count:,}" + (
            f"  ({100 * before:.0f}% of the stage before)" if isinstance(before, float) else ""
        )
        ax.text(count, y, " " + note, va="center", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.set_xlabel("leads")
    ax.set_title(f"Funnel ({policy.label})")
    ax.legend(loc="lower right", fontsize=8)
    ax.margins(x=0.35)
    return figure


def plot_conversion(report: Backtest, *, by: str = "fit grade") -> Figure:
    """Conversion rate by grade, stage or grid cell, with 95% Wilson intervals.

    Args:
        report: A backtest.
        by: ``fit grade``, ``engagement grade``, ``stage`` or ``cell``.

    Returns:
        A Figure: one bar per group (groups without a known outcome are left out), the
        interval as an error bar, and the base rate as a line.

    Raises:
        ValueError: If ``by`` is none of those.
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    if by not in _BY:
        raise ValueError(f"plot_conversion: by: expected one of {sorted(_BY)}, got {by!r}")
    table = getattr(report, _BY[by])
    rows = [row for row in table.rows if row[4] is not None]
    figure, ax = _figure()
    labels = [str(row[0]) for row in rows]
    rates = [100 * float(row[4]) for row in rows]
    errors = [
        [rate - 100 * float(row[5]) for rate, row in zip(rates, rows, strict=True)],
        [100 * float(row[6]) - rate for rate, row in zip(rates, rows, strict=True)],
    ]
    ax.bar(labels, rates, yerr=errors, capsize=3, color="#3f51b5")
    if report.base_rate is not None:
        ax.axhline(100 * report.base_rate, color="#ff9800", linestyle="--", label="base rate")
        ax.legend(fontsize=8)
    ax.set_ylabel("converted (%)")
    ax.set_title(f"Conversion by {by} ({report.policy})")
    if by == "stage":
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return figure


def _known(report: Backtest, score: str) -> tuple[list[float], list[bool]]:
    rows = [row for row in report.rows if row["outcome"] is not None]
    return [float(row[score] or 0) for row in rows], [bool(row["outcome"]) for row in rows]


def _score_names(report: Backtest, scores: Sequence[str] | None) -> Sequence[str]:
    return scores if scores is not None else [name for name, _ in report.auc]


def plot_roc(report: Backtest, *, scores: Sequence[str] | None = None) -> Figure:
    """The ROC curve of each score, with its AUC in the legend.

    Args:
        report: A backtest.
        scores: The scores to draw (default: every score of the report).

    Returns:
        A Figure with one curve per score and the diagonal of a random score.

    Raises:
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    figure, ax = _figure((5.0, 5.0))
    aucs = dict(report.auc)
    for name in _score_names(report, scores):
        points = roc_curve(*_known(report, name))
        if points:
            value = aucs.get(name)
            label = f"{name} (AUC {value:.3f})" if value is not None else name
            ax.plot([p[0] for p in points], [p[1] for p in points], label=label)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(f"ROC ({report.policy})")
    ax.legend(fontsize=8, loc="lower right")
    return figure


def plot_lift(report: Backtest, *, scores: Sequence[str] | None = None) -> Figure:
    """The cumulative lift of each score: how much richer in conversions its top leads are.

    Args:
        report: A backtest.
        scores: The scores to draw (default: every score of the report).

    Returns:
        A Figure: share of leads taken (best first) against the rate among them over
        the base rate.

    Raises:
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    figure, ax = _figure()
    for name in _score_names(report, scores):
        points = lift_curve(*_known(report, name))
        if points:
            ax.plot([100 * p[0] for p in points], [p[1] for p in points], label=name)
    ax.axhline(1, color="grey", linestyle=":", label="no lift")
    ax.set_xlabel("leads taken, best score first (%)")
    ax.set_ylabel("lift over the base rate")
    ax.set_title(f"Cumulative lift ({report.policy})")
    ax.legend(fontsize=8)
    return figure


def plot_scores(frame: Frame | Backtest, score: str = "fit", *, width: int = 10) -> Figure:
    """A histogram of a score; for a backtest, converted and other leads side by side.

    Args:
        frame: Qualification rows, or a backtest (its rows, split by outcome).
        score: ``fit``, ``engagement`` or ``priority``.
        width: The width of each band.

    Returns:
        A Figure with one bar per band (and per outcome, for a backtest).

    Raises:
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    rows = frame.rows if isinstance(frame, Backtest) else as_rows(frame)
    values = [float(row[score]) for row in rows if row.get(score) is not None]
    bands = score_bands(width, values)
    edges = [low for low, _ in bands] + [bands[-1][1]]
    figure, ax = _figure()
    if isinstance(frame, Backtest):
        groups: list[tuple[str, Any]] = [
            ("converted", True),
            ("not converted", False),
            ("unknown outcome", None),
        ]
        for name, value in groups:
            data = [float(row[score]) for row in rows if row["outcome"] is value]
            if data:
                weights = [100 / len(data)] * len(data)
                ax.hist(data, bins=edges, weights=weights, label=name, histtype="step", lw=2)
        ax.set_ylabel("share of the group (%)")
        ax.legend(fontsize=8)
    else:
        ax.hist(values, bins=edges, color="#3f51b5")
        ax.set_ylabel("leads")
    ax.set_xlabel(f"{score} score")
    ax.set_title(f"Distribution of the {score} score")
    return figure


def plot_transitions(report: Backtest) -> Figure:
    """The stage-transition matrix of a backtest with ``against=``, as a heat map.

    Args:
        report: A backtest run with ``against=``.

    Returns:
        A Figure: stages under the report's policy as rows, under the other as columns,
        each cell labelled with its count.

    Raises:
        ValueError: If the backtest has no second policy.
        MissingExtraError: matplotlib is not installed (``pip install "funnelkit[plots]"``).
    """
    table = report.transitions
    if table is None or report.against is None:
        raise ValueError("plot_transitions: expected a backtest run with against=, got none")
    matrix = [[_count(c) for c in row[1:]] for row in table.rows]
    figure, ax = _figure((7.5, 6.0))
    ax.imshow(matrix, cmap="Blues")
    for i, row in enumerate(matrix):
        top = max(max(r) for r in matrix) or 1
        for j, count in enumerate(row):
            if count:
                colour = "white" if count > top / 2 else "black"
                ax.text(j, i, f"{count:,}", ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(range(len(table.columns) - 1), [str(c) for c in table.columns[1:]])
    ax.set_yticks(range(len(matrix)), [str(row[0]) for row in table.rows])
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(report.against.policy)
    ax.set_ylabel(report.policy)
    ax.set_title("Stage transitions")
    return figure
