"""Explain plans: a rule turned once into steps that record each node's value and facts.

``Plan(rule)`` numbers the traced nodes in pre-order, gives each two slots of the record
(see ``_explain_base``) and builds one step per node (``_explain_leaves`` for leaf-like
nodes, ``_explain_steps`` for the others). Evaluating a lead runs the root step over a
fresh copy of the plan's template record. ``Plan.trace`` turns a filled record into
``TraceNode``s; labels are rendered once per plan, on first use.

A literal under a node whose label is its code (``F.company.employees >= 50``) gets no
slots and no trace line: the label shows it. Under other nodes (a table's outputs, a rule
set's outputs) it is traced like any node.
"""

from __future__ import annotations

from typing import Any

from funnelkit.rules import tree as tr
from funnelkit.rules.engines.explain._base import SKIP, Kid, Rec, Slots, Step
from funnelkit.rules.engines.explain._leaves import leaf_step
from funnelkit.rules.engines.explain._steps import composite_step
from funnelkit.rules.engines.explain._trace import TraceNode, trace_node
from funnelkit.rules.tree import Expr, Literal, is_leafish
from funnelkit.rules.tree import label as render_label

__all__ = ["Plan"]


class Plan:
    """The steps of one rule, its template record, and what its trace needs.

    Attributes:
        run: The root step.
        template: The record before evaluation (copied for each lead).
        facts: The slot of the root's unknown facts.
        count: How many nodes the rule has (literals included), as ``check_limits``
            counts them.
        depth: How deep the rule is, as ``check_limits`` measures it.
    """

    __slots__ = (
        "count",
        "depth",
        "descriptions",
        "facts",
        "kids",
        "labels",
        "nodes",
        "run",
        "slots",
        "template",
    )

    def __init__(self, rule: Expr) -> None:
        builder = _Builder()
        root = builder.build(rule, 1)
        self.run: Step = root.step
        self.facts: int = root.at + 1
        self.template = builder.slots.template
        self.nodes = tuple(builder.nodes)
        self.slots = tuple(builder.node_slots)
        self.kids = tuple(builder.kids)
        self.descriptions = tuple(_description(node) for node in self.nodes)
        self.labels: list[str | None] = [None] * len(self.nodes)
        self.count, self.depth = builder.count, builder.depth

    def trace(self, rec: Rec) -> TraceNode:
        """The trace tree of a filled record (nodes not evaluated are left out)."""
        labels, slots, kids, descriptions = self.labels, self.slots, self.kids, self.descriptions
        for i, text in enumerate(labels):
            if text is None:
                labels[i] = render_label(self.nodes[i])
        # children have higher numbers than their parent (pre-order): build from the end
        built: list[Any] = [None] * len(slots)
        for i in range(len(slots) - 1, -1, -1):
            s = slots[i]
            value = rec[s]
            if value is not SKIP:
                children = tuple([built[j] for j in kids[i] if rec[slots[j]] is not SKIP])
                built[i] = trace_node(labels[i], value, rec[s + 1], children, descriptions[i])  # type: ignore[arg-type]
        root: TraceNode = built[0]
        return root

    def child_facts(self, rec: Rec) -> tuple[frozenset[str], ...]:
        """The unknown facts of the root's traced children, without building the trace."""
        slots = self.slots
        return tuple(rec[slots[j] + 1] for j in self.kids[0] if rec[slots[j]] is not SKIP)


def _description(node: Expr) -> str | None:
    if isinstance(node, tr.Named):
        return node.description
    if isinstance(node, tr.Custom):
        return node.doc
    return None


class _Builder:
    def __init__(self) -> None:
        self.slots = Slots()
        self.nodes: list[Expr] = []
        self.node_slots: list[int] = []
        self.kids: list[tuple[int, ...]] = []
        self.count = 0
        self.depth = 0

    def build(self, node: Expr, depth: int) -> Kid:
        self.count += 1
        self.depth = max(self.depth, depth)
        i, s = len(self.nodes), self.slots.node()
        self.nodes.append(node)
        self.node_slots.append(s)
        self.kids.append(())
        leafish = is_leafish(node)
        kids = tuple(self._child(child, depth + 1, leafish) for child in node.children())
        self.kids[i] = tuple(kid.number for kid in kids if kid.number is not None)
        step = leaf_step(s, node, kids, self.slots) or composite_step(s, node, kids, self.slots)
        return Kid(node, i, s, step, kids)

    def _child(self, node: Expr, depth: int, leafish: bool) -> Kid:
        if leafish and isinstance(node, Literal):
            # the parent's label shows the literal: no trace line, no slots
            self.count += 1
            self.depth = max(self.depth, depth)
            value = node.value
            return Kid(node, None, None, lambda lead, rec: value)
        return self.build(node, depth)
