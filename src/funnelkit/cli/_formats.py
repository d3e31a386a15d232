"""How ``funnelkit qualify`` writes results: a rich table, JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from funnelkit.cli._render import Section
from funnelkit.model import FrozenDict

if TYPE_CHECKING:
    from funnelkit.qualify import Policy, Qualification

__all__ = [
    "NOT_A_LEAD",
    "csv_columns",
    "csv_row",
    "number",
    "qualification_record",
    "stage_name",
    "table_section",
    "top_next_fact",
    "write_csv",
    "write_jsonl",
]

NOT_A_LEAD = "not a lead"
"""What the table shows for a list entry that no stage's entry rule admits."""


def number(value: object) -> str:
    """A score for people: whole numbers as they are, others to one decimal (``11.0``)."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(int(value) if isinstance(value, Decimal) else value)


def _plain(value: object) -> object:
    # The JSON form of a value, as Qualification.to_dict writes it.
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FrozenDict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_to_dict_fails = False


def qualification_record(q: Qualification, *, explanation: bool = False) -> dict[str, Any]:
    """``q.to_dict()``: one JSON-ready dict per qualification.

    Args:
        q: The qualification.
        explanation: Include the explanation tree (large).

    Returns:
        The dict ``Qualification.to_dict`` documents.
    """
    global _to_dict_fails
    if not _to_dict_fails:
        try:
            return q.to_dict(explanation=explanation)
        except TypeError:
            # Qualification.to_dict fails for now (its converter's catch-all hook returns
            # the Qualification itself): build the same dict here until it is fixed.
            _to_dict_fails = True
    out: dict[str, Any] = attrs.asdict(
        q,
        filter=lambda field, _value: field.name != "explanation",
        value_serializer=lambda _inst, _field, value: _plain(value),
    )
    out["gates"] = {stage: truth.value for stage, truth in q.gates}
    out["segment"] = q.segment
    if explanation:
        out["explanation"] = q.explanation.to_dict() if q.explanation is not None else None
    return out


def write_jsonl(qualifications: Iterable[Qualification], out: TextIO) -> int:
    """Write one compact JSON object per qualification and line; return how many.

    Args:
        qualifications: The results.
        out: Where to write.

    Returns:
        The number of lines written.
    """
    count = 0
    for q in qualifications:
        out.write(json.dumps(qualification_record(q), ensure_ascii=False) + "\n")
        count += 1
    return count


def stage_name(q: Qualification) -> str:
    """The stage's label, or ``not a lead`` for a list entry."""
    return q.stage_label or q.stage or NOT_A_LEAD


def top_next_fact(q: Qualification, policy: Policy, *, arrow: bool = True) -> str:
    """The most useful fact to find out, with the stage it could unlock (``→ Stage``).

    Args:
        q: The qualification (explained; otherwise there are no next facts).
        policy: The policy, for the stage's label.
        arrow: Add `` → <stage>`` when the fact could unlock a stage.

    Returns:
        The fact's path, or ``""`` when there is none.
    """
    if not q.next_facts:
        return ""
    fact = q.next_facts[0]
    if arrow and fact.unlocks and fact.unlocks[0] in policy.funnel:
        return f"{fact.path} → {policy.funnel.stage(fact.unlocks[0]).label}"
    return fact.path


def csv_columns(policy: Policy) -> tuple[str, ...]:
    """The CSV header: ids, stage, scores and grades, each framework's met count, next fact."""
    met = tuple(f"{fw.key}_met" for fw in policy.frameworks)
    return (
        "lead_id",
        "stage",
        "fit",
        "fit_grade",
        "engagement",
        "engagement_grade",
        "segment",
        *met,
        "next_fact",
    )


def csv_row(q: Qualification, policy: Policy) -> tuple[str | int, ...]:
    """One CSV row (see ``csv_columns``); the stage is its key, empty for a list entry."""
    return (
        q.lead_id or "",
        q.stage or "",
        str(_plain(q.fit)),
        q.fit_grade,
        str(_plain(q.engagement)),
        q.engagement_grade,
        q.segment,
        *(q.met(fw.key) for fw in policy.frameworks),
        top_next_fact(q, policy, arrow=False),
    )


def write_csv(qualifications: Iterable[Qualification], policy: Policy, out: TextIO) -> int:
    """Write a header and one row per qualification; return how many rows.

    Args:
        qualifications: The results.
        policy: The policy they came from (its frameworks give columns).
        out: Where to write.

    Returns:
        The number of rows written (without the header).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(policy))
    count = 0
    for q in qualifications:
        writer.writerow(csv_row(q, policy))
        count += 1
    return count


def table_section(
    qualifications: Iterable[Qualification], policy: Policy, *, caption: str | None = None
) -> Section:
    """The table: id, stage, fit and grade, engagement and grade, segment, BANT, next fact.

    Args:
        qualifications: The results.
        policy: The policy (BANT is shown when it has the ``bant`` framework).
        caption: A line under the table.

    Returns:
        The section to render.
    """
    bant = next((fw for fw in policy.frameworks if fw.key == "bant"), None)
    columns = ["id", "stage", "fit", "engagement", "segment"]
    if bant is not None:
        columns.append("BANT met")
    columns.append("top next fact")
    rows = []
    for q in qualifications:
        row: list[str] = [
            q.lead_id or "(no id)",
            stage_name(q),
            f"{number(q.fit)} ({q.fit_grade})",
            f"{number(q.engagement)} ({q.engagement_grade})",
            q.segment,
        ]
        if bant is not None:
            row.append(f"{q.met('bant')}/{len(bant.criteria)}")
        row.append(top_next_fact(q, policy) or "-")
        rows.append(tuple(row))
    return Section(
        title=f"Qualified with {policy.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        caption=caption,
        right=frozenset({"fit", "engagement", "BANT met"}),
    )
