"""Worker processes: a worker that dies or hangs costs one report (an error record), not the run,
even though it holds several and sends their records back a few at a time; records keep input
order; work in flight stays bounded; big reports cannot jam the pipes; stopping the run stops
the workers.

The extractors here are stand-ins with the real one's interface, inherited by forked workers,
so a crash can be placed on one chosen report.
"""

from __future__ import annotations

import faulthandler
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from reportnlp.inputs import Report
from reportnlp.records.assemble import error_record
from reportnlp.run import pool
from reportnlp.run.batch import encoded_batches, encoded_records, records
from reportnlp.run.output import dumps
from reportnlp.run.pool import WINDOW_PER_JOB, parallel_records

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="workers inherit the stand-in by fork")


class StandIn:
    """Echoes the report id; `crash` maps an id to what happens to the worker on that report."""

    def __init__(self, crash: dict[str, str] | None = None) -> None:
        self.crash = crash or {}

    def record_for(self, report: Report) -> dict[str, Any]:
        how = self.crash.get(report.id)
        if how == "os_exit":
            os._exit(3)
        if how == "segfault":
            # pytest's fault handler, inherited by the fork, would print a 100-line stack of this
            # deliberate crash into the test run; the parent still reports it in one line.
            faulthandler.disable()
            os.kill(os.getpid(), signal.SIGSEGV)
        if how == "system_exit":
            raise SystemExit(1)
        if how == "hang":
            time.sleep(600)
        return {"id": report.id, "status": "ok", "pid": os.getpid()}


class Echo(StandIn):
    """Puts the report's text in its record, taking a few milliseconds like a real report."""

    def record_for(self, report: Report) -> dict[str, Any]:
        time.sleep(0.005)
        return {**super().record_for(report), "text": report.text}


class DiesWhenUnpickled:
    """A value whose unpickling kills the process, as a crash in an extension type's unpickler would."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os._exit, (4,))


def reports(n: int) -> list[Report]:
    return [Report(f"r{i}", f"text {i}", {"path": None, "format": "api"}) for i in range(n)]


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, rather than hang, a test whose run deadlocks."""
    def hung(signum: int, frame: FrameType | None) -> None:
        pytest.fail("the run hung")  # not TimeoutError: that is an OSError, which the pool handles

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(("how", "error_type"), [
    ("os_exit", "worker_crashed"),
    ("segfault", "worker_crashed"),
    ("system_exit", "processing_error"),
])
def test_a_worker_dying_on_one_report_costs_that_report_only(how: str, error_type: str) -> None:
    out = list(parallel_records(reports(40), jobs=2, extractor=StandIn({"r7": how})))
    assert [r["id"] for r in out] == [f"r{i}" for i in range(40)]
    assert [(r["id"], r["error"]["type"]) for r in out if r["status"] != "ok"] == [("r7", error_type)]


def test_a_crash_record_says_how_the_worker_died() -> None:
    out = list(parallel_records(reports(3), jobs=2, extractor=StandIn({"r1": "segfault"})))
    assert out[1]["error"]["message"] == "the worker process died on this report (killed by signal 11)"


def test_every_report_can_crash_its_worker() -> None:
    crash = {f"r{i}": "os_exit" for i in range(0, 12, 2)}
    out = list(parallel_records(reports(12), jobs=2, extractor=StandIn(crash)))
    assert [r["status"] for r in out] == ["error", "ok"] * 6


def test_a_report_over_the_timeout_gets_an_error_record_and_the_run_goes_on() -> None:
    start = time.monotonic()
    out = list(parallel_records(reports(10), jobs=2, extractor=StandIn({"r3": "hang"}), timeout=1))
    assert time.monotonic() - start < 30
    assert [(r["id"], r["status"]) for r in out if r["status"] != "ok"] == [("r3", "error")]
    assert out[3]["error"]["type"] == "report_timeout"


def test_timeout_with_one_job_uses_a_worker_process() -> None:
    out = list(records(reports(3), jobs=1, extractor=StandIn({"r1": "hang"}), timeout=1))  # type: ignore[arg-type]
    assert [r["status"] for r in out] == ["ok", "error", "ok"]


def test_records_come_back_in_input_order_when_an_early_one_is_slow() -> None:
    class SlowFirst(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            if report.id == "r0":
                time.sleep(1)
            return super().record_for(report)

    out = list(parallel_records(reports(30), jobs=2, extractor=SlowFirst()))
    assert [r["id"] for r in out] == [f"r{i}" for i in range(30)]
    assert len({r["pid"] for r in out}) == 2  # both workers took part


def test_work_in_flight_is_bounded() -> None:
    """Reports are read only as fast as records leave: memory does not grow with the input."""
    pulled = 0

    def source() -> Iterator[Report]:
        nonlocal pulled
        for report in reports(2000):
            pulled += 1
            yield report

    most_ahead = 0
    for yielded, _ in enumerate(parallel_records(source(), jobs=2, extractor=StandIn()), start=1):
        most_ahead = max(most_ahead, pulled - yielded)
    assert yielded == 2000
    assert most_ahead <= 2 * WINDOW_PER_JOB + 2


def test_stopping_the_run_stops_the_workers() -> None:
    stream = parallel_records(reports(1000), jobs=2, extractor=StandIn({"r5": "hang"}))
    first = next(stream)
    children = mp.active_children()
    assert first["id"] == "r0" and len(children) >= 2
    stream.close()  # what an interrupted run does
    assert all(not child.is_alive() for child in children)


def test_a_signal_to_the_whole_process_group_is_left_to_the_parent() -> None:
    """Ctrl-C in a terminal or a batch system's SIGTERM reaches the workers too: not a crash."""
    class Slow(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            time.sleep(0.3)  # so each worker holds a report when the signals come
            return super().record_for(report)

    stream = parallel_records(reports(40), jobs=2, extractor=Slow())
    first = next(stream)
    for child in mp.active_children():
        os.kill(child.pid, signal.SIGTERM)  # type: ignore[arg-type]
        os.kill(child.pid, signal.SIGINT)  # type: ignore[arg-type]
    rest = list(stream)
    assert [r["status"] for r in [first, *rest]] == ["ok"] * 40


def test_workers_are_replaced_after_a_number_of_reports() -> None:
    """spaCy's vocabulary grows with every new word: a fresh worker keeps memory flat."""
    out = list(parallel_records(reports(30), jobs=1, extractor=StandIn(), recycle_after=10))
    pids = [r["pid"] for r in out]
    assert [len(set(pids[i : i + 10])) for i in (0, 10, 20)] == [1, 1, 1]
    assert len(set(pids)) == 3


def test_the_report_a_worker_was_on_gets_the_blame_not_those_it_finished_before_it() -> None:
    out = list(parallel_records(reports(12), jobs=1, extractor=StandIn({"r6": "os_exit"})))
    assert [r["id"] for r in out] == [f"r{i}" for i in range(12)]
    assert [(r["id"], r["error"]["type"]) for r in out if r["status"] != "ok"] == [("r6", "worker_crashed")]


@pytest.mark.parametrize("how", ["os_exit", "hang"])
def test_the_replacement_of_a_worker_redoes_only_the_reports_it_never_finished(how: str) -> None:
    """The parent is rung for records only every few, but each is written as soon as it is made:
    those finished before a crash or a timeout are read from the pipe, not made again."""
    out = list(parallel_records(reports(8), jobs=1, extractor=StandIn({"r3": how}), timeout=1))
    assert [r["status"] for r in out] == ["ok"] * 3 + ["error"] + ["ok"] * 4
    assert len({r["pid"] for r in out[:3]}) == 1
    assert out[0]["pid"] not in {r["pid"] for r in out[4:]}


def test_records_finished_before_a_hung_report_arrive_long_before_it_times_out() -> None:
    stream = parallel_records(reports(6), jobs=1, extractor=StandIn({"r3": "hang"}), timeout=60)
    start = time.monotonic()
    first = [next(stream)["id"] for _ in range(3)]
    waited = time.monotonic() - start
    stream.close()
    assert first == ["r0", "r1", "r2"]
    assert waited < 10


def test_records_finished_before_a_slow_report_do_not_wait_for_it() -> None:
    class SlowFourth(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            if report.id == "r3":
                time.sleep(3)
            return super().record_for(report)

    stream = parallel_records(reports(6), jobs=1, extractor=SlowFourth())
    start = time.monotonic()
    first = [next(stream)["id"] for _ in range(3)]
    waited = time.monotonic() - start
    rest = [r["id"] for r in stream]
    assert first == ["r0", "r1", "r2"] and rest == ["r3", "r4", "r5"]
    assert waited < 2


def test_a_report_that_kills_its_worker_while_being_unpickled_gets_the_blame() -> None:
    batch = reports(12)
    batch[5] = Report("r5", "text 5", {"path": None, "format": "api"}, fields={"x": DiesWhenUnpickled()})
    out = list(parallel_records(batch, jobs=2, extractor=StandIn()))
    assert [(r["id"], r["error"]["type"]) for r in out if r["status"] != "ok"] == [("r5", "worker_crashed")]


def test_workers_that_die_before_taking_a_report_cost_the_reports_not_the_run(
    monkeypatch: pytest.MonkeyPatch, no_hang: None
) -> None:
    """A worker that cannot start (a spawned one whose pipeline fails to build, say) is not
    replaced forever: each report ends with an error record."""
    monkeypatch.setattr(pool, "ignore_in_worker", lambda: os._exit(5))  # the first thing a worker does
    out = list(parallel_records(reports(4), jobs=2, extractor=StandIn()))
    assert [r["error"]["type"] for r in out] == ["worker_crashed"] * 4


def test_a_timeout_counts_from_when_the_worker_started_the_report() -> None:
    """A report queued in a busy worker is not on the clock while it waits its turn."""
    class Slowish(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            time.sleep(0.3)
            return super().record_for(report)

    out = list(parallel_records(reports(8), jobs=1, extractor=Slowish(), timeout=1))  # the last starts at 2.1 s
    assert [r["status"] for r in out] == ["ok"] * 8


def test_reports_and_records_bigger_than_the_pipes_do_not_jam_them(no_hang: None) -> None:
    """A busy worker is not reading: a write to it that could block would wait for a worker that
    is itself waiting for the parent to read its records."""
    big = [Report(f"r{i}", f"{i} " + "x" * 300_000, {"path": None, "format": "api"}) for i in range(40)]
    out = list(parallel_records(big, jobs=2, extractor=Echo()))
    assert [r["text"] for r in out] == [r.text for r in big]


@pytest.mark.parametrize("jobs", [1, 2])
def test_encoded_batches_are_the_encoded_records_in_order_in_runs_of_ready_ones(jobs: int) -> None:
    """What `extract` writes, one write a run: the same lines, in input order, no run empty."""
    class NoPid(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            return {**super().record_for(report), "pid": 0}

    crash = {"r5": "os_exit"} if jobs > 1 else {}
    one_by_one = list(encoded_records(reports(40), jobs=jobs, extractor=NoPid(crash), isolate=True))  # type: ignore[arg-type]
    runs = list(encoded_batches(reports(40), jobs=jobs, extractor=NoPid(crash)))  # type: ignore[arg-type]
    assert all(runs) and len(runs) < 40
    assert [e.line for run in runs for e in run] == [e.line for e in one_by_one]
    assert [e.id for e in one_by_one] == [f"r{i}" for i in range(40)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_encoded_records_are_the_lines_of_the_records_with_their_failures(jobs: int) -> None:
    """What `extract` writes: workers encode the records, the parent those of crashed workers."""
    class Plain(StandIn):
        def record_for(self, report: Report) -> dict[str, Any]:
            super().record_for(report)
            if report.id == "r2":
                return error_record(report.id, report.source, "empty_report", "report has no text", ())
            return {"id": report.id, "status": "ok"}

    crash = {"r5": "os_exit"} if jobs > 1 else {}
    plain = list(records(reports(9), jobs=jobs, extractor=Plain(crash)))  # type: ignore[arg-type]
    encoded = list(encoded_records(reports(9), jobs=jobs, extractor=Plain(crash)))  # type: ignore[arg-type]
    assert [e.line for e in encoded] == [dumps(r) for r in plain]
    failures = [(e.id, e.error) for e in encoded if e.error is not None]
    assert failures == [(r["id"], r["error"]["message"]) for r in plain if r["status"] != "ok"]
    assert [i for i, _ in failures] == (["r2", "r5"] if jobs > 1 else ["r2"])
