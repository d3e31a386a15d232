"""Leads <-> the table contract: the columns, the round trip, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from tests._profiles import examples

from funnelkit.errors import RecordError
from funnelkit.io import contract_schema, leads_to_tables, tables_to_leads
from funnelkit.model import Company, CustomEvidence, Evidence, Lead, Money, Signal, StageChange
from funnelkit.testing import leads as lead_strategy

AT = datetime(2026, 5, 1, tzinfo=UTC)


def _kept(lead: Lead) -> Lead:
    """What the contract carries of a lead (see ``funnelkit.io._contract``)."""
    need = lead.bant.need
    pains = tuple(attrs.evolve(p, severity=type(p.severity)("medium")) for p in need.pain_points)
    history = lead.stage_history[-1:]
    return attrs.evolve(
        lead,
        signals=tuple(
            attrs.evolve(s, channel=None, source=None, attributes={}) for s in lead.signals
        ),
        stage_history=tuple(StageChange(at=h.at, to_stage=h.to_stage) for h in history),
        bant=attrs.evolve(lead.bant, need=attrs.evolve(need, pain_points=pains)),
    )


def test_fixed_columns_have_fixed_kinds() -> None:
    """Every table has the model's flat fields, money split in amount and currency."""
    schema = contract_schema()
    assert next(iter(schema)) == "id"
    assert schema["company.annual_revenue.currency"] == "str"
    assert schema["contact.seniority"] == "enum"
    assert schema["company.technologies"] == "set"
    assert "signals" not in schema
    assert "custom" not in schema


def test_columns_follow_the_contract() -> None:
    """Enums' unknown is null, sets are sorted lists, custom keys become columns."""
    lead = Lead(
        id="L-1",
        company=Company(
            employees=120,
            technologies={"salesforce", "hubspot"},
            annual_revenue=Money(amount=Decimal("1500000.50"), currency="USD"),
        ),
        custom={"visits": 3},
        signals=[Signal(kind="demo_request", occurred_at=AT, explicit=True)],
    )
    tables = leads_to_tables([lead, Lead(id="L-2")])
    row = tables.leads.row(0, named=True)
    assert row["company.technologies"] == ["hubspot", "salesforce"]
    assert row["company.annual_revenue.amount"] == Decimal("1500000.50")
    assert row["contact.seniority"] is None
    assert row["custom.visits"] == 3
    assert tables.leads.row(1, named=True)["custom.visits"] is None
    assert tables.signals.rows() == [("L-1", "demo_request", AT, True, None)]


@pytest.mark.parametrize(
    ("leads", "message"),
    [
        ([Lead()], "a lead id"),
        ([Lead(id="L-1"), Lead(id="L-1")], "a unique lead id"),
        ([Lead(id="L-1", custom={"t": 1}), Lead(id="L-2", custom={"t": "x"})], "one kind"),
        (
            [
                Lead(
                    id="L-1",
                    custom={"t": 1},
                    custom_evidence=[CustomEvidence(key="t", evidence=Evidence(source="call"))],
                )
            ],
            "custom evidence",
        ),
    ],
)
def test_refused(leads: list[Lead], message: str) -> None:
    """What the contract cannot hold is refused, naming the path, not dropped."""
    with pytest.raises(RecordError, match=message):
        leads_to_tables(leads)


@examples(30)
@given(lead_strategy())
def test_round_trip(lead: Lead) -> None:
    """Tables give back the lead, less what the contract does not carry."""
    scalars = {k: v for k, v in lead.custom.items() if isinstance(v, (str, int, float, Decimal))}
    lead = attrs.evolve(lead, id=lead.id or "L-x", custom=scalars, custom_evidence=())
    (back,) = tables_to_leads(leads_to_tables([lead]))
    assert back == _kept(lead)


def test_a_custom_decimal_too_large_for_the_column_is_refused_by_name() -> None:
    leads = [
        Lead(id="a", custom={"x": Decimal("1e40")}),
        Lead(id="b", custom={"x": Decimal("1.5")}),
    ]
    with pytest.raises(RecordError) as caught:
        leads_to_tables(leads)
    assert "[0].custom.x" in str(caught.value)
    assert "1E+40" in str(caught.value)
