"""Funnel tables: stages, conversion, grade grid, scores, breakdowns, velocity, leakage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.analytics import (
    LIST_ENTRY,
    UNKNOWN,
    breakdown,
    conversion,
    funnel,
    grade_grid,
    lead_value,
    leakage,
    qualified_rows,
    score_distribution,
    velocity,
)
from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.io import qualifications_frame
from funnelkit.model import Lead, LeadSource, StageChange
from funnelkit.qualify import STARTER, qualify_many
from funnelkit.testing import leads

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
Rows = tuple[dict[str, Any], ...]


def at(day: int) -> datetime:
    """Noon on a day of October 2026."""
    return datetime(2026, 10, day, 12, tzinfo=UTC)


def test_funnel_of_the_demo_matches_what_the_demo_prints(demo_rows: Rows) -> None:
    """The demo's stage counts (as the CLI docs show them) come from ``funnel``."""
    table = funnel(demo_rows, STARTER)
    counts = dict(zip(table.column("stage"), table.column("leads"), strict=True))
    assert counts["Inquiry"] == 839
    assert counts["Sales Opportunity"] == 63
    assert counts[LIST_ENTRY] == 857


def test_conversion_of_the_demo_matches_what_the_demo_prints(demo_rows: Rows) -> None:
    """Reached-at-least counts, with history: 1,643 inquiries, 128 opportunities."""
    table = conversion(demo_rows, STARTER)
    assert table.column("leads") == (1643, 793, 318, 128)
    assert table.column("of the stage before")[0] is None


def test_conversion_without_history_counts_only_the_current_stage(demo_rows: Rows) -> None:
    """Rows without a ``history`` column (plain qualification rows) still work."""
    plain = [{k: v for k, v in row.items() if k != "history"} for row in demo_rows]
    assert conversion(plain, STARTER).column("leads")[0] <= 1643


def test_a_polars_frame_gives_the_same_tables(demo_rows: Rows) -> None:
    """Frames in: a polars DataFrame of the results reads like the row dicts."""
    results = list(qualify_many(load_demo(), STARTER, as_of=DEMO_AS_OF, explain=False))
    frame = qualifications_frame(results)
    assert funnel(frame, STARTER) == funnel(demo_rows, STARTER)
    assert grade_grid(frame, STARTER) == grade_grid(demo_rows, STARTER)
    assert score_distribution(frame, "fit") == score_distribution(demo_rows, "fit")


@examples(15, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(leads(), max_size=12))
def test_tables_sum_to_the_input_count(sample: list[Lead]) -> None:
    """Funnel, grid, distributions and breakdowns count every lead exactly once."""
    rows = qualified_rows(sample, STARTER, as_of=AS_OF)
    n = len(sample)
    assert sum(funnel(rows, STARTER).column("leads")) == n  # type: ignore[arg-type]
    assert grade_grid(rows, STARTER).rows[-1][-1] == n
    for score in ("fit", "engagement"):
        assert sum(score_distribution(rows, score).column("leads")) == n  # type: ignore[arg-type]
    assert sum(breakdown(rows, "source.channel", STARTER).column("leads")) == n  # type: ignore[arg-type]
    reached = conversion(rows, STARTER).column("leads")
    assert list(reached) == sorted(reached, reverse=True)  # type: ignore[type-var]


def test_grade_grid_has_totals(demo_rows: Rows) -> None:
    """The grid's last row and column are totals, and the corner is every lead."""
    table = grade_grid(demo_rows, STARTER)
    assert table.rows[-1][-1] == 2500
    assert [row[0] for row in table.rows] == ["fit A", "fit B", "fit C", "fit D", "all"]
    for row in table.rows:
        assert sum(row[1:-1]) == row[-1]  # type: ignore[arg-type]


def test_score_distribution_bands_hold_negative_scores() -> None:
    """Negative engagement falls in its own band below zero, not in [0, 10)."""
    rows = [{"fit": -15}, {"fit": 0}, {"fit": 99.5}]
    table = score_distribution(rows, "fit")
    assert table.rows[0] == ("[-20, -10)", 1, 1 / 3)
    assert table.column("band")[-1] == "[90, 100)"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: score_distribution([{"fit": 1}], "fit", width=0),
            "width: expected a number > 0, got 0",
        ),
        (lambda: score_distribution([{"fit": 1}], "nope"), "no score column 'nope'"),
        (lambda: breakdown([{"fit": 1}], "nope", STARTER), "no column 'nope'"),
    ],
)
def test_bad_arguments_name_the_option_and_value(call: Any, message: str) -> None:
    """A bad width or an unknown column is named in the error."""
    with pytest.raises((ValueError, KeyError), match=message):
        call()


def test_breakdown_keeps_unknown_values_as_their_own_row(demo_rows: Rows) -> None:
    """Leads without an industry are a row of their own, last."""
    table = breakdown(demo_rows, "company.industry", STARTER)
    assert table.rows[-1][0] == UNKNOWN
    assert table.rows[-1][1] == sum(1 for r in demo_rows if r["company.industry"] is None)


def test_lead_value_reads_paths_custom_fields_and_enums() -> None:
    """Dotted paths, ``custom.x`` and enum values; a missing part gives ``None``."""
    lead = Lead(id="x", custom={"tier": "gold"}, source=LeadSource(direction="inbound"))
    assert lead_value(lead, "custom.tier") == "gold"
    assert lead_value(lead, "source.direction") == "inbound"
    assert lead_value(lead, "company.industry") is None
    with pytest.raises(AttributeError, match=r"'source\.nope': LeadSource has no 'nope'"):
        lead_value(lead, "source.nope")


HISTORY = (
    StageChange(at=at(1), to_stage="inquiry"),
    StageChange(at=at(3), to_stage="profiled", from_stage="inquiry"),
    StageChange(at=at(10), to_stage="disqualified", from_stage="profiled", reason="duplicate"),
)


def test_velocity_measures_stays_between_changes_and_open_ones_to_as_of() -> None:
    """Inquiry lasted 2 days, profiled 7; the disqualified stay is still open."""
    table = velocity([Lead(id="a", stage_history=HISTORY), Lead(id="b")], STARTER, as_of=at(20))
    rows = {row[0]: row for row in table.rows}
    assert rows["Inquiry"][1:6] == (1, 1, 0, 2.0, 2.0)
    assert rows["Profiled Lead"][4] == 7.0
    assert rows["Disqualified"][3] == 1
    assert rows["Disqualified"][6] == 10.0


def test_leakage_counts_moves_out_by_reason() -> None:
    """A disqualification names where from and why; won moves are not leakage."""
    won = (
        StageChange(at=at(1), to_stage="sales_opportunity"),
        StageChange(at=at(2), to_stage="customer", from_stage="sales_opportunity"),
    )
    table = leakage([Lead(id="a", stage_history=HISTORY), Lead(id="b", stage_history=won)], STARTER)
    assert table.rows == (("Disqualified", "disqualified", "Profiled Lead", "duplicate", 1, 1.0),)
