"""What a signal aggregation means: the window, the decay, and the aggregates over them.

Stated once here; every Python engine uses these functions. The reference interpreter
calls ``signal_agg``; explain shares ``signal_counts`` between the counts of one plan;
the compiled engine's one-pass loop tests the window against ``window_start`` and adds
``decay_weight`` per signal. The polars and SQL engines translate the same statements
into their own languages, and the engine-agreement properties hold them to these.

* A signal counts at ``as_of`` when it happened no later than ``as_of`` and, with a
  window of ``within_days``, at most that long before it (a signal exactly on the edge
  counts): ``in_window``.
* A decayed signal weighs ``0.5 ** (age_in_days / half_life_days)``, the age in exact
  seconds over 86,400: ``decay_weight``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone

from funnelkit.model import Lead, Signal
from funnelkit.rules.tree import SignalAgg, gap_filter

__all__ = [
    "SECONDS_PER_DAY",
    "decay_weight",
    "in_window",
    "matching_signals",
    "signal_agg",
    "signal_counts",
    "signal_window",
    "window_start",
]

SECONDS_PER_DAY = 86400.0
"""The length of the day that ages are measured in (decay, windows)."""


def signal_window(within_days: float | None) -> timedelta | None:
    """The window of ``within_days`` as a duration (``None``: no window)."""
    return None if within_days is None else timedelta(days=within_days)


def in_window(at: datetime, as_of: datetime, window: timedelta | None) -> bool:
    """Whether a signal at ``at`` counts at ``as_of``: not after it, and within the window."""
    if at > as_of:
        return False
    return window is None or as_of - at <= window


def window_start(as_of: datetime, window: timedelta) -> datetime | None:
    """The earliest instant ``in_window`` admits, when comparing with it is exact.

    ``at >= window_start(as_of, window)`` is ``as_of - at <= window`` for every signal
    when ``as_of`` has a fixed offset; under a zone with transitions (or when the start
    would be before year 1) it is ``None``, and each signal's age is computed instead.
    """
    if type(as_of.tzinfo) is not timezone:
        return None
    try:
        return as_of - window
    except OverflowError:
        return None


def decay_weight(age: timedelta, half_life_days: float) -> float:
    """What a signal of this age weighs under a half-life: ``0.5 ** (days / half-life)``."""
    return float(0.5 ** (age.total_seconds() / SECONDS_PER_DAY / half_life_days))


def matching_signals(node: SignalAgg, lead: Lead, as_of: datetime) -> Iterator[Signal]:
    """The lead's signals of the node's kinds and explicitness, in its window at ``as_of``."""
    window = signal_window(node.within_days)
    kinds, explicit = node.kinds, node.explicit
    for s in lead.signals:
        if (kinds and s.kind not in kinds) or (explicit is not None and s.explicit is not explicit):
            continue
        if in_window(s.occurred_at, as_of, window):
            yield s


def signal_counts(
    lead: Lead, as_of: datetime, *, within_days: float | None, explicit: bool | None
) -> dict[str, int]:
    """How many of the lead's signals of each kind count at ``as_of`` (window, explicit).

    The counts of a plan share one pass: ``signals(kind=k).count()`` is
    ``signal_counts(...).get(k, 0)`` (at most its limit).
    """
    window = signal_window(within_days)
    counts: dict[str, int] = {}
    get = counts.get
    start = None if window is None else window_start(as_of, window)
    if window is None or start is not None:  # in_window as one comparison (window_start)
        for s in lead.signals:
            at = s.occurred_at
            if (
                at <= as_of
                and (start is None or at >= start)
                and (explicit is None or s.explicit is explicit)
            ):
                counts[s.kind] = get(s.kind, 0) + 1
        return counts
    for s in lead.signals:
        if explicit is not None and s.explicit is not explicit:
            continue
        if in_window(s.occurred_at, as_of, window):
            counts[s.kind] = get(s.kind, 0) + 1
    return counts


def signal_agg(node: SignalAgg, lead: Lead, as_of: datetime) -> object:
    """Aggregate the lead's signals as ``node`` says (signals after ``as_of`` are ignored).

    With ``min_gap_days``, the signals that pass the kind, ``explicit`` and window filters
    are taken newest first, and each counts only if it happened at least that many days
    before the last one that counted (``gap_filter``).
    """
    matched: Iterable[Signal] = matching_signals(node, lead, as_of)
    if node.min_gap_days is not None:
        matched = gap_filter(matched, node.min_gap_days)
    count, latest, total = 0, None, 0.0
    for s in matched:
        count += 1
        if node.agg == "latest":
            latest = s.occurred_at if latest is None or s.occurred_at > latest else latest
        elif node.agg == "sum":
            total += s.value or 0.0
        elif node.agg == "decayed":
            total += decay_weight(as_of - s.occurred_at, node.half_life_days)  # type: ignore[arg-type]
    if node.agg == "count":
        return count if node.limit is None else min(count, node.limit)
    if node.agg == "latest":
        return latest
    return total
