"""The condition syntax's tokens, its one error type, and the parser's limits.

The tokenizer is a single left-to-right pass with anchored, non-backtracking patterns,
so its time is linear in the text. Every token keeps its start and end offsets; the
error type turns an offset into a line, a column and a caret excerpt.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, ClassVar

import attrs

from funnelkit.errors import FunnelkitError

__all__ = [
    "ConditionSyntaxError",
    "SyntaxLimits",
    "Token",
    "tokenize",
    "KEYWORDS",
    "FUNCTIONS",
    "IDENTIFIER",
    "MAX_NUMBER_LENGTH",
]

MAX_NUMBER_LENGTH = 400
"""The most characters one number may have (Python refuses ints over 4,300 digits)."""

KEYWORDS = frozenset(
    {
        *("and", "or", "not", "in", "is", "between", "contains", "startswith", "endswith"),
        *("icontains", "matches", "within", "before", "after", "at", "case", "when"),
        *("then", "else", "end", "true", "false", "none", "always", "never"),
        "unknown",
    }
)
"""Reserved words: never field paths or custom-rule names (matched case-insensitively)."""

FUNCTIONS = frozenset(
    {
        *("count", "exists", "latest", "sum", "decayed", "size", "age_days", "days_until"),
        *("min", "max", "clip", "money", "float", "decimal", "score", "grade", "rule"),
        *("rule_set", "ref", "custom"),
    }
)
"""Built-in function names (matched case-insensitively)."""

IDENTIFIER = re.compile(r"[^\W\d]\w*")
"""One segment of a field path, an output name or a custom-rule name."""

_NAME = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_NUMBER = re.compile(r"\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?", re.ASCII)
_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
    r"(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?(?![\w.:])",
    re.ASCII,
)
_OPS = ("==", "!=", "<=", ">=", "<", ">", "=", "+", "-", "*", "/", "(", ")", "[", "]", ",", ":")
_HINTS = {
    "&&": "use 'and'",
    "||": "use 'or'",
    "<>": "use '!='",
    "&": "use 'and'",
    "|": "use 'or'",
    "~": "use 'not'",
    "!": "use 'not', or '!=' for 'is not equal to'",
    "{": 'lists are written in square brackets: ["a", "b"]',
    "}": 'lists are written in square brackets: ["a", "b"]',
    "\u201c": 'use straight quotes (") around text',
    "\u201d": 'use straight quotes (") around text',
    "\u2018": "use straight quotes (') around text",
    "\u2019": "use straight quotes (') around text",
    "`": "use straight quotes (\" or ') around text",
    ";": "join conditions with 'and' or 'or'",
}
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t"}


class ConditionSyntaxError(FunnelkitError, ValueError):
    """Text in the condition syntax that cannot be read, or that builds no valid rule.

    The parser raises only this error. Errors of the rule-building API found while
    building a parsed part (an unknown field, incomparable types, an unsafe regular
    expression) are re-raised as this error, located at the part, with the original
    error as ``__cause__``.

    Args:
        message: What is wrong, without the location.
        text: The whole source text.
        line: The 1-based line of the problem.
        column: The 1-based column of the problem.
        length: How many characters the problem spans (for the caret).

    Attributes:
        message: What is wrong.
        text: The source text.
        line: The 1-based line.
        column: The 1-based column.
        length (int): The width of the caret underline.

    Examples:
        >>> from funnelkit.rules import parse_rule
        >>> try:
        ...     parse_rule("company.employees between and 5000")
        ... except ConditionSyntaxError as err:
        ...     print(err)
        line 1, column 27: expected a value after 'between', got 'and'
          company.employees between and 5000
                                    ^^^
    """

    code: ClassVar[str] = "condition-syntax"

    def __init__(self, message: str, *, text: str, line: int, column: int, length: int = 1):
        self.message = message
        self.text = text
        self.line = line
        self.column = column
        self.length = max(1, length)
        self.location = f"line {line}, column {column}"
        super().__init__(self._render())

    @classmethod
    def at(
        cls, message: str, text: str, start: int, end: int | None = None
    ) -> ConditionSyntaxError:
        """An error spanning ``text[start:end]`` (offsets), with line and column computed.

        Args:
            message: What is wrong.
            text: The whole source text.
            start: The offset where the problem starts.
            end: The offset where it ends (one character when omitted).

        Returns:
            The error (not raised).
        """
        start = max(0, min(start, len(text)))
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        stop = start + 1 if end is None else max(end, start + 1)
        line_end = text.find("\n", start)
        if line_end != -1:
            stop = min(stop, max(line_end, start + 1))
        return cls(message, text=text, line=line, column=column, length=stop - start)

    def _render(self) -> str:
        head = f"line {self.line}, column {self.column}: {self.message}"
        lines = self.text.split("\n")
        if not 1 <= self.line <= len(lines):
            return head
        source = "".join(" " if c.isspace() else c for c in lines[self.line - 1])
        first = max(0, self.column - 60)
        shown = source[first : first + 100]
        lead = "... " if first else ""
        caret = " " * (len(lead) + self.column - 1 - first) + "^" * min(self.length, 60)
        tail = " ..." if first + 100 < len(source) else ""
        return f"{head}\n  {lead}{shown}{tail}\n  {caret}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.message, self.text, self.line, self.column, self.length))


def _rebuild(message: str, text: str, line: int, column: int, length: int) -> ConditionSyntaxError:
    return ConditionSyntaxError(message, text=text, line=line, column=column, length=length)


def _positive(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


@attrs.frozen
class SyntaxLimits:
    """Bounds on text in the condition syntax, checked while it is read.

    Attributes:
        max_length: The most characters a text may have.
        max_depth: The deepest nesting allowed, of brackets and calls while reading and
            of the rule tree built (the evaluator's default depth limit is also 64).
        max_items: The most items in one list, call, ``case`` or ``at least``.
        finite_numbers: Refuse NaN (``decimal("NaN")``, ``float("nan")``), which
            ordering comparisons cannot take at evaluation. Policy files are read with it
            on, so a policy that loads never fails while leads are qualified; it is off by
            default, so that every rule built in Python prints and reads back.
            (Arithmetic on infinities and on numbers of 10**28 or more is refused
            whenever a rule is built.)

    Examples:
        >>> from funnelkit.rules import parse_rule
        >>> parse_rule('company.country in ["US", "CA"]', limits=SyntaxLimits(max_items=5))
        F.company.country.isin({'CA', 'US'})
    """

    max_length: int = attrs.field(default=10_000, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_items: int = attrs.field(default=1_000, validator=_positive)
    finite_numbers: bool = False


@attrs.frozen
class Token:
    """One token: its kind, its source text, its decoded value and its offsets.

    Kinds: ``name`` (a word or a dotted path), ``number``, ``string``, ``date``,
    ``datetime``, ``op`` (punctuation and operators) and ``end``.
    """

    kind: str
    text: str
    value: object
    start: int
    end: int

    def word(self) -> str | None:
        """The lower-cased word if this is a one-segment name, else ``None``."""
        if self.kind == "name" and "." not in self.text:
            return self.text.lower()
        return None


def _string(text: str, pos: int, raw: bool) -> tuple[str, int]:
    """Decode the string literal whose opening quote is at ``pos``; return it and its end."""
    quote = text[pos]
    out: list[str] = []
    i = pos + 1
    while True:
        if i >= len(text) or text[i] == "\n":
            raise ConditionSyntaxError.at(
                f"text opened with {quote} is not closed on this line", text, pos, i
            )
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch != "\\" or raw:
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        width = {"u": 4, "U": 8}.get(nxt)
        digits = text[i + 2 : i + 2 + width] if width else ""
        if width and re.fullmatch(r"[0-9a-fA-F]+", digits) and len(digits) == width:
            code = int(digits, 16)
            if code <= 0x10FFFF:
                out.append(chr(code))
                i += 2 + width
                continue
        raise ConditionSyntaxError.at(
            f"unknown escape '\\{nxt}' in text; write '\\\\' for a backslash, or use a raw "
            f'string such as r"^vp\\b" for patterns',
            text,
            i,
            i + 2,
        )


def _date(text: str, source: str, start: int, end: int) -> Token:
    try:
        if "T" in source:
            return Token("datetime", source, _dt.datetime.fromisoformat(source), start, end)
        return Token("date", source, _dt.date.fromisoformat(source), start, end)
    except ValueError as err:
        raise ConditionSyntaxError.at(
            f"{source!r} is not a valid date or time: {err}", text, start, end
        ) from None


def tokenize(text: str, limits: SyntaxLimits) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token.

    Raises:
        ConditionSyntaxError: The text is too long, or has a character, number, date or
            string that cannot be read.
    """
    if len(text) > limits.max_length:
        raise ConditionSyntaxError.at(
            f"the text has {len(text):,} characters; at most {limits.max_length:,} are "
            "allowed (SyntaxLimits.max_length)",
            text,
            limits.max_length,
        )
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == "#":
            newline = text.find("\n", pos)
            pos = n if newline == -1 else newline
            continue
        if ch in "\"'" or (ch in "rR" and text[pos + 1 : pos + 2] in ("'", '"')):
            raw = ch in "rR"
            value, end = _string(text, pos + 1 if raw else pos, raw)
            tokens.append(Token("string", text[pos:end], value, pos, end))
            pos = end
            continue
        if ch in "0123456789":
            date = _DATE.match(text, pos)
            if date:
                tokens.append(_date(text, date.group(), pos, date.end()))
                pos = date.end()
                continue
            number = _NUMBER.match(text, pos)
            if number:
                end = number.end()
                if end - pos > MAX_NUMBER_LENGTH:
                    raise ConditionSyntaxError.at(
                        f"a number of {end - pos} characters; at most {MAX_NUMBER_LENGTH}",
                        text,
                        pos,
                        end,
                    )
                tokens.append(Token("number", number.group(), None, pos, end))
                pos = end
                continue
        name = _NAME.match(text, pos)
        if name:
            end = name.end()
            if text[end : end + 1] == "." and not _NAME.match(text, end + 1):
                raise ConditionSyntaxError.at(
                    f"expected a field name after '{name.group()}.'", text, end + 1, end + 2
                )
            tokens.append(Token("name", name.group(), name.group(), pos, end))
            pos = end
            continue
        for pair in ("&&", "||", "<>"):
            if text.startswith(pair, pos):
                raise ConditionSyntaxError.at(
                    f"unexpected '{pair}': {_HINTS[pair]}", text, pos, pos + 2
                )
        op = next((o for o in _OPS if text.startswith(o, pos)), None)
        if op is not None:
            tokens.append(Token("op", op, op, pos, pos + len(op)))
            pos += len(op)
            continue
        hint = _HINTS.get(ch)
        shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
        raise ConditionSyntaxError.at(
            f"unexpected character {shown}" + (f": {hint}" if hint else ""), text, pos
        )
    tokens.append(Token("end", "", None, n, n))
    return tokens
