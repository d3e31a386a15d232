"""One error hierarchy: every error has a stable code and is also a builtin."""

from __future__ import annotations

import importlib
import pkgutil

import funnelkit
from funnelkit.errors import FunnelkitError, ValidationError


def _all_errors() -> list[type[FunnelkitError]]:
    for info in pkgutil.walk_packages(funnelkit.__path__, "funnelkit."):
        if ".cli" in info.name or info.name.endswith(("_plots", "_polars", "_sql")):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional extra
            continue
    out: list[type[FunnelkitError]] = []
    todo = [FunnelkitError]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


def test_codes_are_unique_and_stable_names():
    """Each error class declares its own code: lower-case words joined by dashes."""
    errors = _all_errors()
    codes = {cls: cls.code for cls in errors}
    assert len(set(codes.values())) == len(codes), codes
    assert all(code.replace("-", "").isalpha() and code.islower() for code in codes.values())


def test_every_leaf_is_also_a_builtin():
    """Every class below the root is also a builtin exception other than Exception."""
    for cls in _all_errors():
        if cls is FunnelkitError:
            continue
        builtins = [
            base
            for base in cls.__mro__
            if base.__module__ == "builtins" and base not in (Exception, BaseException, object)
        ]
        assert builtins, cls


def test_every_error_has_the_machine_readable_fields():
    """code, path, value and location are there on every error, None when unknown."""
    err = ValidationError(path="company.employees", expected="int >= 0", value=-3)
    data = err.at_record(4, record_id="L-4").as_dict()
    assert data == {
        "code": "validation",
        "message": "lead 4 (id 'L-4'): $.company.employees: expected int >= 0, got -3 (int)",
        "path": "company.employees",
        "value": -3,
        "location": "lead 4 (id 'L-4')",
    }
    bare = FunnelkitError("x").as_dict()
    assert (bare["code"], bare["path"], bare["value"], bare["location"]) == (
        "funnelkit",
        None,
        None,
        None,
    )


def test_a_syntax_error_has_a_location():
    """ConditionSyntaxError names line and column in ``location``."""
    import pytest

    from funnelkit.rules import parse_rule

    with pytest.raises(FunnelkitError) as info:
        parse_rule("company.employees between and 5000")
    assert (info.value.code, info.value.location) == ("condition-syntax", "line 1, column 27")
