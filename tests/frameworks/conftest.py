"""Shared facts for the framework tests: one instant, and leads that meet, fail or leave open
each kind of criterion the presets use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    Contact,
    Evidence,
    Lead,
    Need,
    PainPoint,
    Signal,
    Timeline,
)
from funnelkit.rules import Expr, Truth, compile_rule, evaluate

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
CALL = Evidence(source="discovery call", asserted_at=AS_OF - timedelta(days=3))
EXPIRED = Evidence(source="discovery call", expires_at=AS_OF - timedelta(days=1))


def judge(rule: Expr, lead: Lead) -> Truth:
    """Evaluate with the reference interpreter, checking the compiled rule agrees."""
    expected = evaluate(rule, lead, as_of=AS_OF)
    compiled = compile_rule(rule)(lead, as_of=AS_OF)
    assert compiled is expected, (compiled, expected)
    assert isinstance(expected, Truth)
    return expected


def days_ago(n: float) -> datetime:
    """The instant ``n`` days before AS_OF."""
    return AS_OF - timedelta(days=n)


def in_days(n: int, **extra: object) -> Timeline:
    """A timeline with a decision ``n`` days after AS_OF."""
    return Timeline(decision_date=AS_OF.date() + timedelta(days=n), **extra)  # type: ignore[arg-type]


def signal(kind: str, days: float = 2) -> Signal:
    """A signal of ``kind`` that happened ``days`` before AS_OF."""
    return Signal(kind=kind, occurred_at=days_ago(days))


def with_bant(**parts: object) -> Lead:
    """A lead whose BANT has the given parts."""
    return Lead(id="L-1", bant=BANT(**parts))  # type: ignore[arg-type]


PAIN = Need(pain_points=[PainPoint(description="leads routed by hand", severity="high")])
KNOWN_CONTACT = Contact(name="Ana", title="Head of Sales Ops")


class Trio(NamedTuple):
    """A lead that meets a kind of criterion, one that fails it, one that leaves it open.

    When ``part`` is set, the met lead meets the criterion through that BANT part's
    facts alone, so that expiring its evidence leaves the criterion open.

    ``unknown`` is ``None`` for criteria that read only signals: a lead's signals are
    never missing, so those criteria are never UNKNOWN.
    """

    met: Lead
    unmet: Lead
    unknown: Lead | None
    part: str | None = None  # the BANT part whose evidence backs it


def _custom(key: str) -> Trio:
    return Trio(
        met=Lead(custom={key: "agreed with the buyer on the last call"}),
        unmet=Lead(custom={key: "no"}),
        unknown=Lead(custom={"other": "x"}),
    )


def _role(role: str) -> Trio:
    return Trio(
        met=Lead(contact=Contact(name="Ana", buying_roles=[role])),
        unmet=Lead(contact=KNOWN_CONTACT, custom={role: False}),
        unknown=Lead(contact=KNOWN_CONTACT),
    )


BUDGET = Trio(
    met=with_bant(budget=Budget(status="identified")),
    unmet=with_bant(budget=Budget(status="planned")),
    unknown=with_bant(budget=Budget()),
    part="budget",
)
AUTHORITY = Trio(
    met=with_bant(authority=Authority(level="decision_maker")),
    unmet=Lead(contact=KNOWN_CONTACT, bant=BANT(authority=Authority(level="influencer"))),
    unknown=with_bant(authority=Authority(level="influencer")),  # the contact's roles?
    part="authority",
)
NEED = Trio(
    met=with_bant(need=PAIN),
    unmet=with_bant(need=Need(evidence=CALL)),
    unknown=with_bant(need=Need()),
    part="need",
)
TIMELINE_90 = Trio(
    met=with_bant(timeline=in_days(60)),
    unmet=with_bant(timeline=in_days(120)),
    unknown=with_bant(timeline=Timeline(catalysing_event="audit in June")),
    part="timeline",
)
URGENCY_90 = Trio(
    met=with_bant(timeline=Timeline(catalysing_event="contract renewal")),
    unmet=with_bant(timeline=in_days(120, evidence=CALL)),
    unknown=with_bant(timeline=in_days(120)),
    part="timeline",
)
FUNDS = Trio(
    met=with_bant(budget=Budget(status="planned")),
    unmet=Lead(bant=BANT(budget=Budget(status="none")), signals=[signal("funding_round", 400)]),
    unknown=Lead(bant=BANT(budget=Budget())),
    part="budget",
)
INTEREST = Trio(
    met=Lead(signals=[signal("demo_request", 10)]),
    unmet=Lead(signals=[signal("pricing_page_view", 1), signal("demo_request", 100)]),
    unknown=None,
)
DECISION_PROCESS = Trio(
    met=with_bant(timeline=in_days(200)),
    unmet=Lead(bant=BANT(timeline=in_days(-3)), custom={"decision_process": "No"}),
    unknown=with_bant(timeline=in_days(-3)),
    part="timeline",
)
COMPETITION = Trio(
    met=Lead(signals=[signal("competitor_mention", 30)]),
    unmet=Lead(custom={"competition": "false"}, signals=[signal("competitor_mention", 400)]),
    unknown=Lead(signals=[signal("competitor_mention", 400)]),
)
TIMELINE_AGREED = Trio(
    met=with_bant(timeline=in_days(400)),
    unmet=with_bant(timeline=in_days(-1)),
    unknown=with_bant(timeline=Timeline(horizon_days=30)),
    part="timeline",
)
DECISION_MAKER = Trio(
    met=with_bant(authority=Authority(decided_by="CFO")),
    unmet=Lead(contact=KNOWN_CONTACT, bant=BANT(authority=Authority(level="none"))),
    unknown=Lead(contact=KNOWN_CONTACT),
    part="authority",
)
NEXT_STEPS = Trio(
    met=Lead(signals=[signal("next_step_agreed", 5)]),
    unmet=Lead(signals=[signal("next_step_agreed", 45)]),
    unknown=None,
)
CATALYST = Trio(
    met=with_bant(timeline=Timeline(catalysing_event="security audit in Q3")),
    unmet=with_bant(timeline=Timeline(evidence=CALL)),
    unknown=with_bant(timeline=Timeline(horizon_days=30)),
    part="timeline",
)

# What each criterion of each preset is about, as the Trio that tests it.
CONCEPTS: dict[tuple[str, str], Trio] = {
    ("bant", "budget"): BUDGET,
    ("bant", "authority"): AUTHORITY,
    ("bant", "need"): NEED,
    ("bant", "timeline"): TIMELINE_90,
    ("opportunity", "timeline_agreed"): TIMELINE_AGREED,
    ("opportunity", "decision_maker"): DECISION_MAKER,
    ("opportunity", "budget"): BUDGET,
    ("opportunity", "next_steps"): NEXT_STEPS,
    ("opportunity", "catalysing_event"): CATALYST,
    ("anum", "authority"): AUTHORITY,
    ("anum", "need"): NEED,
    ("anum", "urgency"): URGENCY_90,
    ("anum", "money"): BUDGET,
    ("champ", "challenges"): NEED,
    ("champ", "authority"): AUTHORITY,
    ("champ", "money"): BUDGET,
    ("champ", "prioritisation"): URGENCY_90,
    ("faint", "funds"): FUNDS,
    ("faint", "authority"): AUTHORITY,
    ("faint", "interest"): INTEREST,
    ("faint", "need"): NEED,
    ("faint", "timing"): TIMELINE_90,
    ("meddic", "metrics"): _custom("metrics"),
    ("meddic", "economic_buyer"): _role("economic_buyer"),
    ("meddic", "decision_criteria"): _custom("decision_criteria"),
    ("meddic", "decision_process"): DECISION_PROCESS,
    ("meddic", "identify_pain"): NEED,
    ("meddic", "champion"): _role("champion"),
    ("meddpicc", "metrics"): _custom("metrics"),
    ("meddpicc", "economic_buyer"): _role("economic_buyer"),
    ("meddpicc", "decision_criteria"): _custom("decision_criteria"),
    ("meddpicc", "decision_process"): DECISION_PROCESS,
    ("meddpicc", "paper_process"): _custom("paper_process"),
    ("meddpicc", "identify_pain"): NEED,
    ("meddpicc", "champion"): _role("champion"),
    ("meddpicc", "competition"): COMPETITION,
    ("gpct", "goals"): _custom("goals"),
    ("gpct", "plans"): _custom("plans"),
    ("gpct", "challenges"): NEED,
    ("gpct", "timeline"): TIMELINE_90,
    ("gpctba_ci", "goals"): _custom("goals"),
    ("gpctba_ci", "plans"): _custom("plans"),
    ("gpctba_ci", "challenges"): NEED,
    ("gpctba_ci", "timeline"): TIMELINE_90,
    ("gpctba_ci", "budget"): BUDGET,
    ("gpctba_ci", "authority"): AUTHORITY,
    ("gpctba_ci", "negative_consequences"): _custom("negative_consequences"),
    ("gpctba_ci", "positive_implications"): _custom("positive_implications"),
}
