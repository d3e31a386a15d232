"""``funnelkit sql``: print a policy as one SQL query for a warehouse."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from funnelkit.cli._exit import EXIT_BAD_INPUT, EXIT_OK

__all__ = ["add_sql", "run_sql"]

DIALECTS = ("duckdb", "spark", "postgres", "snowflake", "bigquery")


def add_sql(
    commands: Any,
    common: argparse.ArgumentParser,
    *,
    policy: Any,
    as_of: Any,
) -> None:
    """Register ``funnelkit sql`` (``policy`` and ``as_of`` convert the arguments)."""
    sql = commands.add_parser(
        "sql",
        parents=[common],
        help="print a policy as one SQL query over the table contract",
        description=(
            "Print the policy as one SELECT over a leads table and a signals table (the "
            "table contract), in a SQL dialect: run it where the tables live. It gives "
            "the rows 'funnelkit qualify' and qualify_frame give."
        ),
    )
    sql.add_argument(
        "--policy",
        type=policy,
        default="starter",
        metavar="FILE_OR_PRESET",
        help="the policy: a preset ('starter', the default) or a policy file",
    )
    sql.add_argument(
        "--dialect", choices=DIALECTS, default="duckdb", help="the SQL dialect (default: duckdb)"
    )
    sql.add_argument(
        "--as-of",
        type=as_of,
        default=None,
        metavar="DATE",
        help="the instant 'now' means, written into the query (default: today, midnight UTC)",
    )
    sql.add_argument("--leads", default="leads", metavar="TABLE", help="the leads table")
    sql.add_argument("--signals", default="signals", metavar="TABLE", help="the signals table")
    sql.add_argument(
        "--unknown-facts",
        action="store_true",
        help=(
            "also give each score's, gate's and criterion's unknown facts "
            "(<column>_unknown: the missing fields that could change it)"
        ),
    )
    sql.set_defaults(handler=run_sql)


def run_sql(args: argparse.Namespace) -> int:
    """Print the query; a policy SQL cannot run exactly is bad input (exit 1)."""
    from funnelkit.cli._options import today_utc
    from funnelkit.qualify import policy_sql
    from funnelkit.rules import UnsupportedRuleError

    as_of = args.as_of or today_utc()
    try:
        text = policy_sql(
            args.policy,
            as_of=as_of,
            dialect=args.dialect,
            leads=args.leads,
            signals=args.signals,
            explain=args.unknown_facts,
        )
    except UnsupportedRuleError as err:
        print(f"funnelkit sql: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(text + ";")
    return EXIT_OK
