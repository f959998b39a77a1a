"""Process a stream of reports in input order, on one core or in crash-isolated worker processes.

``extract`` sends every report to :mod:`reportnlp.run.pool` (``isolate``), where a worker that dies
or overruns its time budget (:mod:`reportnlp.run.budget`) costs only the report it was on, and is
replaced every 10,000 reports, which keeps memory flat; with ``--jobs 1`` that is one worker: the
command reads and writes while it works, which is faster than running here (``docs/robustness.md``).
The Python API without ``jobs`` > 1 or a ``timeout`` runs in this process. All give the same records,
byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reportnlp.inputs import Report
from reportnlp.run.output import EncodedRecord, encoded_fields

if TYPE_CHECKING:
    from reportnlp.run.extractor import Extractor

T = TypeVar("T")


def build_extractor(
    patterns: str | Path | None = None, *, debug: bool = False, report_columns: Any = None, matcher: str = "fast"
) -> Extractor:
    """Build the pipeline (raises RuleError for a rule spaCy rejects); ``debug``, ``report_columns``
    (a :class:`reportnlp.records.report_meta.ReportColumns`) and ``matcher`` as in Extractor."""
    from reportnlp.run.extractor import Extractor

    return Extractor(patterns, debug=debug, report_columns=report_columns, matcher=matcher)


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
    isolate: bool = False,
) -> Iterator[EncodedRecord]:
    """:func:`records` as the lines to write: with ``jobs`` > 1 the workers encode them, which
    spares the parent, the one process every record passes through, unpickling and encoding.
    ``isolate`` runs even ``jobs=1`` in a worker process (what ``extract`` does)."""
    return _as_encoded(_finished(reports, encoded_fields, patterns, jobs, extractor, timeout, debug, isolate))


def encoded_batches(
    reports: Iterable[Report],
    *,
    patterns: str | Path | None = None,
    jobs: int = 1,
    extractor: Extractor | None = None,
    timeout: float | None = None,
    debug: bool = False,
) -> Iterator[list[EncodedRecord]]:
    """:func:`encoded_records` of worker processes (even for ``jobs=1``), in the runs that come back together
    (up to a worker's batch): the command writes each run in one call, not a write and a flush per record."""
    from reportnlp.run.pool import parallel_batches

    stream = parallel_batches(reports, jobs=jobs, extractor=extractor, patterns=str(patterns) if patterns else None,
                              timeout=timeout, debug=debug, finish=encoded_fields)
    make = EncodedRecord._make
    try:
        for batch in stream:
            yield [make(fields) for fields in batch]
    finally:
        stream.close()


def _as_encoded(stream: Iterator[tuple[bytes, str, str | None, bool]]) -> Iterator[EncodedRecord]:
    """The workers' plain tuples as EncodedRecords; closing this closes the stream (and stops its workers)."""
    make = EncodedRecord._make
    try:
        for fields in stream:
            yield make(fields)
    finally:
        stream.close()  # type: ignore[attr-defined]


def _finished(reports: Iterable[Report], finish: Callable[[dict[str, Any]], T], patterns: str | Path | None,
              jobs: int, extractor: Extractor | None, timeout: float | None, debug: bool,
              isolate: bool = False) -> Iterator[T]:
    patterns = str(patterns) if patterns else None
    if jobs <= 1 and not timeout and not isolate:
        ready = extractor or build_extractor(patterns, debug=debug)
        return (finish(ready.record_for(report)) for report in reports)
    from reportnlp.run.pool import parallel_records

    return parallel_records(reports, jobs=jobs, extractor=extractor, patterns=patterns, timeout=timeout, debug=debug,
                            finish=finish)
