"""Stages: furthest passed gate, no skipping, and forward-only standing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from funnelkit.model import STARTER_FUNNEL, Lead, StageChange
from funnelkit.qualify import Policy, StageGate, qualify
from funnelkit.qualify._stages import standing
from funnelkit.rules import FALSE, TRUE, F

from .conftest import AS_OF


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
