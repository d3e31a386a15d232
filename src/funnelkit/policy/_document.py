"""The policy document: the file's shape as frozen attrs classes, rules kept as text.

A document is what a policy file says, before its rules are parsed: metadata, the
funnel, the fit (an ICP, scoring groups or one rule), grades, engagement, frameworks,
named definitions and the stages' entry rules. ``to_policy()`` parses and checks it
and builds the runtime [`Policy`][funnelkit.qualify.Policy]; ``to_data()`` gives the
plain data a file holds (what ``dump_policy`` writes).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from funnelkit.io import unstructure
from funnelkit.model import Funnel, IdealCustomerProfile
from funnelkit.qualify import ENGAGEMENT_BANDS, GRADE_BANDS, SignalPoints

if TYPE_CHECKING:
    from funnelkit.policy._errors import PolicyLimits
    from funnelkit.qualify import Policy

__all__ = [
    "FORMAT_VERSION",
    "PolicyDocument",
    "Metadata",
    "ScorePoints",
    "ScoreGroup",
    "FitScoring",
    "Grades",
    "EngagementScoring",
    "CriterionSpec",
    "CriterionChange",
    "PresetFramework",
    "CustomFramework",
    "StageSpec",
]

FORMAT_VERSION = 1
"""The policy file format this funnelkit reads and writes."""

Number = int | Decimal


def _number(value: Number) -> object:
    """A number as a file holds it: ints stay ints, decimals become floats or text."""
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    return value


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
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
        return _drop_none(
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
        return _drop_none({"points": _number(self.points), "when": self.when, "label": self.label})


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
        return _drop_none(
            {
                "name": self.name,
                "cap": None if self.cap is None else _number(self.cap),
                "floor": None if self.floor is None else _number(self.floor),
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
        return _drop_none(
            {
                "name": self.name,
                "cap": None if self.cap is None else _number(self.cap),
                "floor": None if self.floor is None else _number(self.floor),
                "groups": [g.to_data() for g in self.groups],
            }
        )


def _bands_data(bands: tuple[tuple[str, Number], ...]) -> dict[str, object]:
    return {label: _number(threshold) for label, threshold in bands}


@attrs.frozen(kw_only=True)
class Grades:
    """Grade bands: label to the lowest score of the band, and the grade below them all.

    Args:
        fit: The fit grade bands (default A from 75, B from 50, C from 25).
        fit_default: The fit grade below every band.
        engagement: The engagement grade bands (default 1 from 75, 2 from 50, 3 from 25).
        engagement_default: The engagement grade below every band.
    """

    fit: tuple[tuple[str, Number], ...] = GRADE_BANDS
    fit_default: str = "D"
    engagement: tuple[tuple[str, Number], ...] = ENGAGEMENT_BANDS
    engagement_default: str = "4"

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
        return out


def _signal_data(item: SignalPoints) -> dict[str, Any]:
    kinds = sorted(item.kinds)
    return _drop_none(
        {
            "kinds": kinds[0] if len(kinds) == 1 else kinds,
            "points": _number(item.points),
            "frequency": None if item.frequency == "every" else item.frequency,
            "cap": None if item.cap is None else _number(item.cap),
            "within_days": item.within_days,
            "half_life_days": item.half_life_days,
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
            out["cap"] = None if self.cap is None else _number(self.cap)
        if self.floor is not None:
            out["floor"] = _number(self.floor)
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
        return _drop_none(
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
        return _drop_none(attrs.asdict(self))


@attrs.frozen(kw_only=True)
class PresetFramework:
    """A preset framework (``bant``, ``meddic``, ...), with options and changes.

    Args:
        preset: The preset's key (see ``funnelkit.frameworks.PRESETS``).
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
        return _drop_none(
            {
                "key": self.key,
                "name": self.name,
                "description": self.description,
                "criteria": [c.to_data() for c in self.criteria],
            }
        )


@attrs.frozen(kw_only=True)
class StageSpec:
    """The entry rule of one open stage.

    Args:
        entry: The condition, as text.
        description: Why the gate is what it is.
    """

    entry: str
    description: str | None = None

    def to_data(self) -> object:
        """The entry text alone, or a mapping when there is a description."""
        if self.description is None:
            return self.entry
        return {"entry": self.entry, "description": self.description}


@attrs.frozen(kw_only=True)
class PolicyDocument:
    """A policy as its file says it, rules kept as text (see the policy format reference).

    Args:
        metadata: Name, version, owner, description, effective date.
        funnel: A funnel preset's name (``starter``, ``demand_waterfall``) or a funnel.
        icp: An ideal customer profile; the fit score is its ``icp_fit``.
        fit: The fit score instead: one rule as text, or scoring groups.
        grades: Fit and engagement grade bands.
        engagement: The engagement score: one rule as text, or signal points.
        frameworks: Frameworks to report and to use in gates.
        definitions: Named rules, as text; later rules use them as ``ref("name")``.
        stages: Stage key to entry rule, for the open stages entered by rule.
        allow_skipping: Whether a lead may enter a stage without passing earlier gates.
        version: The file format's version (1).
    """

    metadata: Metadata
    funnel: str | Funnel = "starter"
    icp: IdealCustomerProfile | None = None
    fit: str | FitScoring | None = None
    grades: Grades = Grades()
    engagement: str | EngagementScoring | None = None
    frameworks: tuple[PresetFramework | CustomFramework, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()
    stages: tuple[tuple[str, StageSpec], ...] = ()
    allow_skipping: bool = True
    version: int = FORMAT_VERSION

    def to_policy(self, *, limits: PolicyLimits | None = None) -> Policy:
        """Parse and check every rule, and build the runtime policy.

        Args:
            limits: Bounds on rules and stages (``PolicyLimits()`` by default).

        Returns:
            The policy.

        Raises:
            PolicyFileError: Every problem found, each with its document path (no line
                numbers: a document built in Python has no file).
        """
        from funnelkit.policy._build import build_policy
        from funnelkit.policy._errors import PolicyLimits
        from funnelkit.policy._source import Source

        return build_policy(self, Source(data=None), limits or PolicyLimits())

    def to_data(self) -> dict[str, Any]:
        """The document as plain data, in file order, defaults left out."""
        out: dict[str, Any] = {"version": self.version, "metadata": self.metadata.to_data()}
        out["funnel"] = self.funnel if isinstance(self.funnel, str) else unstructure(self.funnel)
        if self.icp is not None:
            out["icp"] = unstructure(self.icp)
        if self.fit is not None:
            out["fit"] = self.fit if isinstance(self.fit, str) else self.fit.to_data()
        grades = self.grades.to_data()
        if grades:
            out["grades"] = grades
        if self.engagement is not None:
            engagement = self.engagement
            out["engagement"] = engagement if isinstance(engagement, str) else engagement.to_data()
        if self.frameworks:
            out["frameworks"] = [fw.to_data() for fw in self.frameworks]
        if self.definitions:
            out["definitions"] = dict(self.definitions)
        if self.stages:
            out["stages"] = {key: spec.to_data() for key, spec in self.stages}
        if not self.allow_skipping:
            out["allow_skipping"] = False
        return out


def pairs(value: Mapping[str, Any] | tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    """A mapping as a tuple of pairs (documents keep mappings as ordered pairs)."""
    return tuple(value.items()) if isinstance(value, Mapping) else tuple(value)
