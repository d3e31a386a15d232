"""Benchmark funnelkit's engines against a hand-written Python function of the reference policy.

Generates deterministic leads (``_leads.make_leads``), runs every registered engine over
them, checks that each engine returns exactly what the hand-written function
(``_handwritten.score_lead``) returns for every lead, and reports rows per second and the
ratio to the hand-written function. An engine whose outputs differ is reported and its
ratio is not counted; the exit code is then 1.

It then times the loader (``_loading.loader_rows``): ``read_leads`` on a JSONL and a CSV
file of the first ``--load-rows`` of the same leads, each as a ratio to bare
``json.loads`` of the JSONL file's lines, measured in the same run.

Usage::

    python benchmarks/run.py [--rows 100000] [--repeat 3] [--seed 2026] [--json FILE]
                             [--load-rows 20000]

See README.md for what is measured and how to read the numbers.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from _handwritten import score_lead
from _leads import make_leads
from _loading import loader_rows
from _loading import plain_table as loader_table
from _memory import memory_row
from _memory import plain_table as memory_table
from _tables import isolated_table_rows, table_report, table_rows

from funnelkit.model import Lead

Outputs = tuple[Any, Any, Any, Any]
"""``(fit, engagement, bant_met, stage)`` for one lead."""
Engine = Callable[[Lead], Outputs]
EngineFactory = Callable[[datetime], Engine]
"""Builds an engine for one ``as_of``; building is not timed, running is."""

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
"""The fixed instant every benchmark run judges at (never the clock)."""
DEFAULT_ROWS = 100_000
DEFAULT_REPEAT = 3
DEFAULT_SEED = 2026
DEFAULT_LOAD_ROWS = 20_000
DEFAULT_MEMORY_ROWS = 5_000
OUTPUT_NAMES = ("fit", "engagement", "bant_met", "stage")
TARGETS = {"compiled": 0.8, "explain": 0.15}
"""The minimum ratio to the hand-written function each engine aims for (not enforced).

``explain+trace`` has none: it is reported for information (the trace is built only when
a caller reads it)."""
MAX_MISMATCHES_SHOWN = 5


def handwritten(as_of: datetime) -> Engine:
    """The baseline: ``_handwritten.score_lead`` with ``as_of`` bound."""
    return functools.partial(score_lead, as_of=as_of)


ENGINES: list[tuple[str, EngineFactory]] = [("handwritten", handwritten)]
"""Engines that need nothing beyond the model; the first one is the reference."""


# ---------------------------------------------------------------------------------------
# Rule-engine rows ("compiled" and "explain"), built from funnelkit.rules and
# benchmarks/reference_policy.py. LEAD ENGINEER: this is the place to add or change them.
# Each factory takes ``as_of`` and returns ``lead -> (fit, engagement, bant_met, stage)``.
# If funnelkit.rules or the reference policy cannot be imported, the rows are skipped
# with a printed note instead of failing the run.
# ---------------------------------------------------------------------------------------
def rule_engines(note: Callable[[str], None] = print) -> list[tuple[str, EngineFactory]]:
    """The ``compiled``, ``explain`` and ``explain+trace`` engines, or none if unavailable.

    ``explain`` computes what an explanation is for, the outcome and the unknown facts (it
    reads both); ``explain+trace`` also builds the whole trace and turns it into a dict,
    so that the two costs are reported apart.

    Args:
        note: Where to report that the engines were skipped, and why.

    Returns:
        ``[(name, factory), ...]``; empty when the rule engine cannot be imported.
    """
    try:
        from reference_policy import REFERENCE_POLICY

        from funnelkit.rules import compile_rule, explain
    except Exception as err:  # any import-time failure skips the rows, never the run
        note(f"note: rule engines skipped: {type(err).__name__}: {err}")
        return []
    pick = itemgetter(*OUTPUT_NAMES)

    def compiled(as_of: datetime) -> Engine:
        evaluate = compile_rule(REFERENCE_POLICY).at(as_of)

        def engine(lead: Lead) -> Outputs:
            return pick(evaluate(lead))  # type: ignore[no-any-return]

        return engine

    def explaining(as_of: datetime) -> Engine:
        def engine(lead: Lead) -> Outputs:
            why = explain(REFERENCE_POLICY, lead, as_of=as_of)
            outputs, _facts = why.outcome, why.unknown_facts
            return pick(outputs)  # type: ignore[no-any-return]

        return engine

    def explaining_with_trace(as_of: datetime) -> Engine:
        def engine(lead: Lead) -> Outputs:
            why = explain(REFERENCE_POLICY, lead, as_of=as_of)
            outputs, _facts, _trace = why.outcome, why.unknown_facts, why.trace.to_dict()
            return pick(outputs)  # type: ignore[no-any-return]

        return engine

    return [
        ("compiled", compiled),
        ("explain", explaining),
        ("explain+trace", explaining_with_trace),
    ]


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One engine's row of the report."""

    engine: str
    rows: int
    rows_per_s: float | None  # None when the engine failed
    ratio_vs_handwritten: float | None  # None when the outputs do not match
    outputs_match: bool
    problem: str = ""  # the first mismatches or the error, for the report

    def to_json(self) -> dict[str, Any]:
        """The JSON record: engine, rows, rows_per_s, ratio_vs_handwritten, outputs_match."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "rows_per_s": self.rows_per_s,
            "ratio_vs_handwritten": self.ratio_vs_handwritten,
            "outputs_match": self.outputs_match,
        }


CPU_SECONDS: dict[str, float] = {}
"""Each engine's best process CPU time in the last run, by name (for the table rows)."""


def time_engine(
    engine: Engine, leads: Sequence[Lead], repeat: int, *, name: str = ""
) -> tuple[float, list[Outputs]]:
    """The best wall time (``time.perf_counter``) of ``repeat`` runs, and the outputs.

    The garbage collector is off while timing, as in ``timeit``. The best CPU time goes
    to ``CPU_SECONDS[name]``.
    """
    best = cpu_best = float("inf")
    outputs: list[Outputs] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            outputs = [engine(lead) for lead in leads]
            best = min(best, time.perf_counter() - start)
            cpu_best = min(cpu_best, time.process_time() - cpu)
        CPU_SECONDS[name] = cpu_best
    finally:
        if was_enabled:
            gc.enable()
    return best, outputs


def mismatches(
    leads: Sequence[Lead], expected: Sequence[Outputs], got: Sequence[Outputs]
) -> list[str]:
    """One line per lead whose outputs differ: id, expected and got."""
    lines = []
    for lead, want, have in zip(leads, expected, got, strict=True):
        if tuple(have) != tuple(want):
            lines.append(f"lead {lead.id}: expected {want!r}, got {have!r}")
    return lines


def run_benchmark(
    leads: Sequence[Lead],
    engines: Sequence[tuple[str, EngineFactory]],
    *,
    as_of: datetime,
    repeat: int,
) -> list[Result]:
    """Time every engine and check its outputs against the first (the hand-written one)."""
    results: list[Result] = []
    reference: list[Outputs] | None = None
    baseline = 0.0
    for index, (name, factory) in enumerate(engines):
        try:
            seconds, outputs = time_engine(factory(as_of), leads, repeat, name=name)
        except Exception as err:  # a crashing engine is a failed row, not a failed run
            failure = f"failed: {type(err).__name__}: {err}"
            results.append(Result(name, len(leads), None, None, False, failure))
            continue
        rows_per_s = len(leads) / max(seconds, 1e-9)
        if index == 0:
            reference, baseline = outputs, rows_per_s
        if reference is None:
            results.append(Result(name, len(leads), rows_per_s, None, False, "no reference"))
            continue
        wrong = mismatches(leads, reference, outputs)
        problem = ""
        if wrong:
            shown = wrong[:MAX_MISMATCHES_SHOWN]
            more = len(wrong) - len(shown)
            problem = f"{len(wrong)} of {len(leads)} leads differ: " + "; ".join(shown)
            problem += f"; ... {more} more" if more else ""
        ratio = None if wrong else rows_per_s / baseline
        results.append(Result(name, len(leads), rows_per_s, ratio, not wrong, problem))
    return results


def _cells(result: Result) -> list[str]:
    target = TARGETS.get(result.engine)
    if target is None:
        verdict = ""
    elif result.ratio_vs_handwritten is None:
        verdict = f"{target}x n/a"
    else:
        verdict = f"{target}x " + ("met" if result.ratio_vs_handwritten >= target else "MISSED")
    return [
        result.engine,
        f"{result.rows:,}",
        "failed" if result.rows_per_s is None else f"{result.rows_per_s:,.0f}",
        "n/a" if result.ratio_vs_handwritten is None else f"{result.ratio_vs_handwritten:.3f}x",
        "yes" if result.outputs_match else "NO",
        verdict,
    ]


HEADERS = ("engine", "rows", "rows/s", "ratio", "outputs match", "target")


def plain_table(results: Sequence[Result]) -> str:
    """The report as a plain-text table."""
    rows = [list(HEADERS), *(_cells(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def print_table(results: Sequence[Result]) -> None:
    """Print the report with rich when it is installed, else as plain text."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(plain_table(results))
        return
    table = Table(title="reference policy; ratio = rows/s over hand-written rows/s")
    for header in HEADERS:
        table.add_column(header, justify="left" if header in {"engine", "target"} else "right")
    for result in results:
        table.add_row(*_cells(result))
    Console().print(table)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: --rows, --json, --repeat, --seed."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Time funnelkit's engines against a hand-written function of the "
        "reference policy.",
    )
    parser.add_argument("--rows", type=_at_least_one, default=DEFAULT_ROWS, help="leads to score")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results as JSON")
    parser.add_argument(
        "--repeat", type=_at_least_one, default=DEFAULT_REPEAT, help="runs per engine (best)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="lead generator seed")
    parser.add_argument(
        "--load-rows",
        type=int,
        default=DEFAULT_LOAD_ROWS,
        help="leads to write and load back for the loader rows (0: skip them)",
    )
    parser.add_argument(
        "--memory-rows",
        type=int,
        default=DEFAULT_MEMORY_ROWS,
        help="qualifications to keep for the memory row (0: skip it)",
    )
    parser.add_argument(
        "--no-tables",
        dest="tables",
        action="store_false",
        help="skip the table engines (polars, DuckDB)",
    )
    parser.add_argument(
        "--isolate",
        action="store_true",
        help="run each table engine in a fresh process and report its peak RSS",
    )
    parser.add_argument(
        "--only-tables",
        action="store_true",
        help="skip the rule-engine rows (the hand-written baseline still runs)",
    )
    parser.add_argument(
        "--stream",
        type=int,
        default=0,
        metavar="LEADS",
        help="only the streaming run: LEADS leads and 5x as many signals to Parquet, "
        "then DuckDB and polars lazy, each in a fresh process",
    )
    parser.add_argument(
        "--stream-dir",
        type=Path,
        default=None,
        help="where the streaming and file-to-results runs write (default: a temporary folder)",
    )
    parser.add_argument(
        "--stream-engines",
        default="duckdb,polars",
        help="the streaming run's engines, comma-separated (default: duckdb,polars)",
    )
    parser.add_argument(
        "--stream-limit",
        type=float,
        default=None,
        metavar="MIB",
        help="stop a streaming engine whose peak RSS passes MIB (default: 8192)",
    )
    parser.add_argument(
        "--file-rows",
        type=int,
        default=0,
        metavar="LEADS",
        help="only the file-to-results rows: a CSV export of LEADS leads qualified to CSV "
        "per row and by the columnar engines, each in a fresh process",
    )
    return parser.parse_args(argv)


def file_to_results(args: argparse.Namespace) -> int:
    """The ``--file-rows`` run: print its rows, write the JSON; 0 when all outputs agree."""
    from _cli import file_report, file_rows

    print(f"file to results, {args.file_rows:,} leads; Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(dir=args.stream_dir) as folder:
        rows = file_rows(args.file_rows, Path(folder), note=lambda s: print(s, flush=True))
    print(file_report(rows))
    if args.json is not None:
        args.json.write_text(
            json.dumps([r.to_json() for r in rows], indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.json}")
    return 0 if all(r.outputs_match for r in rows) else 1


def streaming(args: argparse.Namespace) -> int:
    """The ``--stream`` run: print its rows, write the JSON; 0 when both engines agree."""
    from _stream import (
        DUCKDB_MEMORY_LIMIT,
        DUCKDB_THREADS,
        STREAM_LIMIT_MIB,
        stream_report,
        stream_rows,
    )

    print(
        f"streaming run, {args.stream:,} leads; DuckDB memory_limit={DUCKDB_MEMORY_LIMIT}, "
        f"threads={DUCKDB_THREADS}; Python {platform.python_version()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=args.stream_dir) as folder:
        rows = stream_rows(
            args.stream,
            Path(folder),
            engines=args.stream_engines.split(","),
            limit_mib=args.stream_limit or STREAM_LIMIT_MIB,
            note=lambda s: print(s, flush=True),
        )
    print(stream_report(rows))
    if args.json is not None:
        args.json.write_text(
            json.dumps([r.to_json() for r in rows], indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.json}")
    return 0 if all(r.outputs_match for r in rows) else 1


def main(
    argv: Sequence[str] | None = None,
    *,
    engines: Sequence[tuple[str, EngineFactory]] | None = None,
) -> int:
    """Run the benchmark; return 0 if every engine matched the hand-written outputs, else 1.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` when ``None``).
        engines: The engines to run, the reference first; by default ``ENGINES`` and the
            rule engines that can be imported.

    Returns:
        The process exit code.
    """
    args = parse_args(argv)
    if args.stream > 0:
        return streaming(args)
    if args.file_rows > 0:
        return file_to_results(args)
    if engines is None:
        engines = [*ENGINES, *([] if args.only_tables else rule_engines())]
    start = time.perf_counter()
    leads = make_leads(args.rows, seed=args.seed, as_of=AS_OF)
    made = time.perf_counter() - start
    print(
        f"{args.rows:,} leads (seed {args.seed}, as_of {AS_OF.isoformat()}) made in {made:.1f}s;"
        f" best of {args.repeat}; Python {platform.python_version()}"
    )
    results = run_benchmark(leads, engines, as_of=AS_OF, repeat=args.repeat)
    print_table(results)
    for result in results:
        if result.problem:
            print(f"{result.engine}: {result.problem}")
    tables = []
    if args.tables and results and results[0].rows_per_s:
        expected = [handwritten(AS_OF)(lead) for lead in leads]
        wall = len(leads) / results[0].rows_per_s
        baseline = (wall, CPU_SECONDS[results[0].engine])
        if args.isolate:
            with tempfile.TemporaryDirectory(dir=args.stream_dir) as folder:
                tables = isolated_table_rows(
                    leads, expected, baseline, as_of=AS_OF, repeat=args.repeat, folder=Path(folder)
                )
            print("table engines, each in a fresh process (peak RSS includes the input tables)")
        else:
            tables = table_rows(leads, expected, baseline, as_of=AS_OF, repeat=args.repeat)
        print("table engines: leads as tables (not timed); ratios measured in this run")
        print(table_report(tables))
    loads = []
    if args.load_rows > 0:
        with tempfile.TemporaryDirectory() as folder:
            subset = leads[: args.load_rows]
            loads = loader_rows(subset, Path(folder), repeat=args.repeat)
        print(f"loader: {len(subset):,} leads; ratio = rows/s over json.loads rows/s")
        print(loader_table(loads))
    memory = []
    if args.memory_rows > 0:
        memory = [memory_row(leads[: args.memory_rows], AS_OF)]
        print(memory_table(memory[0]))
    if args.json is not None:
        records = [result.to_json() for result in results] + [row.to_json() for row in loads]
        records += [row.to_json() for row in memory]
        records += [row.to_json() for row in tables]
        args.json.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    matched = all(r.outputs_match for r in (*results, *loads, *tables))
    return 0 if matched else 1


if __name__ == "__main__":
    sys.exit(main())
