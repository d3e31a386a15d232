"""The rule engine: inspectable rule trees, three-valued logic, scoring, explanations.

Build rules from fields and operators; they evaluate nothing until asked::

    >>> from funnelkit.rules import F, points, score
    >>> fit = score(
    ...     points(20, when=F.company.industry.isin({"software", "fintech"})),
    ...     points(15, when=F.company.employees.between(50, 5000)),
    ... )
    >>> fit
    score(points(20, when=F.company.industry.isin({'fintech', 'software'})), points(15, when=F.company.employees.between(50, 5000)))

The same rules can be written as text, as policy files do (see the condition syntax
reference); ``str(rule)`` prints that form and ``parse_rule`` reads it back::

    >>> print(fit)
    score(20 points when company.industry in ["fintech", "software"], 15 points when company.employees between 50 and 5000)
    >>> parse_rule(str(fit)).meta.eq(fit)
    True

Evaluate with the reference interpreter (``evaluate``), with a trace (``explain``) or
with a compiled evaluator (``compile_rule``): all three give the same results.
"""  # noqa: E501

from funnelkit.rules._compile import CompiledRule, compile_rule
from funnelkit.rules._explain import Explanation, TraceNode, explain
from funnelkit.rules._expr import Expr, F, RuleBuildError, lit
from funnelkit.rules._interpret import evaluate
from funnelkit.rules._lexer import ConditionSyntaxError, SyntaxLimits
from funnelkit.rules._meta import Limits, RuleLimitError
from funnelkit.rules._named import (
    UnknownRuleError,
    custom_rule,
    ref,
    registered_rule,
    rule,
    rule_set,
)
from funnelkit.rules._nodes import (
    FALSE,
    TRUE,
    UNKNOWN,
    all_of,
    any_of,
    at_least,
    maximum,
    minimum,
    none_of,
    not_,
)
from funnelkit.rules._operations import RuleEvaluationError
from funnelkit.rules._parser import parse_condition, parse_rule
from funnelkit.rules._paths import UnknownFieldError, known_paths
from funnelkit.rules._printer import to_text
from funnelkit.rules._regex import UnsafePatternError
from funnelkit.rules._scoring import SCORE_PLACES, grade, per, points, score
from funnelkit.rules._signals import signals
from funnelkit.rules._tables import HIT_POLICIES, decision_table
from funnelkit.rules._truth import Truth

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
    # errors
    "RuleBuildError",
    "RuleEvaluationError",
    "RuleLimitError",
    "UnknownFieldError",
    "UnsafePatternError",
    "UnknownRuleError",
    "ConditionSyntaxError",
]
