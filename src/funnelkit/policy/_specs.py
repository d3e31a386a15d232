"""The parts of a policy document: metadata, scoring, grades, engagement, frameworks.

Each is a frozen attrs class mirroring one part of the file, rules kept as text, with
``to_data()`` giving what the file holds.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from funnelkit.qualify import ENGAGEMENT_BANDS, GRADE_BANDS, PRIORITY_BANDS, SignalPoints

__all__ = [
    "Number",
    "number_data",
    "drop_none",
    "Metadata",
    "ScorePoints",
    "ScoreGroup",
    "FitScoring",
    "Grades",
    "EngagementScoring",
    "PriorityWeights",
    "CriterionSpec",
    "CriterionChange",
    "PresetFramework",
    "CustomFramework",
]

Number = int | Decimal


def number_data(value: Number) -> object:
    """A number as a file holds it: ints stay ints, decimals become floats or text."""
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    return value


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@attrs.frozen(kw_only=True)
class Metadata:
    """Who and what the policy is: reported with every result as ``name@version``.

    Args:
        name: The policy's name.
        version: The policy's own version (not the file format's).
        description: What the policy is for.
        owner: Who maintains it.
        effective_date: From when it applies.
    """

    name: str
    version: str = "1"
    description: str | None = None
    owner: str | None = None
    effective_date: date | None = None

    def to_data(self) -> dict[str, Any]:
        """The ``metadata`` mapping of a file."""
        when = None if self.effective_date is None else self.effective_date.isoformat()
        return drop_none(
            {
                "name": self.name,
                "version": self.version,
                "description": self.description,
                "owner": self.owner,
                "effective_date": when,
            }
        )


@attrs.frozen(kw_only=True)
class ScorePoints:
    """Points given when a condition holds.

    Args:
        points: The points (negative to take points away).
        when: The condition, as text.
        label: A name for traces.
    """

    points: Number
    when: str
    label: str | None = None

    def to_data(self) -> dict[str, Any]:
        """One entry of a group's ``points`` list."""
        return drop_none(
            {"points": number_data(self.points), "when": self.when, "label": self.label}
        )


@attrs.frozen(kw_only=True)
class ScoreGroup:
    """A group of points with its own cap and floor (``firmographics``, ``persona``).

    Args:
        name: The group's name in traces.
        points: The points of the group.
        cap: The most points the group gives.
        floor: The fewest points the group gives.
    """

    name: str | None = None
    points: tuple[ScorePoints, ...] = ()
    cap: Number | None = None
    floor: Number | None = None

    def to_data(self) -> dict[str, Any]:
        """One entry of ``fit.groups``."""
        return drop_none(
            {
                "name": self.name,
                "cap": None if self.cap is None else number_data(self.cap),
                "floor": None if self.floor is None else number_data(self.floor),
                "points": [p.to_data() for p in self.points],
            }
        )


@attrs.frozen(kw_only=True)
class FitScoring:
    """A fit score written as groups of points.

    Args:
        groups: The groups, added up.
        cap: The highest total.
        floor: The lowest total.
        name: The score's name in traces.
    """

    groups: tuple[ScoreGroup, ...] = ()
    cap: Number | None = None
    floor: Number | None = None
    name: str | None = None

    def to_data(self) -> dict[str, Any]:
        """The ``fit`` mapping of a file."""
        return drop_none(
            {
                "name": self.name,
                "cap": None if self.cap is None else number_data(self.cap),
                "floor": None if self.floor is None else number_data(self.floor),
                "groups": [g.to_data() for g in self.groups],
            }
        )


def _bands_data(bands: tuple[tuple[str, Number], ...]) -> dict[str, object]:
    return {label: number_data(threshold) for label, threshold in bands}


@attrs.frozen(kw_only=True)
class Grades:
    """Grade bands: label to the lowest score of the band, and the grade below them all.

    Args:
        fit: The fit grade bands (default A from 75, B from 50, C from 25).
        fit_default: The fit grade below every band.
        engagement: The engagement grade bands (default 1 from 75, 2 from 50, 3 from 25).
        engagement_default: The engagement grade below every band.
        priority: The priority grade bands (default hot from 70, warm from 40); only
            for a policy with a priority.
        priority_default: The priority grade below every band.
    """

    fit: tuple[tuple[str, Number], ...] = GRADE_BANDS
    fit_default: str = "D"
    engagement: tuple[tuple[str, Number], ...] = ENGAGEMENT_BANDS
    engagement_default: str = "4"
    priority: tuple[tuple[str, Number], ...] = PRIORITY_BANDS
    priority_default: str = "cold"

    def to_data(self) -> dict[str, Any]:
        """The ``grades`` mapping of a file (only what differs from the defaults)."""
        out: dict[str, Any] = {}
        if self.fit != GRADE_BANDS:
            out["fit"] = _bands_data(self.fit)
        if self.fit_default != "D":
            out["fit_default"] = self.fit_default
        if self.engagement != ENGAGEMENT_BANDS:
            out["engagement"] = _bands_data(self.engagement)
        if self.engagement_default != "4":
            out["engagement_default"] = self.engagement_default
        if self.priority != PRIORITY_BANDS:
            out["priority"] = _bands_data(self.priority)
        if self.priority_default != "cold":
            out["priority_default"] = self.priority_default
        return out


@attrs.frozen(kw_only=True)
class PriorityWeights:
    """A priority that weighs the fit and engagement scores (``weighted_priority``).

    Written in a file as ``priority: {weights: {fit: 0.6, engagement: 0.4}}``; the
    priority is ``fit * fit weight + engagement * engagement weight``.

    Args:
        fit: The weight of the fit score (an int or an exact ``Decimal``).
        engagement: The weight of the engagement score.
    """

    fit: Number
    engagement: Number

    def to_data(self) -> dict[str, Any]:
        """The ``priority`` mapping of a file."""
        return {
            "weights": {
                "fit": number_data(self.fit),
                "engagement": number_data(self.engagement),
            }
        }


def _signal_data(item: SignalPoints) -> dict[str, Any]:
    kinds = sorted(item.kinds)
    return drop_none(
        {
            "kinds": kinds[0] if len(kinds) == 1 else kinds,
            "points": number_data(item.points),
            "frequency": None if item.frequency == "every" else item.frequency,
            "cap": None if item.cap is None else number_data(item.cap),
            "within_days": item.within_days,
            "half_life_days": item.half_life_days,
            "min_gap_days": item.min_gap_days,
            "explicit": item.explicit,
        }
    )


@attrs.frozen(kw_only=True)
class EngagementScoring:
    """An engagement score: points per signal kind, plus other point rules.

    Args:
        signals: Points per signal kind, with caps, recency windows and decay.
        rules: Further point rules, as text (``10 points when contact.seniority = "vp"``).
        cap: The highest total (default 100).
        floor: The lowest total (default none: penalties may take it below 0).
        name: The score's name in traces.
    """

    signals: tuple[SignalPoints, ...] = ()
    rules: tuple[str, ...] = ()
    cap: Number | None = 100
    floor: Number | None = None
    name: str = "engagement"

    def to_data(self) -> dict[str, Any]:
        """The ``engagement`` mapping of a file."""
        out: dict[str, Any] = {}
        if self.name != "engagement":
            out["name"] = self.name
        if self.cap != 100:
            out["cap"] = None if self.cap is None else number_data(self.cap)
        if self.floor is not None:
            out["floor"] = number_data(self.floor)
        out["signals"] = [_signal_data(s) for s in self.signals]
        if self.rules:
            out["rules"] = list(self.rules)
        return out


@attrs.frozen(kw_only=True)
class CriterionSpec:
    """A framework criterion written out in full.

    Args:
        key: A lower-case identifier, unique in its framework.
        label: The name people read.
        rule: The condition, as text.
        description: What the criterion asks.
        evidence: The field path of the evidence behind it (``bant.budget.evidence``).
    """

    key: str
    label: str
    rule: str
    description: str | None = None
    evidence: str | None = None

    def to_data(self) -> dict[str, Any]:
        """One criterion of a file."""
        return drop_none(
            {
                "key": self.key,
                "label": self.label,
                "rule": self.rule,
                "description": self.description,
                "evidence": self.evidence,
            }
        )


@attrs.frozen(kw_only=True)
class CriterionChange:
    """Changes to one criterion of a preset; what is left at ``None`` stays.

    Args:
        rule: The new condition, as text.
        label: The new label.
        description: The new description.
        evidence: The new evidence path.
    """

    rule: str | None = None
    label: str | None = None
    description: str | None = None
    evidence: str | None = None

    def to_data(self) -> dict[str, Any]:
        """One entry of a preset's ``criteria`` mapping."""
        return drop_none(attrs.asdict(self))


@attrs.frozen(kw_only=True)
class PresetFramework:
    """A preset framework (``bant``, ``meddic``, ...), with options and changes.

    Args:
        preset: The preset's key (see ``funnelkit.frameworks.PRESET_FRAMEWORKS``).
        options: Keyword options of the preset's function (``timeline_days: 60``).
        criteria: Changes to criteria, by key.
        without: Keys of criteria to drop.
        add: Criteria to add at the end.
    """

    preset: str
    options: tuple[tuple[str, object], ...] = ()
    criteria: tuple[tuple[str, CriterionChange], ...] = ()
    without: tuple[str, ...] = ()
    add: tuple[CriterionSpec, ...] = ()

    def to_data(self) -> object:
        """The preset's key alone, or its mapping when it has options or changes."""
        if not (self.options or self.criteria or self.without or self.add):
            return self.preset
        out: dict[str, Any] = {"preset": self.preset}
        if self.options:
            out["options"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.options}
        if self.criteria:
            out["criteria"] = {k: change.to_data() for k, change in self.criteria}
        if self.without:
            out["without"] = list(self.without)
        if self.add:
            out["add"] = [c.to_data() for c in self.add]
        return out


@attrs.frozen(kw_only=True)
class CustomFramework:
    """A framework written out in full.

    Args:
        key: A lower-case identifier; rule outputs are named after it.
        name: The name people read.
        criteria: The criteria, in order.
        description: What the framework is for.
    """

    key: str
    name: str
    criteria: tuple[CriterionSpec, ...] = ()
    description: str | None = None

    def to_data(self) -> dict[str, Any]:
        """One custom framework of a file."""
        return drop_none(
            {
                "key": self.key,
                "name": self.name,
                "description": self.description,
                "criteria": [c.to_data() for c in self.criteria],
            }
        )
