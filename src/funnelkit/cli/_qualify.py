"""The ``funnelkit qualify`` command: qualify every lead of a file under a policy.

Results go to standard output (a table, JSON Lines or CSV); bad records, the instant used
when ``--as-of`` is not given, and the final count go to standard error, so that the
output can be piped.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from funnelkit.cli._badrows import BadRows
from funnelkit.cli._escape import printable
from funnelkit.cli._exit import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE
from funnelkit.cli._formats import (
    qualification_record,
    table_section,
    write_csv,
    write_jsonl,
)
from funnelkit.cli._input import CommandError, LeadReader, load_mapping, open_leads
from funnelkit.cli._options import today_utc
from funnelkit.errors import RecordError
from funnelkit.rules import RuleEvaluationError

if TYPE_CHECKING:
    from rich.console import Console

    from funnelkit.cli._progress import Progress
    from funnelkit.cli._render import Section
    from funnelkit.model import Lead
    from funnelkit.qualify import Policy, Qualification

__all__ = ["explain_text", "run_qualify"]


def _note(message: str) -> None:
    print(printable(f"funnelkit qualify: {message}"), file=sys.stderr)


def _as_of(args: argparse.Namespace) -> datetime:
    if args.as_of is not None:
        as_of: datetime = args.as_of
        return as_of
    as_of = today_utc()
    _note(f"as of {as_of.isoformat()} (today, midnight UTC; choose the instant with --as-of)")
    return as_of


def run_qualify(args: argparse.Namespace) -> int:
    """Run ``funnelkit qualify``: qualify the good leads, report the bad records.

    Args:
        args: The parsed arguments (``file``, ``policy``, ``as_of``, ``format``,
            ``input_format``, ``mapping``, ``signals``, ``engine``, ``explain``,
            ``next_facts``, ``bad_rows``, ``no_progress``, ``no_color``).

    Returns:
        ``0`` if every record was good, ``1`` if any was bad (the good ones are still
        qualified), ``2`` if the command could not run (an unreadable file or mapping,
        an ``--explain`` id that is not in the file, an engine that cannot do what was
        asked).
    """
    from funnelkit.cli._engine import choose_engine, input_format, run_columnar

    policy: Policy = args.policy
    console: Console | None = None
    if args.format == "table" or (args.explain is not None and args.format != "jsonl"):
        from funnelkit.cli._render import make_console

        console = make_console(no_color=args.no_color)  # early: it names a missing extra
    as_of = _as_of(args)
    try:
        fmt = input_format(args)
        if args.signals is not None and fmt != "parquet":
            raise CommandError("--signals goes with a Parquet LEADS file")
        if args.mapping is not None and fmt == "parquet":
            raise CommandError("--mapping reads CSV columns; a Parquet file is in the contract")
        engine = choose_engine(args, policy, as_of, fmt, note=_note)
        bad_rows = _open_bad_rows(args)
        with bad_rows:
            if engine != "row":
                outcome = run_columnar(
                    args, policy, as_of, engine, fmt, console, bad_rows, note=_note
                )
                if outcome is not None:
                    count, reader, foreign = outcome
                    return _summary(count, reader, policy, as_of, foreign)
                bad_rows.reset()  # the auto choice could not finish: read the file again
            return _run_rows(args, policy, as_of, fmt, console, bad_rows)
    except CommandError as problem:
        _note(str(problem))
        return EXIT_USAGE


def _open_bad_rows(args: argparse.Namespace) -> BadRows:
    bad_rows = BadRows(args.bad_rows, file=args.file)
    try:
        bad_rows.open()
    except OSError as err:
        raise CommandError(
            f"cannot write --bad-rows file {args.bad_rows!r}: {err.strerror or err}"
        ) from None
    return bad_rows


def _run_rows(
    args: argparse.Namespace,
    policy: Policy,
    as_of: datetime,
    fmt: str | None,
    console: Console | None,
    bad_rows: BadRows,
) -> int:
    """The row engine: a Lead per record, ``qualify`` per lead."""
    from funnelkit.cli._engine import input_size, parquet_items
    from funnelkit.cli._progress import Progress, wants_progress

    mapping = load_mapping(args.mapping)
    if fmt == "parquet":
        items: Iterator[Lead | RecordError] = parquet_items(args)
    else:
        items = open_leads(
            args.file,
            format=fmt,
            mapping=mapping,
            option="--input-format",
            on_warning=lambda warning: reader.warn(warning),  # as validate reports them
            custom_types=dict(policy.custom_attributes),
        )
    reader = LeadReader(
        args.file, items, _note, on_bad=bad_rows.write, on_failure=_failure(bad_rows, None)
    )
    if args.explain is not None:
        return _explain(args, reader, policy, as_of, console)
    foreign: Counter[str] = Counter()
    shown = wants_progress(enabled=not args.no_progress, size=input_size(args.file))
    with Progress("qualifying", shown=shown) as progress:
        qualifications = _qualify(
            reader,
            policy,
            as_of,
            explain=args.next_facts,
            foreign=foreign,
            bad_rows=bad_rows,
            progress=progress,
        )
        if args.format == "jsonl":
            count = write_jsonl(qualifications, sys.stdout)
        elif args.format == "csv":
            count = write_csv(qualifications, policy, sys.stdout)
        else:
            section = table_section(qualifications, policy)
    if args.format == "table":  # drawn once the bar has gone
        count = _render(console, section)
    return _summary(count, reader, policy, as_of, foreign)


def _failure(bad_rows: BadRows, record: int | None) -> Callable[[Exception], None]:
    def write(error: Exception) -> None:
        bad_rows.failure(error, record=record, lead_id=None)

    return write


def _summary(
    count: int, reader: LeadReader, policy: Policy, as_of: datetime, foreign: Counter[str]
) -> int:
    noun = "lead" if count == 1 else "leads"
    bad = f"{reader.bad} bad {'record' if reader.bad == 1 else 'records'}"
    missing = f", {reader.warned:,} with cells left missing" if reader.warned else ""
    _note(
        f"{count:,} {noun} qualified with {policy.label} as of {as_of.isoformat()}, {bad}{missing}"
    )
    if foreign:
        stages = ", ".join(f"{stage} {n:,}" for stage, n in foreign.most_common())
        total = sum(foreign.values())
        _note(
            f"{total:,} {'lead has' if total == 1 else 'leads have'} a stage the "
            f"{policy.funnel.name} funnel does not have ({stages}): rules do not move "
            "them; place such stages with the policy's stage_map"
        )
    return EXIT_BAD_INPUT if reader.bad else EXIT_OK


def _qualify(
    reader: LeadReader,
    policy: Policy,
    as_of: datetime,
    *,
    explain: bool,
    foreign: Counter[str] | None = None,
    bad_rows: BadRows | None = None,
    progress: Progress | None = None,
) -> Iterator[Qualification]:
    # Like qualify_many, but a lead whose values a rule cannot work with is reported and
    # counted as bad instead of stopping the run.
    from funnelkit.qualify import qualify

    for lead in reader:
        try:
            q = qualify(lead, policy, as_of=as_of, explain=explain)
        except RuleEvaluationError as err:
            reader.bad += 1
            name = f"lead {lead.id!r}" if lead.id is not None else f"record {reader.total}"
            _note(f"{reader.file}: {name}: cannot be qualified: {err}")
            if bad_rows is not None:
                bad_rows.failure(err, record=reader.total, lead_id=lead.id)
            continue
        if progress is not None:
            progress.advance()
        if foreign is not None and q.foreign_stage is not None:
            foreign[q.foreign_stage] += 1
        yield q


def _render(console: Console | None, section: Section) -> int:
    from funnelkit.cli._render import render_section

    assert console is not None
    render_section(console, section)
    return len(section.rows)


def explain_text(q: Qualification, policy: Policy) -> str:
    """The full text of ``--explain``: the qualification, every next fact, the trace.

    Args:
        q: An explained qualification.
        policy: Its policy (the trace is shown output by output, named as in the policy).

    Returns:
        ``str(q)``, the next facts it leaves out, and the trace of each output of the
        policy's rule set.
    """
    lines = [str(q)]
    lines += [f"  find out {fact.path}: {fact.reason}" for fact in q.next_facts[5:]]
    if q.explanation is not None:
        lines += ["", "Why: each output of the policy's rules, as evaluated"]
        names = policy.rules.names
        kids = q.explanation.trace.children
        if len(names) == len(kids):
            for name, kid in zip(names, kids, strict=True):
                lines += [f"{name}:", kid.render(1)]
        else:  # pragma: no cover - a rule set's trace has one child per output
            lines.append(str(q.explanation))
    return "\n".join(lines)


def _explain(
    args: argparse.Namespace,
    reader: LeadReader,
    policy: Policy,
    as_of: datetime,
    console: Console | None,
) -> int:
    from funnelkit.qualify import qualify

    wanted: str = args.explain
    found = 0
    ids: list[str] = []
    for lead in reader:
        if lead.id != wanted:
            if lead.id is not None:
                ids.append(lead.id)
            continue
        found += 1
        q = qualify(lead, policy, as_of=as_of, explain=True)
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(qualification_record(q, explanation=True)) + "\n")
        else:
            from rich.text import Text

            assert console is not None
            if found > 1:
                console.print()
            console.print(Text(explain_text(q, policy)), soft_wrap=True)
    if found:
        return EXIT_BAD_INPUT if reader.bad else EXIT_OK
    if wanted in reader.bad_ids:
        _note(f"lead {wanted!r} is a bad record of {args.file} (see above); fix it to explain it")
        return EXIT_BAD_INPUT
    close = difflib.get_close_matches(wanted, ids, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    _note(f"no lead has the id {wanted!r} in {args.file} ({reader.total:,} records read){hint}")
    return EXIT_USAGE
