"""What callers pass that funnelkit cannot take raises a FunnelkitError that is also the builtin."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

import funnelkit as fk
from funnelkit.errors import (
    FunnelkitError,
    InvalidArgumentError,
    PolicyError,
    SourceNotFoundError,
)
from funnelkit.io import iter_leads, read_leads
from funnelkit.policy import diff_policies, load_document, load_policy, loads_document, loads_policy
from funnelkit.rules import parse_condition, parse_rule

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
LEAD = fk.Lead(id="L-1")

# fmt: off
CASES = [
    pytest.param(lambda: read_leads(None), TypeError, r"source must be a path.*got NoneType", id="read-none"),
    pytest.param(lambda: read_leads(3), TypeError, r"source must be a path.*got int", id="read-int"),
    pytest.param(lambda: read_leads({"id": "x"}), TypeError, r"for one record, use lead_from_dict", id="read-dict"),
    pytest.param(lambda: read_leads(b"id\n1\n"), TypeError, r"got bytes", id="read-bytes"),
    pytest.param(lambda: read_leads([], format="csv"), ValueError, r"format is for files", id="read-format-iterable"),
    pytest.param(lambda: read_leads([], format="xml"), ValueError, r"format must be 'jsonl', 'json' or 'csv'", id="read-format-unknown"),
    pytest.param(lambda: read_leads([], on_error="skip"), ValueError, r"on_error must be 'raise' or 'collect'", id="read-on-error"),
    pytest.param(lambda: read_leads("leads.txt"), ValueError, r"cannot tell the format of 'leads.txt'", id="read-suffix"),
    pytest.param(lambda: list(iter_leads(None)), TypeError, r"source must be a path", id="iter-none"),
    pytest.param(lambda: parse_rule(5), TypeError, r"expected the text of a rule, got 5", id="parse-int"),
    pytest.param(lambda: parse_rule(None), TypeError, r"expected the text of a rule, got None", id="parse-none"),
    pytest.param(lambda: parse_rule(b"company.employees > 5"), TypeError, r"expected the text of a rule, got b'", id="parse-bytes"),
    pytest.param(lambda: parse_condition(["x"]), TypeError, r"expected the text of a rule", id="parse-condition-list"),
    pytest.param(lambda: loads_policy(b"version: 1"), TypeError, r"text must be the policy as a str, got bytes \(decode bytes first", id="loads-bytes"),
    pytest.param(lambda: loads_policy(None), TypeError, r"text must be the policy as a str, got NoneType", id="loads-none"),
    pytest.param(lambda: loads_document(b"{}", format="json"), TypeError, r"got bytes", id="loads-document-bytes"),
    pytest.param(lambda: load_policy(None), TypeError, r"path must be a file name or path, got NoneType", id="load-none"),
    pytest.param(lambda: load_document(3), TypeError, r"path must be a file name or path, got int", id="load-document-int"),
    pytest.param(lambda: diff_policies(None, fk.STARTER), TypeError, r"old must be a Policy or a PolicyDocument, got NoneType", id="diff-none-old"),
    pytest.param(lambda: diff_policies(fk.STARTER, "starter"), TypeError, r"new must be a Policy or a PolicyDocument, got str", id="diff-str-new"),
    pytest.param(lambda: fk.qualify(LEAD, fk.STARTER, as_of=datetime(2026, 5, 1)), TypeError, r"as_of must be a timezone-aware datetime", id="qualify-naive"),
    pytest.param(lambda: fk.qualify(LEAD, fk.STARTER, as_of="2026-05-01"), TypeError, r"as_of must be a timezone-aware datetime, got '2026-05-01'", id="qualify-str-as-of"),
    pytest.param(lambda: fk.qualify("not a lead", fk.STARTER, as_of=AS_OF), TypeError, r"lead must be a Lead, got str \(read records", id="qualify-str-lead"),
    pytest.param(lambda: fk.qualify({"id": "x"}, fk.STARTER, as_of=AS_OF), TypeError, r"lead must be a Lead, got dict", id="qualify-dict-lead"),
    pytest.param(lambda: fk.qualify(None, fk.STARTER, as_of=AS_OF), TypeError, r"lead must be a Lead, got NoneType", id="qualify-none-lead"),
    pytest.param(lambda: fk.qualify(LEAD, "starter", as_of=AS_OF), TypeError, r"policy must be a Policy, got str \(load a file", id="qualify-str-policy"),
    pytest.param(lambda: list(fk.qualify_many([LEAD, "x"], fk.STARTER, as_of=AS_OF)), TypeError, r"lead must be a Lead, got str", id="qualify-many-str"),
    pytest.param(lambda: list(fk.qualify_many([LEAD], fk.STARTER, as_of=datetime(2026, 5, 1))), TypeError, r"as_of must be a timezone-aware", id="qualify-many-naive"),
    pytest.param(lambda: fk.explain(LEAD, fk.STARTER, as_of=datetime(2026, 5, 1)), TypeError, r"timezone-aware", id="explain-naive"),
]
# fmt: on


@pytest.mark.parametrize(("call", "builtin", "match"), CASES)
def test_bad_arguments_raise_a_funnelkit_error_that_is_the_builtin(call, builtin, match):
    """Each bad argument raises InvalidArgumentError, also the builtin the caller expects."""
    with pytest.raises(InvalidArgumentError, match=match) as info:
        call()
    assert isinstance(info.value, builtin)
    assert info.value.code == "invalid-argument"
    assert info.value.path


def test_a_missing_lead_file_is_a_source_error_and_a_file_not_found_error(tmp_path):
    """read_leads of a missing file raises SourceNotFoundError, also a FileNotFoundError."""
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(FileNotFoundError, match=r"missing\.jsonl: No such file") as info:
        read_leads(missing)
    assert isinstance(info.value, SourceNotFoundError)
    assert (info.value.code, info.value.location) == ("source-not-found", str(missing))


def test_a_directory_is_a_source_error(tmp_path):
    """read_leads of a directory named like a file raises SourceError (an OSError)."""
    folder = tmp_path / "leads.csv"
    folder.mkdir()
    with pytest.raises(OSError, match=r"leads\.csv") as info:
        read_leads(folder)
    assert isinstance(info.value, FunnelkitError)


def test_argument_errors_pickle():
    """InvalidArgumentError and SourceNotFoundError survive pickling (process pools)."""
    for err in (
        InvalidArgumentError("x must be y, got 3", argument="x", value=3),
        SourceNotFoundError("no such file", file="a.csv"),
    ):
        back = pickle.loads(pickle.dumps(err))
        assert (type(back), str(back), back.as_dict()) == (type(err), str(err), err.as_dict())


def test_policy_error_is_the_root_of_policy_file_error():
    """PolicyFileError is a PolicyError: one except clause catches both meanings."""
    from funnelkit.policy import PolicyFileError
    from funnelkit.qualify import PolicyError as FromQualify

    assert FromQualify is PolicyError
    assert issubclass(PolicyFileError, PolicyError)
    with pytest.raises(PolicyError) as info:
        loads_policy('{"version": 1, "metadata": {"name": "x"}, "funnel": "startr"}', format="json")
    assert info.value.code == "policy-file"
    assert (info.value.path, info.value.value) == ("funnel", "startr")
    assert info.value.location == "<text>:1:54"
