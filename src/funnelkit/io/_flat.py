"""Flat records (CSV rows, dicts, frame rows) -> nested lead records, by a column mapping.

Each column is planned once per header (or per set of keys): where it goes, its
placeholder texts and value map, and the function that reads its cells. A row is then read cell by
cell; a cell that cannot be read is a problem of the row, or, for a lenient column, a
warning and a missing fact.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs

from funnelkit.errors import FieldTypeError, ValidationError
from funnelkit.io._classes import hook_for
from funnelkit.io._columns import Column, CustomType, SignalColumn
from funnelkit.io._converter import converter
from funnelkit.io._mapping import ColumnMapping
from funnelkit.io._scalars import cell_parser, parse_cell
from funnelkit.io._schema import Target
from funnelkit.io._values import country_code, currency_code, snake_case

Reader = Callable[[object], object]

MAX_SIGNALS_PER_CELL: Final = 10_000
"""The largest count a count column may give (sizes are bounded)."""

_SCALAR_TYPES = (str, int, float, bool, Decimal, date, datetime)
_INT_RE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})
_COUNTRY_EXPECTED = "an ISO 3166 country code or a country's name (such as 'DE' or 'Germany')"
_CURRENCY_EXPECTED = "an ISO 4217 currency code or symbol (such as 'EUR' or '€')"
_LEFT_MISSING = "; left missing"
_AT_EXPECTED = "an ISO 8601 date, or a date-time with a UTC offset"


@attrs.frozen
class Flat:
    """A flat record turned nested: the record, the problems found, the columns used.

    Attributes:
        record: The nested record, for the converter.
        problems: Cells that could not be read or placed.
        columns: Field path -> the column that filled it (to name it in messages).
        warnings: Cells of lenient columns that could not be read and were left
            missing.
    """

    record: dict[str, Any]
    problems: tuple[ValidationError, ...]
    columns: dict[str, str]
    warnings: tuple[ValidationError, ...] = ()


@attrs.frozen
class Slot:
    """One column, planned: where its cells go and how they are read."""

    column: str
    place: Target | None
    signal: SignalColumn | None = None
    nulls: frozenset[str] = frozenset()
    values: Mapping[str, object] = attrs.field(factory=dict)
    lenient: bool = False
    read: Reader | None = None
    problem: ValidationError | None = None


# -- planning ----------------------------------------------------------------------------


def plan_column(mapping: ColumnMapping, column: str, *, hint: bool = True) -> Slot | None:
    """Plan one column; ``None`` when it is ignored (``hint``: see ``_resolve``).

    Raises:
        ValidationError: The column is unknown and ``unmapped`` is ``"error"``.
    """
    entry = mapping.columns.get(column)
    nulls = mapping.missing
    if isinstance(entry, SignalColumn):
        return Slot(
            column,
            None,
            signal=entry,
            nulls=nulls | entry.missing,
            values=entry.values,
            lenient=entry.on_error == "missing",
        )
    place = mapping._resolve(column, hint=hint)
    if place is None:
        return None
    if isinstance(entry, Column):
        return Slot(
            column,
            place,
            nulls=nulls | entry.missing,
            values=entry.values,
            lenient=entry.on_error == "missing",
            read=field_reader(place, entry.type),
        )
    return Slot(column, place, nulls=nulls, read=field_reader(place, None))


def plan_header(mapping: ColumnMapping, header: Sequence[str]) -> list[Slot | None]:
    """Plan every column of a header, as given (names already made unique)."""
    return [plan_column(mapping, column) for column in header]


HINTED_KEYS = 200
"""How many unknown keys of one record get a "did you mean" (a fuzzy search each)."""


@functools.lru_cache(maxsize=64)
def plan_keys(mapping: ColumnMapping, keys: tuple[str, ...]) -> tuple[Slot | None, ...]:
    """Plan the keys of a dict record; an unknown key becomes a slot with its problem."""
    slots: list[Slot | None] = []
    unknown = 0
    for key in keys:
        try:
            slots.append(plan_column(mapping, key, hint=unknown < HINTED_KEYS))
        except ValidationError as exc:
            unknown += 1
            slots.append(Slot(key, None, problem=exc))
    return tuple(slots)


# -- reading cells -----------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def field_reader(place: Target, type_: CustomType | None) -> Reader:
    """The function reading a cell (text or a value) for ``place``; raises ValidationError."""
    if place.custom:
        return _CUSTOM_READERS[type_] if type_ is not None else _as_is
    tp = place.type
    last = place.parts[-1]
    if tp is str and last == "country":
        return _read_country
    if tp is str and last == "currency":
        return _read_currency
    checked = tp in _SCALAR_TYPES or (isinstance(tp, type) and issubclass(tp, Enum))
    hook = hook_for(converter, tp) if checked else None
    if tp is str and hook is not None:
        text_hook = hook

        def read_str(value: object) -> object:
            return value if type(value) is str else text_hook(value, tp)

        return read_str

    parse = cell_parser(tp)

    def read(value: object) -> object:
        if type(value) is str:
            value = parse(value)
        elif isinstance(value, str):
            value = parse_cell(value, tp)
        return hook(value, tp) if hook is not None else value

    return read


def _as_is(value: object) -> object:
    return value


def _read_country(value: object) -> object:
    if not isinstance(value, str):
        raise FieldTypeError(path="", expected=_COUNTRY_EXPECTED, value=value)
    code = country_code(value)
    if code is None:
        raise ValidationError(path="", expected=_COUNTRY_EXPECTED, value=value)
    return code


def _read_currency(value: object) -> object:
    if not isinstance(value, str):
        raise FieldTypeError(path="", expected=_CURRENCY_EXPECTED, value=value)
    code = currency_code(value)
    if code is None:
        raise ValidationError(path="", expected=_CURRENCY_EXPECTED, value=value)
    return code


def read_text(value: object) -> object:
    """A text custom attribute: text as is, numbers written out."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    raise FieldTypeError(path="", expected="text", value=value)


def read_number(value: object) -> object:
    """A number custom attribute (``float``, or ``int``/``Decimal`` as given)."""
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(path="", expected="a finite number such as '0.8'", value=value)
        return number
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(path="", expected="a finite number", value=value)
        return value
    raise FieldTypeError(path="", expected="a number", value=value)


def read_integer(value: object) -> object:
    """An integer custom attribute (a float with no fraction counts, as frames give)."""
    if isinstance(value, str):
        if _INT_RE.fullmatch(value.strip()):
            return int(value.strip())
        raise ValidationError(path="", expected="an integer, written with digits only", value=value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise FieldTypeError(path="", expected="an integer", value=value)


def read_boolean(value: object) -> object:
    """A boolean custom attribute: true/false, yes/no or 1/0 in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise ValidationError(
        path="", expected="true or false (also yes/no or 1/0, any case)", value=value
    )


def read_date(value: object) -> object:
    """A date custom attribute: an ISO 8601 date (a ``date``, not a ``datetime``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(path="", expected="an ISO 8601 date such as '2026-05-01'", value=value)


_CUSTOM_READERS: Final[dict[str, Reader]] = {
    "text": read_text,
    "number": read_number,
    "integer": read_integer,
    "boolean": read_boolean,
    "date": read_date,
}


def read_instant(value: object) -> datetime:
    """When a signal happened: a date (midnight UTC) or a date-time with an offset."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValidationError(
                path="", expected=_AT_EXPECTED + " (the offset is never guessed)", value=value
            )
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return read_instant(date.fromisoformat(text))
            return read_instant(datetime.fromisoformat(text))
        except ValueError:
            pass
    raise ValidationError(path="", expected=_AT_EXPECTED, value=value)


# -- reading rows ------------------------------------------------------------------------


def is_empty(value: object, nulls: frozenset[str]) -> bool:
    """Whether a cell is not filled: ``None``, NaN, blank, or one of the placeholder texts."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or text in nulls
    return isinstance(value, float) and math.isnan(value)


def nest(
    cells: Iterable[tuple[Slot, object]],
    *,
    mapping: ColumnMapping,
    row: Mapping[str, object],
) -> Flat:
    """Read a row's cells into a nested record.

    Args:
        cells: Each planned column with its cell.
        mapping: The mapping (for ``signals_at`` and the explicit kinds).
        row: The row as column -> cell, to find the date columns of signals.

    Returns:
        The nested record with the problems and warnings found on the way.
    """
    record: dict[str, Any] = {}
    problems: list[ValidationError] = []
    warnings: list[ValidationError] = []
    columns: dict[str, str] = {}
    signals: list[dict[str, Any]] = []
    for slot, value in cells:
        if slot.problem is not None:
            if not is_empty(value, frozenset()):
                problems.append(
                    ValidationError(
                        path=slot.problem.path, expected=slot.problem.expected, value=value
                    )
                )
            continue
        text = type(value) is str
        if text:
            stripped = value.strip()  # type: ignore[attr-defined]  # a str (no cast() call)
            if not stripped or stripped in slot.nulls:
                continue
        elif is_empty(value, slot.nulls):
            continue
        mapped = False
        if slot.values and isinstance(value, str | bool | int | float):
            key = value.strip() if isinstance(value, str) else value
            if key in slot.values:
                value, mapped = slot.values[key], True  # type: ignore[index]
                if value is None:
                    continue
        if slot.signal is not None:
            try:
                signals.extend(_signals(slot.signal, value, mapping, row, mapped=mapped))
            except ValidationError as exc:
                if slot.lenient:
                    warnings.append(_in_column(exc, "signals", slot.column, _LEFT_MISSING))
                else:
                    problems.append(_in_column(exc, "signals", slot.column))
            continue
        place, read = slot.place, slot.read
        if place is None or read is None:  # pragma: no cover - planned slots have both
            continue
        try:
            value = read(value)
        except ValidationError as exc:
            if slot.lenient:
                warnings.append(
                    _in_column(exc.within(place.path), None, slot.column, _LEFT_MISSING)
                )
            else:
                problems.append(exc.within(place.path))
                columns[place.path] = slot.column
            continue
        # a value read from text is new; one given by the caller is copied before merging
        if _put(record, place.parts, value, copy=not text or mapped):
            other = next((c for p, c in columns.items() if _overlaps(p, place.path)), "another")
            problems.append(
                ValidationError(
                    path=place.path,
                    expected=f"one value (columns {other!r} and {slot.column!r} both give one)",
                    value=value,
                )
            )
        columns[place.path] = slot.column
    if signals:
        existing = record.setdefault("signals", [])
        if isinstance(existing, list):
            existing.extend(signals)
        else:
            problems.append(
                ValidationError(path="signals", expected="a list of signals", value=existing)
            )
    return Flat(record, tuple(problems), columns, tuple(warnings))


def _in_column(
    exc: ValidationError, path: str | None, column: str, note: str = ""
) -> ValidationError:
    return type(exc)(
        path=exc.path if path is None else (path + (f".{exc.path}" if exc.path else "")),
        expected=f"{exc.expected} (column {column!r}{note})",
        value=exc.value,
    )


def _signals(
    spec: SignalColumn,
    value: object,
    mapping: ColumnMapping,
    row: Mapping[str, object],
    *,
    mapped: bool,
) -> list[dict[str, Any]]:
    """The signals one cell gives (raises ValidationError for a cell it cannot read)."""
    count = 1
    number: object = None
    if spec.reads == "category":
        if isinstance(value, str) and not mapped:
            kind: object = spec.kind or snake_case(value)
        else:
            kind = value
        if not isinstance(kind, str) or not kind:
            raise ValidationError(path="", expected="a signal kind (text)", value=value)
    else:
        kind = spec.kind
        if spec.reads == "count":
            count = int(read_integer(value))  # type: ignore[call-overload]
            if not 0 <= count <= MAX_SIGNALS_PER_CELL:
                raise ValidationError(
                    path="", expected=f"a count from 0 to {MAX_SIGNALS_PER_CELL:,}", value=value
                )
        else:
            number = read_number(value)
            if number == 0:
                return []
            number = float(number)  # type: ignore[arg-type]
    if count == 0:
        return []
    at: object = None
    if spec.at is not None:
        at = row.get(spec.at)
        if is_empty(at, mapping.missing):
            at = None
    if at is None:
        if mapping.signals_at is None:
            raise ValidationError(
                path="", expected=f"a date in column {spec.at!r} (it is empty)", value=value
            )
        when = mapping.signals_at
    else:
        try:
            when = read_instant(at)
        except ValidationError as exc:
            raise ValidationError(
                path="", expected=f"{exc.expected} in column {spec.at!r}", value=at
            ) from None
    explicit = spec.explicit if spec.explicit is not None else kind in mapping.explicit
    signal: dict[str, Any] = {"kind": kind, "occurred_at": when}
    if explicit:
        signal["explicit"] = True
    if number is not None:
        signal["value"] = number
    return [dict(signal) for _ in range(count)]


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _put(tree: dict[str, Any], parts: tuple[str, ...], value: object, *, copy: bool) -> bool:
    """Set ``value`` at ``parts``, merging objects; return ``True`` on a clash."""
    node = tree
    for part in parts[:-1]:
        child = node.get(part)
        if child is None:
            if part in node:
                return True
            child = node[part] = {}  # no new dict per call, as setdefault would make
        elif not isinstance(child, dict):
            return True
        node = child
    leaf = parts[-1]
    if leaf not in node:
        node[leaf] = _copy(value) if copy else value
        return False
    existing = node[leaf]
    if isinstance(existing, dict) and isinstance(value, Mapping):
        return any(_put(existing, (key,), item, copy=True) for key, item in value.items())
    return True


def _copy(value: object) -> object:
    if type(value) is str:
        return value
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    return value


def nest_mapped(record: object, mapping: ColumnMapping) -> Flat:
    """Turn a flat dict (a row from a data frame or an API) into a nested lead record.

    Values are read as CSV cells are: text by the target field's type, other values as
    they are; ``None``, NaN, blank strings and placeholder texts count as missing.
    """
    if not isinstance(record, Mapping):
        problem = FieldTypeError(path="", expected="a flat record (a mapping)", value=record)
        return Flat({}, (problem,), {})
    keys = tuple(str(key) for key in record)
    slots = plan_keys(mapping, keys)
    values = list(record.values())
    cells = [(slot, value) for slot, value in zip(slots, values, strict=True) if slot is not None]
    row = (
        record if all(isinstance(k, str) for k in record) else dict(zip(keys, values, strict=True))
    )
    return nest(cells, mapping=mapping, row=row)
