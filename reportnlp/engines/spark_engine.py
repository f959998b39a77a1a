"""Run reportnlp on Apache Spark: the partitions of ``reportnlp extract --engine spark``, and
:func:`extract_df` for a DataFrame of reports.

Both run ``mapPartitions`` functions in the executors' Python workers, which build the pipeline on
their first partition and reuse it (:func:`reportnlp.engines.rule_bundle.worker_extractor`, through
``reportnlp.run.extractor_cache``; Spark reuses its Python workers by default). The rule files travel
with every task, packed by the driver and hash-checked by the worker, as with Dask
(:mod:`reportnlp.engines.rule_bundle`). Each report is guarded as on a Dask worker: a report the pipeline
fails on gets an error record (:meth:`reportnlp.run.extractor.Extractor.record_for`), never a failed task.

The command runs the reportnlp partitions in waves, each a Spark job of one task per partition, two
waves at a time, so that results come back wave by wave (the manifest, ``--resume`` and the part files
are the Dask engine's: :mod:`reportnlp.engines.partition_task`) and the driver's memory stays flat. Fault tolerance
is Spark's: a task whose Python worker or executor dies is retried (``spark.task.maxFailures``, 4 by
default; the local master here is ``local[N,4]`` so that local runs retry too), and a partition that
fails every try comes back with ``error`` set. Needs ``pyspark`` (``pip install 'reportnlp[spark]'``)
and a Java runtime.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportnlp.engines.feeding import feed
from reportnlp.engines.partition_task import PartitionResult, run_partition
from reportnlp.engines.partition_task import check_pipeline as build_pipeline
from reportnlp.engines.partitions import Partition
from reportnlp.engines.rule_bundle import RuleBundle
from reportnlp.run.signals import Interrupted

if TYPE_CHECKING:
    from pyspark import SparkContext
    from pyspark.sql import DataFrame, SparkSession

WAVE_PER_CORE = 4  # partitions per task slot in one Spark job
WAVES_IN_FLIGHT = 2
TASK_TRIES = 4  # Spark's default spark.task.maxFailures, also for the local master


class EngineError(Exception):
    """Spark cannot be used (no Java, a master that does not answer); one line."""


@dataclass
class Cluster:
    session: SparkSession
    owned: bool  # started by us (stopped by close), or a session that was already running

    @property
    def context(self) -> SparkContext:
        return self.session.sparkContext

    @property
    def cores(self) -> int:
        return max(int(self.context.defaultParallelism), 1)

    def describe(self) -> str:
        master = self.context.master
        where = "local Spark" if master.startswith("local") else "Spark"
        line = f"{where} {master}, {self.cores} cores (Spark {self.context.version})"
        ui = self.context.uiWebUrl
        return f"{line}; UI: {ui}" if ui else line

    def close(self) -> None:
        if self.owned:
            self.session.stop()


def local_master(workers: int) -> str:
    """``local[N,4]``: N task slots in one JVM, each task tried up to 4 times as on a cluster."""
    return f"local[{workers},{TASK_TRIES}]"


@contextmanager
def _jvm_output(debug: bool) -> Iterator[None]:
    """The JVM (and the Python workers it forks) inherit stdout and stderr when it starts: its
    stdout goes to stderr (stdout carries records with ``-o -``), its log lines nowhere without --debug."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(2 if debug else devnull, 1)
        if not debug:
            os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def connect(master: str | None, workers: int, *, debug: bool = False) -> Cluster:
    """A Spark session on ``master`` (``spark://host:7077``, ``yarn``, ``k8s://...``), or on a local
    master of ``workers`` task slots; a session already running in this process is used as it is."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("--engine spark: needs pyspark (pip install 'reportnlp[spark]') and Java") from None

    if master is None:  # a session this process already runs (from any thread): use it, leave it running
        try:
            return Cluster(SparkSession.active(), owned=False)
        except Exception:  # none
            pass
    builder = SparkSession.builder.appName("reportnlp").master(master or local_master(workers))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master is None or master.startswith("local"):  # a local run stays on loopback
        # Its Python workers run this Python (else Spark runs the first python3 on PATH, maybe without reportnlp).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    sigint = signal.getsignal(signal.SIGINT)
    try:
        with _jvm_output(debug):
            session = builder.getOrCreate()
    except Exception as exc:
        what = f"--master {master}" if master else f"--workers {workers}"
        detail = f": {exc}" if debug else ""
        raise EngineError(f"{what}: Spark did not start ({type(exc).__name__}; is Java installed?){detail}") from None
    finally:
        if signal.getsignal(signal.SIGINT) is not sigint:  # SparkContext installs its own Ctrl-C handler
            signal.signal(signal.SIGINT, sigint)
    session.sparkContext.setLogLevel("INFO" if debug else "ERROR")
    return Cluster(session, owned=True)


def _failure(exc: BaseException, debug: bool) -> tuple[str, str]:
    """The error of a partition that Spark gave up on, and its error type; never Spark's message
    (a Python traceback from the worker may quote report text) unless --debug."""
    text = str(exc)
    crashed = "exited unexpectedly" in text or "crashed" in text or "ExecutorLostFailure" in text
    if debug:
        return f"{type(exc).__name__}: {text}", "worker_crashed" if crashed else "processing_error"
    if crashed:
        return (f"the Spark workers running it died {TASK_TRIES} times (spark.task.maxFailures); see the executors' "
                "logs", "worker_crashed")
    if "cancel" in text.lower():
        return "the Spark job was cancelled", "processing_error"
    return f"the Spark task failed ({type(exc).__name__})", "processing_error"


def _partition_task(bundle: RuleBundle, out_dir: str | None, max_bytes: int, debug: bool, timeout: float | None,
                    items: Iterable[Partition]) -> Iterator[PartitionResult]:
    """The ``mapPartitions`` function: each reportnlp partition, run as on a Dask worker: each report
    guarded by ``Extractor.record_for`` and held to its time budget (``timeout`` per million characters,
    :mod:`reportnlp.run.budget`; None: no limit), so one report costs one ``report_timeout`` record."""
    for partition in items:
        yield run_partition(partition, bundle, out_dir, max_bytes, debug, timeout)


def _check_task(bundle: RuleBundle, items: Iterable[Any]) -> Iterator[str | None]:
    for _ in items:
        yield build_pipeline(bundle)


def check_pipeline(cluster: Cluster, bundle: RuleBundle) -> str | None:
    """Why the rules cannot run on the executors, from one Python worker that builds the pipeline
    (and keeps it for the partitions to come), or None. Raises EngineError when Spark cannot run it."""
    try:
        return cluster.context.parallelize([0], 1).mapPartitions(partial(_check_task, bundle)).collect()[0]
    except (KeyboardInterrupt, SystemExit, Interrupted):
        raise
    except Exception as exc:
        raise EngineError(f"checking the rules on an executor: {_failure(exc, debug=False)[0]}") from None


@dataclass(eq=False)
class _Slot:
    """One partition's place in a wave (the handle :func:`reportnlp.engines.feeding.feed` tracks)."""

    wave: Future[list[PartitionResult]]
    position: int


def results(cluster: Cluster, partitions: Iterable[Partition], *, bundle: RuleBundle, out_dir: str | None,
            max_bytes: int, ordered: bool = False, debug: bool = False,
            timeout: float | None = None) -> Iterator[tuple[Partition, PartitionResult]]:
    """Each partition with its result, wave by wave (in partition order when ``ordered``).

    A wave is one Spark job of up to ``WAVE_PER_CORE`` partitions per core, one ``mapPartitions`` task
    each: Spark reuses a Python worker (and its pipeline) from task to task, but not reliably from one
    job to the next (jobs of one task got a new worker each time with Spark 4.3), so a wave costs at
    most one pipeline build per task slot. Two waves are in flight, so the
    slots that finish one wave start on the next. A wave whose job fails (a partition whose Python
    workers died on every try) runs again one partition per job, so that only that partition fails.
    Closing the iterator cancels the jobs still running."""
    context, group = cluster.context, f"reportnlp-{uuid.uuid4().hex[:8]}"
    task = partial(_partition_task, bundle, out_dir, max_bytes, debug, timeout)
    size = cluster.cores * WAVE_PER_CORE
    threads = ThreadPoolExecutor(max_workers=WAVES_IN_FLIGHT, thread_name_prefix="reportnlp-spark")
    finished: queue.Queue[Future[list[PartitionResult]]] = queue.Queue()
    buffered: list[tuple[Partition, _Slot]] = []
    ready: list[_Slot] = []
    slots: dict[Future[list[PartitionResult]], list[_Slot]] = {}
    stopping = threading.Event()

    def job(wave: list[Partition]) -> list[PartitionResult]:
        context.setJobGroup(group, f"reportnlp {wave[0].name}..{wave[-1].name}", interruptOnCancel=True)
        return context.parallelize(wave, len(wave)).mapPartitions(task).collect()

    def run_wave(wave: list[Partition]) -> list[PartitionResult]:
        try:
            return job(wave)
        except Exception:
            if len(wave) == 1 or stopping.is_set():
                raise
        out = []
        for partition in wave:  # find the partition that fails: each alone
            try:
                out.append(job([partition])[0])
            except Exception as exc:
                if stopping.is_set():
                    raise
                out.append(failed(partition, exc))
        return out

    def flush() -> None:
        if not buffered:
            return
        wave = threads.submit(run_wave, [partition for partition, _ in buffered])
        slots[wave] = [slot for _, slot in buffered]
        for _, slot in buffered:
            slot.wave = wave
        buffered.clear()
        wave.add_done_callback(finished.put)

    def submit(partition: Partition) -> _Slot:
        slot = _Slot(None, len(buffered))  # type: ignore[arg-type]  # its wave is set by flush
        buffered.append((partition, slot))
        if len(buffered) >= size:
            flush()
        return slot

    def next_done() -> _Slot:
        if not ready:
            flush()  # the last, partial wave
            ready.extend(slots.pop(finished.get()))
        return ready.pop(0)

    def failed(partition: Partition, exc: BaseException) -> PartitionResult:
        error, kind = _failure(exc, debug)
        return PartitionResult(partition.index, worker="", error=error, error_type=kind)

    def cancel(_: list[_Slot]) -> None:
        stopping.set()
        for wave in slots:
            wave.cancel()
        context.cancelJobGroup(group)

    stream = feed(partitions, submit=submit, next_done=next_done, outcome=lambda slot: slot.wave.result()[slot.position],
                  failed=failed, limit=lambda: size * WAVES_IN_FLIGHT, cancel=cancel, ordered=ordered)
    try:
        yield from stream
    finally:
        stream.close()
        threads.shutdown(wait=False, cancel_futures=True)


def write_parquet(cluster: Cluster, folder: Path) -> Path:
    """``folder/records.parquet`` from the run's part files, with Spark's own writer (``--parquet``):
    one row per record, the record's fields as columns (schema inferred from the records); rewritten
    by each complete run. Rows are not in input order (Spark reads the files largest first)."""
    from reportnlp.records.stream import part_files

    target = (folder / "records.parquet").absolute()
    files = [str(path.absolute()) for path in part_files(folder)]
    cluster.session.read.json(files).write.mode("overwrite").parquet(str(target))
    return target


# --- the Python API: a DataFrame of reports in, a DataFrame of records out ---

def _records_of_rows(bundle: RuleBundle, items: Iterable[Any]) -> Iterator[tuple[str, str, str]]:
    """The ``mapPartitions`` function of :func:`extract_df`: (id, status, JSON line) per row, in order."""
    import orjson

    from reportnlp.engines.partition_task import _quiet
    from reportnlp.engines.rule_bundle import worker_extractor
    from reportnlp.records.assemble import error_record

    with _quiet(False):
        extractor = worker_extractor(bundle)
        for report_id, text in items:
            report_id = str(report_id)
            if isinstance(text, str):
                record = extractor.record_for_text(report_id, text, {"path": None, "format": "api"})
            else:
                record = error_record(report_id, {"path": None, "format": "api"}, "invalid_text_field",
                                      f"text is {type(text).__name__}, not a string")
            yield report_id, record["status"], orjson.dumps(record).decode()


def extract_df(df: DataFrame, text_col: str = "text", id_col: str = "id", *, patterns: str | Path | None = None,
               json_lines: bool = False) -> DataFrame:
    """One record per row of ``df``, in the rows' order: a DataFrame with the columns ``id``,
    ``status`` ('ok' or 'error') and ``record`` (the record as one line of JSON), or with
    ``json_lines=True`` the single column ``value``, which ``.write.text(folder)`` writes as JSON Lines.

    Each record is exactly what ``reportnlp.extract_records([(id, text)])`` gives, byte for byte (and
    what ``reportnlp extract`` gives for the same text, but for ``source``, which is ``{"path": null,
    "format": "api"}``); a text that is null or not a string gives an error record. Lazy, as Spark is:
    the work runs when the result is used (``.write``, ``.collect()``). The rules (built-in, or the
    folder ``patterns`` on the driver) are packed here and travel with the tasks; each executor's
    Python worker builds the pipeline once. Write Parquet with Spark's own writer:
    ``extract_df(df).write.parquet("records.parquet")``.
    """
    bundle = RuleBundle.from_folder(patterns)
    rows = df.select(df[id_col], df[text_col]).rdd.map(tuple)
    lines = rows.mapPartitions(partial(_records_of_rows, bundle))
    session = df.sparkSession
    if json_lines:
        return session.createDataFrame(lines.map(lambda row: (row[2],)), "value string")
    return session.createDataFrame(lines, "id string, status string, record string")

