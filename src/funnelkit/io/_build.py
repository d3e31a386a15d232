"""The fast path of structuring: one generated function per attrs class.

For a record that is a plain dict of known keys, the generated function does what the
class's attrs ``__init__`` does -- each field converted, set, then validated -- with the
field's structure hook applied first, and without the per-call keyword dict. What is
worked out once per class, not per record:

* a field the record leaves out gets its default *value*, built, converted and validated
  once when the hook is prepared and shared by every object (only immutable defaults:
  ``None``, empty tuples and FrozenDicts, frozen model objects);
* so a left-out field's validator runs only if it may read other fields (a method
  validator such as ``Lead.account_id``'s): the shared validators of
  ``funnelkit.model._checks`` read only the value, and the default passed them.

At the first exception, unknown key or missing required field, the record goes to
``careful`` (``funnelkit.io._classes``), which finds and reports every problem: errors
and their messages come from there, unchanged. Only model field names enter the
generated source.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from funnelkit.io._schema import unwrap_optional
from funnelkit.model import FrozenDict

__all__ = ["UNCHANGED", "fast_hook"]

Hook = Callable[[Any, Any], Any]

UNCHANGED = (str, int, float, bool)
"""Field types whose structure hooks return a value of exactly that type unchanged."""

_PURE_CHECKS = "funnelkit.model._checks"
"""The module whose validators read only the value (their instance argument is unused)."""
_ATOMS = (type(None), str, int, float, bool, Decimal, tuple, frozenset, FrozenDict)
_NO_DEFAULT = object()


def fast_hook(
    cls: type, fields: list[attrs.Attribute[Any]], types: dict[str, Any], namespace: dict[str, Any]
) -> Hook:
    """Generate the fast path for ``cls``: straight-line code for a good record.

    Args:
        cls: The attrs class.
        fields: Its init fields, in order.
        types: Each field's resolved type, by alias.
        namespace: Holds ``cls``, ``known`` (the aliases), ``careful`` (the slow path),
            ``prepare`` (binds the hooks ``H_<i>`` on first use) and ``READY``.

    Returns:
        The structure hook.
    """
    if any(_takes_more(f.converter) for f in fields) or hasattr(cls, "__attrs_post_init__"):
        return namespace["careful"]  # type: ignore[no-any-return]  # pragma: no cover
    namespace["new"] = object.__new__
    namespace["setter"] = object.__setattr__.__get__
    lines = [
        "def structure(value, _type):",
        "    if not READY:",
        "        prepare()",
        "    if type(value) is not dict or not known.issuperset(value):",
        "        return careful(value, _type)",
        "    try:",
        "        self = new(cls)",
    ]
    if not all(_slot(cls, f.name) for f in fields):
        lines.append("        _set = setter(self)")
    checks: list[str] = []
    for index, field in enumerate(fields):
        alias, name = str(field.alias), field.name
        if not (alias.isidentifier() and name.isidentifier()):  # pragma: no cover
            return namespace["careful"]  # type: ignore[no-any-return]
        present = _structured(index, types[alias], namespace)
        if field.converter is not None:
            namespace[f"C_{index}"] = field.converter
            present = f"C_{index}({present})"
        # A slot is set through its descriptor, as object.__setattr__ would, minus the
        # lookup of the name on the class.
        slot = _slot(cls, name)
        namespace[f"S_{index}"] = slot
        put = f"S_{index}(self, {{}})" if slot is not None else f"_set({name!r}, {{}})"
        lines += [f"        if {alias!r} in value:", f"            v = value[{alias!r}]"]
        lines.append("            " + put.format(present))
        lines.append("        else:")
        default = _shared_default(field)
        if default is _NO_DEFAULT:
            lines.append("            return careful(value, _type)")
        else:
            namespace[f"D_{index}"] = default
            lines.append("            " + put.format(f"D_{index}"))
        if field.validator is not None:
            namespace[f"V_{index}"], namespace[f"A_{index}"] = field.validator, field
            namespace[f"K_{index}"] = False  # set by prepare(): implied by the hook?
            check = f"V_{index}(self, A_{index}, self.{name})"
            when = f"not K_{index}"
            if default is not _NO_DEFAULT and _pure(field.validator):
                when += f" and {alias!r} in value"
            checks += [f"        if {when}:", f"            {check}"]
    lines += checks
    lines += [
        "        return self",
        "    except Exception:",
        "        return careful(value, _type)",
    ]
    structure = _compiled(cls, lines, namespace)
    structure.returns = cls  # type: ignore[attr-defined]  # an instance of cls, or it raises
    return structure


def implied(field: attrs.Attribute[Any], hook: object, *, nullable: bool) -> bool:
    """Whether every value the fast path gives ``field`` passes the field's validator.

    It does when the validator accepts exactly the instances of some types
    (``accepts_instances``, as ``funnelkit.model._checks.of_type`` declares), the field's
    hook returns only instances of a subclass of them (``returns``, as class hooks
    declare), no converter changes the value, and ``None`` (what a nullable field gets
    for ``null``) is accepted when the field is nullable. A value that is not such an
    instance never gets there: the hook raises and the record goes to ``careful``.
    """
    accepts = getattr(field.validator, "accepts_instances", None)
    returns = getattr(hook, "returns", None)
    if accepts is None or not isinstance(returns, type) or field.converter is not None:
        return False
    types, optional, allows_bool = accepts
    if nullable and not optional:
        return False
    return issubclass(returns, types) and (allows_bool or not issubclass(returns, bool))


def _slot(cls: type, name: str) -> Callable[[object, object], None] | None:
    """The ``__set__`` of the slot holding attribute ``name``, if it is a plain slot.

    For a slotted class, ``object.__setattr__(obj, name, value)`` finds this descriptor
    on the class and calls it; a frozen attrs class's own ``__setattr__`` is bypassed
    both ways, as attrs' ``__init__`` does.
    """
    found = next((c.__dict__[name] for c in cls.__mro__ if name in c.__dict__), None)
    if isinstance(found, types.MemberDescriptorType):
        return found.__set__
    return None


def _structured(index: int, tp: Any, namespace: dict[str, Any]) -> str:
    """The expression structuring ``v`` for field ``index``, skipping the hook when it can."""
    inner = unwrap_optional(tp)
    namespace[f"P_{index}"] = inner
    namespace[f"T_{index}"] = inner if inner in UNCHANGED else None
    nullable, exact = inner is not tp, inner in UNCHANGED
    hooked = f"H_{index}(v, P_{index})"
    if nullable and exact:
        return f"v if v is None or type(v) is T_{index} else {hooked}"
    if nullable:
        return f"None if v is None else {hooked}"
    if exact:
        return f"v if type(v) is T_{index} else {hooked}"
    return hooked


def _takes_more(converter: object) -> bool:
    """Whether a converter needs the instance or the field (it cannot run before both)."""
    return isinstance(converter, attrs.Converter) and bool(
        converter.takes_self or converter.takes_field  # type: ignore[attr-defined]
    )


def _pure(validator: object) -> bool:
    return getattr(validator, "__module__", None) == _PURE_CHECKS


def _shared_default(field: attrs.Attribute[Any]) -> object:
    """The field's default, converted and validated once, if it is immutable; else none.

    Returns ``_NO_DEFAULT`` for a required field and for a default that cannot be shared
    (a mutable one, or one its own validator refuses): the record then goes to ``careful``
    when it leaves the field out, which builds it the attrs way.
    """
    default: Any = field.default
    if default is attrs.NOTHING:
        return _NO_DEFAULT
    try:
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return _NO_DEFAULT
            default = default.factory()
        if field.converter is not None:
            default = field.converter(default)  # type: ignore[operator]
        if field.validator is not None and _pure(field.validator):
            field.validator(None, field, default)
    except Exception:
        return _NO_DEFAULT
    return default if _immutable(default) else _NO_DEFAULT


def _immutable(value: object) -> bool:
    if isinstance(value, Enum):
        return True
    if type(value) in _ATOMS:
        return not isinstance(value, tuple | frozenset | FrozenDict) or not value
    kind = type(value)
    frozen = getattr(kind.__setattr__, "__name__", "") == "_frozen_setattrs"
    return (
        attrs.has(kind)
        and frozen
        and all(_immutable(getattr(value, a.name)) for a in attrs.fields(kind))
    )


def _compiled(cls: type, lines: list[str], namespace: dict[str, Any]) -> Hook:
    code = compile("\n".join(lines) + "\n", f"<funnelkit structure {cls.__name__}>", "exec")
    exec(code, namespace)  # noqa: S102 -- the source holds model field names only
    return namespace["structure"]  # type: ignore[no-any-return]
