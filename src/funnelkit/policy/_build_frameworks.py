"""Building a document's frameworks (presets with options and changes, custom ones).

``PartsBuilder`` is the part of the policy builder (``_build._Builder``) that turns
framework specs into ``Framework`` objects, recording every problem with the checker,
and ``attempt``, which calls a constructor and records its error instead of raising.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from funnelkit.errors import FunnelkitError
from funnelkit.frameworks import (
    PRESET_FRAMEWORKS,
    Criterion,
    Framework,
    anum,
    bant,
    champ,
    faint,
    gpct,
    gpctba_ci,
    meddic,
    meddpicc,
    opportunity_checklist,
)
from funnelkit.policy._check import Checker, did_you_mean
from funnelkit.policy._rules import RuleReader
from funnelkit.policy._source import Path
from funnelkit.policy._specs import CriterionSpec, CustomFramework, PresetFramework
from funnelkit.rules import Expr

if TYPE_CHECKING:
    from funnelkit.policy._document import PolicyDocument

__all__ = ["FRAMEWORK_PRESETS", "PartsBuilder"]

FRAMEWORK_PRESETS: dict[str, Callable[..., Framework]] = {
    "bant": bant,
    "opportunity": opportunity_checklist,
    "anum": anum,
    "champ": champ,
    "faint": faint,
    "meddic": meddic,
    "meddpicc": meddpicc,
    "gpct": gpct,
    "gpctba_ci": gpctba_ci,
}
"""Each framework preset's function, by the preset's key."""

T = TypeVar("T")
_BUILD_ERRORS = (FunnelkitError, ValueError, TypeError, KeyError)


def _reason(err: BaseException) -> str:
    return str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)


class PartsBuilder:
    """Frameworks and ``attempt`` for the policy builder, over its document and checker."""

    doc: PolicyDocument
    check: Checker
    rules: RuleReader
    env: dict[str, Expr]

    def attempt(self, path: Path, make: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``make(*args, **kwargs)``, or None with its error recorded as a problem at ``path``."""
        try:
            return make(*args, **kwargs)
        except _BUILD_ERRORS as err:
            self.check.problem(path, _reason(err))
            return None

    def frameworks(self) -> tuple[Framework, ...]:
        """The document's frameworks, each one's outputs added to ``env`` for later refs."""
        out: list[Framework] = []
        keys: set[str] = set()
        for i, spec in enumerate(self.doc.frameworks):
            path: Path = ("frameworks", i)
            if isinstance(spec, PresetFramework):
                fw = self.preset(spec, path) if spec.preset else None
            else:
                fw = self.custom(spec, path)
            if fw is None:
                continue
            if fw.key in keys:
                self.check.problem(path, f"the framework {fw.key!r} appears twice", fw.key)
                continue
            keys.add(fw.key)
            out.append(fw)
            for criterion in fw:
                self.env[f"{fw.key}_{criterion.key}"] = criterion.rule
            self.env[f"{fw.key}_met"] = fw.met_count()
        return tuple(out)

    def criterion(self, spec: CriterionSpec, path: Path) -> Criterion | None:
        rule = self.rules.parse(spec.rule, (*path, "rule"), self.env, condition=True)
        if rule is None:
            return None
        return self.attempt(
            path,
            Criterion,
            key=spec.key,
            label=spec.label,
            rule=rule,
            description=spec.description,
            evidence=spec.evidence,
        )

    def preset(self, spec: PresetFramework, path: Path) -> Framework | None:
        make = FRAMEWORK_PRESETS.get(spec.preset)
        if make is None:
            hint = did_you_mean(spec.preset, PRESET_FRAMEWORKS)
            where = (*path, "preset") if spec.options or spec.criteria or spec.add else path
            self.check.problem(
                where, f"unknown framework preset {spec.preset!r}{hint}", spec.preset
            )
            return None
        allowed = [p for p in inspect.signature(make).parameters if p != "self"]
        options = {}
        for name, value in spec.options:
            if name not in allowed:
                hint = did_you_mean(name, allowed) if allowed else f"; {spec.preset} has no options"
                self.check.problem(
                    (*path, "options", name), f"unknown option {name!r}{hint}", name, key=True
                )
            else:
                options[name] = value
        fw = self.attempt((*path, "options"), make, **options)
        if fw is None:
            return None
        for key, change in spec.criteria:
            here = (*path, "criteria", key)
            if key not in fw:
                self.check.problem(
                    here,
                    f"{fw.name} has no criterion {key!r}{did_you_mean(key, fw.keys)}",
                    key,
                    key=True,
                )
                continue
            rule = None
            if change.rule is not None:
                rule = self.rules.parse(change.rule, (*here, "rule"), self.env, condition=True)
            changed = self.attempt(
                here,
                fw.replace,
                key,
                rule=rule,
                label=change.label,
                description=change.description,
                evidence=change.evidence,
            )
            fw = fw if changed is None else changed
        for j, key in enumerate(spec.without):
            if key not in fw:
                self.check.problem(
                    (*path, "without", j),
                    f"{fw.name} has no criterion {key!r}{did_you_mean(key, fw.keys)}",
                    key,
                )
            else:
                fw = fw.without(key)
        for j, item in enumerate(spec.add):
            criterion = self.criterion(item, (*path, "add", j))
            if criterion is not None:
                extended = self.attempt((*path, "add", j), fw.extend, criterion)
                fw = fw if extended is None else extended
        return fw

    def custom(self, spec: CustomFramework, path: Path) -> Framework | None:
        criteria = [self.criterion(c, (*path, "criteria", j)) for j, c in enumerate(spec.criteria)]
        if any(c is None for c in criteria):
            return None
        return self.attempt(
            path,
            Framework,
            key=spec.key,
            name=spec.name,
            description=spec.description,
            criteria=tuple(c for c in criteria if c is not None),
        )
