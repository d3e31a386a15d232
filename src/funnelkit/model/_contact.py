"""The person a lead is about."""

from __future__ import annotations

import attrs

from funnelkit._privacy import mask
from funnelkit.model import _checks, _converters
from funnelkit.model._enums import BuyingRole, Seniority

__all__ = ["Contact"]


@attrs.frozen(kw_only=True)
class Contact:
    """A person at a company: who they are, how senior, and what part they play in buying.

    Args:
        id: Your identifier for the contact.
        name: Full name.
        email: E-mail address, checked and normalised (trimmed, lower case).
        phone: Phone number as given (not reformatted).
        title: Job title as given (``VP Marketing``).
        seniority: A [`Seniority`][funnelkit.model.Seniority] member or its value.
        department: A department key such as ``marketing`` (your own vocabulary).
        buying_roles: The [`BuyingRole`][funnelkit.model.BuyingRole]s the contact holds.
        opted_out: The contact asked not to be contacted (any channel).
        email_consent: Whether the contact consented to marketing e-mail; ``None`` if
            unknown.

    Examples:
        >>> c = Contact(email=" Ana@Example.COM ", seniority="vp", buying_roles=["champion"])
        >>> c.email, c.seniority, sorted(c.buying_roles)
        ('ana@example.com', <Seniority.VP: 'vp'>, [<BuyingRole.CHAMPION: 'champion'>])
    """

    id: str | None = attrs.field(default=None, validator=_checks.text())
    name: str | None = attrs.field(default=None, validator=_checks.text())
    email: str | None = attrs.field(
        default=None,
        converter=_converters.normalise_email,
        validator=_checks.email,
        repr=mask,
    )
    phone: str | None = attrs.field(default=None, validator=_checks.text(max_length=64), repr=mask)
    title: str | None = attrs.field(default=None, validator=_checks.text(max_length=300))
    seniority: Seniority | None = attrs.field(
        default=None,
        converter=_converters.to_seniority,
        validator=_checks.member_of(Seniority, optional=True),
    )
    department: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    buying_roles: frozenset[BuyingRole] = attrs.field(
        factory=frozenset,
        converter=_converters.to_buying_roles,
        validator=_checks.enum_set(BuyingRole),
    )
    opted_out: bool = attrs.field(default=False, validator=_checks.of_type(bool))
    email_consent: bool | None = attrs.field(
        default=None, validator=_checks.of_type(bool, optional=True)
    )
