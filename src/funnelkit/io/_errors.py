"""Turn what goes wrong while reading a record into one RecordError listing every problem.

Structure hooks raise funnelkit ``ValidationError`` leaves with paths relative to the
object being built; nested objects and collections wrap them in cattrs'
``ClassValidationError`` / ``IterableValidationError`` groups whose notes name the
attribute or index. ``problems_of`` walks such a tree and returns flat problems with
full dotted paths; anything else (a cattrs error, a bug in a converter) becomes a problem
too, with the offending value looked up in the raw record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

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


def unknown_field(
    cls_name: str, key: object, value: object, known: Iterable[str]
) -> ValidationError:
    """A problem for a key that is not a field, with a "did you mean" hint."""
    known = list(known)
    name = key if isinstance(key, str) else repr(key)
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
    if len(problems) > max_problems:
        rest = problems[max_problems:]
        summary = _more(len(rest), "problems", [p.path for p in rest])
        problems = [*problems[:max_problems], summary]
    if columns:
        problems = [_name_column(p, columns) for p in problems]
    return RecordError(problems, record=number, record_id=record_id, line=line, raw=raw, kind=kind)


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
