"""Records in and out: the record format, loaders for JSONL/JSON/CSV, column mappings.

Every model object has one JSON shape, the *record format* (see the reference page):
attribute names as keys, nested objects as nested dicts, enums as their values, sets as
sorted lists, datetimes as ISO 8601 strings with an offset, decimals as strings, and
attributes equal to their default left out.

Input is checked at this boundary. A bad record raises (or, when collecting, yields) one
[`RecordError`][funnelkit.errors.RecordError] that lists every problem in it with the
record number, its id, the field path and the offending value; nothing is coerced
silently and unknown keys are reported, never dropped.

Examples:
    >>> from funnelkit.io import read_leads
    >>> result = read_leads([{"id": "L-1", "contact": {"seniority": "vp"}},
    ...                      {"id": "L-2", "contact": {"seniority": "VP"}}],
    ...                     on_error="collect")
    >>> result.total, result.leads[0].id
    (2, 'L-1')
    >>> print(result.errors[0].problems[0].path, result.errors[0].problems[0].value)
    contact.seniority VP
"""

from funnelkit.io._columns import Column, SignalColumn
from funnelkit.io._contract import contract_schema, leads_to_tables, tables_to_leads
from funnelkit.io._converter import converter, from_json, structure, to_json, unstructure
from funnelkit.io._frames import qualification_row, qualification_rows, qualifications_frame
from funnelkit.io._limits import ReadLimits
from funnelkit.io._mapping import ColumnMapping
from funnelkit.io._presets import HUBSPOT_MAPPING, SALESFORCE_MAPPING
from funnelkit.io._readers import LoadResult, iter_leads, lead_from_dict, read_leads, write_jsonl
from funnelkit.io._readtables import read_tables
from funnelkit.io._suggest import suggest_mapping
from funnelkit.io._tables import LeadTables

__all__ = [
    "ReadLimits",
    # the record format
    "converter",
    "unstructure",
    "structure",
    "to_json",
    "from_json",
    # leads in and out
    "lead_from_dict",
    "read_leads",
    "iter_leads",
    "LoadResult",
    "write_jsonl",
    # the table contract, for columnar engines
    "read_tables",
    "LeadTables",
    "leads_to_tables",
    "tables_to_leads",
    "contract_schema",
    # qualifications out
    "qualification_row",
    "qualification_rows",
    "qualifications_frame",
    # foreign columns
    "ColumnMapping",
    "Column",
    "SignalColumn",
    "suggest_mapping",
    "HUBSPOT_MAPPING",
    "SALESFORCE_MAPPING",
]
