"""Funnel stages and funnels: the stages a lead moves through, as configuration."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs

from funnelkit.errors import FieldTypeError, FunnelkitError, ValidationError
from funnelkit.model import _checks, _converters
from funnelkit.model._enums import StageKind

__all__ = ["Stage", "Funnel", "UnknownStageError"]


class UnknownStageError(FunnelkitError, KeyError):
    """A stage key is not in the funnel; the message suggests the closest key."""

    code: ClassVar[str] = "unknown-stage"

    def __init__(self, key: str, known: tuple[str, ...]) -> None:
        self.key = key
        self.value = key
        self.known = known
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known stages: {', '.join(known)}"
        self.message = f"unknown stage {key!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.known))


@attrs.frozen(kw_only=True)
class Stage:
    """One stage of a funnel.

    Args:
        key: The stable identifier used in rules, history and data (``sales_ready``).
        label: The name people read (``Sales-Ready Lead``).
        order: Position in the funnel; open stages further along have higher orders.
        kind: A [`StageKind`][funnelkit.model.StageKind] member or its value: ``open``
            stages are steps, the others are outcomes.
        description: What it takes to be in the stage, in words.
    """

    key: str = attrs.field(validator=_checks.text(optional=False, max_length=100))
    label: str = attrs.field(validator=_checks.text(optional=False, max_length=200))
    order: int = attrs.field(validator=_checks.int_at_least(0, optional=False))
    kind: StageKind = attrs.field(
        default=StageKind.OPEN,
        converter=_converters.to_stage_kind,
        validator=_checks.member_of(StageKind),
    )
    description: str | None = attrs.field(default=None, validator=_checks.text())

    @property
    def is_open(self) -> bool:
        """Whether this stage is a step of the funnel rather than an outcome."""
        return self.kind is StageKind.OPEN


def _sorted_stages(value: object) -> object:
    items: object = _converters.to_tuple(value)  # type: ignore[arg-type]
    if isinstance(items, tuple):
        return tuple(sorted(items, key=_order_key))
    return items


def _to_transitions(value: object) -> object:
    if value is None:
        return frozenset()
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(tuple(pair) if isinstance(pair, list) else pair for pair in value)
    return value


@attrs.frozen(kw_only=True)
class Funnel:
    """An ordered set of stages with the moves allowed between them.

    Validated on construction: keys and orders are unique, and every transition names
    two known stages.

    Args:
        name: The funnel's name.
        stages: The stages, in any order; they are kept sorted by ``order``.
        transitions: Allowed moves as ``(from_key, to_key)`` pairs.

    Examples:
        >>> from funnelkit.model import STARTER_FUNNEL
        >>> tuple(s.key for s in STARTER_FUNNEL.open_stages)
        ('inquiry', 'profiled', 'sales_ready', 'sales_opportunity')
        >>> STARTER_FUNNEL.allows("sales_ready", "sales_opportunity")
        True
        >>> try:
        ...     STARTER_FUNNEL.stage("sales_redy")
        ... except KeyError as err:
        ...     print(err)
        unknown stage 'sales_redy'; did you mean 'sales_ready'?
    """

    name: str = attrs.field(validator=_checks.text(optional=False, max_length=200))
    stages: tuple[Stage, ...] = attrs.field(
        converter=_sorted_stages,
        validator=_checks.tuple_of(Stage),
    )
    transitions: frozenset[tuple[str, str]] = attrs.field(
        factory=frozenset, converter=_to_transitions
    )

    @stages.validator
    def _check_stages(self, _attribute: attrs.Attribute[object], value: tuple[Stage, ...]) -> None:
        if not value:
            raise ValidationError(path="stages", expected="at least one stage", value=value)
        seen_keys: set[str] = set()
        seen_orders: set[int] = set()
        for index, stage in enumerate(value):
            if stage.key in seen_keys:
                raise ValidationError(
                    path=f"stages[{index}].key", expected="a unique stage key", value=stage.key
                )
            if stage.order in seen_orders:
                raise ValidationError(
                    path=f"stages[{index}].order",
                    expected="a unique stage order",
                    value=stage.order,
                )
            seen_keys.add(stage.key)
            seen_orders.add(stage.order)

    @transitions.validator
    def _check_transitions(
        self, _attribute: attrs.Attribute[object], value: frozenset[tuple[str, str]]
    ) -> None:
        if not isinstance(value, frozenset):
            raise FieldTypeError(
                path="transitions", expected="a set of (from_key, to_key) pairs", value=value
            )
        keys = {s.key for s in self.stages}
        for pair in sorted(value, key=repr):
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ValidationError(
                    path="transitions", expected="(from_key, to_key) pairs", value=pair
                )
            for end in pair:
                if end not in keys:
                    raise ValidationError(
                        path="transitions",
                        expected=f"stage keys from {sorted(keys)}",
                        value=end,
                    )
            if pair[0] == pair[1]:
                raise ValidationError(
                    path="transitions", expected="a move between two stages", value=pair
                )

    @property
    def keys(self) -> tuple[str, ...]:
        """The stage keys in funnel order."""
        return tuple(s.key for s in self.stages)

    @property
    def open_stages(self) -> tuple[Stage, ...]:
        """The open (step) stages in funnel order."""
        return tuple(s for s in self.stages if s.is_open)

    def stage(self, key: str) -> Stage:
        """Look a stage up by key.

        Args:
            key: The stage key.

        Returns:
            The stage.

        Raises:
            UnknownStageError: The key is not in the funnel (the message suggests one).
        """
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise UnknownStageError(key, self.keys)

    def allows(self, from_key: str, to_key: str) -> bool:
        """Whether the funnel allows a move from one stage to another.

        Args:
            from_key: The current stage.
            to_key: The stage to move to.

        Returns:
            ``True`` when ``(from_key, to_key)`` is a declared transition.

        Raises:
            UnknownStageError: Either key is not in the funnel.
        """
        self.stage(from_key)
        self.stage(to_key)
        return (from_key, to_key) in self.transitions

    def moves_from(self, key: str) -> tuple[Stage, ...]:
        """The stages a lead in ``key`` may move to, in funnel order.

        Raises:
            UnknownStageError: The key is not in the funnel.
        """
        self.stage(key)
        return tuple(s for s in self.stages if (key, s.key) in self.transitions)

    def __contains__(self, key: object) -> bool:
        return any(s.key == key for s in self.stages)

    def __iter__(self) -> Iterator[Stage]:
        return iter(self.stages)

    def __len__(self) -> int:
        return len(self.stages)


def _order_key(stage: object) -> int:
    return stage.order if isinstance(stage, Stage) else -1


def standard_transitions(
    open_keys: tuple[str, ...],
    *,
    won: str,
    lost: str,
    nurture: str | None = None,
    disqualified: str | None = None,
) -> frozenset[tuple[str, str]]:
    """The usual moves for a funnel of open steps ending in won or lost.

    Forward moves go from any open step to any later one (skipping is a policy choice);
    every open step can be closed lost, recycled to nurture or disqualified; the last step
    can be won; nurture returns to the first step.
    """
    moves: set[tuple[str, str]] = set()
    for i, key in enumerate(open_keys):
        moves.update((key, later) for later in open_keys[i + 1 :])
        moves.add((key, lost))
        if nurture:
            moves.add((key, nurture))
        if disqualified:
            moves.add((key, disqualified))
    moves.add((open_keys[-1], won))
    if nurture:
        moves.add((nurture, open_keys[0]))
        moves.update((nurture, k) for k in open_keys[1:])
        if disqualified:
            moves.add((nurture, disqualified))
        moves.add((lost, nurture))
    return frozenset(moves)
