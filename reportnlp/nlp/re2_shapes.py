"""RE2 patterns' group shapes remembered across runs of the console script.

Every rule regex is compiled by RE2 for UTF-8 text when the pipeline is built (reportnlp.nlp.safe_regex):
about 420 patterns, 70 ms of a one-report ``extract``'s CPU, mostly RE2 parsing Unicode classes under case
folding. Yet an ASCII text is searched with each pattern's Latin-1 program, made at its first use, so the
UTF-8 program serves only texts with a character beyond ASCII. What the build needs of it is that RE2
accepts the pattern and how many groups it has under which names. While the console script starts up
(:func:`remember`), a pattern whose RE2 source an earlier start-up compiled gets that shape from one file of
the cache folder and its UTF-8 program when a text first needs it; :func:`store` writes the shapes this
start-up used when some were new. Only the console script does this, never the API.

The file is named by the SHA-256 of its format, of the RE2 extension module (path, size, modification
time) and of the folder reportnlp is installed in, so another RE2 build never reads it; it holds the
shapes of one start-up (bounded), behind the SHA-256 of its bytes. The RE2 source carries the flags, so a
changed pattern or flag is a new entry; a pattern not in the file, a damaged or unreadable file, or no
cache folder (REPORTNLP_CACHE_DIR empty) means RE2 compiles the pattern at build as before. The shape
decides nothing about a match: matching runs the compiled programs either way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportnlp.nlp.cache_dir import cache_folder, read_sealed, write_sealed

_FORMAT = b"reportnlp-re2-shapes-1\n"
_MOST = 20_000  # shapes in the file (a start-up uses about 420)
_INSTALL = str(Path(__file__).resolve().parent.parent)  # the reportnlp package folder: one file per install

# RE2 source (flags inline) -> (number of capturing groups, {group name: index})
Shape = tuple[int, dict[str, int]]


class _Shapes:
    """The remembered shapes, read at the first pattern compiled, and the ones this start-up used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path: Path | None = None
        self.known: dict[str, Shape] | None = None
        self.used: dict[str, Shape] = {}
        self.new = 0

    def shape_of(self, source: str) -> Shape | None:
        if self.known is None:
            self.path = _file(self.folder)
            self.known = _read(self.path) if self.path else {}
        shape = self.known.get(source)
        if shape is not None:
            self.used[source] = shape
        return shape

    def note(self, source: str, shape: Shape) -> None:
        if source not in self.used:
            self.used[source] = shape
            self.new += 1


_active: _Shapes | None = None


def remember() -> None:
    """Until :func:`store`, a pattern compiled in an earlier start-up takes its shape from the cache folder."""
    global _active
    if _active is not None:
        return
    folder = cache_folder()
    if folder is not None:
        _active = _Shapes(folder)


def shape_of(source: str) -> Shape | None:
    """The remembered shape of an RE2 source, or None (not remembering, or not remembered)."""
    return None if _active is None else _active.shape_of(source)


def note(source: str, shape: Shape) -> None:
    """The shape RE2 gave a source it compiled now, for :func:`store`."""
    if _active is not None:
        _active.note(source, shape)


def store() -> None:
    """Patterns compile at build again; the shapes this start-up used go to the file if some were new."""
    global _active
    shapes, _active = _active, None
    if shapes is None or not shapes.new:
        return
    path = shapes.path or _file(shapes.folder)
    if path is not None:
        write_sealed(path, _FORMAT, dict(list(shapes.used.items())[:_MOST]))


def _file(folder: Path) -> Path | None:
    try:
        from re2 import _re2

        module = Path(_re2.__file__).stat()
    except (ImportError, OSError, AttributeError, TypeError):
        return None
    build = f"{_re2.__file__}\0{module.st_size}\0{module.st_mtime_ns}\0{_INSTALL}"
    return folder / f"re2-shapes-{hashlib.sha256(_FORMAT + build.encode()).hexdigest()}"


def _read(path: Path) -> dict[str, Shape]:
    known = read_sealed(path, _FORMAT)
    return known if all(_is_shape(key, value) for key, value in known.items()) else {}


def _is_shape(source: object, shape: object) -> bool:
    return (isinstance(source, str) and isinstance(shape, tuple) and len(shape) == 2 and isinstance(shape[0], int)
            and isinstance(shape[1], dict) and all(isinstance(n, str) and isinstance(i, int) for n, i in shape[1].items()))
