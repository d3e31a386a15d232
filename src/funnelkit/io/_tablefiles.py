"""JSONL and Parquet files into the table contract (``read_tables`` for files of records).

* **JSONL** (the record format, one nested JSON object per line, as ``read_leads``
  reads it): each record goes through the same record builder as ``read_leads``, so a bad
  record gives the same error; the good leads go to ``leads_to_tables`` a chunk at a
  time, so no list of every lead is held.
* **Parquet** in the contract's own layout: the leads table with dotted-path columns
  (``id``, ``company.employees``, ``custom.<key>``, ``stage``, ``stage_entered_at``) in
  one file, the long signals table in another. Each distinct value of a field's column
  is checked with the field's own converter and validator, so a value ``read_leads``
  refuses makes its row bad here too.

Both need a unique ``id`` for every lead: the signals table joins on it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from funnelkit.errors import RecordError, ValidationError
from funnelkit.io._contract import _dtypes, contract_schema, leads_to_tables
from funnelkit.io._readers import iter_leads
from funnelkit.io._tables import SIGNAL_COLUMNS, LeadTables
from funnelkit.io._tablevalues import MONEY_AMOUNT, leaf_of
from funnelkit.model import Lead

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["CHUNK", "iter_jsonl_tables", "read_jsonl_tables", "read_parquet_tables", "signals_of"]

CHUNK: Final = 10_000
"""Leads per chunk when a JSONL file goes to tables."""
_EXTRA: Final = ("stage", "stage_entered_at")


def _contract_problem(lead: Lead, seen: set[str]) -> ValidationError | None:
    """Why a good lead cannot be a row of the contract, or ``None``."""
    if lead.id is None:
        return ValidationError(
            path="id", expected="a lead id (the signals table joins on it)", value=None
        )
    if lead.id in seen:
        return ValidationError(
            path="id", expected="a lead id not used by an earlier record", value=lead.id
        )
    if lead.custom_evidence:
        return ValidationError(
            path="custom_evidence",
            expected="no custom evidence (the table contract cannot hold it)",
            value=[e.key for e in lead.custom_evidence],
        )
    return None


def iter_jsonl_tables(
    source: str | os.PathLike[str],
    *,
    on_error: Callable[[RecordError], object],
    chunk: int | None = None,
    custom_types: Mapping[str, str] | None = None,
    on_record: Callable[[int], object] | None = None,
) -> Iterator[LeadTables]:
    """The leads of a JSONL file as tables, ``chunk`` leads at a time.

    Args:
        source: The JSONL file (``.jsonl`` or ``.jsonl.gz``).
        on_error: Called with each bad record's error (the run goes on).
        chunk: Leads per table (default: ``CHUNK``).
        custom_types: Declared custom attributes, converted at load (as ``read_leads``).
        on_record: Called with the number of records read so far, once per chunk.

    Yields:
        Tables of at most ``chunk`` leads each, in file order.
    """
    size = CHUNK if chunk is None else chunk
    seen: set[str] = set()
    batch: list[Lead] = []
    number = 0
    for item in iter_leads(source, format="jsonl", on_error="collect", custom_types=custom_types):
        number += 1
        if isinstance(item, RecordError):
            on_error(item)
            continue
        problem = _contract_problem(item, seen)
        if problem is not None:
            # the record's number and id name it (its line is not known here: blank lines
            # between records make the two differ)
            on_error(RecordError([problem], record=number, record_id=item.id))
            continue
        assert item.id is not None
        seen.add(item.id)
        batch.append(item)
        if len(batch) >= size:
            yield leads_to_tables(batch)
            batch = []
            if on_record is not None:
                on_record(number)
    if batch:
        yield leads_to_tables(batch)
    if on_record is not None:
        on_record(number)


def _concat(parts: list[LeadTables], pl: Any) -> LeadTables:
    if not parts:
        return leads_to_tables([])
    if len(parts) == 1:
        return parts[0]
    leads = pl.concat([p.leads for p in parts], how="diagonal_relaxed")
    signals = pl.concat([p.signals for p in parts], how="vertical")
    fixed = [c for c in leads_to_tables([]).leads.columns if c not in _EXTRA]
    custom = sorted(c for c in leads.columns if c.startswith("custom."))
    return LeadTables(leads.select(*fixed, *custom, *_EXTRA), signals)


def read_jsonl_tables(
    source: str | os.PathLike[str],
    *,
    raise_first: bool,
    custom_types: Mapping[str, str] | None = None,
    on_record: Callable[[int], object] | None = None,
) -> LeadTables:
    """A JSONL file of records as one pair of tables (see ``read_tables``)."""
    import polars as pl

    errors: list[RecordError] = []

    def bad(error: RecordError) -> None:
        if raise_first:
            raise error
        errors.append(error)

    parts = list(
        iter_jsonl_tables(source, on_error=bad, custom_types=custom_types, on_record=on_record)
    )
    tables = _concat(parts, pl)
    return LeadTables(tables.leads, tables.signals, tuple(errors))


def signals_of(leads: str | os.PathLike[str]) -> Path | None:
    """The signals file that goes with a Parquet leads file, if it exists.

    ``leads.parquet`` -> ``leads.signals.parquet`` in the same folder.

    Examples:
        >>> signals_of("no/such/leads.parquet") is None
        True
    """
    path = Path(leads)
    sibling = path.with_name(path.name.removesuffix(".parquet") + ".signals.parquet")
    return sibling if sibling.is_file() else None


def _header_error(problems: list[ValidationError], file: str) -> RecordError:
    return RecordError(problems[:20], line=1, raw=file, kind="leads table")


def read_parquet_tables(
    source: str | os.PathLike[str],
    *,
    signals: str | os.PathLike[str] | None,
    raise_first: bool,
) -> LeadTables:
    """A Parquet leads file (and signals file) in the contract's layout (see ``read_tables``)."""
    import polars as pl

    kinds = contract_schema()
    dtypes = _dtypes(pl)
    frame = pl.read_parquet(Path(source))
    problems: list[ValidationError] = []
    columns: list[polars.Series] = []
    for name in frame.columns:
        if name.startswith("custom.") or name in _EXTRA:
            continue
        if name not in kinds:
            problems.append(
                ValidationError(path=name, expected="a column of the table contract", value=name)
            )
    if "id" not in frame.columns:
        problems.append(ValidationError(path="id", expected="an id column", value=None))
    if problems:
        raise _header_error(problems, os.fspath(source))
    for name, kind in kinds.items():
        target = pl.Decimal(38, 18) if kind == "decimal" else dtypes[kind]
        if name not in frame.columns:
            columns.append(pl.Series(name, dtype=target).extend_constant(None, frame.height))
            continue
        series = frame[name]
        if kind == "decimal" and isinstance(series.dtype, pl.Decimal):
            columns.append(series)
            continue
        try:
            columns.append(series.cast(target, strict=True))
        except Exception:
            problems.append(
                ValidationError(
                    path=name, expected=f"a column of {kind} values", value=str(series.dtype)
                )
            )
    if problems:
        raise _header_error(problems, os.fspath(source))
    extra = [frame[c] for c in frame.columns if c.startswith("custom.")]
    stage = frame["stage"] if "stage" in frame.columns else None
    entered = frame["stage_entered_at"] if "stage_entered_at" in frame.columns else None
    extra.append(
        pl.Series("stage", dtype=pl.String).extend_constant(None, frame.height)
        if stage is None
        else stage.cast(pl.String)
    )
    extra.append(
        pl.Series("stage_entered_at", dtype=dtypes["datetime"]).extend_constant(None, frame.height)
        if entered is None
        else entered.cast(dtypes["datetime"])
    )
    leads = pl.DataFrame([*columns, *extra])
    errors = _check_rows(leads, kinds, pl)
    if errors and raise_first:
        raise errors[0]
    signal_table = _read_signals(signals, pl)
    if errors:
        bad_rows = {e.record - 1 for e in errors if e.record is not None}
        keep = pl.Series([i not in bad_rows for i in range(leads.height)])
        bad_ids = [e.record_id for e in errors if e.record_id is not None]
        leads = leads.filter(keep)
        signal_table = signal_table.filter(~pl.col("lead_id").is_in(bad_ids))
    kept = leads["id"]
    signal_table = signal_table.filter(pl.col("lead_id").is_in(kept.implode()))
    return LeadTables(leads, signal_table, tuple(errors))


def _read_signals(signals: str | os.PathLike[str] | None, pl: Any) -> polars.DataFrame:
    schema = {
        "lead_id": pl.String,
        "kind": pl.String,
        "occurred_at": pl.Datetime("us", "UTC"),
        "explicit": pl.Boolean,
        "value": pl.Float64,
    }
    if signals is None:
        empty: polars.DataFrame = pl.DataFrame(schema=schema)
        return empty
    frame = pl.read_parquet(Path(signals))
    missing = [c for c in SIGNAL_COLUMNS if c not in frame.columns]
    if "explicit" in missing:
        frame = frame.with_columns(pl.lit(False).alias("explicit"))
    if "value" in missing:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("value"))
    missing = [c for c in ("lead_id", "kind", "occurred_at") if c not in frame.columns]
    if missing:
        raise RecordError(
            [
                ValidationError(path=c, expected="a column of the signals table", value=None)
                for c in missing
            ],
            line=1,
            raw=os.fspath(signals),
            kind="signals table",
        )
    try:
        out: polars.DataFrame = frame.select(*SIGNAL_COLUMNS).cast(schema, strict=True)
    except Exception as err:
        raise RecordError(
            [ValidationError(path="", expected="the signals table's column types", value=str(err))],
            line=1,
            raw=os.fspath(signals),
            kind="signals table",
        ) from None
    return out


def _check_rows(leads: polars.DataFrame, kinds: Mapping[str, str], pl: Any) -> list[RecordError]:
    """A RecordError per row holding a value the model refuses, or a missing or repeated id."""
    found: dict[int, list[ValidationError]] = {}
    id_column = leads["id"]
    # a missing id, or one an earlier row has: found by polars, reported row by row
    odd = id_column.is_null() | id_column.is_first_distinct().not_()
    for index in odd.arg_true().to_list():
        lead_id = id_column[index]
        if lead_id is None:
            found.setdefault(index, []).append(
                ValidationError(
                    path="id", expected="a lead id (the signals table joins on it)", value=None
                )
            )
        else:
            found.setdefault(index, []).append(
                ValidationError(
                    path="id", expected="a lead id not used by an earlier row", value=lead_id
                )
            )
    for name, kind in kinds.items():
        if kind in ("present", "list") or name == "id":
            continue
        leaf = leaf_of(name.split("."))
        if leaf is None:  # pragma: no cover - contract columns are fields
            continue
        series = leads[name]
        if leaf.field is MONEY_AMOUNT and isinstance(series.dtype, pl.Decimal):
            continue  # a decimal column holds finite decimals only, which amounts take
        bad: dict[Any, ValidationError] = {}
        for value in series.drop_nulls().unique().to_list():
            problem = _refused(leaf, value, name)
            if problem is not None:
                bad[_key(value)] = problem
        if not bad:
            continue
        for index, value in enumerate(series.to_list()):
            if value is not None and _key(value) in bad:
                found.setdefault(index, []).append(bad[_key(value)])
    return [
        RecordError(problems, record=index + 1, record_id=id_column[index], raw=leads.row(index))
        for index, problems in sorted(found.items())
    ]


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _refused(leaf: Any, value: object, name: str) -> ValidationError | None:
    field = leaf.field
    try:
        converted = field.converter(value) if field.converter is not None else value
        if field.validator is not None:
            field.validator(None, field, converted)
    except ValidationError as err:
        return ValidationError(path=name, expected=err.expected, value=value)
    except Exception:  # noqa: S110 -- a check that needs the whole record
        pass
    return None
