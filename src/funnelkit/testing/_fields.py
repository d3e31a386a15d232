"""Field values of a lead, path by path: what the model accepts, in the words rules use.

``field_values(path)`` generates values for one field path and ``with_field`` sets one
on a copy of a lead; the rule-tree strategies (``_rules``) compare fields with literals
drawn from the same vocabularies, so that generated rules and leads meet often.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from funnelkit.model import COUNTRY_CODES, Evidence, FrozenDict, Lead, Money, is_unknown_member
from funnelkit.rules import known_paths
from funnelkit.rules.tree import field_info
from funnelkit.testing import _primitives as p

__all__ = ["field_values", "with_field", "paths_by_kind", "words_for", "texts_for"]

_SKIPPED = frozenset({"account_id", "company.id"})  # must agree with each other
_CUSTOM_KEYS = ("tier", "segment")
_WORDS: dict[str, Sequence[str]] = {
    "industry": p.INDUSTRIES,
    "region": p.REGIONS,
    "department": p.DEPARTMENTS,
    "title": p.TITLES,
    "channel": p.CHANNELS,
    "technologies": p.TECHNOLOGIES,
    "tags": p.TAGS,
    "funding_stage": ("seed", "series_a", "series_b", "public"),
    "period": ("annual", "one-off", "FY2027"),
    "source": ("discovery call", "web form", "enrichment", "rep"),
    "decided_by": ("CFO", "VP Sales", "procurement"),
    "catalysing_event": ("contract renewal", "audit", "new CRO"),
    "campaign": ("spring_webinar", "g2_reviews", "outbound_q3"),
    "owner": ("ana.ruiz", "Sam Lee", "team-emea"),
    "name": ("Acme", "Globex", "Ana Ruiz", "Initech"),
    "tier": ("gold", "silver", "bronze"),
    "segment": ("smb", "mid", "enterprise"),
}
_GENERIC_WORDS = ("acme", "Acme Corp", "x")


@functools.cache
def paths_by_kind() -> dict[str, tuple[str, ...]]:
    """Readable paths grouped by kind (``custom.<key>`` paths as kind ``any``)."""
    grouped: dict[str, list[str]] = {}
    for path in known_paths():
        if path not in _SKIPPED:
            grouped.setdefault(field_info(path).kind, []).append(path)
    grouped["any"] = [f"custom.{key}" for key in _CUSTOM_KEYS]
    return {kind: tuple(paths) for kind, paths in grouped.items()}


def words_for(path: str) -> Sequence[str]:
    """The vocabulary of text values for a path (by its last part), or generic words."""
    return _WORDS.get(path.rsplit(".", 1)[-1], _GENERIC_WORDS)


def texts_for(path: str) -> SearchStrategy[str]:
    """Text values for a path: countries, domains, e-mails, ids, or its vocabulary."""
    special: dict[str, SearchStrategy[str]] = {
        "company.country": st.sampled_from(("US", "CA", "GB", "DE", "FR"))
        | st.sampled_from(sorted(COUNTRY_CODES)),
        "company.domain": p.domains(),
        "contact.email": p.emails(),
        "contact.phone": p.phones(),
        "id": p.ids("L"),
        "contact.id": p.ids("P"),
    }
    if path in special:
        return special[path]
    if path.endswith(".currency"):
        return st.sampled_from(("USD", "EUR", "GBP"))
    return p.text_from(words_for(path), max_size=20)


def field_values(path: str, *, unknown: bool = False) -> SearchStrategy[Any]:
    """Values the model accepts at a field path, in the vocabulary rules use.

    Args:
        path: A readable path (``company.employees``, ``contact.seniority``,
            ``custom.tier``); see [`known_paths`][funnelkit.rules.known_paths].
        unknown: For enum fields, also produce the ``UNKNOWN`` member (which rules read
            as missing).

    Returns:
        A strategy for values of the path's type that pass the model's validators.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import field_values

        @given(field_values("company.employees"))
        def test_head_counts_are_not_negative(n):
            assert n >= 0
        ```
    """
    info = field_info(path)
    last = path.rsplit(".", 1)[-1]
    if info.kind == "int":
        bounds = {"founded_year": (1800, 2035), "horizon_days": (0, 730)}.get(last, (0, 10**6))
        thresholds = st.sampled_from((0, 10, 50, 100, 1000, 5000))
        low, high = bounds
        return thresholds.filter(lambda n: low <= n <= high) | st.integers(low, high)
    if info.kind == "float":
        return st.floats(min_value=0, max_value=1)
    if info.kind == "decimal":
        return p.amounts(max_value=10**8)
    if info.kind == "bool":
        return st.booleans()
    if info.kind == "date":
        return st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
    if info.kind == "datetime":
        return p.aware_datetimes()
    if info.kind == "money":
        return st.builds(
            Money, amount=p.amounts(max_value=10**8), currency=st.sampled_from(("USD", "EUR"))
        )
    if info.kind == "enum" and info.enum is not None:
        return st.sampled_from([m for m in info.enum if unknown or not is_unknown_member(m)])
    if info.kind == "set":
        if info.enum is not None:
            return st.frozensets(st.sampled_from(list(info.enum)), max_size=3)
        return st.frozensets(p.text_from(words_for(path), max_size=20), max_size=3)
    if info.kind in ("str", "any"):
        return texts_for(path)
    raise ValueError(f"no values for {path!r} ({info.kind})")


def _empty(cls: type) -> Any:
    """A fresh object of a model class with every optional field missing."""
    if cls is Money:
        return Money(amount=0)
    return cls()


def _set(obj: Any, cls: type, parts: Sequence[str], value: object) -> Any:
    head, rest = parts[0], parts[1:]
    if obj is None:
        obj = _empty(cls)
    if isinstance(obj, FrozenDict):
        return {**obj, head: value}
    hints = typing.get_type_hints(type(obj))
    inner: object = value
    if rest:
        tp = hints[head]
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        sub = args[0] if args and typing.get_origin(tp) is not FrozenDict else tp
        inner = _set(getattr(obj, head), typing.get_origin(sub) or sub, rest, value)
    if isinstance(obj, Evidence) and isinstance(inner, datetime):
        inner = _within_evidence(obj, head, inner)
    return attrs.evolve(obj, **{head: inner})


def _within_evidence(evidence: Evidence, name: str, value: datetime) -> datetime:
    """``value`` for ``asserted_at`` or ``expires_at``, clamped to the other bound.

    The model refuses evidence that expires before it was asserted.
    """
    if name == "asserted_at" and evidence.expires_at is not None:
        return min(value, evidence.expires_at)
    if name == "expires_at" and evidence.asserted_at is not None:
        return max(value, evidence.asserted_at)
    return value


def with_field(lead: Lead, path: str, value: object) -> Lead:
    """Return a copy of ``lead`` with the field at ``path`` set to ``value``.

    Missing objects on the way (the company, the contact, a piece of evidence, an amount
    of money) are created empty first, so their other fields stay missing (or take their
    defaults, such as an empty set of technologies). Only the field at ``path`` changes:
    an ``asserted_at`` after the evidence's ``expires_at`` (or an ``expires_at`` before
    its ``asserted_at``), which the model refuses, is clamped to the other bound.

    Args:
        lead: The lead.
        path: A readable path such as ``company.employees`` or ``custom.tier``.
        value: A value the model accepts there (see `field_values`).

    Returns:
        The new lead; the old one is unchanged.

    Examples:
        >>> from funnelkit.model import Lead
        >>> with_field(Lead(), "company.employees", 120).company.employees
        120
    """
    new: Lead = _set(lead, Lead, path.split("."), value)
    return new
