"""advance() and explicit moves: new leads, appended history, events as data."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from funnelkit.model import BANT, STARTER_FUNNEL, Budget, Evidence, Lead, Need, Signal
from funnelkit.qualify import (
    STARTER,
    MoveError,
    PolicyError,
    StageChanged,
    ThresholdCrossed,
    advance,
    close_lost,
    close_won,
    disqualify,
    move,
    qualify,
    recycle,
    since_last_move,
)
from funnelkit.rules import TRUE, ref, signals

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


def _recycled() -> Lead:
    """A sales-ready lead (a demo request), recycled to nurture at AS_OF."""
    lead = advance(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF).lead
    return recycle(lead, STARTER_FUNNEL, at=AS_OF, reason="timing")[0]


def _with(lead: Lead, *signals: Signal) -> Lead:
    """The lead with more signals."""
    return attrs.evolve(lead, signals=(*lead.signals, *signals))


def test_a_recycled_lead_comes_back_by_rule_after_new_engagement():
    """From nurture, a lead that engages again after the recycle moves forward."""
    visit = Signal(kind="pricing_page_view", occurred_at=AS_OF + timedelta(hours=2))
    again = advance(_with(_recycled(), visit), STARTER, as_of=AS_OF + timedelta(days=1)).lead
    assert again.stage == "sales_ready"
    assert [c.to_stage for c in again.stage_history] == ["sales_ready", "nurture", "sales_ready"]


def test_a_recycle_holds_without_anything_new():
    """The old facts do not undo a recycle: the next day the lead is still in nurture."""
    lead = _recycled()
    result = advance(lead, STARTER, as_of=AS_OF + timedelta(days=1))
    assert result.lead is lead
    assert not [e for e in result.events if isinstance(e, StageChanged)]
    q = result.qualification
    assert (q.stage, q.rule_stage) == ("nurture", "sales_ready")
    first = q.next_facts[0]
    assert (first.path, first.unlocks) == ("signals", ("sales_ready",))
    assert "comes back when something new happens after" in first.reason


def test_opens_and_clicks_after_a_recycle_do_not_bring_it_back():
    """Only proactive engagement counts as new: an e-mail open and click do not."""
    later = AS_OF + timedelta(hours=2)
    lead = _with(
        _recycled(),
        Signal(kind="email_open", occurred_at=later),
        Signal(kind="email_click", occurred_at=later),
    )
    assert qualify(lead, STARTER, as_of=AS_OF + timedelta(days=1)).stage == "nurture"


def test_new_evidence_after_a_recycle_brings_it_back():
    """A BANT part asserted after the recycle is something new."""
    evidence = Evidence(source="call", asserted_at=AS_OF + timedelta(hours=3))
    lead = attrs.evolve(_recycled(), bant=BANT(budget=Budget(status="planned", evidence=evidence)))
    assert qualify(lead, STARTER, as_of=AS_OF + timedelta(days=1)).stage == "sales_ready"
    old = Evidence(source="call", asserted_at=AS_OF - timedelta(days=3))
    stale = attrs.evolve(_recycled(), bant=BANT(budget=Budget(status="planned", evidence=old)))
    assert qualify(stale, STARTER, as_of=AS_OF + timedelta(days=1)).stage == "nurture"


def test_a_policy_can_say_what_brings_a_recycled_lead_back():
    """reentry is policy data: TRUE lets the gates decide alone; a rule narrows it."""
    lead = _recycled()
    later = AS_OF + timedelta(days=1)
    eager = attrs.evolve(STARTER, reentry=TRUE)
    assert qualify(lead, eager, as_of=later).stage == "sales_ready"
    asks = attrs.evolve(STARTER, reentry=signals(kind="demo_request").count() >= 1)
    visit = Signal(kind="pricing_page_view", occurred_at=AS_OF + timedelta(hours=2))
    assert qualify(_with(lead, visit), asks, as_of=later).stage == "nurture"
    assert qualify(_with(lead, demo_request(-0.5)), asks, as_of=later).stage == "sales_ready"


def test_reentry_cannot_read_the_policys_outputs():
    """reentry is read apart from the rule set, so a ref in it is refused."""
    with pytest.raises(PolicyError, match="cannot ref"):
        attrs.evolve(STARTER, reentry=ref("fit") >= 50)


def test_since_last_move_keeps_only_what_is_new():
    """Signals after the last stage change stay; BANT parts not asserted after it go."""
    lead = attrs.evolve(
        _with(_recycled(), demo_request(-0.5)),
        bant=BANT(
            budget=Budget(status="approved"),
            need=Need(evidence=Evidence(source="call", asserted_at=AS_OF + timedelta(hours=1))),
        ),
    )
    new = since_last_move(lead)
    assert [s.occurred_at for s in new.signals] == [AS_OF + timedelta(days=0.5)]
    assert new.bant.budget == Budget()
    assert new.bant.need == lead.bant.need
    assert since_last_move(Lead()) == Lead()
