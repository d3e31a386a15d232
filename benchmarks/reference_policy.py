"""The reference policy (see README.md) written with funnelkit's rule engine."""

from __future__ import annotations

from funnelkit.model import Money
from funnelkit.rules import F, decision_table, per, points, ref, rule_set, score, signals
from funnelkit.rules.tree._named import RuleSet

FIT = score(
    points(20, when=F.company.industry.isin({"software", "fintech", "healthcare_it"})),
    points(15, when=F.company.employees.between(50, 5000)),
    points(10, when=F.company.country.isin({"US", "CA", "GB", "DE", "FR", "NL"})),
    points(10, when=F.company.annual_revenue >= Money(amount=10_000_000, currency="USD")),
    points(5, when=F.company.technologies.contains("salesforce")),
    points(15, when=F.contact.seniority.isin({"director", "vp", "c_level"})),
    points(10, when=F.contact.department.isin({"sales", "marketing", "revops"})),
    points(-30, when=F.company.tags.contains("competitor_customer")),
    name="fit",
)

ENGAGEMENT = score(
    per(30, signals(kind="demo_request").count(limit=1)),
    per(10, signals(kind="pricing_page_view").count(limit=3)),
    per(5, signals(kind="content_download").count(limit=4)),
    per(10, signals(kind="email_reply").count(limit=2)),
    points(-50, when=signals(kind="unsubscribe").exists()),
    name="engagement",
)

BANT_MET = score(
    points(1, when=F.bant.budget.status.isin({"identified", "approved"})),
    points(1, when=F.bant.authority.level == "decision_maker"),
    points(1, when=F.bant.need.pain_points.size() >= 1),
    points(1, when=F.bant.timeline.decision_date.days_until().between(0, 90)),
    name="bant_met",
)

STAGE = decision_table(
    [
        (
            (ref("fit") >= 40) & (ref("engagement") >= 30) & (ref("bant_met") == 4),
            "sales_opportunity",
        ),
        ((ref("fit") >= 40) & (ref("engagement") >= 30), "sales_ready"),
        (ref("fit") >= 40, "profiled"),
    ],
    default="inquiry",
)

REFERENCE_POLICY: RuleSet = rule_set(fit=FIT, engagement=ENGAGEMENT, bant_met=BANT_MET, stage=STAGE)
"""fit, engagement, bant_met and stage, in that order (stage refers to the others)."""


def as_tuple(outputs: dict[str, object]) -> tuple[object, object, object, object]:
    """The (fit, engagement, bant_met, stage) tuple of a rule-set result."""
    return (outputs["fit"], outputs["engagement"], outputs["bant_met"], outputs["stage"])
