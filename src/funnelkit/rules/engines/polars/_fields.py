"""Reading a field path from a leads frame that follows the table contract."""

from __future__ import annotations

import functools
import types
from typing import Any, Union, get_args, get_origin

import attrs
import polars as pl

from funnelkit.model import Lead
from funnelkit.rules.engines.polars._col import Col, null_of
from funnelkit.rules.meaning import DEFAULT_CURRENCY, UnsupportedRuleError
from funnelkit.rules.tree import ROW_ONLY_PATHS, Field

__all__ = ["read_field"]


def _kind_of_dtype(dtype: Any) -> str:
    if dtype == pl.Null:
        return "null"
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "float"
    if isinstance(dtype, pl.Decimal):
        return "fixed"
    if dtype == pl.String:
        return "str"
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if isinstance(dtype, pl.List):
        return "list"
    raise UnsupportedRuleError(f"a column of type {dtype} has no rule type")


@functools.cache
def _optional(path: str) -> bool:
    """Whether the object at ``path`` may be missing (``company``: yes; ``bant``: no)."""
    cls: Any = Lead
    optional = False
    for part in path.split("."):
        attrs.resolve_types(cls)
        tp = {a.name: a.type for a in attrs.fields(cls)}[part]
        if get_origin(tp) in (Union, types.UnionType):
            optional = True
            tp = next(a for a in get_args(tp) if a is not type(None))
        else:
            optional = False
        cls = tp
    return optional


def _column(name: str, kind: str, dtype: Any) -> Col:
    col = pl.col(name)
    if kind == "fixed":
        scale = dtype.scale or 0
        return Col(
            (col * 10**scale).cast(pl.Int64) if scale else col.cast(pl.Int64), "fixed", scale
        )
    if kind == "datetime" and getattr(dtype, "time_zone", None) not in ("UTC", None):
        return Col(col.dt.convert_time_zone("UTC"), kind)
    if kind == "datetime" and getattr(dtype, "time_zone", None) is None:
        return Col(col.dt.replace_time_zone("UTC"), kind)
    return Col(col, kind)


def _presence(path: str, schema: dict[str, Any]) -> pl.Expr:
    """True where the object at ``path`` is present, null where it is missing."""
    if path in schema:
        return pl.col(path)
    if not _optional(path):
        parent = path.rpartition(".")[0]
        return _presence(parent, schema) if parent else pl.lit(True)
    inner = [pl.col(c).is_not_null() for c in schema if c.startswith(f"{path}.")]
    if not inner:
        return pl.lit(None, dtype=pl.Boolean)
    return pl.when(pl.any_horizontal(inner)).then(True).otherwise(None)


def read_field(node: Field, schema: dict[str, Any]) -> Col:
    """The lowered value of a field path (a column the frame lacks is missing throughout)."""
    path, kind = node.path, node.info.kind
    if path.split(".")[0] in ROW_ONLY_PATHS:
        raise UnsupportedRuleError(f"the table contract does not hold {path}", node=node)
    if kind == "mapping":
        return Col(pl.lit(True), "object")
    if kind == "object":
        return Col(_presence(path, schema), "object")
    if kind == "money":
        amount, currency = f"{path}.amount", f"{path}.currency"
        if amount not in schema:
            return null_of("money")
        fixed = (
            _column(amount, "fixed", schema[amount])
            if isinstance(schema[amount], pl.Decimal)
            else None
        )
        if fixed is None:
            raise UnsupportedRuleError(f"{amount} must be a decimal column, got {schema[amount]}")
        # an amount without a currency is in Money's default one, as a loaded record is
        default = pl.lit(DEFAULT_CURRENCY, dtype=pl.String)
        cur = pl.col(currency).fill_null(default) if currency in schema else default
        return Col(fixed.expr, "money", fixed.scale, cur)
    if path not in schema:
        return null_of(
            {"enum": "str", "set": "list", "decimal": "fixed", "any": "null"}.get(kind, kind)
        )
    dtype = schema[path]
    found = _kind_of_dtype(dtype)
    return _column(path, found, dtype)
