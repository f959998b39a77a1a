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

import codecs
import csv
import fnmatch
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import orjson

# The largest report processed by default. Time grows linearly with size, a few seconds per MB
# (docs/robustness.md, bench/report_size.py); the longest MTSamples note is 18 kB, so a bigger
# "report" is most likely a whole export in one cell. `--max-report-bytes` raises it.
MAX_BYTES = 1_000_000
# A CSV cell is parsed whole before its size can be checked; bigger cells stop that file's parsing.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_LONG_NUMBER = re.compile(rb"\d{20}")


class InputUsageError(Exception):
    """Problems found before any work starts (CLI exit code 2); one line, never report text."""


@dataclass(frozen=True, slots=True)
class ReadError:
    type: str
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    text: str | None
    source: dict
    error: ReadError | None = None
    warnings: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)


def _src(path: str, fmt: str, line: int | None = None, encoding: str | None = None) -> dict:
    return {"path": path, "format": fmt, "line": line, "encoding": encoding}


def _too_large(max_bytes: int) -> ReadError:
    return ReadError("report_too_large", f"report exceeds the {max_bytes}-byte limit (--max-report-bytes); not read")


def _os_error(what: str, exc: OSError) -> ReadError:
    return ReadError("unreadable_file", f"{what}: {exc.strerror or type(exc).__name__}")


def _scrub(value: str, warnings: list[str], warning: str) -> str:
    """Lone surrogates (undecodable CSV bytes, JSON "\\ud800" escapes) would break JSON writers."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        warnings.append(warning)
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _text_report(rid: str, source: dict, data: bytes | ReadError, max_bytes: int) -> Report:
    """Turn raw bytes into a Report by the decoding rule in the module docstring."""
    if isinstance(data, ReadError):
        return Report(rid, None, source, data)
    if len(data) > max_bytes:
        return Report(rid, None, source, _too_large(max_bytes))
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, warnings = "utf-16", ["utf16_bom"]
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, "replace")
            warnings.append("invalid_utf16_replaced")
    elif b"\x00" in data:
        return Report(rid, None, source, ReadError("binary_file", "file contains NUL bytes (binary?)"))
    else:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, "replace")
            warnings.append("invalid_utf8_replaced")
    source = {**source, "encoding": encoding}
    if not text.strip():
        error = ReadError("empty_report", "report is empty or whitespace-only")
        return Report(rid, None, source, error, tuple(warnings))
    return Report(rid, text, source, None, tuple(warnings))


def _read_bytes(path: Path, max_bytes: int, *, regular_only: bool) -> bytes | ReadError:
    """Read at most max_bytes + 1 bytes; with regular_only, never open FIFOs, sockets or devices."""
    try:
        if regular_only and not stat.S_ISREG(path.stat().st_mode):
            return ReadError("not_a_regular_file", "not a regular file (FIFO, socket or device); skipped")
        nonblock = getattr(os, "O_NONBLOCK", 0) if regular_only else 0  # a swapped-in FIFO can't block
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | nonblock)
    except FileNotFoundError:
        return ReadError("unreadable_file", "file not found (broken symlink, or removed during the run)")
    except OSError as exc:
        return _os_error("cannot open file", exc)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if regular_only and not stat.S_ISREG(st.st_mode):
            return ReadError("not_a_regular_file", "not a regular file (FIFO, socket or device); skipped")
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            return _too_large(max_bytes)
        try:
            return fh.read(max_bytes + 1)
        except OSError as exc:
            return _os_error("cannot read file", exc)


def _walk(root: Path, glob: str) -> list[tuple[str, Path, ReadError | None]]:
    """List matching files (paths only, cheap) so they can be sorted by relative path."""
    found: list[tuple[str, Path, ReadError | None]] = []
    seen: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        error = ReadError("unreadable_directory", f"cannot list directory: {exc.strerror}")
        found.append((where.relative_to(root).as_posix(), where, error))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        here = Path(dirpath)
        try:
            st = here.stat()
        except OSError:
            dirnames.clear()
            continue
        if (st.st_dev, st.st_ino) in seen:  # symlink loop or alias: already walked
            dirnames.clear()
            continue
        seen.add((st.st_dev, st.st_ino))
        for name in filenames:
            if fnmatch.fnmatchcase(name, glob):
                found.append(((here / name).relative_to(root).as_posix(), here / name, None))
    return sorted(found, key=lambda item: item[0])


def _id_or_none(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None


def _check_fields(id_field: str, text_field: str) -> None:
    if id_field == text_field:
        raise InputUsageError(f"id field and text field are both {id_field!r}")


def _csv_header(reader: Iterator[list[str]], name: str, id_field: str, text_field: str) -> list[str]:
    """Report missing columns without listing the header: a headerless file's first row is text."""
    try:
        header = next(reader, None)
    except csv.Error:
        raise InputUsageError(f"CSV file {name} has an unparseable header row") from None
    if not header:
        raise InputUsageError(f"CSV file {name} has no header row")
    missing = [col for col in (id_field, text_field) if col not in header]
    if missing:
        cols = ", ".join(repr(col) for col in missing)
        raise InputUsageError(f"CSV file {name} lacks column(s) {cols} ({len(header)} columns found)")
    return header


def _iter_csv(path: Path, id_field: str, text_field: str, max_bytes: int) -> Iterator[Report]:
    limit = min(max(2 * max_bytes + 1, CSV_FIELD_LIMIT), 2**31 - 1)  # a too-large cell fails per row, in sync
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    try:
        fh = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        yield Report(path.name, None, _src(str(path), "csv"), _os_error("cannot open file", exc))
        return
    with fh:
        reader = csv.reader(fh)
        header = _csv_header(reader, path.name, id_field, text_field)
        id_at, text_at = header.index(id_field), header.index(text_field)
        while True:
            line = reader.line_num + 1
            source, fallback = _src(str(path), "csv", line, "utf-8"), f"{path.name}:{line}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:  # the parser has lost its place; later rows would be garbage
                msg = f"row at line {line} could not be parsed; the rest of the file was not read"
                yield Report(fallback, None, source, ReadError("csv_parse_error", msg))
                return
            if not row:
                continue
            if len(row) != len(header):
                msg = f"row at line {line} has {len(row)} cells, header has {len(header)}"
                yield Report(fallback, None, source, ReadError("malformed_csv_row", msg))
                continue
            warnings: list[str] = []
            cells = [_scrub(cell, warnings, "invalid_utf8_replaced") for cell in row]
            rid = _id_or_none(cells[id_at])
            if rid is None:
                rid = fallback
                warnings.append("missing_id")
            extra = {col: cells[i] for i, col in enumerate(header) if i not in (id_at, text_at)}
            text, error = cells[text_at], None
            if len(text) > max_bytes:
                text, error = None, _too_large(max_bytes)
            elif not text.strip():
                text, error = None, ReadError("empty_report", f"text cell on line {line} is empty")
            yield Report(rid, text, source, error, tuple(dict.fromkeys(warnings)), extra)


def _jsonl_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line), or None for a line over max_bytes, which is skipped unread."""
    lineno = 0
    while line := fh.readline(max_bytes + 1):
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _jsonl_report(obj: object, lineno: int, source: dict, fallback: str, warnings: list[str],
                  id_field: str, text_field: str) -> Report:
    if not isinstance(obj, dict):
        error = ReadError("missing_text_field", f"line {lineno} is JSON but not an object")
        return Report(fallback, None, source, error, tuple(warnings))
    rid = _id_or_none(obj.get(id_field))
    if rid is None:
        rid = fallback
        warnings.append("missing_id")
    extra = {
        _scrub(str(key), warnings, "invalid_unicode_replaced"):
        _scrub(val if isinstance(val, str) else json.dumps(val, ensure_ascii=False),
               warnings, "invalid_unicode_replaced")
        for key, val in obj.items() if key not in (id_field, text_field)
    }
    text, error = obj.get(text_field), None
    if text_field not in obj:
        error = ReadError("missing_text_field", f"line {lineno} has no {text_field!r} field")
    elif not isinstance(text, str):
        kind = type(text).__name__
        error = ReadError("invalid_text_field", f"{text_field!r} on line {lineno} is {kind}, not a string")
    elif not text.strip():
        error = ReadError("empty_report", f"field {text_field!r} on line {lineno} is empty")
    else:
        text = _scrub(text, warnings, "invalid_unicode_replaced")
    rid = _scrub(rid, warnings, "invalid_unicode_replaced")
    return Report(rid, None if error else text, source, error, tuple(dict.fromkeys(warnings)), extra)


def _iter_jsonl(path: Path, id_field: str, text_field: str, max_bytes: int) -> Iterator[Report]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Report(path.name, None, _src(str(path), "jsonl"), _os_error("cannot open file", exc))
        return
    with fh:
        for lineno, raw in _jsonl_lines(fh, max_bytes):
            source, fallback = _src(str(path), "jsonl", lineno, "utf-8"), f"{path.name}:{lineno}"
            if raw is None:
                yield Report(fallback, None, source, _too_large(max_bytes))
                continue
            raw = raw.removeprefix(codecs.BOM_UTF8) if lineno == 1 else raw
            if not raw.strip():
                continue
            warnings: list[str] = []
            if not _LONG_NUMBER.search(raw):  # orjson reads integers over 64 bits as floats
                try:  # the common case, in one C call; whatever orjson refuses is read as before
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    pass
                else:
                    yield _jsonl_report(obj, lineno, source, fallback, warnings, id_field, text_field)
                    continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", "replace")
                warnings.append("invalid_utf8_replaced")
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, huge ints, deep nesting
                detail = ""
                if isinstance(exc, json.JSONDecodeError):
                    detail = f" ({exc.msg} at column {exc.colno})"
                error = ReadError("malformed_jsonl_line", f"line {lineno} is not valid JSON{detail}")
                yield Report(fallback, None, source, error, tuple(warnings))
                continue
            yield _jsonl_report(obj, lineno, source, fallback, warnings, id_field, text_field)


def _iter_all(paths: list[str], glob: str, id_field: str, text_field: str,
              stdin: BinaryIO | None, max_bytes: int) -> Iterator[Report]:
    _check_fields(id_field, text_field)
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                data: bytes | ReadError = stream.read(max_bytes + 1)
            except OSError as exc:
                data = _os_error("cannot read stdin", exc)
            yield _text_report("stdin", _src("-", "stdin"), data, max_bytes)
            continue
        path = Path(raw)
        suffix = path.suffix.lower()
        if path.is_dir():
            for rel, file, error in _walk(path, glob):
                data = error or _read_bytes(file, max_bytes, regular_only=True)
                yield _text_report(rel, _src(str(file), "txt"), data, max_bytes)
        elif not path.exists():
            raise InputUsageError(f"input path does not exist: {raw}")
        elif suffix == ".csv":
            yield from _iter_csv(path, id_field, text_field, max_bytes)
        elif suffix in _JSONL_SUFFIXES:
            yield from _iter_jsonl(path, id_field, text_field, max_bytes)
        else:
            data = _read_bytes(path, max_bytes, regular_only=False)
            yield _text_report(path.name, _src(str(path), "txt"), data, max_bytes)


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
    _check_fields(id_field, text_field)
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
                    _csv_header(csv.reader(fh), path.name, id_field, text_field)
            elif path.suffix.lower() in _JSONL_SUFFIXES:
                path.open("rb").close()
        except OSError as exc:
            raise InputUsageError(f"cannot read input {raw}: {exc.strerror or type(exc).__name__}") from None
