"""``read_tables``: any input (CSV, JSONL, Parquet, a data frame) into the table contract."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any, Literal

from funnelkit.errors import InvalidArgumentError, MissingExtraError
from funnelkit.io._readers import MappingLike
from funnelkit.io._tablefiles import read_jsonl_tables, read_parquet_tables, signals_of
from funnelkit.io._tables import LeadTables, read_csv_tables

__all__ = ["read_tables"]


def read_tables(
    source: str | os.PathLike[str] | IO[str] | Any,
    *,
    format: Literal["csv", "jsonl", "parquet"] | None = None,
    signals: str | os.PathLike[str] | None = None,
    mapping: MappingLike = None,
    on_error: Literal["raise", "collect"] = "raise",
    progress: Callable[[int], object] | None = None,
) -> LeadTables:
    """Read a CSV, JSONL or Parquet file, or a data frame, into the table contract.

    Every format gives the same facts as [`read_leads`][funnelkit.io.read_leads]
    followed by [`leads_to_tables`][funnelkit.io.leads_to_tables]: for every good
    record, each column holds what the lead's field holds (defaults too, such as an
    empty set or ``opted_out`` false once the contact is known), and the signals table
    holds the lead's signals. Bad records give the errors ``read_leads`` gives.

    * **CSV** and **data frames**: flat columns (dotted paths, or a ``mapping``), read
      column by column without building a ``Lead`` for a good row.
    * **JSONL**: the record format, one nested object per line. Each record goes through
      ``read_leads``' record builder, then to tables 10,000 leads at a time (no list of
      every lead is held).
    * **Parquet**: a leads file in the contract's own layout (the columns of
      [`contract_schema`][funnelkit.io.contract_schema], ``custom.<key>``, ``stage``,
      ``stage_entered_at``; a missing column is all missing), and its signals in a
      second Parquet file (``lead_id, kind, occurred_at, explicit, value``): the
      ``signals`` argument, or else ``<name>.signals.parquet`` beside ``<name>.parquet``
      when it exists (no signals otherwise). Each distinct value is checked with its
      field's validator.

    JSONL and Parquet leads need a unique ``id`` (the signals table joins on it): a
    record without one, or repeating an earlier one, is bad, and so is a JSONL record
    with custom evidence (the contract cannot hold it).

    Args:
        source: A CSV, JSONL (``.jsonl``, ``.jsonl.gz``) or Parquet file (path; CSV
            also as an open text file), or a polars or pandas ``DataFrame`` or a
            pyarrow ``Table``.
        format: ``"csv"``, ``"jsonl"`` or ``"parquet"``; by default from the file name
            (``.jsonl``, ``.ndjson``, ``.parquet``, else CSV).
        signals: The signals file of a Parquet leads file (see above).
        mapping: A [`ColumnMapping`][funnelkit.io.ColumnMapping] (or a dict of column ->
            path), for CSV and data frames. Columns must fill fields (no JSON cells for
            lists or objects) or be signal columns.
        on_error: ``"raise"`` raises the first bad row's error; ``"collect"`` keeps the
            good rows and returns the errors.
        progress: Called with the number of records read so far: every 10,000 records
            of JSONL, once at the end for CSV, Parquet and data frames.

    Returns:
        The leads and signals tables, with the errors and warnings.

    Raises:
        RecordError: With ``on_error="raise"``, for the first bad row; in either mode,
            for a bad header or a column the tables cannot hold.
        MissingExtraError: polars is not installed (``pip install "funnelkit[polars]"``).
        InvalidArgumentError: ``source`` is neither a file nor a data frame, an unknown
            ``format`` or ``on_error``, or a ``mapping`` or ``signals`` that does not go
            with the format (also a ``TypeError`` and a ``ValueError``).

    Examples:
        >>> import polars as pl
        >>> from funnelkit.io import ColumnMapping, SignalColumn
        >>> frame = pl.DataFrame({"Lead": ["L-1", "L-2"], "Country": ["India", "N/A"],
        ...                       "Visits": [2, 0]})
        >>> tables = read_tables(frame, mapping=ColumnMapping(
        ...     {"Lead": "id", "Country": "company.country",
        ...      "Visits": SignalColumn("count", kind="website_visit")},
        ...     missing=["N/A"], signals_at="2026-05-01"))
        >>> tables.leads.rows()
        [('L-1', 'IN'), ('L-2', None)]
        >>> tables.signals.select("lead_id", "kind").rows()
        [('L-1', 'website_visit'), ('L-1', 'website_visit')]
    """
    try:
        import polars  # noqa: F401
    except ImportError as err:  # pragma: no cover - exercised without polars
        raise MissingExtraError("polars", "polars") from err
    if on_error not in ("raise", "collect"):
        raise InvalidArgumentError(
            f"on_error must be 'raise' or 'collect', got {on_error!r}",
            argument="on_error",
            value=on_error,
        )
    kind = format or _format_of(source)
    if kind not in ("csv", "jsonl", "parquet"):
        raise InvalidArgumentError(
            f"format must be 'csv', 'jsonl' or 'parquet', got {format!r}",
            argument="format",
            value=format,
        )
    if kind != "csv":
        if not isinstance(source, str | os.PathLike):
            raise InvalidArgumentError(
                f"read_tables reads {kind} from a file path, got {type(source).__name__}",
                argument="source",
                value=source,
            )
        if mapping is not None:
            raise InvalidArgumentError(
                f"a mapping reads CSV files and data frames, not {kind} files",
                argument="mapping",
                value=mapping,
            )
        if kind == "jsonl":
            return read_jsonl_tables(source, raise_first=on_error == "raise", on_record=progress)
        tables = read_parquet_tables(
            source,
            signals=signals if signals is not None else signals_of(source),
            raise_first=on_error == "raise",
        )
        if progress is not None:
            progress(tables.leads.height + len(tables.errors))
        return tables
    if signals is not None:
        raise InvalidArgumentError(
            "signals= goes with a Parquet leads file", argument="signals", value=signals
        )
    return read_csv_tables(source, mapping=mapping, on_error=on_error, progress=progress)


def _format_of(source: object) -> str:
    """The format a file name says: ``jsonl``, ``parquet``, else ``csv``."""
    if not isinstance(source, str | os.PathLike):
        return "csv"
    name = os.fspath(source).lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"
