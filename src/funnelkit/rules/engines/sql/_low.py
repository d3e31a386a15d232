"""Lowered nodes: a sqlglot expression with the kind of value it holds, and leaf lowering.

A ``Low`` is what every visitor returns: the SQL expression (unknown and missing are
SQL NULL), the kind of value (``bool`` for a condition, ``int``, ``float``, ``decimal``,
``points``, ``str``, ``date``, ``datetime``, ``list``, ``money``, ``object``, ``any``)
and whether it can be NULL at all, so the strict walker only checks operands that can.
Fields read the table contract's columns (``funnelkit.io.contract_schema``).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Collection
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import attrs
from sqlglot import exp

from funnelkit.model import Lead, Money
from funnelkit.rules.engines.sql._spell import number, sql_type
from funnelkit.rules.meaning import DEFAULT_CURRENCY, UnsupportedRuleError
from funnelkit.rules.tree import Field, Literal, Truth

__all__ = [
    "Low",
    "LEADS",
    "column",
    "lower_field",
    "lower_literal",
    "truth_sql",
    "null_of",
    "optional_objects",
]

LEADS = "l"
"""The alias of the leads table in the generated query."""

_KINDS = {
    "int": "int",
    "float": "float",
    "decimal": "decimal",
    "str": "str",
    "enum": "str",
    "bool": "bool",
    "date": "date",
    "datetime": "datetime",
    "set": "list",
    "list": "list",
    "money": "money",
    "object": "object",
    "mapping": "object",
    "any": "any",
}


_ROWS = {
    # lists of objects the contract keeps no column for: only their size is read
    "custom_evidence": exp.Literal.number(0),  # the contract refuses custom evidence
}


@attrs.frozen
class Low:
    """A lowered node.

    Attributes:
        sql: The expression (NULL means unknown or missing).
        kind: The kind of value (see the module docstring).
        nullable: Whether ``sql`` can be NULL.
        currency: For ``money``: the currency expression beside the amount in ``sql``.
    """

    sql: exp.Expr
    kind: str
    nullable: bool = True
    currency: exp.Expr | None = None


def column(name: str, table: str = LEADS) -> exp.Column:
    """A quoted column of ``table`` (names hold dots: ``"company.employees"``)."""
    return exp.Column(
        this=exp.to_identifier(name, quoted=True), table=exp.to_identifier(table, quoted=False)
    )


def null_of(kind: str) -> exp.Expr:
    """A NULL of the SQL type of ``kind`` (plain NULL where no type helps)."""
    types = {"bool": "BOOLEAN", "int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR"}
    if kind in types:
        return exp.cast(exp.Null(), sql_type(types[kind]))
    return exp.Null()


def truth_sql(truth: Truth) -> exp.Expr:
    """TRUE, FALSE or a BOOLEAN NULL."""
    if truth is Truth.TRUE:
        return exp.true()
    if truth is Truth.FALSE:
        return exp.false()
    return null_of("bool")


@functools.cache
def optional_objects() -> frozenset[str]:
    """The paths of optional objects (``company``, ``bant.budget.evidence``, ...).

    The table contract gives each a ``present`` column (true, or NULL when missing);
    the objects that are always there (``bant``, ``custom``) have none.
    """
    found: set[str] = set()

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            tp = hints[field.name]
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            optional = len(args) == 1 and len(typing.get_args(tp)) == 2
            inner = args[0] if optional else tp
            if isinstance(inner, type) and attrs.has(inner) and inner is not Money:
                if optional:
                    found.add(prefix + field.name)
                walk(inner, f"{prefix}{field.name}.")

    walk(Lead, "")
    return frozenset(found)


_UNREAD = frozenset({"signals", "stage_history"})


def lower_field(node: Field, columns: Collection[str] | None) -> Low:
    """A field as a column of the leads table (money as amount and currency).

    Optional objects read their ``present`` column; the ``custom`` mapping is always
    present. A column the table lacks (when ``columns`` is given) is read as
    ``tables_to_leads`` reads it: a field is missing for every lead, a set or list is
    empty, an optional object is present where a column under it holds a value.
    """
    path, kind = node.path, _KINDS.get(node.info.kind, "any")
    if kind == "money":
        # an amount without a currency is in Money's default one, as a loaded record is
        amount, currency = f"{path}.amount", f"{path}.currency"
        default = exp.Literal.string(DEFAULT_CURRENCY)
        if columns is not None and amount not in columns:
            return Low(null_of("any"), "money", currency=null_of("str"))
        if columns is not None and currency not in columns:
            return Low(column(amount), "money", currency=default)
        return Low(
            column(amount), "money", currency=exp.func("COALESCE", column(currency), default)
        )
    if kind == "object":
        if path not in optional_objects():
            return Low(exp.true(), "object", nullable=False)  # always there: BANT, custom
        if columns is not None and path not in columns:
            return Low(_present_from(path, columns), "object")
        return Low(column(path), "object")
    if path in _ROWS:
        return Low(_ROWS[path], "rows", nullable=False)
    if columns is not None and path not in columns and path not in _UNREAD:
        if path.startswith("custom."):
            return Low(null_of("any"), "any")
        if kind == "list":  # a lead's sets and lists default to empty
            empty = exp.cast(exp.Array(expressions=[]), sql_type("ARRAY<VARCHAR>"))
            return Low(empty, "list", nullable=False)
        return Low(null_of(kind), kind)
    if path in _UNREAD:
        raise UnsupportedRuleError(
            f"{path!r} is not a column of the table contract (signals are read with "
            "signals(...) aggregations); the SQL engine cannot read it",
            node=node,
        )
    return Low(column(path), kind)


def _present_from(path: str, columns: Collection[str]) -> exp.Expr:
    """TRUE where a column under ``path`` holds a value, else NULL (no such column: NULL)."""
    inner = [c for c in sorted(columns) if c.startswith(f"{path}.")]
    if not inner:
        return null_of("bool")
    held = exp.or_(*(exp.not_(exp.Is(this=column(c), expression=exp.Null())) for c in inner))
    return exp.Case().when(held, exp.true(), copy=False)


def lower_literal(value: object) -> Low:
    """A constant: numbers exact, texts and enums as text, dates and instants in UTC."""
    if value is None:
        return Low(exp.Null(), "any")
    if isinstance(value, bool):
        return Low(exp.true() if value else exp.false(), "bool", nullable=False)
    if isinstance(value, Enum):
        return Low(exp.Literal.string(str(value.value)), "str", nullable=False)
    if isinstance(value, int):
        return Low(number(value), "int", nullable=False)
    if isinstance(value, float):
        return Low(number(value), "float", nullable=False)
    if isinstance(value, Decimal):
        return Low(number(value), "decimal", nullable=False)
    if isinstance(value, str):
        return Low(exp.Literal.string(value), "str", nullable=False)
    if isinstance(value, datetime):
        text = value.astimezone(UTC).isoformat(sep=" ")
        return Low(
            exp.cast(exp.Literal.string(text), sql_type("TIMESTAMPTZ")),
            "datetime",
            nullable=False,
        )
    if isinstance(value, date):
        return Low(
            exp.cast(exp.Literal.string(value.isoformat()), sql_type("DATE")),
            "date",
            nullable=False,
        )
    if isinstance(value, Money):
        return Low(
            number(value.amount),
            "money",
            nullable=False,
            currency=exp.Literal.string(value.currency),
        )
    raise UnsupportedRuleError(
        f"the SQL engine cannot hold the constant {value!r}", node=Literal(value)
    )
