"""Explanations and qualifications from many threads at once, with the plan cache churning."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from funnelkit.model import Company, Contact, Lead
from funnelkit.qualify import STARTER, qualify
from funnelkit.rules import F, explain
from funnelkit.rules.engines.explain._explain import MAX_PLANS

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
LEADS = [
    Lead(company=Company(employees=n * 37 % 900, country="US" if n % 3 else None))
    for n in range(12)
] + [Lead(contact=Contact(email=f"x{n}@example.com")) for n in range(4)]
# more distinct rules than the explain plan cache keeps, so threads evict each other's plans
RULES = [
    (F.company.employees >= n) & ((F.company.country == "US") | (F.company.employees < n // 2))
    for n in range(MAX_PLANS + 40)
]


@contextmanager
def switching_often() -> Iterator[None]:
    """Make the interpreter switch threads every few microseconds, to provoke races."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _explained(rule_index: int) -> list[tuple[object, tuple[str, ...], str]]:
    rule = RULES[rule_index]
    out = []
    for lead in LEADS:
        why = explain(rule, lead, as_of=AS_OF)
        out.append((why.outcome, why.unknown_facts, str(why)))
    return out


def test_explain_from_many_threads_gives_what_one_thread_gives() -> None:
    """Four threads explaining more rules than the cache holds get the one-thread results."""
    expected = [_explained(k) for k in range(len(RULES))]
    with switching_often(), ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(_explained, [k for _ in range(2) for k in range(len(RULES))]))
    assert got == expected * 2


def test_qualify_from_many_threads_gives_what_one_thread_gives() -> None:
    """qualify is safe to call from several threads on one policy."""
    expected = [qualify(lead, STARTER, as_of=AS_OF).to_dict() for lead in LEADS]

    def run(_: int) -> list[dict[str, object]]:
        return [qualify(lead, STARTER, as_of=AS_OF).to_dict() for lead in LEADS]

    with switching_often(), ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(8)))
    assert results == [expected] * 8
