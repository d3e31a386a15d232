"""Qualification frameworks as data: named criteria, each a three-valued rule."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import attrs

from funnelkit.errors import FunnelkitError
from funnelkit.rules import FALSE, TRUE, Expr, RuleBuildError, UnknownFieldError, lit, points, score
from funnelkit.rules.tree import Score, field_info

__all__ = ["Criterion", "Framework", "UnknownCriterionError"]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownCriterionError(FunnelkitError, KeyError):
    """A criterion key is not in the framework; the message suggests the closest key."""

    code: ClassVar[str] = "unknown-criterion"

    def __init__(self, framework: str, key: str, known: tuple[str, ...]) -> None:
        self.framework = framework
        self.key = key
        self.value = key
        self.known = known
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
        self.message = f"{framework} has no criterion {key!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.framework, self.key, self.known))


def _check_key(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _KEY.match(value):
        raise RuleBuildError(
            f"{attribute.name} must be a lower-case identifier such as 'budget', got {value!r}"
        )


def _check_condition(_inst: object, _attribute: attrs.Attribute[Expr], value: Expr) -> None:
    if not isinstance(value, Expr) or not value.is_condition:
        raise RuleBuildError(f"a criterion's rule must be a condition, got {value!r}")


def _to_condition(value: object) -> object:
    if value is True or value is False:
        return TRUE if value else FALSE
    return value if isinstance(value, Expr) else lit(value)


def _check_evidence(_inst: object, _attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.endswith(".evidence"):
        raise RuleBuildError(
            f"evidence must be the path of an Evidence field such as 'bant.budget.evidence', "
            f"got {value!r}"
        )
    try:
        field_info(value)
    except UnknownFieldError as err:
        raise RuleBuildError(f"evidence: {err}") from None


@attrs.frozen(kw_only=True, eq=False)
class Criterion:
    """One criterion of a framework: a condition that is met, unmet or unknown.

    Args:
        key: A lower-case identifier, unique in its framework (``budget``).
        label: The name people read (``Budget``).
        rule: The condition; UNKNOWN when the facts it reads are missing.
        description: What the criterion asks, in words.
        evidence: The field path of the [`Evidence`][funnelkit.model.Evidence] behind the
            facts the rule reads (``bant.budget.evidence``), reported with the result.

    Examples:
        >>> from funnelkit.rules import F
        >>> c = Criterion(key="budget", label="Budget",
        ...               rule=F.bant.budget.status.isin({"identified", "approved"}))
        >>> c.key, c.rule.is_condition
        ('budget', True)
    """

    key: str = attrs.field(validator=_check_key)
    label: str
    rule: Expr = attrs.field(converter=_to_condition, validator=_check_condition)
    description: str | None = None
    evidence: str | None = attrs.field(default=None, validator=_check_evidence)


def _to_criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, eq=False)
class Framework:
    """A qualification framework (BANT, MEDDIC, ...): an ordered set of criteria.

    Frameworks are values: ``replace``, ``extend`` and ``without`` return new frameworks,
    so a company can start from a preset and adapt it.

    Args:
        key: A lower-case identifier (``bant``); rule outputs are named after it.
        name: The name people read (``BANT``).
        criteria: The criteria, in the order they are reported.
        description: What the framework is for.

    Examples:
        >>> from funnelkit.frameworks import BANT_FRAMEWORK
        >>> BANT_FRAMEWORK.keys
        ('budget', 'authority', 'need', 'timeline')
        >>> from funnelkit.rules import F
        >>> stricter = BANT_FRAMEWORK.replace("budget", rule=F.bant.budget.status == "approved")
        >>> str(stricter.criterion("budget").rule.meta.fields())
        "frozenset({'bant.budget.status'})"
    """

    key: str = attrs.field(validator=_check_key)
    name: str
    criteria: tuple[Criterion, ...] = attrs.field(converter=_to_criteria)
    description: str | None = None

    @criteria.validator
    def _check_criteria(
        self, _attribute: attrs.Attribute[tuple[Criterion, ...]], value: tuple[Criterion, ...]
    ) -> None:
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, Criterion):
                raise RuleBuildError(f"{self.key}: criteria must be Criterion, got {item!r}")
            if item.key in seen:
                raise RuleBuildError(f"{self.key}: criterion {item.key!r} appears twice")
            seen.add(item.key)

    @property
    def keys(self) -> tuple[str, ...]:
        """The criterion keys, in order."""
        return tuple(c.key for c in self.criteria)

    @property
    def fields(self) -> tuple[str, ...]:
        """The field paths the criteria read, sorted (``signals`` for signal counts).

        The ``custom.<name>`` paths among them are the CRM fields to map.

        Examples:
            >>> from funnelkit.frameworks import MEDDIC
            >>> for path in MEDDIC.fields:
            ...     if path.startswith("custom."):
            ...         print(path)
            custom.champion
            custom.decision_criteria
            custom.decision_process
            custom.economic_buyer
            custom.metrics
        """
        paths: set[str] = set()
        for c in self.criteria:
            paths |= c.rule.meta.fields()
        return tuple(sorted(paths))

    def criterion(self, key: str) -> Criterion:
        """Look a criterion up by key.

        Args:
            key: The criterion's key (``budget``).

        Returns:
            The criterion.

        Raises:
            UnknownCriterionError: No criterion has that key (the message suggests one).
        """
        for item in self.criteria:
            if item.key == key:
                return item
        raise UnknownCriterionError(self.key, key, self.keys)

    def replace(
        self,
        key: str,
        *,
        rule: object | None = None,
        label: str | None = None,
        description: str | None = None,
        evidence: str | None = None,
    ) -> Framework:
        """A copy with one criterion changed (its rule, label, description or evidence).

        Args:
            key: The criterion to change.
            rule: Its new condition.
            label: Its new label.
            description: Its new description.
            evidence: Its new evidence path.

        Returns:
            The new framework; arguments left at ``None`` keep the criterion's value.

        Raises:
            UnknownCriterionError: No criterion has that key.
            RuleBuildError: The new rule is not a condition, or the evidence path is bad.
        """
        old = self.criterion(key)
        changes: dict[str, Any] = {}
        for name, value in (
            ("rule", rule),
            ("label", label),
            ("description", description),
            ("evidence", evidence),
        ):
            if value is not None:
                changes[name] = value
        new = attrs.evolve(old, **changes)
        return attrs.evolve(self, criteria=tuple(new if c.key == key else c for c in self.criteria))

    def extend(self, *criteria: Criterion) -> Framework:
        """A copy with more criteria at the end.

        Args:
            *criteria: The criteria to add.

        Returns:
            The new framework.

        Raises:
            RuleBuildError: A criterion's key is already taken, or it is not a Criterion.
        """
        return attrs.evolve(self, criteria=(*self.criteria, *criteria))

    def without(self, *keys: str) -> Framework:
        """A copy without the named criteria.

        Args:
            *keys: The keys of the criteria to drop.

        Returns:
            The new framework.

        Raises:
            UnknownCriterionError: A key is not in the framework.
        """
        for key in keys:
            self.criterion(key)
        return attrs.evolve(self, criteria=tuple(c for c in self.criteria if c.key not in keys))

    def met_count(self) -> Score:
        """A score counting the criteria that are met (UNKNOWN counts as not met)."""
        return score(
            *(points(1, when=c.rule, label=c.key) for c in self.criteria),
            name=f"{self.key}_met",
        )

    def __iter__(self) -> Iterator[Criterion]:
        return iter(self.criteria)

    def __len__(self) -> int:
        return len(self.criteria)

    def __contains__(self, key: object) -> bool:
        return any(c.key == key for c in self.criteria)
