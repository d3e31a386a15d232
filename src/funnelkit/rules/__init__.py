"""The rule engine: inspectable rule trees, three-valued logic, scoring, explanations.

Build rules from fields and operators; they evaluate nothing until asked. Evaluate with
the reference interpreter (``evaluate``), with a trace (``explain``) or with a compiled
evaluator (``compile_rule``): all three give the same results.

Examples:
    >>> from funnelkit.rules import F, points, score
    >>> fit = score(
    ...     points(20, when=F.company.industry.isin({"software", "fintech"})),
    ...     points(15, when=F.company.employees.between(50, 5000)),
    ... )
    >>> fit
    score(points(20, when=F.company.industry.isin({'fintech', 'software'})), points(15, when=F.company.employees.between(50, 5000)))

    The same rules can be written as text, as policy files do (see the condition syntax
    reference); ``str(rule)`` prints that form and ``parse_rule`` reads it back:

    >>> print(fit)
    score(20 points when company.industry in ["fintech", "software"], 15 points when company.employees between 50 and 5000)
    >>> parse_rule(str(fit)).meta.eq(fit)
    True
"""  # noqa: E501

from funnelkit.rules import tree as _tree
from funnelkit.rules.engines.compiled import CompiledRule, compile_rule
from funnelkit.rules.engines.explain import (
    Explanation,
    TraceNode,
    explain,
)
from funnelkit.rules.engines.interpret import evaluate
from funnelkit.rules.engines.sql import SQL_DIALECTS, evaluate_table, rule_query, to_sql
from funnelkit.rules.meaning import RuleEvaluationError, UnsupportedRuleError
from funnelkit.rules.syntax import (
    ConditionSyntaxError,
    SyntaxLimits,
    parse_condition,
    parse_rule,
    to_text,
)
from funnelkit.rules.tree import (
    FALSE,
    HIT_POLICIES,
    SCORE_PLACES,
    TRUE,
    UNKNOWN,
    Expr,
    F,
    Limits,
    RuleBuildError,
    RuleLimitError,
    Truth,
    UnknownFieldError,
    UnknownRuleError,
    UnsafePatternError,
    all_of,
    any_of,
    at_least,
    custom_rule,
    decision_table,
    grade,
    known_paths,
    lit,
    maximum,
    minimum,
    none_of,
    not_,
    per,
    points,
    ref,
    registered_rule,
    rule,
    rule_set,
    score,
    signals,
)

# str(rule) prints the condition syntax, which sits above the tree: bind it here.
_tree.bind(text=to_text)

__all__ = [
    # building
    "F",
    "lit",
    "Expr",
    "TRUE",
    "FALSE",
    "UNKNOWN",
    "all_of",
    "any_of",
    "none_of",
    "not_",
    "at_least",
    "minimum",
    "maximum",
    "signals",
    "rule",
    "ref",
    "rule_set",
    "custom_rule",
    "registered_rule",
    "decision_table",
    "HIT_POLICIES",
    # scoring
    "points",
    "per",
    "score",
    "grade",
    "SCORE_PLACES",
    # text form
    "parse_rule",
    "parse_condition",
    "to_text",
    "SyntaxLimits",
    # evaluating
    "Truth",
    "evaluate",
    "explain",
    "Explanation",
    "TraceNode",
    "compile_rule",
    "CompiledRule",
    "Limits",
    "known_paths",
    # tables and SQL
    "rule_query",
    "to_sql",
    "evaluate_table",
    "SQL_DIALECTS",
    # errors
    "RuleBuildError",
    "RuleEvaluationError",
    "UnsupportedRuleError",
    "RuleLimitError",
    "UnknownFieldError",
    "UnsafePatternError",
    "UnknownRuleError",
    "ConditionSyntaxError",
]
