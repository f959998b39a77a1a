"""``out/manifest.json``: what a cluster run was asked to do, and which partitions it has done.

The client alone writes it, atomically (a temporary file renamed into place), at most once a
second during the run and once at the end, so it always describes part files that are complete.
Each partition's entry holds its report and record counts, failed records, the SHA-256 of its part
file and of its report ids, and the worker that wrote it; a partition that could not be done holds
its error instead. ``--resume`` skips the partitions whose part file still matches its entry, after
checking that the inputs, options, rules and reportnlp version are the same.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from reportnlp.engines.partition_task import PartitionResult
from reportnlp.engines.partitions import Partition
from reportnlp.run.resume import ResumeError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
SAVE_EVERY = 1.0  # seconds


def _sha256_of(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an earlier run in ``folder``, or None if there is none."""
    path = folder / MANIFEST
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        raise ResumeError(f"{path}: unreadable or not JSON; cannot resume (use another folder)") from None
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        raise ResumeError(f"{path}: not a reportnlp manifest (version {MANIFEST_VERSION}); cannot resume")
    return data


class Manifest:
    """The manifest being written by this run (continuing ``previous`` with ``--resume``)."""

    def __init__(self, folder: Path, header: dict[str, Any], previous: dict[str, Any] | None = None) -> None:
        self.folder = folder
        self.header = header
        self.entries: dict[int, dict[str, Any]] = {}
        self.planned: int | None = None
        self.complete = False
        self._saved_at = 0.0
        self._previous: dict[int, dict[str, Any]] = {}
        if previous is not None:
            self._check_same_run(previous)
            self._previous = {entry["index"]: entry for entry in previous.get("partitions", [])}

    def _check_same_run(self, previous: dict[str, Any]) -> None:
        where = self.folder / MANIFEST
        if previous.get("patterns_sha256") != self.header["patterns_sha256"]:
            raise ResumeError(f"{where}: was written with other rule files; cannot resume (use another folder)")
        if previous.get("reportnlp_version") != self.header["reportnlp_version"]:
            raise ResumeError(f"{where}: was written by reportnlp {previous.get('reportnlp_version')}; cannot resume")
        if previous.get("inputs") != self.header["inputs"] or previous.get("options") != self.header["options"]:
            raise ResumeError(f"{where}: was written for other inputs or options; cannot resume "
                              "(same inputs and options needed)")

    def already_done(self, partition: Partition) -> bool:
        """True when the earlier run wrote this partition and its part file is intact (then kept)."""
        entry = self._previous.get(partition.index)
        if entry is None:
            return False
        if entry.get("ids_sha256") != partition.ids_sha256:
            raise ResumeError(f"{self.folder / MANIFEST}: partition {partition.index} was for other reports; "
                              "cannot resume (same inputs and options needed)")
        path = self.folder / partition.name
        if entry.get("status") != "done" or not path.is_file() or path.stat().st_size != entry.get("bytes"):
            return False
        if _sha256_of(path) != entry.get("sha256"):
            return False
        self.entries[partition.index] = entry
        return True

    def add(self, partition: Partition, result: PartitionResult) -> None:
        entry: dict[str, Any] = {
            "index": partition.index, "file": partition.name, "status": "done", "inputs": len(partition.items),
            "records": result.reports, "failed": len(result.failed), "bytes": result.bytes, "sha256": result.sha256,
            "ids_sha256": partition.ids_sha256, "worker": result.worker,
        }
        if result.error is not None:
            entry.update(status="failed", records=0, failed=0, bytes=0, sha256=None, error=result.error)
        self.entries[partition.index] = entry

    def fail(self, partition: Partition, reason: str) -> None:
        self.add(partition, PartitionResult(partition.index, worker="", error=reason))

    def to_dict(self) -> dict[str, Any]:
        entries = [self.entries[i] for i in sorted(self.entries)]
        done = [e for e in entries if e["status"] == "done"]
        return {
            "manifest_version": MANIFEST_VERSION,
            **self.header,
            "complete": self.complete,
            "partitions_planned": self.planned,
            "totals": {
                "partitions_done": len(done),
                "partitions_failed": len(entries) - len(done),
                "inputs": sum(e["inputs"] for e in entries),
                "records": sum(e["records"] for e in done),
                "failed_records": sum(e["failed"] for e in done),
            },
            "errors": [{"partition": e["index"], "file": e["file"], "error": e["error"]}
                       for e in entries if e["status"] != "done"],
            "partitions": entries,
        }

    def save(self, *, force: bool = False) -> None:
        """Write the manifest atomically (skipped when the last write was under a second ago)."""
        now = time.monotonic()
        if not force and now - self._saved_at < SAVE_EVERY:
            return
        data = orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            Path(tmp).chmod(0o644)
            Path(tmp).replace(self.folder / MANIFEST)
        finally:
            Path(tmp).unlink(missing_ok=True)
        self._saved_at = now

