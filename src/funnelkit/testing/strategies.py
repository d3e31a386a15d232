"""Hypothesis strategies for every funnelkit model object.

Use them to test your own code -- rules, scoring functions, pipelines -- against every
shape of lead the model allows, including leads with little or no contact information.
Every strategy produces only valid objects, takes keyword-only options, and makes
optional fields missing often unless ``complete=True``.

Examples:
    ```python
    from hypothesis import given
    from funnelkit.testing.strategies import leads

    @given(leads())
    def test_my_rule_never_crashes(lead):
        my_rule(lead)
    ```

Needs the ``testing`` extra: ``pip install "funnelkit[testing]"``.
"""

from funnelkit.testing._facts import bants, evidence, icps, signals
from funnelkit.testing._pipeline import funnels, leads, stage_changes, stage_histories, stages
from funnelkit.testing._policies import policies
from funnelkit.testing._primitives import aware_datetimes
from funnelkit.testing._rules import (
    conditions,
    field_values,
    rule_sets,
    scores,
    values,
    with_field,
)
from funnelkit.testing._who import accounts, companies, contacts, money

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
    # rule trees
    "conditions",
    "values",
    "scores",
    "rule_sets",
    "policies",
    "field_values",
    "with_field",
]
