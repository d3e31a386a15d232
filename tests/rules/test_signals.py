"""Signal aggregations: counts, limits, existence, latest, sums, decay and windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from funnelkit.model import Lead, Signal
from funnelkit.rules import Truth, signals

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def ago(kind: str, days: float, *, explicit: bool = False, value: float | None = None) -> Signal:
    """A signal of ``kind`` that happened ``days`` days before AS_OF (negative: after)."""
    return Signal(
        kind=kind, occurred_at=AS_OF - timedelta(days=days), explicit=explicit, value=value
    )


LEAD = Lead(
    signals=[
        ago("pricing_page_view", 1, value=2.0),
        ago("pricing_page_view", 5, value=3.5),
        ago("pricing_page_view", 40),
        ago("demo_request", 3, explicit=True),
        ago("content_download", 10, value=1.0),
    ]
)


@pytest.mark.parametrize(
    ("agg", "expected"),
    [
        (signals(kind="pricing_page_view").count(), 3),
        (signals(kind={"pricing_page_view", "demo_request"}).count(), 4),
        (signals().count(), 5),
        (signals(kind="email_reply").count(), 0),
    ],
    ids=repr,
)
def test_count(ev, agg, expected):
    """count counts the matching signals up to as_of."""
    assert ev(agg, LEAD) == expected


def test_count_without_signals_is_zero(ev):
    """A lead without signals has a count of 0, never a missing value."""
    assert ev(signals(kind="demo_request").count(), Lead()) == 0


@pytest.mark.parametrize(("limit", "expected"), [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3)])
def test_count_limit_caps_the_count(ev, limit, expected):
    """count(limit=n) counts at most n signals."""
    assert ev(signals(kind="pricing_page_view").count(limit=limit), LEAD) == expected


@pytest.mark.parametrize(
    ("query", "lead", "expected"),
    [
        (signals(kind="demo_request"), LEAD, Truth.TRUE),
        (signals(kind="email_reply"), LEAD, Truth.FALSE),
        (signals(kind="demo_request"), Lead(), Truth.FALSE),
    ],
    ids=repr,
)
def test_exists_is_never_unknown(ev, query, lead, expected):
    """exists is TRUE with a matching signal and FALSE without one."""
    assert ev(query.exists(), lead) is expected


def test_latest_is_the_most_recent_instant(ev):
    """latest gives when the most recent matching signal happened."""
    assert ev(signals(kind="pricing_page_view").latest(), LEAD) == AS_OF - timedelta(days=1)


def test_latest_without_a_match_is_missing(ev):
    """latest is missing when no signal matches."""
    assert ev(signals(kind="email_reply").latest(), LEAD) is None


def test_latest_within_a_window(ev):
    """latest().within(days=n) tests the recency of the last matching signal."""
    assert ev(signals(kind="demo_request").latest().within(days=7), LEAD) is Truth.TRUE


def test_sum_adds_values_and_counts_missing_values_as_zero(ev):
    """sum adds the signals' values; a signal without a value adds 0."""
    assert ev(signals(kind="pricing_page_view").sum(), LEAD) == 5.5


def test_decayed_weighs_a_signal_one_half_life_old_at_one_half(ev):
    """A signal exactly one half-life old weighs 0.5."""
    lead = Lead(signals=[ago("email_open", 7)])
    assert ev(signals(kind="email_open").decayed(half_life_days=7), lead) == 0.5


def test_decayed_weighs_a_signal_at_as_of_at_one(ev):
    """A signal that happens at as_of weighs 1."""
    lead = Lead(signals=[ago("email_open", 0)])
    assert ev(signals(kind="email_open").decayed(half_life_days=7), lead) == 1.0


def test_decayed_sums_the_weights(ev):
    """decayed adds the weights: 1 + 0.5 + 0.25 for ages 0, 1 and 2 half-lives."""
    lead = Lead(signals=[ago("email_open", 0), ago("email_open", 3), ago("email_open", 6)])
    assert ev(signals(kind="email_open").decayed(half_life_days=3), lead) == 1.75


@pytest.mark.parametrize(
    ("window", "expected"),
    [(0, 0), (1, 1), (4, 1), (5, 2), (39, 2), (40, 3), (None, 3)],
)
def test_within_window_includes_its_edge(ev, window, expected):
    """within=n keeps signals at most n days old, the edge included."""
    assert ev(signals(kind="pricing_page_view", within=window).count(), LEAD) == expected


def test_within_window_excludes_a_second_too_old(ev):
    """A signal one second older than the window does not count."""
    lead = Lead(signals=[Signal(kind="x", occurred_at=AS_OF - timedelta(days=30, seconds=1))])
    assert ev(signals(kind="x", within=30).count(), lead) == 0


@pytest.mark.parametrize(("explicit", "expected"), [(True, 1), (False, 4), (None, 5)])
def test_explicit_filter(ev, explicit, expected):
    """explicit=True keeps hand-raises, False observed behaviour, None both."""
    assert ev(signals(explicit=explicit).count(), LEAD) == expected


@pytest.mark.parametrize(
    "agg",
    [
        signals(kind="future").count(),
        signals(kind="future").sum(),
        signals(kind="future").decayed(half_life_days=1),
    ],
    ids=repr,
)
def test_future_signals_are_ignored(ev, agg):
    """Signals after as_of do not count: as_of is "now"."""
    lead = Lead(signals=[ago("future", -1, value=5.0), ago("future", -0.001, value=5.0)])
    assert ev(agg, lead) == 0


def test_future_signals_are_not_the_latest(ev):
    """A signal after as_of is never the latest."""
    lead = Lead(signals=[ago("x", -1), ago("x", 2)])
    assert ev(signals(kind="x").latest(), lead) == AS_OF - timedelta(days=2)


def test_a_signal_counts_once_as_of_reaches_it(ev):
    """A future signal counts when as_of is moved past it."""
    lead = Lead(signals=[ago("x", -1)])
    assert ev(signals(kind="x").count(), lead, as_of=AS_OF + timedelta(days=1)) == 1
