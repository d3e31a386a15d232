"""Bad records: every problem is reported with record number, id, path and value."""

import re

import pytest

from funnelkit.errors import FieldTypeError, RecordError
from funnelkit.io import lead_from_dict

BAD_RECORDS = [
    # (record, path, value as shown, words from the expectation)
    ({"company": {"employees": -3}}, "company.employees", "-3 (int)", "int >= 0"),
    ({"company": {"employees": "12"}}, "company.employees", "'12' (str)", "int"),
    ({"company": {"employees": 12.0}}, "company.employees", "12.0 (float)", "int"),
    ({"company": {"employees": True}}, "company.employees", "True (bool)", "int"),
    ({"company": {"employes": 12}}, "company.employes", "12 (int)", "did you mean 'employees'?"),
    ({"company": {"country": "Germany"}}, "company.country", "'Germany' (str)", "ISO 3166-1"),
    ({"company": {"technologies": "aws"}}, "company.technologies", "'aws' (str)", "a list of str"),
    ({"company": {"technologies": ["aws", 3]}}, "company.technologies[1]", "3 (int)", "str"),
    ({"company": "Acme"}, "company", "'Acme' (str)", "an object with the fields of Company"),
    (
        {"company": {"annual_revenue": {"amount": "lots"}}},
        "company.annual_revenue.amount",
        "'lots' (str)",
        "a finite decimal number",
    ),
    (
        {"company": {"annual_revenue": {"amount": "NaN"}}},
        "company.annual_revenue.amount",
        "'NaN' (str)",
        "a finite decimal number",
    ),
    (
        {"company": {"annual_revenue": {"amount": 1, "currency": "usd"}}},
        "company.annual_revenue.currency",
        "'usd' (str)",
        "ISO 4217",
    ),
    (
        {"contact": {"email": "nope"}},
        "contact.email",
        "'<redacted>' (str)",
        "an e-mail address",
    ),  # personal data is redacted
    ({"contact": {"seniority": "VP"}}, "contact.seniority", "'VP' (str)", "did you mean 'vp'?"),
    (
        {"contact": {"buying_roles": ["champ"]}},
        "contact.buying_roles[0]",
        "'champ' (str)",
        "did you mean 'champion'?",
    ),
    ({"contact": {"opted_out": "yes"}}, "contact.opted_out", "'yes' (str)", "true or false"),
    (
        {
            "signals": [
                {"kind": "x", "occurred_at": "2026-05-01T10:00:00Z"},
                {"kind": "x", "occurred_at": "2026-05-01T10:00:00Z"},
                {"kind": "x", "occurred_at": "2026-05-01T10:00:00"},
            ]
        },
        "signals[2].occurred_at",
        "'2026-05-01T10:00:00' (str)",
        "never guessed",
    ),
    (
        {"signals": [{"occurred_at": "2026-05-01T10:00:00Z"}]},
        "signals[0].kind",
        "nothing (missing)",
        "the field is required",
    ),
    (
        {"signals": [{"kind": "x", "occurred_at": "May 1"}]},
        "signals[0].occurred_at",
        "'May 1' (str)",
        "ISO 8601",
    ),
    ({"signals": {"kind": "x"}}, "signals", "{'kind': 'x'} (dict)", "a list of Signal"),
    (
        {"bant": {"timeline": {"decision_date": "2026-13-01"}}},
        "bant.timeline.decision_date",
        "'2026-13-01' (str)",
        "ISO 8601 date",
    ),
    (
        {"bant": {"budget": {"status": "approve"}}},
        "bant.budget.status",
        "'approve' (str)",
        "did you mean 'approved'?",
    ),
    ({"custom": {"nested": {"a": 1}}}, "custom.nested", "{'a': 1} (dict)", "a str, number"),
    ({"custom": {"list": [1, [2]]}}, "custom.list[1]", "[2] (list)", "a str, number"),
    ({"source": {"direction": "in"}}, "source.direction", "'in' (str)", "one of"),
    ({"id": ""}, "id", "'' (str)", "a non-empty str"),
    ({"opted_out": False}, "opted_out", "False (bool)", "a known field of Lead"),
    ({"company.employees": 5}, "company.employees", "5 (int)", "nest the object in JSON"),
    (
        {
            "stage_history": [
                {"at": "2026-05-02T00:00:00Z", "to_stage": "a"},
                {"at": "2026-05-01T00:00:00Z", "to_stage": "b", "from_stage": "a"},
            ]
        },
        "stage_history[1].at",
        "(datetime)",
        "a time at or after",
    ),
]


@pytest.mark.parametrize(("record", "path", "shown", "expected"), BAD_RECORDS)
def test_bad_record_names_number_id_path_and_value(record, path, shown, expected):
    """Each bad field is reported as: lead N (id ...): $.path: expected ..., got value."""
    record = {"id": "L-7", **record} if "id" not in record else record
    record_id = record["id"]
    where = re.escape(f"lead 7 (id {record_id!r}): $.{path}: expected ")
    pattern = f"{where}.*{re.escape(expected)}.*got .*{re.escape(shown)}"
    with pytest.raises(RecordError, match=pattern) as info:
        lead_from_dict(record, number=7)
    assert info.value.record == 7
    assert path in [p.path for p in info.value.problems]


def test_every_problem_of_a_record_is_listed():
    """Problems in several fields (nested, listed, unknown) all come in one error."""
    record = {
        "id": "L-3",
        "company": {"employees": -1, "country": "usa", "nmae": "Acme"},
        "contact": {"email": "x"},
        "signals": [{"kind": "", "occurred_at": "2026-01-01T00:00:00"}],
        "extra": 1,
    }
    with pytest.raises(RecordError) as info:
        lead_from_dict(record, number=3)
    paths = [p.path for p in info.value.problems]
    assert sorted(paths) == sorted(
        [
            "extra",
            "company.nmae",
            "company.employees",
            "company.country",
            "contact.email",
            "signals[0].kind",
            "signals[0].occurred_at",
        ]
    )


def test_problem_keeps_the_offending_value_unchanged():
    """The problem's value is the value as given, not a converted one."""
    with pytest.raises(RecordError) as info:
        lead_from_dict({"company": {"annual_revenue": {"amount": "1,000"}}})
    assert info.value.value == "1,000"


def test_type_problems_are_type_errors():
    """A wrong type is reported as a FieldTypeError (also a TypeError)."""
    with pytest.raises(RecordError) as info:
        lead_from_dict({"company": {"employees": "12"}})
    assert isinstance(info.value.problems[0], FieldTypeError)
    assert isinstance(info.value.problems[0], TypeError)


def test_record_that_is_not_an_object():
    """A record that is not a mapping is reported at the root path."""
    with pytest.raises(RecordError, match=re.escape("lead 2: $: expected an object")):
        lead_from_dict(["L-1"], number=2)  # type: ignore[arg-type]


def test_id_is_read_from_the_raw_record_even_when_invalid():
    """An int id is not a valid id, but the message still names it."""
    with pytest.raises(RecordError, match=re.escape("lead 4 (id '17'): $.id: expected str")):
        lead_from_dict({"id": 17}, number=4)


def test_account_id_must_match_the_embedded_company():
    """Cross-field checks of the model are reported too."""
    with pytest.raises(RecordError, match=re.escape("$.account_id: expected the embedded")):
        lead_from_dict({"company": {"id": "A-1"}, "account_id": "A-2"})


def test_record_errors_pickle_with_missing_values():
    """A RecordError naming a missing field survives pickling (for worker processes)."""
    import pickle

    with pytest.raises(RecordError) as info:
        lead_from_dict({"id": "L-1", "signals": [{"kind": "x"}]}, number=1)
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value)
    assert repr(copy.problems[0].value) == "nothing"


@pytest.mark.parametrize(
    ("record", "start"),
    [({"id": "L-1", "owner": ""}, "lead (id 'L-1'): $.owner"), ({"owner": ""}, "$.owner")],
)
def test_without_a_number_the_message_names_what_is_known(record, start):
    """lead_from_dict without a number names only the id, or just the path."""
    with pytest.raises(RecordError, match="^" + re.escape(start)):
        lead_from_dict(record)
