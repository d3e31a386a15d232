"""Reading the runnable examples of a docs page: its input files and its console sessions.

A page defines a file with a ``Given this `NAME`:`` line followed by a code block, and
shows commands in ``console`` blocks (``$ command``, its output, optionally ``$ echo $?``
and the exit code). The docs tests write the files, run the commands and compare.
"""

from __future__ import annotations

import re


def input_files(text: str) -> dict[str, str]:
    """The files the page defines: a ``Given this `NAME`:`` line, then a code block."""
    return dict(re.findall(r"Given this `([^`]+)`[^\n]*:\n\n```\w*\n(.*?)```", text, flags=re.S))


def examples(text: str, run: str | tuple[str, ...]) -> list[tuple[str, list[str], int | None]]:
    """Each command starting with ``run`` in a console block: command, output, exit code."""
    out: list[tuple[str, list[str], int | None]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        last = ""
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *lines = chunk.rstrip("\n").split("\n")
            if command == "echo $?" and last.startswith(run):
                out[-1] = (out[-1][0], out[-1][1], int(lines[0]))
            elif command.startswith(run):
                out.append((command, lines, None))
            last = command
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines match; a ``...`` line stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])
