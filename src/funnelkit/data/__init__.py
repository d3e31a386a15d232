"""Demo data shipped with funnelkit: 2,500 fictional B2B leads with realistic gaps.

The leads come from inbound channels (web forms, demo requests, content downloads,
webinars, free trials, contact-sales forms) and outbound ones (purchased lists, trade-show
badge scans, cold outreach). Like real CRM data, many know little: a badge scan may name
only a company, a purchased list may have no contact at all, and budget is rarely known.
Timestamps are relative to 2026-11-01 (see [`DEMO_AS_OF`][funnelkit.data.DEMO_AS_OF]).
Company domains use the reserved ``.example`` top-level domain.

The file is written by ``scripts/make_demo_data.py`` (seeded, so it is reproducible).

The leads' outcomes, whether each converted in the two quarters after the demo's date,
are kept apart in ``demo_outcomes.csv`` (see ``load_demo_outcomes``), to backtest a
policy on; ``scripts/make_demo_outcomes.py`` writes them from a random stream of their
own, so the leads are the same with or without them.

Examples:
    >>> from funnelkit.data import demo_path, load_demo
    >>> demo_path().name
    'demo_leads.jsonl'
    >>> leads = load_demo()
    >>> len(leads), leads[0].id
    (2500, 'L-00001')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType

from funnelkit.io import read_leads
from funnelkit.model import Lead

__all__ = [
    "DEMO_AS_OF",
    "demo_path",
    "load_demo",
    "demo_outcomes_path",
    "load_demo_outcomes",
]

DEMO_AS_OF: datetime = datetime(2026, 11, 1, tzinfo=UTC)
"""The reference instant of the demo data: pass it as ``as_of`` when you qualify it."""

_DEMO_FILE = "demo_leads.jsonl"
_OUTCOMES_FILE = "demo_outcomes.csv"


def demo_path() -> Path:
    """Return the path of the bundled demo file (JSON Lines, one lead a line).

    Returns:
        The path of ``demo_leads.jsonl`` inside the installed package.

    Examples:
        >>> demo_path().suffix
        '.jsonl'
    """
    return Path(__file__).resolve().with_name(_DEMO_FILE)


def load_demo() -> tuple[Lead, ...]:
    """Load the bundled demo leads.

    The file is read and validated on the first call only; later calls return the same
    tuple. That is safe to share because leads are deeply immutable (frozen attrs classes
    holding tuples, frozensets and scalars): derive changed leads with ``attrs.evolve``.
    To read the file afresh, use ``read_leads(demo_path(), format="jsonl")``.

    Returns:
        The 2,500 demo leads, in file order (ids ``L-00001`` to ``L-02500``).

    Raises:
        funnelkit.errors.RecordError: If the file was damaged (it is checked by the tests).

    Examples:
        >>> leads = load_demo()
        >>> sum(lead.contact is None for lead in leads) > 0  # lists without a contact
        True
        >>> load_demo() is leads  # read once per process
        True
    """
    return _read_demo()


@cache
def _read_demo() -> tuple[Lead, ...]:
    """Read and validate the demo file (once: ``load_demo`` shares the result)."""
    return read_leads(demo_path(), format="jsonl").leads


def demo_outcomes_path() -> Path:
    """Return the path of the demo leads' outcomes (CSV: ``lead_id``, ``converted``).

    Returns:
        The path of ``demo_outcomes.csv`` inside the installed package.

    Examples:
        >>> demo_outcomes_path().name
        'demo_outcomes.csv'
    """
    return Path(__file__).resolve().with_name(_OUTCOMES_FILE)


def load_demo_outcomes() -> Mapping[str, bool | None]:
    """Load the outcomes of the demo leads, by lead id.

    Each demo lead has one: ``True`` if it converted in the two quarters after
    [`DEMO_AS_OF`][funnelkit.data.DEMO_AS_OF], ``False`` if not, ``None`` if that is not
    known (it was already closed at that date, or is still open). They are drawn so
    that the ``starter`` preset predicts them well but not perfectly, and free-trial
    leads without a known company size convert more often than their fit score says.
    Pass them to ``funnelkit.analytics.backtest`` with ``as_of=DEMO_AS_OF``.

    Returns:
        Lead id to outcome, read once per process (a read-only mapping).

    Examples:
        >>> outcomes = load_demo_outcomes()
        >>> len(outcomes), sum(v is None for v in outcomes.values()) > 0
        (2500, True)
    """
    return _read_outcomes()


@cache
def _read_outcomes() -> Mapping[str, bool | None]:
    from funnelkit.analytics import read_outcomes

    return MappingProxyType(read_outcomes(demo_outcomes_path()))
