"""How many reports a run will have, when that is cheap to learn, for the progress bar's total and ETA.

Only what can be read again without harm is counted: folders (their listing), regular text, CSV and
JSONL files (one fast pass over the bytes) and Parquet (its footer). Stdin, FIFOs and ``.gz`` files
are never counted (reading stdin or a FIFO would consume it), and then the total is unknown (None).
The count is an estimate for people: CSV rows are newlines outside quotes (a row may span lines),
JSONL reports are non-empty lines; the records themselves never depend on it.
"""

import stat
from pathlib import Path

from reportnlp.inputs.discover import file_format
from reportnlp.inputs.folders import walk
from reportnlp.inputs.parquet_reports import parquet_rows

_CHUNK = 1 << 20


def csv_rows(path: Path) -> int:
    """Data rows of a CSV file: line ends outside quoted cells, less the header."""
    newlines, inside, last = 0, False, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            for i, part in enumerate(chunk.split(b'"')):
                if i:
                    inside = not inside
                if not inside:
                    newlines += part.count(b"\n")
            last = chunk[-1:]
    return max(newlines + (last != b"\n") - 1, 0)


def jsonl_lines(path: Path) -> int:
    """Non-blank lines of a JSONL file."""
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n") - chunk.count(b"\n\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def count_reports(paths: list[str], *, glob: str = "*.txt", glob_case: str = "sensitive",
                  input_format: str = "auto") -> int | None:
    """The number of reports the inputs hold, or None when any of them cannot be counted cheaply."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        try:
            if path.is_dir():
                total += len(walk(path, glob, glob_case == "sensitive"))
                continue
            if not stat.S_ISREG(path.stat().st_mode) or raw.lower().endswith(".gz"):
                return None
            fmt = file_format(raw, input_format)
            if fmt == "csv":
                total += csv_rows(path)
            elif fmt == "jsonl":
                total += jsonl_lines(path)
            elif fmt == "parquet":
                rows = parquet_rows(path)
                if rows is None:
                    return None
                total += rows
            else:
                total += 1
        except OSError:
            return None
    return total
