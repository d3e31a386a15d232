"""The parser's token cursor: lookahead, expectations, positioned errors, nesting.

``Part`` is a parsed node with its source span, so errors of the building functions can
point at the sub-expression that caused them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import NamedTuple, TypeVar

from funnelkit.errors import FunnelkitError
from funnelkit.rules import tree as tr
from funnelkit.rules.syntax._lexer import ConditionSyntaxError, SyntaxLimits, Token, tokenize
from funnelkit.rules.tree import Expr, Literal

__all__ = ["Cursor", "Part", "float_context", "literal_value", "COMPARISONS", "PREDICATES"]

COMPARISONS = {"=": "==", "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
PREDICATES = (
    *("in", "between", "contains", "startswith", "endswith", "icontains", "matches"),
    *("is", "within", "before", "after"),
)
OPERATOR_WORDS = ("and", "or", "not", *PREDICATES)
T = TypeVar("T")


class Part(NamedTuple):
    """A parsed node with its source span; ``plain`` keeps a decimal number's text."""

    node: Expr
    start: int
    end: int
    plain: str | None = None


def float_context(partner: Expr | None) -> bool:
    """Whether a plain decimal number next to ``partner`` is read as a float.

    It is when the partner is a float-valued expression (an evidence confidence, a
    division, a signal sum) and not itself a literal; elsewhere such numbers are exact
    Decimals. The printer uses the same test, so printing and parsing agree.
    """
    return (
        partner is not None
        and not isinstance(partner, Literal)
        and (partner.value_kind() == "float")
    )


def literal_value(part: Part, partner: Expr | None = None) -> object:
    """The plain value of a literal part (a float in float context)."""
    if part.plain is not None and float_context(partner):
        return float(part.plain)
    assert isinstance(part.node, Literal)  # callers check
    return part.node.value


def shorten(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


class Cursor:
    """The tokens of one text and a position in them, with the helpers every rule uses."""

    def __init__(self, text: str, limits: SyntaxLimits, refs: Mapping[str, Expr] | None) -> None:
        self.text = text
        self.limits = limits
        self.tokens = tokenize(text, limits)
        self.pos = 0
        self.depth = 0
        self.envs: list[dict[str, Expr] | None] = [None if refs is None else dict(refs)]

    # -- tokens -----------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        """The token ``ahead`` positions after the cursor (the end token past the end)."""
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        """Consume and return the current token."""
        tok = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return tok

    def previous(self) -> Token | None:
        """The last consumed token."""
        return self.tokens[self.pos - 1] if self.pos else None

    def at_op(self, *ops: str, ahead: int = 0) -> bool:
        """Whether the token ``ahead`` is one of the punctuation ``ops``."""
        tok = self.peek(ahead)
        return tok.kind == "op" and tok.text in ops

    def accept_op(self, op: str) -> Token | None:
        """Consume the punctuation ``op`` if it is next."""
        return self.next() if self.at_op(op) else None

    def accept_word(self, word: str) -> Token | None:
        """Consume the keyword ``word`` if it is next."""
        return self.next() if self.peek().word() == word else None

    def describe(self, tok: Token) -> str:
        """A token as messages show it."""
        if tok.kind == "end":
            return "the end of the text"
        return repr(shorten(tok.text)) if tok.kind != "string" else shorten(tok.text)

    def error(self, message: str, start: int, end: int | None = None) -> ConditionSyntaxError:
        """A syntax error spanning ``text[start:end]``."""
        return ConditionSyntaxError.at(message, self.text, start, end)

    def unexpected(
        self,
        expected: str,
        tok: Token | None = None,
        words: Sequence[str] = (),
    ) -> ConditionSyntaxError:
        """``expected X after W, got Y`` at ``tok`` (the current token), with a did-you-mean."""
        tok = tok or self.peek()
        index = self.tokens.index(tok) if tok in self.tokens else self.pos
        prev = self.tokens[index - 1] if index else None
        after = f" after {self.describe(prev)}" if prev is not None else ""
        message = f"expected {expected}{after}, got {self.describe(tok)}"
        if tok.kind == "name":
            close = difflib.get_close_matches(tok.text.lower(), [*words, *OPERATOR_WORDS], n=1)
            if close and tok.text.lower() != close[0]:
                message += f"; did you mean {close[0]!r}?"
        if tok.word() in ("points", "point"):
            message += "; an item such as '20 points when ...' goes first in its brackets"
        return self.error(message, tok.start, tok.end)

    def expect_op(self, op: str, expected: str | None = None, words: Sequence[str] = ()) -> Token:
        """Consume ``op`` or raise ``expected ...``."""
        if self.at_op(op):
            return self.next()
        raise self.unexpected(expected or repr(op), words=words)

    def expect_word(self, word: str, expected: str | None = None) -> Token:
        """Consume the keyword ``word`` or raise ``expected ...``."""
        if self.peek().word() == word:
            return self.next()
        raise self.unexpected(expected or repr(word))

    def expect_string(self, what: str) -> Token:
        """Consume a string literal or raise."""
        if self.peek().kind == "string":
            return self.next()
        raise self.unexpected(what)

    @contextmanager
    def nested(self, tok: Token) -> Iterator[None]:
        """Count one level of nesting (brackets, calls, ``case``) against the limit."""
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.error(
                f"nesting deeper than {self.limits.max_depth} levels "
                "(SyntaxLimits.max_depth); split the rule into named parts",
                tok.start,
                tok.end,
            )
        try:
            yield
        finally:
            self.depth -= 1

    def check_count(self, count: int, tok: Token) -> None:
        """Raise when a list, call or ``case`` has more items than the limit."""
        if count > self.limits.max_items:
            raise self.error(
                f"more than {self.limits.max_items:,} items (SyntaxLimits.max_items)",
                tok.start,
                tok.end,
            )

    def build(self, make: Callable[[], T], start: int, end: int) -> T:
        """Call a building function; its errors become syntax errors at ``start:end``."""
        try:
            return make()
        except (FunnelkitError, ValueError, TypeError, ArithmeticError) as err:
            message = str(err)
            if isinstance(err, ArithmeticError):
                message = f"this number cannot be used here ({type(err).__name__})"
            raise self.error(message, start, end) from err

    def snippet(self, part: Part) -> str:
        """The source text of a part, shortened."""
        return shorten(self.text[part.start : part.end])

    # -- conditions -------------------------------------------------------------------
    def condition(self, part: Part, where: str) -> Expr:
        """The part as a condition (``true``/``false`` become ``always``/``never``)."""
        node = part.node
        if isinstance(node, Literal) and isinstance(node.value, bool):
            return tr.TRUE if node.value else tr.FALSE
        if not node.is_condition:
            raise self.error(
                f"{where} needs a condition, got {self.snippet(part)!r}, a value of kind "
                f"{node.value_kind()}; compare it, e.g. with '=' or '>'",
                part.start,
                part.end,
            )
        return node

    def resolve(self, part: Part, partner: Expr | None) -> Expr:
        """The part's node, with a plain decimal number read as a float in float context."""
        if part.plain is not None and float_context(partner):
            return Literal(float(part.plain))
        return part.node
