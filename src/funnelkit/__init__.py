"""funnelkit: B2B lead qualification with explainable, compilable rules.

The names here cover the common path; everything else lives in its sub-package
(``funnelkit.model``, ``funnelkit.io``, ...).

Example:
    >>> import funnelkit
    >>> lead = funnelkit.Lead(id="L-1", company=funnelkit.Company(employees=120))
    >>> lead.company.employees
    120
"""

from funnelkit._version import __version__
from funnelkit.errors import FunnelkitError, RecordError, ValidationError
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

__all__ = [
    "__version__",
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
