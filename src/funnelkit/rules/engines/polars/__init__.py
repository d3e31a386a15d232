"""The polars engine: rule trees lowered to expressions over the table contract.

A walker like the others: ``_lower`` visits each node kind once, reading its meaning
from ``funnelkit.rules.meaning`` (``on_missing`` from ``STRICT``, one lowered operation
per strict kind in ``_operations``). Unknown is null; numbers follow Python exactly
(``_numbers``); signal aggregations are one group-by over the signals table
(``_signals``). ``FrameOps`` gives the facts walkers (``funnelkit.rules.engines.facts``)
the same columns, for explain's unknown facts. Importing this package needs polars (the
``polars`` extra).
"""

from funnelkit.rules.engines.polars._col import Col
from funnelkit.rules.engines.polars._facts import FrameOps
from funnelkit.rules.engines.polars._frame import (
    SIGNALS_SCHEMA,
    collect,
    evaluate_frame,
    fact_list,
    output_expr,
    with_layers,
    with_signals,
)
from funnelkit.rules.engines.polars._lower import Lowering

__all__ = [
    "FrameOps",
    "fact_list",
    "with_layers",
    "collect",
    "evaluate_frame",
    "Lowering",
    "Col",
    "output_expr",
    "with_signals",
    "SIGNALS_SCHEMA",
]
