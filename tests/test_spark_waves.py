"""How `--engine spark` sends partitions (no JVM needed: a stand-in SparkContext): waves of 4 per core,
results in partition order, and a wave that fails run again one partition per job so that only the
partition whose workers keep dying fails."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reportnlp.engines import spark_engine
from reportnlp.engines.partition_task import PartitionResult
from reportnlp.engines.partitions import Partition, plan
from tests.conftest import CORPUS, RunCli


class _Context:
    """Runs each job at once in the calling thread; a job holding a ``poison`` partition fails as
    Spark's does when a task's Python workers die on every try."""

    defaultParallelism = 2

    def __init__(self, poison: set[int]) -> None:
        self.poison = poison
        self.jobs: list[list[int]] = []
        self.cancelled: list[str] = []
        self._lock = threading.Lock()

    def setJobGroup(self, group: str, description: str, interruptOnCancel: bool = False) -> None:
        pass

    def cancelJobGroup(self, group: str) -> None:
        self.cancelled.append(group)

    def parallelize(self, items: list[Partition], slices: int) -> _RDD:
        assert slices == len(items)
        return _RDD(self, items)


class _RDD:
    def __init__(self, context: _Context, items: list[Partition]) -> None:
        self.context, self.items = context, items
        self.function: Callable[[Iterable[Partition]], Iterator[PartitionResult]] | None = None

    def mapPartitions(self, function: Callable[[Iterable[Partition]], Iterator[PartitionResult]]) -> _RDD:
        self.function = function
        return self

    def collect(self) -> list[PartitionResult]:
        with self.context._lock:
            self.context.jobs.append([p.index for p in self.items])
        if any(p.index in self.context.poison for p in self.items):
            raise RuntimeError("Job aborted: Task failed 4 times: Python worker exited unexpectedly (crashed)")
        assert self.function is not None
        return [result for item in self.items for result in self.function([item])]


def _fake_task(bundle: Any, out_dir: Any, max_bytes: int, debug: bool, timeout: Any,
               items: Iterable[Partition]) -> Iterator[PartitionResult]:
    for partition in items:
        yield PartitionResult(partition.index, reports=len(partition.items), worker="host:1")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[[set[int]], tuple[_Context, list[tuple[int, PartitionResult]]]]:
    monkeypatch.setattr(spark_engine, "_partition_task", _fake_task)

    def go(poison: set[int]) -> tuple[_Context, list[tuple[int, PartitionResult]]]:
        context = _Context(poison)
        cluster = spark_engine.Cluster(session=type("Session", (), {"sparkContext": context})(), owned=False)
        stream = spark_engine.results(cluster, plan([str(CORPUS)], size=3), bundle=None, out_dir=None,
                                      max_bytes=1000, ordered=True)
        return context, [(partition.index, result) for partition, result in stream]

    return go


def test_partitions_go_in_waves_of_four_per_core_and_come_back_in_order(run: Any) -> None:
    context, results = run(set())
    assert [index for index, _ in results] == list(range(18))  # 52 reports, 3 per partition
    assert all(result.error is None and result.reports == (3 if index < 17 else 1) for index, result in results)
    assert sorted(context.jobs) == [list(range(0, 8)), list(range(8, 16)), [16, 17]]


def test_a_failed_wave_runs_again_one_partition_per_job_and_only_the_poisoned_one_fails(run: Any) -> None:
    context, results = run({5})
    failed = {index: result for index, result in results if result.error is not None}
    assert list(failed) == [5]
    assert failed[5].error_type == "worker_crashed"
    assert failed[5].error.startswith("the Spark workers running it died 4 times")
    assert [index for index, _ in results] == list(range(18))
    assert [[i] for i in range(8)] == [job for job in context.jobs if len(job) == 1]


def test_spark_messages_never_reach_the_manifest_without_debug() -> None:
    error, kind = spark_engine._failure(RuntimeError("Traceback ... report text here ... exited unexpectedly"), False)
    assert "report text" not in error and kind == "worker_crashed"
    error, kind = spark_engine._failure(RuntimeError("ValueError: report text here"), False)
    assert error == "the Spark task failed (RuntimeError)" and kind == "processing_error"




def test_without_pyspark_the_command_says_what_to_install(cli: RunCli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyspark.py").write_text("raise ImportError('not installed')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    run = cli("extract", "corpus_samples/", "--engine", "spark")
    assert run.returncode == 2 and run.stdout == b""
    assert run.stderr.decode() == "reportnlp: error: --engine spark: needs pyspark (pip install 'reportnlp[spark]') and Java\n"
