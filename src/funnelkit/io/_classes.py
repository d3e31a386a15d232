"""Structuring attrs classes: every field on its own, then every validator on its own.

attrs stops at the first failing validator, and cattrs' generated code raises whatever the
constructor raises. To report every problem of a record, the hook here structures each
field separately (collecting failures with cattrs' attribute notes), builds the object
normally when all went well, and otherwise runs each field's converter and validator on
an instance filled without ``__init__``, collecting every ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.io import _errors
from funnelkit.io._build import UNCHANGED, fast_hook, implied
from funnelkit.io._schema import field_types, unwrap_optional

Hook = Callable[[Any, Any], Any]


def class_hook(conv: cattrs.Converter, cls: type) -> Hook:
    """Structure a JSON object into an attrs class, collecting every problem.

    Everything that does not depend on the record is worked out once per class: each
    field's position, type, default and structure hook (looked up on first use, so that
    classes that contain each other can be planned). A record then costs one step per key
    it has, not one per field of the class.
    """
    types = field_types(cls)
    fields = [a for a in attrs.fields(cls) if a.init]
    known = frozenset(types)
    required = [(p, f.alias) for p, f in enumerate(fields) if f.default is attrs.NOTHING]
    plans: dict[str, tuple[int, attrs.Attribute[Any], Any, Hook]] = {}
    nullable: set[str] = set()
    exact: dict[str, type] = {}  # field -> the type whose values the hook returns unchanged

    def plan() -> dict[str, tuple[int, attrs.Attribute[Any], Any, Hook]]:
        for position, field in enumerate(fields):
            tp = types[field.alias]
            inner = unwrap_optional(tp)  # None is handled here, saving a call per field
            plans[field.alias] = (position, field, inner, hook_for(conv, inner))
        nullable.update(a for a, tp in types.items() if unwrap_optional(tp) is not tp)
        exact.update((a, inner) for a, (_, _, inner, _) in plans.items() if inner in UNCHANGED)
        return plans

    def careful(value: object, _type: object) -> object:
        if type(value) is not dict:
            if isinstance(value, cls):
                return value
            if not isinstance(value, Mapping):
                raise FieldTypeError(
                    path="", expected=f"an object with the fields of {cls.__name__}", value=value
                )
        by_key = plans or plan()
        # (field position, problem): unknown keys first, then by field, as declared.
        problems: list[tuple[int, Exception]] = []
        if not known.issuperset(value):
            unknown = [key for key in value if key not in known]
            listed = _errors.unknown_fields(cls.__name__, value, unknown, types)
            problems = [(-1, problem) for problem in listed]
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            found = by_key.get(key)
            if found is None:
                continue
            if (item is None and key in nullable) or type(item) is exact.get(key):
                kwargs[key] = item
                continue
            position, field, tp, hook = found
            try:
                kwargs[key] = hook(item, tp)
            except Exception as exc:
                problems.append((position, _noted(exc, field)))
        for position, alias in required:
            if alias not in value:
                problems.append((position, _errors.missing_field(alias)))
        if not problems:
            try:
                return cls(**kwargs)
            except Exception as exc:
                problems = _validate(cls, fields, kwargs, complete=True) or [(0, exc)]
        else:
            problems.extend(_validate(cls, fields, kwargs, complete=False))
        problems.sort(key=lambda item: item[0])
        raise ClassValidationError(
            f"While structuring {cls.__name__}", [exc for _, exc in problems], cls
        )

    def prepare() -> None:
        plans or plan()
        for index, field in enumerate(fields):
            hook = plans[field.alias][3]
            namespace[f"H_{index}"] = hook
            namespace[f"K_{index}"] = implied(field, hook, nullable=field.alias in nullable)
        namespace["READY"] = True

    careful.returns = cls  # type: ignore[attr-defined]  # an instance of cls, or it raises

    namespace: dict[str, Any] = {
        "cls": cls,
        "known": known,
        "careful": careful,
        "prepare": prepare,
        "READY": False,
    }
    return fast_hook(cls, fields, types, namespace)


def hook_for(conv: cattrs.Converter, tp: Any) -> Hook:
    """The structure hook for ``tp``; a hook shared by many types may offer its own for one.

    A shared hook names its per-type version as ``for_type`` (the enum hook: each enum's
    own looks members up in a dict built once).
    """
    hook = conv.get_structure_hook(tp)
    for_type = getattr(hook, "for_type", None)
    return hook if for_type is None else for_type(tp)


def _noted(exc: Exception, field: attrs.Attribute[Any]) -> Exception:
    name = field.alias or field.name
    exc.add_note(AttributeValidationNote(f"attribute {name}", name, field.type))
    return exc


def _validate(
    cls: type, fields: list[attrs.Attribute[Any]], kwargs: dict[str, Any], *, complete: bool
) -> list[tuple[int, Exception]]:
    """Run each field's converter and validator on its own and collect every problem.

    The instance is filled without ``__init__`` (fields that are absent or failed to
    structure get their default, or ``None``), so validators that read other fields see
    them. Only the fields in ``kwargs`` are validated; an unexpected exception from a
    validator counts only when the record is ``complete`` (nothing failed before).
    """
    instance: object = object.__new__(cls)
    problems: list[tuple[int, Exception]] = []
    checked: list[tuple[int, attrs.Attribute[Any]]] = []
    for position, field in enumerate(fields):
        try:
            if field.alias in kwargs:
                value = _convert(field, kwargs[field.alias], instance)
                checked.append((position, field))
            else:
                value = _convert(field, _default(field, instance), instance)
        except Exception as exc:
            problems.append((position, _noted(exc, field)))
            value = None
        object.__setattr__(instance, field.name, value)
    for position, field in checked:
        if field.validator is None:
            continue
        try:
            field.validator(instance, field, getattr(instance, field.name))
        except ValidationError as exc:
            problems.append((position, exc))
        except Exception as exc:
            if complete:
                problems.append((position, _noted(exc, field)))
    return problems


def _default(field: attrs.Attribute[Any], instance: object) -> object:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory(instance) if default.takes_self else default.factory()
    return None if default is attrs.NOTHING else default


def _convert(field: attrs.Attribute[Any], value: object, instance: object) -> object:
    conv: Any = field.converter
    if conv is None:
        return value
    if isinstance(conv, attrs.Converter):
        args: list[object] = [value]
        if conv.takes_self:  # type: ignore[attr-defined]
            args.append(instance)
        if conv.takes_field:  # type: ignore[attr-defined]
            args.append(field)
        return conv.converter(*args)  # type: ignore[attr-defined]
    return conv(value)
