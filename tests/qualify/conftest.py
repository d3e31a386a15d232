"""Shared leads and instants for the qualification tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Company,
    Contact,
    Lead,
    Need,
    PainPoint,
    Signal,
    Timeline,
)

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    """The instant ``n`` days before AS_OF."""
    return AS_OF - timedelta(days=n)


FITTING_COMPANY = Company(
    name="Acme",
    industry="software",
    employees=400,
    country="US",
    technologies={"salesforce"},
)
FITTING_CONTACT = Contact(
    name="Ana", email="ana@acme.example", seniority="vp", department="marketing"
)


def fitting_lead(**changes: object) -> Lead:
    """A lead from a company and a person that fit the default ICP, with no signals."""
    fields: dict[str, object] = {
        "id": "L-1",
        "company": FITTING_COMPANY,
        "contact": FITTING_CONTACT,
    }
    fields.update(changes)
    return Lead(**fields)  # type: ignore[arg-type]


def bant_met(*, days: int = 60) -> BANT:
    """BANT with every part met: budget identified, a decider, a need, a near decision."""
    return BANT(
        budget=Budget(status="identified"),
        authority=Authority(level="decision_maker"),
        need=Need(pain_points=[PainPoint(description="manual lead routing")]),
        timeline=Timeline(decision_date=AS_OF.date() + timedelta(days=days)),
    )


def demo_request(n: float = 2) -> Signal:
    """A demo request ``n`` days ago."""
    return Signal(kind="demo_request", occurred_at=days_ago(n), explicit=True)


@pytest.fixture
def as_of() -> datetime:
    """The instant every test judges at."""
    return AS_OF


__all__ = ["AS_OF", "bant_met", "date", "days_ago", "demo_request", "fitting_lead"]
