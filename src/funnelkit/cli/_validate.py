"""The ``funnelkit validate`` command: read a lead file and report every bad record."""

from __future__ import annotations

import argparse
import sys

from funnelkit.cli._input import (
    CommandError,
    LeadReader,
    describe_problems,
    load_mapping,
    open_leads,
)
from funnelkit.cli._render import make_console
from funnelkit.errors import RecordError

__all__ = ["run_validate", "describe_problems"]


def run_validate(args: argparse.Namespace) -> int:
    """Run ``funnelkit validate``: check every record and list the bad ones.

    Args:
        args: The parsed arguments (``file``, ``format``, ``mapping``, ``no_color``).

    Returns:
        ``0`` if every record is good (cells that lenient columns left missing are
        reported as warnings and do not count), ``1`` if any is bad or the content cannot be
        parsed, ``2`` if the file or the mapping cannot be used at all.
    """
    console = make_console(no_color=args.no_color)  # first: it names a missing extra
    from rich.text import Text

    def report(line: str) -> None:
        console.print(Text(line), soft_wrap=True)

    try:
        mapping = load_mapping(args.mapping)
        warnings: list[RecordError] = []
        items = open_leads(
            args.file, format=args.format, mapping=mapping, on_warning=warnings.append
        )
        reader = LeadReader(args.file, items, report)
        for _lead in reader:
            while warnings:
                reader.warn(warnings.pop(0))
    except CommandError as problem:
        print(f"funnelkit validate: {problem}", file=sys.stderr)
        return 2
    noun = "record" if reader.total == 1 else "records"
    summary = f"{reader.total} {noun}, {reader.bad} bad"
    if reader.warned:
        summary += f", {reader.warned} with cells left missing"
    console.print(Text(summary, style="red" if reader.bad else "green"))
    return 1 if reader.bad else 0
