"""Draw the plots the analytics docs show: ``docs/images/analytics/*.png``.

Every plot is made from the bundled demo data and outcomes with the public API, as the
docs describe it, so the images match the text. Rerun after a change to a plot or to the
demo data, and commit the images.

Usage::

    python scripts/make_plots.py [--output DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from funnelkit.analytics import (
    backtest,
    plot_conversion,
    plot_funnel,
    plot_lift,
    plot_roc,
    plot_scores,
    plot_transitions,
    qualified_rows,
)
from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
from funnelkit.qualify import BANT_GATED, STARTER

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "docs/images/analytics"


def figures() -> dict[str, Callable[[], Any]]:
    leads = load_demo()
    rows = qualified_rows(leads, STARTER, as_of=DEMO_AS_OF)
    report = backtest(
        leads, STARTER, outcome=load_demo_outcomes(), as_of=DEMO_AS_OF, against=BANT_GATED
    )
    return {
        "funnel": lambda: plot_funnel(rows, STARTER),
        "conversion-by-fit-grade": lambda: plot_conversion(report, by="fit grade"),
        "conversion-by-stage": lambda: plot_conversion(report, by="stage"),
        "roc": lambda: plot_roc(report),
        "lift": lambda: plot_lift(report),
        "engagement-scores": lambda: plot_scores(report, "engagement"),
        "transitions": lambda: plot_transitions(report),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for name, draw in figures().items():
        path = args.output / f"{name}.png"
        draw().savefig(path, dpi=80, metadata={"Software": None})
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
