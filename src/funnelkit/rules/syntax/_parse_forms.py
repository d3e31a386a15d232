"""The condition syntax's compound forms: predicates, points items, ``case``, ``at least``."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from funnelkit.rules import tree as tr
from funnelkit.rules.syntax._cursor import COMPARISONS, Part, literal_value
from funnelkit.rules.tree import (
    HIT_POLICIES,
    Expr,
    Literal,
    check_pattern,
    decision_table,
    per,
    points,
)

if TYPE_CHECKING:
    from funnelkit.rules.syntax._parser import Parser

__all__ = ["predicate_tail", "points_item", "case", "at_least", "whole", "number"]


def whole(p: Parser, part: Part, where: str) -> int:
    """The whole number a literal part holds, or an error naming what came before."""
    value = part.node.value if isinstance(part.node, Literal) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise p.error(
            f"expected a whole number after {where}, got {p.snippet(part)!r}", part.start, part.end
        )
    return value


def number(p: Parser, part: Part, where: str) -> object:
    """The number a literal part holds, or an error naming what came before."""
    value = part.node.value if isinstance(part.node, Literal) else None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise p.error(
            f"expected a number after {where}, got {p.snippet(part)!r}", part.start, part.end
        )
    return value


def _compare(p: Parser, op: str, left: Part, right: Part) -> Part:
    lnode, rnode = p.resolve(left, right.node), p.resolve(right, left.node)
    literals = [x for x in (left, right) if isinstance(x.node, Literal)]
    start, end = (
        (literals[0].start, literals[0].end) if len(literals) == 1 else (left.start, right.end)
    )
    node = p.build(lambda: tr.Compare.build(op, lnode, rnode), start, end)
    return Part(node, left.start, right.end)


def _check_item(p: Parser, operand: Expr, value: object, item: Part) -> None:
    p.build(lambda: tr.IsIn.build(operand, [value]), item.start, item.end)


def _isin(p: Parser, left: Part) -> Part:
    items, end = p.value_list()
    values = [literal_value(item, left.node) for item in items]
    for item, value in zip(items, values, strict=True):
        _check_item(p, left.node, value, item)
    node = p.build(lambda: tr.IsIn.build(left.node, values), left.start, end)
    return Part(node, left.start, end)


def predicate_tail(p: Parser, left: Part) -> Part:
    """The operator after ``left`` and its right side (the cursor is at the operator)."""
    tok = p.next()
    word = tok.word()
    if tok.kind == "op":
        return _compare(p, COMPARISONS[tok.text], left, p.sum())
    if word in ("before", "after"):
        return _compare(p, "<" if word == "before" else ">", left, p.sum())
    if word in ("in", "not"):
        if word == "not":
            p.next()
        part = _isin(p, left)
        if word == "not":
            part = Part(tr.not_(part.node), part.start, part.end)
        return part
    if word == "between":
        low = p.sum()
        p.expect_word("and", "'and' between the two ends")
        high = p.sum()
        operand = p.resolve(left, low.node)
        lo, hi = p.resolve(low, left.node), p.resolve(high, left.node)
        node: Expr = p.build(lambda: tr.Between.build(operand, lo, hi), left.start, high.end)
        return Part(node, left.start, high.end)
    if word == "contains":
        if p.peek().word() == "any" and p.peek(1).word() == "of":
            p.next()
            p.next()
            items, end = p.value_list()
            values = [literal_value(i, left.node) for i in items]
            node = p.build(lambda: tr.Overlaps.build(left.node, values), left.start, end)
            return Part(node, left.start, end)
        item = p.sum()
        if not isinstance(item.node, Literal):
            raise p.error(
                f'contains takes a plain value such as "a", got {p.snippet(item)!r}',
                item.start,
                item.end,
            )
        value = literal_value(item, left.node)
        node = p.build(lambda: tr.Contains.build(left.node, value), left.start, item.end)
        return Part(node, left.start, item.end)
    if word in ("startswith", "endswith", "icontains", "matches"):
        arg = p.expect_string(f"text in quotes after {word!r}")
        pattern = str(arg.value)
        if word == "matches":
            p.build(lambda: check_pattern(pattern), arg.start, arg.end)
            node = p.build(lambda: tr.Matches.build(left.node, pattern), left.start, arg.end)
        else:
            node = p.build(
                lambda: tr.TextTest.build(str(word), left.node, pattern), left.start, arg.end
            )
        return Part(node, left.start, arg.end)
    if word == "is":
        negated = p.accept_word("not") is not None
        which = p.peek().word()
        if which not in ("missing", "present"):
            raise p.unexpected("'missing' or 'present'", words=("missing", "present"))
        last = p.next()
        missing = (which == "missing") != negated
        node = left.node.is_missing() if missing else left.node.is_present()
        return Part(node, left.start, last.end)
    # within
    days = whole(p, p.unary(), "'within'")
    last = p.expect_word("days", "'days'")
    node = p.build(lambda: left.node.within(days=days), left.start, last.end)
    return Part(node, left.start, last.end)


def _label(p: Parser) -> str | None:
    if p.accept_word("label") is None:
        return None
    return str(p.expect_string("the label in quotes").value)


def points_item(p: Parser) -> Part:
    """``N points when <condition> [label "..."]`` or ``N points per <value> [label "..."]``."""
    first = p.peek()
    amount = number(p, p.unary(), "the start")
    p.next()  # points
    if p.accept_word("when"):
        cond = p.disjunction()
        when = p.condition(cond, "'when'")
        label = _label(p)
        end = p.previous() or first
        node: Expr = p.build(
            lambda: points(amount, when=when, label=label),  # type: ignore[arg-type]
            first.start,
            end.end,
        )
    elif p.accept_word("per"):
        value = p.disjunction()
        label = _label(p)
        end = p.previous() or first
        node = p.build(lambda: per(amount, value.node, label=label), first.start, end.end)  # type: ignore[arg-type]
    else:
        raise p.unexpected("'when' (points for a condition) or 'per' (points per unit)")
    return Part(node, first.start, end.end)


def case(p: Parser) -> Part:
    """``case [policy] when C then V ... [else V] end``: a decision table."""
    start = p.next()
    rows: list[tuple[Expr, Part, int]] = []
    default: Part | None = None
    with p.nested(start):
        policy = "first"
        word = p.peek().word()
        if word in HIT_POLICIES:
            p.next()
            policy = str(word)
        while p.peek().word() == "when":
            tok = p.next()
            cond = p.disjunction()
            when = p.condition(cond, "'when'")
            p.expect_word("then", "'then' and the row's result")
            rows.append((when, p.disjunction(), tok.start))
            p.check_count(len(rows), tok)
        if not rows:
            raise p.unexpected("'when', or a hit policy and 'when'", words=(*HIT_POLICIES, "when"))
        if p.accept_word("else"):
            default = p.disjunction()
        end = p.expect_word("end", "'when', 'else' or 'end'")
    for when, then, row_start in rows:
        _check_row(p, when, then, row_start, policy)
    table = [(when, then.node) for when, then, _ in rows]
    fallback = None if default is None else default.node
    node = p.build(
        lambda: decision_table(table, hit_policy=policy, default=fallback), start.start, end.end
    )
    return Part(node, start.start, end.end)


def _check_row(p: Parser, when: Expr, then: Part, start: int, policy: str) -> None:
    p.build(lambda: decision_table([(when, then.node)], hit_policy=policy), start, then.end)


def at_least(p: Parser) -> Part:
    """``at least N of (C, C, ...)``."""
    at = p.next()
    p.next()  # least
    count = whole(p, p.unary(), "'at least'")
    p.expect_word("of", "'of'")
    items: list[Part] = []
    with p.nested(at):
        p.expect_op("(", "'(' and the conditions")
        while not p.at_op(")"):
            items.append(p.expression())
            p.check_count(len(items), p.peek())
            if not p.accept_op(","):
                break
        close = p.expect_op(")", "',' or ')'")
    conds = [p.condition(item, "'at least'") for item in items]
    node = p.build(lambda: tr.at_least(count, *conds), at.start, close.end)
    return Part(node, at.start, close.end)
