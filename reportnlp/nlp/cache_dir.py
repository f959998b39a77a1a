"""Where start-up work is remembered across processes, in a module that imports nothing heavy.

The console script asks for the folder before anything else is imported (reportnlp.cli.regex_programs),
so it cannot live in reportnlp.nlp.rules, whose imports compile regexes of their own.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from contextlib import suppress
from pathlib import Path
from typing import Any


def cache_folder() -> Path | None:
    """Where start-up work is remembered across processes (REPORTNLP_CACHE_DIR), or None.

    REPORTNLP_CACHE_DIR names the folder (default $XDG_CACHE_HOME/reportnlp, else ~/.cache/reportnlp);
    set empty, nothing is read or written."""
    configured = os.environ.get("REPORTNLP_CACHE_DIR")
    if configured == "":
        return None
    try:
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return Path(configured) if configured else Path(cache) / "reportnlp"


# Each kind of file is named "<kind>-<SHA-256 of what it depends on>": a new reportnlp, rule set, Python or
# spaCy writes a new one and never reads the old ones again. So that the folder does not grow with every
# upgrade, writing a file retires all but the newest few of its kind (by the time each was written) and any
# temporary file a killed writer left. An older file still in use (another installation's) is only written
# again by its next run, a second or two of start-up.
KEEP_PER_KIND = 8
_STALE_TEMPORARY_SECONDS = 3600.0


def retire_older(path: Path, keep: int = KEEP_PER_KIND) -> None:
    """Remove the files of ``path``'s kind beyond the ``keep`` newest (``path`` always kept), and temporary
    files of that kind over an hour old. Errors are ignored: another process may be doing the same."""
    kind = path.name.rsplit("-", 1)[0] + "-"
    if kind == "-":
        return
    with suppress(OSError):
        import time  # only when a cache file was written: most runs write none

        now = time.time()
        siblings: list[tuple[float, Path]] = []
        for entry in os.scandir(path.parent):
            if not entry.name.startswith(kind) or entry.name == path.name:
                continue
            with suppress(OSError):
                written = entry.stat(follow_symlinks=False).st_mtime
                if entry.name.endswith(".tmp"):
                    if now - written > _STALE_TEMPORARY_SECONDS:
                        Path(entry.path).unlink()
                elif entry.is_file(follow_symlinks=False):
                    siblings.append((written, Path(entry.path)))
        siblings.sort(key=lambda pair: pair[0], reverse=True)
        for _, old in siblings[max(keep - 1, 0) :]:
            with suppress(OSError):
                old.unlink()


def read_sealed(path: Path, form: bytes) -> dict[Any, Any]:
    """The dict :func:`write_sealed` wrote with this ``form``, or an empty one: the file missing, unreadable,
    of another form, or damaged (its bytes no longer match the SHA-256 written before them)."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(form) + 32
    if not data.startswith(form) or hashlib.sha256(data[head:]).digest() != data[len(form) : head]:
        return {}
    try:
        value = marshal.loads(data[head:])
    except (ValueError, EOFError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def write_sealed(path: Path, form: bytes, value: dict[Any, Any]) -> None:
    """``form``, the SHA-256 of ``value`` marshalled, then those bytes, written whole or not at all (a file of
    its own, then renamed). A folder that cannot be written, or a value marshal does not write, leaves no
    file: a cache that cannot be written is only a slower next run."""
    with suppress(OSError, ValueError):
        payload = marshal.dumps(value)
        import tempfile  # only when writing: most runs only read

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(form + hashlib.sha256(payload).digest() + payload)
            Path(temporary).replace(path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        retire_older(path)
