r"""Text from input files made safe to print: control characters are shown, not obeyed.

A lead id or a cell can hold escape sequences (``ESC ] 0 ;`` retitles a terminal window,
others move the cursor or rewrite the screen), bidirectional overrides that reorder what
is shown, or lone surrogates that cannot be encoded at all. Everything the command line
prints from its input goes through [`printable`][funnelkit.cli._escape.printable] (for
messages and CSV cells), [`cell`][funnelkit.cli._escape.cell] (for table cells) or
[`json_line`][funnelkit.cli._escape.json_line] (for JSON output).

JSON output stays exact: those characters are written as JSON's own ``\uXXXX`` escapes,
which a JSON reader turns back into the same characters. CSV has no escapes of its own,
so a CSV cell shows them as ``printable`` does (``\x1b``, ``\u202e``), like the table:
for the exact text, ask for JSON Lines.
"""

from __future__ import annotations

import json
import re

__all__ = ["printable", "cell", "json_line"]

_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls, DEL (ESC starts a sequence)
    "\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"  # invisible, bidi
    "\ud800-\udfff"  # lone surrogates cannot be encoded
)
_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_IN_CELL = re.compile(f"[\t\n{_UNSAFE}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with control, format and surrogate characters written as escapes.

    Line breaks and tabs are kept (messages may span lines).

    Examples:
        >>> printable("L-\x1b]0;pwned\x07")
        'L-\\x1b]0;pwned\\x07'
    """
    return _IN_TEXT.sub(_escape, text)


def cell(text: str) -> str:
    r"""``text`` escaped like ``printable``, line breaks and tabs too (one table cell).

    Examples:
        >>> cell("a\nb")
        'a\\x0ab'
    """
    return _IN_CELL.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_line(value: object, *, indent: int | None = None) -> str:
    r"""``json.dumps(value, ensure_ascii=False)`` with ``printable``'s characters as ``\uXXXX``.

    Other non-ASCII text is written as it is. JSON escapes C0 controls itself; DEL, C1
    controls, invisible and bidi characters, line and paragraph separators and lone
    surrogates are written as JSON escapes too, so the line is safe to print and reads
    back as the same value. ``indent`` lays the value out over lines, as in ``json.dumps``
    (for a file, not a line).

    Examples:
        >>> print(json_line({"id": "L-\u202eé\x85\x1b"}))
        {"id": "L-\u202eé\u0085\u001b"}
        >>> json.loads(json_line("\ud800\x9b")) == "\ud800\x9b"
        True
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _IN_TEXT.sub(_json_escape, text)
