"""The recursive-descent parser of the condition syntax.

One method per precedence level (``docs/reference/condition-syntax.md`` has the grammar
and the table). Every node is built through the public building functions, so the
parsed tree is the one the Python API builds, with the same type checks; their errors
come back as a ConditionSyntaxError located at the part being built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from funnelkit.errors import InvalidArgumentError
from funnelkit.model import CURRENCY_CODES, Money
from funnelkit.rules import tree as tr
from funnelkit.rules.syntax import _parse_forms as forms
from funnelkit.rules.syntax._cursor import (
    COMPARISONS,
    PREDICATES,
    Cursor,
    Part,
    literal_value,
    shorten,
)
from funnelkit.rules.syntax._lexer import (
    FUNCTIONS,
    KEYWORDS,
    ConditionSyntaxError,
    SyntaxLimits,
    Token,
)
from funnelkit.rules.syntax._parse_calls import call
from funnelkit.rules.tree import (
    Expr,
    F,
    Limits,
    Literal,
    RuleLimitError,
    UnknownFieldError,
    check_limits,
    field_info,
    known_paths,
    registered_names,
)

__all__ = ["Parser", "parse_rule", "parse_condition"]

_CURRENCY = re.compile(r"[A-Z]{3}")


class Parser(Cursor):
    """Reads one text; ``expression()`` parses a full expression at the cursor."""

    def expression(self) -> Part:
        """Grammar: expression = points_item | disjunction."""
        with self.nested(self.peek()):
            ahead = 1 if self.at_op("-") else 0
            if self.peek(ahead).kind == "number" and self.peek(ahead + 1).word() in (
                "points",
                "point",
            ):
                return forms.points_item(self)
            return self.disjunction()

    def _junction(
        self, word: str, operand: Callable[[], Part], combine: Callable[..., Expr]
    ) -> Part:
        first = operand()
        if self.peek().word() != word:
            return first
        parts = [first]
        while self.accept_word(word):
            parts.append(operand())
        conditions = [self.condition(p, f"{word!r}") for p in parts]
        node = self.build(lambda: combine(*conditions), first.start, parts[-1].end)
        return Part(node, first.start, parts[-1].end)

    def disjunction(self) -> Part:
        """Grammar: disjunction = conjunction { "or" conjunction }."""
        return self._junction("or", self.conjunction, tr.any_of)

    def conjunction(self) -> Part:
        """Grammar: conjunction = negation { "and" negation }."""
        return self._junction("and", self.negation, tr.all_of)

    def negation(self) -> Part:
        """Grammar: negation = { "not" } predicate."""
        nots: list[Token] = []
        while self.peek().word() == "not":
            nots.append(self.next())
        operand = self.predicate()
        if not nots:
            return operand
        node = self.condition(operand, "'not'")
        for _ in nots:
            node = tr.not_(node)
        return Part(node, nots[0].start, operand.end)

    def at_predicate(self) -> bool:
        """Whether a comparison or predicate operator is next."""
        tok = self.peek()
        if tok.kind == "op":
            return tok.text in COMPARISONS
        word = tok.word()
        return word in PREDICATES or (word == "not" and self.peek(1).word() == "in")

    def predicate(self) -> Part:
        """Grammar: predicate = sum [ comparison or predicate operator ... ] (not chained)."""
        left = self.sum()
        if not self.at_predicate():
            return left
        part = forms.predicate_tail(self, left)
        if self.at_predicate():
            tok = self.peek()
            raise self.error(
                f"comparisons cannot be chained: {self.describe(tok)} follows a complete "
                "comparison; join the two with 'and', or use 'between'",
                tok.start,
                tok.end,
            )
        return part

    # -- values -----------------------------------------------------------------------
    def arith(self, op: Token, left: Part, right: Part) -> Part:
        """Build ``left op right`` (numbers only)."""
        lnode, rnode = self.resolve(left, right.node), self.resolve(right, left.node)
        node = self.build(lambda: tr.Arith.build(op.text, lnode, rnode), left.start, right.end)
        return Part(node, left.start, right.end)

    def _chain(self, ops: tuple[str, str], operand: Callable[[], Part]) -> Part:
        left = operand()
        links = 0
        while self.at_op(*ops):
            op = self.next()
            links += 1
            if self.depth + links > self.limits.max_depth:
                raise self.error(
                    f"more than {self.limits.max_depth} operations in a row "
                    "(SyntaxLimits.max_depth); group them with min/max or named rules",
                    op.start,
                    op.end,
                )
            left = self.arith(op, left, operand())
        return left

    def sum(self) -> Part:
        """Grammar: sum = product { ("+" | "-") product }."""
        return self._chain(("+", "-"), self.product)

    def product(self) -> Part:
        """Grammar: product = unary { ("*" | "/") unary }."""
        return self._chain(("*", "/"), self.unary)

    def unary(self) -> Part:
        """Grammar: unary = { "-" } primary; a minus before a number is part of the number."""
        minus: list[Token] = []
        while self.at_op("-"):
            minus.append(self.next())
        part = self.primary()
        for tok in reversed(minus):
            part = self._negate(tok, part)
        return part

    def _negate(self, tok: Token, part: Part) -> Part:
        node = part.node
        if isinstance(node, Literal):
            value = node.value
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                plain = None
                if part.plain is not None:
                    plain = part.plain[1:] if part.plain.startswith("-") else "-" + part.plain
                # copy_negate is exact; unary minus would round to the context's precision
                flipped = value.copy_negate() if isinstance(value, Decimal) else -value
                negative = self.build(lambda: Literal(flipped), tok.start, part.end)
                return Part(negative, tok.start, part.end, plain)
            if isinstance(value, Money):
                money = Literal(Money(amount=value.amount.copy_negate(), currency=value.currency))
                return Part(money, tok.start, part.end)
        made = self.build(lambda: tr.Arith.build("-", 0, node), tok.start, part.end)
        return Part(made, tok.start, part.end)

    def number(self, tok: Token) -> Part:
        """A number token: an int, or an exact Decimal that remembers its text."""
        text = tok.text.replace("_", "")
        if "." not in text and "e" not in text.lower():
            return Part(Literal(int(text)), tok.start, tok.end)
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the token pattern is always valid
            raise self.error(f"{tok.text!r} is not a number", tok.start, tok.end) from None
        return Part(Literal(value), tok.start, tok.end, text)

    def primary(self) -> Part:
        """A literal, a field, a call, a bracketed expression, a list, ``case``, ``at least``."""
        tok = self.peek()
        if tok.kind == "number":
            self.next()
            part = self.number(tok)
            cur = self.peek()
            if cur.kind == "name" and _CURRENCY.fullmatch(cur.text) and cur.word() not in KEYWORDS:
                self.next()
                amount = tok.text.replace("_", "")
                money = self.build(
                    lambda: Literal(Money(amount=Decimal(amount), currency=cur.text)),
                    tok.start,
                    cur.end,
                )
                return Part(money, tok.start, cur.end)
            if cur.kind == "name" and cur.text.upper() in CURRENCY_CODES and len(cur.text) == 3:
                raise self.error(
                    f"currency codes are written in capitals: {cur.text.upper()!r}",
                    cur.start,
                    cur.end,
                )
            return part
        if tok.kind == "string":
            self.next()
            return Part(Literal(tok.value), tok.start, tok.end)
        if tok.kind in ("date", "datetime"):
            self.next()
            return Part(Literal(tok.value), tok.start, tok.end)
        if tok.kind == "op" and tok.text == "(":
            self.next()
            inner = self.expression()
            close = self.expect_op(")", "')' or an operator")
            return Part(inner.node, tok.start, close.end, inner.plain)
        if tok.kind == "op" and tok.text == "[":
            items, end = self.value_list()
            values = [literal_value(item) for item in items]
            made = self.build(lambda: Literal(frozenset(values)), tok.start, end)
            return Part(made, tok.start, end)
        if tok.kind == "name":
            return self._name(tok)
        raise self.unexpected("a value")

    def _name(self, tok: Token) -> Part:
        word = tok.word()
        if self.at_op("(", ahead=1) and word not in KEYWORDS:
            return call(self, self.next())
        constants: dict[str | None, Expr] = {
            "true": Literal(True),
            "false": Literal(False),
            "none": Literal(None),
            "always": tr.TRUE,
            "never": tr.FALSE,
            "unknown": tr.UNKNOWN,
        }
        if word in constants:
            self.next()
            return Part(constants[word], tok.start, tok.end)
        if word == "case":
            return forms.case(self)
        if word == "at" and self.peek(1).word() == "least":
            return forms.at_least(self)
        if word in KEYWORDS:
            raise self.unexpected("a value")
        self.next()
        if tok.text == "custom" and self.at_op("["):
            self.next()
            key = self.expect_string('a key in quotes, as in custom["tier"]')
            close = self.expect_op("]")
            return Part(
                self.field(f"custom.{key.value}", tok.start, close.end), tok.start, close.end
            )
        return Part(self.field(tok.text, tok.start, tok.end), tok.start, tok.end)

    def field(self, path: str, start: int, end: int) -> Expr:
        """``F(path)``; an unknown path is an error with a suggestion."""
        try:
            return F(path)
        except UnknownFieldError as err:
            message = str(err)
            parts = path.split(".")
            for i in range(1, len(parts)):
                prefix = ".".join(parts[:i])
                if prefix in known_paths() and field_info(prefix).kind == "list":
                    message = (
                        f"{prefix!r} is a list; read it with an aggregation such as "
                        f"count(signals where ...) or size({prefix})"
                    )
            if path.lower() in FUNCTIONS:
                message += f"; {path.lower()} is a function: write {path.lower()}(...)"
            if path in registered_names():
                message += f"; custom rules are called with brackets: {path}()"
            raise self.error(message, start, end) from err

    def value_list(self) -> tuple[list[Part], int]:
        """``[ value, ... ]`` of plain values; returns the items and the end offset."""
        open_ = self.peek()
        if not self.at_op("["):
            raise self.unexpected('a list such as ["a", "b"]')
        self.next()
        items: list[Part] = []
        with self.nested(open_):
            while not self.at_op("]"):
                item = self.sum()
                if not isinstance(item.node, Literal):
                    raise self.error(
                        f'lists hold plain values such as "a", 5 or 2026-01-31, got '
                        f"{self.snippet(item)!r}",
                        item.start,
                        item.end,
                    )
                items.append(item)
                self.check_count(len(items), self.peek())
                if not self.accept_op(","):
                    break
            close = self.expect_op("]", "',' or ']'")
        return items, close.end

    def expect_end(self) -> None:
        """Raise unless every token was read."""
        if self.peek().kind != "end":
            if self.at_op(")"):
                raise self.unexpected("an operator or the end of the text (unmatched ')')")
            raise self.unexpected("an operator or the end of the text")


def _parse(text: str, limits: SyntaxLimits | None, refs: Mapping[str, Expr] | None) -> Part:
    if not isinstance(text, str):
        raise InvalidArgumentError(
            f"expected the text of a rule, got {text!r}", argument="text", value=text
        )
    limits = limits or SyntaxLimits()
    parser = Parser(text, limits, refs)
    try:
        part = parser.expression()
        parser.expect_end()
    except RecursionError:
        raise parser.error(
            "the text nests too deeply for this Python's recursion limit; lower "
            "SyntaxLimits.max_depth",
            parser.peek().start,
        ) from None
    try:
        check_limits(part.node, Limits(max_depth=limits.max_depth, max_nodes=10**9))
    except RuleLimitError as err:
        raise parser.error(
            f"the rule nests deeper than {limits.max_depth} levels (SyntaxLimits.max_depth)",
            0,
            len(text),
        ) from err
    return part


def parse_rule(
    text: str,
    *,
    limits: SyntaxLimits | None = None,
    refs: Mapping[str, Expr] | None = None,
) -> Expr:
    """Parse any rule written in the condition syntax: a condition, a value or a score.

    The result is the tree the Python API builds (``parse_rule(str(r))`` is structurally
    equal to ``r``). Nothing is evaluated or executed.

    Args:
        text: The rule, e.g. ``company.employees between 50 and 5000``.
        limits: Bounds on length, nesting and list sizes (``SyntaxLimits()`` by default).
        refs: Outputs that ``ref("name")`` may refer to (their kinds are taken from
            them); without it, ``ref`` accepts any name, as ``ref()`` does in Python.

    Returns:
        The rule tree.

    Raises:
        ConditionSyntaxError: The text cannot be read, or builds no valid rule; the
            error has the ``line`` and ``column`` of the problem.
        TypeError: ``text`` is not a string.

    Examples:
        >>> parse_rule("company.employees between 50 and 5000")
        F.company.employees.between(50, 5000)
        >>> parse_rule("20 points when company.industry in ['software', 'fintech']")
        points(20, when=F.company.industry.isin({'fintech', 'software'}))
    """
    return _parse(text, limits, refs).node


def parse_condition(
    text: str,
    *,
    limits: SyntaxLimits | None = None,
    refs: Mapping[str, Expr] | None = None,
) -> Expr:
    """Parse a condition written in the condition syntax; a value is an error.

    Like ``parse_rule``, but the text must be a condition (``true`` and ``false`` on
    their own mean ``always`` and ``never``).

    Args:
        text: The condition.
        limits: Bounds on length, nesting and list sizes.
        refs: Outputs that ``ref("name")`` may refer to.

    Returns:
        A condition node.

    Raises:
        ConditionSyntaxError: The text cannot be read, builds no valid rule, or is a
            value rather than a condition.
        TypeError: ``text`` is not a string.

    Examples:
        >>> parse_condition('count(signals where kind = "demo_request" within 30 days) >= 1')
        signals(kind='demo_request', within=30).count() >= 1
        >>> parse_condition("bant.budget.status is missing")
        F.bant.budget.status.is_missing()
    """
    part = _parse(text, limits, refs)
    node = part.node
    if isinstance(node, Literal) and isinstance(node.value, bool):
        return tr.TRUE if node.value else tr.FALSE
    if not node.is_condition:
        raise ConditionSyntaxError.at(
            f"expected a condition, got {shorten(text[part.start : part.end])!r}, a value "
            f"of kind {node.value_kind()}; compare it, e.g. with '=' or '>'",
            text,
            part.start,
            part.end,
        )
    return node
