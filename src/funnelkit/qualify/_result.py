"""What qualifying a lead returns: stage, scores, criteria, next facts, explanation."""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum
from typing import Any, TypeVar, get_origin

import attrs
import cattrs

from funnelkit.errors import InvalidArgumentError
from funnelkit.model import Evidence, FrozenDict
from funnelkit.rules import Explanation, Truth

__all__ = ["CriterionResult", "NextFact", "Qualification", "kept", "result_row"]

Number = int | Decimal


@attrs.frozen(kw_only=True)
class CriterionResult:
    """One framework criterion for one lead: met, unmet or unknown, and why.

    Attributes:
        framework: The framework's key (``bant``).
        key: The criterion's key (``budget``).
        label: The criterion's name (``Budget``).
        status: ``Truth.TRUE`` (met), ``FALSE`` (unmet) or ``UNKNOWN``.
        evidence: The evidence recorded for the facts it reads, if any.
        expired: The evidence has expired, so its facts count as unknown.
        unknown_facts: The missing facts that could change the status (when explained).
    """

    framework: str
    key: str
    label: str
    status: Truth
    evidence: Evidence | None = None
    expired: bool = False
    unknown_facts: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``framework.key``, e.g. ``bant.budget``."""
        return f"{self.framework}.{self.key}"


@attrs.frozen(kw_only=True)
class NextFact:
    """A missing fact worth finding out, and what finding it out could change.

    Attributes:
        path: The field path (``bant.budget.status``).
        unlocks: Stages the lead could enter once the fact is known, nearest first.
        criteria: Framework criteria it could meet (``bant.budget``).
        scores: Scores it could change (``fit``, ``engagement``).
        reason: The same, in one sentence.
    """

    path: str
    unlocks: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    scores: tuple[str, ...] = ()
    reason: str = ""

    def as_row(self) -> dict[str, Any]:
        """The fact as a ``next_facts`` cell of ``qualify_frame`` holds it (lists, not tuples).

        Examples:
            >>> NextFact(path="contact.seniority", scores=("fit",)).as_row()["scores"]
            ['fit']
        """
        return {
            "path": self.path,
            "unlocks": list(self.unlocks),
            "criteria": list(self.criteria),
            "scores": list(self.scores),
            "reason": self.reason,
        }


def shown(value: object) -> str:
    """A score for people: whole numbers as they are, others to one decimal place.

    The exact value stays in the attribute and in ``to_dict``; text and HTML views round
    it (half to even) so that ``46.6949`` reads ``46.7``.

    Examples:
        >>> shown(Decimal("46.6949")), shown(Decimal("30.0000")), shown(12), shown(None)
        ('46.7', '30', '12', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _plain(value: object) -> object:
    if isinstance(value, Truth | Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, FrozenDict | dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_converter = cattrs.Converter()
_converter.register_unstructure_hook(Truth, lambda t: t.value)
_converter.register_unstructure_hook(Decimal, _plain)
_converter.register_unstructure_hook(datetime, _plain)
_converter.register_unstructure_hook(date, _plain)


def _is_frozendict(tp: Any) -> bool:
    return (get_origin(tp) or tp) is FrozenDict


_converter.register_unstructure_hook_func(_is_frozendict, _plain)
_converter.register_unstructure_hook(Explanation, lambda e: e.to_dict())


@attrs.frozen(kw_only=True)
class Qualification:
    """Where a lead stands under a policy at one instant, and why.

    Attributes:
        lead_id: The lead's id.
        as_of: The instant it was judged at.
        policy: The policy as ``name@version``.
        stage: The stage the lead stands in: its current stage, moved forward when the
            rules place it further (never backward), or ``None`` for a list entry that
            no stage's entry rule admits.
        stage_label: The stage's name, for people.
        rule_stage: The furthest stage the entry rules alone admit (``None``: none).
        gates: Each gated stage's entry rule outcome, in funnel order.
        fit: The fit score.
        fit_grade: The fit grade (``A`` ... ``D`` by default).
        engagement: The engagement score.
        engagement_grade: The engagement grade (``1`` ... ``4`` by default).
        priority: Fit and engagement combined, when the policy has a priority rule.
        priority_grade: The priority grade (``hot``, ``warm``, ``cold`` by default), when
            the policy has a priority rule.
        criteria: Every framework criterion's result, framework by framework.
        next_facts: Missing facts worth finding out, most useful first.
        expired_evidence: BANT parts whose evidence had expired at ``as_of`` (their facts
            counted as unknown).
        foreign_stage: The lead's stage when the policy's funnel does not have it and
            its ``stage_map`` places it nowhere (history from another funnel): the lead
            keeps that stage and rules do not move it. ``None`` otherwise.
        outputs: Every output of the policy's rule set, by name.
        explanation: The full explanation (``None`` when qualified without explaining).
    """

    lead_id: str | None
    as_of: datetime
    policy: str
    stage: str | None
    stage_label: str | None
    rule_stage: str | None
    gates: tuple[tuple[str, Truth], ...]
    fit: Number
    fit_grade: str
    engagement: Number
    engagement_grade: str
    priority: Number | None = None
    priority_grade: str | None = None
    criteria: tuple[CriterionResult, ...] = ()
    next_facts: tuple[NextFact, ...] = ()
    expired_evidence: tuple[str, ...] = ()
    foreign_stage: str | None = None
    outputs: FrozenDict[str, object] = attrs.field(factory=FrozenDict)
    explanation: Explanation | None = attrs.field(default=None, repr=False)

    @property
    def segment(self) -> str:
        """Fit grade and engagement grade together, e.g. ``A1`` (the lead-scoring grid)."""
        return f"{self.fit_grade}{self.engagement_grade}"

    @property
    def is_lead(self) -> bool:
        """Whether the lead is in the funnel at all (a list entry is not)."""
        return self.stage is not None

    def framework(self, key: str) -> tuple[CriterionResult, ...]:
        """The results of one framework's criteria, in order."""
        return tuple(c for c in self.criteria if c.framework == key)

    def met(self, framework: str) -> int:
        """How many of a framework's criteria are met."""
        return sum(1 for c in self.framework(framework) if c.status is Truth.TRUE)

    def to_dict(self, *, explanation: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the explanation only when asked for: it is large)."""
        source = self if explanation else attrs.evolve(self, explanation=None)
        out: dict[str, Any] = _converter.unstructure(source)
        out["gates"] = {stage: truth.value for stage, truth in self.gates}
        out["segment"] = self.segment
        if not explanation:
            out.pop("explanation", None)
        return out

    def to_json(self, *, explanation: bool = False, **kwargs: Any) -> str:
        """``to_dict`` as JSON (keyword arguments go to ``json.dumps``)."""
        return json.dumps(self.to_dict(explanation=explanation), **kwargs)

    def __str__(self) -> str:
        stage = self.stage_label or "not a lead yet (no stage admits it)"
        if self.foreign_stage is not None:
            stage = f"{self.foreign_stage!r}, a stage this policy's funnel does not have"
        lines = [
            f"{self.lead_id or '(no id)'}: {stage} under {self.policy} "
            f"as of {self.as_of.isoformat()}",
            f"  fit {shown(self.fit)} ({self.fit_grade}), "
            f"engagement {shown(self.engagement)} ({self.engagement_grade})"
            + self._priority_text(),
        ]
        frameworks: dict[str, list[str]] = {}
        for c in self.criteria:
            mark = {"true": "met", "false": "unmet", "unknown": "unknown"}[c.status.value]
            frameworks.setdefault(c.framework, []).append(f"{c.key} {mark}")
        lines += [f"  {fw}: {', '.join(items)}" for fw, items in frameworks.items()]
        lines += [f"  find out {fact.path}: {fact.reason}" for fact in self.next_facts[:5]]
        return "\n".join(lines)

    def _priority_text(self) -> str:
        if self.priority is None:
            return ""
        return f", priority {shown(self.priority)} ({self.priority_grade})"

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(c.framework)}</td><td>{e(c.label)}</td><td>{e(c.status.value)}</td></tr>"
            for c in self.criteria
        )
        facts = "".join(
            f"<li><code>{e(f.path)}</code>: {e(f.reason)}</li>" for f in self.next_facts
        )
        return (
            '<div class="funnelkit-qualification">'
            f"<p><strong>{e(self.lead_id or '(no id)')}</strong>: "
            f"{e(self.stage_label or 'not a lead yet')} "
            f"<small>({e(self.policy)}, as of {e(self.as_of.isoformat())})</small></p>"
            f"<p>fit {e(shown(self.fit))} ({e(self.fit_grade)}), engagement "
            f"{e(shown(self.engagement))} ({e(self.engagement_grade)})"
            f"{e(self._priority_text())}</p>"
            f"<table><tr><th>framework</th><th>criterion</th><th>status</th></tr>{rows}</table>"
            + (f"<p>Find out:</p><ul>{facts}</ul>" if facts else "")
            + "</div>"
        )


def result_row(q: Qualification, *, explained: bool = False) -> dict[str, Any]:
    """One qualification as the row ``qualify_frame`` gives for its lead.

    Truth values are ``True`` / ``False`` / ``None`` (unknown); scores are numbers.

    Args:
        q: A qualification (from ``qualify``).
        explained: Add the columns of ``qualify_frame(..., explain=True)``: each
            ``<column>_unknown`` (the unknown facts of the scores, gates and criteria,
            sorted) and ``next_facts`` (each as a dict, most useful first). ``q`` must
            be explained (``qualify(..., explain=True)``, the default).

    Returns:
        The row, column name to value, in ``qualify_frame``'s order.

    Raises:
        InvalidArgumentError: ``explained`` for a qualification made without explaining
            (also a ``ValueError``).
    """

    def truth(t: object) -> bool | None:
        return None if t is Truth.UNKNOWN else t is Truth.TRUE

    row: dict[str, Any] = {
        "lead_id": q.lead_id,
        "policy": q.policy,
        "stage": q.stage,
        "stage_label": q.stage_label,
        "rule_stage": q.rule_stage,
        "fit": q.fit,
        "fit_grade": q.fit_grade,
        "engagement": q.engagement,
        "engagement_grade": q.engagement_grade,
        "segment": q.segment,
    }
    if q.priority is not None or q.priority_grade is not None:
        row["priority"] = q.priority
        row["priority_grade"] = q.priority_grade
    for stage, gate in q.gates:
        row[f"gate_{stage}"] = truth(gate)
    for framework in dict.fromkeys(c.framework for c in q.criteria):
        for c in q.framework(framework):
            row[f"{framework}_{c.key}"] = truth(c.status)
        row[f"{framework}_met"] = q.met(framework)
    row["expired_evidence"] = list(q.expired_evidence)
    row["foreign_stage"] = q.foreign_stage
    if explained:
        row.update(_explained_columns(q))
    return row


def _explained_columns(q: Qualification) -> dict[str, Any]:
    """The unknown facts of the scores, gates and criteria, and the next facts."""
    if q.explanation is None:
        raise InvalidArgumentError(
            "result_row(..., explained=True) needs an explained qualification "
            "(qualify(..., explain=True))",
            argument="q",
            value=q.lead_id,
        )
    facts = dict(zip(q.outputs, q.explanation.child_facts(), strict=True))
    row: dict[str, Any] = {}
    for name in ("fit", "engagement", "priority"):
        if name in facts:
            row[f"{name}_unknown"] = sorted(facts[name])
    for stage, _ in q.gates:
        row[f"gate_{stage}_unknown"] = sorted(facts[f"stage_{stage}"])
    for c in q.criteria:
        row[f"{c.framework}_{c.key}_unknown"] = list(c.unknown_facts)
    row["next_facts"] = [f.as_row() for f in q.next_facts]
    return row


_KEPT: dict[object, object] = {}
"""One copy of each criterion result and next fact that qualifications keep."""
MAX_KEPT = 8192
_Result = TypeVar("_Result")


def kept(result: _Result) -> _Result:
    """The one kept copy of a frozen ``result`` (most leads repeat a few; ``_KEPT``).

    ``qualify``'s criterion results and the next facts share these copies..
    """
    try:
        found = _KEPT.get(result)
    except TypeError:  # a value that cannot be hashed (a custom attribute's list)
        return result
    if found is None:
        if len(_KEPT) < MAX_KEPT:
            _KEPT[result] = result
        return result
    return found  # type: ignore[return-value]
