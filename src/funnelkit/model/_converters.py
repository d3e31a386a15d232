"""Converters shared by the model classes.

They are lenient: each normalises what it can (a string to an enum member, a list to a
tuple, ``"https://www.Acme.com"`` to ``"acme.com"``) and passes anything else through
unchanged, so that the field's validator in ``_checks`` reports the value as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from funnelkit.model._enums import (
    AuthorityLevel,
    BudgetStatus,
    BuyingRole,
    Direction,
    Seniority,
    Severity,
    StageKind,
)
from funnelkit.model._frozendict import FrozenDict
from funnelkit.model._patterns import DOMAIN_RE, is_email

E = TypeVar("E", bound=Enum)


# -- converters: lenient, they normalise what they can and leave the rest to validators --
# The collection converters take ``Iterable[Any]``, not ``Iterable[T]``: the attrs mypy
# plugin copies a converter's parameter type into ``__init__``, where an unbound ``T``
# would reject every typed caller (``Lead(signals=[signal])``).


def to_frozenset(value: Iterable[Any] | None) -> frozenset[Any]:
    """Turn any iterable (but not a bare string) into a frozenset; ``None`` is empty.

    A string is left alone so that the validator reports it, instead of silently
    becoming a set of its characters.
    """
    if value is None:
        return frozenset()
    if isinstance(value, str | bytes | frozenset):
        return value  # type: ignore[return-value]  # a string goes on to the validator
    try:
        return frozenset(value)
    except TypeError:
        return value  # type: ignore[return-value]


def to_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """Turn a list (or other non-string iterable) into a tuple; ``None`` is empty."""
    if value is None:
        return ()
    if isinstance(value, str | bytes | tuple):
        return value  # type: ignore[return-value]  # a string goes on to the validator
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]


def lenient_enum(enum_cls: type[E], value: object) -> object:
    """Return the member of ``enum_cls`` whose value is ``value``; anything else unchanged.

    Unknown values pass through so that the field's validator can report them.
    """
    if isinstance(value, str) and not isinstance(value, enum_cls):
        try:
            return enum_cls(value)
        except ValueError:
            return value
    return value


def lenient_enum_set(enum_cls: type[E], value: object) -> object:
    """Turn an iterable of members or values into a frozenset of members, where it can."""
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return frozenset(lenient_enum(enum_cls, item) for item in value)


def lenient_decimal(value: object) -> object:
    """Convert an exact amount to ``Decimal`` where possible; a float goes by its repr.

    Values that cannot be converted pass through for the validator to report.
    """
    if isinstance(value, bool):
        return value
    try:
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, str):
            return Decimal(value.strip())
    except InvalidOperation:
        return value
    return value


def lenient_optional_decimal(value: object) -> object:
    """Like ``lenient_decimal``, keeping ``None``."""
    return None if value is None else lenient_decimal(value)


def normalise_domain(value: object) -> object:
    """Normalise a web domain: lowercase, no scheme, no ``www.``, no path or port.

    Non-strings and strings that do not become a valid domain pass through unchanged,
    for the validator to report as given.
    """
    if not isinstance(value, str):
        return value
    host = value.strip().lower()
    for scheme in ("https://", "http://", "//"):
        if host.startswith(scheme):
            host = host[len(scheme) :]
            break
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].rstrip(".")
    host = host.removeprefix("www.")
    return host if DOMAIN_RE.match(host) else value


def normalise_email(value: object) -> object:
    """Trim and lower-case an e-mail address; anything invalid passes through unchanged."""
    if not isinstance(value, str):
        return value
    address = value.strip().lower()
    return address if is_email(address) else value


def to_attributes(value: object) -> object:
    """Turn a dict of custom attributes into a FrozenDict, lists into tuples.

    Anything else passes through for the ``attributes`` validator to report.
    """
    if value is None:
        return FrozenDict()
    if type(value) is FrozenDict and (
        not value or not any(type(v) is list for v in value._data.values())
    ):
        return value  # already frozen: one FrozenDict per object, not two
    if isinstance(value, dict | FrozenDict):
        return FrozenDict((k, tuple(v) if isinstance(v, list) else v) for k, v in value.items())
    return value


# Named converters, one per vocabulary (the attrs mypy plugin needs named functions).


def to_seniority(value: object) -> object:
    """Convert a seniority value to its member, where it is one."""
    return lenient_enum(Seniority, value)


def to_buying_roles(value: object) -> object:
    """Convert an iterable of buying-role values to a frozenset of members."""
    return lenient_enum_set(BuyingRole, value)


def to_seniorities(value: object) -> object:
    """Convert an iterable of seniority values to a frozenset of members."""
    return lenient_enum_set(Seniority, value)


def to_budget_status(value: object) -> object:
    """Convert a budget-status value to its member, where it is one."""
    return lenient_enum(BudgetStatus, value)


def to_authority_level(value: object) -> object:
    """Convert an authority-level value to its member, where it is one."""
    return lenient_enum(AuthorityLevel, value)


def to_severity(value: object) -> object:
    """Convert a severity value to its member, where it is one."""
    return lenient_enum(Severity, value)


def to_stage_kind(value: object) -> object:
    """Convert a stage-kind value to its member, where it is one."""
    return lenient_enum(StageKind, value)


def to_direction(value: object) -> object:
    """Convert a direction value to its member, where it is one."""
    return lenient_enum(Direction, value)
