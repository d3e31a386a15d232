"""The bundled demo leads and the script that generates them."""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest

from funnelkit.data import DEMO_AS_OF, demo_path, load_demo
from funnelkit.io import read_leads
from funnelkit.model import Direction, Lead

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_demo_data.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """The generator script, imported as a module."""
    spec = importlib.util.spec_from_file_location("make_demo_data", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def leads() -> tuple[Lead, ...]:
    """The shipped demo leads."""
    return load_demo()


def test_generation_is_byte_identical_across_runs(script: ModuleType, tmp_path: Path) -> None:
    """Two runs with the same count and seed write the same bytes."""
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert script.main(["--count", "300", "--output", str(first)]) == 0
    assert script.main(["--count", "300", "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_another_seed_gives_other_leads(script: ModuleType, tmp_path: Path) -> None:
    """The seed decides the data."""
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    script.main(["--count", "50", "--output", str(first)])
    script.main(["--count", "50", "--seed", "7", "--output", str(second)])
    assert first.read_bytes() != second.read_bytes()


def test_shipped_file_is_what_the_script_writes(script: ModuleType, tmp_path: Path) -> None:
    """The shipped file equals a fresh run with the defaults (rerun the script if not)."""
    fresh = tmp_path / "demo_leads.jsonl"
    assert script.main(["--output", str(fresh)]) == 0
    assert fresh.read_bytes() == demo_path().read_bytes()


def test_shipped_file_loads_without_errors() -> None:
    """Every record of the shipped file is valid."""
    result = read_leads(demo_path(), on_error="collect")
    assert result.errors == ()
    assert result.total == len(result.leads) == 2500


def test_load_demo_reads_the_file_once() -> None:
    """load_demo returns the same tuple on every call (it is read and cached once)."""
    assert load_demo() is load_demo()


def test_cached_demo_equals_a_fresh_read(leads: tuple[Lead, ...]) -> None:
    """The cached leads equal what reading the shipped file afresh gives."""
    assert read_leads(demo_path(), format="jsonl").leads == leads


def test_cached_demo_is_deeply_immutable(leads: tuple[Lead, ...]) -> None:
    """The shared leads hash, so they hold no mutable container anyone could change."""
    assert isinstance(leads, tuple)
    hash(leads)  # raises TypeError if any lead holds a list, a dict or a set


def test_shipped_file_stays_small() -> None:
    """The shipped file stays under 3 MB."""
    assert demo_path().stat().st_size < 3_000_000


def test_ids_are_unique_and_ordered(leads: tuple[Lead, ...]) -> None:
    """Lead ids run from L-00001 to L-02500."""
    assert [lead.id for lead in leads] == [f"L-{n:05d}" for n in range(1, 2501)]


def test_sources_cover_inbound_and_outbound_channels(leads: tuple[Lead, ...]) -> None:
    """Every inbound and outbound channel of the generator occurs."""
    channels = Counter((lead.source.direction, lead.source.channel) for lead in leads)
    inbound = {"web_form", "demo_request", "content_download", "webinar", "free_trial",
               "contact_sales"}  # fmt: skip
    outbound = {"purchased_list", "trade_show", "cold_outreach"}
    assert {c for d, c in channels if d is Direction.INBOUND} == inbound
    assert {c for d, c in channels if d is Direction.OUTBOUND} == outbound
    assert any(d is Direction.UNKNOWN for d, _ in channels)


def test_firmographics_vary(leads: tuple[Lead, ...]) -> None:
    """Industries, countries and head counts spread like real data."""
    companies = [lead.company for lead in leads if lead.company is not None]
    assert len({c.industry for c in companies if c.industry}) >= 12
    countries = Counter(c.country for c in companies if c.country)
    assert len(countries) >= 15
    assert countries.most_common(1)[0][0] == "US"
    employees = sorted(c.employees for c in companies if c.employees is not None)
    assert employees[0] < 10
    assert employees[-1] > 5000
    assert 30 <= employees[len(employees) // 2] <= 300
    assert sum("competitor_customer" in c.tags for c in companies) >= 50


@pytest.mark.parametrize(
    ("gap", "low", "high"),
    [
        ("no contact", 0.04, 0.2),
        ("no e-mail", 0.12, 0.35),
        ("no company", 0.03, 0.2),
        ("no employees", 0.25, 0.6),
        ("no budget info", 0.8, 0.95),
        ("no signal", 0.01, 0.1),
    ],
)
def test_data_has_realistic_gaps(
    leads: tuple[Lead, ...], gap: str, low: float, high: float
) -> None:
    """Each kind of missing fact occurs, neither never nor always."""
    checks = {
        "no contact": lambda lead: lead.contact is None,
        "no e-mail": lambda lead: not (lead.contact and lead.contact.email),
        "no company": lambda lead: lead.company is None,
        "no employees": lambda lead: not (lead.company and lead.company.employees is not None),
        "no budget info": lambda lead: lead.bant.budget.status == "unknown",
        "no signal": lambda lead: not lead.signals,
    }
    share = sum(map(checks[gap], leads)) / len(leads)
    assert low <= share <= high


def test_signals_are_explicit_and_implicit_and_recent(leads: tuple[Lead, ...]) -> None:
    """Signals mix hand-raises and behaviour, with opt-outs, and none is in the future."""
    signals = [s for lead in leads for s in lead.signals]
    kinds = Counter(s.kind for s in signals)
    assert {"demo_request", "pricing_page_view", "unsubscribe", "bounce"} <= set(kinds)
    assert any(s.explicit for s in signals)
    assert any(not s.explicit for s in signals)
    assert all(s.occurred_at <= DEMO_AS_OF for s in signals)
    recent = [s for s in signals if s.occurred_at >= DEMO_AS_OF - timedelta(days=200)]
    assert len(recent) / len(signals) > 0.95


def test_bant_evidence_is_partly_expired(leads: tuple[Lead, ...]) -> None:
    """Some BANT evidence still holds at the reference date and some has expired."""
    found = [lead.bant.budget.evidence for lead in leads if lead.bant.budget.evidence]
    assert any(e.is_current(DEMO_AS_OF) for e in found)
    assert any(not e.is_current(DEMO_AS_OF) for e in found)


def test_stage_histories_and_custom_fields_occur(leads: tuple[Lead, ...]) -> None:
    """Some leads moved through the funnel and carry legacy custom fields."""
    stages = Counter(lead.stage for lead in leads)
    assert {"inquiry", "sales_opportunity", "customer", "nurture", "disqualified"} <= set(stages)
    custom = Counter(key for lead in leads for key in lead.custom)
    assert custom["lead_score_legacy"] > 1000
    assert custom["crm_owner_team"] > 300


def test_domains_and_addresses_are_reserved(leads: tuple[Lead, ...]) -> None:
    """Every domain and e-mail address uses the reserved .example top-level domain."""
    domains = [lead.company.domain for lead in leads if lead.company and lead.company.domain]
    emails = [lead.contact.email for lead in leads if lead.contact and lead.contact.email]
    assert domains
    assert emails
    assert all(d.endswith(".example") for d in domains)
    assert all(e.endswith(".example") for e in emails)
