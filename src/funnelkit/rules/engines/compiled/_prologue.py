"""The top of a generated rule function: every field read once, every signal count in one pass.

Reading a field or aggregating signals never raises, so both happen once, before the
rule's logic, whatever that logic then needs. Field values are made exactly what the
interpreter's ``read_path`` gives (``None`` through a missing object, an enum member
named ``UNKNOWN`` read as missing). Signal counts, latest times and decayed sums that
share a window and an ``explicit`` filter share one loop over ``lead.signals``; counts
are kept per kind. Aggregations with a minimum gap collect the matching instants in the
loop, then count them newest first. (Plain sums can raise, so they are computed where
they are used.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import attrs

from funnelkit.model import unknown_member
from funnelkit.rules.engines.compiled._base import NONE, Emitter, Val, field_tags
from funnelkit.rules.meaning import signal_window
from funnelkit.rules.tree import FieldInfo, SignalAgg, field_info

__all__ = ["read_fields", "aggregate_signals"]

_EXACT = {
    "str": "_str",
    "int": "_int",
    "float": "_float",
    "decimal": "_Decimal",
    "date": "_date",
    "datetime": "_datetime",
}
"""The class a field of each kind holds; any other class may be an enum named UNKNOWN."""
_MAX_ELIF = 32
"""Longer ``if``/``elif`` chains are written as separate ``if`` statements."""


@attrs.define
class _Node:
    var: str
    info: FieldInfo | None
    wanted: bool = False
    children: dict[str, _Node] = attrs.Factory(dict)

    def descendants(self) -> Iterable[_Node]:
        for child in self.children.values():
            yield child
            yield from child.descendants()


def read_fields(out: Emitter, paths: Iterable[str]) -> dict[str, Val]:
    """Emit the reads of ``paths``; return each path's value."""
    root = _Node("lead", None)
    for path in sorted(set(paths)):
        node, parts = root, path.split(".")
        for i, part in enumerate(parts):
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = _Node(
                    out.new("f"), field_info(".".join(parts[: i + 1]))
                )
            node = child
        node.wanted = True
    _read_children(out, root)
    values: dict[str, Val] = {}
    for node in root.descendants():
        if node.wanted and node.info is not None:
            values[node.info.path] = Val(node.var, field_tags(node.info))
    return values


def _read_children(out: Emitter, node: _Node) -> None:
    mapping = node.info is not None and node.info.kind == "mapping"
    for part, child in node.children.items():
        if mapping:
            out.line(f"{child.var} = {node.var}.get({out.const(part)})")
        else:
            out.line(f"{child.var} = {node.var}.{out.attr(part)}")
        if child.wanted and child.info is not None:
            _known(out, child.var, child.info)
        if child.children:
            with out.block(f"if {child.var} is None"):
                for below in child.descendants():
                    out.line(f"{below.var} = None")
            with out.block("else"):
                _read_children(out, child)


def _known(out: Emitter, var: str, info: FieldInfo) -> None:
    """Read an enum member named UNKNOWN as missing, as ``read_path`` does."""
    if info.kind == "enum":
        member = unknown_member(info.enum) if info.enum is not None else None
        if member is not None:
            with out.block(f"if {var} is {out.const(member)}"):
                out.line(f"{var} = None")
    elif info.kind in _EXACT:
        # ``_type`` is ``type``, which CPython calls fast; a present value of the plain
        # class (the usual case) costs one test
        with out.block(f"if _type({var}) is not {_EXACT[info.kind]} and {var} is not None"):
            out.line(f"{var} = _known({var})")
    elif info.kind == "any":
        out.line(f"{var} = _known({var})")


def _loopable(agg: SignalAgg) -> bool:
    """Whether the shared loop computes ``agg`` exactly as ``signal_agg`` (else it is called)."""
    if agg.explicit not in (None, True, False) or not isinstance(agg.kinds, frozenset):
        return False
    if agg.within_days is not None:
        try:
            timedelta(days=agg.within_days)
        except (OverflowError, TypeError):
            return False
    if agg.min_gap_days is not None:
        try:
            timedelta(days=agg.min_gap_days)
        except (OverflowError, TypeError, ValueError):
            return False
    if agg.agg == "count":
        return agg.limit is None or (type(agg.limit) is int)
    if agg.agg == "decayed":
        half = agg.half_life_days
        return type(half) in (int, float) and half > 0  # type: ignore[operator]
    # not "sum": ``0.0 + value`` raises OverflowError for a huge int value, which must
    # happen where the interpreter evaluates the sum (if it does), not up front
    return agg.agg == "latest"


def aggregate_signals(out: Emitter, setup: list[str], aggs: Iterable[SignalAgg]) -> dict[int, Val]:
    """Emit one loop per (window, explicit) group; return each aggregation's value by id.

    Aggregations left out of the result are computed by ``signal_agg`` where they occur.
    ``setup`` receives the per-``as_of`` lines (window cutoffs).
    """
    groups: dict[tuple[object, object], list[SignalAgg]] = {}
    seen: set[int] = set()
    for agg in aggs:
        if id(agg) not in seen and _loopable(agg):
            seen.add(id(agg))
            groups.setdefault((agg.within_days, agg.explicit), []).append(agg)
    if not groups:
        return {}
    signals = out.new("o")
    out.line(f"{signals} = lead.signals")
    values: dict[int, Val] = {}
    for members in groups.values():
        values.update(_group(out, setup, signals, members))
    return values


def _group(
    out: Emitter, setup: list[str], signals: str, members: list[SignalAgg]
) -> dict[int, Val]:
    first = members[0]
    counts = [a for a in members if a.agg == "count" and a.min_gap_days is None]
    others = [a for a in members if a.agg != "count" and a.min_gap_days is None]
    gapped = [a for a in members if a.min_gap_days is not None]
    times = {kinds: out.new("l") for kinds in dict.fromkeys(a.kinds for a in gapped)}
    kinds = sorted({k for a in counts for k in a.kinds}, key=repr)
    per_kind = {kind: out.new("n") for kind in kinds}
    every = out.new("n") if any(not a.kinds for a in counts) else None
    accs = {id(a): out.new("a") for a in others}
    for var in [*per_kind.values(), *([every] if every else [])]:
        out.line(f"{var} = 0")
    for agg in others:
        out.line(f"{accs[id(agg)]} = {'None' if agg.agg == 'latest' else '0.0'}")
    for var in times.values():
        out.line(f"{var} = []")
    sig, when, kind = out.new("g"), out.new("g"), out.new("g")
    with out.block(f"for {sig} in {signals}"):
        if first.within_days is None and not others and not gapped:
            when = f"{sig}.occurred_at"  # read once, for the test below only
        else:
            out.line(f"{when} = {sig}.occurred_at")
        with out.block(f"if {when} > _as_of"):
            out.line("continue")
        if first.within_days is not None:
            window = out.const(signal_window(first.within_days))
            cut = out.new("w")
            setup.append(f"{cut} = _window_start(_as_of, {window})")
            with out.block(f"if {cut} is not None"), out.block(f"if {when} < {cut}"):
                out.line("continue")
            with out.block(f"elif _as_of - {when} > {window}"):
                out.line("continue")
        if first.explicit is not None:
            with out.block(f"if {sig}.explicit is not {out.const(first.explicit)}"):
                out.line("continue")
        if every:
            out.line(f"{every} += 1")
        if kinds or any(a.kinds for a in [*others, *gapped]):
            out.line(f"{kind} = {sig}.kind")
        for i, name in enumerate(kinds):
            word = "elif" if i > 0 and len(kinds) <= _MAX_ELIF else "if"
            with out.block(f"{word} {kind} == {out.const(name)}"):
                out.line(f"{per_kind[name]} += 1")
        for agg in others:
            _update(out, agg, accs[id(agg)], when, kind)
        for selected, var in times.items():
            if selected:
                with out.block(f"if {kind} in {out.const(selected)}"):
                    out.line(f"{var}.append({when})")
            else:
                out.line(f"{var}.append({when})")
    values: dict[int, Val] = {}
    done: dict[tuple[object, ...], str] = {}
    for agg in gapped:
        key = (agg.agg, agg.kinds, agg.min_gap_days, agg.half_life_days)
        if key not in done:
            done[key] = _gapped(out, agg, times[agg.kinds])
        total = done[key]
        if agg.agg == "count" and agg.limit is not None:
            limit, total = out.const(agg.limit), out.new("a")
            out.line(f"{total} = {limit} if {limit} < {done[key]} else {done[key]}")
        values[id(agg)] = Val(total, frozenset({"int" if agg.agg == "count" else "float"}))
    for agg in counts:
        terms = [per_kind[k] for k in sorted(agg.kinds, key=repr)] if agg.kinds else [every]
        count = " + ".join(t for t in terms if t)
        if agg.limit is not None:
            if len(terms) > 1:
                count = out.new("a")
                out.line(f"{count} = {' + '.join(t for t in terms if t)}")
            limit = out.const(agg.limit)
            count = f"{limit} if {limit} < {count} else {count}"  # min(count, limit)
        total = out.new("a")
        out.line(f"{total} = {count}")
        values[id(agg)] = Val(total, frozenset({"int"}))
    for agg in others:
        tags = frozenset({"adt"}) | NONE if agg.agg == "latest" else frozenset({"float"})
        values[id(agg)] = Val(accs[id(agg)], tags)
    return values


def _gapped(out: Emitter, agg: SignalAgg, times: str) -> str:
    """Emit a count or decayed sum of the instants in ``times`` under the minimum gap.

    As ``signal_agg`` (with ``_signals.gap_filter``) does: newest first, an instant counts
    when it is at least the gap before the last one that counted (summed in that order).
    Returns the variable.
    """
    total, last, at = out.new("a"), out.new("p"), out.new("g")
    gap = out.const(timedelta(days=agg.min_gap_days))  # type: ignore[arg-type]
    count = agg.agg == "count"
    out.line(f"{total} = {'0' if count else '0.0'}")
    out.line(f"{last} = None")
    loop = f"for {at} in _newest_first({times})"
    with out.block(loop), out.block(f"if {last} is None or {last} - {at} >= {gap}"):
        out.line(f"{last} = {at}")
        if count:
            out.line(f"{total} += 1")
        else:
            half = out.const(agg.half_life_days)
            out.line(f"{total} += _decay(_as_of - {at}, {half})")
    return total


def _update(out: Emitter, agg: SignalAgg, acc: str, when: str, kind: str) -> None:
    """The loop body's lines for one latest or decayed aggregation."""
    if agg.agg == "latest":
        step = f"{acc} = {when}"
        header = f"if {acc} is None or {when} > {acc}"
    else:
        half = out.const(agg.half_life_days)
        step = f"{acc} += _decay(_as_of - {when}, {half})"
        header = ""
    if agg.kinds:
        out.line(f"if {kind} in {out.const(agg.kinds)}:")
        out.indent += 1
    if header:
        with out.block(header):
            out.line(step)
    else:
        out.line(step)
    if agg.kinds:
        out.indent -= 1
