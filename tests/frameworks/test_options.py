"""The presets' keyword options, and the errors bad options give."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from funnelkit.frameworks import (
    BANT_FRAMEWORK,
    anum,
    bant,
    champ,
    custom_fact,
    faint,
    gpct,
    gpctba_ci,
    meddic,
    meddpicc,
    opportunity_checklist,
)
from funnelkit.model import Lead, Timeline
from funnelkit.rules import RuleBuildError, Truth

from .conftest import TIMELINE_90, URGENCY_90, in_days, judge, signal, with_bant

SIXTY_DAYS = with_bant(timeline=in_days(60))


def test_bant_timeline_days_sets_the_horizon():
    """bant(timeline_days=30) fails a decision 60 days out that the default meets."""
    assert judge(BANT_FRAMEWORK.criterion("timeline").rule, SIXTY_DAYS) is Truth.TRUE
    assert judge(bant(timeline_days=30).criterion("timeline").rule, SIXTY_DAYS) is Truth.FALSE


def test_the_timeline_horizon_includes_its_last_day():
    """A decision exactly timeline_days away is within the timeline."""
    rule = bant(timeline_days=60).criterion("timeline").rule
    assert judge(rule, SIXTY_DAYS) is Truth.TRUE


def test_an_agreed_date_outranks_the_stated_horizon():
    """A decision date beyond the window fails the timeline even with a short horizon."""
    lead = with_bant(timeline=in_days(120, horizon_days=10))
    assert judge(BANT_FRAMEWORK.criterion("timeline").rule, lead) is Truth.FALSE


def test_a_horizon_decides_when_no_date_is_agreed():
    """Without a decision date, a stated horizon within the window meets the timeline."""
    assert (
        judge(
            BANT_FRAMEWORK.criterion("timeline").rule, with_bant(timeline=Timeline(horizon_days=45))
        )
        is Truth.TRUE
    )
    assert (
        judge(
            BANT_FRAMEWORK.criterion("timeline").rule,
            with_bant(timeline=Timeline(horizon_days=200)),
        )
        is Truth.FALSE
    )


@pytest.mark.parametrize(
    ("build", "key"),
    [
        (lambda d: anum(urgency_days=d), "urgency"),
        (lambda d: champ(priority_days=d), "prioritisation"),
        (lambda d: faint(timing_days=d), "timing"),
        (lambda d: gpct(timeline_days=d), "timeline"),
        (lambda d: gpctba_ci(timeline_days=d), "timeline"),
    ],
)
def test_the_day_window_option_moves_the_deadline(build: Callable[[int], object], key: str):
    """Widening the window to 150 days meets a decision 120 days out."""
    lead = URGENCY_90.unmet if key in {"urgency", "prioritisation"} else TIMELINE_90.unmet
    assert judge(build(90).criterion(key).rule, lead) is Truth.FALSE  # type: ignore[attr-defined]
    assert judge(build(150).criterion(key).rule, lead) is Truth.TRUE  # type: ignore[attr-defined]


def test_opportunity_next_step_days_sets_the_window():
    """A next step agreed 45 days ago counts with a 60-day window, not the default 30."""
    lead = Lead(signals=[signal("next_step_agreed", 45)])
    assert judge(opportunity_checklist().criterion("next_steps").rule, lead) is Truth.FALSE
    rule = opportunity_checklist(next_step_days=60).criterion("next_steps").rule
    assert judge(rule, lead) is Truth.TRUE


def test_faint_interest_kinds_choose_what_counts_as_interest():
    """With interest_kinds={'webinar_attended'} a webinar shows interest and a demo does not."""
    webinar = Lead(signals=[signal("webinar_attended")])
    demo = Lead(signals=[signal("demo_request")])
    rule = faint(interest_kinds={"webinar_attended"}).criterion("interest").rule
    assert (judge(rule, webinar), judge(rule, demo)) == (Truth.TRUE, Truth.FALSE)


def test_faint_interest_days_sets_the_window():
    """A demo request 100 days ago shows interest only with a window of 100 days or more."""
    lead = Lead(signals=[signal("demo_request", 100)])
    assert judge(faint().criterion("interest").rule, lead) is Truth.FALSE
    assert judge(faint(interest_days=100).criterion("interest").rule, lead) is Truth.TRUE


def test_faint_funding_days_sets_the_window():
    """A funding round 400 days ago shows funds only with a window that reaches it."""
    lead = Lead(signals=[signal("funding_round", 400)])
    assert judge(faint().criterion("funds").rule, lead) is Truth.UNKNOWN
    assert judge(faint(funding_days=500).criterion("funds").rule, lead) is Truth.TRUE


def test_meddic_decision_days_sets_how_far_ahead_a_date_may_be():
    """A decision date 200 days out shows the process with the default, not with 100 days."""
    lead = with_bant(timeline=in_days(200))
    assert judge(meddic().criterion("decision_process").rule, lead) is Truth.TRUE
    assert (
        judge(meddic(decision_days=100).criterion("decision_process").rule, lead) is Truth.UNKNOWN
    )


def test_meddpicc_competitor_days_sets_the_window():
    """A competitor mentioned 400 days ago counts only with a window that reaches it."""
    lead = Lead(signals=[signal("competitor_mention", 400)])
    assert judge(meddpicc().criterion("competition").rule, lead) is Truth.UNKNOWN
    rule = meddpicc(competitor_days=500).criterion("competition").rule
    assert judge(rule, lead) is Truth.TRUE


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: bant(timeline_days=-1), r"bant: timeline_days: expected a whole number of days >= 0, got -1 \(int\)"),
        (lambda: bant(timeline_days=30.5), r"bant: timeline_days: .* got 30.5 \(float\)"),
        (lambda: bant(timeline_days=True), r"bant: timeline_days: .* got True \(bool\)"),
        (lambda: opportunity_checklist(next_step_days="30"), r"opportunity_checklist: next_step_days: .* got '30' \(str\)"),
        (lambda: anum(urgency_days=-5), r"anum: urgency_days: .* got -5"),
        (lambda: champ(priority_days=None), r"champ: priority_days: .* got None \(NoneType\)"),
        (lambda: faint(timing_days=-1), r"faint: timing_days: .* got -1"),
        (lambda: faint(interest_days=-1), r"faint: interest_days: .* got -1"),
        (lambda: faint(funding_days=-1), r"faint: funding_days: .* got -1"),
        (lambda: faint(interest_kinds=()), r"faint: interest_kinds: expected at least one signal kind"),
        (lambda: meddic(decision_days=-1), r"meddic: decision_days: .* got -1"),
        (lambda: meddpicc(competitor_days=-1), r"meddpicc: competitor_days: .* got -1"),
        (lambda: gpct(timeline_days=-1), r"gpct: timeline_days: .* got -1"),
        (lambda: gpctba_ci(timeline_days=-1), r"gpctba_ci: timeline_days: .* got -1"),
        (lambda: custom_fact(""), r"custom_fact: key: expected a non-empty str without dots, got ''"),
        (lambda: custom_fact("meddic.metrics"), r"custom_fact: key: .* got 'meddic.metrics'"),
    ],
)  # fmt: skip
def test_bad_options_fail_naming_the_option_and_the_value(
    build: Callable[[], object], message: str
):
    """A bad option raises RuleBuildError naming the preset, the option and the value."""
    with pytest.raises(RuleBuildError, match=message):
        build()


def test_a_single_interest_kind_may_be_given_as_a_string():
    """faint(interest_kinds='question') means the one kind, not its letters."""
    rule = faint(interest_kinds="question").criterion("interest").rule
    assert judge(rule, Lead(signals=[signal("question")])) is Truth.TRUE


def test_a_catalysing_event_signal_meets_the_catalyst_criteria():
    """A catalysing_event signal counts as a catalysing event, as a recorded one does."""
    lead = Lead(signals=[signal("catalysing_event", 20)])
    assert judge(opportunity_checklist().criterion("catalysing_event").rule, lead) is Truth.TRUE
    assert judge(anum().criterion("urgency").rule, lead) is Truth.TRUE
