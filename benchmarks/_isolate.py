"""Running one measurement in a fresh Python process, with its peak resident memory.

polars and DuckDB allocate outside Python's allocator, so ``tracemalloc`` does not see
their memory. The honest measure is the peak resident set size (RSS) of a process that
did nothing else. ``run_command`` starts one and reads the kernel's high-water mark of
its resident memory, ``VmHWM`` in ``/proc/<pid>/status``, every few milliseconds while
it runs (the mark only grows); a child that is one of these scripts also reports its own
``VmHWM`` as it ends, and the larger of the two is kept. ``ru_maxrss`` from ``wait4`` is
not used: on Linux it keeps the high-water mark of the forked copy of the parent from
before ``exec``, so a parent holding a million leads would lend the child its size.

The figure includes the interpreter and the imported libraries (about 100-150 MiB with
polars and DuckDB imported) and whatever the child holds: the input tables, when it
reads them into memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Child:
    """What a child process reported, with its wall time and peak RSS."""

    returncode: int
    wall_s: float
    peak_rss_mib: float
    report: dict[str, Any]
    cpu_s: float
    """User and system CPU seconds of the child (all its threads), from ``wait4``."""
    stderr: str
    stopped: bool = False
    """Whether the child was stopped for passing its memory limit."""


def run_child(script: str, args: Sequence[str], *, limit_mib: float | None = None) -> Child:
    """Run ``python benchmarks/<script> *args`` in a fresh process.

    The child prints one JSON object as the last line of its standard output.

    Args:
        script: The script's file name in ``benchmarks/``.
        args: Its arguments.
        limit_mib: Stop the child (``SIGKILL``) once its peak RSS passes this many MiB; it
            then exits with -9 and ``Child.stopped`` is true.

    Returns:
        The child's exit code, wall time (start to exit), peak RSS in MiB, its JSON
        report (empty when it printed none) and its standard error.
    """
    return run_command([sys.executable, str(HERE / script), *args], limit_mib=limit_mib)


def run_command(
    command: Sequence[str], *, stdout: Path | None = None, limit_mib: float | None = None
) -> Child:
    """Run ``command`` in a fresh process; its output goes to ``stdout`` when given.

    Args:
        command: The program and its arguments.
        stdout: A file for its standard output (then the report is empty).
        limit_mib: As for ``run_child``.

    Returns:
        As for ``run_child``.
    """
    with tempfile.TemporaryFile("w+") as captured, tempfile.TemporaryFile("w+") as err:
        out = captured if stdout is None else stdout.open("w", encoding="utf-8")
        peak = 0.0
        stopped = False
        try:
            start = time.perf_counter()
            child = subprocess.Popen(  # noqa: S603 - our own commands
                list(command), stdout=out, stderr=err, cwd=HERE
            )
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                peak = max(peak, _hwm_mib(f"/proc/{child.pid}/status"))
                if limit_mib is not None and peak > limit_mib and not stopped:
                    child.kill()
                    stopped = True
                time.sleep(POLL_S)
            wall = time.perf_counter() - start
        finally:
            if stdout is not None:
                out.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        captured.seek(0)
        err.seek(0)
        lines = [line for line in captured.read().splitlines() if line.strip()]
        report: dict[str, Any] = {}
        if lines:
            try:
                report = json.loads(lines[-1])
            except json.JSONDecodeError:
                report = {}
        own = report.get("vm_hwm_mib") if isinstance(report, dict) else None
        if isinstance(own, int | float):
            peak = max(peak, float(own))
        cpu = usage.ru_utime + usage.ru_stime
        return Child(child.returncode, wall, peak, report, cpu, err.read(), stopped)


POLL_S = 0.02
"""How often ``run_command`` reads a running child's ``VmHWM``."""


def _hwm_mib(status: str) -> float:
    try:
        with open(status, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def own_peak_rss_mib() -> float:
    """This process's peak RSS since it started (``VmHWM``), in MiB; 0 where unknown."""
    return _hwm_mib("/proc/self/status")
