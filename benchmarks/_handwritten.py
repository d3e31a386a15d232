"""The reference policy as one plain, hand-written Python function: the benchmark baseline.

Written the way a competent engineer would write it for one policy: attribute reads,
constant frozensets, no abstraction. Every engine must return exactly what this returns,
and its speed is reported as a ratio of this function's speed. README.md states the policy
and the readings taken where it leaves room (timeline window, revenue currency).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from funnelkit.model import Lead

__all__ = ["score_lead"]

FIT_INDUSTRIES = frozenset({"software", "fintech", "healthcare_it"})
FIT_COUNTRIES = frozenset({"US", "CA", "GB", "DE", "FR", "NL"})
FIT_SENIORITIES = frozenset({"director", "vp", "c_level"})  # Seniority is a StrEnum
FIT_DEPARTMENTS = frozenset({"sales", "marketing", "revops"})
REVENUE_FLOOR = Decimal("10000000")  # USD
BUDGET_MET = frozenset({"identified", "approved"})  # BudgetStatus is a StrEnum
TIMELINE_DAYS = 90


def score_lead(lead: Lead, as_of: datetime) -> tuple[int, int, int, str]:
    """Score one lead by the reference policy.

    Args:
        lead: The lead.
        as_of: The instant "now" means; the timeline counts days from ``as_of.date()``.

    Returns:
        ``(fit, engagement, bant_met, stage)``.
    """
    # fit: a missing company or contact (or a missing field) gives no points
    fit = 0
    company = lead.company
    if company is not None:
        if company.industry in FIT_INDUSTRIES:
            fit += 20
        employees = company.employees
        if employees is not None and 50 <= employees <= 5000:
            fit += 15
        if company.country in FIT_COUNTRIES:
            fit += 10
        revenue = company.annual_revenue
        if revenue is not None and revenue.currency == "USD" and revenue.amount >= REVENUE_FLOOR:
            fit += 10
        if "salesforce" in company.technologies:
            fit += 5
        if "competitor_customer" in company.tags:
            fit -= 30
    contact = lead.contact
    if contact is not None:
        if contact.seniority in FIT_SENIORITIES:
            fit += 15
        if contact.department in FIT_DEPARTMENTS:
            fit += 10

    # engagement: signal counts by kind, capped; any unsubscribe costs 50 (a signal dated
    # after as_of has not happened yet: it counts for nothing, as in the rule engine)
    demos = pricing = downloads = replies = 0
    unsubscribed = False
    for signal in lead.signals:
        if signal.occurred_at > as_of:
            continue
        kind = signal.kind
        if kind == "pricing_page_view":
            pricing += 1
        elif kind == "content_download":
            downloads += 1
        elif kind == "email_reply":
            replies += 1
        elif kind == "demo_request":
            demos += 1
        elif kind == "unsubscribe":
            unsubscribed = True
    engagement = (
        30 * min(demos, 1) + 10 * min(pricing, 3) + 5 * min(downloads, 4) + 10 * min(replies, 2)
    )
    if unsubscribed:
        engagement -= 50

    # BANT: unknown budget, authority or timeline never counts
    bant = lead.bant
    bant_met = 0
    if bant.budget.status in BUDGET_MET:
        bant_met += 1
    if bant.authority.level == "decision_maker":
        bant_met += 1
    if bant.need.pain_points:
        bant_met += 1
    decision_date = bant.timeline.decision_date
    if decision_date is not None and 0 <= (decision_date - as_of.date()).days <= TIMELINE_DAYS:
        bant_met += 1

    # stage: the first match
    if fit >= 40:
        if engagement >= 30:
            stage = "sales_opportunity" if bant_met == 4 else "sales_ready"
        else:
            stage = "profiled"
    else:
        stage = "inquiry"
    return fit, engagement, bant_met, stage
