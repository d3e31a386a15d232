"""The memory row of the benchmark: what a kept Qualification costs, explained or not.

``qualify-memory`` qualifies the benchmark leads with the ``starter`` policy and keeps
every result, once with explanations and once without, and reports the bytes each kept
Qualification holds (``tracemalloc``, after a collection; the leads themselves are made
before and not counted) and the ratio of the two. The explanation's trace stays
available on demand: it is built again from the lead when it is first read.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from funnelkit import STARTER, qualify
from funnelkit.model import Lead

TARGET_KIB = 4.0
"""The most a kept explained Qualification should hold, in KiB (not enforced)."""


@dataclass(frozen=True)
class MemoryRow:
    """The memory row of the report."""

    engine: str
    rows: int
    kib_explained: float
    kib_plain: float
    ratio_explained_vs_plain: float
    trace_on_demand: bool

    def to_json(self) -> dict[str, Any]:
        """The JSON record of the row."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "kib_per_qualification_explained": self.kib_explained,
            "kib_per_qualification_plain": self.kib_plain,
            "ratio_explained_vs_plain": self.ratio_explained_vs_plain,
            "trace_on_demand": self.trace_on_demand,
            "outputs_match": self.trace_on_demand,
        }


def _kept_bytes(leads: Sequence[Lead], as_of: datetime, *, explain: bool) -> tuple[float, Any]:
    gc.collect()
    tracemalloc.start()
    try:
        kept = [qualify(lead, STARTER, as_of=as_of, explain=explain) for lead in leads]
        gc.collect()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current / len(kept), kept


def memory_row(leads: Sequence[Lead], as_of: datetime) -> MemoryRow:
    """Measure the bytes per kept Qualification, explained and not, on ``leads``."""
    explained, kept = _kept_bytes(leads, as_of, explain=True)
    plain, _ = _kept_bytes(leads, as_of, explain=False)
    first = kept[0].explanation
    on_demand = first is not None and first.trace.outcome == first.outcome
    return MemoryRow(
        engine="qualify-memory",
        rows=len(leads),
        kib_explained=explained / 1024,
        kib_plain=plain / 1024,
        ratio_explained_vs_plain=explained / plain,
        trace_on_demand=on_demand,
    )


def plain_table(row: MemoryRow) -> str:
    """The row as text: KiB per kept Qualification, explained and plain, and the ratio."""
    return (
        f"qualify-memory ({row.rows:,} kept, starter): explained {row.kib_explained:.1f} KiB,"
        f" plain {row.kib_plain:.1f} KiB per Qualification,"
        f" ratio {row.ratio_explained_vs_plain:.1f}x"
        f" (target <= {TARGET_KIB:.0f} KiB explained; trace on demand: {row.trace_on_demand})"
    )
