"""qualify(): results, expiry of evidence, explanations, dict/JSON/HTML forms."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from funnelkit.model import BANT, Budget, Evidence, Lead, Signal
from funnelkit.qualify import (
    STARTER,
    SignalPoints,
    current_facts,
    engagement_score,
    qualify,
    qualify_many,
)
from funnelkit.qualify._result import shown
from funnelkit.rules import Truth

from .conftest import AS_OF, bant_met, demo_request, fitting_lead


def test_naive_as_of_is_refused():
    """as_of must be timezone-aware."""
    with pytest.raises(TypeError, match="timezone-aware"):
        qualify(Lead(), STARTER, as_of=datetime(2026, 5, 1))


def test_expired_budget_evidence_counts_as_unknown():
    """Budget evidence past its expiry makes the budget criterion UNKNOWN and says so."""
    old = Evidence(source="call", expires_at=AS_OF - timedelta(days=1))
    bant = bant_met()
    lead = fitting_lead(
        bant=BANT(
            budget=Budget(status="approved", evidence=old),
            authority=bant.authority,
            need=bant.need,
            timeline=bant.timeline,
        )
    )
    q = qualify(lead, STARTER, as_of=AS_OF)
    budget = q.framework("bant")[0]
    assert budget.status is Truth.UNKNOWN
    assert budget.expired
    assert budget.evidence == old
    assert q.expired_evidence == ("bant.budget",)
    fact = next(f for f in q.next_facts if f.path == "bant.budget.status")
    assert "its evidence has expired" in fact.reason


def test_current_evidence_counts():
    """Evidence that has not expired yet leaves the fact as it is."""
    fresh = Evidence(source="call", expires_at=AS_OF + timedelta(days=1))
    lead = Lead(bant=BANT(budget=Budget(status="approved", evidence=fresh)))
    assert current_facts(lead, AS_OF) == (lead, ())


def test_without_explaining_the_outcomes_are_the_same():
    """explain=False gives the same stage, scores and criteria, without next facts."""
    lead = fitting_lead(signals=[demo_request()], bant=bant_met())
    full = qualify(lead, STARTER, as_of=AS_OF)
    fast = qualify(lead, STARTER, as_of=AS_OF, explain=False)
    assert (fast.stage, fast.fit, fast.engagement, fast.segment) == (
        full.stage,
        full.fit,
        full.engagement,
        full.segment,
    )
    assert [c.status for c in fast.criteria] == [c.status for c in full.criteria]
    assert fast.explanation is None
    assert fast.next_facts == ()


def test_qualify_many_streams_lazily():
    """qualify_many returns an iterator and consumes its input lazily."""
    consumed = []

    def source():
        for i in range(3):
            consumed.append(i)
            yield Lead(id=f"L-{i}")

    results = qualify_many(source(), STARTER, as_of=AS_OF)
    assert consumed == []
    assert next(results).lead_id == "L-0"
    assert consumed == [0]


def test_to_dict_is_json_ready_and_names_the_parts():
    """to_dict has plain values only: stage, scores, segment, gates, criteria, facts."""
    q = qualify(fitting_lead(signals=[demo_request()]), STARTER, as_of=AS_OF)
    data = json.loads(q.to_json())
    assert data["stage"] == "sales_ready"
    assert data["segment"] == q.segment
    assert data["gates"]["sales_ready"] == "true"
    assert data["criteria"][0]["framework"] == "bant"
    assert data["as_of"] == "2026-05-01T12:00:00+00:00"
    assert "explanation" not in data
    assert "trace" in q.to_dict(explanation=True)["explanation"]


def test_the_html_form_shows_stage_and_criteria():
    """_repr_html_ renders the stage and each criterion, escaped."""
    q = qualify(fitting_lead(id="<L&1>", signals=[demo_request()]), STARTER, as_of=AS_OF)
    page = q._repr_html_()
    assert "&lt;L&amp;1&gt;" in page
    assert "Sales-Ready Lead" in page
    assert "<td>Budget</td>" in page


def test_the_text_form_summarises():
    """str(q) names the lead, stage, scores, criteria and next facts."""
    q = qualify(Lead(id="L-9"), STARTER, as_of=AS_OF)
    text = str(q)
    assert text.startswith("L-9: not a lead yet")
    assert "bant: budget unknown" in text


def test_qualify_is_deterministic():
    """The same lead, policy and instant give the same result twice."""
    lead = fitting_lead(signals=[demo_request()])
    a = qualify(lead, STARTER, as_of=AS_OF).to_dict(explanation=True)
    b = qualify(lead, STARTER, as_of=AS_OF).to_dict(explanation=True)
    assert a == b


def test_a_lead_in_an_outcome_stage_gets_no_stage_facts():
    """Next facts never promise to move a lead out of an outcome by rule."""
    from funnelkit.model import STARTER_FUNNEL
    from funnelkit.qualify import disqualify

    lead, _ = disqualify(Lead(), STARTER_FUNNEL, at=AS_OF, reason="spam")
    q = qualify(lead, STARTER, as_of=AS_OF + timedelta(seconds=1))
    assert all(f.unlocks == () for f in q.next_facts)


def test_as_of_is_kept_in_the_result():
    """The result records the instant and the policy it was judged by."""
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    q = qualify(Lead(), STARTER, as_of=at)
    assert (q.as_of, q.policy) == (at, "starter@1")


def test_without_skipping_only_the_next_gate_can_be_unlocked():
    """With allow_skipping=False, facts unlock the first gate not passed, not later ones."""
    from funnelkit.qualify import WATERFALL

    q = qualify(Lead(id="L-3"), WATERFALL, as_of=AS_OF)
    unlocked = {stage for f in q.next_facts for stage in f.unlocks}
    assert unlocked <= {"inquiry"}


def test_evidence_paths_are_reported_as_the_part_they_back():
    """An unassessed need is reported as bant.need, not as its evidence's fields."""
    q = qualify(fitting_lead(), STARTER, as_of=AS_OF)
    paths = {f.path for f in q.next_facts}
    assert "bant.need" in paths
    assert not any(".evidence" in p for p in paths)


@pytest.mark.parametrize(("min_gap_days", "expected"), [(None, 100), (1, 10)])
def test_ten_pricing_views_in_one_day_score_once_per_day(min_gap_days, expected):
    """A lead who viewed the pricing page 10 times in one day scores once with min_gap_days=1."""
    views = SignalPoints(kinds="pricing_page_view", points=10, min_gap_days=min_gap_days)
    policy = attrs.evolve(STARTER, engagement=engagement_score(views))
    lead = Lead(
        signals=[
            Signal(kind="pricing_page_view", occurred_at=AS_OF - timedelta(hours=hour))
            for hour in range(8, 18)
        ]
    )
    assert qualify(lead, policy, as_of=AS_OF).engagement == expected
    assert qualify(lead, policy, as_of=AS_OF, explain=False).engagement == expected


def test_text_rounds_scores_to_one_place_and_data_keeps_them_exact():
    """str() shows engagement to one decimal place; the attribute and to_dict stay exact."""
    views = SignalPoints(kinds="pricing_page_view", points=10, half_life_days=30)
    policy = attrs.evolve(STARTER, engagement=engagement_score(views))
    lead = Lead(signals=[Signal(kind="pricing_page_view", occurred_at=AS_OF - timedelta(days=7))])
    q = qualify(lead, policy, as_of=AS_OF)
    assert q.engagement == Decimal("8.5067")
    assert "engagement 8.5 (4)" in str(q)
    assert q.to_dict()["engagement"] == "8.5067"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("0.25"), "0.2"), (Decimal("0.35"), "0.4"), (Decimal("-1.05"), "-1.0"), (7, "7")],
)
def test_shown_rounds_half_to_even(value, text):
    """Scores shown to people round half to even, as the score arithmetic does."""
    assert shown(value) == text


def _with_bant(**parts: object) -> Lead:
    """A fitting, hand-raising lead with BANT met, some parts replaced."""
    met = bant_met()
    return fitting_lead(signals=[demo_request()], bant=attrs.evolve(met, **parts))


def test_evidence_asserted_after_as_of_is_not_known_yet():
    """A budget asserted tomorrow is unknown today, and known the day after."""
    later = Evidence(source="call", asserted_at=AS_OF + timedelta(days=1))
    lead = _with_bant(budget=Budget(status="approved", evidence=later))
    today = qualify(lead, STARTER, as_of=AS_OF)
    budget = today.framework("bant")[0]
    assert (budget.status, budget.evidence, budget.expired) == (Truth.UNKNOWN, None, False)
    assert today.stage == "sales_ready"
    assert today.expired_evidence == ()
    later_q = qualify(lead, STARTER, as_of=AS_OF + timedelta(days=2))
    assert later_q.framework("bant")[0].status is Truth.TRUE
    assert later_q.stage == "sales_opportunity"


def test_a_backtest_sees_only_what_was_asserted_by_then():
    """current_facts at an earlier instant leaves out parts asserted later."""
    later = Evidence(source="call", asserted_at=AS_OF + timedelta(days=1))
    lead = Lead(bant=BANT(budget=Budget(status="approved", evidence=later)))
    known, expired = current_facts(lead, AS_OF)
    assert (known.bant.budget, expired) == (Budget(), ())
    assert current_facts(lead, AS_OF + timedelta(days=1)) == (lead, ())


def test_expired_need_evidence_is_a_next_fact():
    """An expired need makes BANT need unknown and names bant.need as a next fact."""
    old = Evidence(source="call", expires_at=AS_OF - timedelta(days=1))
    lead = _with_bant(need=attrs.evolve(bant_met().need, evidence=old))
    q = qualify(lead, STARTER, as_of=AS_OF)
    need = q.framework("bant")[2]
    assert (need.status, need.expired, need.evidence) == (Truth.UNKNOWN, True, old)
    fact = next(f for f in q.next_facts if f.path == "bant.need")
    assert fact.criteria == ("bant.need",)
    assert fact.unlocks == ("sales_opportunity",)
    assert "its evidence has expired" in fact.reason


@pytest.mark.parametrize(
    ("framework", "key"), [("champ", "challenges"), ("meddpicc", "identify_pain")]
)
def test_expired_need_is_a_next_fact_in_other_frameworks(framework: str, key: str):
    """CHAMP challenges and MEDDPICC identify pain name the expired need as a next fact."""
    from funnelkit.frameworks import PRESET_FRAMEWORKS
    from funnelkit.qualify import Policy

    policy = Policy(
        name="check", funnel=STARTER.funnel, gates=(), frameworks=(PRESET_FRAMEWORKS[framework],)
    )
    old = Evidence(source="call", expires_at=AS_OF - timedelta(days=1))
    lead = _with_bant(need=attrs.evolve(bant_met().need, evidence=old))
    q = qualify(lead, policy, as_of=AS_OF)
    assert next(c for c in q.framework(framework) if c.key == key).status is Truth.UNKNOWN
    fact = next(f for f in q.next_facts if f.path == "bant.need")
    assert f"{framework}.{key}" in fact.criteria


@pytest.mark.parametrize("value", ["", "N/A", "TBD", "tbd", []])
def test_placeholder_custom_values_are_missing_not_met(value: object):
    """A blank or placeholder MEDDPICC metrics value is unknown, and a next fact."""
    from funnelkit.frameworks import MEDDPICC
    from funnelkit.qualify import Policy

    policy = Policy(name="check", funnel=STARTER.funnel, gates=(), frameworks=(MEDDPICC,))
    q = qualify(fitting_lead(custom={"metrics": value}), policy, as_of=AS_OF)
    assert next(c for c in q.framework("meddpicc") if c.key == "metrics").status is Truth.UNKNOWN
    assert any(f.path == "custom.metrics" for f in q.next_facts)
    met = qualify(fitting_lead(custom={"metrics": "cut churn 5%"}), policy, as_of=AS_OF)
    assert next(c for c in met.framework("meddpicc") if c.key == "metrics").status is Truth.TRUE


def test_an_expired_custom_fact_is_unknown_and_a_next_fact():
    """MEDDPICC metrics with expired evidence is unknown, reported expired, and a next fact."""
    from funnelkit.frameworks import MEDDPICC
    from funnelkit.model import CustomEvidence
    from funnelkit.qualify import Policy

    policy = Policy(name="check", funnel=STARTER.funnel, gates=(), frameworks=(MEDDPICC,))
    old = Evidence(source="call", expires_at=AS_OF - timedelta(days=1))
    lead = fitting_lead(
        custom={"metrics": "cut churn 5%"},
        custom_evidence=[CustomEvidence(key="metrics", evidence=old)],
    )
    q = qualify(lead, policy, as_of=AS_OF)
    metrics = next(c for c in q.framework("meddpicc") if c.key == "metrics")
    assert (metrics.status, metrics.expired, metrics.evidence) == (Truth.UNKNOWN, True, old)
    assert q.expired_evidence == ("custom.metrics",)
    fact = next(f for f in q.next_facts if f.path == "custom.metrics")
    assert "its evidence has expired" in fact.reason
    earlier = qualify(lead, policy, as_of=AS_OF - timedelta(days=2))
    assert next(c for c in earlier.framework("meddpicc") if c.key == "metrics").status is (
        Truth.TRUE
    )


def test_a_custom_fact_asserted_later_is_not_known_yet():
    """A champion asserted tomorrow is unknown today (a backtest sees it only from then)."""
    from funnelkit.frameworks import MEDDPICC
    from funnelkit.model import CustomEvidence
    from funnelkit.qualify import Policy

    policy = Policy(name="check", funnel=STARTER.funnel, gates=(), frameworks=(MEDDPICC,))
    later = Evidence(source="call", asserted_at=AS_OF + timedelta(days=1))
    lead = fitting_lead(
        custom={"champion": "Ana"}, custom_evidence=[CustomEvidence(key="champion", evidence=later)]
    )
    today = qualify(lead, policy, as_of=AS_OF)
    champion = next(c for c in today.framework("meddpicc") if c.key == "champion")
    assert (champion.status, champion.evidence, today.expired_evidence) == (
        Truth.UNKNOWN,
        None,
        (),
    )
    tomorrow = qualify(lead, policy, as_of=AS_OF + timedelta(days=1))
    assert next(c for c in tomorrow.framework("meddpicc") if c.key == "champion").status is (
        Truth.TRUE
    )
