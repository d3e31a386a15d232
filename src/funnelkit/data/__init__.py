"""Demo data shipped with funnelkit: 2,500 fictional B2B leads with realistic gaps.

The leads come from inbound channels (web forms, demo requests, content downloads,
webinars, free trials, contact-sales forms) and outbound ones (purchased lists, trade-show
badge scans, cold outreach). Like real CRM data, many know little: a badge scan may name
only a company, a purchased list may have no contact at all, and budget is rarely known.
Timestamps are relative to 2026-11-01 (see [`DEMO_AS_OF`][funnelkit.data.DEMO_AS_OF]).
Company domains use the reserved ``.example`` top-level domain.

The file is written by ``scripts/make_demo_data.py`` (seeded, so it is reproducible).

Example:
    >>> from funnelkit.data import demo_path, load_demo
    >>> demo_path().name
    'demo_leads.jsonl'
    >>> leads = load_demo()
    >>> len(leads), leads[0].id
    (2500, 'L-00001')
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from funnelkit.io import read_leads
from funnelkit.model import Lead

__all__ = ["DEMO_AS_OF", "demo_path", "load_demo"]

DEMO_AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
"""The reference instant of the demo data: pass it as ``as_of`` when you qualify it."""

_DEMO_FILE = "demo_leads.jsonl"


def demo_path() -> Path:
    """Return the path of the bundled demo file (JSON Lines, one lead a line).

    Returns:
        The path of ``demo_leads.jsonl`` inside the installed package.

    Example:
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

    Example:
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
