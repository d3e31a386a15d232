"""The condition syntax of policy files: lexer, parser and printer.

``parse_rule(text)`` reads a rule, ``to_text(rule)`` writes one back; the two are
inverse on every tree (property-tested). See the condition syntax reference.
"""

from funnelkit.rules.syntax._lexer import FUNCTIONS, KEYWORDS, ConditionSyntaxError, SyntaxLimits
from funnelkit.rules.syntax._parser import parse_condition, parse_rule
from funnelkit.rules.syntax._printer import to_text

__all__ = [
    "parse_rule",
    "parse_condition",
    "to_text",
    "SyntaxLimits",
    "ConditionSyntaxError",
    "FUNCTIONS",
    "KEYWORDS",
]
