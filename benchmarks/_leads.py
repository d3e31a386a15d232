"""Deterministic benchmark leads with the reference policy's realistic gaps.

Every random choice comes from one ``random.Random(seed)`` and every timestamp is
relative to ``as_of`` (never the clock), so ``make_leads(n, seed=s, as_of=t)`` always
returns equal leads. See README.md ("How leads are generated") for the rates.

Rates are shares of *all* leads. A "missing" field means that its parent object is
present and the field is empty (a company without an employee count, a contact without
a seniority); leads without any company (``P_NO_COMPANY``) or contact (``P_NO_CONTACT``)
come on top, so the share of leads where, say, the employee count is unknown to a rule
is ``P_MISSING_EMPLOYEES + P_NO_COMPANY``.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import math
import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from funnelkit.model import (
    BANT,
    Authority,
    Budget,
    BudgetStatus,
    Company,
    Contact,
    Lead,
    Money,
    Need,
    PainPoint,
    Seniority,
    Signal,
    Timeline,
)

__all__ = [
    "P_NO_COMPANY",
    "P_NO_CONTACT",
    "P_MISSING_EMPLOYEES",
    "P_MISSING_REVENUE",
    "P_MISSING_SENIORITY",
    "P_UNKNOWN_AUTHORITY",
    "P_UNKNOWN_TIMELINE",
    "EMPLOYEE_EDGES",
    "REVENUE_EDGES",
    "TIMELINE_EDGE_DAYS",
    "SCORED_SIGNAL_KINDS",
    "make_leads",
]

# -- gaps (shares of all leads) ------------------------------------------------------------
P_NO_COMPANY = 0.02
P_NO_CONTACT = 0.03
P_MISSING_EMPLOYEES = 0.05  # company present, employees None
P_MISSING_REVENUE = 0.07  # company present, annual_revenue None
P_MISSING_SENIORITY = 0.05  # contact present, seniority None
P_UNKNOWN_AUTHORITY = 0.10  # bant.authority.level UNKNOWN
P_UNKNOWN_TIMELINE = 0.20  # no bant.timeline.decision_date

# -- values exactly on the thresholds (shares of the leads where the value is known) -------
EMPLOYEE_EDGES = (49, 50, 5000, 5001)
P_EMPLOYEE_EDGE = 0.16  # split evenly over EMPLOYEE_EDGES
REVENUE_EDGES = (
    Money(amount=Decimal("9999999.99"), currency="USD"),
    Money(amount=Decimal("10000000"), currency="USD"),
)
P_REVENUE_EDGE = 0.10  # split evenly over REVENUE_EDGES
P_REVENUE_FOREIGN = 0.04  # EUR/GBP revenue: never counts (the policy compares in USD)
TIMELINE_EDGE_DAYS = (-1, 0, 90, 91)  # decision_date - as_of.date(), in days
P_TIMELINE_EDGE = 0.20  # split evenly over TIMELINE_EDGE_DAYS

# -- vocabularies (in-policy values first; case variants never match) ----------------------
INDUSTRIES = (
    ("software", 18),
    ("fintech", 9),
    ("healthcare_it", 7),
    ("manufacturing", 14),
    ("retail", 12),
    ("education", 8),
    ("logistics", 8),
    ("media", 8),
    ("public_sector", 6),
    ("Software", 5),
    ("FinTech", 5),
)
COUNTRIES = (
    ("US", 30),
    ("CA", 5),
    ("GB", 8),
    ("DE", 7),
    ("FR", 5),
    ("NL", 3),
    ("AU", 5),
    ("IN", 8),
    ("BR", 6),
    ("JP", 5),
    ("ES", 4),
    ("SE", 3),
    ("MX", 4),
    ("SG", 3),
    ("IE", 4),
)
TECHNOLOGIES = ("hubspot", "marketo", "slack", "jira", "snowflake", "zendesk", "Salesforce")
P_SALESFORCE = 0.30
P_COMPETITOR_CUSTOMER = 0.08
P_PARTNER = 0.05
DEPARTMENTS = (
    ("sales", 16),
    ("marketing", 16),
    ("revops", 8),
    ("engineering", 14),
    ("finance", 10),
    ("it", 10),
    ("operations", 10),
    ("hr", 6),
    ("Sales", 5),
    ("Marketing", 5),
)
SENIORITIES = tuple(s.value for s in Seniority)
BUDGET_STATUSES = tuple(s.value for s in BudgetStatus)
KNOWN_AUTHORITY = (("decision_maker", 40), ("influencer", 35), ("none", 25))
PAIN_POINT_WEIGHTS = (35, 30, 20, 15)  # of 0, 1, 2, 3 pain points

SCORED_SIGNAL_KINDS = (
    "demo_request",
    "pricing_page_view",
    "content_download",
    "email_reply",
    "unsubscribe",
)
# weights of 0, 1, ..., 6 signals of each kind per lead; email_open is noise the policy ignores
SIGNAL_COUNT_WEIGHTS = {
    "demo_request": (70, 18, 6, 3, 1, 1, 1),
    "pricing_page_view": (40, 20, 12, 10, 7, 6, 5),
    "content_download": (38, 20, 13, 10, 8, 6, 5),
    "email_reply": (55, 20, 10, 6, 4, 3, 2),
    "unsubscribe": (90, 7, 1, 1, 0.5, 0.3, 0.2),
    "email_open": (45, 15, 10, 10, 8, 6, 6),
}
SIGNAL_WINDOW_MINUTES = 180 * 24 * 60  # signals fall in the 180 days before as_of

T = TypeVar("T")
SIGNAL_POOL_SIZE = 1000  # distinct signals per kind, shared between leads (see _signal_pool)

_PAIN_POINTS = tuple(
    PainPoint(description=text)
    for text in (
        "manual lead routing",
        "no single view of the pipeline",
        "slow follow-up on inbound leads",
    )
)


class _Choice(Generic[T]):
    """A weighted choice made with one ``rng.random()`` (faster than ``rng.choices``)."""

    __slots__ = ("_cumulative", "_total", "_values")

    def __init__(self, table: Iterable[tuple[T, float]]) -> None:
        values, weights = zip(*table, strict=True)
        self._values: tuple[T, ...] = values
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self._values[bisect.bisect(self._cumulative, rng.random() * self._total)]


_INDUSTRY = _Choice(INDUSTRIES)
_COUNTRY = _Choice(COUNTRIES)
_DEPARTMENT = _Choice(DEPARTMENTS)
_AUTHORITY = _Choice(KNOWN_AUTHORITY)
_PAIN_POINT_COUNT = _Choice(enumerate(PAIN_POINT_WEIGHTS))
_SIGNAL_COUNTS = tuple(
    (kind, _Choice(enumerate(weights))) for kind, weights in SIGNAL_COUNT_WEIGHTS.items()
)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _employees(rng: random.Random) -> int:
    if rng.random() < P_EMPLOYEE_EDGE:
        return rng.choice(EMPLOYEE_EDGES)
    return round(_log_uniform(rng, 1, 100_000))


def _cents(amount: float) -> Decimal:
    return Decimal(round(amount * 100)).scaleb(-2)


def _revenue(rng: random.Random) -> Money:
    draw = rng.random()
    if draw < P_REVENUE_EDGE:
        return rng.choice(REVENUE_EDGES)
    if draw < P_REVENUE_EDGE + P_REVENUE_FOREIGN:
        amount = _cents(_log_uniform(rng, 1e6, 1e9))
        return Money(amount=amount, currency=rng.choice(("EUR", "GBP")))
    return Money(amount=_cents(_log_uniform(rng, 1e5, 5e9)), currency="USD")


def _company(rng: random.Random, index: int) -> Company:
    present = 1 - P_NO_COMPANY
    technologies = set(rng.sample(TECHNOLOGIES, rng.randint(0, 3)))
    if rng.random() < P_SALESFORCE:
        technologies.add("salesforce")
    tags = set()
    if rng.random() < P_COMPETITOR_CUSTOMER:
        tags.add("competitor_customer")
    if rng.random() < P_PARTNER:
        tags.add("partner")
    return Company(
        name=f"Company {index}",
        industry=_INDUSTRY(rng),
        employees=None if rng.random() < P_MISSING_EMPLOYEES / present else _employees(rng),
        annual_revenue=None if rng.random() < P_MISSING_REVENUE / present else _revenue(rng),
        country=_COUNTRY(rng),
        technologies=frozenset(technologies),
        tags=frozenset(tags),
    )


def _contact(rng: random.Random, index: int) -> Contact:
    present = 1 - P_NO_CONTACT
    return Contact(
        name=f"Contact {index}",
        seniority=None if rng.random() < P_MISSING_SENIORITY / present else rng.choice(SENIORITIES),
        department=_DEPARTMENT(rng),
    )


def _signal_pool(rng: random.Random, as_of: datetime) -> dict[str, list[Signal]]:
    """``SIGNAL_POOL_SIZE`` signals of each kind in the 180 days before ``as_of``.

    Signals are immutable, so leads share them: building ~6 fresh signals per lead would
    make generating 100,000 leads take several times longer, and no engine can tell.
    """
    return {
        kind: [
            Signal(
                kind=kind,
                occurred_at=as_of - timedelta(minutes=rng.randint(1, SIGNAL_WINDOW_MINUTES)),
                explicit=kind == "demo_request",
            )
            for _ in range(SIGNAL_POOL_SIZE)
        ]
        for kind in SIGNAL_COUNT_WEIGHTS
    }


def _signals(rng: random.Random, pool: dict[str, list[Signal]]) -> tuple[Signal, ...]:
    made: list[Signal] = []
    for kind, count in _SIGNAL_COUNTS:
        n = count(rng)
        if n:
            made += rng.sample(pool[kind], n)
    rng.shuffle(made)
    return tuple(made)


def _timeline(rng: random.Random, today: date) -> Timeline:
    if rng.random() < P_UNKNOWN_TIMELINE:
        # half of the unknown timelines carry a rough horizon, which the policy does not read
        return Timeline(horizon_days=rng.randint(30, 365)) if rng.random() < 0.5 else Timeline()
    if rng.random() < P_TIMELINE_EDGE:
        days = rng.choice(TIMELINE_EDGE_DAYS)
    else:
        days = rng.randint(-60, 240)
    return Timeline(decision_date=today + timedelta(days=days))


def _bant(rng: random.Random, today: date) -> BANT:
    if rng.random() < P_UNKNOWN_AUTHORITY:
        authority = Authority()
    else:
        authority = Authority(level=_AUTHORITY(rng))
    return BANT(
        budget=Budget(status=rng.choice(BUDGET_STATUSES)),
        authority=authority,
        need=Need(pain_points=_PAIN_POINTS[: _PAIN_POINT_COUNT(rng)]),
        timeline=_timeline(rng, today),
    )


def _lead(rng: random.Random, index: int, today: date, pool: dict[str, list[Signal]]) -> Lead:
    company = None if rng.random() < P_NO_COMPANY else _company(rng, index)
    contact = None if rng.random() < P_NO_CONTACT else _contact(rng, index)
    return Lead(
        id=f"L-{index:06d}",
        company=company,
        contact=contact,
        signals=_signals(rng, pool),
        bant=_bant(rng, today),
    )


def make_leads(n: int, *, seed: int = 2026, as_of: datetime) -> list[Lead]:
    """``n`` benchmark leads, the same for the same ``n``, ``seed`` and ``as_of``.

    Args:
        n: How many leads (``>= 0``).
        seed: The seed of the one ``random.Random`` every choice comes from.
        as_of: The instant the benchmark judges at (timezone-aware); signals fall in the
            180 days before it and decision dates are counted from ``as_of.date()``.

    Returns:
        The leads, with ids ``L-000000``, ``L-000001``, ...

    Raises:
        ValueError: ``n`` is negative.
        TypeError: ``as_of`` is not a timezone-aware datetime.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not isinstance(as_of, datetime) or as_of.utcoffset() is None:
        raise TypeError(f"as_of must be a timezone-aware datetime, got {as_of!r}")
    rng = random.Random(seed)
    today = as_of.date()
    was_enabled = gc.isenabled()
    gc.disable()  # millions of acyclic objects: collections would only halve the speed
    try:
        pool = _signal_pool(rng, as_of)
        return [_lead(rng, index, today, pool) for index in range(n)]
    finally:
        if was_enabled:
            gc.enable()
