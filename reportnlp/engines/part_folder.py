"""The output folder of a cluster run: checked before any work, locked to one run, left tidy.

``-o out/`` names a folder (created if its parent exists). A folder that already holds part files
or a manifest is refused unless ``--resume`` continues that run: mixing two runs' part files would
make ``summarize out/`` count reports twice. Workers killed mid-write leave ``.part-NNNNN.jsonl.part``
files behind, a command killed while saving the manifest a ``.manifest.json.*.tmp``; the run removes
them (those nobody holds locked) when it starts and when it ends.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType

from reportnlp.engines.manifest import MANIFEST
from reportnlp.inputs import InputUsageError
from reportnlp.records.stream import part_files
from reportnlp.run.output import OutputError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one run per folder is then up to the user
    fcntl = None  # type: ignore[assignment]

LOCK = ".reportnlp.lock"


def check_folder(output: str, *, resume: bool) -> Path:
    """The folder ``-o`` names, or InputUsageError (exit 2) saying why it cannot be used."""
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise InputUsageError(f"{output}: is not a folder (with --engine dask or spark, -o names a folder of part files)")
    if not folder.absolute().parent.is_dir():
        raise InputUsageError(f"{output}: its parent folder does not exist")
    has_manifest = (folder / MANIFEST).exists()
    has_parts = folder.is_dir() and bool(part_files(folder))
    if not resume and (has_manifest or has_parts):
        raise InputUsageError(f"{output}: holds the output of an earlier run; add --resume to continue it, "
                              "or use another folder")
    if resume and has_parts and not has_manifest:
        raise InputUsageError(f"{output}: holds part files but no {MANIFEST}; cannot resume (use another folder)")
    return folder


def _try_lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class FolderLock:
    """``with FolderLock(folder):`` creates the folder and holds it against a second run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        try:
            self.folder.mkdir(exist_ok=True)
            fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot write ({exc.strerror or type(exc).__name__})") from None
        if not _try_lock(fd):
            os.close(fd)
            raise OutputError(f"{self.folder}: another reportnlp run is writing it")
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


def remove_leftovers(folder: Path) -> int:
    """Delete the unfinished part files of killed workers (not those a live one holds), and the
    half-written manifests of a killed command (call it holding the folder's lock); how many."""
    removed = 0
    for tmp in folder.glob(f".{MANIFEST}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    for tmp in folder.glob(".part-*.jsonl.part"):
        with contextlib.suppress(OSError):
            fd = os.open(tmp, os.O_RDONLY)
            try:
                if _try_lock(fd):
                    tmp.unlink()
                    removed += 1
            finally:
                os.close(fd)
    return removed
