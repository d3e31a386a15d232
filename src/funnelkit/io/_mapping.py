"""Column mappings: how a foreign table's columns fill a lead record, and flat -> nested."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, Literal, get_args

import attrs

from funnelkit.errors import FieldTypeError, MissingExtraError, RecordError, ValidationError
from funnelkit.io._scalars import no_duplicate_keys, parse_cell
from funnelkit.io._schema import CUSTOM_PREFIX, Target, did_you_mean, known_paths, target
from funnelkit.model import FrozenDict

__all__ = ["ColumnMapping"]

Unmapped = Literal["error", "ignore", "custom"]
"""What happens to a column that is neither mapped nor a lead field path."""

_UNMAPPED: Final = get_args(Unmapped)
_TARGET_EXPECTED = "a lead field path such as 'company.employees', or 'custom.<name>'"


def _to_columns(value: object) -> object:
    return FrozenDict(value) if isinstance(value, Mapping) else value


@attrs.frozen
class ColumnMapping:
    """Which lead field each column of a foreign table (a CRM export) fills.

    A column named like a lead field path (``company.employees``, ``custom.tier``) needs
    no entry. Any other column is handled as ``unmapped`` says: ``"error"`` (the
    default) reports it, ``"ignore"`` skips it, ``"custom"`` keeps it as the custom
    attribute ``custom.<column>``. Several columns may map to one field; a row that
    fills it from two columns is reported.

    Args:
        columns: Column name -> lead field path (``company.name``, ``custom.score``).
        unmapped: ``"error"``, ``"ignore"`` or ``"custom"``.

    Raises:
        RecordError: Lists every bad entry; an unknown path gets a "did you mean".

    Example:
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

    columns: FrozenDict[str, str] = attrs.field(converter=_to_columns)
    unmapped: Unmapped = attrs.field(default="error", kw_only=True)

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
            for column, path in self.columns.items():
                problems.extend(_entry_problems(column, path))
        if self.unmapped not in _UNMAPPED:
            problems.append(
                ValidationError(
                    path="unmapped", expected="'error', 'ignore' or 'custom'", value=self.unmapped
                )
            )
        if problems:
            raise RecordError(problems, raw=self, kind="column mapping")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        """Load a mapping from a JSON or YAML file.

        The file holds either the columns (``{"Company Name": "company.name"}``) or
        ``{"columns": {...}, "unmapped": "custom"}``. YAML needs pyyaml
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
        text = file.read_text(encoding="utf-8-sig")
        try:
            if suffix == ".json":
                data = json.loads(text, object_pairs_hook=no_duplicate_keys)
            else:
                data = _load_yaml(text)
        except ValueError as exc:
            problem = ValidationError(
                path="", expected=f"a valid mapping file ({exc})", value=str(file)
            )
            raise RecordError([problem], raw=text, kind="column mapping") from None
        return cls._from_data(data)

    @classmethod
    def _from_data(cls, data: object) -> ColumnMapping:
        if isinstance(data, Mapping) and isinstance(data.get("columns"), Mapping):
            extra = sorted(set(data) - {"columns", "unmapped"})
            if extra:
                hint = did_you_mean(str(extra[0]), ["columns", "unmapped"])
                problem = ValidationError(
                    path=str(extra[0]), expected=f"'columns' or 'unmapped'{hint}", value=extra[0]
                )
                raise RecordError([problem], raw=data, kind="column mapping")
            return cls(data["columns"], unmapped=data.get("unmapped", "error"))
        return cls(data)

    def extend(
        self, columns: Mapping[str, str] | None = None, *, unmapped: Unmapped | None = None
    ) -> ColumnMapping:
        """Return a copy with more (or replaced) columns, or another ``unmapped`` rule.

        Args:
            columns: Entries to add; they replace entries for the same column.
            unmapped: The new rule for unmapped columns; unchanged when ``None``.

        Returns:
            A new mapping.

        Example:
            >>> m = ColumnMapping({"Company Name": "company.name"})
            >>> m.extend({"Score": "custom.score"}, unmapped="ignore").columns["Score"]
            'custom.score'
        """
        return ColumnMapping(
            {**self.columns, **(columns or {})},
            unmapped=self.unmapped if unmapped is None else unmapped,
        )

    def target(self, column: str) -> str | None:
        """The lead field path a column fills.

        Args:
            column: A column name.

        Returns:
            The path, or ``None`` when the column is ignored.

        Raises:
            ValidationError: The column is unknown and ``unmapped`` is ``"error"``.
        """
        found = self._resolve(column)
        return None if found is None else found.path

    def _resolve(self, column: str) -> Target | None:
        """Like [`target`][funnelkit.io.ColumnMapping.target], with the field's type."""
        mapped = self.columns.get(column)
        found = target(mapped if mapped is not None else column)
        if found is not None:
            return found
        if self.unmapped == "ignore":
            return None
        if self.unmapped == "custom" and column.strip():
            return target(CUSTOM_PREFIX + column)
        hint = did_you_mean(column, [*self.columns, *known_paths()])
        raise ValidationError(
            path=column,
            expected=f"a mapped column or a lead field path{hint}; "
            "to keep or skip other columns, use unmapped='custom' or 'ignore'",
            value=column,
        )


def _entry_problems(column: object, path: object) -> list[ValidationError]:
    where = f"columns[{column!r}]"
    if not isinstance(column, str) or not column.strip():
        return [ValidationError(path="columns", expected="non-empty column names", value=column)]
    if not isinstance(path, str):
        return [FieldTypeError(path=where, expected=_TARGET_EXPECTED, value=path)]
    if target(path) is None:
        hint = did_you_mean(path, known_paths())
        return [ValidationError(path=where, expected=_TARGET_EXPECTED + hint, value=path)]
    return []


def _load_yaml(text: str) -> object:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pyyaml is a dev dependency
        raise MissingExtraError("yaml", "pyyaml") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from None


# -- flat records -> nested records --------------------------------------------------------


@attrs.frozen
class Flat:
    """A flat record turned nested: the record, the problems found, the columns used.

    Attributes:
        record: The nested record, for the converter.
        problems: Cells that could not be read or placed.
        columns: Field path -> the column that filled it (to name it in messages).
    """

    record: dict[str, Any]
    problems: tuple[ValidationError, ...]
    columns: dict[str, str]


def nest(cells: Iterable[tuple[str, Target, object]], *, text: bool) -> Flat:
    """Place ``(column, target, value)`` cells into a nested record.

    Args:
        cells: The non-empty cells with where they go.
        text: Whether values are CSV text, to be read by the target field's type.

    Returns:
        The nested record with the problems found on the way.
    """
    record: dict[str, Any] = {}
    problems: list[ValidationError] = []
    columns: dict[str, str] = {}
    for column, place, value in cells:
        if text and not place.custom and isinstance(value, str):
            try:
                value = parse_cell(value, place.type)
            except ValidationError as exc:
                problems.append(exc.within(place.path))
                columns[place.path] = column
                continue
        clash = _put(record, place.parts, value)
        if clash:
            other = next((c for p, c in columns.items() if _overlaps(p, place.path)), "another")
            problems.append(
                ValidationError(
                    path=place.path,
                    expected=f"one value (columns {other!r} and {column!r} both give one)",
                    value=value,
                )
            )
        columns[place.path] = column
    return Flat(record, tuple(problems), columns)


def nest_mapped(record: object, mapping: ColumnMapping) -> Flat:
    """Turn a flat dict (a row from a dataframe or an API) into a nested lead record.

    Values are taken as they are (not parsed from text); ``None`` and blank strings
    count as missing, as empty cells do.
    """
    if not isinstance(record, Mapping):
        problem = FieldTypeError(path="", expected="a flat record (a mapping)", value=record)
        return Flat({}, (problem,), {})
    cells: list[tuple[str, Target, object]] = []
    problems: list[ValidationError] = []
    for column, value in record.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            place = mapping._resolve(str(column))
        except ValidationError as exc:
            problems.append(ValidationError(path=exc.path, expected=exc.expected, value=value))
            continue
        if place is not None:
            cells.append((str(column), place, value))
    flat = nest(cells, text=False)
    return Flat(flat.record, (*problems, *flat.problems), flat.columns)


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _put(tree: dict[str, Any], parts: tuple[str, ...], value: object) -> bool:
    """Set ``value`` at ``parts``, merging objects; return ``True`` on a clash."""
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            return True
        node = child
    leaf = parts[-1]
    if leaf not in node:
        node[leaf] = _copy(value)
        return False
    existing = node[leaf]
    if isinstance(existing, dict) and isinstance(value, Mapping):
        return any(_put(existing, (key,), item) for key, item in value.items())
    return True


def _copy(value: object) -> object:
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    return value
