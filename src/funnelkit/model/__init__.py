"""The domain model: immutable value objects for leads and what is known about them.

Every class is a frozen, slotted, keyword-only attrs class. Change one with
``attrs.evolve(obj, field=new_value)``. Fields validate on construction and raise
[`ValidationError`][funnelkit.errors.ValidationError] naming the field, the expectation
and the value.
"""

from funnelkit.model._account import Account
from funnelkit.model._bant import BANT, Authority, Budget, Evidence, Need, PainPoint, Timeline
from funnelkit.model._codes import COUNTRY_CODES, CURRENCY_CODES
from funnelkit.model._company import Company
from funnelkit.model._contact import Contact
from funnelkit.model._enums import (
    STANDARD_SIGNAL_KINDS,
    UNKNOWN_MEMBER,
    AuthorityLevel,
    BudgetStatus,
    BuyingRole,
    Direction,
    Seniority,
    Severity,
    SignalKind,
    StageKind,
    is_unknown_member,
    unknown_member,
)
from funnelkit.model._frozendict import FrozenDict
from funnelkit.model._funnel import Funnel, Stage, UnknownStageError
from funnelkit.model._icp import ICP_CRITERIA, Band, Exclusions, IdealCustomerProfile
from funnelkit.model._lead import CustomEvidence, Lead, LeadSource, StageChange
from funnelkit.model._money import Money
from funnelkit.model._presets import DEMAND_WATERFALL, STARTER_FUNNEL
from funnelkit.model._redact import personal_data_shown, redact
from funnelkit.model._signal import Signal
from funnelkit.model._table import TableColumn, table_columns

__all__ = [
    "TableColumn",
    "table_columns",
    "redact",
    "personal_data_shown",
    # who
    "Company",
    "Contact",
    "Account",
    "Money",
    # what happened and what is known
    "Signal",
    "SignalKind",
    "STANDARD_SIGNAL_KINDS",
    "BANT",
    "Budget",
    "Authority",
    "Need",
    "PainPoint",
    "Timeline",
    "Evidence",
    # the record
    "Lead",
    "LeadSource",
    "StageChange",
    "CustomEvidence",
    # the funnel
    "Stage",
    "Funnel",
    "UnknownStageError",
    "STARTER_FUNNEL",
    "DEMAND_WATERFALL",
    # the target market
    "IdealCustomerProfile",
    "Band",
    "Exclusions",
    "ICP_CRITERIA",
    # vocabularies
    "Seniority",
    "BuyingRole",
    "BudgetStatus",
    "AuthorityLevel",
    "Severity",
    "StageKind",
    "Direction",
    "UNKNOWN_MEMBER",
    "unknown_member",
    "is_unknown_member",
    "COUNTRY_CODES",
    "CURRENCY_CODES",
    "FrozenDict",
]
