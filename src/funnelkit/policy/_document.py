"""The policy document: the file's shape as frozen attrs classes, rules kept as text.

A document is what a policy file says, before its rules are parsed: metadata, the
funnel, the fit (an ICP, scoring groups or one rule), grades, engagement, the optional
priority (weights or one rule), frameworks, named definitions and the stages' entry
rules. ``to_policy()`` parses and checks it and builds the runtime
[`Policy`][funnelkit.qualify.Policy]; ``to_data()`` gives the plain data a file holds
(what ``dump_policy`` writes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from funnelkit.io import unstructure
from funnelkit.model import Funnel, IdealCustomerProfile
from funnelkit.policy._specs import (
    CustomFramework,
    EngagementScoring,
    FitScoring,
    Grades,
    Metadata,
    PresetFramework,
    PriorityWeights,
)

if TYPE_CHECKING:
    from funnelkit.policy._errors import PolicyLimits
    from funnelkit.qualify import Policy

__all__ = ["FORMAT_VERSION", "PolicyDocument", "Metadata", "StageSpec"]

FORMAT_VERSION = 1
"""The policy file format this funnelkit reads and writes."""


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
        grades: Fit, engagement and priority grade bands.
        engagement: The engagement score: one rule as text, or signal points.
        priority: The priority that combines fit and engagement: one number rule as
            text, or the weights of ``weighted_priority``; ``None`` for none.
        frameworks: Frameworks to report and to use in gates.
        definitions: Named rules, as text; later rules use them as ``ref("name")``.
        stages: Stage key to entry rule, for the open stages entered by rule.
        allow_skipping: Whether a lead may enter a stage without passing earlier gates.
        stage_map: Stages of other funnels and the stage of this funnel each stands for.
        reentry: When a recycled lead (in nurture) comes back by rule, as text, read on
            what is new since its last stage change; ``None``: the default
            (``funnelkit.qualify.DEFAULT_REENTRY``).
        custom_attributes: The custom attributes the rules read, name to type
            (``text``, ``number``, ``integer``, ``boolean``, ``date``).
        signal_kinds: The signal kinds the rules expect beyond the standard ones.
        version: The file format's version (1).
    """

    metadata: Metadata
    funnel: str | Funnel = "starter"
    icp: IdealCustomerProfile | None = None
    fit: str | FitScoring | None = None
    grades: Grades = attrs.field(factory=Grades)
    engagement: str | EngagementScoring | None = None
    priority: str | PriorityWeights | None = None
    frameworks: tuple[PresetFramework | CustomFramework, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()
    stages: tuple[tuple[str, StageSpec], ...] = ()
    allow_skipping: bool = True
    stage_map: tuple[tuple[str, str], ...] = ()
    reentry: str | None = None
    custom_attributes: tuple[tuple[str, str], ...] = ()
    signal_kinds: tuple[str, ...] = ()
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
        if self.custom_attributes:
            out["custom_attributes"] = dict(self.custom_attributes)
        if self.signal_kinds:
            out["signal_kinds"] = list(self.signal_kinds)
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
        if self.priority is not None:
            priority = self.priority
            out["priority"] = priority if isinstance(priority, str) else priority.to_data()
        if self.frameworks:
            out["frameworks"] = [fw.to_data() for fw in self.frameworks]
        if self.definitions:
            out["definitions"] = dict(self.definitions)
        if self.stages:
            out["stages"] = {key: spec.to_data() for key, spec in self.stages}
        if not self.allow_skipping:
            out["allow_skipping"] = False
        if self.stage_map:
            out["stage_map"] = dict(self.stage_map)
        if self.reentry is not None:
            out["reentry"] = self.reentry
        return out
