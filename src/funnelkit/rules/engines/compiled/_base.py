"""The code generator's building blocks: typed values, three-valued conditions, an emitter.

A generated expression is a string made only of fixed templates, generated identifiers
(``_v3``, ``_c7``), helper names from ``_codegen_runtime`` and model attribute names; every
value from the rule tree is a constant bound in the namespace under a generated name
(``Emitter.const``), and every attribute name passes ``Emitter.attr``.
"""

from __future__ import annotations

import contextlib
import itertools
import keyword
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import cache

import attrs

from funnelkit.model import Money
from funnelkit.rules.tree import FieldInfo, Truth, known_paths

__all__ = [
    "Tags",
    "ANY",
    "NONE",
    "NUM",
    "literal_tags",
    "field_tags",
    "safe_order",
    "Val",
    "Cond",
    "Emitter",
    "GENERATED_NAME",
    "model_attributes",
]

Tags = frozenset[str]
"""What a value can be at run time: ``int``, ``float``, ``dec`` (finite Decimal), ``str``,
``bool``, ``date``, ``adt`` (aware datetime), ``money``, ``set``, ``tuple``, ``obj``,
``truth``, ``dict``, ``none``, or ``any`` (anything)."""

ANY: Tags = frozenset({"any"})
NONE: Tags = frozenset({"none"})
NUM: Tags = frozenset({"int", "float", "dec"})
_HASHABLE: Tags = frozenset(
    {"int", "float", "dec", "str", "bool", "date", "adt", "money", "set", "truth", "none"}
)
_ORDERED: tuple[Tags, ...] = (
    # not Decimal with float: Decimal(1) < float("nan") raises InvalidOperation
    frozenset({"int", "float", "none"}),
    frozenset({"int", "dec", "none"}),
    frozenset({"str", "none"}),
    frozenset({"date", "none"}),
    frozenset({"adt", "none"}),
)
GENERATED_NAME = re.compile(r"_[a-z]\d+")
"""Every identifier the generator makes up: an underscore, a letter, a number."""
MAX_DEPTH = 8
"""Conditions nested deeper than this in one expression are stored in a variable first."""


def literal_tags(value: object) -> Tags:
    """The tags of a constant."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return frozenset({"bool"})
    if isinstance(value, Truth):
        return frozenset({"truth"})
    simple: tuple[tuple[type, str], ...] = (
        (int, "int"),
        (float, "float"),
        (str, "str"),
        (Money, "money"),
        (frozenset, "set"),
    )
    for tp, tag in simple:
        if isinstance(value, tp):
            return frozenset({tag})
    if isinstance(value, Decimal):
        return frozenset({"dec"}) if value.is_finite() else ANY
    if isinstance(value, datetime):
        return frozenset({"adt"}) if value.utcoffset() is not None else ANY
    if isinstance(value, date):
        return frozenset({"date"})
    return ANY


_FIELD_TAGS: dict[str, Tags] = {
    "str": frozenset({"str"}),
    "int": frozenset({"int"}),
    "float": frozenset({"int", "float"}),
    "decimal": frozenset({"dec"}),
    "bool": frozenset({"bool"}),
    "date": frozenset({"date"}),
    "datetime": frozenset({"adt"}),
    "money": frozenset({"money"}),
    "set": frozenset({"set"}),
    "list": frozenset({"tuple"}),
    "object": frozenset({"obj"}),
    "mapping": frozenset({"obj"}),
}


def field_tags(info: FieldInfo) -> Tags:
    """The tags of a field's value as read (missing is always possible)."""
    if info.kind == "enum":
        is_text = info.enum is not None and issubclass(info.enum, str)
        return frozenset({"str", "none"}) if is_text else ANY
    return _FIELD_TAGS.get(info.kind, ANY) | NONE


def safe_order(*sides: Tags) -> bool:
    """Whether ``<``, ``<=``, ``>``, ``>=`` between these never raise (and mean the same)."""
    return any(all(side <= group for side in sides) for group in _ORDERED)


def hashable(tags: Tags) -> bool:
    """Whether hashing such a value never raises."""
    return tags <= _HASHABLE


@cache
def model_attributes() -> frozenset[str]:
    """The attribute names of the model classes a rule can read (from the path catalogue)."""
    return frozenset(part for path in known_paths() for part in path.split("."))


@attrs.frozen
class Val:
    """A value: an atomic expression (a variable, a constant name, ``None``) and its tags."""

    expr: str
    tags: Tags

    @property
    def nullable(self) -> bool:
        """Whether it can be ``None`` (missing)."""
        return "none" in self.tags or "any" in self.tags

    @property
    def always_none(self) -> bool:
        """Whether it is always ``None``."""
        return self.tags == NONE


@attrs.frozen
class Cond:
    """A condition as three expressions: it is TRUE, it is FALSE, it is UNKNOWN.

    ``proper`` conditions are exactly one of the three; an improper one (a ``ref`` to a
    value, read as a condition) may be none of them, as in the interpreter. ``var``
    names a variable holding the Truth(-like) object, when there is one. The expressions
    never raise, so they may be evaluated any number of times, or not at all.
    """

    true: str
    false: str
    unknown: str
    depth: int = 1
    proper: bool = True
    var: str | None = None
    always_known: bool = False

    @classmethod
    def const(cls, truth: Truth) -> Cond:
        """A constant condition."""
        t, f = truth is Truth.TRUE, truth is Truth.FALSE
        return cls(str(t), str(f), str(not (t or f)), depth=0, always_known=t or f)

    @classmethod
    def of_var(cls, name: str, *, proper: bool) -> Cond:
        """A variable holding a Truth (or, improper, any object)."""
        return cls(
            f"({name} is _T)",
            f"({name} is _F)",
            f"({name} is _U)",
            depth=0,
            proper=proper,
            var=name,
        )

    @classmethod
    def two(cls, known: str | None, test: str, *, true: str | None = None) -> Cond:
        """UNKNOWN unless ``known``; then TRUE or FALSE as ``test`` (``true``: a shortcut)."""
        if known is None:
            return cls(test, f"(not {test})", "False", always_known=True)
        return cls(
            true or f"({known} and {test})",
            f"({known} and not {test})",
            f"(not {known})",
        )

    @classmethod
    def pure(cls, true: str, false: str, depth: int, *, always_known: bool = False) -> Cond:
        """A proper condition from its TRUE and FALSE expressions."""
        unknown = "False" if always_known else f"(not {true} and not {false})"
        return cls(true, false, unknown, depth=depth, always_known=always_known)

    def negate(self) -> Cond:
        """The negation of a proper condition: TRUE and FALSE swap."""
        assert self.proper
        return Cond(
            self.false,
            self.true,
            self.unknown,
            depth=self.depth,
            always_known=self.always_known,
        )

    def as_truth(self) -> str:
        """An expression giving the Truth object (or, improper, the object itself)."""
        if self.var is not None:
            return self.var
        if self.always_known:
            return f"(_T if {self.true} else _F)"
        return f"(_T if {self.true} else _F if {self.false} else _U)"


class Emitter:
    """Collects the lines of the generated function, its constants and its names."""

    def __init__(self, indent: int) -> None:
        self.lines: list[str] = []
        self.indent = indent
        self.constants: dict[str, object] = {}
        self._by_id: dict[int, str] = {}
        self._counter = itertools.count()

    def new(self, prefix: str) -> str:
        """A fresh generated identifier (``_`` + ``prefix`` + a number)."""
        name = f"_{prefix}{next(self._counter)}"
        assert GENERATED_NAME.fullmatch(name), name
        return name

    def const(self, value: object) -> str:
        """The generated name under which ``value`` is bound in the namespace."""
        name = self._by_id.get(id(value))
        if name is None or self.constants[name] is not value:
            name = self.new("c")
            self.constants[name] = value
            self._by_id[id(value)] = name
        return name

    @staticmethod
    def attr(name: str) -> str:
        """``name`` if it is an attribute of the model catalogue, else refuse to emit it."""
        if not (name.isidentifier() and not keyword.iskeyword(name) and name in model_attributes()):
            raise AssertionError(f"not a model attribute name: {name!r}")
        return name

    def line(self, text: str) -> None:
        """Emit one line at the current indentation."""
        self.lines.append("    " * self.indent + text)

    @contextlib.contextmanager
    def block(self, header: str) -> Iterator[None]:
        """Emit ``header:`` and indent the lines emitted inside the ``with``."""
        self.line(header + ":")
        start = len(self.lines)
        self.indent += 1
        try:
            yield
        finally:
            if len(self.lines) == start:
                self.line("pass")
            self.indent -= 1

    @contextlib.contextmanager
    def capture(self, indent: int) -> Iterator[list[str]]:
        """Emit into a new list, at ``indent``, instead of the output (see ``splice``)."""
        saved, saved_indent = self.lines, self.indent
        self.lines, self.indent = [], indent
        captured = self.lines
        try:
            yield captured
        finally:
            self.lines, self.indent = saved, saved_indent

    def splice(self, lines: list[str]) -> None:
        """Add captured lines (already indented for where they go)."""
        self.lines.extend(lines)

    def materialize(self, cond: Cond) -> Cond:
        """Store the condition's Truth in a variable; the result reads the variable."""
        if cond.var is not None:
            return cond
        name = self.new("t")
        self.line(f"{name} = {cond.as_truth()}")
        return Cond.of_var(name, proper=cond.proper)

    def shallow(self, cond: Cond) -> Cond:
        """The condition, stored in a variable first if its expressions nest deeply."""
        return self.materialize(cond) if cond.depth >= MAX_DEPTH else cond

    def truth_value(self, cond: Cond) -> Val:
        """The condition used as a value: its Truth object."""
        stored = self.materialize(cond)
        assert stored.var is not None
        return Val(stored.var, frozenset({"truth"}) if stored.proper else ANY)
