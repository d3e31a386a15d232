"""Turn what goes wrong while reading a record into one RecordError listing every problem.

Structure hooks raise funnelkit ``ValidationError`` leaves with paths relative to the
object being built; nested objects and collections wrap them in cattrs'
``ClassValidationError`` / ``IterableValidationError`` groups whose notes name the
attribute or index. ``problems_of`` walks such a tree and returns flat problems with
full dotted paths; anything else (a cattrs error, a bug in a converter) becomes a problem
too, with the offending value looked up in the raw record.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, Final

from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote

from funnelkit.errors import RecordError, ValidationError, join_path
from funnelkit.io._schema import did_you_mean


class missing:  # noqa: N801 -- the name shows in messages: "got nothing (missing)"
    """The value of a key that is not in the record."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "nothing"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final = missing()
"""Stands for a value that is not there (a required key that is absent)."""

Part = str | int


MAX_PROBLEMS = 50
"""The most problems listed for one record; the rest are counted in one last problem."""

LISTED: ContextVar[int] = ContextVar("funnelkit_listed_problems", default=MAX_PROBLEMS)
"""How many problems of a record will be listed (``ReadLimits.max_problems``).

Structure hooks build at most this many problems of one kind for one object (unknown
keys); the rest are counted in one problem made by ``unlisted``, which ``record_error``
counts as the problems it stands for.
"""


_UNLISTED = "_funnelkit_unlisted"
"""The attribute marking a problem that stands for problems not built: (count, names, what)."""


def unlisted(count: int, names: Sequence[str], what: str, path: str = "") -> ValidationError:
    """One problem standing for ``count`` problems past the listing limit, not built.

    ``names`` are the paths of the first three. The problems it stands for always come
    after at least ``LISTED`` others of the same record, so ``record_error`` never lists
    them: its summary counts them and names their paths, as if each had been built.
    """
    first = tuple(names[:3])
    problem = ValidationError(
        path=path,
        expected=f"fewer problems ({count:,} more {what} not listed)",
        value=[name[:40] for name in first],
    )
    setattr(problem, _UNLISTED, (count, first, what))
    return problem


def _unlisted_run(problem: ValidationError) -> tuple[int, tuple[str, ...], str] | None:
    run: tuple[int, tuple[str, ...], str] | None = getattr(problem, _UNLISTED, None)
    return run


def unknown_fields(
    cls_name: str, record: Mapping[Any, Any], keys: Sequence[object], known: Iterable[str]
) -> list[ValidationError]:
    """A problem per unknown key, built for the first ``LISTED`` only, the rest counted."""
    known = list(known)
    limit = LISTED.get()
    problems = [unknown_field(cls_name, key, record[key], known) for key in keys[:limit]]
    if len(keys) > limit:
        names = [_key_name(key) for key in keys[limit : limit + 3]]
        problems.append(unlisted(len(keys) - limit, names, "unknown fields"))
    return problems


def _key_name(key: object) -> str:
    return key if isinstance(key, str) else repr(key)


def unknown_field(
    cls_name: str, key: object, value: object, known: Iterable[str]
) -> ValidationError:
    """A problem for a key that is not a field, with a "did you mean" hint."""
    known = list(known)
    name = _key_name(key)
    hint = did_you_mean(name, known)
    if not hint and "." in name and name.split(".", 1)[0] in known:
        hint = " (dotted names are for CSV columns and mappings; nest the object in JSON)"
    if not hint:
        hint = f" (known fields: {', '.join(known)})"
    return ValidationError(path=name, expected=f"a known field of {cls_name}{hint}", value=value)


def missing_field(name: str) -> ValidationError:
    """A problem for a required field that is absent."""
    return ValidationError(path=name, expected="a value (the field is required)", value=MISSING)


def problems_of(
    exc: BaseException, raw: object, prefix: tuple[Part, ...] = ()
) -> list[ValidationError]:
    """Flatten a structuring exception into problems with full paths.

    Args:
        exc: What the converter raised.
        raw: The record being structured, to look offending values up in.
        prefix: The path of ``exc`` inside the record.

    Returns:
        One problem per leaf error, in the order they were found.
    """
    if isinstance(exc, BaseExceptionGroup):
        out: list[ValidationError] = []
        for sub in exc.exceptions:
            out.extend(problems_of(sub, raw, prefix + _note_parts(sub)))
        return out
    if isinstance(exc, ValidationError):
        run = _unlisted_run(exc)
        if run is not None and prefix:
            count, names, what = run
            inner = [join_path(*prefix, name) for name in names]
            return [unlisted(count, inner, what, join_path(*prefix, exc.path))]
        return [exc.within(*prefix) if prefix else exc]
    if isinstance(exc, ForbiddenExtraKeysError):
        known = [str(a.name) for a in getattr(exc.cl, "__attrs_attrs__", ())]
        keys = sorted(exc.extra_fields, key=str)
        out = [
            unknown_field(exc.cl.__name__, key, lookup(raw, (*prefix, key)), known).within(*prefix)
            for key in keys[:MAX_PROBLEMS]
        ]
        if len(keys) > MAX_PROBLEMS:
            out.append(_more(len(keys) - MAX_PROBLEMS, "unknown fields", keys[MAX_PROBLEMS:]))
        return out
    if isinstance(exc, KeyError):
        return [missing_field(join_path(*prefix))]
    return [
        ValidationError(
            path=join_path(*prefix),
            expected=f"a valid value ({type(exc).__name__}: {exc})",
            value=lookup(raw, prefix),
        )
    ]


def _note_parts(exc: BaseException) -> tuple[Part, ...]:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return (note.name,)
        if isinstance(note, IterableValidationNote):
            return (note.index,)
    return ()


def lookup(raw: object, parts: Sequence[Part]) -> object:
    """The value at ``parts`` inside nested dicts and lists, or ``MISSING``."""
    node = raw
    for part in parts:
        in_mapping = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list | tuple) and isinstance(part, int) and -1 < part < len(node)
        if not (in_mapping or in_list):
            return MISSING
        node = node[part]  # type: ignore[index]
    return node


def read_id(record: object) -> str | None:
    """The record's ``id`` when it can be read (a string or an int), else ``None``."""
    if isinstance(record, Mapping):
        value = record.get("id")
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return str(value)
    return None


def kind_of(cls: type) -> str:
    """What a record of ``cls`` is called in messages (``ideal customer profile``)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__).lower()


def record_error(
    problems: Sequence[ValidationError],
    *,
    raw: object,
    number: int | None = None,
    line: int | None = None,
    record_id: str | None = None,
    kind: str = "lead",
    columns: Mapping[str, str] | None = None,
    max_problems: int = MAX_PROBLEMS,
) -> RecordError:
    """Build the RecordError for one record (at most ``max_problems`` listed, then a count).

    Args:
        problems: Every problem found, paths relative to the record.
        raw: The record as read.
        number: The 1-based record number.
        line: The line the record starts on.
        record_id: The record's id, when known.
        kind: What the record is called in messages.
        columns: Model path -> source column, to name the column in each problem.
        max_problems: The most problems listed; the rest are counted in one more.

    Returns:
        The error (not raised).
    """
    rest = problems[max_problems:]
    if rest:
        count = sum(_weight(problem) for problem in rest)
        names = list(itertools.islice(_paths(rest), 3))
        problems = [*problems[:max_problems], _more(count, "problems", names)]
    if columns:
        problems = [_name_column(p, columns) for p in problems]
    return RecordError(problems, record=number, record_id=record_id, line=line, raw=raw, kind=kind)


def _weight(problem: ValidationError) -> int:
    run = _unlisted_run(problem)
    return 1 if run is None else run[0]


def _paths(problems: Iterable[ValidationError]) -> Iterator[str]:
    for problem in problems:
        run = _unlisted_run(problem)
        if run is None:
            yield problem.path
        else:
            yield from run[1]


def _more(count: int, what: str, names: Sequence[object]) -> ValidationError:
    """One problem standing for ``count`` more that are not listed (the first few named)."""
    return ValidationError(
        path="",
        expected=f"fewer problems ({count:,} more {what} not listed)",
        value=[str(name)[:40] for name in names[:3]],
    )


def _name_column(problem: ValidationError, columns: Mapping[str, str]) -> ValidationError:
    for path, column in columns.items():
        if column != path and (
            problem.path == path or problem.path.startswith((path + ".", path + "["))
        ):
            return type(problem)(
                path=problem.path,
                expected=f"{problem.expected} (column {column!r})",
                value=problem.value,
            )
    return problem
