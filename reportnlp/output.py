"""Write records as JSON Lines: whole lines only, and ``-o FILE`` only when complete.

A file given with ``-o`` is written to a temporary file beside it and renamed at the end,
so a file at that path is never a partial run mistaken for a full one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson


def dumps(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


class JsonlWriter:
    def __init__(self, path: str | None) -> None:
        self.path = None if path in (None, "-") else Path(path)
        self._tmp: str | None = None
        self._out: IO[bytes] | None = None
        self.count = 0

    def __enter__(self) -> JsonlWriter:
        if self.path is None:
            self._out = sys.stdout.buffer
        else:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent or ".")
            self._out = os.fdopen(fd, "wb")
        return self

    def write(self, record: dict[str, Any]) -> None:
        assert self._out is not None
        self._out.write(dumps(record))
        self.count += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._out is not None
        if self.path is None:
            self._out.flush()
            return
        self._out.close()
        assert self._tmp is not None
        if exc_type is None:
            Path(self._tmp).replace(self.path)
        else:
            Path(self._tmp).unlink(missing_ok=True)
