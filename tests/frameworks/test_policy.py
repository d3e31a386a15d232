"""The presets inside a qualification policy: outputs, qualify() reports, expired evidence."""

from __future__ import annotations

import attrs
import pytest

from funnelkit.frameworks import PRESET_FRAMEWORKS, Framework
from funnelkit.model import BANT, STARTER_FUNNEL, Lead, Need, Timeline
from funnelkit.qualify import Policy, StageGate, qualify
from funnelkit.rules import Truth, ref

from .conftest import AS_OF, CALL, CONCEPTS, EXPIRED

KEYS = sorted(PRESET_FRAMEWORKS)


def _policy(*frameworks: Framework) -> Policy:
    return Policy(name="frameworks", funnel=STARTER_FUNNEL, gates=(), frameworks=frameworks)


ALL_PRESETS = _policy(*PRESET_FRAMEWORKS.values())


@pytest.mark.parametrize("key", KEYS)
def test_a_preset_adds_one_output_per_criterion_and_a_count(key: str):
    """A policy with the preset has <key>_<criterion> outputs and <key>_met."""
    fw = PRESET_FRAMEWORKS[key]
    names = _policy(fw).rules.names
    assert [n for n in names if n.startswith(f"{key}_")] == [
        *(f"{key}_{c}" for c in fw.keys),
        f"{key}_met",
    ]


def test_every_preset_fits_in_one_policy():
    """All presets together make a valid policy: no output names clash."""
    assert len(ALL_PRESETS.frameworks) == len(PRESET_FRAMEWORKS)


@pytest.mark.parametrize("key", KEYS)
def test_qualify_reports_each_criterion_in_order(key: str):
    """qualify() lists the preset's criteria, in order, with their labels."""
    q = qualify(Lead(id="L-1"), ALL_PRESETS, as_of=AS_OF)
    results = q.framework(key)
    assert [r.key for r in results] == list(PRESET_FRAMEWORKS[key].keys)
    assert [r.label for r in results] == [c.label for c in PRESET_FRAMEWORKS[key]]


@pytest.mark.parametrize(("framework", "key"), sorted(CONCEPTS), ids=lambda p: str(p))
def test_qualify_reports_met_unmet_and_unknown_as_the_rule_says(framework: str, key: str):
    """Through qualify(), each trio's leads give TRUE, FALSE and (if possible) UNKNOWN."""
    trio = CONCEPTS[framework, key]
    policy = _policy(PRESET_FRAMEWORKS[framework])
    cases = [(trio.met, Truth.TRUE), (trio.unmet, Truth.FALSE)]
    if trio.unknown is not None:
        cases.append((trio.unknown, Truth.UNKNOWN))
    for lead, status in cases:
        (result,) = [
            r for r in qualify(lead, policy, as_of=AS_OF).framework(framework) if r.key == key
        ]
        assert result.status is status, (lead, status)


@pytest.mark.parametrize("key", KEYS)
def test_the_met_count_matches_the_reported_criteria(key: str):
    """<key>_met equals the number of criteria qualify() reports as met."""
    lead = CONCEPTS[key, PRESET_FRAMEWORKS[key].keys[0]].met
    q = qualify(lead, _policy(PRESET_FRAMEWORKS[key]), as_of=AS_OF)
    assert q.outputs[f"{key}_met"] == q.met(key) >= 1


def test_a_gate_can_require_a_presets_criteria():
    """A stage gate may ref a preset's count, e.g. all of MEDDIC for an opportunity."""
    policy = Policy(
        name="meddic_gated",
        funnel=STARTER_FUNNEL,
        frameworks=(PRESET_FRAMEWORKS["meddic"],),
        gates=(StageGate(stage="inquiry", entry=ref("meddic_met") >= 1),),
    )
    lead = CONCEPTS["meddic", "metrics"].met
    assert qualify(lead, policy, as_of=AS_OF).stage == "inquiry"
    assert qualify(Lead(), policy, as_of=AS_OF).stage is None


BACKED = [pair for pair in sorted(CONCEPTS) if CONCEPTS[pair].part is not None]


def _with_evidence(lead: Lead, part: str, evidence: object) -> Lead:
    facts = getattr(lead.bant, part)
    return attrs.evolve(
        lead, bant=attrs.evolve(lead.bant, **{part: attrs.evolve(facts, evidence=evidence)})
    )


@pytest.mark.parametrize(("framework", "key"), BACKED, ids=lambda p: str(p))
def test_expired_evidence_makes_a_met_criterion_unknown(framework: str, key: str):
    """Facts whose evidence expired before as_of count as unknown, and are flagged expired."""
    trio = CONCEPTS[framework, key]
    assert trio.part is not None
    lead = _with_evidence(trio.met, trio.part, EXPIRED)
    (result,) = [
        r
        for r in qualify(lead, _policy(PRESET_FRAMEWORKS[framework]), as_of=AS_OF).framework(
            framework
        )
        if r.key == key
    ]
    assert result.status is Truth.UNKNOWN
    assert result.expired
    assert result.evidence == EXPIRED


@pytest.mark.parametrize(("framework", "key"), BACKED, ids=lambda p: str(p))
def test_current_evidence_keeps_a_met_criterion_met(framework: str, key: str):
    """The same facts with evidence that still holds stay met, and are not flagged."""
    trio = CONCEPTS[framework, key]
    assert trio.part is not None
    lead = _with_evidence(trio.met, trio.part, CALL)
    (result,) = [
        r
        for r in qualify(lead, _policy(PRESET_FRAMEWORKS[framework]), as_of=AS_OF).framework(
            framework
        )
        if r.key == key
    ]
    assert result.status is Truth.TRUE
    assert not result.expired
    assert result.evidence == CALL


@pytest.mark.parametrize(
    ("framework", "key", "facts"),
    [
        ("bant", "need", BANT(need=Need(evidence=EXPIRED))),
        ("opportunity", "catalysing_event", BANT(timeline=Timeline(evidence=EXPIRED))),
    ],
)
def test_an_expired_assessment_that_found_nothing_is_unknown_again(
    framework: str, key: str, facts: BANT
):
    """'No pain point' or 'no catalyst', found on a call whose evidence expired, is unknown."""
    q = qualify(Lead(bant=facts), _policy(PRESET_FRAMEWORKS[framework]), as_of=AS_OF)
    (result,) = [r for r in q.framework(framework) if r.key == key]
    assert result.status is Truth.UNKNOWN


def test_unknown_criteria_name_the_custom_fact_to_find_out():
    """An unknown custom criterion lists custom.<key> among the facts to find out."""
    q = qualify(Lead(), _policy(PRESET_FRAMEWORKS["meddic"]), as_of=AS_OF)
    (metrics,) = [r for r in q.framework("meddic") if r.key == "metrics"]
    assert metrics.unknown_facts == ("custom.metrics",)
