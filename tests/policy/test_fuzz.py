"""Random and mutated policy texts: the loader returns a Policy or raises PolicyFileError."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tests._profiles import examples

from funnelkit.policy import PolicyFileError, dump_policy, loads_policy
from funnelkit.qualify import BANT_GATED, Policy

BASE: dict[str, Any] = json.loads(dump_policy(BANT_GATED, format="json"))
BASE["definitions"] = {"big": "company.employees >= 1000"}
BASE["fit"] = {
    "groups": [{"name": "size", "cap": 40, "points": [{"points": 20, "when": 'ref("big")'}]}]
}

GARBAGE = st.sampled_from(
    [
        "",
        " ",
        "(",
        ")",
        "and",
        "or not",
        '"',
        "'",
        "ref(",
        'ref("nope")',
        "company.",
        "[",
        "]",
        ",",
        "between",
        "1e999",
        "\\",
        "#",
        "\n",
        "\u201c",
        "&&",
        "points when",
        "custom(",
        "99999",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*path, index))
    return out


PATHS = _paths(BASE)


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The base document with a few random mutations."""
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[1:]))
        try:
            parent = _get(doc, path[:-1])
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["delete", "replace", "inject", "rename"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "inject" and isinstance(current, str):
            at = draw(st.integers(0, len(current)))
            parent[path[-1]] = current[:at] + draw(GARBAGE) + current[at:]
        elif action == "rename" and isinstance(parent, dict):
            parent[path[-1] + draw(st.sampled_from(["s", "_", "x"]))] = parent.pop(path[-1])
    return doc


def _load(text: str, format: str) -> None:
    try:
        result = loads_policy(text, format=format)  # type: ignore[arg-type]
    except PolicyFileError as err:
        problems = err.problems
    else:
        assert isinstance(result, Policy)
        return
    assert problems
    assert all(p.message for p in problems)


@examples(150, suppress_health_check=[HealthCheck.too_slow])
@given(doc=mutated(), format=st.sampled_from(["yaml", "json"]))
def test_mutated_documents_load_or_raise_policy_file_error(doc: dict, format: str) -> None:
    """Deleted keys, wrong types and garbage in rules only ever give PolicyFileError."""
    if format == "json":
        text = json.dumps(doc, default=str)
    else:
        text = yaml.safe_dump(doc, sort_keys=False)
    _load(text, format)


@examples(150)
@given(text=st.text(max_size=200), format=st.sampled_from(["yaml", "json"]))
def test_random_text_loads_or_raises_policy_file_error(text: str, format: str) -> None:
    """Any text at all gives a Policy or a PolicyFileError, never another exception."""
    _load(text, format)


@examples(150)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "version: 1\n",
                "metadata: {name: x}\n",
                "stages:\n",
                "  inquiry: ",
                "- ",
                "&a ",
                "*a ",
                "!!str ",
                "{",
                "}",
                "[",
                "]",
                ": ",
                "'",
                '"',
                "\n",
                "  ",
                'ref("x")',
                "1",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_yaml_like_text_loads_or_raises_policy_file_error(text: str) -> None:
    """Text made of YAML's own pieces gives a Policy or a PolicyFileError."""
    _load(text, "yaml")
