"""Checks of what callers pass to ``qualify`` and friends: a Lead and a Policy."""

from __future__ import annotations

from funnelkit.errors import InvalidArgumentError
from funnelkit.model import Lead
from funnelkit.qualify._policy import Policy

__all__ = ["check_lead_and_policy"]


def check_lead_and_policy(lead: object, policy: object) -> None:
    """Raise InvalidArgumentError unless ``lead`` is a Lead and ``policy`` a Policy."""
    if not isinstance(lead, Lead):
        hint = (
            " (read records with read_leads or lead_from_dict)"
            if isinstance(lead, dict | str)
            else ""
        )
        raise InvalidArgumentError(
            f"lead must be a Lead, got {type(lead).__name__}{hint}", argument="lead", value=lead
        )
    if not isinstance(policy, Policy):
        hint = " (load a file with load_policy)" if isinstance(policy, str) else ""
        raise InvalidArgumentError(
            f"policy must be a Policy, got {type(policy).__name__}{hint}",
            argument="policy",
            value=policy,
        )
