"""The format version: required, 1 loads, newer and unknown versions are refused clearly."""

from __future__ import annotations

import pytest

from funnelkit.policy import FORMAT_VERSION, PolicyFileError, loads_policy


def test_version_1_loads() -> None:
    """A version 1 file loads."""
    assert FORMAT_VERSION == 1
    assert loads_policy("version: 1\nmetadata: {name: x}\n").label == "x@1"


def test_a_missing_version_is_refused() -> None:
    """The version is required; the message says how to write it."""
    with pytest.raises(
        PolicyFileError, match=r"the format version is missing: start the file with 'version: 1'"
    ):
        loads_policy("metadata: {name: x}\n")


def test_a_newer_version_asks_to_upgrade_funnelkit() -> None:
    """A file written for a newer format says so, and what to do."""
    with pytest.raises(
        PolicyFileError,
        match=r"^p\.yaml:1:10: version: written for funnelkit policy format 2; this funnelkit reads 1; upgrade funnelkit$",
    ):
        loads_policy("version: 2\nmetadata: {name: x}\nwhatever: [1]\n", file="p.yaml")


@pytest.mark.parametrize("version", ["0", "-1", "'1'", "1.0", "true", "v1"])
def test_an_unknown_version_is_refused(version: str) -> None:
    """Older, negative, text or fractional versions are refused with what is read."""
    with pytest.raises(
        PolicyFileError,
        match=r"version: unknown policy format version .*; this funnelkit reads format 1",
    ):
        loads_policy(f"version: {version}\nmetadata: {{name: x}}\n")


def test_a_wrong_version_is_the_only_problem_reported() -> None:
    """Other keys may mean something else in another version: they are not checked."""
    with pytest.raises(PolicyFileError) as info:
        loads_policy("version: 3\nmetadata: {name: x}\nfunnel: nope\nnew_key: 1\n")
    assert len(info.value.problems) == 1


def test_an_empty_file_is_refused() -> None:
    """An empty file asks for the version line."""
    with pytest.raises(PolicyFileError, match=r"the policy is empty: start it with 'version: 1'"):
        loads_policy("# nothing\n")
