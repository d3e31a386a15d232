"""The funnels funnelkit ships as data."""

from __future__ import annotations

from funnelkit.model._enums import StageKind
from funnelkit.model._funnel import Funnel, Stage, standard_transitions

__all__ = ["STARTER_FUNNEL", "DEMAND_WATERFALL"]

_starter_stages = (
    Stage(
        key="inquiry",
        label="Inquiry",
        order=10,
        description="Identified themselves and showed some interest.",
    ),
    Stage(
        key="profiled",
        label="Profiled Lead",
        order=20,
        description="Fits the target market: size, industry, title, region.",
    ),
    Stage(
        key="sales_ready",
        label="Sales-Ready Lead",
        order=30,
        description="Has shown enough interest, explicitly or by behaviour.",
    ),
    Stage(
        key="sales_opportunity",
        label="Sales Opportunity",
        order=40,
        description="A buy/no-buy decision date can be forecast.",
    ),
    Stage(key="customer", label="Customer", order=50, kind=StageKind.WON),
    Stage(key="closed_lost", label="Closed-Lost", order=60, kind=StageKind.LOST),
    Stage(key="nurture", label="Nurture", order=70, kind=StageKind.NURTURE),
    Stage(key="disqualified", label="Disqualified", order=80, kind=StageKind.DISQUALIFIED),
)

STARTER_FUNNEL = Funnel(
    name="starter",
    stages=_starter_stages,
    transitions=standard_transitions(
        ("inquiry", "profiled", "sales_ready", "sales_opportunity"),
        won="customer",
        lost="closed_lost",
        nurture="nurture",
        disqualified="disqualified",
    ),
)
"""The four-level starter funnel: Inquiry, Profiled Lead, Sales-Ready Lead, Sales
Opportunity, then Customer or Closed-Lost, with Nurture and Disqualified on the side."""

_waterfall_stages = (
    Stage(key="inquiry", label="Inquiry", order=10),
    Stage(key="mql", label="Marketing Qualified Lead", order=20),
    Stage(key="sal", label="Sales Accepted Lead", order=30),
    Stage(key="sql", label="Sales Qualified Lead", order=40),
    Stage(key="sqo", label="Sales Qualified Opportunity", order=50),
    Stage(key="won", label="Won", order=60, kind=StageKind.WON),
    Stage(key="lost", label="Lost", order=70, kind=StageKind.LOST),
)

DEMAND_WATERFALL = Funnel(
    name="demand_waterfall",
    stages=_waterfall_stages,
    transitions=standard_transitions(
        ("inquiry", "mql", "sal", "sql", "sqo"), won="won", lost="lost"
    ),
)
"""The practitioners' demand-waterfall stages: Inquiry, MQL, SAL, SQL, SQO, then Won or
Lost."""
