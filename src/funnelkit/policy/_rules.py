"""Parsing a document's rule texts: located errors, refs checked, definitions ordered.

Each rule text is parsed twice when it refers to other outputs: once with the outputs
defined before it (``refs=``), which checks that every ``ref("name")`` exists and that
its kind fits (``ref("fit") = "A"`` is refused), and once as written, which gives the
tree the Python API builds from the same words (``ref("fit") >= 50`` is
``ref("fit") >= 50``, not a ref narrowed to the kind of ``fit``), so that a policy
dumped and loaded again is structurally equal to the original.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from funnelkit.policy._check import Checker
from funnelkit.policy._read_frameworks import SKIPPED
from funnelkit.policy._source import Path, relocate
from funnelkit.qualify import NOT_NUMBER_KINDS, type_problems
from funnelkit.qualify import RESERVED_OUTPUTS as RESERVED
from funnelkit.rules import ConditionSyntaxError, Expr, parse_condition, parse_rule

__all__ = ["RuleReader", "refs_in", "order_definitions"]

_SCAN = re.compile(
    r"""(?P<string>[rR]?(?P<q>["'])(?:\\.|(?!(?P=q))[^\\\n])*(?P=q))"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?<![\w.])ref\s*\(\s*(?P<rq>["'])(?P<name>[^"'\\\n]*)(?P=rq)""",
    re.IGNORECASE,
)


_NOT_NUMBERS = NOT_NUMBER_KINDS


def refs_in(text: str) -> set[str]:
    """The names a rule text refers to with ``ref("name")`` (strings and comments skipped)."""
    return {m.group("name") for m in _SCAN.finditer(text) if m.group("name") is not None}


def order_definitions(
    definitions: tuple[tuple[str, str], ...],
) -> tuple[list[str], list[list[str]]]:
    """Order definitions so each comes after those it refers to, keeping file order.

    Returns:
        The names in a valid order (those in or behind a cycle left out), and each cycle
        found, as a list of names starting and ending with the same name.
    """
    texts = dict(definitions)
    needs = {name: refs_in(text) & texts.keys() for name, text in definitions}
    done: list[str] = []
    placed: set[str] = set()
    progress = True
    while progress:
        progress = False
        for name in texts:
            if name not in placed and needs[name] <= placed:
                done.append(name)
                placed.add(name)
                progress = True
                break
    cycles: list[list[str]] = []
    in_cycle: set[str] = set()
    for start in texts:
        if start in placed or start in in_cycle:
            continue
        cycle = _find_cycle(start, needs, placed)
        if cycle and not in_cycle.intersection(cycle):
            cycles.append(cycle)
            in_cycle.update(cycle)
    return done, cycles


def _find_cycle(start: str, needs: Mapping[str, set[str]], placed: set[str]) -> list[str]:
    """A cycle reachable from ``start`` among the unplaced definitions (depth-first)."""
    stack: list[str] = [start]
    seen: set[str] = set()
    while True:
        node = stack[-1]
        seen.add(node)
        nxt = next((n for n in sorted(needs[node] - placed) if n in stack or n not in seen), None)
        if nxt is None:
            return []
        if nxt in stack:
            return [*stack[stack.index(nxt) :], nxt]
        stack.append(nxt)


_UNKNOWN_FIELD = re.compile(r"^unknown field '(?P<name>[a-z][a-z0-9_]*)'(?:;|$)")


class RuleReader:
    """Parses rule texts, counting them against the limit and locating their errors."""

    def __init__(self, check: Checker) -> None:
        self.check = check
        self.limits = check.limits.syntax_limits()
        self.count = 0
        self.broken: set[str] = set()
        """Names whose rules could not be built: errors that stem from them are not
        reported again."""
        self.declared: dict[str, str] = {}
        """The policy's declared custom attributes and their types: rules are checked
        against them (``type_problems``)."""

    def parse(
        self, text: str, path: Path, refs: Mapping[str, Expr], *, condition: bool
    ) -> Expr | None:
        """Parse ``text`` (a condition or any rule); ``None`` after recording a problem."""
        both = self._parse(text, path, refs, condition=condition)
        return None if both is None else both[1]

    def _parse(
        self, text: str, path: Path, refs: Mapping[str, Expr], *, condition: bool
    ) -> tuple[Expr, Expr] | None:
        """The tree checked against ``refs`` and as written, checked against declarations."""
        both = self._parse_text(text, path, refs, condition=condition)
        if both is not None and self.declared:
            problems = type_problems(both[1], self.declared)
            for message in problems:
                self.check.problem(path, message, text)
            if problems:
                return None
        return both

    def _parse_text(
        self, text: str, path: Path, refs: Mapping[str, Expr], *, condition: bool
    ) -> tuple[Expr, Expr] | None:
        """The tree checked against ``refs`` (its refs know their kinds) and as written."""
        if text == SKIPPED:
            return None
        self.count += 1
        most = self.check.limits.max_rules
        if self.count == most + 1:
            self.check.problem(
                path, f"more than {most} rules in one policy (PolicyLimits.max_rules)"
            )
        if self.count > most:
            return None
        parse = parse_condition if condition else parse_rule
        try:
            checked = parse(text, limits=self.limits, refs=refs)
        except ConditionSyntaxError as err:
            if not refs_in(text) & self.broken:
                self.syntax_problem(path, text, err, refs)
            return None
        if "ref" not in text.lower():
            return checked, checked
        try:
            return checked, parse(text, limits=self.limits)
        except ConditionSyntaxError:
            return checked, checked  # a ref used as a condition: only its kind makes it one

    def syntax_problem(
        self,
        path: Path,
        text: str,
        err: ConditionSyntaxError,
        refs: Mapping[str, Expr] | None = None,
    ) -> None:
        """Record a syntax error, at its place in the file when that can be known.

        A field name that is one of the policy's outputs (``fit >= 40``) gets
        ``did you mean ref("fit")?`` instead of the closest field path.
        """
        span = self.check.source.span(path)
        line, column, exact = relocate(span, err.line, err.column)
        message = err.message
        unknown = _UNKNOWN_FIELD.match(message)
        name = "" if unknown is None else unknown.group("name")
        if refs is not None and name in refs:
            message = (
                f"unknown field {name!r}; did you mean ref({json.dumps(name)})? (a policy's "
                "outputs are read with ref)"
            )
        elif name in RESERVED:
            message = (
                f"unknown field {name!r}; the policy's {name} is read as "
                f"ref({json.dumps(name)}), in rules that come after it (stage rules, the "
                "priority), not in definitions"
            )
        if not exact:
            where = f"line {err.line}, " if "\n" in text else ""
            message += f" (at {where}column {err.column} of the rule)"
        self.check.problem(path, message, text, position=(line, column))

    def number(self, text: str, path: Path, refs: Mapping[str, Expr]) -> Expr | None:
        """Parse a number rule (a score, a value); a condition or a text is a problem."""
        both = self._parse(text, path, refs, condition=False)
        if both is None:
            return None
        checked, node = both
        kind = checked.value_kind()
        if node.is_condition or kind in _NOT_NUMBERS:
            got = "a condition" if node.is_condition else f"a rule whose value is {kind}"
            self.check.problem(
                path, f"expected a number rule (a score or a value), got {got}", text
            )
            return None
        return node
