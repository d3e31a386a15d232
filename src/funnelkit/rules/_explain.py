"""Explanations: a trace of every node's outcome, and the unknown facts that matter.

The **unknown facts** of a node are the missing field paths that, once found out, could
change the node's outcome. They are decisive by construction: filling in all of them
determines the outcome, and filling in any fact not listed cannot change it. A node whose
outcome is settled (a FALSE inside an ``all_of`` that no missing fact could flip) lists
none. Custom rules that read the whole lead cannot say which facts they need; when they
return UNKNOWN they list none.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from funnelkit.model import Lead
from funnelkit.rules import _named as nm
from funnelkit.rules import _nodes as nd
from funnelkit.rules._expr import Expr, Field
from funnelkit.rules._interpret import Interpreter, check_as_of
from funnelkit.rules._meta import Limits, check_limits, label
from funnelkit.rules._tables import DecisionTable
from funnelkit.rules._truth import Truth

__all__ = ["TraceNode", "Explanation", "explain"]

_NONE: frozenset[str] = frozenset()
T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def _plain(value: object) -> object:
    if isinstance(value, Truth):
        return value.value
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
        """A JSON-ready dict of this trace and its children."""
        out: dict[str, Any] = {"node": self.label, "outcome": _plain(self.outcome)}
        if self.unknown:
            out["unknown"] = sorted(self.unknown)
        if self.description:
            out["description"] = self.description
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    def render(self, indent: int = 0) -> str:
        """An indented text rendering: ``node -> outcome`` per line."""
        line = "  " * indent + f"{self.label} -> {_show(self.outcome)}"
        if self.unknown:
            line += f"   [find out: {', '.join(sorted(self.unknown))}]"
        return "\n".join([line, *(c.render(indent + 1) for c in self.children)])

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

    Attributes:
        outcome: What the reference interpreter gives for the rule.
        trace: The root of the trace tree.
        unknown_facts: The missing field paths that could change the outcome, sorted.
    """

    outcome: object
    trace: TraceNode
    unknown_facts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: outcome, unknown facts and the trace."""
        return {
            "outcome": _plain(self.outcome),
            "unknown_facts": list(self.unknown_facts),
            "trace": self.trace.to_dict(),
        }

    def to_json(self, **kwargs: Any) -> str:
        """The dict form as JSON (keyword arguments go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        text = self.trace.render()
        if self.unknown_facts:
            text += "\nfind out: " + ", ".join(self.unknown_facts)
        return text

    def _repr_html_(self) -> str:
        facts = ""
        if self.unknown_facts:
            items = "".join(f"<li><code>{html.escape(f)}</code></li>" for f in self.unknown_facts)
            facts = f"<p>Find out:</p><ul>{items}</ul>"
        return f'<div class="funnelkit-explanation"><ul>{self.trace._html()}</ul>{facts}</div>'


class _Explainer(Interpreter):
    def __init__(self, lead: Lead, as_of: datetime) -> None:
        super().__init__(lead, as_of)
        self._frames: list[list[TraceNode]] = [[]]
        self._env_facts: dict[str, frozenset[str]] = {}
        self._dispatch[nd.All] = self._explain_all
        self._dispatch[nd.Any] = self._explain_any
        self._dispatch[DecisionTable] = self._explain_table

    def eval(self, node: Expr) -> Any:
        frame: list[TraceNode] = []
        self._frames.append(frame)
        value = self._dispatch[type(node)](node)
        self._frames.pop()
        unknown = self._facts(node, value, frame)
        description = None
        if isinstance(node, nm.Named):
            description = node.description
        elif isinstance(node, nm.Custom):
            description = node.doc
        self._frames[-1].append(TraceNode(label(node), value, unknown, tuple(frame), description))
        return value

    def _facts(self, node: Expr, value: object, kids: list[TraceNode]) -> frozenset[str]:
        if isinstance(node, Field):
            return frozenset({node.path}) if value is None else _NONE
        if isinstance(node, nm.Ref):
            return self._env_facts.get(node.name, _NONE)
        if isinstance(node, nd.All | nd.Any):
            settled = F_ if isinstance(node, nd.All) else T
            if any(k.outcome is settled and not k.unknown for k in kids):
                return _NONE
        if isinstance(node, nd.AtLeast):
            sure = sum(1 for k in kids if k.outcome is T and not k.unknown)
            possible = sum(1 for k in kids if k.outcome is T or k.outcome is U or k.unknown)
            if sure >= node.n or possible < node.n:
                return _NONE
        if isinstance(node, nm.RuleSet):
            for (name, _), kid in zip(node.outputs, kids, strict=True):
                self._env_facts[name] = kid.unknown
        facts = [k.unknown for k in kids if k.unknown]
        if not facts:
            return _NONE
        return facts[0] if len(facts) == 1 else frozenset().union(*facts)

    def _explain_all(self, node: nd.All) -> Truth:
        result = T
        for item in node.items:
            outcome = self.eval(item)
            if outcome is F_:
                result = F_
                if not self._frames[-1][-1].unknown:
                    break
            elif outcome is U and result is T:
                result = U
        return result

    def _explain_any(self, node: nd.Any) -> Truth:
        result = F_
        for item in node.items:
            outcome = self.eval(item)
            if outcome is T:
                result = T
                if not self._frames[-1][-1].unknown:
                    break
            elif outcome is U and result is F_:
                result = U
        return result

    def _explain_table(self, node: DecisionTable) -> object:
        # fixed: also trace the rows and outputs that finding out a fact could bring into
        # play (UNKNOWN rows, rows after an unsettled match, the default), so that the
        # table's unknown facts are decisive; the outcome is still the interpreter's
        first = node.hit_policy == "first"
        hits: list[object] = []
        sure = False  # a row matches whatever the missing facts turn out to be
        for when, then in node.rows:
            if sure and first:
                break
            outcome = self.eval(when)
            settled = not self._frames[-1][-1].unknown
            if outcome is F_ and settled:
                continue
            value = self.eval(then)
            if outcome is T:
                hits.append(value)
                known = value is not None and not self._frames[-1][-1].unknown
                sure = sure or (settled and (first or known))
        default = None
        if node.default is not None and not sure:
            default = self.eval(node.default)
        return self._table_outcome(node, hits, lambda: default)


def explain(
    rule: Expr, lead: Lead, *, as_of: datetime, limits: Limits | None = None
) -> Explanation:
    """Evaluate a rule for one lead and say why.

    Args:
        rule: Any rule node.
        lead: The lead.
        as_of: The instant "now" means (timezone-aware).
        limits: Depth and size bounds (defaults apply).

    Returns:
        An Explanation with the outcome (equal to ``evaluate``'s), the trace tree and the
        unknown facts that could change the outcome.

    Example:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead
        >>> from funnelkit.rules import F
        >>> rule = (F.company.employees >= 50) & (F.company.country == "US")
        >>> why = explain(rule, Lead(company=Company(employees=120)), as_of=datetime.now(UTC))
        >>> why.outcome, why.unknown_facts
        (<Truth.UNKNOWN: 'unknown'>, ('company.country',))
        >>> print(why)
        all_of -> UNKNOWN   [find out: company.country]
          F.company.employees >= 50 -> TRUE
            F.company.employees -> 120
            50 -> 50
          F.company.country == 'US' -> UNKNOWN   [find out: company.country]
            F.company.country -> missing   [find out: company.country]
            'US' -> 'US'
        find out: company.country
    """
    check_as_of(as_of)
    check_limits(rule, limits or Limits())
    explainer = _Explainer(lead, as_of)
    outcome = explainer.eval(rule)
    (trace,) = explainer._frames[0]
    return Explanation(outcome=outcome, trace=trace, unknown_facts=tuple(sorted(trace.unknown)))
