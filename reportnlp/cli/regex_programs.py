"""Python regex programs remembered across runs of the console script.

Python's ``re`` parses and compiles a pattern in pure Python; only the finished program (a list of
integers) is handed to C (``_sre.compile``). A one-report ``extract`` compiles about 440 patterns on its
way to the first record (spaCy's affix rules and tokenizer exceptions, the section header scans, the
rule checks, module-level patterns): about 0.2 s of CPU, a fifth of the run. While the command starts
up, :func:`remember` has ``re`` take a program it made before from one file in the cache folder, as
``__pycache__`` does for Python's own code; :func:`store` puts the programs the start-up used there
when some were new. Only the console script does this, never the API.

The file is named by the SHA-256 of the Python build, of ``_sre``'s program format and of the folder
reportnlp is installed in, so another Python never reads it and two installs (a second work tree, a
second venv) do not overwrite each other's programs on every run; it holds the programs of one start-up
(bounded), behind the SHA-256 of its bytes. A program is remembered only when ``_sre`` compiled it to a
pattern equal to ``re``'s own (equal patterns have the same program), and ``_sre`` checks every program
it is given; anything unreadable or refused is compiled by ``re`` as usual, so a run without the file
gives the same patterns.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from reportnlp.nlp import re2_shapes
from reportnlp.nlp.cache_dir import cache_folder, read_sealed, write_sealed

_FORMAT = b"reportnlp-re-programs-1\n"
_MOST = 5_000  # programs in the file (a start-up uses about 440, 1 MB)
_MOST_CODES = 2_000_000  # integers in all its programs (about 5 bytes each in the file)

# (pattern, flags) -> (flags, program, groups - 1, group index, index group): _sre.compile's arguments
_Key = tuple[str | bytes, int]
_INSTALL = str(Path(__file__).resolve().parent.parent)  # the reportnlp package folder: one file per install
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


class _Programs:
    """The remembered programs and the compile function standing in for ``re._compiler.compile``."""

    def __init__(self, path: Path | None, known: dict[_Key, _Entry], sre: Any, compiler: Any) -> None:
        self.path, self.known, self.sre, self.compiler = path, known, sre, compiler
        self.original = compiler.compile
        self.used: dict[_Key, _Entry] = {}
        self.new = 0

    def compile(self, p: Any, flags: int = 0) -> Any:
        if not isinstance(p, str | bytes) or flags & self.compiler.SRE_FLAG_DEBUG:
            return self.original(p, flags)
        key = (p, int(flags))
        entry = self.known.get(key)
        if entry is not None:
            try:
                compiled = self.sre.compile(p, *entry)
            except Exception:  # a program _sre refuses: re compiles the pattern as usual
                self.known.pop(key, None)
            else:
                self.used[key] = entry
                return compiled
        compiled = self.original(p, flags)
        entry = self._program(p, key[1])
        if entry is not None and self.sre.compile(p, *entry) == compiled:  # equal patterns: equal programs
            self.used[key] = entry
            self.new += 1
        return compiled

    def _program(self, p: str | bytes, flags: int) -> _Entry | None:
        """The arguments ``re._compiler.compile`` gives ``_sre.compile`` for this pattern."""
        try:
            parsed = self.compiler._parser.parse(p, flags)
            code = self.compiler._code(parsed, flags)
        except Exception:  # not for this re (re itself compiled the pattern)
            return None
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        # opcodes are an int subclass: plain ints, as marshal writes them
        program = list(map(int, code))
        return (int(flags | parsed.state.flags), program, int(parsed.state.groups) - 1, groupindex, tuple(indexgroup))


_active: _Programs | None = None


def remember() -> None:
    """Until :func:`store`, ``re`` takes the programs remembered in the cache folder (nothing without one),
    and a rule regex RE2 compiled in an earlier start-up its shape (reportnlp.nlp.re2_shapes)."""
    global _active
    if _active is not None:
        return
    re2_shapes.remember()
    try:
        import _sre
        import re._compiler as compiler
    except ImportError:
        return
    if not all(hasattr(compiler, name) for name in ("compile", "_code", "_parser", "SRE_FLAG_DEBUG")):
        return
    path = _file(_sre)
    _active = _Programs(path, read_sealed(path, _FORMAT) if path else {}, _sre, compiler)
    compiler.compile = _active.compile


def store() -> None:
    """``re`` compiles on its own again; the programs this start-up used go to the file if some were new
    (and the RE2 shapes to theirs)."""
    global _active
    re2_shapes.store()
    programs, _active = _active, None
    if programs is None:
        return
    programs.compiler.compile = programs.original
    if programs.new and programs.path:
        _write(programs.path, programs.used)


def _file(sre: Any) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    build = f"{sys.version}\0{sys.implementation.cache_tag}\0{sre.MAGIC}\0{sre.CODESIZE}\0{sre.MAXREPEAT}\0{_INSTALL}"
    return folder / f"re-programs-{hashlib.sha256(_FORMAT + build.encode()).hexdigest()}"


def _write(path: Path, used: dict[_Key, _Entry]) -> None:
    kept: dict[_Key, _Entry] = {}
    codes = 0
    for key, entry in used.items():
        codes += len(entry[1])
        if len(kept) >= _MOST or codes > _MOST_CODES:
            break
        kept[key] = entry
    write_sealed(path, _FORMAT, kept)
