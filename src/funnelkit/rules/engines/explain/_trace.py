"""The results of ``explain``: ``Explanation`` and its tree of ``TraceNode``s.

Both are frozen attrs classes. ``explain`` creates its ``Explanation`` *lazily*: the
outcome and the unknown facts are there at once, the trace is built on the first read of
``.trace`` (from the values recorded while evaluating) and then kept. Reading it gives
exactly what an eager construction would have given; nothing about this is visible from
outside but the time it takes: equality, repr, ``attrs.asdict``, pickling and the
renderings read the attribute like any other.

Personal data: the values recorded are exact (``trace.children[0].outcome`` is the lead's
e-mail address if that is what the node read), but every rendering (``repr``, ``str``,
``render``, ``to_dict``, ``to_json``, the HTML view) shows the values of fields named
``email`` or ``phone`` redacted, as reprs of contacts do, wherever they appear in the
rendered tree (a label quoting the same text included), unless the caller asked for them
with ``funnelkit.model.personal_data_shown()``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from funnelkit._privacy import PERSONAL_FIELDS, is_shown, masked
from funnelkit.rules.engines.explain._direction import ups
from funnelkit.rules.tree import Truth

__all__ = ["TraceNode", "Explanation", "TraceSource", "lazy_explanation", "trace_node"]


class TraceSource:
    """What a lazy Explanation holds until its trace is read: it builds the trace.

    Subclasses (the explaining engine's replay) build the trace once and give the facts
    of the root's children without building it.
    """

    __slots__ = ()

    def trace(self) -> TraceNode:  # pragma: no cover - defined by subclasses
        """The trace tree (built once, then the same object)."""
        raise NotImplementedError

    def child_facts(  # pragma: no cover - defined by subclasses
        self, *, toward: Truth | None = None
    ) -> tuple[frozenset[str], ...]:
        """The unknown facts of the root's traced children, in order."""
        raise NotImplementedError


_SCALARS = frozenset({int, float, str, bool, type(None)})
_TRUTHS = {truth: truth.value for truth in Truth}


def _plain(value: object) -> object:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Truth:
        return _TRUTHS[value]  # type: ignore[index]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def _show(value: object) -> str:
    if value is None:
        return "missing"
    if isinstance(value, Truth):
        return value.value.upper()
    plain = _plain(value)
    return plain if isinstance(plain, str) and not isinstance(value, str) else repr(plain)


@attrs.frozen
class TraceNode:
    """One evaluated node: what it is, what came out, and what it saw.

    Literal values do not get nodes of their own under a node whose label already shows
    them: ``F.company.employees >= 50`` has one child, the field and the value it had.

    Attributes:
        label: The node as code (leaves) or its operator (composite nodes).
        outcome: A Truth for conditions, a value or ``None`` (missing) for values.
        unknown: The missing facts that could change this node's outcome.
        children: The traces of the children that were evaluated.
        description: A named rule's description or a custom rule's docstring.
    """

    label: str
    outcome: object
    unknown: frozenset[str] = frozenset()
    children: tuple[TraceNode, ...] = ()
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this trace and its children (personal data redacted)."""
        return _as_shown(self)[0]._dict()

    def render(self, indent: int = 0) -> str:
        """An indented text rendering: ``node -> outcome`` per line (personal data redacted)."""
        return _as_shown(self)[0]._text(indent)

    def _dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"node": self.label, "outcome": _plain(self.outcome)}
        if self.unknown:
            out["unknown"] = sorted(self.unknown)
        if self.description:
            out["description"] = self.description
        if self.children:
            out["children"] = [c._dict() for c in self.children]
        return out

    def _text(self, indent: int) -> str:
        line = "  " * indent + f"{self.label} -> {_show(self.outcome)}"
        if self.unknown:
            line += f"   [find out: {', '.join(sorted(self.unknown))}]"
        return "\n".join([line, *(c._text(indent + 1) for c in self.children)])

    def _html(self) -> str:
        label = html.escape(self.label)
        outcome = html.escape(_show(self.outcome))
        unknown = (
            f" <em>find out: {html.escape(', '.join(sorted(self.unknown)))}</em>"
            if self.unknown
            else ""
        )
        head = f"<code>{label}</code> &rarr; <strong>{outcome}</strong>{unknown}"
        if not self.children:
            return f"<li>{head}</li>"
        kids = "".join(c._html() for c in self.children)
        return f"<li><details open><summary>{head}</summary><ul>{kids}</ul></details></li>"


@attrs.frozen
class Explanation:
    """The result of ``explain``: the outcome, its trace and the unknown facts.

    ``explain`` computes the outcome and the unknown facts at once and builds the trace on
    the first read of ``trace`` (then keeps it), so code that only needs the facts does
    not pay for the trace.

    Attributes:
        outcome: What the reference interpreter gives for the rule.
        trace: The root of the trace tree.
        unknown_facts: The missing field paths that could change the outcome, sorted.
    """

    outcome: object
    trace: TraceNode
    unknown_facts: tuple[str, ...]

    def child_facts(self, *, toward: Truth | None = None) -> tuple[frozenset[str], ...]:
        """The unknown facts of each child of the root, as ``trace.children`` has them.

        For a rule set, one entry per output, in order: what could change each output.
        Unlike ``trace``, this does not build the trace tree.

        Args:
            toward: ``Truth.TRUE`` for only the facts that could make each child TRUE
                (those ``qualify`` lists as unlocking a stage); None for all of them.
                An Explanation that was pickled, copied or built by hand keeps no
                directions: it gives all of them either way.

        Returns:
            One frozenset of field paths per traced child of the root.
        """
        pending = _TRACE_SLOT.__get__(self, Explanation)
        if isinstance(pending, TraceSource):
            return pending.child_facts(toward=toward)
        kids = tuple(child.unknown for child in self.trace.children)
        if toward is Truth.TRUE:
            return tuple(ups(f) for f in kids)
        return kids

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: outcome, unknown facts and the trace (personal data redacted)."""
        trace, personal = _as_shown(self.trace)
        return {
            "outcome": _plain(_hidden(self.outcome, personal)),
            "unknown_facts": list(self.unknown_facts),
            "trace": trace._dict(),
        }

    def to_json(self, **kwargs: Any) -> str:
        """The dict form as JSON (keyword arguments go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        text = _as_shown(self.trace)[0]._text(0)
        if self.unknown_facts:
            text += "\nfind out: " + ", ".join(self.unknown_facts)
        return text

    def _repr_html_(self) -> str:
        facts = ""
        if self.unknown_facts:
            items = "".join(f"<li><code>{html.escape(f)}</code></li>" for f in self.unknown_facts)
            facts = f"<p>Find out:</p><ul>{items}</ul>"
        trace = _as_shown(self.trace)[0]
        return f'<div class="funnelkit-explanation"><ul>{trace._html()}</ul>{facts}</div>'


class _LazyTrace:
    """``Explanation.trace``: the slot's value, the trace being built on its first read."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, why: Explanation | None, owner: type | None = None) -> Any:
        if why is None:
            return self
        trace = self.slot.__get__(why, owner)
        if isinstance(trace, TraceSource):
            return trace.trace()  # built once, kept by the source
        return trace

    def __set__(self, why: Explanation, trace: TraceNode) -> None:
        self.slot.__set__(why, trace)

    def __delete__(self, why: Explanation) -> None:
        self.slot.__delete__(why)


# The slots' own setters: they bypass the frozen __setattr__, for building lazily.
def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    slot = cls.__dict__[name]
    return slot.__set__  # type: ignore[no-any-return]


_set_result = _setter(Explanation, "outcome")
_set_facts = _setter(Explanation, "unknown_facts")
_set_trace = _setter(Explanation, "trace")
_TRACE_SLOT = Explanation.__dict__["trace"]
Explanation.trace = _LazyTrace(_TRACE_SLOT)  # type: ignore[assignment]


_set_label = _setter(TraceNode, "label")
_set_node_outcome = _setter(TraceNode, "outcome")
_set_unknown = _setter(TraceNode, "unknown")
_set_children = _setter(TraceNode, "children")
_set_description = _setter(TraceNode, "description")
_new = object.__new__


def trace_node(
    label: str,
    outcome: object,
    unknown: frozenset[str],
    children: tuple[TraceNode, ...],
    description: str | None,
) -> TraceNode:
    """``TraceNode(...)`` without the checks of ``__init__`` (for trusted, typed input)."""
    node: TraceNode = _new(TraceNode)
    _set_label(node, label)
    _set_node_outcome(node, outcome)
    _set_unknown(node, unknown)
    _set_children(node, children)
    _set_description(node, description)
    return node


# Personal data in renderings: the values of personal fields, wherever they show.
_FIELD_LABEL = re.compile(r"F\.(?:\w+\.)*(\w+)|F\.custom\[(['\"])(\w+)\2\]")


def _personal_values(root: TraceNode) -> frozenset[str]:
    """The texts that nodes reading an ``email`` or ``phone`` field got, in this tree."""
    found: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        value = node.outcome
        if type(value) is str and value.strip():
            match = _FIELD_LABEL.fullmatch(node.label)
            if match is not None and (match.group(1) or match.group(3)) in PERSONAL_FIELDS:
                found.add(value)
        stack.extend(node.children)
    return frozenset(found)


def _hidden(value: object, personal: dict[str, str]) -> object:
    return personal.get(value, value) if type(value) is str else value


def _redacted(node: TraceNode, personal: dict[str, str]) -> TraceNode:
    label = node.label
    if "'" in label or '"' in label:  # a literal in the label may quote the same text
        for value, shown in personal.items():
            label = label.replace(repr(value), repr(shown))
    return trace_node(
        label,
        _hidden(node.outcome, personal),
        node.unknown,
        tuple(_redacted(child, personal) for child in node.children),
        node.description,
    )


def _as_shown(node: TraceNode) -> tuple[TraceNode, dict[str, str]]:
    """The tree as renderings show it (personal values redacted), and what was redacted."""
    if is_shown():
        return node, {}
    values = _personal_values(node)
    if not values:
        return node, {}
    personal = {value: masked(value) for value in values}
    return _redacted(node, personal), personal


_node_repr = TraceNode.__repr__
_explanation_repr = Explanation.__repr__


def _shown_node_repr(node: TraceNode) -> str:
    return _node_repr(_as_shown(node)[0])


def _shown_explanation_repr(why: Explanation) -> str:
    trace, personal = _as_shown(why.trace)
    if not personal:
        return _explanation_repr(why)
    shown = Explanation(_hidden(why.outcome, personal), trace, why.unknown_facts)
    return _explanation_repr(shown)


TraceNode.__repr__ = _shown_node_repr  # type: ignore[method-assign,assignment]
Explanation.__repr__ = _shown_explanation_repr  # type: ignore[method-assign,assignment]


def lazy_explanation(
    outcome: object, unknown_facts: tuple[str, ...], source: TraceSource
) -> Explanation:
    """An Explanation whose trace, ``source.trace()``, is built on its first read."""
    why: Explanation = object.__new__(Explanation)
    _set_result(why, outcome)
    _set_facts(why, unknown_facts)
    _set_trace(why, source)
    return why
