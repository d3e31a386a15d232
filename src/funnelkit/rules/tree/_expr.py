"""The base of every rule node, plus fields (``F``) and literals.

Nodes are frozen attrs classes. Operators on them evaluate nothing: they build new nodes.
Because ``==`` builds a node, structural equality lives on ``node.meta`` (``.eq``, and
``meta`` objects compare and hash structurally); a node itself hashes by identity, so
rules can sit in sets and be dict keys (``rule in {rule}`` is True, a structurally equal
copy is a different key).

The operators build node classes that subclass ``Expr``; this module does not import
them. The tree package binds them here (``bind``) once every node module is loaded, and
the rules package binds the printer of the condition syntax: the dependency points from
the nodes to this base, never back.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, ClassVar, NoReturn

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.model import Money
from funnelkit.rules.tree._paths import FieldInfo, field_info

if TYPE_CHECKING:
    from funnelkit.rules.tree import _nodes
    from funnelkit.rules.tree._meta import Meta

__all__ = [
    "Expr",
    "Field",
    "Literal",
    "F",
    "lit",
    "walk",
    "bind",
    "RuleBuildError",
    "kind_of_value",
]


class _Bound:
    """What the packages above bind into the base (see the module docstring)."""

    meta: Callable[[Expr], Meta] | None = None
    render: Callable[[Expr], str] | None = None
    text: Callable[[Expr], str] | None = None


def bind(
    *,
    nodes: ModuleType | None = None,
    meta: Callable[[Expr], Meta] | None = None,
    render: Callable[[Expr], str] | None = None,
    text: Callable[[Expr], str] | None = None,
) -> None:
    """Bind the node module, the structural view, repr and text printer into ``Expr``.

    Called once by ``funnelkit.rules.tree`` (nodes, meta, repr) and ``funnelkit.rules``
    (the condition-syntax printer); not part of the user API.
    """
    if nodes is not None:
        globals()["_nodes"] = nodes  # the operators below read the module by this name
    if meta is not None:
        _Bound.meta = meta
    if render is not None:
        _Bound.render = render
    if text is not None:
        _Bound.text = text


def walk(node: Expr) -> Iterator[Expr]:
    """Yield ``node`` and every node below it, depth first, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


class RuleBuildError(FunnelkitError, TypeError):
    """A rule was built from parts that do not fit (wrong types, bad arguments)."""

    code: ClassVar[str] = "rule-build"


def kind_of_value(value: object) -> str:
    """The catalogue kind of a Python value (``int``, ``str``, ``date``, ...)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Enum):
        return "str"
    for kind, tp in (
        ("int", int),
        ("float", float),
        ("decimal", Decimal),
        ("str", str),
        ("datetime", _dt.datetime),
        ("date", _dt.date),
        ("money", Money),
    ):
        if isinstance(value, tp):
            return kind
    if isinstance(value, frozenset | set | tuple | list):
        return "set"
    return "any"


class Expr:
    """A node of a rule tree: a condition (three-valued) or a value.

    Build trees with fields (``F.company.employees``), operators
    (``== != < <= > >= & | ~ + - * /``) and methods (``isin``, ``between``, ...).
    """

    __slots__ = ()
    is_condition: ClassVar[bool] = False
    """Whether the node yields a Truth (a condition) rather than a value."""

    # -- structure ----------------------------------------------------------------------
    def children(self) -> tuple[Expr, ...]:
        """The node's child nodes, in order (the walkers' single source of structure)."""
        return ()

    def value_kind(self) -> str:
        """The catalogue kind of the node's value (``any`` when not known)."""
        return "bool" if self.is_condition else "any"

    @property
    def meta(self) -> Meta:
        """Inspection: structural equality and hashing, fields read, tree format."""
        assert _Bound.meta is not None  # bound when funnelkit.rules.tree is imported
        return _Bound.meta(self)

    __hash__ = object.__hash__

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "a rule has no truth value until it is evaluated; combine rules with "
            "`&`, `|` and `~` (not `and`, `or`, `not`), and put comparisons in "
            "parentheses: (F.company.employees >= 50) & ..."
        )

    def __repr__(self) -> str:
        assert _Bound.render is not None  # bound when funnelkit.rules.tree is imported
        return _Bound.render(self)

    def __str__(self) -> str:
        """The rule in the condition syntax (``repr`` gives the Python form)."""
        if _Bound.text is None:  # pragma: no cover - bound when funnelkit.rules is imported
            return repr(self)
        return _Bound.text(self)

    # -- comparisons --------------------------------------------------------------------
    def __eq__(self, other: object) -> _nodes.Compare:  # type: ignore[override]
        return _nodes.Compare.build("==", self, other)

    def __ne__(self, other: object) -> _nodes.Compare:  # type: ignore[override]
        return _nodes.Compare.build("!=", self, other)

    def __lt__(self, other: object) -> _nodes.Compare:
        return _nodes.Compare.build("<", self, other)

    def __le__(self, other: object) -> _nodes.Compare:
        return _nodes.Compare.build("<=", self, other)

    def __gt__(self, other: object) -> _nodes.Compare:
        return _nodes.Compare.build(">", self, other)

    def __ge__(self, other: object) -> _nodes.Compare:
        return _nodes.Compare.build(">=", self, other)

    # -- logic --------------------------------------------------------------------------
    def __and__(self, other: object) -> Expr:
        return _nodes.all_of(self, other)

    def __rand__(self, other: object) -> Expr:
        return _nodes.all_of(other, self)

    def __or__(self, other: object) -> Expr:
        return _nodes.any_of(self, other)

    def __ror__(self, other: object) -> Expr:
        return _nodes.any_of(other, self)

    def __invert__(self) -> Expr:
        return _nodes.not_(self)

    def and_(self, *others: object) -> Expr:
        """Method twin of ``&``: all of ``self`` and ``others``."""
        return _nodes.all_of(self, *others)

    def or_(self, *others: object) -> Expr:
        """Method twin of ``|``: any of ``self`` and ``others``."""
        return _nodes.any_of(self, *others)

    def not_(self) -> Expr:
        """Method twin of ``~``: the negation."""
        return _nodes.not_(self)

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("+", self, other)

    def __radd__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("+", other, self)

    def __sub__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("-", self, other)

    def __rsub__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("-", other, self)

    def __mul__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("*", self, other)

    def __rmul__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("*", other, self)

    def __truediv__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("/", self, other)

    def __rtruediv__(self, other: object) -> _nodes.Arith:
        return _nodes.Arith.build("/", other, self)

    def __neg__(self) -> _nodes.Arith:
        return _nodes.Arith.build("-", 0, self)

    # -- predicates and functions (implemented in _nodes) --------------------------------
    def isin(self, values: Iterable[object]) -> _nodes.IsIn:
        """TRUE when the value is one of ``values`` (exact, case-sensitive)."""
        return _nodes.IsIn.build(self, values)

    def between(self, low: object, high: object) -> _nodes.Between:
        """TRUE when ``low <= value <= high`` (both ends included)."""
        return _nodes.Between.build(self, low, high)

    def contains(self, item: object) -> _nodes.Contains:
        """For a set: TRUE when it holds ``item``; for text: when it has the substring."""
        return _nodes.Contains.build(self, item)

    def overlaps(self, items: Iterable[object]) -> _nodes.Overlaps:
        """For a set: TRUE when it holds at least one of ``items``."""
        return _nodes.Overlaps.build(self, items)

    def startswith(self, prefix: str) -> _nodes.TextTest:
        """TRUE when the text starts with ``prefix`` (case-sensitive)."""
        return _nodes.TextTest.build("startswith", self, prefix)

    def endswith(self, suffix: str) -> _nodes.TextTest:
        """TRUE when the text ends with ``suffix`` (case-sensitive)."""
        return _nodes.TextTest.build("endswith", self, suffix)

    def icontains(self, part: str) -> _nodes.TextTest:
        """TRUE when the text contains ``part``, ignoring case."""
        return _nodes.TextTest.build("icontains", self, part)

    def matches(self, pattern: str) -> _nodes.Matches:
        """TRUE when a bounded regular expression matches somewhere in the text."""
        return _nodes.Matches.build(self, pattern)

    def is_missing(self) -> _nodes.IsMissing:
        """TRUE when the value is missing (never UNKNOWN)."""
        return _nodes.IsMissing(operand=self)

    def is_present(self) -> Expr:
        """TRUE when the value is present (never UNKNOWN)."""
        return _nodes.not_(_nodes.IsMissing(operand=self))

    def size(self) -> _nodes.Size:
        """The number of items in a set or list (a value)."""
        return _nodes.Size.build(self)

    def age_days(self) -> _nodes.DaysFrom:
        """Whole days from the value (a date or datetime) to ``as_of`` (a value)."""
        return _nodes.DaysFrom.build(self, direction="age")

    def days_until(self) -> _nodes.DaysFrom:
        """Whole days from ``as_of`` to the value (a date or datetime)."""
        return _nodes.DaysFrom.build(self, direction="until")

    def within(self, *, days: int) -> _nodes.Between:
        """TRUE when the date or datetime lies in the last ``days`` days up to ``as_of``."""
        return _nodes.Between.build(self.age_days(), 0, days)

    def before(self, moment: object) -> _nodes.Compare:
        """TRUE when the date or datetime is strictly before ``moment``."""
        return _nodes.Compare.build("<", self, moment)

    def after(self, moment: object) -> _nodes.Compare:
        """TRUE when the date or datetime is strictly after ``moment``."""
        return _nodes.Compare.build(">", self, moment)

    def clip(self, low: object, high: object) -> _nodes.Func:
        """The value limited to ``[low, high]``."""
        return _nodes.Func.build("clip", self, low, high)


@attrs.frozen(eq=False, repr=False)
class Literal(Expr):
    """A constant value in a rule. Strings are always values, never field paths."""

    value: object

    def value_kind(self) -> str:
        """The kind of the constant."""
        return kind_of_value(self.value)


@attrs.frozen(eq=False, repr=False)
class Field(Expr):
    """A reference to a field of the lead by its dotted path, checked against the model."""

    path: str
    info: FieldInfo = attrs.field(init=False)
    parts: tuple[str, ...] = attrs.field(init=False)

    @info.default
    def _lookup(self) -> FieldInfo:
        return field_info(self.path)

    @parts.default
    def _split(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    def value_kind(self) -> str:
        """The kind of the field from the model catalogue."""
        return self.info.kind

    def __getattr__(self, name: str) -> Field:
        if name.startswith("_"):
            raise AttributeError(name)
        if self.info.kind == "list":
            raise RuleBuildError(
                f"{self.path!r} is a list; read it with an aggregation such as "
                f"signals(kind=...).count() or F.{self.path}.size()"
            )
        return Field(f"{self.path}.{name}")

    def __getitem__(self, name: str) -> Field:
        if self.info.kind != "mapping" or not isinstance(name, str):
            raise RuleBuildError(f"{self.path!r} cannot be indexed; only F.custom['name'] can")
        return Field(f"{self.path}.{name}")

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "path", state["path"])
        object.__setattr__(self, "info", field_info(str(state["path"])))
        object.__setattr__(self, "parts", tuple(str(state["path"]).split(".")))


class FieldRoot:
    """``F``: the root of field references, ``F.company.employees``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Field:
        if name.startswith("_"):
            raise AttributeError(name)
        return Field(name)

    def __call__(self, path: str) -> Field:
        """A field by its dotted path as a string: ``F("company.employees")``."""
        return Field(path)

    def __repr__(self) -> str:
        return "F"


F = FieldRoot()
"""The root of field references: ``F.company.employees``, ``F.custom["tier"]``."""


def lit(value: object) -> Expr:
    """Turn a plain value into a Literal node; nodes pass through unchanged.

    This is the one place plain values enter a tree.

    Examples:
        >>> lit(50)
        50
        >>> lit(F.company.employees)
        F.company.employees
    """
    if isinstance(value, Expr):
        return value
    if isinstance(value, set | list):
        value = frozenset(value)
    return Literal(value)
