"""Qualifying many leads lazily, stopping at or collecting the leads rules cannot handle."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal, overload

from funnelkit.errors import InvalidArgumentError
from funnelkit.model import Lead
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._qualify import qualify
from funnelkit.qualify._result import Qualification
from funnelkit.rules import RuleEvaluationError
from funnelkit.rules.meaning import check_as_of

__all__ = ["qualify_many"]


@overload
def qualify_many(
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = True,
    on_error: Literal["raise"] = "raise",
) -> Iterator[Qualification]: ...


@overload
def qualify_many(
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = True,
    on_error: Literal["collect"],
) -> Iterator[Qualification | RuleEvaluationError]: ...


def qualify_many(
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = True,
    on_error: Literal["raise", "collect"] = "raise",
) -> Iterator[Qualification] | Iterator[Qualification | RuleEvaluationError]:
    """Qualify leads one by one, lazily (any iterable, any size).

    Args:
        leads: The leads.
        policy: The policy.
        as_of: The instant, the same for every lead.
        explain: As for ``qualify``.
        on_error: ``"raise"`` stops at the first lead a rule cannot work with;
            ``"collect"`` yields its RuleEvaluationError (naming the lead and the rule)
            in its place and goes on.

    Returns:
        An iterator of one Qualification per lead, in order (or of its error).

    Raises:
        funnelkit.errors.InvalidArgumentError: ``as_of`` is not timezone-aware, or
            ``on_error`` is not ``raise`` or ``collect``.
    """
    check_as_of(as_of)
    if on_error not in ("raise", "collect"):
        raise InvalidArgumentError(
            f"on_error must be 'raise' or 'collect', got {on_error!r}",
            argument="on_error",
            value=on_error,
        )
    return _qualify_each(leads, policy, as_of, explain, collect=on_error == "collect")


def _qualify_each(
    leads: Iterable[Lead], policy: Policy, as_of: datetime, explain: bool, *, collect: bool
) -> Iterator[Any]:
    for lead in leads:
        try:
            yield qualify(lead, policy, as_of=as_of, explain=explain)
        except RuleEvaluationError as err:
            if not collect:
                raise
            yield err
