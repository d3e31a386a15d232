import pickle
import re

import pytest

from funnelkit.errors import (
    FieldTypeError,
    FunnelkitError,
    MissingExtraError,
    RecordError,
    ValidationError,
    describe_value,
    join_path,
)


def _employees(error=ValidationError, **kwargs):
    return error(path="employees", expected="int >= 0", value=-3, **kwargs)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (_employees(), "$.employees: expected int >= 0, got -3 (int)"),
        (_employees().within("company"), "$.company.employees: expected int >= 0, got -3 (int)"),
        (_employees().at_record(17), "lead 17: $.employees: expected int >= 0, got -3 (int)"),
        (
            _employees().within("company").at_record(17, record_id="L-17"),
            "lead 17 (id 'L-17'): $.company.employees: expected int >= 0, got -3 (int)",
        ),
        (
            _employees().at_record(None, record_id="L-17"),
            "lead (id 'L-17'): $.employees: expected int >= 0, got -3 (int)",
        ),
        (
            _employees(kind="account").at_record(2),
            "account 2: $.employees: expected int >= 0, got -3 (int)",
        ),
        (
            ValidationError(path="", expected="an object", value=[]),
            "$: expected an object, got [] (list)",
        ),
    ],
    ids=[
        "plain",
        "within",
        "at-record",
        "within-and-record-id",
        "record-id-only",
        "kind",
        "root-path",
    ],
)
def test_message_shape(error, message):
    """Messages read: where, expected, got value (type)."""
    assert str(error) == message


def test_parts_are_attributes():
    """Path, expected, value, record and record id are kept as attributes."""
    err = _employees().within("company").at_record(17, record_id="L-17")
    assert (err.path, err.expected, err.value, err.record, err.record_id) == (
        "company.employees",
        "int >= 0",
        -3,
        17,
        "L-17",
    )
    assert err.where == "lead 17 (id 'L-17'): $.company.employees"


@pytest.mark.parametrize(
    ("outer", "path"),
    [
        (("signals", 3), "signals[3].employees"),
        (("a", "b"), "a.b.employees"),
        ((), "employees"),
        (("",), "employees"),
    ],
)
def test_within_nests_the_path(outer, path):
    """within() puts the outer parts in front; ints become indexes."""
    assert _employees().within(*outer).path == path


def test_within_keeps_the_type_and_leaves_the_original_alone():
    """within() and at_record() return new errors of the same type."""
    err = _employees(FieldTypeError)
    nested = err.within("company").at_record(1)
    assert type(nested) is FieldTypeError
    assert err.path == "employees"
    assert err.record is None


def test_index_paths_join_without_a_dot():
    """A nested path that starts with an index attaches directly."""
    err = ValidationError(path="[2]", expected="str", value=1).within("technologies")
    assert err.path == "technologies[2]"


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (("signals", 3, "occurred_at"), "signals[3].occurred_at"),
        (("company", "", "employees"), "company.employees"),
        ((0, "a"), "[0].a"),
        (("custom", "[1]"), "custom[1]"),
        ((), ""),
    ],
)
def test_join_path(parts, joined):
    """join_path joins names with dots and integers as [i]."""
    assert join_path(*parts) == joined


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (-3, "-3 (int)"),
        ("ceo", "'ceo' (str)"),
        (None, "None (NoneType)"),
        ([1, 2], "[1, 2] (list)"),
    ],
)
def test_describe_value(value, described):
    """describe_value gives a short repr and the type name."""
    assert describe_value(value) == described


def test_describe_value_shortens_long_values():
    """Long values are cut so that messages stay readable."""
    described = describe_value("x" * 1000)
    assert len(described) < 100
    assert described.endswith("(str)")


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (ValidationError, (FunnelkitError, ValueError)),
        (FieldTypeError, (ValidationError, TypeError, ValueError)),
        (RecordError, (FunnelkitError, ValueError)),
        (MissingExtraError, (FunnelkitError, ImportError)),
    ],
)
def test_errors_also_derive_from_builtins(error, bases):
    """Each error is a FunnelkitError and the matching builtin."""
    assert issubclass(error, bases)


def test_record_error_lists_every_problem_with_the_record():
    """A RecordError names the record in each problem and keeps them all."""
    problems = [
        _employees().within("company"),
        ValidationError(path="contact.email", expected="an e-mail address", value="x"),
    ]
    err = RecordError(problems, record=3, record_id="L-3", line=7, raw={"id": "L-3"})
    assert str(err) == (
        "lead 3 (id 'L-3'): $.company.employees: expected int >= 0, got -3 (int)\n"
        "lead 3 (id 'L-3'): $.contact.email: expected an e-mail address, got '<redacted>' (str)"
    )
    assert [p.record for p in err.problems] == [3, 3]
    assert (err.path, err.value, err.expected) == ("company.employees", -3, "int >= 0")
    assert (err.line, err.raw) == (7, {"id": "L-3"})


def test_record_error_kind_applies_to_its_problems():
    """The record kind names the record in every problem."""
    err = RecordError([_employees()], record=1, kind="account")
    assert str(err) == "account 1: $.employees: expected int >= 0, got -3 (int)"


def test_record_error_needs_a_problem():
    """A RecordError without problems is refused."""
    with pytest.raises(ValueError, match="at least one problem"):
        RecordError([])


def test_missing_extra_names_the_extra_to_install():
    """MissingExtraError says what to pip install."""
    err = MissingExtraError("polars", "polars")
    assert str(err) == 'this feature needs polars: install it with: pip install "funnelkit[polars]"'
    assert (err.extra, err.package) == ("polars", "polars")


@pytest.mark.parametrize(
    "error",
    [
        _employees().within("company").at_record(17, record_id="L-17"),
        _employees(FieldTypeError, kind="account"),
        RecordError([_employees(), _employees(FieldTypeError)], record=2, line=4, raw={"a": 1}),
        MissingExtraError("testing", "hypothesis"),
        FunnelkitError("boom"),
    ],
    ids=["validation", "field-type", "record", "missing-extra", "root"],
)
def test_errors_pickle(error):
    """Every error survives pickling with its message, type and attributes."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error) or isinstance(error, RecordError)


def test_record_error_pickles_with_its_problems():
    """A pickled RecordError keeps its problems, record and raw input."""
    err = RecordError([_employees()], record=2, record_id="L-2", line=4, raw={"a": 1})
    copy = pickle.loads(pickle.dumps(err))
    assert [str(p) for p in copy.problems] == [str(p) for p in err.problems]
    assert (copy.record, copy.record_id, copy.line, copy.raw) == (2, "L-2", 4, {"a": 1})


def test_errors_can_be_raised_and_matched():
    """A raised ValidationError matches on its message."""
    with pytest.raises(ValueError, match=re.escape("$.employees: expected int >= 0")):
        raise _employees()
