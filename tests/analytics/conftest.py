"""Shared data of the analytics tests: the demo leads qualified once."""

from __future__ import annotations

from typing import Any

import pytest

from funnelkit.analytics import qualified_rows
from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.qualify import STARTER


@pytest.fixture(scope="session")
def demo_rows() -> tuple[dict[str, Any], ...]:
    """The 2,500 demo leads qualified with the starter preset at the demo's date."""
    return qualified_rows(load_demo(), STARTER, as_of=DEMO_AS_OF)
