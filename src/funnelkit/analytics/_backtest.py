"""Backtest a policy on known outcomes: does it rank the leads that converted first?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from funnelkit.analytics._funnel import (
    LIST_ENTRY,
    UNKNOWN,
    _label,
    band_index,
    grade_labels,
    lead_value,
    result_rows,
    score_bands,
)
from funnelkit.analytics._stats import auc, wilson_interval
from funnelkit.analytics._table import Cell, Table, share
from funnelkit.model import Lead, StageKind

if TYPE_CHECKING:
    from funnelkit.qualify import Policy

__all__ = [
    "FACTS",
    "Backtest",
    "Outcome",
    "as_of_lead",
    "backtest",
    "outcome_from_history",
    "outcome_value",
    "transitions",
]

Outcome = str | Mapping[str, Any] | Callable[[Lead], Any]
"""Where a lead's outcome comes from: a custom field, a mapping by lead id, a function."""

FACTS = (
    "company.industry",
    "company.employees",
    "company.annual_revenue",
    "company.country",
    "contact.seniority",
    "contact.department",
)
"""The facts whose being known or unknown ``backtest`` reports by default (the fit's)."""

_TRUE = frozenset({"true", "1", "yes", "y", "won", "converted", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "lost", "not converted", "f"})
_RATE_COLUMNS = ("leads", "unknown outcome", "converted", "rate", "low", "high", "lift")
_PERCENT = frozenset({"rate", "low", "high", "precision", "recall", "base rate"})


def outcome_value(value: Any, *, where: str = "outcome") -> bool | None:
    """Read one outcome: converted (``True``), not (``False``) or unknown (``None``).

    Accepted: booleans, ``1`` and ``0``, and the words ``true``/``false``, ``yes``/``no``,
    ``won``/``lost``, ``converted``/``not converted`` in any case; ``None`` and an empty
    string are unknown.

    Args:
        value: The cell.
        where: Names the cell in an error (``lead 'L-1': custom.converted``).

    Returns:
        ``True``, ``False`` or ``None``.

    Raises:
        ValueError: For any other value; the message names ``where`` and the value.

    Examples:
        >>> outcome_value("Yes"), outcome_value(0), outcome_value("")
        (True, False, None)
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(
        f"{where}: expected an outcome (true/false, yes/no, won/lost, 1/0, or empty for "
        f"unknown), got {value!r} ({type(value).__name__})"
    )


def outcome_from_history(policy: Policy) -> Callable[[Lead], bool | None]:
    """An outcome read from stage history: won, lost or disqualified, else unknown.

    Args:
        policy: The policy whose funnel says which stages are won and lost.

    Returns:
        A function of a lead: ``True`` if its history reached a won stage, ``False`` if
        it reached a lost or disqualified one (and no won one), ``None`` otherwise.
    """
    funnel = policy.funnel
    lost = {StageKind.LOST, StageKind.DISQUALIFIED}

    def read(lead: Lead) -> bool | None:
        kinds = {funnel.stage(c.to_stage).kind for c in lead.stage_history if c.to_stage in funnel}
        if StageKind.WON in kinds:
            return True
        return False if kinds & lost else None

    return read


def _outcome_reader(outcome: Outcome) -> Callable[[Lead], bool | None]:
    if isinstance(outcome, str):
        name = outcome.removeprefix("custom.")

        def by_field(lead: Lead) -> bool | None:
            return outcome_value(lead.custom.get(name), where=f"lead {lead.id!r}: custom.{name}")

        return by_field
    if isinstance(outcome, Mapping):
        table = outcome

        def by_id(lead: Lead) -> bool | None:
            value = table.get(lead.id) if lead.id is not None else None
            return outcome_value(value, where=f"lead {lead.id!r}: outcome")

        return by_id
    if callable(outcome):
        read = outcome

        def by_call(lead: Lead) -> bool | None:
            return outcome_value(read(lead), where=f"lead {lead.id!r}: outcome")

        return by_call
    raise TypeError(
        "backtest: outcome: expected a custom field name, a mapping of lead ids to "
        f"outcomes or a function of a lead, got {outcome!r} ({type(outcome).__name__})"
    )


def as_of_lead(lead: Lead, at: datetime) -> Lead:
    """The lead as it stood at ``at``: later signals and stage changes left out.

    Facts without a date (company, contact, BANT) are kept as they are: the backtest
    assumes they were known at ``at``.

    Args:
        lead: The lead.
        at: The instant.

    Returns:
        The same lead, or a copy without what happened after ``at``.
    """
    signals = tuple(s for s in lead.signals if s.occurred_at <= at)
    history = tuple(c for c in lead.stage_history if c.at <= at)
    if len(signals) == len(lead.signals) and len(history) == len(lead.stage_history):
        return lead
    return attrs.evolve(lead, signals=signals, stage_history=history)


def _rate_row(
    key: Cell, group: Sequence[Mapping[str, Any]], base: float | None
) -> tuple[Cell, ...]:
    known = [row["outcome"] for row in group if row["outcome"] is not None]
    converted = sum(1 for o in known if o)
    rate = share(converted, len(known))
    interval = wilson_interval(converted, len(known))
    lift = rate / base if rate is not None and base else None
    low, high = interval if interval is not None else (None, None)
    return (key, len(group), len(group) - len(known), converted, rate, low, high, lift)


def _rate_table(
    title: str,
    name: str,
    keys: Sequence[str],
    key_of: Callable[[Mapping[str, Any]], str],
    rows: Sequence[Mapping[str, Any]],
    base: float | None,
    caption: str | None = None,
) -> Table:
    groups: dict[str, list[Mapping[str, Any]]] = {key: [] for key in keys}
    for row in rows:
        groups.setdefault(key_of(row), []).append(row)
    return Table(
        title=title,
        columns=(name, *_RATE_COLUMNS),
        rows=tuple(_rate_row(key, group, base) for key, group in groups.items()),
        percent=_PERCENT,
        caption=caption
        or "rate: converted among known outcomes, low-high its 95% Wilson interval; "
        "lift: rate over the base rate",
    )


def _stage_keys(policy: Policy, rows: Sequence[Mapping[str, Any]]) -> list[str | None]:
    keys: list[str | None] = [s.key for s in policy.funnel.stages]
    keys += sorted({row["stage"] for row in rows} - set(keys) - {None})
    return [*keys, None]


def _stage_label(policy: Policy, key: str | None) -> str:
    if key is None:
        return LIST_ENTRY
    return policy.funnel.stage(key).label if key in policy.funnel else key


def _number(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _scores(policy: Policy, rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    names = ["fit", "engagement"]
    if rows and rows[0].get("priority") is not None:
        names.append("priority")
    return tuple(names)


def _auc_table(policy: Policy, rows: Sequence[Mapping[str, Any]]) -> Table:
    known = [row for row in rows if row["outcome"] is not None]
    out: list[tuple[Cell, ...]] = []
    for name in _scores(policy, rows):
        value = auc([_number(r[name]) for r in known], [bool(r["outcome"]) for r in known])
        out.append((name, value, len(known), sum(1 for r in known if r["outcome"])))
    return Table(
        title="AUC of each score",
        columns=("score", "AUC", "leads", "converted"),
        rows=tuple(out),
        caption="the chance a converted lead outscores one that did not "
        "(0.5: no better than chance)",
        digits=3,
    )


def _gates_table(policy: Policy, rows: Sequence[Mapping[str, Any]], base: float | None) -> Table:
    known = [row for row in rows if row["outcome"] is not None]
    positives = sum(1 for r in known if r["outcome"])
    out: list[tuple[Cell, ...]] = []
    for gate, _ in policy.ordered_gates:
        column = f"gate_{gate.key}"
        passed = [r for r in known if r.get(column) == "true"]
        unknown = sum(1 for r in known if r.get(column) == "unknown")
        hits = sum(1 for r in passed if r["outcome"])
        precision = share(hits, len(passed))
        lift = precision / base if precision is not None and base else None
        out.append((gate.label, len(passed), unknown, precision, share(hits, positives), lift))
    return Table(
        title="Gates",
        columns=("gate", "passed", "unknown", "precision", "recall", "lift"),
        rows=tuple(out),
        percent=_PERCENT,
        caption="passed: the entry rule is true; precision: converted among them; "
        "recall: share of all converted leads it passes",
    )


def _calibration(policy: Policy, rows: Sequence[Mapping[str, Any]], width: int) -> Table:
    out: list[tuple[Cell, ...]] = []
    for name in _scores(policy, rows):
        values = [_number(r[name]) for r in rows]
        bands = score_bands(width, values)
        groups: list[list[Mapping[str, Any]]] = [[] for _ in bands]
        for row, value in zip(rows, values, strict=True):
            groups[band_index(value, bands)].append(row)
        for (low, high), group in zip(bands, groups, strict=True):
            cells = _rate_row(f"[{low:g}, {high:g})", group, None)
            out.append((name, *cells[:-1]))
    return Table(
        title="Calibration of score bands",
        columns=("score", "band", *_RATE_COLUMNS[:-1]),
        rows=tuple(out),
        percent=_PERCENT,
        caption="a well-ordered score converts more in each higher band",
    )


def _criteria_table(
    rows: Sequence[Mapping[str, Any]],
    criteria: Sequence[str],
    facts: Sequence[str],
    base: float | None,
) -> Table:
    out: list[tuple[Cell, ...]] = []
    for column in criteria:
        groups: dict[str, list[Mapping[str, Any]]] = {"met": [], "unmet": [], "unknown": []}
        for row in rows:
            groups.setdefault(str(row[column]), []).append(row)
        for status, group in groups.items():
            out.append((column, *_rate_row(status, group, base)))
    for path in facts:
        groups = {"known": [], "unknown": []}
        for row in rows:
            groups["unknown" if row[f"fact {path}"] is None else "known"].append(row)
        for status, group in groups.items():
            out.append((f"fact {path}", *_rate_row(status, group, base)))
    return Table(
        title="Criteria and facts",
        columns=("criterion", "status", *_RATE_COLUMNS),
        rows=tuple(out),
        percent=_PERCENT,
        caption="unknown is a bucket of its own: a lift far from 1 there means the "
        "missing fact carries signal",
    )


def transitions(
    rows: Sequence[Mapping[str, Any]],
    other: Sequence[Mapping[str, Any]],
    policy: Policy,
    against: Policy,
) -> Table:
    """The stage-transition matrix: leads by stage under ``policy`` and under ``against``.

    Args:
        rows: Qualification rows under ``policy``.
        other: Rows of the same leads, in the same order, under ``against``.
        policy: The first policy (rows of the matrix).
        against: The second policy (columns).

    Returns:
        One row per stage of ``policy`` (and list entries), one column per stage of
        ``against``; every count is a number of leads, and they sum to the leads.

    Raises:
        ValueError: If the two row sets differ in length or in lead order.
    """
    if len(rows) != len(other):
        raise ValueError(
            f"transitions: expected rows of the same leads, got {len(rows)} and {len(other)}"
        )
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for index, (a, b) in enumerate(zip(rows, other, strict=True)):
        if a["lead_id"] != b["lead_id"]:
            raise ValueError(
                f"transitions: row {index}: expected the same lead, got {a['lead_id']!r} "
                f"and {b['lead_id']!r}"
            )
        pairs[(a["stage"], b["stage"])] += 1
    row_keys = _stage_keys(policy, rows)
    column_keys = _stage_keys(against, other)
    body: tuple[tuple[Cell, ...], ...] = tuple(
        (_stage_label(policy, r), *(pairs[(r, c)] for c in column_keys)) for r in row_keys
    )
    return Table(
        title=f"Stage transitions: {policy.label} (rows) to {against.label} (columns)",
        columns=("", *(_stage_label(against, c) for c in column_keys)),
        rows=body,
        caption="the diagonal keeps its stage; off it, what the change does to the funnel",
    )


@attrs.frozen(kw_only=True)
class Backtest:
    """What a backtest found: how well a policy's grades, gates and scores predict outcomes.

    Every conversion table has a row for each group (even empty ones) and the column
    ``leads`` sums to ``total``: leads with an unknown outcome are counted in
    ``unknown outcome``, not dropped; rates are over known outcomes.

    Attributes:
        policy: The policy as ``name@version``.
        as_of: The instant every lead was judged at, or ``None``: each at its
            ``created_at``.
        total: How many leads.
        known: How many have a known outcome.
        converted: How many of those converted.
        base_rate: ``converted / known`` (``None`` without known outcomes).
        auc: The AUC of each score (``fit``, ``engagement``, ``priority``).
        by_fit_grade: Conversion by fit grade.
        by_engagement_grade: Conversion by engagement grade.
        by_stage: Conversion by stage.
        by_cell: Conversion by grid cell (fit grade and engagement grade, ``A1``).
        gates: Precision and recall of each gate.
        scores: The AUC table.
        calibration: Conversion by score band.
        criteria: Conversion by criterion status and by known or unknown fact.
        breakdowns: Conversion by each of the ``by`` columns.
        rows: The qualification rows, with ``outcome`` (``True``, ``False``, ``None``).
        against: The backtest of the other policy on the same leads, if any.
        transitions: The stage-transition matrix to the other policy, if any.
    """

    policy: str
    as_of: datetime | None
    total: int
    known: int
    converted: int
    base_rate: float | None
    auc: tuple[tuple[str, float | None], ...]
    by_fit_grade: Table
    by_engagement_grade: Table
    by_stage: Table
    by_cell: Table
    gates: Table
    scores: Table
    calibration: Table
    criteria: Table
    breakdowns: tuple[Table, ...] = ()
    rows: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=False)
    against: Backtest | None = attrs.field(default=None, repr=False)
    transitions: Table | None = attrs.field(default=None, repr=False)

    @property
    def unknown(self) -> int:
        """How many leads have an unknown outcome (counted in every table, not dropped)."""
        return self.total - self.known

    def summary(self) -> str:
        """One line: leads, known and unknown outcomes, the base rate and the AUCs."""
        base = f"{100 * self.base_rate:.1f}%" if self.base_rate is not None else "-"
        aucs = ", ".join(f"{n} {v:.3f}" if v is not None else f"{n} -" for n, v in self.auc)
        when = self.as_of.isoformat() if self.as_of is not None else "each lead's created_at"
        return (
            f"{self.policy} as of {when}: {self.total:,} leads, {self.known:,} with a known "
            f"outcome ({self.unknown:,} unknown), {self.converted:,} converted "
            f"(base rate {base}); AUC {aucs}"
        )

    def tables(self) -> tuple[Table, ...]:
        """Every table, in the order a report shows them.

        With a second policy, its AUCs and gates and the transition matrix come last.
        """
        out = (
            self.scores,
            self.by_fit_grade,
            self.by_engagement_grade,
            self.by_cell,
            self.by_stage,
            self.gates,
            self.calibration,
            self.criteria,
            *self.breakdowns,
        )
        if self.against is not None and self.transitions is not None:
            other = self.against
            out = (
                *out,
                attrs.evolve(other.scores, title=f"AUC under {other.policy}"),
                attrs.evolve(other.gates, title=f"Gates under {other.policy}"),
                self.transitions,
            )
        return out

    def __str__(self) -> str:
        return "\n\n".join([self.summary(), *(str(t) for t in self.tables())])

    def _repr_html_(self) -> str:
        import html

        parts = [f"<p>{html.escape(self.summary())}</p>"]
        parts += [t._repr_html_() for t in self.tables()]
        return '<div class="funnelkit-backtest">' + "".join(parts) + "</div>"


def _run(
    snapshots: Sequence[tuple[Lead, datetime]],
    policy: Policy,
    outcomes: Sequence[bool | None],
    columns: Sequence[str],
    facts: Sequence[str],
) -> tuple[dict[str, Any], ...]:
    from funnelkit.qualify import qualify

    leads = [lead for lead, _ in snapshots]
    results = [qualify(lead, policy, as_of=at, explain=False) for lead, at in snapshots]
    rows = result_rows(leads, results, columns=columns)
    for row, lead, outcome in zip(rows, leads, outcomes, strict=True):
        row["outcome"] = outcome
        for path in facts:
            row[f"fact {path}"] = lead_value(lead, path)
    return rows


def _report(
    policy: Policy,
    as_of: datetime | None,
    rows: tuple[dict[str, Any], ...],
    by: Sequence[str],
    facts: Sequence[str],
    width: int,
) -> Backtest:
    known = [row for row in rows if row["outcome"] is not None]
    converted = sum(1 for row in known if row["outcome"])
    base = share(converted, len(known))
    fits = grade_labels(policy, "fit")
    engagements = grade_labels(policy, "engagement")
    stage_keys = _stage_keys(policy, rows)
    labels = {key: _stage_label(policy, key) for key in stage_keys}
    frameworks = _frameworks(rows)
    criteria = [
        name
        for name in (rows[0] if rows else {})
        if name.split("_", 1)[0] in frameworks and not name.endswith("_met")
    ]
    scores = _auc_table(policy, rows)
    return Backtest(
        policy=policy.label,
        as_of=as_of,
        total=len(rows),
        known=len(known),
        converted=converted,
        base_rate=base,
        auc=tuple((str(r[0]), r[1] if isinstance(r[1], float) else None) for r in scores.rows),
        by_fit_grade=_rate_table(
            "Conversion by fit grade", "fit grade", fits, lambda r: r["fit_grade"], rows, base
        ),
        by_engagement_grade=_rate_table(
            "Conversion by engagement grade",
            "engagement grade",
            engagements,
            lambda r: r["engagement_grade"],
            rows,
            base,
        ),
        by_stage=_rate_table(
            "Conversion by stage",
            "stage",
            [labels[k] for k in stage_keys],
            lambda r: labels.get(r["stage"], str(r["stage"])),
            rows,
            base,
        ),
        by_cell=_rate_table(
            "Conversion by grid cell",
            "cell",
            [f + e for f in fits for e in engagements],
            lambda r: f"{r['fit_grade']}{r['engagement_grade']}",
            rows,
            base,
        ),
        gates=_gates_table(policy, rows, base),
        scores=scores,
        calibration=_calibration(policy, rows, width),
        criteria=_criteria_table(rows, criteria, facts, base),
        breakdowns=tuple(
            _rate_table(
                f"Conversion by {column}",
                column,
                (),
                _column_label(column),
                sorted(rows, key=_column_order(column)),
                base,
            )
            for column in by
        ),
        rows=rows,
    )


def _column_label(column: str) -> Callable[[Mapping[str, Any]], str]:
    def label(row: Mapping[str, Any]) -> str:
        return _label(row[column])

    return label


def _column_order(column: str) -> Callable[[Mapping[str, Any]], tuple[bool, str]]:
    def order(row: Mapping[str, Any]) -> tuple[bool, str]:
        label = _label(row[column])
        return (label == UNKNOWN, label)

    return order


def _frameworks(rows: Sequence[Mapping[str, Any]]) -> set[str]:
    return {name[: -len("_met")] for name in (rows[0] if rows else {}) if name.endswith("_met")}


def backtest(
    leads: Iterable[Lead],
    policy: Policy,
    *,
    outcome: Outcome,
    as_of: datetime | None = None,
    against: Policy | None = None,
    by: Sequence[str] = ("source.channel",),
    facts: Sequence[str] = FACTS,
    width: int = 20,
) -> Backtest:
    """Backtest a policy: qualify each lead as it stood before its outcome, and compare.

    Each lead is judged as of ``as_of`` (or its ``created_at``), with the signals and
    stage changes after that instant left out (see ``as_of_lead``), so the outcome
    cannot leak into the stage. Leads whose outcome is unknown are qualified and
    counted in every table, never dropped; rates and AUCs use the known outcomes.

    Args:
        leads: The leads.
        policy: The policy to test.
        outcome: The outcome of each lead: the name of a custom field (``converted`` or
            ``custom.converted``), a mapping of lead ids to outcomes, or a function of
            a lead (such as ``outcome_from_history(policy)``). Values are read by
            ``outcome_value``.
        as_of: The instant every lead is judged at; ``None`` judges each at its
            ``created_at``.
        against: A second policy to compare with, on the same leads and outcomes.
        by: Lead field paths to break conversion down by (missing values are a row).
        facts: Lead field paths whose being known or unknown the criteria table
            reports.
        width: The width of the calibration's score bands.

    Returns:
        The report.

    Raises:
        ValueError: If ``as_of`` is ``None`` and a lead has no ``created_at``, or an
            outcome cannot be read (the message names the lead and the value).
        TypeError: If ``outcome`` is of none of the accepted kinds.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo, load_demo_outcomes
        >>> from funnelkit.qualify import STARTER
        >>> report = backtest(load_demo(), STARTER, outcome=load_demo_outcomes(),
        ...                   as_of=DEMO_AS_OF)
        >>> report.total, report.known + report.unknown
        (2500, 2500)
        >>> sum(report.by_fit_grade.column("leads"))
        2500
    """
    read = _outcome_reader(outcome)
    snapshots: list[tuple[Lead, datetime]] = []
    outcomes: list[bool | None] = []
    for lead in leads:
        at = as_of if as_of is not None else lead.created_at
        if at is None:
            raise ValueError(
                f"backtest: lead {lead.id!r}: created_at: expected the instant to judge it "
                "at (or pass as_of=), got None"
            )
        snapshots.append((as_of_lead(lead, at), at))
        outcomes.append(read(lead))
    columns = tuple(dict.fromkeys(("source.channel", *by)))
    rows = _run(snapshots, policy, outcomes, columns, facts)
    report = _report(policy, as_of, rows, by, facts, width)
    if against is None:
        return report
    other_rows = _run(snapshots, against, outcomes, columns, facts)
    other = _report(against, as_of, other_rows, by, facts, width)
    return attrs.evolve(
        report, against=other, transitions=transitions(rows, other_rows, policy, against)
    )
