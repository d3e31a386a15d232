"""The printer: every rule tree in the condition syntax, with minimal parentheses.

``parse_rule(to_text(r))`` is structurally equal to ``r`` (property-tested). The walk is
iterative, so trees deeper than Python's recursion limit print too. Each node's text is
computed once from its children's texts and precedence levels; the parent adds the
parentheses a child needs in its place.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum

from funnelkit.model import Money
from funnelkit.rules import tree as tr
from funnelkit.rules.syntax._cursor import float_context
from funnelkit.rules.syntax._lexer import FUNCTIONS, IDENTIFIER, KEYWORDS
from funnelkit.rules.tree import DecisionTable, Expr, Field, Literal, RuleBuildError, SignalAgg

__all__ = ["to_text", "literal_text", "quote"]

CLAUSE, OR, AND, NOT, PRED, SUM, PRODUCT, UNARY, PRIMARY = range(9)
_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_INF = float("inf")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote(text: str) -> str:
    """A string literal: double quotes, escapes for quotes, backslashes, control codes."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _pattern(pattern: str) -> str:
    if "\\" in pattern and '"' not in pattern and pattern.isprintable():
        return f'r"{pattern}"'
    return quote(pattern)


def _decimal(value: Decimal) -> str:
    text = str(value)
    return text if "." in text or "E" in text else text + ".0"


def _number(value: int | Decimal) -> str:
    return str(value) if isinstance(value, int) else _decimal(value)


def literal_text(value: object, *, floats: bool = False) -> str:
    """A plain value as text; ``floats``: plain decimals would be read as floats here."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, Enum):
        return literal_text(value.value, floats=floats)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f'float("{value}")'
        return repr(value) if floats else f"float({value!r})"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f'decimal("{value}")'
        return f"decimal({_decimal(value)})" if floats else _decimal(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Money):
        return f"{value.amount} {value.currency}"
    if isinstance(value, frozenset | set | tuple | list):
        return "[" + ", ".join(sorted(literal_text(v, floats=floats) for v in value)) + "]"
    raise RuleBuildError(
        f"{value!r} ({type(value).__name__}) has no form in the condition syntax; rules "
        "hold text, numbers, booleans, dates, money and lists of these"
    )


def _name(name: str) -> str:
    return name if IDENTIFIER.fullmatch(name) and "." not in name else quote(name)


def _children(node: Expr) -> tuple[Expr, ...]:
    if isinstance(node, tr.RuleSet | tr.Custom | Literal):
        return ()
    return node.children()


class _Printer:
    def __init__(self, env: Mapping[str, Expr] | None) -> None:
        self.env = env
        self.done: dict[int, tuple[str, int]] = {}

    def run(self, root: Expr) -> tuple[str, int]:
        stack: list[tuple[Expr, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in self.done:
                continue
            kids = _children(node)
            if expanded or not kids:
                self.done[id(node)] = self.format(node)
                continue
            stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(kids) if id(kid) not in self.done)
        return self.done[id(root)]

    def at(self, node: Expr, level: int, partner: Expr | None = None) -> str:
        """The text of a child placed where ``level`` is needed, bracketed if it binds less."""
        if isinstance(node, Literal):
            text = literal_text(node.value, floats=float_context(partner))
            own = UNARY if text.startswith("-") else PRIMARY
        else:
            text, own = self.done[id(node)]
        return text if own >= level else f"({text})"

    def format(self, node: Expr) -> tuple[str, int]:
        at = self.at
        if isinstance(node, Literal):
            text = literal_text(node.value)
            return text, UNARY if text.startswith("-") else PRIMARY
        if isinstance(node, Field):
            head, _, key = node.path.partition(".")
            if head == "custom" and key and not IDENTIFIER.fullmatch(key):
                return f"custom[{quote(key)}]", PRIMARY
            return node.path, PRIMARY
        if isinstance(node, tr.Const):
            word = "unknown" if node.value is None else "always" if node.value else "never"
            return word, PRIMARY
        if isinstance(node, tr.Compare | tr.Arith):
            tight = isinstance(node, tr.Arith) and node.op in "*/"
            left = (PRODUCT if tight else SUM) if isinstance(node, tr.Arith) else SUM
            right = left + 1 if isinstance(node, tr.Arith) else SUM
            op = _OPS.get(node.op, node.op)
            text = f"{at(node.left, left, node.right)} {op} {at(node.right, right, node.left)}"
            return text, (left if isinstance(node, tr.Arith) else PRED)
        if isinstance(node, tr.IsIn):
            values = literal_text(node.values, floats=float_context(node.operand))
            return f"{at(node.operand, SUM)} in {values}", PRED
        if isinstance(node, tr.Between):
            return self._between(node), PRED
        if isinstance(node, tr.Contains):
            item = literal_text(node.item, floats=float_context(node.operand))
            return f"{at(node.operand, SUM)} contains {item}", PRED
        if isinstance(node, tr.Overlaps):
            items = literal_text(node.items, floats=float_context(node.operand))
            return f"{at(node.operand, SUM)} contains any of {items}", PRED
        if isinstance(node, tr.TextTest):
            return f"{at(node.operand, SUM)} {node.op} {quote(node.arg)}", PRED
        if isinstance(node, tr.Matches):
            return f"{at(node.operand, SUM)} matches {_pattern(node.pattern)}", PRED
        if isinstance(node, tr.IsMissing):
            return f"{at(node.operand, SUM)} is missing", PRED
        if isinstance(node, tr.Not):
            inner = node.operand
            if isinstance(inner, tr.IsMissing):
                return f"{at(inner.operand, SUM)} is present", PRED
            if isinstance(inner, tr.IsIn):
                values = literal_text(inner.values, floats=float_context(inner.operand))
                return f"{at(inner.operand, SUM)} not in {values}", PRED
            return f"not {at(inner, NOT)}", NOT
        if isinstance(node, tr.All | tr.Any):
            word = " and " if isinstance(node, tr.All) else " or "
            return word.join(at(i, NOT) for i in node.items), (AND if word == " and " else OR)
        if isinstance(node, tr.AtLeast):
            return f"at least {node.n} of ({', '.join(at(i, OR) for i in node.items)})", PRIMARY
        if isinstance(node, tr.Func):
            partner = next((a for a in node.args if float_context(a)), None)
            args = ", ".join(at(a, CLAUSE, partner) for a in node.args)
            return f"{node.name}({args})", PRIMARY
        if isinstance(node, tr.Size):
            return f"size({at(node.operand, CLAUSE)})", PRIMARY
        if isinstance(node, tr.DaysFrom):
            fname = "age_days" if node.direction == "age" else "days_until"
            return f"{fname}({at(node.operand, CLAUSE)})", PRIMARY
        if isinstance(node, SignalAgg):
            return _aggregate(node), PRIMARY
        if isinstance(node, tr.Points | tr.Per):
            return self._item(node), CLAUSE
        if isinstance(node, tr.Score):
            parts = [at(i, CLAUSE) for i in node.items]
            parts += [
                f"{k} {_number(v)}"
                for k, v in (("cap", node.cap), ("floor", node.floor))
                if v is not None
            ]
            if node.name is not None:
                parts.append(f"name {quote(node.name)}")
            return f"score({', '.join(parts)})", PRIMARY
        if isinstance(node, tr.Grade):
            bands = [f"{quote(label)} from {_number(v)}" for label, v in node.bands]
            parts = [at(node.score, CLAUSE), *bands, f"default {quote(node.default)}"]
            return f"grade({', '.join(parts)})", PRIMARY
        if isinstance(node, DecisionTable):
            return self._case(node), PRIMARY
        if isinstance(node, tr.Named):
            extra = "" if node.description is None else f", description {quote(node.description)}"
            return f"rule({quote(node.name)}, {at(node.expr, CLAUSE)}{extra})", PRIMARY
        if isinstance(node, tr.Ref):
            return self._ref(node), PRIMARY
        if isinstance(node, tr.RuleSet):
            return _rule_set(node), PRIMARY
        if isinstance(node, tr.Custom):
            plain = (
                IDENTIFIER.fullmatch(node.name) and node.name.lower() not in KEYWORDS | FUNCTIONS
            )
            return (f"{node.name}()" if plain else f"custom({quote(node.name)})"), PRIMARY
        raise RuleBuildError(f"{type(node).__name__} nodes have no form in the condition syntax")

    def _between(self, node: tr.Between) -> str:
        operand, low, high = node.operand, node.low, node.high
        if (
            isinstance(operand, tr.DaysFrom)
            and operand.direction == "age"
            and isinstance(low, Literal)
            and type(low.value) is int
            and low.value == 0
            and isinstance(high, Literal)
            and type(high.value) is int
        ):
            return f"{self.at(operand.operand, SUM)} within {high.value} days"
        ends = f"{self.at(low, SUM, operand)} and {self.at(high, SUM, operand)}"
        return f"{self.at(operand, SUM, low)} between {ends}"

    def _item(self, node: tr.Points | tr.Per) -> str:
        if isinstance(node, tr.Points):
            text = f"{_number(node.points)} points when {self.at(node.when, OR)}"
        else:
            text = f"{_number(node.weight)} points per {self.at(node.value, OR)}"
        return text if node.label is None else f"{text} label {quote(node.label)}"

    def _case(self, node: DecisionTable) -> str:
        parts = ["case"] if node.hit_policy == "first" else ["case", node.hit_policy]
        for when, then in node.rows:
            parts.append(f"when {self.at(when, OR)} then {self.at(then, OR)}")
        if node.default is not None:
            parts.append(f"else {self.at(node.default, OR)}")
        return " ".join([*parts, "end"])

    def _ref(self, node: tr.Ref) -> str:
        kind, condition = "any", False
        if self.env is not None and node.name in self.env:
            target = self.env[node.name]
            kind, condition = target.value_kind(), target.is_condition
        parts = [quote(node.name)]
        if node.kind != kind:
            parts.append(f"kind {quote(node.kind)}")
        if node.condition != condition:
            parts.append(f"condition {literal_text(node.condition)}")
        return f"ref({', '.join(parts)})"


def _aggregate(node: SignalAgg) -> str:
    filters = []
    if len(node.kinds) == 1:
        filters.append(f"kind = {quote(next(iter(node.kinds)))}")
    elif node.kinds:
        filters.append(f"kind in {literal_text(node.kinds)}")
    if node.explicit is not None:
        filters.append(f"explicit = {literal_text(node.explicit)}")
    query = "signals" + (f" where {' and '.join(filters)}" if filters else "")
    if node.within_days is not None:
        query += f" within {node.within_days} days"
    options = []
    if node.agg == "count" and node.limit is not None:
        options.append(f"limit {node.limit}")
    if node.agg == "decayed":
        options.append(f"half_life {_days(node.half_life_days)} days")
    if node.min_gap_days is not None:
        options.append(f"min_gap {_days(node.min_gap_days)} days")
    return f"{node.agg}({', '.join([query, *options])})"


def _days(value: float | None) -> str:
    """A number of days: an int as is, a finite float as its repr (read back exactly)."""
    if isinstance(value, float) and value == value and value not in (_INF, -_INF):
        return repr(value)
    return literal_text(value)


def _rule_set(node: tr.RuleSet) -> str:
    env: dict[str, Expr] = {}
    parts = []
    for name, expr in node.outputs:
        parts.append(f"{_name(name)}: {_Printer(env).run(expr)[0]}")
        env[name] = expr
    return f"rule_set({', '.join(parts)})"


def to_text(rule: Expr) -> str:
    """The rule in the condition syntax; ``str(rule)`` gives the same.

    Parsing the text back (``parse_rule``) gives a structurally equal tree. The text
    uses as few parentheses as the precedence allows, and keeps an ``and`` inside an
    ``or`` in parentheses, since people misread it.

    Args:
        rule: Any rule tree.

    Returns:
        The text, on one line.

    Raises:
        RuleBuildError: The tree holds a literal no text can express (a Python object
            other than text, numbers, booleans, dates, money and lists of these).

    Examples:
        >>> from funnelkit.rules import F, signals
        >>> rule = (F.company.employees >= 50) & F.contact.seniority.isin({"vp", "c_level"})
        >>> to_text(rule)
        'company.employees >= 50 and contact.seniority in ["c_level", "vp"]'
        >>> print(signals(kind="demo_request", within=30).count() >= 1)
        count(signals where kind = "demo_request" within 30 days) >= 1
    """
    return _Printer(None).run(rule)[0]
