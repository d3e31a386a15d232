"""Stages: furthest passed gate, no skipping, and forward-only standing."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from funnelkit.model import STARTER_FUNNEL, Lead, Signal, StageChange
from funnelkit.qualify import (
    WATERFALL,
    Policy,
    PolicyError,
    StageChanged,
    StageGate,
    advance,
    qualify,
)
from funnelkit.qualify._stages import standing
from funnelkit.rules import FALSE, TRUE, F

from .conftest import AS_OF, demo_request, fitting_lead


def _policy(*, skip: bool, profiled: object) -> Policy:
    return Policy(
        name="p",
        funnel=STARTER_FUNNEL,
        allow_skipping=skip,
        gates=[
            StageGate(stage="inquiry", entry=TRUE),
            StageGate(stage="profiled", entry=profiled),
            StageGate(stage="sales_ready", entry=TRUE),
        ],
    )


def test_the_furthest_passed_gate_wins_when_skipping_is_allowed():
    """With skipping, a failed middle gate does not stop a later one."""
    q = qualify(Lead(), _policy(skip=True, profiled=FALSE), as_of=AS_OF)
    assert q.rule_stage == "sales_ready"


def test_without_skipping_a_failed_gate_stops_the_climb():
    """Without skipping, the stage is the end of the unbroken run of passed gates."""
    q = qualify(Lead(), _policy(skip=False, profiled=FALSE), as_of=AS_OF)
    assert q.rule_stage == "inquiry"


def test_an_unknown_gate_is_not_passed():
    """A gate that is UNKNOWN (missing facts) does not admit the lead."""
    q = qualify(Lead(), _policy(skip=False, profiled=F.company.employees >= 50), as_of=AS_OF)
    assert dict(q.gates)["profiled"].is_unknown
    assert q.rule_stage == "inquiry"


def _history(*keys: str) -> tuple[StageChange, ...]:
    out: list[StageChange] = []
    for i, key in enumerate(keys):
        out.append(
            StageChange(
                at=AS_OF - timedelta(days=30 - i),
                to_stage=key,
                from_stage=out[-1].to_stage if out else None,
            )
        )
    return tuple(out)


@pytest.mark.parametrize(
    ("current", "by_rule", "expected"),
    [
        (None, None, None),
        (None, "profiled", "profiled"),
        ("inquiry", "sales_ready", "sales_ready"),
        ("sales_ready", "inquiry", "sales_ready"),
        ("sales_ready", None, "sales_ready"),
        ("customer", "sales_ready", "customer"),
        ("disqualified", "sales_opportunity", "disqualified"),
        ("closed_lost", "profiled", "closed_lost"),
        ("nurture", "profiled", "profiled"),
        ("nurture", None, "nurture"),
    ],
)
def test_rules_move_leads_forward_only(current, by_rule, expected):
    """Standing: forward by rule, never backward, never out of an outcome but nurture."""
    assert standing(STARTER_FUNNEL, current, by_rule) == expected


def test_a_stage_from_another_funnel_is_kept():
    """A history stage the funnel does not know is left alone."""
    assert standing(STARTER_FUNNEL, "mql", "profiled") == "mql"


def test_qualify_keeps_a_lead_in_a_later_stage_than_the_rules_give():
    """A lead already sales-ready stays sales-ready though the rules only admit inquiry."""
    lead = Lead(stage_history=_history("inquiry", "profiled", "sales_ready"))
    q = qualify(lead, _policy(skip=False, profiled=FALSE), as_of=AS_OF)
    assert (q.rule_stage, q.stage) == ("inquiry", "sales_ready")


def _starter_history(stage: str, *signals: Signal) -> Lead:
    """A fitting lead whose history (from the starter funnel) ends in ``stage``."""
    change = StageChange(at=AS_OF - timedelta(days=20), to_stage=stage)
    return fitting_lead(signals=list(signals), stage_history=[change])


def test_a_mapped_stage_from_another_funnel_is_placed_in_this_one():
    """Under the waterfall, a starter 'profiled' lead is an MQL, and moves on from there."""
    q = qualify(_starter_history("profiled"), WATERFALL, as_of=AS_OF)
    assert (q.stage, q.stage_label, q.foreign_stage) == ("mql", "Marketing Qualified Lead", None)
    asked = qualify(_starter_history("profiled", demo_request()), WATERFALL, as_of=AS_OF)
    assert asked.stage == "sal"


def test_advance_appends_the_placement_of_a_mapped_stage():
    """advance records the mapping as a stage change that is not a forward move."""
    lead = _starter_history("profiled")
    result = advance(lead, WATERFALL, as_of=AS_OF)
    change = result.lead.stage_history[-1]
    assert (change.from_stage, change.to_stage) == ("profiled", "mql")
    assert "stage_map" in (change.reason or "")
    (event,) = [e for e in result.events if isinstance(e, StageChanged)]
    assert (event.forward, event.policy) == (False, WATERFALL.label)
    assert advance(result.lead, WATERFALL, as_of=AS_OF).lead is result.lead


def test_a_stage_the_funnel_does_not_have_is_reported_not_silently_kept():
    """An unmapped stage (starter nurture under the waterfall) is foreign_stage, and said."""
    lead = _starter_history("nurture", demo_request())
    q = qualify(lead, WATERFALL, as_of=AS_OF)
    assert (q.stage, q.foreign_stage, q.rule_stage) == ("nurture", "nurture", "sal")
    first = q.next_facts[0]
    assert first.path == "stage_history"
    assert "'nurture' is not a stage of the demand_waterfall funnel" in first.reason
    assert not any(f.unlocks for f in q.next_facts)
    assert "a stage this policy's funnel does not have" in str(q)
    assert advance(lead, WATERFALL, as_of=AS_OF).lead is lead


def test_without_a_stage_map_another_funnels_stage_is_foreign():
    """A policy over the waterfall with no stage_map reports a starter 'profiled' stage."""
    bare = attrs.evolve(WATERFALL, stage_map=())
    q = qualify(_starter_history("profiled"), bare, as_of=AS_OF)
    assert q.foreign_stage == "profiled"


@pytest.mark.parametrize(
    ("stage_map", "message"),
    [
        (
            {"profiled": "mq"},
            r"'profiled' -> 'mq': 'mq' is not a stage of the demand_waterfall funnel; did you mean 'mql'\?",
        ),
        ({"mql": "sal"}, r"'mql' is a stage of the demand_waterfall funnel itself"),
    ],
)
def test_a_bad_stage_map_is_refused(stage_map: dict[str, str], message: str):
    """stage_map targets must be stages of the funnel; its sources must not be."""
    with pytest.raises(PolicyError, match=message):
        attrs.evolve(WATERFALL, stage_map=stage_map)


def test_the_demo_data_moves_under_the_waterfall():
    """Demo leads with starter histories reach MQL and beyond under the waterfall preset."""
    from collections import Counter

    from funnelkit.data import DEMO_AS_OF, load_demo

    counts = Counter(
        qualify(lead, WATERFALL, as_of=DEMO_AS_OF, explain=False).stage for lead in load_demo()
    )
    assert min(counts["mql"], counts["sal"], counts["sql"]) > 0
    assert counts["profiled"] == counts["sales_ready"] == 0
