"""``--jobs`` left out: one worker for a small run, else one per core (capped); records identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportnlp.cli.extract import ExtractOptions, small_run_count
from reportnlp.inputs import count_reports
from reportnlp.run import jobs
from reportnlp.run.jobs import MAX_DEFAULT_JOBS, SMALL_RUN, default_jobs

from .conftest import CORPUS, PACKAGE_ROOT


@pytest.mark.parametrize("cores", [1, 2, 4, 64])
def test_a_small_run_gets_one_worker_whatever_the_cores(cores: int) -> None:
    assert default_jobs(SMALL_RUN, cores) == 1
    assert default_jobs(1, cores) == 1


@pytest.mark.parametrize(("cores", "expected"),
                         [(1, 1), (2, 2), (3, 3), (MAX_DEFAULT_JOBS, MAX_DEFAULT_JOBS), (64, MAX_DEFAULT_JOBS)])
def test_a_larger_run_gets_one_worker_per_core_up_to_the_cap(cores: int, expected: int) -> None:
    assert default_jobs(SMALL_RUN + 1, cores) == expected
    assert default_jobs(1_000_000, cores) == expected


def test_a_run_of_unknown_size_is_taken_to_be_large() -> None:
    assert default_jobs(None, 4) == 4


def test_cores_are_those_this_process_may_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 5, 7}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert jobs.available_cores() == 3


def test_without_an_affinity_the_machines_cores_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert jobs.available_cores() == 6


def test_stdin_read_as_text_is_one_report_and_a_stream_is_unknown() -> None:
    assert small_run_count(ExtractOptions(inputs=["-"])) == 1
    assert small_run_count(ExtractOptions(inputs=["-"], input_format="jsonl")) is None
    assert small_run_count(ExtractOptions(inputs=["-"], input_format="csv")) is None


def test_files_and_folders_are_counted(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("No fracture.", encoding="utf-8")
    (tmp_path / "r.jsonl").write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    options = ExtractOptions(inputs=[str(tmp_path), str(tmp_path / "r.jsonl"), "-"])
    assert small_run_count(options) == 3 + 2 + 1


def test_a_count_asked_only_whether_a_run_is_small_stops_reading_early(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_bytes(b'{"id": "a", "text": "No acute fracture."}\n' * 100_000)  # about 4 MB
    early = count_reports([str(big)], stop_above=SMALL_RUN)
    assert early is not None and SMALL_RUN < early < 100_000
    assert count_reports([str(big)]) == 100_000


def test_a_folder_count_stops_once_past_the_limit(tmp_path: Path) -> None:
    for i in range(SMALL_RUN * 3):
        (tmp_path / f"{i}.txt").write_text("x", encoding="utf-8")
    early = count_reports([str(tmp_path)], stop_above=SMALL_RUN)
    assert early is not None and SMALL_RUN < early < SMALL_RUN * 3


SPY = """
import sys
import reportnlp.cli.extract as extract
import reportnlp.run.batch as batch
extract.available_cores = lambda: 3
real = batch.encoded_batches
def spy(*args, **kwargs):
    sys.stderr.write(f"jobs={kwargs['jobs']}\\n")
    return real(*args, **kwargs)
batch.encoded_batches = spy
sys.argv = ["reportnlp", *sys.argv[1:]]
from reportnlp.cli.app import main
main()
"""


def _extract(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", SPY, "extract", *args], capture_output=True, env=env, timeout=300,
                          check=False)


@pytest.mark.slow
def test_the_default_uses_the_cores_and_writes_the_records_of_jobs_1() -> None:
    assert len(list(CORPUS.glob("*.txt"))) > SMALL_RUN
    default = _extract(str(CORPUS))
    one = _extract(str(CORPUS), "--jobs", "1")
    assert default.returncode == one.returncode == 0
    assert b"jobs=3" in default.stderr and b"jobs=1" in one.stderr
    assert default.stdout == one.stdout and default.stdout.count(b"\n") == len(list(CORPUS.glob("*.txt")))


@pytest.mark.slow
def test_a_small_run_by_default_uses_one_worker() -> None:
    done = _extract(str(CORPUS / "spine_mets_01.txt"))
    assert done.returncode == 0 and b"jobs=1" in done.stderr
