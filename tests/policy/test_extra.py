"""YAML needs the ``yaml`` extra; JSON needs nothing."""

from __future__ import annotations

import sys

import pytest

from funnelkit.errors import MissingExtraError
from funnelkit.policy import dump_policy, loads_policy
from funnelkit.qualify import STARTER


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import yaml`` fail, as when PyYAML is not installed."""
    monkeypatch.setitem(sys.modules, "yaml", None)


@pytest.mark.usefixtures("no_yaml")
def test_yaml_without_pyyaml_names_the_extra() -> None:
    """Loading YAML without PyYAML raises MissingExtraError naming funnelkit[yaml]."""
    with pytest.raises(MissingExtraError, match=r'pip install "funnelkit\[yaml\]"'):
        loads_policy("version: 1\nmetadata: {name: x}\n")


@pytest.mark.usefixtures("no_yaml")
def test_dumping_yaml_without_pyyaml_names_the_extra() -> None:
    """Writing YAML without PyYAML raises MissingExtraError too."""
    with pytest.raises(MissingExtraError, match=r"funnelkit\[yaml\]"):
        dump_policy(STARTER)


@pytest.mark.usefixtures("no_yaml")
def test_json_works_without_pyyaml() -> None:
    """JSON policies load and dump with the core dependencies only."""
    assert loads_policy(dump_policy(STARTER, format="json"), format="json").label == "starter@1"
