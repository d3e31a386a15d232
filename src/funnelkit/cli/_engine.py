"""``funnelkit qualify --engine``: which engine qualifies the file, and the columnar run.

* ``row``: a ``Lead`` per record and ``qualify`` per lead (next facts, ``--explain``).
* ``polars`` and ``duckdb``: the file is read into the table contract
  (``funnelkit.io.read_tables``) and the whole table is qualified at once
  (``funnelkit.qualify.qualify_table``). They write CSV and the table, and work out the
  next facts too (``explain=True``). Explanations and JSON
  Lines (each line holds every output of the policy's rules, and each criterion's
  evidence) come from the row engine only.
* ``auto`` (the default): ``polars`` for a CSV file of ``COLUMNAR_MIN_BYTES`` or more,
  and for any Parquet file, when the run can be columnar (polars installed, no
  ``--explain``, CSV or table output, a policy the columnar
  engines can run and without declared custom attributes); ``row`` otherwise, and when
  the columnar run cannot finish (a rule that meets values it cannot work with, a CSV
  file ``read_tables`` cannot read) the row engine reads the file again. JSONL goes to
  the row engine under ``auto``: its records become a ``Lead`` each on either path, and
  that reading is most of the time (100,000 leads: the same time either way).

Whichever engine runs, standard output is the same, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from funnelkit.cli._badrows import BadRows
from funnelkit.cli._csvframe import write_csv_frame
from funnelkit.cli._formats import UNLOCKS, rows_section, table_cells
from funnelkit.cli._input import CommandError, LeadReader
from funnelkit.cli._progress import Progress, wants_progress
from funnelkit.errors import RecordError
from funnelkit.rules import RuleEvaluationError, UnsupportedRuleError

if TYPE_CHECKING:
    from rich.console import Console

    from funnelkit.io import LeadTables
    from funnelkit.model import Lead
    from funnelkit.qualify import Policy

__all__ = [
    "COLUMNAR_MIN_BYTES",
    "ENGINES",
    "choose_engine",
    "input_format",
    "input_size",
    "parquet_items",
    "run_columnar",
]

ENGINES: Final = ("auto", "row", "polars", "duckdb")
"""The values of ``--engine``."""
COLUMNAR_MIN_BYTES: Final = 1_000_000
"""``auto`` runs a CSV file of this size or more (some 5,000 leads) with the polars
engine; smaller files go through the row engine, which starts faster."""

Note = Callable[[str], None]
_SUFFIXES: Final = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def input_format(args: argparse.Namespace) -> str | None:
    """The input's format: ``--input-format``, else from the file name (``None``: unknown)."""
    if args.input_format is not None:
        fmt: str = args.input_format
        return fmt
    name = args.file.lower().removesuffix(".gz")
    return _SUFFIXES.get(Path(name).suffix)


def input_size(file: str) -> int:
    """The file's size in bytes (0 when it cannot be read: the reader reports that)."""
    try:
        return os.path.getsize(file)
    except OSError:
        return 0


def _blockers(args: argparse.Namespace, policy: Policy, fmt: str | None) -> list[str]:
    """Why this run cannot be columnar, in words (empty: it can)."""
    out = []
    if args.explain is not None:
        out.append("--explain needs the row engine (explanations come from it)")
    if args.format == "jsonl":
        out.append(
            "JSON Lines output comes from the row engine (each line holds every output "
            "of the policy's rules and each criterion's evidence); use --format csv or table"
        )
    if fmt not in ("csv", "jsonl", "parquet"):
        out.append("the columnar engines read CSV, JSONL and Parquet files")
    elif fmt == "csv" and args.file.lower().endswith(".gz"):
        out.append("the columnar engines read CSV files that are not compressed")
    if args.mapping is not None and fmt != "csv":
        out.append("a mapping goes with CSV input")
    if policy.custom_attributes:
        out.append(
            "the policy declares custom attributes, which only the row engine converts at load"
        )
    return out


def _unsupported(policy: Policy, as_of: datetime, engine: str) -> str | None:
    """Why the policy cannot run in ``engine``, or ``None``; MissingExtraError passes."""
    from funnelkit.io import leads_to_tables
    from funnelkit.qualify import policy_sql, qualify_frame

    try:
        if engine == "duckdb":
            policy_sql(policy, as_of=as_of)
        else:
            empty = leads_to_tables([])
            qualify_frame(empty.leads.lazy(), empty.signals.lazy(), policy, as_of=as_of)
    except UnsupportedRuleError as err:
        return str(err)
    return None


def _has_polars() -> bool:
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


def choose_engine(
    args: argparse.Namespace, policy: Policy, as_of: datetime, fmt: str | None, *, note: Note
) -> str:
    """The engine that runs: ``--engine``, or the ``auto`` choice (see the module).

    Args:
        args: The parsed arguments.
        policy: The policy.
        as_of: The instant.
        fmt: The input format (``input_format``).
        note: Prints a note on standard error.

    Returns:
        ``row``, ``polars`` or ``duckdb``.

    Raises:
        CommandError: An explicit columnar engine cannot do what was asked
            (``--explain``, JSON Lines, a policy it cannot run); the message says why.
        MissingExtraError: An explicit engine's extra is not installed.
    """
    engine: str = args.engine
    if engine == "row":
        return "row"
    blockers = _blockers(args, policy, fmt)
    if engine != "auto":
        if blockers:
            raise CommandError(f"--engine {engine} cannot run here: {'; '.join(blockers)}")
        why = _unsupported(policy, as_of, engine)
        if why is not None:
            raise CommandError(f"--engine {engine} cannot run {policy.label}: {why}")
        return engine
    size = input_size(args.file)
    if fmt == "jsonl" or (fmt == "csv" and size < COLUMNAR_MIN_BYTES):
        return "row"
    if blockers or not _has_polars():
        if args.explain is None:  # a large input: say what would let a columnar engine run
            reason = (
                blockers[0]
                if blockers
                else 'polars is not installed (pip install "funnelkit[polars]")'
            )
            note(f"the row engine qualifies this large file: {reason}")
        return "row"
    if _unsupported(policy, as_of, "polars") is not None:
        return "row"
    return "polars"


def parquet_items(args: argparse.Namespace) -> Iterator[Lead | RecordError]:
    """The records of a Parquet leads file for the row engine: bad ones first, then leads."""
    tables = _read(args, "parquet", progress=None)
    from funnelkit.io import tables_to_leads

    yield from tables.errors
    yield from tables_to_leads(tables)


def _read(args: argparse.Namespace, fmt: str, progress: Progress | None) -> LeadTables:
    from funnelkit.cli._input import load_mapping
    from funnelkit.io import read_tables

    try:
        return read_tables(
            args.file,
            format=fmt,  # type: ignore[arg-type]
            signals=args.signals if fmt == "parquet" else None,
            mapping=load_mapping(args.mapping),
            on_error="collect",
            progress=None if progress is None else progress.set,
        )
    except OSError as err:
        name = getattr(err, "filename", None) or args.file
        raise CommandError(f"cannot read {name!r}: {err.strerror or err}") from None


class _FallbackError(Exception):
    """The ``auto`` choice cannot finish; the row engine reads the file again."""


def run_columnar(
    args: argparse.Namespace,
    policy: Policy,
    as_of: datetime,
    engine: str,
    fmt: str | None,
    console: Console | None,
    bad_rows: BadRows,
    *,
    note: Note,
) -> tuple[int, LeadReader, Counter[str]] | None:
    """Read the file into tables, qualify them with ``engine``, write CSV or the table.

    Args:
        args: The parsed arguments.
        policy: The policy.
        as_of: The instant.
        engine: ``polars`` or ``duckdb``.
        fmt: ``csv``, ``jsonl`` or ``parquet``.
        console: Where the table goes.
        bad_rows: The ``--bad-rows`` file.
        note: Prints a note on standard error.

    Returns:
        How many leads were written, the reader's counts, the foreign stages; ``None``
        when ``--engine auto`` chose this engine and it cannot finish (the caller runs
        the row engine instead).
    """
    auto = args.engine == "auto"
    reader = LeadReader(args.file, iter(()), note, on_bad=bad_rows.write)
    try:
        result = _qualified(args, policy, as_of, engine, fmt, reader, auto=auto)
    except _FallbackError as why:
        note(f"the row engine qualifies this file instead: {why}")
        return None
    foreign: Counter[str] = Counter(
        stage for stage in result["foreign_stage"].to_list() if stage is not None
    )
    if args.next_facts:
        result = _with_next_fact(result, policy, arrow=args.format != "csv")
    if args.format == "csv":
        count = write_csv_frame(result, policy, sys.stdout)
    else:
        from funnelkit.cli._render import render_section

        assert console is not None
        rows = [table_cells(row, policy) for row in result.iter_rows(named=True)]
        render_section(console, rows_section(rows, policy))
        count = len(rows)
    return count, reader, foreign


def _qualified(
    args: argparse.Namespace,
    policy: Policy,
    as_of: datetime,
    engine: str,
    fmt: str | None,
    reader: LeadReader,
    *,
    auto: bool,
) -> Any:
    from funnelkit.qualify import qualify_table

    assert fmt is not None
    shown = wants_progress(enabled=not args.no_progress, size=input_size(args.file))
    try:
        with Progress("reading", shown=shown) as progress:
            tables = _read(args, fmt, progress)
    except RecordError as err:  # a header, a mapping or a CSV row read_tables cannot take
        if auto:
            raise _FallbackError(str(err).splitlines()[0]) from None
        raise CommandError(
            f"--engine {engine} cannot read {args.file}: {err} (--engine row reads it "
            "record by record)"
        ) from None
    for error in tables.errors:
        reader.bad_record(error)
    for warning in tables.warnings:
        reader.warn(warning)
    reader.total += tables.leads.height
    leads = tables.leads
    try:
        return qualify_table(
            leads, tables.signals, policy, as_of=as_of, engine=engine, explain=args.next_facts
        )
    except RuleEvaluationError as err:
        if auto:
            raise _FallbackError(str(err)) from None
        raise CommandError(
            f"--engine {engine} cannot qualify {args.file}: {err} (--engine row qualifies "
            "the other leads and reports this one)"
        ) from None


def _with_next_fact(result: Any, policy: Policy, *, arrow: bool) -> Any:
    """The rows with ``next_fact``: the first next fact's path, as ``top_next_fact`` has it.

    With ``arrow``, `` → <stage>`` follows when the fact could unlock a stage.
    """
    import polars as pl

    first = pl.col("next_facts").list.first()
    path = first.struct.field("path")
    if arrow:
        labels = {s.key: s.label for s in policy.funnel}
        stage = first.struct.field("unlocks").list.first()
        label = stage.replace_strict(labels, default=None, return_dtype=pl.String)
        path = pl.when(label.is_not_null()).then(path + UNLOCKS + label).otherwise(path)
    return result.with_columns(path.alias("next_fact"))
