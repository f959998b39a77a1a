"""Discover and read reports: folders, single files, CSV, JSONL and stdin.

Every input report becomes exactly one `Report` (ok, or with `error` set), so output can be
reconciled with input record for record, and one bad file never aborts a batch. Messages never
contain report text (patient data): only codes, line numbers, sizes and column names.

Rules callers rely on:

* Folders are walked recursively, following directory symlinks but entering each directory
  (device, inode) only once, so symlink loops end. A file is taken when
  ``fnmatch.fnmatchcase(name, glob)`` matches its *name* (case-sensitive on every OS). Reports come
  sorted by their posix path relative to the folder, which is also their id. Every matching file is
  one plain-text report whatever its extension. Only regular files are opened (FIFOs would block).
* A file named directly is CSV (``.csv``), JSONL (``.jsonl``/``.ndjson``) or else one plain-text
  report with its file name as id; named FIFOs (``<(cmd)``) are read. ``-`` is stdin, id ``stdin``.
* Text files: UTF-16 with BOM is decoded (warning ``utf16_bom``); otherwise NUL bytes mean
  ``binary_file``; otherwise UTF-8 (BOM stripped, encoding ``utf-8-sig``) with invalid bytes replaced
  by U+FFFD (warning ``invalid_utf8_replaced``). No code-page guessing: replacing is predictable,
  guessing is not. Text is otherwise kept as is (CRLF, leading/trailing space).
* CSV/JSONL are UTF-8 (optional BOM) and streamed. ``source["line"]`` is the 1-based physical line
  where the record starts (the CSV header is line 1), so an editor can jump to it; a record without
  id gets ``"<file name>:<line>"`` and warning ``missing_id``. For CSV, ``max_bytes`` bounds the text
  cell in characters; for JSONL it bounds each line in bytes. ``csv.field_size_limit`` is raised
  process-wide (never lowered) so big cells fail per row instead of desynchronising the parser.

Error types: empty_report, binary_file, report_too_large, unreadable_file, unreadable_directory,
not_a_regular_file, malformed_csv_row, csv_parse_error (rest of that CSV unread), malformed_jsonl_line,
missing_text_field, invalid_text_field. Warnings: utf16_bom, invalid_utf16_replaced,
invalid_utf8_replaced, invalid_unicode_replaced (lone surrogate from a JSON escape), missing_id,
duplicate_id.
"""

import csv
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from reportnlp.inputs.csv_reports import csv_header, iter_csv
from reportnlp.inputs.decode import read_bytes, text_report
from reportnlp.inputs.folders import walk
from reportnlp.inputs.jsonl_reports import iter_jsonl
from reportnlp.inputs.report import MAX_BYTES, InputUsageError, ReadError, Report, os_error, source_of

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def check_fields(id_field: str, text_field: str) -> None:
    if id_field == text_field:
        raise InputUsageError(f"id field and text field are both {id_field!r}")


def _iter_all(paths: list[str], glob: str, id_field: str, text_field: str,
              stdin: BinaryIO | None, max_bytes: int) -> Iterator[Report]:
    check_fields(id_field, text_field)
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                data: bytes | ReadError = stream.read(max_bytes + 1)
            except OSError as exc:
                data = os_error("cannot read stdin", exc)
            yield text_report("stdin", source_of("-", "stdin"), data, max_bytes)
            continue
        path = Path(raw)
        suffix = path.suffix.lower()
        if path.is_dir():
            for rel, file, error in walk(path, glob):
                data = error or read_bytes(file, max_bytes, regular_only=True)
                yield text_report(rel, source_of(str(file), "txt"), data, max_bytes)
        elif not path.exists():
            raise InputUsageError(f"input path does not exist: {raw}")
        elif suffix == ".csv":
            yield from iter_csv(path, id_field, text_field, max_bytes)
        elif suffix in JSONL_SUFFIXES:
            yield from iter_jsonl(path, id_field, text_field, max_bytes)
        else:
            data = read_bytes(path, max_bytes, regular_only=False)
            yield text_report(path.name, source_of(str(path), "txt"), data, max_bytes)


def iter_reports(paths: list[str], *, glob: str = "*.txt", id_field: str = "id", text_field: str = "text",
                 stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Report]:
    """Lazily yield one Report per input report, in a deterministic order; ids repeated within
    the run are kept and flagged ``duplicate_id`` so no record is silently dropped."""
    seen: set[str] = set()
    for report in _iter_all(paths, glob, id_field, text_field, stdin, max_bytes):
        if report.id in seen:
            report = replace(report, warnings=(*report.warnings, "duplicate_id"))
        seen.add(report.id)
        yield report


def validate_inputs(paths: list[str], *, id_field: str = "id", text_field: str = "text") -> None:
    """Fail fast (InputUsageError) on missing paths and unusable CSV headers, before any work;
    cheap: only CSV headers are read, and never from FIFOs (that would consume them)."""
    check_fields(id_field, text_field)
    if not paths:
        raise InputUsageError("no input paths given")
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            continue
        if not path.exists():
            raise InputUsageError(f"input path does not exist: {raw}")
        if not (path.is_dir() or path.is_file()):  # FIFO etc.: reading a header would consume it
            continue
        try:
            if path.is_dir():
                with os.scandir(path):
                    pass
            elif path.suffix.lower() == ".csv":
                with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
                    csv_header(csv.reader(fh), path.name, id_field, text_field)
            elif path.suffix.lower() in JSONL_SUFFIXES:
                path.open("rb").close()
        except OSError as exc:
            raise InputUsageError(f"cannot read input {raw}: {exc.strerror or type(exc).__name__}") from None
