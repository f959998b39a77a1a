"""Process a stream of reports in input order, on one core or several.

Workers each build the pipeline once and return finished records (plain dicts), never Docs.
``imap`` keeps input order and bounds the work in flight, so memory stays flat.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from reportnlp.inputs import Report

_worker: Any = None
BATCH_PER_JOB = 64


def batched(items: Iterable[Report], size: int) -> Iterator[list[Report]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _init_worker(patterns: str | None) -> None:
    global _worker
    from reportnlp.extract import Extractor

    _worker = Extractor(patterns)


def _work(report: Report) -> dict[str, Any]:
    return _worker.record_for(report)


def records(reports: Iterable[Report], *, patterns: str | Path | None = None, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """One record per report, in input order."""
    patterns = str(patterns) if patterns else None
    if jobs <= 1:
        from reportnlp.extract import Extractor

        extractor = Extractor(patterns)
        for report in reports:
            yield extractor.record_for(report)
        return
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(patterns,)) as pool:
        # Pool.imap reads its input eagerly; feeding bounded batches keeps memory flat.
        for batch in batched(reports, jobs * BATCH_PER_JOB):
            yield from pool.imap(_work, batch, chunksize=4)
