"""Write a stream of flat rows as a table: rich (terminal), CSV, JSON Lines or Parquet, in flat memory.

A table is its columns (name and kind: ``str``, ``int``, ``bool`` or ``list`` of strings) and an iterator of
rows (dicts). CSV cells go through :func:`reportnlp.render.safe_text.csv_cell` (formula injection); lists
are joined with ``;`` in CSV and in the terminal. Parquet needs pyarrow (the ``parquet`` extra) and is
written in row groups of ``BATCH`` rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

import orjson

from reportnlp.render.safe_text import csv_cell as safe_cell

FORMATS = ("table", "csv", "json", "parquet")
BATCH = 10_000


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str, int, bool, list


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed."""


def require_parquet() -> None:
    """Raise ParquetUnavailable (one line, with the fix) when pyarrow cannot be imported."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ParquetUnavailable("--format parquet needs pyarrow: pip install 'reportnlp[parquet]'") from None


def _flat(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def write_csv(columns: list[Column], rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    n = 0
    for row in rows:
        writer.writerow([safe_cell(_flat(row.get(c.name))) for c in columns])
        n += 1
    return n


def write_jsonl(columns: list[Column], rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(orjson.dumps({c.name: row.get(c.name) for c in columns}).decode() + "\n")
        n += 1
    return n


def write_rich(columns: list[Column], rows: Iterable[dict[str, Any]], out: IO[str], title: str) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(c.name, justify="right" if c.kind == "int" else "left")
    n = 0
    for row in rows:
        table.add_row(*("" if row.get(c.name) is None else str(_flat(row.get(c.name))) for c in columns))
        n += 1
    Console(file=out, width=max(120, sum(len(c.name) + 3 for c in columns))).print(table)
    return n


def _arrow_schema(columns: list[Column]) -> Any:
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "list": pa.list_(pa.string())}
    return pa.schema([(c.name, kinds[c.kind]) for c in columns])


def write_parquet(columns: list[Column], rows: Iterable[dict[str, Any]], out: BinaryIO | str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(columns)
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(rows):
            writer.write_table(pa.Table.from_pylist([{c.name: r.get(c.name) for c in columns} for r in batch], schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def write_table(fmt: str, columns: list[Column], rows: Iterable[dict[str, Any]], out: IO[str] | None,
                binary_out: BinaryIO | str | None = None, title: str = "") -> int:
    """Write ``rows`` in ``fmt`` (one of FORMATS); Parquet goes to ``binary_out``. Returns the row count."""
    if fmt == "parquet":
        assert binary_out is not None
        return write_parquet(columns, rows, binary_out)
    assert out is not None
    if fmt == "csv":
        return write_csv(columns, rows, out)
    if fmt == "json":
        return write_jsonl(columns, rows, out)
    return write_rich(columns, rows, out, title)
