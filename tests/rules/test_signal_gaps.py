"""Minimum gaps between counted signals: count(min_gap_days=N) and decayed(..., min_gap_days=N)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelkit.model import Lead, Signal
from funnelkit.rules import (
    ConditionSyntaxError,
    RuleBuildError,
    compile_rule,
    evaluate,
    explain,
    parse_rule,
    per,
    score,
    signals,
)
from funnelkit.rules.tree._signals import SignalAgg

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def ago(days: float, kind: str = "pricing_page_view", *, explicit: bool = False) -> Signal:
    """A signal of ``kind`` that happened ``days`` days before AS_OF."""
    return Signal(kind=kind, occurred_at=AS_OF - timedelta(days=days), explicit=explicit)


def gapped(gap: float, **query: object) -> SignalAgg:
    """The count of pricing-page views at least ``gap`` days apart."""
    return signals(kind="pricing_page_view", **query).count(min_gap_days=gap)  # type: ignore[arg-type]


@pytest.mark.parametrize(("apart", "expected"), [(6.9, 1), (7, 2), (7.1, 2)])
def test_two_signals_count_twice_from_exactly_the_gap(ev, apart, expected):
    """Two signals N days apart count twice with a gap of N days (exactly N included)."""
    assert ev(gapped(7), Lead(signals=[ago(10), ago(10 - apart)])) == expected


def test_a_microsecond_short_of_the_gap_counts_once(ev):
    """The gap is measured to the microsecond: one microsecond short counts once."""
    later = Signal(kind="pricing_page_view", occurred_at=AS_OF - timedelta(microseconds=1))
    assert ev(gapped(7), Lead(signals=[ago(7), later])) == 1


def test_the_gap_runs_from_the_last_counted_signal(ev):
    """A skipped signal does not restart the gap: days 0, 4 and 8 count twice with gap 7."""
    assert ev(gapped(7), Lead(signals=[ago(8), ago(4), ago(0)])) == 2


def test_signals_are_taken_newest_first_whatever_their_order(ev):
    """The lead's order of signals does not matter: the newest counts first."""
    assert ev(gapped(7), Lead(signals=[ago(0), ago(8), ago(4)])) == 2


def test_a_burst_at_one_instant_counts_once(ev):
    """Ten signals at the same instant count once."""
    assert ev(gapped(0.5), Lead(signals=[ago(3)] * 10)) == 1


def test_kinds_of_one_query_share_the_gap(ev):
    """The gap runs across all the selected kinds together."""
    lead = Lead(signals=[ago(3, "pricing_page_view"), ago(1, "demo_request")])
    agg = signals(kind={"pricing_page_view", "demo_request"}).count(min_gap_days=7)
    assert ev(agg, lead) == 1


def test_the_window_applies_before_the_gap(ev):
    """A signal outside the window does not start a gap: ages 10 and 5, 7-day window and gap."""
    assert ev(gapped(7, within=7), Lead(signals=[ago(10), ago(5)])) == 1


def test_the_explicit_filter_applies_before_the_gap(ev):
    """A filtered-out signal does not start a gap: an observed view, a hand-raise 4 days on."""
    lead = Lead(signals=[ago(8), ago(4, explicit=True)])
    assert ev(gapped(7, explicit=True), lead) == 1


@pytest.mark.parametrize(("explicit", "expected"), [(True, 2), (False, 2), (None, 3)])
def test_explicit_selects_the_signals_the_gap_runs_over(ev, explicit, expected):
    """Hand-raises at ages 20 and 10, views at 15 and 2: each group counts its own gaps."""
    lead = Lead(signals=[ago(20, explicit=True), ago(15), ago(10, explicit=True), ago(2)])
    assert ev(gapped(7, explicit=explicit), lead) == expected


def test_signals_after_as_of_are_ignored(ev):
    """A signal after as_of neither counts nor starts a gap."""
    assert ev(gapped(7), Lead(signals=[ago(-1), ago(-9)])) == 0


@pytest.mark.parametrize(("limit", "expected"), [(0, 0), (1, 1), (2, 2), (5, 3)])
def test_limit_caps_the_gapped_count(ev, limit, expected):
    """limit caps the count of signals that are far enough apart."""
    lead = Lead(signals=[ago(d) for d in (0, 1, 8, 9, 16, 17)])
    agg = signals(kind="pricing_page_view").count(limit=limit, min_gap_days=7)
    assert ev(agg, lead) == expected


def test_decayed_weighs_only_signals_a_gap_apart(ev):
    """Decay with a gap weighs the counted signals only: ages 14, 7 and 0 of 14, 7, 6, 0."""
    lead = Lead(signals=[ago(14), ago(7), ago(6), ago(0)])
    agg = signals(kind="pricing_page_view").decayed(half_life_days=7, min_gap_days=7)
    assert ev(agg, lead) == 0.25 + 0.5 + 1.0


def test_decayed_keeps_the_newest_signal_of_a_burst(ev):
    """Of a burst within the gap the newest signal counts, so it weighs the most."""
    lead = Lead(signals=[ago(7), ago(6.5), ago(6)])
    agg = signals(kind="pricing_page_view").decayed(half_life_days=7, min_gap_days=3)
    assert ev(agg, lead) == 0.5 ** (6.0 / 7.0)


def test_an_older_signal_never_pushes_a_newer_one_out(ev):
    """Adding a signal a day before the counted one leaves the decayed sum as it was."""
    agg = signals(kind="pricing_page_view").decayed(half_life_days=7, min_gap_days=7)
    alone = ev(agg, Lead(signals=[ago(6)]))
    assert ev(agg, Lead(signals=[ago(7), ago(6)])) == alone == 0.5 ** (6.0 / 7.0)


def test_a_signal_leaving_the_window_never_lets_a_newer_one_back_in(ev):
    """Judged half a day later, the old signal leaves the 10-day window; the sum only falls."""
    agg = signals(kind="pricing_page_view", within=10).decayed(half_life_days=7, min_gap_days=7)
    lead = Lead(signals=[ago(10), ago(4)])
    now = evaluate(agg, lead, as_of=AS_OF)
    later = evaluate(agg, lead, as_of=AS_OF + timedelta(days=0.5))
    assert now == 0.5 ** (4.0 / 7.0)
    assert later == 0.5 ** (4.5 / 7.0) < now


def test_gapped_and_plain_counts_in_one_rule(ev):
    """A rule can count the same signals with and without a gap."""
    lead = Lead(signals=[ago(0.1 * n) for n in range(10)])
    rule = score(per(10, gapped(1)), per(1, signals(kind="pricing_page_view").count()))
    assert ev(rule, lead) == 10 + 10


@pytest.mark.parametrize(
    "gap", [0, -1, 1e-12, math.nan, math.inf, 10**10, 10**400, "7", True], ids=repr
)
def test_bad_gaps_are_refused(gap):
    """A gap must be a number of days > 0 that a timedelta can hold."""
    with pytest.raises(RuleBuildError, match="min_gap_days must be a number of days > 0"):
        signals(kind="x").count(min_gap_days=gap)


def test_a_whole_float_gap_is_kept_as_an_int():
    """min_gap_days=7.0 builds the same node as min_gap_days=7."""
    agg = signals(kind="x").count(min_gap_days=7.0)
    assert agg.min_gap_days == 7
    assert type(agg.min_gap_days) is int
    assert agg.meta.eq(signals(kind="x").count(min_gap_days=7))


def test_gaps_make_different_nodes():
    """Counts with another gap, or none, are structurally different."""
    assert not gapped(7).meta.eq(gapped(7.5))
    assert not gapped(7).meta.eq(signals(kind="pricing_page_view").count())


@pytest.mark.parametrize("agg", ["latest", "sum"])
def test_only_counts_and_decayed_sums_take_a_gap(agg):
    """A gap on latest or sum is refused."""
    with pytest.raises(
        RuleBuildError, match=f"min_gap_days applies to count and decayed, not {agg}"
    ):
        SignalAgg(kinds=frozenset(), within_days=None, explicit=None, agg=agg, min_gap_days=7)


@pytest.mark.parametrize(
    ("agg", "text"),
    [
        (gapped(7), 'count(signals where kind = "pricing_page_view", min_gap 7 days)'),
        (
            signals(kind="x", within=30).count(limit=2, min_gap_days=0.5),
            'count(signals where kind = "x" within 30 days, limit 2, min_gap 0.5 days)',
        ),
        (
            signals().decayed(half_life_days=14, min_gap_days=1),
            "decayed(signals, half_life 14.0 days, min_gap 1 days)",
        ),
    ],
    ids=repr,
)
def test_gaps_print_and_parse_back(agg, text):
    """The text form writes the gap as `min_gap N days` and reads it back."""
    assert str(agg) == text
    assert parse_rule(text).meta.eq(agg)


def test_gaps_repr_as_the_building_code():
    """The repr shows min_gap_days as the call that builds it."""
    agg = signals(kind="x").decayed(half_life_days=7, min_gap_days=2.5)
    assert repr(agg) == "signals(kind='x').decayed(half_life_days=7.0, min_gap_days=2.5)"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("count(signals, min_gap 0 days)", 24, "min_gap_days must be a number of days > 0"),
        ("count(signals, min_gap -2 days)", 24, "min_gap_days must be a number of days > 0"),
        ("count(signals, min_gap 7)", 25, "expected 'days'"),
        ("latest(signals, min_gap 7 days)", 1, "min_gap applies to count and decayed, not latest"),
    ],
)
def test_bad_gaps_in_text_are_located(text, column, message):
    """A bad gap in the condition syntax is a syntax error at the gap."""
    with pytest.raises(ConditionSyntaxError, match=message) as info:
        parse_rule(text)
    assert info.value.column == column


_KINDS = ("pricing_page_view", "demo_request")
# on a grid of half days, so that signals often lie exactly a gap apart
_BURSTS = st.lists(
    st.builds(
        lambda kind, halves, explicit: Signal(
            kind=kind, occurred_at=AS_OF - timedelta(hours=12 * halves), explicit=explicit
        ),
        st.sampled_from(_KINDS),
        st.integers(-2, 20),
        st.booleans(),
    ),
    max_size=12,
)
_QUERIES = st.builds(
    signals,
    st.none() | st.sampled_from(_KINDS),
    within=st.none() | st.integers(0, 15),
    explicit=st.none() | st.booleans(),
)
_GAPS = st.sampled_from((0.5, 1, 2, 7, 1 / 3))


@given(
    st.one_of(
        st.builds(
            lambda q, g, n: q.count(min_gap_days=g, limit=n),
            _QUERIES,
            _GAPS,
            st.none() | st.integers(0, 3),
        ),
        st.builds(lambda q, g: q.decayed(half_life_days=3, min_gap_days=g), _QUERIES, _GAPS),
    ),
    _BURSTS,
)
def test_engines_agree_on_bursts_of_signals(agg, signals_):
    """Compiled and explained counts with gaps equal the interpreter's on bursty signals."""
    lead = Lead(signals=signals_)
    expected = evaluate(agg, lead, as_of=AS_OF)
    assert compile_rule(agg)(lead, as_of=AS_OF) == expected
    assert explain(agg, lead, as_of=AS_OF).outcome == expected
    assert type(compile_rule(agg)(lead, as_of=AS_OF)) is type(expected)
