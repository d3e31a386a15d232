"""Recycled leads: what is new since the last stage change, and when nurture lets go.

A lead recycled to nurture still has the facts that once made it, say, a profiled lead.
Re-running the entry rules on those facts would move it straight back, undoing the
recycle the next day. So a lead in nurture comes back by rule only when the policy's
``reentry`` condition holds on what is *new* since its last stage change: signals that
happened after it, and BANT parts whose evidence was asserted after it.
"""

from __future__ import annotations

from typing import Any

import attrs

from funnelkit.model import Authority, Budget, Lead, Need, Timeline
from funnelkit.qualify._engagement import PROACTIVE
from funnelkit.rules import Expr, F, any_of, signals

__all__ = ["since_last_move", "NEW_EVIDENCE", "DEFAULT_REENTRY"]

_PARTS = (("budget", Budget), ("authority", Authority), ("need", Need), ("timeline", Timeline))

NEW_EVIDENCE: Expr = any_of(*(F(f"bant.{name}.evidence").is_present() for name, _ in _PARTS))
"""Read on the facts since the last stage change: some BANT part has evidence asserted
after it."""

DEFAULT_REENTRY: Expr = (signals(kind=PROACTIVE).count() >= 1) | NEW_EVIDENCE
"""The default ``Policy.reentry``: since it was recycled, the lead engaged proactively
(a signal of a ``PROACTIVE`` kind) or a BANT part was asserted anew."""


def since_last_move(lead: Lead) -> Lead:
    """The lead with only what is new since its last stage change.

    Signals that happened at or before the last stage change are left out, and so are
    BANT parts whose evidence was not asserted after it (a part without an
    ``asserted_at`` cannot be dated, so it is not new). The company, the contact and
    the rest are kept: they are who the lead is, not what it did.

    Args:
        lead: The lead (unchanged when it has no stage history).

    Returns:
        The lead as it would look with only the new activity.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Lead, Signal, StageChange
        >>> day = lambda d: datetime(2026, 5, d, tzinfo=UTC)
        >>> lead = Lead(
        ...     signals=[Signal(kind="demo_request", occurred_at=day(1)),
        ...              Signal(kind="question", occurred_at=day(9))],
        ...     stage_history=[StageChange(at=day(5), to_stage="nurture")],
        ... )
        >>> new = since_last_move(lead).signals
        >>> len(new), new[0].kind
        (1, 'question')
    """
    if not lead.stage_history:
        return lead
    since = lead.stage_history[-1].at
    changes: dict[str, Any] = {}
    for name, cls in _PARTS:
        evidence = getattr(lead.bant, name).evidence
        asserted = None if evidence is None else evidence.asserted_at
        if asserted is None or asserted <= since:
            changes[name] = cls()
    return attrs.evolve(
        lead,
        signals=tuple(s for s in lead.signals if s.occurred_at > since),
        bant=attrs.evolve(lead.bant, **changes),
    )
