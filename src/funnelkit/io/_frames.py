"""Qualifications as flat rows and as polars data frames, for notebooks and exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from funnelkit.errors import MissingExtraError
from funnelkit.qualify import Qualification

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["qualification_row", "qualification_rows", "qualifications_frame"]

_STATUS = {"true": "met", "false": "unmet", "unknown": "unknown"}
SCORE_SCALE = 4
"""Decimal places of the score columns of a frame (as ``funnelkit.rules.SCORE_PLACES``)."""


def qualification_row(q: Qualification) -> dict[str, Any]:
    """One qualification as a flat dict of plain values (one column per fact).

    Columns: ``lead_id``, ``policy``, ``as_of``, ``stage``, ``stage_label``,
    ``rule_stage``, ``fit``, ``fit_grade``, ``engagement``, ``engagement_grade``,
    ``segment``, ``priority`` and ``priority_grade`` (only under a policy with a priority
    rule), then ``gate_<stage>`` (``true`` / ``false`` / ``unknown``), then per
    framework ``<framework>_<criterion>`` (``met`` / ``unmet`` / ``unknown``) and
    ``<framework>_met`` (a count), then ``next_fact`` (the most useful fact to find out,
    or ``None``), ``next_facts`` and ``expired_evidence`` (lists of paths).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.qualify import STARTER, qualify
        >>> row = qualification_row(qualify(load_demo()[1], STARTER, as_of=DEMO_AS_OF))
        >>> ", ".join(list(row)[:6])
        'lead_id, policy, as_of, stage, stage_label, rule_stage'
    """
    row: dict[str, Any] = {
        "lead_id": q.lead_id,
        "policy": q.policy,
        "as_of": q.as_of,
        "stage": q.stage,
        "stage_label": q.stage_label,
        "rule_stage": q.rule_stage,
        "fit": q.fit,
        "fit_grade": q.fit_grade,
        "engagement": q.engagement,
        "engagement_grade": q.engagement_grade,
        "segment": q.segment,
    }
    if q.priority is not None:
        row["priority"] = q.priority
        row["priority_grade"] = q.priority_grade
    for stage, truth in q.gates:
        row[f"gate_{stage}"] = truth.value
    counts: dict[str, int] = {}
    for c in q.criteria:
        row[f"{c.framework}_{c.key}"] = _STATUS[c.status.value]
        counts[c.framework] = counts.get(c.framework, 0) + int(c.status.is_true)
    for framework, met in counts.items():
        row[f"{framework}_met"] = met
    row["next_fact"] = q.next_facts[0].path if q.next_facts else None
    row["next_facts"] = [f.path for f in q.next_facts]
    row["expired_evidence"] = list(q.expired_evidence)
    return row


def qualification_rows(qualifications: Iterable[Qualification]) -> Iterator[dict[str, Any]]:
    """``qualification_row`` for each qualification, lazily."""
    return (qualification_row(q) for q in qualifications)


def qualifications_frame(qualifications: Iterable[Qualification]) -> pl.DataFrame:
    """Qualifications as a polars DataFrame, one row per lead (see ``qualification_row``).

    Scores are exact ``Decimal`` columns with ``SCORE_SCALE`` places; truth values and
    criterion statuses are strings.

    Raises:
        MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.qualify import STARTER, qualify_many
        >>> frame = qualifications_frame(
        ...     qualify_many(load_demo()[:50], STARTER, as_of=DEMO_AS_OF, explain=False))
        >>> frame.height, frame.schema["fit"]
        (50, Decimal(precision=38, scale=4))
    """
    try:
        import polars as pl
    except ImportError as err:  # pragma: no cover - exercised without polars
        raise MissingExtraError("polars", "polars") from err
    rows = list(qualification_rows(qualifications))
    scores = ["fit", "engagement", *(["priority"] if any("priority" in r for r in rows) else [])]
    for row in rows:
        for name in scores:
            if row.get(name) is not None:
                row[name] = Decimal(row[name])
    score = pl.Decimal(38, SCORE_SCALE)
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.with_columns(pl.col(name).cast(score) for name in scores)
