"""RE2 shapes remembered across runs (reportnlp.nlp.re2_shapes): a rule regex that an earlier start-up
compiled gets its group shape from the cache folder and its UTF-8 program only when a text needs it; every
pattern made this way matches exactly as one compiled at once, and a stale, damaged or unwritable cache
only means compiling at build as before."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportnlp.nlp import re2_shapes, safe_regex
from reportnlp.nlp.safe_regex import SafePattern, UnsafeRegex, compile_safe

# Our own shapes: named veto / after / optional groups, flags, Unicode classes, plain groups.
PATTERNS: list[tuple[str, int]] = [
    (r"(?P<level>[CTLS]\d{1,2})-(?P<to>[CTLS]?\d{1,2})", 0),
    (r"\bno (?:acute )?fracture\b(?P<veto>\s+of the past)?", re.IGNORECASE),
    (r"(?P<optional_level>L\d-\d)?\s*posterior(?P<after>\s+element)", 0),
    (r"^spine\s*:\s*(\w+)", re.IGNORECASE | re.MULTILINE),
    (r"(\d+)\s*(mm|cm)", 0),
]
TEXTS = [
    "L4-5 and T12-L1",
    "No acute fracture. No fracture of the past.",
    "L4-5 posterior element",
    "SPINE : normal\nspine: Ödem",
    "a 12 mm lesion, 3cm further",
    "Läsion 4 mm at C5-6; no fracture",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(tmp_path))
    yield tmp_path
    re2_shapes.store()  # a failed test must not leave the shapes remembered


@pytest.fixture
def utf8_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The RE2 sources compiled to UTF-8 programs, in order."""
    compiled: list[str] = []
    original = safe_regex._utf8_program

    def counting(source: str) -> object:
        compiled.append(source)
        return original(source)

    monkeypatch.setattr(safe_regex, "_utf8_program", counting)
    return compiled


def _remembered_run(patterns: list[tuple[str, int]] = PATTERNS) -> list[SafePattern]:
    re2_shapes.remember()
    try:
        return [compile_safe(pattern, flags) for pattern, flags in patterns]
    finally:
        re2_shapes.store()


def _results(pattern: SafePattern) -> list[object]:
    out: list[object] = [pattern.groups, pattern.groupindex]
    for text in TEXTS:
        out.append([(m.span(), m.groups()) for m in pattern.finditer(text)])
        out.append([m.span() for m in pattern.matches(text)])
        match = pattern.match(text)
        out.append(None if match is None else match.span())
    return out


def _shape_file(folder: Path) -> Path:
    (found,) = folder.glob("re2-shapes-*")
    return found


def test_a_first_run_writes_the_shapes_it_compiled(cache: Path) -> None:
    _remembered_run()
    assert _shape_file(cache).stat().st_size > 0


def test_a_later_run_compiles_no_utf8_program_at_build(cache: Path, utf8_compiles: list[str]) -> None:
    _remembered_run()
    utf8_compiles.clear()
    _remembered_run()
    assert utf8_compiles == []


def test_remembered_patterns_match_as_patterns_compiled_at_once(cache: Path) -> None:
    _remembered_run()
    remembered = _remembered_run()
    own = [compile_safe(pattern, flags) for pattern, flags in PATTERNS]
    assert [_results(p) for p in remembered] == [_results(p) for p in own]


def test_a_text_beyond_ascii_compiles_the_utf8_program_once(cache: Path, utf8_compiles: list[str]) -> None:
    _remembered_run()
    (level, *_) = _remembered_run()
    utf8_compiles.clear()
    level.search("Läsion at C5-6")
    level.search("Läsion at C6-7")
    level.search("ascii C6-7")
    assert utf8_compiles == [level.source]


def test_a_changed_pattern_is_compiled_and_checked_at_build(cache: Path, utf8_compiles: list[str]) -> None:
    _remembered_run()
    utf8_compiles.clear()
    changed = [(PATTERNS[0][0] + "x", 0)]
    (pattern,) = _remembered_run(changed)
    assert utf8_compiles == [pattern.source]
    re2_shapes.remember()
    try:
        with pytest.raises(UnsafeRegex):
            compile_safe(r"(a)\1")  # refused at build whatever the cache holds
    finally:
        re2_shapes.store()


def test_a_damaged_file_is_ignored_and_patterns_compile_at_build(cache: Path, utf8_compiles: list[str]) -> None:
    first = _remembered_run()
    path = _shape_file(cache)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    utf8_compiles.clear()
    again = _remembered_run()
    assert len(utf8_compiles) == len(PATTERNS)
    assert [_results(p) for p in again] == [_results(p) for p in first]


def test_a_file_of_another_form_is_ignored(cache: Path, utf8_compiles: list[str]) -> None:
    _remembered_run()
    _shape_file(cache).write_bytes(b"not a shapes file")
    utf8_compiles.clear()
    _remembered_run()
    assert len(utf8_compiles) == len(PATTERNS)


def test_another_re2_build_or_install_reads_its_own_file(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                        utf8_compiles: list[str]) -> None:
    _remembered_run()
    monkeypatch.setattr(re2_shapes, "_INSTALL", "/elsewhere/site-packages")
    utf8_compiles.clear()
    _remembered_run()
    assert len(utf8_compiles) == len(PATTERNS)
    assert len(list(cache.glob("re2-shapes-*"))) == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_only_a_slower_run(cache: Path) -> None:
    cache.chmod(0o500)
    try:
        assert [_results(p) for p in _remembered_run()] == [_results(compile_safe(p, f)) for p, f in PATTERNS]
    finally:
        cache.chmod(0o700)
    assert not list(cache.glob("re2-shapes-*"))


def test_an_unwritable_cache_path_is_only_a_slower_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(blocker / "cache"))  # a folder under a file: cannot be made
    assert [_results(p) for p in _remembered_run()] == [_results(compile_safe(p, f)) for p, f in PATTERNS]


def test_the_api_compiles_at_build_and_writes_nothing(cache: Path, utf8_compiles: list[str]) -> None:
    _remembered_run()
    utf8_compiles.clear()
    compile_safe(*PATTERNS[0])  # not between remember() and store(): a library user's process
    assert len(utf8_compiles) == 1
    assert len(list(cache.glob("re2-shapes-*"))) == 1


def test_an_empty_cache_setting_reads_and_writes_no_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          utf8_compiles: list[str]) -> None:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    _remembered_run()
    assert len(utf8_compiles) == len(PATTERNS)
    assert not list(tmp_path.rglob("re2-shapes-*"))


def test_a_remembered_set_builds_its_utf8_form_at_its_first_text_beyond_ascii(cache: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = safe_regex.SafeSet._utf8_set

    def counting(self: safe_regex.SafeSet) -> object:
        built.append(len(self._sources))
        return original(self)

    monkeypatch.setattr(safe_regex.SafeSet, "_utf8_set", counting)
    def start_up() -> safe_regex.SafeSet:
        re2_shapes.remember()
        try:
            return safe_regex.SafeSet([compile_safe(pattern, flags) for pattern, flags in PATTERNS])
        finally:
            re2_shapes.store()

    start_up()
    assert built == [len(PATTERNS)]  # a first start-up builds it with the pipeline
    remembered = start_up()
    assert built == [len(PATTERNS)]
    own = safe_regex.SafeSet([compile_safe(p, f) for p, f in PATTERNS])
    for text in TEXTS:
        assert remembered.matching(text) == own.matching(text)
    assert built == [len(PATTERNS), len(PATTERNS), len(PATTERNS)]  # own at build, the remembered one at "Läsion"
