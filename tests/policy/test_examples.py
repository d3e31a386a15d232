"""The shipped example files: equal to the presets, valid against the schema, same results."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest
import yaml

from funnelkit.data import DEMO_AS_OF, load_demo
from funnelkit.policy import (
    EXAMPLES,
    dump_policy,
    example_path,
    load_policy,
    policies_equal,
    policy_schema,
)
from funnelkit.qualify import PRESETS, qualify_many

VALIDATOR = jsonschema.Draft202012Validator(policy_schema())


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    """policy_schema() passes the meta-schema check."""
    jsonschema.Draft202012Validator.check_schema(policy_schema())


def test_there_is_an_example_for_every_preset_policy() -> None:
    """Each preset policy has an example file of the same name."""
    assert set(EXAMPLES) == set(PRESETS)
    assert all(example_path(name).is_file() for name in EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_loads_to_the_preset_of_the_same_name(name: str) -> None:
    """The example file builds a policy structurally equal to the preset."""
    assert policies_equal(load_policy(example_path(name)), PRESETS[name])


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_against_the_schema(name: str) -> None:
    """Each example file is valid JSON Schema-wise (what editors check)."""
    data = yaml.safe_load(example_path(name).read_text(encoding="utf-8"))
    assert list(VALIDATOR.iter_errors(data)) == []


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_dumped_presets_validate_against_the_schema(name: str) -> None:
    """What dump_policy writes for each preset is valid against the schema."""
    data = json.loads(dump_policy(PRESETS[name], format="json"))
    assert list(VALIDATOR.iter_errors(data)) == []


@pytest.fixture(scope="module")
def demo():
    """The demo leads."""
    return load_demo()


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_gives_the_presets_stage_counts_on_the_demo_data(demo, name: str) -> None:
    """Qualifying the demo leads with the file gives the preset's counts per stage."""
    from_file = load_policy(example_path(name))
    counts = Counter(
        q.stage for q in qualify_many(demo, from_file, as_of=DEMO_AS_OF, explain=False)
    )
    expected = Counter(
        q.stage for q in qualify_many(demo, PRESETS[name], as_of=DEMO_AS_OF, explain=False)
    )
    assert counts == expected
    assert len(counts) > 3  # the demo reaches several stages
