"""Parquet files (with the optional ``parquet`` extra, pyarrow): one report per row, read in batches.

``source["line"]`` is the 1-based row number. Cells are read as the CSV/JSONL readers read them: the text
must be a string (else ``invalid_text_field``; null is ``empty_report``), other columns go to ``fields``
as strings (non-strings JSON-encoded, null as ``null``).
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportnlp.inputs.report import (
    InputUsageError,
    ReadError,
    Report,
    name_id,
    os_error,
    report_id,
    scrub,
    source_of,
    too_large,
)

PARQUET_MISSING = "reading Parquet needs pyarrow: pip install 'reportnlp[parquet]'"


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise InputUsageError(PARQUET_MISSING) from None
    except ImportError as exc:  # installed but broken, e.g. a pyarrow built for another NumPy
        reason = " ".join(str(exc).split())[:200]
        raise InputUsageError(f"reading Parquet: pyarrow is installed but cannot be imported ({reason})") from None
    return pq


def parquet_columns(path: Path, id_field: str, text_field: str) -> None:
    """Exit-2 checks before any work: pyarrow is there, the file is Parquet, it has both columns."""
    pq = _pyarrow_parquet()
    try:
        names = pq.ParquetFile(path).schema_arrow.names
    except OSError as exc:
        raise InputUsageError(f"cannot read input {path}: {exc.strerror or 'not a Parquet file'}") from None
    except Exception as exc:  # pyarrow's ArrowInvalid: not a Parquet file
        raise InputUsageError(f"cannot read input {path}: not a Parquet file ({type(exc).__name__})") from None
    missing = [col for col in (id_field, text_field) if col not in names]
    if missing:
        cols = ", ".join(repr(col) for col in missing)
        raise InputUsageError(f"Parquet file {path.name} lacks column(s) {cols} ({len(names)} columns found)")


def parquet_rows(path: Path) -> int | None:
    """The number of rows, from the file's footer (cheap); None when it cannot be read."""
    try:
        return int(_pyarrow_parquet().ParquetFile(path).metadata.num_rows)
    except Exception:
        return None


def _cell(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def iter_parquet(path: Path, id_field: str, text_field: str, max_bytes: int) -> Iterator[Report]:
    pq = _pyarrow_parquet()
    name, name_warnings = name_id(path.name)
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=1024)
    except OSError as exc:
        yield Report(name, None, source_of(str(path), "parquet"), os_error("cannot open file", exc), name_warnings)
        return
    row = 0
    for batch in batches:
        for obj in batch.to_pylist():
            row += 1
            warnings = list(name_warnings)
            rid = report_id(obj.get(id_field))
            if rid is None:
                rid = f"{name}:{row}"
                warnings.append("missing_id")
            rid = scrub(rid, warnings, "invalid_unicode_replaced")
            bad = "invalid_unicode_replaced"
            extra = {scrub(str(key), warnings, bad): scrub(_cell(val), warnings, bad)
                     for key, val in obj.items() if key not in (id_field, text_field)}
            text, error = obj.get(text_field), None
            if text is None or (isinstance(text, str) and not text.strip()):
                error = ReadError("empty_report", f"{text_field!r} of row {row} is empty")
            elif not isinstance(text, str):
                error = ReadError("invalid_text_field", f"{text_field!r} of row {row} is {type(text).__name__}, not a string")
            elif len(text) > max_bytes:
                error = too_large(max_bytes)
            source = source_of(str(path), "parquet", row, "utf-8")
            yield Report(rid, None if error else text, source, error, tuple(dict.fromkeys(warnings)), extra)
