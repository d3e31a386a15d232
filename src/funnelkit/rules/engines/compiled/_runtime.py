"""The helpers a generated rule function may call: its namespace holds these and nothing else.

Each helper either is the reference interpreter's own function (``compare``, ``arith``,
``to_points``, ...) or mirrors a few lines of ``Interpreter`` exactly, messages included,
so the generated code raises what the interpreter raises, where it raises it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from funnelkit.model import Lead, is_unknown_member
from funnelkit.rules.engines.interpret import Interpreter
from funnelkit.rules.meaning import (
    NO_DEFAULT,
    arith,
    bounded,
    compare,
    custom_truth,
    days_from,
    decay_weight,
    matches_text,
    per_points,
    signal_agg,
    table_outcome,
    text_test,
    to_points,
    window_start,
)
from funnelkit.rules.tree import Expr, Truth

__all__ = ["NO_DEFAULT", "RUNTIME_NAMES", "namespace"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def known(value: object) -> object:
    """``None`` for an enum member named ``UNKNOWN`` (as ``read_path`` does), else ``value``."""
    return None if is_unknown_member(value) else value


def interpret(node: Expr, lead: Lead, as_of: datetime, env: dict[str, object]) -> Any:
    """Evaluate ``node`` with the reference interpreter (shapes the generator leaves to it)."""
    interpreter = Interpreter(lead, as_of)
    interpreter.env = env
    return interpreter.eval(node)


def ref_error(name: str) -> None:
    """Raise what the interpreter raises for a ``ref`` to an output not evaluated yet."""
    raise KeyError(name)


def newest_first(times: list[datetime]) -> list[datetime]:
    """``times`` newest first: the order a minimum gap walks them in."""
    return sorted(times, reverse=True)


_HELPERS: dict[str, object] = {
    "_T": T,
    "_F": F_,
    "_U": U,
    "_NO": NO_DEFAULT,
    "_type": type,
    "_str": str,
    "_int": int,
    "_float": float,
    "_Decimal": Decimal,
    "_date": date,
    "_datetime": datetime,
    "_len": len,
    "_min": min,
    "_max": max,
    "_newest_first": newest_first,
    "_known": known,
    "_compare": compare,
    "_arith": arith,
    "_days_from": days_from,
    "_to_points": to_points,
    "_per_points": per_points,
    "_bounded": bounded,
    "_signal_agg": signal_agg,
    "_text_test": text_test,
    "_matches": matches_text,
    "_custom_truth": custom_truth,
    "_table_outcome": table_outcome,
    "_interpret": interpret,
    "_ref_error": ref_error,
    "_window_start": window_start,
    "_decay": decay_weight,
}

RUNTIME_NAMES: frozenset[str] = frozenset(_HELPERS)
"""The helper names generated code may use (besides generated identifiers)."""


def namespace(constants: dict[str, object]) -> dict[str, object]:
    """The globals generated code runs in: no builtins, the helpers, and ``constants``."""
    clash = RUNTIME_NAMES.intersection(constants)
    if clash:  # pragma: no cover - generated constant names never clash
        raise AssertionError(f"constant names clash with helpers: {sorted(clash)}")
    scope: dict[str, object] = {"__builtins__": {}}
    scope.update(_HELPERS)
    scope.update(constants)
    return scope
