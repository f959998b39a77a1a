"""Walk a folder for report files: recursive, symlink loops ended, matches sorted by relative path."""

import fnmatch
import os
from pathlib import Path

from reportnlp.inputs.report import ReadError


def walk(root: Path, glob: str) -> list[tuple[str, Path, ReadError | None]]:
    """List matching files (paths only, cheap) so they can be sorted by relative path."""
    found: list[tuple[str, Path, ReadError | None]] = []
    seen: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        error = ReadError("unreadable_directory", f"cannot list directory: {exc.strerror}")
        found.append((where.relative_to(root).as_posix(), where, error))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        here = Path(dirpath)
        try:
            st = here.stat()
        except OSError:
            dirnames.clear()
            continue
        if (st.st_dev, st.st_ino) in seen:  # symlink loop or alias: already walked
            dirnames.clear()
            continue
        seen.add((st.st_dev, st.st_ino))
        for name in filenames:
            if fnmatch.fnmatchcase(name, glob):
                found.append(((here / name).relative_to(root).as_posix(), here / name, None))
    return sorted(found, key=lambda item: item[0])
