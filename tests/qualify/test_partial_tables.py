"""A leads table with only some of the contract's columns: the others read as missing.

Both columnar engines must give what ``qualify`` gives for the leads ``tables_to_leads``
reads from the same table (a field it lacks is missing, a list empty, an optional object
present where any of its columns holds a value).
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.data import DEMO_AS_OF, load_demo

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from funnelkit.io import LeadTables, leads_to_tables, tables_to_leads  # noqa: E402
from funnelkit.qualify import (  # noqa: E402
    BANT_GATED,
    STARTER,
    WATERFALL,
    Policy,
    qualify,
    qualify_table,
    result_row,
)

TABLES = leads_to_tables(load_demo()[:120])
_GROUPS: list[tuple[str, ...]] = []
for _name in TABLES.leads.columns:
    if _name in ("id", "stage", "stage_entered_at") or _name.endswith(".currency"):
        continue
    if _name.endswith(".amount"):
        _GROUPS.append((_name, _name.removesuffix(".amount") + ".currency"))
    else:
        _GROUPS.append((_name,))
_GROUPS.append(("stage", "stage_entered_at"))


def _rows(part: Any, policy: Policy) -> list[dict[str, Any]]:
    leads = tables_to_leads(LeadTables(leads=part, signals=TABLES.signals))
    return [result_row(qualify(lead, policy, as_of=DEMO_AS_OF)) for lead in leads]


@examples(6)
@given(
    st.lists(st.sampled_from(_GROUPS), unique=True, max_size=len(_GROUPS)),
    st.sampled_from([STARTER, WATERFALL, BANT_GATED]),
)
def test_missing_columns_read_as_missing_in_every_engine(
    dropped: list[tuple[str, ...]], policy: Policy
) -> None:
    part = TABLES.leads.drop([name for group in dropped for name in group])
    want = _rows(part, policy)
    for engine in ("polars", "duckdb"):
        got = qualify_table(part, TABLES.signals, policy, as_of=DEMO_AS_OF, engine=engine)
        assert got.to_dicts() == want, engine


@pytest.mark.parametrize("policy", [STARTER, WATERFALL, BANT_GATED], ids=lambda p: str(p.name))
def test_lists_of_an_absent_object_are_missing(policy: Policy) -> None:
    """A list column the table lacks is empty for a lead with its object, missing without.

    A lead without a contact has no buying roles to test (the criterion is unknown), as
    ``tables_to_leads`` reads it; one with a contact has none (it is unmet).
    """
    demo = list(load_demo()[:80])
    demo[1::4] = [attrs.evolve(lead, contact=None) for lead in demo[1::4]]
    demo[2::4] = [attrs.evolve(lead, company=None) for lead in demo[2::4]]
    tables = leads_to_tables(demo)
    lists = ("contact.buying_roles", "company.technologies", "company.tags")
    # BANT gated: the presence columns dropped too (read from the other columns)
    dropped = (*lists, "contact", "company") if policy is BANT_GATED else lists
    part = tables.leads.drop(dropped)
    want = _rows(part, policy)
    for engine in ("polars", "duckdb"):
        got = qualify_table(part, tables.signals, policy, as_of=DEMO_AS_OF, engine=engine)
        assert got.to_dicts() == want, engine


def test_a_table_of_ids_alone_is_qualified() -> None:
    part = TABLES.leads.select("id")
    want = _rows(part, STARTER)
    got = qualify_table(part, None, STARTER, as_of=DEMO_AS_OF, engine="duckdb")
    assert [r["fit"] for r in got.to_dicts()] == [r["fit"] for r in want]


@pytest.mark.parametrize("absent", ["column", "null"])
@pytest.mark.parametrize("policy", [STARTER, WATERFALL])
def test_an_amount_without_its_currency_is_in_the_default_currency(
    absent: str, policy: Policy
) -> None:
    """An amount whose currency column is missing or empty is in USD, as a loaded record is."""
    currencies = [name for name in TABLES.leads.columns if name.endswith(".currency")]
    if absent == "column":
        part = TABLES.leads.drop(currencies)
    else:
        part = TABLES.leads.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in currencies)
    want = _rows(part, policy)
    assert any(row["fit"] for row in want)
    for engine in ("polars", "duckdb"):
        got = qualify_table(part, TABLES.signals, policy, as_of=DEMO_AS_OF, engine=engine)
        assert got.to_dicts() == want, engine
