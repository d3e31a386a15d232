"""Strategies for the funnel and the lead: stages, funnels, stage histories, leads."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from funnelkit.model import (
    BANT,
    STARTER_FUNNEL,
    Company,
    Contact,
    Direction,
    Funnel,
    Lead,
    LeadSource,
    Signal,
    Stage,
    StageChange,
    StageKind,
)
from funnelkit.testing import _primitives as p
from funnelkit.testing._facts import bants, signals
from funnelkit.testing._who import companies, contacts

__all__ = ["stages", "funnels", "stage_changes", "stage_histories", "leads"]

_OUTCOMES = (StageKind.WON, StageKind.LOST, StageKind.NURTURE, StageKind.DISQUALIFIED)
# Every history ends by the end of 2035 whatever its length: its steps share this span.
_HISTORY_START = p.MAX_DATETIME.replace(year=p.MAX_DATETIME.year - 5)
_HISTORY_SPAN_DAYS = 4 * 365


def _stage_keys() -> SearchStrategy[str]:
    return st.sampled_from(STARTER_FUNNEL.keys) | p.keys()


def stages(
    *, complete: bool = False, kinds: Iterable[StageKind | str] | None = None
) -> SearchStrategy[Stage]:
    """Generate valid [`Stage`][funnelkit.model.Stage]s, one at a time.

    To get stages that fit together (unique keys and orders), draw a whole funnel with
    `funnels()`.

    Args:
        complete: Always give a description.
        kinds: The [`StageKind`][funnelkit.model.StageKind]s to draw from; all by default.

    Returns:
        A strategy for `Stage`.

    Raises:
        InvalidArgument: An unknown or empty choice of kinds.
    """
    chosen = p.choices(
        "kinds",
        None if kinds is None else [str(k) for k in kinds],
        frozenset(k.value for k in StageKind),
    )
    return st.builds(
        Stage,
        key=_stage_keys(),
        label=p.text(max_size=60),
        order=st.integers(min_value=0, max_value=10_000),
        kind=st.sampled_from([StageKind(k) for k in sorted(chosen, key=_kind_rank)]),
        description=p.Maybe(complete=complete)(p.text()),
    )


def funnels(*, min_stages: int = 1, max_stages: int = 8) -> SearchStrategy[Funnel]:
    """Generate valid [`Funnel`][funnelkit.model.Funnel]s.

    Keys and orders are unique; the open stages come first; the transitions are any set
    of moves between two different stages, often including the forward chain through
    the open stages and from the last open stage to every outcome.

    Args:
        min_stages: The fewest stages (at least 1).
        max_stages: The most stages.

    Returns:
        A strategy for `Funnel`.

    Raises:
        InvalidArgument: ``min_stages < 1`` or ``min_stages > max_stages``.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import funnels

        @given(funnels())
        def test_moves_stay_in_the_funnel(funnel):
            for stage in funnel:
                assert all(move.key in funnel for move in funnel.moves_from(stage.key))
        ```
    """
    p.check_size("min_stages", min_stages, minimum=1)
    p.check_size("max_stages", max_stages, minimum=1)
    p.check_range("min_stages", min_stages, "max_stages", max_stages)
    return _funnel(min_stages=min_stages, max_stages=max_stages)


@st.composite
def _funnel(draw: st.DrawFn, *, min_stages: int, max_stages: int) -> Funnel:
    size = draw(st.integers(min_value=min_stages, max_value=max_stages))
    keys = draw(st.lists(_stage_keys(), min_size=size, max_size=size, unique=True))
    orders = sorted(
        draw(st.lists(st.integers(0, 10_000), min_size=size, max_size=size, unique=True))
    )
    n_open = draw(st.integers(min_value=1, max_value=size))
    built = [
        Stage(
            key=key,
            label=draw(p.text(max_size=60)),
            order=order,
            kind=StageKind.OPEN if index < n_open else draw(st.sampled_from(_OUTCOMES)),
            description=draw(st.none() | p.text()),
        )
        for index, (key, order) in enumerate(zip(keys, orders, strict=True))
    ]
    moves: set[tuple[str, str]] = set()
    if draw(st.booleans()):
        moves.update(itertools.pairwise(keys[:n_open]))
        moves.update((keys[n_open - 1], outcome) for outcome in keys[n_open:])
    pairs = [(a, b) for a in keys for b in keys if a != b]
    if pairs:
        moves.update(draw(st.sets(st.sampled_from(pairs), max_size=len(pairs))))
    return Funnel(
        name=draw(p.text_from(("starter", "demand_waterfall", "enterprise"))),
        stages=draw(st.permutations(built)),
        transitions=moves,
    )


def stage_changes(
    *, complete: bool = False, keys: Iterable[str] | None = None
) -> SearchStrategy[StageChange]:
    """Generate single valid [`StageChange`][funnelkit.model.StageChange]s.

    Single moves are not chained to anything; for a valid history of moves use
    `stage_histories()`.

    Args:
        complete: Fill ``from_stage``, ``reason`` and ``policy_version``.
        keys: The stage keys to draw from; the starter funnel's keys plus arbitrary keys
            by default.

    Returns:
        A strategy for `StageChange`.

    Raises:
        InvalidArgument: ``keys`` is empty or holds a blank string.
    """
    chosen = p.vocabulary("keys", keys)
    key = st.sampled_from(chosen) if chosen else _stage_keys()
    maybe = p.Maybe(complete=complete)
    return st.builds(
        StageChange,
        at=p.aware_datetimes(),
        to_stage=key,
        from_stage=maybe(key),
        reason=maybe(p.text_from(("score above threshold", "demo booked", "no budget"))),
        policy_version=maybe(p.text_from(("starter@1", "default@2026-05"))),
    )


def stage_histories(
    *,
    funnel: Funnel | None = STARTER_FUNNEL,
    min_size: int = 0,
    max_size: int = 6,
) -> SearchStrategy[tuple[StageChange, ...]]:
    """Generate valid stage histories: chained, chronological tuples of stage changes.

    The first change comes from nowhere (``from_stage`` is ``None``); each later one starts
    where the previous one ended, at the same instant or later (in any UTC offset).

    Args:
        funnel: Walk this funnel: the first stage is any of its stages and every later
            move is one of its transitions, so a walk can stop early, at a stage with no
            moves out. ``None`` for arbitrary stage keys and moves.
        min_size: The fewest changes (reached unless the walk gets stuck).
        max_size: The most changes.

    Returns:
        A strategy for tuples of `StageChange`, ready for ``Lead.stage_history``.

    Raises:
        InvalidArgument: Negative sizes or ``min_size > max_size``.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.model import STARTER_FUNNEL
        from funnelkit.testing import stage_histories

        @given(stage_histories(funnel=STARTER_FUNNEL))
        def test_histories_follow_the_funnel(history):
            for change in history[1:]:
                assert STARTER_FUNNEL.allows(change.from_stage, change.to_stage)
        ```
    """
    p.check_size("min_size", min_size)
    p.check_size("max_size", max_size)
    p.check_range("min_size", min_size, "max_size", max_size)
    if funnel is not None and not isinstance(funnel, Funnel):
        raise InvalidArgument(f"funnel must be a Funnel or None, got {funnel!r}")
    return _history(funnel=funnel, min_size=min_size, max_size=max_size)


@st.composite
def _history(
    draw: st.DrawFn, *, funnel: Funnel | None, min_size: int, max_size: int
) -> tuple[StageChange, ...]:
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    step_days = max(1, _HISTORY_SPAN_DAYS // max(size, 1))
    at = draw(p.aware_datetimes(max_value=_HISTORY_START))
    maybe = p.Maybe(complete=False)
    history: list[StageChange] = []
    current: str | None = None
    for _ in range(size):
        if funnel is None:
            options: tuple[str, ...] = ()
        elif current is None:
            options = funnel.keys
        else:
            options = tuple(s.key for s in funnel.moves_from(current))
            if not options:
                break
        to_stage = draw(st.sampled_from(options) if options else _stage_keys())
        history.append(
            StageChange(
                at=at,
                to_stage=to_stage,
                from_stage=current,
                reason=draw(maybe(p.text_from(("score above threshold", "no budget")))),
                policy_version=draw(maybe(p.text_from(("starter@1", "default@2026-05")))),
            )
        )
        current = to_stage
        at = (at + draw(p.timedeltas(step_days))).astimezone(draw(p.offsets()))
    return tuple(history)


def leads(
    *,
    complete: bool = False,
    funnel: Funnel | None = STARTER_FUNNEL,
    max_signals: int = 5,
    max_history: int = 6,
    company: SearchStrategy[Company | None] | None = None,
    contact: SearchStrategy[Contact | None] | None = None,
    attribute_values: SearchStrategy[object] | None = None,
) -> SearchStrategy[Lead]:
    """Generate valid [`Lead`][funnelkit.model.Lead]s, with gaps as in real data.

    By default every optional part is missing about half of the time: no contact, no
    company, no signals, an unknown BANT, no stage yet. ``account_id`` always agrees with
    the embedded company's id, and the stage history walks ``funnel``.

    Args:
        complete: Fill everything: contact, company, signals, BANT, at least one stage
            change, custom fields.
        funnel: The funnel the stage history walks; ``None`` for arbitrary stage keys.
        max_signals: The most signals.
        max_history: The most stage changes.
        company: A strategy for the embedded company (may produce ``None``);
            ``companies(complete=complete)``, often missing, by default.
        contact: A strategy for the contact (may produce ``None``);
            ``contacts(complete=complete)``, often missing, by default.
        attribute_values: A strategy for the values in ``custom`` and in signals'
            ``attributes``; every scalar the model accepts by default.

    Returns:
        A strategy for `Lead`.

    Raises:
        InvalidArgument: Negative sizes, or ``complete`` with a zero size.

    Examples:
        ```python
        from hypothesis import given
        from funnelkit.testing import companies, leads

        @given(leads(company=companies(industries={"software"}, complete=True)))
        def test_every_lead_is_a_software_company(lead):
            assert lead.company.industry == "software"
        ```
    """
    minimum = int(complete)
    p.check_size("max_signals", max_signals, minimum=minimum)
    p.check_size("max_history", max_history, minimum=minimum)
    if funnel is not None and not isinstance(funnel, Funnel):
        raise InvalidArgument(f"funnel must be a Funnel or None, got {funnel!r}")
    maybe = p.Maybe(complete=complete)
    source = st.builds(
        LeadSource,
        direction=st.sampled_from(Direction),
        channel=maybe(p.text_from(p.CHANNELS)),
        campaign=maybe(p.text_from(("spring_webinar", "g2_reviews", "outbound_q3"))),
    )
    return _lead(
        lead_ids=maybe(p.ids("L")),
        account_ids=maybe(p.ids("C")),
        company=maybe(companies(complete=complete)) if company is None else company,
        contact=maybe(contacts(complete=complete)) if contact is None else contact,
        source=source,
        signals=st.lists(
            signals(complete=complete, attribute_values=attribute_values),
            min_size=minimum,
            max_size=max_signals,
        ),
        bant=bants(complete=complete),
        history=stage_histories(funnel=funnel, min_size=minimum, max_size=max_history),
        owner=maybe(p.text_from(("ana.ruiz", "Sam Lee", "team-emea"))),
        created_at=maybe(p.aware_datetimes()),
        custom=p.attribute_maps(attribute_values, min_size=minimum),
        same_account=st.just(True) if complete else st.booleans(),
    )


@st.composite
def _lead(
    draw: st.DrawFn,
    *,
    lead_ids: SearchStrategy[str | None],
    account_ids: SearchStrategy[str | None],
    company: SearchStrategy[Company | None],
    contact: SearchStrategy[Contact | None],
    source: SearchStrategy[LeadSource],
    signals: SearchStrategy[list[Signal]],
    bant: SearchStrategy[BANT],
    history: SearchStrategy[tuple[StageChange, ...]],
    owner: SearchStrategy[str | None],
    created_at: SearchStrategy[datetime | None],
    custom: SearchStrategy[dict[str, object]],
    same_account: SearchStrategy[bool],
) -> Lead:
    firm = draw(company)
    if firm is not None and firm.id is not None:
        account_id = firm.id if draw(same_account) else None
    else:
        account_id = draw(account_ids)
    return Lead(
        id=draw(lead_ids),
        contact=draw(contact),
        company=firm,
        account_id=account_id,
        source=draw(source),
        signals=draw(signals),
        bant=draw(bant),
        stage_history=draw(history),
        owner=draw(owner),
        created_at=draw(created_at),
        custom=draw(custom),
    )


def _kind_rank(kind: str) -> int:
    return [k.value for k in StageKind].index(kind)
