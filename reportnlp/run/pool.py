"""Worker processes that cannot take the run down with them.

When a worker dies (a segfault in a C extension, ``os._exit``, the OOM killer) the parent knows
exactly which report killed it: before starting a report, a worker writes its number and the time
into memory it shares with the parent. That report gets a ``worker_crashed`` error record, the
records the worker finished are read from its pipe, the reports it had not started go to the fresh
worker that takes its place, and the run goes on. ``multiprocessing.Pool`` cannot do this (it hangs or loses
the task). With ``timeout``, a report its worker started longer ago than its budget
(:func:`reportnlp.run.budget.report_budget`: ``timeout`` per million characters) costs the worker
(killed and replaced) and gets a ``report_timeout`` error record.

Workers are kept busy without the parent in the way: each holds up to ``DEPTH`` reports, so it
goes straight on to the next one. It writes each record into its answer pipe as soon as it is made,
but rings the parent (a byte on a second pipe) only every ``BATCH`` records, when it runs out of
work, or before a write that could fill the pipe: the parent, which shares the cores with the
workers, wakes up once per batch rather than once per report. No finished record waits behind a
slow report: the parent reads what a worker has written once the report it is on has run
``FLUSH_AFTER`` seconds, and before it replaces a worker that died or ran out of time, so the
replacement redoes only the reports that were never finished. The parent sends reports to a busy
worker only as far as its pipe has room for them: a write that could block would wait on a worker
that is itself waiting for the parent to read its records (or is stuck in C code), and hang the run.

Records come back in input order. Work in flight is bounded: ``DEPTH`` reports per worker, and at
most ``window`` finished records waiting behind a slow one, so memory stays flat on any input size.

Workers apply ``finish`` to each record before sending it back: the command has them encode its
JSON line, so the parent neither unpickles the record nor encodes it (see :mod:`reportnlp.run.batch`);
an answer led by bytes (that line) sends them as they are, outside the pickle (:func:`_frame`).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import pickle
import select
import struct
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Generic, TypeVar

from reportnlp.inputs import Report
from reportnlp.run.budget import TIMEOUT_ERROR, report_budget, timeout_message
from reportnlp.run.signals import ignore_in_worker

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
Task = tuple[int, Report]
Finish = Callable[[dict[str, Any]], T]

# Each wake-up of the parent costs it far more than its Python (it shares the cores with the workers): ringing
# every 16 records, not 8, took its CPU from ~110 to ~85 us a public report under load (docs/decisions.md, session 20).
WINDOW_PER_JOB = 32
DEPTH = 32  # reports a worker holds: it works through BATCH of them while the parent refills the rest
BATCH = 16
# A report running this long gets the parent to read the records its worker finished before it (the
# worker has rung for none of them yet): about 1 in 500 public reports takes this long.
FLUSH_AFTER = 0.05
# spaCy's vocabulary keeps every distinct word a process has seen (dates, accession numbers ...),
# so a worker's memory creeps up with every report; a fresh fork of the parent, whose pipeline
# has processed nothing, starts again from the baseline. Forking costs milliseconds, but the fresh
# worker learns again what the old one knew (its memos, RE2's DFAs, the common words): its first
# thousand public reports cost about 0.5 s more CPU than warm ones. New words cost about 0.6 kB each
# (a public report brings 6 at first, fewer later); 10,000 reports halve that warm-up against 5,000 for
# some 10-20 MB more per worker on new text (docs/decisions.md, session 14).
RECYCLE_AFTER = 10_000
# A task pipe this big holds DEPTH long reports; where its size cannot be set or read (F_*PIPE_SZ
# are Linux only), the smallest pipe of the systems we run on is assumed.
PIPE_BYTES = 256 * 1024
SMALL_PIPE_BYTES = 8 * 1024
# The slots of a worker's shared progress: the report it is on and when it started it; -1 and 0
# between reports. A float holds any report number exactly below 2**53.
SEQ, STARTED = 0, 1


def keep_record(record: dict[str, Any]) -> dict[str, Any]:
    """The ``finish`` that sends records back as they are."""
    return record


class PoolError(Exception):
    """Worker processes cannot be started (no memory, no processes left, a file-size limit on the
    shared memory they report through); one line."""


EXIT_WORKER_FAILED = 70  # a worker's own code failed outside a report (EX_SOFTWARE)


def _serve(tasks: Connection, answers: Connection, bell: Connection, parent_ends: tuple[Connection, ...],
           progress: Any, extractor: Any, patterns: str | None, debug: bool, finish: Finish[Any],
           matcher: str = "fast") -> None:
    """A worker's life: :func:`_work`, and when it fails outside the guard of a report (a report
    that cannot be unpickled, a pipeline that cannot be built), an exit without multiprocessing's
    traceback, which could quote report text: the parent reports it in one line, as a crash of the
    report the worker was on. ``--debug`` prints the traceback."""
    try:
        _work(tasks, answers, bell, parent_ends, progress, extractor, patterns, debug, finish, matcher)
    except BaseException:
        if debug:
            traceback.print_exc()
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(EXIT_WORKER_FAILED)


def _work(tasks: Connection, answers: Connection, bell: Connection, parent_ends: tuple[Connection, ...],
          progress: Any, extractor: Any, patterns: str | None, debug: bool, finish: Finish[Any],
          matcher: str = "fast") -> None:
    """Worker loop: take tasks as they come, write each (seq, finish(record)) pair to ``answers`` as
    soon as it is made, in the same order, and ring ``bell`` for the parent to read them every
    BATCH records, before a write that could fill the pipe, and when out of work; stop on an empty
    message or EOF."""
    # A forked worker shares the parent's memory until it writes to it, and a collection by Python's
    # cyclic GC writes to every object it visits: the pipeline the parent built (tens of MB) would be
    # copied, about 60 ms of CPU per worker. Frozen, those objects are never visited here (gc.freeze
    # links lists, it does not touch the objects); what this worker allocates is collected as usual.
    gc.freeze()
    ignore_in_worker()
    for end in parent_ends:
        end.close()  # so this worker sees EOF when the parent dies
    # stdout is the parent's data stream: nothing a worker prints may reach it, nor the copy of the
    # parent's unflushed output that a forked child holds.
    sys.stdout = Path(os.devnull).open("w")
    os.dup2(sys.stdout.fileno(), 1)
    if extractor is None:  # spawn start method: nothing inherited
        from reportnlp.run.extractor import Extractor

        extractor = Extractor(patterns, debug=debug, matcher=matcher)
    todo: deque[tuple[int, memoryview]] = deque()  # (seq, pickled report), in the order received
    out = _Writer(answers.fileno(), bell.fileno(), _pipe_room(answers))
    try:
        while True:
            if not todo:
                if out.size and not tasks.poll():
                    out.ring()  # about to wait for work: no reason to hold the parent back
                message = tasks.recv_bytes()
                if not message:
                    return
                todo.extend(_frames(message))
                continue
            seq, packed = todo.popleft()
            # Set while it is on a report (from unpickling it to pickling its answer), cleared after:
            # a death or a timeout meanwhile is that report's.
            progress[SEQ] = seq
            progress[STARTED] = time.monotonic()
            answer, clean = _answer(extractor, seq, _unpack(packed), finish, debug)
            _settle(clean)
            progress[STARTED] = 0.0
            progress[SEQ] = -1
            out.write(answer)
    except (EOFError, OSError):  # the parent is gone
        return


class _Writer:
    """A worker's end of its answers: each answer framed and written at once, the parent rung
    every BATCH answers and before a write that could block on a pipe holding answers it was not
    rung for (a parent that waits only for the bell would never read them)."""

    def __init__(self, fd: int, bell: int, room: int) -> None:
        self.fd, self.bell, self.room = fd, bell, room
        self.unannounced = 0  # answers written since the last ring
        self.size = 0  # and their bytes

    def write(self, framed: bytes) -> None:
        view = memoryview(framed)
        while view:
            piece = view[: self.room]
            if self.size + len(piece) > self.room:
                self.ring()
            self.size += len(piece)
            while piece:
                piece = piece[os.write(self.fd, piece) :]
            view = view[self.room :]
        self.unannounced += 1
        if self.unannounced >= BATCH:
            self.ring()

    def ring(self) -> None:
        os.write(self.bell, b"!")
        self.unannounced = self.size = 0


def _settle(clean: bool) -> None:
    """Freeze what a report left alive (memo entries) out of the cyclic GC; after a failed report, collect first.

    A report leaves no reference cycles (tests/test_worker_gc.py), so what outlives it is the pipeline's
    memo entries, which die by reference counting when evicted. Left in the GC's generations they were walked
    by every young collection after a report and again by the older ones: about 40 us of a public report's
    ~2 ms (a larger young threshold walks the same survivors, only in fewer, longer collections). Frozen,
    they are walked never; the freeze only links lists. A failed report is collected first, in case it left
    a cycle (an exception's traceback holds frames, which may hold it): everything older is frozen, so that
    collection walks only what the report made. A cycle an ok report might leave would be kept until the
    worker is replaced (RECYCLE_AFTER reports)."""
    if not clean:
        gc.collect()
    gc.freeze()


def _answer(extractor: Any, seq: int, report: Report, finish: Finish[Any], debug: bool) -> tuple[bytes, bool]:
    """The framed (seq, finish(record)) pair (:func:`_frame`), and whether the record is ok (nothing failed on the way)."""
    try:
        record = extractor.record_for(report)
        return _frame(seq, finish(record)), record.get("status") == "ok"
    except BaseException as exc:  # SystemExit and friends: cost the report, not the worker
        from reportnlp.records.assemble import error_record

        if debug:
            traceback.print_exc()
        record = error_record(
            report.id, report.source, "processing_error", f"{type(exc).__name__} while processing", report.warnings,
            report.fields,
        )
        return _frame(seq, finish(record)), False


# A task travels as its number and the length of its pickled report, then that pickle: the worker
# knows which report it is on before it unpickles it.
_FRAME = struct.Struct("!qI")
# An answer travels as its length (after this head), its number, the length of its pickle and whether the pickle is
# the whole answer (1) or all but the leading bytes (0); then that pickle, then those bytes (:func:`_frame`).
_HEAD = struct.Struct("!IqIB")
READ_BYTES = 1 << 16


def _pack(task: Task) -> bytes:
    # The report's fields as a plain tuple: pickling the frozen dataclass looks its class up by name and
    # goes through the dataclass's own Python __getstate__ / __setstate__, about 4x the time of the tuple.
    r = task[1]
    packed = pickle.dumps((r.id, r.text, r.source, r.error, r.warnings, r.fields), pickle.HIGHEST_PROTOCOL)
    return _FRAME.pack(task[0], len(packed)) + packed


def _unpack(packed: memoryview) -> Report:
    """The report :func:`_pack` packed."""
    return Report(*pickle.loads(packed))


def _frames(message: bytes) -> Iterator[tuple[int, memoryview]]:
    view, at = memoryview(message), 0
    while at < len(message):
        seq, size = _FRAME.unpack_from(message, at)
        at += _FRAME.size
        yield seq, view[at : at + size]
        at += size


def _frame(seq: int, answer: Any) -> bytes:
    """An answer as it travels (_HEAD). An answer led by bytes (a record's JSON line, :func:`reportnlp.run.output.
    encoded_fields`) sends them as they are after the pickle of the rest: pickling the line into the pair and
    unpickling it again cost the worker and the parent about 2-3 us a public record each (session 24)."""
    if type(answer) is tuple and answer and type(answer[0]) is bytes:
        lead, rest, whole = answer[0], pickle.dumps(answer[1:], pickle.HIGHEST_PROTOCOL), 0
    else:
        lead, rest, whole = b"", pickle.dumps(answer, pickle.HIGHEST_PROTOCOL), 1
    return b"".join((_HEAD.pack(len(rest) + len(lead), seq, len(rest), whole), rest, lead))


def _answers(buffer: bytes) -> tuple[list[tuple[int, Any]], bytes]:
    """The (seq, answer) pairs framed whole in ``buffer``, and what is left of it (part of the next)."""
    pairs, at, end = [], 0, len(buffer)
    view, head = memoryview(buffer), _HEAD.size
    while at + head <= end:
        size, seq, pickled, whole = _HEAD.unpack_from(buffer, at)
        start = at + head
        if start + size > end:
            break
        rest = pickle.loads(view[start : start + pickled])
        pairs.append((seq, rest if whole else (buffer[start + pickled : start + size], *rest)))
        at = start + size
    return pairs, buffer[at:]


def _read_all(fd: int) -> bytes:
    """What can be read from a non-blocking pipe now (up to EOF once its writer is gone)."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, READ_BYTES)
        except BlockingIOError:
            break
        chunks.append(chunk)
        if len(chunk) < READ_BYTES:
            break
    return b"".join(chunks)


def _widen(conn: Connection) -> None:
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # over the user's pipe quota: it keeps the size it has
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _pipe_room(conn: Connection) -> int:
    """Bytes that may wait unread in this widened pipe without a write blocking: half its
    capacity, since the kernel does not fill every page of it."""
    _widen(conn)
    size = SMALL_PIPE_BYTES
    if fcntl is not None and hasattr(fcntl, "F_GETPIPE_SZ"):
        with contextlib.suppress(OSError):
            size = fcntl.fcntl(conn.fileno(), fcntl.F_GETPIPE_SZ)
    return size // 2


class _Worker:
    """One worker process, its two pipes, its progress, and the reports it holds (sent, not yet
    answered, in order), each with the bytes it may still occupy in the pipe."""

    def __init__(self, ctx: Any, extractor: Any, patterns: str | None, debug: bool, finish: Finish[Any]) -> None:
        try:
            self._start(ctx, extractor, patterns, debug, finish)
        except OSError as exc:
            raise PoolError(f"cannot start a worker process ({exc.strerror or type(exc).__name__})") from None

    def _start(self, ctx: Any, extractor: Any, patterns: str | None, debug: bool, finish: Finish[Any]) -> None:
        task_end, self.tasks = ctx.Pipe(duplex=False)
        self.answers, answer_end = ctx.Pipe(duplex=False)
        self.bell, bell_end = ctx.Pipe(duplex=False)
        self.progress = ctx.RawArray("d", 2)
        self.progress[SEQ] = -1
        with contextlib.suppress(OSError, ValueError):  # a forked child copies unflushed output
            sys.stdout.flush()
        inherited = extractor if ctx.get_start_method() == "fork" else None
        self.process: BaseProcess = ctx.Process(
            target=_serve, daemon=True,
            args=(task_end, answer_end, bell_end, (self.tasks, self.answers, self.bell), self.progress, inherited,
                  patterns, debug, finish, getattr(extractor, "matcher", "fast")),
        )
        _widen(answer_end)  # a batch of records fits: the worker goes on while the parent sleeps
        self.process.start()
        task_end.close()
        answer_end.close()
        bell_end.close()
        self.answers_fd, self.bell_fd = self.answers.fileno(), self.bell.fileno()
        os.set_blocking(self.answers_fd, False)
        os.set_blocking(self.bell_fd, False)
        self.partial = b""  # the start of an answer still being written
        self.flushed = 0.0  # the start time of the report during which its answers were last read
        self.held: deque[tuple[Task, int]] = deque()
        self.pending_bytes = 0
        self.given = 0  # reports over its life
        self.room = _pipe_room(self.tasks)

    def give(self, batch: list[tuple[Task, bytes]]) -> None:
        """Send these tasks in one message (raises OSError if the worker has died)."""
        message = b"".join(packed for _, packed in batch)
        self.tasks.send_bytes(message)
        # The message leaves the pipe when the worker reads its first task: count it there.
        sizes = [len(message)] + [0] * (len(batch) - 1)
        self.held.extend((task, size) for (task, _), size in zip(batch, sizes, strict=True))
        self.pending_bytes += len(message)
        self.given += len(batch)

    def receive(self) -> list[tuple[int, Any]]:
        """The (seq, answer) pairs it has written since last asked, in order; rings are cleared."""
        with contextlib.suppress(BlockingIOError):
            os.read(self.bell_fd, READ_BYTES)
        pairs, self.partial = _answers(self.partial + _read_all(self.answers_fd))
        for _ in pairs:
            _, size = self.held.popleft()
            self.pending_bytes -= size
        return pairs

    def started(self) -> float:
        """When it started the report it is on; 0 when it is between reports."""
        return float(self.progress[STARTED])

    def culprit(self) -> int | None:
        """Index in ``held`` of the report it was on when it stopped; None if it was between reports."""
        seq = int(self.progress[SEQ])
        return next((i for i, ((s, _), _) in enumerate(self.held) if s == seq), None)

    def stop(self, *, kill: bool = False) -> None:
        if kill or self.held:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.tasks.send_bytes(b"")
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.answers.close()
        self.bell.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code == EXIT_WORKER_FAILED:
        return "its own code failed outside the report's guard; --debug shows the traceback"
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


class _Pool(Generic[T]):
    """The workers and the bookkeeping of one run."""

    def __init__(self, jobs: int, extractor: Any, patterns: str | None, timeout: float | None, debug: bool,
                 recycle_after: int, finish: Finish[T]) -> None:
        self.recycle_after = recycle_after
        self.ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.args = (extractor, patterns, debug, finish)
        self.finish = finish
        self.timeout = timeout
        self.window = max(jobs * WINDOW_PER_JOB, 2)
        self.done: dict[int, T] = {}  # finished records waiting for their turn
        self.retry: deque[Task] = deque()  # tasks of a worker that died before answering them
        self.orphans: set[int] = set()  # retried after a death that no report could be blamed for
        self.waiting: tuple[Task, bytes] | None = None  # read, and waiting for a worker with room
        self.next_in = self.next_out = 0
        self.exhausted = False
        self.workers = [_Worker(self.ctx, *self.args) for _ in range(jobs)]

    def replace(self, worker: _Worker, *, kill: bool = True) -> None:
        worker.stop(kill=kill)
        self.workers[self.workers.index(worker)] = _Worker(self.ctx, *self.args)

    def fail(self, worker: _Worker, error_type: str, message: str) -> None:
        """The report the worker was on gets the blame; the others it held go to its replacement.

        A death between reports blames none, unless it happens again to a report already retried
        after such a death (so that a fault outside the reports cannot loop forever)."""
        from reportnlp.records.assemble import error_record  # spaCy's: not for a command that only reports errors

        worker.process.join(5)
        index = worker.culprit()
        if index is None and worker.held and worker.held[0][0][0] in self.orphans:
            index = 0
        if index is not None:
            (seq, report), _ = worker.held[index]
            del worker.held[index]
            self.done[seq] = self.finish(error_record(report.id, report.source, error_type, message, report.warnings,
                                                      report.fields))
        else:
            self.orphans.update(seq for (seq, _), _ in worker.held)
        self.retry.extend(task for task, _ in worker.held)
        worker.held.clear()
        self.replace(worker)

    def read(self, source: Iterator[Report]) -> tuple[Task, bytes] | None:
        """The next task to hand out (a retried one first), with its message; None when there is
        none or the window is full."""
        if self.waiting is None:
            if self.retry:
                task = self.retry.popleft()
            elif self.exhausted or self.next_in >= self.next_out + self.window:
                return None
            else:
                report = next(source, None)
                if report is None:
                    self.exhausted = True
                    return None
                task, self.next_in = (self.next_in, report), self.next_in + 1
            self.waiting = (task, _pack(task))
        return self.waiting

    def hand_out(self, source: Iterator[Report]) -> None:
        """Fill each worker up to DEPTH reports, as far as its pipe has room, one message each per level.

        With several workers, each is first filled to half of DEPTH, then to DEPTH: a short run is shared
        between them, not all held by the first."""
        for worker in list(self.workers):
            if not worker.held and worker.given >= self.recycle_after:
                self.replace(worker, kill=False)
        for depth in (DEPTH,) if len(self.workers) == 1 else (DEPTH // 2, DEPTH):
            for worker in sorted(self.workers, key=lambda w: len(w.held)):
                self.fill(worker, source, depth)

    def fill(self, worker: _Worker, source: Iterator[Report], depth: int) -> None:
        """Send a worker tasks, in one message, until it holds ``depth`` or its pipe could block."""
        batch: list[tuple[Task, bytes]] = []
        held, size = len(worker.held), worker.pending_bytes
        limit = min(depth, self.recycle_after - worker.given + held)
        while held + len(batch) < limit and (ready := self.read(source)) is not None:
            if (held or batch) and size + len(ready[1]) > worker.room:
                break  # it is busy: the write could block
            batch.append(ready)
            size += len(ready[1])
            self.waiting = None
        if batch:
            try:
                worker.give(batch)
            except OSError:  # it died: the tasks go to another worker, the report it was on (if
                self.retry.extendleft(task for task, _ in reversed(batch))  # any) gets the blame
                self.collect(worker, {worker.process.sentinel})

    def collect(self, worker: _Worker, ready: set[Any]) -> None:
        """Take the records a worker has sent; deal with a worker that died or ran out of time.

        A dead or overrun worker's pipe is read to its end first: records it finished are kept,
        and only the reports it never finished go to its replacement."""
        if not worker.held:
            if worker.process.sentinel in ready:
                worker.process.join(5)
                self.replace(worker)
            return
        dead = worker.process.sentinel in ready
        budget = 0.0
        if not dead and self.timeout and 0 < worker.started() < time.monotonic() - (budget := self.budget(worker)):
            worker.process.kill()
            worker.process.join(5)
            over = True
        else:
            over = False
        if dead or over or worker.bell_fd in ready or worker.answers_fd in ready or self.ran_long(worker):
            try:
                for seq, answer in worker.receive():
                    self.done[seq] = answer
            except (EOFError, OSError):  # it died holding reports
                dead = True
        if dead:
            worker.process.join(5)
            if worker.held:
                self.fail(worker, "worker_crashed", _died(worker))
            else:
                self.replace(worker)
        elif over:
            self.fail(worker, TIMEOUT_ERROR, timeout_message(budget))

    def ran_long(self, worker: _Worker) -> bool:
        """Whether the report a worker is on has run FLUSH_AFTER (the first time this is asked of it)."""
        started = worker.started()
        if started and started != worker.flushed and started + FLUSH_AFTER <= time.monotonic():
            worker.flushed = started
            return True
        return False

    def budget(self, worker: _Worker) -> float:
        """The time the report a worker is on may take (:mod:`reportnlp.run.budget`)."""
        assert self.timeout
        index = worker.culprit()
        return report_budget(self.timeout, None if index is None else worker.held[index][0][1].text)

    def deadline(self) -> float | None:
        """When a report a worker is on has run long enough for its earlier records to be read, or
        times out; when to look again if one is between reports."""
        now, first = time.monotonic(), None
        for w in self.workers:
            if not w.held:
                continue
            started = w.started()
            if self.timeout:
                at = (started or now) + self.budget(w)
                first = at if first is None else min(first, at)
            if not started or started != w.flushed:  # between reports: look again soon, in case the next one runs long
                at = (started or now) + FLUSH_AFTER
                first = at if first is None else min(first, at)
        return first

    def wait(self, busy: list[_Worker]) -> set[int]:
        """The file descriptors ready to read (bells, answers being written, sentinels of workers that
        ended) once one is, or at the next deadline. A poll object of its own costs a few C calls:
        multiprocessing's ``wait`` builds a selector in Python each time, about 10 us a wake-up."""
        poller = select.poll()
        for w in busy:
            poller.register(w.bell_fd, select.POLLIN)
            if w.partial:
                poller.register(w.answers_fd, select.POLLIN)
        for w in self.workers:
            poller.register(w.process.sentinel, select.POLLIN)
        deadline = self.deadline()
        timeout = None if deadline is None else max(deadline - time.monotonic(), 0) * 1000
        return {fd for fd, _ in poller.poll(timeout)}

    def records(self, reports: Iterable[Report]) -> Iterator[T]:
        batches = self.batches(reports)
        try:
            for batch in batches:
                yield from batch
        finally:
            batches.close()  # stops the workers

    def batches(self, reports: Iterable[Report]) -> Iterator[list[T]]:
        """The records in input order, as the runs of them that are ready together (never empty)."""
        source = iter(reports)
        try:
            while True:
                self.hand_out(source)
                if self.next_out in self.done:
                    ready = []
                    while self.next_out in self.done:
                        ready.append(self.done.pop(self.next_out))
                        self.next_out += 1
                    yield ready
                    self.hand_out(source)  # the window moved
                busy = [w for w in self.workers if w.held]
                if not busy:
                    if self.exhausted and self.waiting is None and not self.retry:
                        return
                    continue
                ready = self.wait(busy)
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
    finish: Finish[T] = keep_record,  # type: ignore[assignment]
) -> Iterator[T]:
    """One record per report, in input order, computed by ``jobs`` worker processes, each
    replaced by a fresh one after ``recycle_after`` reports; each record passed through ``finish``
    (a module-level function: spawned workers import it) in the worker that made it, or in this
    process for the error records of a crash or timeout.

    The workers start now, before the first record is asked for (so before a progress bar's
    thread: forking while another thread holds a lock is unsafe); closing the iterator stops
    them. With the fork start method they inherit ``extractor`` (built and checked by the
    caller); elsewhere each builds its own from ``patterns``.
    """
    return _Pool(max(jobs, 1), extractor, patterns, timeout, debug, recycle_after, finish).records(reports)


def parallel_batches(
    reports: Iterable[Report],
    *,
    jobs: int,
    extractor: Any = None,
    patterns: str | None = None,
    timeout: float | None = None,
    debug: bool = False,
    recycle_after: int = RECYCLE_AFTER,
    finish: Finish[T] = keep_record,  # type: ignore[assignment]
) -> Iterator[list[T]]:
    """:func:`parallel_records` in the runs of records that come back together (a worker's batch, or
    what a slow report held back), in input order: a writer can write each run at once."""
    return _Pool(max(jobs, 1), extractor, patterns, timeout, debug, recycle_after, finish).batches(reports)
