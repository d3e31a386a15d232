"""Data frames in: polars and pandas frames and Arrow tables as rows of plain values.

The frame libraries are never imported here: a frame is recognised by its type's module,
and read through its own methods. Missing cells (``null``, ``NaN``, ``NA``, ``NaT``) become
``None``; pandas columns are first given nullable types, so that an integer column with
gaps stays integer (it would otherwise turn into floats).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["frame_kind", "frame_rows"]


def frame_kind(source: object) -> str | None:
    """``"polars"``, ``"pandas"`` or ``"arrow"`` for a frame or table of those, else ``None``."""
    module = type(source).__module__.split(".", 1)[0]
    name = type(source).__name__
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "arrow"
    return None


def frame_rows(source: Any) -> Iterator[dict[str, Any]]:
    """The rows of a frame, each as column name -> a plain Python value (``None`` if missing).

    Args:
        source: A polars ``DataFrame``, a pandas ``DataFrame`` or a pyarrow ``Table`` (or
            ``RecordBatch``).

    Yields:
        One dict per row, in order.
    """
    kind = frame_kind(source)
    if kind == "polars":
        yield from source.iter_rows(named=True)
    elif kind == "arrow":
        for batch in source.to_batches() if hasattr(source, "to_batches") else [source]:
            yield from batch.to_pylist()
    elif kind == "pandas":
        typed = source.convert_dtypes()
        columns = [str(c) for c in typed.columns]
        values = [
            typed[c].astype(object).where(typed[c].notna(), None).tolist() for c in typed.columns
        ]
        for cells in zip(*values, strict=True):
            yield dict(zip(columns, cells, strict=True))
    else:  # pragma: no cover - callers check frame_kind first
        raise TypeError(f"not a data frame: {type(source).__name__}")
