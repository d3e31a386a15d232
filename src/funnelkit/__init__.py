"""funnelkit: B2B lead qualification with explainable, compilable rules.

The names here cover the common path: the model, rules (``F``), policies and their
presets, ``qualify`` and ``explain``, reading leads and policy files. Everything else
lives in its sub-package (``funnelkit.model``, ``funnelkit.rules``, ``funnelkit.io``, ...).

Examples:
    >>> from datetime import UTC, datetime
    >>> from funnelkit import STARTER, Company, Lead, Signal, qualify
    >>> demo = Signal(kind="demo_request", occurred_at=datetime(2026, 1, 2, tzinfo=UTC))
    >>> lead = Lead(
    ...     id="L-1",
    ...     company=Company(industry="software", employees=120, country="US"),
    ...     signals=(demo,),
    ... )
    >>> q = qualify(lead, STARTER, as_of=datetime(2026, 1, 5, tzinfo=UTC))
    >>> q.stage, q.fit, q.engagement
    ('sales_ready', 53, 30)
    >>> q.next_facts[0].path
    'bant.authority.level'
"""

from funnelkit._version import __version__
from funnelkit.errors import FunnelkitError, RecordError, ValidationError
from funnelkit.io import read_leads
from funnelkit.model import (
    BANT,
    DEMAND_WATERFALL,
    STARTER_FUNNEL,
    Account,
    Company,
    Contact,
    Funnel,
    IdealCustomerProfile,
    Lead,
    Money,
    Signal,
    Stage,
)
from funnelkit.policy import load_policy
from funnelkit.qualify import (
    BANT_GATED,
    STARTER,
    WATERFALL,
    Policy,
    Qualification,
    qualify,
    qualify_many,
)
from funnelkit.rules import F, explain

__all__ = [
    "__version__",
    # rules, policies, qualification
    "F",
    "Policy",
    "qualify",
    "qualify_many",
    "Qualification",
    "explain",
    "STARTER",
    "WATERFALL",
    "BANT_GATED",
    # reading
    "read_leads",
    "load_policy",
    # the model
    "Lead",
    "Company",
    "Contact",
    "Account",
    "Money",
    "Signal",
    "BANT",
    "IdealCustomerProfile",
    "Stage",
    "Funnel",
    "STARTER_FUNNEL",
    "DEMAND_WATERFALL",
    "FunnelkitError",
    "ValidationError",
    "RecordError",
]
