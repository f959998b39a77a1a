"""CSV exports: one report per row, streamed; a bad row costs that row, a lost parser the rest of the file."""

import csv
from collections.abc import Iterator
from pathlib import Path

from reportnlp.inputs.report import InputUsageError, ReadError, Report, os_error, report_id, scrub, source_of, too_large

# A CSV cell is parsed whole before its size can be checked; bigger cells stop that file's parsing.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def csv_header(reader: Iterator[list[str]], name: str, id_field: str, text_field: str) -> list[str]:
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


def iter_csv(path: Path, id_field: str, text_field: str, max_bytes: int) -> Iterator[Report]:
    limit = min(max(2 * max_bytes + 1, CSV_FIELD_LIMIT), 2**31 - 1)  # a too-large cell fails per row, in sync
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    try:
        fh = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        yield Report(path.name, None, source_of(str(path), "csv"), os_error("cannot open file", exc))
        return
    with fh:
        reader = csv.reader(fh)
        header = csv_header(reader, path.name, id_field, text_field)
        id_at, text_at = header.index(id_field), header.index(text_field)
        while True:
            line = reader.line_num + 1
            source, fallback = source_of(str(path), "csv", line, "utf-8"), f"{path.name}:{line}"
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
            cells = [scrub(cell, warnings, "invalid_utf8_replaced") for cell in row]
            rid = report_id(cells[id_at])
            if rid is None:
                rid = fallback
                warnings.append("missing_id")
            extra = {col: cells[i] for i, col in enumerate(header) if i not in (id_at, text_at)}
            text, error = cells[text_at], None
            if len(text) > max_bytes:
                text, error = None, too_large(max_bytes)
            elif not text.strip():
                text, error = None, ReadError("empty_report", f"text cell on line {line} is empty")
            yield Report(rid, text, source, error, tuple(dict.fromkeys(warnings)), extra)
