"""Laws of qualification, checked on generated leads."""

from __future__ import annotations

from datetime import timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.model import Lead, Signal
from funnelkit.qualify import (
    STANDARD_ENGAGEMENT,
    STARTER,
    SignalPoints,
    advance,
    engagement_score,
    qualify,
)
from funnelkit.rules import compile_rule, evaluate
from funnelkit.testing import leads, signals

from .conftest import AS_OF

POSITIVE = sorted({k for sp in STANDARD_ENGAGEMENT if sp.points > 0 for k in sp.kinds})
ENGAGEMENT = compile_rule(engagement_score(*STANDARD_ENGAGEMENT))
past = st.datetimes(
    min_value=(AS_OF - timedelta(days=400)).replace(tzinfo=None),
    max_value=AS_OF.replace(tzinfo=None),
    timezones=st.just(AS_OF.tzinfo),
)
positive_signals = signals(kinds=POSITIVE, times=past)


@given(st.lists(positive_signals, max_size=8), positive_signals)
def test_a_positive_signal_never_lowers_engagement(before, extra):
    """Adding a positive signal never lowers the engagement score."""
    lead = Lead(signals=before)
    more = Lead(signals=[*before, extra])
    assert ENGAGEMENT(more, as_of=AS_OF) >= ENGAGEMENT(lead, as_of=AS_OF)


@examples(25)
@given(st.lists(positive_signals, max_size=8), st.floats(0, 400))
def test_later_as_of_never_raises_decayed_engagement(items, days):
    """With only positive signals, judging later never raises the engagement score."""
    lead = Lead(signals=items)
    later = AS_OF + timedelta(days=days)
    assert ENGAGEMENT(lead, as_of=later) <= ENGAGEMENT(lead, as_of=AS_OF)


# positive signal points in every shape: frequency, caps, windows, decay, minimum gaps
# (at most once per N days) and the explicit filter
positive_points = st.sampled_from(["every", "once"]).flatmap(
    lambda frequency: st.builds(
        SignalPoints,
        kinds=st.sets(st.sampled_from(POSITIVE[:3]), min_size=1, max_size=2),
        points=st.integers(1, 30),
        frequency=st.just(frequency),
        cap=st.none() | st.integers(1, 60),
        within_days=st.none() | st.integers(0, 120),
        half_life_days=st.none() | st.sampled_from([3.5, 7.0, 30.0]),
        min_gap_days=st.none()
        if frequency == "once"
        else st.none() | st.sampled_from([0.5, 1, 7, 30]),
        explicit=st.none() | st.booleans(),
    )
)
# within 60 days, so that bursts inside a gap and window edges are common
recent = st.datetimes(
    min_value=(AS_OF - timedelta(days=60)).replace(tzinfo=None),
    max_value=AS_OF.replace(tzinfo=None),
    timezones=st.just(AS_OF.tzinfo),
)
# plain signals (kind, time, explicit): the other fields play no part here
plain_signals = st.builds(
    Signal, kind=st.sampled_from(POSITIVE[:3]), occurred_at=recent, explicit=st.booleans()
)
few_signals = st.lists(plain_signals, max_size=8)


@examples(200)
@given(st.lists(positive_points, min_size=1, max_size=3), few_signals, st.data())
def test_a_positive_signal_never_lowers_any_positive_engagement(points, before, data):
    """Under any positive SignalPoints (gaps included), one more signal never lowers the score."""
    rule = engagement_score(*points)
    extra = data.draw(plain_signals, label="extra")
    if before and data.draw(st.booleans(), label="just before another"):
        # an older signal inside the gap of a newer one: it must not push that one out
        other = data.draw(st.sampled_from(before), label="other")
        hours = data.draw(st.integers(1, 24 * 8), label="hours earlier")
        extra = attrs.evolve(other, occurred_at=other.occurred_at - timedelta(hours=hours))
    more = Lead(signals=[*before, extra])
    # the reference interpreter: the compiled rule agrees with it (tests/rules)
    assert evaluate(rule, more, as_of=AS_OF) >= evaluate(rule, Lead(signals=before), as_of=AS_OF)


@examples(200)
@given(st.lists(positive_points, min_size=1, max_size=3), few_signals, st.floats(0, 200))
def test_later_as_of_never_raises_any_positive_engagement(points, items, days):
    """Under any positive SignalPoints (gaps and windows included), later never scores higher."""
    rule = engagement_score(*points)
    lead = Lead(signals=items)
    later = AS_OF + timedelta(days=days)
    assert evaluate(rule, lead, as_of=later) <= evaluate(rule, lead, as_of=AS_OF)


@examples(20)
@given(leads(), st.lists(st.integers(1, 60), min_size=1, max_size=4))
def test_rules_never_move_a_stage_backward(lead, steps):
    """Repeated advance only appends forward moves between open stages."""
    funnel = STARTER.funnel
    start = max([AS_OF, *(c.at for c in lead.stage_history)])
    at, current, previous = start, lead, None
    for step in steps:
        at = at + timedelta(days=step)
        result = advance(current, STARTER, as_of=at, previous=previous)
        new = result.lead.stage_history[len(current.stage_history) :]
        for change in new:
            assert change.policy_version == STARTER.label
            if change.from_stage is not None and change.from_stage in funnel:
                before = funnel.stage(change.from_stage)
                assert before.is_open or before.kind.value == "nurture"
                if before.is_open:
                    assert funnel.stage(change.to_stage).order > before.order
        current, previous = result.lead, result.qualification


@examples(20)
@given(leads())
def test_qualify_is_deterministic_for_a_fixed_as_of(lead):
    """qualify gives equal results for equal inputs."""
    a = qualify(lead, STARTER, as_of=AS_OF)
    b = qualify(lead, STARTER, as_of=AS_OF)
    assert a.to_dict(explanation=True) == b.to_dict(explanation=True)


@examples(25)
@given(leads())
def test_explaining_or_not_gives_the_same_standing(lead):
    """qualify with and without explanations agree on every outcome."""
    a = qualify(lead, STARTER, as_of=AS_OF)
    b = qualify(lead, STARTER, as_of=AS_OF, explain=False)
    assert (a.stage, a.fit, a.engagement, a.gates) == (b.stage, b.fit, b.engagement, b.gates)
