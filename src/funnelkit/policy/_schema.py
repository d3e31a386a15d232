"""The JSON Schema of the policy file format (draft 2020-12), shipped as package data."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["policy_schema"]


@cache
def _schema_text() -> str:
    return (Path(__file__).resolve().with_name("schema.json")).read_text(encoding="utf-8")


def policy_schema() -> dict[str, Any]:
    """The JSON Schema of policy files (format version 1), as a fresh dict.

    Editors use it to complete and check policy files (see the format reference); the
    loader checks more than the schema can say (rules, stage keys, references).

    Returns:
        The schema (draft 2020-12).

    Examples:
        >>> policy_schema()["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
    """
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema
