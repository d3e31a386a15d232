"""The public API: every ``__all__`` is complete, importable and documented.

Conventions checked here:

* each public module lists its public names in ``__all__``, and each name exists;
* classes and functions in ``__all__`` have their own docstring (constants cannot carry
  one and are exempt), and so do the public methods and properties of those classes;
* no public class or function defined in the package is bound in a public module's
  namespace (defined there, or imported from a private module) without being in its
  ``__all__`` -- the usual way to forget an export;
* the names a private module (``_name.py``) lists in its own ``__all__`` exist. Private
  modules may keep internals public-named for their package (the style's "public
  factories return private node classes"), so they need not all be re-exported.

Modules that do not exist yet are skipped, so the test stays valid as the package grows.
"""

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

PUBLIC_MODULES = [
    "funnelkit",
    "funnelkit.model",
    "funnelkit.errors",
    "funnelkit.testing",
    "funnelkit.testing.strategies",
    "funnelkit.io",
    "funnelkit.rules",
    "funnelkit.frameworks",
    "funnelkit.qualify",
    "funnelkit.policy",
    "funnelkit.cli",
    "funnelkit.data",
    "funnelkit.rules.tree",
    "funnelkit.rules.syntax",
    "funnelkit.rules.meaning",
    "funnelkit.rules.engines",
    "funnelkit.rules.engines.interpret",
    "funnelkit.rules.engines.compiled",
    "funnelkit.rules.engines.explain",
    "funnelkit.rules.engines.facts",
    "funnelkit.analytics",
    "funnelkit.integrations",
    "funnelkit.integrations.spark",
]


def _load(name: str) -> ModuleType:
    module = pytest.importorskip(name)
    if getattr(module, "__file__", None) is None:
        pytest.skip(f"{name} is only a namespace package so far")
    return module


def _exported(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module.__name__} has no __all__"
    return list(names)


def _documented(obj: object) -> bool:
    doc = vars(obj).get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    return bool(doc and doc.strip())


def _private_submodules(package: ModuleType) -> list[ModuleType]:
    if not hasattr(package, "__path__"):
        return []
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("_") and not info.name.startswith("__") and not info.ispkg
    ]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_module_has_a_docstring(name):
    """Every public module says what it is for."""
    assert _documented(_load(name)), name


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_names_exist_once(name):
    """Every name in __all__ exists, and none is listed twice."""
    module = _load(name)
    exported = _exported(module)
    assert len(exported) == len(set(exported)), f"duplicates in {name}.__all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists missing names: {missing}"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_exported_classes_and_functions_have_docstrings(name):
    """Every class and function in __all__ has its own docstring."""
    module = _load(name)
    undocumented = [
        n
        for n in _exported(module)
        if (inspect.isclass(getattr(module, n)) or inspect.isfunction(getattr(module, n)))
        and not _documented(getattr(module, n))
    ]
    assert not undocumented, f"{name}: no docstring on {undocumented}"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_methods_of_exported_classes_have_docstrings(name):
    """The public methods and properties a class defines itself are documented."""
    module = _load(name)
    undocumented = []
    for exported in _exported(module):
        cls = getattr(module, exported)
        if not inspect.isclass(cls) or cls.__module__.split(".")[0] != "funnelkit":
            continue
        for attr, member in vars(cls).items():
            if attr.startswith("_"):
                continue
            target = member.fget if isinstance(member, property) else member
            target = getattr(target, "__func__", target)  # classmethod / staticmethod
            if inspect.isfunction(target) and not _documented(target):
                undocumented.append(f"{exported}.{attr}")
    assert not undocumented, f"{name}: no docstring on {undocumented}"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_definitions_are_exported(name):
    """No public class or function of the package sits in the namespace outside __all__."""
    module = _load(name)
    exported = set(_exported(module))
    package = module.__name__
    bound = [
        n
        for n, obj in vars(module).items()
        if not n.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and (obj.__module__ == package or obj.__module__.startswith(f"{package}."))
    ]
    missing = sorted(set(bound) - exported)
    assert not missing, f"{name} has public names missing from __all__: {missing}"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_private_module_all_names_exist(name):
    """Every name a private module lists in its __all__ exists in it."""
    package = _load(name)
    missing = [
        f"{sub.__name__}.{n}"
        for sub in _private_submodules(package)
        for n in getattr(sub, "__all__", ())
        if not hasattr(sub, n)
    ]
    assert not missing, f"listed in __all__ but missing: {missing}"
