"""A policy as one SQL query: ``qualify`` for every row of a table, in any dialect.

The rules are lowered by the SQL engine (``funnelkit.rules.engines.sql.rule_query``);
what ``qualify`` does around them is written here once more as SQL, step for step as
``_frame`` writes it for polars:

* ``known``: the leads as known at ``as_of`` (a BANT part whose evidence is not yet
  asserted, or has expired, is reset; a framework's custom fact holding a placeholder
  is missing), with the expired parts;
* ``since_leads`` and ``since_signals``: what is new since each lead's last stage
  change, for ``reentry``;
* ``outputs`` and ``reentry``: the rule set and the reentry rule over them;
* the final SELECT: the rule stage, the stage placed in the funnel, its moves (from
  ``standing``, once per pair of stages), nurture, foreign stages, labels.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlglot import exp

from funnelkit.frameworks import PLACEHOLDERS
from funnelkit.model import StageKind
from funnelkit.qualify._factcols import fact_outputs, next_fact_fields
from funnelkit.qualify._policy import Policy
from funnelkit.qualify._stages import standing
from funnelkit.rules.engines.sql import rule_query
from funnelkit.rules.meaning import check_as_of

__all__ = ["policy_query"]

_PARTS = ("budget", "authority", "need", "timeline")
_TEXT_PLACEHOLDERS = sorted(p for p in PLACEHOLDERS if isinstance(p, str))
_LISTS = frozenset({"bant.need.pain_points"})


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _text(value: str | None) -> exp.Expr:
    return exp.null() if value is None else exp.Literal.string(value)


def _instant(moment: datetime, dialect: str) -> exp.Expr:
    text = moment.isoformat()
    return exp.cast(exp.Literal.string(text), exp.DataType.build("TIMESTAMPTZ"))


def _no_text() -> exp.Expr:
    return exp.cast(exp.null(), "TEXT")


def _empty_list() -> exp.Expr:
    return exp.cast(exp.Array(expressions=[]), exp.DataType.build("ARRAY<TEXT>"))


def _case(whens: Sequence[tuple[exp.Expr, exp.Expr]], default: exp.Expr) -> exp.Expr:
    if not whens:
        return default
    node = exp.Case()
    for when, then in whens:
        node = node.when(when, then)
    return node.else_(default)


def _true(node: exp.Expr) -> exp.Expr:
    return exp.func("COALESCE", node, exp.false())


def _concat(arrays: list[exp.Expr]) -> exp.Expr:
    out = arrays[0]
    for array in arrays[1:]:
        out = exp.ArrayConcat(this=out, expressions=[array])
    return out


def _known(policy: Policy, columns: Sequence[str], as_of: exp.Expr) -> exp.Select:
    counts: dict[str, exp.Expr] = {}
    expired: list[exp.Expr] = []
    for part in _PARTS:
        base = f"bant.{part}.evidence"
        asserted, expires = f"{base}.asserted_at", f"{base}.expires_at"
        known: exp.Expr = exp.true()
        current: exp.Expr = exp.true()
        if asserted in columns:
            known = exp.or_(_col(asserted).is_(exp.null()), _col(asserted) <= as_of)
        if expires in columns:
            current = exp.or_(_col(expires).is_(exp.null()), _col(expires) > as_of)
        counts[part] = exp.and_(exp.paren(known), exp.paren(current))
        lapsed = exp.and_(exp.paren(known), exp.not_(exp.paren(current)))
        expired.append(
            _case([(lapsed, exp.Array(expressions=[_text(f"bant.{part}")]))], _empty_list())
        )
    facts = {f"custom.{key}" for key in policy.custom_facts}
    selected: list[exp.Expr] = []
    for name in columns:
        value: exp.Expr = _col(name)
        part = name.split(".")[1] if name.startswith("bant.") else ""
        if part in counts:
            empty = _empty_list() if name in _LISTS else exp.null()
            value = _case([(counts[part], _col(name))], empty)
        elif name in facts:
            blank = _col(name).isin(*(_text(p) for p in _TEXT_PLACEHOLDERS))
            value = _case([(_true(blank), exp.null())], _col(name))
        selected.append(exp.alias_(value, name, quoted=True))
    selected.append(exp.alias_(_concat(expired), "__expired", quoted=True))
    return exp.select(*selected).from_("leads_in")


def _since(columns: Sequence[str]) -> tuple[exp.Select, exp.Select]:
    since = _col("stage_entered_at")
    selected: list[exp.Expr] = []
    for name in columns:
        value: exp.Expr = _col(name)
        if name.startswith("bant.") and name.split(".")[1] in _PARTS:
            asserted = f"bant.{name.split('.')[1]}.evidence.asserted_at"
            new = _true(_col(asserted) > since) if asserted in columns else exp.false()
            keep = exp.or_(since.is_(exp.null()), new)
            empty = _empty_list() if name in _LISTS else exp.null()
            value = _case([(keep, _col(name))], empty)
        selected.append(exp.alias_(value, name, quoted=True))
    leads = exp.select(*selected).from_("known")
    entered = _col("stage_entered_at", "l")
    signals = (
        exp.select(*(_col(c, "s") for c in ("lead_id", "kind", "occurred_at", "explicit", "value")))
        .from_(exp.alias_(exp.to_table("signals_in"), "s", table=True))
        .join(
            exp.alias_(exp.to_table("leads_in"), "l", table=True),
            on=exp.EQ(this=_col("lead_id", "s"), expression=_col("id", "l")),
        )
        .where(exp.or_(entered.is_(exp.null()), _col("occurred_at", "s") > entered))
    )
    return leads, signals


def _is(node: exp.Expr, value: str | None) -> exp.Expr:
    return node.is_(exp.null()) if value is None else node.eq(value)


def _rule_stage(policy: Policy) -> exp.Expr:
    keys = [stage.key for stage, _ in policy.ordered_gates]
    whens = []
    for index in reversed(range(len(keys))):
        needed = keys[index : index + 1] if policy.allow_skipping else keys[: index + 1]
        passed = exp.and_(*(_true(_col(f"stage_{k}", "o")) for k in needed))
        whens.append((passed, _text(keys[index])))
    return _case(whens, exp.cast(exp.null(), "TEXT"))


def _placed(policy: Policy) -> exp.Expr:
    mapping = {key: key for key in policy.funnel.keys} | dict(policy.stage_map)
    stage = _col("stage", "k")
    whens = [(exp.EQ(this=stage.copy(), expression=_text(a)), _text(b)) for a, b in mapping.items()]
    return _case(whens, exp.cast(exp.null(), "TEXT"))


def _moved(policy: Policy) -> exp.Expr:
    funnel = policy.funnel
    gated = [stage.key for stage, _ in policy.ordered_gates]
    whens = []
    for now in (None, *funnel.keys):
        for to in (None, *gated):
            moved = standing(funnel, now, to)
            if moved == now:
                continue
            test_now = _col("__placed").is_(exp.null()) if now is None else _col("__placed").eq(now)
            test_to = (
                _col("rule_stage").is_(exp.null()) if to is None else _col("rule_stage").eq(to)
            )
            whens.append((exp.and_(_true(test_now), _true(test_to)), _text(moved)))
    return _case(whens, _col("__placed"))


def policy_query(
    policy: Policy,
    *,
    as_of: datetime,
    dialect: str = "duckdb",
    leads: str = "leads",
    signals: str = "signals",
    columns: Collection[str],
    facts: bool = False,
    next_inputs: bool = False,
) -> exp.Select:
    """One SELECT that qualifies every lead of a table (see ``qualify_table``).

    With ``facts``, each output's unknown facts (``<column>_unknown``) follow the result
    columns; with ``next_inputs`` too, the columns ``qualify``'s ranking of next facts
    reads, as ``__next_<field>`` (``next_fact_fields``), for the caller to rank.
    """
    check_as_of(as_of)
    names = [c for c in columns if not c.startswith("__")]
    for extra in ("stage", "stage_entered_at"):
        if extra not in names:
            raise ValueError(f"the leads table needs a {extra!r} column (it may be all null)")
    now = _instant(as_of, dialect)
    known = _known(policy, names, now)
    since_leads, since_signals = _since(names)
    outputs = rule_query(
        policy.rules,
        as_of=as_of,
        dialect=dialect,
        leads="known",
        signals="signals_in",
        columns=names,
        facts=facts,
    )
    nurture = [s.key for s in policy.funnel if s.kind is StageKind.NURTURE]
    produced = [name for name, _ in policy.rules.outputs]
    staged = (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("k")),
            *(exp.alias_(_col(name, "o"), name, quoted=True) for name in produced),
            exp.alias_(_rule_stage(policy), "rule_stage", quoted=True),
            exp.alias_(_placed(policy), "__placed", quoted=True),
            *(_fact_inputs(policy) if facts else []),
        )
        .from_(exp.alias_(exp.to_table("known"), "k", table=True))
        .join(
            exp.alias_(exp.to_table("outputs"), "o", table=True),
            on=exp.EQ(this=_col("id", "k"), expression=_col("id", "o")),
        )
    )
    ctes: list[tuple[str, exp.Expr]] = [
        ("leads_in", exp.select(exp.Star()).from_(leads)),
        ("signals_in", exp.select(exp.Star()).from_(signals)),
        ("known", known),
        ("outputs", outputs),
    ]
    held: exp.Expr = exp.false()
    if nurture:
        reentry = rule_query(
            policy.reentry,
            as_of=as_of,
            dialect=dialect,
            leads="since_leads",
            signals="since_signals",
            columns=names,
        )
        _rename_table(reentry, "signal_aggregates", "reentry_signal_aggregates")
        ctes += [
            ("since_leads", since_leads),
            ("since_signals", since_signals),
            ("reentry", reentry),
        ]
        staged = staged.select(exp.alias_(_col("value", "r"), "__reentry", quoted=True)).join(
            exp.alias_(exp.to_table("reentry"), "r", table=True),
            on=exp.EQ(this=_col("id", "k"), expression=_col("id", "r")),
            join_type="left",
        )
        moves = exp.NullSafeNEQ(this=_col("__moved"), expression=_col("__placed"))
        held = exp.and_(
            _true(_col("__placed").isin(*(_text(n) for n in nurture))),
            moves,
            exp.not_(_true(_col("__reentry"))),
        )
    ctes.append(("staged", staged))
    moved = exp.select(exp.Star(), exp.alias_(_moved(policy), "__moved", quoted=True)).from_(
        "staged"
    )
    ctes.append(("moved", moved))
    foreign = exp.and_(exp.not_(_col("stage").is_(exp.null())), _col("__placed").is_(exp.null()))
    stage = _case([(foreign, _col("stage")), (held, _col("__placed"))], _col("__moved"))
    decided = exp.select(
        exp.Star(),
        exp.alias_(stage, "__stage", quoted=True),
        exp.alias_(foreign, "__foreign", quoted=True),
        exp.alias_(held.copy(), "__held", quoted=True),
    ).from_("moved")
    ctes.append(("decided", decided))
    selected = _result_columns(policy)
    if facts:
        selected += [
            exp.alias_(_col(f"__facts_{name}"), f"{column}_unknown", quoted=True)
            for name, column in fact_outputs(policy).items()
        ]
    if facts and next_inputs:
        selected += [
            exp.alias_(_col(column), f"__next_{field}", quoted=True)
            for field, column in next_fact_fields(policy, lambda name: name).items()
        ]
    query = exp.select(*selected).from_("decided")
    for name, cte in ctes:
        query = query.with_(name, as_=cte, copy=False)
    return query


def _fact_inputs(policy: Policy) -> list[exp.Expr]:
    """The outputs' unknown facts (``__facts_<output>``), and each gate's lifts."""
    listed = [
        exp.alias_(_col(f"{name}.facts", "o"), f"__facts_{name}", quoted=True)
        for name in fact_outputs(policy)
    ]
    listed += [
        exp.alias_(_col(f"stage_{s.key}.lifts", "o"), f"__lifts_{s.key}", quoted=True)
        for s, _ in policy.ordered_gates
    ]
    return listed


def _rename_table(query: exp.Select, old: str, new: str) -> None:
    """Rename a CTE of ``query`` in place, with every reference to it.

    sqlglot hoists nested CTEs to the top for Spark, where the rule set's and the
    reentry rule's ``signal_aggregates`` would then collide.
    """
    for node in query.find_all(exp.TableAlias, exp.Table, exp.Column):
        if isinstance(node, exp.Column):
            if node.table == old:
                node.set("table", exp.to_identifier(new))
        elif node.name == old:
            node.set("this", exp.to_identifier(new))


def _score(name: str) -> exp.Expr:
    """A score as an exact decimal with four places, whatever its points (as in polars)."""
    return exp.cast(_col(name), exp.DataType.build("DECIMAL(38, 4)"))


def _result_columns(policy: Policy) -> list[exp.Expr]:
    labels = [
        (exp.EQ(this=_col("__stage"), expression=_text(s.key)), _text(s.label))
        for s in policy.funnel
    ]
    columns: list[tuple[exp.Expr, str]] = [
        (_col("id"), "lead_id"),
        (_text(policy.label), "policy"),
        (_col("__stage"), "stage"),
        (_case(labels, exp.cast(exp.null(), "TEXT")), "stage_label"),
        (_col("rule_stage"), "rule_stage"),
        (_score("fit"), "fit"),
        (_col("fit_grade"), "fit_grade"),
        (_score("engagement"), "engagement"),
        (_col("engagement_grade"), "engagement_grade"),
        (exp.func("CONCAT", _col("fit_grade"), _col("engagement_grade")), "segment"),
    ]
    if policy.priority is not None:
        columns += [(_score("priority"), "priority"), (_col("priority_grade"), "priority_grade")]
    columns += [(_col(f"stage_{s.key}"), f"gate_{s.key}") for s, _ in policy.ordered_gates]
    for fw in policy.frameworks:
        columns += [(_col(f"{fw.key}_{c.key}"), f"{fw.key}_{c.key}") for c in fw]
        columns.append((exp.cast(_col(f"{fw.key}_met"), "BIGINT"), f"{fw.key}_met"))
    columns += [
        (_col("__expired"), "expired_evidence"),
        (
            _case([(_col("__foreign"), _col("stage"))], exp.cast(exp.null(), "TEXT")),
            "foreign_stage",
        ),
    ]
    return [exp.alias_(node, name, quoted=True) for node, name in columns]
