"""Accounts: a company with its contacts, the buying committee."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from funnelkit.errors import ValidationError
from funnelkit.model import _checks, _converters
from funnelkit.model._company import Company
from funnelkit.model._contact import Contact
from funnelkit.model._enums import BuyingRole
from funnelkit.model._lead import Lead

__all__ = ["Account"]


@attrs.frozen(kw_only=True)
class Account:
    """A company and the people at it: several contacts and leads can share one account.

    Args:
        id: The account id; leads point at it with ``Lead.account_id`` or through an
            embedded company with the same id.
        company: The company's facts.
        contacts: The people known at the company (the buying committee).
        absent_roles: Buying roles someone checked and found nobody holds (``blocker``:
            no one is against the purchase). A role no contact holds is otherwise
            unknown, a fact to find out; none of the contacts may hold these.

    Examples:
        >>> acct = Account(id="A-1", contacts=[Contact(buying_roles=["champion"]),
        ...                                    Contact(buying_roles=["economic_buyer"])])
        >>> sorted(acct.buying_roles)
        [<BuyingRole.CHAMPION: 'champion'>, <BuyingRole.ECONOMIC_BUYER: 'economic_buyer'>]
    """

    id: str = attrs.field(validator=_checks.text(optional=False, max_length=200))
    company: Company | None = attrs.field(
        default=None, validator=_checks.of_type(Company, optional=True)
    )
    contacts: tuple[Contact, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(Contact)
    )
    absent_roles: frozenset[BuyingRole] = attrs.field(
        factory=frozenset,
        converter=_converters.to_buying_roles,
        validator=_checks.enum_set(BuyingRole),
    )

    @absent_roles.validator
    def _check_absent(
        self, _attribute: attrs.Attribute[object], value: frozenset[BuyingRole]
    ) -> None:
        held = sorted(role.value for role in value & self.buying_roles)
        if held:
            raise ValidationError(
                path="absent_roles",
                expected="roles none of the account's contacts holds",
                value=held[0],
            )

    @property
    def buying_roles(self) -> frozenset[BuyingRole]:
        """Every buying role held by at least one of the account's contacts."""
        return frozenset(role for c in self.contacts for role in c.buying_roles)

    def leads_in(self, leads: Iterable[Lead]) -> Iterator[Lead]:
        """Yield the leads that belong to this account.

        Args:
            leads: Any leads.

        Yields:
            The leads whose ``company_id`` is this account's id.
        """
        return (lead for lead in leads if lead.company_id == self.id)
