"""The statistics of a backtest: Wilson intervals, the AUC, ROC and lift curves."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["auc", "lift_curve", "roc_curve", "wilson_interval"]


def wilson_interval(
    successes: int, total: int, *, z: float = 1.959963984540054
) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default).

    Unlike the normal approximation it stays inside ``[0, 1]`` and behaves at 0 and
    ``total`` successes, which small grade cells often have.

    Args:
        successes: How many converted.
        total: How many there were.
        z: The normal quantile of the confidence level (1.96 for 95%).

    Returns:
        ``(low, high)``, or ``None`` when ``total`` is 0.

    Raises:
        ValueError: If the counts are negative or ``successes > total``.

    Examples:
        >>> low, high = wilson_interval(8, 10)
        >>> round(low, 3), round(high, 3)
        (0.49, 0.943)
        >>> wilson_interval(0, 0) is None
        True
    """
    if total < 0 or successes < 0 or successes > total:
        raise ValueError(
            f"wilson_interval: expected 0 <= successes <= total, got {successes} of {total}"
        )
    if total == 0:
        return None
    p = successes / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    # Rounding can push a bound a hair past the rate at 0 or ``total`` successes.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def auc(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """The area under the ROC curve: the chance a converted lead outscores one that did not.

    Ties count one half (the Mann-Whitney statistic), so a constant score gives 0.5 and
    a score that ranks every converted lead above every other gives 1.

    Args:
        scores: One score per lead.
        outcomes: Whether each lead converted, in the same order.

    Returns:
        The AUC, or ``None`` when every lead converted or none did.

    Raises:
        ValueError: If the two sequences differ in length.

    Examples:
        >>> auc([1, 2, 3, 4], [False, False, True, True])
        1.0
        >>> auc([5, 5, 5], [True, False, False])
        0.5
    """
    if len(scores) != len(outcomes):
        raise ValueError(
            f"auc: expected one outcome per score, got {len(scores)} scores "
            f"and {len(outcomes)} outcomes"
        )
    positives = sum(1 for o in outcomes if o)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    # Rank sum with average ranks for ties.
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        average = (start + end) / 2 + 1
        rank_sum += average * sum(1 for i in order[start : end + 1] if outcomes[i])
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def roc_curve(scores: Sequence[float], outcomes: Sequence[bool]) -> tuple[tuple[float, float], ...]:
    """The ROC curve: ``(false positive rate, true positive rate)`` at each threshold.

    Args:
        scores: One score per lead.
        outcomes: Whether each lead converted.

    Returns:
        The points from ``(0, 0)`` to ``(1, 1)``, one per distinct score, highest first;
        empty when every lead converted or none did.
    """
    positives = sum(1 for o in outcomes if o)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return ()
    pairs = sorted(zip(scores, outcomes, strict=True), key=lambda p: -p[0])
    points = [(0.0, 0.0)]
    tp = fp = 0
    for index, (score, converted) in enumerate(pairs):
        tp += int(converted)
        fp += int(not converted)
        if index + 1 == len(pairs) or pairs[index + 1][0] != score:
            points.append((fp / negatives, tp / positives))
    return tuple(points)


def lift_curve(
    scores: Sequence[float], outcomes: Sequence[bool]
) -> tuple[tuple[float, float], ...]:
    """The cumulative lift: ``(share of leads taken, rate among them / base rate)``.

    Leads are taken best score first; ties are taken together.

    Args:
        scores: One score per lead.
        outcomes: Whether each lead converted.

    Returns:
        One point per distinct score, ending at ``(1, 1)``; empty when none converted.
    """
    positives = sum(1 for o in outcomes if o)
    if positives == 0:
        return ()
    base = positives / len(outcomes)
    pairs = sorted(zip(scores, outcomes, strict=True), key=lambda p: -p[0])
    points: list[tuple[float, float]] = []
    tp = 0
    for index, (score, converted) in enumerate(pairs):
        tp += int(converted)
        if index + 1 == len(pairs) or pairs[index + 1][0] != score:
            taken = index + 1
            points.append((taken / len(pairs), tp / taken / base))
    return tuple(points)
