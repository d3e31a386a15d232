"""Leads <-> the table contract: a leads table of dotted-path columns and a signals table.

The columnar engines read tables; the reference reads ``Lead`` objects. These two
functions turn one into the other, so that every row result can be compared with a table
result cell by cell, and so that leads already in memory can go to a columnar engine.

Columns (see ``LeadTables``): every flat field of the model under its dotted path, in a
fixed order with a fixed type, whether or not any lead fills it; money as
``<path>.amount`` (decimal) and ``<path>.currency``; sets and lists of text as
``list[str]`` (a list of pain points as their descriptions: rules read its size); enums
as their value, ``unknown`` as null; ``custom.<key>`` for each custom key some lead has,
typed from its values; ``stage`` and ``stage_entered_at`` from the stage history's last
change. What the contract does not hold (the rest of the stage history, signals'
channel, source and attributes, custom evidence) is not carried; ``leads_to_tables``
refuses custom evidence rather than drop it, because it changes what a lead is known to
have.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

import attrs

from funnelkit.errors import MissingExtraError, RecordError, ValidationError
from funnelkit.io._converter import structure
from funnelkit.io._tables import LeadTables
from funnelkit.model import Lead, Money, TableColumn, table_columns

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["leads_to_tables", "tables_to_leads", "contract_schema"]

_HISTORY: Final = ("stage", "stage_entered_at")
_CELL_KINDS: Final = frozenset({"bool", "int", "float", "decimal", "str", "datetime", "date"})


def _dtypes(pl: Any) -> dict[str, Any]:
    return {
        "str": pl.String,
        "enum": pl.String,
        "int": pl.Int64,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "present": pl.Boolean,
        "date": pl.Date,
        "datetime": pl.Datetime("us", "UTC"),
        "set": pl.List(pl.String),
        "list": pl.List(pl.String),
    }


def contract_schema() -> dict[str, str]:
    """The leads table's fixed columns and the kind of value each holds, in order.

    Returns:
        Column name -> ``str``, ``int``, ``float``, ``bool``, ``decimal``, ``date``,
        ``datetime``, ``enum`` (the member's value; null for unknown), ``set`` or
        ``list`` (lists of text), or ``present`` (an optional object such as
        ``company`` or ``bant.budget.evidence``: true when the lead has it, else
        null). ``id`` comes first; ``custom.<key>``, ``stage`` and
        ``stage_entered_at`` follow these in a table.

    Examples:
        >>> schema = contract_schema()
        >>> schema["company.employees"], schema["company.annual_revenue.amount"]
        ('int', 'decimal')
    """
    return {c.path: c.kind for c in table_columns()}


def _polars() -> Any:
    try:
        import polars as pl
    except ImportError as err:  # pragma: no cover - exercised without polars
        raise MissingExtraError("polars", "polars") from err
    return pl


def _cell(value: object, column: TableColumn) -> object:
    if value is None:
        return None
    if column.kind == "present":
        return True
    if column.kind == "enum":
        assert isinstance(value, Enum)
        return None if value.value == "unknown" else value.value
    if column.kind == "set":
        return sorted(str(v.value if isinstance(v, Enum) else v) for v in value)  # type: ignore[attr-defined]
    if column.kind == "list":
        return [getattr(item, column.item or "") for item in value]  # type: ignore[attr-defined]
    if column.kind == "datetime":
        assert isinstance(value, datetime)
        return value.astimezone(UTC)
    return value


def _read(lead: Lead, column: TableColumn) -> object:
    value: Any = lead
    for part in column.parts:
        value = getattr(value, part)
        if value is None:
            return None
    if column.path.endswith(".amount") and isinstance(value, Money):
        return value.amount
    if column.path.endswith(".currency") and isinstance(value, Money):
        return value.currency
    return _cell(value, column)


_CUSTOM_KINDS: Final = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (Decimal, "decimal"),
    (str, "str"),
    (datetime, "datetime"),
    (date, "date"),
)


def _custom_kind(value: object) -> str:
    for cls, name in _CUSTOM_KINDS:
        if isinstance(value, cls):
            return name
    if isinstance(value, (tuple, list, frozenset)) and all(isinstance(v, str) for v in value):
        return "set" if isinstance(value, frozenset) else "list"
    return type(value).__name__


def _custom_column(key: str, values: list[object], pl: Any) -> polars.Series:
    kinds = {_custom_kind(v) for v in values if v is not None}
    if kinds == {"int", "float"}:
        kinds = {"float"}
        values = [None if v is None else float(v) for v in values]  # type: ignore[arg-type]
    if len(kinds) > 1 or kinds - {
        "bool",
        "int",
        "float",
        "decimal",
        "str",
        "datetime",
        "date",
        "set",
        "list",
    }:
        raise RecordError(
            [
                ValidationError(
                    path=f"custom.{key}",
                    expected="one kind of value per custom attribute (a table column has one type)",
                    value=sorted(kinds),
                )
            ],
            kind="leads table",
        )
    kind = next(iter(kinds), "str")
    if kind == "decimal":
        return _decimal_series(f"custom.{key}", values, pl)
    if kind in ("set", "list"):
        values = [None if v is None else sorted(v) if kind == "set" else list(v) for v in values]  # type: ignore[call-overload]
    if kind == "datetime":
        values = [None if v is None else v.astimezone(UTC) for v in values]  # type: ignore[attr-defined]
    series: polars.Series = pl.Series(f"custom.{key}", values, dtype=_dtypes(pl)[kind])
    return series


def _decimal_series(name: str, values: list[object], pl: Any) -> polars.Series:
    scale = 0
    for v in values:
        if isinstance(v, Decimal):
            exponent = v.as_tuple().exponent
            if isinstance(exponent, int):
                scale = max(scale, -exponent)
    scale = min(scale, 18)
    too_large = [
        ValidationError(
            path=f"[{index}].{name}",
            expected=f"a decimal of at most {38 - scale} digits before the point "
            f"(the column holds 38 digits, {scale} after the point)",
            value=v,
        )
        for index, v in enumerate(values)
        if isinstance(v, Decimal) and v.is_finite() and v and v.adjusted() + 1 > 38 - scale
    ]
    if too_large:
        raise RecordError(too_large[:20], kind="leads table")
    series: polars.Series = pl.Series(name, values, dtype=pl.Decimal(38, scale))
    return series


def leads_to_tables(leads: Iterable[Lead]) -> LeadTables:
    """Leads as the table contract: a leads table and a long signals table.

    Args:
        leads: The leads; each needs a unique ``id`` (the signals table joins on it).

    Returns:
        The tables (no errors or warnings: leads are already valid).

    Raises:
        RecordError: A lead has no id or a repeated one, custom evidence (the contract
            cannot hold it), or a custom attribute holds values of two kinds.
        MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).

    Examples:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead, Signal
        >>> lead = Lead(id="L-1", company=Company(employees=120),
        ...             signals=[Signal(kind="demo_request",
        ...                             occurred_at=datetime(2026, 5, 1, tzinfo=UTC))])
        >>> tables = leads_to_tables([lead])
        >>> tables.leads.select("id", "company.employees").rows()
        [('L-1', 120)]
        >>> tables.signals.select("lead_id", "kind").rows()
        [('L-1', 'demo_request')]
    """
    pl = _polars()
    rows = list(leads)
    problems: list[ValidationError] = []
    seen: set[str] = set()
    for index, lead in enumerate(rows):
        if not isinstance(lead, Lead):
            raise TypeError(f"leads[{index}]: expected a Lead, got {type(lead).__name__}")
        if lead.id is None or lead.id in seen:
            what = "a unique lead id" if lead.id is not None else "a lead id"
            problems.append(ValidationError(path=f"[{index}].id", expected=what, value=lead.id))
        else:
            seen.add(lead.id)
        if lead.custom_evidence:
            problems.append(
                ValidationError(
                    path=f"[{index}].custom_evidence",
                    expected="no custom evidence (the table contract cannot hold it)",
                    value=[e.key for e in lead.custom_evidence],
                )
            )
    if problems:
        raise RecordError(problems[:20], kind="leads table")
    dtypes = _dtypes(pl)
    data: list[polars.Series] = [pl.Series("id", [lead.id for lead in rows], dtype=pl.String)]
    for column in table_columns():
        if column.path == "id":
            continue
        values = [_read(lead, column) for lead in rows]
        if column.kind == "decimal":
            data.append(_decimal_series(column.path, values, pl))
        else:
            data.append(pl.Series(column.path, values, dtype=dtypes[column.kind]))
    keys = sorted({key for lead in rows for key in lead.custom})
    for key in keys:
        data.append(_custom_column(key, [lead.custom.get(key) for lead in rows], pl))
    data.append(pl.Series("stage", [lead.stage for lead in rows], dtype=pl.String))
    entered = [
        lead.stage_history[-1].at.astimezone(UTC) if lead.stage_history else None for lead in rows
    ]
    data.append(pl.Series("stage_entered_at", entered, dtype=dtypes["datetime"]))
    return LeadTables(pl.DataFrame(data), _signals(rows, pl))


def _signals(rows: list[Lead], pl: Any) -> polars.DataFrame:
    ids: list[str | None] = []
    kinds: list[str] = []
    at: list[datetime] = []
    explicit: list[bool] = []
    value: list[float | None] = []
    for lead in rows:
        for s in lead.signals:
            ids.append(lead.id)
            kinds.append(s.kind)
            at.append(s.occurred_at.astimezone(UTC))
            explicit.append(s.explicit)
            value.append(s.value)
    frame: polars.DataFrame = pl.DataFrame(
        {"lead_id": ids, "kind": kinds, "occurred_at": at, "explicit": explicit, "value": value},
        schema={
            "lead_id": pl.String,
            "kind": pl.String,
            "occurred_at": pl.Datetime("us", "UTC"),
            "explicit": pl.Boolean,
            "value": pl.Float64,
        },
    )
    return frame


def _nest(record: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split(".")
    here = record
    for part in parents:
        here = here.setdefault(part, {})
    here[last] = value


def _object_at(record: dict[str, Any], path: str) -> dict[str, Any]:
    """The (possibly new) nested dict of ``record`` at ``path``."""
    here = record
    for part in path.split("."):
        here = here.setdefault(part, {})
    return here


def _record(row: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for path, value in row.items():
        if value is None or path in _HISTORY:
            continue
        kind = kinds.get(path)
        if kind == "present":
            _object_at(record, path)
            continue
        if kind == "list":
            value = [{"description": v} for v in value]
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, (datetime, date)):
            value = value.isoformat()
        if not path.startswith("custom."):
            _nest(record, path, value)
    return record


def tables_to_leads(tables: LeadTables) -> Iterator[Lead]:
    """Leads from the table contract: the inverse of ``leads_to_tables``.

    Custom attributes come back with the column's type (a date column gives dates);
    the stage history is the one change the ``stage`` and ``stage_entered_at`` columns
    hold; signals keep kind, time, ``explicit`` and value.

    Args:
        tables: Tables in the contract (from ``leads_to_tables`` or ``read_tables``).

    Yields:
        One Lead per row of the leads table, in order.

    Raises:
        RecordError: A row does not make a valid lead.
    """
    kinds = contract_schema()
    by_lead: dict[object, list[dict[str, Any]]] = {}
    for s in tables.signals.iter_rows(named=True):
        item = {"kind": s["kind"], "occurred_at": s["occurred_at"].isoformat()}
        if s["explicit"]:
            item["explicit"] = True
        if s["value"] is not None:
            item["value"] = s["value"]
        by_lead.setdefault(s["lead_id"], []).append(item)
    for row in tables.leads.iter_rows(named=True):
        record = _record(row, kinds)
        record = {k: v for k, v in record.items() if v is not None}
        record["signals"] = by_lead.get(row.get("id"), [])
        if row.get("stage") is not None and row.get("stage_entered_at") is not None:
            record["stage_history"] = [
                {"to_stage": row["stage"], "at": row["stage_entered_at"].isoformat()}
            ]
        custom = {
            k[len("custom.") :]: v
            for k, v in row.items()
            if k.startswith("custom.") and v is not None
        }
        lead = structure(record, Lead)
        yield attrs.evolve(lead, custom=custom) if custom else lead
