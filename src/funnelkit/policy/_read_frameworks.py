"""Reading the ``frameworks`` list of a policy document: presets, changes, custom ones."""

from __future__ import annotations

from typing import Any

from funnelkit.policy._check import Checker
from funnelkit.policy._source import Path
from funnelkit.policy._specs import (
    CriterionChange,
    CriterionSpec,
    CustomFramework,
    PresetFramework,
)

__all__ = ["read_frameworks", "SKIPPED"]

SKIPPED = ""
"""The rule text of an entry that could not be read (already reported): not built."""
_SKIPPED_CRITERION = CriterionSpec(key="", label="", rule=SKIPPED)
_SKIPPED_FRAMEWORK = PresetFramework(preset="")
_CRITERION_KEYS = ("key", "label", "rule", "description", "evidence")


def _criterion(check: Checker, value: object, path: Path) -> CriterionSpec | None:
    data = check.mapping(value, path, known=_CRITERION_KEYS, required=("key", "label", "rule"))
    if data is None or not all(k in data for k in ("key", "label", "rule")):
        return None
    key = check.text(data["key"], (*path, "key"))
    label = check.text(data["label"], (*path, "label"))
    rule = check.rule_text(data["rule"], (*path, "rule"))
    description = check.text(data.get("description"), (*path, "description"), optional=True)
    evidence = check.text(data.get("evidence"), (*path, "evidence"), optional=True)
    if key is None or label is None or rule is None:
        return None
    return CriterionSpec(
        key=key, label=label, rule=rule, description=description, evidence=evidence
    )


def _preset(check: Checker, data: dict[str, Any], path: Path) -> PresetFramework | None:
    known = ("preset", "options", "criteria", "without", "add")
    check.mapping(data, path, known=known)
    preset = check.text(data["preset"], (*path, "preset"))
    options = check.mapping(data.get("options", {}), (*path, "options")) or {}
    changes = []
    for key, change in (check.mapping(data.get("criteria", {}), (*path, "criteria")) or {}).items():
        here = (*path, "criteria", key)
        fields = check.mapping(change, here, known=("rule", "label", "description", "evidence"))
        if fields is None:
            continue
        rule = fields.get("rule")
        texts = {
            name: check.text(fields.get(name), (*here, name), optional=True)
            for name in ("label", "description", "evidence")
        }
        changes.append(
            (
                key,
                CriterionChange(
                    rule=None if rule is None else check.rule_text(rule, (*here, "rule")),
                    **texts,
                ),
            )
        )
    without = check.names(data.get("without", []), (*path, "without")) or ()
    added = check.items(data.get("add", []), (*path, "add")) or []
    add = [_criterion(check, c, (*path, "add", i)) for i, c in enumerate(added)]
    if preset is None:
        return None
    return PresetFramework(
        preset=preset,
        options=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()),
        criteria=tuple(changes),
        without=without,
        add=tuple(_SKIPPED_CRITERION if c is None else c for c in add),
    )


def read_frameworks(
    check: Checker, value: object, path: Path
) -> tuple[PresetFramework | CustomFramework, ...]:
    out: list[PresetFramework | CustomFramework] = []
    for i, item in enumerate(check.items(value, path) or []):
        here = (*path, i)
        if isinstance(item, str):
            out.append(PresetFramework(preset=item))
            continue
        data = check.mapping(item, here, what="a preset's key, or a mapping")
        if data is None:
            out.append(_SKIPPED_FRAMEWORK)
            continue
        if "preset" in data:
            preset = _preset(check, data, here)
            out.append(_SKIPPED_FRAMEWORK if preset is None else preset)
            continue
        known = ("key", "name", "description", "criteria")
        check.mapping(data, here, known=known, required=("key", "name", "criteria"))
        entries = check.items(data.get("criteria", []), (*here, "criteria")) or []
        criteria = [_criterion(check, c, (*here, "criteria", j)) for j, c in enumerate(entries)]
        key = check.text(data.get("key"), (*here, "key")) if "key" in data else None
        name = check.text(data.get("name"), (*here, "name")) if "name" in data else None
        description = check.text(data.get("description"), (*here, "description"), optional=True)
        if key is None or name is None:
            out.append(_SKIPPED_FRAMEWORK)
            continue
        out.append(
            CustomFramework(
                key=key,
                name=name,
                description=description,
                criteria=tuple(_SKIPPED_CRITERION if c is None else c for c in criteria),
            )
        )
    return tuple(out)
