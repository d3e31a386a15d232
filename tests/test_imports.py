"""The shape of the package: no import cycles, and packages talk through public names.

Every ``import`` statement under ``src/funnelkit`` counts, also those deferred into
functions; only imports under ``if TYPE_CHECKING:`` are left out (they never run). A
module is *private* when its own name or a package on its way starts with ``_``; it may be
imported only from inside the package that holds it (its folder and the folders below).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "funnelkit"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (n for part in node.orelse for n in _imports_in(part))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
        return
    if isinstance(node, ast.If) and _type_checking(node):
        return
    yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The funnelkit modules an import statement loads (its target, or the names' modules)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        yield from (n for n in names if n in MODULES)
        return
    base = node.module or ""
    if node.level:
        anchor = module if _is_package(module) else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            anchor = anchor.rpartition(".")[0]
        base = f"{anchor}.{base}" if base else anchor
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in MODULES:
            yield sub
        elif base in MODULES:
            yield base


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for node in _imports(tree) for t in _targets(name, node) if t != name}
    return graph


GRAPH = _graph()


def _owner(module: str) -> str:
    """The package a private module belongs to: everything above its first private part."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_"):
            return ".".join(parts[:i])
    return module


def test_no_module_imports_another_packages_private_module() -> None:
    """Packages talk through public names: a private module is imported only from inside."""
    wrong = []
    for name, targets in GRAPH.items():
        for target in targets:
            owner = _owner(target)
            if owner == target:
                continue
            if not (name == owner or name.startswith(owner + ".")):
                wrong.append(f"{name} -> {target}")
    wrong = [w for w in wrong if not w.startswith("funnelkit -> funnelkit._version")]
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or round a loop (deferred imports too)."""
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a loop of three is reported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    ("importer", "target", "allowed"),
    [
        ("funnelkit.qualify._policy", "funnelkit.rules._x", False),
        ("funnelkit.rules.engines.explain._plan", "funnelkit.rules.tree._meta", False),
        ("funnelkit.rules.tree._nodes", "funnelkit.rules.tree._expr", True),
        ("funnelkit.rules", "funnelkit.rules.tree._expr", False),
        ("funnelkit.qualify._policy", "funnelkit.rules.tree", True),
    ],
)
def test_owner_rule(importer: str, target: str, allowed: bool) -> None:
    """A private module belongs to the package above its first private part."""
    owner = _owner(target)
    assert (owner == target or importer == owner or importer.startswith(owner + ".")) is allowed
