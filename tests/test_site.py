"""The built documentation site: examples render as code, types are filled in, pictures are there.

The site is built once per session (``mkdocs build --strict`` into a temporary folder);
the tests then read its HTML. They are skipped where the docs extra is not installed
(``pip install -e ".[docs]"``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SIGNATURE = re.compile(r'<div class="[^"]*doc-signature[^"]*">(.*?)</div>', re.S)
_DETAILS = re.compile(r'<details class="example"[^>]*>(.*?)</details>', re.S)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built once with ``mkdocs build --strict``."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    if shutil.which("mkdocs") is None and not Path(sys.executable).with_name("mkdocs").exists():
        pytest.skip("mkdocs is not installed")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub("", html)).strip()


def _pages(site: Path, under: str = "") -> dict[str, str]:
    return {
        str(p.relative_to(site / under)): p.read_text(encoding="utf-8")
        for p in sorted((site / under).rglob("index.html"))
    }


def broken_examples(html: str) -> list[str]:
    """The docstring examples of a page that do not render as code.

    A ``>>>`` prompt outside a code block (Markdown took it for a blockquote or a
    paragraph), an example admonition holding a blockquote, and a reST ``::`` left at
    the end of a paragraph all count.
    """
    found = []
    without_code = re.sub(r"<pre[^>]*>.*?</pre>|<code[^>]*>.*?</code>", "", html, flags=re.S)
    found += [
        f"prompt outside code: {_text(m)[:80]}"
        for m in re.findall(
            r"<(?:p|blockquote)>\s*(?:<p>)?\s*&gt;&gt;&gt;.*?</(?:p|blockquote)>",
            without_code,
            re.S,
        )
    ]
    for details in _DETAILS.findall(html):
        if "<blockquote" in details:
            found.append(f"blockquote in example: {_text(details)[:80]}")
    found += [
        f"reST literal marker: {_text(m)[-80:]}"
        for m in re.findall(r"<p>(?:(?!</p>).)*::</p>", without_code, re.S)
    ]
    return found


def empty_type_cells(html: str) -> list[str]:
    """The rows of the API tables (parameters, attributes, returns) whose Type cell is empty."""
    found = []
    for table in _TABLE.findall(html):
        rows = _ROW.findall(table)
        if not rows:
            continue
        head = [_text(c) for c in _CELL.findall(rows[0])]
        if "Type" not in head:
            continue
        column = head.index("Type")
        for row in rows[1:]:
            cells = _CELL.findall(row)
            if len(cells) > column and not _text(cells[column]):
                found.append(_text(cells[0]) or _text(row)[:60])
    return found


def test_docstring_examples_render_as_code(site: Path) -> None:
    """No API page shows a docstring example as a blockquote, a paragraph or a '::'."""
    broken = {
        page: b for page, html in _pages(site, "reference").items() if (b := broken_examples(html))
    }
    assert not broken, broken


def test_docstring_examples_are_highlighted_console_sessions(site: Path) -> None:
    """Docstring examples render as pycon code: prompts and output are marked apart."""
    html = _pages(site, "reference")["model/leads/index.html"]
    assert 'class="gp"' in html
    assert 'class="go"' in html


def test_api_tables_have_their_types(site: Path) -> None:
    """Every parameter, attribute and return row of the API pages names its type."""
    empty = {
        page: e for page, html in _pages(site, "reference").items() if (e := empty_type_cells(html))
    }
    assert not empty, empty


def test_signatures_link_to_their_types(site: Path) -> None:
    """Signatures are cross-linked: a parameter's type links to its page."""
    html = _pages(site, "reference")["qualify/qualifying/index.html"]
    signature = _SIGNATURE.search(html.split('id="funnelkit.qualify.qualify"', 1)[1])
    assert signature is not None
    assert "autorefs" in signature.group(1)


def test_signatures_hide_private_names(site: Path) -> None:
    """No signature on the API pages shows a private name (``_thing``) or a module path."""
    for page, html in _pages(site, "reference").items():
        for signature in _SIGNATURE.findall(html):
            text = _text(signature)
            assert not re.search(r"(?<![\w.])_\w|\._", text), (page, text[:200])


@pytest.mark.parametrize(
    "page",
    ["index.html", "explanation/funnel/index.html", "explanation/three-valued-logic/index.html"],
)
def test_pages_have_a_diagram(site: Path, page: str) -> None:
    """The home, funnel and three-valued-logic pages each carry at least one diagram."""
    html = (site / page).read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in html


def test_every_diagram_is_mermaid_source(site: Path) -> None:
    """Each diagram block holds Mermaid source (a known diagram type), not highlighted code."""
    kinds = ("flowchart", "graph", "stateDiagram", "sequenceDiagram")
    for page, html in _pages(site).items():
        for block in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', html, re.S):
            assert block.strip().startswith(kinds), (page, block[:80])


def test_reference_pages_open_with_an_intro_and_a_summary(site: Path) -> None:
    """Each API page opens with a paragraph and a summary table of what it documents."""
    for page, html in _pages(site, "reference").items():
        if "doc-signature" not in html:
            continue  # a hand-written page (formats, condition syntax)
        article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
        assert re.search(r"</h1>\s*<p>", article), page
        assert "<table>" in re.split(r"<h2", article, maxsplit=1)[0], page


DOCUMENTED = [
    "funnelkit.model",
    "funnelkit.rules",
    "funnelkit.qualify",
    "funnelkit.frameworks",
    "funnelkit.policy",
    "funnelkit.io",
    "funnelkit.analytics",
    "funnelkit.errors",
    "funnelkit.testing",
    "funnelkit.cli",
    "funnelkit.data",
    "funnelkit.integrations.spark",
    "funnelkit.rules.tree",
    "funnelkit.rules.meaning",
    "funnelkit.rules.syntax",
]


@pytest.mark.parametrize("namespace", DOCUMENTED)
def test_every_public_name_has_a_reference_entry(site: Path, namespace: str) -> None:
    """Each name in a documented namespace's __all__ has its own anchor on an API page."""
    module = pytest.importorskip(namespace)
    ids = set()
    for html in _pages(site, "reference").values():
        ids.update(re.findall(r'id="(funnelkit\.[\w.]+)"', html))
    missing = [name for name in module.__all__ if f"{namespace}.{name}" not in ids]
    assert not missing, missing


def test_console_blocks_copy_their_input_only(site: Path) -> None:
    """Every block with prompts carries the text to copy: no prompt, no output, no gap."""
    missing, wrong = [], []
    for page, html in _pages(site).items():
        for attributes, inner in re.findall(r"<code([^>]*)>(.*?)</code>", html, re.S):
            if 'class="gp"' not in inner:
                continue
            copied = re.search(r'data-copy="([^"]*)"', attributes)
            if copied is None:
                missing.append(f"{page}: {_text(inner)[:60]}")
                continue
            text = copied.group(1)
            if "&gt;&gt;&gt;" in text or "\n\n" in text or text.startswith("$ "):
                wrong.append(f"{page}: {text[:60]}")
    assert not missing, missing
    assert not wrong, wrong
