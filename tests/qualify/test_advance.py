"""advance() and explicit moves: new leads, appended history, events as data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from funnelkit.model import STARTER_FUNNEL, Lead
from funnelkit.qualify import (
    STARTER,
    MoveError,
    StageChanged,
    ThresholdCrossed,
    advance,
    close_lost,
    close_won,
    disqualify,
    move,
    qualify,
    recycle,
)

from .conftest import AS_OF, demo_request, fitting_lead


def test_advance_appends_a_stage_change_and_reports_it():
    """A forward move extends the history with time, reason and policy, and is an event."""
    lead = fitting_lead(signals=[demo_request()])
    result = advance(lead, STARTER, as_of=AS_OF)
    change = result.lead.stage_history[-1]
    assert (change.to_stage, change.at, change.policy_version) == (
        "sales_ready",
        AS_OF,
        "starter@1",
    )
    assert "entry rule of 'sales_ready' met" in change.reason
    stage_events = [e for e in result.events if isinstance(e, StageChanged)]
    assert [(e.from_stage, e.to_stage, e.forward) for e in stage_events] == [
        (None, "sales_ready", True)
    ]


def test_advance_never_mutates_its_input():
    """The lead passed in keeps its (empty) history."""
    lead = fitting_lead(signals=[demo_request()])
    advance(lead, STARTER, as_of=AS_OF)
    assert lead.stage_history == ()


def test_advancing_twice_moves_once():
    """A second advance at a later instant finds nothing to move."""
    first = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF)
    second = advance(
        first.lead, STARTER, as_of=AS_OF + timedelta(hours=1), previous=first.qualification
    )
    assert second.lead is first.lead
    assert not [e for e in second.events if isinstance(e, StageChanged)]


def test_thresholds_are_reported_once_per_crossing():
    """With the previous qualification given, an unchanged score reports no crossing."""
    first = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF)
    crossed = [e for e in first.events if isinstance(e, ThresholdCrossed)]
    assert {(e.score, e.grade, e.direction) for e in crossed} >= {("fit", "A", "up")}
    again = advance(first.lead, STARTER, as_of=AS_OF, previous=first.qualification)
    assert not [e for e in again.events if isinstance(e, ThresholdCrossed)]


def test_a_falling_score_crosses_downward():
    """Fit that drops below a band is reported as crossing down."""
    before = qualify(fitting_lead(), STARTER, as_of=AS_OF)
    lead = fitting_lead(company=None)
    result = advance(lead, STARTER, as_of=AS_OF, previous=before)
    down = [e for e in result.events if isinstance(e, ThresholdCrossed) and e.score == "fit"]
    assert down
    assert all(e.direction == "down" for e in down)


def test_advance_refuses_to_write_history_before_its_end():
    """as_of earlier than the last stage change is an error: history is only appended to."""
    moved = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    lead, _ = recycle(moved, STARTER_FUNNEL, at=AS_OF, reason="no budget this year")
    with pytest.raises(MoveError, match="history is only appended to"):
        advance(lead, STARTER, as_of=AS_OF - timedelta(days=1))


@pytest.mark.parametrize(
    ("mover", "stage"),
    [
        (recycle, "nurture"),
        (disqualify, "disqualified"),
        (close_lost, "closed_lost"),
    ],
)
def test_explicit_backward_moves_need_a_reason_and_record_it(mover, stage):
    """Recycle, disqualify and close-lost move with the given reason, as a backward event."""
    lead = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    new, event = mover(lead, STARTER_FUNNEL, at=AS_OF, reason="bad-fit:budget")
    assert new.stage == stage
    assert new.stage_history[-1].reason == "bad-fit:budget"
    assert (event.to_stage, event.forward, event.policy) == (stage, False, None)


def test_an_explicit_move_without_a_reason_is_refused():
    """A blank reason is a MoveError."""
    with pytest.raises(MoveError, match="needs a reason"):
        disqualify(Lead(), STARTER_FUNNEL, at=AS_OF, reason="  ")


def test_a_move_the_funnel_does_not_allow_is_refused():
    """Winning from inquiry is not a transition of the starter funnel."""
    lead = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    with pytest.raises(MoveError, match="does not allow 'sales_ready' -> 'customer'"):
        close_won(lead, STARTER_FUNNEL, at=AS_OF, reason="signed")


def test_a_move_to_an_unknown_stage_suggests_one():
    """An unknown target stage raises UnknownStageError with a suggestion."""
    with pytest.raises(KeyError, match="did you mean 'nurture'"):
        move(Lead(), STARTER_FUNNEL, "nurtur", at=AS_OF, reason="x")


def test_rules_do_not_reopen_a_disqualified_lead():
    """After disqualification, advance leaves the lead where it is."""
    lead = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    lead, _ = disqualify(lead, STARTER_FUNNEL, at=AS_OF, reason="student")
    result = advance(lead, STARTER, as_of=AS_OF + timedelta(days=1))
    assert result.lead is lead
    assert result.qualification.stage == "disqualified"


def test_a_recycled_lead_comes_back_by_rule():
    """From nurture, a lead that passes a gate again moves forward."""
    lead = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    lead, _ = recycle(lead, STARTER_FUNNEL, at=AS_OF, reason="timing")
    again = advance(lead, STARTER, as_of=AS_OF + timedelta(days=1)).lead
    assert again.stage == "sales_ready"
    assert [c.to_stage for c in again.stage_history] == ["sales_ready", "nurture", "sales_ready"]
