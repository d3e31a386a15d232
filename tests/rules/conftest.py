"""Fixtures for the rule-engine tests: one instant, and a checker that runs every engine."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from funnelkit.model import Lead
from funnelkit.rules import Expr, compile_rule, evaluate, explain

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def same(a: object, b: object) -> bool:
    """Equal values of the same type (NaN equals NaN); Truths by identity."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, Decimal) and a.is_nan():
        return isinstance(b, Decimal) and b.is_nan()
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


@pytest.fixture
def as_of() -> datetime:
    """The instant every example is evaluated at."""
    return AS_OF


@pytest.fixture
def ev() -> Callable[..., Any]:
    """Evaluate a rule with the interpreter, checking the compiled and explaining engines agree."""

    def run(rule: Expr, lead: Lead, *, as_of: datetime = AS_OF) -> Any:
        expected = evaluate(rule, lead, as_of=as_of)
        compiled = compile_rule(rule)(lead, as_of=as_of)
        explained = explain(rule, lead, as_of=as_of).outcome
        assert same(compiled, expected), (compiled, expected)
        assert same(explained, expected), (explained, expected)
        return expected

    return run


@pytest.fixture
def same_fn() -> Callable[[object, object], bool]:
    """The ``same`` comparison, for tests that compare engine results themselves."""
    return same
