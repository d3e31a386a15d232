"""Random policies: funnels, gates, scores, grades, frameworks and reentry rules."""

from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from funnelkit.frameworks import PRESET_FRAMEWORKS as FRAMEWORKS
from funnelkit.qualify import DEFAULT_REENTRY, Policy, StageGate, weighted_priority
from funnelkit.rules import Expr, ref
from funnelkit.testing._pipeline import funnels
from funnelkit.testing._rules import conditions, scores

__all__ = ["policies"]


@functools.cache  # called in every draw of a policy: the same strategy each time
def _gates(conds: SearchStrategy[Expr]) -> SearchStrategy[Expr]:
    """Entry rules: plain conditions, or tests of the policy's scores and frameworks."""
    thresholds = st.integers(-10, 60)
    return st.one_of(
        conds,
        st.builds(lambda n: ref("fit") >= n, thresholds),
        st.builds(lambda n, c: (ref("engagement") >= n) & c, thresholds, conds),
        st.builds(
            lambda g: ref("fit_grade").isin(g), st.frozensets(st.sampled_from("ABCD"), min_size=1)
        ),
    )


@st.composite
def _policy(draw: st.DrawFn, *, columnar: bool, max_leaves: int) -> Policy:
    funnel = draw(funnels(min_stages=2, max_stages=6))
    conds = conditions(max_leaves=max_leaves, columnar=columnar)
    open_keys = [s.key for s in funnel.open_stages]
    gated = draw(st.lists(st.sampled_from(open_keys), unique=True, max_size=len(open_keys)))
    frameworks = draw(
        st.lists(st.sampled_from(sorted(FRAMEWORKS)), unique=True, max_size=2).map(
            lambda keys: [FRAMEWORKS[k] for k in keys]
        )
    )
    gate_rules = _gates(conds)
    if frameworks:
        fw = frameworks[0]
        gate_rules = gate_rules | st.builds(
            lambda n: ref(f"{fw.key}_met") >= n, st.integers(0, len(tuple(fw)))
        )
    weights = st.sampled_from(("0.5", "0.6", "0.4", 1))
    priority = draw(st.none() | st.builds(weighted_priority, fit=weights, engagement=weights))
    stage_map = {}
    if draw(st.booleans()):
        stage_map = {"legacy_stage": draw(st.sampled_from(funnel.keys))}
    return Policy(
        name="random",
        funnel=funnel,
        gates=[StageGate(stage=key, entry=draw(gate_rules)) for key in gated],
        fit=draw(scores(max_leaves=max_leaves, columnar=columnar)),
        fit_grades={"A": 40, "B": Decimal("20.5"), "C": 5},
        engagement=draw(scores(max_leaves=max_leaves, columnar=columnar)),
        priority=priority,
        frameworks=frameworks,
        allow_skipping=draw(st.booleans()),
        stage_map=stage_map,
        reentry=draw(st.just(DEFAULT_REENTRY) | conds),
    )


def policies(*, columnar: bool = False, max_leaves: int = 4) -> SearchStrategy[Policy]:
    """Random [`Policy`][funnelkit.qualify.Policy]s over random funnels.

    Each has gates on some of its funnel's open stages (plain conditions and tests of
    its own scores, grades and frameworks through ``ref``), random fit and engagement
    scores, sometimes a weighted priority, zero to two preset frameworks, skipping
    allowed or not, sometimes a stage map entry (``legacy_stage``) and sometimes a
    reentry rule of its own.

    Args:
        columnar: Only what the columnar engines run (see ``conditions``).
        max_leaves: About how many leaves each rule has at most.

    Returns:
        A strategy for policies. Draw leads whose history walks the policy's funnel
        with ``leads(funnel=policy.funnel)``.
    """
    return _policy(columnar=columnar, max_leaves=max_leaves)
