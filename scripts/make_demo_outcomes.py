"""Generate the outcomes of funnelkit's demo leads: ``src/funnelkit/data/demo_outcomes.csv``.

One row per demo lead: ``lead_id`` and ``converted`` (``true``, ``false``, or empty when
the outcome is unknown), what happened in the two quarters after the demo's date. The
leads themselves are not touched: the outcomes come from a random stream of their own
(``--seed``), so regenerating them changes no lead and no number the demo prints before
its backtest.

How they are drawn: the chance to convert rises with the ``starter`` preset's fit and
engagement scores and with the stage, so the starter policy predicts the outcomes well
but not perfectly (noise on every lead). Free-trial leads who never told us their
company size convert far more often than their fit score says (they try the product
before filling in forms): a missing fact that carries signal. Leads already won, lost or
disqualified at the demo's date, and about one open lead in eight, have no outcome yet.

Usage::

    python scripts/make_demo_outcomes.py [--seed 20261102] [--output PATH]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.model import StageKind
from funnelkit.qualify import STARTER, qualify_many

DEFAULT_SEED = 20261102
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/funnelkit/data/demo_outcomes.csv"

STAGE_BONUS = {
    None: -1.2,
    "inquiry": 0.0,
    "profiled": 0.4,
    "sales_ready": 0.9,
    "sales_opportunity": 1.6,
    "nurture": -0.6,
}
TRIAL_BONUS = 2.8
UNKNOWN_SHARE = 0.12


def generate(seed: int = DEFAULT_SEED) -> list[tuple[str, bool | None]]:
    rng = random.Random(seed)
    leads = load_demo()
    closed = {s.key for s in STARTER.funnel.stages if s.kind is not StageKind.OPEN}
    closed -= {"nurture"}
    out: list[tuple[str, bool | None]] = []
    results = qualify_many(leads, STARTER, as_of=DEMO_AS_OF, explain=False)
    for lead, q in zip(leads, results, strict=True):
        assert lead.id is not None
        noise = rng.gauss(0.0, 0.9)
        pending = rng.random() < UNKNOWN_SHARE
        draw = rng.random()
        if q.stage in closed or pending:
            out.append((lead.id, None))
            continue
        logit = -4.1 + 3.2 * float(q.fit) / 100 + 3.6 * max(0.0, float(q.engagement)) / 100
        logit += STAGE_BONUS.get(q.stage, 0.0) + noise
        no_size = lead.company is None or lead.company.employees is None
        if lead.source.channel == "free_trial" and no_size:
            logit += TRIAL_BONUS
        out.append((lead.id, draw < 1 / (1 + math.exp(-logit))))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    args = parser.parse_args(argv)
    rows = generate(args.seed)
    text = "lead_id,converted\n" + "".join(
        f"{lead_id},{'' if value is None else str(value).lower()}\n" for lead_id, value in rows
    )
    args.output.write_text(text, encoding="utf-8", newline="\n")
    known = [v for _, v in rows if v is not None]
    print(
        f"{len(rows)} outcomes, {len(known)} known, {sum(known)} converted -> {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
