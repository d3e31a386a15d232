"""Aggregations over a lead's signals: counts, existence, latest, sums, decayed sums."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from funnelkit.rules._expr import Expr, RuleBuildError

__all__ = ["SignalQuery", "SignalAgg", "signals"]


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
    """

    kinds: frozenset[str]
    within_days: int | None
    explicit: bool | None
    agg: str
    half_life_days: float | None = None
    limit: int | None = None

    def value_kind(self) -> str:
        """``int`` for counts, ``datetime`` for latest, ``float`` for sums."""
        return {"count": "int", "latest": "datetime"}.get(self.agg, "float")


@attrs.frozen
class SignalQuery:
    """A selection of signals; call an aggregation on it to get a rule value.

    Example:
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

    def count(self, *, limit: int | None = None) -> SignalAgg:
        """How many signals match; with ``limit``, at most that many (``min(n, limit)``)."""
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise RuleBuildError(f"limit must be a whole number >= 0, got {limit!r}")
        return self._agg("count", limit=limit)

    def exists(self) -> Expr:
        """TRUE when at least one signal matches."""
        return self.count() >= 1

    def latest(self) -> SignalAgg:
        """When the most recent matching signal happened (missing when none)."""
        return self._agg("latest")

    def sum(self) -> SignalAgg:
        """The sum of the matching signals' ``value`` (signals without a value count 0)."""
        return self._agg("sum")

    def decayed(self, *, half_life_days: float) -> SignalAgg:
        """Each matching signal weighs ``0.5 ** (age_days / half_life_days)``; their sum."""
        if isinstance(half_life_days, bool) or not isinstance(half_life_days, int | float):
            raise RuleBuildError(f"half_life_days must be a number, got {half_life_days!r}")
        if not half_life_days > 0:
            raise RuleBuildError(f"half_life_days must be > 0, got {half_life_days!r}")
        return self._agg("decayed", half_life_days=float(half_life_days))


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
    if within is not None and (
        isinstance(within, bool) or not isinstance(within, int) or within < 0
    ):
        raise RuleBuildError(f"within must be a whole number of days >= 0, got {within!r}")
    return SignalQuery(kinds=kinds, within_days=within, explicit=explicit)
