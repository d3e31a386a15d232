"""The docs' copy button: a console block copies its input lines only."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name


def _hook() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "scripts" / "docs_copy.py"
    spec = importlib.util.spec_from_file_location("docs_copy", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_copy", module)
    spec.loader.exec_module(module)
    return module


docs_copy = _hook()


def _code(source: str, language: str) -> str:
    out = highlight(source, get_lexer_by_name(language), HtmlFormatter(nowrap=True))
    return str(out)


def test_pycon_keeps_input_and_drops_prompts_and_outputs() -> None:
    source = (
        ">>> from funnelkit import F\n"
        ">>> rule = (F.company.employees\n"
        "...         >= 50)\n"
        ">>> rule\n"
        "F.company.employees >= 50\n"
        "\n"
        ">>> print('a')\n"
        "a\n"
        "b\n"
    )
    assert docs_copy.copy_text(_code(source, "pycon")) == (
        "from funnelkit import F\nrule = (F.company.employees\n        >= 50)\nrule\nprint('a')"
    )


def test_console_keeps_commands_and_their_continuation_lines() -> None:
    source = (
        "$ funnelkit qualify leads.csv \\\n"
        "    --policy p.yaml\n"
        "lead_id,stage\n"
        "L-1,inquiry\n"
        "$ funnelkit demo\n"
        "output\n"
    )
    assert docs_copy.copy_text(_code(source, "console")) == (
        "funnelkit qualify leads.csv \\\n    --policy p.yaml\nfunnelkit demo"
    )


def test_markup_in_input_is_copied_as_text() -> None:
    code = _code(">>> x = \"<a & b>\"\n>>> x\n'<a & b>'\n", "pycon")
    assert docs_copy.copy_text(code) == 'x = "<a & b>"\nx'


def test_a_block_without_prompts_is_left_alone() -> None:
    assert docs_copy.copy_text(_code("x = 1\nprint(x)\n", "python")) is None
    page = '<div class="language-python highlight"><pre><span></span><code>x = 1</code></pre></div>'
    assert docs_copy.with_copy_text(page) == page


def test_the_attribute_is_escaped_and_placed_on_the_code_element() -> None:
    inner = _code('>>> s = "\\"q\\" <b>"\n>>> s\n', "pycon")
    page = (
        f'<div class="language-pycon highlight"><pre><span></span><code>{inner}</code></pre></div>'
    )
    out = docs_copy.with_copy_text(page)
    assert '<code data-copy="s = &quot;\\&quot;q\\&quot; &lt;b&gt;&quot;\ns">' in out
    assert out.endswith(f"{inner}</code></pre></div>")
