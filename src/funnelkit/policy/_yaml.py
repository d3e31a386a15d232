"""Reading and writing YAML safely: node by node, with positions, without aliases.

PyYAML (the ``yaml`` extra) is imported on first use. The reader composes the node
graph with PyYAML's safe loader and builds plain data from it itself, so it knows each
value's line and column. Aliases and anchors are refused (``*name`` could repeat a large
node many times over: the "billion laughs"), and so is any tag beyond the plain YAML
types (no ``!!python/...``, no ``!!binary``, no ``!!set``).
"""

from __future__ import annotations

import functools
from typing import Any

from funnelkit.errors import MissingExtraError
from funnelkit.policy._errors import PolicyFileError, PolicyLimits, PolicyProblem
from funnelkit.policy._source import LineIndex, Path, Source, Span, render_path

__all__ = ["read_yaml", "write_yaml", "yaml_module"]

_YAML = "tag:yaml.org,2002:"
_SCALARS = frozenset(f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp"))


def yaml_module() -> Any:
    """The ``yaml`` module, or MissingExtraError naming the ``yaml`` extra."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise MissingExtraError("yaml", "pyyaml") from None
    return yaml


class _RefusedError(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        self.mark = mark
        self.message = message


@functools.cache
def _loader_class() -> Any:
    yaml = yaml_module()

    class Loader(yaml.SafeLoader):  # type: ignore[misc,name-defined]
        max_depth = 32
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                raise _RefusedError(
                    event.start_mark,
                    f"aliases (*{event.anchor}) are not allowed in policy files; write the "
                    "value out, or use a named definition",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _RefusedError(
                    event.start_mark,
                    f"anchors (&{anchor}) are not allowed in policy files; write the value "
                    "out, or use a named definition",
                )
            self.depth += 1
            if self.depth > self.max_depth:
                raise _RefusedError(
                    event.start_mark,
                    f"the document nests deeper than {self.max_depth} levels "
                    "(PolicyLimits.max_depth)",
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


class _Builder:
    def __init__(self, loader: Any, text: str, limits: PolicyLimits, file: str | None) -> None:
        self.loader = loader
        self.text = text
        self.lines = text.split("\n")
        self.limits = limits
        self.file = file
        self.values: dict[Path, Span] = {}
        self.keys: dict[Path, Span] = {}
        self.problems: list[PolicyProblem] = []

    def problem(self, mark: Any, path: Path, message: str, value: object = None) -> None:
        self.problems.append(
            PolicyProblem(
                path=render_path(path),
                message=message,
                value=value,
                file=self.file,
                line=mark.line + 1,
                column=mark.column + 1,
            )
        )

    def build(self, node: Any, path: Path) -> object:
        yaml = yaml_module()
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.values[path] = Span(node.start_mark.line + 1, node.start_mark.column + 1)
        if len(node.value) > self.limits.max_items:
            self.problem(
                node.start_mark,
                path,
                f"more than {self.limits.max_items} entries (PolicyLimits.max_items)",
            )
            return None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_YAML}seq":
                self.problem(node.start_mark, path, f"the YAML tag {node.tag} is not allowed")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag != f"{_YAML}map":
            self.problem(node.start_mark, path, f"the YAML tag {node.tag} is not allowed")
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key is None:
                continue
            here = (*path, key)
            if key in out:
                first = self.keys[here].line
                self.problem(
                    key_node.start_mark, here, f"duplicate key {key!r} (first on line {first})"
                )
                continue
            self.keys[here] = Span(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, here)
        return out

    def key(self, node: Any, path: Path) -> str | None:
        yaml = yaml_module()
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node.start_mark, path, "a key must be text, not a list or mapping")
            return None
        value = self.scalar(node, path, record=False)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # "1: 75" in grade bands
        if not isinstance(value, str):
            self.problem(
                node.start_mark,
                path,
                f"the key {node.value!r} reads as {type(value).__name__}, not text; "
                "put it in quotes",
            )
            return None
        return value

    def scalar(self, node: Any, path: Path, *, record: bool = True) -> object:
        if node.tag not in _SCALARS:
            self.problem(node.start_mark, path, f"the YAML tag {node.tag} is not allowed")
            return None
        try:
            value = self.loader.construct_object(node)
        except Exception as err:  # a bad timestamp, for one
            self.problem(node.start_mark, path, f"cannot read {node.value!r}: {err}")
            return None
        if record:
            self.values[path] = self.span(node, value)
        return value

    def span(self, node: Any, value: object) -> Span:
        start, end = node.start_mark, node.end_mark
        line, column = start.line + 1, start.column + 1
        if not isinstance(value, str):
            return Span(line, column)
        raw = self.text[start.index : end.index]
        if node.style is None and raw == value and "\n" not in value:
            return Span(line, column, "exact")
        if node.style in ("'", '"') and raw[1:-1] == value and "\n" not in value:
            return Span(line, column + 1, "exact")
        if node.style == "|":
            return self.block(start.line + 1, value) or Span(line, column)
        return Span(line, column)

    def block(self, first: int, value: str) -> Span | None:
        """The span of a literal block whose content starts on 0-based line ``first``."""
        parts = value.rstrip("\n").split("\n")
        indent = None
        for offset, part in enumerate(parts):
            if first + offset >= len(self.lines):
                return None
            source = self.lines[first + offset]
            if not part:
                continue
            if not source.endswith(part):
                return None
            here = len(source) - len(part)
            if indent is None:
                indent = here
            elif here != indent:
                return None
        return None if indent is None else Span(first + 1, indent + 1, "block")


def read_yaml(text: str, *, file: str | None, limits: PolicyLimits) -> Source:
    """Read one YAML document with the position of every value and key.

    Raises:
        MissingExtraError: PyYAML is not installed.
        PolicyFileError: The text is not YAML, or uses aliases, anchors or tags, nests
            too deeply, has too many entries, or repeats a key.
    """
    yaml = yaml_module()
    try:
        loader = _loader_class()(text)
    except yaml.reader.ReaderError as err:  # a control character, checked up front
        line, column = LineIndex(text).position(err.position)
        problem = PolicyProblem(
            path="",
            message=f"not valid YAML: the character {err.character!r} is not allowed",
            file=file,
            line=line,
            column=column,
        )
        raise PolicyFileError([problem], file=file) from None
    loader.max_depth = limits.max_depth
    try:
        node = loader.get_single_node()
    except _RefusedError as refused:
        raise _error(file, refused.mark, refused.message) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise _error(file, mark, f"not valid YAML: {message}") from None
    except (yaml.YAMLError, RecursionError) as err:
        raise _error(file, None, f"not valid YAML: {err}") from None
    if node is None:
        return Source(data=None, file=file)
    builder = _Builder(loader, text, limits, file)
    data = builder.build(node, ())
    loader.dispose()
    if builder.problems:
        raise PolicyFileError(builder.problems, file=file)
    return Source(data=data, values=builder.values, keys=builder.keys, file=file)


def _error(file: str | None, mark: Any, message: str) -> PolicyFileError:
    line = None if mark is None else mark.line + 1
    column = None if mark is None else mark.column + 1
    problem = PolicyProblem(path="", message=message, file=file, line=line, column=column)
    return PolicyFileError([problem], file=file)


def write_yaml(data: object) -> str:
    """Dump plain data as block-style YAML, keys in the order given.

    Raises:
        MissingExtraError: PyYAML is not installed.
    """
    yaml = yaml_module()
    text: str = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return text
