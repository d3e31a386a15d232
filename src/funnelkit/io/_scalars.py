"""Strict structure hooks for scalars, and the parsing of CSV cell text.

JSON values are taken as they are: ``"12"`` is not an int and ``12.0`` is not an int
either. CSV cells are text by nature, so ``parse_cell`` reads them by the target field's
type first (digits for an int, ``true``/``false`` for a bool, ``;``-separated lists for
sets, JSON for nested objects and lists).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, get_origin

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.io._schema import did_you_mean, is_attrs_class
from funnelkit.model import FrozenDict

DATETIME_EXPECTED = "an ISO 8601 date-time with a UTC offset, such as '2026-05-01T10:00:00+00:00'"
DATE_EXPECTED = "an ISO 8601 date such as '2026-05-01'"
DECIMAL_EXPECTED = "a finite decimal number (a JSON number or a string such as '12000000.00')"


def structure_str(value: object, _type: object = None) -> str:
    """Accept a ``str`` only."""
    if isinstance(value, str):
        return value
    raise FieldTypeError(path="", expected="str", value=value)


def structure_int(value: object, _type: object = None) -> int:
    """Accept an ``int`` only (not a bool, a float or a string of digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FieldTypeError(path="", expected="int", value=value)


def structure_float(value: object, _type: object = None) -> float | int:
    """Accept an ``int`` or a ``float`` (not a bool or a string), unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise FieldTypeError(path="", expected="a number", value=value)


def structure_bool(value: object, _type: object = None) -> bool:
    """Accept ``true`` or ``false`` only."""
    if isinstance(value, bool):
        return value
    raise FieldTypeError(path="", expected="true or false", value=value)


def structure_decimal(value: object, _type: object = None) -> Decimal:
    """Accept a finite decimal given as a ``Decimal``, an ``int``, a ``float`` or a ``str``.

    A float is taken by its shortest repr (``0.1`` is ``Decimal("0.1")``).
    """
    result: Decimal | None = None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            result = None
    else:
        raise FieldTypeError(path="", expected=DECIMAL_EXPECTED, value=value)
    if result is None or not result.is_finite():
        raise ValidationError(path="", expected=DECIMAL_EXPECTED, value=value)
    return result


_LONG_FRACTION = re.compile(r"[.,]\d{10}")


def structure_datetime(value: object, _type: object = None) -> datetime:
    """Accept an ISO 8601 string with an offset (``Z`` for UTC) or a ``datetime``.

    A string without an offset is an error: the time zone is never guessed.
    """
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise FieldTypeError(path="", expected=DATETIME_EXPECTED, value=value)
    fraction = ("." in value or "," in value) and _LONG_FRACTION.search(value)
    if not (value.isascii() and value.isprintable()) or fraction:
        raise ValidationError(
            path="",
            expected=DATETIME_EXPECTED + " (printable, at most 9 digits of fractional seconds)",
            value=value,
        )
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(path="", expected=DATETIME_EXPECTED, value=value) from None
    if result.utcoffset() is None:
        raise ValidationError(
            path="",
            expected=DATETIME_EXPECTED + " (the offset is missing, and it is never guessed)",
            value=value,
        )
    return result


def structure_date(value: object, _type: object = None) -> date:
    """Accept an ISO 8601 date string or a ``date`` (not a ``datetime``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise FieldTypeError(path="", expected=DATE_EXPECTED, value=value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(path="", expected=DATE_EXPECTED, value=value) from None


@functools.cache
def enum_hook(enum_cls: type[Enum]) -> Callable[[object, object], Enum]:
    """A hook accepting a member of ``enum_cls`` or its value; the error lists the values."""
    values = [str(m.value) for m in enum_cls]
    allowed = ", ".join(repr(v) for v in values)
    # What ``enum_cls(value)`` looks up first: a plain str value -> its member.
    by_value = {k: m for k, m in enum_cls._value2member_map_.items() if type(k) is str}

    def structure_enum(value: object, _type: object = None) -> Enum:
        if type(value) is str:
            member = by_value.get(value)
            if member is not None:
                return member
        if isinstance(value, enum_cls):
            return value
        if isinstance(value, str):
            try:
                return enum_cls(value)
            except ValueError:
                hint = did_you_mean(value, values)
                raise ValidationError(
                    path="", expected=f"one of {allowed}{hint}", value=value
                ) from None
        raise FieldTypeError(path="", expected=f"one of {allowed}", value=value)

    return structure_enum


# -- CSV cells ---------------------------------------------------------------------------

_INT_RE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


@functools.cache
def cell_parser(tp: Any) -> Callable[[str], object]:
    """The function reading CSV cells for fields of type ``tp``, chosen once per type.

    It does what [`parse_cell`][funnelkit.io._scalars.parse_cell] does for ``tp``.
    """
    if tp is int:
        return _parse_int
    if tp in (float, bool):
        return functools.partial(_parse_scalar, tp=tp)
    origin = get_origin(tp) or tp
    if origin is frozenset:
        return _parse_set
    if origin is tuple:
        return functools.partial(parse_json_cell, shape=list)
    if origin is FrozenDict or is_attrs_class(tp):
        return functools.partial(parse_json_cell, shape=dict)
    return _text


def _text(text: str) -> object:
    return text


def _parse_set(text: str) -> object:
    return [item.strip() for item in text.split(";") if item.strip()]


def _parse_int(text: str) -> object:
    """``parse_cell(text, int)``, without choosing the type again."""
    if _INT_RE.fullmatch(text.strip()):
        return int(text.strip())
    raise ValidationError(path="", expected="an integer, written with digits only", value=text)


def _parse_scalar(text: str, *, tp: Any) -> object:
    return parse_cell(text, tp)


def parse_cell(text: str, tp: Any) -> object:
    """Read one CSV cell for a field of type ``tp`` (``None`` already removed).

    Args:
        text: The cell, not blank.
        tp: The target field's type.

    Returns:
        A value in the shape of a JSON record, for the structure hooks to check.

    Raises:
        ValidationError: The text cannot be read as the field's type.
    """
    if tp is int:
        return _parse_int(text)
    if tp is float:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(path="", expected="a finite number such as '0.8'", value=text)
        return number
    if tp is bool:
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValidationError(
            path="", expected="true or false (also yes/no or 1/0, any case)", value=text
        )
    origin = get_origin(tp) or tp
    if origin is frozenset:
        return [item.strip() for item in text.split(";") if item.strip()]
    if origin in (tuple, FrozenDict) or is_attrs_class(tp):
        return parse_json_cell(text, list if origin is tuple else dict)
    return text


def parse_json_cell(text: str, shape: type) -> object:
    """Read a cell holding JSON (a list of signals, a BANT object, ...)."""
    what = "a JSON array" if shape is list else "a JSON object"
    try:
        value = decode_json(text)
    except RecursionError:
        raise ValidationError(
            path="", expected=f"{what} (it nests too deeply)", value=text
        ) from None
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise ValidationError(path="", expected=f"{what} ({reason})", value=text) from None
    if not isinstance(value, shape):
        raise ValidationError(path="", expected=what, value=text)
    return value


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A ``json.loads`` object hook that refuses duplicate keys (one would be lost)."""
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen.add(key)
    return result  # pragma: no cover - a shorter dict always has a repeated key


decode_json: Callable[[str], Any] = json.JSONDecoder(object_pairs_hook=no_duplicate_keys).decode
"""``json.loads`` for text, refusing duplicate keys; the decoder is built once, not per call."""
