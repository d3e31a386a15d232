"""Funnel tables over qualification rows: stages, conversion, grades, scores, breakdowns.

Every function reads a *frame* (see ``as_rows``): the rows of ``qualified_rows`` or
``funnelkit.io.qualification_rows``, or the same as a polars DataFrame. Those that follow
leads through time (velocity, leakage) read the leads' stage history instead.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from funnelkit.analytics._table import Cell, Frame, Table, as_rows, share
from funnelkit.io import qualification_row
from funnelkit.model import Lead, StageChange, StageKind

if TYPE_CHECKING:
    from funnelkit.qualify import Policy, Qualification

__all__ = [
    "LEAD_COLUMNS",
    "LIST_ENTRY",
    "UNKNOWN",
    "band_index",
    "breakdown",
    "conversion",
    "funnel",
    "furthest_open_stage",
    "grade_grid",
    "grade_labels",
    "lead_value",
    "leakage",
    "qualified_rows",
    "result_rows",
    "score_bands",
    "score_distribution",
    "velocity",
]

LIST_ENTRY = "not a lead (list entry)"
"""The row for leads that no stage's entry rule admits."""

UNKNOWN = "(unknown)"
"""The label of a missing value in a breakdown: its own bucket, never dropped."""

LEAD_COLUMNS = (
    "source.direction",
    "source.channel",
    "company.industry",
    "company.country",
    "created_at",
)
"""The lead fields ``qualified_rows`` adds to each row by default, to break results down."""


def lead_value(lead: Lead, path: str) -> Any:
    """The value at a dotted field path of a lead, ``None`` where any part is missing.

    Enum members become their values; ``custom.<name>`` reads a custom field.

    Args:
        lead: The lead.
        path: A field path such as ``company.industry`` or ``custom.tier``.

    Returns:
        The plain value, or ``None``.

    Raises:
        AttributeError: If the path names no field of the model.

    Examples:
        >>> from funnelkit.data import load_demo
        >>> lead_value(load_demo()[0], "source.channel")
        'trade_show'
    """
    head, _, rest = path.partition(".")
    if head == "custom" and rest:
        return lead.custom.get(rest)
    value: Any = lead
    for part in path.split("."):
        if value is None:
            return None
        if not hasattr(value, part):
            raise AttributeError(
                f"lead field path {path!r}: {type(value).__name__} has no {part!r}"
            )
        value = getattr(value, part)
    return value.value if isinstance(value, Enum) else value


def result_rows(
    leads: Iterable[Lead],
    qualifications: Iterable[Qualification],
    *,
    columns: Sequence[str] = LEAD_COLUMNS,
) -> tuple[dict[str, Any], ...]:
    """Qualification rows with the lead's stage history and some of its fields added.

    Each row is ``funnelkit.io.qualification_row`` of the result, plus ``history`` (the
    stage keys the lead's history passed through, oldest first) and one column per path
    in ``columns``.

    Args:
        leads: The leads.
        qualifications: Their results, in the same order.
        columns: Lead field paths to add (see ``lead_value``).

    Returns:
        One dict per lead.

    Raises:
        ValueError: If there are more leads than results or the other way round.
    """
    rows = []
    for lead, q in zip(leads, qualifications, strict=True):
        row = qualification_row(q)
        row["history"] = [change.to_stage for change in lead.stage_history]
        for path in columns:
            row[path] = lead_value(lead, path)
        rows.append(row)
    return tuple(rows)


def qualified_rows(
    leads: Iterable[Lead],
    policy: Policy,
    *,
    as_of: datetime,
    columns: Sequence[str] = LEAD_COLUMNS,
) -> tuple[dict[str, Any], ...]:
    """Qualify leads (without explanations) and return the rows analytics read.

    Args:
        leads: The leads.
        policy: The policy.
        as_of: The instant ``now`` means.
        columns: Lead field paths to add to each row (see ``result_rows``).

    Returns:
        One dict per lead: the qualification, ``history`` and the ``columns``.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.qualify import STARTER
        >>> rows = qualified_rows(load_demo()[:3], STARTER, as_of=DEMO_AS_OF)
        >>> first = rows[0]
        >>> first["stage"], first["history"], first["source.channel"]
        ('inquiry', ['inquiry'], 'trade_show')
    """
    from funnelkit.qualify import qualify_many

    leads = tuple(leads)
    results = qualify_many(leads, policy, as_of=as_of, explain=False)
    return result_rows(leads, results, columns=columns)


def funnel(frame: Frame, policy: Policy) -> Table:
    """Leads per stage, in funnel order (every stage, even empty ones), then list entries.

    Stages a lead's history holds that the funnel lacks get a row each after the
    funnel's stages.

    Args:
        frame: Qualification rows (the ``stage`` column).
        policy: Their policy (its funnel gives the order and the labels).

    Returns:
        Columns ``stage``, ``kind``, ``leads``, ``share``; the leads sum to the rows.

    Examples:
        >>> from funnelkit.data import DEMO_AS_OF, load_demo
        >>> from funnelkit.qualify import STARTER
        >>> table = funnel(qualified_rows(load_demo(), STARTER, as_of=DEMO_AS_OF), STARTER)
        >>> table.rows[0]
        ('Inquiry', 'open', 839, 0.3356)
    """
    rows = as_rows(frame)
    counts = Counter(row["stage"] for row in rows)
    total = len(rows)
    out: list[tuple[Cell, ...]] = []
    for stage in policy.funnel.stages:
        n = counts.pop(stage.key, 0)
        out.append((stage.label, stage.kind.value, n, share(n, total)))
    for key, n in sorted((k, n) for k, n in counts.items() if k is not None):
        out.append((str(key), "(not in this funnel)", n, share(n, total)))
    n = counts.get(None, 0)
    out.append((LIST_ENTRY, "-", n, share(n, total)))
    return Table(
        title=f"Funnel ({policy.label})",
        columns=("stage", "kind", "leads", "share"),
        rows=tuple(out),
        percent=frozenset({"share"}),
        caption="rules move leads forward, never backward",
    )


def furthest_open_stage(stage: str | None, history: Iterable[str], policy: Policy) -> int | None:
    """The position (0-based) of the furthest open stage a lead has reached, if any.

    A lead has reached a stage if it stands in it now or its history passed through it;
    a won lead has reached every open stage.

    Args:
        stage: The stage it stands in now (``None``: a list entry).
        history: The stage keys its history passed through.
        policy: The policy (for the funnel).

    Returns:
        The index into the funnel's open stages, or ``None``.
    """
    funnel = policy.funnel
    open_keys = [s.key for s in funnel.open_stages]
    keys = set(history)
    if stage is not None:
        keys.add(stage)
    reached = [open_keys.index(k) for k in keys if k in open_keys]
    if any(k in funnel and funnel.stage(k).kind is StageKind.WON for k in keys):
        reached.append(len(open_keys) - 1)
    return max(reached, default=None)


def _reached(rows: Sequence[Mapping[str, Any]], policy: Policy) -> list[int]:
    reached = [0] * len(policy.funnel.open_stages)
    for row in rows:
        furthest = furthest_open_stage(row["stage"], row.get("history") or (), policy)
        if furthest is not None:
            for index in range(furthest + 1):
                reached[index] += 1
    return reached


def conversion(frame: Frame, policy: Policy) -> Table:
    """How many leads reached at least each open stage, and the conversion between stages.

    Args:
        frame: Qualification rows (``stage``, and ``history`` if present: without it
            only the stage a lead stands in counts).
        policy: The policy.

    Returns:
        Columns ``reached at least``, ``leads``, ``of all leads``, ``of the stage
        before`` (``None`` for the first stage).
    """
    rows = as_rows(frame)
    reached = _reached(rows, policy)
    total = len(rows)
    out: list[tuple[Cell, ...]] = []
    for index, stage in enumerate(policy.funnel.open_stages):
        before = share(reached[index], reached[index - 1]) if index else None
        out.append((stage.label, reached[index], share(reached[index], total), before))
    return Table(
        title="Conversion",
        columns=("reached at least", "leads", "of all leads", "of the stage before"),
        rows=tuple(out),
        percent=frozenset({"of all leads", "of the stage before"}),
        caption="reached: in the stage or a later one, now or before",
    )


def grade_labels(policy: Policy, score: str) -> tuple[str, ...]:
    """The grades of a score, best first, the default (lowest) grade last."""
    if score == "fit":
        bands, default = policy.fit_grades, policy.fit_default_grade
    elif score == "engagement":
        bands, default = policy.engagement_grades, policy.engagement_default_grade
    else:
        bands, default = policy.priority_grades, policy.priority_default_grade
    return (*(label for label, _ in bands), default)


def grade_grid(frame: Frame, policy: Policy) -> Table:
    """The lead-scoring grid: fit grade (rows) by engagement grade (columns), with totals.

    Args:
        frame: Qualification rows (``fit_grade``, ``engagement_grade``).
        policy: The policy (its grade bands give the rows and columns).

    Returns:
        One row per fit grade and a total row; one column per engagement grade and a
        total column.
    """
    rows = as_rows(frame)
    fits = grade_labels(policy, "fit")
    engagements = grade_labels(policy, "engagement")
    grid = Counter((row["fit_grade"], row["engagement_grade"]) for row in rows)
    out: list[tuple[Cell, ...]] = []
    for fit in fits:
        counts = [grid[(fit, e)] for e in engagements]
        out.append((f"fit {fit}", *counts, sum(counts)))
    totals = [sum(grid[(f, e)] for f in fits) for e in engagements]
    out.append(("all", *totals, sum(totals)))
    return Table(
        title="Grade mix",
        columns=("", *(f"engagement {e}" for e in engagements), "all"),
        rows=tuple(out),
        caption=(
            f"fit {fits[0]} fits best, engagement {engagements[0]} is the most engaged; "
            f"{fits[0]}{engagements[0]} is the best segment"
        ),
    )


def score_bands(width: int, values: Sequence[float]) -> tuple[tuple[float, float], ...]:
    """Equal-width bands ``[low, high)`` on multiples of ``width`` that hold ``values``.

    The bands start at 0 (or below, for negative scores) and end past the highest value.
    """
    first = min(0, math.floor(min(values, default=0.0) / width))
    last = max(0, math.floor(max(values, default=0.0) / width))
    return tuple((float(i * width), float((i + 1) * width)) for i in range(first, last + 1))


def band_index(value: float, bands: Sequence[tuple[float, float]]) -> int:
    """The index of the band of ``score_bands`` that holds ``value``."""
    width = bands[0][1] - bands[0][0]
    return min(len(bands) - 1, max(0, math.floor((value - bands[0][0]) / width)))


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float | Decimal | str) else 0.0


def score_distribution(frame: Frame, score: str = "fit", *, width: int = 10) -> Table:
    """How a score is distributed: leads per equal-width band, and a summary row.

    Args:
        frame: Qualification rows.
        score: The score column (``fit``, ``engagement`` or ``priority``).
        width: The width of each band.

    Returns:
        Columns ``band`` (``[10, 20)``), ``leads``, ``share``; the caption gives the
        median and the mean.

    Raises:
        ValueError: If ``width`` is not positive.
        KeyError: If the rows have no such score.
    """
    if width <= 0:
        raise ValueError(f"score_distribution: width: expected a number > 0, got {width}")
    rows = as_rows(frame)
    if rows and score not in rows[0]:
        raise KeyError(f"score_distribution: the rows have no score column {score!r}")
    values = [_number(row[score]) for row in rows if row.get(score) is not None]
    bands = score_bands(width, values)
    counts = [0] * len(bands)
    for value in values:
        counts[band_index(value, bands)] += 1
    out: list[tuple[Cell, ...]] = [
        (f"[{low:g}, {high:g})", n, share(n, len(values)))
        for (low, high), n in zip(bands, counts, strict=True)
    ]
    caption = None
    if values:
        caption = f"median {statistics.median(values):.1f}, mean {statistics.fmean(values):.1f}"
    return Table(
        title=f"{score.capitalize()} score",
        columns=("band", "leads", "share"),
        rows=tuple(out),
        percent=frozenset({"share"}),
        caption=caption,
    )


def _label(value: Any) -> str:
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def breakdown(frame: Frame, by: str, policy: Policy) -> Table:
    """Leads by the values of one column, with their scores and how far they got.

    A missing value is its own row, ``(unknown)``, last: missing data is a thing to
    find out, and how those leads fare is worth seeing.

    Args:
        frame: Qualification rows with the column ``by`` (``source.channel``,
            ``fit_grade``, ``company.industry``, ...).
        by: The column to group by.
        policy: The policy (its open stages give the ``reached`` columns).

    Returns:
        Columns ``by``, ``leads``, ``share``, ``mean fit``, ``mean engagement``, then
        ``reached <stage>`` for each open stage after the first (a share of the group).

    Raises:
        KeyError: If the rows have no column ``by``.
    """
    rows = as_rows(frame)
    if rows and by not in rows[0]:
        raise KeyError(f"breakdown: the rows have no column {by!r}; they have {sorted(rows[0])}")
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[_label(row[by])].append(row)
    keys = sorted(groups, key=lambda k: (k == UNKNOWN, -len(groups[k]), k))
    stages = policy.funnel.open_stages[1:]
    out: list[tuple[Cell, ...]] = []
    for key in keys:
        group = groups[key]
        reached = _reached(group, policy)[1:]
        out.append(
            (
                key,
                len(group),
                share(len(group), len(rows)),
                statistics.fmean(_number(r["fit"]) for r in group),
                statistics.fmean(_number(r["engagement"]) for r in group),
                *(share(n, len(group)) for n in reached),
            )
        )
    reached_columns = tuple(f"reached {s.label}" for s in stages)
    return Table(
        title=f"By {by}",
        columns=(by, "leads", "share", "mean fit", "mean engagement", *reached_columns),
        rows=tuple(out),
        percent=frozenset({"share", *reached_columns}),
        caption="reached: in the stage or a later one, now or before",
        digits=1,
    )


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def velocity(leads: Iterable[Lead], policy: Policy, *, as_of: datetime) -> Table:
    """Time in stage, from the leads' stage history.

    Each stay in a stage runs from the change that entered it to the next change; the
    last one of a lead runs on until ``as_of`` and counts as *still in*.

    Args:
        leads: The leads (their ``stage_history``).
        policy: The policy (its funnel gives the order and the labels).
        as_of: The instant the open stays are measured to.

    Returns:
        Columns ``stage``, ``entered``, ``left``, ``still in``, ``median days`` and
        ``mean days`` (of the stays that ended), ``median days so far`` (of the open ones).
    """
    done: dict[str, list[float]] = defaultdict(list)
    open_: dict[str, list[float]] = defaultdict(list)
    for lead in leads:
        history = lead.stage_history
        following_changes: tuple[StageChange | None, ...] = (*history[1:], None)
        for change, following in zip(history, following_changes[: len(history)], strict=True):
            if following is not None:
                done[change.to_stage].append(_days(change.at, following.at))
            else:
                open_[change.to_stage].append(max(0.0, _days(change.at, as_of)))
    keys = [s.key for s in policy.funnel.stages]
    keys += sorted((set(done) | set(open_)) - set(keys))
    funnel_ = policy.funnel
    out: list[tuple[Cell, ...]] = []
    for key in keys:
        ended, current = done.get(key, []), open_.get(key, [])
        label = funnel_.stage(key).label if key in funnel_ else key
        out.append(
            (
                label,
                len(ended) + len(current),
                len(ended),
                len(current),
                statistics.median(ended) if ended else None,
                statistics.fmean(ended) if ended else None,
                statistics.median(current) if current else None,
            )
        )
    return Table(
        title="Velocity (days in stage)",
        columns=(
            "stage",
            "entered",
            "left",
            "still in",
            "median days",
            "mean days",
            "median days so far",
        ),
        rows=tuple(out),
        caption=f"from the stage history; open stays measured to {as_of.date().isoformat()}",
        digits=1,
    )


def leakage(leads: Iterable[Lead], policy: Policy) -> Table:
    """Where leads leak out of the funnel, and why, from their stage history.

    Every move into a lost, nurture or disqualified stage (or one the funnel lacks)
    counts, by its target, the stage it left and its reason.

    Args:
        leads: The leads (their ``stage_history``).
        policy: The policy (its funnel says which stages are not open).

    Returns:
        Columns ``to``, ``kind``, ``from``, ``reason``, ``leads``, ``share`` (of all moves
        out of the open stages); a move without a reason says ``(no reason)``.
    """
    funnel_ = policy.funnel
    counts: Counter[tuple[str, str, str]] = Counter()
    for lead in leads:
        for change in lead.stage_history:
            stage = funnel_.stage(change.to_stage) if change.to_stage in funnel_ else None
            if stage is not None and stage.kind in {StageKind.OPEN, StageKind.WON}:
                continue
            counts[(change.to_stage, change.from_stage or "-", change.reason or "(no reason)")] += 1
    order = {s.key: s.order for s in funnel_.stages}
    total = sum(counts.values())
    out: list[tuple[Cell, ...]] = []
    for (to, from_, reason), n in sorted(
        counts.items(), key=lambda item: (order.get(item[0][0], 1 << 30), item[0][0], -item[1])
    ):
        target = funnel_.stage(to) if to in funnel_ else None
        out.append(
            (
                target.label if target else to,
                target.kind.value if target else "(not in this funnel)",
                funnel_.stage(from_).label if from_ in funnel_ else from_,
                reason,
                n,
                share(n, total),
            )
        )
    return Table(
        title="Leakage",
        columns=("to", "kind", "from", "reason", "leads", "share"),
        rows=tuple(out),
        percent=frozenset({"share"}),
        caption="moves to a lost, nurture or disqualified stage, from the stage history",
    )
