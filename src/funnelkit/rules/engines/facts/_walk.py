"""Unknown facts over columns: explain's facts of every node, as conditions per path.

This walker states, over an engine's columns (``Ops``), what the explain steps record
for one lead (``funnelkit.rules.engines.explain``): a missing field lists its path; most
nodes list the union of their children's facts; an ``all_of`` / ``any_of`` stops at a
settling item that no missing fact could flip (and then lists none), and goes on past
one that could; an ``at_least`` lists its items' facts while finding them out could
still decide it; a decision table lists the facts of the rows, outputs and default that
finding out a fact could bring into play. What explain evaluates past the interpreter's
answer may fail (a ``unique`` table matching twice): explain then stops there and keeps
what it found, and so does ``fails`` here. The directions (which facts could make a
node TRUE, and how far they could move a number) are read from these by ``Directed``.

Every node's value and facts are columns of their own, added in layers (a node's layer
is one more than its children's), so that an expression never repeats a subtree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import attrs

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.facts._ops import Ops, Paths, Value
from funnelkit.rules.meaning import UnsupportedRuleError
from funnelkit.rules.tree import Expr

__all__ = ["Found", "FactWalker", "Table"]


@attrs.frozen
class Found:
    """One node for every lead: its value, its facts, and where evaluating it fails.

    Attributes:
        value: The node's value (a column of its own).
        facts: The facts explain records for the node where it is evaluated (none where
            it fails).
        fails: Where evaluating the node raises (a ``unique`` table matching twice, at
            any depth under it); ``None``: nowhere.
        height: The node's layer: its columns read only columns of lower layers.
        evaluated: An ``all_of`` / ``any_of``'s items: where each is evaluated (and does
            not fail).
    """

    value: Value
    facts: Paths
    fails: Any | None
    height: int
    evaluated: tuple[Any, ...] = ()


@attrs.frozen
class Table:
    """What explain evaluates of a decision table, for every lead.

    Attributes:
        facts: The table's facts.
        fails: Where evaluating it raises (``None``: nowhere).
        kids: The rows' conditions, their outputs, and the default.
        rows: For each row, whether its condition and its output are evaluated, and
            whether it is a hit (a TRUE row whose output was evaluated).
        default: Whether the default is evaluated (``None``: the table has none).
    """

    facts: Paths
    fails: Any | None
    kids: list[Found]
    rows: list[tuple[Any, Any, Any]]
    default: Any | None


class FactWalker:
    """The facts of the nodes of one rule, over one engine's columns.

    Args:
        ops: The engine's columns (their lowering of the rule's values, and where the
            walker's columns go).
    """

    def __init__(self, ops: Ops) -> None:
        self.ops = ops
        self.env: dict[str, Found] = {}
        self.nodes: dict[str, Expr] = {}
        self._memo: dict[int, tuple[Expr, Found]] = {}
        self._tables: dict[int, tuple[Expr, Table]] = {}

    def column(self, expr: Any, height: int) -> Any:
        """``expr`` as a column of layer ``height`` (constants stay as they are)."""
        if expr is self.ops.TRUE or expr is self.ops.FALSE:
            return expr
        return self.ops.column(expr, height)

    def paths(self, paths: Paths, height: int) -> Paths:
        """``paths`` as columns of layer ``height``."""
        return {p: self.column(e, height) for p, e in paths.items()}

    def outputs(self, node: tr.RuleSet) -> dict[str, Found]:
        """The facts of each output of a rule set (later ones read earlier ones)."""
        for name, expr in node.outputs:
            self.env[name] = self.found(expr)
            self.nodes[name] = expr
        return dict(self.env)

    def found(self, node: Expr) -> Found:
        """The node's value and facts, once per node object.

        A node's facts do not depend on where it stands, only on whether it is evaluated,
        which its parent decides.
        """
        entry = self._memo.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        result = self._visit(node)
        self._memo[id(node)] = (node, result)
        return result

    def _visit(self, node: Expr) -> Found:
        if type(node) is tr.Ref:
            return self.env[node.name]
        if type(node) is tr.Custom:
            raise UnsupportedRuleError("custom rules are Python code", node=node)
        value = self.ops.value(node)
        visit = self._visits.get(type(node), FactWalker._union)
        return visit(self, node, value)

    def _field(self, node: tr.Field, value: Value) -> Found:
        if node.path == "signals":  # a table of its own: never missing
            return Found(value, {}, None, 1)
        missing = value.expr.is_null() if value.nullable else self.ops.FALSE
        return Found(value, self.paths({node.path: missing}, 1), None, 1)

    def _leaf(self, node: Expr, value: Value) -> Found:
        return Found(value, {}, None, 1)

    def _counted(self, node: tr.Size | tr.IsMissing, value: Value) -> Found:
        operand = node.operand
        if isinstance(operand, tr.Field) and operand.path == "signals":
            return Found(value, {}, None, 1)  # the lead's signals are counted, always there
        return self._union(node, value)

    def _union(self, node: Expr, value: Value) -> Found:
        """Any other node: the union of its children's facts (all are evaluated)."""
        x = self.ops
        kids = [self.found(child) for child in node.children()]
        return self._made(value, x.union(*(k.facts for k in kids)), _fails(x, kids), kids)

    def _made(
        self,
        value: Value,
        facts: Paths,
        fails: Any | None,
        kids: list[Found],
        evaluated: tuple[Any, ...] = (),
    ) -> Found:
        height = 1 + max((k.height for k in kids), default=0)
        if fails is not None:  # both read the children's columns only
            facts = self.ops.where(~fails, facts)
            fails = self.column(fails, height)
        evaluated = tuple(self.column(e, height) for e in evaluated)
        return Found(value, self.paths(facts, height), fails, height, evaluated)

    def _junction(self, node: tr.All | tr.Any, value: Value) -> Found:
        # all_of: FALSE settles it, any_of: TRUE; explain goes on past a settling item
        # that has facts, and stops (listing none) at one that has none
        x = self.ops
        conj = isinstance(node, tr.All)
        kids = [self.found(item) for item in node.items]
        stopped, settled, cleared = x.FALSE, x.FALSE, x.FALSE
        fails: Any = x.FALSE
        facts: Paths = {}
        evaluated = []
        for kid in kids:
            settles = (~kid.value.expr if conj else kid.value.expr).fill_null(False)
            going = ~stopped
            ok = going
            if kid.fails is not None:  # before the answer it fails the junction, after
                fails = x.either(fails, x.both(going, x.both(~settled, kid.fails)))  # it stops
                ok = x.both(going, ~kid.fails)
                stopped = x.either(stopped, x.both(going, x.both(settled, kid.fails)))
            evaluated.append(ok)
            clear = x.both(ok, x.both(settles, x.empty(kid.facts)))
            facts = x.union(facts, x.where(ok, kid.facts))
            cleared = x.either(cleared, clear)
            stopped = x.either(stopped, clear)
            settled = x.either(settled, x.both(ok, settles))
        failing = None if fails is x.FALSE else fails
        return self._made(value, x.where(~cleared, facts), failing, kids, tuple(evaluated))

    def _at_least(self, node: tr.AtLeast, value: Value) -> Found:
        x = self.ops
        kids = [self.found(item) for item in node.items]
        sure = x.count([k.value.expr.fill_null(False) & x.empty(k.facts) for k in kids])
        possible = x.count([k.value.expr.fill_null(True) | ~x.empty(k.facts) for k in kids])
        deciding = (sure < node.n) & (possible >= node.n)
        facts = x.where(deciding, x.union(*(k.facts for k in kids)))
        return self._made(value, facts, _fails(x, kids), kids)

    def _table(self, node: tr.DecisionTable, value: Value) -> Found:
        table = self.table(node)
        return self._made(value, table.facts, table.fails, table.kids)

    def table(self, node: tr.DecisionTable) -> Table:
        """Which of a table's rows, outputs and default explain evaluates, for every lead.

        Worked out once per table (its facts and its directions both read it).
        """
        entry = self._tables.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        table = self._table_walk(node)
        self._tables[id(node)] = (node, table)
        return table

    def _table_walk(self, node: tr.DecisionTable) -> Table:
        x = self.ops
        first = node.hit_policy == "first"
        whens = [self.found(when) for when, _ in node.rows]
        thens = [self.found(then) for _, then in node.rows]
        stopped, sure, hit = x.FALSE, x.FALSE, x.FALSE
        fails: Any = x.FALSE
        rows: list[tuple[Any, Any, Any]] = []
        facts: Paths = {}
        for (_, then), w, t in zip(node.rows, whens, thens, strict=True):
            if first:
                stopped = x.either(stopped, sure)
            going = ~stopped
            if w.fails is not None:  # after a "first" hit: stops; else fails the table
                breaks = x.both(going, w.fails)
                fails = x.either(fails, x.both(breaks, ~hit) if first else breaks)
                if first:
                    stopped = x.either(stopped, x.both(breaks, hit))
                going = x.both(going, ~w.fails)
            outcome = w.value.expr
            settled = x.empty(w.facts)
            facts = x.union(facts, x.where(going, w.facts))
            out = x.both(going, ~(outcome.eq(False).fill_null(False) & settled))
            is_true = outcome.fill_null(False)
            literal = isinstance(then, tr.Literal)
            if t.fails is not None and not literal:
                broken = x.both(out, t.fails)
                if first:
                    stopped = x.either(stopped, x.both(broken, hit))
                    fails = x.either(fails, x.both(broken, x.both(~hit, is_true)))
                else:
                    fails = x.either(fails, x.both(broken, is_true))
                out = x.both(out, ~t.fails)
            facts = x.union(facts, x.where(out, t.facts))
            present = t.value.expr.is_not_null()
            known = present if literal else x.both(present, x.empty(t.facts))
            hits = x.both(out, is_true)
            rows.append((going, out, hits))
            sure = x.either(sure, x.both(hits, settled if first else x.both(settled, known)))
            hit = x.either(hit, hits)
        default = None
        if node.default is not None:
            d = self.found(node.default)
            default = ~sure
            if d.fails is not None:  # fails the table where the table's answer is its own
                own = _no_answer(x, thens, rows) if not first else ~hit
                fails = x.either(fails, x.both(default, x.both(own, d.fails)))
                default = x.both(default, ~d.fails)
            facts = x.union(facts, x.where(default, d.facts))
        if node.hit_policy == "unique":
            fails = x.either(fails, x.count([hits for _, _, hits in rows]) > 1)
        kids = [*whens, *thens, *([self.found(node.default)] if node.default is not None else [])]
        return Table(facts, None if fails is x.FALSE else fails, kids, rows, default)

    _visits: ClassVar[dict[type, Callable[[FactWalker, Any, Value], Found]]] = {
        tr.Field: _field,
        tr.Literal: _leaf,
        tr.Const: _leaf,
        tr.SignalAgg: _leaf,
        tr.All: _junction,
        tr.Any: _junction,
        tr.AtLeast: _at_least,
        tr.DecisionTable: _table,
        tr.Size: _counted,
        tr.IsMissing: _counted,
    }
    """The kinds with facts of their own (any other lists its children's, ``_union``)."""


def _no_answer(x: Ops, thens: list[Found], rows: list[Any]) -> Any:
    """Where a table that is not ``first`` has no present output of a TRUE row."""
    return ~x.any_of(
        x.both(hits, t.value.expr.is_not_null())
        for t, (_, _, hits) in zip(thens, rows, strict=True)
    )


def _fails(x: Ops, kids: list[Found]) -> Any | None:
    found = [k.fails for k in kids if k.fails is not None]
    return x.any_of(found) if found else None
