"""CSV exports: one report per row, streamed; a bad row costs that row, a lost parser the rest of the file."""

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from reportnlp.inputs.report import (
    InputUsageError,
    ReadError,
    Report,
    name_id,
    os_error,
    printable_name,
    report_id,
    scrub,
    source_of,
    too_large,
)

# A CSV cell is parsed whole before its size can be checked; a bigger cell costs its row only
# (the rest of that row is skipped to the next newline outside quotes, and reading goes on).
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def csv_header(reader: Iterator[list[str]], name: str, id_field: str, text_field: str,
               warnings: list[str] | None = None) -> list[str]:
    """Report missing columns without listing the header: a headerless file's first row is text.
    Column names with undecodable bytes get U+FFFD, as cells do (warning added to ``warnings``)."""
    try:
        header = next(reader, None)
    except csv.Error:
        raise InputUsageError(f"CSV file {name} has an unparseable header row") from None
    if not header:
        raise InputUsageError(f"CSV file {name} has no header row")
    header = [scrub(col, warnings if warnings is not None else [], "invalid_utf8_replaced") for col in header]
    missing = [col for col in (id_field, text_field) if col not in header]
    if missing:
        cols = ", ".join(repr(col) for col in missing)
        raise InputUsageError(f"CSV file {name} lacks column(s) {cols} ({len(header)} columns found)")
    return header


def open_csv_text(path: Path) -> IO[str]:
    """A CSV file as text the way every reader of it decodes it (``.gz`` decompressed)."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="surrogateescape", newline="")
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


class _Lines:
    """The physical lines handed to the csv parser, counted, with the parity of the quotes in the
    current row, so that after a cell over the field limit the rest of its row can be skipped."""

    def __init__(self, fh: IO[str]) -> None:
        self.fh, self.count, self.quotes = fh, 0, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.fh)
        self.count += 1
        self.quotes += line.count('"')
        return line

    def skip_rest_of_row(self) -> None:
        """Read on until the row ends: a line end outside quotes (an even number of quotes so far)."""
        while self.quotes % 2:
            line = next(self.fh, None)
            if line is None:
                return
            self.count += 1
            self.quotes += line.count('"')


def iter_csv(path: Path | None, id_field: str, text_field: str, max_bytes: int,
             stream: BinaryIO | None = None) -> Iterator[Report]:
    """The rows of ``path`` (``.gz`` decompressed), or of ``stream`` (stdin, path None) as CSV."""
    limit = min(max(2 * max_bytes + 1, CSV_FIELD_LIMIT), 2**31 - 1)  # a too-large cell fails per row, in sync
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    where = "-" if path is None else str(path)
    name, name_warnings = ("stdin", ()) if path is None else name_id(path.name)
    try:
        if path is None:
            fh: IO[str] = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")  # type: ignore[arg-type]
        else:
            fh = open_csv_text(path)
    except OSError as exc:
        yield Report(name, None, source_of(where, "csv"), os_error("cannot open file", exc), name_warnings)
        return
    lines = _Lines(fh)
    try:
        yield from _rows(lines, where, name, name_warnings, id_field, text_field, max_bytes)
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz, a read error
        line = lines.count + 1
        msg = f"line {line} could not be read ({type(exc).__name__}); the rest of the file was not read"
        yield Report(f"{name}:{line}", None, source_of(where, "csv", line, "utf-8"),
                     ReadError("csv_parse_error", msg), name_warnings)
    finally:
        if path is None:
            fh.detach()  # leave stdin open for whoever owns it
        else:
            fh.close()


def _rows(lines: _Lines, where: str, name: str, name_warnings: tuple[str, ...], id_field: str, text_field: str,
          max_bytes: int) -> Iterator[Report]:
    reader = csv.reader(lines)
    file_warnings = list(name_warnings)  # every row's: the file's name, the header's bytes
    header = csv_header(reader, printable_name(name), id_field, text_field, file_warnings)
    file_warnings = list(dict.fromkeys(file_warnings))
    id_at, text_at = header.index(id_field), header.index(text_field)
    while True:
        line = lines.count + 1
        lines.quotes = 0
        source, fallback = source_of(where, "csv", line, "utf-8"), f"{name}:{line}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):  # one huge cell: skip its row, read on
                lines.skip_rest_of_row()
                yield Report(fallback, None, source, too_large(max_bytes), name_warnings)
                continue
            msg = f"row at line {line} could not be parsed; the rest of the file was not read"  # the parser is lost
            yield Report(fallback, None, source, ReadError("csv_parse_error", msg), name_warnings)
            return
        if not row:
            continue
        if len(row) != len(header):
            msg = f"row at line {line} has {len(row)} cells, header has {len(header)}"
            yield Report(fallback, None, source, ReadError("malformed_csv_row", msg), name_warnings)
            continue
        warnings: list[str] = list(file_warnings)
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
