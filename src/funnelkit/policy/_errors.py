"""What goes wrong in a policy file: located problems, one error listing them, the limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from funnelkit.errors import PolicyError
from funnelkit.rules import SyntaxLimits

__all__ = ["PolicyProblem", "PolicyFileError", "PolicyLimits"]


@attrs.frozen(kw_only=True)
class PolicyProblem:
    """One problem of a policy file: where it is, what is wrong and the value found.

    Args:
        path: Where in the document, dotted with list indexes (``stages.sql.entry``,
            ``fit.groups[0].points[1].when``); empty for the whole document.
        message: What is wrong, and what was expected.
        value: The offending value, when there is one (``None`` otherwise).
        file: The file name, when the policy was read from a file.
        line: The 1-based line in the file, when known.
        column: The 1-based column in the file, when known.
    """

    path: str
    message: str
    value: object = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        """``file:line:col`` as far as known.

        ``<text>`` stands for text without a file name, ``<document>`` for a document
        built in Python.
        """
        where = self.file or ("<text>" if self.line is not None else "<document>")
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        path = f"{self.path}: " if self.path else ""
        return f"{self.location}: {path}{self.message}"


class PolicyFileError(PolicyError):
    """A policy file (or document) cannot be loaded: it lists every problem found.

    ``str(error)`` has one line per problem, ``file:line:col: path: message``, in file
    order. Code ``policy-file``; a subclass of
    [`PolicyError`][funnelkit.errors.PolicyError] (a ``ValueError``), which is raised
    alone for a policy built in Python that does not hang together.

    Args:
        problems: The problems (at least one).
        file: The file name, when there is one.

    Attributes:
        problems (tuple[PolicyProblem, ...]): Every problem, each with its path, message,
            value, line and column.
        file: The file name or ``None``.
        path: The document path of the first problem.
        value: The offending value of the first problem.
        location: ``file:line:col`` of the first problem.

    Examples:
        >>> from funnelkit.policy import loads_policy
        >>> try:
        ...     loads_policy('{"version": 1, "metadata": {"name": "x"}, "funnel": "startr"}',
        ...                  format="json")
        ... except PolicyFileError as err:
        ...     print(err)
        <text>:1:54: funnel: unknown funnel preset 'startr'; did you mean 'starter'?
    """

    code: ClassVar[str] = "policy-file"

    def __init__(self, problems: Sequence[PolicyProblem], *, file: str | None = None) -> None:
        if not problems:
            raise ValueError("a PolicyFileError needs at least one problem")
        self.problems = tuple(
            sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))
        )
        self.file = file
        first = self.problems[0]
        self.path, self.value, self.location = first.path, first.value, first.location
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.problems, self.file))


def _rebuild(problems: Sequence[PolicyProblem], file: str | None) -> PolicyFileError:
    return PolicyFileError(problems, file=file)


def _at_least_one(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


@attrs.frozen(kw_only=True)
class PolicyLimits:
    """Bounds on a policy file, checked while it is read; breaking one is a located problem.

    Args:
        max_bytes: The largest file (or text), in bytes of UTF-8.
        max_depth: The deepest nesting of the document (mappings and lists).
        max_rule_depth: The deepest nesting of one rule (passed on to the condition
            syntax).
        max_items: The most entries in one mapping or list of the document, and in one
            list or call of a rule.
        max_rules: The most rule texts in one policy (definitions, gates, points,
            criteria, ...).
        max_stages: The most stages (gates) and the most stages of a custom funnel.
        max_rule_length: The most characters of one rule text.

    Examples:
        >>> PolicyLimits(max_rule_length=500).syntax_limits().max_length
        500
    """

    max_bytes: int = attrs.field(default=1_000_000, validator=_at_least_one)
    max_depth: int = attrs.field(default=32, validator=_at_least_one)
    max_rule_depth: int = attrs.field(default=64, validator=_at_least_one)
    max_items: int = attrs.field(default=1_000, validator=_at_least_one)
    max_rules: int = attrs.field(default=1_000, validator=_at_least_one)
    max_stages: int = attrs.field(default=100, validator=_at_least_one)
    max_rule_length: int = attrs.field(default=10_000, validator=_at_least_one)

    def syntax_limits(self) -> SyntaxLimits:
        """The limits each rule text is parsed with (length, nesting, items)."""
        return SyntaxLimits(
            max_length=self.max_rule_length,
            max_depth=self.max_rule_depth,
            max_items=self.max_items,
            finite_numbers=True,  # nothing that loads may fail at qualify time
        )
