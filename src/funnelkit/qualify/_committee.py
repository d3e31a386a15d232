"""Buying-committee coverage: which buying roles are known at an account, and rules over it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import STARTER_FUNNEL, Account, BuyingRole, Contact, Funnel, Lead, StageKind
from funnelkit.rules import SCORE_PLACES

__all__ = [
    "BUYING_COMMITTEE",
    "LEFT_OUT_STAGES",
    "counted_people",
    "COMMITTEE_COVERAGE_KEY",
    "COMMITTEE_REQUIRED_KEY",
    "CommitteeCoverage",
    "committee_coverage",
    "committee_key",
    "with_committee",
]

BUYING_COMMITTEE: frozenset[BuyingRole] = frozenset(
    {BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION}
)
"""The roles a buying committee needs by default: economic buyer, decision maker, champion."""

LEFT_OUT_STAGES: frozenset[StageKind] = frozenset({StageKind.DISQUALIFIED, StageKind.LOST})
"""Stage kinds whose leads (and their contacts) accounts leave out of roll-ups and the
buying committee by default: disqualified and closed-lost people no longer count."""

COMMITTEE_COVERAGE_KEY = "committee_coverage"
"""The ``Lead.custom`` key ``with_committee`` writes: how many required roles are known."""
COMMITTEE_REQUIRED_KEY = "committee_required"
"""The ``Lead.custom`` key ``with_committee`` writes: how many roles are required."""
_HAS = "committee_has_"
_ALLOWED = ", ".join(repr(r.value) for r in BuyingRole)


def _roles(value: object, *, path: str) -> frozenset[BuyingRole]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValidationError(
            path=path, expected=f"a set of buying roles ({_ALLOWED})", value=value
        )
    out = set()
    for item in items:
        try:
            out.add(BuyingRole(item))
        except ValueError:
            raise ValidationError(path=path, expected=f"one of {_ALLOWED}", value=item) from None
    return frozenset(out)


_ORDER = tuple(BuyingRole)


def _ordered(roles: Iterable[BuyingRole]) -> tuple[BuyingRole, ...]:
    """The roles in the order ``BuyingRole`` declares them (stable output)."""
    chosen = set(roles)
    return tuple(r for r in _ORDER if r in chosen)


def _required(value: object) -> frozenset[BuyingRole]:
    return _roles(value, path="required")


def _from_contacts(value: object) -> frozenset[BuyingRole]:
    return _roles(value, path="from_contacts")


def _from_leads(value: object) -> frozenset[BuyingRole]:
    return _roles(value, path="from_leads")


def _absent(value: object) -> frozenset[BuyingRole]:
    return _roles(value, path="absent")


def committee_key(role: BuyingRole | str) -> str:
    """The ``Lead.custom`` key that says a role is known: ``committee_has_<role>``.

    Args:
        role: A [`BuyingRole`][funnelkit.model.BuyingRole] member or its value.

    Returns:
        The key, e.g. ``committee_has_economic_buyer``.

    Raises:
        ValidationError: ``role`` is not a buying role.

    Examples:
        >>> committee_key("economic_buyer")
        'committee_has_economic_buyer'
    """
    (member,) = _roles([role], path="role")
    return f"{_HAS}{member.value}"


@attrs.frozen(kw_only=True)
class CommitteeCoverage:
    """Which roles of a buying committee are known at an account.

    A role is *known* when at least one of the account's contacts, or the contact of one
    of its leads, holds it. A role nobody is known to hold is not absent: the account
    may well have an economic buyer nobody has met yet. It is a thing to find out
    (``missing``), unless someone checked and recorded that nobody holds it
    (``Account.absent_roles``: ``absent``), as "no blocker" is recorded.

    Args:
        account_id: The account's id.
        required: The roles the committee needs (members or values).
        from_contacts: Roles held by the account's contacts.
        from_leads: Roles held by the contacts of the account's leads.
        absent: Roles checked and found absent; a role also known stays known.

    Examples:
        >>> cov = CommitteeCoverage(account_id="A-1", from_contacts={"champion"},
        ...                         from_leads={"economic_buyer", "user"})
        >>> cov.count, str(cov.share), [r.value for r in cov.missing]
        (2, '0.6667', ['decision_maker'])
    """

    account_id: str
    required: frozenset[BuyingRole] = attrs.field(default=BUYING_COMMITTEE, converter=_required)
    from_contacts: frozenset[BuyingRole] = attrs.field(factory=frozenset, converter=_from_contacts)
    from_leads: frozenset[BuyingRole] = attrs.field(factory=frozenset, converter=_from_leads)
    absent: frozenset[BuyingRole] = attrs.field(factory=frozenset, converter=_absent)

    @property
    def known_absent(self) -> frozenset[BuyingRole]:
        """Roles checked and found absent that nobody is known to hold (no blocker)."""
        return self.absent - self.known

    @property
    def lacking(self) -> tuple[BuyingRole, ...]:
        """The required roles checked and found absent: a known gap, not a fact to find."""
        return _ordered(self.required & self.known_absent)

    @property
    def known(self) -> frozenset[BuyingRole]:
        """Every role known at the account, required or not (a blocker too)."""
        return self.from_contacts | self.from_leads

    @property
    def covered(self) -> tuple[BuyingRole, ...]:
        """The required roles that are known, in ``BuyingRole`` order."""
        return _ordered(self.required & self.known)

    @property
    def missing(self) -> tuple[BuyingRole, ...]:
        """The required roles nobody is known to hold and nobody checked, in order."""
        return _ordered(self.required - self.known - self.absent)

    @property
    def count(self) -> int:
        """How many required roles are known."""
        return len(self.covered)

    @property
    def share(self) -> Decimal:
        """The share of required roles known, 0 to 1, rounded to ``SCORE_PLACES`` places.

        With no required roles the committee is complete: the share is 1.
        """
        if not self.required:
            return Decimal(1)
        ratio = Decimal(self.count) / Decimal(len(self.required))
        return ratio.quantize(Decimal(1).scaleb(-SCORE_PLACES), rounding=ROUND_HALF_EVEN)

    @property
    def is_complete(self) -> bool:
        """Whether every required role is known."""
        return self.required <= self.known

    def has(self, role: BuyingRole | str) -> bool:
        """Whether a role (required or not) is known at the account."""
        (member,) = _roles([role], path="role")
        return member in self.known

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the role sets as sorted lists, the count and the share."""
        share = self.share
        return {
            "account_id": self.account_id,
            "required": [r.value for r in _ordered(self.required)],
            "from_contacts": [r.value for r in _ordered(self.from_contacts)],
            "from_leads": [r.value for r in _ordered(self.from_leads)],
            "absent": [r.value for r in _ordered(self.absent)],
            "covered": [r.value for r in self.covered],
            "missing": [r.value for r in self.missing],
            "lacking": [r.value for r in self.lacking],
            "count": self.count,
            "share": int(share) if share == share.to_integral_value() else str(share),
        }

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict`` as JSON (keyword arguments go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        text = f"{self.count} of {len(self.required)} buying roles known"
        if self.covered:
            text += " (" + ", ".join(r.value.replace("_", " ") for r in self.covered) + ")"
        if self.missing:
            text += "; missing " + ", ".join(r.value.replace("_", " ") for r in self.missing)
        if self.known_absent:
            names = ", ".join(r.value.replace("_", " ") for r in _ordered(self.known_absent))
            text += f"; checked, none: {names}"
        return text


def committee_coverage(
    account: Account,
    leads: Iterable[Lead] = (),
    *,
    required: Iterable[BuyingRole | str] = BUYING_COMMITTEE,
    funnel: Funnel = STARTER_FUNNEL,
    leave_out: Iterable[StageKind | str] = LEFT_OUT_STAGES,
    count_opted_out: bool = False,
) -> CommitteeCoverage:
    """Report which roles of the buying committee are known at an account.

    People who no longer count are left out (see ``counted_people``): the contacts of
    leads in a disqualified or lost stage, and opted-out contacts, so a departed
    economic buyer is not a known one.

    Args:
        account: The account; its contacts' roles count.
        leads: Any leads: the contacts of those that belong to the account (whose
            ``company_id`` is the account's id) count too; the others are ignored.
        required: The roles the committee needs (members or values);
            ``BUYING_COMMITTEE`` by default.
        funnel: The funnel the leads' stages belong to (the starter funnel by default).
        leave_out: Stage kinds whose leads do not count (``LEFT_OUT_STAGES``: disqualified
            and lost); empty to count every lead.
        count_opted_out: Count opted-out contacts too.

    Returns:
        The coverage.

    Raises:
        ValidationError: ``required`` names something that is not a buying role, or
            ``leave_out`` something that is not a stage kind.

    Examples:
        >>> from funnelkit.model import Account, Contact, Lead
        >>> acct = Account(id="A-1", contacts=[Contact(buying_roles=["champion"])])
        >>> boss = Lead(account_id="A-1", contact=Contact(buying_roles=["economic_buyer"]))
        >>> print(committee_coverage(acct, [boss]))
        2 of 3 buying roles known (economic buyer, champion); missing decision maker
    """
    counted, _, contacts = counted_people(
        account,
        list(account.leads_in(leads)),
        stage_kind=lambda key: funnel.stage(key).kind if key in funnel else None,
        leave_out=leave_out,
        count_opted_out=count_opted_out,
    )
    return _coverage(account, counted, required, contacts)


def _stage_kinds(value: Iterable[StageKind | str]) -> frozenset[StageKind]:
    items = [value] if isinstance(value, str) else value
    out = set()
    for item in items:
        try:
            out.add(StageKind(item))
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in StageKind)
            raise ValidationError(
                path="leave_out", expected=f"stage kinds from {allowed}", value=item
            ) from None
    return frozenset(out)


def _identities(contact: Contact) -> set[str]:
    found = set()
    if contact.id is not None:
        found.add(f"id:{contact.id}")
    if contact.email is not None:
        found.add(f"email:{contact.email.casefold()}")
    return found


def counted_people(
    account: Account,
    own: Sequence[Lead],
    *,
    stage_kind: Callable[[str], StageKind | None],
    leave_out: Iterable[StageKind | str] = LEFT_OUT_STAGES,
    count_opted_out: bool = False,
) -> tuple[tuple[Lead, ...], tuple[Lead, ...], tuple[Contact, ...]]:
    """Split an account's leads and contacts into those that count and those left out.

    A lead is left out when its stage is of a kind in ``leave_out`` (a disqualified or
    closed-lost lead), or, unless ``count_opted_out``, its contact opted out. An
    account contact is left out when it opted out (unless ``count_opted_out``) or is
    the contact of a left-out lead (same contact id or e-mail address).

    Args:
        account: The account.
        own: The account's own leads.
        stage_kind: The kind of a stage key (``None`` for a stage the funnel lacks).
        leave_out: Stage kinds whose leads do not count.
        count_opted_out: Count opted-out contacts too.

    Returns:
        The leads that count, the leads left out, and the contacts that count.

    Raises:
        ValidationError: ``leave_out`` holds something that is not a stage kind.
    """
    kinds = _stage_kinds(leave_out)
    counted: list[Lead] = []
    dropped: list[Lead] = []
    for lead in own:
        kind = stage_kind(lead.stage) if lead.stage is not None else None
        opted_out = lead.contact is not None and lead.contact.opted_out
        if kind in kinds or (opted_out and not count_opted_out):
            dropped.append(lead)
        else:
            counted.append(lead)
    gone = {
        key for lead in dropped if lead.contact is not None for key in _identities(lead.contact)
    }
    contacts = tuple(
        c
        for c in account.contacts
        if not (c.opted_out and not count_opted_out) and not (_identities(c) & gone)
    )
    return tuple(counted), tuple(dropped), contacts


def _coverage(
    account: Account,
    own: Iterable[Lead],
    required: Iterable[BuyingRole | str],
    contacts: Iterable[Contact] | None = None,
) -> CommitteeCoverage:
    """Coverage from leads already known to belong to the account (and that count)."""
    from_leads = {
        role for lead in own if lead.contact is not None for role in lead.contact.buying_roles
    }
    people = account.contacts if contacts is None else contacts
    return CommitteeCoverage(
        account_id=account.id,
        required=required,
        from_contacts={role for c in people for role in c.buying_roles},
        from_leads=from_leads,
        absent=account.absent_roles,
    )


def with_committee(lead: Lead, coverage: CommitteeCoverage) -> Lead:
    """Return the lead with its account's buying committee in ``custom``, for rules to read.

    Rules read a lead, not an account, so the committee travels as documented
    ``Lead.custom`` keys:

    * ``committee_coverage`` (int): how many required roles are known;
    * ``committee_required`` (int): how many roles are required;
    * ``committee_has_<role>`` (``True``): one key per role known at the account
      (required or not: ``committee_has_blocker`` too);
    * ``committee_has_<role>`` (``False``): one key per role checked and found absent
      (``Account.absent_roles``), so "no known blocker" can be TRUE.

    A role nobody is known to hold, and nobody checked, gets **no** key, so a rule such as
    ``F.custom["committee_has_economic_buyer"] == True`` is *unknown* rather than false
    for it, and ``qualify`` lists ``custom.committee_has_economic_buyer`` among the
    facts to find out. These keys (every ``committee_has_*`` key) are replaced if the
    lead already had them; its other custom fields are kept. The lead itself is never
    changed.

    Args:
        lead: A lead of the account (or one with no company id at all).
        coverage: The account's coverage (from ``committee_coverage``).

    Returns:
        A new lead.

    Raises:
        ValidationError: The lead belongs to another account.

    Examples:
        >>> from funnelkit.model import Lead
        >>> cov = CommitteeCoverage(account_id="A-1", from_contacts={"champion"})
        >>> dict(with_committee(Lead(account_id="A-1", custom={"tier": "gold"}), cov).custom)
        {'tier': 'gold', 'committee_coverage': 1, 'committee_required': 3, 'committee_has_champion': True}
    """  # noqa: E501
    if lead.company_id is not None and lead.company_id != coverage.account_id:
        raise ValidationError(
            path="company_id",
            expected=f"a lead of account {coverage.account_id!r}",
            value=lead.company_id,
        )
    return _attach(lead, _committee_fields(coverage))


def _committee_fields(coverage: CommitteeCoverage) -> dict[str, object]:
    """The ``Lead.custom`` entries ``with_committee`` writes for a coverage."""
    fields: dict[str, object] = {
        COMMITTEE_COVERAGE_KEY: coverage.count,
        COMMITTEE_REQUIRED_KEY: len(coverage.required),
    }
    for role in _ordered(coverage.known):
        fields[f"{_HAS}{role.value}"] = True
    for role in _ordered(coverage.known_absent):
        fields[f"{_HAS}{role.value}"] = False
    return fields


def _attach(lead: Lead, fields: dict[str, object]) -> Lead:
    """The lead with ``fields`` in place of its committee keys (no account check)."""
    custom = {k: v for k, v in lead.custom.items() if not _is_committee_key(k)}
    custom.update(fields)
    return attrs.evolve(lead, custom=custom)


def _is_committee_key(key: str) -> bool:
    return key in (COMMITTEE_COVERAGE_KEY, COMMITTEE_REQUIRED_KEY) or key.startswith(_HAS)
