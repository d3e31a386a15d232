r"""How ``funnelkit qualify`` writes results: a rich table, JSON Lines or CSV.

Text from the input (a lead id) may hold control, bidi or invisible characters. JSON
Lines write them as ``\uXXXX`` escapes (exact: a JSON reader gets the same text back);
CSV cells show them escaped as the table does (``\x1b``, ``\u202e``), since CSV has no
escapes of its own. Cells are otherwise written as they are: the CSV is data, not a
spreadsheet, and a cell starting with ``=``, ``+``, ``-`` or ``@`` is not altered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from funnelkit.cli._escape import json_line, printable
from funnelkit.cli._render import Section
from funnelkit.io import qualification_row
from funnelkit.qualify import shown

if TYPE_CHECKING:
    from funnelkit.qualify import Policy, Qualification

__all__ = [
    "NOT_A_LEAD",
    "UNLOCKS",
    "csv_cells",
    "csv_header",
    "csv_columns",
    "csv_row",
    "number",
    "qualification_record",
    "rows_section",
    "stage_name",
    "table_cells",
    "table_section",
    "top_next_fact",
    "write_csv",
    "write_csv_rows",
    "write_jsonl",
]

NOT_A_LEAD = "not a lead"
"""What the table shows for a list entry that no stage's entry rule admits."""


def number(value: object) -> str:
    """A score for people: whole numbers as they are, others to one decimal (``11.0``)."""
    return shown(value)


def qualification_record(q: Qualification, *, explanation: bool = False) -> dict[str, Any]:
    """``q.to_dict()``: the JSON-ready dict of one qualification.

    Args:
        q: The qualification.
        explanation: Include the explanation tree (large).

    Returns:
        The dict ``Qualification.to_dict`` documents.
    """
    if not explanation and q.explanation is not None:
        q = attrs.evolve(q, explanation=None)  # to_dict would convert it, then drop it
    return q.to_dict(explanation=explanation)


def write_jsonl(qualifications: Iterable[Qualification], out: TextIO) -> int:
    r"""Write one compact JSON object per qualification and line; return how many.

    Non-ASCII text is written as it is, but control, bidi and invisible characters and
    lone surrogates as ``\uXXXX`` escapes (``funnelkit.cli._escape.json_line``).

    Args:
        qualifications: The results.
        out: Where to write.

    Returns:
        The number of lines written.
    """
    count = 0
    for q in qualifications:
        out.write(json_line(qualification_record(q)) + "\n")
        count += 1
    return count


def stage_name(q: Qualification) -> str:
    """The stage's label, or ``not a lead`` for a list entry."""
    return q.stage_label or q.stage or NOT_A_LEAD


UNLOCKS = " → "
"""Between a next fact's path and the stage it could unlock, in the table."""


def top_next_fact(q: Qualification, policy: Policy, *, arrow: bool = True) -> str:
    """The most useful fact to find out, with the stage it could unlock (``→ Stage``).

    Args:
        q: The qualification (explained; otherwise there are no next facts).
        policy: The policy, for the stage's label.
        arrow: Add `` → <stage>`` when the fact could unlock a stage.

    Returns:
        The fact's path, or ``""`` when there is none.
    """
    if not q.next_facts:
        return ""
    fact = q.next_facts[0]
    if arrow and fact.unlocks and fact.unlocks[0] in policy.funnel:
        return f"{fact.path}{UNLOCKS}{policy.funnel.stage(fact.unlocks[0]).label}"
    return fact.path


def csv_columns(policy: Policy) -> tuple[str, ...]:
    """The CSV header: ids, stage, scores and grades, each framework's met count, next fact.

    A policy with a priority rule adds ``priority`` and ``priority_grade`` after the segment.
    """
    met = tuple(f"{fw.key}_met" for fw in policy.frameworks)
    priority = ("priority", "priority_grade") if policy.priority is not None else ()
    return (
        "lead_id",
        "stage",
        "fit",
        "fit_grade",
        "engagement",
        "engagement_grade",
        "segment",
        *priority,
        *met,
        "next_fact",
    )


def _cell(value: object) -> str | int:
    # As in to_dict: whole scores as integers, others as exact decimals ('9.2050').
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, int):
        return value
    return printable(value if isinstance(value, str) else str(value))


def csv_row(q: Qualification, columns: Sequence[str]) -> tuple[str | int, ...]:
    r"""One CSV row: ``funnelkit.io.qualification_row``'s values for ``columns``.

    The stage is its key, empty for a list entry; so is a missing next fact. Control,
    bidi and invisible characters in a cell are escaped (``\x1b``, ``\u202e``).
    """
    return csv_cells(qualification_row(q), columns)


def csv_header(columns: Sequence[str]) -> list[str]:
    """The CSV header's cells, escaped as the cells are."""
    return [printable(column) for column in columns]


def csv_cells(row: Mapping[str, object], columns: Sequence[str]) -> tuple[str | int, ...]:
    """One CSV row from a flat row (``qualification_row``'s, or a columnar engine's).

    Args:
        row: Column name -> value; a column it lacks is written empty.
        columns: The CSV header.

    Returns:
        The cells: whole scores as integers, others as exact decimals, ``None`` empty.
    """
    return tuple(_cell(row.get(column)) for column in columns)


def write_csv(qualifications: Iterable[Qualification], policy: Policy, out: TextIO) -> int:
    """Write a header and one row per qualification; return how many rows.

    Args:
        qualifications: The results.
        policy: The policy they came from (its frameworks give columns).
        out: Where to write.

    Returns:
        The number of rows written (without the header).
    """
    return write_csv_rows((qualification_row(q) for q in qualifications), policy, out)


def write_csv_rows(rows: Iterable[Mapping[str, object]], policy: Policy, out: TextIO) -> int:
    """Write the header and one row per flat row (``qualification_row``'s or a table's).

    Args:
        rows: Column name -> value; a column a row lacks is written empty.
        policy: The policy they came from (its frameworks give columns).
        out: Where to write.

    Returns:
        The number of rows written (without the header).
    """
    columns = csv_columns(policy)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(columns))
    count = 0
    for row in rows:
        writer.writerow(csv_cells(row, columns))
        count += 1
    return count


def table_section(
    qualifications: Iterable[Qualification], policy: Policy, *, caption: str | None = None
) -> Section:
    """The table: id, stage, fit and grade, engagement and grade, segment, BANT, next fact.

    A policy with a priority rule adds a priority column (score and grade) after the segment.

    Args:
        qualifications: The results.
        policy: The policy (BANT is shown when it has the ``bant`` framework).
        caption: A line under the table.

    Returns:
        The section to render.
    """
    rows = [table_cells(_table_values(q, policy), policy) for q in qualifications]
    return rows_section(rows, policy, caption=caption)


def _table_values(q: Qualification, policy: Policy) -> dict[str, object]:
    values = qualification_row(q)
    values["bant_met"] = q.met("bant")
    values["next_fact"] = top_next_fact(q, policy)
    return values


def table_cells(values: Mapping[str, Any], policy: Policy) -> tuple[str, ...]:
    """One row of the table from a flat row (``qualification_row``'s or a columnar engine's).

    Args:
        values: ``lead_id``, ``stage``, ``stage_label``, the scores and grades,
            ``segment``, ``bant_met`` and ``next_fact`` (text shown as it is).
        policy: The policy (priority and BANT columns).

    Returns:
        The cells, in the order of ``rows_section``'s columns.
    """
    row: list[str] = [
        values["lead_id"] or "(no id)",
        values["stage_label"] or values["stage"] or NOT_A_LEAD,
        f"{number(values['fit'])} ({values['fit_grade']})",
        f"{number(values['engagement'])} ({values['engagement_grade']})",
        values["segment"],
    ]
    if policy.priority is not None:
        row.append(f"{number(values.get('priority'))} ({values.get('priority_grade')})")
    bant = next((fw for fw in policy.frameworks if fw.key == "bant"), None)
    if bant is not None:
        row.append(f"{values.get('bant_met') or 0}/{len(bant.criteria)}")
    row.append(values.get("next_fact") or "-")
    return tuple(row)


def rows_section(
    rows: Sequence[tuple[str, ...]], policy: Policy, *, caption: str | None = None
) -> Section:
    """The table of ``table_section`` from rows made by ``table_cells``."""
    bant = next((fw for fw in policy.frameworks if fw.key == "bant"), None)
    columns = ["id", "stage", "fit", "engagement", "segment"]
    if policy.priority is not None:
        columns.append("priority")
    if bant is not None:
        columns.append("BANT met")
    columns.append("top next fact")
    return Section(
        title=f"Qualified with {policy.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        caption=caption,
        right=frozenset({"fit", "engagement", "priority", "BANT met"}),
    )
