"""Where things live in a lead record: dotted field paths, their types, and suggestions."""

from __future__ import annotations

import difflib
import functools
import types
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

import attrs

from funnelkit.model import Lead

CUSTOM_PREFIX = "custom."


@attrs.frozen
class Target:
    """A place in a lead record that a column or key can fill.

    Attributes:
        path: The dotted path (``company.employees``, ``custom.tier``).
        parts: The path split into keys of the nested record.
        type: The field's type with ``None`` removed (``int`` for ``int | None``).
        custom: Whether it is a custom attribute (``custom.<name>``).
    """

    path: str
    parts: tuple[str, ...]
    type: Any
    custom: bool = False


def is_attrs_class(tp: object) -> bool:
    """Whether ``tp`` is an attrs class (and not a generic alias or a union)."""
    return isinstance(tp, type) and attrs.has(tp)


def unwrap_optional(tp: Any) -> Any:
    """Return ``X`` for ``X | None``; anything else unchanged."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """The resolved type of each init field of an attrs class, by name, in order."""
    attrs.resolve_types(cls)
    return {a.alias: a.type for a in attrs.fields(cls) if a.init}


@functools.cache
def target(path: str) -> Target | None:
    """Resolve a dotted path below [`Lead`][funnelkit.model.Lead]; ``None`` if unknown.

    ``custom.<name>`` is a custom attribute (any non-blank name, taken verbatim).
    """
    if path.startswith(CUSTOM_PREFIX):
        name = path[len(CUSTOM_PREFIX) :]
        return Target(path, ("custom", name), str, custom=True) if name.strip() else None
    cls: type | None = Lead
    tp: Any = None
    parts = tuple(path.split("."))
    for part in parts:
        if cls is None:
            return None
        fields = field_types(cls)
        if part not in fields:
            return None
        tp = unwrap_optional(fields[part])
        cls = tp if is_attrs_class(tp) else None
    return Target(path, parts, tp)


@functools.cache
def known_paths() -> tuple[str, ...]:
    """Every dotted path a column can be mapped to, outermost first."""
    out: list[str] = []

    def walk(cls: type, prefix: str) -> None:
        for name, tp in field_types(cls).items():
            path = f"{prefix}{name}"
            out.append(path)
            inner = unwrap_optional(tp)
            if is_attrs_class(inner):
                walk(inner, path + ".")

    walk(Lead, "")
    return tuple(out)


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word`` (ignoring case), or ``None`` if none is close."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` hint for ``word``, or ``""`` if nothing is close."""
    best = suggest(word, candidates)
    return f" (did you mean {best!r}?)" if best is not None and best != word else ""
