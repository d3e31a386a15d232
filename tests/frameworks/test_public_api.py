"""The public face of funnelkit.frameworks: every export exists and is documented."""

from __future__ import annotations

import inspect

import funnelkit.frameworks as fw


def test_every_exported_name_exists_once():
    """__all__ lists each name once, and each exists."""
    assert len(fw.__all__) == len(set(fw.__all__))
    assert [n for n in fw.__all__ if not hasattr(fw, n)] == []


def test_exported_classes_and_functions_have_docstrings():
    """Every class and function in __all__ documents itself."""
    undocumented = [
        name
        for name in fw.__all__
        if (inspect.isclass(getattr(fw, name)) or inspect.isfunction(getattr(fw, name)))
        and not inspect.getdoc(getattr(fw, name))
    ]
    assert undocumented == []


def test_public_methods_and_properties_have_docstrings():
    """Framework's and Criterion's public methods and properties are documented."""
    missing = []
    for cls in (fw.Framework, fw.Criterion, fw.UnknownCriterionError):
        for attr, member in vars(cls).items():
            target = member.fget if isinstance(member, property) else member
            if not attr.startswith("_") and inspect.isfunction(target) and not target.__doc__:
                missing.append(f"{cls.__name__}.{attr}")
    assert missing == []


def test_every_preset_is_exported_as_a_constant():
    """Each framework in PRESET_FRAMEWORKS is also importable by its constant's name."""
    exported = [getattr(fw, name) for name in fw.__all__ if name.isupper()]
    assert [
        k for k, preset in fw.PRESET_FRAMEWORKS.items() if not any(x is preset for x in exported)
    ] == []


def test_no_public_definition_is_left_out_of_all():
    """No public class or function of the package sits in the namespace outside __all__."""
    bound = [
        n
        for n, obj in vars(fw).items()
        if not n.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and obj.__module__.startswith("funnelkit.frameworks")
    ]
    assert sorted(set(bound) - set(fw.__all__)) == []
