"""The ``funnelkit validate`` command: read a lead file and report every bad record."""

from __future__ import annotations

import argparse
import sys

from funnelkit.cli._escape import printable
from funnelkit.cli._input import (
    CommandError,
    LeadReader,
    describe_problems,
    load_mapping,
    open_leads,
)
from funnelkit.cli._render import make_console
from funnelkit.errors import RecordError
from funnelkit.qualify import Policy

__all__ = ["run_validate", "describe_problems", "foreign_stage_line"]


def run_validate(args: argparse.Namespace) -> int:
    """Run ``funnelkit validate``: check every record and list the bad ones.

    With ``--policy``, a good lead whose stage the policy's funnel does not have (and
    its ``stage_map`` does not place) is reported too, one line each: rules would never
    move it.

    Args:
        args: The parsed arguments (``file``, ``format``, ``mapping``, ``policy``,
            ``no_color``).

    Returns:
        ``0`` if every record is good (cells that lenient columns left missing are
        reported as warnings and do not count), ``1`` if any is bad, has a stage the
        policy's funnel does not have, or the content cannot be parsed, ``2`` if the file
        or the mapping cannot be used at all.
    """
    console = make_console(no_color=args.no_color)  # first: it names a missing extra
    from rich.text import Text

    def report(line: str) -> None:
        console.print(Text(printable(line)), soft_wrap=True)

    try:
        mapping = load_mapping(args.mapping)
        warnings: list[RecordError] = []
        policy = getattr(args, "policy", None)
        items = open_leads(
            args.file,
            format=args.format,
            mapping=mapping,
            on_warning=warnings.append,
            custom_types=None if policy is None else dict(policy.custom_attributes),
        )
        reader = LeadReader(args.file, items, report)
        foreign = 0
        for lead in reader:
            while warnings:
                reader.warn(warnings.pop(0))
            if policy is not None and lead.stage is not None and policy.place(lead.stage) is None:
                foreign += 1
                report(foreign_stage_line(args.file, lead.id, reader.total, lead.stage, policy))
    except CommandError as problem:
        print(printable(f"funnelkit validate: {problem}"), file=sys.stderr)
        return 2
    noun = "record" if reader.total == 1 else "records"
    summary = f"{reader.total} {noun}, {reader.bad} bad"
    if reader.warned:
        summary += f", {reader.warned} with cells left missing"
    if policy is not None:
        summary += f", {foreign} with a stage the {policy.funnel.name} funnel does not have"
    failed = reader.bad or foreign
    console.print(Text(summary, style="red" if failed else "green"))
    return 1 if failed else 0


def foreign_stage_line(
    file: str, lead_id: str | None, number: int, stage: str, policy: Policy
) -> str:
    """The report of a lead whose stage the policy's funnel does not have."""
    name = f"lead {lead_id!r}" if lead_id is not None else f"record {number}"
    return (
        f"{file}: {name}: stage {stage!r} is not a stage of the {policy.funnel.name} funnel "
        f"and {policy.label} maps it nowhere (stage_map): rules would not move it"
    )
