"""Decision tables with a declared hit policy, as in DMN: for tiering and routing."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from funnelkit.rules.tree._expr import Expr, RuleBuildError, lit

__all__ = ["DecisionTable", "decision_table", "HIT_POLICIES"]

HIT_POLICIES = frozenset({"first", "unique", "collect", "collect_sum", "collect_max"})
"""``first``: the first row whose condition is TRUE; ``unique``: exactly one row may be
TRUE (more is an evaluation error); ``collect``: every TRUE row's output, in order;
``collect_sum`` / ``collect_max``: their sum / largest."""


@attrs.frozen(eq=False, repr=False)
class DecisionTable(Expr):
    """Rows of ``(condition, output)`` evaluated with a hit policy.

    A row whose condition is UNKNOWN does not match; ``explain`` reports it, since
    finding out its facts could change the outcome. With no matching row the result is
    ``default`` (missing when there is none).
    """

    rows: tuple[tuple[Expr, Expr], ...]
    hit_policy: str
    default: Expr | None

    def children(self) -> tuple[Expr, ...]:
        """Each row's condition and output, then the default."""
        out: list[Expr] = []
        for when, then in self.rows:
            out.extend((when, then))
        if self.default is not None:
            out.append(self.default)
        return tuple(out)

    def value_kind(self) -> str:
        """The outputs' common kind (``list`` for ``collect``)."""
        if self.hit_policy == "collect":
            return "list"
        kinds = {then.value_kind() for _, then in self.rows}
        if self.default is not None:
            kinds.add(self.default.value_kind())
        return kinds.pop() if len(kinds) == 1 else "any"


def decision_table(
    rows: Iterable[tuple[object, object]],
    *,
    hit_policy: str = "first",
    default: object = None,
) -> DecisionTable:
    """Build a decision table.

    Args:
        rows: ``(condition, output)`` pairs; outputs are values or value nodes.
        hit_policy: One of ``HIT_POLICIES``.
        default: The output when no row matches (``None``: missing).

    Returns:
        A DecisionTable node.

    Raises:
        RuleBuildError: An unknown hit policy, a row condition that is not a condition,
            or non-numeric outputs for ``collect_sum`` / ``collect_max``.

    Examples:
        >>> from funnelkit.rules import F
        >>> tier = decision_table(
        ...     [(F.company.employees >= 1000, "enterprise"), (F.company.employees >= 100, "mid")],
        ...     default="smb",
        ... )
        >>> tier.hit_policy, len(tier.rows)
        ('first', 2)
    """
    if hit_policy not in HIT_POLICIES:
        raise RuleBuildError(
            f"unknown hit policy {hit_policy!r}; use one of {sorted(HIT_POLICIES)}"
        )
    built: list[tuple[Expr, Expr]] = []
    for index, row in enumerate(rows):
        if not (isinstance(row, tuple) and len(row) == 2):
            raise RuleBuildError(f"row {index} must be a (condition, output) pair, got {row!r}")
        when = lit(row[0])
        if not when.is_condition:
            raise RuleBuildError(f"row {index}: {when!r} is not a condition")
        then = lit(row[1])
        if hit_policy in ("collect_sum", "collect_max") and then.value_kind() not in (
            "int",
            "float",
            "decimal",
            "any",
        ):
            raise RuleBuildError(f"row {index}: {hit_policy} needs numeric outputs, got {then!r}")
        built.append((when, then))
    if not built:
        raise RuleBuildError("a decision table needs at least one row")
    return DecisionTable(
        rows=tuple(built),
        hit_policy=hit_policy,
        default=None if default is None else lit(default),
    )
