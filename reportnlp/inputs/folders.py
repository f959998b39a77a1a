"""Walk a folder for report files: recursive, symlink loops ended, matches sorted by relative path."""

import fnmatch
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from reportnlp.inputs.report import ReadError


def matcher(glob: str, case_sensitive: bool = True) -> Callable[[str], bool]:
    """The test a file name must pass: ``fnmatchcase`` on the name, or on both lower-cased."""
    if case_sensitive:
        return lambda name: fnmatch.fnmatchcase(name, glob)
    lowered = glob.lower()
    return lambda name: fnmatch.fnmatchcase(name.lower(), lowered)


def walk(root: Path, glob: str, case_sensitive: bool = True) -> list[tuple[str, Path, ReadError | None]]:
    """List matching files (paths only, cheap) so they can be sorted by relative path."""
    return sorted(matching_files(root, glob, case_sensitive), key=lambda item: item[0])


def matching_files(root: Path, glob: str, case_sensitive: bool = True) -> Iterator[tuple[str, Path, ReadError | None]]:
    """The entries of :func:`walk` as the folder is listed (unsorted): a count can stop early."""
    matches = matcher(glob, case_sensitive)
    errors: list[tuple[str, Path, ReadError | None]] = []
    seen: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        error = ReadError("unreadable_directory", f"cannot list directory: {exc.strerror}")
        errors.append((where.relative_to(root).as_posix(), where, error))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        yield from errors
        errors.clear()
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
            if matches(name):
                yield (here / name).relative_to(root).as_posix(), here / name, None
    yield from errors


def no_match_hint(root: Path, glob: str, case_sensitive: bool = True) -> str:
    """Why a folder gave no report, for a warning: what it holds instead (counts by extension), and
    whether ignoring case would have matched. Lists names only, never opens a file."""
    kinds: Counter[str] = Counter()
    insensitive = matcher(glob, case_sensitive=False)
    caseless = 0
    for _dirpath, _dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames:
            suffix = Path(name).suffix
            kinds["*" + suffix if suffix else "(no extension)"] += 1
            caseless += case_sensitive and insensitive(name)
    if not kinds:
        return "it holds no files"
    found = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
    hint = f"it holds {found}"
    if caseless:
        hint += f"; {caseless} would match with --glob-case insensitive"
    return hint
