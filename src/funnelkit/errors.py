"""The errors funnelkit raises.

Every error derives from [`FunnelkitError`][funnelkit.errors.FunnelkitError]; each leaf
also derives from the matching builtin (``ValueError``, ``TypeError``, ...), so code that
already catches builtins keeps working.

Errors about data share one message shape -- *where*, *expected*, *found*:

```text
lead 17 (id 'L-17'): $.company.employees: expected int >= 0, got -3 (int)
```

and keep each part as an attribute (``path``, ``value``, ``expected``, ``record``,
``record_id``), so programs need not parse the message.

Examples:
    >>> from funnelkit.errors import ValidationError
    >>> err = ValidationError(path="employees", expected="int >= 0", value=-3)
    >>> print(err)
    $.employees: expected int >= 0, got -3 (int)
    >>> print(err.within("company").at_record(17, record_id="L-17"))
    lead 17 (id 'L-17'): $.company.employees: expected int >= 0, got -3 (int)
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from typing import Any, ClassVar, Self

from funnelkit._privacy import PERSONAL_FIELDS, mask

__all__ = [
    "FunnelkitError",
    "ValidationError",
    "FieldTypeError",
    "RecordError",
    "MissingExtraError",
    "InvalidArgumentError",
    "SourceError",
    "SourceNotFoundError",
    "PolicyError",
    "describe_value",
    "join_path",
]

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 6
_short.maxset = 6
_short.maxdict = 6


def describe_value(value: object) -> str:
    """Render a value for an error message: a short repr and its type name.

    Args:
        value: Any value.

    Returns:
        A string like ``-3 (int)`` or ``'ceo' (str)``; long values are shortened.

    Examples:
        >>> describe_value("x" * 100)[:12]
        "'xxxxxxxxxxx"
    """
    return f"{_short.repr(value)} ({type(value).__name__})"


def join_path(*parts: str | int) -> str:
    """Join field-path parts into a dotted path; integers become ``[i]`` indexes.

    Args:
        *parts: Path parts, outermost first; empty strings are skipped.

    Returns:
        The joined path, for example ``company.technologies[2]``.

    Examples:
        >>> join_path("signals", 3, "occurred_at")
        'signals[3].occurred_at'
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part:
            if part.startswith("["):
                out += part
            else:
                out = f"{out}.{part}" if out else part
    return out


class FunnelkitError(Exception):
    """The root of every error funnelkit raises on purpose.

    Every error carries the same machine-readable fields, so programs need not parse
    messages; a field that does not apply is ``None``.

    Attributes:
        code: A stable, short name of the kind of error (``validation``,
            ``policy-file``, ``condition-syntax``, ...), the same for every instance of
            a class; the errors reference page lists them all.
        path: Where in the value or document the problem is (``company.employees``,
            ``stages.sql.entry``), or ``None``.
        value: The offending value, unchanged, or ``None``.
        location: Where in the input: ``file:line:col``, ``line 1, column 5`` or
            ``lead 17``, or ``None``.

    Examples:
        >>> from funnelkit.errors import ValidationError
        >>> err = ValidationError(path="employees", expected="int >= 0", value=-3)
        >>> err.as_dict()["code"], err.path, err.value
        ('validation', 'employees', -3)
    """

    code: ClassVar[str] = "funnelkit"
    path: str | None = None
    value: object = None
    location: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The error's fields as a plain dict (``code``, ``message``, ``path``, ...).

        Returns:
            ``{"code", "message", "path", "value", "location"}``; the value is kept as
            is (it may not be JSON-serialisable: use
            [`describe_value`][funnelkit.errors.describe_value] for text).
        """
        return {
            "code": self.code,
            "message": str(self),
            "path": self.path,
            "value": self.value,
            "location": self.location,
        }


class ValidationError(FunnelkitError, ValueError):
    """A value does not satisfy what a field requires (code ``validation``).

    Args:
        path: The field path inside the record, dotted (``company.employees``).
        expected: What the field accepts, in words (``int >= 0``).
        value: The offending value.
        record: The 1-based number of the record in its input, when known.
        record_id: The record's own id, when known.
        kind: What the record is called in messages (``lead`` by default).

    Attributes:
        path: The dotted field path (without the leading ``$.``).
        expected: What the field accepts.
        value: The offending value, unchanged.
        record: The record number, or ``None``.
        record_id: The record id, or ``None``.
        location: ``lead 17 (id 'L-17')`` when the record is known, else ``None``.
    """

    code: ClassVar[str] = "validation"
    path: str
    location: str | None

    def __init__(
        self,
        *,
        path: str,
        expected: str,
        value: object,
        record: int | None = None,
        record_id: str | None = None,
        kind: str = "lead",
    ) -> None:
        self.path = path
        self.expected = expected
        self.value = value
        self.record = record
        self.record_id = record_id
        self.kind = kind
        self.location = _record_label(kind, record, record_id) or None
        super().__init__(self._message())

    @property
    def where(self) -> str:
        """The location part of the message: record (if known) and ``$.path``."""
        location = f"$.{self.path}" if self.path else "$"
        prefix = _record_label(self.kind, self.record, self.record_id)
        return f"{prefix}: {location}" if prefix else location

    def _message(self) -> str:
        last = self.path.rsplit(".", 1)[-1].split("[", 1)[0]
        if last in PERSONAL_FIELDS and self.value is not None:  # personal data
            found = f"{mask(self.value)} ({type(self.value).__name__})"
        else:
            found = describe_value(self.value)
        return f"{self.where}: expected {self.expected}, got {found}"

    def _copy(self, **changes: Any) -> Self:
        fields: dict[str, Any] = {
            "path": self.path,
            "expected": self.expected,
            "value": self.value,
            "record": self.record,
            "record_id": self.record_id,
            "kind": self.kind,
        }
        fields.update(changes)
        return type(self)(**fields)

    def within(self, *outer: str | int) -> Self:
        """Return a copy whose path is nested under ``outer``.

        Args:
            *outer: Path parts of the enclosing field(s), outermost first.

        Returns:
            A new error of the same type.
        """
        return self._copy(path=join_path(*outer, self.path))

    def at_record(self, record: int | None, *, record_id: str | None = None) -> Self:
        """Return a copy that names the record it was found in.

        Args:
            record: The 1-based record number.
            record_id: The record's id, if it has one.

        Returns:
            A new error of the same type.
        """
        return self._copy(record=record, record_id=record_id)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._copy_args()))

    def _copy_args(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "expected": self.expected,
            "value": self.value,
            "record": self.record,
            "record_id": self.record_id,
            "kind": self.kind,
        }


class FieldTypeError(ValidationError, TypeError):
    """A value has the wrong type for its field (also a ``TypeError``; code ``field-type``)."""

    code: ClassVar[str] = "field-type"


class RecordError(FunnelkitError, ValueError):
    """A whole input record is bad: it lists every problem found in it (code ``record``).

    ``path``, ``value`` and ``expected`` are those of the first problem; ``location``
    names the record (``lead 3 (id 'L-3')``).

    Args:
        problems: The field-level problems, each a
            [`ValidationError`][funnelkit.errors.ValidationError].
        record: The 1-based number of the record in its input.
        record_id: The record's own id, when it could be read.
        line: The line of the input file the record starts on, when known.
        raw: The record as it was read, kept so that nothing is lost.
        kind: What the record is called in messages (``lead`` by default).

    Attributes:
        problems (tuple[ValidationError, ...]): Every problem, each naming its path, expected
            and value.
        record: The record number.
        record_id: The record id, or ``None``.
        line: The line number, or ``None``.
        raw: The raw record.
    """

    code: ClassVar[str] = "record"
    path: str

    def __init__(
        self,
        problems: Sequence[ValidationError],
        *,
        record: int | None = None,
        record_id: str | None = None,
        line: int | None = None,
        raw: object = None,
        kind: str = "lead",
    ) -> None:
        if not problems:
            raise ValueError("a RecordError needs at least one problem")
        self.problems = tuple(
            p.at_record(record, record_id=record_id)._copy(kind=kind) for p in problems
        )
        self.record = record
        self.record_id = record_id
        self.line = line
        self.raw = raw
        self.kind = kind
        self.path = self.problems[0].path
        self.value = self.problems[0].value
        self.location = _record_label(kind, record, record_id) or None
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def expected(self) -> str:
        """What the first problem's field expected."""
        return self.problems[0].expected

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_record,
            (self.problems, self.record, self.record_id, self.line, self.raw, self.kind),
        )


class MissingExtraError(FunnelkitError, ImportError):
    """An optional dependency is not installed; the message names the extra to install.

    Code ``missing-extra``.

    Args:
        extra: The name of the funnelkit extra (``polars``, ``sql``, ``cli``, ...).
        package: The missing distribution.
    """

    code: ClassVar[str] = "missing-extra"

    def __init__(self, extra: str, package: str) -> None:
        self.extra = extra
        self.package = package
        super().__init__(
            f'this feature needs {package}: install it with: pip install "funnelkit[{extra}]"'
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.extra, self.package))


class InvalidArgumentError(FunnelkitError, TypeError, ValueError):
    """A function was called with an argument it cannot take (code ``invalid-argument``).

    Raised for what a caller passed (``read_leads(None)``, a naive ``as_of``,
    ``qualify("not a lead", ...)``), never for data read from a file. It is both a
    ``TypeError`` and a ``ValueError``, so code written against either builtin keeps
    working.

    Args:
        message: The whole message: what was expected and what was found.
        argument: The parameter's name.
        value: The value passed.

    Attributes:
        path: The parameter's name.
        value: The value passed.

    Examples:
        >>> raise InvalidArgumentError("lead must be a Lead, got 3", argument="lead", value=3)
        Traceback (most recent call last):
        ...
        funnelkit.errors.InvalidArgumentError: lead must be a Lead, got 3
    """

    code: ClassVar[str] = "invalid-argument"

    def __init__(self, message: str, *, argument: str, value: object) -> None:
        self.message = message
        self.path = argument
        self.value = value
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_argument, (type(self), self.message, self.path, self.value))


class SourceError(FunnelkitError, OSError):
    """An input file cannot be opened or read (also an ``OSError``; code ``source``).

    Args:
        message: What went wrong.
        file: The file name.

    Attributes:
        location: The file name.
    """

    code: ClassVar[str] = "source"

    def __init__(self, message: str, *, file: str) -> None:
        self.message = message
        self.location = file
        super().__init__(f"{file}: {message}")
        self.filename = file
        self.strerror = message

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_source, (type(self), self.message, self.location))


class SourceNotFoundError(SourceError, FileNotFoundError):
    """An input file does not exist (also a ``FileNotFoundError``; code ``source-not-found``)."""

    code: ClassVar[str] = "source-not-found"


class PolicyError(FunnelkitError, ValueError):
    """A policy does not hang together (code ``policy``).

    Raised when a [`Policy`][funnelkit.Policy] is built in Python with an unknown stage,
    clashing names or a bad reference. Its subclass
    [`PolicyFileError`][funnelkit.policy.PolicyFileError] (code ``policy-file``) is
    raised for policy *files and documents*, and lists every problem with its line and
    column: ``except PolicyError`` catches both.
    """

    code: ClassVar[str] = "policy"


def _rebuild_argument(
    cls: type[InvalidArgumentError], message: str, argument: str, value: object
) -> InvalidArgumentError:
    return cls(message, argument=argument, value=value)


def _rebuild_source(cls: type[SourceError], message: str, file: str) -> SourceError:
    return cls(message, file=file)


def _record_label(kind: str, record: int | None, record_id: str | None) -> str:
    if record is None and record_id is None:
        return ""
    label = kind if record is None else f"{kind} {record}"
    if record_id is not None:
        label += f" (id {record_id!r})"
    return label


def _rebuild(cls: type[ValidationError], kwargs: dict[str, Any]) -> ValidationError:
    return cls(**kwargs)


def _rebuild_record(
    problems: Sequence[ValidationError],
    record: int | None,
    record_id: str | None,
    line: int | None,
    raw: object,
    kind: str,
) -> RecordError:
    return RecordError(problems, record=record, record_id=record_id, line=line, raw=raw, kind=kind)
