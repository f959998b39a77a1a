"""Run partitions on a Dask cluster: connect (or start a local one), keep it fed, hand results back.

Fault tolerance is Dask's: when a worker dies, the scheduler gives the tasks it held to another
worker; a partition whose workers die ``distributed.scheduler.allowed-failures`` + 1 times (4 by
default: a report that kills every worker) fails with ``KilledWorker``. Tasks are idempotent (see
:mod:`reportnlp.engines.partition_task`), so a retried partition writes the same part file. At most two
partitions per worker thread are in flight (CSV and JSONL partitions carry their text), so the
client's memory stays flat on any input size. Needs ``distributed`` (``pip install 'reportnlp[dask]'``).
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from reportnlp.engines.feeding import feed
from reportnlp.engines.partition_task import PartitionResult, run_partition
from reportnlp.engines.partitions import Partition
from reportnlp.run.signals import Interrupted

IN_FLIGHT_PER_THREAD = 2


class EngineError(Exception):
    """The cluster cannot be used (unreachable scheduler, a local cluster that does not start); one line."""


class QuietStdout(WorkerPlugin):
    """A local cluster's workers share the command's stdout, which carries records: nothing else may
    reach it (a worker that a library makes print would corrupt ``-o -``)."""

    def setup(self, worker: Any) -> None:
        devnull = Path(os.devnull).open("w")  # kept open for the life of the process
        os.dup2(devnull.fileno(), 1)
        sys.stdout = devnull


@dataclass
class Cluster:
    client: Client
    local: LocalCluster | None = None

    @property
    def dashboard(self) -> str | None:
        try:
            return self.client.dashboard_link
        except Exception:  # no dashboard service on this scheduler
            return None

    @property
    def threads(self) -> int:
        return sum(self.client.nthreads().values())

    def describe(self) -> str:
        workers = len(self.client.nthreads())
        where = "local Dask cluster" if self.local is not None else f"Dask scheduler {self.client.scheduler.address}"
        line = f"{where}, {workers} worker{'s' * (workers != 1)} ({self.threads} threads)"
        if workers == 0:
            line += "; no workers yet: tasks wait for one to join"
        dashboard = self.dashboard
        return f"{line}; dashboard: {dashboard}" if dashboard else line

    def close(self) -> None:
        self.client.close()
        if self.local is not None:  # never shut down a cluster we only connected to
            self.local.close()


DASHBOARD = "127.0.0.1:8787"  # a local cluster's dashboard: loopback only, like its scheduler and workers


def connect(scheduler: str | None, workers: int, *, debug: bool = False, dashboard: str = DASHBOARD) -> Cluster:
    """A client of the scheduler at ``scheduler``, or of a new local cluster of ``workers`` processes
    with one thread each (scheduler and workers on loopback, the dashboard at ``dashboard``:
    ``host:port``; Dask's own default, ``:8787``, would listen on every interface)."""
    if scheduler:
        try:
            return Cluster(Client(scheduler, timeout="15s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"--scheduler {scheduler}: cannot connect ({type(exc).__name__})") from None
    try:
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                             dashboard_address=dashboard, silence_logs=logging.WARNING if debug else logging.CRITICAL)
    except Exception as exc:
        raise EngineError(f"--workers {workers}: the local Dask cluster did not start ({type(exc).__name__})") from None
    client = Client(local)
    client.register_plugin(QuietStdout(), name="reportnlp-quiet-stdout")
    return Cluster(client, local)


def _failure(exc: BaseException, debug: bool) -> str:
    if type(exc).__name__ == "KilledWorker":
        tries = getattr(exc, "allowed_failures", 0) + 1
        return f"the workers running it died {tries} times (KilledWorker); see the workers' logs"
    return f"{type(exc).__name__}: {exc}" if debug else f"the task failed ({type(exc).__name__})"


def check_pipeline(cluster: Cluster, bundle: Any) -> str | None:
    """Why the rules cannot run on the cluster, from one worker that builds the pipeline (and keeps it
    for its partitions), or None: a rule spaCy rejects is found before any partition runs. Raises
    EngineError when the cluster cannot run the check at all."""
    from reportnlp.engines.partition_task import check_pipeline as build

    future = cluster.client.submit(build, bundle, key=f"reportnlp-{uuid.uuid4().hex[:8]}-check", pure=False)
    try:
        return future.result()
    except (KeyboardInterrupt, SystemExit, Interrupted):
        raise
    except BaseException as exc:  # not the rules: the cluster could not run the check
        raise EngineError(f"checking the rules on a worker: {_failure(exc, debug=False)}") from None
    finally:
        future.release()


def results(cluster: Cluster, partitions: Iterable[Partition], *, bundle: Any, out_dir: str | None,
            max_bytes: int, ordered: bool = False, debug: bool = False,
            timeout: float | None = None) -> Iterator[tuple[Partition, PartitionResult]]:
    """Each partition with its result, as they finish (in partition order when ``ordered``); each
    report within ``timeout`` per million characters (None: no limit). A task
    that Dask gives up on comes back as a result with ``error`` set. Closing the iterator cancels
    the partitions still in flight."""
    client, run = cluster.client, uuid.uuid4().hex[:8]
    waiting = as_completed()

    def submit(partition: Partition) -> Any:
        future = client.submit(run_partition, partition, bundle, out_dir, max_bytes, debug, timeout,
                               key=f"reportnlp-{run}-{partition.name}", pure=False)
        waiting.add(future)
        return future

    def outcome(future: Any) -> PartitionResult:
        try:
            return future.result()
        finally:
            future.release()

    def failed(partition: Partition, exc: BaseException) -> PartitionResult:
        # KilledWorker, a cancelled task (a BaseException), a lost scheduler
        crashed = type(exc).__name__ == "KilledWorker"
        return PartitionResult(partition.index, worker="", error=_failure(exc, debug),
                               error_type="worker_crashed" if crashed else "processing_error")

    return feed(partitions, submit=submit, next_done=lambda: next(waiting), outcome=outcome, failed=failed,
                limit=lambda: max(cluster.threads, 1) * IN_FLIGHT_PER_THREAD, cancel=client.cancel, ordered=ordered)
