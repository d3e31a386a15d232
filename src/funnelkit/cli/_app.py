"""Argument parsing and dispatch for the ``funnelkit`` command."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence

from funnelkit._version import __version__
from funnelkit.cli._escape import printable
from funnelkit.cli._exit import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE
from funnelkit.errors import MissingExtraError

__all__ = ["EXIT_OK", "EXIT_BAD_INPUT", "EXIT_USAGE", "build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


def _run_demo(args: argparse.Namespace) -> int:
    from funnelkit.cli._demo import run_demo

    return run_demo(args)


def _run_validate(args: argparse.Namespace) -> int:
    from funnelkit.cli._validate import run_validate

    return run_validate(args)


def _run_qualify(args: argparse.Namespace) -> int:
    from funnelkit.cli._qualify import run_qualify

    return run_qualify(args)


def _run_report(args: argparse.Namespace) -> int:
    from funnelkit.cli._analytics import run_report

    return run_report(args)


def _run_backtest(args: argparse.Namespace) -> int:
    from funnelkit.cli._analytics import run_backtest

    return run_backtest(args)


class BadPolicy(str):
    """What ``--policy`` holds when its file has problems: the message, reported with exit 1."""

    __slots__ = ()


def _policy(text: str) -> object:
    from funnelkit.cli._options import PolicyArgumentError, load_policy

    try:
        return load_policy(text)
    except PolicyArgumentError as err:
        if err.bad_input:  # a policy file with problems is bad input, as in validate
            return BadPolicy(str(err))
        raise argparse.ArgumentTypeError(str(err)) from None


def _as_of(text: str) -> object:
    from funnelkit.cli._options import parse_as_of

    try:
        return parse_as_of(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``funnelkit`` command.

    Returns:
        The parser; each sub-command stores its handler as ``handler``.
    """
    # Options every command accepts, before or after the command name. SUPPRESS keeps a
    # sub-parser from resetting a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--no-color",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not colour the output (also: set NO_COLOR)",
    )
    parser = argparse.ArgumentParser(
        prog="funnelkit",
        description="B2B lead qualification: check lead files, qualify leads, try the demo.",
        parents=[common],
        epilog="exit codes: 0 ok, 1 bad input, 2 usage error or unreadable file",
    )
    parser.add_argument("--version", action="version", version=f"funnelkit {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="qualify the bundled demo leads and show the funnel",
        description=(
            "Qualify the 2,500 bundled demo leads with the 'starter' preset as of the demo's "
            "date, and show the funnel (leads per stage, conversion, grade mix), two "
            "explained leads, and where the data came from and how complete it is."
        ),
    )
    demo.add_argument(
        "--top",
        type=_positive_int,
        default=10,
        metavar="N",
        help="how many countries and industries to list (default: 10)",
    )
    demo.set_defaults(handler=_run_demo)

    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="check a lead file and list every bad record",
        description=(
            "Read every record of FILE and report each bad one with its record number, id, "
            "field path, value and what was expected. Exits 1 if any record is bad."
        ),
    )
    validate.add_argument("file", metavar="FILE", help="a .jsonl, .json or .csv file (or .gz)")
    validate.add_argument(
        "--format",
        choices=("jsonl", "csv", "json"),
        default=None,
        help="the file format (default: from the file name)",
    )
    validate.add_argument(
        "--mapping",
        metavar="FILE",
        default=None,
        help="a column mapping file (JSON, or YAML with pyyaml) for foreign column names",
    )
    validate.add_argument(
        "--policy",
        type=_policy,
        default=None,
        metavar="FILE_OR_PRESET",
        help=(
            "also report leads whose stage the policy's funnel does not have (and its "
            "stage_map does not place): a preset name or a policy file"
        ),
    )
    validate.set_defaults(handler=_run_validate)
    _add_qualify(commands, common)
    _add_analytics(commands, common)
    from funnelkit.cli._sql import add_sql

    add_sql(commands, common, policy=_policy, as_of=_as_of)
    from funnelkit.cli._policy import add_policy_commands

    add_policy_commands(commands, common)
    from funnelkit.cli._mapping import add_mapping_commands

    add_mapping_commands(commands, common)
    return parser


ENGINES = ("auto", "row", "polars", "duckdb")


def _add_qualify(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    qualify = commands.add_parser(
        "qualify",
        parents=[common],
        help="qualify every lead of a file under a policy",
        description=(
            "Qualify each good record of LEADS under a policy: its stage, fit and engagement "
            "scores and grades, framework criteria, and the next facts to find out. Bad "
            "records are reported on stderr, the good ones are still qualified (exit 1 if "
            "any record is bad)."
        ),
        epilog=(
            "Without --as-of the instant is today at midnight UTC, and a note on stderr "
            "says so; pass --as-of for results that do not change from day to day."
        ),
    )
    qualify.add_argument(
        "file",
        metavar="LEADS",
        help="a .jsonl, .json or .csv file (or .gz), or a .parquet file in the table contract",
    )
    qualify.add_argument(
        "--policy",
        type=_policy,
        default="starter",
        metavar="FILE_OR_PRESET",
        help=(
            "the policy: a preset, 'starter' (default), 'demand_waterfall' or 'bant_gated', "
            "or a policy file (.yaml, .yml or .json)"
        ),
    )
    qualify.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="DATE",
        help=(
            "the instant 'now' means: an ISO date (midnight UTC) or date-time (UTC unless "
            "it has an offset), e.g. 2026-11-01 or 2026-11-01T09:30+01:00 "
            "(default: today, midnight UTC)"
        ),
    )
    qualify.add_argument(
        "--format",
        choices=("table", "jsonl", "csv"),
        default="table",
        help="the output: a table (default), one JSON object per line, or CSV",
    )
    qualify.add_argument(
        "--explain",
        metavar="LEAD_ID",
        default=None,
        help=(
            "print the full qualification and the explanation of this lead only "
            "(with --format jsonl: as JSON, with the explanation tree)"
        ),
    )
    qualify.add_argument(
        "--next-facts",
        dest="next_facts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=(
            "work out the next facts to find out (the default; row and polars engines). "
            "--no-next-facts skips them: faster, lets the duckdb engine run; the table's "
            "and CSV's next fact is then empty, and JSON's next_facts too"
        ),
    )
    qualify.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help=(
            "who qualifies: 'row' (a lead at a time; next facts, --explain, JSON Lines), "
            "'polars' (the whole table at once; CSV and table output, next facts), 'duckdb' "
            "(as polars, with --no-next-facts); 'auto' (default): polars for Parquet and "
            "for CSV files of 1 MB or more when the run allows it, else row. The output is "
            "the same either way"
        ),
    )
    qualify.add_argument(
        "--input-format",
        choices=("jsonl", "csv", "json", "parquet"),
        default=None,
        help="the format of LEADS (default: from the file name)",
    )
    qualify.add_argument(
        "--signals",
        metavar="FILE",
        default=None,
        help=(
            "the signals table of a Parquet LEADS file (default: LEADS with .parquet "
            "replaced by .signals.parquet, when it exists)"
        ),
    )
    qualify.add_argument(
        "--bad-rows",
        metavar="FILE",
        default=None,
        help=(
            "also write each bad record and its errors (record, line, id, field path, "
            "value, code, message) to FILE as JSON Lines; e-mails and phones redacted"
        ),
    )
    qualify.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (shown on stderr for large files when stderr is a terminal)",
    )
    qualify.add_argument(
        "--mapping",
        metavar="FILE",
        default=None,
        help="a column mapping file (JSON, or YAML with pyyaml) for foreign column names",
    )
    qualify.set_defaults(handler=_run_qualify)


def _add_input(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="LEADS", help="a .jsonl, .json or .csv file (or .gz)")
    command.add_argument(
        "--policy",
        type=_policy,
        default="starter",
        metavar="FILE_OR_PRESET",
        help="the policy: a preset ('starter', the default) or a policy file",
    )
    command.add_argument(
        "--input-format",
        choices=("jsonl", "csv", "json"),
        default=None,
        help="the format of LEADS (default: from the file name)",
    )
    command.add_argument(
        "--mapping",
        metavar="FILE",
        default=None,
        help="a column mapping file (JSON, or YAML with pyyaml) for foreign column names",
    )
    command.add_argument(
        "--by",
        action="append",
        metavar="PATH",
        default=None,
        help="a lead field path to break results down by (repeatable; default: source.channel)",
    )


def _add_analytics(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    report = commands.add_parser(
        "report",
        parents=[common],
        help="print the funnel tables of a lead file under a policy",
        description=(
            "Qualify each good record of LEADS under a policy and print the funnel (leads "
            "per stage), conversion between stages, the grade mix, score distributions, "
            "breakdowns, time in stage and where leads leave the funnel."
        ),
    )
    _add_input(report)
    report.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="DATE",
        help="the instant 'now' means: an ISO date or date-time (default: today, midnight UTC)",
    )
    report.set_defaults(handler=_run_report)

    backtest = commands.add_parser(
        "backtest",
        parents=[common],
        help="test how well a policy predicts known outcomes",
        description=(
            "Qualify each lead of LEADS as it stood before its outcome and compare: "
            "conversion by grade, stage and grid cell (with 95%% intervals and lift), "
            "precision and recall of each gate, the AUC of each score, calibration, and "
            "the lift of each criterion with unknown as its own bucket. Leads with an "
            "unknown outcome are counted, not dropped."
        ),
    )
    _add_input(backtest)
    outcome = backtest.add_mutually_exclusive_group(required=True)
    outcome.add_argument(
        "--outcome",
        metavar="COLUMN",
        help=(
            "the outcome column: a custom field of each lead (a CSV column kept with "
            "unmapped: custom), or a column of --outcomes; true/false, yes/no, won/lost, "
            "1/0, empty for unknown"
        ),
    )
    outcome.add_argument(
        "--from-history",
        action="store_true",
        help=(
            "take the outcome from each lead's stage history: won if it reached a won "
            "stage, lost if a lost or disqualified one, else unknown"
        ),
    )
    backtest.add_argument(
        "--outcomes",
        metavar="FILE",
        default=None,
        help="a CSV file of lead_id and the --outcome column, kept apart from the leads",
    )
    backtest.add_argument(
        "--against",
        type=_policy,
        default=None,
        metavar="FILE_OR_PRESET",
        help="a second policy to compare with, and the matrix of stage transitions to it",
    )
    backtest.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="DATE",
        help="the instant every lead is judged at (default: each lead's created_at)",
    )
    backtest.set_defaults(handler=_run_backtest)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``funnelkit`` command line.

    Args:
        argv: The arguments after the program name; ``None`` reads ``sys.argv[1:]``.

    Returns:
        The exit code: ``0`` ok, ``1`` bad input, ``2`` usage error or a file or
        dependency that is missing. Never raises ``SystemExit``.

    Examples:
        >>> main(["no-such-command"])  # argparse prints its usage message to stderr
        2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return _exit_code(stop.code)
    if not hasattr(args, "no_color"):
        args.no_color = False
    policy = getattr(args, "policy", None)
    if isinstance(policy, BadPolicy):
        print(printable(f"funnelkit: bad --policy file:\n{policy}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        print(
            "funnelkit: error: a command is required "
            "(backtest, demo, mapping, policy, qualify, report, sql, validate)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return handler(args)
    except MissingExtraError as err:
        print(printable(f"funnelkit: {err}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (``funnelkit validate x | head``)
        _silence_stdout()
        return EXIT_BAD_INPUT


def _exit_code(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_USAGE


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
