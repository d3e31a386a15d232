"""Test helpers for code that uses funnelkit: Hypothesis strategies for the model.

Every strategy in `funnelkit.testing.strategies` is
re-exported here, so ``from funnelkit.testing import leads`` works.

Raises:
    MissingExtraError: Hypothesis is not installed (``pip install "funnelkit[testing]"``).
"""

try:
    import hypothesis as _hypothesis
except ImportError as _error:  # pragma: no cover - exercised with a hidden hypothesis
    from funnelkit.errors import MissingExtraError

    raise MissingExtraError("testing", "hypothesis") from _error

from funnelkit.testing.strategies import (
    accounts,
    aware_datetimes,
    bants,
    companies,
    conditions,
    contacts,
    evidence,
    field_values,
    funnels,
    icps,
    leads,
    money,
    policies,
    rule_sets,
    scores,
    signals,
    stage_changes,
    stage_histories,
    stages,
    values,
    with_field,
)

del _hypothesis

__all__ = [
    "leads",
    "companies",
    "contacts",
    "accounts",
    "money",
    "signals",
    "bants",
    "evidence",
    "stages",
    "funnels",
    "stage_changes",
    "stage_histories",
    "icps",
    "aware_datetimes",
    "conditions",
    "values",
    "scores",
    "rule_sets",
    "policies",
    "field_values",
    "with_field",
]
