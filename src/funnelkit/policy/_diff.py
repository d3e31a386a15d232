"""What changed between two policies: metadata, stages, gates, points, grades, frameworks.

Both policies are compared as documents (what their files say): mappings key by key,
lists of named things (frameworks, criteria, signal points, groups, points, funnel
stages) by their key, lists of plain values (industries, countries) as sets. Two rule
texts that parse to the same tree are the same rule, however they are laid out, and a
``ref``'s kind and condition flag are hints (``ref("hr")`` is ``ref("hr", condition
true)``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from funnelkit.errors import InvalidArgumentError
from funnelkit.policy._build import build_policy
from funnelkit.policy._document import PolicyDocument
from funnelkit.policy._errors import PolicyFileError, PolicyLimits
from funnelkit.policy._export import policy_to_document, same_rule
from funnelkit.policy._source import Source
from funnelkit.qualify import Policy, PolicyError
from funnelkit.rules import ConditionSyntaxError, Expr, parse_rule

__all__ = ["PolicyChange", "diff_policies", "render_changes"]

_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def _show(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split()) or '""'
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "{}"
    return json.dumps(value, ensure_ascii=False, default=str)


@attrs.frozen(kw_only=True)
class PolicyChange:
    """One change between two policies.

    Args:
        kind: ``added``, ``removed`` or ``changed``.
        path: Where, in the document: ``stages.sql``, ``engagement.signals[demo_request].points``,
            ``frameworks[bant].options.timeline_days``, ``icp.industries``.
        old: The old value (``None`` when added).
        new: The new value (``None`` when removed).
    """

    kind: str
    path: str
    old: object = None
    new: object = None

    @property
    def section(self) -> str:
        """The top-level part of the policy that changed (``stages``, ``fit``, ...)."""
        return self.path.split(".", 1)[0].split("[", 1)[0]

    def __str__(self) -> str:
        mark = _MARKS[self.kind]
        if self.kind == "added":
            return f"{mark} {self.path}: {_show(self.new)}"
        if self.kind == "removed":
            return f"{mark} {self.path}: {_show(self.old)}"
        return f"{mark} {self.path}: {_show(self.old)} -> {_show(self.new)}"


def _document(policy: Policy | PolicyDocument) -> dict[str, Any]:
    doc = policy if isinstance(policy, PolicyDocument) else policy_to_document(policy)
    data = doc.to_data()
    grades = doc.grades
    data["grades"] = {
        "fit": dict(grades.fit),
        "fit_default": grades.fit_default,
        "engagement": dict(grades.engagement),
        "engagement_default": grades.engagement_default,
        "priority": dict(grades.priority),
        "priority_default": grades.priority_default,
    }
    data.setdefault("allow_skipping", True)
    data["stages"] = {
        key: value if isinstance(value, dict) else {"entry": value}
        for key, value in data.get("stages", {}).items()
    }
    if isinstance(data.get("frameworks"), list):
        data["frameworks"] = [
            {"preset": fw} if isinstance(fw, str) else fw for fw in data["frameworks"]
        ]
    return data


Refs = Mapping[str, Expr] | None


def _outputs(policy: Policy | PolicyDocument) -> Refs:
    """The policy's outputs by name, so that rule texts parse as the loader reads them.

    ``None`` when a document does not build: its texts are then parsed on their own.
    """
    if isinstance(policy, Policy):
        return dict(policy.rules.outputs)
    try:
        built = build_policy(policy, Source(data=None), PolicyLimits())
    except (PolicyFileError, PolicyError):
        return None
    return dict(built.rules.outputs)


def _same_rule(a: str, b: str, refs: tuple[Refs, Refs] = (None, None)) -> bool:
    if " ".join(a.split()) == " ".join(b.split()):
        return True
    try:
        return same_rule(parse_rule(a, refs=refs[0]), parse_rule(b, refs=refs[1]))
    except ConditionSyntaxError:
        return False


def _item_key(item: object, index: int) -> str:
    if not isinstance(item, dict):
        return str(index)
    for field in ("key", "preset", "label", "name", "kinds", "when"):
        value = item.get(field)
        if isinstance(value, list):
            return "+".join(str(v) for v in value)
        if value is not None:
            return " ".join(str(value).split())
    return str(index)


def _join(path: str, key: str) -> str:
    return f"{path}{key}" if key.startswith("[") or not path else f"{path}.{key}"


class _Differ:
    def __init__(self, refs: tuple[Refs, Refs] = (None, None)) -> None:
        self.changes: list[PolicyChange] = []
        self.refs = refs

    def add(self, kind: str, path: str, old: object = None, new: object = None) -> None:
        self.changes.append(PolicyChange(kind=kind, path=path, old=old, new=new))

    def diff(self, old: object, new: object, path: str) -> None:
        if old == new:
            return
        if isinstance(old, dict) and isinstance(new, dict):
            for key in old:
                if key not in new:
                    self.add("removed", _join(path, key), old=old[key])
                else:
                    self.diff(old[key], new[key], _join(path, key))
            for key in new:
                if key not in old:
                    self.add("added", _join(path, key), new=new[key])
            return
        if isinstance(old, list) and isinstance(new, list):
            self.lists(old, new, path)
            return
        if isinstance(old, str) and isinstance(new, str) and _same_rule(old, new, self.refs):
            return
        self.add("changed", path, old=old, new=new)

    def lists(self, old: list[Any], new: list[Any], path: str) -> None:
        if all(not isinstance(v, dict | list) for v in (*old, *new)):
            for value in old:
                if value not in new:
                    self.add("removed", path, old=value)
            for value in new:
                if value not in old:
                    self.add("added", path, new=value)
            return
        old_keys = [_item_key(v, i) for i, v in enumerate(old)]
        new_keys = [_item_key(v, i) for i, v in enumerate(new)]
        if len(set(old_keys)) < len(old_keys) or len(set(new_keys)) < len(new_keys):
            old_keys = [str(i) for i in range(len(old))]
            new_keys = [str(i) for i in range(len(new))]
        self.diff(
            {f"[{k}]": v for k, v in zip(old_keys, old, strict=True)},
            {f"[{k}]": v for k, v in zip(new_keys, new, strict=True)},
            path,
        )


def diff_policies(
    old: Policy | PolicyDocument, new: Policy | PolicyDocument
) -> tuple[PolicyChange, ...]:
    """The changes from one policy to another.

    Documents (as read from files with ``load_document``) compare best: an ICP is
    compared field by field, and rules as the files write them. A ``Policy`` is first
    turned into its document (``policy_to_document``).

    Args:
        old: The policy before.
        new: The policy after.

    Returns:
        The changes, in document order (empty when nothing changed).

    Examples:
        >>> from funnelkit.qualify import BANT_GATED, STARTER
        >>> for change in diff_policies(STARTER, BANT_GATED)[:3]:
        ...     print(change)
        ~ metadata.name: starter -> bant_gated
        ~ metadata.description: The four-level starter funnel: inquiry, profiled, sales-ready, opportunity. -> Opportunities only when all of BANT is met; fit alone profiles.
        - frameworks[opportunity]: preset: opportunity
    """  # noqa: E501
    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, Policy | PolicyDocument):
            raise InvalidArgumentError(
                f"{name} must be a Policy or a PolicyDocument, got {type(value).__name__}",
                argument=name,
                value=value,
            )
    differ = _Differ((_outputs(old), _outputs(new)))
    differ.diff(_document(old), _document(new), "")
    return tuple(differ.changes)


def render_changes(changes: Sequence[PolicyChange]) -> str:
    """The changes as text, one per line (``+`` added, ``-`` removed, ``~`` changed).

    Args:
        changes: What ``diff_policies`` returned.

    Returns:
        The lines, or ``no changes``.
    """
    return "\n".join(str(c) for c in changes) if changes else "no changes"
