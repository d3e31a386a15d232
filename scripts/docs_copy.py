"""A build hook of the docs: the copy button of a console block copies only the input.

A ``pycon`` or ``console`` block shows prompts (``>>>``, ``...``, ``$``) and outputs;
someone who copies it wants the lines to type, without prompts, outputs or the blank
lines outputs would leave. Material for MkDocs copies an element's ``data-copy``
attribute when it has one, so this hook writes that attribute on every highlighted
block that has prompts: each prompted line without its prompt, and the continuation
lines of a shell command that ends in a backslash.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["copy_text", "on_page_content", "with_copy_text"]

_BLOCK = re.compile(
    r'(<div class="language-(?:pycon|console)[^"]*"[^>]*>.*?<code)(>)(.*?)(</code>)', re.S
)
_PROMPT = re.compile(r'^<span class="gp">(.*?)</span>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))


def copy_text(code_html: str) -> str | None:
    """The text to copy from a highlighted block's code: input lines, prompts left out.

    Args:
        code_html: The inner HTML of the block's ``<code>`` element, as Pygments wrote it.

    Returns:
        The input lines joined by newlines, or ``None`` when the block has no prompt
        (it is copied as it is).

    Examples:
        >>> copy_text('<span class="gp">&gt;&gt;&gt; </span>x\\n<span class="go">1</span>\\n')
        'x'
    """
    kept: list[str] = []
    continued = False
    for line in code_html.split("\n"):
        prompt = _PROMPT.match(line)
        if prompt is not None:
            kept.append(_plain(line[prompt.end() :]))
        elif continued:
            kept.append(_plain(line))
        else:
            continue
        continued = kept[-1].endswith("\\")
    if not kept:
        return None
    return "\n".join(kept).rstrip()


def with_copy_text(page_html: str) -> str:
    """A page's HTML with ``data-copy`` on every prompted console block's code.

    Args:
        page_html: The page's content as Markdown rendered it.

    Returns:
        The same HTML, the attribute added where a block has prompts.
    """

    def add(match: re.Match[str]) -> str:
        text = copy_text(match.group(3))
        if text is None:
            return match.group(0)
        attribute = f' data-copy="{html.escape(text, quote=True)}"'
        return match.group(1) + attribute + match.group(2) + match.group(3) + match.group(4)

    return _BLOCK.sub(add, page_html)


def on_page_content(html_text: str, **_: Any) -> str:
    """The MkDocs hook: add the copy text to the page's console blocks."""
    return with_copy_text(html_text)
