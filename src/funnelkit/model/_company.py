"""The company (account firmographics) a lead belongs to."""

from __future__ import annotations

import attrs

from funnelkit.model import _checks, _converters
from funnelkit.model._money import Money

__all__ = ["Company"]


@attrs.frozen(kw_only=True)
class Company:
    """A company: who the buyer's organisation is, as firmographic and technographic facts.

    Every field is optional: a missing fact is something to find out, not an error.

    Args:
        id: Your identifier for the company (CRM account id).
        name: The company's name.
        domain: Its web domain, normalised: lower case, no scheme, no ``www.``, no path.
        industry: An industry key such as ``software`` (your own vocabulary).
        employees: Head count, ``>= 0``.
        annual_revenue: Yearly revenue as [`Money`][funnelkit.model.Money].
        country: ISO 3166-1 alpha-2 code of the headquarters, upper case (``US``).
        region: A sales region or territory name (``EMEA``, ``NA-West``).
        technologies: Technologies it uses (``salesforce``, ``hubspot``, ...).
        tags: Free labels (``competitor_customer``, ``partner``, ...).
        founded_year: The year it was founded.
        funding_stage: ``seed``, ``series_a``, ``public``, ... (your own vocabulary).

    Examples:
        >>> acme = Company(name="Acme", domain="https://www.Acme.com/about", employees=120)
        >>> acme.domain, acme.employees, acme.country
        ('acme.com', 120, None)
        >>> Company(employees=-3)
        Traceback (most recent call last):
        ...
        funnelkit.errors.ValidationError: $.employees: expected int >= 0, got -3 (int)
    """

    id: str | None = attrs.field(default=None, validator=_checks.text())
    name: str | None = attrs.field(default=None, validator=_checks.text())
    domain: str | None = attrs.field(
        default=None, converter=_converters.normalise_domain, validator=_checks.domain
    )
    industry: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    employees: int | None = attrs.field(default=None, validator=_checks.int_at_least(0))
    annual_revenue: Money | None = attrs.field(
        default=None, validator=_checks.of_type(Money, optional=True)
    )
    country: str | None = attrs.field(default=None, validator=_checks.country_code())
    region: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
    technologies: frozenset[str] = attrs.field(
        factory=frozenset, converter=_converters.to_frozenset, validator=_checks.set_of(str)
    )
    tags: frozenset[str] = attrs.field(
        factory=frozenset, converter=_converters.to_frozenset, validator=_checks.set_of(str)
    )
    founded_year: int | None = attrs.field(default=None, validator=_checks.int_between(1600, 2200))
    funding_stage: str | None = attrs.field(default=None, validator=_checks.text(max_length=200))
