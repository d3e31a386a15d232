"""The ``funnelkit policy`` commands: validate, show and diff policy files.

* ``validate FILE``: exit 0 when the file loads (signal kinds and custom attributes
  that rules read and nothing declares are warned about on stderr,
  ``file:line:col: warning: ...``); 1 with every problem on stderr, one a line
  (``file:line:col: path: message``); 2 when the file cannot be read.
* ``show FILE``: the policy as tables: metadata, funnel and gates, scoring (fit,
  engagement and the priority, if any, with their grades), frameworks.
* ``diff OLD NEW``: exit 0 without changes, 1 with changes (listed, like ``diff``), 2
  when a file cannot be read or has problems (they are listed).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING

from funnelkit.cli._escape import printable
from funnelkit.cli._render import Section, make_console

if TYPE_CHECKING:
    from rich.table import Table

    from funnelkit.policy import PolicyDocument, PolicyFileError
    from funnelkit.qualify import Policy, UndeclaredName

__all__ = [
    "SHOW_WIDTH",
    "add_policy_commands",
    "policy_argument",
    "run_policy",
    "show_sections",
    "undeclared_line",
]


def add_policy_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Register ``funnelkit policy validate|show|diff``."""
    policy = commands.add_parser(
        "policy",
        parents=[common],
        help="validate, show and compare policy files",
        description="Work with policy files (YAML, or JSON for .json files).",
    )
    actions = policy.add_subparsers(title="policy commands", metavar="ACTION")
    fmt = {
        "choices": ("yaml", "json"),
        "default": None,
        "help": "the file format (default: JSON for .json files, else YAML)",
    }
    validate = actions.add_parser(
        "validate",
        parents=[common],
        help="check a policy file and list every problem",
        description=(
            "Load FILE and check everything: its shape, every rule, every stage key and "
            "reference. Exits 1 with every problem on stderr (file:line:col: path: message)."
        ),
    )
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--format", **fmt)  # type: ignore[arg-type]
    validate.set_defaults(handler=run_policy, action="validate")
    show = actions.add_parser(
        "show",
        parents=[common],
        help="show a policy file as tables",
        description="Show a policy: metadata, funnel and gates, scoring, frameworks.",
    )
    show.add_argument("file", metavar="FILE")
    show.add_argument("--format", **fmt)  # type: ignore[arg-type]
    show.set_defaults(handler=run_policy, action="show")
    diff = actions.add_parser(
        "diff",
        parents=[common],
        help="list what changed between two policy files",
        description=(
            "List the changes from OLD to NEW: metadata, stages and gates, points, "
            "thresholds and grades, frameworks, definitions. Exits 0 without changes, "
            "1 with changes, 2 if a file cannot be read or has problems."
        ),
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", **fmt)  # type: ignore[arg-type]
    diff.set_defaults(handler=run_policy, action="diff")
    policy.set_defaults(handler=_missing_action)


def _missing_action(_args: argparse.Namespace) -> int:
    print("funnelkit policy: error: an action is required (validate, show, diff)", file=sys.stderr)
    return 2


def _problems(err: PolicyFileError) -> None:
    for problem in err.problems:
        print(printable(str(problem)), file=sys.stderr)


def _load(path: str, fmt: str | None) -> tuple[PolicyDocument, Policy]:
    from funnelkit.policy import loads_document, loads_policy

    with open(path, encoding="utf-8-sig") as handle:  # OSError: the caller says why
        text = handle.read()
    kind = fmt or ("json" if path.lower().endswith(".json") else "yaml")
    policy = loads_policy(text, format=kind, file=path)  # type: ignore[arg-type]
    return loads_document(text, format=kind, file=path), policy  # type: ignore[arg-type]


def undeclared_line(path: str, warning: UndeclaredName) -> str:
    """``file:line:col: warning: ...`` for a name nothing declares, at its first use."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):  # pragma: no cover - the file was just read
        lines = []
    pattern = re.compile(rf"(?<!\w){re.escape(warning.name)}(?!\w)")
    for number, line in enumerate(lines, 1):
        found = pattern.search(line)
        if found is not None:
            return f"{path}:{number}:{found.start() + 1}: warning: {warning}"
    return f"{path}: warning: {warning}"


def run_policy(args: argparse.Namespace) -> int:
    """Run ``funnelkit policy validate|show|diff`` (see the module docstring for exits)."""
    from funnelkit.policy import PolicyFileError

    files = [args.old, args.new] if args.action == "diff" else [args.file]
    loaded = []
    bad = False
    for path in files:
        try:
            loaded.append(_load(path, args.format))
        except OSError as err:
            print(f"funnelkit policy: cannot read {path!r}: {err.strerror or err}", file=sys.stderr)
            return 2
        except UnicodeDecodeError:
            print(f"funnelkit policy: {path!r} is not UTF-8 text", file=sys.stderr)
            return 2
        except PolicyFileError as err:
            _problems(err)
            bad = True
    if bad:
        return 2 if args.action == "diff" else 1
    if args.action == "validate":
        _document, policy = loaded[0]
        gates = len(policy.gates)
        for warning in policy.undeclared:
            print(undeclared_line(args.file, warning), file=sys.stderr)
        print(f"{args.file}: ok ({policy.label}, {gates} gated stage{'s' * (gates != 1)})")
        return 0
    if args.action == "show":
        console = make_console(no_color=args.no_color)
        if not console.is_terminal:
            console.width = SHOW_WIDTH
        for section in show_sections(*loaded[0]):
            console.print(_table(section))
            console.print()
        return 0
    from funnelkit.policy import diff_policies, render_changes

    changes = diff_policies(loaded[0][0], loaded[1][0])
    print(render_changes(changes))
    return 1 if changes else 0


SHOW_WIDTH = 120
"""The width of ``policy show`` when its output is not a terminal (long rules wrap)."""


def _table(section: Section) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=section.title, title_justify="left", caption=section.caption)
    for heading in section.columns:
        table.add_column(heading, overflow="fold")
    for row in section.rows:
        table.add_row(*(Text(str(cell)) for cell in row))  # text, not markup
    return table


def _counts(frequency: str, min_gap_days: float | None) -> str:
    """How often signals count: ``every``, ``once``, or ``at most once per N days``."""
    if min_gap_days is None:
        return frequency
    unit = "day" if min_gap_days == 1 else "days"
    return f"at most once per {_text(min_gap_days)} {unit}"


def _text(value: object) -> str:
    return "-" if value is None else " ".join(str(value).split())


def show_sections(document: PolicyDocument, policy: Policy) -> list[Section]:
    """The tables ``funnelkit policy show`` prints, as plain data.

    Args:
        document: What the file says (rules as written).
        policy: The policy it loads to.

    Returns:
        The sections: policy, funnel and gates, fit, engagement, priority (when the
        policy has one), frameworks, definitions.
    """
    from funnelkit.policy import EngagementScoring, FitScoring

    meta = document.metadata
    about = [
        ("name", meta.name),
        ("version", meta.version),
        ("description", _text(meta.description)),
        ("owner", _text(meta.owner)),
        ("effective date", _text(meta.effective_date)),
        ("skipping stages", "allowed" if document.allow_skipping else "not allowed"),
        (
            "recycled leads return",
            _text(document.reentry)
            if document.reentry is not None
            else "on proactive engagement or new BANT evidence (default)",
        ),
    ]
    if document.custom_attributes:
        typed = (f"{name} ({kind})" for name, kind in document.custom_attributes)
        about.append(("custom attributes", ", ".join(typed)))
    if document.signal_kinds:
        about.append(("more signal kinds", ", ".join(document.signal_kinds)))
    sections = [Section(title=f"Policy {policy.label}", columns=("", ""), rows=tuple(about))]
    specs = dict(document.stages)
    rows = []
    for stage in policy.funnel.stages:
        spec = specs.get(stage.key)
        entry = (
            _text(spec.entry)
            if spec
            else ("(outcome: moved explicitly)" if not stage.is_open else "-")
        )
        why = _text(spec.description) if spec and spec.description else ""
        rows.append((stage.key, stage.label, stage.kind.value, entry, why))
    sections.append(
        Section(
            title=f"Funnel {policy.funnel.name!r} and gates",
            columns=("stage", "label", "kind", "entry rule", "why"),
            rows=tuple(rows),
        )
    )
    fit_rows: list[tuple[str, str, str]] = []
    if document.icp is not None:
        from funnelkit.qualify import icp_criteria, icp_points

        points = icp_points(document.icp)
        criteria = icp_criteria(document.icp)
        fit_rows = [(f"ICP: {name}", str(n), _text(criteria[name])) for name, n in points.items()]
    elif isinstance(document.fit, FitScoring):
        for group in document.fit.groups:
            for item in group.points:
                fit_rows.append((_text(group.name), str(item.points), _text(item.when)))
    elif document.fit is not None:
        fit_rows = [("rule", "", _text(document.fit))]
    grades = ", ".join(f"{label} from {n}" for label, n in policy.fit_grades)
    sections.append(
        Section(
            title="Fit",
            columns=("group", "points", "when"),
            rows=tuple(fit_rows),
            caption=f"grades: {grades}, {policy.fit_default_grade} below",
        )
    )
    engagement = document.engagement
    eng_rows: list[tuple[str, ...]] = []
    if isinstance(engagement, EngagementScoring):
        for s in engagement.signals:
            eng_rows.append(
                (
                    ", ".join(sorted(s.kinds)),
                    str(s.points),
                    _counts(s.frequency, s.min_gap_days),
                    _text(s.cap),
                    _text(s.within_days),
                    _text(s.half_life_days),
                )
            )
        eng_rows.extend(("rule", _text(r), "", "", "", "") for r in engagement.rules)
    elif engagement is not None:
        eng_rows = [("rule", _text(engagement), "", "", "", "")]
    grades = ", ".join(f"{label} from {n}" for label, n in policy.engagement_grades)
    sections.append(
        Section(
            title="Engagement",
            columns=("signal kinds", "points", "counts", "cap", "within days", "half-life"),
            rows=tuple(eng_rows),
            caption=f"grades: {grades}, {policy.engagement_default_grade} below",
        )
    )
    if policy.stage_map:
        sections.append(
            Section(
                title="Stages of other funnels",
                columns=("stage in a lead's history", f"stage of {policy.funnel.name}"),
                rows=tuple(policy.stage_map),
                caption="a lead whose history ends in one of these is placed here",
            )
        )
    if policy.priority is not None:
        sections.append(_priority_section(document, policy))
    for fw in policy.frameworks:
        sections.append(
            Section(
                title=f"Framework {fw.name} ({fw.key})",
                columns=("criterion", "label", "rule"),
                rows=tuple((c.key, c.label, _text(c.rule)) for c in fw),
                caption=f'gates can use ref("{fw.key}_met") and ref("{fw.key}_<criterion>")',
            )
        )
    if document.definitions:
        sections.append(
            Section(
                title="Definitions",
                columns=("name", "rule"),
                rows=tuple((name, _text(text)) for name, text in document.definitions),
            )
        )
    return sections


def _priority_section(document: PolicyDocument, policy: Policy) -> Section:
    from funnelkit.policy import PriorityWeights

    grades = ", ".join(f"{label} from {n}" for label, n in policy.priority_grades)
    caption = f"grades: {grades}, {policy.priority_default_grade} below"
    if isinstance(document.priority, PriorityWeights):
        weights = document.priority
        rows = (("fit", str(weights.fit)), ("engagement", str(weights.engagement)))
        return Section(title="Priority", columns=("score", "weight"), rows=rows, caption=caption)
    text = document.priority if isinstance(document.priority, str) else policy.priority
    return Section(title="Priority", columns=("rule",), rows=((_text(text),),), caption=caption)


def policy_argument(spec: str) -> Policy:
    """Load ``--policy``'s file, or raise ValueError with every problem (one a line)."""
    from funnelkit.errors import MissingExtraError
    from funnelkit.policy import PolicyFileError, load_policy

    if spec.lower().endswith(".toml"):
        raise ValueError(f"{spec}: TOML policy files are not supported; use YAML or JSON")
    if not os.path.isfile(spec):
        raise ValueError(f"{spec}: cannot read the policy file: no such file")
    try:
        return load_policy(spec)
    except MissingExtraError as err:
        raise ValueError(str(err)) from None
    except PolicyFileError:
        raise  # a ValueError too; the caller tells bad input from unusable arguments
