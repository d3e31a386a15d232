"""Text from input files made safe to print: control characters are shown, not obeyed.

A lead id or a cell can hold escape sequences (``ESC ] 0 ;`` retitles a terminal window,
others move the cursor or rewrite the screen), bidirectional overrides that reorder what
is shown, or lone surrogates that cannot be encoded at all. Everything the command line
prints from its input goes through [`printable`][funnelkit.cli._escape.printable] (for
messages) or [`cell`][funnelkit.cli._escape.cell] (for table cells).
"""

from __future__ import annotations

import re

__all__ = ["printable", "cell"]

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
