"""The ``funnelkit mapping suggest`` command: a starter column mapping for a CSV export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from funnelkit.cli._escape import json_line
from funnelkit.errors import FunnelkitError, MissingExtraError
from funnelkit.io import suggest_mapping

__all__ = ["add_mapping_commands", "run_mapping_suggest"]

HEADER = """Suggested by `funnelkit mapping suggest` from {file} ({rows}).
Review it: columns not listed are kept as custom.<column> (unmapped: custom); cells
in 'missing' are "not filled"; on_error: missing keeps a lead whose cell cannot be
read, with a warning. Check it with: funnelkit validate {file} --mapping THIS_FILE"""


def add_mapping_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Register ``funnelkit mapping suggest``."""
    mapping = commands.add_parser(
        "mapping",
        parents=[common],
        help="work with column mapping files",
        description="Work with column mapping files (how a CSV export's columns fill leads).",
    )
    mapping.set_defaults(handler=_missing_action)
    actions = mapping.add_subparsers(title="mapping commands", metavar="ACTION")
    suggest = actions.add_parser(
        "suggest",
        parents=[common],
        help="print a starter mapping file for a CSV export",
        description=(
            "Look at FILE's header and a sample of its rows and print a starter mapping: "
            "placeholder texts, columns named like lead fields, countries, yes/no and "
            "number columns, dates, and activity columns as signals. Every sampled row "
            "loads with it; review it before use."
        ),
    )
    suggest.add_argument("file", metavar="FILE", help="a CSV file with a header row")
    suggest.add_argument(
        "--output", metavar="OUT", default=None, help="write here (.yaml, .yml or .json)"
    )
    suggest.add_argument(
        "--format",
        choices=("yaml", "json"),
        default=None,
        help="the output format (default: JSON for a .json OUT, else YAML)",
    )
    suggest.add_argument(
        "--sample",
        type=int,
        default=10_000,
        metavar="N",
        help="how many rows to look at (default: 10000)",
    )
    suggest.set_defaults(handler=run_mapping_suggest)


def _missing_action(_args: argparse.Namespace) -> int:
    print("funnelkit mapping: error: an action is required (suggest)", file=sys.stderr)
    return 2


def run_mapping_suggest(args: argparse.Namespace) -> int:
    """Run ``funnelkit mapping suggest``.

    Args:
        args: The parsed arguments (``file``, ``output``, ``format``, ``sample``).

    Returns:
        ``0`` when the mapping was written, ``2`` when the file cannot be read or pyyaml
        is missing for YAML output.
    """
    out = args.output
    fmt = args.format or ("json" if out is not None and out.lower().endswith(".json") else "yaml")
    try:
        mapping = suggest_mapping(args.file, sample=max(args.sample, 1))
        data = mapping.to_data()
        if fmt == "json":
            text = json_line(data, indent=2) + "\n"
        else:
            text = _yaml_text(data, args.file, args.sample)
    except OSError as err:
        print(
            f"funnelkit mapping suggest: cannot read {args.file!r}: {err.strerror or err}",
            file=sys.stderr,
        )
        return 2
    except (FunnelkitError, ValueError) as err:
        print(f"funnelkit mapping suggest: {err}", file=sys.stderr)
        return 2
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


def _yaml_text(data: dict[str, object], file: str, sample: int) -> str:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - pyyaml is a dev dependency
        raise MissingExtraError("yaml", "pyyaml") from None
    rows = f"up to {sample:,} rows looked at"
    comment = HEADER.format(file=Path(file).name, rows=rows)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines()) + str(body)
