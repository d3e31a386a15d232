"""The streaming run: many leads and signals in Parquet, qualified in bounded memory.

``generate(folder, leads, signals_per_lead=5)`` writes the table contract to Parquet
files in chunks, vectorised with numpy and polars (no ``Lead`` objects), from one seed:
``leads/part-NNNN.parquet`` and ``signals/part-NNNN.parquet``. Every column of the
contract is present; the ones the policy does not read are null.

Then each engine runs in a fresh process (``python _stream.py run ENGINE ...``), so
that its peak RSS is its own:

* ``duckdb``: ``funnelkit.qualify.policy_sql`` of the policy over two
  ``read_parquet(...)`` views, written with ``COPY (...) TO ... (FORMAT parquet)``, with
  DuckDB's ``memory_limit``, ``threads`` and ``preserve_insertion_order`` set;
* ``polars``: ``scan_parquet`` -> ``funnelkit.qualify.qualify_frame`` -> ``sink_parquet``.

``compare(a, b)`` then checks, in DuckDB, that the two outputs hold the same rows, cell
for cell on every column they share (a full join on ``lead_id``).

The policy is the ``starter`` preset (the CLI's default): ICP fit, the standard
engagement with windows and decay, BANT and the opportunity framework, four gates.
"""

# ruff: noqa: S608 - the queries are built from our own paths and the policy's SQL
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _isolate import own_peak_rss_mib, run_child

AS_OF = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SEED = 2026
CHUNK = 1_000_000
"""Leads per Parquet file (and per generation step)."""
DUCKDB_MEMORY_LIMIT = "1GB"
"""DuckDB's ``memory_limit`` in the streaming run (it spills to ``temp_directory`` beyond)."""
DUCKDB_THREADS = 2
"""DuckDB's ``threads``: the machine's cores."""
STREAM_LIMIT_MIB = 8192
"""An engine of the streaming run is stopped once its peak RSS passes this (8 GiB)."""
TARGET_PEAK_MIB = 2048
"""The DuckDB streaming run's peak RSS target (2 GiB)."""

INDUSTRIES = ["software", "fintech", "healthcare_it", "manufacturing", "retail", "Software"]
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "IN", "BR", "JP"]
SENIORITIES = ["ic", "manager", "director", "vp", "c_level", "owner"]
DEPARTMENTS = ["sales", "marketing", "revops", "engineering", "finance", "Sales"]
BUDGETS = ["none", "planned", "identified", "approved"]
AUTHORITIES = ["decision_maker", "influencer", "none"]
KINDS = [
    "demo_request",
    "contact_sales",
    "question",
    "pricing_page_view",
    "content_download",
    "webinar_attended",
    "email_open",
    "email_click",
    "email_reply",
    "meeting_booked",
    "trial_signup",
    "product_usage",
    "unsubscribe",
    "bounce",
]
KIND_WEIGHTS = [2, 1, 1, 10, 10, 4, 30, 15, 8, 1, 1, 10, 1, 1]
TECHNOLOGIES = [
    [],
    ["salesforce"],
    ["hubspot"],
    ["salesforce", "slack"],
    ["Salesforce"],
    ["zendesk", "slack"],
    ["hubspot", "gong"],
    ["marketo", "salesforce", "gong"],
]
TAGS = [[], [], [], [], ["partner"], ["competitor"], ["competitor_customer"], ["partner", "vip"]]
PAIN_POINTS = [[], [], ["slow reporting"], ["manual routing"], ["churn", "slow reporting"]]


def contract_schema() -> dict[str, Any]:
    """The leads table's columns and polars types, as ``funnelkit.io.leads_to_tables`` has them."""
    from funnelkit.io import leads_to_tables

    return dict(leads_to_tables([]).leads.schema)


def _pick(rng: Any, values: Sequence[Any], n: int, missing: float = 0.0) -> Any:
    import polars as pl

    index = rng.integers(0, len(values), n)
    series = pl.Series(values)[pl.Series(index)]
    if missing:
        return series.set(pl.Series(rng.random(n) < missing), None)  # type: ignore[arg-type]
    return series


def _lead_chunk(start: int, n: int, schema: dict[str, Any], seed: int) -> Any:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng([seed, start])
    has_company = rng.random(n) >= 0.02
    has_contact = rng.random(n) >= 0.03
    employees = np.exp(rng.uniform(0, np.log(100_000), n)).astype(np.int64)
    edge = rng.random(n)
    employees = np.where(edge < 0.04, 49, employees)
    employees = np.where((edge >= 0.04) & (edge < 0.08), 5000, employees)
    cents = (np.exp(rng.uniform(np.log(1e5), np.log(5e9), n)) * 100).astype(np.int64)
    cents = np.where(edge > 0.95, 999_999_999, cents)
    cents = np.where((edge > 0.90) & (edge <= 0.95), 1_000_000_000, cents)
    today = AS_OF.date()
    days = rng.integers(-60, 240, n)
    ids = pl.int_range(start, start + n, eager=True).cast(pl.String).str.zfill(9)
    company = pl.Series(has_company).replace(False, None)  # "present": true or null
    contact = pl.Series(has_contact).replace(False, None)
    columns: dict[str, Any] = {
        "id": "L-" + ids,
        "contact": contact,
        "company": company,
        "contact.seniority": _pick(rng, SENIORITIES, n, 0.05),
        "contact.department": _pick(rng, DEPARTMENTS, n),
        "contact.opted_out": pl.Series([False] * n),
        "company.industry": _pick(rng, INDUSTRIES, n),
        "company.employees": pl.Series(employees).set(pl.Series(rng.random(n) < 0.05), None),  # type: ignore[arg-type]
        "company.annual_revenue.amount": (
            pl.Series(cents).cast(pl.Decimal(38, 0)).cast(pl.Decimal(38, 2)) / 100
        )
        .cast(pl.Decimal(38, 2))
        .set(pl.Series(rng.random(n) < 0.07), None),  # type: ignore[arg-type]
        "company.annual_revenue.currency": _pick(rng, ["USD"] * 24 + ["EUR"], n),
        "company.country": _pick(rng, COUNTRIES, n),
        "company.technologies": _pick(rng, TECHNOLOGIES, n),
        "company.tags": _pick(rng, TAGS, n),
        "bant.budget.status": _pick(rng, BUDGETS, n, 0.1),
        "bant.authority.level": _pick(rng, AUTHORITIES, n, 0.1),
        "bant.need.pain_points": _pick(rng, PAIN_POINTS, n),
        "bant.timeline.decision_date": (
            pl.Series([today] * 1).cast(pl.Date).extend_constant(today, n - 1)
            + pl.Series(days).cast(pl.Duration("ms")) * 86_400_000
        )
        .cast(pl.Date)
        .set(pl.Series(rng.random(n) < 0.2), None),  # type: ignore[arg-type]
    }
    frame = pl.DataFrame(columns)
    company_cols = [c for c in frame.columns if c.startswith("company.")]
    contact_cols = [c for c in frame.columns if c.startswith("contact.")]
    amount = pl.col("company.annual_revenue.amount")
    frame = frame.with_columns(
        pl.when(amount.is_not_null())
        .then(pl.col("company.annual_revenue.currency"))
        .alias("company.annual_revenue.currency")
    )
    frame = frame.with_columns(
        *(pl.when(pl.col("company").is_not_null()).then(pl.col(c)).alias(c) for c in company_cols),
        *(pl.when(pl.col("contact").is_not_null()).then(pl.col(c)).alias(c) for c in contact_cols),
    )
    nulls = [pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in frame.columns]
    made = set(frame.columns)
    return frame.with_columns(nulls).select(
        [pl.col(c) if c in made else pl.col(c).cast(t) for c, t in schema.items()]
    )


def _signal_chunk(start: int, n: int, count: int, seed: int) -> Any:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng([seed, start, 1])
    owner = np.sort(rng.integers(start, start + n, count))
    weights = np.array(KIND_WEIGHTS, dtype=float) / sum(KIND_WEIGHTS)
    kind = rng.choice(len(KINDS), count, p=weights)
    seconds = rng.integers(0, 180 * 86_400, count)
    as_of_us = int(AS_OF.timestamp() * 1_000_000)
    return pl.DataFrame(
        {
            "lead_id": "L-" + pl.Series(owner).cast(pl.String).str.zfill(9),
            "kind": pl.Series(KINDS)[pl.Series(kind)],
            "occurred_at": pl.Series(as_of_us - seconds * 1_000_000).cast(pl.Datetime("us", "UTC")),
            "explicit": pl.Series(rng.random(count) < 0.05),
            "value": pl.Series([None] * count, dtype=pl.Float64),
        }
    )


def generate(folder: Path, leads: int, signals_per_lead: int = 5, seed: int = SEED) -> float:
    """Write ``leads`` leads and ``signals_per_lead * leads`` signals to Parquet.

    Args:
        folder: Where ``leads/`` and ``signals/`` go.
        leads: How many leads.
        signals_per_lead: Signals per lead on average (each signal's lead is drawn
            uniformly within its chunk).
        seed: The seed (the same arguments give the same files).

    Returns:
        Seconds taken.
    """
    start = time.perf_counter()
    schema = contract_schema()
    (folder / "leads").mkdir(parents=True, exist_ok=True)
    (folder / "signals").mkdir(parents=True, exist_ok=True)
    for part, first in enumerate(range(0, leads, CHUNK)):
        n = min(CHUNK, leads - first)
        _lead_chunk(first, n, schema, seed).write_parquet(
            folder / "leads" / f"part-{part:04d}.parquet"
        )
        _signal_chunk(first, n, n * signals_per_lead, seed).write_parquet(
            folder / "signals" / f"part-{part:04d}.parquet"
        )
    return time.perf_counter() - start


def run_duckdb(folder: Path, out: Path, *, memory_limit: str, threads: int) -> dict[str, Any]:
    """Qualify the Parquet tables with ``policy_sql`` in DuckDB, ``COPY`` to Parquet."""
    import duckdb

    from funnelkit.qualify import STARTER, policy_sql

    connection: Any = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute(f"SET threads = {int(threads)}")
    connection.execute("SET preserve_insertion_order = false")
    connection.execute(f"SET temp_directory = '{folder / 'duckdb.tmp'}'")
    leads = (folder / "leads" / "*.parquet").as_posix()
    signals = (folder / "signals" / "*.parquet").as_posix()
    connection.execute(f"CREATE VIEW leads AS SELECT * FROM read_parquet('{leads}')")
    connection.execute(f"CREATE VIEW signals AS SELECT * FROM read_parquet('{signals}')")
    columns = [row[0] for row in connection.execute("DESCRIBE leads").fetchall()]
    sql = policy_sql(STARTER, as_of=AS_OF, columns=columns)
    start = time.perf_counter()
    connection.execute(f"COPY ({sql}) TO '{out.as_posix()}' (FORMAT parquet)")
    seconds = time.perf_counter() - start
    rows = connection.execute(f"SELECT count(*) FROM read_parquet('{out.as_posix()}')").fetchone()
    connection.close()
    return {
        "seconds": seconds,
        "rows_out": rows[0],
        "settings": {
            "memory_limit": memory_limit,
            "threads": threads,
            "preserve_insertion_order": False,
        },
    }


def run_polars(folder: Path, out: Path) -> dict[str, Any]:
    """Qualify the Parquet tables with ``qualify_frame`` on lazy frames, ``sink_parquet``."""
    import polars as pl

    from funnelkit.qualify import STARTER, qualify_frame

    leads = pl.scan_parquet(folder / "leads" / "*.parquet")
    signals = pl.scan_parquet(folder / "signals" / "*.parquet")
    start = time.perf_counter()
    frame = qualify_frame(leads, signals, STARTER, as_of=AS_OF)
    assert isinstance(frame, pl.LazyFrame)
    frame.sink_parquet(out)
    seconds = time.perf_counter() - start
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    return {"seconds": seconds, "rows_out": rows, "settings": {"engine": "streaming"}}


def compare(a: Path, b: Path, *, memory_limit: str = "1GB") -> dict[str, Any]:
    """Rows of ``a`` and ``b`` that differ in any shared column (a full join on lead_id)."""
    import duckdb

    connection: Any = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute(f"SET temp_directory = '{a.parent / 'duckdb.tmp'}'")
    left = [r[0] for r in connection.execute(f"DESCRIBE SELECT * FROM '{a}'").fetchall()]
    right = {r[0] for r in connection.execute(f"DESCRIBE SELECT * FROM '{b}'").fetchall()}
    shared = [c for c in left if c in right and c != "lead_id"]
    differs = " OR ".join(f'a."{c}" IS DISTINCT FROM b."{c}"' for c in shared)
    query = (
        f"SELECT count(*) FROM '{a}' a FULL JOIN '{b}' b ON a.lead_id = b.lead_id "
        f"WHERE a.lead_id IS NULL OR b.lead_id IS NULL OR {differs}"
    )
    wrong = connection.execute(query).fetchone()[0]
    stages = connection.execute(
        f"SELECT stage, count(*) FROM '{a}' GROUP BY stage ORDER BY stage"
    ).fetchall()
    connection.close()
    return {"columns_compared": len(shared), "rows_differ": wrong, "stages": dict(stages)}


@dataclass(frozen=True)
class StreamResult:
    """One engine's row of the streaming run."""

    engine: str
    rows: int
    signals: int
    wall_s: float | None
    query_s: float | None
    rows_per_s: float | None
    peak_rss_mib: float | None
    cpu_s: float | None
    settings: dict[str, Any]
    outputs_match: bool
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON record of the row."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "signals": self.signals,
            "wall_s": self.wall_s,
            "query_s": self.query_s,
            "rows_per_s": self.rows_per_s,
            "peak_rss_mib": self.peak_rss_mib,
            "cpu_s": self.cpu_s,
            "settings": self.settings,
            "outputs_match": self.outputs_match,
        }


def stream_rows(
    leads: int,
    folder: Path,
    *,
    signals_per_lead: int = 5,
    memory_limit: str = DUCKDB_MEMORY_LIMIT,
    threads: int = DUCKDB_THREADS,
    engines: Sequence[str] = ("duckdb", "polars"),
    limit_mib: float | None = STREAM_LIMIT_MIB,
    note: Callable[[str], None] = print,
) -> list[StreamResult]:
    """Generate the Parquet tables, run each engine in a fresh process, compare outputs.

    Args:
        leads: How many leads (signals: ``signals_per_lead`` times as many).
        folder: An empty folder for the tables and the outputs.
        signals_per_lead: Signals per lead on average.
        memory_limit: DuckDB's ``memory_limit``.
        threads: DuckDB's ``threads``.
        engines: Which engines to run (``duckdb``, ``polars``).
        limit_mib: Stop an engine whose peak RSS passes this (the machine is shared).
        note: Where progress goes.

    Returns:
        ``stream-duckdb`` and ``stream-polars-lazy``; both match when their outputs hold the
        same rows, cell for cell.
    """
    gen = run_child(
        "_stream.py",
        ["generate", str(folder), str(leads), "--signals-per-lead", str(signals_per_lead)],
    )
    if gen.returncode:
        raise RuntimeError(f"generating the tables failed: {gen.stderr[-2000:]}")
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20
    note(
        f"streaming: {leads:,} leads and {leads * signals_per_lead:,} signals written to "
        f"Parquet ({size:,.0f} MiB) in {gen.report['seconds']:.0f}s"
    )
    runs = [
        (
            "stream-duckdb",
            [
                "run",
                "duckdb",
                str(folder),
                str(folder / "out-duckdb.parquet"),
                "--memory-limit",
                memory_limit,
                "--threads",
                str(threads),
            ],
        ),
        ("stream-polars-lazy", ["run", "polars", str(folder), str(folder / "out-polars.parquet")]),
    ]
    runs = [(name, args) for name, args in runs if args[1] in engines]
    results: list[StreamResult] = []
    for name, args in runs:
        child = run_child("_stream.py", args, limit_mib=limit_mib)
        if child.returncode or child.report.get("rows_out") != leads:
            problem = f"exit {child.returncode}: {child.stderr.strip()[-2000:]}"
            if child.stopped:
                problem = f"stopped after {child.wall_s:,.0f}s at {limit_mib:,.0f} MiB"
            results.append(
                StreamResult(
                    name,
                    leads,
                    leads * signals_per_lead,
                    None,
                    None,
                    None,
                    child.peak_rss_mib,
                    child.cpu_s,
                    child.report.get("settings", {}),
                    False,
                    problem,
                )
            )
        else:
            results.append(
                StreamResult(
                    name,
                    leads,
                    leads * signals_per_lead,
                    child.wall_s,
                    child.report["seconds"],
                    leads / child.report["seconds"],
                    child.peak_rss_mib,
                    child.cpu_s,
                    child.report["settings"],
                    True,
                )
            )
        note(f"  {name}: {results[-1].to_json()}")
    if len(results) == 2 and all(r.outputs_match for r in results):
        check = run_child(
            "_stream.py",
            ["compare", str(folder / "out-duckdb.parquet"), str(folder / "out-polars.parquet")],
        )
        differ = check.report.get("rows_differ")
        note(f"  outputs compared: {check.report}")
        if differ != 0:
            problem = f"{differ} rows differ between the engines ({check.stderr[-500:]})"
            results = [replace(r, outputs_match=False, problem=problem) for r in results]
    return results


def stream_report(results: Sequence[StreamResult]) -> str:
    """The streaming rows as plain text, with the DuckDB memory target."""
    head = ("engine", "leads", "signals", "process", "cpu", "query", "leads/s", "peak RSS")
    head = (*head, "settings")
    lines = [(*head, "match")]
    for r in results:
        rss = "n/a" if r.peak_rss_mib is None else f"{r.peak_rss_mib:,.0f} MiB"
        if r.engine == "stream-duckdb" and r.peak_rss_mib is not None:
            met = "met" if r.peak_rss_mib < TARGET_PEAK_MIB else "MISSED"
            rss += f" (< {TARGET_PEAK_MIB:,} MiB {met})"
        lines.append(
            (
                r.engine,
                f"{r.rows:,}",
                f"{r.signals:,}",
                "n/a" if r.wall_s is None else f"{r.wall_s:,.1f}s",
                "n/a" if r.cpu_s is None else f"{r.cpu_s:,.1f}s",
                "n/a" if r.query_s is None else f"{r.query_s:,.1f}s",
                "n/a" if r.rows_per_s is None else f"{r.rows_per_s:,.0f}",
                rss,
                ", ".join(f"{k}={v}" for k, v in r.settings.items()),
                "yes" if r.outputs_match else "NO " + r.problem,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The child processes' command line: ``generate``, ``run`` and ``compare``."""
    parser = argparse.ArgumentParser(prog="_stream.py")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("folder", type=Path)
    gen.add_argument("leads", type=int)
    gen.add_argument("--signals-per-lead", type=int, default=5)
    gen.add_argument("--seed", type=int, default=SEED)
    run = sub.add_parser("run")
    run.add_argument("engine", choices=["duckdb", "polars"])
    run.add_argument("folder", type=Path)
    run.add_argument("out", type=Path)
    run.add_argument("--memory-limit", default=DUCKDB_MEMORY_LIMIT)
    run.add_argument("--threads", type=int, default=DUCKDB_THREADS)
    cmp = sub.add_parser("compare")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        seconds = generate(args.folder, args.leads, args.signals_per_lead, args.seed)
        report: dict[str, Any] = {"seconds": seconds}
    elif args.command == "run" and args.engine == "duckdb":
        report = run_duckdb(
            args.folder, args.out, memory_limit=args.memory_limit, threads=args.threads
        )
    elif args.command == "run":
        report = run_polars(args.folder, args.out)
    else:
        report = compare(args.a, args.b)
    report["vm_hwm_mib"] = own_peak_rss_mib()
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
