"""Split a run's inputs into partitions that a worker can process alone, and read them back there.

A partition is up to ``size`` reports (default 1,000: 5 to 10 s of one core's work here, so a killed
worker loses little, and 10 million reports make 10,000 part files) in input order; partition ``i``
becomes ``part-{i:05d}.jsonl``.

* **Folders** are listed by the client (paths only, nothing read) and sent as file lists; each
  worker reads its own files, so workers must see the inputs at the same absolute paths (a shared
  file system), as with any Dask file reader.
* **CSV, JSONL, single files and stdin** are read by the client and sent as reports: a CSV record
  may span lines, so only a sequential parse finds where one ends. Such a partition also closes at
  16 million characters of text, which keeps a task message small.

Ids, sources, errors and warnings are exactly those of :func:`reportnlp.inputs.iter_reports`
(``duplicate_id`` is decided across the whole run by the client), so the records are the same byte
for byte. For folders this mirrors ``iter_reports`` with its own helpers; a test holds them equal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import orjson

from reportnlp.inputs import MAX_BYTES, Report, empty_as, folder_files, iter_reports, read_bytes, source_of, text_report

DEFAULT_SIZE = 1000
MAX_SHIPPED_CHARS = 16_000_000


@dataclass(frozen=True, slots=True)
class TextFile:
    """A report file a worker reads itself: ``path`` as records show it, ``location`` to open."""

    id: str
    path: str
    location: str
    duplicate: bool = False
    warnings: tuple[str, ...] = ()  # of its name (undecodable_file_name)


Item = TextFile | Report


def part_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


@dataclass(frozen=True)
class Partition:
    index: int
    items: tuple[Item, ...]
    empty: str = "error"  # --empty: what a worker makes of an empty folder file

    def __repr__(self) -> str:  # Dask logs task arguments: never show report text there
        return f"Partition({self.index}, {len(self.items)} reports)"

    @property
    def name(self) -> str:
        return part_name(self.index)

    @property
    def ids_sha256(self) -> str:
        """Which reports, in which order: how ``--resume`` knows a partition is the same one."""
        return hashlib.sha256(orjson.dumps([item.id for item in self.items])).hexdigest()


def _flag_duplicate(item: Item) -> Item:
    if isinstance(item, TextFile):
        return replace(item, duplicate=True)
    if "duplicate_id" in item.warnings:  # already flagged by iter_reports within its input
        return item
    return replace(item, warnings=(*item.warnings, "duplicate_id"))


def _items(inputs: list[str], glob: str, id_field: str, text_field: str, max_bytes: int,
           stdin: BinaryIO | None, glob_case: str, input_format: str, empty: str) -> Iterator[Item]:
    for raw in inputs:
        if raw != "-" and Path(raw).is_dir():
            for rid, warnings, file, error in folder_files(Path(raw), glob, glob_case):
                if error is not None:
                    yield text_report(rid, source_of(str(file), "txt"), error, max_bytes, warnings)
                else:
                    yield TextFile(rid, source_of(str(file), "txt")["path"], str(file.absolute()), warnings=warnings)
        else:
            yield from iter_reports([raw], glob=glob, id_field=id_field, text_field=text_field, stdin=stdin,
                                    max_bytes=max_bytes, glob_case=glob_case, input_format=input_format, empty=empty)


def plan(inputs: list[str], *, glob: str = "*.txt", id_field: str = "id", text_field: str = "text",
         max_bytes: int = MAX_BYTES, size: int = DEFAULT_SIZE, stdin: BinaryIO | None = None,
         glob_case: str = "sensitive", input_format: str = "auto", empty: str = "error") -> Iterator[Partition]:
    """The partitions of a run, lazily and in input order (the same inputs give the same plan)."""
    seen: set[str] = set()
    batch: list[Item] = []
    chars = index = 0
    for item in _items(inputs, glob, id_field, text_field, max_bytes, stdin, glob_case, input_format, empty):
        if item.id in seen:
            item = _flag_duplicate(item)
        seen.add(item.id)
        batch.append(item)
        chars += len(item.text or "") if isinstance(item, Report) else 0
        if len(batch) >= size or chars >= MAX_SHIPPED_CHARS:
            yield Partition(index, tuple(batch), empty)
            batch, chars, index = [], 0, index + 1
    if batch:
        yield Partition(index, tuple(batch), empty)


def failed_reports(partition: Partition) -> Iterator[Report]:
    """The partition's reports as the client knows them (folder files unread), for error records."""
    for item in partition.items:
        if isinstance(item, Report):
            yield item
        else:
            warnings = (*item.warnings, "duplicate_id") if item.duplicate else item.warnings
            yield Report(item.id, None, source_of(item.path, "txt"), None, warnings)


def partition_reports(partition: Partition, max_bytes: int = MAX_BYTES) -> Iterator[Report]:
    """The partition's reports, read where this runs (a worker): the same ones ``iter_reports`` gives."""
    for item in partition.items:
        if isinstance(item, Report):
            yield item
            continue
        data = read_bytes(Path(item.location), max_bytes, regular_only=True)
        report = empty_as(text_report(item.id, source_of(item.path, "txt"), data, max_bytes, item.warnings),
                          partition.empty)
        yield replace(report, warnings=(*report.warnings, "duplicate_id")) if item.duplicate else report
