"""A progress bar on stderr for people; nothing at all when stderr is not a terminal.

With a ``count`` (a function giving the number of reports, or None when it is not cheap to learn), the
bar shows the total, the rate and the time left; the count runs in a background thread, so the first
record is not delayed, and until it is known the bar pulses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def progress_bar(show: bool, count: Callable[[], int | None] | None = None,
                 done: int = 0, console: Any = None) -> Iterator[Callable[[], None]]:
    """``done``: records already there (``--resume``), counted toward the total; ``console``: where
    to draw (default: a rich Console on stderr)."""
    if not show:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.0f}/s")

    console = console or Console(stderr=True)
    with Progress(
        TextColumn("reports"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
        redirect_stdout=False,
        redirect_stderr=True,  # our one-line error messages print above the bar, not through it
        transient=True,
    ) as bar:
        task = bar.add_task("extract", total=None, completed=done)
        if count is not None:
            def learn_total() -> None:
                try:
                    total = count()
                except Exception:  # a count is a nicety: never a reason to fail
                    return
                if total is not None:
                    bar.update(task, total=max(total, done))

            threading.Thread(target=learn_total, name="reportnlp-count", daemon=True).start()
        yield lambda: bar.advance(task)
