"""Loading leads from JSONL, JSON, CSV and Python records; writing JSONL."""

from __future__ import annotations

import gzip
import html
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from funnelkit.errors import InvalidArgumentError, RecordError, ValidationError
from funnelkit.io import _errors
from funnelkit.io._columns import CUSTOM_TYPES
from funnelkit.io._converter import converter, to_json
from funnelkit.io._csv import Row
from funnelkit.io._limits import ReadLimits
from funnelkit.io._mapping import ColumnMapping
from funnelkit.io._sources import SUFFIXES, Format, Source, flat_of, open_source
from funnelkit.io._typed import typed_custom
from funnelkit.model import Lead

__all__ = ["LoadResult", "lead_from_dict", "iter_leads", "read_leads", "write_jsonl"]

OnError = Literal["raise", "collect"]
OnWarning = Callable[[RecordError], object]
MappingLike = ColumnMapping | Mapping[str, str] | None


@attrs.frozen(repr=False)
class LoadResult:
    """What a load produced: the good leads and a RecordError for each bad record.

    Attributes:
        leads: The leads read, in input order.
        errors: One error per bad record, in input order.
        warnings: One per good record with cells of lenient columns
            (``on_error="missing"``) that could not be read and were left missing; each
            problem names the path, the column and the value. The lead is in ``leads``.

    Examples:
        >>> result = read_leads([{"id": "L-1"}, {"id": 2}], on_error="collect")
        >>> result
        LoadResult(total=2, leads=1, errors=1)
        >>> result.ok, [lead.id for lead in result.leads]
        (False, ['L-1'])
        >>> print(result.errors[0])
        lead 2 (id '2'): $.id: expected str, got 2 (int)
    """

    leads: tuple[Lead, ...]
    errors: tuple[RecordError, ...]
    warnings: tuple[RecordError, ...] = ()

    @property
    def total(self) -> int:
        """How many records were read, good and bad."""
        return len(self.leads) + len(self.errors)

    @property
    def ok(self) -> bool:
        """Whether every record was good."""
        return not self.errors

    def _repr_html_(self) -> str:
        e = html.escape
        shown = 20
        rows = "".join(
            f"<tr><td>{kind}</td><td>{e(str(problem))}</td></tr>"
            for kind, problem in [
                *(("error", error) for error in self.errors[:shown]),
                *(
                    ("warning", warning)
                    for warning in self.warnings[: max(0, shown - len(self.errors))]
                ),
            ]
        )
        more = len(self.errors) + len(self.warnings) - shown
        tail = f"<p>... and {more} more</p>" if more > 0 else ""
        table = f"<table><tr><th></th><th>problem</th></tr>{rows}</table>{tail}" if rows else ""
        return (
            f'<div class="funnelkit-load"><p>{self.total:,} records: {len(self.leads):,} leads, '
            f"{len(self.errors):,} bad, {len(self.warnings):,} with warnings</p>{table}</div>"
        )

    def __repr__(self) -> str:
        warned = f", warnings={len(self.warnings)}" if self.warnings else ""
        return (
            f"LoadResult(total={self.total}, leads={len(self.leads)}, "
            f"errors={len(self.errors)}{warned})"
        )


def lead_from_dict(
    record: Mapping[str, Any], *, number: int | None = None, mapping: MappingLike = None
) -> Lead:
    """Build a lead from one record, checking everything.

    Args:
        record: A nested record in the record format, or, with ``mapping``, a flat one
            whose keys are columns.
        number: The record's number in its input, for messages.
        mapping: How the keys of a flat record become fields.

    Returns:
        The lead.

    Raises:
        RecordError: Lists every problem in the record, each with its path and value.

    Examples:
        >>> lead_from_dict({"id": "L-7", "company": {"name": "Acme", "employees": 40}}).company.name
        'Acme'
        >>> from funnelkit.errors import RecordError
        >>> try:
        ...     lead_from_dict({"id": "L-8", "company": {"employes": 40, "country": "Germany"}},
        ...                    number=8)
        ... except RecordError as err:
        ...     print(err.record, err.record_id, [p.path for p in err.problems])
        8 L-8 ['company.employes', 'company.country']
    """
    cmap = _as_mapping(mapping)
    result = _build(Row(number, None, record, flat_of(record, cmap)))
    if isinstance(result, RecordError):
        raise result
    return result


def iter_leads(
    source: Source,
    *,
    format: Format | None = None,
    mapping: MappingLike = None,
    on_error: OnError = "raise",
    on_warning: OnWarning | None = None,
    custom_types: Mapping[str, str] | None = None,
    limits: ReadLimits | None = None,
) -> Iterator[Lead | RecordError]:
    """Read leads one at a time, without holding the whole input.

    Takes the same arguments as [`read_leads`][funnelkit.io.read_leads], and
    ``on_warning``: called with a RecordError for each good record with cells of
    lenient columns left missing (see ``LoadResult.warnings``); by default they are
    dropped.

    Yields:
        Each lead; with ``on_error="collect"`` also a RecordError for each bad record.

    Raises:
        RecordError: With ``on_error="raise"``, at the first bad record; in either
            mode, for an unknown column in a CSV header.
        funnelkit.errors.InvalidArgumentError: ``format`` or ``on_error`` is not one of
            the documented values, the format cannot be told from the file name, or
            ``source`` is not a path, a file or an iterable of records (also a
            ``ValueError`` and a ``TypeError``).
        funnelkit.errors.SourceNotFoundError: ``source`` names a file that does not
            exist (also a ``FileNotFoundError``); ``SourceError`` for other read errors.

    Examples:
        >>> for item in iter_leads([{"id": "L-1"}, {"id": ""}], on_error="collect"):
        ...     print(type(item).__name__, getattr(item, "id", None) or item.record)
        Lead L-1
        RecordError 2
    """
    if on_error not in ("raise", "collect"):
        raise InvalidArgumentError(
            f"on_error must be 'raise' or 'collect', got {on_error!r}",
            argument="on_error",
            value=on_error,
        )
    if format is not None and format not in SUFFIXES.values():
        raise InvalidArgumentError(
            f"format must be 'jsonl', 'json' or 'csv', got {format!r}",
            argument="format",
            value=format,
        )
    cmap = _as_mapping(mapping)
    records = open_source(source, format, cmap, limits)
    return _leads(
        records,
        raise_first=on_error == "raise",
        on_warning=on_warning,
        types=_custom_types(custom_types),
        max_problems=(limits or ReadLimits()).max_problems,
    )


def read_leads(
    source: Source,
    *,
    format: Format | None = None,
    mapping: MappingLike = None,
    on_error: OnError = "raise",
    custom_types: Mapping[str, str] | None = None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """Read leads from a file or from records, checking every record.

    Args:
        source: A path (``str`` or ``Path``) to a ``.jsonl``, ``.json`` (an array of
            records) or ``.csv`` file, optionally gzipped (``.csv.gz``); an open file;
            an iterable of records (dicts); or a data frame: a polars or pandas
            ``DataFrame`` or a pyarrow ``Table``, whose columns are read like CSV
            columns (dotted paths, or the columns of ``mapping``). A ``str`` is always a
            path.
        format: ``"jsonl"``, ``"json"`` or ``"csv"``; by default taken from the file
            name. Not used for an iterable of records.
        mapping: A [`ColumnMapping`][funnelkit.io.ColumnMapping] (or a plain dict of
            column -> field path) for CSV columns, frame columns or the keys of flat
            records.
        on_error: ``"raise"`` raises the first bad record's error; ``"collect"`` keeps
            reading and returns the errors with the good leads.
        custom_types: Custom attribute name -> ``"text"``, ``"number"``,
            ``"integer"``, ``"boolean"`` or ``"date"`` (a policy's
            ``dict(policy.custom_attributes)``): each such ``custom`` value is converted
            (``"42"`` -> ``42``), or its record is bad, naming ``custom.<name>`` and the
            value.
        limits: Bounds on lines, files, header width and problems listed per record
            ([`ReadLimits`][funnelkit.io.ReadLimits]; ``ReadLimits()`` by default).

    Returns:
        The leads and the errors.

    Raises:
        RecordError: See [`iter_leads`][funnelkit.io.iter_leads].
        ValueError: See [`iter_leads`][funnelkit.io.iter_leads].
        TypeError: See [`iter_leads`][funnelkit.io.iter_leads].

    Examples:
        >>> rows = [{"id": "L-1", "company": {"employees": 120}},
        ...         {"id": "L-2", "company": {"employees": -3}}]
        >>> result = read_leads(rows, on_error="collect")
        >>> [lead.id for lead in result.leads], result.total
        (['L-1'], 2)
        >>> print(result.errors[0])
        lead 2 (id 'L-2'): $.company.employees: expected int >= 0, got -3 (int)
    """
    leads: list[Lead] = []
    errors: list[RecordError] = []
    warnings: list[RecordError] = []
    items = iter_leads(
        source,
        format=format,
        mapping=mapping,
        on_error=on_error,
        on_warning=warnings.append,
        custom_types=custom_types,
        limits=limits,
    )
    for item in items:
        if isinstance(item, RecordError):
            errors.append(item)
        else:
            leads.append(item)
    return LoadResult(leads=tuple(leads), errors=tuple(errors), warnings=tuple(warnings))


def write_jsonl(leads: Iterable[Lead], path_or_file: str | os.PathLike[str] | IO[str]) -> int:
    r"""Write leads as JSON Lines, one compact record per line, in a stable form.

    Args:
        leads: The leads.
        path_or_file: A path (gzipped when it ends in ``.gz``) or an open text file.

    Returns:
        The number of lines written.

    Examples:
        >>> import io
        >>> buffer = io.StringIO()
        >>> write_jsonl([Lead(id="L-1")], buffer)
        1
        >>> buffer.getvalue()
        '{"id": "L-1"}\n'
    """
    with ExitStack() as stack:
        file: IO[str]
        if isinstance(path_or_file, str | os.PathLike):
            path = Path(path_or_file)
            if path.suffix == ".gz":
                file = stack.enter_context(gzip.open(path, "wt", encoding="utf-8", newline=""))
            else:
                file = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        else:
            file = path_or_file
        count = 0
        for lead in leads:
            file.write(to_json(lead) + "\n")
            count += 1
        return count


# -- internals ---------------------------------------------------------------------------


def _as_mapping(mapping: MappingLike) -> ColumnMapping | None:
    if mapping is None or isinstance(mapping, ColumnMapping):
        return mapping
    return ColumnMapping(mapping)


def _custom_types(types: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(types or {})
    for name, kind in out.items():
        if kind not in CUSTOM_TYPES:
            raise ValueError(
                f"custom_types[{name!r}] must be one of {', '.join(CUSTOM_TYPES)}, got {kind!r}"
            )
    return out


def _leads(
    records: Iterator[Row | RecordError],
    *,
    raise_first: bool,
    on_warning: OnWarning | None,
    types: Mapping[str, str] | None = None,
    max_problems: int = _errors.MAX_PROBLEMS,
) -> Iterator[Lead | RecordError]:
    hook = converter.get_structure_hook(Lead)  # looked up once per read, not per record
    for item in records:
        result = item if isinstance(item, RecordError) else _build(item, types, max_problems, hook)
        if raise_first and isinstance(result, RecordError):
            raise result
        if (
            on_warning is not None
            and not isinstance(result, RecordError)
            and not isinstance(item, RecordError)
            and item.flat is not None
            and item.flat.warnings
        ):
            on_warning(
                _errors.record_error(
                    item.flat.warnings,
                    raw=item.raw,
                    number=item.number,
                    line=item.line,
                    record_id=result.id,
                )
            )
        yield result


def _build(
    item: Row,
    types: Mapping[str, str] | None = None,
    max_problems: int = _errors.MAX_PROBLEMS,
    hook: Callable[[Any, Any], Lead] | None = None,
) -> Lead | RecordError:
    """Structure one record; every problem goes into one RecordError."""
    raw, flat = item.raw, item.flat
    record = raw if flat is None else flat.record
    problems: list[ValidationError] = list(flat.problems) if flat is not None else []
    if types:
        record, typed = typed_custom(record, types)
        problems.extend(typed)
    listed = None if max_problems == _errors.MAX_PROBLEMS else _errors.LISTED.set(max_problems)
    try:
        lead = converter.structure(record, Lead) if hook is None else hook(record, Lead)
    except Exception as exc:
        problems.extend(_errors.problems_of(exc, record))
    finally:
        if listed is not None:
            _errors.LISTED.reset(listed)
    if not problems:
        return lead
    return _errors.record_error(
        problems,
        raw=raw,
        number=item.number,
        line=item.line,
        record_id=_errors.read_id(record),
        columns=flat.columns if flat is not None else None,
        max_problems=max_problems,
    )
