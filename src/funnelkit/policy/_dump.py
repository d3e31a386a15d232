"""Writing policies and documents as YAML or JSON, and the example files shipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from funnelkit.policy._document import PolicyDocument
from funnelkit.policy._export import policy_to_document
from funnelkit.policy._yaml import write_yaml
from funnelkit.qualify import Policy

__all__ = ["dump_policy", "example_path", "EXAMPLES", "SCHEMA_URL"]

EXAMPLES = ("starter", "demand_waterfall", "bant_gated")
"""The example policy files shipped with funnelkit, one per preset policy."""

SCHEMA_URL = "https://funnelkit.readthedocs.io/en/latest/policy.schema.json"
"""Where editors can find the policy file's JSON Schema (see the format reference)."""


def example_path(name: str) -> Path:
    """The path of a shipped example policy file (YAML).

    Args:
        name: One of ``EXAMPLES``: ``starter``, ``demand_waterfall``, ``bant_gated``.

    Returns:
        The path inside the installed package.

    Raises:
        KeyError: ``name`` is not an example.

    Examples:
        >>> example_path("bant_gated").name
        'bant_gated.yaml'
    """
    if name not in EXAMPLES:
        raise KeyError(f"no example policy {name!r}; examples: {', '.join(EXAMPLES)}")
    return Path(__file__).resolve().parents[1] / "data" / "policies" / f"{name}.yaml"


def dump_policy(
    policy: Policy | PolicyDocument,
    *,
    format: Literal["yaml", "json"] = "yaml",
    schema: str | None = None,
) -> str:
    """Write a policy (or a document) as a policy file's text.

    Loading the text again gives a structurally equal policy (see ``policies_equal``).

    Args:
        policy: A policy, or a document.
        format: ``yaml`` (needs the ``yaml`` extra) or ``json``.
        schema: For YAML, a schema location for the first line's
            ``# yaml-language-server: $schema=...`` comment (editors use it); for JSON,
            the ``$schema`` key is not written (the format has no such key).

    Returns:
        The text, ending with a newline.

    Raises:
        MissingExtraError: ``format="yaml"`` without PyYAML installed.

    Examples:
        >>> from funnelkit.qualify import BANT_GATED
        >>> print(dump_policy(BANT_GATED, format="json")[:59])
        {
          "version": 1,
          "metadata": {
            "name": "bant_gated",
    """
    document = policy if isinstance(policy, PolicyDocument) else policy_to_document(policy)
    data = document.to_data()
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format != "yaml":
        raise ValueError(f"format must be 'yaml' or 'json', got {format!r}")
    text = write_yaml(data)
    if schema is not None:
        text = f"# yaml-language-server: $schema={schema}\n{text}"
    return text
