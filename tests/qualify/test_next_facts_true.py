"""Next facts are true: each claim that a fact could unlock a stage can be made good.

For random leads and the shipped presets, every stage a next fact claims to unlock has a
value of that fact which, put in the lead -- alone, or with the other facts listed for
that stage found out too -- changes that stage gate's outcome. (A gate that needs four
BANT parts is moved by no single one of them; finding out all four can open it.) The
values tried are the ones the policy itself names for the field (the literals it
compares the field with, one either side of each number, every member of an
enumeration, dates either side of each day window), plus a few drawn at random.
"""

from __future__ import annotations

import contextlib
import importlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from funnelkit import BANT_GATED, STARTER, WATERFALL, Company, Lead, Signal, qualify
from funnelkit.model import Money, Need, PainPoint
from funnelkit.qualify import Policy, current_facts
from funnelkit.rules.tree import (
    Between,
    Compare,
    Contains,
    DaysFrom,
    Field,
    IsIn,
    Literal,
    Overlaps,
    field_info,
    walk,
)
from funnelkit.testing import field_values, leads, with_field

from .._profiles import examples

AS_OF = datetime(2026, 5, 1, 12, tzinfo=UTC)
PRESETS = {"starter": STARTER, "waterfall": WATERFALL, "bant_gated": BANT_GATED}


def _operand_path(node: Any) -> tuple[str, int] | None:
    """The field path a test reads directly (0) or through a day count (1)."""
    if isinstance(node, Field):
        return node.path, 0
    if isinstance(node, DaysFrom) and isinstance(node.operand, Field):
        return node.operand.path, 1
    return None


def _literals(policy: Policy) -> dict[tuple[str, int], set[Any]]:
    """The values the policy compares each field (or its day count) with."""
    found: dict[tuple[str, int], set[Any]] = {}
    for node in walk(policy.rules):
        if isinstance(node, Compare):
            sides = [(node.left, node.right), (node.right, node.left)]
        elif isinstance(node, Between):
            sides = [(node.operand, node.low), (node.operand, node.high)]
        elif isinstance(node, IsIn):
            key = _operand_path(node.operand)
            if key is not None:
                found.setdefault(key, set()).update(node.values)
            continue
        elif isinstance(node, Contains | Overlaps):
            key = _operand_path(node.operand)
            items = {node.item} if isinstance(node, Contains) else set(node.items)
            if key is not None:
                found.setdefault(key, set()).update(frozenset({i}) for i in items)
            continue
        else:
            continue
        for operand, other in sides:
            key = _operand_path(operand)
            if key is not None and isinstance(other, Literal) and other.value is not None:
                found.setdefault(key, set()).add(other.value)
    return found


def _around(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [True, False]
    if isinstance(value, int | Decimal):
        return [value - 1, value, value + 1]
    if isinstance(value, float):
        return [value - 1.0, value, value + 1.0]
    if isinstance(value, Money):
        return [Money(amount=a, currency=value.currency) for a in _around(value.amount)]
    return [value]


def candidates(policy: Policy, path: str) -> list[Any]:
    """The values of ``path`` the policy names, either side of each bound."""
    info = field_info(path)
    out: list[Any] = []
    if info.enum is not None:
        out += [m for m in info.enum if m.name != "UNKNOWN"]
    if info.kind == "bool":
        out += [True, False]
    literals = _literals(policy)
    for value in literals.get((path, 0), ()):
        out += _around(value)
    for days in literals.get((path, 1), ()):
        if isinstance(days, int) and not isinstance(days, bool):
            for n in (days - 1, days, days + 1):
                for sign in (1, -1):
                    moment = AS_OF + timedelta(days=sign * n)
                    out.append(moment.date() if info.kind == "date" else moment)
    if info.kind == "date":
        out.append(date(2026, 5, 1))
    if path == "bant.need":  # the whole part: found out, with a pain point
        out.append(Need(pain_points=(PainPoint(description="slow reporting"),)))
    return out


def _gates(lead: Lead, policy: Policy) -> dict[str, Any]:
    return dict(qualify(lead, policy, as_of=AS_OF, explain=False).gates)


_RANK = {"false": 0, "unknown": 1, "true": 2}


def _progress(lead: Lead, policy: Policy, stage: str) -> tuple[int, int]:
    """How far a lead is toward a gate: the gate's truth, then how many outputs are TRUE."""
    q = qualify(lead, policy, as_of=AS_OF, explain=False)
    gate = dict(q.gates)[stage]
    true = sum(1 for value in q.outputs.values() if getattr(value, "value", None) == "true")
    return _RANK[gate.value], true


def _substituted(lead: Lead, path: str, value: Any) -> Lead | None:
    """The lead with the fact found out (its part's evidence fresh, if it had expired)."""
    try:
        changed = with_field(lead, path, value)
    except Exception:  # a value this field refuses is not a candidate
        return None
    part = path.rpartition(".")[0]
    if part.startswith("bant."):
        with contextlib.suppress(Exception):
            changed = with_field(changed, f"{part}.evidence", None)
    return changed


def _claims_hold(lead: Lead, policy: Policy, extra: dict[str, list[Any]]) -> list[str]:
    """The unlock claims no tried value makes good (empty when every claim holds)."""
    lead, _ = current_facts(lead, AS_OF)  # as qualify sees it: expired evidence left out
    q = qualify(lead, policy, as_of=AS_OF)
    before = dict(q.gates)
    tried = {f.path: candidates(policy, f.path) + extra.get(f.path, []) for f in q.next_facts}
    wrong = []
    for stage in sorted({s for f in q.next_facts for s in f.unlocks}):
        listed = [f.path for f in q.next_facts if stage in f.unlocks]
        alone = {
            path: any(
                changed is not None and _gates(changed, policy)[stage] is not before[stage]
                for changed in (_substituted(lead, path, v) for v in tried[path])
            )
            for path in listed
        }
        if all(alone.values()):
            continue
        # together: each listed fact in turn takes the value that brings the gate nearest
        together = lead
        for path in listed:
            options = [c for c in (_substituted(together, path, v) for v in tried[path]) if c]
            if options:
                together = max(options, key=lambda c: _progress(c, policy, stage))
        if _gates(together, policy)[stage] is before[stage]:
            wrong += [f"{path} -> {stage}" for path, ok in alone.items() if not ok]
    return wrong


def _drawable(path: str) -> bool:
    try:
        field_values(path)
    except ValueError:  # an object of its own (bant.need): the policy's candidates only
        return False
    return True


@pytest.mark.parametrize("name", sorted(PRESETS))
@examples(60, suppress_health_check=[HealthCheck.too_slow])
@given(lead=leads(), data=st.data())
def test_every_unlock_claim_has_a_value_that_changes_its_gate(
    name: str, lead: Lead, data: st.DataObject
) -> None:
    """Each stage a next fact claims to unlock changes its gate for some value of the fact."""
    policy = PRESETS[name]
    q = qualify(lead, policy, as_of=AS_OF)
    extra = {
        f.path: data.draw(st.lists(field_values(f.path), max_size=3), label=f.path)
        for f in q.next_facts
        if f.unlocks and _drawable(f.path)
    }
    assert _claims_hold(lead, policy, extra) == []


def test_a_decided_fit_comparison_passes_no_facts_up() -> None:
    """A company-only lead at Sales-Ready is not told contact facts could make it an opportunity."""
    demo = Signal(kind="demo_request", occurred_at=AS_OF - timedelta(days=10), explicit=True)
    lead = Lead(
        id="L-1",
        company=Company(
            industry="software",
            employees=200,
            country="US",
            annual_revenue=Money(amount=Decimal(25_000_000), currency="USD"),
        ),
        signals=(demo,),
    )
    q = qualify(lead, STARTER, as_of=AS_OF)
    assert q.stage == "sales_ready"
    unlocking = {f.path: f.unlocks for f in q.next_facts}
    assert "sales_opportunity" not in unlocking.get("contact.department", ())
    assert "sales_opportunity" not in unlocking.get("contact.seniority", ())
    assert _claims_hold(lead, STARTER, {}) == []


def test_the_module_under_test_is_the_qualify_package() -> None:
    """funnelkit.qualify names the function at the top; the package is still importable."""
    assert importlib.import_module("funnelkit.qualify").qualify is qualify


def test_next_facts_kept_for_equal_inputs_are_the_ones_worked_out() -> None:
    """Leads that share their ranking's inputs get the next facts worked out afresh."""
    from funnelkit.data import DEMO_AS_OF, load_demo

    ranking = importlib.import_module("funnelkit.qualify._nextfacts")
    demo = load_demo()[:300]
    kept = [qualify(lead, STARTER, as_of=DEMO_AS_OF).next_facts for lead in demo]
    fresh = []
    for lead in demo:
        ranking._shape(STARTER).memo.clear()
        fresh.append(qualify(lead, STARTER, as_of=DEMO_AS_OF).next_facts)
    assert kept == fresh
    assert len(set(kept)) < len(kept)  # some were shared
