"""From a runtime Policy back to a document: rules as text, and structural equality.

Every rule is written with the condition-syntax printer, so parsing the text gives the
same tree. Where a score has a shape the file format names (signal points, groups of
points), it is written in that shape, and only if rebuilding it gives the same tree;
anything else is written as one rule. A priority that is exactly a
``weighted_priority`` is written as its weights.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from funnelkit.frameworks import PRESET_FRAMEWORKS, Framework
from funnelkit.policy._build import FUNNELS
from funnelkit.policy._document import (
    Metadata,
    PolicyDocument,
    StageSpec,
)
from funnelkit.policy._specs import (
    CriterionSpec,
    CustomFramework,
    EngagementScoring,
    FitScoring,
    Grades,
    PresetFramework,
    PriorityWeights,
    ScoreGroup,
    ScorePoints,
)
from funnelkit.qualify import DEFAULT_REENTRY, Policy, SignalPoints, weighted_priority
from funnelkit.rules import Expr, score, to_text
from funnelkit.rules.tree import Per, Points, Score, SignalAgg

__all__ = ["policy_to_document", "policies_equal", "frameworks_equal", "same_rule"]


def _without_ref_hints(key: object) -> object:
    """A structural key with every ``ref`` reduced to its name.

    A ``ref``'s kind and condition flag are hints about the output it reads, which the
    rule set already fixes: ``ref("hr")`` and ``ref("hr", condition true)`` read the
    same output and mean the same rule. In a key, a node is a tuple headed by its class
    name; set and tuple values are headed by ``set`` and ``tuple``.
    """
    if isinstance(key, tuple):
        if key and key[0] == "Ref":
            return ("Ref", key[1])
        return tuple(_without_ref_hints(part) for part in key)
    return key


def same_rule(a: Expr, b: Expr) -> bool:
    """Whether two rules are the same tree, reading a ``ref``'s kind and flag as hints.

    Args:
        a: One rule.
        b: The other.

    Returns:
        ``True`` when the trees are structurally equal once every ``ref`` is reduced to
        the name of the output it reads.

    Examples:
        >>> from funnelkit.rules import ref
        >>> same_rule(ref("hr", condition=True), ref("hr")), same_rule(ref("hr"), ref("hq"))
        (True, False)
    """
    return _without_ref_hints(a.meta.key()) == _without_ref_hints(b.meta.key())


def _walk(node: Expr) -> Iterator[Expr]:
    yield node
    for child in node.children():
        yield from _walk(child)


def _signal_points(item: Expr) -> SignalPoints | None:
    """The SignalPoints whose rule is ``item``, if there is one."""
    if not isinstance(item, Score) or len(item.items) != 1 or not isinstance(item.items[0], Per):
        return None
    aggs = [n for n in _walk(item) if isinstance(n, SignalAgg)]
    if len(aggs) != 1:
        return None
    agg, weight = aggs[0], item.items[0].weight
    cap = item.cap if item.cap is not None else (None if item.floor is None else -item.floor)
    for frequency in ("every", "once"):
        try:
            candidate = SignalPoints(
                kinds=agg.kinds,
                points=weight,
                frequency=frequency,
                cap=cap,
                within_days=agg.within_days,
                half_life_days=agg.half_life_days,
                min_gap_days=agg.min_gap_days,
                explicit=agg.explicit,
            )
        except (ValueError, TypeError):  # RuleBuildError is a TypeError
            continue
        if candidate.to_rule().meta.eq(item):
            return candidate
    return None


def _empty(node: Expr) -> bool:
    return isinstance(node, Score) and not node.items and node.cap is None and node.name is None


def _engagement(node: Expr) -> str | EngagementScoring | None:
    if _empty(node) and node.floor is None:  # type: ignore[attr-defined]
        return None
    if isinstance(node, Score) and node.name is not None:
        found: list[SignalPoints] = []
        extra: list[Expr] = []
        for item in node.items:
            signal = None if extra else _signal_points(item)
            if signal is None:
                extra.append(item)
            else:
                found.append(signal)
        try:
            parts = (*(s.to_rule() for s in found), *extra)  # as engagement_score builds
            rebuilt = score(*parts, cap=node.cap, floor=node.floor, name=node.name)
        except (ValueError, TypeError):
            rebuilt = None
        if rebuilt is not None and rebuilt.meta.eq(node):
            return EngagementScoring(
                signals=tuple(found),
                rules=tuple(to_text(e) for e in extra),
                cap=node.cap,
                floor=node.floor,
                name=node.name,
            )
    return to_text(node)


def _fit(node: Expr) -> str | FitScoring | None:
    if _empty(node) and node.floor is None:  # type: ignore[attr-defined]
        return None
    if not isinstance(node, Score) or not node.items:
        return to_text(node)
    groups = []
    for group in node.items:
        if not isinstance(group, Score) or not all(isinstance(p, Points) for p in group.items):
            return to_text(node)
        groups.append(
            ScoreGroup(
                name=group.name,
                cap=group.cap,
                floor=group.floor,
                points=tuple(
                    ScorePoints(points=p.points, when=to_text(p.when), label=p.label)
                    for p in group.items
                    if isinstance(p, Points)
                ),
            )
        )
    return FitScoring(groups=tuple(groups), cap=node.cap, floor=node.floor, name=node.name)


def _priority(node: Expr | None) -> str | PriorityWeights | None:
    if node is None:
        return None
    if isinstance(node, Score) and len(node.items) == 2:
        fit, engagement = node.items
        if isinstance(fit, Per) and isinstance(engagement, Per):
            weights = PriorityWeights(fit=fit.weight, engagement=engagement.weight)
            rebuilt = weighted_priority(fit=weights.fit, engagement=weights.engagement)
            if rebuilt.meta.eq(node):
                return weights
    return to_text(node)


def frameworks_equal(a: Framework, b: Framework) -> bool:
    """Whether two frameworks have the same key, names, descriptions and criteria.

    Args:
        a: One framework.
        b: The other.

    Returns:
        ``True`` when every criterion matches, its rule structurally (``meta.eq``).
    """
    if (a.key, a.name, a.description, a.keys) != (b.key, b.name, b.description, b.keys):
        return False
    return all(
        (x.label, x.description, x.evidence) == (y.label, y.description, y.evidence)
        and same_rule(x.rule, y.rule)
        for x, y in zip(a.criteria, b.criteria, strict=True)
    )


def _framework(fw: Framework) -> PresetFramework | CustomFramework:
    preset = PRESET_FRAMEWORKS.get(fw.key)
    if preset is not None and frameworks_equal(fw, preset):
        return PresetFramework(preset=fw.key)
    return CustomFramework(
        key=fw.key,
        name=fw.name,
        description=fw.description,
        criteria=tuple(
            CriterionSpec(
                key=c.key,
                label=c.label,
                rule=to_text(c.rule),
                description=c.description,
                evidence=c.evidence,
            )
            for c in fw
        ),
    )


def _priority_grades(policy: Policy) -> dict[str, Any]:
    """The priority grades, written only for a policy that has a priority to grade."""
    if policy.priority is None:
        return {}
    return {"priority": policy.priority_grades, "priority_default": policy.priority_default_grade}


def policy_to_document(policy: Policy) -> PolicyDocument:
    """The document of a policy: what ``dump_policy`` writes for it.

    Rules are written as text; preset funnels and unchanged preset frameworks by name;
    engagement as signal points and fit as groups of points where the scores have those
    shapes; a priority as its weights when it is a ``weighted_priority``, else as one
    rule (a policy without a priority gets no priority and no priority grades). Loading
    the document again gives a structurally equal policy (``policies_equal``).

    Args:
        policy: Any policy.

    Returns:
        The document.

    Examples:
        >>> from funnelkit.qualify import STARTER
        >>> doc = policy_to_document(STARTER)
        >>> doc.funnel, [fw.to_data() for fw in doc.frameworks]
        ('starter', ['bant', 'opportunity'])
    """
    funnel = next((name for name, f in FUNNELS.items() if f == policy.funnel), policy.funnel)
    return PolicyDocument(
        metadata=Metadata(
            name=policy.name,
            version=policy.version,
            description=policy.description,
            owner=policy.owner,
            effective_date=policy.effective_date,
        ),
        funnel=funnel,
        fit=_fit(policy.fit),
        grades=Grades(
            fit=policy.fit_grades,
            fit_default=policy.fit_default_grade,
            engagement=policy.engagement_grades,
            engagement_default=policy.engagement_default_grade,
            **_priority_grades(policy),
        ),
        engagement=_engagement(policy.engagement),
        priority=_priority(policy.priority),
        frameworks=tuple(_framework(fw) for fw in policy.frameworks),
        definitions=tuple((name, to_text(expr)) for name, expr in policy.definitions),
        stages=tuple(
            (stage.key, StageSpec(entry=to_text(gate.entry), description=gate.description))
            for stage, gate in policy.ordered_gates
        ),
        allow_skipping=policy.allow_skipping,
        stage_map=policy.stage_map,
        reentry=None if same_rule(policy.reentry, DEFAULT_REENTRY) else to_text(policy.reentry),
        custom_attributes=policy.custom_attributes,
        signal_kinds=tuple(sorted(policy.signal_kinds)),
    )


def policies_equal(a: Policy, b: Policy) -> bool:
    """Whether two policies are structurally equal (``Policy`` compares by identity).

    Compares the metadata, the funnel, the gates (stage, rule and description), the
    frameworks (criteria, labels, descriptions, evidence) and the whole rule set
    (fit, grades, engagement, priority, definitions), ``reentry`` and the declared
    custom attributes and signal kinds, with
    ``same_rule``: a ``ref``'s kind and condition flag are hints, so ``ref("hr")``
    equals ``ref("hr", condition true)``.

    Args:
        a: One policy.
        b: The other.

    Returns:
        ``True`` when nothing differs.

    Examples:
        >>> from funnelkit.qualify import STARTER, WATERFALL
        >>> policies_equal(STARTER, STARTER), policies_equal(STARTER, WATERFALL)
        (True, False)
    """
    meta = ("name", "version", "description", "owner", "effective_date", "allow_skipping")
    if any(getattr(a, m) != getattr(b, m) for m in meta) or a.funnel != b.funnel:
        return False
    if not same_rule(a.reentry, b.reentry) or dict(a.stage_map) != dict(b.stage_map):
        return False
    if a.custom_attributes != b.custom_attributes or a.signal_kinds != b.signal_kinds:
        return False
    gates_a = [(s.key, g.description) for s, g in a.ordered_gates]
    gates_b = [(s.key, g.description) for s, g in b.ordered_gates]
    if gates_a != gates_b or len(a.frameworks) != len(b.frameworks):
        return False
    if not all(frameworks_equal(x, y) for x, y in zip(a.frameworks, b.frameworks, strict=True)):
        return False
    return same_rule(a.rules, b.rules)
