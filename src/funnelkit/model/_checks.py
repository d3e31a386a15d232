"""Validators shared by the model classes.

Each one raises [`ValidationError`][funnelkit.errors.ValidationError] (or
[`FieldTypeError`][funnelkit.errors.FieldTypeError]) naming the attribute as the path,
so that a bad value is reported as ``$.employees: expected int >= 0, got -3 (int)``.
Nesting (``company.employees``) is added by the io layer, which knows the record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.model._codes import COUNTRY_CODES as COUNTRY_CODES
from funnelkit.model._codes import CURRENCY_CODES
from funnelkit.model._frozendict import FrozenDict
from funnelkit.model._patterns import DOMAIN_RE, is_email

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _type_name(types: type | tuple[type, ...]) -> str:
    if isinstance(types, tuple):
        return " or ".join(t.__name__ for t in types)
    return types.__name__


def of_type(types: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """Validate ``isinstance(value, types)``; ``bool`` never passes for ``int``.

    The validator says what it accepts as ``accepts_instances``: ``(types, optional,
    allows_bool)``, it passes exactly ``None`` when ``optional`` and the instances of
    ``types`` (a ``bool`` only when ``allows_bool``).
    """
    wanted = _type_name(types)
    if optional:
        wanted += " or None"
    allows_bool = types is bool or (isinstance(types, tuple) and bool in types)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if (isinstance(value, bool) and not allows_bool) or not isinstance(value, types):
            raise FieldTypeError(path=attribute.name, expected=wanted, value=value)

    # What it accepts, for code that knows its values already pass (funnelkit.io's build).
    check.accepts_instances = (types, optional, allows_bool)  # type: ignore[attr-defined]
    return check


_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")


def text(*, optional: bool = True, max_length: int = 10_000) -> Validator:
    """Validate a string that is not blank, or ``None`` when optional."""
    expected = "a non-empty str" + (" or None" if optional else "")

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if not value.strip() or len(value) > max_length:
            raise ValidationError(
                path=attribute.name,
                expected=f"a non-empty str of at most {max_length} characters",
                value=value,
            )
        # ASCII text has no surrogates: only NUL is then possible (a cheaper test).
        if ("\x00" in value) if value.isascii() else _UNENCODABLE.search(value):
            raise ValidationError(
                path=attribute.name,
                expected="text without NUL characters or lone surrogates",
                value=value,
            )

    # What it accepts, for code that checks many values at once (funnelkit.io's tables).
    check.accepts_text = (optional, max_length)  # type: ignore[attr-defined]
    return check


def int_at_least(minimum: int, *, optional: bool = True) -> Validator:
    """Validate an ``int >= minimum`` (``bool`` is not an int here)."""
    expected = f"int >= {minimum}"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if value < minimum:
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def int_between(low: int, high: int, *, optional: bool = True) -> Validator:
    """Validate an ``int`` with ``low <= value <= high``."""
    expected = f"int between {low} and {high}"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if not low <= value <= high:
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def unit_interval(*, optional: bool = True) -> Validator:
    """Validate a number between 0 and 1 inclusive (a confidence)."""
    expected = "a number between 0 and 1"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if not 0 <= value <= 1:
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def finite_number(*, optional: bool = True) -> Validator:
    """Validate a finite ``int`` or ``float``."""
    expected = "a finite number"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def aware_datetime(*, optional: bool = True) -> Validator:
    """Validate a timezone-aware ``datetime``; naive ones are an error."""
    expected = "a timezone-aware datetime"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, datetime):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                path=attribute.name,
                expected=expected + " (add a tzinfo, e.g. datetime.UTC)",
                value=value,
            )

    return check


def plain_date(*, optional: bool = True) -> Validator:
    """Validate a ``date`` that is not a ``datetime``."""
    expected = "a date" + (" or None" if optional else "")

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, datetime) or not isinstance(value, date):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)

    return check


def country_code(*, optional: bool = True) -> Validator:
    """Validate an ISO 3166-1 alpha-2 country code (upper case, assigned)."""
    expected = "an ISO 3166-1 alpha-2 country code such as 'US'"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if value not in COUNTRY_CODES:
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def currency_code(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validate an ISO 4217 currency code (upper case, active)."""
    expected = "an ISO 4217 currency code such as 'USD'"
    if not isinstance(value, str):
        raise FieldTypeError(path=attribute.name, expected=expected, value=value)
    if value not in CURRENCY_CODES:
        raise ValidationError(path=attribute.name, expected=expected, value=value)


def set_of(item_types: type | tuple[type, ...]) -> Validator:
    """Validate a ``frozenset`` whose members are all of ``item_types``."""
    expected = f"a set of {_type_name(item_types)}"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if all(_good_member(item, item_types) for item in value):
            return
        for item in sorted(value, key=repr):  # the first bad one in a stable order
            if not isinstance(item, item_types) or isinstance(item, bool):
                raise FieldTypeError(path=attribute.name, expected=expected, value=item)
            if isinstance(item, str) and not item.strip():
                raise ValidationError(path=attribute.name, expected="non-empty strings", value=item)

    return check


def _good_member(item: object, item_types: type | tuple[type, ...]) -> bool:
    """Whether ``set_of`` accepts ``item`` (the same tests, without sorting first)."""
    if not isinstance(item, item_types) or isinstance(item, bool):
        return False
    return not isinstance(item, str) or bool(item.strip())


def tuple_of(item_type: type) -> Validator:
    """Validate a ``tuple`` whose items are all ``item_type``; the path names the index."""
    expected = f"a tuple of {item_type.__name__}"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        for index, item in enumerate(value):
            if not isinstance(item, item_type):
                raise FieldTypeError(
                    path=f"{attribute.name}[{index}]",
                    expected=item_type.__name__,
                    value=item,
                )

    return check


def member_of(enum_cls: type[Enum], *, optional: bool = False) -> Validator:
    """Validate a member of ``enum_cls``; the message lists the allowed values."""
    allowed = ", ".join(repr(m.value) for m in enum_cls)
    expected = f"one of {allowed}" + (" or None" if optional else "")

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, enum_cls):
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def enum_set(enum_cls: type[Enum]) -> Validator:
    """Validate a frozenset of ``enum_cls`` members."""
    allowed = ", ".join(repr(m.value) for m in enum_cls)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset):
            raise FieldTypeError(path=attribute.name, expected=f"a set of {allowed}", value=value)
        for item in sorted(value, key=repr):
            if not isinstance(item, enum_cls):
                raise ValidationError(
                    path=attribute.name, expected=f"members from {allowed}", value=item
                )

    return check


def decimal_amount(*, optional: bool = False) -> Validator:
    """Validate a finite ``Decimal``."""
    expected = "a finite decimal amount (int, str or Decimal)" + (" or None" if optional else "")

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, Decimal):
            raise FieldTypeError(path=attribute.name, expected=expected, value=value)
        if not value.is_finite():
            raise ValidationError(path=attribute.name, expected=expected, value=value)

    return check


def domain(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validate a normalised domain name (or ``None``)."""
    if value is None:
        return
    expected = "a domain name such as 'example.com'"
    if not isinstance(value, str):
        raise FieldTypeError(path=attribute.name, expected=expected, value=value)
    if not DOMAIN_RE.match(value):
        raise ValidationError(path=attribute.name, expected=expected, value=value)


def email(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validate a normalised e-mail address (or ``None``)."""
    if value is None:
        return
    expected = "an e-mail address such as 'ana@example.com'"
    if not isinstance(value, str):
        raise FieldTypeError(path=attribute.name, expected=expected, value=value)
    if not is_email(value):
        raise ValidationError(path=attribute.name, expected=expected, value=value)


_SCALARS = (str, int, float, bool, Decimal, date)
_SCALAR_NAMES = "str, int, float, bool, Decimal, date or None"


def attributes(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validate a FrozenDict of str keys to scalars or tuples of scalars."""
    if not isinstance(value, FrozenDict):
        raise FieldTypeError(
            path=attribute.name, expected="a mapping of str to scalars", value=value
        )
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip():
            raise FieldTypeError(path=attribute.name, expected="non-empty str keys", value=key)
        path = f"{attribute.name}.{key}"
        items = item if isinstance(item, tuple) else (item,)
        for index, one in enumerate(items):
            where = f"{path}[{index}]" if isinstance(item, tuple) else path
            if one is not None and not isinstance(one, _SCALARS):
                raise FieldTypeError(
                    path=where, expected=f"{_SCALAR_NAMES}, or a list of them", value=one
                )
            if isinstance(one, float) and not math.isfinite(one):
                raise ValidationError(path=where, expected="a finite number", value=one)
