"""Process a stream of reports in input order, on one core or in crash-isolated worker processes.

``--jobs 1`` runs in this process; ``--jobs N`` (or a per-report ``timeout``) uses
:mod:`reportnlp.pool`, where a worker that dies costs only the report it held. Both give the
same records, byte for byte.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportnlp.inputs import Report

if TYPE_CHECKING:
    from reportnlp.extract import Extractor


def build_extractor(patterns: str | Path | None = None, *, debug: bool = False) -> Extractor:
    """Build the pipeline (raises RuleError for a rule spaCy rejects), printing the traceback of
    every failed report to stderr when ``debug`` (report text may appear there)."""
    from reportnlp.extract import Extractor

    if not debug:
        return Extractor(patterns)

    class DebugExtractor(Extractor):
        def _build(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            try:
                return super()._build(*args, **kwargs)
            except Exception:
                traceback.print_exc(file=sys.stderr)
                raise

    return DebugExtractor(patterns)


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
    patterns = str(patterns) if patterns else None
    if jobs <= 1 and not timeout:
        ready = extractor or build_extractor(patterns, debug=debug)
        return (ready.record_for(report) for report in reports)
    from reportnlp.pool import parallel_records

    return parallel_records(reports, jobs=jobs, extractor=extractor, patterns=patterns, timeout=timeout, debug=debug)
