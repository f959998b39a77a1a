"""Where the table commands (``table``, ``patients``, ``extract --format csv|parquet``) write.

The checks of a ``--format`` / ``-o`` pair before anything is read, and the output target: stdout, or
a part file beside ``-o`` renamed at the end so the target is never half written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reportnlp.tables.writers import FORMATS, ParquetUnavailable, require_parquet


def check_output(fmt: str, output: str | None) -> str | None:
    """The reason a --format / -o pair cannot be used, or None (shared by the table commands)."""
    if fmt not in FORMATS:
        return f"--format: must be one of {', '.join(FORMATS)}"
    if fmt == "parquet":
        try:
            require_parquet()
        except ParquetUnavailable as exc:
            return str(exc)
        if output is None:
            return "--format parquet: needs -o FILE (Parquet is binary)"
    if output is not None:
        target = Path(output)
        if target.is_dir():
            return f"{output}: is a folder, not a file"
        if not target.absolute().parent.is_dir():
            return f"{output}: folder does not exist"
    return None


def quiet_broken_pipe(stdout: IO[str]) -> None:
    """After the reader of stdout went away: no error, and no second one when Python flushes at exit."""
    if stdout is sys.stdout:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextmanager
def output_target(output: str | None, fmt: str, stdout: IO[str]) -> Iterator[tuple[IO[str] | None, str | None]]:
    """(text stream, binary path) to write to: stdout, or a part file renamed to ``output`` on success."""
    if output is None:
        yield stdout, None
        stdout.flush()
        return
    target = Path(output)
    part = target.with_name(f".{target.name}.part")
    try:
        if fmt == "parquet":
            yield None, str(part)
        else:
            with part.open("w", encoding="utf-8", newline="") as fh:
                yield fh, None
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
