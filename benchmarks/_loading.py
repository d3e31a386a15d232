"""The loader rows of the benchmark: JSONL and CSV files of the same leads, back to Leads.

``load-jsonl`` reads a JSON Lines file of the benchmark leads with ``read_leads``;
``load-csv`` reads the same leads written as CSV (dotted columns for the company, the
contact and the source, ``;``-separated sets, JSON cells for lists and nested records).
Both are compared with bare ``json.loads`` of every line of the JSONL file, timed in the
same run (best of ``repeat``), and both must give back exactly the leads written.

Times are this process's CPU time (``time.process_time``), not wall time: the loaders and
the baseline are single-threaded, and on a shared machine wall times swing with the load
of other processes, which would make the ratio say more about the neighbours than the
loader.
"""

from __future__ import annotations

import csv
import gc
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs

from funnelkit.io import read_leads, unstructure, write_jsonl
from funnelkit.model import Lead

TARGETS = {"load-jsonl": 0.5}
"""The minimum ratio to bare ``json.loads`` each loader row aims for (not enforced)."""
CSV_VS_JSONL = 0.8
"""``load-csv`` aims to be within 20% of ``load-jsonl``: at least this share of its speed."""
FLAT = ("company", "contact", "source")
"""Objects written as dotted columns in CSV; other nested values go in JSON cells."""


@dataclass(frozen=True)
class LoadRow:
    """One loader row of the report."""

    engine: str
    rows: int
    rows_per_s: float
    ratio_vs_json_loads: float
    outputs_match: bool

    def to_json(self) -> dict[str, Any]:
        """The JSON record: engine, rows, rows_per_s, ratio_vs_json_loads, outputs_match."""
        return {
            "engine": self.engine,
            "rows": self.rows,
            "rows_per_s": self.rows_per_s,
            "ratio_vs_json_loads": self.ratio_vs_json_loads,
            "outputs_match": self.outputs_match,
        }


def csv_cells(record: dict[str, Any]) -> dict[str, str]:
    """One lead record as CSV cells: dotted columns, ``;`` sets, JSON for the rest."""
    cells: dict[str, str] = {}

    def put(path: str, value: Any) -> None:
        if isinstance(value, dict) and path.split(".", 1)[0] in FLAT:
            for key, item in value.items():
                put(f"{path}.{key}", item)
        elif isinstance(value, list) and path.startswith("company."):
            cells[path] = ";".join(value)
        elif isinstance(value, dict | list):
            cells[path] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            cells[path] = "true" if value else "false"
        else:
            cells[path] = str(value)

    for key, value in record.items():
        put(key, value)
    return cells


def write_csv(leads: Sequence[Lead], path: Path) -> None:
    """Write the leads as CSV with one column per path any lead fills."""
    rows = [csv_cells(unstructure(lead)) for lead in leads]
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The best CPU time of ``repeat`` runs, with the garbage collector off (as timeit)."""
    best = float("inf")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
    finally:
        if was_enabled:
            gc.enable()
    return best


def json_loads_file(path: Path) -> None:
    """The baseline: ``json.loads`` of every line of a JSONL file."""
    with path.open(encoding="utf-8") as file:
        for line in file:
            json.loads(line)


def loader_rows(leads: Sequence[Lead], folder: Path, *, repeat: int) -> list[LoadRow]:
    """Time ``read_leads`` on a JSONL and a CSV file of ``leads`` against ``json.loads``."""
    jsonl, table = folder / "leads.jsonl", folder / "leads.csv"
    write_jsonl(leads, jsonl)
    write_csv(leads, table)
    baseline = best_time(lambda: json_loads_file(jsonl), repeat)
    rows: list[LoadRow] = []
    for engine, path in (("load-jsonl", jsonl), ("load-csv", table)):
        loaded: list[tuple[Lead, ...]] = []
        seconds = best_time(lambda p=path, out=loaded: out.append(read_leads(p).leads), repeat)
        match = all(got == tuple(leads) for got in loaded)
        rows.append(
            LoadRow(engine, len(leads), len(leads) / max(seconds, 1e-9), baseline / seconds, match)
        )
    return rows


def plain_table(rows: Sequence[LoadRow]) -> str:
    """The loader rows as a plain-text table."""
    lines = ["engine      rows      rows/s  ratio vs json.loads  outputs match  target"]
    jsonl = next((row for row in rows if row.engine == "load-jsonl"), None)
    for row in rows:
        target = TARGETS.get(row.engine)
        verdict = (
            ""
            if target is None
            else f"{target}x " + ("met" if row.ratio_vs_json_loads >= target else "MISSED")
        )
        if row.engine == "load-csv" and jsonl is not None and jsonl.ratio_vs_json_loads > 0:
            share = row.ratio_vs_json_loads / jsonl.ratio_vs_json_loads
            met = "met" if share >= CSV_VS_JSONL else "MISSED"
            verdict = f"{share:.2f}x of load-jsonl (>= {CSV_VS_JSONL}x) {met}"
        lines.append(
            f"{row.engine:<10}  {row.rows:>6,}  {row.rows_per_s:>10,.0f}  "
            f"{row.ratio_vs_json_loads:>18.3f}x  {'yes' if row.outputs_match else 'NO':>13}  "
            f"{verdict}"
        )
    return "\n".join(line.rstrip() for line in lines)


# -- the ceiling -------------------------------------------------------------------------


def _objects(value: Any, out: list[tuple[type, dict[str, Any]]]) -> None:
    """Every attrs object inside ``value``, innermost first, with the fields a record gives.

    A field equal to its default is left out, as ``unstructure`` leaves it out of the
    record: the constructors are then called with what the loader is given.
    """
    if isinstance(value, tuple | frozenset):
        for item in value:
            _objects(item, out)
        return
    if not attrs.has(type(value)):
        return
    given: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        _objects(item, out)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is attrs.NOTHING or item != default:
            given[field.alias or field.name] = item
    out.append((type(value), given))


def ceiling(leads: Sequence[Lead], folder: Path, *, repeat: int) -> dict[str, float]:
    """What building the leads costs at the least, in CPU seconds (best of ``repeat``).

    ``json.loads`` of the JSONL file; ``read_leads`` of it; the model's constructors
    alone, called with the finished field values (no parsing, no structuring); the same
    with attrs validators off; and bare ``object.__new__`` plus one ``object.__setattr__``
    per given field (no defaults, no validation at all). The loader cannot beat the sum
    of ``json.loads`` and the constructors without skipping the model's own checks.
    """
    jsonl = folder / "leads.jsonl"
    write_jsonl(leads, jsonl)
    objects: list[tuple[type, dict[str, Any]]] = []
    for lead in leads:
        _objects(lead, objects)
    new, setter = object.__new__, object.__setattr__

    def bare() -> None:
        for cls, given in objects:
            obj: object = new(cls)
            for name, item in given.items():
                setter(obj, name, item)

    def constructors() -> None:
        for cls, given in objects:
            cls(**given)

    def unvalidated() -> None:
        attrs.validators.set_disabled(True)
        try:
            constructors()
        finally:
            attrs.validators.set_disabled(False)

    return {
        "objects": float(len(objects)),
        "json.loads": best_time(lambda: json_loads_file(jsonl), repeat),
        "read_leads": best_time(lambda: read_leads(jsonl), repeat),
        "constructors": best_time(constructors, repeat),
        "constructors, validators off": best_time(unvalidated, repeat),
        "object.__new__ + __setattr__": best_time(bare, repeat),
    }


if __name__ == "__main__":  # python benchmarks/_loading.py [rows]: the ceiling
    import sys
    import tempfile
    from datetime import UTC, datetime

    from _leads import make_leads

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    sample = make_leads(count, seed=2026, as_of=datetime(2026, 5, 1, 12, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        found = ceiling(sample, Path(tmp), repeat=5)
    base = found.pop("json.loads")
    print(f"{count:,} leads, {found.pop('objects'):,.0f} model objects; CPU seconds, best of 5")
    print(f"{'json.loads':<30} {base:8.3f}")
    for what, seconds in found.items():
        ceiling_ratio = base / (base + seconds) if what != "read_leads" else base / seconds
        label = "ratio" if what == "read_leads" else "json.loads + this: ratio at most"
        print(f"{what:<30} {seconds:8.3f}  {label} {ceiling_ratio:.3f}")
