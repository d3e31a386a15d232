"""Shared test configuration: Hypothesis profiles, and how to keep the suite quick.

Running the tests
-----------------
``python3 -m pytest`` runs everything the default way (the ``ci`` profile): tests/, the
doctests in src/funnelkit, docs/*.md and README.md. Before a release, or after changing
the rule engine or a strategy, run the property tests harder::

    FUNNELKIT_HYPOTHESIS_PROFILE=thorough python3 -m pytest tests

The header of every run names the profile and what it does with seeds.

Profiles
--------
``ci`` (the default; ``fast`` is its former name)
    50 examples per property test; a test whose examples are expensive runs fewer (see
    below). **Derandomized**: each test draws the same examples on every run, from a
    seed its own source fixes, so a run fails only because of a change (to the code, the
    test, Hypothesis or Python), never by drawing an unlucky example; no example
    database is read or written.
``explore``
    The same budgets, with new random examples on every run (failures are replayed from
    ``.hypothesis/``; ``pytest --hypothesis-seed=N`` repeats a run). Use it to look for
    bugs the fixed examples miss.
``thorough``
    500 examples for every property test, whatever budget it asks for under ``ci``, drawn
    at random; a failure prints its seed and a ``@reproduce_failure`` blob. The
    engine-agreement properties (tests/rules/test_backends.py, test_explain.py,
    test_polars_engine.py, test_sql_engine.py, tests/qualify/test_frame.py,
    test_sql_policy.py) take well over an hour on two busy cores: run them in the
    background, a file or a ``-k`` selection at a time, under ``timeout``.

``FUNNELKIT_HYPOTHESIS_EXAMPLES=N`` sets the loaded profile's count (``thorough`` with
``N=1000`` for a release, say).

None has a deadline or the ``too_slow`` health check: generating a whole lead can take
tens of milliseconds on a busy machine, and speed is measured by the benchmarks, never
by a timed test. A test's own ``suppress_health_check`` replaces the profile's list, so
write it with ``examples(...)`` (which adds to it) or include ``HealthCheck.too_slow``.

Writing a property test
-----------------------
* Take the profile's count: write ``@settings(...)`` without ``max_examples`` (or no
  ``@settings`` at all).
* If one example costs much (a whole rule set over a whole lead, say), give the test a
  smaller everyday budget with ``tests._profiles.examples``, never a literal
  ``max_examples``, which would also cap ``thorough``::

      from tests._profiles import examples

      @examples(15, suppress_health_check=[HealthCheck.filter_too_much])
      @given(tables(), leads(max_history=2), aware_datetimes(), st.data())
      def test_table_facts_determine_the_outcome(table, lead, as_of, data): ...

  Aim for about a second per test under ``ci``; check with
  ``python3 -m pytest tests/<area> -p no:randomly --durations=20``.
* An existence check ("the strategy draws an X") is ``find(strategy, has_x,
  settings=EXISTS)``: it stops at the first X and does not shrink it.
* Prefer a strategy that generates valid input to ``assume()`` or ``.filter()``: each
  rejected example costs as much to generate as a kept one.

Expensive fixtures
------------------
Build data that many tests read (the demo leads, a policy run over them, a CLI run) once,
in a ``scope="module"`` or ``scope="session"`` fixture. ``funnelkit.data.load_demo()``
reads the file once per process and returns the same (immutable) tuple after that.

Two processes
-------------
The suite runs on two processes (pytest-xdist: ``-n 2 --dist loadfile`` in pyproject's
pytest settings; ``-n 0`` for one). Each test file runs whole in one process, so a
module fixture is built once; a session fixture is built once per process that needs it,
so keep the tests that share an expensive one (the docs site, a Spark session) in one
file. Tests must not depend on one another or on the order they run in, nor write to
shared paths (use ``tmp_path``).
"""

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from tests._profiles import PROFILE, PROFILES, SEED_POLICY

# The worker processes of pytest-xdist must collect the same tests, and some test ids show
# sets of strings, whose order follows the hash seed: the workers share one (random per
# run unless PYTHONHASHSEED is set; the header prints it).
HASH_SEED = os.environ.setdefault("PYTHONHASHSEED", str(random.randint(1, 2**32 - 1)))

for _name, _options in PROFILES.items():
    settings.register_profile(
        _name, deadline=None, suppress_health_check=[HealthCheck.too_slow], **_options
    )
settings.load_profile(PROFILE)


def pytest_report_header() -> list[str]:
    """Name the Hypothesis profile of the run and its seed policy."""
    count = settings.default.max_examples
    return [
        f"funnelkit: hypothesis profile {PROFILE!r} ({count} examples): {SEED_POLICY[PROFILE]}",
        f"funnelkit: PYTHONHASHSEED={HASH_SEED} for the worker processes",
    ]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A connection to a throwaway PostgreSQL server (tests/_postgres.py), one per process.

    Skipped where the ``dev`` extra's ``pgserver`` or ``psycopg`` is missing or the
    server cannot start, but never in CI (``CI`` set): there the run fails instead.
    """
    from tests._postgres import database

    with database(required=bool(os.environ.get("CI"))) as connection:
        yield connection
