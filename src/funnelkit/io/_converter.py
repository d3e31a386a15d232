"""The one cattrs converter for the model, in the record format.

Structuring is strict and collects every problem of a record: each field is structured
on its own, then the model's validators run field by field, so a record with three bad
fields reports three problems, each with its path and value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, TypeVar, get_args, get_origin

import cattrs
from cattrs.errors import (
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_unstructure_fn

from funnelkit.errors import FieldTypeError, RecordError, ValidationError
from funnelkit.io import _errors, _scalars
from funnelkit.io._classes import class_hook
from funnelkit.io._schema import is_attrs_class, unwrap_optional
from funnelkit.model import FrozenDict

__all__ = ["converter", "structure", "unstructure", "to_json", "from_json"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]

_SCALARS = (str, int, float, bool, Decimal, date)
_SCALAR_NAMES = "a str, number, bool or null, or a list of them"


def _is_optional(tp: Any) -> bool:
    return unwrap_optional(tp) is not tp


def _origin_is(*origins: type) -> Callable[[Any], bool]:
    return lambda tp: (get_origin(tp) or tp) in origins


# -- structure -------------------------------------------------------------------------


def _optional_hook(conv: cattrs.Converter, tp: Any) -> Hook:
    inner = unwrap_optional(tp)
    hooks: list[Hook] = []  # the inner hook, looked up on first use

    def structure_optional(value: object, _type: object) -> object:
        if value is None:
            return None
        if not hooks:
            hooks.append(conv.get_structure_hook(inner))
        return hooks[0](value, inner)

    return structure_optional


def _items_hook(conv: cattrs.Converter, tp: Any) -> Hook:
    """Structure a JSON list into a tuple or frozenset, naming bad items by index."""
    origin = get_origin(tp) or tp
    args = get_args(tp)
    fixed = origin is tuple and bool(args) and args[-1] is not Ellipsis
    item_types = list(args) if fixed else [args[0] if args else Any]
    hooks: list[Hook] = []  # one per item type, looked up on first use

    def structure_items(value: object, _type: object) -> object:
        if not isinstance(value, list | tuple | set | frozenset):
            raise FieldTypeError(path="", expected=_list_expected(tp), value=value)
        items = list(value)
        if fixed and len(items) != len(item_types):
            raise ValidationError(
                path="", expected=f"a list of {len(item_types)} items", value=value
            )
        if not hooks:
            hooks.extend(conv.get_structure_hook(t) for t in item_types)
        if not fixed:  # fast path: a good list in one pass; else find every problem below
            hook, item_type = hooks[0], item_types[0]
            try:
                good = [hook(item, item_type) for item in items]
            except Exception:  # noqa: S110 -- the loop below reports it, with the index
                pass
            else:
                return frozenset(good) if origin is frozenset else tuple(good)
        out: list[object] = []
        problems: list[Exception] = []
        for index, item in enumerate(items):
            slot = index if fixed else 0
            item_type = item_types[slot]
            try:
                out.append(hooks[slot](item, item_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"index {index}", index, item_type))
                problems.append(exc)
        if problems:
            raise IterableValidationError(f"While structuring {tp!r}", problems, tp)
        return frozenset(out) if origin is frozenset else tuple(out)

    return structure_items


def _list_expected(tp: Any) -> str:
    args = [a for a in get_args(tp) if a is not Ellipsis]
    names = ", ".join(getattr(a, "__name__", repr(a)) for a in args)
    return f"a list of {names}" if names else "a list"


def _mapping_hook(conv: cattrs.Converter, tp: Any) -> Hook:
    """Structure a JSON object into a FrozenDict (custom attributes, ICP weights)."""
    args = get_args(tp)
    value_type = args[1] if len(args) == 2 else object
    hooks: list[Hook] = []  # the value hook, looked up on first use

    def structure_mapping(value: object, _type: object) -> FrozenDict[str, object]:
        if not isinstance(value, Mapping):
            raise FieldTypeError(path="", expected="an object of str keys", value=value)
        out: dict[str, object] = {}
        problems: list[Exception] = []
        for key, item in value.items():
            if not isinstance(key, str) or not key.strip():
                problems.append(FieldTypeError(path="", expected="non-empty str keys", value=key))
                continue
            try:
                if value_type is object:
                    out[key] = _custom_value(item)
                else:
                    if not hooks:
                        hooks.append(conv.get_structure_hook(value_type))
                    out[key] = hooks[0](item, value_type)
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"key {key!r}", key, value_type))
                problems.append(exc)
        if problems:
            raise IterableValidationError(f"While structuring {tp!r}", problems, tp)
        return FrozenDict(out)

    return structure_mapping


def _custom_value(value: object) -> object:
    if isinstance(value, list | tuple):
        for index, one in enumerate(value):
            if one is not None and (not isinstance(one, _SCALARS) or isinstance(one, list | tuple)):
                raise FieldTypeError(path=f"[{index}]", expected=_SCALAR_NAMES, value=one)
        return tuple(value)
    if value is not None and not isinstance(value, _SCALARS):
        raise FieldTypeError(path="", expected=_SCALAR_NAMES, value=value)
    return value


# -- unstructure -----------------------------------------------------------------------


def _sort_key(value: object) -> tuple[int, str]:
    if isinstance(value, str):
        return (0, value)
    return (1, json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


def _set_hook(conv: cattrs.Converter) -> Callable[[frozenset[Any]], list[Any]]:
    def unstructure_set(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(item) for item in value), key=_sort_key)

    return unstructure_set


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    scalar_hooks: dict[type, Hook] = {
        str: _scalars.structure_str,
        int: _scalars.structure_int,
        float: _scalars.structure_float,
        bool: _scalars.structure_bool,
        Decimal: _scalars.structure_decimal,
        datetime: _scalars.structure_datetime,
        date: _scalars.structure_date,
    }
    for scalar, hook in scalar_hooks.items():
        conv.register_structure_hook(scalar, hook)
    # These dispatch on the MRO, and a StrEnum is a str: name StrEnum so it comes first.
    conv.register_structure_hook(Enum, _structure_enum)
    conv.register_structure_hook(StrEnum, _structure_enum)
    conv.register_structure_hook_factory(
        _origin_is(tuple, frozenset), lambda t: _items_hook(conv, t)
    )
    conv.register_structure_hook_factory(_origin_is(FrozenDict), lambda t: _mapping_hook(conv, t))
    conv.register_structure_hook_factory(_is_optional, lambda t: _optional_hook(conv, t))
    conv.register_structure_hook_factory(is_attrs_class, lambda t: class_hook(conv, t))

    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(Enum, _enum_value)
    conv.register_unstructure_hook(StrEnum, _enum_value)
    conv.register_unstructure_hook_factory(_origin_is(frozenset), lambda _t: _set_hook(conv))
    conv.register_unstructure_hook_factory(
        _origin_is(tuple), lambda _t: lambda v: [conv.unstructure(i) for i in v]
    )
    conv.register_unstructure_hook_factory(
        _origin_is(FrozenDict),
        lambda _t: lambda v: {k: conv.unstructure(v[k]) for k in sorted(v)},
    )
    conv.register_unstructure_hook_factory(
        is_attrs_class,
        lambda cls: make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True),
    )
    return conv


def _enum_value(member: Enum) -> Any:
    return member.value


def _structure_enum(value: object, enum_cls: type[Enum]) -> Enum:
    return _scalars.enum_hook(enum_cls)(value, enum_cls)


_structure_enum.for_type = _scalars.enum_hook  # type: ignore[attr-defined]
"""Class hooks call the enum's own hook directly (``funnelkit.io._classes``)."""


converter: cattrs.Converter = _make_converter()
"""The cattrs converter for every model class, in the record format.

It raises cattrs' ``ClassValidationError`` groups (with funnelkit
[`ValidationError`][funnelkit.errors.ValidationError] leaves); the functions
[`structure`][funnelkit.io.structure] and [`lead_from_dict`][funnelkit.io.lead_from_dict]
turn those into one [`RecordError`][funnelkit.errors.RecordError].
"""


def unstructure(obj: Any) -> Any:
    """Turn a model object into its record: plain dicts, lists, strings and numbers.

    Attributes equal to their default are left out; sets become sorted lists.

    Args:
        obj: Any model object (or a list or dict of them).

    Returns:
        The record, ready for ``json.dumps``.

    Examples:
        >>> from funnelkit.model import Company, Money
        >>> record = unstructure(Company(name="Acme", annual_revenue=Money(amount=12_000_000),
        ...                              technologies={"hubspot", "aws"}))
        >>> record["annual_revenue"], record["technologies"]
        ({'amount': '12000000'}, ['aws', 'hubspot'])
    """
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build a model object from its record, checking everything.

    Args:
        data: The record (nested dicts and lists, as read from JSON).
        cls: The model class to build.

    Returns:
        The object.

    Raises:
        RecordError: Lists every problem in the record, each with its path and value.

    Examples:
        >>> from funnelkit.model import Company
        >>> structure({"name": "Acme", "employees": 120}, Company).employees
        120
        >>> from funnelkit.errors import RecordError
        >>> try:
        ...     structure({"id": "C-1", "employees": "120", "contry": "US"}, Company)
        ... except RecordError as err:
        ...     for problem in err.problems:
        ...         print(problem.path, repr(problem.value), "|", problem.expected)
        contry 'US' | a known field of Company (did you mean 'country'?)
        employees '120' | int
    """
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        raise _errors.record_error(
            _errors.problems_of(exc, data),
            raw=data,
            record_id=_errors.read_id(data),
            kind=_errors.kind_of(cls),
        ) from None


def to_json(obj: Any) -> str:
    """Serialise a model object to a JSON record (deterministic: sets are sorted).

    Args:
        obj: Any model object.

    Returns:
        One line of JSON.

    Examples:
        >>> from funnelkit.model import Contact
        >>> to_json(Contact(email="ana@example.com", buying_roles={"user", "champion"}))
        '{"email": "ana@example.com", "buying_roles": ["champion", "user"]}'
    """
    return json.dumps(unstructure(obj), ensure_ascii=False)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Build a model object from a JSON record.

    Args:
        text: The JSON text.
        cls: The model class to build.

    Returns:
        The object.

    Raises:
        RecordError: The text is not JSON, or the record has problems (all listed).

    Examples:
        >>> from funnelkit.model import Money
        >>> from_json('{"amount": "12000000", "currency": "EUR"}', Money)
        Money(amount=Decimal('12000000'), currency='EUR')
    """
    try:
        data = json.loads(text, object_pairs_hook=_scalars.no_duplicate_keys)
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        problem = ValidationError(path="", expected=f"a JSON document ({reason})", value=text)
        raise RecordError([problem], raw=text, kind=_errors.kind_of(cls)) from None
    return structure(data, cls)
