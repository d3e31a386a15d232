"""Flat sources -> the table contract (a leads table and a long signals table), in polars.

No ``Lead`` is built for a good row. Each column is read once per *distinct* cell value,
by the same code the row path runs (placeholders, value maps, the cell reader, then the
field's converter and validator), and the results are put in place by the position of
each distinct value (``replace_strict`` to a position, then ``gather``); the plain cells
of money amounts and free text, signal dates of the common ISO shapes, are read by
polars with what that code provably gives for them (``_plaincells``, ``_instants``), and
a CSV file is read by polars' own reader where it splits the file as the ``csv`` module
does (``_tablecsv``). The columns are read on a few threads at once (``_at_once``).
Rows in which some cell is bad (or left missing with a warning) are
read again by the row path, which gives their exact errors and warnings; its verdict
decides whether the row is kept. Checks that compare two fields of a record (an
``account_id`` against the company's id, the order of a stage history) are the row
path's alone: map such columns only with ``read_leads``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, get_origin

import attrs

from funnelkit.errors import RecordError, ValidationError
from funnelkit.io._columns import SignalColumn
from funnelkit.io._csv import Row, _plan
from funnelkit.io._flat import (
    Slot,
    is_empty,
    nest_mapped,
    read_integer,
    read_number,
)
from funnelkit.io._instants import instants
from funnelkit.io._mapping import ColumnMapping
from funnelkit.io._plaincells import plain_cells
from funnelkit.io._readers import MappingLike, _as_mapping, _build
from funnelkit.io._schema import field_types, unwrap_optional
from funnelkit.io._tablecsv import frame_of
from funnelkit.io._tablevalues import (
    AS_IS,
    Leaf,
    is_flat,
    leaf_of,
    series_of,
    table_value,
)
from funnelkit.io._values import snake_case
from funnelkit.model import Lead

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["LeadTables", "read_csv_tables"]

OK: Final = 0
MISSING: Final = 1
BAD: Final = 2
WARN: Final = 3
_T = TypeVar("_T")
SIGNAL_COLUMNS: Final = ("lead_id", "kind", "occurred_at", "explicit", "value")


@attrs.frozen(repr=False)
class LeadTables:
    """Leads and signals as the columnar engines read them, with the bad rows apart.

    Attributes:
        leads: One row per good lead; columns are the model's dotted paths that the
            mapping fills (``id``, ``company.employees``, ``custom.visits``); money is
            ``<path>.amount`` (decimal) and ``<path>.currency``; sets are ``list[str]``;
            an enum's value is text, its ``unknown`` null.
        signals: ``lead_id, kind, occurred_at (UTC), explicit, value``, one row per
            signal of a good lead.
        errors: One RecordError per bad row, as ``read_leads`` reports it.
        warnings: One RecordError per good row with cells left missing by lenient
            columns.
    """

    leads: polars.DataFrame
    signals: polars.DataFrame
    errors: tuple[RecordError, ...] = ()
    warnings: tuple[RecordError, ...] = ()

    def __repr__(self) -> str:
        return (
            f"LeadTables(leads={self.leads.height}, signals={self.signals.height}, "
            f"errors={len(self.errors)}, warnings={len(self.warnings)})"
        )


def read_csv_tables(
    source: Any,
    *,
    mapping: MappingLike,
    on_error: Literal["raise", "collect"],
    progress: Callable[[int], object] | None,
) -> LeadTables:
    """``read_tables`` for a CSV file or a data frame (polars imported)."""
    import polars as pl

    cmap = _as_mapping(mapping) or ColumnMapping({})
    frame = frame_of(source, cmap, pl)
    header = list(frame.columns)
    slots = _plan(header, cmap)
    tables = _Tables(pl, frame, cmap, header, slots).run(raise_first=on_error == "raise")
    if progress is not None:
        progress(frame.height)
    return tables


_THREADED_ROWS: Final = 10_000
"""Tables of this many rows or more have their columns read on a few threads."""


def _at_once(
    work: Callable[..., _T], jobs: Iterable[tuple[Any, ...]], *, rows: int, threads: int = 4
) -> list[_T]:
    """``work(*job)`` for every job, in order, on a few threads at once.

    The columns are read by polars, which leaves Python's lock while it works, so the
    columns of a table of ``rows`` rows are read side by side on a machine's cores (a
    small table's, one after another: starting threads would cost more).
    """
    todo = list(jobs)
    if len(todo) < 2 or rows < _THREADED_ROWS:
        return [work(*job) for job in todo]
    with ThreadPoolExecutor(max_workers=min(threads, len(todo))) as pool:
        return list(pool.map(lambda job: work(*job), todo))


class _Tables:
    """One run of ``read_tables``: the frame, the plan, the outcomes per column."""

    def __init__(
        self,
        pl: Any,
        frame: polars.DataFrame,
        mapping: ColumnMapping,
        header: list[str],
        slots: list[Slot | None],
    ) -> None:
        self.pl = pl
        self.frame = frame
        self.mapping = mapping
        self.header = header
        self.slots = slots
        self.values: dict[str, polars.Series] = {}  # path -> typed column
        self.flags: list[polars.Series] = []  # per column: status codes

    def run(self, *, raise_first: bool) -> LeadTables:
        pl = self.pl
        problems: list[ValidationError] = []
        leaves: dict[str, Leaf] = {}
        todo: dict[str, tuple[Slot, Leaf | None]] = {}
        for slot in self.slots:
            if slot is None or slot.signal is not None:
                continue
            place = slot.place
            if place is None:  # pragma: no cover - planned field slots have a place
                continue
            leaf = None if place.custom else leaf_of(place.parts)
            if not place.custom and (leaf is None or not is_flat(leaf.type)):
                problems.append(
                    ValidationError(
                        path=slot.column,
                        expected="a column that fills one field (lists and objects need "
                        "read_leads)",
                        value=place.path,
                    )
                )
                continue
            if place.path in todo:
                problems.append(
                    ValidationError(
                        path=slot.column,
                        expected="one column per field in tables",
                        value=place.path,
                    )
                )
                continue
            if leaf is not None:
                leaves[place.path] = leaf
            todo[place.path] = (slot, leaf)
        if problems:
            raise RecordError(problems, line=1, raw=self.header, kind="table mapping")
        read = _at_once(self._column, todo.values(), rows=self.frame.height)
        for path, (typed, status) in zip(todo, read, strict=True):
            self.values[path] = typed.alias(path)
            self.flags.append(status)
        self._defaults(leaves)
        signal_parts = []
        signal_slots = [(slot,) for slot in self.slots if slot is not None and slot.signal]
        for part, flags in _at_once(self._signals, signal_slots, rows=self.frame.height):
            signal_parts.append(part)
            self.flags += flags
        height = self.frame.height
        flagged = pl.repeat(False, height, dtype=pl.Boolean, eager=True)
        for flag in self.flags:
            flagged = flagged | (flag != OK) & (flag != MISSING)
        errors, warnings, dropped = self._reread(flagged, raise_first=raise_first)
        gone = pl.Series(sorted(dropped), dtype=pl.Int64)
        keep = pl.int_range(height, dtype=pl.Int64, eager=True).is_in(gone.implode()).not_()
        columns = self.values or {
            "id": pl.Series("id", dtype=pl.String).extend_constant(None, height)
        }
        leads = pl.DataFrame(columns).filter(keep)
        signals = self._signal_table(signal_parts, gone)
        return LeadTables(leads, signals, tuple(errors), tuple(warnings))

    # -- one column ----------------------------------------------------------------------

    def _outcomes(
        self,
        series: polars.Series,
        decide: Callable[[object], tuple[int, object]],
        dtype: Any = None,
    ) -> tuple[polars.Series, polars.Series]:
        """Decide each distinct value once; return the values column and the status column.

        The outcomes of the distinct values are put in place by their position in the
        list of distinct values (``replace_strict`` to a position, then ``gather``).
        """
        pl = self.pl
        keys: list[object] = []
        values: list[object] = []
        codes: list[int] = []
        distinct = series.unique(maintain_order=True)
        for value in distinct.to_list():
            if value is None:
                continue
            code, out = decide(value)
            keys.append(value)
            values.append(out)
            codes.append(code)
        if not keys:
            missing = pl.Series([MISSING], dtype=pl.Int8).new_from_index(0, series.len())
            return pl.Series(dtype=pl.Null).extend_constant(None, series.len()), missing
        new_values = series_of(values, pl) if dtype is None else pl.Series(values, dtype=dtype)
        if len(keys) == series.len():  # every cell filled and distinct (an id): in place
            return new_values, pl.Series(codes, dtype=pl.Int8)
        old = pl.Series(keys, dtype=series.dtype)
        where = series.replace_strict(
            old, pl.Series(range(len(keys)), dtype=pl.UInt32), default=None
        )
        typed = new_values.gather(where)
        status = pl.Series(codes, dtype=pl.Int8).gather(where).fill_null(MISSING)
        return typed, status

    def _column(self, slot: Slot, leaf: Leaf | None) -> tuple[polars.Series, polars.Series]:
        """The column's values and status codes (a thread of ``_at_once`` may run it)."""
        read = slot.read
        series = self.frame[slot.column]
        nulls, given, unread = slot.nulls, slot.values, WARN if slot.lenient else BAD
        field = leaf.field if leaf is not None else None
        convert = field.converter if field is not None else None
        validate = field.validator if field is not None else None

        def decide(value: object) -> tuple[int, object]:
            if type(value) is str:  # is_empty, for text
                text = value.strip()
                if not text or text in nulls:
                    return MISSING, None
            elif is_empty(value, nulls):
                return MISSING, None
            if given and isinstance(value, str | bool | int | float):
                key = value.strip() if isinstance(value, str) else value
                if key in given:
                    value = given[key]  # type: ignore[index]
                    if value is None:
                        return MISSING, None
            try:
                value = read(value) if read is not None else value
            except ValidationError:
                return unread, None
            if field is not None:
                try:
                    if convert is not None:
                        value = convert(value)  # type: ignore[operator]
                    if validate is not None:
                        validate(None, field, value)
                except ValidationError:
                    return BAD, None
                except Exception:  # noqa: S110 -- a check that needs the whole record
                    pass
            return OK, value if type(value) in AS_IS else table_value(value)

        assert slot.place is not None
        is_set = leaf is not None and (get_origin(leaf.type) or leaf.type) is frozenset
        dtype = self.pl.List(self.pl.String) if is_set else None
        found = plain_cells(self.pl, slot, leaf, series, lambda rest: self._outcomes(rest, decide))
        if found is None:
            typed, status = self._outcomes(series, decide, dtype)
        else:
            typed, plain, rest = found
            status = self.pl.select(
                self.pl.when(plain).then(self.pl.lit(OK, dtype=self.pl.Int8)).otherwise(rest)
            ).to_series()
        return typed, status

    def _defaults(self, leaves: Mapping[str, Leaf]) -> None:
        """Fill defaults where the parent object is known, and flag missing required fields.

        Column by column in polars: a field's parent is present where any column under
        it holds a value (computed once per parent; filling a default under a present
        parent cannot change which parents are present).
        """
        pl = self.pl
        presence: dict[str, polars.Series] = {}
        for path, leaf in leaves.items():
            parent = path.rsplit(".", 1)[0] if "." in path else ""
            if not parent:
                continue
            present = presence.get(parent)
            if present is None:
                present = presence[parent] = self._present(parent)
            column = self.values[path]
            gap = present & column.is_null()
            if leaf.default is attrs.NOTHING:
                self.flags.append(
                    pl.select(pl.when(gap).then(BAD).otherwise(OK)).to_series().cast(pl.Int8)
                )
            elif leaf.default is not None:
                self.values[path] = self._filled(path, column, gap, table_value(leaf.default))
        for parent in self._required(leaves):
            present = presence.get(parent)
            if present is None:
                present = presence[parent] = self._present(parent)
            self.flags.append(
                pl.select(pl.when(present).then(BAD).otherwise(OK)).to_series().cast(pl.Int8)
            )

    def _filled(
        self, path: str, column: polars.Series, gap: polars.Series, fill: object
    ) -> polars.Series:
        """``column`` with ``fill`` where ``gap`` is true."""
        pl = self.pl
        if column.dtype != pl.Null:
            try:
                fills = pl.Series(path, [fill], dtype=column.dtype).new_from_index(0, len(column))
                out: polars.Series = fills.zip_with(gap, column).alias(path)
                return out
            except (TypeError, ValueError, pl.exceptions.PolarsError):
                pass  # a value the column's type cannot take as it is: row by row below
        filled = [fill if g else v for g, v in zip(gap.to_list(), column.to_list(), strict=True)]
        dtype = None if column.dtype == pl.Null else column.dtype  # all missing so far
        series: polars.Series = pl.Series(path, filled, dtype=dtype, strict=False)
        return series

    def _required(self, leaves: Mapping[str, Leaf]) -> list[str]:
        """The filled parents with a required field that no column fills (each is bad)."""
        out: list[str] = []
        parents = {p.rsplit(".", 1)[0] for p in leaves if "." in p}
        for parent in parents:
            cls: Any = Lead
            for part in parent.split("."):
                cls = unwrap_optional(field_types(cls)[part])
            for field in attrs.fields(cls):
                full = f"{parent}.{field.alias}"
                if field.default is attrs.NOTHING and full not in self.values:
                    out.append(parent)
        return out

    def _present(self, parent: str) -> polars.Series:
        """True where any column under ``parent`` holds a value."""
        pl = self.pl
        columns = [c for p, c in self.values.items() if p.startswith(parent + ".")]
        if not columns:
            none: polars.Series = pl.repeat(False, self.frame.height, dtype=pl.Boolean, eager=True)
            return none
        frame = pl.DataFrame({str(i): c for i, c in enumerate(columns)})
        present: polars.Series = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
        return present

    # -- signals -------------------------------------------------------------------------

    def _signals(self, slot: Slot) -> tuple[polars.LazyFrame, list[polars.Series]]:
        """The column's signals (planned) and its status codes (``_at_once`` may run it)."""
        pl = self.pl
        spec = slot.signal
        assert spec is not None
        series = self.frame[slot.column]

        def decide(value: object) -> tuple[int, object]:
            if is_empty(value, slot.nulls):
                return MISSING, None
            mapped = False
            if slot.values and isinstance(value, str | bool | int | float):
                key = value.strip() if isinstance(value, str) else value
                if key in slot.values:
                    value, mapped = slot.values[key], True  # type: ignore[index]
                    if value is None:
                        return MISSING, None
            try:
                if spec.reads == "category":
                    kind = (
                        value
                        if mapped or not isinstance(value, str)
                        else (spec.kind or snake_case(value))
                    )
                    if not isinstance(kind, str) or not kind:
                        raise ValidationError(path="", expected="a kind", value=value)
                    return OK, kind
                if spec.reads == "count":
                    count = int(read_integer(value))  # type: ignore[call-overload]
                    if not 0 <= count <= 10_000:
                        raise ValidationError(path="", expected="a count", value=value)
                    return OK, count
                number = read_number(value)
                return OK, None if number == 0 else float(number)  # type: ignore[arg-type]
            except ValidationError:
                return (WARN if slot.lenient else BAD), None

        cells, status = self._outcomes(series, decide)
        when, when_status = self._when(spec)
        # a cell that gives signals needs a good date
        gives = cells.is_not_null()
        if cells.dtype.is_numeric():
            gives = gives & (cells != 0)
        dated = (
            pl.select(pl.when(gives.fill_null(False) & (when_status != OK)).then(BAD).otherwise(OK))
            .to_series()
            .cast(pl.Int8)
        )
        ids = self.values.get("id", pl.Series(dtype=pl.String).extend_constant(None, series.len()))
        kind = pl.lit(spec.kind) if spec.reads != "category" else cells
        # the table is planned here and built with the others' (``_signal_table``)
        table = (
            pl.DataFrame({"lead_id": ids, "cells": cells, "occurred_at": when})
            .lazy()
            .with_row_index("row")
            .with_columns(
                pl.col("row").cast(pl.Int64),
                kind=kind if spec.reads != "category" else pl.col("cells"),
            )
        )
        if spec.reads == "count":
            table = table.filter(pl.col("cells") > 0)  # the rows that give signals
            table = table.with_columns(i=pl.int_ranges(0, pl.col("cells"))).explode("i")
            table = table.filter(pl.col("i").is_not_null()).with_columns(value=pl.lit(None))
        elif spec.reads == "value":
            table = table.with_columns(value=pl.col("cells"))
        else:
            table = table.with_columns(value=pl.lit(None))
        table = table.filter(pl.col("cells").is_not_null())
        explicit = spec.explicit
        kinds = sorted(self.mapping.explicit)
        flag = pl.lit(explicit) if explicit is not None else pl.col("kind").is_in(kinds)
        out: polars.LazyFrame = table.with_columns(explicit=flag).select(
            "row",
            "lead_id",
            pl.col("kind").cast(pl.String),
            pl.col("occurred_at"),
            pl.col("explicit").cast(pl.Boolean),
            pl.col("value").cast(pl.Float64),
        )
        return out, [status, dated]

    def _when(self, spec: SignalColumn) -> tuple[polars.Series, polars.Series]:
        """When each row's signals of ``spec`` happened (UTC), and the status of that."""
        pl = self.pl
        height = self.frame.height
        default = self.mapping.signals_at
        fallback = default.astimezone(UTC) if default is not None else None
        if spec.at is None or spec.at not in self.frame.columns:
            status = OK if fallback is not None else BAD
            return (
                pl.Series([fallback], dtype=pl.Datetime("us", "UTC")).new_from_index(0, height),
                pl.Series([status], dtype=pl.Int8).new_from_index(0, height),
            )
        return instants(self.frame[spec.at], self.mapping.missing, fallback, pl)

    def _signal_table(self, parts: list[polars.LazyFrame], gone: polars.Series) -> polars.DataFrame:
        pl = self.pl
        schema = {
            "lead_id": pl.String,
            "kind": pl.String,
            "occurred_at": pl.Datetime("us", "UTC"),
            "explicit": pl.Boolean,
            "value": pl.Float64,
        }
        if not parts:
            empty: polars.DataFrame = pl.DataFrame(schema=schema)
            return empty
        table = pl.concat(
            [p.with_columns(pl.col("occurred_at").cast(schema["occurred_at"])) for p in parts]
        )
        table = table.filter(pl.col("row").is_in(gone.implode()).not_())
        table = table.sort("row", maintain_order=True)
        result: polars.DataFrame = table.select(*SIGNAL_COLUMNS).cast(schema).collect()
        return result

    # -- the rows that need the row path -------------------------------------------------

    def _reread(
        self, flagged: polars.Series, *, raise_first: bool
    ) -> tuple[list[RecordError], list[RecordError], set[int]]:
        errors: list[RecordError] = []
        warnings: list[RecordError] = []
        dropped: set[int] = set()
        rows = flagged.arg_true().to_list()
        for index in rows:
            raw = self.frame.row(index, named=True)
            flat = nest_mapped(raw, self.mapping)
            result = _build(Row(index + 1, None, raw, flat))
            if isinstance(result, RecordError):
                if raise_first:
                    raise result
                errors.append(result)
                dropped.add(index)
            elif flat.warnings:
                warnings.append(
                    RecordError(list(flat.warnings), record=index + 1, record_id=result.id, raw=raw)
                )
        return errors, warnings, dropped
