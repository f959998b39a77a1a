"""The progress bar: a total, a rate and the time left once the count is known; a pulse before."""

from __future__ import annotations

import io
import threading
import time

from rich.console import Console

from reportnlp.run.progress import progress_bar


def drawn(count: object) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with progress_bar(True, count, console=console) as advance:  # type: ignore[arg-type]
        for _ in range(3):
            advance()
        deadline = time.monotonic() + 5
        while any(t.name == "reportnlp-count" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # one refresh (10 per second)
    return out.getvalue()


def test_the_bar_shows_the_total_once_it_is_counted() -> None:
    assert "3/40" in drawn(lambda: 40)


def test_an_unknown_total_or_a_failing_count_leaves_a_pulse() -> None:
    def broken() -> int:
        raise OSError("gone")

    for count in (lambda: None, broken, None):
        text = drawn(count)
        assert "3/?" in text
