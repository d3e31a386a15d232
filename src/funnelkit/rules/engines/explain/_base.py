"""What every explain step shares: the step protocol, the record, field reading, signals.

A *step* evaluates one node of an explain plan for one lead: ``step(lead, rec)`` returns
the node's value. ``rec`` is the *record* of one evaluation, a flat list: each traced
node has two slots, its value at ``v`` (``SKIP`` until it is evaluated) and its unknown
facts at ``v + 1`` (empty unless found). A few more slots hold ``as_of`` (``AS_OF``),
the outputs of rule sets (``ENV``, ``ENV_FACTS``) and shared signal counts. Steps are
closures built once per rule over their slot numbers; nothing is generated or evaluated
from text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple

from funnelkit.model import Lead, Money, is_unknown_member, unknown_member
from funnelkit.rules.meaning import signal_agg, signal_counts
from funnelkit.rules.tree import Expr, Field, SignalAgg, Truth

__all__ = [
    "AS_OF",
    "ENV",
    "ENV_FACTS",
    "NO_FACTS",
    "PLAIN_VALUES",
    "SKIP",
    "Count",
    "Kid",
    "Reader",
    "Rec",
    "Slots",
    "Step",
    "fused_field",
    "generic_step",
    "merge",
    "one_count",
    "reader",
    "signal_step",
    "test_step",
]

NO_FACTS: frozenset[str] = frozenset()
PLAIN_VALUES = frozenset(
    {type(None), str, int, float, bool, Decimal, date, datetime, frozenset, tuple, Money}
)
"""Classes of values that need no more thought: never an enum member, never ``UNKNOWN``."""
AS_OF, ENV, ENV_FACTS = 0, 1, 2
T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
Rec = list[Any]
Step = Callable[[Lead, Rec], Any]


class _Skip:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<not evaluated>"


SKIP: Any = _Skip()
"""The value of a node that was not evaluated (its parent stopped early)."""


class Slots:
    """Hands out the slots of a record, and keeps the record's starting values."""

    def __init__(self) -> None:
        self.template: list[Any] = [None, None, None]  # as_of, env, env facts
        self.shared: dict[object, int] = {}

    def node(self) -> int:
        """Two slots for a traced node: its value (returned) and its facts."""
        self.template += (SKIP, NO_FACTS)
        return len(self.template) - 2

    def share(self, key: object) -> int:
        """One slot per ``key`` (starting as ``None``), for values steps compute once."""
        slot = self.shared.get(key)
        if slot is None:
            slot = self.shared[key] = len(self.template)
            self.template.append(None)
        return slot


class Kid(NamedTuple):
    """A built child: its node, number and value slot (``None`` for an untraced literal)."""

    node: Expr
    number: int | None
    slot: int | None
    step: Step
    kids: tuple[Kid, ...] = ()

    @property
    def at(self) -> int:
        """The value slot of a traced child (composite nodes trace all their children)."""
        if self.slot is None:  # pragma: no cover - literals are traced under these nodes
            raise AssertionError(f"{self.node!r} has no slot")
        return self.slot


def merge(rec: Rec, into: int, facts: tuple[int, ...]) -> None:
    """Record at ``into`` the union of the facts at the slots ``facts`` (if any)."""
    found = None
    for k in facts:
        f = rec[k]
        if f:
            found = f if found is None else found | f
    if found is not None:
        rec[into] = found


class _Nothing:
    __slots__ = ()


class Reader(NamedTuple):
    """How to read a field path fast, with exactly ``read_path``'s results.

    ``get(lead)`` is a C ``attrgetter`` of the whole path; it raises AttributeError when
    an object on the way is missing (then ``read_path(lead, parts)`` says what to give).
    A value whose class is not in ``plain``, or that is ``unknown``, goes through
    ``tail`` (an enum member named ``UNKNOWN`` is missing).
    """

    get: Callable[[Lead], Any]
    parts: tuple[str, ...]
    unknown: object
    plain: frozenset[type]
    tail: Callable[[Any], Any]
    fact: frozenset[str]


def _tail(v: Any) -> Any:
    return None if is_unknown_member(v) else v


def reader(node: Field) -> Reader | None:
    """A fast reader of a field, or None when the path needs ``read_path`` (mappings)."""
    parts, info = node.parts, node.info
    if parts[0] == "custom" or info.kind in ("any", "mapping"):
        return None
    enum, unknown, plain = info.enum, _Nothing(), PLAIN_VALUES
    member = unknown_member(enum) if enum is not None else None
    if enum is not None and member is not None:
        unknown, plain = member, plain | {enum}  # type: ignore[assignment]
    return Reader(attrgetter(node.path), parts, unknown, plain, _tail, frozenset({node.path}))


def _counter(within_days: float | None, explicit: bool | None) -> Callable[[Lead, datetime], Any]:
    """The shared per-kind counts of one (window, explicit) pair: ``signal_counts``."""
    return functools.partial(signal_counts, within_days=within_days, explicit=explicit)


class Count(NamedTuple):
    """A count of one kind of signal, read from counts shared by the whole plan.

    ``rec[shared]`` holds ``counts_of(lead, as_of)`` (signals per kind) once computed;
    the count is ``counts.get(kind, 0)``, at most ``top`` when ``top >= 0``.
    """

    shared: int
    counts_of: Callable[[Lead, datetime], dict[str, int]]
    kind: str
    top: int


def one_count(node: Expr, slots: Slots) -> Count | None:
    """The Count of a ``signals(kind=...).count()`` node (one kind, no gap), or None."""
    if not isinstance(node, SignalAgg) or node.agg != "count" or len(node.kinds) != 1:
        return None
    if node.min_gap_days is not None:
        return None
    shared = slots.share(("signal counts", node.within_days, node.explicit))
    (kind,) = node.kinds
    top = -1 if node.limit is None else node.limit
    return Count(shared, _counter(node.within_days, node.explicit), kind, top)


def signal_step(v: int, node: SignalAgg, slots: Slots) -> Step:
    """The step of a signal aggregation; counts share one pass over the signals."""
    one = one_count(node, slots)
    if one is not None:
        shared, counts_of, kind, top = one

        def count_one(lead: Lead, rec: Rec) -> Any:
            counts = rec[shared]
            if counts is None:
                counts = rec[shared] = counts_of(lead, rec[AS_OF])
            n = counts.get(kind, 0)
            if n > top >= 0:
                n = top
            rec[v] = n
            return n

        return count_one
    if node.agg != "count" or node.min_gap_days is not None:  # gaps: signal_agg itself

        def other(lead: Lead, rec: Rec) -> Any:
            out = rec[v] = signal_agg(node, lead, rec[AS_OF])
            return out

        return other
    shared = slots.share(("signal counts", node.within_days, node.explicit))
    counts_of = _counter(node.within_days, node.explicit)
    kinds, limit = tuple(node.kinds), node.limit

    def count(lead: Lead, rec: Rec) -> Any:
        counts = rec[shared]
        if counts is None:
            counts = rec[shared] = counts_of(lead, rec[AS_OF])
        n = sum(counts.get(k, 0) for k in kinds) if kinds else sum(counts.values())
        if limit is not None and n > limit:
            n = limit
        rec[v] = n
        return n

    return count


def fused_field(kid: Kid) -> tuple[int, Reader] | None:
    """A traced field operand that can be read inside its parent's step."""
    if not isinstance(kid.node, Field) or kid.slot is None:
        return None
    read = reader(kid.node)
    return None if read is None else (kid.slot, read)


def test_step(s: int, kid: Kid, test: Callable[[Any], Truth]) -> Step:
    """A one-operand condition: UNKNOWN when the operand is missing, else ``test(value)``."""
    read, k = kid.step, kid.slot
    if k is None:  # a literal operand

        def constant(lead: Lead, rec: Rec) -> Any:
            x = read(lead, rec)
            out = rec[s] = U if x is None else test(x)
            return out

        return constant
    sf, kf = s + 1, k + 1

    def step(lead: Lead, rec: Rec) -> Any:
        x = read(lead, rec)
        out = rec[s] = U if x is None else test(x)
        f = rec[kf]
        if f:
            rec[sf] = f
        return out

    return step


def generic_step(s: int, kids: tuple[Kid, ...], run: Callable[..., Any]) -> Step:
    """Evaluate every child in order, then ``run(*values)``; facts are the union."""
    steps = tuple(kid.step for kid in kids)
    facts = tuple(kid.slot + 1 for kid in kids if kid.slot is not None)
    sf = s + 1

    def step(lead: Lead, rec: Rec) -> Any:
        out = rec[s] = run(*[read(lead, rec) for read in steps])
        merge(rec, sf, facts)
        return out

    return step
