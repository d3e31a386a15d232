"""The SQL walker: one visitor per node kind, in one dispatch table.

Strict kinds (``funnelkit.rules.meaning.STRICT``) all go through ``_strict``: lower the
operands, then ``CASE WHEN <an operand IS NULL> THEN <on_missing> ELSE <operation>
END``, the operation being the kind's visitor in ``_strict.OPERATIONS``; the ``CASE``
is left out where it can change nothing (no operand can be NULL, or ``on_missing`` is
NULL and ``_strict.NULL_PASSES`` says SQL's own NULL propagation gives it). The other
forms follow ``_declare``: Kleene logic is SQL's own ``AND`` / ``OR`` / ``NOT``;
``at_least`` counts TRUE and unknown items (``at_least_truth``); points are given only
on TRUE (``points_when``); a score adds its present items, then its floor, then its cap
(``bounded``); decision tables apply their hit policy (``table_outcome``); a rule
set's ``ref`` reads the lowered earlier output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import attrs
from sqlglot import exp

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.sql._layers import Layers
from funnelkit.rules.engines.sql._low import (
    Low,
    column,
    lower_field,
    lower_literal,
    null_of,
    truth_sql,
)
from funnelkit.rules.engines.sql._signals import SignalColumns
from funnelkit.rules.engines.sql._spell import (
    case,
    is_null,
    not_null,
    number,
    raise_error,
    sql_type,
)
from funnelkit.rules.engines.sql._strict import NULL_PASSES, OPERATIONS, Context, exact_points
from funnelkit.rules.meaning import STRICT, UnsupportedRuleError
from funnelkit.rules.tree import DecisionTable, Expr, Field, Literal, SignalAgg, Truth

__all__ = ["Lowerer"]

_NUMERIC = ("int", "float", "decimal", "points")


def _kind_of(lows: list[Low]) -> str:
    kinds = {low.kind for low in lows if not (isinstance(low.sql, exp.Null))}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds and kinds <= set(_NUMERIC):
        if "float" in kinds:
            # floats with decimals: Python keeps each row's type, SQL needs one
            return "any" if kinds & {"decimal", "points"} else "float"
        return "decimal" if kinds & {"decimal", "points"} else "int"
    return "any"


def _is_true(condition: exp.Expr) -> Callable[[], exp.Expr]:
    """Builds: ``condition`` is TRUE (not FALSE, not NULL)."""
    return lambda: exp.func("COALESCE", condition.copy(), exp.false())


def _open(condition: exp.Expr, conjunction: bool) -> Callable[[], exp.Expr]:
    """Builds: ``condition`` does not settle an ``all_of`` (not FALSE) / ``any_of`` (not TRUE).

    A ``first`` table's earlier row settles it as an ``any_of`` item does.
    """
    if conjunction:
        return lambda: exp.func("COALESCE", condition.copy(), exp.true())
    return lambda: exp.not_(exp.func("COALESCE", condition.copy(), exp.false()))


def _none_given(rows: list[tuple[exp.Expr, Low]], first: bool) -> exp.Expr:
    """No row gives the table's output: none is TRUE (``first``), none TRUE with a value."""
    given = [
        exp.and_(exp.func("COALESCE", when.copy(), exp.false()), not_null(then.sql.copy()))
        if not first and then.nullable
        else exp.func("COALESCE", when.copy(), exp.false())
        for when, then in rows
    ]
    return exp.not_(exp.paren(exp.or_(*given)))


def _missing(low: Low) -> exp.Expr:
    return is_null(low.sql)


class Lowerer:
    """Lowers nodes to sqlglot expressions for one dialect, instant and table schema."""

    def __init__(self, dialect: str, as_of: datetime, *, columns: Collection[str] | None) -> None:
        self.layers = Layers(fence=dialect == "postgres")
        self.ctx = ctx = Context(dialect, as_of, share=self.layers.share)
        self.columns = columns
        self.signals = SignalColumns(ctx)
        self.env: dict[str, Low] = {}
        # where the interpreter evaluates the node being lowered (None: every lead)
        # the conditions under which the node being lowered is reached, built only when a
        # unique table's check reads them (most rules have none)
        self._reach: tuple[Callable[[], exp.Expr], ...] = ()
        # while the facts walkers lower values: each node once, shared, without checks
        self._unchecked: dict[int, tuple[Expr, Low]] | None = None
        self._dispatch: dict[type, Callable[[Any], Low]] = {
            **dict.fromkeys(STRICT, self._strict),
            Field: lambda n: lower_field(n, self.columns),
            Literal: lambda n: lower_literal(n.value),
            tr.Const: self._const,
            tr.Not: lambda n: Low(exp.not_(self.condition(n.operand)), "bool"),
            tr.All: lambda n: Low(exp.and_(*self._items(n.items, conjunction=True)), "bool"),
            tr.Any: lambda n: Low(exp.or_(*self._items(n.items, conjunction=False)), "bool"),
            tr.AtLeast: self._at_least,
            SignalAgg: self.signals.lower,
            tr.Points: self._points,
            tr.Score: self._score,
            DecisionTable: self._table,
            tr.Named: lambda n: self.lower(n.expr),
            tr.Ref: self._ref,
            tr.RuleSet: self._rule_set,
            tr.Custom: self._custom,
        }

    def lower(self, node: Expr) -> Low:
        """Lower one node."""
        memo = self._unchecked
        if memo is not None:
            entry = memo.get(id(node))
            if entry is not None and entry[0] is node:
                return entry[1]
        visit = self._dispatch.get(type(node))
        if visit is None:
            raise UnsupportedRuleError(f"the SQL engine has no lowering for {node!r}", node=node)
        low = visit(node)
        if memo is not None:
            low = self._shared(low)
            memo[id(node)] = (node, low)
        return low

    @contextmanager
    def unchecked(self) -> Iterator[None]:
        """Lower the next nodes as values only, for the facts walkers.

        Each node is lowered once and shared as a column (a parent reads its children's
        columns), and a ``unique`` table does not raise: the walkers work out where
        evaluating it fails themselves, and a value lowered outside its place in the
        rule does not know where the interpreter reaches it. Whatever was lowered
        before (the outputs, which ``ref`` reads) keeps its checks.
        """
        outer = self._unchecked
        if outer is None:
            self._unchecked = {}
        try:
            yield
        finally:
            self._unchecked = outer

    def _shared(self, low: Low) -> Low:
        currency = None if low.currency is None else self.layers.share(low.currency)
        return attrs.evolve(low, sql=self.layers.share(low.sql), currency=currency)

    def condition(self, node: Expr) -> exp.Expr:
        """A condition's expression, parenthesised for use inside AND / OR / NOT."""
        return exp.paren(self.lower(node).sql)

    @contextmanager
    def _reached(self, *conditions: Callable[[], exp.Expr]) -> Iterator[None]:
        """Lower the next nodes as reached only where ``conditions`` all hold too.

        Only a ``unique`` table's error reads it: SQL evaluates shared columns and the
        items of AND / OR for every lead, and a table the interpreter never evaluates
        for a lead (in a row whose condition is not TRUE, a default after a match, an
        item after an ``all_of``'s FALSE) must not fail that lead.
        """
        outer = self._reach
        self._reach = (*outer, *conditions)
        try:
            yield
        finally:
            self._reach = outer

    def _items(self, items: tuple[Expr, ...], *, conjunction: bool) -> list[exp.Expr]:
        """The items of ``all_of`` / ``any_of``, each reached while none settled it yet."""
        out: list[exp.Expr] = []
        for item in items:
            with self._reached(*(_open(sql, conjunction) for sql in out)):
                out.append(self.condition(item))
        return out

    def _strict(self, node: Expr) -> Low:
        meaning = STRICT[type(node)]
        lowered = [self.lower(child) for child in node.children()]
        if any(isinstance(o.sql, exp.Null) for o in lowered):
            return self._on_missing(meaning.on_missing, node)
        passes = NULL_PASSES.get(type(node))
        if (
            (meaning.on_missing is None or meaning.on_missing is Truth.UNKNOWN)
            and passes is not None
            and passes(node, lowered, self.ctx.dialect)
        ):
            present = OPERATIONS[type(node)](node, lowered, self.ctx)
            nullable = present.nullable or any(o.nullable for o in lowered)
            return attrs.evolve(present, nullable=nullable)
        operands = [self._once(low) for low in lowered]
        present = OPERATIONS[type(node)](node, operands, self.ctx)
        checks = [_missing(o) for o in operands if o.nullable]
        if not checks:
            return present
        missing = self._on_missing(meaning.on_missing, node, kind=present.kind)
        sql = case([(exp.or_(*checks), missing.sql)], present.sql)
        return Low(sql, present.kind, nullable=missing.nullable or present.nullable)

    def _once(self, low: Low) -> Low:
        """``low`` as a shared column when it is read more than once (nullable)."""
        return self._shared(low) if low.nullable else low

    def _on_missing(self, value: object, node: Expr, *, kind: str = "any") -> Low:
        if isinstance(value, Truth):
            return Low(truth_sql(value), "bool", nullable=value is Truth.UNKNOWN)
        if value is None:
            return Low(null_of(kind), kind)
        assert isinstance(value, int)
        return Low(number(value), "int", nullable=False)

    def _const(self, node: tr.Const) -> Low:
        truth = Truth.UNKNOWN if node.value is None else Truth.TRUE if node.value else Truth.FALSE
        return Low(truth_sql(truth), "bool", nullable=truth is Truth.UNKNOWN)

    def _at_least(self, node: tr.AtLeast) -> Low:
        items: list[exp.Expr] = [
            exp.paren(self.layers.share(self.lower(item).sql)) for item in node.items
        ]
        one, zero = exp.Literal.number(1), exp.Literal.number(0)

        def count(tests: list[exp.Expr]) -> exp.Expr:
            terms = [case([(t, one)], zero) for t in tests]
            total = terms[0]
            for term in terms[1:]:
                total = exp.Add(this=total, expression=term)
            return exp.paren(total)

        true = count(items)
        unknown = count([is_null(i) for i in items])
        need = exp.Literal.number(node.n)
        reach = exp.GTE(this=true, expression=need)
        short = exp.LT(this=exp.Add(this=true.copy(), expression=unknown), expression=need.copy())
        return Low(case([(reach, exp.true()), (short, exp.false())], null_of("bool")), "bool")

    def _points(self, node: tr.Points) -> Low:
        when = self.condition(node.when)
        kind = "int" if isinstance(node.points, int) else "points"
        return Low(case([(when, number(node.points))], number(0)), kind, nullable=False)

    def _score(self, node: tr.Score) -> Low:
        items = [self.lower(item) for item in node.items]
        terms: list[exp.Expr] = []
        for item in items:
            if item.kind not in _NUMERIC:
                raise UnsupportedRuleError(
                    f"score items must be numbers, got {item.kind}", node=node
                )
            value = exact_points(item, self.ctx)
            if item.nullable:
                value = exp.Coalesce(this=value, expressions=[number(0)])
            terms.append(exp.paren(value))
        total: exp.Expr = number(0)
        for term in terms:
            total = exp.Add(this=total, expression=term)
        kind = "int" if all(i.kind == "int" for i in items) else "points"
        if node.floor is not None or node.cap is not None:
            total = self.layers.share(total)
        for bound, keep in ((node.floor, exp.LT), (node.cap, exp.GT)):
            if bound is not None:
                total = case(
                    [(keep(this=exp.paren(total), expression=number(bound)), number(bound))], total
                )
                kind = kind if isinstance(bound, int) else "points"
        return Low(total, kind, nullable=False)

    def _table(self, node: DecisionTable) -> Low:
        policy = node.hit_policy
        if policy == "collect":
            raise UnsupportedRuleError(
                "a 'collect' decision table gives a list per lead; SQL columns hold one value",
                node=node,
            )
        first = policy == "first"
        rows: list[tuple[exp.Expr, Low]] = []
        for when_node, then_node in node.rows:
            # "first" reaches a row's condition while no earlier row is TRUE
            earlier = [_open(when, False) for when, _ in rows] if first else []
            with self._reached(*earlier):
                when = self.condition(when_node)
            with self._reached(*earlier, _is_true(when)):
                rows.append((when, self._once(self.lower(then_node))))
        default = None
        if node.default is not None:  # reached where no row gives the output
            with self._reached(functools.partial(_none_given, rows, first)):
                default = self.lower(node.default)
        outs = [then for _, then in rows] + ([default] if default is not None else [])
        kind = _kind_of(outs)
        fallback = default.sql if default is not None else null_of(kind)
        if policy == "first":
            return Low(case([(when, then.sql) for when, then in rows], fallback), kind)
        hits = [
            exp.and_(when.copy(), not_null(then.sql)) if then.nullable else when
            for when, then in rows
        ]
        if policy == "unique":
            whens = [(hit, then.sql) for hit, (_, then) in zip(hits, rows, strict=True)]
            stop = raise_error(
                "more than one row matches a 'unique' decision table",
                self.ctx.dialect,
                record=column("id"),
            )
            if stop is not None and len(rows) > 1 and self._unchecked is None:
                ones = [
                    case([(when.copy(), exp.Literal.number(1))], exp.Literal.number(0))
                    for when, _ in rows
                ]
                total = ones[0]
                for one in ones[1:]:
                    total = exp.Add(this=total, expression=one)
                many: exp.Expr = exp.GT(this=exp.paren(total), expression=exp.Literal.number(1))
                if self._reach:
                    reach = exp.and_(*(exp.paren(condition()) for condition in self._reach))
                    many = exp.and_(exp.func("COALESCE", reach, exp.false()), many)
                if kind != "any":
                    stop = exp.cast(stop, sql_type(_sql_type(kind)))
                # numbers of mixed types ("any") meet in the CASE as numbers: the stop
                # stays as it is (an untyped ERROR / RAISE_ERROR, Postgres' failing
                # INTEGER cast), where a text cast would not meet them
                whens.insert(0, (many, stop))
            return Low(case(whens, fallback), kind)
        any_hit = exp.or_(*(exp.paren(h.copy()) for h in hits))
        if policy == "collect_sum":
            terms = [
                case([(hit, exact_points(then, self.ctx))], number(0))
                for hit, (_, then) in zip(hits, rows, strict=True)
            ]
            total = terms[0]
            for term in terms[1:]:
                total = exp.Add(this=total, expression=term)
            kind = "int" if all(then.kind == "int" for _, then in rows) else "points"
            if default is not None and default.kind != kind:
                kind = _kind_of([Low(exp.Literal.number(0), kind), default])
            if default is None:  # a NULL of the sum's type: a DOUBLE NULL (from float
                fallback = null_of(kind)  # rows) would make the whole CASE a DOUBLE
            return Low(case([(any_hit, total)], fallback), kind)
        best: exp.Expr = null_of(kind)
        for hit, (_, then) in zip(hits, rows, strict=True):
            value = case([(hit, then.sql)], None)
            better = exp.or_(is_null(best), exp.GT(this=value.copy(), expression=best.copy()))
            best = self.layers.share(
                case([(exp.and_(not_null(value), exp.paren(better)), value)], best)
            )
        return Low(case([(any_hit, best)], fallback), kind)

    def _ref(self, node: tr.Ref) -> Low:
        if node.name not in self.env:
            raise UnsupportedRuleError(f"ref({node.name!r}) outside its rule set", node=node)
        return self.env[node.name]

    def _rule_set(self, node: tr.RuleSet) -> Low:
        # a rule set is lowered as the whole query (``_query``), one column per output
        raise UnsupportedRuleError("a rule set inside a rule is not lowered", node=node)

    def _custom(self, node: tr.Custom) -> Low:
        raise UnsupportedRuleError(
            f"custom rule {node.name!r} is Python code; SQL cannot run it (use a row engine, "
            "or write the rule with F paths and operators)",
            node=node,
        )


def _sql_type(kind: str) -> str:
    return {
        "int": "BIGINT",
        "float": "DOUBLE",
        "str": "VARCHAR",
        "bool": "BOOLEAN",
        "decimal": "DECIMAL(38,4)",
        "points": "DECIMAL(38,4)",
    }.get(kind, "VARCHAR")
