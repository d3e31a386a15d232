"""Round trips: dump then load gives a structurally equal policy (property-tested)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnelkit.frameworks import BANT_FRAMEWORK, Criterion, Framework
from funnelkit.model import DEMAND_WATERFALL, STARTER_FUNNEL
from funnelkit.policy import (
    PolicyDocument,
    dump_policy,
    loads_document,
    loads_policy,
    policies_equal,
    policy_to_document,
)
from funnelkit.qualify import (
    PRESETS,
    PRIORITY_BANDS,
    STANDARD_ENGAGEMENT,
    Policy,
    SignalPoints,
    StageGate,
    engagement_score,
    weighted_priority,
)
from funnelkit.rules import Expr, per, points, ref, score
from funnelkit.testing._rules import conditions, scores

FORMATS = ["yaml", "json"]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_round_trip(name: str, format: str) -> None:
    """Each preset, dumped and loaded, is structurally equal to itself."""
    text = dump_policy(PRESETS[name], format=format)  # type: ignore[arg-type]
    assert policies_equal(loads_policy(text, format=format), PRESETS[name])  # type: ignore[arg-type]


@pytest.mark.parametrize("format", FORMATS)
def test_a_document_round_trips_through_its_data(format: str) -> None:
    """A loaded document dumps to text that loads to an equal document."""
    text = dump_policy(PRESETS["starter"], format=format)  # type: ignore[arg-type]
    document = loads_document(text, format=format)  # type: ignore[arg-type]
    again = loads_document(dump_policy(document, format=format), format=format)  # type: ignore[arg-type]
    assert again == document


def test_engagement_is_written_as_signal_points() -> None:
    """A standard engagement score is written as its signal points, not as one rule."""
    document = policy_to_document(PRESETS["starter"])
    assert not isinstance(document.engagement, str)
    assert document.engagement is not None
    assert document.engagement.signals == STANDARD_ENGAGEMENT


@pytest.mark.parametrize("format", FORMATS)
def test_signal_gaps_and_explicit_round_trip(format: str) -> None:
    """Signal points with min_gap_days and explicit are written with those keys and read back."""
    signals = (
        SignalPoints(kinds="pricing_page_view", points=10, min_gap_days=1),
        SignalPoints(
            kinds={"demo_request", "question"}, points=30, frequency="once", explicit=True
        ),
        SignalPoints(
            kinds="email_reply", points=5, half_life_days=7, min_gap_days=0.5, explicit=False
        ),
    )
    policy = Policy(
        name="gaps", funnel=STARTER_FUNNEL, gates=(), engagement=engagement_score(*signals)
    )
    text = dump_policy(policy, format=format)  # type: ignore[arg-type]
    assert text.count("min_gap_days") == 2
    assert text.count("explicit") == 2
    document = loads_document(text, format=format)  # type: ignore[arg-type]
    assert document.engagement is not None
    assert not isinstance(document.engagement, str)
    assert document.engagement.signals == signals
    assert policies_equal(loads_policy(text, format=format), policy)  # type: ignore[arg-type]


def test_metadata_round_trips() -> None:
    """Owner, description and effective date survive a round trip."""
    policy = Policy(
        name="mine",
        version="2026.1",
        owner="revops@example.com",
        description="Ours.",
        effective_date=date(2026, 1, 1),
        funnel=DEMAND_WATERFALL,
        gates=(),
    )
    assert policies_equal(loads_policy(dump_policy(policy)), policy)


SIGNALS = st.sampled_from(["every", "once"]).flatmap(
    lambda frequency: st.builds(
        SignalPoints,
        kinds=st.sampled_from(["demo_request", "pricing_page_view", "email_click"]).map(
            lambda k: {k}
        ),
        points=st.integers(-50, 50).filter(bool) | st.just(Decimal("2.5")),
        frequency=st.just(frequency),
        cap=st.none() | st.integers(1, 40),
        within_days=st.none() | st.integers(0, 365),
        half_life_days=st.none() | st.sampled_from([7.0, 14.5, 30.0]),
        # at most once per N days: only with frequency "every"
        min_gap_days=st.none()
        if frequency == "once"
        else st.none() | st.sampled_from([1, 7, 0.5, 2.25]),
        explicit=st.none() | st.booleans(),
    )
)


WEIGHTS = st.sampled_from([0, 1, -1, Decimal("0.6"), Decimal("0.25"), Decimal("1.5")])


@st.composite
def priorities(draw: st.DrawFn) -> Expr | None:
    """No priority, a weighted_priority, or another number rule over fit and engagement."""
    shape = draw(st.sampled_from(["none", "weighted", "rule"]))
    if shape == "none":
        return None
    if shape == "weighted":
        return weighted_priority(fit=draw(WEIGHTS), engagement=draw(WEIGHTS))
    return score(
        per(draw(WEIGHTS), ref("fit")),
        points(draw(st.integers(-10, 30)), when=ref("engagement") >= draw(st.integers(0, 100))),
        cap=draw(st.none() | st.integers(50, 150)),
    ) + draw(scores(max_leaves=2))


@st.composite
def random_policies(draw: st.DrawFn) -> Policy:
    """Policies from random rules: fit, engagement, priority, definitions, frameworks, gates."""
    funnel = draw(st.sampled_from([STARTER_FUNNEL, DEMAND_WATERFALL]))
    definitions = draw(st.lists(conditions(max_leaves=4), max_size=2))
    names = [f"d{i}" for i in range(len(definitions))]
    criteria = draw(st.lists(conditions(max_leaves=3), min_size=1, max_size=2))
    framework = Framework(
        key="mine",
        name="Mine",
        criteria=tuple(
            Criterion(key=f"c{i}", label=f"C{i}", rule=rule) for i, rule in enumerate(criteria)
        ),
    )
    keys = [s.key for s in funnel.open_stages]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))
    gates = []
    for key in chosen:
        entry = draw(conditions(max_leaves=4))
        if names and draw(st.booleans()):
            entry = entry | ref(draw(st.sampled_from(names)), condition=True)
        if draw(st.booleans()):
            entry = entry & (ref("fit") >= draw(st.integers(0, 100)))
        description = draw(st.none() | st.sampled_from(["Why.", 'Says "yes".']))
        gates.append(StageGate(stage=key, entry=entry, description=description))
    grouped = draw(st.booleans())
    fit = (
        score(
            score(
                *(
                    points(n, when=c)
                    for n, c in draw(
                        st.lists(
                            st.tuples(st.integers(-5, 30), conditions(max_leaves=3)),
                            min_size=1,
                            max_size=3,
                        )
                    )
                ),
                cap=40,
                name="group",
            ),
            cap=100,
        )
        if grouped
        else draw(scores(max_leaves=4))
    )
    engagement = engagement_score(*draw(st.lists(SIGNALS, max_size=3)))
    priority = draw(priorities())
    if priority is not None and keys[-1] not in chosen and draw(st.booleans()):
        gates.append(StageGate(stage=keys[-1], entry=ref("priority_grade") != "cold"))
    bands = draw(st.sampled_from([PRIORITY_BANDS, (("now", 60),), (("a", Decimal("52.5")),)]))
    return Policy(
        name="random",
        funnel=funnel,
        gates=tuple(gates),
        fit=fit,
        engagement=engagement,
        priority=priority,
        priority_grades=bands,
        priority_default_grade=draw(st.sampled_from(["cold", "later"])),
        frameworks=draw(
            st.sampled_from([(), (BANT_FRAMEWORK,), (framework,), (BANT_FRAMEWORK, framework)])
        ),
        definitions=tuple(zip(names, definitions, strict=True)),
        allow_skipping=draw(st.booleans()),
    )


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=20)
@given(policy=random_policies())
def test_random_policies_round_trip(policy: Policy) -> None:
    """dump then load (YAML and JSON) gives a policy structurally equal to the original."""
    for format in FORMATS:
        text = dump_policy(policy, format=format)  # type: ignore[arg-type]
        assert policies_equal(loads_policy(text, format=format), policy), format  # type: ignore[arg-type]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=10)
@given(policy=random_policies())
def test_documents_of_random_policies_build_equal_policies(policy: Policy) -> None:
    """policy_to_document(p).to_policy() is structurally equal to p (no text in between)."""
    document = policy_to_document(policy)
    assert isinstance(document, PolicyDocument)
    assert policies_equal(document.to_policy(), policy)
