"""The compiled row evaluator: the tree turned into nested Python closures.

No text is generated or evaluated: each node becomes a closure over its children's
closures and its constants. Common shapes (a field against constants) are fused into one
closure, and signal counts are computed once per lead and shared. Results are exactly the
reference interpreter's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

from funnelkit.model import Lead
from funnelkit.rules import _named as nm
from funnelkit.rules import _nodes as nd
from funnelkit.rules import _scoring as sc
from funnelkit.rules._expr import Expr, Field, Literal
from funnelkit.rules._interpret import (
    COMPARE,
    RuleEvaluationError,
    arith,
    check_as_of,
    compare,
    days_from,
    func,
    per_points,
    signal_agg,
    to_points,
)
from funnelkit.rules._meta import Limits, check_limits
from funnelkit.rules._signals import SignalAgg
from funnelkit.rules._tables import DecisionTable
from funnelkit.rules._truth import Truth

__all__ = ["CompiledRule", "compile_rule"]

T, F_, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
Fn = Callable[[Lead, dict[str, Any]], Any]


def _getter(node: Field) -> Callable[[Lead], Any]:
    parts = node.parts
    unknown = None
    if node.info.enum is not None and "UNKNOWN" in node.info.enum.__members__:
        unknown = node.info.enum["UNKNOWN"]
    if parts[0] == "custom" and len(parts) == 2:  # fixed: F.custom alone raised IndexError
        name = parts[1]
        return lambda lead: lead.custom.get(name)
    get = attrgetter(".".join(parts))
    if len(parts) == 1:
        raw: Callable[[Lead], Any] = get
    else:

        def raw(lead: Lead) -> Any:
            try:
                return get(lead)
            except AttributeError:  # an optional object on the way is None
                return None

    if unknown is None:
        return raw

    def known(lead: Lead) -> Any:
        value = raw(lead)
        return None if value is unknown else value

    return known


def _type_error(node: Expr, value: object) -> RuleEvaluationError:
    return RuleEvaluationError(f"{node!r} cannot use {value!r} ({type(value).__name__})")


class _Compiler:
    def __init__(self, as_of: datetime) -> None:
        self.as_of = as_of

    def c(self, node: Expr) -> Fn:
        if isinstance(node, Field):
            get = _getter(node)
            return lambda lead, env: get(lead)
        if isinstance(node, Literal):
            value = node.value
            return lambda lead, env: value
        if isinstance(node, nd.Const):
            const = T if node.value else F_
            return lambda lead, env: const
        if isinstance(node, nd.Compare):
            return self._compare(node)
        if isinstance(node, nd.IsIn) and isinstance(node.operand, Field):
            get, values = _getter(node.operand), node.values

            def isin(lead: Lead, env: dict[str, Any]) -> Truth:
                value = get(lead)
                if value is None:
                    return U
                return T if value in values else F_

            return isin
        if isinstance(node, nd.Between) and _plain_bounds(node):
            return self._between(node)
        if isinstance(node, nd.Contains | nd.Overlaps) and isinstance(node.operand, Field):
            get = _getter(node.operand)
            if isinstance(node, nd.Contains):
                item = node.item

                def contains(lead: Lead, env: dict[str, Any]) -> Truth:
                    value = get(lead)
                    if value is None:
                        return U
                    return T if item in value else F_

                return contains
            items = node.items

            def overlaps(lead: Lead, env: dict[str, Any]) -> Truth:
                value = get(lead)
                if value is None:
                    return U
                return F_ if items.isdisjoint(value) else T

            return overlaps
        if isinstance(node, nd.All):
            return self._all(node)
        if isinstance(node, nd.Any):
            return self._any(node)
        if isinstance(node, nd.Not):
            inner = self.c(node.operand)
            flip = {T: F_, F_: T, U: U}
            return lambda lead, env: flip[inner(lead, env)]
        if isinstance(node, nd.IsMissing):
            inner = self.c(node.operand)
            return lambda lead, env: T if inner(lead, env) is None else F_
        if isinstance(node, SignalAgg):
            return self._signals(node)
        if isinstance(node, sc.Points):
            when, pts = self.c(node.when), node.points
            return lambda lead, env: pts if when(lead, env) is T else 0
        if isinstance(node, sc.Score):
            return self._score(node)
        if isinstance(node, nm.Named):
            return self.c(node.expr)
        if isinstance(node, nm.Ref):
            name = node.name
            return lambda lead, env: env[name]
        if isinstance(node, nm.RuleSet):
            return self._rule_set(node)
        if isinstance(node, DecisionTable) and node.hit_policy == "first":
            return self._first_table(node)
        return self._fallback(node)

    # -- fused shapes ---------------------------------------------------------------------
    def _compare(self, node: nd.Compare) -> Fn:
        op = COMPARE[node.op]
        money = "money" in (node.left.value_kind(), node.right.value_kind())
        if (
            isinstance(node.left, Field)
            and isinstance(node.right, Literal)
            and node.right.value is not None  # fixed: `== None` gave FALSE, not UNKNOWN
            and not money
        ):
            get, const = _getter(node.left), node.right.value

            def field_vs_const(lead: Lead, env: dict[str, Any]) -> Truth:
                value = get(lead)
                if value is None:
                    return U
                try:
                    return T if op(value, const) else F_
                except TypeError:
                    raise _type_error(node, value) from None

            return field_vs_const
        left, right, name = self.c(node.left), self.c(node.right), node.op

        def generic(lead: Lead, env: dict[str, Any]) -> Truth:
            a, b = left(lead, env), right(lead, env)
            if a is None or b is None:
                return U
            result: Truth = compare(name, a, b)
            return result

        return generic

    def _between(self, node: nd.Between) -> Fn:
        operand = self.c(node.operand)
        low, high = node.low.value, node.high.value  # type: ignore[attr-defined]

        def between(lead: Lead, env: dict[str, Any]) -> Truth:
            value = operand(lead, env)
            if value is None:
                return U
            try:
                return T if low <= value <= high else F_
            except TypeError:
                raise _type_error(node, value) from None

        return between

    def _all(self, node: nd.All) -> Fn:
        items = tuple(self.c(i) for i in node.items)

        def all_of(lead: Lead, env: dict[str, Any]) -> Truth:
            result = T
            for item in items:
                outcome = item(lead, env)
                if outcome is F_:
                    return Truth.FALSE
                if outcome is U:
                    result = U
            return result

        return all_of

    def _any(self, node: nd.Any) -> Fn:
        items = tuple(self.c(i) for i in node.items)

        def any_of(lead: Lead, env: dict[str, Any]) -> Truth:
            result = F_
            for item in items:
                outcome = item(lead, env)
                if outcome is T:
                    return Truth.TRUE
                if outcome is U:
                    result = U
            return result

        return any_of

    def _signals(self, node: SignalAgg) -> Fn:
        as_of = self.as_of
        if node.agg != "count":
            return lambda lead, env: signal_agg(node, lead, as_of)
        key = f"#signals:{node.within_days}:{node.explicit}"
        window = None if node.within_days is None else timedelta(days=node.within_days)
        explicit, kinds, limit = node.explicit, tuple(node.kinds), node.limit
        zero = timedelta(0)

        def counts_for(lead: Lead) -> dict[str, int]:
            counts: dict[str, int] = {}
            for s in lead.signals:
                if explicit is not None and s.explicit is not explicit:
                    continue
                age = as_of - s.occurred_at
                if age < zero or (window is not None and age > window):
                    continue
                counts[s.kind] = counts.get(s.kind, 0) + 1
            return counts

        def count(lead: Lead, env: dict[str, Any]) -> int:
            counts = env.get(key)
            if counts is None:
                counts = env[key] = counts_for(lead)
            n = sum(counts.get(k, 0) for k in kinds) if kinds else sum(counts.values())
            return n if limit is None or n < limit else limit

        return count

    def _score(self, node: sc.Score) -> Fn:
        normal = (sc.Points, sc.Per, sc.Score)
        items = tuple((self.c(i), isinstance(i, normal)) for i in node.items)
        cap, floor = node.cap, node.floor

        def total(lead: Lead, env: dict[str, Any]) -> int | Decimal:
            acc: int | Decimal = 0
            for item, is_points in items:
                value = item(lead, env)
                if value is not None:
                    acc += value if is_points else to_points(value)
            if floor is not None and acc < floor:
                acc = floor
            if cap is not None and acc > cap:
                acc = cap
            return acc

        return total

    def _rule_set(self, node: nm.RuleSet) -> Fn:
        outputs = tuple((name, self.c(expr)) for name, expr in node.outputs)

        def run(lead: Lead, env: dict[str, Any]) -> dict[str, Any]:
            for name, fn in outputs:
                env[name] = fn(lead, env)
            return {name: env[name] for name, _ in outputs}

        return run

    def _first_table(self, node: DecisionTable) -> Fn:
        rows = tuple((self.c(w), self.c(t)) for w, t in node.rows)
        default = None if node.default is None else self.c(node.default)

        def first(lead: Lead, env: dict[str, Any]) -> Any:
            for when, then in rows:
                if when(lead, env) is T:
                    return then(lead, env)
            return None if default is None else default(lead, env)

        return first

    def _fallback(self, node: Expr) -> Fn:
        """Nodes without a fused form evaluate their own logic over compiled children."""
        kids = tuple(self.c(child) for child in node.children())
        as_of = self.as_of
        return _GENERIC[type(node)](node, kids, as_of)


def _plain_bounds(node: nd.Between) -> bool:
    if not (isinstance(node.low, Literal) and isinstance(node.high, Literal)):
        return False
    if node.low.value is None or node.high.value is None:  # fixed: a None bound is missing
        return False
    return "money" not in (node.operand.value_kind(), node.low.value_kind())


def _g_between(node: nd.Between, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
    v, lo, hi = kids

    def run(lead: Lead, env: dict[str, Any]) -> Truth:
        a, b, c = v(lead, env), lo(lead, env), hi(lead, env)
        if a is None or b is None or c is None:
            return U
        result: Truth = compare(">=", a, b) & compare("<=", a, c)
        return result

    return run


def _g_text(node: nd.TextTest | nd.Matches, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
    (inner,) = kids
    if isinstance(node, nd.Matches):
        pattern = re.compile(node.pattern)
        test: Callable[[str], bool] = lambda s: pattern.search(s) is not None  # noqa: E731
    elif node.op == "icontains":
        part = node.arg.casefold()
        test = lambda s: part in s.casefold()  # noqa: E731
    else:
        method, arg = node.op, node.arg
        test = lambda s: getattr(s, method)(arg)  # noqa: E731

    def run(lead: Lead, env: dict[str, Any]) -> Truth:
        value = inner(lead, env)
        if value is None:
            return U
        if not isinstance(value, str):
            raise _type_error(node, value)
        return T if test(value) else F_

    return run


def _g_simple(kind: str) -> Callable[[Any, tuple[Fn, ...], datetime], Fn]:
    def make(node: Any, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
        if kind == "in":
            (inner,) = kids
            return lambda lead, env: _missing_or(
                inner(lead, env), lambda v: T if v in node.values else F_
            )
        if kind == "contains":
            (inner,) = kids
            return lambda lead, env: _missing_or(
                inner(lead, env), lambda v: T if node.item in v else F_
            )
        if kind == "overlaps":
            (inner,) = kids
            return lambda lead, env: _missing_or(
                inner(lead, env), lambda v: F_ if node.items.isdisjoint(v) else T
            )
        if kind == "arith":
            left, right = kids
            return lambda lead, env: _both(
                left(lead, env), right(lead, env), lambda a, b: arith(node.op, a, b)
            )
        if kind == "func":
            return lambda lead, env: _all_present(
                [k(lead, env) for k in kids], lambda a: func(node.name, a)
            )
        if kind == "size":
            (inner,) = kids
            return lambda lead, env: _size(inner(lead, env))
        if kind == "days":
            (inner,) = kids
            return lambda lead, env: _missing_or(
                inner(lead, env), lambda v: days_from(v, node.direction, as_of), missing=None
            )
        raise AssertionError(kind)  # pragma: no cover

    return make


def _missing_or(value: Any, then: Callable[[Any], Any], missing: Any = U) -> Any:
    return missing if value is None else then(value)


def _both(a: Any, b: Any, then: Callable[[Any, Any], Any]) -> Any:
    return None if a is None or b is None else then(a, b)


def _all_present(values: list[Any], then: Callable[[list[Any]], Any]) -> Any:
    return None if any(v is None for v in values) else then(values)


def _size(value: Any) -> int:
    return 0 if value is None else len(value)


def _g_at_least(node: nd.AtLeast, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
    n = node.n

    def run(lead: Lead, env: dict[str, Any]) -> Truth:
        true = unknown = 0
        for kid in kids:
            outcome = kid(lead, env)
            if outcome is T:
                true += 1
            elif outcome is U:
                unknown += 1
        if true >= n:
            return T
        return F_ if true + unknown < n else U

    return run


def _g_per(node: sc.Per, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
    (inner,) = kids
    weight = node.weight

    def run(lead: Lead, env: dict[str, Any]) -> int | Decimal:
        value = inner(lead, env)
        return 0 if value is None else per_points(value, weight)

    return run


def _interpreted(node: Expr, kids: tuple[Fn, ...], as_of: datetime) -> Fn:
    """Grades, non-first tables and custom rules run through the reference interpreter."""
    from funnelkit.rules._interpret import Interpreter

    def run(lead: Lead, env: dict[str, Any]) -> Any:
        interpreter = Interpreter(lead, as_of)
        interpreter.env = env
        return interpreter.eval(node)

    return run


_GENERIC: dict[type, Callable[[Any, tuple[Fn, ...], datetime], Fn]] = {
    nd.Between: _g_between,
    nd.TextTest: _g_text,
    nd.Matches: _g_text,
    nd.IsIn: _g_simple("in"),
    nd.Contains: _g_simple("contains"),
    nd.Overlaps: _g_simple("overlaps"),
    nd.Arith: _g_simple("arith"),
    nd.Func: _g_simple("func"),
    nd.Size: _g_simple("size"),
    nd.DaysFrom: _g_simple("days"),
    nd.AtLeast: _g_at_least,
    sc.Per: _g_per,
    sc.Grade: _interpreted,
    DecisionTable: _interpreted,
    nm.Custom: _interpreted,
}


class CompiledRule:
    """A rule compiled for fast evaluation, one lead at a time.

    Call it like the interpreter: ``compiled(lead, as_of=...)``. For a batch at one
    instant, ``compiled.at(as_of)`` returns a plain ``lead -> result`` function.
    """

    __slots__ = ("_cache", "rule")

    def __init__(self, rule: Expr, *, limits: Limits | None = None) -> None:
        check_limits(rule, limits or Limits())
        self.rule = rule
        self._cache: dict[datetime, Callable[[Lead], Any]] = {}

    def at(self, as_of: datetime) -> Callable[[Lead], Any]:
        """The evaluator specialised for one ``as_of`` (cached for a few instants)."""
        fn = self._cache.get(as_of)
        if fn is None:
            check_as_of(as_of)
            compiled = _Compiler(as_of).c(self.rule)

            def fn(lead: Lead) -> Any:
                return compiled(lead, {})

            if len(self._cache) >= 8:
                # fixed: threads evicting at once raised KeyError (or a changed-size error)
                with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                    self._cache.pop(next(iter(self._cache)))
            self._cache[as_of] = fn
        return fn

    def __call__(self, lead: Lead, *, as_of: datetime) -> Any:
        return self.at(as_of)(lead)

    def __repr__(self) -> str:
        return f"compile_rule({self.rule!r})"


def compile_rule(rule: Expr, *, limits: Limits | None = None) -> CompiledRule:
    """Compile a rule into a fast evaluator that agrees exactly with ``evaluate``.

    Args:
        rule: Any rule node.
        limits: Depth and size bounds (defaults apply).

    Returns:
        A CompiledRule.

    Example:
        >>> from datetime import UTC, datetime
        >>> from funnelkit.model import Company, Lead
        >>> from funnelkit.rules import F
        >>> fits = compile_rule(F.company.employees.between(50, 5000))
        >>> fits(Lead(company=Company(employees=50)), as_of=datetime.now(UTC))
        <Truth.TRUE: 'true'>
    """
    return CompiledRule(rule, limits=limits)
