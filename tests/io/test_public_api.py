"""The public face of funnelkit.io: names, docstrings."""

import inspect

import funnelkit.io


def test_all_names_exist_and_are_documented():
    """Every name in __all__ exists and has a docstring (the converter documents itself)."""
    for name in funnelkit.io.__all__:
        obj = getattr(funnelkit.io, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name


def test_contract_names_are_public():
    """The names other packages rely on are exported."""
    expected = {
        "converter",
        "unstructure",
        "structure",
        "to_json",
        "from_json",
        "lead_from_dict",
        "read_leads",
        "iter_leads",
        "LoadResult",
        "write_jsonl",
        "ColumnMapping",
        "HUBSPOT_MAPPING",
        "SALESFORCE_MAPPING",
    }
    assert expected <= set(funnelkit.io.__all__)


def test_no_private_names_leak():
    """__all__ holds no private names."""
    assert not [name for name in funnelkit.io.__all__ if name.startswith("_")]
