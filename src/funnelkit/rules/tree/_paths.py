"""The catalogue of field paths a rule can read from a Lead, with their types.

Built once by walking the attrs classes of the model, so a path that does not exist is
caught when the rule is built, with the closest existing path as a suggestion.
"""

from __future__ import annotations

import difflib
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import ClassVar

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.model import FrozenDict, Lead, Money

__all__ = ["ROW_ONLY_PATHS", "FieldInfo", "UnknownFieldError", "field_info", "known_paths"]

ROW_ONLY_PATHS = frozenset({"stage_history", "custom_evidence"})
"""Field paths the table contract does not hold: rules that read them run on rows only."""


class UnknownFieldError(FunnelkitError, AttributeError):
    """A field path does not exist in the model; the message suggests the closest one."""

    code: ClassVar[str] = "unknown-field"

    def __init__(self, path: str, suggestion: str | None) -> None:
        self.path = path
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(f"unknown field {path!r}{hint}")


@attrs.frozen
class FieldInfo:
    """What the catalogue knows about one readable path.

    Attributes:
        path: The dotted path (``company.employees``).
        kind: One of ``str``, ``int``, ``float``, ``decimal``, ``bool``, ``date``,
            ``datetime``, ``enum``, ``money``, ``set``, ``list``, ``object``, ``mapping``,
            ``any``.
        enum: The enum class for ``enum`` kinds (and ``set`` of enum members).
        item_kind: The kind of the items of a ``set`` or ``list``.
    """

    path: str
    kind: str
    enum: type[Enum] | None = None
    item_kind: str | None = None


def _kind_of(tp: object) -> tuple[str, type[Enum] | None, str | None, type | None]:
    """Classify a (non-optional) annotation: kind, enum class, item kind, attrs class."""
    origin = typing.get_origin(tp)
    if origin in (frozenset, tuple, set, list):
        (item, *_) = typing.get_args(tp)
        item_kind, enum_cls, _, _ = _kind_of(item)
        return ("set" if origin in (frozenset, set) else "list"), enum_cls, item_kind, None
    if origin is FrozenDict or tp is FrozenDict:
        return "mapping", None, None, None
    simple: dict[object, str] = {
        bool: "bool",
        int: "int",
        float: "float",
        Decimal: "decimal",
        str: "str",
        datetime: "datetime",
        date: "date",
        Money: "money",
    }
    if tp in simple:
        return simple[tp], None, None, None
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "enum", tp, None, None
    if isinstance(tp, type) and attrs.has(tp):
        return "object", None, None, tp
    return "any", None, None, None


def _strip_optional(tp: object) -> object:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@cache
def _catalogue() -> dict[str, FieldInfo]:
    out: dict[str, FieldInfo] = {}

    def walk(cls: type, prefix: str, depth: int) -> None:
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            path = f"{prefix}{field.name}"
            kind, enum_cls, item_kind, sub = _kind_of(_strip_optional(hints[field.name]))
            if kind == "list" and item_kind == "object":
                # lists of objects (signals, pain points, history) are read by aggregations
                out[path] = FieldInfo(path, "list", None, "object")
                continue
            out[path] = FieldInfo(path, kind, enum_cls, item_kind)
            if sub is not None and depth < 4:
                walk(sub, path + ".", depth + 1)
            if kind == "money":
                out[path + ".amount"] = FieldInfo(path + ".amount", "decimal")
                out[path + ".currency"] = FieldInfo(path + ".currency", "str")

    walk(Lead, "", 0)
    return out


def known_paths() -> tuple[str, ...]:
    """Every path a rule can read, sorted (``custom.<name>`` paths come on top of these)."""
    return tuple(sorted(_catalogue()))


def field_info(path: str) -> FieldInfo:
    """Look a path up in the catalogue.

    Args:
        path: A dotted path such as ``company.employees`` or ``custom.tier``.

    Returns:
        The path's FieldInfo; ``custom.<name>`` paths have kind ``any``.

    Raises:
        UnknownFieldError: The path does not exist (the message suggests the closest).

    Examples:
        >>> field_info("company.employees").kind
        'int'
        >>> field_info("company.employes")
        Traceback (most recent call last):
        ...
        funnelkit.rules.tree._paths.UnknownFieldError: unknown field 'company.employes'; did you mean 'company.employees'?
    """  # noqa: E501
    catalogue = _catalogue()
    info = catalogue.get(path)
    if info is not None:
        return info
    head, _, name = path.partition(".")
    if head == "custom" and name and "." not in name:
        return FieldInfo(path, "any")
    close = difflib.get_close_matches(path, list(catalogue), n=1, cutoff=0.6)
    raise UnknownFieldError(path, close[0] if close else None)
