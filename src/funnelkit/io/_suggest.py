"""A starter column mapping, guessed from a CSV file's header and a sample of its cells."""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from funnelkit.io._columns import Column, SignalColumn
from funnelkit.io._csv import unique_header
from funnelkit.io._flat import nest_mapped
from funnelkit.io._mapping import ColumnMapping, Entry
from funnelkit.io._presets import HUBSPOT_MAPPING, SALESFORCE_MAPPING
from funnelkit.io._readers import _build
from funnelkit.io._schema import CUSTOM_PREFIX, known_paths
from funnelkit.io._values import country_code, name_key, snake_case

__all__ = ["suggest_mapping"]

PLACEHOLDERS = frozenset(
    {"select", "n/a", "na", "-", "--", "null", "none", "unknown", "?", "#n/a", "nan", "not set"}
)
"""Cell texts (in any case) that exports use for "not filled"."""

NAMES: dict[str, str] = {
    "id": "id",
    "lead id": "id",
    "prospect id": "id",
    "record id": "id",
    "email": "contact.email",
    "email address": "contact.email",
    "e mail": "contact.email",
    "name": "contact.name",
    "full name": "contact.name",
    "contact name": "contact.name",
    "phone": "contact.phone",
    "phone number": "contact.phone",
    "title": "contact.title",
    "job title": "contact.title",
    "seniority": "contact.seniority",
    "department": "contact.department",
    "company": "company.name",
    "company name": "company.name",
    "account name": "company.name",
    "organization": "company.name",
    "website": "company.domain",
    "domain": "company.domain",
    "industry": "company.industry",
    "employees": "company.employees",
    "number of employees": "company.employees",
    "company size": "company.employees",
    "annual revenue": "company.annual_revenue.amount",
    "revenue": "company.annual_revenue.amount",
    "currency": "company.annual_revenue.currency",
    "country": "company.country",
    "country region": "company.country",
    "region": "company.region",
    "lead source": "source.channel",
    "source": "source.channel",
    "campaign": "source.campaign",
    "owner": "owner",
    "lead owner": "owner",
}
"""Common column names (in the form ``name_key`` gives) -> lead field paths."""

ACTIVITY_WORDS = frozenset(
    {
        "email",
        "opened",
        "clicked",
        "visited",
        "visit",
        "chat",
        "conversation",
        "submitted",
        "form",
        "sent",
        "call",
        "called",
        "download",
        "downloaded",
        "webinar",
        "page",
        "replied",
        "bounced",
        "unsubscribed",
        "attended",
        "registered",
        "sms",
    }
)
"""Words that make a category look like an activity ("Email Opened", "Olark Chat")."""

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEAN = frozenset({"yes", "no", "true", "false", "y", "n"})
_BITS = frozenset({"0", "1"})
MAX_ROUNDS = 5


def suggest_mapping(
    source: str | os.PathLike[str] | IO[str], *, sample: int = 10_000
) -> ColumnMapping:
    r"""Guess a starter mapping for a CSV export from its header and a sample of rows.

    It finds placeholder texts ("Select", "N/A", "-"), columns named like lead fields
    (including the HubSpot and Salesforce names), countries given as names, yes/no and
    0/1 columns, whole numbers, numbers and ISO dates (kept as typed custom attributes),
    and categories that read like activities ("Email Opened"), which become signals
    dated by a ``... Date`` column next to them or by the latest date in the file. Every
    other column is kept as a custom attribute (``unmapped="custom"``). The mapping is
    then tried on the sample: a column whose cells still cannot be read is made lenient
    (``on_error="missing"``), and a column a field refuses is kept as text instead, so
    that every sampled row loads.

    Args:
        source: A CSV file (path or open text file) with a header row.
        sample: How many rows to look at (the first ones).

    Returns:
        The mapping; review it, then save it with
        [`ColumnMapping.to_data`][funnelkit.io.ColumnMapping.to_data].

    Examples:
        >>> import io
        >>> text = "Lead ID,Country,Opted Out,Visits\nL-1,India,Yes,3\nL-2,Select,No,\n"
        >>> mapping = suggest_mapping(io.StringIO(text))
        >>> sorted(mapping.missing), mapping.target("Country")
        (['Select'], 'company.country')
        >>> columns = mapping.to_data()["columns"]
        >>> columns["Visits"]
        {'to': 'custom.visits', 'type': 'integer'}
    """
    header, rows = _read_sample(source, sample)
    columns = {name: [row.get(name, "") for row in rows] for name in header}
    tokens = _placeholders(columns.values())
    missing = {t.strip().lower() for t in tokens}
    filled = {
        name: [c.strip() for c in cells if c.strip() and c.strip().lower() not in missing]
        for name, cells in columns.items()
    }
    dates = _date_columns(filled)
    latest = max((d for name in dates for d in _dates(filled[name])), default=None)
    entries: dict[str, Entry] = {}
    for name in header:
        entry = _guess(name, filled[name], header, dates, latest is not None)
        if entry is not None:
            entries[name] = entry
    signals_at = (
        datetime(latest.year, latest.month, latest.day, tzinfo=UTC) if latest is not None else None
    )
    mapping = ColumnMapping(
        entries, unmapped="custom", missing=frozenset(tokens), signals_at=signals_at
    )
    return _settle(mapping, rows)


def _read_sample(
    source: str | os.PathLike[str] | IO[str], sample: int
) -> tuple[list[str], list[dict[str, str]]]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open(encoding="utf-8-sig", newline="") as file:
            return _read_sample(file, sample)
    reader = csv.reader(source)
    first = next(reader, None) or []
    header = unique_header(first, ColumnMapping({}, unmapped="custom"))
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= sample:
            break
        if any(cell.strip() for cell in row):
            rows.append(dict(zip(header, row, strict=False)))
    return header, rows


def _placeholders(columns: Iterable[list[str]]) -> set[str]:
    """The placeholder texts found, as written (``Select``, ``N/A``)."""
    found: set[str] = set()
    for cells in columns:
        found.update(c.strip() for c in cells if c.strip().lower() in PLACEHOLDERS)
    return found


def _date_columns(filled: Mapping[str, list[str]]) -> set[str]:
    return {name for name, cells in filled.items() if cells and all(_is_date(c) for c in cells)}


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _dates(cells: Iterable[str]) -> Iterable[date]:
    return (date.fromisoformat(c) for c in cells)


def _guess(
    name: str, cells: Sequence[str], header: Sequence[str], dates: set[str], dated: bool
) -> Entry | None:
    """The entry for one column, or ``None`` to keep it as ``custom.<name>`` text."""
    path = _known_name(name)
    if path is not None:
        return path
    if not cells:
        return None
    lowered = {c.lower() for c in cells}
    if (
        len(lowered) >= 2
        and all(country_code(c) for c in cells)
        and not (lowered <= _BITS or all(_INT.fullmatch(c) for c in cells))
    ):
        return "company.country"
    custom = CUSTOM_PREFIX + snake_case(name)
    if lowered <= _BOOLEAN | _BITS and (lowered & _BOOLEAN or lowered <= _BITS):
        return Column(custom, type="boolean")
    if all(_INT.fullmatch(c) for c in cells):
        return Column(custom, type="integer")
    if all(_NUMBER.fullmatch(c) for c in cells):
        return Column(custom, type="number")
    if name in dates:
        return Column(custom, type="date")
    if _looks_like_activities(name, cells):
        at = next(
            (h for h in header if h in dates and name_key(h) == name_key(name) + " date"), None
        )
        if at is not None or dated:
            return SignalColumn(at=at)
    return None


def _known_name(name: str) -> str | None:
    key = name_key(name)
    if key in NAMES:
        return NAMES[key]
    for preset in (HUBSPOT_MAPPING, SALESFORCE_MAPPING):
        entry = preset.columns.get(name)
        if isinstance(entry, str) and not entry.startswith(CUSTOM_PREFIX):
            return entry
    return name if name in known_paths() else None


def _looks_like_activities(name: str, cells: Sequence[str]) -> bool:
    counts = Counter(cells)
    if not 3 <= len(counts) <= 60 or any(len(value.split()) > 4 for value in counts):
        return False  # activities are a few short names, not free text
    if "activity" in name_key(name).split():
        return True
    wordy = sum(n for value, n in counts.items() if set(name_key(value).split()) & ACTIVITY_WORDS)
    return wordy >= 0.6 * len(cells)


def _settle(mapping: ColumnMapping, rows: Sequence[Mapping[str, Any]]) -> ColumnMapping:
    """Try the mapping on the sample; loosen the columns that refuse rows, and try again."""
    from funnelkit.io._csv import Row

    for _ in range(MAX_ROUNDS):
        columns: dict[str, Entry] = dict(mapping.columns)
        bad: set[str] = set()
        for number, raw in enumerate(rows, 1):
            flat = nest_mapped(raw, mapping)
            result = _build(Row(number, None, raw, flat))
            if isinstance(result, Exception):
                for problem in result.problems:
                    bad.update(_columns_of(problem.path, flat.columns, problem.expected))
        if not bad:
            return mapping
        for name in bad:
            entry = columns.get(name, CUSTOM_PREFIX + name)
            if isinstance(entry, str) and not entry.startswith(CUSTOM_PREFIX):
                columns[name] = Column(entry, on_error="missing")
            elif isinstance(entry, Column) and entry.on_error == "error":
                columns[name] = Column(entry.to, type=entry.type, on_error="missing")
            elif isinstance(entry, SignalColumn) and entry.on_error == "error":
                columns[name] = SignalColumn(entry.reads, at=entry.at, on_error="missing")
            else:
                columns[name] = CUSTOM_PREFIX + snake_case(name)
        mapping = mapping.extend(columns)
    return mapping  # pragma: no cover - a text custom attribute always loads


def _columns_of(path: str, columns: Mapping[str, str], expected: str) -> set[str]:
    named = re.search(r"\(column '([^']*)'", expected)
    if named:
        return {named.group(1)}
    return {c for p, c in columns.items() if path == p or path.startswith((p + ".", p + "["))}
