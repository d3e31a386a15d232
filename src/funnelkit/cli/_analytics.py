"""The ``funnelkit report`` and ``funnelkit backtest`` commands: analytics on a lead file.

Both read a lead file the way ``funnelkit qualify`` does (bad records are reported on
standard error and left out, the good ones are used), and print tables from
``funnelkit.analytics``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from funnelkit.cli._escape import printable
from funnelkit.cli._exit import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE
from funnelkit.cli._funnel import section_of
from funnelkit.cli._input import CommandError, LeadReader, load_mapping, open_leads
from funnelkit.cli._options import today_utc

if TYPE_CHECKING:
    from funnelkit.analytics import Backtest, Table
    from funnelkit.model import Lead
    from funnelkit.qualify import Policy

__all__ = ["backtest_tables", "report_tables", "run_backtest", "run_report"]


def _note(command: str, message: str) -> None:
    print(printable(f"funnelkit {command}: {message}"), file=sys.stderr)


def _read(args: argparse.Namespace, command: str) -> tuple[tuple[Lead, ...], LeadReader]:
    mapping = load_mapping(args.mapping)
    items = open_leads(
        args.file, format=args.input_format, mapping=mapping, option="--input-format"
    )
    reader = LeadReader(args.file, items, lambda message: _note(command, message))
    return tuple(reader), reader


def _as_of(args: argparse.Namespace, command: str) -> datetime:
    if args.as_of is not None:
        as_of: datetime = args.as_of
        return as_of
    as_of = today_utc()
    _note(command, f"as of {as_of.isoformat()} (today, midnight UTC; choose it with --as-of)")
    return as_of


def report_tables(
    leads: Sequence[Lead], policy: Policy, *, as_of: datetime, by: Sequence[str]
) -> tuple[Table, ...]:
    """The tables of ``funnelkit report``, in order.

    Args:
        leads: The leads.
        policy: The policy.
        as_of: The instant.
        by: The columns to break the results down by.

    Returns:
        The funnel, conversion, grade mix, score distributions, one breakdown per
        column, velocity and leakage.
    """
    from funnelkit.analytics import (
        breakdown,
        conversion,
        funnel,
        grade_grid,
        leakage,
        qualified_rows,
        score_distribution,
        velocity,
    )

    rows = qualified_rows(leads, policy, as_of=as_of, columns=by)
    return (
        funnel(rows, policy),
        conversion(rows, policy),
        grade_grid(rows, policy),
        score_distribution(rows, "fit"),
        score_distribution(rows, "engagement"),
        *(breakdown(rows, column, policy) for column in by),
        velocity(leads, policy, as_of=as_of),
        leakage(leads, policy),
    )


def _print(args: argparse.Namespace, tables: Sequence[Table], head: Sequence[str] = ()) -> None:
    from rich.text import Text

    from funnelkit.cli._render import make_console, render_sections

    console = make_console(no_color=args.no_color)
    for line in head:
        console.print(Text(line), soft_wrap=True)
    if head:
        console.print()
    render_sections(console, [section_of(table) for table in tables])


def run_report(args: argparse.Namespace) -> int:
    """Run ``funnelkit report``: the funnel tables of a lead file under a policy.

    Args:
        args: The parsed arguments (``file``, ``policy``, ``as_of``, ``by``,
            ``input_format``, ``mapping``, ``no_color``).

    Returns:
        ``0``, ``1`` if any record was bad (the good ones are still reported), ``2`` if
        the file or mapping cannot be read or a ``--by`` path is not a lead field.
    """
    from funnelkit.cli._render import make_console

    make_console(no_color=args.no_color)  # early: it names a missing extra
    policy: Policy = args.policy
    as_of = _as_of(args, "report")
    by = tuple(args.by or ("source.channel",))
    try:
        leads, reader = _read(args, "report")
        tables = report_tables(leads, policy, as_of=as_of, by=by)
    except CommandError as problem:
        _note("report", str(problem))
        return EXIT_USAGE
    except AttributeError as problem:
        _note("report", f"--by: {problem}")
        return EXIT_USAGE
    noun = "lead" if len(leads) == 1 else "leads"
    head = [f"{len(leads):,} {noun} of {args.file} under {policy.label} as of {as_of.isoformat()}"]
    _print(args, tables, head)
    return EXIT_BAD_INPUT if reader.bad else EXIT_OK


def backtest_tables(report: Backtest) -> tuple[Table, ...]:
    """The tables ``funnelkit backtest`` prints: every table of the report, in order."""
    return report.tables()


def run_backtest(args: argparse.Namespace) -> int:
    """Run ``funnelkit backtest``: how well a policy predicts the outcomes of a lead file.

    The outcome is the custom field ``--outcome`` of each lead (a CSV column kept with
    ``unmapped: custom``), that column of ``--outcomes FILE`` (a CSV of ``lead_id`` and
    outcomes, kept apart from the leads), or with ``--from-history`` the lead's stage
    history (won, lost or disqualified).

    Args:
        args: The parsed arguments (``file``, ``policy``, ``against``, ``outcome``,
            ``outcomes``, ``from_history``, ``as_of``, ``by``, ``input_format``,
            ``mapping``, ``no_color``).

    Returns:
        ``0``, ``1`` if any record was bad (the good ones are still used), ``2`` if a
        file cannot be read or an outcome is not one.
    """
    from funnelkit.analytics import Outcome, backtest, outcome_from_history, read_outcomes
    from funnelkit.cli._render import make_console

    make_console(no_color=args.no_color)  # early: it names a missing extra
    policy: Policy = args.policy
    by = tuple(args.by or ("source.channel",))
    try:
        outcome: Outcome
        if args.from_history:
            if args.outcomes is not None:
                raise CommandError("--outcomes needs --outcome COLUMN, not --from-history")
            outcome = outcome_from_history(policy)
        elif args.outcomes is not None:
            outcome = read_outcomes(args.outcomes, column=args.outcome)
        else:
            outcome = args.outcome
        leads, reader = _read(args, "backtest")
        report = backtest(
            leads, policy, outcome=outcome, as_of=args.as_of, against=args.against, by=by
        )
    except CommandError as problem:
        _note("backtest", str(problem))
        return EXIT_USAGE
    except (OSError, ValueError, AttributeError) as problem:
        _note("backtest", str(problem))
        return EXIT_USAGE
    _print(args, backtest_tables(report), [report.summary()])
    return EXIT_BAD_INPUT if reader.bad else EXIT_OK
