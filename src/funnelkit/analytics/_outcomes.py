"""Outcomes kept apart from the leads: a CSV file of lead ids and outcomes."""

from __future__ import annotations

import csv
from pathlib import Path

from funnelkit.analytics._backtest import outcome_value

__all__ = ["read_outcomes"]


def read_outcomes(
    path: str | Path, *, column: str = "converted", id_column: str = "lead_id"
) -> dict[str, bool | None]:
    """Read outcomes from a CSV file: one row per lead, its id and its outcome.

    Args:
        path: The CSV file (UTF-8, with a header).
        column: The outcome column (values as ``outcome_value`` reads them).
        id_column: The lead id column.

    Returns:
        Lead id to ``True``, ``False`` or ``None`` (unknown), in file order.

    Raises:
        OSError: If the file cannot be read.
        ValueError: If a column is missing or a value is not an outcome; the message
            names the file, the line and the value.

    Examples:
        >>> from funnelkit.data import demo_outcomes_path
        >>> outcomes = read_outcomes(demo_outcomes_path())
        >>> len(outcomes), outcomes["L-00002"]
        (2500, True)
    """
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for name in (id_column, column):
            if name not in header:
                raise ValueError(f"{path}:1: expected a column {name!r}, got the columns {header}")
        return {
            row[id_column]: outcome_value(row[column], where=f"{path}:{reader.line_num}: {column}")
            for row in reader
        }
