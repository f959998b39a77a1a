"""How many reports a run will have, when that is cheap to learn, for the progress bar's total and ETA.

Only what can be read again without harm is counted: folders (their listing), regular text, CSV and
JSONL files (one fast pass over the bytes) and Parquet (its footer). Stdin, FIFOs and ``.gz`` files
are never counted (reading stdin or a FIFO would consume it), and then the total is unknown (None).
The count is an estimate for people: CSV rows are newlines outside quotes (a row may span lines),
JSONL reports are non-empty lines; the records themselves never depend on it.
"""

import stat
from itertools import islice
from pathlib import Path

from reportnlp.inputs.discover import file_format
from reportnlp.inputs.folders import matching_files
from reportnlp.inputs.parquet_reports import parquet_rows

_CHUNK = 1 << 20


def csv_rows(path: Path, stop_above: int | None = None) -> int:
    """Data rows of a CSV file: line ends outside quoted cells, less the header (reading stops once
    there are more than ``stop_above``)."""
    newlines, inside, last = 0, False, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            for i, part in enumerate(chunk.split(b'"')):
                if i:
                    inside = not inside
                if not inside:
                    newlines += part.count(b"\n")
            last = chunk[-1:]
            if stop_above is not None and newlines - 1 > stop_above:
                break
    return max(newlines + (last != b"\n") - 1, 0)


def jsonl_lines(path: Path, stop_above: int | None = None) -> int:
    """Non-blank lines of a JSONL file (reading stops once there are more than ``stop_above``)."""
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n") - chunk.count(b"\n\n")
            last = chunk[-1:]
            if stop_above is not None and lines > stop_above:
                break
    return lines + (last != b"\n")


def count_reports(paths: list[str], *, glob: str = "*.txt", glob_case: str = "sensitive",
                  input_format: str = "auto", stop_above: int | None = None) -> int | None:
    """The number of reports the inputs hold, or None when any of them cannot be counted cheaply.

    With ``stop_above``, counting stops as soon as the total is known to exceed it (then the number
    returned is only some number above it): "is this a small run?" costs a few reads, whatever the
    input's size."""
    total = 0
    left = None if stop_above is None else stop_above + 1
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        try:
            if path.is_dir():
                total += sum(1 for _ in islice(matching_files(path, glob, glob_case == "sensitive"), left))
            elif not stat.S_ISREG(path.stat().st_mode) or raw.lower().endswith(".gz"):
                return None
            elif (fmt := file_format(raw, input_format)) == "csv":
                total += csv_rows(path, left)
            elif fmt == "jsonl":
                total += jsonl_lines(path, left)
            elif fmt == "parquet":
                rows = parquet_rows(path)
                if rows is None:
                    return None
                total += rows
            else:
                total += 1
        except OSError:
            return None
        if stop_above is not None:
            if total > stop_above:
                return total
            left = stop_above + 1 - total
    return total
