"""Building a PolicyDocument into a runtime Policy, collecting every problem on the way.

The outputs are built in the order of the policy's rule set (definitions, fit,
engagement, priority, frameworks, stages), so each rule text is checked against exactly the
outputs it may ``ref``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from funnelkit.model import DEMAND_WATERFALL, STARTER_FUNNEL, Funnel, UnknownStageError
from funnelkit.policy._build_frameworks import FRAMEWORK_PRESETS, PartsBuilder
from funnelkit.policy._check import Checker, did_you_mean
from funnelkit.policy._errors import PolicyLimits
from funnelkit.policy._rules import RuleReader, order_definitions
from funnelkit.policy._source import Path, Source
from funnelkit.policy._specs import FitScoring
from funnelkit.qualify import (
    PRIORITY_BANDS,
    Policy,
    StageGate,
    engagement_score,
    icp_fit,
    weighted_priority,
)
from funnelkit.qualify import RESERVED_OUTPUTS as RESERVED
from funnelkit.rules import Expr, grade, points, ref, score

if TYPE_CHECKING:
    from funnelkit.policy._document import PolicyDocument

__all__ = ["build_policy", "FUNNELS", "FRAMEWORK_PRESETS"]

FUNNELS: dict[str, Funnel] = {"starter": STARTER_FUNNEL, "demand_waterfall": DEMAND_WATERFALL}
"""The funnel presets a document may name."""


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = RESERVED  # the policy's own output names: no definition may take one


class _Builder(PartsBuilder):
    """Builds the whole policy; the frameworks and ``attempt`` come from PartsBuilder."""

    def __init__(self, document: PolicyDocument, check: Checker) -> None:
        self.doc = document
        self.check = check
        self.rules = RuleReader(check)
        self.rules.declared = dict(document.custom_attributes)
        self.env: dict[str, Expr] = {}

    def funnel(self) -> Funnel | None:
        funnel = self.doc.funnel
        if isinstance(funnel, Funnel) or funnel is None:
            return funnel
        if funnel in FUNNELS:
            return FUNNELS[funnel]
        hint = did_you_mean(funnel, FUNNELS)
        self.check.problem(("funnel",), f"unknown funnel preset {funnel!r}{hint}", funnel)
        return None

    def definitions(self) -> tuple[tuple[str, Expr], ...]:
        texts = dict(self.doc.definitions)
        for name in texts:
            if not _NAME.match(name) or name in _RESERVED or name.startswith("stage_"):
                self.check.problem(
                    ("definitions", name),
                    f"{name!r} cannot name a definition: use a lower-case identifier that is "
                    "not fit, fit_grade, engagement, engagement_grade, priority, "
                    "priority_grade or stage_...",
                    name,
                    key=True,
                )
        order, cycles = order_definitions(self.doc.definitions)
        for cycle in cycles:
            self.check.problem(
                ("definitions", cycle[0]),
                f"the definitions refer to each other in a cycle: {' -> '.join(cycle)}",
                key=True,
            )
        self.rules.broken.update(name for name in texts if name not in order)
        out = []
        for name in order:
            node = self.rules.parse(texts[name], ("definitions", name), self.env, condition=False)
            if node is None:
                self.rules.broken.add(name)
                continue
            self.env[name] = node
            out.append((name, node))
        return tuple(out)

    def fit(self) -> Expr:
        doc, path = self.doc, ("fit",)
        if doc.icp is not None and doc.fit is not None:
            self.check.problem(path, "give either 'icp' or 'fit', not both")
        fit: Expr | None = None
        if doc.icp is not None:
            fit = icp_fit(doc.icp)
        elif isinstance(doc.fit, str):
            fit = self.rules.number(doc.fit, path, self.env)
        elif isinstance(doc.fit, FitScoring):
            fit = self.scoring(doc.fit, path)
        return fit if fit is not None else score()

    def scoring(self, fit: FitScoring, path: Path) -> Expr | None:
        groups = []
        for g, group in enumerate(fit.groups):
            here = (*path, "groups", g)
            items = []
            for p, item in enumerate(group.points):
                spot = (*here, "points", p)
                when = self.rules.parse(item.when, (*spot, "when"), self.env, condition=True)
                if when is not None:
                    items.append(
                        self.attempt(spot, points, item.points, when=when, label=item.label)
                    )
            bounds = {"cap": group.cap, "floor": group.floor, "name": group.name}
            groups.append(self.attempt(here, score, *(i for i in items if i is not None), **bounds))
        found = (g for g in groups if g is not None)
        return self.attempt(path, score, *found, cap=fit.cap, floor=fit.floor, name=fit.name)

    def engagement(self) -> Expr:
        value, path = self.doc.engagement, ("engagement",)
        if value is None:
            return score()
        if isinstance(value, str):
            node = self.rules.number(value, path, self.env)
            return score() if node is None else node
        extra = []
        for i, text in enumerate(value.rules):
            node = self.rules.number(text, (*path, "rules", i), self.env)
            if node is not None:
                extra.append(node)
        built = self.attempt(
            path,
            engagement_score,
            *value.signals,
            *extra,
            cap=value.cap,
            floor=value.floor,
            name=value.name,
        )
        return score() if built is None else built

    def priority(self) -> Expr | None:
        value, path, grades = self.doc.priority, ("priority",), self.doc.grades
        if value is None:
            unused = {"priority": grades.priority != PRIORITY_BANDS}
            unused["priority_default"] = grades.priority_default != "cold"
            for key in (key for key, given in unused.items() if given):
                self.check.problem(
                    ("grades", key),
                    "the policy has no priority to grade: add a top-level 'priority' "
                    "(a rule, or {weights: {fit: ..., engagement: ...}})",
                    key=True,
                )
            return None
        if isinstance(value, str):
            node = self.rules.number(value, path, self.env)
        else:
            weights = {"fit": value.fit, "engagement": value.engagement}
            node = self.attempt((*path, "weights"), weighted_priority, **weights)
        if node is None:
            self.rules.broken.update(("priority", "priority_grade"))
        return node

    def grades(self, what: str, node: Expr) -> None:
        bands = getattr(self.doc.grades, what)
        default = getattr(self.doc.grades, f"{what}_default")
        self.env[what] = node
        made = self.attempt(("grades", what), grade, ref(what), dict(bands), default=default)
        if made is not None:
            self.env[f"{what}_grade"] = made

    def gates(self, funnel: Funnel | None) -> tuple[StageGate, ...]:
        specs = dict(self.doc.stages)
        if funnel is None:  # the funnel is already reported: only parse the rules
            order = list(specs)
        else:
            order = []
            for key in specs:
                try:
                    stage = funnel.stage(key)
                except UnknownStageError as err:
                    self.check.problem(("stages", key), str(err), key, key=True)
                    continue
                if not stage.is_open:
                    self.check.problem(
                        ("stages", key),
                        f"{key!r} is a {stage.kind.value} stage; only open stages are entered "
                        "by rule (move leads to outcomes explicitly)",
                        key,
                        key=True,
                    )
                    continue
                order.append(key)
            order.sort(key=lambda k: funnel.stage(k).order)
        gates = []
        for key in order:
            spec = specs[key]
            written_out = ("stages", key, "entry") in self.check.source.values
            long_form = written_out or spec.description is not None
            here = ("stages", key, "entry") if long_form else ("stages", key)
            entry = self.rules.parse(spec.entry, here, self.env, condition=True)
            if entry is None:
                continue
            self.env[f"stage_{key}"] = entry
            gates.append(StageGate(stage=key, entry=entry, description=spec.description))
        return tuple(gates)

    def stage_map(self, funnel: Funnel | None) -> tuple[tuple[str, str], ...]:
        out = []
        for source, target in self.doc.stage_map:
            here = ("stage_map", source)
            if funnel is None:
                continue
            if source in funnel:
                self.check.problem(
                    here,
                    f"{source!r} is a stage of the {funnel.name} funnel itself; map only "
                    "stages of other funnels",
                    source,
                    key=True,
                )
            elif target not in funnel:
                self.check.problem(
                    here,
                    f"{target!r} is not a stage of the {funnel.name} funnel"
                    + did_you_mean(target, funnel.keys),
                    target,
                )
            else:
                out.append((source, target))
        return tuple(out)

    def build(self) -> Policy | None:
        funnel = self.funnel()
        definitions = self.definitions()
        fit = self.fit()
        self.grades("fit", fit)
        engagement = self.engagement()
        self.grades("engagement", engagement)
        priority = self.priority()
        if priority is not None:
            self.grades("priority", priority)
        frameworks = self.frameworks()
        gates = self.gates(funnel)
        stage_map = self.stage_map(funnel)
        reentry: Expr | None = None
        if self.doc.reentry is not None:
            reentry = self.rules.parse(self.doc.reentry, ("reentry",), {}, condition=True)
        if self.check.problems or funnel is None:
            return None
        doc, meta = self.doc, self.doc.metadata
        extra: dict[str, Any] = {} if reentry is None else {"reentry": reentry}
        return self.attempt(
            (),
            Policy,
            name=meta.name,
            version=meta.version,
            description=meta.description,
            owner=meta.owner,
            effective_date=meta.effective_date,
            funnel=funnel,
            gates=gates,
            fit=fit,
            fit_grades=doc.grades.fit,
            fit_default_grade=doc.grades.fit_default,
            engagement=engagement,
            engagement_grades=doc.grades.engagement,
            engagement_default_grade=doc.grades.engagement_default,
            priority=priority,
            priority_grades=doc.grades.priority,
            priority_default_grade=doc.grades.priority_default,
            frameworks=frameworks,
            definitions=definitions,
            allow_skipping=doc.allow_skipping,
            stage_map=stage_map,
            custom_attributes=doc.custom_attributes,
            signal_kinds=doc.signal_kinds,
            **extra,
        )


def build_policy(document: PolicyDocument, source: Source, limits: PolicyLimits) -> Policy:
    """Build a document into a Policy, or raise PolicyFileError listing every problem."""
    return build_checked(document, Checker(source, limits))


def build_checked(document: PolicyDocument, check: Checker) -> Policy:
    """Build with an existing checker (which may already hold problems from reading)."""
    policy = _Builder(document, check).build()
    check.raise_if_any()
    assert policy is not None  # no problem recorded means the policy was built
    return policy
