"""Qualification frameworks: BANT and its variants as named, replaceable criteria.

A [`Framework`][funnelkit.frameworks.Framework] is an ordered set of
[`Criterion`][funnelkit.frameworks.Criterion]s; each criterion is a condition that is
met, unmet or unknown for a lead. Start from a preset and adapt it with ``replace``,
``extend`` and ``without``.

Presets, each a function with keyword options and a constant with the defaults:

| constant | function | criteria |
|---|---|---|
| ``BANT_FRAMEWORK`` | ``bant()`` | budget, authority, need, timeline |
| ``OPPORTUNITY`` | ``opportunity_checklist()`` | timeline agreed, decision maker, budget, next steps, catalysing event |
| ``ANUM`` | ``anum()`` | authority, need, urgency, money |
| ``CHAMP`` | ``champ()`` | challenges, authority, money, prioritisation |
| ``FAINT`` | ``faint()`` | funds, authority, interest, need, timing |
| ``MEDDIC`` | ``meddic()`` | metrics, economic buyer, decision criteria, decision process, identify pain, champion |
| ``MEDDPICC`` | ``meddpicc()`` | MEDDIC plus paper process and competition |
| ``GPCT`` | ``gpct()`` | goals, plans, challenges, timeline |
| ``GPCTBA_CI`` | ``gpctba_ci()`` | GPCT plus budget, authority, negative consequences, positive implications |

Facts the model has no field for (MEDDIC's metrics, GPCT's goals, ...) are read from
``Lead.custom`` with [`custom_fact`][funnelkit.frameworks.custom_fact].

Examples:
    >>> from funnelkit.frameworks import BANT_FRAMEWORK, PRESET_FRAMEWORKS
    >>> BANT_FRAMEWORK.name, BANT_FRAMEWORK.keys
    ('BANT', ('budget', 'authority', 'need', 'timeline'))
    >>> PRESET_FRAMEWORKS["anum"].keys
    ('authority', 'need', 'urgency', 'money')
"""  # noqa: E501

from funnelkit.frameworks._bant import BANT_FRAMEWORK, OPPORTUNITY, bant, opportunity_checklist
from funnelkit.frameworks._framework import Criterion, Framework, UnknownCriterionError
from funnelkit.frameworks._gpct import GPCT, GPCTBA_CI, gpct, gpctba_ci
from funnelkit.frameworks._meddic import MEDDIC, MEDDPICC, meddic, meddpicc
from funnelkit.frameworks._parts import NO_VALUES, PLACEHOLDERS, custom_fact, is_placeholder
from funnelkit.frameworks._presets import PRESET_FRAMEWORKS
from funnelkit.frameworks._variants import ANUM, CHAMP, FAINT, anum, champ, faint

__all__ = [
    "Framework",
    "Criterion",
    "UnknownCriterionError",
    "custom_fact",
    "NO_VALUES",
    "PLACEHOLDERS",
    "is_placeholder",
    "PRESET_FRAMEWORKS",
    "BANT_FRAMEWORK",
    "bant",
    "OPPORTUNITY",
    "opportunity_checklist",
    "ANUM",
    "anum",
    "CHAMP",
    "champ",
    "FAINT",
    "faint",
    "MEDDIC",
    "meddic",
    "MEDDPICC",
    "meddpicc",
    "GPCT",
    "gpct",
    "GPCTBA_CI",
    "gpctba_ci",
]
