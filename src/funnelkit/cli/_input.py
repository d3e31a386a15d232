"""Reading lead files for the commands: mapping files, formats, and bad records reported.

``validate`` and ``qualify`` read files the same way: the format from the file name or an
option, an optional column mapping file, and every bad record reported (with file, line,
record number, id, field path and value) while the good ones are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import attrs

from funnelkit.cli._escape import printable
from funnelkit.errors import FunnelkitError, RecordError
from funnelkit.io import ColumnMapping, iter_leads
from funnelkit.model import Lead

__all__ = ["CommandError", "LeadReader", "describe_problems", "load_mapping", "open_leads"]


class CommandError(Exception):
    """The command cannot run (exit 2); the message says why, ready to print."""


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
    return [printable(f"{where}: {problem}") for problem in error.problems]


def load_mapping(path: str | None) -> ColumnMapping | None:
    """Load the ``--mapping`` file, if one was given.

    Args:
        path: The mapping file, or ``None``.

    Returns:
        The mapping, or ``None``.

    Raises:
        CommandError: The file cannot be read or is not a good mapping.
    """
    if path is None:
        return None
    try:
        return ColumnMapping.from_file(path)
    except OSError as err:
        raise CommandError(f"cannot read mapping file {path!r}: {err.strerror or err}") from None
    except (FunnelkitError, ValueError) as err:
        raise CommandError(f"bad mapping file {path!r}: {err}") from None


def open_leads(
    file: str,
    *,
    format: str | None,
    mapping: ColumnMapping | None,
    option: str = "--format",
    on_warning: Callable[[RecordError], object] | None = None,
    custom_types: Mapping[str, str] | None = None,
) -> Iterator[Lead | RecordError]:
    """Check the arguments and return the records of ``file`` (read lazily, collecting).

    Args:
        file: The lead file.
        format: ``jsonl``, ``json``, ``csv`` or ``None`` (from the file name).
        mapping: The column mapping, or ``None``.
        option: The name of the command's input format option, for the hint.
        on_warning: Called with each good record that has cells left missing by a
            lenient column.
        custom_types: A policy's declared custom attributes, converted at load.

    Returns:
        An iterator of leads and of a RecordError per bad record; the file is opened on
        the first item.

    Raises:
        CommandError: The format cannot be told from the file name.
    """
    try:
        return iter_leads(
            file,
            format=format,  # type: ignore[arg-type]
            mapping=mapping,
            on_error="collect",
            on_warning=on_warning,
            custom_types=custom_types,
        )
    except (FunnelkitError, ValueError) as err:
        hint = f" (on the command line: {option} jsonl|json|csv)" if format is None else ""
        raise CommandError(f"{err}{hint}") from None


MAX_SHOWN = 100
"""The most bad records (and warnings) whose problems a command prints; the rest are counted."""


@attrs.define
class LeadReader:
    """Iterate over the good leads of a file; report each bad record as it is met.

    Args:
        file: The file name shown in reports.
        items: What [`open_leads`][funnelkit.cli._input.open_leads] returned.
        report: Called with each line describing a problem.
        on_bad: Also called with each bad record (``--bad-rows``).
        on_failure: Also called when the rest of the input cannot be read.

    Attributes:
        total: How many records were read so far, good and bad.
        bad: How many of them were bad (a bad CSV header or unreadable content counts
            as one).
        bad_ids: The ids of the bad records whose id could be read.
        warned: How many good records had cells left missing (lenient columns).
    """

    file: str
    items: Iterator[Lead | RecordError]
    report: Callable[[str], None]
    total: int = 0
    bad: int = 0
    bad_ids: set[str] = attrs.field(factory=set)
    warned: int = 0
    reported: int = 0
    on_bad: Callable[[RecordError], object] | None = None
    on_failure: Callable[[Exception], object] | None = None

    def __iter__(self) -> Iterator[Lead]:
        """Yield the good leads.

        Raises:
            CommandError: The file cannot be read (missing, a directory, ...).
        """
        try:
            for item in self.items:
                self.total += 1
                if isinstance(item, RecordError):
                    self._bad(item)
                else:
                    yield item
        except OSError as err:
            raise CommandError(f"cannot read {self.file!r}: {err.strerror or err}") from None
        except RecordError as err:  # a bad CSV header: no row can be read
            self._bad(err)
        except (FunnelkitError, ValueError) as err:  # e.g. not UTF-8 text
            self.bad += 1
            self.report(f"{self.file}: {err}")
            if self.on_failure is not None:
                self.on_failure(err)

    def bad_record(self, error: RecordError) -> None:
        """Count and report a bad record met outside the iteration (a table reader's)."""
        self.total += 1
        self._bad(error)

    def warn(self, warning: RecordError) -> None:
        """Report the cells of a good record that lenient columns left missing."""
        self.warned += 1
        if self._shown():
            for line in describe_problems(warning, file=self.file):
                self.report(f"{line} [warning]")

    def _bad(self, error: RecordError) -> None:
        self.bad += 1
        if self.on_bad is not None:
            self.on_bad(error)
        if error.record_id is not None:
            self.bad_ids.add(error.record_id)
        if self._shown():
            for line in describe_problems(error, file=self.file):
                self.report(line)

    def _shown(self) -> bool:
        """Whether this record's problems are shown: the first MAX_SHOWN are."""
        self.reported += 1
        if self.reported == MAX_SHOWN + 1:
            self.report(
                f"{self.file}: further bad records and warnings are counted, not shown "
                f"(the first {MAX_SHOWN} are)"
            )
        return self.reported <= MAX_SHOWN
