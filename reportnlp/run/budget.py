"""The time one report may cost, in every engine: an unforeseen shape of text costs one
``report_timeout`` record, never a stalled run.

The budget is ``timeout`` seconds for a report of up to a million characters and proportionally
more for a longer one (``--max-report-bytes`` can let those through): processing takes a few
seconds per MB (docs/robustness.md), so the default, 60 s per million characters, is more than ten
times what any report needs on a loaded machine. ``--timeout 0`` disables it.

Two ways to enforce it, one per kind of engine:

- in a process pool (:mod:`reportnlp.run.pool`, ``extract --jobs N`` and ``--jobs 1``), the parent
  kills the worker that overruns and replaces it: nothing the report does can resist that;
- inside a process that must live on (a Dask or Spark worker, where a task cannot fork workers of its
  own), :class:`Watchdog` raises :class:`ReportOverBudget` in the thread that runs the report. That
  works wherever Python code runs (all of the pipeline's own code); a report stuck in C code for
  ``STUCK_GRACE`` times its budget gets the process killed, which those engines survive (the task is
  retried on another worker, and given up after a few deaths).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportnlp.inputs import Report

DEFAULT_TIMEOUT = 60.0  # seconds per report of up to SCALE_CHARS characters
SCALE_CHARS = 1_000_000
STUCK_GRACE = 3.0  # a thread that ignores ReportOverBudget this many budgets long: the process is killed
TIMEOUT_ERROR = "report_timeout"


def resolve_timeout(value: float | None) -> float | None:
    """The per-report timeout of a run: the default when not given, None (no limit) for 0."""
    if value is None:
        return DEFAULT_TIMEOUT
    return float(value) if value > 0 else None


def report_budget(timeout: float, text: str | None) -> float:
    """Seconds one report may take: ``timeout`` per million characters, at least ``timeout``."""
    return timeout * max(1.0, len(text or "") / SCALE_CHARS)


def timeout_message(budget: float) -> str:
    return f"processing took longer than {budget:g} seconds; stopped"


class ReportOverBudget(BaseException):
    """Raised by :class:`Watchdog` into the thread whose report ran out of time. A BaseException,
    so the Extractor's ``except Exception`` (a bad report's ``processing_error``) lets it through."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


class Watchdog:
    """``with watchdog.limit(seconds): ...`` raises :class:`ReportOverBudget` inside the body once it
    has run longer than ``seconds``. One thread watches every limit of the process; the exception
    never escapes the ``with`` statement that asked for it (a pending one is cancelled on exit)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: tuple[int, float, float] | None = None  # (thread id, deadline, budget)
        self._fired = False
        self._thread: threading.Thread | None = None

    def limit(self, seconds: float) -> _Limit:
        return _Limit(self, seconds)

    def _start(self, seconds: float) -> None:
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="reportnlp-watchdog", daemon=True)
                self._thread.start()
            self._active = (threading.get_ident(), time.monotonic() + seconds, seconds)
            self._fired = False
            self._cond.notify_all()

    def _stop(self) -> None:
        while True:
            try:
                with self._cond:
                    if self._active is not None and self._fired:
                        _raise_in(self._active[0], None)  # fired but not delivered yet: the body is done
                    self._active = None
                    self._fired = False
                    self._cond.notify_all()
                return
            except ReportOverBudget:  # delivered while stopping: the body is done all the same
                continue

    def _watch(self) -> None:
        with self._cond:
            while True:
                active = self._active
                if active is None:
                    self._cond.wait()
                    continue
                thread_id, deadline, budget = active
                now = time.monotonic()
                if not self._fired:
                    if now < deadline:
                        self._cond.wait(deadline - now)
                        continue
                    self._fired = True
                    _raise_in(thread_id, ReportOverBudget)
                    continue
                stuck = deadline + STUCK_GRACE * budget
                if now < stuck:
                    self._cond.wait(stuck - now)
                    continue
                os.kill(os.getpid(), signal.SIGKILL)  # stuck in C code: only the engine's retry can help


class _Limit:
    def __init__(self, watchdog: Watchdog, seconds: float) -> None:
        self.watchdog, self.seconds = watchdog, seconds

    def __enter__(self) -> None:
        self.watchdog._start(self.seconds)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> Any:
        self.watchdog._stop()
        return None


def record_within(extractor: Any, report: Report, timeout: float | None, watchdog: Watchdog) -> dict[str, Any]:
    """``extractor.record_for(report)``, or its ``report_timeout`` record once it overruns its budget
    (in this thread, by ``watchdog``: for engines whose workers cannot fork a pool)."""
    if not timeout:
        return extractor.record_for(report)
    budget = report_budget(timeout, report.text)
    try:
        with watchdog.limit(budget):
            return extractor.record_for(report)
    except ReportOverBudget:
        from reportnlp.records.assemble import error_record  # spaCy's: not for a command that only plans

        return error_record(report.id, report.source, TIMEOUT_ERROR, timeout_message(budget), report.warnings)
