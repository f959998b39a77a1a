"""Keep a cluster fed with partitions, a few at a time, and hand their results back: engine-neutral.

An engine (:mod:`reportnlp.engines.dask_engine`, :mod:`reportnlp.engines.spark_engine`) says how to
submit one partition and how to wait for the next one that finishes; this loop keeps at most
``limit()`` partitions in flight (CSV and JSONL partitions carry their text, so the client's memory
stays flat on any input size), yields each partition with its result as it finishes, or in partition
order when ``ordered``, and cancels what is still in flight when it is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reportnlp.engines.partition_task import PartitionResult
from reportnlp.engines.partitions import Partition
from reportnlp.run.signals import Interrupted


def feed(partitions: Iterable[Partition], *, submit: Callable[[Partition], Any], next_done: Callable[[], Any],
         outcome: Callable[[Any], PartitionResult], failed: Callable[[Partition, BaseException], PartitionResult],
         limit: Callable[[], int], cancel: Callable[[list[Any]], None],
         ordered: bool = False) -> Iterator[tuple[Partition, PartitionResult]]:
    """Each partition with its result. ``submit`` starts one and returns its handle, ``next_done``
    blocks until a handle finishes and returns it, ``outcome`` reads its result (and may raise:
    ``failed`` turns that into a result with ``error`` set), ``cancel`` drops handles still running."""
    pending: dict[Any, Partition] = {}
    finished: dict[int, tuple[Partition, PartitionResult]] = {}
    source = iter(partitions)
    order: list[int] = []  # indices submitted, for ordered output
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) + len(finished) < limit():
                partition = next(source, None)
                if partition is None:
                    exhausted = True
                    break
                pending[submit(partition)] = partition
                order.append(partition.index)
            if not pending:
                return
            handle = next_done()
            partition = pending.pop(handle)
            try:
                result = outcome(handle)
            except (KeyboardInterrupt, SystemExit, Interrupted):
                raise
            except BaseException as exc:  # the engine gave up on it (a dead worker, a cancelled task)
                result = failed(partition, exc)
            if not ordered:
                yield partition, result
                continue
            finished[partition.index] = (partition, result)
            while order and order[0] in finished:
                yield finished.pop(order.pop(0))
    finally:
        if pending:
            cancel(list(pending))
