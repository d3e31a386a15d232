"""Every criterion of every preset: met, unmet and unknown on small leads."""

from __future__ import annotations

import pytest

from funnelkit.frameworks import PRESET_FRAMEWORKS, Criterion
from funnelkit.model import Lead
from funnelkit.rules import Truth

from .conftest import CONCEPTS, judge

ALL = [(fw.key, c.key) for fw in PRESET_FRAMEWORKS.values() for c in fw]
ALWAYS_KNOWN = {("faint", "interest"), ("opportunity", "next_steps")}


def _criterion(framework: str, key: str) -> Criterion:
    return PRESET_FRAMEWORKS[framework].criterion(key)


def _ids(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{fw}.{key}" for fw, key in pairs]


def test_the_table_covers_every_criterion_of_every_preset():
    """Each preset criterion has a met / unmet / unknown trio below, and nothing else does."""
    assert sorted(CONCEPTS) == sorted(ALL)


@pytest.mark.parametrize(("framework", "key"), ALL, ids=_ids(ALL))
def test_a_lead_with_the_facts_meets_the_criterion(framework: str, key: str):
    """The trio's met lead makes the criterion TRUE."""
    assert judge(_criterion(framework, key).rule, CONCEPTS[framework, key].met) is Truth.TRUE


@pytest.mark.parametrize(("framework", "key"), ALL, ids=_ids(ALL))
def test_a_lead_with_contrary_facts_fails_the_criterion(framework: str, key: str):
    """The trio's unmet lead makes the criterion FALSE."""
    assert judge(_criterion(framework, key).rule, CONCEPTS[framework, key].unmet) is Truth.FALSE


OPEN = [pair for pair in ALL if pair not in ALWAYS_KNOWN]


@pytest.mark.parametrize(("framework", "key"), OPEN, ids=_ids(OPEN))
def test_a_lead_with_missing_facts_leaves_the_criterion_unknown(framework: str, key: str):
    """The trio's unknown lead makes the criterion UNKNOWN, not FALSE."""
    lead = CONCEPTS[framework, key].unknown
    assert lead is not None
    assert judge(_criterion(framework, key).rule, lead) is Truth.UNKNOWN


@pytest.mark.parametrize(("framework", "key"), OPEN, ids=_ids(OPEN))
def test_an_empty_lead_leaves_the_criterion_unknown(framework: str, key: str):
    """With nothing known at all, every criterion that reads facts is UNKNOWN."""
    assert judge(_criterion(framework, key).rule, Lead()) is Truth.UNKNOWN


@pytest.mark.parametrize(("framework", "key"), sorted(ALWAYS_KNOWN), ids=_ids(sorted(ALWAYS_KNOWN)))
def test_criteria_on_signals_alone_are_unmet_without_signals(framework: str, key: str):
    """Signals are never missing, so a lead without any fails signal-only criteria."""
    assert CONCEPTS[framework, key].unknown is None
    assert _criterion(framework, key).rule.meta.fields() == {"signals"}
    assert judge(_criterion(framework, key).rule, Lead()) is Truth.FALSE


@pytest.mark.parametrize(("framework", "key"), ALL, ids=_ids(ALL))
def test_evidence_is_given_where_a_bant_part_backs_the_criterion(framework: str, key: str):
    """A criterion reporting evidence names the BANT part its facts come from."""
    part = CONCEPTS[framework, key].part
    expected = None if part is None else f"bant.{part}.evidence"
    assert _criterion(framework, key).evidence == expected


@pytest.mark.parametrize("framework", sorted(PRESET_FRAMEWORKS))
def test_every_criterion_has_a_label_and_a_description(framework: str):
    """People read labels and descriptions: none is empty."""
    for c in PRESET_FRAMEWORKS[framework]:
        assert c.label.strip()
        assert (c.description or "").strip()


@pytest.mark.parametrize("framework", sorted(PRESET_FRAMEWORKS))
def test_custom_keys_are_named_in_the_descriptions(framework: str):
    """Each custom.<key> a criterion reads appears in its description, for CRM mapping."""
    for c in PRESET_FRAMEWORKS[framework]:
        for path in c.rule.meta.fields():
            if path.startswith("custom."):
                assert path in (c.description or ""), (c.key, path)


def test_presets_are_registered_under_their_own_key():
    """PRESET_FRAMEWORKS maps each framework's key to it."""
    assert all(key == fw.key for key, fw in PRESET_FRAMEWORKS.items())
    assert set(PRESET_FRAMEWORKS) == {
        "bant",
        "opportunity",
        "anum",
        "champ",
        "faint",
        "meddic",
        "meddpicc",
        "gpct",
        "gpctba_ci",
    }


def test_presets_cannot_be_changed_in_place():
    """PRESET_FRAMEWORKS is read-only: adapt a framework with replace / extend / without instead."""
    with pytest.raises(TypeError):
        PRESET_FRAMEWORKS["bant"] = PRESET_FRAMEWORKS["anum"]  # type: ignore[index]
