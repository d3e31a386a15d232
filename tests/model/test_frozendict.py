import pickle

import pytest

from funnelkit.model import FrozenDict


def test_reads_like_a_dict():
    """A FrozenDict supports lookup, len, iteration and get."""
    fd = FrozenDict({"tier": "gold", "seats": 40})
    assert fd["tier"] == "gold"
    assert len(fd) == 2
    assert list(fd) == ["tier", "seats"]
    assert fd.get("missing") is None


def test_keyword_construction():
    """FrozenDict accepts keyword arguments like dict."""
    assert FrozenDict(a=1) == {"a": 1}


def test_equal_to_dicts_and_frozendicts_with_the_same_items():
    """Equality ignores order and the mapping's type."""
    assert FrozenDict({"a": 1, "b": 2}) == {"b": 2, "a": 1}
    assert FrozenDict({"a": 1}) == FrozenDict({"a": 1})
    assert FrozenDict({"a": 1}) != {"a": 2}


def test_not_equal_to_non_mappings():
    """Comparing with a non-mapping is simply unequal."""
    assert FrozenDict() != []
    assert FrozenDict() != 0


def test_hash_ignores_order():
    """Equal FrozenDicts hash alike whatever the insertion order."""
    assert hash(FrozenDict({"a": 1, "b": 2})) == hash(FrozenDict({"b": 2, "a": 1}))


def test_cannot_be_changed():
    """A FrozenDict has no item assignment or deletion."""
    fd = FrozenDict({"a": 1})
    with pytest.raises(TypeError):
        fd["a"] = 2  # type: ignore[index]
    with pytest.raises(TypeError):
        del fd["a"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        fd.x = 1  # type: ignore[attr-defined]


def test_copies_its_input():
    """Changing the dict it was built from does not change the FrozenDict."""
    source = {"a": 1}
    fd = FrozenDict(source)
    source["a"] = 2
    assert fd["a"] == 1


def test_pickles():
    """A FrozenDict survives pickling."""
    fd = FrozenDict({"a": (1, 2)})
    assert pickle.loads(pickle.dumps(fd)) == fd


def test_repr():
    """The repr shows the items."""
    assert repr(FrozenDict({"a": 1})) == "FrozenDict({'a': 1})"
