"""What a policy declares it reads: typed custom attributes and extra signal kinds.

A policy's rules may read ``custom.<name>`` attributes and signals of any kind: both are
open vocabularies, so a typo (``phone_converstion``) is not a build error, it silently
reads nothing. A policy declares the custom attributes it reads with their types and
the signal kinds it expects beyond the standard ones; then

* ``type_problems`` finds rules that compare a declared attribute with a value of
  another type (a text attribute with a number): the policy is refused;
* ``undeclared_names`` lists signal kinds and custom names that rules read and nothing
  declares, with a "did you mean": these are warnings, since the rule may be right.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import Final, Literal

import attrs

from funnelkit.frameworks import PRESET_FRAMEWORKS
from funnelkit.model import STANDARD_SIGNAL_KINDS
from funnelkit.rules import Expr
from funnelkit.rules.tree import (
    Arith,
    Between,
    Compare,
    Field,
    IsIn,
    Matches,
    SignalAgg,
    TextTest,
    walk,
)
from funnelkit.rules.tree import Literal as Lit

__all__ = [
    "CUSTOM_TYPES",
    "CustomType",
    "STANDARD_CUSTOM_FACTS",
    "UndeclaredName",
    "type_problems",
    "undeclared_names",
    "to_custom_types",
    "to_kinds",
    "declaration_problems",
]

CustomType = Literal["text", "number", "integer", "boolean", "date"]
CUSTOM_TYPES: Final[tuple[str, ...]] = ("text", "number", "integer", "boolean", "date")
"""The types a custom attribute can be declared with (as in column mappings)."""

_KINDS: Final[Mapping[str, frozenset[str]]] = {
    "text": frozenset({"str", "enum"}),
    "number": frozenset({"int", "float", "decimal"}),
    "integer": frozenset({"int", "float", "decimal"}),
    "boolean": frozenset({"bool"}),
    "date": frozenset({"date", "datetime"}),
}
"""The value kinds (``Expr.value_kind()``) each declared type can be compared with."""
_WORD: Final[Mapping[str, str]] = {
    "str": "text",
    "enum": "text",
    "int": "a number",
    "float": "a number",
    "decimal": "a number",
    "bool": "a boolean",
    "date": "a date",
    "datetime": "a date",
}


def _preset_custom_facts() -> frozenset[str]:
    paths = (p for fw in PRESET_FRAMEWORKS.values() for c in fw for p in c.rule.meta.fields())
    return frozenset(p.partition(".")[2] for p in paths if p.startswith("custom."))


STANDARD_CUSTOM_FACTS: Final[frozenset[str]] = _preset_custom_facts()
"""The custom attributes the preset frameworks read (``metrics``, ``champion``, ...):
declared by funnelkit, so a policy need not declare them."""


@attrs.frozen
class UndeclaredName:
    """A signal kind or custom attribute a policy's rules read and nothing declares.

    Attributes:
        what: ``"signal kind"`` or ``"custom attribute"``.
        name: The name as the rule writes it.
        suggestion: The closest declared or standard name, if one is close.
    """

    what: Literal["signal kind", "custom attribute"]
    name: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        if self.what == "signal kind":
            why = "is not a standard kind and not declared in signal_kinds"
        else:
            why = "is not declared in custom_attributes (nor read by a preset framework)"
        return f"{self.what} {self.name!r} is read by a rule but {why}{hint}"


def _custom(node: Expr) -> str | None:
    if isinstance(node, Field) and node.path.startswith("custom."):
        return node.path.partition(".")[2]
    return None


def _kind(node: Expr, declared: Mapping[str, str]) -> str | None:
    """The value kind of one operand: a declared type's first kind, else its own."""
    name = _custom(node)
    if name is not None:
        return None if name not in declared else sorted(_KINDS[declared[name]])[0]
    kind = node.value_kind()
    return None if kind == "any" else kind


def _pairs(node: Expr) -> Iterator[tuple[Expr, Expr]]:
    """The (operand, other side) pairs a node compares."""
    if isinstance(node, Compare):
        yield node.left, node.right
        yield node.right, node.left
    elif isinstance(node, Between):
        yield node.operand, node.low
        yield node.operand, node.high
    elif isinstance(node, IsIn):
        for value in sorted(node.values, key=repr):
            yield node.operand, Lit(value)


def type_problems(rule: Expr, declared: Mapping[str, str]) -> list[str]:
    """Where ``rule`` uses a declared custom attribute as a value of another type.

    Comparisons, ``isin`` and ``between`` must compare an attribute with values of its
    declared type; arithmetic needs a number or integer attribute, and text tests and
    patterns a text one.

    Args:
        rule: Any rule.
        declared: Custom attribute name -> declared type (``"text"``, ``"number"``, ...).

    Returns:
        One message per problem, in the order the rule is walked; empty when none.
    """
    if not declared:
        return []
    problems: list[str] = []
    for node in walk(rule):
        for operand, other in _pairs(node):
            name = _custom(operand)
            if name is None or name not in declared:
                continue
            kind = _kind(other, declared)
            if kind is not None and kind not in _KINDS[declared[name]]:
                problems.append(
                    f"custom.{name} is declared {declared[name]} but is compared with "
                    f"{_WORD.get(kind, kind)} ({other!r})"
                )
        if isinstance(node, Arith):
            for side in (node.left, node.right):
                name = _custom(side)
                if (
                    name is not None
                    and name in declared
                    and declared[name] not in ("number", "integer")
                ):
                    problems.append(
                        f"custom.{name} is declared {declared[name]}: arithmetic needs a "
                        "number or integer attribute"
                    )
        if isinstance(node, TextTest | Matches):
            name = _custom(node.operand)
            if name is not None and name in declared and declared[name] != "text":
                problems.append(
                    f"custom.{name} is declared {declared[name]}: text tests need a text attribute"
                )
    return problems


def undeclared_names(
    rules: Iterable[Expr], custom: Iterable[str], kinds: Iterable[str]
) -> tuple[UndeclaredName, ...]:
    """The signal kinds and custom attributes ``rules`` read that nothing declares.

    Standard signal kinds ([`SignalKind`][funnelkit.model.SignalKind]) and the custom
    attributes the preset frameworks read count as declared.

    Args:
        rules: The rules to look through.
        custom: The declared custom attribute names.
        kinds: The declared extra signal kinds.

    Returns:
        One entry per name, in the order first read.
    """
    known_kinds = sorted(STANDARD_SIGNAL_KINDS | set(kinds))
    known_custom = sorted(STANDARD_CUSTOM_FACTS | set(custom))
    found: dict[tuple[str, str], UndeclaredName] = {}
    for rule in rules:
        for node in walk(rule):
            if isinstance(node, SignalAgg):
                for kind in sorted(node.kinds):
                    if kind not in known_kinds and ("signal kind", kind) not in found:
                        found["signal kind", kind] = UndeclaredName(
                            "signal kind", kind, _closest(kind, known_kinds)
                        )
            name = _custom(node)
            if name is not None and name not in known_custom:
                found.setdefault(
                    ("custom attribute", name),
                    UndeclaredName("custom attribute", name, _closest(name, known_custom)),
                )
    return tuple(found.values())


def _closest(name: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return close[0] if close else None


def to_custom_types(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    """``{"seats": "integer"}`` or pairs as sorted pairs (the Policy field's converter)."""
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(((name, kind) for name, kind in pairs), key=lambda pair: str(pair[0])))


def to_kinds(value: Iterable[str]) -> frozenset[str]:
    """Signal kinds as a frozenset (one string is one kind)."""
    return frozenset((value,) if isinstance(value, str) else value)


def declaration_problems(
    custom: Iterable[tuple[object, object]], kinds: Iterable[object]
) -> list[str]:
    """What is wrong with the declarations themselves (names, types)."""
    problems: list[str] = []
    seen: set[object] = set()
    for name, kind in custom:
        if name in seen:
            problems.append(f"custom_attributes: {name!r} is declared twice")
        seen.add(name)
        if not isinstance(name, str) or not name.strip() or "." in name:
            problems.append(
                f"custom_attributes: {name!r} is not a custom attribute's name (non-empty, "
                "no dots: 'seats' for custom.seats)"
            )
        if kind not in CUSTOM_TYPES:
            close = difflib.get_close_matches(str(kind), CUSTOM_TYPES, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"expected one of {CUSTOM_TYPES}"
            problems.append(f"custom_attributes: {name!r} has the unknown type {kind!r}; {hint}")
    for kind in kinds:
        if not isinstance(kind, str) or not kind.strip():
            problems.append(f"signal_kinds: expected non-empty texts, got {kind!r}")
    return problems
