"""Hypothesis profiles of the test-suite, and per-test example budgets that follow them.

tests/conftest.py registers and loads the profiles (read its docstring first). A property
test whose examples are expensive asks for a smaller budget in the everyday run with
``@examples(n)``; under ``thorough`` it runs the profile's count like every other test::

    from tests._profiles import examples

    @examples(15, suppress_health_check=[HealthCheck.filter_too_much])
    @given(...)
    def test_something(...): ...

An existence check ("the strategy draws at least one X") asks for ``EXISTS``: it stops at
the first example found and does not shrink it (shrinking only makes a failing example
smaller, and here the example is the success).
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings

VARIABLE = "FUNNELKIT_HYPOTHESIS_PROFILE"
"""The environment variable that names the profile to load."""

DEFAULT = "ci"
"""The profile of a plain ``python3 -m pytest`` (also what CI runs)."""

ALIASES = {"fast": "ci"}
"""Former names of profiles."""

PROFILES: dict[str, dict[str, Any]] = {
    # everyday and CI: the same examples on every run (no flake unrelated to a change)
    "ci": {"max_examples": 50, "derandomize": True, "print_blob": True},
    # the everyday budget with new examples on every run, kept in .hypothesis/
    "explore": {"max_examples": 50},
    # before a release or after changing an engine or a strategy: new examples, many
    "thorough": {"max_examples": 500, "print_blob": True},
}
"""Each profile's settings.

None has a deadline or the ``too_slow`` health check: both time a test, and on a busy
machine they fail for no fault of the code (speed is measured by the benchmarks).
"""

SEED_POLICY = {
    "ci": (
        "derandomized: each test draws the same examples on every run, from a seed its own "
        "source fixes (a failure is reproduced by running it again)"
    ),
    "explore": (
        "random: new examples on every run; a failure is replayed from .hypothesis/ and "
        "pytest --hypothesis-seed=N repeats a run"
    ),
    "thorough": (
        "random: new examples on every run; a failure prints its seed and a @reproduce_failure blob"
    ),
}
"""What each profile does with seeds (printed in the pytest header)."""

COUNT_VARIABLE = "FUNNELKIT_HYPOTHESIS_EXAMPLES"
"""An optional environment variable: the loaded profile's ``max_examples`` instead."""

_name = os.environ.get(VARIABLE, DEFAULT).strip() or DEFAULT
PROFILE = ALIASES.get(_name, _name)
"""The profile of this run."""
if PROFILE not in PROFILES:
    raise ValueError(f"{VARIABLE}={_name!r}: expected one of {', '.join(PROFILES)}")
_count = os.environ.get(COUNT_VARIABLE, "").strip()
if _count:
    PROFILES[PROFILE] = {**PROFILES[PROFILE], "max_examples": int(_count)}

EVERYDAY = frozenset({"ci", "explore"})
"""The profiles in which ``examples(n)`` gives ``n`` examples."""

EXISTS = settings(
    database=None,
    max_examples=1000,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
"""Settings for ``hypothesis.find`` as an existence check: generate, never shrink."""


def examples(fast: int, **options: Any) -> settings:
    """Settings giving one test ``fast`` examples in everyday runs, the profile's otherwise.

    ``options`` (``suppress_health_check=...``, ``phases=...``) pass on to ``settings``.
    The settings inherit from the loaded profile (``deadline=None``, ``derandomize``,
    ...), as a plain ``@settings(...)`` does; health checks suppressed here add to the
    profile's (``too_slow`` stays off).
    """
    if "suppress_health_check" in options:
        options["suppress_health_check"] = [
            *settings.default.suppress_health_check,
            *options["suppress_health_check"],
        ]
    if PROFILE in EVERYDAY:
        return settings(max_examples=fast, **options)
    return settings(max_examples=max(fast, settings.default.max_examples), **options)
