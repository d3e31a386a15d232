"""griffe extensions for the API pages: attrs ``__init__`` methods and constants' types.

griffe reads the source without running it, so it does not see the ``__init__`` that
``@attrs.frozen`` and ``@attrs.define`` generate; without one, the parameters of a class
have no types on the API pages and the class has no signature. This extension builds
that ``__init__`` from the annotated fields, in order, as attrs does (``default=`` and
``factory=`` give the default, ``init=False`` leaves a field out, ``kw_only=True``
makes it keyword-only, a leading underscore is dropped from the parameter's name), the
way griffe's own extension does it for dataclasses.

``ConstantTypes`` gives a module constant without an annotation the type of its value,
where the source says it: a literal (``4``, ``"text"``, a tuple of strings), a call of a
class (``Funnel(...)``) or a call of a function with a return annotation (``bant()``).
A type alias (``Cell = str | int``) is labelled as such. The API tables then have no
empty Type cells.

Used by ``mkdocs.yml`` (``plugins.mkdocstrings.handlers.python.options.extensions``).
"""

from __future__ import annotations

import ast
import re
from typing import Any

import griffe

_DECORATORS = frozenset(
    {"attrs.frozen", "attrs.define", "attrs.mutable", "attr.s", "attr.attrs", "attr.frozen"}
)


def _decorator(cls: griffe.Class) -> griffe.Expr | None:
    for decorator in cls.decorators:
        value = decorator.value
        if isinstance(value, griffe.Expr) and value.canonical_path in _DECORATORS:
            return value
    return None


def _arguments(expr: object) -> dict[str, Any]:
    if isinstance(expr, griffe.ExprCall):
        return {a.name: a.value for a in expr.arguments if isinstance(a, griffe.ExprKeyword)}
    return {}


def _field_arguments(attribute: griffe.Attribute) -> dict[str, Any] | None:
    value = attribute.value
    if isinstance(value, griffe.ExprCall) and value.canonical_path in {
        "attrs.field",
        "attr.ib",
        "attr.attrib",
    }:
        return _arguments(value)
    return None


def _parameters(cls: griffe.Class) -> list[griffe.Parameter]:
    class_kw_only = str(_arguments(_decorator(cls)).get("kw_only")) == "True"
    parameters = []
    for member in cls.members.values():
        if member.is_alias or not member.is_attribute:
            continue
        attribute: griffe.Attribute = member  # type: ignore[assignment]
        if attribute.annotation is None or "property" in attribute.labels:
            continue
        if "class-attribute" in attribute.labels and "instance-attribute" not in attribute.labels:
            continue
        field = _field_arguments(attribute)
        if field is not None and str(field.get("init")) == "False":
            continue
        if field is None:
            default = attribute.value
        elif "default" in field:
            default = field["default"]
        elif "factory" in field:
            default = griffe.ExprCall(function=field["factory"], arguments=[])
        else:
            default = None
        if default is not None and re.search(r"(?<![\w.])_\w", str(default)):
            default = "..."  # a private factory (``_str_set()``): say only that there is a default
        kw_only = class_kw_only or (field is not None and str(field.get("kw_only")) == "True")
        parameters.append(
            griffe.Parameter(
                attribute.name.lstrip("_"),
                annotation=attribute.annotation,
                kind=griffe.ParameterKind.keyword_only
                if kw_only
                else griffe.ParameterKind.positional_or_keyword,
                default=default,
                docstring=attribute.docstring,
            )
        )
    return parameters


def _visit(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    if isinstance(obj, griffe.Class) and "__init__" not in obj.members and _decorator(obj):
        self_ = griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)
        params = _parameters(obj)
        ordered = [p for p in params if p.kind is not griffe.ParameterKind.keyword_only]
        ordered += [p for p in params if p.kind is griffe.ParameterKind.keyword_only]
        init = griffe.Function(
            "__init__",
            lineno=0,
            endlineno=0,
            parent=obj,
            parameters=griffe.Parameters(self_, *ordered),
            returns="None",
        )
        obj.set_member("__init__", init)
    for member in list(obj.members.values()):
        if not member.is_alias and (member.is_module or member.is_class):
            _visit(member, seen)  # type: ignore[arg-type]


class AttrsInit(griffe.Extension):
    """Give every attrs class the ``__init__`` that attrs generates for it."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Add the ``__init__`` methods once the whole package is loaded."""
        _visit(pkg, set())


def _literal_type(value: object) -> str | None:
    text = str(value)
    try:
        literal = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(literal, bool | int | float | str):
        return type(literal).__name__
    if isinstance(literal, tuple) and literal:
        kinds = {type(item).__name__ for item in literal}
        return f"tuple[{kinds.pop()}, ...]" if len(kinds) == 1 else "tuple"
    return None


def _call_type(value: griffe.ExprCall) -> str | griffe.Expr | None:
    try:
        target = value.function.parent.modules_collection[value.canonical_path]  # type: ignore[union-attr]
    except (KeyError, AttributeError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    if target.is_alias:
        try:
            target = target.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
    if target.is_class and not target.name.startswith("_"):
        return value.function  # type: ignore[no-any-return]
    if target.is_function and target.returns is not None:
        return target.returns  # type: ignore[no-any-return]
    return None


def _collection_type(value: griffe.ExprCall) -> str | None:
    name = str(value.function)
    if name not in {"frozenset", "set", "tuple"} or len(value.arguments) != 1:
        return None
    try:
        items = ast.literal_eval(str(value.arguments[0]))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return name
    kinds = {type(item).__name__ for item in items}
    return f"{name}[{kinds.pop()}]" if len(kinds) == 1 else name


def _instance_types(cls: griffe.Class) -> None:
    init = cls.members.get("__init__")
    if init is None or init.is_alias or not init.is_function:
        return
    params = {p.name: p.annotation for p in init.parameters if p.annotation is not None}  # type: ignore[union-attr]
    for member in cls.members.values():
        if member.is_alias or not member.is_attribute or member.annotation is not None:
            continue
        if "instance-attribute" in member.labels and str(member.value) in params:
            member.annotation = params[str(member.value)]


def _set_types(module: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if module.path in seen:
        return
    seen.add(module.path)
    if isinstance(module, griffe.Class):
        _instance_types(module)
    for member in list(module.members.values()):
        if member.is_alias:
            continue
        if member.is_module or member.is_class:
            _set_types(member, seen)  # type: ignore[arg-type]
        elif (
            isinstance(module, griffe.Module)
            and member.is_attribute
            and member.annotation is None
            and member.value is not None
        ):
            value = member.value
            if isinstance(value, griffe.ExprCall):
                member.annotation = _collection_type(value) or _call_type(value)
            elif (isinstance(value, griffe.ExprBinOp) and str(value.operator) == "|") or (
                isinstance(value, griffe.ExprName) and value.canonical_path == "typing.Any"
            ):
                member.annotation = "TypeAlias"
            else:
                member.annotation = _literal_type(value)


class ConstantTypes(griffe.Extension):
    """Give constants the type their value shows, instance attributes their parameter's."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Fill in the types once the whole package is loaded."""
        _set_types(pkg, set())
