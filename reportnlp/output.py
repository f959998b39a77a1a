"""Write records as JSON Lines: whole lines only, and ``-o FILE`` only when complete.

A file given with ``-o`` is written to a temporary file beside it and renamed at the end,
so a file at that path is never a partial run mistaken for a full one. A target that exists
and is not a regular file (``/dev/null``, a FIFO) is written directly: renaming over it would
replace the device or pipe with a regular file.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson


class OutputError(Exception):
    """The output could not be written (disk full, permissions); one line, never report text."""


def dumps(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


def _is_special(path: Path) -> bool:
    """True for an existing non-regular, non-directory target such as /dev/null or a FIFO."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


class JsonlWriter:
    def __init__(self, path: str | None) -> None:
        self.path = None if path in (None, "-") else Path(path)
        self.name = "stdout" if self.path is None else str(self.path)
        self._tmp: str | None = None
        self._out: IO[bytes] | None = None
        self.count = 0

    def __enter__(self) -> JsonlWriter:
        try:
            if self.path is None:
                self._out = sys.stdout.buffer
            elif self.path.is_dir():
                raise OutputError(f"{self.path}: is a folder")
            elif _is_special(self.path):
                self._out = self.path.open("wb")
            else:
                fd, self._tmp = tempfile.mkstemp(
                    prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent or "."
                )
                self._out = os.fdopen(fd, "wb")
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({exc.strerror or type(exc).__name__})") from None
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._out is not None
        try:
            self._out.write(dumps(record))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({exc.strerror or type(exc).__name__})") from None
        self.count += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._out is not None
        try:
            if self.path is None:
                self._out.flush()
            else:
                self._out.close()
                if self._tmp is not None and exc_type is None:
                    Path(self._tmp).replace(self.path)
        except BrokenPipeError:
            raise
        except OSError as exc:
            if exc_type is None:
                raise OutputError(f"{self.name}: cannot write ({exc.strerror or type(exc).__name__})") from None
        finally:
            if self._tmp is not None:
                Path(self._tmp).unlink(missing_ok=True)  # gone already after a successful rename
