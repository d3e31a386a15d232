"""Condition and value nodes: comparisons, membership, text, logic, arithmetic, time."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

import attrs

from funnelkit.rules.tree._expr import Expr, Field, Literal, RuleBuildError, lit
from funnelkit.rules.tree._regex import check_pattern

__all__ = [
    "Const",
    "TRUE",
    "FALSE",
    "UNKNOWN",
    "Compare",
    "IsIn",
    "Between",
    "Contains",
    "Overlaps",
    "TextTest",
    "Matches",
    "IsMissing",
    "Not",
    "All",
    "Any",
    "AtLeast",
    "Arith",
    "Func",
    "Size",
    "DaysFrom",
    "all_of",
    "any_of",
    "none_of",
    "not_",
    "at_least",
]

_NUMERIC = frozenset({"int", "float", "decimal"})
_TEXT = frozenset({"str", "enum"})


def _compatible(left: str, right: str) -> bool:
    if "any" in (left, right):
        return True
    if left in _NUMERIC and right in _NUMERIC:
        return True
    if left in _TEXT and right in _TEXT:
        return True
    return left == right


def check_comparable(expr: Expr, value: Expr, *, what: str) -> None:
    """Raise RuleBuildError when ``value`` can never be compared with ``expr``."""
    left, right = expr.value_kind(), value.value_kind()
    if not _compatible(left, right):
        hint = ""
        if left == "money" and right in _NUMERIC:
            hint = "; compare with Money(amount=..., currency=...) or use .amount"
        raise RuleBuildError(
            f"{what}: cannot compare {expr!r} ({left}) with {value!r} ({right}){hint}"
        )
    if isinstance(expr, Field) and expr.info.enum is not None and isinstance(value, Literal):
        allowed = [m.value for m in expr.info.enum]
        if isinstance(value.value, str) and value.value not in allowed:
            close = difflib.get_close_matches(value.value, allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {allowed}"
            raise RuleBuildError(f"{what}: {value.value!r} is not a value of {expr.path}{hint}")


def _condition(value: object, *, what: str) -> Expr:
    if value is True:
        return TRUE
    if value is False:
        return FALSE
    node = lit(value)
    if not node.is_condition:
        raise RuleBuildError(f"{what} needs conditions, got {node!r}; compare it first")
    return node


@attrs.frozen(eq=False, repr=False)
class Const(Expr):
    """A constant condition: ``TRUE`` (``True``), ``FALSE`` (``False``), ``UNKNOWN`` (``None``).

    ``TRUE`` is the identity of ``&`` and absorbs ``|``; ``FALSE`` the other way round.
    ``UNKNOWN`` is neither: ``x & UNKNOWN`` is FALSE when ``x`` is FALSE and UNKNOWN
    otherwise, ``x | UNKNOWN`` TRUE when ``x`` is TRUE and UNKNOWN otherwise.
    """

    is_condition: ClassVar[bool] = True
    value: bool | None


TRUE = Const(True)
"""The condition that always holds."""
FALSE = Const(False)
"""The condition that never holds."""
UNKNOWN = Const(None)
"""The condition that is always UNKNOWN: a fact nobody can find out, or not yet.

In ``all_of`` / ``any_of`` it stays as an item (once), since it is neither an identity
nor absorbing; ``not_(UNKNOWN)`` is ``UNKNOWN``. Explanations list no facts for it:
nothing can be found out about a constant.
"""


@attrs.frozen(eq=False, repr=False)
class Compare(Expr):
    """``left <op> right``; UNKNOWN when either side is missing."""

    is_condition: ClassVar[bool] = True
    OPS: ClassVar[frozenset[str]] = frozenset({"==", "!=", "<", "<=", ">", ">="})
    op: str
    left: Expr
    right: Expr

    @classmethod
    def build(cls, op: str, left: object, right: object) -> Compare:
        """Build a comparison, checking the two sides can be compared."""
        lnode, rnode = lit(left), lit(right)
        check_comparable(lnode, rnode, what=f"{op} comparison")
        check_comparable(rnode, lnode, what=f"{op} comparison")
        if op not in ("==", "!=") and "bool" in (lnode.value_kind(), rnode.value_kind()):
            raise RuleBuildError(f"{op} does not order booleans; use == or !=")
        return cls(op=op, left=lnode, right=rnode)

    def children(self) -> tuple[Expr, ...]:
        """Left and right."""
        return (self.left, self.right)


def _literal_set(values: Iterable[object], *, what: str) -> frozenset[object]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise RuleBuildError(f"{what} takes a collection of values, got {values!r}")
    items = frozenset(values)
    if any(isinstance(v, Expr) for v in items):
        raise RuleBuildError(f"{what} takes plain values, not rule nodes")
    return items


@attrs.frozen(eq=False, repr=False)
class IsIn(Expr):
    """TRUE when the operand's value is one of ``values``."""

    is_condition: ClassVar[bool] = True
    operand: Expr
    values: frozenset[object]

    @classmethod
    def build(cls, operand: Expr, values: Iterable[object]) -> IsIn:
        """Build, checking every value is comparable with the operand."""
        items = _literal_set(values, what="isin")
        for item in sorted(items, key=repr):
            check_comparable(operand, Literal(item), what="isin")
        return cls(operand=operand, values=items)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class Between(Expr):
    """TRUE when ``low <= operand <= high`` (inclusive)."""

    is_condition: ClassVar[bool] = True
    operand: Expr
    low: Expr
    high: Expr

    @classmethod
    def build(cls, operand: Expr, low: object, high: object) -> Between:
        """Build, checking the bounds are comparable with the operand."""
        lo, hi = lit(low), lit(high)
        check_comparable(operand, lo, what="between")
        check_comparable(operand, hi, what="between")
        return cls(operand=operand, low=lo, high=hi)

    def children(self) -> tuple[Expr, ...]:
        """Operand, low, high."""
        return (self.operand, self.low, self.high)


@attrs.frozen(eq=False, repr=False)
class Contains(Expr):
    """A set holds ``item``, or a text holds the substring ``item``."""

    is_condition: ClassVar[bool] = True
    operand: Expr
    item: object

    @classmethod
    def build(cls, operand: Expr, item: object) -> Contains:
        """Build, checking the operand is a set, a list or a text."""
        kind = operand.value_kind()
        if kind not in ("set", "list", "str", "any"):
            raise RuleBuildError(f"contains needs a set or a text, got {operand!r} ({kind})")
        if isinstance(item, Expr):
            raise RuleBuildError("contains takes a plain value")
        if isinstance(operand, Field) and operand.info.enum is not None:
            allowed = [m.value for m in operand.info.enum]
            if item not in allowed:
                raise RuleBuildError(f"contains: {item!r} is not one of {allowed}")
        return cls(operand=operand, item=item)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class Overlaps(Expr):
    """A set holds at least one of ``items``."""

    is_condition: ClassVar[bool] = True
    operand: Expr
    items: frozenset[object]

    @classmethod
    def build(cls, operand: Expr, items: Iterable[object]) -> Overlaps:
        """Build, checking the operand is a set or list."""
        if operand.value_kind() not in ("set", "list", "any"):
            raise RuleBuildError(f"overlaps needs a set, got {operand!r}; use isin for one value")
        return cls(operand=operand, items=_literal_set(items, what="overlaps"))

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class TextTest(Expr):
    """``startswith``, ``endswith`` or ``icontains`` on a text."""

    is_condition: ClassVar[bool] = True
    op: str
    operand: Expr
    arg: str

    @classmethod
    def build(cls, op: str, operand: Expr, arg: str) -> TextTest:
        """Build, checking the operand is text and the argument a string."""
        if operand.value_kind() not in ("str", "enum", "any"):
            raise RuleBuildError(f"{op} needs a text, got {operand!r}")
        if not isinstance(arg, str):
            raise RuleBuildError(f"{op} takes a string, got {arg!r}")
        return cls(op=op, operand=operand, arg=arg)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class Matches(Expr):
    """A bounded regular expression matches somewhere in the text (``re.search``)."""

    is_condition: ClassVar[bool] = True
    operand: Expr
    pattern: str

    @classmethod
    def build(cls, operand: Expr, pattern: str) -> Matches:
        """Build, rejecting patterns that could backtrack catastrophically."""
        if operand.value_kind() not in ("str", "enum", "any"):
            raise RuleBuildError(f"matches needs a text, got {operand!r}")
        check_pattern(pattern)
        return cls(operand=operand, pattern=pattern)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class IsMissing(Expr):
    """TRUE when the operand is missing, FALSE otherwise: a statement about knowledge."""

    is_condition: ClassVar[bool] = True
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class Not(Expr):
    """Negation; ``~UNKNOWN`` is UNKNOWN."""

    is_condition: ClassVar[bool] = True
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)


@attrs.frozen(eq=False, repr=False)
class All(Expr):
    """Kleene AND of its items: FALSE if any is FALSE, TRUE if all are TRUE."""

    is_condition: ClassVar[bool] = True
    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        """The items."""
        return self.items


@attrs.frozen(eq=False, repr=False)
class Any(Expr):
    """Kleene OR of its items: TRUE if any is TRUE, FALSE if all are FALSE."""

    is_condition: ClassVar[bool] = True
    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        """The items."""
        return self.items


@attrs.frozen(eq=False, repr=False)
class AtLeast(Expr):
    """TRUE when at least ``n`` items are TRUE; FALSE when even the unknowns cannot get there."""

    is_condition: ClassVar[bool] = True
    n: int
    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        """The items."""
        return self.items


def _flatten(kind: type[All] | type[Any], parts: tuple[object, ...], *, what: str) -> Expr:
    """Kleene AND / OR of ``parts``, simplified without changing any result.

    Nested nodes of the same kind are spliced in; the identity (``TRUE`` for AND,
    ``FALSE`` for OR) drops out; the absorbing constant (``FALSE`` for AND, ``TRUE`` for
    OR) anywhere makes the whole the absorbing constant (every part is still checked).
    ``UNKNOWN`` is neither: it stays an item, in the place it first appears, and only
    once (``UNKNOWN & UNKNOWN`` is ``UNKNOWN``). With no items left the result is the
    identity; with one, that item.
    """
    identity, absorbing = (TRUE, FALSE) if kind is All else (FALSE, TRUE)
    items: list[Expr] = []
    absorbed = has_unknown = False
    for part in parts:
        node = _condition(part, what=what)
        nodes = node.items if isinstance(node, kind) else (node,)
        for item in nodes:
            if isinstance(item, Const):
                if item.value is None:
                    if not has_unknown:
                        has_unknown = True
                        items.append(UNKNOWN)
                else:
                    # fixed: returning at once left later parts unchecked (any_of(TRUE, 3) built)
                    absorbed = absorbed or item.value is absorbing.value
            else:
                items.append(item)
    if absorbed:
        return absorbing
    if not items:
        return identity
    if len(items) == 1:
        return items[0]
    return kind(items=tuple(items))


def all_of(*conditions: object) -> Expr:
    """All conditions hold (Kleene AND); nested ANDs flatten, ``TRUE`` drops out.

    Examples:
        >>> from funnelkit.rules import F
        >>> all_of(F.company.employees >= 50, TRUE, F.company.country == "US")
        all_of(F.company.employees >= 50, F.company.country == 'US')
    """
    return _flatten(All, conditions, what="all_of / &")


def any_of(*conditions: object) -> Expr:
    """At least one condition holds (Kleene OR); nested ORs flatten, ``FALSE`` drops out."""
    return _flatten(Any, conditions, what="any_of / |")


def not_(condition: object) -> Expr:
    """The negation of a condition; ``not_(not_(x))`` is ``x``, ``not_(UNKNOWN)`` UNKNOWN."""
    node = _condition(condition, what="not_ / ~")
    if isinstance(node, Not):
        return node.operand
    if isinstance(node, Const):
        return UNKNOWN if node.value is None else FALSE if node.value else TRUE
    return Not(operand=node)


def none_of(*conditions: object) -> Expr:
    """No condition holds: ``~any_of(...)``."""
    return not_(any_of(*conditions))


def at_least(n: int, *conditions: object) -> Expr:
    """At least ``n`` of the conditions hold.

    Args:
        n: How many must hold, ``>= 0``.
        *conditions: The conditions.

    Returns:
        An ``AtLeast`` node (``TRUE`` when ``n == 0``).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise RuleBuildError(f"at_least needs a whole number >= 0, got {n!r}")
    items = tuple(_condition(c, what="at_least") for c in conditions)
    if n == 0:
        return TRUE
    if n > len(items):
        return FALSE
    return AtLeast(n=n, items=items)


def _number(value: object, *, what: str) -> Expr:
    node = lit(value)
    kind = node.value_kind()
    if kind not in (*_NUMERIC, "any"):
        raise RuleBuildError(f"{what} needs numbers, got {node!r} ({kind})")
    return node


def _unbounded(value: object) -> bool:
    """An infinity, or a number of 10**28 or more in size (its products could overflow)."""
    if isinstance(value, Decimal):
        return value.is_infinite() or (value.is_finite() and value.adjusted() >= 28)
    if isinstance(value, float):
        return math.isinf(value) or abs(value) >= 1e28
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**28


@attrs.frozen(eq=False, repr=False)
class Arith(Expr):
    """``left <op> right`` on numbers; missing if either side is missing or on ``/ 0``."""

    op: str
    left: Expr
    right: Expr

    @classmethod
    def build(cls, op: str, left: object, right: object) -> Arith:
        """Build, checking both sides are finite numbers or number rules."""
        sides = (_number(left, what=f"'{op}'"), _number(right, what=f"'{op}'"))
        for side in sides:
            if isinstance(side, Literal) and _unbounded(side.value):
                raise RuleBuildError(
                    f"'{op}' cannot take an infinity or a number of 10**28 or more "
                    f"({side!r}): inf - inf has no value and products overflow; compare "
                    "with it instead"
                )
        return cls(op=op, left=sides[0], right=sides[1])

    def children(self) -> tuple[Expr, ...]:
        """Left and right."""
        return (self.left, self.right)

    def value_kind(self) -> str:
        """``float`` for division or float operands, ``decimal`` or ``int`` otherwise."""
        kinds = {self.left.value_kind(), self.right.value_kind()}
        if self.op == "/" or "float" in kinds:
            return "float" if "decimal" not in kinds else "decimal"
        return "decimal" if "decimal" in kinds else ("int" if kinds == {"int"} else "any")


@attrs.frozen(eq=False, repr=False)
class Func(Expr):
    """``min``, ``max`` or ``clip`` of numbers; missing if any argument is missing."""

    name: str
    args: tuple[Expr, ...]

    @classmethod
    def build(cls, name: str, *args: object) -> Func:
        """Build, checking the arguments are numbers."""
        return cls(name=name, args=tuple(_number(a, what=name) for a in args))

    def children(self) -> tuple[Expr, ...]:
        """The arguments."""
        return self.args

    def value_kind(self) -> str:
        """The common kind of the arguments."""
        kinds = {a.value_kind() for a in self.args}
        return kinds.pop() if len(kinds) == 1 else "any"


def minimum(*values: object) -> Func:
    """The smallest of the values (missing if any is missing)."""
    if not values:
        raise RuleBuildError("minimum needs at least one value")
    return Func.build("min", *values)


def maximum(*values: object) -> Func:
    """The largest of the values (missing if any is missing)."""
    if not values:
        raise RuleBuildError("maximum needs at least one value")
    return Func.build("max", *values)


@attrs.frozen(eq=False, repr=False)
class Size(Expr):
    """The number of items in a set or list; never missing (an absent list is empty)."""

    operand: Expr

    @classmethod
    def build(cls, operand: Expr) -> Size:
        """Build, checking the operand is a set or list."""
        if operand.value_kind() not in ("set", "list", "any"):
            raise RuleBuildError(f"size needs a set or list, got {operand!r}")
        return cls(operand=operand)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)

    def value_kind(self) -> str:
        """Always ``int``."""
        return "int"


@attrs.frozen(eq=False, repr=False)
class DaysFrom(Expr):
    """Whole days between a date/datetime and ``as_of``: ``age`` (since) or ``until``."""

    operand: Expr
    direction: str

    @classmethod
    def build(cls, operand: Expr, *, direction: str) -> DaysFrom:
        """Build, checking the operand is a date or datetime."""
        if operand.value_kind() not in ("date", "datetime", "any"):
            raise RuleBuildError(f"day counts need a date or datetime, got {operand!r}")
        return cls(operand=operand, direction=direction)

    def children(self) -> tuple[Expr, ...]:
        """The operand."""
        return (self.operand,)

    def value_kind(self) -> str:
        """Always ``int``."""
        return "int"
