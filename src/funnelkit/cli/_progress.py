"""A progress bar on standard error for long runs of ``funnelkit qualify``.

Shown only when standard error is a terminal, the input file is large enough for the run
to take a while (``PROGRESS_MIN_BYTES``), and ``--no-progress`` was not given. Standard
output is never touched, so results can be piped while the bar runs.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Final, TextIO

__all__ = ["PROGRESS_MIN_BYTES", "Progress", "wants_progress"]

PROGRESS_MIN_BYTES: Final = 1_000_000
"""Input files smaller than this (about 1,000 leads of JSONL) run without a bar."""
_STEP: Final = 256


def wants_progress(*, enabled: bool, size: int, stream: TextIO | None = None) -> bool:
    """Whether to show the bar: asked for, a large input, and a terminal to show it on.

    Args:
        enabled: ``False`` under ``--no-progress``.
        size: The input file's size in bytes.
        stream: Where the bar goes (standard error by default).

    Returns:
        Whether a bar should be shown.

    Examples:
        >>> import io
        >>> wants_progress(enabled=True, size=10**9, stream=io.StringIO())  # not a terminal
        False
    """
    out = sys.stderr if stream is None else stream
    isatty = getattr(out, "isatty", None)
    return enabled and size >= PROGRESS_MIN_BYTES and callable(isatty) and bool(isatty())


class Progress:
    """Counts records (or leads) as they pass; draws a rich bar when ``shown``.

    Args:
        description: What is being counted (``reading``, ``qualifying``).
        shown: Whether to draw (see ``wants_progress``); otherwise nothing is drawn.
        total: The number expected, when known (the bar then fills up).
        stream: Where the bar goes (standard error by default).
    """

    def __init__(
        self,
        description: str,
        *,
        shown: bool,
        total: int | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.description = description
        self.shown = shown
        self.total = total
        self.stream = stream
        self.count = 0
        self._pending = 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.shown:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as Bar

            console = Console(file=self.stream or sys.stderr)
            self._bar = Bar(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn() if self.total else TextColumn("{task.completed:,}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=True,  # notes print above the bar
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more (the bar is redrawn every few hundred)."""
        self.count += n
        self._pending += n
        if self._bar is not None and self._pending >= _STEP:
            self._bar.update(self._task, completed=self.count)
            self._pending = 0

    def set(self, count: int) -> None:
        """Set the count (for readers that report how far they got)."""
        self.advance(count - self.count)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
