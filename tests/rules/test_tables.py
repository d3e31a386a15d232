"""Decision tables: hit policies, defaults, and rows whose condition is UNKNOWN."""

from __future__ import annotations

import pytest

from funnelkit.model import Company, Lead
from funnelkit.rules import F, RuleEvaluationError, decision_table, evaluate

BIG = Lead(company=Company(employees=2000, country="US"))
MID = Lead(company=Company(employees=300, country="DE"))
SMALL = Lead(company=Company(employees=20))
EMPTY = Lead()
ROWS = [
    (F.company.employees >= 1000, "enterprise"),
    (F.company.employees >= 100, "mid"),
    (F.company.country == "US", "us"),
]


@pytest.mark.parametrize(
    ("lead", "expected"), [(BIG, "enterprise"), (MID, "mid"), (SMALL, "smb"), (EMPTY, "smb")]
)
def test_first_returns_the_first_true_row(ev, lead, expected):
    """'first' gives the output of the first row whose condition is TRUE."""
    assert ev(decision_table(ROWS, default="smb"), lead) == expected


def test_first_without_default_is_missing(ev):
    """With no matching row and no default the output is missing."""
    assert ev(decision_table(ROWS), SMALL) is None


def test_unknown_row_is_skipped(ev):
    """A row whose condition is UNKNOWN does not match; later rows still can."""
    table = decision_table([(F.company.country == "US", 1), (F.company.employees >= 10, 2)])
    assert ev(table, SMALL) == 2


def test_unknown_rows_fall_through_to_default(ev):
    """When every row is UNKNOWN the default is the output."""
    assert ev(decision_table(ROWS, default="smb"), EMPTY) == "smb"


def test_unique_with_one_match(ev):
    """'unique' gives the output of its only TRUE row."""
    table = decision_table(ROWS[:2], hit_policy="unique", default="smb")
    assert ev(table, MID) == "mid"


def test_unique_with_no_match_gives_default(ev):
    """'unique' with no TRUE row gives the default."""
    assert ev(decision_table(ROWS, hit_policy="unique", default="smb"), SMALL) == "smb"


def test_unique_with_overlapping_rows_is_an_error(as_of):
    """'unique' with two TRUE rows raises RuleEvaluationError."""
    table = decision_table(ROWS, hit_policy="unique")
    with pytest.raises(RuleEvaluationError, match="3 rows match a 'unique' decision table"):
        evaluate(table, BIG, as_of=as_of)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [(BIG, ("enterprise", "mid", "us")), (MID, ("mid",)), (SMALL, ()), (EMPTY, ())],
)
def test_collect_gives_every_true_output_in_order(ev, lead, expected):
    """'collect' gives the outputs of all TRUE rows, in row order."""
    assert ev(decision_table(ROWS, hit_policy="collect"), lead) == expected


NUMBERS = [
    (F.company.employees >= 1000, 30),
    (F.company.employees >= 100, 20),
    (F.company.country == "US", 5),
]


@pytest.mark.parametrize(("lead", "expected"), [(BIG, 55), (MID, 20), (SMALL, 0), (EMPTY, 0)])
def test_collect_sum_adds_true_outputs(ev, lead, expected):
    """'collect_sum' adds the outputs of the TRUE rows (default when none)."""
    assert ev(decision_table(NUMBERS, hit_policy="collect_sum", default=0), lead) == expected


@pytest.mark.parametrize(("lead", "expected"), [(BIG, 30), (MID, 20), (SMALL, -1)])
def test_collect_max_takes_the_largest_true_output(ev, lead, expected):
    """'collect_max' gives the largest output of the TRUE rows (default when none)."""
    assert ev(decision_table(NUMBERS, hit_policy="collect_max", default=-1), lead) == expected


def test_outputs_may_be_rule_values(ev):
    """A row's output can be a value node, evaluated only when the row matches."""
    table = decision_table([(F.company.employees >= 1000, F.company.employees * 2)], default=0)
    assert ev(table, BIG) == 4000


def test_tables_compose_with_comparisons(ev):
    """A table is a value: it can be compared like any other."""
    table = decision_table(NUMBERS, hit_policy="collect_sum", default=0)
    assert ev(table >= 50, BIG).is_true
