"""The framework docs stay in step with the presets (their examples run as doctests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from funnelkit.frameworks import PRESET_FRAMEWORKS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "frameworks"
PAGES = {
    "bant": "bant.md",
    "opportunity": "opportunity.md",
    "anum": "anum.md",
    "champ": "champ.md",
    "faint": "faint.md",
    "meddic": "meddic.md",
    "meddpicc": "meddic.md",
    "gpct": "gpct.md",
    "gpctba_ci": "gpct.md",
}


def test_every_preset_has_a_page():
    """Each preset key maps to a page under docs/frameworks/ that exists."""
    assert set(PAGES) == set(PRESET_FRAMEWORKS)
    assert all((DOCS / page).is_file() for page in PAGES.values())


@pytest.mark.parametrize("key", sorted(PRESET_FRAMEWORKS))
def test_the_page_names_every_criterion_and_field(key: str):
    """A preset's page names each criterion key and each model or custom field it reads."""
    text = (DOCS / PAGES[key]).read_text(encoding="utf-8")
    fw = PRESET_FRAMEWORKS[key]
    missing = [f"`{c}`" for c in fw.keys if f"`{c}`" not in text]
    missing += [
        path
        for path in fw.fields
        if path != "signals" and not path.endswith("expires_at") and path not in text
    ]
    assert missing == []


@pytest.mark.parametrize("key", sorted(PRESET_FRAMEWORKS))
def test_the_index_lists_every_custom_field(key: str):
    """The index's custom-field table names every custom.<key> a preset reads."""
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    assert [
        p for p in PRESET_FRAMEWORKS[key].fields if p.startswith("custom.") and p not in text
    ] == []
