"""How a Lead shows in a notebook: its facts as a small table, missing ones marked.

E-mail addresses and phone numbers are left out: a notebook is often shared.
"""

from __future__ import annotations

import html
from collections import Counter
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from funnelkit.model._lead import Lead

__all__ = ["lead_html"]

_MISSING = '<span style="opacity:0.6">missing</span>'


def _cell(value: object) -> str:
    if value is None:
        return _MISSING
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, frozenset | set | tuple | list):
        if not value:
            return "none"
        value = ", ".join(sorted(str(v.value if isinstance(v, Enum) else v) for v in value))
    return html.escape(str(value))


def lead_html(lead: Lead) -> str:
    """The HTML table of a lead's facts (what ``Lead._repr_html_`` shows)."""
    company, contact, bant = lead.company, lead.contact, lead.bant
    rows: list[tuple[str, object]] = [
        ("stage", lead.stage),
        ("source", f"{lead.source.direction.value} / {lead.source.channel or 'no channel'}"),
    ]
    if company is None:
        rows.append(("company", None))
    else:
        rows += [
            ("company", company.name),
            ("company.industry", company.industry),
            ("company.employees", company.employees),
            ("company.country", company.country),
            ("company.annual_revenue", company.annual_revenue),
            ("company.technologies", company.technologies),
        ]
    if contact is None:
        rows.append(("contact", None))
    else:
        rows += [
            ("contact.title", contact.title),
            ("contact.seniority", contact.seniority),
            ("contact.department", contact.department),
            ("contact.buying_roles", contact.buying_roles),
        ]
    rows += [
        ("bant.budget.status", bant.budget.status),
        ("bant.authority.level", bant.authority.level),
        ("bant.need.pain_points", len(bant.need.pain_points)),
        ("bant.timeline.decision_date", bant.timeline.decision_date),
    ]
    kinds = Counter(signal.kind for signal in lead.signals)
    summary = ", ".join(f"{kind} x{n}" for kind, n in sorted(kinds.items())) or "none"
    rows.append(("signals", summary))
    body = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td><td>{_cell(v)}</td></tr>" for k, v in rows
    )
    title = html.escape(lead.id) if lead.id is not None else "(no id)"
    return f'<div class="funnelkit-lead"><p><strong>{title}</strong></p><table>{body}</table></div>'
