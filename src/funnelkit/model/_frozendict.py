"""An immutable, hashable mapping for custom attributes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenDict"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(Mapping[K, V]):
    """A read-only mapping that can be hashed and compared, used for custom attributes.

    Examples:
        >>> attrs = FrozenDict({"tier": "gold", "seats": 40})
        >>> attrs["tier"]
        'gold'
        >>> attrs == {"tier": "gold", "seats": 40}
        True
        >>> hash(attrs) == hash(FrozenDict(seats=40, tier="gold"))
        True
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, *args: Any, **kwargs: V) -> None:
        self._data: dict[K, V] = dict(*args, **kwargs)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (self._data,))
