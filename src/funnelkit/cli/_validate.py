"""The ``funnelkit validate`` command: read a lead file and report every bad record."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from funnelkit.cli._render import make_console
from funnelkit.errors import FunnelkitError, RecordError
from funnelkit.io import ColumnMapping, iter_leads

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["run_validate", "describe_problems"]


def describe_problems(error: RecordError, *, file: str) -> list[str]:
    """One line per problem of a bad record, located as ``file:line`` when the line is known.

    Args:
        error: The bad record.
        file: The file name to show.

    Returns:
        Lines like ``leads.csv:4: lead 3 (id 'L-3'): $.company.employees: expected
        int >= 0, got -3 (int)``.
    """
    where = f"{file}:{error.line}" if error.line is not None else file
    return [f"{where}: {problem}" for problem in error.problems]


def _fail(message: str) -> int:
    print(f"funnelkit validate: {message}", file=sys.stderr)
    return 2


def run_validate(args: argparse.Namespace) -> int:
    """Run ``funnelkit validate``: check every record and list the bad ones.

    Args:
        args: The parsed arguments (``file``, ``format``, ``mapping``, ``no_color``).

    Returns:
        ``0`` if every record is good, ``1`` if any is bad or the content cannot be
        parsed, ``2`` if the file or the mapping cannot be used at all.
    """
    console = make_console(no_color=args.no_color)  # first: it names a missing extra
    from rich.text import Text

    mapping = None
    if args.mapping is not None:
        try:
            mapping = ColumnMapping.from_file(args.mapping)
        except OSError as err:
            return _fail(f"cannot read mapping file {args.mapping!r}: {err.strerror or err}")
        except (FunnelkitError, ValueError) as err:
            return _fail(f"bad mapping file {args.mapping!r}: {err}")
    try:  # the arguments are checked now, the file is opened on the first record
        items = iter_leads(args.file, format=args.format, mapping=mapping, on_error="collect")
    except (FunnelkitError, ValueError) as err:
        hint = " (on the command line: --format jsonl|json|csv)" if args.format is None else ""
        return _fail(f"{err}{hint}")
    total = bad = 0
    try:
        for item in items:
            total += 1
            if isinstance(item, RecordError):
                bad += 1
                _report(console, item, args.file)
    except OSError as err:
        return _fail(f"cannot read {args.file!r}: {err.strerror or err}")
    except RecordError as err:  # a bad CSV header: no row can be read
        bad += 1
        _report(console, err, args.file)
    except (FunnelkitError, ValueError) as err:  # e.g. not UTF-8 text
        bad += 1
        console.print(Text(f"{args.file}: {err}"), soft_wrap=True)
    noun = "record" if total == 1 else "records"
    console.print(Text(f"{total} {noun}, {bad} bad", style="red" if bad else "green"))
    return 1 if bad else 0


def _report(console: Console, error: RecordError, file: str) -> None:
    from rich.text import Text

    for line in describe_problems(error, file=file):
        console.print(Text(line), soft_wrap=True)
