"""Placing a lead in the funnel: gates, skipping, and forward-only moves."""

from __future__ import annotations

from collections.abc import Mapping

from funnelkit.model import Funnel, StageKind
from funnelkit.qualify._policy import Policy
from funnelkit.rules import Truth

__all__ = ["rule_stage", "standing"]


def rule_stage(policy: Policy, outcomes: Mapping[str, object]) -> str | None:
    """The furthest stage the entry rules admit (``None``: none does).

    With ``allow_skipping=False`` only an unbroken run of passed gates from the first
    gated stage counts.
    """
    best = None
    for stage, _gate in policy.ordered_gates:
        if outcomes[f"stage_{stage.key}"] is Truth.TRUE:
            best = stage.key
        elif not policy.allow_skipping:
            break
    return best


def standing(funnel: Funnel, current: str | None, by_rule: str | None) -> str | None:
    """Where a lead stands: rules move it forward, never backward, never out of an outcome.

    Args:
        funnel: The funnel.
        current: The stage the lead's history ends in (``None``: no history).
        by_rule: The stage the entry rules admit.

    Returns:
        ``by_rule`` when it is further along than ``current`` and the funnel allows the
        move (from nurture too: a recycled lead comes back by rule); otherwise
        ``current``.
    """
    if by_rule is None or current == by_rule:
        return current
    if current is None or current not in funnel:
        return by_rule if current is None else current
    now = funnel.stage(current)
    target = funnel.stage(by_rule)
    if now.kind is StageKind.NURTURE:
        return by_rule if funnel.allows(current, by_rule) else current
    if not now.is_open or target.order <= now.order:
        return current
    return by_rule if funnel.allows(current, by_rule) else current
