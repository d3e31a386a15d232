"""Reading plain data into a PolicyDocument, checking its shape and collecting problems.

Only the shape is checked here (known keys, types, the format version); rule texts are
parsed when the document is built into a policy. Model objects in a document (an ICP, a
funnel) go through funnelkit's cattrs converter, the same one that reads lead records,
and its problems are re-located under their key.
"""

from __future__ import annotations

import re
from typing import Any

from funnelkit.errors import RecordError, describe_value
from funnelkit.io import structure
from funnelkit.model import Funnel, IdealCustomerProfile
from funnelkit.policy._check import Checker, parse_path
from funnelkit.policy._document import (
    FORMAT_VERSION,
    Metadata,
    PolicyDocument,
    StageSpec,
)
from funnelkit.policy._read_declared import read_custom_attributes, read_signal_kinds
from funnelkit.policy._read_frameworks import SKIPPED, read_frameworks
from funnelkit.policy._source import Path
from funnelkit.policy._specs import (
    EngagementScoring,
    FitScoring,
    Grades,
    PriorityWeights,
    ScoreGroup,
    ScorePoints,
)
from funnelkit.qualify import ENGAGEMENT_BANDS, GRADE_BANDS, PRIORITY_BANDS, SignalPoints

__all__ = ["read_document", "TOP_LEVEL", "SKIPPED"]

TOP_LEVEL = (
    *("version", "metadata", "custom_attributes", "signal_kinds"),
    *("funnel", "icp", "fit", "grades", "engagement", "priority"),
    *("frameworks", "definitions", "stages", "allow_skipping", "stage_map", "reentry"),
)
"""The keys of a policy file, in the order they are written."""

_UNKNOWN = re.compile(r"a known field of \w+ \((.*)\)$")
_SKIPPED_POINTS = ScorePoints(points=0, when=SKIPPED)
_SIGNAL_KEYS = (
    "kinds",
    "points",
    "frequency",
    "cap",
    "within_days",
    "half_life_days",
    "min_gap_days",
    "explicit",
)


def _check_version(check: Checker, data: dict[str, Any]) -> bool:
    if "version" not in data:
        check.problem(
            (),
            f"the format version is missing: start the file with 'version: {FORMAT_VERSION}'",
        )
        return False
    version = data["version"]
    if isinstance(version, int) and not isinstance(version, bool):
        if version == FORMAT_VERSION:
            return True
        if version > FORMAT_VERSION:
            check.problem(
                ("version",),
                f"written for funnelkit policy format {version}; this funnelkit reads "
                f"{FORMAT_VERSION}; upgrade funnelkit",
                version,
            )
            return False
    check.problem(
        ("version",),
        f"unknown policy format version {describe_value(version)}; this funnelkit reads "
        f"format {FORMAT_VERSION} (write 'version: {FORMAT_VERSION}')",
        version,
    )
    return False


def read_document(data: object, check: Checker) -> PolicyDocument | None:
    """Read a document, recording every shape problem; ``None`` if it cannot be read.

    A document with problems may still be returned (bad parts left at their defaults),
    so that its rules can be checked too; the caller raises if any problem was found.
    """
    top = check.mapping(data, (), what="a policy document (a mapping)")
    if top is None or not _check_version(check, top):
        return None
    check.mapping(top, (), known=TOP_LEVEL, required=("metadata",))
    metadata = _metadata(check, top.get("metadata"), ("metadata",))
    funnel = _funnel(check, top.get("funnel", "starter"), ("funnel",))
    kwargs: dict[str, Any] = {"metadata": metadata or Metadata(name="?"), "funnel": funnel}
    if "custom_attributes" in top:
        kwargs["custom_attributes"] = read_custom_attributes(check, top["custom_attributes"])
    if "signal_kinds" in top:
        kwargs["signal_kinds"] = read_signal_kinds(check, top["signal_kinds"])
    if "icp" in top:
        kwargs["icp"] = _model(check, top["icp"], ("icp",), IdealCustomerProfile)
    if "fit" in top:
        kwargs["fit"] = _fit(check, top["fit"], ("fit",))
    if "grades" in top:
        kwargs["grades"] = _grades(check, top["grades"], ("grades",))
    if "engagement" in top:
        kwargs["engagement"] = _engagement(check, top["engagement"], ("engagement",))
    if "priority" in top:
        kwargs["priority"] = _priority(check, top["priority"], ("priority",))
    kwargs["frameworks"] = read_frameworks(check, top.get("frameworks", []), ("frameworks",))
    kwargs["definitions"] = _definitions(check, top.get("definitions", {}), ("definitions",))
    kwargs["stages"] = _stages(check, top.get("stages", {}), ("stages",))
    if "allow_skipping" in top:
        kwargs["allow_skipping"] = check.flag(top["allow_skipping"], ("allow_skipping",))
        if kwargs["allow_skipping"] is None:
            del kwargs["allow_skipping"]
    if "stage_map" in top:
        kwargs["stage_map"] = _stage_map(check, top["stage_map"], ("stage_map",))
    if "reentry" in top:
        reentry = check.rule_text(top["reentry"], ("reentry",))
        if reentry is not None:
            kwargs["reentry"] = reentry
    if metadata is None:
        return None
    return PolicyDocument(**kwargs)


def _metadata(check: Checker, value: object, path: Path) -> Metadata | None:
    known = ("name", "version", "description", "owner", "effective_date")
    data = check.mapping(value, path, known=known, required=("name",))
    if data is None or "name" not in data:
        return None
    name = check.text(data["name"], (*path, "name"))
    version: object = data.get("version", "1")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)  # "version: 2" means "2"
    version = check.text(version, (*path, "version"))
    effective = data.get("effective_date")
    return Metadata(
        name=name or "?",
        version=version or "1",
        description=check.text(data.get("description"), (*path, "description"), optional=True),
        owner=check.text(data.get("owner"), (*path, "owner"), optional=True),
        effective_date=None
        if effective is None
        else check.day(effective, (*path, "effective_date")),
    )


def _model(check: Checker, value: object, path: Path, cls: type[Any]) -> Any:
    """A model object through the record converter, its problems located under ``path``."""
    try:
        return structure(value, cls)
    except RecordError as err:
        for problem in err.problems:
            where = (*path, *parse_path(problem.path))
            unknown = _UNKNOWN.match(problem.expected)
            if unknown:
                name = str(where[-1])
                message = f"unknown field {name!r}; {unknown.group(1)}"
            else:
                message = f"expected {problem.expected}, got {describe_value(problem.value)}"
            check.problem(where, message, problem.value, key=unknown is not None)
    return None


def _funnel(check: Checker, value: object, path: Path) -> str | Funnel | None:
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        check.expected(path, "a funnel preset's name or a funnel", value)
        return None
    stages = value.get("stages")
    if isinstance(stages, list) and not check.limit(
        len(stages), check.limits.max_stages, (*path, "stages"), "stages", "PolicyLimits.max_stages"
    ):
        return None
    funnel: Funnel | None = _model(check, value, path, Funnel)
    return funnel


def _points_item(check: Checker, value: object, path: Path) -> ScorePoints | None:
    data = check.mapping(
        value, path, known=("points", "when", "label"), required=("points", "when")
    )
    if data is None or "points" not in data or "when" not in data:
        return None
    points = check.number(data["points"], (*path, "points"))
    when = check.rule_text(data["when"], (*path, "when"))
    label = check.text(data.get("label"), (*path, "label"), optional=True)
    if points is None or when is None:
        return None
    return ScorePoints(points=points, when=when, label=label)


def _bounds(check: Checker, data: dict[str, Any], path: Path) -> dict[str, Any]:
    return {
        bound: check.number(data.get(bound), (*path, bound), optional=True)
        for bound in ("cap", "floor")
    }


def _fit(check: Checker, value: object, path: Path) -> str | FitScoring | None:
    if isinstance(value, str):
        return check.rule_text(value, path)
    data = check.mapping(
        value,
        path,
        known=("name", "cap", "floor", "groups"),
        what="a rule as text or scoring groups",
    )
    if data is None:
        return None
    groups: list[ScoreGroup] = []
    for i, item in enumerate(check.items(data.get("groups", []), (*path, "groups")) or []):
        here = (*path, "groups", i)
        group = check.mapping(item, here, known=("name", "cap", "floor", "points"))
        if group is None:
            groups.append(ScoreGroup())
            continue
        entries = check.items(group.get("points", []), (*here, "points")) or []
        found = [_points_item(check, p, (*here, "points", j)) for j, p in enumerate(entries)]
        groups.append(
            ScoreGroup(
                name=check.text(group.get("name"), (*here, "name"), optional=True),
                points=tuple(_SKIPPED_POINTS if p is None else p for p in found),
                **_bounds(check, group, here),
            )
        )
    name = check.text(data.get("name"), (*path, "name"), optional=True)
    return FitScoring(groups=tuple(groups), name=name, **_bounds(check, data, path))


def _bands(check: Checker, value: object, path: Path) -> tuple[tuple[str, Any], ...] | None:
    data = check.mapping(value, path, what="a mapping of grade label to lowest score")
    if data is None:
        return None
    out = []
    for label, threshold in data.items():
        number = check.number(threshold, (*path, label))
        if number is not None:
            out.append((label, number))
    return tuple(sorted(out, key=lambda pair: pair[1], reverse=True))


_GRADE_DEFAULTS: dict[str, tuple[tuple[tuple[str, int], ...], str]] = {
    "fit": (GRADE_BANDS, "D"),
    "engagement": (ENGAGEMENT_BANDS, "4"),
    "priority": (PRIORITY_BANDS, "cold"),
}


def _grades(check: Checker, value: object, path: Path) -> Grades:
    known = [k for what in _GRADE_DEFAULTS for k in (what, f"{what}_default")]
    data = check.mapping(value, path, known=known) or {}
    fields: dict[str, Any] = {}
    for what, (bands, default) in _GRADE_DEFAULTS.items():
        found = _bands(check, data[what], (*path, what)) if what in data else None
        fields[what] = bands if found is None else found
        below = f"{what}_default"
        fields[below] = check.text(data.get(below, default), (*path, below)) or default
    return Grades(**fields)


def _signal(check: Checker, value: object, path: Path) -> SignalPoints | None:
    data = check.mapping(value, path, known=_SIGNAL_KEYS, required=("kinds", "points"))
    if data is None or "kinds" not in data or "points" not in data:
        return None
    kinds = check.names(data["kinds"], (*path, "kinds"))
    fields: dict[str, Any] = {
        "points": check.number(data["points"], (*path, "points")),
        "frequency": check.text(data.get("frequency", "every"), (*path, "frequency")),
        "cap": check.number(data.get("cap"), (*path, "cap"), optional=True),
        "within_days": check.whole(data.get("within_days"), (*path, "within_days"), optional=True),
    }
    half_life = data.get("half_life_days")
    if half_life is not None:
        half = check.number(half_life, (*path, "half_life_days"))
        fields["half_life_days"] = None if half is None else float(half)
    min_gap = data.get("min_gap_days")
    if min_gap is not None:
        gap = check.number(min_gap, (*path, "min_gap_days"))
        fields["min_gap_days"] = gap if gap is None or isinstance(gap, int) else float(gap)
    if data.get("explicit") is not None:
        fields["explicit"] = check.flag(data["explicit"], (*path, "explicit"))
    required = ("points", "frequency", "explicit")
    if kinds is None or any(v is None and k in required for k, v in fields.items()):
        return None
    try:
        return SignalPoints(kinds=kinds, **fields)
    except (ValueError, TypeError) as err:
        check.problem(path, str(err), value)
        return None


def _engagement(check: Checker, value: object, path: Path) -> str | EngagementScoring | None:
    if isinstance(value, str):
        return check.rule_text(value, path)
    known = ("name", "cap", "floor", "signals", "rules")
    data = check.mapping(value, path, known=known, what="a rule as text or signal points")
    if data is None:
        return None
    items = check.items(data.get("signals", []), (*path, "signals")) or []
    found = [_signal(check, s, (*path, "signals", i)) for i, s in enumerate(items)]
    rules = check.items(data.get("rules", []), (*path, "rules")) or []
    texts = [check.rule_text(r, (*path, "rules", i)) for i, r in enumerate(rules)]
    bounds = _bounds(check, data, path)
    return EngagementScoring(
        signals=tuple(s for s in found if s is not None),
        rules=tuple(SKIPPED if t is None else t for t in texts),
        cap=bounds["cap"] if "cap" in data else 100,
        floor=bounds["floor"],
        name=check.text(data.get("name", "engagement"), (*path, "name")) or "engagement",
    )


def _priority(check: Checker, value: object, path: Path) -> str | PriorityWeights | None:
    if isinstance(value, str):
        return check.rule_text(value, path)
    data = check.mapping(
        value,
        path,
        known=("weights",),
        required=("weights",),
        what="a number rule as text or a mapping with 'weights'",
    )
    if data is None or "weights" not in data:
        return None
    here = (*path, "weights")
    weights = check.mapping(
        data["weights"],
        here,
        known=("fit", "engagement"),
        required=("fit", "engagement"),
        what="a mapping of 'fit' and 'engagement' to their weights",
    )
    if weights is None or "fit" not in weights or "engagement" not in weights:
        return None
    fit = check.number(weights["fit"], (*here, "fit"))
    engagement = check.number(weights["engagement"], (*here, "engagement"))
    if fit is None or engagement is None:
        return None
    return PriorityWeights(fit=fit, engagement=engagement)


def _definitions(check: Checker, value: object, path: Path) -> tuple[tuple[str, str], ...]:
    data = check.mapping(value, path, what="a mapping of name to rule text") or {}
    out = []
    for name, text in data.items():
        rule = check.rule_text(text, (*path, name))
        if rule is not None:
            out.append((name, rule))
    return tuple(out)


def _stage_map(check: Checker, value: object, path: Path) -> tuple[tuple[str, str], ...]:
    what = "a mapping of another funnel's stage key to a stage key of this funnel"
    data = check.mapping(value, path, what=what) or {}
    out = []
    for source, target in data.items():
        key = check.text(target, (*path, source))
        if key is not None:
            out.append((source, key))
    return tuple(out)


def _stages(check: Checker, value: object, path: Path) -> tuple[tuple[str, StageSpec], ...]:
    data = check.mapping(value, path, what="a mapping of stage key to entry rule") or {}
    check.limit(len(data), check.limits.max_stages, path, "stages", "PolicyLimits.max_stages")
    out = []
    for key, spec in data.items():
        here = (*path, key)
        if isinstance(spec, str):
            entry = check.rule_text(spec, here)
            if entry is not None:
                out.append((key, StageSpec(entry=entry)))
            continue
        fields = check.mapping(
            spec,
            here,
            known=("entry", "description"),
            required=("entry",),
            what="an entry rule as text, or a mapping with 'entry'",
        )
        if fields is None or "entry" not in fields:
            continue
        entry = check.rule_text(fields["entry"], (*here, "entry"))
        description = check.text(fields.get("description"), (*here, "description"), optional=True)
        if entry is not None:
            out.append((key, StageSpec(entry=entry, description=description)))
    return tuple(out)
