"""Qualifying a table of leads in polars: ``qualify`` for every row, with no Python per row.

The policy's rule set is lowered by the polars engine (``funnelkit.rules.engines.polars``);
what ``qualify`` does around the rules is written here once, as frame operations that
mirror it step by step:

* the lead as known at ``as_of`` (``current_facts``): a BANT part whose evidence was not
  yet asserted, or has expired, is reset to its empty value, and expired parts are
  listed; a framework's custom fact holding a placeholder is missing;
* the rule stage (``rule_stage``) from the gates, in funnel order;
* where the lead stands (``standing``): the ``stage`` column (the last stage change)
  placed in the policy's funnel, moved forward by the rules where the funnel allows it;
  the moves are computed once per pair of stages, in Python, by ``standing`` itself;
* nurture (``since_last_move``): a recycled lead comes back only when ``reentry`` holds
  on the signals after ``stage_entered_at`` and the BANT parts asserted after it;
* a stage from another funnel that the policy cannot place is kept (``foreign_stage``).

The plan reads the leads' facts once and streams: the signals are aggregated per lead in
one group-by (the rules' aggregates and the reentry verdict's), joined to the leads once,
and the stage and the reentry verdict are columns of that one frame. The reentry
aggregates count only the signals after the lead's ``stage_entered_at``, so the signals
are first joined to ``id`` and ``stage_entered_at`` of the leads placed in nurture: a
second scan of the leads, of those three columns, filtered as it reads (polars' streaming
engine cannot keep a lead's signals as a list to cut later: ``implode`` does not stream).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from funnelkit.frameworks import PLACEHOLDERS
from funnelkit.model import StageKind, table_columns
from funnelkit.qualify._factcols import fact_outputs
from funnelkit.qualify._framefacts import fact_columns, next_facts_column
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._stages import standing
from funnelkit.rules.engines.polars import (
    SIGNALS_SCHEMA,
    Col,
    Lowering,
    collect,
    output_expr,
    with_layers,
    with_signals,
)
from funnelkit.rules.meaning import RuleEvaluationError, check_as_of

__all__ = ["frame_qualify"]

_PARTS = ("budget", "authority", "need", "timeline")
_TEXT_PLACEHOLDERS = sorted(p for p in PLACEHOLDERS if isinstance(p, str))


def _part_known(part: str, schema: dict[str, Any], as_of: datetime) -> tuple[pl.Expr, pl.Expr]:
    """Whether a BANT part counts at ``as_of``, and whether its evidence has expired."""
    base = f"bant.{part}.evidence"
    asserted = pl.col(f"{base}.asserted_at") if f"{base}.asserted_at" in schema else None
    expires = pl.col(f"{base}.expires_at") if f"{base}.expires_at" in schema else None
    known = pl.lit(True) if asserted is None else asserted.is_null() | (asserted <= as_of)
    current = pl.lit(True) if expires is None else expires.is_null() | (expires > as_of)
    return known & current, known & ~current


def _reset(schema: dict[str, Any], prefix: str, keep: pl.Expr) -> list[pl.Expr]:
    """Every column under ``prefix`` where ``keep`` holds, else its empty value."""
    out = []
    for name, dtype in schema.items():
        if name.startswith(prefix):
            empty = pl.lit([], dtype=dtype) if isinstance(dtype, pl.List) else pl.lit(None)
            out.append(pl.when(keep).then(pl.col(name)).otherwise(empty).alias(name))
    return out


def _known_now(frame: pl.LazyFrame, policy: Policy, as_of: datetime) -> pl.LazyFrame:
    """``current_facts`` on a frame, with an ``__expired`` list column."""
    schema = dict(frame.collect_schema())
    columns: list[pl.Expr] = []
    expired: list[pl.Expr] = []
    for part in _PARTS:
        counts, lapsed = _part_known(part, schema, as_of)
        columns += _reset(schema, f"bant.{part}.", counts)
        expired.append(pl.when(lapsed).then(pl.lit(f"bant.{part}")))
    for key in sorted(policy.custom_facts):
        name = f"custom.{key}"
        dtype = schema.get(name)
        if dtype is None:
            continue
        if dtype == pl.String:
            blank = pl.col(name).is_in(_TEXT_PLACEHOLDERS)
        elif isinstance(dtype, pl.List):
            blank = pl.col(name).list.len() == 0
        else:
            continue
        columns.append(pl.when(blank).then(None).otherwise(pl.col(name)).alias(name))
    expired_list = pl.concat_list(expired).list.drop_nulls().alias("__expired")
    return frame.with_columns(*columns, expired_list)


def _since(schema: dict[str, Any]) -> list[pl.Expr]:
    """``since_last_move`` on the lead's facts: BANT parts not asserted since are reset."""
    since = pl.col("stage_entered_at")
    columns: list[pl.Expr] = []
    for part in _PARTS:
        asserted = f"bant.{part}.evidence.asserted_at"
        new = (pl.col(asserted) > since) if asserted in schema else pl.lit(False)
        columns += _reset(schema, f"bant.{part}.", since.is_null() | new.fill_null(False))
    return columns


_SINCE = "__since"
"""The signals' column holding their lead's ``stage_entered_at`` (nurture leads only)."""


def _new_signals() -> pl.Expr:
    """``since_last_move`` on the signals: those after the lead's last stage change."""
    since = pl.col(_SINCE)
    return since.is_null() | (pl.col("occurred_at") > since)


def _entered(leads: pl.LazyFrame, policy: Policy, nurture: list[str]) -> pl.LazyFrame:
    """``lead_id`` and ``stage_entered_at`` of the leads placed in a nurture stage.

    Read from the leads as given, three columns of the leads in nurture (a scan of its
    own, which polars filters as it reads): the leads' facts are read once, by the main
    pass, and the signals are joined to this small table before they are aggregated.
    """
    since = pl.col("stage_entered_at") if "stage_entered_at" in leads.collect_schema() else None
    return leads.filter(_placed(policy, pl.col("stage")).is_in(nurture).fill_null(False)).select(
        pl.col("id").alias("lead_id"),
        (pl.lit(None, dtype=_DTYPES["datetime"]) if since is None else since).alias(_SINCE),
    )


def _rule_stage(policy: Policy, gates: dict[str, pl.Expr]) -> pl.Expr:
    """``rule_stage``: the furthest stage the entry rules admit."""
    chain: Any = pl
    keys = [stage.key for stage, _ in policy.ordered_gates]
    for index in reversed(range(len(keys))):
        if policy.allow_skipping:
            passed = gates[keys[index]]
        else:
            passed = pl.all_horizontal([gates[k] for k in keys[: index + 1]])
        chain = chain.when(passed).then(pl.lit(keys[index]))
    if chain is pl:
        return pl.lit(None, dtype=pl.String)
    result: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.String))
    return result


def _lookup(pairs: dict[tuple[str | None, str | None], str | None], a: pl.Expr, b: pl.Expr) -> Any:
    chain: Any = pl
    for (x, y), result in pairs.items():
        test_a = a.is_null() if x is None else a == x
        test_b = b.is_null() if y is None else b == y
        chain = chain.when(test_a.fill_null(False) & test_b.fill_null(False)).then(pl.lit(result))
    return chain


def _standing(policy: Policy, placed: pl.Expr, by_rule: pl.Expr) -> pl.Expr:
    """``standing`` for every pair of stages where it moves the lead."""
    funnel = policy.funnel
    gated = [stage.key for stage, _ in policy.ordered_gates]
    moves = {
        (now, to): standing(funnel, now, to)
        for now in (None, *funnel.keys)
        for to in (None, *gated)
        if standing(funnel, now, to) != now
    }
    chain = _lookup(moves, placed, by_rule)
    if chain is pl:
        return placed
    result: pl.Expr = chain.otherwise(placed)
    return result


def _placed(policy: Policy, stage: pl.Expr) -> pl.Expr:
    """``Policy.place``: the funnel's own stages, then the stage map, else null."""
    mapping = {key: key for key in policy.funnel.keys} | dict(policy.stage_map)
    return _mapped(stage, mapping)


def _mapped(text: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    """``mapping[text]``, null for a text it does not hold.

    A chain of ``when``, which polars' streaming engine evaluates on each batch as it
    goes (``replace_strict`` is a columnar function there: a branch of its own that
    the batches wait for).
    """
    chain: Any = pl
    for key, value in mapping.items():
        chain = chain.when(text == key).then(pl.lit(value))
    if chain is pl:
        return pl.lit(None, dtype=pl.String)
    result: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.String))
    return result


_DTYPES: dict[str, Any] = {
    "str": pl.String,
    "enum": pl.String,
    "int": pl.Int64,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "decimal": pl.Decimal(38, 4),
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "set": pl.List(pl.String),
    "list": pl.List(pl.String),
}


def complete_leads(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The leads table with every column of the contract: one it lacks is missing.

    A field column the table lacks is null for every lead, a list column empty (as
    ``tables_to_leads`` reads them) where the object holding it is there, and missing
    where it is not (a lead without a contact has no buying roles); an optional object's
    presence column it lacks is true where any of the object's columns holds a value;
    ``stage`` and ``stage_entered_at`` are null.
    """
    have = set(frame.collect_schema())
    added: list[pl.Expr] = []
    present: dict[str, pl.Expr] = {}  # each optional object: where a lead has it
    for column in table_columns():
        if column.kind != "present":
            continue
        if column.path in have:
            present[column.path] = pl.col(column.path)
            continue
        inner = [pl.col(c).is_not_null() for c in have if c.startswith(f"{column.path}.")]
        value = (
            pl.when(pl.any_horizontal(inner)).then(True).otherwise(None)
            if inner
            else pl.lit(None, dtype=pl.Boolean)
        )
        present[column.path] = value
        added.append(value.alias(column.path))
    for column in table_columns():
        if column.path in have or column.kind == "present":
            continue
        if column.kind in ("set", "list"):  # a lead's lists default to empty
            empty = pl.lit([], dtype=_DTYPES[column.kind])
            holder = next((p for p in present if column.path.startswith(f"{p}.")), None)
            if holder is not None:  # ... where the object that holds them is there
                empty = pl.when(present[holder].fill_null(False)).then(empty)
            added.append(empty.alias(column.path))
        else:
            added.append(pl.lit(None, dtype=_DTYPES[column.kind]).alias(column.path))
    if "stage" not in have:
        added.append(pl.lit(None, dtype=pl.String).alias("stage"))
    if "stage_entered_at" not in have:
        added.append(pl.lit(None, dtype=_DTYPES["datetime"]).alias("stage_entered_at"))
    return frame.with_columns(added) if added else frame


def frame_qualify(
    leads: pl.DataFrame | pl.LazyFrame,
    signals: pl.DataFrame | pl.LazyFrame | None,
    policy: Policy,
    *,
    as_of: datetime,
    explain: bool = False,
) -> pl.DataFrame | pl.LazyFrame:
    """``qualify_frame`` (see there), polars imported.

    One pass over the leads: the signals are aggregated per lead in one group-by (the
    rules' aggregates and the reentry verdict's, the latter on the signals after each
    nurture lead's last stage change), joined to the leads once, and the stage and the
    reentry verdict are columns of the same frame. On a lazy frame every node streams:
    polars' streaming engine holds the aggregates of each lead (its group-by and its
    join), never the leads or the signals (signal sums then in the engine's order).
    """
    check_as_of(as_of)
    now = as_of.astimezone(UTC)
    lazy = isinstance(leads, pl.LazyFrame)
    given = leads.lazy()
    frame = complete_leads(given)
    sig = pl.LazyFrame(schema=SIGNALS_SCHEMA) if signals is None else signals.lazy()
    known = _known_now(frame, policy, now)
    schema = dict(known.collect_schema())
    lowering = Lowering(schema, now, ordered=not lazy)
    outputs = lowering.outputs(policy.rules)
    nurture = [s.key for s in policy.funnel if s.kind is StageKind.NURTURE]
    if "stage" not in given.collect_schema():
        nurture = []  # no lead is placed anywhere, so none is in nurture
    reentry = Lowering(
        schema, now, prefix="__reentry_", signals_where=_new_signals(), ordered=not lazy
    )
    verdict = reentry.lower(policy.reentry).expr.fill_null(False) if nurture else None
    if nurture:
        entered = _entered(given, policy, nurture)
        sig = sig.join(entered, on="lead_id", how="left", maintain_order="left")
    layers, listed = fact_columns(policy, lowering) if explain else ([], [])
    rows = None if isinstance(leads, pl.LazyFrame) else leads.height
    known = with_signals(known, sig, lowering, *([reentry] if nurture else []), rows=rows)
    for step in lowering.steps:
        known = known.with_columns(step)
    known = with_layers(known, layers)
    checks = [check.alias(f"__check_{i}") for i, (check, _) in enumerate(lowering.checks)]
    gates = {stage.key: outputs[f"stage_{stage.key}"].expr for stage, _ in policy.ordered_gates}
    true_gates = {k: g.fill_null(False) for k, g in gates.items()}
    staged = known.with_columns(
        *(output_expr(c).alias(f"__out_{name}") for name, c in outputs.items()),
        *checks,
        *listed,
        _rule_stage(policy, true_gates).alias("rule_stage"),
        _placed(policy, pl.col("stage")).alias("__placed"),
    ).with_columns(_standing(policy, pl.col("__placed"), pl.col("rule_stage")).alias("__moved"))
    if verdict is None:
        staged = staged.with_columns(pl.lit(False).alias("__held"))
    else:  # reentry reads what is new since the last stage change: reset, then lowered
        staged = staged.with_columns(_since(schema))
        for step in reentry.steps:
            staged = staged.with_columns(step)
        moves = pl.col("__moved").ne_missing(pl.col("__placed"))
        held = pl.col("__placed").is_in(nurture).fill_null(False) & moves & ~verdict
        staged = staged.with_columns(held.alias("__held"))
    foreign = pl.col("stage").is_not_null() & pl.col("__placed").is_null()
    stage = (
        pl.when(foreign)
        .then(pl.col("stage"))
        .when(pl.col("__held"))
        .then(pl.col("__placed"))
        .otherwise(pl.col("__moved"))
    )
    labels = {s.key: s.label for s in policy.funnel}
    result = staged.with_columns(stage.alias("__stage"), foreign.alias("__foreign")).select(
        *_result_columns(policy, outputs, labels, as_of),
        *(_fact_results(policy) if explain else []),
        *(pl.col(f"__check_{i}") for i in range(len(checks))),
    )
    if lazy:
        return result.drop([f"__check_{i}" for i in range(len(checks))])
    collected = collect(result)
    for i, (_, message) in enumerate(lowering.checks):
        broken = collected.filter(pl.col(f"__check_{i}").fill_null(False))
        if broken.height:
            raise RuleEvaluationError(f"lead {broken['lead_id'][0]!r}: {message}")
    return collected.drop([f"__check_{i}" for i in range(len(checks))])


def _fact_results(policy: Policy) -> list[pl.Expr]:
    """Each output's unknown facts (``<column>_unknown``), and the next facts."""
    columns = [
        pl.col(f"__facts_{name}").alias(f"{column}_unknown")
        for name, column in fact_outputs(policy).items()
    ]
    return [*columns, next_facts_column(policy)]


def _result_columns(
    policy: Policy, outputs: dict[str, Col], labels: dict[str, str], as_of: datetime
) -> list[pl.Expr]:
    out = pl.col
    columns = [
        pl.col("id").alias("lead_id"),
        pl.lit(policy.label).alias("policy"),
        pl.col("__stage").alias("stage"),
        _mapped(pl.col("__stage"), labels).alias("stage_label"),
        pl.col("rule_stage"),
        out("__out_fit").alias("fit"),
        out("__out_fit_grade").alias("fit_grade"),
        out("__out_engagement").alias("engagement"),
        out("__out_engagement_grade").alias("engagement_grade"),
        pl.concat_str(out("__out_fit_grade"), out("__out_engagement_grade")).alias("segment"),
    ]
    if policy.priority is not None:
        columns += [
            out("__out_priority").alias("priority"),
            out("__out_priority_grade").alias("priority_grade"),
        ]
    columns += [out(f"__out_stage_{s.key}").alias(f"gate_{s.key}") for s, _ in policy.ordered_gates]
    for fw in policy.frameworks:
        columns += [out(f"__out_{fw.key}_{c.key}").alias(f"{fw.key}_{c.key}") for c in fw]
        columns.append(out(f"__out_{fw.key}_met").cast(pl.Int64).alias(f"{fw.key}_met"))
    columns += [
        pl.col("__expired").alias("expired_evidence"),
        pl.when(pl.col("__foreign")).then(pl.col("stage")).alias("foreign_stage"),
    ]
    return columns
