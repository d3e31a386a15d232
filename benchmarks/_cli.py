"""File to results: a CSV export of leads qualified to a CSV of results, per row and columnar.

``write_export(folder, leads)`` writes ``leads.csv`` and its column mapping
``mapping.json``, vectorised with polars from the streaming run's generator (no ``Lead``
objects): dotted columns for the company, the contact and BANT, ``;``-separated sets,
and one count column per signal kind with the column of when those signals happened
(``SignalColumn("count", kind=..., at=...)``). Both ``read_leads`` and ``read_tables``
read it with the same mapping.

Each path then runs in a fresh process, timed from start to exit, with its peak RSS:

* when ``funnelkit qualify --help`` offers ``--engine``: ``funnelkit qualify FILE
  --mapping M --policy starter --format csv --no-next-facts --engine E`` for ``row``,
  ``polars`` and ``duckdb`` (rows ``cli-row``, ``cli-polars``, ``cli-duckdb``), and with
  ``--next-facts`` for each (``cli-row-next``, ``cli-polars-next``, ``cli-duckdb-next``,
  whose ratios are to ``cli-row-next``);
* otherwise the Python equivalents (rows ``file-row``, ``file-polars``, ``file-duckdb``):
  ``iter_leads`` -> ``qualify_many(explain=False)`` -> ``qualification_row`` -> CSV, and
  ``read_tables`` -> ``qualify_table(engine=...)`` -> ``write_csv``.

The columnar outputs must equal the row path's on every lead (stage, scores, grades,
segment, framework counts) before their ratio counts.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from _isolate import own_peak_rss_mib, run_child, run_command

AS_OF = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
"""The CLI's ``--as-of 2026-05-01`` (midnight UTC)."""
COLUMNS = (
    "lead_id",
    "stage",
    "fit",
    "fit_grade",
    "engagement",
    "engagement_grade",
    "segment",
    "bant_met",
    "opportunity_met",
)
"""The result columns every path writes (the CLI's CSV, without ``next_fact``)."""
NUMBERS = ("fit", "engagement", "bant_met", "opportunity_met")
SIGNAL_KINDS = (
    "demo_request",
    "contact_sales",
    "pricing_page_view",
    "content_download",
    "webinar_attended",
    "email_click",
    "email_reply",
    "product_usage",
    "unsubscribe",
)
FACTS = (
    "id",
    "company.industry",
    "company.employees",
    "company.annual_revenue.amount",
    "company.annual_revenue.currency",
    "company.country",
    "company.technologies",
    "company.tags",
    "contact.seniority",
    "contact.department",
    "bant.budget.status",
    "bant.authority.level",
    "bant.timeline.decision_date",
)
TARGET = 30.0
"""File to results through the CLI, columnar over the row path: at least 30x."""


def write_export(folder: Path, leads: int, signals_per_lead: int = 5) -> tuple[Path, Path]:
    """Write ``leads.csv`` and ``mapping.json`` for ``leads`` leads; return their paths."""
    import polars as pl
    from _stream import CHUNK, SEED, _lead_chunk, _signal_chunk, contract_schema

    schema = contract_schema()
    path, mapping = folder / "leads.csv", folder / "mapping.json"
    with path.open("wb") as out:
        for part, first in enumerate(range(0, leads, CHUNK)):
            n = min(CHUNK, leads - first)
            facts = _lead_chunk(first, n, schema, SEED).select(FACTS)
            facts = facts.with_columns(
                pl.col("company.technologies", "company.tags").list.join(";")
            )
            signals = _signal_chunk(first, n, n * signals_per_lead, SEED)
            per_kind = (
                signals.filter(pl.col("kind").is_in(SIGNAL_KINDS))
                .group_by("lead_id", "kind")
                .agg(pl.len().alias("n"), pl.col("occurred_at").max().alias("at"))
                .pivot("kind", index="lead_id", values=["n", "at"])
            )
            wide = facts.join(per_kind, left_on="id", right_on="lead_id", how="left")
            counts = [
                pl.col(f"n_{k}").fill_null(0).alias(f"{k}_count")
                if f"n_{k}" in wide.columns
                else pl.lit(0).alias(f"{k}_count")
                for k in SIGNAL_KINDS
            ]
            times = [
                pl.col(f"at_{k}").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").alias(f"{k}_at")
                if f"at_{k}" in wide.columns
                else pl.lit(None, pl.String).alias(f"{k}_at")
                for k in SIGNAL_KINDS
            ]
            wide.select(*FACTS, *counts, *times).write_csv(out, include_header=part == 0)
    columns = {f"{k}_count": {"signal": "count", "kind": k, "at": f"{k}_at"} for k in SIGNAL_KINDS}
    mapping.write_text(
        json.dumps({"unmapped": "ignore", "signals_at": "2026-05-01", "columns": columns}),
        encoding="utf-8",
    )
    return path, mapping


def compile_funnelkit() -> None:
    """Write funnelkit's bytecode (``__pycache__``), as installing its wheel does.

    A checkout installed in editable mode has none, and with ``PYTHONDONTWRITEBYTECODE``
    set every run compiles each module it imports again (some 0.3 s a process), a cost
    no installed copy pays.
    """
    spec = importlib.util.find_spec("funnelkit")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        compileall.compile_dir(folder, quiet=1)


def cli_engines() -> bool:
    """Whether ``funnelkit qualify`` offers ``--engine`` (read from its ``--help``)."""
    exe = shutil.which("funnelkit") or ""
    command = [exe] if exe else [sys.executable, "-m", "funnelkit"]
    out = subprocess.run(  # noqa: S603 - our own command
        [*command, "qualify", "--help"], capture_output=True, text=True, check=False
    )
    return "--engine" in out.stdout


def run_row(file: Path, mapping: Path, out: Path) -> dict[str, Any]:
    """``iter_leads`` -> ``qualify_many(explain=False)`` -> ``qualification_row`` -> CSV."""
    from funnelkit.io import ColumnMapping, iter_leads, qualification_row
    from funnelkit.model import Lead
    from funnelkit.qualify import STARTER, qualify_many

    leads = (
        lead
        for lead in iter_leads(file, mapping=ColumnMapping.from_file(mapping), on_error="collect")
        if isinstance(lead, Lead)
    )
    count = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for q in qualify_many(leads, STARTER, as_of=AS_OF, explain=False):
            row = qualification_row(q)
            writer.writerow([row[c] for c in COLUMNS])
            count += 1
    return {"rows_out": count}


def run_table(file: Path, mapping: Path, out: Path, engine: str) -> dict[str, Any]:
    """``read_tables`` -> ``qualify_table(engine=...)`` -> ``write_csv``."""
    from funnelkit.io import ColumnMapping, read_tables
    from funnelkit.qualify import STARTER, qualify_table

    tables = read_tables(file, mapping=ColumnMapping.from_file(mapping), on_error="collect")
    frame = qualify_table(tables.leads, tables.signals, STARTER, as_of=AS_OF, engine=engine)
    frame.select(COLUMNS).write_csv(out)
    return {"rows_out": frame.height, "bad_rows": len(tables.errors)}


@dataclass(frozen=True)
class FileResult:
    """One path's row of the file-to-results measurement."""

    engine: str
    rows: int
    wall_s: float | None
    ratio_vs_row: float | None
    peak_rss_mib: float | None
    measured: str
    cpu_s: float | None
    cpu_ratio_vs_row: float | None
    outputs_match: bool
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON record of the row."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "rows_per_s": None if self.wall_s is None else self.rows / self.wall_s,
            "wall_s": self.wall_s,
            "ratio_vs_row": self.ratio_vs_row,
            "cpu_s": self.cpu_s,
            "cpu_ratio_vs_row": self.cpu_ratio_vs_row,
            "peak_rss_mib": self.peak_rss_mib,
            "measured": self.measured,
            "outputs_match": self.outputs_match,
        }


def _read(path: Path) -> dict[str, tuple[Any, ...]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        more = ("next_fact",) if rows.fieldnames and "next_fact" in rows.fieldnames else ()
        return {
            r["lead_id"]: tuple(
                Decimal(r[c] or "0") if c in NUMBERS else (r[c] or None)
                for c in (*COLUMNS[1:], *more)
            )
            for r in rows
        }


def _differences(want: Path, got: Path) -> int:
    a, b = _read(want), _read(got)
    return sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def file_rows(leads: int, folder: Path, *, note: Callable[[str], None] = print) -> list[FileResult]:
    """Write the export, run each path in a fresh process, compare with the row path."""
    start = time.perf_counter()
    file, mapping = write_export(folder, leads)
    note(
        f"file to results: {leads:,} leads, {file.stat().st_size / 2**20:,.0f} MiB of CSV "
        f"written in {time.perf_counter() - start:.0f}s"
    )
    compile_funnelkit()
    through_cli = cli_engines()
    measured = "cli --engine" if through_cli else "python equivalent (no --engine in this CLI)"
    results: list[FileResult] = []
    row_wall: float | None = None
    row_cpu: float | None = None
    runs = [("row", False), ("polars", False), ("duckdb", False)]
    if through_cli:  # with next facts too
        runs += [("row", True), ("polars", True), ("duckdb", True)]
    for engine, next_facts in runs:
        tag = f"{engine}-next" if next_facts else engine
        out = folder / f"out-{tag}.csv"
        if through_cli:
            name = f"cli-{tag}"
            child = run_command(
                cli_command(engine, file, mapping, next_facts=next_facts), stdout=out
            )
            failed = child.returncode not in (0, 1)  # 1: some records were bad
        else:
            name = f"file-{engine}"
            child = run_child("_cli.py", [engine, str(file), str(mapping), str(out)])
            failed = child.returncode != 0
        if failed or not out.exists():
            problem = f"exit {child.returncode}: {child.stderr.strip()[-1500:]}"
            results.append(
                FileResult(
                    name,
                    leads,
                    None,
                    None,
                    child.peak_rss_mib,
                    measured,
                    None,
                    None,
                    False,
                    problem,
                )
            )
        else:
            reference = folder / ("out-row-next.csv" if next_facts else "out-row.csv")
            wrong = (
                0 if engine == "row" else _differences(reference, out) if reference.exists() else -1
            )
            if engine == "row":
                row_wall, row_cpu = child.wall_s, child.cpu_s
            ok = wrong == 0 and row_wall is not None
            results.append(
                FileResult(
                    name,
                    leads,
                    child.wall_s,
                    row_wall / child.wall_s if ok and row_wall else None,
                    child.peak_rss_mib,
                    measured,
                    child.cpu_s,
                    row_cpu / child.cpu_s if ok and row_cpu and child.cpu_s > 0 else None,
                    wrong == 0,
                    f"{wrong} of {leads} leads differ from the row path" if wrong else "",
                )
            )
        note(f"  {name}: {results[-1].to_json()}")
    return results


def file_report(results: Sequence[FileResult]) -> str:
    """The file-to-results rows as plain text, with the 30x target."""
    head = ("engine", "leads", "wall", "leads/s", "x row path", "cpu", "x row (cpu)", "peak RSS")
    lines = [(*head, "match")]
    for r in results:
        ratio = "n/a" if r.ratio_vs_row is None else f"{r.ratio_vs_row:.1f}x"
        if r.ratio_vs_row is not None and not r.engine.endswith(("row", "row-next")):
            ratio += f" ({TARGET:.0f}x {'met' if r.ratio_vs_row >= TARGET else 'MISSED'})"
        lines.append(
            (
                r.engine,
                f"{r.rows:,}",
                "n/a" if r.wall_s is None else f"{r.wall_s:,.1f}s",
                "n/a" if r.wall_s is None else f"{r.rows / r.wall_s:,.0f}",
                ratio,
                "n/a" if r.cpu_s is None else f"{r.cpu_s:,.1f}s",
                "n/a" if r.cpu_ratio_vs_row is None else f"{r.cpu_ratio_vs_row:.1f}x",
                "n/a" if r.peak_rss_mib is None else f"{r.peak_rss_mib:,.0f} MiB",
                "yes" if r.outputs_match else "NO " + r.problem,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    text = "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )
    return f"{text}\nmeasured: {results[0].measured if results else 'nothing'}"


def cli_command(engine: str, file: Path, mapping: Path, *, next_facts: bool = False) -> list[str]:
    """``funnelkit qualify FILE --mapping M --policy starter --format csv ... --engine E``."""
    exe = shutil.which("funnelkit")
    command = [exe] if exe else [sys.executable, "-m", "funnelkit"]
    return [
        *command,
        "qualify",
        str(file),
        "--mapping",
        str(mapping),
        "--policy",
        "starter",
        "--as-of",
        "2026-05-01",
        "--format",
        "csv",
        "--next-facts" if next_facts else "--no-next-facts",
        "--engine",
        engine,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """The child process: ``ENGINE FILE MAPPING OUT``."""
    parser = argparse.ArgumentParser(prog="_cli.py")
    parser.add_argument("engine", choices=["row", "polars", "duckdb"])
    parser.add_argument("file", type=Path)
    parser.add_argument("mapping", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.engine == "row":
        report = run_row(args.file, args.mapping, args.out)
    else:
        report = run_table(args.file, args.mapping, args.out, args.engine)
    report["vm_hwm_mib"] = own_peak_rss_mib()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
