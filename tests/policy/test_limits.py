"""Limits and safety: sizes, nesting, rule counts, YAML aliases, anchors and tags."""

from __future__ import annotations

import pytest

from funnelkit.policy import PolicyFileError, PolicyLimits, load_policy, loads_policy

MINIMAL = "version: 1\nmetadata:\n  name: tiny\n"


def test_a_text_over_max_bytes_is_refused_before_it_is_parsed() -> None:
    """max_bytes bounds the text; the message names the limit."""
    with pytest.raises(
        PolicyFileError, match=r"at most 100 are allowed \(PolicyLimits\.max_bytes\)"
    ):
        loads_policy(MINIMAL + "# " + "x" * 200 + "\n", limits=PolicyLimits(max_bytes=100))


def test_a_file_over_max_bytes_is_refused_by_its_size(tmp_path) -> None:
    """load_policy checks the file's size before reading it."""
    path = tmp_path / "big.yaml"
    path.write_text(MINIMAL + "#" * 500, encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"the file has 534 bytes; at most 200"):
        load_policy(path, limits=PolicyLimits(max_bytes=200))


@pytest.mark.parametrize("format", ["yaml", "json"])
def test_deep_nesting_is_refused(format: str) -> None:
    """max_depth bounds the nesting of mappings and lists, in YAML and JSON alike."""
    text = '{"version": 1, "metadata": {"name": "x"}, "icp": ' + "[" * 50 + "]" * 50 + "}"
    with pytest.raises(
        PolicyFileError, match=r"nests deeper than 32 levels \(PolicyLimits\.max_depth\)"
    ):
        loads_policy(text, format=format)  # type: ignore[arg-type]


@pytest.mark.parametrize("format", ["yaml", "json"])
def test_very_deep_nesting_fails_cleanly(format: str) -> None:
    """A hundred thousand brackets give a PolicyFileError, not a RecursionError."""
    text = "[" * 100_000
    with pytest.raises(PolicyFileError):
        loads_policy(text, format=format)  # type: ignore[arg-type]


@pytest.mark.parametrize("format", ["yaml", "json"])
def test_long_lists_are_refused(format: str) -> None:
    """max_items bounds each mapping and list of the document."""
    items = ", ".join(f'"c{i}"' for i in range(20))
    text = '{"version": 1, "metadata": {"name": "x"}, "frameworks": [' + items + "]}"
    with pytest.raises(PolicyFileError, match=r"\(PolicyLimits\.max_items\)"):
        loads_policy(text, format=format, limits=PolicyLimits(max_items=10))  # type: ignore[arg-type]


def test_the_number_of_rules_is_bounded() -> None:
    """max_rules bounds the rule texts of one policy."""
    lines = "".join(f"  d{i}: company.employees > {i}\n" for i in range(5))
    with pytest.raises(
        PolicyFileError, match=r"more than 3 rules in one policy \(PolicyLimits\.max_rules\)"
    ):
        loads_policy(MINIMAL + "definitions:\n" + lines, limits=PolicyLimits(max_rules=3))


def test_the_number_of_stages_is_bounded() -> None:
    """max_stages bounds the gates."""
    text = (
        MINIMAL + "stages:\n  inquiry: company.employees > 1\n  profiled: company.employees > 2\n"
    )
    with pytest.raises(
        PolicyFileError, match=r"2 stages; at most 1 are allowed \(PolicyLimits\.max_stages\)"
    ):
        loads_policy(text, limits=PolicyLimits(max_stages=1))


def test_rule_length_is_passed_to_the_condition_syntax() -> None:
    """max_rule_length bounds each rule text, with a located error."""
    text = MINIMAL + "stages:\n  inquiry: company.employees > 1 and company.employees < 100\n"
    with pytest.raises(
        PolicyFileError,
        match=r"p\.yaml:5:\d+: stages\.inquiry: the text has 49 characters; at most 20",
    ):
        loads_policy(text, file="p.yaml", limits=PolicyLimits(max_rule_length=20))


def test_rule_nesting_is_passed_to_the_condition_syntax() -> None:
    """max_rule_depth bounds how deeply one rule nests."""
    rule = "(" * 10 + "company.employees > 1" + ")" * 10
    with pytest.raises(PolicyFileError, match=r"SyntaxLimits\.max_depth"):
        loads_policy(
            MINIMAL + f"stages:\n  inquiry: {rule}\n", limits=PolicyLimits(max_rule_depth=5)
        )


def test_a_regular_expression_with_catastrophic_backtracking_is_refused() -> None:
    """Unsafe patterns are refused at load time (the condition syntax bounds them)."""
    text = MINIMAL + 'stages:\n  inquiry: contact.title matches r"(a+)+$"\n'
    with pytest.raises(PolicyFileError, match=r"stages\.inquiry: "):
        loads_policy(text)


BILLION_LAUGHS = """\
version: 1
metadata: {name: x}
definitions:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


def test_yaml_aliases_and_anchors_are_refused() -> None:
    """The "billion laughs" fails at its first anchor, before anything is expanded."""
    with pytest.raises(PolicyFileError, match=r"^p\.yaml:4:6: anchors \(&a\) are not allowed"):
        loads_policy(BILLION_LAUGHS, file="p.yaml")


def test_a_yaml_alias_is_refused() -> None:
    """An alias without an anchor in this document is refused too (it is never resolved)."""
    with pytest.raises(PolicyFileError, match=r"aliases \(\*a\) are not allowed"):
        loads_policy(MINIMAL + "definitions:\n  x: *a\n")


@pytest.mark.parametrize(
    "value",
    ["!!python/object:os.system ls", "!!binary aGVsbG8=", "!custom x", "!!set {a, b}"],
)
def test_yaml_tags_beyond_plain_types_are_refused(value: str) -> None:
    """No Python objects, binaries, sets or custom tags: only plain YAML types."""
    with pytest.raises(PolicyFileError, match=r"the YAML tag .* is not allowed"):
        loads_policy(MINIMAL + f"definitions:\n  x: {value}\n")


def test_limits_are_checked_when_built() -> None:
    """A limit must be a whole number >= 1."""
    with pytest.raises(ValueError, match=r"max_rules must be a whole number >= 1, got 0"):
        PolicyLimits(max_rules=0)
