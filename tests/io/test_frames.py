"""Qualifications as flat rows and polars frames."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import polars as pl

from funnelkit.io import qualification_row, qualifications_frame
from funnelkit.model import Company, Lead, Signal
from funnelkit.qualify import STARTER, qualify

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
LEADS = [
    Lead(id="L-1"),
    Lead(
        id="L-2",
        company=Company(industry="software", employees=200, country="US"),
        signals=[Signal(kind="demo_request", occurred_at=AS_OF, explicit=True)],
    ),
]


def test_a_row_has_one_column_per_gate_and_criterion():
    """Rows carry gates, criterion statuses and per-framework counts as plain values."""
    row = qualification_row(qualify(LEADS[1], STARTER, as_of=AS_OF))
    assert row["gate_inquiry"] == "true"
    assert row["bant_budget"] == "unknown"
    assert row["bant_met"] == 0
    assert row["next_fact"] == row["next_facts"][0]


def test_a_list_entry_has_no_stage_in_its_row():
    """A lead no gate admits has stage None."""
    assert qualification_row(qualify(LEADS[0], STARTER, as_of=AS_OF))["stage"] is None


def test_the_frame_has_a_row_per_lead_and_exact_scores():
    """The frame keeps lead order, and fit/engagement are Decimal columns."""
    frame = qualifications_frame(qualify(lead, STARTER, as_of=AS_OF) for lead in LEADS)
    assert frame["lead_id"].to_list() == ["L-1", "L-2"]
    assert frame.schema["engagement"] == pl.Decimal(38, 4)
    assert frame["engagement"][1] == Decimal(30)
