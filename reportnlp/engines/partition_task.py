"""What a worker runs for one partition: its records, written atomically as ``part-NNNNN.jsonl``.

The task is idempotent, so the engine may run it again when a worker dies: records go to
``.part-NNNNN.jsonl.part`` (locked, flushed record by record) and are renamed into place only when
complete (:class:`reportnlp.run.output.JsonlWriter`), so a part file is whole or absent, and a rerun
writes the same bytes. With no output folder (``-o -``) the records come back to the client instead.

The task never raises for its own failures: it returns them as ``error``, so Dask does not log its
arguments (report text) with a traceback. Messages name exception types, never report text.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from reportnlp.engines.partitions import Partition, partition_reports
from reportnlp.engines.rule_bundle import BundleError, RuleBundle, worker_extractor
from reportnlp.nlp.rules import RuleError
from reportnlp.run.budget import Watchdog, record_within
from reportnlp.run.output import JsonlWriter, OutputError, dumps

# The pipeline is not shared between threads: a worker with several threads runs one partition at
# a time (start workers with one thread each; the engine's local cluster does).
_one_at_a_time = threading.Lock()
_QUIET_LOGGERS = ("spacy", "medspacy", "PyRuSH")
_watchdog = Watchdog()


@dataclass
class PartitionResult:
    index: int
    reports: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (report id, reason) of error records
    empty: int = 0  # empty reports kept as ok records (--empty ok)
    bytes: int = 0
    sha256: str = ""
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lines: bytes | None = None  # the records themselves when there is no output folder
    error: str | None = None  # the partition could not be done
    error_type: str = "processing_error"  # for its reports' error records (-o -): or worker_crashed

    def __repr__(self) -> str:
        return f"PartitionResult({self.index}, {self.reports} reports, error={self.error is not None})"


def run_partition(partition: Partition, bundle: RuleBundle, out_dir: str | None,
                  max_bytes: int, debug: bool = False, timeout: float | None = None) -> PartitionResult:
    """Process one partition with the shipped rules; write ``out_dir/part-NNNNN.jsonl`` or return the lines.
    A report that takes longer than its budget (``timeout`` per million characters; None: no limit)
    gets a ``report_timeout`` record (:class:`reportnlp.run.budget.Watchdog`: a Dask worker is a
    daemon process, which may not start worker processes of its own)."""
    result = PartitionResult(partition.index)
    try:
        with _one_at_a_time, _quiet(debug):
            extractor = worker_extractor(bundle)
            digest = hashlib.sha256()
            lines: list[bytes] = []
            writer = JsonlWriter(str(Path(out_dir) / partition.name)) if out_dir is not None else None
            with writer or nullcontext():
                for report in partition_reports(partition, max_bytes):
                    record = record_within(extractor, report, timeout, _watchdog)
                    line = dumps(record)
                    digest.update(line)
                    result.bytes += len(line)
                    result.reports += 1
                    if record["status"] != "ok":
                        result.failed.append((record["id"], record["error"]["message"]))
                    elif "empty_report" in (record.get("warnings") or ()):
                        result.empty += 1
                    if writer is None:
                        lines.append(line)
                    else:
                        writer.write(record)
            result.sha256 = digest.hexdigest()
            result.lines = b"".join(lines) if writer is None else None
    except (BundleError, RuleError, OutputError) as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug: its message may quote report text, so only its type
        result.error = traceback.format_exc() if debug else f"internal error ({type(exc).__name__})"
    return result


def check_pipeline(bundle: RuleBundle) -> str | None:
    """Build the pipeline from the shipped rules on a worker (and keep it there for the partitions to
    come): None, or why these rules cannot run there (spaCy rejects a rule, another version)."""
    try:
        with _one_at_a_time, _quiet(False):
            worker_extractor(bundle)
    except (BundleError, RuleError) as exc:
        return str(exc)
    return None


@contextmanager
def _quiet(debug: bool) -> Iterator[None]:
    """Library warnings and log lines can quote report text: none from the task without --debug."""
    if debug:
        yield
        return
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).disabled = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
