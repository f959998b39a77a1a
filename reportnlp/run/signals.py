"""Turn Ctrl-C and SIGTERM into a clean stop: never in the middle of writing a line.

While a run is going, SIGINT and SIGTERM raise :class:`Interrupted` at once (so a long report
does not delay the stop), except inside :meth:`StopSignals.deferred`, where the record being
written is finished first. A second signal during that section stops at once: a reader that
blocks our output pipe must not make the process unkillable.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The run was stopped by a signal; ``exit_code`` is the shell convention 128 + signal number.

    A BaseException, like KeyboardInterrupt, so that ``except Exception`` (one bad report must not
    end the run) does not turn a stop into an error record."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum


class StopSignals:
    """Context manager installing the handlers (main thread only) and restoring the old ones."""

    def __init__(self) -> None:
        self._saved: dict[int, Any] = {}
        self._deferring = False
        self._pending: int | None = None

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is not threading.main_thread():
            return self  # Python delivers signals to the main thread only
        for signum in HANDLED:
            self._saved[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._saved.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._deferring and self._pending is None:
            self._pending = signum
            return
        raise Interrupted(signum)

    def deferred(self) -> _Deferred:
        """Run the body (writing one record) to its end, then honour a signal that came meanwhile."""
        return _Deferred(self)


class _Deferred:
    """:meth:`StopSignals.deferred`'s context: a class, since the command enters one per record written
    (a generator-based one made a generator and its wrapper each time, about 1.5 us)."""

    __slots__ = ("signals",)

    def __init__(self, signals: StopSignals) -> None:
        self.signals = signals

    def __enter__(self) -> None:
        self.signals._deferring = True

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        signals = self.signals
        signals._deferring = False
        if exc_type is None and signals._pending is not None:  # the body's own exception goes first
            signum, signals._pending = signals._pending, None
            raise Interrupted(signum)


def ignore_in_worker() -> None:
    """Workers leave stopping to the parent, which kills them once it has stopped cleanly. A
    terminal's Ctrl-C, or a batch system's SIGTERM, reaches the whole process group: a worker
    dying of it would be taken for a crash on the report it held."""
    for signum in HANDLED:
        signal.signal(signum, signal.SIG_IGN)
