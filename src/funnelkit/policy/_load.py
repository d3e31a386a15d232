"""Loading policy files: read (YAML or JSON), check the shape, parse every rule, build."""

from __future__ import annotations

import os
from pathlib import Path as FilePath
from typing import Literal

from funnelkit.errors import InvalidArgumentError
from funnelkit.policy._build import build_checked
from funnelkit.policy._check import Checker
from funnelkit.policy._document import PolicyDocument
from funnelkit.policy._errors import PolicyFileError, PolicyLimits, PolicyProblem
from funnelkit.policy._read import read_document
from funnelkit.policy._source import Source, read_json
from funnelkit.policy._yaml import read_yaml
from funnelkit.qualify import Policy

__all__ = ["load_policy", "loads_policy", "load_document", "loads_document", "format_of"]

Format = Literal["yaml", "json"]


def format_of(name: str) -> Format:
    """The format a file name implies: ``json`` for ``.json``, else ``yaml``."""
    return "json" if name.lower().endswith(".json") else "yaml"


def _source(text: str, format: str, file: str | None, limits: PolicyLimits) -> Source:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        problem = PolicyProblem(
            path="",
            message=f"the policy has {size:,} bytes; at most {limits.max_bytes:,} are allowed "
            "(PolicyLimits.max_bytes)",
            file=file,
        )
        raise PolicyFileError([problem], file=file)
    if format == "json":
        return read_json(text, file=file, limits=limits)
    if format == "yaml":
        return read_yaml(text, file=file, limits=limits)
    raise ValueError(f"format must be 'yaml' or 'json', got {format!r}")


def _document(source: Source, limits: PolicyLimits) -> tuple[PolicyDocument | None, Checker]:
    check = Checker(source, limits)
    if source.data is None:
        check.problem((), "the policy is empty: start it with 'version: 1'")
        check.raise_if_any()
    return read_document(source.data, check), check


def loads_document(
    text: str,
    *,
    format: Format = "yaml",
    file: str | None = None,
    limits: PolicyLimits | None = None,
) -> PolicyDocument:
    """Read a policy's text into a document, checking its shape (not its rules).

    Args:
        text: The policy, as YAML or JSON.
        format: ``yaml`` (needs the ``yaml`` extra) or ``json``.
        file: The file name to report problems with.
        limits: Bounds on the text (``PolicyLimits()`` by default).

    Returns:
        The document.

    Raises:
        PolicyFileError: Every shape problem, located.
        MissingExtraError: ``format="yaml"`` without PyYAML installed.
    """
    limits = limits or PolicyLimits()
    check_text(text)
    document, check = _document(_source(text, format, file, limits), limits)
    check.raise_if_any()
    assert document is not None  # no problem recorded means it was read
    return document


def loads_policy(
    text: str,
    *,
    format: Format = "yaml",
    file: str | None = None,
    limits: PolicyLimits | None = None,
) -> Policy:
    """Load a policy from its text: every problem is found now, never at evaluation.

    Args:
        text: The policy, as YAML or JSON.
        format: ``yaml`` (needs the ``yaml`` extra: ``pip install "funnelkit[yaml]"``)
            or ``json``.
        file: The file name to report problems with.
        limits: Bounds on the text, its nesting, its rules and stages.

    Returns:
        The policy.

    Raises:
        PolicyFileError: Lists every problem, each with its line, column, document path,
            value and reason.
        MissingExtraError: ``format="yaml"`` without PyYAML installed.

    Examples:
        >>> policy = loads_policy('''
        ... version: 1
        ... metadata: {name: tiny}
        ... stages:
        ...   inquiry: count(signals where kind = "demo_request") >= 1
        ... ''')
        >>> policy.label, [gate.stage for gate in policy.gates]
        ('tiny@1', ['inquiry'])
    """
    limits = limits or PolicyLimits()
    check_text(text)
    document, check = _document(_source(text, format, file, limits), limits)
    if document is None:
        check.raise_if_any()
    assert document is not None
    return build_checked(document, check)


def check_text(text: object) -> None:
    """Raise InvalidArgumentError unless ``text`` is a ``str`` (bytes must be decoded)."""
    if not isinstance(text, str):
        hint = (
            " (decode bytes first, or use load_policy for a file)"
            if isinstance(text, bytes | bytearray)
            else ""
        )
        raise InvalidArgumentError(
            f"text must be the policy as a str, got {type(text).__name__}{hint}",
            argument="text",
            value=text,
        )


def _fspath(path: object) -> str:
    if not isinstance(path, str | os.PathLike):
        raise InvalidArgumentError(
            f"path must be a file name or path, got {type(path).__name__}",
            argument="path",
            value=path,
        )
    return os.fspath(path)


def _read_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    name = _fspath(path)
    try:
        data = FilePath(name).read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        problem = PolicyProblem(
            path="", message=f"cannot read the policy file: {reason}", file=name
        )
        raise PolicyFileError([problem], file=name) from None
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problem = PolicyProblem(
            path="", message=f"the file is not UTF-8 text (byte {err.start})", file=name
        )
        raise PolicyFileError([problem], file=name) from None


def load_policy(
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    limits: PolicyLimits | None = None,
) -> Policy:
    """Load a policy file (YAML or JSON), checking everything now.

    Args:
        path: The file. Its name picks the format (``.json`` is JSON, anything else YAML)
            unless ``format`` is given.
        format: ``yaml`` or ``json``.
        limits: Bounds on the file (``PolicyLimits()`` by default); the size is checked
            before the file is parsed.

    Returns:
        The policy.

    Raises:
        PolicyFileError: The file cannot be read, or lists every problem in it, each as
            ``file:line:col: path: message``.
        MissingExtraError: A YAML file without PyYAML installed.

    Examples:
        >>> from funnelkit.policy import example_path
        >>> load_policy(example_path("starter")).label
        'starter@1'
    """
    limits = limits or PolicyLimits()
    name = _fspath(path)
    try:
        size = os.path.getsize(name)
    except OSError:
        size = 0  # reported when it is read
    if size > limits.max_bytes:
        problem = PolicyProblem(
            path="",
            message=f"the file has {size:,} bytes; at most {limits.max_bytes:,} are allowed "
            "(PolicyLimits.max_bytes)",
            file=name,
        )
        raise PolicyFileError([problem], file=name)
    name, text = _read_file(path)
    return loads_policy(text, format=format or format_of(name), file=name, limits=limits)


def load_document(
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    limits: PolicyLimits | None = None,
) -> PolicyDocument:
    """Read a policy file into a document, checking its shape (not its rules).

    Args:
        path: The file (``.json`` is JSON, anything else YAML, unless ``format`` says).
        format: ``yaml`` or ``json``.
        limits: Bounds on the file.

    Returns:
        The document.

    Raises:
        PolicyFileError: The file cannot be read, or every shape problem, located.
        MissingExtraError: A YAML file without PyYAML installed.
    """
    name, text = _read_file(path)
    return loads_document(text, format=format or format_of(name), file=name, limits=limits)
