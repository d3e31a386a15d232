"""Fuzzing with Hypothesis: the condition parser, the policy loader and the record loaders.

Whatever the input, each raises a FunnelkitError or returns: never a bare builtin, a
RecursionError or a MemoryError, and never a lost good record. The budgets follow the
suite's profiles (``ci`` in the everyday run, ``thorough`` on demand).
"""

from __future__ import annotations

import contextlib
import io
import json

from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.errors import FunnelkitError
from funnelkit.io import ReadLimits, read_leads
from funnelkit.policy import loads_policy
from funnelkit.rules import parse_rule

TOKENS = [
    "company.employees", "contact.seniority", "signals", "count(", "score(", "rule_set(",
    "decimal(", "float(", "money(", "ref(", "case", "when", "then", "end", "and", "or", "not",
    "between", "isin", "matches", "contains", "within", "days", "where", "kind", "=", ">",
    ">=", "<", "-", "+", "*", "/", "(", ")", "[", "]", ",", ":", '"', '"vp"', "1", "1e30",
    "0.5", '"NaN"', '"sNaN"', '"inf"', "\x00", "\u202e", "\ud800", "a" * 50, " ",
]  # fmt: skip
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@examples(200, suppress_health_check=SLOW)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join) | st.text(max_size=200))
def test_the_condition_parser_raises_only_funnelkit_errors(text):
    """Any text parses or raises a FunnelkitError."""
    with contextlib.suppress(FunnelkitError):
        parse_rule(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=30,
)  # fmt: skip
KEYS = st.sampled_from(
    ["version", "metadata", "funnel", "stages", "fit", "icp", "engagement", "grades",
     "definitions", "frameworks", "priority", "name"]
)  # fmt: skip
DOCUMENTS = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 2, "1", None]), "metadata": st.just({"name": "fuzz"})},
    optional=dict.fromkeys(["funnel", "stages", "fit", "icp", "engagement", "grades", "definitions", "frameworks", "priority"], JSON),
)  # fmt: skip


@examples(100, suppress_health_check=SLOW)
@given(DOCUMENTS | st.dictionaries(KEYS, JSON, max_size=6))
def test_the_policy_loader_raises_only_funnelkit_errors_on_documents(document):
    """Any JSON document loads or raises a FunnelkitError."""
    with contextlib.suppress(FunnelkitError):
        loads_policy(json.dumps(document), format="json")


@examples(100, suppress_health_check=SLOW)
@given(st.text(max_size=300))
def test_the_policy_loader_raises_only_funnelkit_errors_on_text(text):
    """Any text, read as YAML, loads or raises a FunnelkitError."""
    with contextlib.suppress(FunnelkitError):
        loads_policy("version: 1\nmetadata: {name: fuzz}\n" + text)


GOOD = b'{"id": "G-1"}\n'


@examples(150, suppress_health_check=SLOW)
@given(st.binary(max_size=300), st.sampled_from(["jsonl", "csv", "json"]))
def test_record_loaders_raise_only_funnelkit_errors(data, fmt):
    """Any bytes, in any format, read or raise a FunnelkitError (a bad CSV header)."""
    try:
        result = read_leads(
            io.BytesIO(data), format=fmt, on_error="collect", limits=ReadLimits(max_line_chars=200)
        )
    except FunnelkitError:
        return
    assert result.total == len(result.leads) + len(result.errors)


@examples(150, suppress_health_check=SLOW)
@given(st.binary(max_size=200).filter(lambda b: b"\n" not in b and b"\r" not in b))
def test_one_bad_jsonl_line_never_loses_its_neighbours(line):
    """Whatever one line holds, the good lines around it are read."""
    data = GOOD + line + b"\n" + GOOD.replace(b"G-1", b"G-3")
    result = read_leads(io.BytesIO(data), format="jsonl", on_error="collect")
    ids = [lead.id for lead in result.leads]
    assert ids[0] == "G-1"
    assert ids[-1] == "G-3"
