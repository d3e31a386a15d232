"""Shared test configuration: Hypothesis profiles, and how to keep the suite quick.

Running the tests
-----------------
``python3 -m pytest`` runs everything the default way (the ``fast`` profile): tests/,
the doctests in src/funnelkit, docs/*.md and README.md. Before a release, or after changing
the rule engine or a strategy, run the property tests harder::

    FUNNELKIT_HYPOTHESIS_PROFILE=thorough python3 -m pytest tests

Profiles
--------
``fast`` (the default)
    50 examples per property test; a test whose examples are expensive runs fewer (see
    below). Every run draws new examples, so CI explores more with each submission, and a
    failing example is replayed from the local ``.hypothesis/`` database until it passes.
``thorough``
    1000 examples for every property test, whatever budget it asks for under ``fast``.

Neither has a deadline: generating a whole lead can take tens of milliseconds on a busy
machine, and speed is measured by the benchmarks, never by a timed test.

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

  Aim for about a second per test under ``fast``; check with
  ``python3 -m pytest tests/<area> -p no:randomly --durations=20``.
* Prefer a strategy that generates valid input to ``assume()`` or ``.filter()``: each
  rejected example costs as much to generate as a kept one.

Expensive fixtures
------------------
Build data that many tests read (the demo leads, a policy run over them, a CLI run) once,
in a ``scope="module"`` or ``scope="session"`` fixture. ``funnelkit.data.load_demo()``
reads the file once per process and returns the same (immutable) tuple after that.
"""

from hypothesis import settings
from tests._profiles import PROFILE, PROFILES

for _name, _count in PROFILES.items():
    settings.register_profile(_name, max_examples=_count, deadline=None)
settings.load_profile(PROFILE)
