"""Hypothesis profiles of the test-suite, and per-test example budgets that follow them.

tests/conftest.py registers and loads the profiles (read its docstring first). A property
test whose examples are expensive asks for a smaller budget in the everyday run with
``@examples(n)``; under ``thorough`` it runs the profile's count like every other test::

    from tests._profiles import examples

    @examples(15, suppress_health_check=[HealthCheck.filter_too_much])
    @given(...)
    def test_something(...): ...
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import settings

VARIABLE = "FUNNELKIT_HYPOTHESIS_PROFILE"
"""The environment variable that names the profile to load."""

PROFILES = {"fast": 50, "thorough": 1000}
"""Each profile's default ``max_examples``."""

PROFILE = os.environ.get(VARIABLE, "fast")
"""The profile of this run."""


def examples(fast: int, **options: Any) -> settings:
    """Settings giving one test ``fast`` examples under ``fast``, at least the profile's otherwise.

    ``options`` (``suppress_health_check=...``, ``database=...``) pass on to ``settings``.
    The settings inherit from the loaded profile (``deadline=None``, ...), as a plain
    ``@settings(...)`` does.
    """
    if PROFILE == "fast":
        return settings(max_examples=fast, **options)
    return settings(max_examples=max(fast, settings.default.max_examples), **options)
