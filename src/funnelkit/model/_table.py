"""The leads table of the table contract: one column per flat field of the model.

The columnar engines read leads as a table whose columns are the model's dotted paths
(see ``funnelkit.io.leads_to_tables``). This module lists those columns, walking the
model's attrs classes, so that every layer (the readers, the SQL query of a policy)
agrees on them.
"""

from __future__ import annotations

import functools
import types
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin

import attrs

from funnelkit.model._lead import Lead
from funnelkit.model._money import Money

__all__ = ["TableColumn", "table_columns"]

_SKIPPED: Final = frozenset({"signals", "stage_history", "custom", "custom_evidence"})
_LIST_TEXT: Final = {"pain_points": "description"}


@attrs.frozen
class TableColumn:
    """One fixed column of the leads table.

    Attributes:
        path: The column's name, a dotted path (``company.annual_revenue.amount``).
        parts: Where the value lives on a ``Lead`` (for money: the ``Money`` field).
        kind: ``str``, ``int``, ``float``, ``bool``, ``decimal``, ``date``,
            ``datetime``, ``enum``, ``set``, ``list`` or ``present`` (an optional
            object: true when the lead has it).
        item: For a list of objects, the field of each that the column keeps.
    """

    path: str
    parts: tuple[str, ...]
    kind: str
    item: str | None = None


def _unwrap(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _is_attrs(tp: object) -> bool:
    return isinstance(tp, type) and attrs.has(tp)


def _fields(cls: type) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {a.alias: a.type for a in attrs.fields(cls) if a.init}


def _kind(tp: Any) -> str | None:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "enum"
    if tp is bool:
        return "bool"
    for cls, name in ((str, "str"), (int, "int"), (float, "float"), (Decimal, "decimal")):
        if tp is cls:
            return name
    if tp is datetime:
        return "datetime"
    if tp is date:
        return "date"
    if (get_origin(tp) or tp) is frozenset:
        return "set"
    return None


@functools.cache
def table_columns() -> tuple[TableColumn, ...]:
    """The leads table's fixed columns, in order (``id`` first).

    Returns:
        One ``TableColumn`` per flat field of ``Lead`` (money as amount and currency;
        custom attributes, signals and the stage history are not among them).

    Examples:
        >>> [c.path for c in table_columns()][:3]
        ['id', 'contact', 'contact.id']
    """
    out: list[TableColumn] = []

    def walk(cls: type, parts: tuple[str, ...]) -> None:
        for name, tp in _fields(cls).items():
            if not parts and name in _SKIPPED:
                continue
            here = (*parts, name)
            optional = _unwrap(tp) is not tp
            tp = _unwrap(tp)
            if optional and _is_attrs(tp) and tp is not Money:
                out.append(TableColumn(".".join(here), here, "present"))
            if tp is Money:
                out.append(TableColumn(".".join((*here, "amount")), here, "decimal"))
                out.append(TableColumn(".".join((*here, "currency")), here, "str"))
            elif name in _LIST_TEXT and get_origin(tp) is tuple:
                out.append(TableColumn(".".join(here), here, "list", _LIST_TEXT[name]))
            elif _is_attrs(tp):
                walk(tp, here)
            else:
                kind = _kind(tp)
                if kind is not None:
                    out.append(TableColumn(".".join(here), here, kind))

    walk(Lead, ())
    return tuple(out)
