"""Named rules, rule sets with named outputs, and custom rules written as functions."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.rules.tree._expr import Expr, RuleBuildError, lit, walk
from funnelkit.rules.tree._truth import Truth

__all__ = [
    "Named",
    "Ref",
    "RuleSet",
    "Custom",
    "rule",
    "ref",
    "rule_set",
    "custom_rule",
    "registered_rule",
    "UnknownRuleError",
]


@attrs.frozen(eq=False, repr=False)
class Named(Expr):
    """A rule with a name and a description, so traces speak the user's words."""

    name: str
    expr: Expr
    description: str | None = None

    @property
    def is_condition(self) -> bool:  # type: ignore[override]
        """Whether the named rule is a condition."""
        return self.expr.is_condition

    def children(self) -> tuple[Expr, ...]:
        """The rule."""
        return (self.expr,)

    def value_kind(self) -> str:
        """The rule's kind."""
        return self.expr.value_kind()


def rule(name: str, expr: object, *, description: str | None = None) -> Named:
    """Give a rule a name (and a description) for traces and reports.

    Examples:
        >>> from funnelkit.rules import F
        >>> rule("enterprise", F.company.employees >= 1000, description="1,000+ staff")
        rule('enterprise', F.company.employees >= 1000, description='1,000+ staff')
    """
    if not isinstance(name, str) or not name.strip():
        raise RuleBuildError(f"a rule name must be a non-empty string, got {name!r}")
    return Named(name=name, expr=lit(expr), description=description)


@attrs.frozen(eq=False, repr=False)
class Ref(Expr):
    """A reference to an earlier output of the enclosing RuleSet."""

    name: str
    kind: str = "any"
    condition: bool = False

    @property
    def is_condition(self) -> bool:  # type: ignore[override]
        """Whether the referenced output is a condition."""
        return self.condition

    def value_kind(self) -> str:
        """The referenced output's kind."""
        return self.kind


def ref(name: str, *, kind: str = "any", condition: bool = False) -> Ref:
    """Refer to an earlier output of a rule set by name (``ref("fit") >= 40``)."""
    return Ref(name=name, kind=kind, condition=condition)


@attrs.frozen(eq=False, repr=False)
class RuleSet(Expr):
    """Named outputs evaluated in order; later outputs may ``ref`` earlier ones."""

    outputs: tuple[tuple[str, Expr], ...]

    def children(self) -> tuple[Expr, ...]:
        """The outputs' rules, in order."""
        return tuple(expr for _, expr in self.outputs)

    @property
    def names(self) -> tuple[str, ...]:
        """The output names, in order."""
        return tuple(name for name, _ in self.outputs)

    def value_kind(self) -> str:
        """``mapping``: output names to values (no arithmetic or comparison takes it)."""
        return "mapping"


def rule_set(**outputs: object) -> RuleSet:
    """Bundle named outputs; each may refer to earlier ones with ``ref(name)``.

    Raises:
        RuleBuildError: A ``ref`` names an output that is not defined before it.

    Examples:
        >>> from funnelkit.rules import F, points, score
        >>> rs = rule_set(fit=score(points(10, when=F.company.employees >= 50)),
        ...               good=ref("fit") >= 10)
        >>> rs.names
        ('fit', 'good')
    """
    built: list[tuple[str, Expr]] = []
    seen: dict[str, Expr] = {}
    for name, value in outputs.items():
        node = lit(value)
        for sub in walk(node):
            if isinstance(sub, Ref) and sub.name not in seen:
                raise RuleBuildError(
                    f"output {name!r} refers to {sub.name!r}, which is not defined before it"
                )
        built.append((name, node))
        seen[name] = node
    return RuleSet(outputs=tuple(built))


@attrs.frozen(eq=False, repr=False)
class Custom(Expr):
    """A rule written as a Python function; see ``custom_rule``."""

    name: str
    func: Callable[..., object] = attrs.field(repr=False)
    inputs: tuple[tuple[str, Expr], ...]
    returns: str
    doc: str | None = None

    @property
    def is_condition(self) -> bool:  # type: ignore[override]
        """Whether the function returns a condition (``bool | None``)."""
        return self.returns == "bool"

    def children(self) -> tuple[Expr, ...]:
        """The inputs."""
        return tuple(expr for _, expr in self.inputs)

    def value_kind(self) -> str:
        """What the function's return annotation says."""
        return self.returns


_REGISTRY: dict[str, Custom] = {}


def registered_names() -> tuple[str, ...]:
    """The names of the registered custom rules, in the order they were registered."""
    return tuple(_REGISTRY)


class UnknownRuleError(FunnelkitError, KeyError):
    """No custom rule is registered under a name; the message lists the known names."""

    code: ClassVar[str] = "unknown-rule"

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.value = name
        self.known = known
        listed = ", ".join(known) or "none registered"
        self.message = f"no custom rule named {name!r} ({listed})"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.known))


def registered_rule(name: str) -> Custom:
    """Look up a custom rule by its registered name (policy files refer to them so).

    Raises:
        UnknownRuleError: No custom rule has that name (a ``KeyError``).
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownRuleError(name, tuple(sorted(_REGISTRY))) from None


def _returns(func: Callable[..., object]) -> str:
    hint = typing.get_type_hints(func).get("return")
    args = set(typing.get_args(hint)) - {type(None)} or {hint}
    if args <= {bool, Truth}:
        return "bool"
    if args <= {int}:
        return "int"
    if args <= {int, float, Decimal}:
        return "float" if float in args else "decimal" if Decimal in args else "int"
    if args <= {str}:
        return "str"
    raise RuleBuildError(
        f"custom rule {func.__name__!r} must declare its return type: "
        "bool | None for a condition, or int / float / Decimal / str for a value"
    )


def custom_rule(
    func: Callable[..., object] | None = None,
    *,
    name: str | None = None,
    inputs: Mapping[str, Expr] | None = None,
) -> typing.Any:
    """Turn a typed function into a rule node that composes with the rest.

    Without ``inputs`` the function receives the Lead. With ``inputs`` it receives the
    named field values as keyword arguments and is not called when any is missing (the
    result is then UNKNOWN, or missing for a value). Return ``None`` for UNKNOWN.

    The rule is registered under ``name`` (the function's name by default) so that policy
    files can refer to it; the function must be deterministic and must not mutate its
    arguments.

    Examples:
        >>> from funnelkit.rules import F
        >>> @custom_rule(inputs={"domain": F.company.domain})
        ... def is_edu(domain: str) -> bool | None:
        ...     '''The company's domain is an academic one.'''
        ...     return domain.endswith(".edu")
        >>> is_edu
        is_edu(domain=F.company.domain)
        >>> is_edu & (F.company.employees >= 50)
        all_of(is_edu(domain=F.company.domain), F.company.employees >= 50)
    """

    def wrap(fn: Callable[..., object]) -> Custom:
        rule_name = name or fn.__name__
        ins = tuple((key, lit(expr)) for key, expr in (inputs or {}).items())
        params = set(inspect.signature(fn).parameters)
        if inputs is not None and params != {k for k, _ in ins}:
            raise RuleBuildError(
                f"custom rule {rule_name!r}: inputs {sorted(k for k, _ in ins)} do not match "
                f"the function's parameters {sorted(params)}"
            )
        node = Custom(
            name=rule_name, func=fn, inputs=ins, returns=_returns(fn), doc=inspect.getdoc(fn)
        )
        existing = _REGISTRY.get(rule_name)
        if (
            existing is not None
            and existing.func is not fn
            and (
                existing.func.__module__,
                existing.func.__qualname__,
            )
            != (fn.__module__, fn.__qualname__)
        ):
            raise RuleBuildError(f"a different custom rule is already named {rule_name!r}")
        _REGISTRY[rule_name] = node
        return node

    return wrap(func) if func is not None else wrap
