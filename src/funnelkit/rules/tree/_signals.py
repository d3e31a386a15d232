"""Aggregations over a lead's signals: counts, existence, latest, sums, decayed sums.

The minimum gap (``count(min_gap_days=7)``, ``decayed(..., min_gap_days=7)``) counts a
burst of signals once: the matching signals are taken newest first, and a signal counts
only if it happened at least ``min_gap_days`` before the last signal that counted (the
newest one always counts; exactly ``min_gap_days`` apart counts). Walking back from the
newest signal keeps the most recent, heaviest signal of each burst, and it makes the
scores behave: adding a signal never lowers a gapped count or decayed sum, and judging
later (``as_of``) never raises one (walking forward from the oldest would break both for
decayed sums: an older signal could push a newer, heavier one out). Two signals are
``later.occurred_at - earlier.occurred_at`` apart, to the microsecond, as Python
subtracts datetimes (as windows measure ages); the gap runs across all the selected
kinds together, and signals of other kinds or ``explicit`` flags, after ``as_of`` or
outside the window are left out before it is applied.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from funnelkit.model import Signal
from funnelkit.rules.tree._expr import Expr, RuleBuildError

__all__ = ["SignalQuery", "SignalAgg", "signals", "check_gap", "gap_filter"]


@attrs.frozen(eq=False, repr=False)
class SignalAgg(Expr):
    """An aggregate over the signals that match ``kinds`` (and the window, if any).

    Signals are never missing: a lead without signals has a count of 0. ``latest`` is
    missing when no signal matches.

    Attributes:
        kinds: The signal kinds to include; empty means every kind.
        within_days: Only signals at most this many days before ``as_of`` (and not after
            it); ``None`` means all signals up to ``as_of``.
        explicit: Only hand-raises (``True``), only observed behaviour (``False``), or
            both (``None``).
        agg: ``count``, ``latest``, ``sum`` (of ``Signal.value``) or ``decayed``.
        half_life_days: For ``decayed``: each signal counts ``0.5 ** (age / half_life)``.
        limit: For ``count``: count at most this many (``min(count, limit)``).
        min_gap_days: For ``count`` and ``decayed``: a signal counts only if it happened
            at least this many days before the last signal that counted, newest first
            (``None``: every signal counts). A whole number is kept as an ``int``.
    """

    kinds: frozenset[str]
    within_days: int | None
    explicit: bool | None
    agg: str
    half_life_days: float | None = None
    limit: int | None = None
    min_gap_days: float | None = attrs.field(default=None)

    @min_gap_days.validator
    def _check_gap(self, _attribute: attrs.Attribute[float | None], value: float | None) -> None:
        if value is not None:
            if self.agg not in ("count", "decayed"):
                raise RuleBuildError(f"min_gap_days applies to count and decayed, not {self.agg}")
            check_gap(value)

    def value_kind(self) -> str:
        """``int`` for counts, ``datetime`` for latest, ``float`` for sums."""
        return {"count": "int", "latest": "datetime"}.get(self.agg, "float")


@attrs.frozen
class SignalQuery:
    """A selection of signals; call an aggregation on it to get a rule value.

    Examples:
        >>> q = signals(kind="demo_request", within=30)
        >>> q.count() >= 1
        signals(kind='demo_request', within=30).count() >= 1
    """

    kinds: frozenset[str]
    within_days: int | None = None
    explicit: bool | None = None

    def _agg(self, agg: str, **extra: object) -> SignalAgg:
        return SignalAgg(
            kinds=self.kinds,
            within_days=self.within_days,
            explicit=self.explicit,
            agg=agg,
            **extra,  # type: ignore[arg-type]
        )

    def count(self, *, limit: int | None = None, min_gap_days: float | None = None) -> SignalAgg:
        """How many signals match; with ``limit``, at most that many (``min(n, limit)``).

        Args:
            limit: Count at most this many.
            min_gap_days: Count a signal only if it happened at least this many days
                before the last one counted (newest first; exactly that far apart counts).

        Returns:
            The count (an ``int``, never missing).

        Raises:
            RuleBuildError: A limit that is not a whole number >= 0, or a gap that is
                not a number of days > 0.

        Examples:
            >>> signals(kind="pricing_page_view").count(min_gap_days=7)
            signals(kind='pricing_page_view').count(min_gap_days=7)
        """
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise RuleBuildError(f"limit must be a whole number >= 0, got {limit!r}")
        return self._agg("count", limit=limit, min_gap_days=check_gap(min_gap_days))

    def exists(self) -> Expr:
        """TRUE when at least one signal matches."""
        return self.count() >= 1

    def latest(self) -> SignalAgg:
        """When the most recent matching signal happened (missing when none)."""
        return self._agg("latest")

    def sum(self) -> SignalAgg:
        """The sum of the matching signals' ``value`` (signals without a value count 0)."""
        return self._agg("sum")

    def decayed(self, *, half_life_days: float, min_gap_days: float | None = None) -> SignalAgg:
        """Each matching signal weighs ``0.5 ** (age_days / half_life_days)``; their sum.

        Args:
            half_life_days: The age, in days, at which a signal weighs one half.
            min_gap_days: Weigh a signal only if it happened at least this many days
                before the last one weighed (newest first; exactly that far apart counts).

        Returns:
            The sum (a ``float``, never missing).

        Raises:
            RuleBuildError: A half-life or gap that is not a number of days > 0.
        """
        if isinstance(half_life_days, bool) or not isinstance(half_life_days, int | float):
            raise RuleBuildError(f"half_life_days must be a number, got {half_life_days!r}")
        if not half_life_days > 0:
            raise RuleBuildError(f"half_life_days must be > 0, got {half_life_days!r}")
        return self._agg(
            "decayed", half_life_days=float(half_life_days), min_gap_days=check_gap(min_gap_days)
        )


def check_gap(min_gap_days: object) -> float | None:
    """``min_gap_days`` as stored (whole numbers as ``int``), or RuleBuildError.

    A gap is a number of days > 0 that ``timedelta`` can hold (at least a microsecond,
    less than a billion days); ``None`` means no gap.
    """
    if min_gap_days is None:
        return None
    if isinstance(min_gap_days, bool) or not isinstance(min_gap_days, int | float):
        raise RuleBuildError(
            f"min_gap_days must be a number of days > 0, got {min_gap_days!r} "
            f"({type(min_gap_days).__name__})"
        )
    try:
        positive = math.isfinite(min_gap_days) and timedelta(days=min_gap_days) > timedelta(0)
    except OverflowError:
        positive = False
    if not positive:
        raise RuleBuildError(
            f"min_gap_days must be a number of days > 0 (at least a microsecond, less than "
            f"999999999 days), got {min_gap_days!r}"
        )
    if isinstance(min_gap_days, float) and min_gap_days.is_integer():
        return int(min_gap_days)
    return min_gap_days


MAX_WINDOW_DAYS = 36_525
"""The longest ``within`` window, in days (100 years): longer ones cannot be dated."""


def signals(
    kind: str | Iterable[str] | None = None,
    *,
    within: int | None = None,
    explicit: bool | None = None,
) -> SignalQuery:
    """Select a lead's signals by kind, recency window and explicitness.

    Args:
        kind: A signal kind, several kinds, or ``None`` for all.
        within: Only signals at most this many days before ``as_of``.
        explicit: ``True`` for hand-raises only, ``False`` for observed behaviour only.

    Returns:
        A SignalQuery; call ``.count()``, ``.exists()``, ``.latest()``, ``.sum()`` or
        ``.decayed(half_life_days=...)`` on it.

    Raises:
        RuleBuildError: A bad kind or window.
    """
    if kind is None:
        kinds: frozenset[str] = frozenset()
    elif isinstance(kind, str):
        kinds = frozenset({kind})
    else:
        kinds = frozenset(kind)
    if not all(isinstance(k, str) and k for k in kinds):
        raise RuleBuildError(f"signal kinds must be non-empty strings, got {kind!r}")
    if kind is not None and not kinds:
        raise RuleBuildError("signal kinds must name at least one kind (None selects every kind)")
    if within is not None and (
        isinstance(within, bool)
        or not isinstance(within, int)
        or not 0 <= within <= MAX_WINDOW_DAYS
    ):
        raise RuleBuildError(
            f"within must be a whole number of days >= 0 and at most {MAX_WINDOW_DAYS:,} "
            f"(100 years), got {within!r}"
        )
    return SignalQuery(kinds=kinds, within_days=within, explicit=explicit)


def gap_filter(matched: Iterable[Signal], min_gap_days: float) -> list[Signal]:
    """The signals that count under a minimum gap, newest first.

    Each signal counts when it happened at least ``min_gap_days`` before the last one
    that counted (the newest always counts, and so does one exactly that far apart).
    Of signals at the same instant, only the first (in the lead's order) can count.
    """
    gap = timedelta(days=min_gap_days)
    kept: list[Signal] = []
    last: datetime | None = None
    for signal in sorted(matched, key=_when, reverse=True):
        at = signal.occurred_at
        if last is None or last - at >= gap:
            kept.append(signal)
            last = at
    return kept


def _when(signal: Signal) -> datetime:
    return signal.occurred_at
