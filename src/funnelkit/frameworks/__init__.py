"""Qualification frameworks: BANT and its variants as named, replaceable criteria.

A [`Framework`][funnelkit.frameworks.Framework] is an ordered set of
[`Criterion`][funnelkit.frameworks.Criterion]s; each criterion is a condition that is
met, unmet or unknown for a lead. Start from a preset and adapt it with ``replace``,
``extend`` and ``without``.

Example:
    >>> from funnelkit.frameworks import BANT
    >>> BANT.name, BANT.keys
    ('BANT', ('budget', 'authority', 'need', 'timeline'))
"""

from funnelkit.frameworks._bant import BANT, OPPORTUNITY, bant, opportunity_checklist
from funnelkit.frameworks._framework import Criterion, Framework, UnknownCriterionError

__all__ = [
    "Framework",
    "Criterion",
    "UnknownCriterionError",
    "BANT",
    "bant",
    "OPPORTUNITY",
    "opportunity_checklist",
]
