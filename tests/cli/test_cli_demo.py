"""``funnelkit demo``: the summary of the bundled leads."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, datetime

import pytest

from funnelkit.cli import main
from funnelkit.cli._demo import (
    COMPLETENESS,
    completeness_section,
    countries_section,
    summarize,
)
from funnelkit.model import Company, Contact, Lead, Signal

HEADINGS = (
    "Source direction",
    "Source channel",
    "Industry",
    "Country",
    "Completeness",
    "Signals",
    "Recorded stage",
)


@pytest.fixture(scope="module")
def demo_output() -> str:
    """The plain output of ``funnelkit demo`` (run once for the module)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["demo"]) == 0
    return buffer.getvalue()


def test_demo_prints_the_total(demo_output: str) -> None:
    """The first line names the number of bundled leads."""
    assert demo_output.splitlines()[0].startswith("funnelkit demo: 2,500 leads")


@pytest.mark.parametrize("heading", HEADINGS)
def test_demo_prints_each_section(demo_output: str, heading: str) -> None:
    """Every section of the summary has its heading."""
    assert heading in demo_output


def test_demo_lists_sources_of_both_directions(demo_output: str) -> None:
    """Inbound and outbound channels both appear."""
    for channel in ("demo_request", "content_download", "purchased_list", "trade_show"):
        assert channel in demo_output


def test_demo_output_has_no_escape_codes_when_piped(demo_output: str) -> None:
    """Output that is not a terminal carries no ANSI escape sequences."""
    assert "\x1b[" not in demo_output


def test_demo_top_limits_ranked_rows(capsys: pytest.CaptureFixture[str]) -> None:
    """``--top`` limits the ranked sections and sums up the rest."""
    assert main(["demo", "--top", "2"]) == 0
    assert "(other: " in capsys.readouterr().out


def _leads() -> list[Lead]:
    at = datetime(2026, 10, 1, tzinfo=UTC)
    return [
        Lead(id="a", company=Company(country="DE"), contact=Contact(email="a@x.example")),
        Lead(id="b", company=Company(country="DE")),
        Lead(
            id="c",
            company=Company(country="FR"),
            signals=[Signal(kind="demo_request", occurred_at=at, explicit=True)],
        ),
        Lead(id="d"),
    ]


def test_completeness_counts_each_fact() -> None:
    """Completeness counts the leads that know each fact."""
    rows = {row[0]: row[1] for row in completeness_section(_leads(), 10).rows}
    assert set(rows) == {label for label, _ in COMPLETENESS}
    assert rows["has a contact"] == 1
    assert rows["has an e-mail address"] == 1
    assert rows["has a company"] == 3
    assert rows["has a hand-raise (explicit signal)"] == 1


def test_countries_rank_then_rest_then_unknown() -> None:
    """Ranked sections list the top values, one row for the rest and one for the unknown."""
    rows = countries_section(_leads(), 1).rows
    assert rows == (("DE", 2, "50.0%"), ("(other: 1)", 1, "25.0%"), ("(unknown)", 1, "25.0%"))


def test_summarize_builds_one_section_per_builder() -> None:
    """A custom list of builders gives exactly those sections."""
    sections = summarize(_leads(), sections=[countries_section, completeness_section])
    assert [s.title for s in sections] == ["Country", "Completeness"]
