"""A policy's declarations: typed custom attributes and the signal kinds it expects."""

import pytest

from funnelkit import F, Policy
from funnelkit.model import STARTER_FUNNEL
from funnelkit.qualify import (
    BANT_GATED,
    STANDARD_CUSTOM_FACTS,
    STARTER,
    WATERFALL,
    PolicyError,
    StageGate,
    UndeclaredName,
    type_problems,
)
from funnelkit.rules import signals


def gated(entry, **declared):
    """A starter-funnel policy whose sales-ready gate is ``entry``."""
    return Policy(
        name="p",
        funnel=STARTER_FUNNEL,
        gates=[StageGate(stage="sales_ready", entry=entry)],
        **declared,
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (F.custom["tier"] >= 3, r"custom\.tier is declared text but is compared with a number"),
        (F.custom["tier"].isin({"gold", 2}), r"custom\.tier is declared text .* a number \(2\)"),
        (F.custom["seats"] == "many", r"custom\.seats is declared integer .* with text"),
        (F.custom["seats"].between(1, "9"), r"custom\.seats is declared integer .* with text"),
        (F.custom["vip"] == 1, r"custom\.vip is declared boolean .* with a number"),
        ((F.custom["tier"] + 1) > 2, r"custom\.tier is declared text: arithmetic needs a number"),
        (F.custom["seats"].startswith("1"), r"custom\.seats is declared integer: text tests"),
        (F.company.employees < F.custom["tier"], r"custom\.tier is declared text .* a number"),
    ],
)
def test_a_rule_comparing_a_declared_attribute_with_another_type_is_refused(entry, message):
    """Comparisons, isin, between, arithmetic and text tests must fit the declared type."""
    declared = {"tier": "text", "seats": "integer", "vip": "boolean"}
    with pytest.raises(PolicyError, match=message):
        gated(entry, custom_attributes=declared)


def test_rules_that_fit_the_declared_types_are_accepted():
    """Numbers with number attributes, text with text, booleans with booleans."""
    entry = (
        (F.custom["seats"] >= 10)
        & F.custom["tier"].isin({"gold", "silver"})
        & (F.custom["vip"] == True)  # noqa: E712 - builds a node
        & ((F.custom["score"] * 2) > 1.5)
    )
    declared = {"seats": "integer", "tier": "text", "vip": "boolean", "score": "number"}
    policy = gated(entry, custom_attributes=declared)
    assert policy.custom_attributes == tuple(sorted(declared.items()))
    assert policy.undeclared == ()


def test_without_declarations_nothing_is_type_checked():
    """An attribute nobody declared is compared with anything (and warned about)."""
    policy = gated(F.custom["tier"] >= 3)
    assert type_problems(policy.rules, {}) == []
    assert [str(u.name) for u in policy.undeclared] == ["tier"]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"custom_attributes": {"tier": "txt"}}, r"unknown type 'txt'; did you mean 'text'\?"),
        ({"custom_attributes": {"a.b": "text"}}, r"'a\.b' is not a custom attribute's name"),
        ({"custom_attributes": [("a", "text"), ("a", "number")]}, r"'a' is declared twice"),
        ({"signal_kinds": ["ok", ""]}, r"signal_kinds: expected non-empty texts, got ''"),
    ],
)
def test_malformed_declarations_are_refused(declared, message):
    """Unknown types (with a did you mean), dotted or repeated names, blank kinds."""
    with pytest.raises(PolicyError, match=message):
        gated(F.contact.email.is_missing(), **declared)


def test_a_typo_in_a_signal_kind_is_warned_about_with_did_you_mean():
    """A kind neither standard nor declared is listed, with the close declared kind."""
    policy = gated(
        signals("phone_converstion").exists() | signals("demo_request").exists(),
        signal_kinds={"phone_conversation"},
    )
    assert policy.undeclared == (
        UndeclaredName("signal kind", "phone_converstion", "phone_conversation"),
    )
    assert "did you mean 'phone_conversation'?" in str(policy.undeclared[0])


def test_a_typo_in_a_custom_name_is_warned_about_with_did_you_mean():
    """A custom attribute read but not declared is listed, with the declared name."""
    policy = gated(F.custom["sesats"] >= 3, custom_attributes={"seats": "integer"})
    (warning,) = policy.undeclared
    assert (warning.what, warning.name, warning.suggestion) == (
        "custom attribute",
        "sesats",
        "seats",
    )
    assert "not declared in custom_attributes" in str(warning)


def test_preset_framework_facts_count_as_declared():
    """MEDDIC's custom facts (metrics, champion, ...) need no declaration."""
    assert {"metrics", "champion"} <= STANDARD_CUSTOM_FACTS
    assert gated(F.custom["metrics"].is_missing()).undeclared == ()


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: p.name)
def test_the_presets_declare_everything_they_read(policy):
    """The shipped policies read only standard kinds and framework facts."""
    assert policy.undeclared == ()
