"""An enum member named UNKNOWN means missing: one rule, stated once, read by every engine."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

import pytest

import funnelkit.model as model
from funnelkit.model import (
    BANT,
    UNKNOWN_MEMBER,
    Budget,
    BudgetStatus,
    Lead,
    is_unknown_member,
    unknown_member,
)
from funnelkit.rules import F, Truth, compile_rule, evaluate, explain

SRC = Path(__file__).resolve().parents[2] / "src" / "funnelkit"
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
ENUMS = [
    value
    for name in model.__all__
    if isinstance(value := getattr(model, name), type) and issubclass(value, Enum)
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_unknown_member_is_the_member_named_unknown(enum: type[Enum]) -> None:
    """unknown_member gives the member named UNKNOWN, and only it is an unknown member."""
    assert unknown_member(enum) is enum.__members__.get(UNKNOWN_MEMBER)
    assert [m for m in enum if is_unknown_member(m)] == [
        m for m in enum if m.name == UNKNOWN_MEMBER
    ]


def test_plain_values_are_not_unknown_members() -> None:
    """A string, None or a number is a value, never an unknown member."""
    assert not any(is_unknown_member(v) for v in ("unknown", "UNKNOWN", None, 0))


@pytest.mark.parametrize(
    "engine",
    [
        lambda rule, lead: evaluate(rule, lead, as_of=AS_OF),
        lambda rule, lead: compile_rule(rule)(lead, as_of=AS_OF),
        lambda rule, lead: explain(rule, lead, as_of=AS_OF).outcome,
    ],
    ids=["interpret", "compiled", "explain"],
)
def test_every_engine_reads_an_unknown_member_as_missing(engine) -> None:
    """A budget status of UNKNOWN is missing for the interpreter, compiled code and explain."""
    lead = Lead(bant=BANT(budget=Budget(status=BudgetStatus.UNKNOWN)))
    assert engine(F.bant.budget.status.is_missing(), lead) is Truth.TRUE
    assert engine(F.bant.budget.status == "unknown", lead) is Truth.UNKNOWN


def test_the_rule_is_stated_in_one_place() -> None:
    """No module but model/_enums.py compares an enum member's name with "UNKNOWN"."""
    pattern = re.compile(
        r"""(\.name|\._name_|__members__)\b.*["']UNKNOWN["']|["']UNKNOWN["']\s+in\s"""
    )
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "_enums.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
