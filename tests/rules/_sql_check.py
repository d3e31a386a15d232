"""Helpers of the SQL engine tests: leads to tables, and a cell-by-cell comparison."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import assume

from funnelkit.io import leads_to_tables
from funnelkit.model import Lead
from funnelkit.rules import Expr, Truth, UnsupportedRuleError, evaluate, evaluate_table
from funnelkit.rules.tree import Matches, RuleSet, TextTest, walk


def with_ids(leads: list[Lead]) -> list[Lead]:
    """The leads with unique ids, no custom evidence and text-only custom attributes."""
    out = []
    for index, lead in enumerate(leads):
        custom = {k: v for k, v in lead.custom.items() if isinstance(v, str)}
        out.append(attrs.evolve(lead, id=f"L{index}", custom_evidence=(), custom=custom))
    return out


def cell(value: object) -> object:
    """A reference result as a table cell: Truths as booleans or None."""
    if isinstance(value, Truth):
        return None if value is Truth.UNKNOWN else value is Truth.TRUE
    return value


def same_cell(expected: object, got: object) -> bool:
    """Equal cells: numbers by value (exactly), floats exactly or both NaN."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | Decimal | float) and isinstance(got, int | Decimal | float):
        if isinstance(expected, float) and math.isnan(expected):
            return isinstance(got, float) and math.isnan(got)
        return Decimal(expected) == Decimal(got)
    if isinstance(expected, datetime) and isinstance(got, datetime):
        return expected == got
    return expected == got


def _text_caveat(rule: Expr, leads: list[Lead]) -> bool:
    """Rules whose text tests meet non-ASCII text or line breaks (documented caveats)."""
    if not any(isinstance(n, Matches | TextTest) for n in walk(rule)):
        return False
    tables = leads_to_tables(leads).leads
    for name, dtype in tables.schema.items():
        if str(dtype) == "String":
            for value in tables[name]:
                if value is not None and (not value.isascii() or "\n" in value or "\r" in value):
                    return True
    return False


def check(rule: Expr, leads: list[Lead], as_of: datetime) -> int:
    """DuckDB gives the interpreter's results for every lead, cell for cell.

    Returns how many cells were compared; examples whose reference raises, or whose
    rule SQL cannot run (``UnsupportedRuleError``), are rejected.
    """
    leads = with_ids(leads)
    expected: list[Any] = []
    for lead in leads:
        try:
            expected.append(evaluate(rule, lead, as_of=as_of))
        except Exception:
            assume(False)
    assume(not _text_caveat(rule, leads))
    tables = leads_to_tables(leads)
    try:
        frame = evaluate_table(rule, tables, as_of=as_of)
    except UnsupportedRuleError:
        assume(False)
        raise
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    assert len(rows) == len(leads)
    compared = 0
    for lead, result in zip(leads, expected, strict=True):
        outputs = result if isinstance(rule, RuleSet) else {"value": result}
        for name, value in outputs.items():
            got = rows[lead.id][name]
            assert same_cell(cell(value), got), (lead.id, name, value, got)
            compared += 1
    return compared
