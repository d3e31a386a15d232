"""Funnel reports, backtests and plots over qualified leads: frames in, tables out.

Everything here reads *frames*: the rows ``qualified_rows`` returns (a qualification per
lead, plus its stage history and some of its fields), the rows of
``funnelkit.io.qualification_rows``, or the same as a polars DataFrame. Each function
returns a [`Table`][funnelkit.analytics.Table] of plain values, which prints as text,
shows as HTML in a notebook and turns into a polars DataFrame with ``to_polars()``.

* The funnel: ``funnel``, ``conversion``, ``grade_grid``, ``score_distribution``,
  ``breakdown``; from the stage history, ``velocity`` and ``leakage``.
* ``backtest``: how well a policy's grades, gates and scores predict known outcomes,
  with Wilson intervals, lift, precision and recall, AUCs, calibration, the lift of
  each criterion with *unknown* as its own bucket, and a second policy side by side.
* Plots (the ``plots`` extra): ``plot_funnel``, ``plot_conversion``, ``plot_roc``,
  ``plot_lift``, ``plot_scores``, ``plot_transitions``, each returning a matplotlib
  Figure.

Examples:
    >>> from funnelkit.analytics import funnel, qualified_rows
    >>> from funnelkit.data import DEMO_AS_OF, load_demo
    >>> from funnelkit.qualify import STARTER
    >>> rows = qualified_rows(load_demo(), STARTER, as_of=DEMO_AS_OF)
    >>> funnel(rows, STARTER).column("leads")[:4]
    (839, 407, 166, 63)
"""

from funnelkit.analytics._backtest import (
    FACTS,
    Backtest,
    Outcome,
    as_of_lead,
    backtest,
    outcome_from_history,
    outcome_value,
    transitions,
)
from funnelkit.analytics._funnel import (
    LEAD_COLUMNS,
    LIST_ENTRY,
    UNKNOWN,
    breakdown,
    conversion,
    funnel,
    furthest_open_stage,
    grade_grid,
    lead_value,
    leakage,
    qualified_rows,
    result_rows,
    score_distribution,
    velocity,
)
from funnelkit.analytics._outcomes import read_outcomes
from funnelkit.analytics._plots import (
    plot_conversion,
    plot_funnel,
    plot_lift,
    plot_roc,
    plot_scores,
    plot_transitions,
)
from funnelkit.analytics._stats import auc, lift_curve, roc_curve, wilson_interval
from funnelkit.analytics._table import Cell, Frame, Table, as_rows

__all__ = [
    # frames and tables
    "qualified_rows",
    "result_rows",
    "lead_value",
    "LEAD_COLUMNS",
    "as_rows",
    "Frame",
    "Table",
    "Cell",
    # the funnel
    "funnel",
    "conversion",
    "grade_grid",
    "score_distribution",
    "breakdown",
    "velocity",
    "leakage",
    "furthest_open_stage",
    "LIST_ENTRY",
    "UNKNOWN",
    # backtests
    "backtest",
    "Backtest",
    "Outcome",
    "outcome_value",
    "outcome_from_history",
    "read_outcomes",
    "as_of_lead",
    "transitions",
    "FACTS",
    # statistics
    "wilson_interval",
    "auc",
    "roc_curve",
    "lift_curve",
    # plots (the plots extra)
    "plot_funnel",
    "plot_conversion",
    "plot_roc",
    "plot_lift",
    "plot_scores",
    "plot_transitions",
]
