"""Qualification: policies, ICP fit, engagement, frameworks and the funnel, applied to leads.

Examples:
    >>> from funnelkit.data import DEMO_AS_OF, load_demo
    >>> from funnelkit.qualify import STARTER, qualify
    >>> q = qualify(load_demo()[0], STARTER, as_of=DEMO_AS_OF)
    >>> q.policy
    'starter@1'
"""

from funnelkit.qualify._accounts import (
    AccountQualification,
    AccountResults,
    qualify_account,
    qualify_accounts,
)
from funnelkit.qualify._advance import (
    Advance,
    Event,
    MoveError,
    StageChanged,
    ThresholdCrossed,
    advance,
    close_lost,
    close_won,
    disqualify,
    move,
    recycle,
)
from funnelkit.qualify._committee import (
    BUYING_COMMITTEE,
    COMMITTEE_COVERAGE_KEY,
    COMMITTEE_REQUIRED_KEY,
    LEFT_OUT_STAGES,
    CommitteeCoverage,
    committee_coverage,
    committee_key,
    counted_people,
    with_committee,
)
from funnelkit.qualify._declared import (
    CUSTOM_TYPES,
    STANDARD_CUSTOM_FACTS,
    UndeclaredName,
    type_problems,
)
from funnelkit.qualify._engagement import (
    HAND_RAISES,
    PROACTIVE,
    STANDARD_ENGAGEMENT,
    SignalPoints,
    engagement_score,
)
from funnelkit.qualify._fit import icp_criteria, icp_excluded, icp_fit, icp_must_have, icp_points
from funnelkit.qualify._many import qualify_many
from funnelkit.qualify._policy import (
    ENGAGEMENT_BANDS,
    GRADE_BANDS,
    NOT_NUMBER_KINDS,
    PRIORITY_BANDS,
    Policy,
    PolicyError,
    StageGate,
    weighted_priority,
)
from funnelkit.qualify._policy import RESERVED as RESERVED_OUTPUTS
from funnelkit.qualify._presets import BANT_GATED, DEFAULT_ICP, PRESETS, STARTER, WATERFALL
from funnelkit.qualify._qualify import current_facts, qualify
from funnelkit.qualify._recycle import DEFAULT_REENTRY, NEW_EVIDENCE, since_last_move
from funnelkit.qualify._result import CriterionResult, NextFact, Qualification, result_row, shown
from funnelkit.qualify._rollup import ENGAGEMENT_ROLLUP, FIT_ROLLUP, Rollup
from funnelkit.qualify._table import policy_sql, qualify_frame, qualify_table

__all__ = [
    # names the policy files and the CLI share
    "RESERVED_OUTPUTS",
    "NOT_NUMBER_KINDS",
    "shown",
    # running
    "qualify",
    "qualify_many",
    "qualify_frame",
    "qualify_table",
    "policy_sql",
    "result_row",
    "current_facts",
    "since_last_move",
    "DEFAULT_REENTRY",
    "NEW_EVIDENCE",
    "Qualification",
    "CriterionResult",
    "NextFact",
    # moving through the funnel
    "advance",
    "Advance",
    "move",
    "recycle",
    "disqualify",
    "close_lost",
    "close_won",
    "StageChanged",
    "ThresholdCrossed",
    "Event",
    "MoveError",
    # policies
    "Policy",
    "StageGate",
    "PolicyError",
    "GRADE_BANDS",
    "ENGAGEMENT_BANDS",
    "PRIORITY_BANDS",
    "weighted_priority",
    "CUSTOM_TYPES",
    "STANDARD_CUSTOM_FACTS",
    "UndeclaredName",
    "type_problems",
    "STARTER",
    "WATERFALL",
    "BANT_GATED",
    "PRESETS",
    "DEFAULT_ICP",
    # fit
    "icp_fit",
    "icp_criteria",
    "icp_excluded",
    "icp_must_have",
    "icp_points",
    # engagement
    "SignalPoints",
    "engagement_score",
    "STANDARD_ENGAGEMENT",
    "HAND_RAISES",
    "PROACTIVE",
    # accounts
    "qualify_account",
    "qualify_accounts",
    "AccountQualification",
    "AccountResults",
    "Rollup",
    "FIT_ROLLUP",
    "ENGAGEMENT_ROLLUP",
    "CommitteeCoverage",
    "committee_coverage",
    "with_committee",
    "committee_key",
    "BUYING_COMMITTEE",
    "COMMITTEE_COVERAGE_KEY",
    "COMMITTEE_REQUIRED_KEY",
    "LEFT_OUT_STAGES",
    "counted_people",
]
