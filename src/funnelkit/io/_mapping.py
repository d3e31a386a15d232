"""Column mappings: how a foreign table's columns fill a lead record."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from funnelkit.errors import FieldTypeError, MissingExtraError, RecordError, ValidationError
from funnelkit.io import _errors, _scalars
from funnelkit.io._columns import (
    CUSTOM_TYPES,
    ON_BAD_VALUE,
    SIGNAL_READS,
    Column,
    SignalColumn,
)
from funnelkit.io._scalars import no_duplicate_keys
from funnelkit.io._schema import CUSTOM_PREFIX, Target, did_you_mean, known_paths, target
from funnelkit.model import FrozenDict

__all__ = ["ColumnMapping"]

Unmapped = Literal["error", "ignore", "custom"]
"""What happens to a column that is neither mapped nor a lead field path."""
Entry = Union[str, Column, SignalColumn]  # noqa: UP007 -- a runtime value for cattrs
"""What a column maps to: a field path, or a column spec."""

_UNMAPPED: Final = get_args(Unmapped)
_TARGET_EXPECTED = "a lead field path such as 'company.employees', or 'custom.<name>'"
_FILE_KEYS: Final = ("columns", "unmapped", "missing", "signals_at", "explicit")
_SIGNALS_AT_EXPECTED = "an ISO 8601 date, or a date-time with a UTC offset"


# -- reading specs from data (mapping files, dicts) -----------------------------------------


def _text_set(value: object, _type: object = None) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise FieldTypeError(path="", expected="a list of texts", value=value)
    for item in value:
        if not isinstance(item, str):
            raise FieldTypeError(path="", expected="a list of texts", value=item)
    return frozenset(value)


def _values_map(value: object, _type: object = None) -> FrozenDict[str, object]:
    if not isinstance(value, Mapping):
        raise FieldTypeError(path="", expected="a mapping of cell text to value", value=value)
    for key, item in value.items():
        if not isinstance(key, str):
            raise FieldTypeError(
                path="", expected="cell texts as keys (quote Yes, No, 1 in YAML)", value=key
            )
        if isinstance(item, list | dict):
            raise FieldTypeError(
                path=f"[{key!r}]", expected="a text, number, bool or null", value=item
            )
    return FrozenDict(value)


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) in (Literal,)


def _origin_is(cls: type) -> Any:
    def check(tp: Any) -> bool:
        origin: Any = get_origin(tp) or tp
        return origin is cls

    return check


def _make_spec_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _scalars.structure_str)
    conv.register_structure_hook(bool, _scalars.structure_bool)
    conv.register_structure_hook_func(_is_literal, lambda v, _t: v)
    conv.register_structure_hook_func(_origin_is(frozenset), _text_set)
    conv.register_structure_hook_func(_origin_is(FrozenDict), _values_map)
    conv.register_structure_hook(
        SignalColumn,
        make_dict_structure_fn(
            SignalColumn, conv, reads=override(rename="signal"), _cattrs_forbid_extra_keys=True
        ),
    )
    conv.register_unstructure_hook_factory(
        _origin_is(frozenset), lambda _t: lambda v: sorted(v, key=str)
    )
    conv.register_unstructure_hook_factory(_origin_is(FrozenDict), lambda _t: _entries(conv))
    conv.register_unstructure_hook(datetime, _instant_text)
    conv.register_unstructure_hook(
        Column, make_dict_unstructure_fn(Column, conv, _cattrs_omit_if_default=True)
    )
    conv.register_unstructure_hook(
        SignalColumn,
        make_dict_unstructure_fn(
            SignalColumn,
            conv,
            _cattrs_omit_if_default=True,
            reads=override(rename="signal", omit_if_default=False),
        ),
    )
    conv.register_unstructure_hook(
        ColumnMapping,
        make_dict_unstructure_fn(ColumnMapping, conv, _cattrs_omit_if_default=True),
    )
    return conv


def _entries(conv: cattrs.Converter) -> Any:
    def unstructure_entries(value: FrozenDict[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, item in value.items():
            data = conv.unstructure(item)
            out[key] = data["to"] if isinstance(data, dict) and list(data) == ["to"] else data
        return out

    return unstructure_entries


def _instant_text(value: datetime) -> str:
    midnight = value.utcoffset() == timedelta(0) and value.time() == datetime.min.time()
    return value.date().isoformat() if midnight else value.isoformat()


_specs: cattrs.Converter


def entry_of(value: object) -> Entry:
    """Read one column entry: a path, a ``{"to": ...}`` or a ``{"signal": ...}`` object.

    Raises:
        ValidationError: The entry is neither (paths relative to the entry).
        ExceptionGroup: cattrs' groups for bad keys of an object.
    """
    if isinstance(value, str | Column | SignalColumn):
        return value
    if not isinstance(value, Mapping):
        raise FieldTypeError(
            path="", expected=_TARGET_EXPECTED + ", or a column spec object", value=value
        )
    if "signal" in value:
        return _specs.structure(dict(value), SignalColumn)
    if "to" not in value:
        raise ValidationError(
            path="",
            expected="a column spec with 'to' (a field) or 'signal' (category, count, value)",
            value=value,
        )
    return _specs.structure(dict(value), Column)


def _to_columns(value: object) -> object:
    if not isinstance(value, Mapping):
        return value
    out: dict[object, object] = {}
    for column, entry in value.items():
        try:
            out[column] = entry_of(entry)
        except Exception:  # reported by the mapping's checks, with the entry as given
            out[column] = entry
    return FrozenDict(out)


def _to_tokens(value: object) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value


def _to_signals_at(value: object) -> object:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


@attrs.frozen
class ColumnMapping:
    """How the columns of a foreign table (a CRM export, a data frame) fill lead records.

    A column named like a lead field path (``company.employees``, ``custom.tier``) needs
    no entry. Any other column is handled as ``unmapped`` says: ``"error"`` (the
    default) reports it, ``"ignore"`` skips it, ``"custom"`` keeps it as the custom
    attribute ``custom.<column>``. Several columns may map to one field; a row that
    fills it from two columns is reported.

    An entry is a field path, a [`Column`][funnelkit.io.Column] (value maps,
    placeholder texts, a type for custom attributes, lenient reading) or a
    [`SignalColumn`][funnelkit.io.SignalColumn] (activities as signals); a dict with
    ``"to"`` or ``"signal"`` is read as one of those, as in mapping files.

    Wherever a country code is expected, country names and common aliases are read as
    their code (``"India"`` -> ``IN``, ``"USA"`` -> ``US``); wherever a currency code
    is expected, symbols are too (``"€"`` -> ``EUR``). Empty cells are always missing.

    Args:
        columns: Column name -> a field path, a ``Column`` or a ``SignalColumn``.
        unmapped: ``"error"``, ``"ignore"`` or ``"custom"``.
        missing: Cell texts that mean "not filled" in every column (``"Select"``,
            ``"N/A"``, ``"-"``); such cells are missing facts, never values.
        signals_at: When signals from columns without a date column happened (a
            timezone-aware ``datetime``, a ``date`` taken as midnight UTC, or its ISO
            text).
        explicit: The signal kinds that are hand-raises (the lead asked for something).

    Raises:
        RecordError: Lists every bad entry; an unknown path gets a "did you mean".

    Examples:
        >>> mapping = ColumnMapping({"Company Name": "company.name"}, unmapped="custom")
        >>> mapping.target("Company Name"), mapping.target("Lead Score")
        ('company.name', 'custom.Lead Score')
        >>> from funnelkit.errors import RecordError
        >>> try:
        ...     ColumnMapping({"# Employees": "company.employes"})
        ... except RecordError as err:
        ...     print(err.path, repr(err.value), "did you mean 'company.employees'?" in str(err))
        columns['# Employees'] 'company.employes' True
    """

    columns: FrozenDict[str, Entry] = attrs.field(converter=_to_columns)
    unmapped: Unmapped = attrs.field(default="error", kw_only=True)
    missing: frozenset[str] = attrs.field(factory=frozenset, converter=_to_tokens, kw_only=True)
    signals_at: datetime | None = attrs.field(default=None, converter=_to_signals_at, kw_only=True)
    explicit: frozenset[str] = attrs.field(factory=frozenset, converter=_to_tokens, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems: list[ValidationError] = []
        if not isinstance(self.columns, FrozenDict):
            problems.append(
                FieldTypeError(
                    path="columns",
                    expected="a mapping of column name to lead field path",
                    value=self.columns,
                )
            )
        else:
            for column, entry in self.columns.items():
                problems.extend(_entry_problems(column, entry, self.signals_at))
        if self.unmapped not in _UNMAPPED:
            problems.append(
                ValidationError(
                    path="unmapped", expected="'error', 'ignore' or 'custom'", value=self.unmapped
                )
            )
        for name in ("missing", "explicit"):
            tokens = getattr(self, name)
            if not isinstance(tokens, frozenset):
                problems.append(FieldTypeError(path=name, expected="a list of texts", value=tokens))
                continue
            bad = sorted((t for t in tokens if not isinstance(t, str)), key=repr)
            if bad:
                problems.append(FieldTypeError(path=name, expected="texts only", value=bad[0]))
        at = self.signals_at
        if at is not None and (not isinstance(at, datetime) or at.utcoffset() is None):
            problems.append(
                ValidationError(path="signals_at", expected=_SIGNALS_AT_EXPECTED, value=at)
            )
        if problems:
            raise RecordError(problems, raw=self, kind="column mapping")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        """Load a mapping from a JSON or YAML file.

        The file holds either the columns (``{"Company Name": "company.name"}``) or an
        object with ``columns`` and any of ``unmapped``, ``missing``, ``signals_at`` and
        ``explicit``. A column's entry is a field path, or an object: ``to`` with
        ``type``, ``values``, ``missing``, ``on_error`` (a [`Column`][funnelkit.io.Column]),
        or ``signal`` (``category``, ``count`` or ``value``) with ``kind``, ``values``,
        ``at``, ``explicit``, ``missing``, ``on_error`` (a
        [`SignalColumn`][funnelkit.io.SignalColumn]). YAML needs pyyaml
        (``pip install "funnelkit[yaml]"``) and is read with ``yaml.safe_load``.

        Args:
            path: A ``.json``, ``.yaml`` or ``.yml`` file.

        Returns:
            The mapping.

        Raises:
            RecordError: The file cannot be parsed, or has bad entries (all listed).
            MissingExtraError: A YAML file was given and pyyaml is not installed.
            ValueError: The file name does not end in ``.json``, ``.yaml`` or ``.yml``.
        """
        file = Path(path)
        suffix = file.suffix.lower()
        if suffix not in (".json", ".yaml", ".yml"):
            raise ValueError(f"a mapping file must end in .json, .yaml or .yml, got {file.name!r}")
        with file.open(encoding="utf-8-sig") as opened:
            text = opened.read(MAX_MAPPING_CHARS + 1)
        try:
            if len(text) > MAX_MAPPING_CHARS:
                raise ValueError(f"the file has more than {MAX_MAPPING_CHARS:,} characters")
            if suffix == ".json":
                data = json.loads(text, object_pairs_hook=no_duplicate_keys)
            else:
                data = _load_yaml(text)
        except RecursionError:
            problem = ValidationError(
                path="", expected="a valid mapping file (it nests too deeply)", value=str(file)
            )
            raise RecordError([problem], kind="column mapping") from None
        except ValueError as exc:
            problem = ValidationError(
                path="", expected=f"a valid mapping file ({exc})", value=str(file)
            )
            raise RecordError([problem], raw=text, kind="column mapping") from None
        return cls._from_data(data)

    @classmethod
    def _from_data(cls, data: object) -> ColumnMapping:
        if isinstance(data, Mapping) and isinstance(data.get("columns"), Mapping):
            extra = sorted(set(data) - set(_FILE_KEYS))
            if extra:
                known = ", ".join(repr(k) for k in _FILE_KEYS)
                hint = did_you_mean(str(extra[0]), _FILE_KEYS)
                problem = ValidationError(
                    path=str(extra[0]), expected=f"one of {known}{hint}", value=extra[0]
                )
                raise RecordError([problem], raw=data, kind="column mapping")
            options = {k: data[k] for k in _FILE_KEYS[1:] if k in data}
            return cls(data["columns"], **options)
        return cls(data)

    def to_data(self) -> dict[str, Any]:
        """The mapping as plain data in the shape of a mapping file (defaults left out).

        ``yaml.safe_dump`` or ``json.dumps`` of it is a file that
        [`from_file`][funnelkit.io.ColumnMapping.from_file] reads back as this mapping.

        Returns:
            The data.

        Examples:
            >>> ColumnMapping({"Size": Column("company.employees", on_error="missing"),
            ...                "Name": Column("company.name")}, missing=["N/A"]).to_data()
            {'columns': {'Size': {'to': 'company.employees', 'on_error': 'missing'}, \
'Name': 'company.name'}, 'missing': ['N/A']}
        """
        data: dict[str, Any] = _specs.unstructure(self)
        return data

    def extend(
        self, columns: Mapping[str, Entry] | None = None, *, unmapped: Unmapped | None = None
    ) -> ColumnMapping:
        """Return a copy with more (or replaced) columns, or another ``unmapped`` rule.

        Args:
            columns: Entries to add; they replace entries for the same column.
            unmapped: The new rule for unmapped columns; unchanged when ``None``.

        Returns:
            A new mapping.

        Examples:
            >>> m = ColumnMapping({"Company Name": "company.name"})
            >>> m.extend({"Score": "custom.score"}, unmapped="ignore").columns["Score"]
            'custom.score'
        """
        return attrs.evolve(
            self,
            columns={**self.columns, **(columns or {})},
            unmapped=self.unmapped if unmapped is None else unmapped,
        )

    def target(self, column: str) -> str | None:
        """The lead field path a column fills (``"signals"`` for a signal column).

        Args:
            column: A column name.

        Returns:
            The path, or ``None`` when the column is ignored.

        Raises:
            ValidationError: The column is unknown and ``unmapped`` is ``"error"``.
        """
        if isinstance(self.columns.get(column), SignalColumn):
            return "signals"
        found = self._resolve(column)
        return None if found is None else found.path

    def _resolve(self, column: str, *, hint: bool = True) -> Target | None:
        """Like [`target`][funnelkit.io.ColumnMapping.target], with the field's type.

        ``hint=False`` leaves the "did you mean" out of an unknown column's error (it
        costs a fuzzy search; a record with thousands of unknown keys gets it for the
        first ones only).
        """
        mapped = self.columns.get(column)
        if isinstance(mapped, Column):
            mapped = mapped.to
        found = target(mapped if isinstance(mapped, str) else column)
        if found is not None:
            return found
        if self.unmapped == "ignore":
            return None
        if self.unmapped == "custom" and column.strip():
            return target(CUSTOM_PREFIX + column)
        close = did_you_mean(column, [*self.columns, *known_paths()]) if hint else ""
        raise ValidationError(
            path=column,
            expected=f"a mapped column or a lead field path{close}; "
            "to keep or skip other columns, use unmapped='custom' or 'ignore'",
            value=column,
        )


_specs = _make_spec_converter()


def _entry_problems(column: object, entry: object, signals_at: object) -> list[ValidationError]:
    where = f"columns[{column!r}]"
    if not isinstance(column, str) or not column.strip():
        return [ValidationError(path="columns", expected="non-empty column names", value=column)]
    if not isinstance(entry, str | Column | SignalColumn):
        try:
            entry_of(entry)
        except Exception as exc:
            return [p.within(where) for p in _errors.problems_of(exc, entry)]
        return []  # pragma: no cover - entries that read are converted already
    if isinstance(entry, str):
        return _path_problems(where, entry)
    problems: list[ValidationError] = []
    if entry.on_error not in ON_BAD_VALUE:
        problems.append(
            ValidationError(
                path=f"{where}.on_error", expected="'error' or 'missing'", value=entry.on_error
            )
        )
    for key, item in entry.values.items() if isinstance(entry.values, Mapping) else ():
        if not isinstance(key, str | int | float | bool) or not isinstance(
            item, str | int | float | bool | type(None)
        ):
            problems.append(
                FieldTypeError(
                    path=f"{where}.values[{key!r}]",
                    expected="a text, number, bool or null for a cell text",
                    value=item,
                )
            )
    if not isinstance(entry.missing, frozenset) or not all(
        isinstance(t, str) for t in entry.missing
    ):
        problems.append(
            FieldTypeError(path=f"{where}.missing", expected="a list of texts", value=entry.missing)
        )
    if isinstance(entry, Column):
        problems.extend(_path_problems(f"{where}.to", entry.to))
        if entry.type is not None:
            allowed = ", ".join(repr(t) for t in CUSTOM_TYPES)
            if entry.type not in CUSTOM_TYPES:
                hint = did_you_mean(str(entry.type), CUSTOM_TYPES)
                problems.append(
                    ValidationError(
                        path=f"{where}.type", expected=f"one of {allowed}{hint}", value=entry.type
                    )
                )
            elif isinstance(entry.to, str) and not entry.to.startswith(CUSTOM_PREFIX):
                problems.append(
                    ValidationError(
                        path=f"{where}.type",
                        expected="no type: model fields have theirs (types are for custom.<name>)",
                        value=entry.type,
                    )
                )
        return problems
    if entry.reads not in SIGNAL_READS:
        hint = did_you_mean(str(entry.reads), SIGNAL_READS)
        problems.append(
            ValidationError(
                path=f"{where}.signal",
                expected=f"'category', 'count' or 'value'{hint}",
                value=entry.reads,
            )
        )
    if entry.kind is not None and (not isinstance(entry.kind, str) or not entry.kind.strip()):
        problems.append(
            FieldTypeError(path=f"{where}.kind", expected="a signal kind", value=entry.kind)
        )
    elif entry.kind is None and entry.reads in ("count", "value"):
        problems.append(
            ValidationError(
                path=f"{where}.kind",
                expected=f"the kind of the signals a {entry.reads} column gives",
                value=None,
            )
        )
    for key, kind in entry.values.items():
        if kind is not None and (not isinstance(kind, str) or not kind.strip()):
            problems.append(
                FieldTypeError(
                    path=f"{where}.values[{key!r}]", expected="a signal kind or null", value=kind
                )
            )
    if entry.at is None and signals_at is None:
        problems.append(
            ValidationError(
                path=f"{where}.at",
                expected="a column with the date, or the mapping's signals_at",
                value=None,
            )
        )
    return problems


def _path_problems(where: str, path: object) -> list[ValidationError]:
    if not isinstance(path, str):
        return [FieldTypeError(path=where, expected=_TARGET_EXPECTED, value=path)]
    if target(path) is None:
        hint = did_you_mean(path, known_paths())
        return [ValidationError(path=where, expected=_TARGET_EXPECTED + hint, value=path)]
    return []


def yaml_module() -> Any:
    """pyyaml, or MissingExtraError naming the extra."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pyyaml is a dev dependency
        raise MissingExtraError("yaml", "pyyaml") from None
    return yaml


MAX_MAPPING_CHARS = 1_048_576
"""The largest column mapping file, in characters."""
MAX_MAPPING_FLOW_DEPTH = 64
"""The deepest nesting of ``[...]`` and ``{...}`` a YAML mapping file may have.

PyYAML's scanner does work proportional to the nesting depth for every token, so a file
of a few thousand brackets would take seconds and one of fifty thousand a quarter of an
hour; the scan stops at this depth instead (a real mapping file nests two or three deep).
"""


def _load_yaml(text: str) -> object:
    yaml = yaml_module()
    opening = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
    closing = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
    refused = (yaml.AliasToken, yaml.AnchorToken, yaml.TagToken)
    try:
        depth = 0
        for token in yaml.scan(text):  # refused before anything is built
            if isinstance(token, opening):
                depth += 1
                if depth > MAX_MAPPING_FLOW_DEPTH:
                    line = token.start_mark.line + 1
                    raise ValueError(
                        f"line {line}: it nests too deeply "
                        f"(more than {MAX_MAPPING_FLOW_DEPTH} levels of brackets)"
                    )
            elif isinstance(token, closing):
                depth -= 1
            elif isinstance(token, refused):
                line = token.start_mark.line + 1
                raise ValueError(
                    f"line {line}: anchors, aliases and tags are not allowed in a mapping file"
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc).replace("\n", " ")[:500]) from None
