"""``funnelkit demo``: the bundled leads qualified, the funnel, and the data summary."""

from __future__ import annotations

import contextlib
import importlib
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from funnelkit.cli import main
from funnelkit.cli._demo import (
    COMPLETENESS,
    completeness_section,
    countries_section,
    summarize,
)
from funnelkit.model import Company, Contact, Lead, Signal
from funnelkit.qualify import qualify_many

HEADINGS = (
    "Funnel (starter@1)",
    "Conversion",
    "Grade mix",
    "A lead the rules place in ",
    "A lead with missing data, and what to find out next",
    "Source channel",
    "Industry",
    "Country",
    "Completeness",
)


@pytest.fixture(scope="module")
def demo_run() -> tuple[str, list[bool]]:
    """``funnelkit demo``'s plain output, and the ``explain`` flag of each bulk run."""
    flags: list[bool] = []

    def spy(*args: Any, explain: bool = True, **kwargs: Any) -> Any:
        flags.append(explain)
        return qualify_many(*args, explain=explain, **kwargs)

    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(buffer):
        patch.setattr(importlib.import_module("funnelkit.qualify"), "qualify_many", spy)
        assert main(["demo"]) == 0
    return buffer.getvalue(), flags


@pytest.fixture(scope="module")
def demo_output(demo_run: tuple[str, list[bool]]) -> str:
    """The plain output of ``funnelkit demo`` (run once for the module)."""
    return demo_run[0]


@pytest.fixture(scope="module")
def explain_flags(demo_run: tuple[str, list[bool]]) -> list[bool]:
    """How the demo called ``qualify_many``: its ``explain`` argument, per call."""
    return demo_run[1]


def test_demo_prints_the_total(demo_output: str) -> None:
    """The first line names the number of bundled leads, the second the policy."""
    first, second = demo_output.splitlines()[:2]
    assert first.startswith("funnelkit demo: 2,500 leads")
    assert second == "qualified with the 'starter' preset (starter@1)"


@pytest.mark.parametrize("heading", HEADINGS)
def test_demo_prints_each_section(demo_output: str, heading: str) -> None:
    """Every section of the summary has its heading."""
    assert heading in demo_output


def _section(output: str, heading: str) -> list[str]:
    """The lines of one part of the output: from its heading to the next blank line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = lines.index("", start)
    return lines[start:end]


def test_demo_explains_a_sales_ready_lead(demo_output: str) -> None:
    """The first explained lead is sales-ready or an opportunity, with its scores."""
    lines = _section(demo_output, "A lead the rules place in ")
    assert lines[0].endswith(("Sales-Ready Lead", "Sales Opportunity"))
    assert re.match(r"L-\d{5}: (Sales-Ready Lead|Sales Opportunity) under starter@1", lines[2])
    assert any(line.startswith("  fit ") for line in lines)


def test_demo_explains_a_lead_with_missing_data(demo_output: str) -> None:
    """The second explained lead lacks data and says what to find out to move forward."""
    lines = _section(demo_output, "A lead with missing data")
    assert lines[1].startswith("  lacks: ")
    assert any(
        line.startswith("  find out ") and "could move the lead from" in line for line in lines
    )


def test_demo_qualifies_without_explaining(explain_flags: list[bool]) -> None:
    """The demo qualifies the 2,500 leads in one run without explanations (they are slow)."""
    assert explain_flags == [False]


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
