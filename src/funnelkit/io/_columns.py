"""What one column of an export holds, beyond the field it fills: the column specs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, get_args

import attrs

from funnelkit.model import FrozenDict

__all__ = ["Column", "SignalColumn"]

CustomType = Literal["text", "number", "integer", "boolean", "date"]
"""The types a custom attribute column can be read as."""
OnBadValue = Literal["error", "missing"]
"""What a value that cannot be read does: refuse the row, or become missing with a warning."""
SignalReads = Literal["category", "count", "value"]
"""How a signal column is read: the kind of one signal, a number of signals, a value."""

CUSTOM_TYPES: Final = get_args(CustomType)
ON_BAD_VALUE: Final = get_args(OnBadValue)
SIGNAL_READS: Final = get_args(SignalReads)


def _frozen_values(value: object) -> object:
    return FrozenDict(value) if isinstance(value, Mapping) else value


def _frozen_set(value: object) -> object:
    if isinstance(value, str) or value is None:
        return value
    try:
        return frozenset(value)  # type: ignore[call-overload]
    except TypeError:
        return value


@attrs.frozen
class Column:
    """A column that fills one lead field, read with its own rules.

    Args:
        to: The lead field path it fills (``company.employees``, ``custom.visits``).
        type: For a custom attribute (``custom.<name>``): ``"text"``, ``"number"``,
            ``"integer"``, ``"boolean"`` or ``"date"``; the cell is converted to it at
            load. ``None`` keeps the value as given (text for CSV).
        values: Cell text -> the value to use instead (``{"Yes": True}``,
            ``{"Working Professional": "manager"}``); a ``None`` value makes the cell
            missing. Text not listed is read as usual.
        missing: Further cell texts that mean "not filled" in this column, on top of
            the mapping's ``missing`` texts.
        on_error: ``"error"`` (the default) refuses a row whose cell cannot be read as
            the field's type; ``"missing"`` keeps the lead, leaves the field missing and
            reports a warning naming the row, column and value.

    Examples:
        >>> Column("contact.opted_out", values={"Yes": True, "No": False}).values["Yes"]
        True
    """

    to: str
    type: CustomType | None = attrs.field(default=None, kw_only=True)
    values: FrozenDict[str, object] = attrs.field(
        factory=FrozenDict, converter=_frozen_values, kw_only=True
    )
    missing: frozenset[str] = attrs.field(factory=frozenset, converter=_frozen_set, kw_only=True)
    on_error: OnBadValue = attrs.field(default="error", kw_only=True)


@attrs.frozen
class SignalColumn:
    """A column whose cells become signals (activities) of the lead.

    Args:
        reads: ``"category"``: the cell names what happened (``"Email Opened"``), one
            signal of that kind; ``"count"``: the cell is a whole number, that many
            signals of ``kind``; ``"value"``: the cell is a number, one signal of
            ``kind`` carrying it as its value (a zero gives none).
        kind: The signal kind (required for ``count`` and ``value``). For a category
            column, the kind of text not listed in ``values``; by default such text
            becomes its own kind in snake case (``"Email Opened"`` -> ``email_opened``).
        values: For a category column: cell text -> signal kind; ``None`` makes the cell
            give no signal.
        at: The column holding when it happened (an ISO date or a date-time with an
            offset; a date is taken as midnight UTC). Without it, or when its cell is
            empty, the mapping's ``signals_at`` is used.
        explicit: Whether these signals are hand-raises; ``None`` (the default) asks the
            mapping's ``explicit`` kinds.
        missing: Further cell texts that mean "not filled" in this column.
        on_error: As for [`Column`][funnelkit.io.Column].

    Examples:
        >>> SignalColumn("count", kind="website_visit").kind
        'website_visit'
    """

    reads: SignalReads = "category"
    kind: str | None = attrs.field(default=None, kw_only=True)
    values: FrozenDict[str, str | None] = attrs.field(
        factory=FrozenDict, converter=_frozen_values, kw_only=True
    )
    at: str | None = attrs.field(default=None, kw_only=True)
    explicit: bool | None = attrs.field(default=None, kw_only=True)
    missing: frozenset[str] = attrs.field(factory=frozenset, converter=_frozen_set, kw_only=True)
    on_error: OnBadValue = attrs.field(default="error", kw_only=True)
