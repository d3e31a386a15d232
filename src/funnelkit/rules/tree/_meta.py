"""Inspection of rule trees: walking, structural keys, reprs, tree format, limits."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.rules.tree import _named as nm
from funnelkit.rules.tree import _nodes as nd
from funnelkit.rules.tree import _scoring as sc
from funnelkit.rules.tree._expr import Expr, Field, Literal, walk
from funnelkit.rules.tree._signals import SignalAgg
from funnelkit.rules.tree._tables import DecisionTable

__all__ = ["Meta", "walk", "render_repr", "check_limits", "RuleLimitError", "Limits"]


class RuleLimitError(FunnelkitError, ValueError):
    """A rule tree is deeper or larger than the configured limits."""

    code: ClassVar[str] = "rule-limit"


@attrs.frozen
class Limits:
    """Bounds on rule trees, checked before evaluation and compilation.

    Attributes:
        max_depth: The deepest nesting allowed.
        max_nodes: The most nodes allowed in one tree.
    """

    max_depth: int = 64
    max_nodes: int = 20_000


DEFAULT_LIMITS = Limits()
"""The limits a rule is checked against when none are given."""


def check_limits(node: Expr, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise RuleLimitError if the tree is deeper or larger than ``limits``."""
    count = 0
    stack: list[tuple[Expr, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            raise RuleLimitError(f"rule nesting depth exceeds {limits.max_depth}")
        if count > limits.max_nodes:
            raise RuleLimitError(f"rule has more than {limits.max_nodes} nodes")
        stack.extend((child, depth + 1) for child in current.children())


def _key(value: object) -> object:
    if isinstance(value, Expr):
        fields = attrs.fields(type(value))  # type: ignore[arg-type]
        return (type(value).__name__, *(_key(getattr(value, f.name)) for f in fields))
    if isinstance(value, frozenset):
        return ("set", *sorted((_key(v) for v in value), key=repr))
    if isinstance(value, tuple):
        return ("tuple", *(_key(v) for v in value))
    if callable(value):
        return (
            "func",
            getattr(value, "__module__", ""),
            getattr(value, "__qualname__", repr(value)),
        )
    if isinstance(value, bool | int | float | Decimal):
        return (type(value).__name__, value)
    return value


class Meta:
    """Structural views of a node: ``node.meta.eq(other)``, ``.key()``, ``.fields()``, ..."""

    __slots__ = ("_node",)

    def __init__(self, node: Expr) -> None:
        self._node = node

    def key(self) -> object:
        """A hashable structural key: equal keys mean equal trees."""
        return _key(self._node)

    def eq(self, other: object) -> bool:
        """Structural equality (``==`` builds a comparison node instead)."""
        return isinstance(other, Expr) and self.key() == other.meta.key()

    @property
    def node(self) -> Expr:
        """The node this view is of."""
        return self._node

    def __eq__(self, other: object) -> bool:
        """Two views are equal when their trees are structurally equal."""
        if not isinstance(other, Meta):
            return NotImplemented
        return self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"{self._node!r}.meta"

    def fields(self) -> frozenset[str]:
        """The field paths the tree reads (signal aggregations read ``signals``)."""
        out: set[str] = set()
        for node in walk(self._node):
            if isinstance(node, Field):
                out.add(node.path)
            elif isinstance(node, SignalAgg):
                out.add("signals")
        return frozenset(out)

    def node_count(self) -> int:
        """How many nodes the tree has."""
        return sum(1 for _ in walk(self._node))

    def depth(self) -> int:
        """The tree's depth (a leaf has depth 1)."""

        def depth_of(node: Expr) -> int:
            return 1 + max((depth_of(c) for c in node.children()), default=0)

        return depth_of(self._node)

    def tree_format(self) -> str:
        """An indented, one-node-per-line view of the tree."""
        lines: list[str] = []

        def visit(node: Expr, indent: int) -> None:
            lines.append("  " * indent + label(node))
            if not is_leafish(node):
                for child in node.children():
                    visit(child, indent + 1)

        visit(self._node, 0)
        return "\n".join(lines)


def is_leafish(node: Expr) -> bool:
    """Whether the node's label is its code, so traces show it as one line with no children."""
    return not isinstance(
        node,
        nd.All
        | nd.Any
        | nd.Not
        | nd.AtLeast
        | sc.Score
        | sc.Points
        | sc.Per
        | sc.Grade
        | DecisionTable
        | nm.Named
        | nm.RuleSet,
    )


def label(node: Expr) -> str:
    """A short label: the code for leaves, the operator for composite nodes."""
    if isinstance(node, nd.All):
        return "all_of"
    if isinstance(node, nd.Any):
        return "any_of"
    if isinstance(node, nd.Not):
        return "not_"
    if isinstance(node, nd.AtLeast):
        return f"at_least({node.n})"
    if isinstance(node, sc.Score):
        return f"score {node.name!r}" if node.name else "score"
    if isinstance(node, sc.Points):
        return f"points({_lit(node.points)})" + (f" {node.label!r}" if node.label else "")
    if isinstance(node, sc.Per):
        return f"per({_lit(node.weight)})" + (f" {node.label!r}" if node.label else "")
    if isinstance(node, sc.Grade):
        return "grade"
    if isinstance(node, DecisionTable):
        return f"decision_table({node.hit_policy})"
    if isinstance(node, nm.Named):
        return f"rule {node.name!r}"
    if isinstance(node, nm.RuleSet):
        return "rule_set"
    return render_repr(node)


def _lit(value: object) -> str:
    if isinstance(value, frozenset | set):
        if not value:
            return "set()"
        return "{" + ", ".join(sorted(_lit(v) for v in value)) + "}"
    if isinstance(value, Enum):
        return repr(value.value)
    return repr(value)


def _args(*parts: str, **named: Any) -> str:
    items = list(parts) + [f"{k}={_lit(v)}" for k, v in named.items() if v is not None]
    return ", ".join(items)


def _wrap(node: Expr) -> str:
    text = render_repr(node)
    return f"({text})" if isinstance(node, nd.Compare | nd.Arith) else text


def render_repr(node: Expr) -> str:
    """A repr that reads like the code that built the node."""
    r = render_repr
    if isinstance(node, Field):
        head, _, rest = node.path.partition(".")
        if head == "custom" and rest:
            return f"F.custom[{rest!r}]"
        return f"F.{node.path}"
    if isinstance(node, Literal):
        return _lit(node.value)
    if isinstance(node, nd.Const):
        return "UNKNOWN" if node.value is None else "TRUE" if node.value else "FALSE"
    if isinstance(node, nd.Compare):
        return f"{_wrap(node.left)} {node.op} {_wrap(node.right)}"
    if isinstance(node, nd.Arith):
        return f"{_wrap(node.left)} {node.op} {_wrap(node.right)}"
    if isinstance(node, nd.IsIn):
        return f"{_wrap(node.operand)}.isin({_lit(node.values)})"
    if isinstance(node, nd.Between):
        operand = node.operand
        if (
            isinstance(operand, nd.DaysFrom)
            and operand.direction == "age"
            and isinstance(node.low, Literal)
            and node.low.value == 0
            and isinstance(node.high, Literal)
        ):
            return f"{_wrap(operand.operand)}.within(days={_lit(node.high.value)})"
        return f"{_wrap(node.operand)}.between({r(node.low)}, {r(node.high)})"
    if isinstance(node, nd.Contains):
        return f"{_wrap(node.operand)}.contains({_lit(node.item)})"
    if isinstance(node, nd.Overlaps):
        return f"{_wrap(node.operand)}.overlaps({_lit(node.items)})"
    if isinstance(node, nd.TextTest):
        return f"{_wrap(node.operand)}.{node.op}({node.arg!r})"
    if isinstance(node, nd.Matches):
        return f"{_wrap(node.operand)}.matches({node.pattern!r})"
    if isinstance(node, nd.IsMissing):
        return f"{_wrap(node.operand)}.is_missing()"
    if isinstance(node, nd.Not):
        if isinstance(node.operand, nd.IsMissing):
            return f"{_wrap(node.operand.operand)}.is_present()"
        return f"not_({r(node.operand)})"
    if isinstance(node, nd.All):
        return f"all_of({', '.join(r(i) for i in node.items)})"
    if isinstance(node, nd.Any):
        return f"any_of({', '.join(r(i) for i in node.items)})"
    if isinstance(node, nd.AtLeast):
        return f"at_least({node.n}, {', '.join(r(i) for i in node.items)})"
    if isinstance(node, nd.Func):
        if node.name == "clip":
            return f"{_wrap(node.args[0])}.clip({r(node.args[1])}, {r(node.args[2])})"
        fname = "minimum" if node.name == "min" else "maximum"
        return f"{fname}({', '.join(r(a) for a in node.args)})"
    if isinstance(node, nd.Size):
        return f"{_wrap(node.operand)}.size()"
    if isinstance(node, nd.DaysFrom):
        method = "age_days" if node.direction == "age" else "days_until"
        return f"{_wrap(node.operand)}.{method}()"
    if isinstance(node, SignalAgg):
        kinds: object = None
        if len(node.kinds) == 1:
            (kinds,) = node.kinds
        elif node.kinds:
            kinds = node.kinds
        query = f"signals({_args(kind=kinds, within=node.within_days, explicit=node.explicit)})"
        gap = node.min_gap_days
        if node.agg == "count":
            return f"{query}.count({_args(limit=node.limit, min_gap_days=gap)})"
        if node.agg == "decayed":
            half = f"half_life_days={node.half_life_days!r}"
            return f"{query}.decayed({_args(half, min_gap_days=gap)})"
        return f"{query}.{node.agg}()"
    if isinstance(node, sc.Points):
        extra = f", label={node.label!r}" if node.label else ""
        return f"points({_lit(node.points)}, when={r(node.when)}{extra})"
    if isinstance(node, sc.Per):
        extra = f", label={node.label!r}" if node.label else ""
        return f"per({_lit(node.weight)}, {r(node.value)}{extra})"
    if isinstance(node, sc.Score):
        parts = _args(*(r(i) for i in node.items), cap=node.cap, floor=node.floor, name=node.name)
        return f"score({parts})"
    if isinstance(node, sc.Grade):
        bands = "{" + ", ".join(f"{k!r}: {_lit(v)}" for k, v in node.bands) + "}"
        return f"grade({r(node.score)}, {bands}, default={node.default!r})"
    if isinstance(node, DecisionTable):
        rows = ", ".join(f"({r(w)}, {r(t)})" for w, t in node.rows)
        default = None if node.default is None else r(node.default)
        extra = f", default={default}" if default is not None else ""
        return f"decision_table([{rows}], hit_policy={node.hit_policy!r}{extra})"
    if isinstance(node, nm.Named):
        extra = f", description={node.description!r}" if node.description else ""
        return f"rule({node.name!r}, {r(node.expr)}{extra})"
    if isinstance(node, nm.Ref):
        return f"ref({node.name!r})"
    if isinstance(node, nm.RuleSet):
        return f"rule_set({', '.join(f'{n}={r(e)}' for n, e in node.outputs)})"
    if isinstance(node, nm.Custom):
        args = ", ".join(f"{k}={r(e)}" for k, e in node.inputs) if node.inputs else ""
        return f"{node.name}({args})" if node.inputs else node.name
    return f"<{type(node).__name__}>"
