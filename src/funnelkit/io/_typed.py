"""Custom attributes of declared types, converted at load (a policy's ``custom_attributes``).

A CSV export without a typed mapping gives every ``custom.<name>`` cell as text; a
policy that declares ``seats: integer`` compares ``custom.seats`` with numbers. With the
declared types given to the loader (``custom_types=``), each such value is converted
(``"42"`` -> ``42``) or the record is refused with the record, path and value, as for
any other field, instead of failing later while it is qualified.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from funnelkit.errors import ValidationError
from funnelkit.io._flat import _CUSTOM_READERS as READERS

__all__ = ["typed_custom"]


def typed_custom(record: object, types: Mapping[str, str]) -> tuple[object, list[ValidationError]]:
    """Convert the declared custom attributes of a nested record (a new dict if any).

    Args:
        record: A nested lead record (anything else is returned unchanged).
        types: Custom attribute name -> ``text``, ``number``, ``integer``, ``boolean``
            or ``date``.

    Returns:
        The record (the caller's is never changed) and a problem per value that could
        not be converted (that value is left out, the problem names ``custom.<name>``).
    """
    if not isinstance(record, Mapping):
        return record, []
    custom = record.get("custom")
    if not isinstance(custom, Mapping) or not any(name in custom for name in types):
        return record, []
    out: dict[Any, Any] = dict(custom)
    problems: list[ValidationError] = []
    for name, kind in types.items():
        if name not in custom or custom[name] is None:
            continue
        try:
            out[name] = READERS[kind](custom[name])
        except ValidationError as exc:
            problems.append(exc.within(f"custom.{name}"))
            del out[name]
    return {**record, "custom": out}, problems
