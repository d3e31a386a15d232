"""Calls in the condition syntax: signal aggregations, functions, scores, named rules."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from funnelkit.model import Money
from funnelkit.rules import tree as tr
from funnelkit.rules.syntax._cursor import (
    Part,
    float_context,
    literal_value,
)
from funnelkit.rules.syntax._lexer import FUNCTIONS, Token
from funnelkit.rules.syntax._parse_forms import number, whole
from funnelkit.rules.tree import (
    Expr,
    Literal,
    SignalQuery,
    check_gap,
    grade,
    ref,
    registered_names,
    registered_rule,
    rule,
    rule_set,
    score,
    signals,
)

if TYPE_CHECKING:
    from funnelkit.rules.syntax._parser import Parser

__all__ = ["call"]

Option = Callable[["Parser", Token], Any]


def _arguments(
    p: Parser,
    name: Token,
    positional: Callable[[int], Any],
    options: Mapping[str, Option] | None = None,
) -> tuple[list[Any], dict[str, Any], int]:
    options = options or {}
    open_ = p.expect_op("(")
    args: list[Any] = []
    opts: dict[str, Any] = {}
    with p.nested(open_):
        while not p.at_op(")"):
            tok = p.peek()
            word = tok.word() or ""
            if word in options and not p.at_op("(", ":", ahead=1):
                p.next()
                if word in opts:
                    raise p.error(f"{word!r} is given twice", tok.start, tok.end)
                opts[word] = options[word](p, tok)
            else:
                args.append(positional(len(args)))
            p.check_count(len(args) + len(opts), tok)
            if not p.accept_op(","):
                break
        close = p.expect_op(")", "',' or ')'", words=tuple(options))
    return args, opts, close.end


def _string_option(p: Parser, tok: Token) -> str:
    return str(p.expect_string(f"text in quotes after {tok.text!r}").value)


def _number_option(p: Parser, tok: Token) -> object:
    return number(p, p.unary(), repr(tok.text))


def _whole_option(p: Parser, tok: Token) -> int:
    return whole(p, p.unary(), repr(tok.text))


def _bool_option(p: Parser, tok: Token) -> bool:
    part = p.unary()
    if not (isinstance(part.node, Literal) and isinstance(part.node.value, bool)):
        raise p.error(f"expected true or false after {tok.text!r}", part.start, part.end)
    return part.node.value


def _query(p: Parser) -> SignalQuery:
    """``signals [where kind = "..." and explicit = true] [within N days]``."""
    start = p.peek()
    if start.word() != "signals":
        raise p.unexpected('a signal query such as signals where kind = "demo_request"')
    p.next()
    kinds: object = None
    explicit: bool | None = None
    within: int | None = None
    if p.accept_word("where"):
        seen: set[str] = set()
        while p.peek().word() != "within":
            tok = p.next()
            word = tok.word()
            if word not in ("kind", "explicit"):
                raise p.unexpected("'kind', 'explicit' or 'within'", tok, ("kind", "explicit"))
            if word in seen:
                raise p.error(f"{word!r} is given twice", tok.start, tok.end)
            seen.add(word)
            if word == "explicit":
                if not p.at_op("=", "=="):
                    raise p.unexpected("'=' after 'explicit'")
                explicit = _bool_option(p, p.next())
            elif p.at_op("=", "=="):
                p.next()
                kinds = p.expect_string("a signal kind in quotes").value
            elif p.accept_word("in"):
                items, _ = p.value_list()
                kinds = [literal_value(item) for item in items]
            else:
                raise p.unexpected("'=' or 'in' after 'kind'")
            if p.accept_word("and") is None:
                break
    if p.accept_word("within"):
        within = whole(p, p.unary(), "'within'")
        p.expect_word("days", "'days'")
    end = p.previous() or start
    return p.build(
        lambda: signals(kinds, within=within, explicit=explicit),  # type: ignore[arg-type]
        start.start,
        end.end,
    )


def _aggregate(agg: str) -> Callable[[Parser, Token], Part]:
    def parse(p: Parser, name: Token) -> Part:
        def positional(index: int) -> SignalQuery:
            if index:
                raise p.unexpected("')'")
            return _query(p)

        options: dict[str, Option] = {}
        if agg == "count":
            options["limit"] = _whole_option
        if agg == "decayed":
            options["half_life"] = _days
        options["min_gap"] = _min_gap
        args, opts, end = _arguments(p, name, positional, options)
        if not args:
            raise p.error(f"{agg} needs a signal query: {agg}(signals where ...)", name.start, end)
        query: SignalQuery = args[0]

        def make() -> Expr:
            gap = opts.get("min_gap")
            if gap is not None and agg not in ("count", "decayed"):
                raise ValueError(f"min_gap applies to count and decayed, not {agg}")
            if agg == "count":
                return query.count(limit=opts.get("limit"), min_gap_days=gap)
            if agg == "exists":
                return query.exists()
            if agg == "decayed":
                if "half_life" not in opts:
                    raise ValueError(
                        "decayed needs a half-life: decayed(signals where ..., half_life 14 days)"
                    )
                return query.decayed(half_life_days=float(opts["half_life"]), min_gap_days=gap)
            return query.latest() if agg == "latest" else query.sum()

        return Part(p.build(make, name.start, end), name.start, end)

    return parse


def _min_gap(p: Parser, tok: Token) -> float | None:
    """``min_gap N days``: N checked where it stands (a decimal number is read as a float)."""
    start = p.peek().start
    value = _days(p, tok)
    end = (p.previous() or tok).end
    gap = float(value) if isinstance(value, str | Decimal) else value
    return p.build(lambda: check_gap(gap), start, end)


def _days(p: Parser, tok: Token) -> object:
    """``N days`` after an option word; a plain decimal number is returned as its text."""
    part = p.unary()
    value = number(p, part, repr(tok.text))
    p.expect_word("days", "'days'")
    return part.plain if part.plain is not None else value


def _values(p: Parser, name: Token, count: int | None = None) -> tuple[list[Expr], int]:
    """Value arguments, plain decimals read as floats next to a float-valued one."""
    args, _, end = _arguments(p, name, lambda _i: p.expression())
    fname = name.text.lower()
    if not args or (count is not None and len(args) != count):
        wanted = "one value" if count == 1 else f"{count} values" if count else "one value or more"
        raise p.error(f"{fname} takes {wanted}: {fname}(...)", name.start, end)
    partner = next((a.node for a in args if float_context(a.node)), None)
    return [p.resolve(a, partner) for a in args], end


def _value_function(make: Callable[[list[Expr]], Expr], count: int | None) -> Callable[..., Part]:
    def parse(p: Parser, name: Token) -> Part:
        nodes, end = _values(p, name, count)
        return Part(p.build(lambda: make(nodes), name.start, end), name.start, end)

    return parse


def _literal_function(fname: str) -> Callable[[Parser, Token], Part]:
    def parse(p: Parser, name: Token) -> Part:
        args, _, end = _arguments(p, name, lambda _i: p.unary())
        wanted = 2 if fname == "money" else 1
        if len(args) != wanted or not all(isinstance(a.node, Literal) for a in args):
            form = 'money(10000, "USD")' if fname == "money" else f'{fname}(0.5) or {fname}("inf")'
            raise p.error(f"{fname} takes plain values, as in {form}", name.start, end)
        first: Part = args[0]
        value = first.plain if first.plain is not None else literal_value(first)

        def make() -> Expr:
            if fname == "money":
                currency = literal_value(args[1])
                return Literal(Money(amount=value, currency=currency))  # type: ignore[arg-type]
            if isinstance(value, bool):
                raise ValueError(f"{fname} takes a number or text, got {value!r}")
            made = float(value) if fname == "float" else Decimal(value)  # type: ignore[arg-type]
            number = Decimal(made)
            if not p.limits.finite_numbers:
                return Literal(made)
            if number.is_nan():
                raise ValueError(f"{fname} takes a number, 'inf' or '-inf', not {value!r}")
            return Literal(made)

        return Part(p.build(make, name.start, end), name.start, end)

    return parse


def _score(p: Parser, name: Token) -> Part:
    options = {"cap": _number_option, "floor": _number_option, "name": _string_option}
    args, opts, end = _arguments(p, name, lambda _i: p.expression(), options)
    items = [a.node for a in args]
    node = p.build(lambda: score(*items, **opts), name.start, end)
    return Part(node, name.start, end)


def _grade(p: Parser, name: Token) -> Part:
    bands: dict[str, object] = {}

    def positional(index: int) -> Part | None:
        if index == 0:
            return p.expression()
        label = p.expect_string('a band such as "A" from 80')
        if str(label.value) in bands:
            raise p.error(f"band {label.value!r} is given twice", label.start, label.end)
        p.expect_word("from", "'from' and the band's lowest score")
        bands[str(label.value)] = number(p, p.unary(), "'from'")
        return None

    args, opts, end = _arguments(p, name, positional, {"default": _string_option})
    if not args or "default" not in opts:
        raise p.error(
            'grade takes a score, bands and a default: grade(x, "A" from 80, default "C")',
            name.start,
            end,
        )
    value = args[0].node
    node = p.build(lambda: grade(value, bands, default=opts["default"]), name.start, end)  # type: ignore[arg-type]
    return Part(node, name.start, end)


def _rule(p: Parser, name: Token) -> Part:
    def positional(index: int) -> Any:
        if index == 0:
            return p.expect_string("the rule's name in quotes").value
        return p.expression()

    args, opts, end = _arguments(p, name, positional, {"description": _string_option})
    if len(args) != 2:
        raise p.error('rule takes a name and a rule: rule("enterprise", ...)', name.start, end)
    node = p.build(lambda: rule(args[0], args[1].node, **opts), name.start, end)
    return Part(node, name.start, end)


def _rule_set(p: Parser, name: Token) -> Part:
    env: dict[str, Expr] = {}

    def positional(_index: int) -> None:
        tok = p.next()
        if tok.kind not in ("name", "string") or (tok.kind == "name" and "." in tok.text):
            raise p.unexpected("an output name", tok)
        key = str(tok.value)
        if key in env:
            raise p.error(f"output {key!r} is given twice", tok.start, tok.end)
        p.expect_op(":", "':' and the output's rule")
        env[key] = p.expression().node

    p.envs.append(env)
    try:
        _, _, end = _arguments(p, name, positional)
    finally:
        p.envs.pop()
    node = p.build(lambda: rule_set(**env), name.start, end)
    return Part(node, name.start, end)


def _ref(p: Parser, name: Token) -> Part:
    def positional(index: int) -> Token:
        if index:
            raise p.unexpected("')'")
        return p.expect_string("the output's name in quotes")

    options = {"kind": _string_option, "condition": _bool_option}
    args, opts, end = _arguments(p, name, positional, options)
    if not args:
        raise p.error('ref takes an output name: ref("fit")', name.start, end)
    target = str(args[0].value)
    env = p.envs[-1]
    kind, condition = "any", False
    if env is not None:
        if target not in env:
            close = difflib.get_close_matches(target, list(env), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {sorted(env)}"
            raise p.error(
                f"no output named {target!r} before this one{hint}", args[0].start, args[0].end
            )
        kind, condition = env[target].value_kind(), env[target].is_condition
    node = p.build(
        lambda: ref(
            target, kind=opts.get("kind", kind), condition=opts.get("condition", condition)
        ),
        name.start,
        end,
    )
    return Part(node, name.start, end)


def _custom(p: Parser, name: Token) -> Part:
    args, _, end = _arguments(p, name, lambda _i: p.expect_string("a custom rule's name"))
    if len(args) != 1:
        raise p.error('custom takes a registered name: custom("my rule")', name.start, end)
    return _registered(p, str(args[0].value), args[0].start, args[0].end, name.start, end)


def _registered(p: Parser, key: str, start: int, stop: int, call_start: int, end: int) -> Part:
    if key not in registered_names():
        known = [*sorted(FUNCTIONS), *registered_names()]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise p.error(f"unknown function or custom rule {key!r}{hint}", start, stop)
    return Part(registered_rule(key), call_start, end)


_FUNCTIONS: dict[str, Callable[[Parser, Token], Part]] = {
    **{agg: _aggregate(agg) for agg in ("count", "exists", "latest", "sum", "decayed")},
    "size": _value_function(lambda xs: xs[0].size(), 1),
    "age_days": _value_function(lambda xs: xs[0].age_days(), 1),
    "days_until": _value_function(lambda xs: xs[0].days_until(), 1),
    "min": _value_function(lambda xs: tr.minimum(*xs), None),
    "max": _value_function(lambda xs: tr.maximum(*xs), None),
    "clip": _value_function(lambda xs: xs[0].clip(xs[1], xs[2]), 3),
    "money": _literal_function("money"),
    "float": _literal_function("float"),
    "decimal": _literal_function("decimal"),
    "score": _score,
    "grade": _grade,
    "rule": _rule,
    "rule_set": _rule_set,
    "ref": _ref,
    "custom": _custom,
}


def call(p: Parser, name: Token) -> Part:
    """A call ``name(...)``: a built-in function or a registered custom rule."""
    handler = _FUNCTIONS.get(name.text.lower())
    if handler is not None:
        return handler(p, name)
    if name.text in registered_names():
        args, _, end = _arguments(p, name, lambda _i: p.expression())
        if args:
            raise p.error(
                f"custom rule {name.text!r} takes no arguments here: its inputs are fixed "
                "when it is registered",
                name.start,
                end,
            )
        return _registered(p, name.text, name.start, name.end, name.start, end)
    return _registered(p, name.text, name.start, name.end, name.start, name.end)
