"""Every engine gives each report a time budget by default (#17.2): a report that overruns costs one
`report_timeout` record, never a stalled run. The pool kills the worker; engines whose workers may
not fork (Dask, Spark) use the in-thread watchdog."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from reportnlp.engines import partition_task
from reportnlp.engines.partitions import plan
from reportnlp.engines.rule_bundle import RuleBundle
from reportnlp.inputs import Report
from reportnlp.run.budget import (
    DEFAULT_TIMEOUT,
    ReportOverBudget,
    Watchdog,
    record_within,
    report_budget,
    resolve_timeout,
)
from reportnlp.run.pool import parallel_records
from tests.conftest import PACKAGE_ROOT


def spin(seconds: float) -> None:
    """Python code that runs on (as a pathological rule or input could), checking nothing."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1


class Spinner:
    """A stand-in extractor: spins (in Python) on a report whose text holds SPIN."""

    def __init__(self, seconds: float = 30) -> None:
        self.seconds = seconds

    def record_for(self, report: Report) -> dict[str, Any]:
        if report.text and "SPIN" in report.text:
            spin(self.seconds)
        return {"id": report.id, "status": "ok", "error": None}


def report(rid: str, text: str) -> Report:
    return Report(rid, text, {"path": None, "format": "api"})


def test_the_default_budget_and_zero_for_none() -> None:
    assert resolve_timeout(None) == DEFAULT_TIMEOUT == 60
    assert resolve_timeout(0) is None
    assert resolve_timeout(2.5) == 2.5


def test_the_budget_grows_with_the_report_beyond_a_million_characters() -> None:
    assert report_budget(60, "x" * 10) == 60
    assert report_budget(60, None) == 60
    assert report_budget(60, "x" * 1_000_000) == 60
    assert report_budget(60, "x" * 3_000_000) == 180


def test_the_watchdog_stops_python_code_that_runs_over() -> None:
    dog = Watchdog()
    start = time.monotonic()
    with pytest.raises(ReportOverBudget), dog.limit(0.2):
        spin(30)
    assert time.monotonic() - start < 5
    with dog.limit(5):  # the next report starts with a fresh budget, and nothing is left pending
        spin(0.05)
    spin(0.3)


def test_a_finished_body_never_gets_a_late_exception() -> None:
    dog = Watchdog()
    for _ in range(200):
        with dog.limit(0.001):
            sum(range(200))
    spin(0.1)  # a pending exception would land here


def test_record_within_gives_a_timeout_record_and_goes_on() -> None:
    dog, spinner = Watchdog(), Spinner()
    late = record_within(spinner, report("r1", "SPIN"), 0.2, dog)
    assert (late["status"], late["error"]["type"]) == ("error", "report_timeout")
    assert late["error"]["message"] == "processing took longer than 0.2 seconds; stopped"
    assert record_within(spinner, report("r2", "fine"), 0.2, dog)["status"] == "ok"
    assert record_within(spinner, report("r3", "fine"), None, dog)["status"] == "ok"


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="workers inherit the stand-in by fork")
def test_the_pool_gives_a_longer_report_a_longer_budget() -> None:
    """0.4 s per million characters: a 3-million-character report may take 1.2 s, a short one 0.4 s."""
    items = [report("short", "SPIN"), report("long", "SPIN " + "x" * 3_000_000)]
    out = list(parallel_records(items, jobs=1, extractor=Spinner(0.8), timeout=0.4))
    assert [(r["id"], r["status"]) for r in out] == [("short", "error"), ("long", "ok")]
    assert out[0]["error"]["type"] == "report_timeout"


def test_a_dask_partition_gives_the_slow_report_a_timeout_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name, text in {"a.txt": "ok", "b.txt": "SPIN", "c.txt": "ok"}.items():
        (tmp_path / "in" / name).write_text(text)
    monkeypatch.setattr(partition_task, "worker_extractor", lambda bundle: Spinner())
    result = partition_task.run_partition(next(plan([str(tmp_path / "in")])), RuleBundle.from_folder(), None,
                                          1_000_000, False, 0.3)
    records = [orjson.loads(line) for line in (result.lines or b"").splitlines()]
    assert [(r["id"], r["status"]) for r in records] == [("a.txt", "ok"), ("b.txt", "error"), ("c.txt", "ok")]
    assert result.failed == [("b.txt", "processing took longer than 0.3 seconds; stopped")]


# The command: `--jobs 1` has the default budget too (DEFAULT_TIMEOUT lowered to 1 s for the test),
# in a worker process; `--timeout 0` has no budget (the worker is still a separate process).
SPIN_PATCH = """
import os, time
def patch(orig):
    def record_for(self, report):
        if report.text and "SPIN" in report.text:
            end = time.monotonic() + (1.5 if "briefly" in report.text else 60)
            while time.monotonic() < end:
                pass
        record = orig(self, report)
        record["pid"] = os.getpid()
        return record
    return record_for
from reportnlp.run.extractor import Extractor
Extractor.record_for = patch(Extractor.record_for)
import reportnlp.run.budget
reportnlp.run.budget.DEFAULT_TIMEOUT = 1.0
"""


def run_patched(*args: str) -> tuple[subprocess.CompletedProcess[bytes], int]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    code = f"{SPIN_PATCH}\nfrom reportnlp.cli.app import main\nmain()\n"
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, errs = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, errs), proc.pid


@pytest.mark.slow
def test_jobs_1_has_a_default_budget_in_a_worker_process_and_timeout_0_none(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("FINDINGS: No fracture.")
    (tmp_path / "b.txt").write_text("FINDINGS: SPIN")
    run, pid = run_patched("extract", str(tmp_path), "--no-progress")
    records = [orjson.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1
    assert [(r["id"], r["status"]) for r in records] == [("a.txt", "ok"), ("b.txt", "error")]
    assert records[1]["error"]["type"] == "report_timeout"
    assert records[0]["pid"] != pid  # in a worker process
    (tmp_path / "b.txt").write_text("FINDINGS: SPIN briefly")
    run, pid = run_patched("extract", str(tmp_path), "--no-progress", "--timeout", "0", "--jobs", "1")
    assert run.returncode == 0  # the 1.5 s report is not stopped
    assert pid not in {orjson.loads(line)["pid"] for line in run.stdout.splitlines()}
