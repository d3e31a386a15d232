"""What rules mean: each node kind's meaning, stated once, and the operations it uses.

``strict_meaning(node)`` says what a node is when an operand is missing and which one
operation it performs on present values; ``_declare`` documents every form. The engines
(``funnelkit.rules.engines``) are walkers over the tree that read this, so they cannot
drift apart on a comparison, a rounding, a signal window or a decision table's hit policy.
"""

from funnelkit.rules.meaning._declare import STRICT, Strict, strict_meaning
from funnelkit.rules.meaning._operations import (
    COMPARE,
    DEFAULT_CURRENCY,
    NO_DEFAULT,
    QUANTUM,
    RuleEvaluationError,
    UnsupportedRuleError,
    arith,
    at_least_truth,
    bounded,
    check_as_of,
    compare,
    custom_truth,
    days_from,
    func,
    grade_of,
    matches_text,
    per_points,
    points_when,
    read_path,
    table_outcome,
    text_test,
    to_points,
)
from funnelkit.rules.meaning._signals import (
    SECONDS_PER_DAY,
    decay_weight,
    in_window,
    matching_signals,
    signal_agg,
    signal_counts,
    signal_window,
    window_start,
)

__all__ = [
    "DEFAULT_CURRENCY",
    # what each node kind means
    "Strict",
    "STRICT",
    "strict_meaning",
    # the operations
    "COMPARE",
    "QUANTUM",
    "NO_DEFAULT",
    "RuleEvaluationError",
    "UnsupportedRuleError",
    "check_as_of",
    "read_path",
    "compare",
    "to_points",
    "per_points",
    # signal windows and decay
    "SECONDS_PER_DAY",
    "signal_window",
    "in_window",
    "window_start",
    "decay_weight",
    "matching_signals",
    "signal_counts",
    "signal_agg",
    "table_outcome",
    "days_from",
    "arith",
    "func",
    "text_test",
    "matches_text",
    "grade_of",
    "points_when",
    "bounded",
    "at_least_truth",
    "custom_truth",
]
