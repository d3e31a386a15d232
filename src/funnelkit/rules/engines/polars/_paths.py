"""Sets of field paths as boolean columns: one expression per path that could be listed.

The paths a node can list are fixed by the rule (the fields under it), so a set of facts
that differs from lead to lead is a dict from path to a Boolean expression that is true
where the path is in the set (never null). A path that is never listed has no key.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

__all__ = ["FALSE", "TRUE", "Paths", "any_of", "both", "either", "empty", "pick", "union", "where"]

Paths = dict[str, pl.Expr]
FALSE = pl.lit(False)
TRUE = pl.lit(True)


def any_of(exprs: Iterable[pl.Expr]) -> pl.Expr:
    """True where any of ``exprs`` is (false for none)."""
    found = list(exprs)
    if not found:
        return FALSE
    return found[0] if len(found) == 1 else pl.any_horizontal(found)


def both(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``a & b``, without a needless ``& True``."""
    if a is TRUE:
        return b
    if b is TRUE:
        return a
    return a & b


def either(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``a | b``, without a needless ``| False``."""
    if a is FALSE:
        return b
    if b is FALSE:
        return a
    return a | b


def union(*sets: Paths) -> Paths:
    """The paths in any of ``sets``."""
    out: Paths = {}
    for paths in sets:
        for path, expr in paths.items():
            out[path] = either(out[path], expr) if path in out else expr
    return out


def where(cond: pl.Expr, paths: Paths) -> Paths:
    """``paths`` where ``cond`` holds, none elsewhere."""
    if cond is TRUE:
        return paths
    return {path: both(cond, expr) for path, expr in paths.items()}


def pick(cond: pl.Expr, yes: Paths, no: Paths) -> Paths:
    """``yes`` where ``cond`` holds, ``no`` elsewhere."""
    return union(where(cond, yes), where(~cond, no))


def empty(paths: Paths) -> pl.Expr:
    """True where no path is listed."""
    return ~any_of(paths.values())
