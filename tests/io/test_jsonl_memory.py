"""Reading JSON Lines holds one record at a time: memory does not grow with the file."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

from funnelkit.io import iter_leads


def _peak(path: Path, records: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            out.write(json.dumps({"id": f"L-{i}", "company": {"name": "x" * 300}}) + "\n")
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_leads(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == records
    return peak


def test_peak_memory_does_not_grow_with_the_number_of_lines(tmp_path: Path) -> None:
    small = _peak(tmp_path / "small.jsonl", 1_000)
    large = _peak(tmp_path / "large.jsonl", 10_000)  # every line read used to be kept
    assert large < 2 * small
