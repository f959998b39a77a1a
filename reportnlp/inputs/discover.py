"""Discover and read reports: folders, single files, CSV, JSONL, Parquet, gzip and stdin.

Every input report becomes exactly one `Report` (ok, or with `error` set), so output can be
reconciled with input record for record, and one bad file never aborts a batch. Messages never
contain report text (patient data): only codes, line numbers, sizes and column names.

Rules callers rely on:

* Folders are walked recursively, following directory symlinks but entering each directory
  (device, inode) only once, so symlink loops end. A file is taken when
  ``fnmatch.fnmatchcase(name, glob)`` matches its *name* (case-sensitive on every OS, unless
  ``glob_case="insensitive"``: both lower-cased). Reports come sorted by their posix path relative to
  the folder, which is also their id. Every matching file is one plain-text report whatever its
  extension (``.gz`` decompressed). Only regular files are opened (FIFOs would block). A folder where
  nothing matches is reported to ``notice`` with what it holds.
* A file named directly is CSV (``.csv``), JSONL (``.jsonl``/``.ndjson``), Parquet (``.parquet``, with
  pyarrow) or else one plain-text report with its file name as id; named FIFOs (``<(cmd)``) are read.
  ``.gz`` is decompressed first (``x.csv.gz`` is CSV, ``x.txt.gz`` text), also for files in folders.
  ``-`` is stdin: one text report with id ``stdin``, or CSV / JSONL with ``input_format``, which also
  overrides the extension of files named directly.
* File names that are not valid UTF-8 appear in ids and paths with each bad byte as ``\\xNN``
  (warning ``undecodable_file_name``; see ``reportnlp.inputs.report.printable_name``).
* ``empty="ok"`` turns ``empty_report`` errors into reports with text ``""`` and the warning
  ``empty_report``: kept and flagged, not failed.
* Text files: UTF-16 with BOM is decoded (warning ``utf16_bom``); otherwise NUL bytes mean
  ``binary_file``; otherwise UTF-8 (BOM stripped, encoding ``utf-8-sig``) with invalid bytes replaced
  by U+FFFD (warning ``invalid_utf8_replaced``). No code-page guessing: replacing is predictable,
  guessing is not. Text is otherwise kept as is (CRLF, leading/trailing space).
* CSV/JSONL are UTF-8 (optional BOM) and streamed. ``source["line"]`` is the 1-based physical line
  where the record starts (the CSV header is line 1), so an editor can jump to it; a record without
  id gets ``"<file name>:<line>"`` and warning ``missing_id``. For CSV, ``max_bytes`` bounds the text
  cell in characters; for JSONL it bounds each line in bytes. ``csv.field_size_limit`` is raised
  process-wide (never lowered) so big cells fail per row instead of desynchronising the parser; a
  cell over even that limit costs its row (``report_too_large``, fallback id): the rest of the row is
  skipped to the next line end outside quotes. Header names are decoded like cells.

Error types: empty_report, binary_file, report_too_large, unreadable_file, unreadable_directory,
not_a_regular_file, corrupt_gzip, malformed_csv_row, csv_parse_error (rest of that CSV unread),
malformed_jsonl_line, missing_text_field, invalid_text_field. Warnings: utf16_bom, invalid_utf16_replaced,
invalid_utf8_replaced, invalid_unicode_replaced (lone surrogate from a JSON escape), missing_id,
duplicate_id, undecodable_file_name, empty_report (with ``empty="ok"``).
"""

import csv
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from reportnlp.inputs.csv_reports import csv_header, iter_csv, open_csv_text
from reportnlp.inputs.decode import read_bytes, text_report
from reportnlp.inputs.folders import no_match_hint, walk
from reportnlp.inputs.jsonl_reports import iter_jsonl
from reportnlp.inputs.parquet_reports import iter_parquet, parquet_columns
from reportnlp.inputs.report import (
    MAX_BYTES,
    InputUsageError,
    ReadError,
    Report,
    name_id,
    os_error,
    printable_name,
    source_of,
)

JSONL_SUFFIXES = (".jsonl", ".ndjson")
INPUT_FORMATS = ("auto", "text", "csv", "jsonl")
EMPTY_MODES = ("error", "ok")
Notice = Callable[[str], None]


def check_fields(id_field: str, text_field: str) -> None:
    if id_field == text_field:
        raise InputUsageError(f"id field and text field are both {id_field!r}")


def file_format(raw: str, input_format: str = "auto") -> str:
    """How a path named directly (not a folder) is read: text, csv, jsonl or parquet. ``input_format``
    other than auto wins; else the extension decides, ``.gz`` set aside (stdin is text)."""
    if input_format != "auto":
        return input_format
    if raw == "-":
        return "text"
    name = raw.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    if suffix == ".csv":
        return "csv"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".parquet" and not raw.lower().endswith(".gz"):
        return "parquet"
    return "text"


def _stderr_notice(message: str) -> None:
    sys.stderr.write(f"reportnlp: warning: {message}\n")


def folder_files(path: Path, glob: str, glob_case: str = "sensitive", notice: Notice | None = None,
                 ) -> list[tuple[str, tuple[str, ...], Path, ReadError | None]]:
    """The report files of a folder, sorted: (id, its warnings, path, listing error). When none
    matches, ``notice`` (default: stderr) is told what the folder holds instead."""
    sensitive = glob_case == "sensitive"
    found = walk(path, glob, sensitive)
    if not found:
        hint = no_match_hint(path, glob, sensitive)
        (notice or _stderr_notice)(f"{printable_name(str(path))}: no file matches --glob {glob!r}; {hint}")
    return [(*name_id(rel), file, error) for rel, file, error in found]


def _iter_all(paths: list[str], glob: str, id_field: str, text_field: str, stdin: BinaryIO | None,
              max_bytes: int, glob_case: str, input_format: str, notice: Notice) -> Iterator[Report]:
    check_fields(id_field, text_field)
    for raw in paths:
        fmt = file_format(raw, input_format)
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            if fmt == "csv":
                yield from iter_csv(None, id_field, text_field, max_bytes, stream=stream)
            elif fmt == "jsonl":
                yield from iter_jsonl(None, id_field, text_field, max_bytes, stream=stream)
            else:
                try:
                    data: bytes | ReadError = stream.read(max_bytes + 1)
                except OSError as exc:
                    data = os_error("cannot read stdin", exc)
                yield text_report("stdin", source_of("-", "stdin"), data, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            for rid, warnings, file, error in folder_files(path, glob, glob_case, notice):
                data = error or read_bytes(file, max_bytes, regular_only=True)
                yield text_report(rid, source_of(str(file), "txt"), data, max_bytes, warnings)
        elif not path.exists():
            raise InputUsageError(f"input path does not exist: {printable_name(raw)}")
        elif fmt == "csv":
            yield from iter_csv(path, id_field, text_field, max_bytes)
        elif fmt == "jsonl":
            yield from iter_jsonl(path, id_field, text_field, max_bytes)
        elif fmt == "parquet":
            yield from iter_parquet(path, id_field, text_field, max_bytes)
        else:
            data = read_bytes(path, max_bytes, regular_only=False)
            rid, warnings = name_id(path.name)
            yield text_report(rid, source_of(str(path), "txt"), data, max_bytes, warnings)


def empty_as(report: Report, empty: str) -> Report:
    """With ``empty="ok"``, an empty report is kept as text ``""`` flagged ``empty_report``, not failed."""
    if empty == "ok" and report.error is not None and report.error.type == "empty_report":
        return replace(report, text="", error=None, warnings=(*report.warnings, "empty_report"))
    return report


def iter_reports(paths: list[str], *, glob: str = "*.txt", id_field: str = "id", text_field: str = "text",
                 stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES, glob_case: str = "sensitive",
                 input_format: str = "auto", empty: str = "error", notice: Notice | None = None) -> Iterator[Report]:
    """Lazily yield one Report per input report, in a deterministic order; ids repeated within
    the run are kept and flagged ``duplicate_id`` so no record is silently dropped. ``notice`` gets
    warnings about the inputs (a folder without a matching file); default: a line on stderr."""
    seen: set[str] = set()
    for report in _iter_all(paths, glob, id_field, text_field, stdin, max_bytes, glob_case, input_format,
                            notice or _stderr_notice):
        report = empty_as(report, empty)
        if report.id in seen:
            report = replace(report, warnings=(*report.warnings, "duplicate_id"))
        seen.add(report.id)
        yield report


def validate_inputs(paths: list[str], *, id_field: str = "id", text_field: str = "text",
                    input_format: str = "auto") -> None:
    """Fail fast (InputUsageError) on missing paths and unusable CSV headers, before any work;
    cheap: only CSV headers and Parquet footers are read, and never from FIFOs (that would consume them)."""
    check_fields(id_field, text_field)
    if not paths:
        raise InputUsageError("no input paths given")
    if input_format not in INPUT_FORMATS:
        raise InputUsageError(f"--input-format: must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}")
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            continue
        if not path.exists():
            raise InputUsageError(f"input path does not exist: {printable_name(raw)}")
        fmt = file_format(raw, input_format)
        if fmt == "parquet":
            parquet_columns(path, id_field, text_field)
        if not (path.is_dir() or path.is_file()):  # FIFO etc.: reading a header would consume it
            continue
        try:
            if path.is_dir():
                with os.scandir(path):
                    pass
            elif fmt == "csv":
                with open_csv_text(path) as fh:
                    csv_header(csv.reader(fh), printable_name(path.name), id_field, text_field)
            elif fmt == "jsonl":
                path.open("rb").close()
        except (OSError, EOFError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise InputUsageError(f"cannot read input {printable_name(raw)}: {reason}") from None
