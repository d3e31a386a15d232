"""ICP fit: an IdealCustomerProfile turned into rules, a 0-100 score and exclusions."""

from __future__ import annotations

from decimal import Decimal

from funnelkit.model import Band, IdealCustomerProfile, Money
from funnelkit.rules import FALSE, Expr, F, any_of, decision_table, points, rule, score

__all__ = ["icp_criteria", "icp_excluded", "icp_must_have", "icp_points", "icp_fit"]


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _in_band(field: Expr, band: Band, *, money: str | None = None) -> Expr:
    def bound(value: Decimal) -> object:
        return Money(amount=value, currency=money) if money else _number(value)

    if band.low is not None and band.high is not None:
        return field.between(bound(band.low), bound(band.high))
    if band.low is not None:
        return field >= bound(band.low)
    if band.high is not None:
        return field <= bound(band.high)
    return field.is_present()


def icp_criteria(icp: IdealCustomerProfile) -> dict[str, Expr]:
    """One condition per criterion the profile constrains, in the profile's order.

    Args:
        icp: The profile.

    Returns:
        Criterion name (see [`ICP_CRITERIA`][funnelkit.model.ICP_CRITERIA]) to condition.
        A missing fact makes its condition UNKNOWN; revenue in another currency than the
        profile's is UNKNOWN too (it cannot be compared).

    Examples:
        >>> from funnelkit.model import IdealCustomerProfile, Band
        >>> icp = IdealCustomerProfile(name="SaaS", industries={"software"},
        ...                            employee_bands=[Band(low=50, high=5000)])
        >>> icp_criteria(icp)["employees"]
        F.company.employees.between(50, 5000)
    """
    c, p = F.company, F.contact
    conditions: dict[str, Expr] = {
        "industry": c.industry.isin(icp.industries),
        "employees": any_of(*(_in_band(c.employees, b) for b in icp.employee_bands)),
        "annual_revenue": any_of(
            *(_in_band(c.annual_revenue, b, money=icp.revenue_currency) for b in icp.revenue_bands)
        ),
        "country": c.country.isin(icp.countries),
        "region": c.region.isin(icp.regions),
        "technologies": c.technologies.overlaps(icp.technologies),
        "seniority": p.seniority.isin({s.value for s in icp.seniorities}),
        "department": p.department.isin(icp.departments),
        "title": any_of(*(p.title.icontains(word) for word in sorted(icp.titles))),
    }
    return {name: conditions[name] for name in icp.criteria}


def icp_excluded(icp: IdealCustomerProfile) -> Expr:
    """The condition "the company is out of the target market" (``FALSE`` if none)."""
    c, ex = F.company, icp.exclusions
    parts: list[Expr] = []
    if ex.industries:
        parts.append(c.industry.isin(ex.industries))
    if ex.countries:
        parts.append(c.country.isin(ex.countries))
    if ex.domains:
        parts.append(c.domain.isin(ex.domains))
    if ex.tags:
        parts.append(c.tags.overlaps(ex.tags))
    if ex.technologies:
        parts.append(c.technologies.overlaps(ex.technologies))
    return any_of(*parts) if parts else FALSE


def icp_must_have(icp: IdealCustomerProfile) -> Expr:
    """The condition "some must-have criterion is not met" (``FALSE`` if none)."""
    criteria = icp_criteria(icp)
    missed = [~criteria[name] for name in sorted(icp.must_have) if name in criteria]
    return any_of(*missed) if missed else FALSE


def icp_points(icp: IdealCustomerProfile) -> dict[str, int]:
    """The points each constrained criterion gives: its weight, scaled so they sum to 100.

    Scaling keeps whole points (largest remainders get the spare points, ties in the
    profile's order), so a lead meeting every criterion scores exactly 100. A profile
    whose weights are all zero gives no points.

    Examples:
        >>> from funnelkit.model import IdealCustomerProfile
        >>> icp = IdealCustomerProfile(name="t", industries={"software"}, countries={"US"},
        ...                            departments={"sales"})
        >>> icp_points(icp)  # weights 20, 10 and 10
        {'industry': 50, 'country': 25, 'department': 25}
    """
    weights = {name: max(icp.weights.get(name, 0), 0) for name in icp.criteria}
    total = sum(weights.values())
    if total == 0:
        return dict.fromkeys(weights, 0)
    shares = {name: w * 100 / total for name, w in weights.items()}
    out = {name: int(share) for name, share in shares.items()}
    spare = 100 - sum(out.values())
    by_remainder = sorted(shares, key=lambda n: -(shares[n] - out[n]))
    for name in by_remainder[:spare]:
        out[name] += 1
    return out


def icp_fit(icp: IdealCustomerProfile) -> Expr:
    """The fit score of a profile: 0 to 100, the weights of the criteria met.

    Each constrained criterion gives its points (``icp_points``: its weight, scaled so
    that meeting every criterion scores 100) when met, nothing when unmet or unknown. An
    excluded company, or one
    that fails a must-have criterion, scores 0; an exclusion or must-have that is only
    UNKNOWN does not zero the score (its facts are listed as things to find out).

    Args:
        icp: The profile.

    Returns:
        A value rule named ``fit`` (a decision table over the score).

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Band, Company, IdealCustomerProfile, Lead
        >>> from funnelkit.rules import evaluate
        >>> icp = IdealCustomerProfile(name="SaaS", industries={"software"},
        ...                            employee_bands=[Band(low=50, high=5000)])
        >>> lead = Lead(company=Company(industry="software"))
        >>> evaluate(icp_fit(icp), lead, as_of=datetime(2026, 5, 1, tzinfo=UTC))
        57
    """
    shares = icp_points(icp)
    earned = score(
        *(
            points(shares[name], when=condition, label=name)
            for name, condition in icp_criteria(icp).items()
        ),
        floor=0,
        cap=100,
        name=f"fit to {icp.name}",
    )
    return rule(
        "fit",
        decision_table(
            [
                (rule("excluded", icp_excluded(icp)), 0),
                (rule("misses a must-have", icp_must_have(icp)), 0),
            ],
            default=earned,
        ),
        description=f"How well the lead fits the ideal customer profile {icp.name!r} (0-100).",
    )
