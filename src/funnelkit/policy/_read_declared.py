"""Reading a policy file's declarations: typed custom attributes and extra signal kinds.

``custom_attributes: {seats: integer, tier: text}`` and ``signal_kinds: [...]``: what the
rules read beyond the model's fields and the standard signal kinds. Rules are checked
against the types when the policy is built; names nothing declares are warnings
(``Policy.undeclared``).
"""

from __future__ import annotations

from funnelkit.errors import describe_value
from funnelkit.policy._check import Checker, did_you_mean
from funnelkit.policy._source import Path
from funnelkit.qualify import CUSTOM_TYPES

__all__ = ["read_custom_attributes", "read_signal_kinds"]


def read_custom_attributes(check: Checker, value: object) -> tuple[tuple[str, str], ...]:
    """``{seats: integer, tier: text}``: each name with a known type."""
    path: Path = ("custom_attributes",)
    data = check.mapping(value, path, what="a mapping of custom attribute names to types")
    out: list[tuple[str, str]] = []
    for name, kind in (data or {}).items():
        here = (*path, name)
        if not isinstance(name, str) or not name.strip() or "." in name:
            check.problem(
                here,
                "expected a custom attribute's name (no dots: 'seats' for custom.seats)",
                name,
                key=True,
            )
        elif kind not in CUSTOM_TYPES:
            check.problem(
                here,
                f"unknown type {describe_value(kind)}{did_you_mean(str(kind), CUSTOM_TYPES)}",
                kind,
            )
        else:
            out.append((name, kind))
    return tuple(out)


def read_signal_kinds(check: Checker, value: object) -> tuple[str, ...]:
    """``[phone_conversation, ...]``: non-empty kinds, each once."""
    path: Path = ("signal_kinds",)
    kinds = check.names(value, path) or ()
    out: list[str] = []
    for index, kind in enumerate(kinds):
        if not kind.strip():
            check.problem((*path, index), "expected a signal kind (non-empty text)", kind)
        elif kind in out:
            check.problem((*path, index), f"the signal kind {kind!r} is listed twice", kind)
        else:
            out.append(kind)
    return tuple(out)
