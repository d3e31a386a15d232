"""The benchmarks at scale, run tiny: streaming, isolated table rows, file to results.

Only the shapes and the checks are tested here (outputs equal, peak memory measured);
no timing is asserted.
"""

import json
from pathlib import Path

import _cli
import _isolate
import _stream
import polars as pl
import pytest
import run
from polars.testing import assert_frame_equal

from funnelkit.io import LeadTables, tables_to_leads
from funnelkit.qualify import STARTER, qualify, qualify_frame

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")


def test_stream_run_tiny(tmp_path: Path) -> None:
    """--stream: DuckDB and polars lazy each in a process, the same rows, memory measured."""
    out = tmp_path / "stream.json"
    argv = ["--stream", "3000", "--stream-dir", str(tmp_path), "--json", str(out)]
    assert run.main(argv) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [r["engine"] for r in records] == ["stream-duckdb", "stream-polars-lazy"]
    for record in records:
        assert record["rows"] == 3000
        assert record["signals"] == 15000
        assert record["outputs_match"]
        assert record["peak_rss_mib"] > 0
        assert record["rows_per_s"] > 0
    assert records[0]["settings"]["memory_limit"] == _stream.DUCKDB_MEMORY_LIMIT
    assert records[0]["settings"]["threads"] == _stream.DUCKDB_THREADS


def test_generated_tables_are_deterministic(tmp_path: Path) -> None:
    """The same seed writes the same tables; another seed writes others."""
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        _stream.generate(tmp_path / name, 500, seed=seed)
    read = {n: pl.read_parquet(tmp_path / n / "leads" / "*.parquet") for n in "abc"}
    assert_frame_equal(read["a"], read["b"])
    assert not read["a"].equals(read["c"])
    signals = pl.read_parquet(tmp_path / "a" / "signals" / "*.parquet")
    assert signals.height == 2500
    assert set(signals["lead_id"]) <= set(read["a"]["id"])


def test_generated_tables_qualify_as_leads_do(tmp_path: Path) -> None:
    """The generated tables are the contract: qualify() on their leads gives the frame's rows."""
    _stream.generate(tmp_path, 400)
    leads = pl.read_parquet(tmp_path / "leads" / "*.parquet")
    signals = pl.read_parquet(tmp_path / "signals" / "*.parquet")
    frame = qualify_frame(leads, signals, STARTER, as_of=_stream.AS_OF)
    assert isinstance(frame, pl.DataFrame)
    rows = frame.select("lead_id", "stage", "fit", "engagement", "bant_met").rows()
    objects = list(tables_to_leads(LeadTables(leads=leads, signals=signals)))
    expected = []
    for lead in objects:
        q = qualify(lead, STARTER, as_of=_stream.AS_OF, explain=False)
        stage = None if q.stage is None else str(q.stage)
        expected.append((lead.id, stage, q.fit, q.engagement))
    assert [r[:4] for r in rows] == expected
    assert len({r[1] for r in rows}) >= 3  # the data reaches several stages


def test_isolated_table_rows(tmp_path: Path) -> None:
    """--isolate: each table engine in its own process, outputs checked, peak RSS given."""
    out = tmp_path / "tables.json"
    argv = ["--rows", "300", "--repeat", "1", "--load-rows", "0", "--memory-rows", "0"]
    argv += ["--isolate", "--only-tables", "--stream-dir", str(tmp_path), "--json", str(out)]
    assert run.main(argv) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    engines = ["polars-handwritten", "polars", "polars-lazy", "duckdb-handwritten", "duckdb"]
    assert [r["engine"] for r in records] == ["handwritten", *engines]
    for record in records[1:]:
        assert record["rows"] == 300
        assert record["outputs_match"]
        assert record["peak_rss_mib"] > 0
        assert record["ratio_vs_plan"] > 0


def test_file_rows_tiny(tmp_path: Path) -> None:
    """--file-rows: the columnar paths write the row path's results, and say what ran."""
    out = tmp_path / "file.json"
    argv = ["--file-rows", "300", "--stream-dir", str(tmp_path), "--json", str(out)]
    assert run.main(argv) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    through_cli = _cli.cli_engines()
    prefix = "cli-" if through_cli else "file-"
    next_names = ("row-next", "polars-next", "duckdb-next")
    names = ("row", "polars", "duckdb", *(next_names if through_cli else ()))
    assert [r["engine"] for r in records] == [prefix + e for e in names]
    assert all(r["outputs_match"] and r["peak_rss_mib"] > 0 for r in records)
    assert records[0]["ratio_vs_row"] == 1.0
    assert all(r["measured"] == records[0]["measured"] for r in records)


def test_export_reads_the_same_both_ways(tmp_path: Path) -> None:
    """The CSV export loads to the same leads and signals through both readers."""
    from funnelkit.io import ColumnMapping, leads_to_tables, read_leads, read_tables

    file, mapping_file = _cli.write_export(tmp_path, 200)
    mapping = ColumnMapping.from_file(mapping_file)
    tables = read_tables(file, mapping=mapping)
    loaded = read_leads(file, mapping=mapping)
    assert not tables.errors
    assert len(loaded.leads) == tables.leads.height == 200
    assert tables.signals.height > 0
    rows = leads_to_tables(loaded.leads)
    assert sorted(rows.signals.rows()) == sorted(tables.signals.rows())


def test_child_reports_peak_memory() -> None:
    """A child's peak RSS is its own: a child that holds 200 MiB reports at least that.

    The child holds the memory for half a second: the parent reads ``VmHWM`` every few
    milliseconds, and a child that exits at once on a busy machine can end between reads.
    """
    child = _isolate.run_command(
        [
            "python3",
            "-c",
            "import json, time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]);"
            " time.sleep(0.5); print(json.dumps({'ok': len(b)}))",
        ]
    )
    assert child.returncode == 0
    assert child.report == {"ok": 200 * 2**20}
    assert child.peak_rss_mib >= 200
