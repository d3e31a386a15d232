"""Policy files: qualification policies as versioned YAML or JSON, checked when loaded.

A policy file holds what a [`Policy`][funnelkit.qualify.Policy] holds (metadata, the
funnel, fit, engagement, the optional priority, frameworks, named definitions and each
stage's entry rule), with rules written in the condition syntax
(``funnelkit.rules.parse_rule``). Loading
parses and checks everything, so a bad file fails at once with every problem located
(``file:line:col: path: message``), never later while leads are qualified. Nothing in a
file is executed.

Examples:
    >>> from funnelkit.policy import dump_policy, loads_policy, policies_equal
    >>> from funnelkit.qualify import WATERFALL
    >>> policies_equal(loads_policy(dump_policy(WATERFALL, format="json"), format="json"),
    ...                WATERFALL)
    True
"""

from funnelkit.policy._diff import PolicyChange, diff_policies, render_changes
from funnelkit.policy._document import (
    FORMAT_VERSION,
    Metadata,
    PolicyDocument,
    StageSpec,
)
from funnelkit.policy._dump import EXAMPLES, SCHEMA_URL, dump_policy, example_path
from funnelkit.policy._errors import PolicyFileError, PolicyLimits, PolicyProblem
from funnelkit.policy._export import (
    frameworks_equal,
    policies_equal,
    policy_to_document,
    same_rule,
)
from funnelkit.policy._load import load_document, load_policy, loads_document, loads_policy
from funnelkit.policy._schema import policy_schema
from funnelkit.policy._specs import (
    CriterionChange,
    CriterionSpec,
    CustomFramework,
    EngagementScoring,
    FitScoring,
    Grades,
    PresetFramework,
    PriorityWeights,
    ScoreGroup,
    ScorePoints,
)

__all__ = [
    # loading and writing
    "load_policy",
    "loads_policy",
    "dump_policy",
    "load_document",
    "loads_document",
    "policy_to_document",
    "policies_equal",
    "frameworks_equal",
    "same_rule",
    "FORMAT_VERSION",
    # problems and limits
    "PolicyFileError",
    "PolicyProblem",
    "PolicyLimits",
    # the document
    "PolicyDocument",
    "Metadata",
    "FitScoring",
    "ScoreGroup",
    "ScorePoints",
    "Grades",
    "EngagementScoring",
    "PriorityWeights",
    "PresetFramework",
    "CustomFramework",
    "CriterionSpec",
    "CriterionChange",
    "StageSpec",
    # tooling
    "policy_schema",
    "diff_policies",
    "PolicyChange",
    "render_changes",
    "example_path",
    "EXAMPLES",
    "SCHEMA_URL",
]
