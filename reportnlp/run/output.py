"""Write records as JSON Lines: whole lines only, and ``-o FILE`` only when complete.

Each record is written and flushed as one line, so whatever stops the run, the output holds
whole records. A file given with ``-o`` is written to ``.<name>.part`` beside it and renamed
at the end, so a file at that path is never a partial run mistaken for a full one. The part file
is locked (one run per target) and removed when the run fails, except after an interruption or
when resuming: then it is kept for ``--resume`` (see :mod:`reportnlp.run.resume`). A target that
exists and is not a regular file (``/dev/null``, a FIFO) is written directly: renaming over it
would replace the device or pipe with a regular file.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NamedTuple

import orjson

from reportnlp.run.resume import Done, scan
from reportnlp.run.signals import Interrupted

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one run per target is then up to the user
    fcntl = None  # type: ignore[assignment]


class OutputError(Exception):
    """The output could not be written (disk full, permissions); one line, never report text."""


def dumps(record: dict[str, Any]) -> bytes:
    # the newline written by orjson, not added after: ``+ b"\n"`` copied the whole line (a 1 MB report's record
    # can be 250 MB of JSON: session 23)
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


class EncodedRecord(NamedTuple):
    """A record as the line written for it, with what the run says on stderr when it failed:
    made where the record is (in a worker), so the writing process only copies bytes."""

    line: bytes
    id: str
    error: str | None  # the error message of an error record; None when ok
    empty: bool = False  # an empty report kept as ok (--empty ok)


def encoded_fields(record: dict[str, Any]) -> tuple[bytes, str, str | None, bool]:
    """An :class:`EncodedRecord`'s fields as a plain tuple: what a worker sends back. Pickling the NamedTuple looks its
    class up by name and goes through its Python ``__getnewargs__`` (about 5x the tuple, in the worker and
    again in the command that unpickles it); the command makes the EncodedRecord (run/batch.py)."""
    error = None if record["status"] == "ok" else record["error"]["message"]
    return dumps(record), record["id"], error, error is None and "empty_report" in record.get("warnings", ())


def _write_all(out: IO[bytes], data: bytes) -> None:
    """Write every byte. A raw stream (stdout under ``python -u`` or PYTHONUNBUFFERED) may take
    only part of them in one call: when a signal arrives while the pipe is full, say."""
    view = memoryview(data)
    while view:
        written = out.write(view)
        if written is None:  # a full pipe someone made non-blocking
            select.select([], [out], [])
            continue
        view = view[written:]


def _close_anyway(out: IO[bytes]) -> None:
    """Close a file whose last write failed (a full disk, a file-size limit): closing flushes what
    is left in its buffer, which fails again; the file must be closed all the same, and the error
    that ended the run stays the one reported."""
    try:
        out.close()
    except OSError:
        with contextlib.suppress(OSError, ValueError):
            os.close(out.fileno())


def stdout_problem() -> str | None:
    """Why records cannot go to stdout (it was closed: ``>&-``), or None."""
    closed = "stdout is closed; give -o FILE (or -o FOLDER with --engine dask)"
    if sys.stdout is None:  # Python found no file descriptor 1 at start
        return closed
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's stand-in, an embedding app)
        return None
    try:
        os.fstat(fd)
    except OSError:
        return closed
    return None


def is_special(path: Path) -> bool:
    """True for an existing non-regular, non-directory target such as /dev/null or a FIFO."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def part_path(path: Path) -> Path:
    """Where the records of an unfinished ``-o path`` run live."""
    return path.with_name(f".{path.name}.part")


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


class JsonlWriter:
    """``with JsonlWriter(path) as w: w.write(record)``; ``resume=True`` appends to the part file
    of an interrupted run after dropping a cut-short last line (``w.done`` says what it held)."""

    def __init__(self, path: str | None, *, resume: bool = False) -> None:
        self.path = None if path in (None, "-") else Path(path)
        self.name = "stdout" if self.path is None else str(self.path)
        self.part: Path | None = None
        self.resume = resume
        self.done = Done()
        self._out: IO[bytes] | None = None
        self._finished = False
        self.count = 0

    def __enter__(self) -> JsonlWriter:
        try:
            if self.path is None:
                if sys.stdout is None:
                    raise OutputError("stdout: cannot write (closed)")
                self._out = sys.stdout.buffer
            elif self.path.is_dir():
                raise OutputError(f"{self.path}: is a folder")
            elif is_special(self.path):
                self._out = self.path.open("wb")
            else:
                self._open_part()
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({_why(exc)})") from None
        return self

    def _open_part(self) -> None:
        assert self.path is not None
        self.part = part_path(self.path)
        fd = os.open(self.part, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        out = os.fdopen(fd, "r+b")
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                out.close()
                self.part = None  # not ours: leave it to the run that holds it
                raise OutputError(f"{self.name}: another reportnlp run is writing it") from None
        try:
            if self.resume:
                self.done = scan(out, str(self.part))
            out.truncate(self.done.size)
            out.seek(self.done.size)
        except BaseException:
            out.close()
            raise
        self._out = out

    def write(self, record: dict[str, Any] | bytes) -> None:
        """Write and flush one whole line, a record or its line from :func:`encoded_fields` (call it inside
        StopSignals.deferred)."""
        assert self._out is not None
        try:
            _write_all(self._out, record if isinstance(record, bytes) else dumps(record))
            self._out.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({_why(exc)})") from None
        self.count += 1

    def write_lines(self, lines: list[bytes]) -> None:
        """Write and flush whole lines (each from :func:`encoded_fields`) in one call: records that are
        ready together cost one write and one flush, not one each (call it inside StopSignals.deferred)."""
        assert self._out is not None
        try:
            _write_all(self._out, lines[0] if len(lines) == 1 else b"".join(lines))
            self._out.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({_why(exc)})") from None
        self.count += len(lines)

    @property
    def done_count(self) -> int:
        """Records the interrupted run had written (0 unless resuming)."""
        return len(self.done.ids)

    def finish(self) -> None:
        """Complete the output: flush, and for ``-o FILE`` sync and rename the part file into place."""
        assert self._out is not None
        if self._finished:
            return
        try:
            if self.path is None:
                self._out.flush()
            elif self.part is None:
                self._out.close()
            else:
                self._out.flush()
                os.fsync(self._out.fileno())
                self.part.replace(self.path)  # while still holding the lock
                self.part = None
                self._out.close()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.name}: cannot write ({_why(exc)})") from None
        self._finished = True

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._out is not None
        if exc_type is None:
            self.finish()
            return
        keep_part = isinstance(exc, Interrupted) or self.resume
        if self.path is not None and not self._out.closed:
            _close_anyway(self._out)
        if self.part is not None and not keep_part:
            self.part.unlink(missing_ok=True)
