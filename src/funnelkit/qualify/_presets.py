"""Policies funnelkit ships: the starter funnel, the demand waterfall, a BANT-gated one."""

from __future__ import annotations

from funnelkit.frameworks import BANT_FRAMEWORK, OPPORTUNITY
from funnelkit.model import DEMAND_WATERFALL, STARTER_FUNNEL, Band, Exclusions, IdealCustomerProfile
from funnelkit.qualify._engagement import (
    HAND_RAISES,
    PROACTIVE,
    STANDARD_ENGAGEMENT,
    engagement_score,
)
from funnelkit.qualify._fit import icp_fit
from funnelkit.qualify._policy import Policy, StageGate
from funnelkit.rules import ref, signals

__all__ = ["DEFAULT_ICP", "STARTER", "WATERFALL", "BANT_GATED", "PRESETS"]

DEFAULT_ICP = IdealCustomerProfile(
    name="mid-market B2B software",
    industries=frozenset({"software", "fintech", "healthcare_it"}),
    employee_bands=[Band(low=50, high=5000)],
    revenue_bands=[Band(low=10_000_000)],
    countries=frozenset({"US", "CA", "GB", "DE", "FR", "NL"}),
    technologies=frozenset({"salesforce", "hubspot"}),
    seniorities=frozenset({"director", "vp", "c_level", "owner"}),
    departments=frozenset({"sales", "marketing", "revops"}),
    exclusions=Exclusions(tags=frozenset({"competitor"})),
)
"""The ICP the presets use: mid-market software companies in North America and Western
Europe, reached through sales, marketing or RevOps leaders."""

_ENGAGEMENT = engagement_score(*STANDARD_ENGAGEMENT)
_DEFINITIONS = {
    "hand_raised": signals(kind=HAND_RAISES, within=30).count() >= 1,
    "proactive": signals(kind=PROACTIVE, within=180).count() >= 1,
}
"""The presets' named rules: a hand-raise in the last 30 days, and proactive engagement
(``PROACTIVE``: not opens and clicks of our own e-mails) in the last 180 days."""
_HAND_RAISE = ref("hand_raised", condition=True)
_INTEREST = _HAND_RAISE | (ref("proactive", condition=True) & (ref("engagement") > 0))
"""The line between a list and a lead: a hand-raise, or proactive engagement that left
the engagement score above zero (an unsubscribe can take it back)."""
_INQUIRY = ref("stage_inquiry", condition=True)
_FITS = ref("fit") >= 50
_READY = _FITS & (_HAND_RAISE | (ref("engagement") >= 50))

STARTER = Policy(
    name="starter",
    version="1",
    description="The four-level starter funnel: inquiry, profiled, sales-ready, opportunity.",
    funnel=STARTER_FUNNEL,
    fit=icp_fit(DEFAULT_ICP),
    engagement=_ENGAGEMENT,
    frameworks=(BANT_FRAMEWORK, OPPORTUNITY),
    definitions=_DEFINITIONS,
    gates=(
        StageGate(
            stage="inquiry",
            entry=_INTEREST,
            description="Showed interest on their own initiative: a hand-raise, or "
            "proactive engagement (not opens and clicks of our e-mails) with engagement "
            "above 0.",
        ),
        StageGate(
            stage="profiled",
            entry=_INQUIRY & _FITS,
            description="An inquiry that fits the ideal customer profile (fit 50 or more).",
        ),
        StageGate(
            stage="sales_ready",
            entry=_INQUIRY & _READY,
            description="Fits, and raised a hand in the last 30 days or engaged strongly.",
        ),
        StageGate(
            stage="sales_opportunity",
            entry=_READY & (ref("bant_met") == 4),
            description="Sales-ready, and budget, authority, need and timeline are met.",
        ),
    ),
)
"""The starter funnel (see the docs' policy guide for each gate)."""

WATERFALL = Policy(
    name="demand_waterfall",
    version="1",
    description="The demand-waterfall stages: inquiry, MQL, SAL, SQL, SQO.",
    funnel=DEMAND_WATERFALL,
    fit=icp_fit(DEFAULT_ICP),
    engagement=_ENGAGEMENT,
    frameworks=(BANT_FRAMEWORK, OPPORTUNITY),
    definitions=_DEFINITIONS,
    allow_skipping=False,
    stage_map={
        "profiled": "mql",
        "sales_ready": "sal",
        "sales_opportunity": "sql",
        "customer": "won",
        "closed_lost": "lost",
    },
    gates=(
        StageGate(stage="inquiry", entry=_INTEREST),
        StageGate(
            stage="mql",
            entry=_FITS & (ref("engagement") >= 30),
            description="Marketing-qualified: fits and engaged (30 or more).",
        ),
        StageGate(
            stage="sal",
            entry=_HAND_RAISE | (ref("engagement") >= 60),
            description="Sales-accepted: a hand-raise, or strong engagement.",
        ),
        StageGate(
            stage="sql",
            entry=ref("bant_met") >= 3,
            description="Sales-qualified: three of the four BANT criteria met.",
        ),
        StageGate(
            stage="sqo",
            entry=(ref("bant_met") == 4) & (ref("opportunity_met") >= 4),
            description="An opportunity: BANT met and the checklist (four of five) met.",
        ),
    ),
)
"""The demand waterfall, without skipping: each stage needs the ones before it. Leads
whose history comes from the starter funnel are placed by ``stage_map``: a profiled lead
is an MQL, a sales-ready lead a SAL, a starter opportunity an SQL (the rules decide
whether it is an SQO), a customer won and a closed-lost lead lost; nurture and
disqualified have no counterpart here, so such leads are reported and left alone."""

BANT_GATED = Policy(
    name="bant_gated",
    version="1",
    description="Opportunities only when all of BANT is met; fit alone profiles.",
    funnel=STARTER_FUNNEL,
    fit=icp_fit(DEFAULT_ICP),
    engagement=_ENGAGEMENT,
    frameworks=(BANT_FRAMEWORK,),
    definitions=_DEFINITIONS,
    gates=(
        StageGate(stage="inquiry", entry=_INTEREST),
        StageGate(stage="profiled", entry=_INQUIRY & _FITS),
        StageGate(stage="sales_ready", entry=_INQUIRY & (ref("bant_met") >= 2)),
        StageGate(stage="sales_opportunity", entry=ref("bant_met") == 4),
    ),
)
"""A BANT-gated policy: two BANT criteria make a lead sales-ready, all four an
opportunity."""

PRESETS: dict[str, Policy] = {
    "starter": STARTER,
    "demand_waterfall": WATERFALL,
    "bant_gated": BANT_GATED,
}
"""The preset policies by name (the CLI's ``--policy`` accepts these names)."""
