"""Signal windows and decay, stated once in ``funnelkit.rules.meaning``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from funnelkit.model import Lead, Signal
from funnelkit.rules import signals
from funnelkit.rules.meaning import (
    decay_weight,
    in_window,
    signal_agg,
    signal_counts,
    signal_window,
    window_start,
)

AS_OF = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_the_window_includes_its_edge_and_excludes_the_future() -> None:
    window = signal_window(30)
    assert window == timedelta(days=30)
    assert in_window(AS_OF - timedelta(days=30), AS_OF, window)
    assert not in_window(AS_OF - timedelta(days=30, microseconds=1), AS_OF, window)
    assert in_window(AS_OF, AS_OF, window)
    assert not in_window(AS_OF + timedelta(microseconds=1), AS_OF, None)
    assert in_window(datetime(1, 1, 2, tzinfo=UTC), AS_OF, None)


def test_decay_halves_per_half_life() -> None:
    assert decay_weight(timedelta(0), 30) == 1.0
    assert decay_weight(timedelta(days=30), 30) == 0.5
    assert decay_weight(timedelta(days=60), 30) == 0.25


_zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")]
)
_instants = st.datetimes(
    min_value=datetime(1, 1, 3), max_value=datetime(9999, 12, 29), timezones=_zones
)


@given(_instants, _instants, st.integers(min_value=0, max_value=3_000_000))
def test_window_start_is_the_window_test(as_of: datetime, at: datetime, days: int) -> None:
    """Where the compiled loop compares with ``window_start``, it is ``in_window``."""
    window = timedelta(days=days)
    start = window_start(as_of, window)
    if start is not None:
        assert (at <= as_of and at >= start) == in_window(at, as_of, window)


def test_counts_and_aggregates_read_the_same_window() -> None:
    lead = Lead(
        signals=[
            Signal(kind="demo_request", occurred_at=AS_OF - timedelta(days=d), explicit=d < 20)
            for d in (-1, 0, 10, 30, 31)
        ]
    )
    counts = signal_counts(lead, AS_OF, within_days=30, explicit=None)
    assert counts == {"demo_request": 3}
    assert signal_counts(lead, AS_OF, within_days=None, explicit=True) == {"demo_request": 2}
    node = signals(kind="demo_request", within=30).count()
    assert signal_agg(node, lead, AS_OF) == 3
