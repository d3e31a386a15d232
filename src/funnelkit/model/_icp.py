"""The ideal customer profile: the target market, as data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model import _checks, _converters
from funnelkit.model._enums import Seniority
from funnelkit.model._frozendict import FrozenDict

__all__ = ["Band", "Exclusions", "IdealCustomerProfile", "ICP_CRITERIA"]

ICP_CRITERIA: frozenset[str] = frozenset(
    {
        "industry",
        "employees",
        "annual_revenue",
        "country",
        "region",
        "technologies",
        "seniority",
        "department",
        "title",
    }
)
"""The criteria an [`IdealCustomerProfile`][funnelkit.model.IdealCustomerProfile] can weigh."""


@attrs.frozen(kw_only=True)
class Band:
    """An inclusive numeric range; an open end is ``None``.

    Args:
        low: The smallest value in the band, or ``None`` for no lower bound.
        high: The largest value in the band, or ``None`` for no upper bound.

    Examples:
        >>> band = Band(low=50, high=5000)
        >>> band.contains(50), band.contains(5001)
        (True, False)
    """

    low: Decimal | None = attrs.field(
        default=None,
        converter=_converters.lenient_optional_decimal,
        validator=_checks.decimal_amount(optional=True),
    )
    high: Decimal | None = attrs.field(
        default=None,
        converter=_converters.lenient_optional_decimal,
        validator=_checks.decimal_amount(optional=True),
    )

    @high.validator
    def _check_order(self, _attribute: attrs.Attribute[object], value: Decimal | None) -> None:
        if self.low is not None and value is not None and value < self.low:
            raise ValidationError(
                path="high", expected=f"a number >= low ({self.low})", value=value
            )

    def contains(self, value: int | Decimal) -> bool:
        """Whether ``value`` lies in the band, ends included."""
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def _str_set() -> frozenset[str]:
    return attrs.field(
        factory=frozenset, converter=_converters.to_frozenset, validator=_checks.set_of(str)
    )


def _check_country_codes(
    _inst: object, attribute: attrs.Attribute[Any], value: frozenset[str]
) -> None:
    for code in sorted(value):
        if code not in _checks.COUNTRY_CODES:
            raise ValidationError(
                path=attribute.name,
                expected="ISO 3166-1 alpha-2 country codes such as 'US'",
                value=code,
            )


def _to_domains(value: object) -> object:
    """Normalise each domain like ``Company.domain``, so that exclusions can match."""
    items = _converters.to_frozenset(value)  # type: ignore[arg-type]
    if isinstance(items, frozenset):
        return frozenset(_converters.normalise_domain(item) for item in items)
    return items


def _check_domains(_inst: object, attribute: attrs.Attribute[Any], value: frozenset[str]) -> None:
    for item in sorted(value):
        _checks.domain(_inst, attribute, item)


@attrs.frozen(kw_only=True)
class Exclusions:
    """Who is out of the target market whatever else they match.

    Args:
        industries: Excluded industries.
        countries: Excluded countries (ISO codes).
        domains: Excluded company domains (competitors, existing customers), normalised
            like [`Company.domain`][funnelkit.model.Company].
        tags: Excluded company tags (``competitor_customer``, ...).
        technologies: Excluded technologies.
    """

    industries: frozenset[str] = _str_set()
    countries: frozenset[str] = attrs.field(
        factory=frozenset,
        converter=_converters.to_frozenset,
        validator=[_checks.set_of(str), _check_country_codes],
    )
    domains: frozenset[str] = attrs.field(
        factory=frozenset, converter=_to_domains, validator=[_checks.set_of(str), _check_domains]
    )
    tags: frozenset[str] = _str_set()
    technologies: frozenset[str] = _str_set()


_DEFAULT_WEIGHTS: FrozenDict[str, int] = FrozenDict(
    {
        "industry": 20,
        "employees": 15,
        "annual_revenue": 10,
        "country": 10,
        "region": 5,
        "technologies": 5,
        "seniority": 15,
        "department": 10,
        "title": 10,
    }
)


def _to_weights(value: object) -> object:
    if value is None:
        return _DEFAULT_WEIGHTS
    if isinstance(value, dict):
        return FrozenDict(value)
    return value


def _check_weights(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, FrozenDict):
        raise ValidationError(
            path=attribute.name, expected="a mapping of criterion to points", value=value
        )
    for key, points in value.items():
        if key not in ICP_CRITERIA:
            raise ValidationError(
                path=f"{attribute.name}.{key}",
                expected=f"a criterion from {sorted(ICP_CRITERIA)}",
                value=key,
            )
        if isinstance(points, bool) or not isinstance(points, int):
            raise FieldTypeError(path=f"{attribute.name}.{key}", expected="int", value=points)


@attrs.frozen(kw_only=True)
class IdealCustomerProfile:
    """The target market as data: who fits, how much each criterion weighs, who is out.

    An empty criterion (no industries, no bands, ...) means "any": it neither adds points
    nor excludes. The rule engine turns a profile into a scored rule set.

    Args:
        name: The profile's name.
        industries: Industries that fit.
        employee_bands: Head-count bands that fit (any band matches).
        revenue_bands: Annual-revenue bands that fit, in ``revenue_currency``.
        revenue_currency: The currency of ``revenue_bands``.
        countries: Countries that fit (ISO 3166-1 alpha-2).
        regions: Sales regions that fit.
        technologies: Technologies whose use signals fit (any one matches).
        seniorities: Contact seniorities that fit.
        departments: Contact departments that fit.
        titles: Keywords that fit in a job title (matched case-insensitively).
        exclusions: Who is out whatever else matches.
        must_have: Criteria a lead must meet to fit at all.
        weights: Points per criterion; see [`ICP_CRITERIA`][funnelkit.model.ICP_CRITERIA].

    Examples:
        >>> icp = IdealCustomerProfile(name="mid-market SaaS", industries={"software"},
        ...                            employee_bands=[Band(low=50, high=5000)])
        >>> icp.weights["industry"], icp.criteria
        (20, ('industry', 'employees'))
    """

    name: str = attrs.field(validator=_checks.text(optional=False, max_length=200))
    industries: frozenset[str] = _str_set()
    employee_bands: tuple[Band, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(Band)
    )
    revenue_bands: tuple[Band, ...] = attrs.field(
        factory=tuple, converter=_converters.to_tuple, validator=_checks.tuple_of(Band)
    )
    revenue_currency: str = attrs.field(default="USD", validator=_checks.currency_code)
    countries: frozenset[str] = attrs.field(
        factory=frozenset,
        converter=_converters.to_frozenset,
        validator=[_checks.set_of(str), _check_country_codes],
    )
    regions: frozenset[str] = _str_set()
    technologies: frozenset[str] = _str_set()
    seniorities: frozenset[Seniority] = attrs.field(
        factory=frozenset,
        converter=_converters.to_seniorities,
        validator=_checks.enum_set(Seniority),
    )
    departments: frozenset[str] = _str_set()
    titles: frozenset[str] = _str_set()
    exclusions: Exclusions = attrs.field(factory=Exclusions, validator=_checks.of_type(Exclusions))
    must_have: frozenset[str] = attrs.field(
        factory=frozenset, converter=_converters.to_frozenset, validator=_checks.set_of(str)
    )
    weights: FrozenDict[str, int] = attrs.field(
        default=_DEFAULT_WEIGHTS, converter=_to_weights, validator=_check_weights
    )

    @must_have.validator
    def _check_must_have(self, _attribute: attrs.Attribute[object], value: frozenset[str]) -> None:
        for name in sorted(value, key=repr):
            if name not in ICP_CRITERIA:
                raise ValidationError(
                    path="must_have",
                    expected=f"criteria from {sorted(ICP_CRITERIA)}",
                    value=name,
                )

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria this profile actually constrains, in a stable order."""
        present = {
            "industry": self.industries,
            "employees": self.employee_bands,
            "annual_revenue": self.revenue_bands,
            "country": self.countries,
            "region": self.regions,
            "technologies": self.technologies,
            "seniority": self.seniorities,
            "department": self.departments,
            "title": self.titles,
        }
        return tuple(name for name, values in present.items() if values)
