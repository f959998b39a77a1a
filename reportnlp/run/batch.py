"""Process a stream of reports in input order, on one core or in crash-isolated worker processes.

With a per-report ``timeout`` (the command's default, :mod:`reportnlp.run.budget`) or ``jobs`` > 1
the reports go to :mod:`reportnlp.run.pool`, where a worker that dies or overruns costs only the
report it was on (with ``--jobs 1``, one worker: the command reads and writes while it works, which
is as fast as running here; ``docs/robustness.md``). Without either (``--timeout 0 --jobs 1``, the
Python API) they run in this process, whose pipeline is rebuilt every 5,000 reports. All give the same records, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reportnlp.inputs import Report
from reportnlp.run.output import EncodedRecord, encode

if TYPE_CHECKING:
    from reportnlp.run.extractor import Extractor

T = TypeVar("T")


def build_extractor(patterns: str | Path | None = None, *, debug: bool = False) -> Extractor:
    """Build the pipeline (raises RuleError for a rule spaCy rejects); ``debug`` as in Extractor."""
    from reportnlp.run.extractor import Extractor

    return Extractor(patterns, debug=debug)


def records(
    reports: Iterable[Report],
    *,
    patterns: str | Path | None = None,
    jobs: int = 1,
    extractor: Extractor | None = None,
    timeout: float | None = None,
    debug: bool = False,
) -> Iterator[dict[str, Any]]:
    """One record per report, in input order. The pipeline (or the workers) is ready when this
    returns; pass ``extractor`` to reuse one already built. Close the iterator to stop early."""
    from reportnlp.run.pool import keep_record

    return _finished(reports, keep_record, patterns, jobs, extractor, timeout, debug)


def encoded_records(
    reports: Iterable[Report],
    *,
    patterns: str | Path | None = None,
    jobs: int = 1,
    extractor: Extractor | None = None,
    timeout: float | None = None,
    debug: bool = False,
) -> Iterator[EncodedRecord]:
    """:func:`records` as the lines to write: with ``jobs`` > 1 the workers encode them, which
    spares the parent, the one process every record passes through, unpickling and encoding."""
    return _finished(reports, encode, patterns, jobs, extractor, timeout, debug)


def in_process(reports: Iterable[Report], extractor: Extractor, patterns: str | None, debug: bool,
               rebuild_after: int | None = None) -> Iterator[dict[str, Any]]:
    """Records made in this process. spaCy's vocabulary keeps every distinct word it has seen
    (dates, accession numbers: about 1 kB each), so every ``rebuild_after`` reports (the pool's
    RECYCLE_AFTER) the pipeline is built afresh, which costs about a second and keeps memory flat;
    records are the same, byte for byte (nothing in a record depends on the words seen before)."""
    from reportnlp.run.pool import RECYCLE_AFTER

    every = rebuild_after or RECYCLE_AFTER
    current = extractor
    for count, report in enumerate(reports):
        if count and count % every == 0:
            current = extractor = None  # type: ignore[assignment]  # let the old pipeline go first
            current = build_extractor(patterns, debug=debug)
        yield current.record_for(report)


def _finished(reports: Iterable[Report], finish: Callable[[dict[str, Any]], T], patterns: str | Path | None,
              jobs: int, extractor: Extractor | None, timeout: float | None, debug: bool) -> Iterator[T]:
    patterns = str(patterns) if patterns else None
    if jobs <= 1 and not timeout:
        ready = extractor or build_extractor(patterns, debug=debug)
        return (finish(record) for record in in_process(reports, ready, patterns, debug))
    from reportnlp.run.pool import parallel_records

    return parallel_records(reports, jobs=jobs, extractor=extractor, patterns=patterns, timeout=timeout, debug=debug,
                            finish=finish)
