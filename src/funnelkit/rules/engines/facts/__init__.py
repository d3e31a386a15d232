"""Explain's unknown facts over columns, stated once for every columnar engine.

``FactWalker`` states what the explain steps record for one lead (the facts of every
node) and ``Directed`` what explain's directions read off that record (which facts could
make a node TRUE or FALSE, and how far they could move a number), both as conditions per
field path over an engine's columns. An engine hands them its columns through ``Ops``:
polars (``funnelkit.rules.engines.polars``) and SQL (``funnelkit.rules.engines.sql``)
each implement it once. The property tests hold both to explain, lead by lead.
"""

from funnelkit.rules.engines.facts._directed import Directed, output_facts
from funnelkit.rules.engines.facts._dirs import Dir, Moves
from funnelkit.rules.engines.facts._ops import (
    Column,
    Ops,
    Paths,
    Value,
    decimal_units,
    weight_units,
)
from funnelkit.rules.engines.facts._walk import FactWalker, Found, Table

__all__ = [
    "Column",
    "Dir",
    "Directed",
    "FactWalker",
    "Found",
    "Moves",
    "Ops",
    "Paths",
    "Table",
    "Value",
    "decimal_units",
    "output_facts",
    "weight_units",
]
