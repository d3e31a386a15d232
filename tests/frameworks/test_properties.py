"""Properties: every preset criterion evaluates on any lead, and every engine agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.frameworks import PLACEHOLDERS, PRESET_FRAMEWORKS, custom_fact, is_placeholder
from funnelkit.model import Lead
from funnelkit.qualify import qualify
from funnelkit.rules import Truth, compile_rule, evaluate, explain
from funnelkit.testing import aware_datetimes, leads

from .test_policy import ALL_PRESETS

CRITERIA = [(fw.key, c.key, c.rule) for fw in PRESET_FRAMEWORKS.values() for c in fw]
COMPILED = {(fw, key): compile_rule(rule) for fw, key, rule in CRITERIA}
CUSTOM_KEYS = sorted(
    {
        p.removeprefix("custom.")
        for fw in PRESET_FRAMEWORKS.values()
        for p in fw.fields
        if p.startswith("custom.")
    }
)

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["no", "No", "NO", "false", "False", "yes", "none", "", "Jane Roe, CFO"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
)
_CUSTOM = st.dictionaries(
    st.sampled_from(CUSTOM_KEYS), _SCALARS | st.lists(_SCALARS, max_size=3).map(tuple), max_size=6
)
AS_OFS = aware_datetimes()


@st.composite
def framework_leads(draw: st.DrawFn) -> Lead:
    """Random leads, with random values under the custom keys the presets read."""
    lead = draw(leads())
    return attrs.evolve(lead, custom={**lead.custom, **draw(_CUSTOM)})


@examples(15)
@given(framework_leads(), AS_OFS)
def test_every_engine_gives_every_criterion_the_same_truth(lead: Lead, as_of: datetime):
    """On any valid lead each criterion evaluates without error to a Truth, and the
    compiled rule and explain() give exactly the reference interpreter's outcome."""
    for fw, key, rule in CRITERIA:
        expected = evaluate(rule, lead, as_of=as_of)
        assert isinstance(expected, Truth)
        assert COMPILED[fw, key](lead, as_of=as_of) is expected, ("compiled", fw, key)
        assert explain(rule, lead, as_of=as_of).outcome is expected, ("explain", fw, key)


@examples(15)
@given(framework_leads(), AS_OFS)
def test_qualify_reports_every_criterion_of_every_preset(lead: Lead, as_of: datetime):
    """qualify() with all presets reports each criterion once, with a met count to match."""
    q = qualify(lead, ALL_PRESETS, as_of=as_of)
    assert [(r.framework, r.key) for r in q.criteria] == [(fw, key) for fw, key, _ in CRITERIA]
    for fw in PRESET_FRAMEWORKS:
        assert q.outputs[f"{fw}_met"] == q.met(fw)


@examples(15)
@given(framework_leads(), AS_OFS, st.sampled_from(CUSTOM_KEYS))
def test_forgetting_a_custom_fact_never_decides_a_criterion(lead: Lead, as_of: datetime, key: str):
    """Dropping a custom value turns no UNKNOWN criterion into TRUE or FALSE."""
    forgotten = attrs.evolve(lead, custom={k: v for k, v in lead.custom.items() if k != key})
    for _, _, rule in CRITERIA:
        before = evaluate(rule, lead, as_of=as_of)
        after = evaluate(rule, forgotten, as_of=as_of)
        assert after is before or after is Truth.UNKNOWN


def test_the_custom_keys_drawn_are_the_documented_ones():
    """The strategy fills exactly the custom keys the presets read."""
    assert CUSTOM_KEYS == [
        "champion",
        "competition",
        "decision_criteria",
        "decision_process",
        "economic_buyer",
        "goals",
        "metrics",
        "negative_consequences",
        "paper_process",
        "plans",
        "positive_implications",
    ]


def test_decimal_zero_in_a_custom_field_reads_as_no():
    """0 in any numeric type records a 'no', like False (the values compare equal)."""
    for zero in (0, 0.0, Decimal("0.00"), False):
        lead = Lead(custom={"metrics": zero})
        assert (
            evaluate(custom_fact("metrics"), lead, as_of=datetime(2026, 5, 1, tzinfo=UTC))
            is Truth.FALSE
        )


@pytest.mark.parametrize("value", [*sorted(PLACEHOLDERS - {()}, key=str), []])
def test_a_placeholder_in_a_custom_field_reads_as_unknown(value: object):
    """Blanks and placeholders ("", "N/A", "TBD", []) are not met: UNKNOWN."""
    lead = Lead(custom={"metrics": value})
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    assert evaluate(custom_fact("metrics"), lead, as_of=as_of) is Truth.UNKNOWN
    assert is_placeholder(lead.custom["metrics"])


@pytest.mark.parametrize("value", [" n/a ", "none yet", ("kpi",), 3])
def test_text_around_a_placeholder_is_a_fact(value: object):
    """Only exact placeholders count: other text, lists and numbers are met."""
    lead = Lead(custom={"metrics": value})
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    assert evaluate(custom_fact("metrics"), lead, as_of=as_of) is Truth.TRUE
    assert not is_placeholder(lead.custom["metrics"])
