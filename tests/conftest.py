"""Shared test configuration: Hypothesis profiles.

``fast`` (the default) keeps the suite quick; set ``FUNNELKIT_HYPOTHESIS_PROFILE=thorough``
to run every property test with 1000 examples.
"""

import os

from hypothesis import settings

settings.register_profile("fast", max_examples=50, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("FUNNELKIT_HYPOTHESIS_PROFILE", "fast"))
