"""Worker processes that cannot take the run down with them.

Each worker owns one pipe and holds at most one report at a time, so when a worker dies (a
segfault in a C extension, ``os._exit``, the OOM killer) the parent knows exactly which report
killed it: that report gets a ``worker_crashed`` error record, a fresh worker takes its place
and the run goes on. ``multiprocessing.Pool`` cannot do this (it hangs or loses the task).

Records come back in input order. Work in flight is bounded: one report per worker, and at most
``window`` finished records waiting behind a slow one, so memory stays flat on any input size.
With ``timeout``, a report that takes longer costs its worker (killed and replaced) and gets a
``report_timeout`` error record.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from reportnlp.inputs import Report
from reportnlp.records import error_record
from reportnlp.signals import ignore_in_worker

WINDOW_PER_JOB = 16
# spaCy's vocabulary keeps every distinct word a process has seen (dates, accession numbers ...),
# so a worker's memory creeps up with every report; a fresh fork of the parent, whose pipeline
# has processed nothing, starts again from the baseline. Forking costs milliseconds.
RECYCLE_AFTER = 5_000


def _serve(conn: Connection, parent_end: Connection, extractor: Any, patterns: str | None, debug: bool) -> None:
    """Worker loop: receive (seq, report), send back (seq, record); stop on None or EOF."""
    ignore_in_worker()
    parent_end.close()  # so this worker sees EOF when the parent dies
    # stdout is the parent's data stream: nothing a worker prints may reach it, nor the copy of the
    # parent's unflushed output that a forked child holds.
    sys.stdout = Path(os.devnull).open("w")
    os.dup2(sys.stdout.fileno(), 1)
    if extractor is None:  # spawn start method: nothing inherited
        from reportnlp.extract import Extractor

        extractor = Extractor(patterns)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        seq, report = task
        try:
            record = extractor.record_for(report)
        except BaseException as exc:  # SystemExit and friends: cost the report, not the worker
            if debug:
                traceback.print_exc()
            record = error_record(
                report.id, report.source, "processing_error", f"{type(exc).__name__} while processing", report.warnings
            )
        conn.send((seq, record))


class _Worker:
    """One worker process, its end of the pipe, and the report it holds (if any)."""

    def __init__(self, ctx: Any, extractor: Any, patterns: str | None, debug: bool) -> None:
        self.conn, child_end = ctx.Pipe()
        with contextlib.suppress(OSError, ValueError):  # a forked child copies unflushed output
            sys.stdout.flush()
        inherited = extractor if ctx.get_start_method() == "fork" else None
        self.process: BaseProcess = ctx.Process(
            target=_serve, args=(child_end, self.conn, inherited, patterns, debug), daemon=True
        )
        self.process.start()
        child_end.close()
        self.task: tuple[int, Report] | None = None
        self.started = 0.0
        self.served = 0

    def give(self, task: tuple[int, Report]) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def stop(self, *, kill: bool = False) -> None:
        if kill or self.task is not None:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "did not exit"
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


class _Pool:
    """The workers and the bookkeeping of one run."""

    def __init__(self, jobs: int, extractor: Any, patterns: str | None, timeout: float | None, debug: bool,
                 recycle_after: int) -> None:
        self.recycle_after = recycle_after
        self.ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.args = (extractor, patterns, debug)
        self.timeout = timeout
        self.window = max(jobs * WINDOW_PER_JOB, 2)
        self.done: dict[int, dict[str, Any]] = {}  # finished records waiting for their turn
        self.retry: list[tuple[int, Report]] = []  # tasks given to a worker that died before taking them
        self.workers = [_Worker(self.ctx, *self.args) for _ in range(jobs)]

    def replace(self, worker: _Worker, *, kill: bool = True) -> None:
        worker.stop(kill=kill)
        self.workers[self.workers.index(worker)] = _Worker(self.ctx, *self.args)

    def fail(self, worker: _Worker, error_type: str, message: str) -> None:
        assert worker.task is not None
        seq, report = worker.task
        self.done[seq] = error_record(report.id, report.source, error_type, message, report.warnings)
        worker.task = None
        self.replace(worker)

    def collect(self, worker: _Worker, ready: set[Any]) -> None:
        """Take a finished record from a worker, or deal with a worker that died or ran out of time."""
        if worker.task is not None and (worker.conn in ready or worker.conn.poll()):
            try:
                seq, record = worker.conn.recv()
            except (EOFError, OSError):  # the worker died holding its report
                worker.process.join(5)
                self.fail(worker, "worker_crashed", _died(worker))
            else:
                self.done[seq] = record
                worker.task = None
                worker.served += 1
                if worker.served >= self.recycle_after:
                    self.replace(worker, kill=False)
        elif worker.process.sentinel in ready or not worker.process.is_alive():
            worker.process.join(5)
            if worker.task is None:
                self.replace(worker)
            else:
                self.fail(worker, "worker_crashed", _died(worker))
        elif self.timeout and worker.task is not None and time.monotonic() - worker.started > self.timeout:
            self.fail(worker, "report_timeout", f"processing took longer than {self.timeout:g} seconds; stopped")

    def records(self, reports: Iterable[Report]) -> Iterator[dict[str, Any]]:
        source = iter(reports)
        next_in = next_out = 0
        exhausted = False
        try:
            while True:
                for worker in [w for w in self.workers if w.task is None]:
                    if self.retry:
                        task = self.retry.pop()
                    elif not exhausted and next_in < next_out + self.window:
                        report = next(source, None)
                        if report is None:
                            exhausted = True
                            break
                        task, next_in = (next_in, report), next_in + 1
                    else:
                        break
                    try:
                        worker.give(task)
                    except OSError:  # died while idle: its replacement takes the task
                        worker.task = None
                        self.retry.append(task)
                        self.replace(worker)
                while next_out in self.done:
                    yield self.done.pop(next_out)
                    next_out += 1
                busy = [w for w in self.workers if w.task is not None]
                if not busy:
                    if exhausted and not self.retry:
                        return
                    continue
                deadline = min(w.started for w in busy) + self.timeout if self.timeout else None
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in self.workers],
                                 None if deadline is None else max(deadline - time.monotonic(), 0)))
                for worker in list(self.workers):
                    self.collect(worker, ready)
        finally:
            self.stop()

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def _died(worker: _Worker) -> str:
    return f"the worker process died on this report ({_describe_exit(worker.process.exitcode)})"


def parallel_records(
    reports: Iterable[Report],
    *,
    jobs: int,
    extractor: Any = None,
    patterns: str | None = None,
    timeout: float | None = None,
    debug: bool = False,
    recycle_after: int = RECYCLE_AFTER,
) -> Iterator[dict[str, Any]]:
    """One record per report, in input order, computed by ``jobs`` worker processes, each
    replaced by a fresh one after ``recycle_after`` reports.

    The workers start now, before the first record is asked for (so before a progress bar's
    thread: forking while another thread holds a lock is unsafe); closing the iterator stops
    them. With the fork start method they inherit ``extractor`` (built and checked by the
    caller); elsewhere each builds its own from ``patterns``.
    """
    return _Pool(max(jobs, 1), extractor, patterns, timeout, debug, recycle_after).records(reports)
