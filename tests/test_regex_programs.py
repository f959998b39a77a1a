"""Regex programs remembered across runs (reportnlp.cli.regex_programs): the console script's start-up
takes the program ``re`` made for a pattern in an earlier run instead of parsing the pattern again, and
every pattern it gets this way equals the one ``re`` compiles itself."""

from __future__ import annotations

import re
import re._compiler as re_compiler
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportnlp.cli import regex_programs

from .conftest import RunCli

# Our own shapes: named groups, inline and passed flags, lookaround, bytes, a long alternation.
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<level>[CTLS]\d{1,2})-(?P<to>[CTLS]?\d{1,2})", 0),
    (r"(?i)\bno (?:acute )?fracture\b", 0),
    (r"(?<=[a-z]{2}\.)(?=[A-Z])", 0),
    (r"spine\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE),
    (rb"\r?\n\s*\r?\n", 0),
    ("|".join(f"header{n}:" for n in range(300)), re.IGNORECASE),
]
TEXTS = ["L4-5 and T12-L1", "No acute fracture.", "the spine.Next line", "SPINE : normal\nx", "Header299: text"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(tmp_path))
    yield tmp_path
    regex_programs.store()  # a failed test must not leave re's compile replaced


def _compile_all() -> list[re.Pattern[str] | re.Pattern[bytes]]:
    """Compiled through re._compiler.compile, as re does on a miss of its own in-process cache."""
    return [re_compiler.compile(pattern, flags) for pattern, flags in PATTERNS]


def _remembered_run() -> list[re.Pattern[str] | re.Pattern[bytes]]:
    regex_programs.remember()
    try:
        return _compile_all()
    finally:
        regex_programs.store()


def _program_file(folder: Path) -> Path:
    (found,) = folder.glob("re-programs-*")
    return found


def test_a_first_run_writes_the_programs_it_compiled(cache: Path) -> None:
    _remembered_run()
    assert _program_file(cache).stat().st_size > 0


def test_a_later_run_compiles_remembered_patterns_without_res_parser(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _remembered_run()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(re_compiler._parser, "parse", no_parsing)
    regex_programs.remember()
    try:
        _compile_all()
    finally:
        regex_programs.store()


def test_remembered_patterns_equal_res_own_and_match_alike(cache: Path) -> None:
    _remembered_run()
    remembered = _remembered_run()
    own = _compile_all()
    assert remembered == own  # equal patterns: same pattern text, flags and program
    for mine, theirs in zip(remembered, own, strict=True):
        assert (mine.groups, mine.groupindex) == (theirs.groups, theirs.groupindex)
        for text in TEXTS:
            subject = text.encode() if isinstance(mine.pattern, bytes) else text
            assert [m.span() for m in mine.finditer(subject)] == [m.span() for m in theirs.finditer(subject)]  # type: ignore[arg-type]


def test_a_run_that_compiled_nothing_new_leaves_the_file_alone(cache: Path) -> None:
    _remembered_run()
    written = _program_file(cache).stat().st_mtime_ns
    _program_file(cache).touch()
    touched = _program_file(cache).stat().st_mtime_ns
    _remembered_run()
    assert _program_file(cache).stat().st_mtime_ns == touched != 0 and written != 0


def test_a_damaged_file_is_ignored_and_re_compiles_as_usual(cache: Path) -> None:
    _remembered_run()
    path = _program_file(cache)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert _remembered_run() == _compile_all()


def test_a_program_sre_refuses_falls_back_to_res_own_compile(cache: Path) -> None:
    regex_programs.remember()
    programs = regex_programs._active
    assert programs is not None
    key = (PATTERNS[0][0], PATTERNS[0][1])
    programs.known[key] = (0, [999_999, 1, 2], 2, {}, (None, None, None))  # no program _sre accepts
    try:
        compiled = re_compiler.compile(*PATTERNS[0])
    finally:
        regex_programs.store()
    assert key not in programs.known  # tried, refused, dropped
    assert compiled == re_compiler.compile(*PATTERNS[0])


def test_store_gives_re_its_own_compile_back(cache: Path) -> None:
    original = re_compiler.compile
    regex_programs.remember()
    assert re_compiler.compile is not original
    regex_programs.store()
    assert re_compiler.compile is original


def test_two_installs_keep_their_own_program_files(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second work tree or venv must not overwrite the first's programs on every run (each would
    find the other's file, compile, and write its own)."""
    _remembered_run()
    monkeypatch.setattr(regex_programs, "_INSTALL", "/elsewhere/site-packages")
    _remembered_run()
    assert len(list(cache.glob("re-programs-*"))) == 2


def test_an_empty_cache_setting_reads_and_writes_no_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert _remembered_run() == _compile_all()
    assert not list(tmp_path.rglob("re-programs-*"))


def test_extract_writes_the_same_record_with_and_without_remembered_programs(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = b"CT of the thoracic spine. Compression deformity of T12, new since the prior exam.\n"
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    plain = cli("extract", "-", stdin=report)
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(tmp_path))
    first = cli("extract", "-", stdin=report)
    assert _program_file(tmp_path).stat().st_size > 0
    second = cli("extract", "-", stdin=report)
    assert plain.returncode == first.returncode == second.returncode == 0
    assert plain.stdout == first.stdout == second.stdout


def test_a_second_start_up_finds_every_program_and_rewrites_nothing(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pattern the start-up compiles has the same text in every process, whatever its string hashing: a
    pattern built from a set's order (two cause-cue alternations until session 29) missed the file on every run,
    was parsed again and had the whole file rewritten."""
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(tmp_path))
    report = b"MRI lumbar spine. No fracture. Mild disc bulge at L4-L5.\n"
    monkeypatch.setenv("PYTHONHASHSEED", "1")
    assert cli("extract", "-", stdin=report).returncode == 0
    written = {path.name: path.read_bytes() for path in tmp_path.glob("re*-*")}
    assert {name.split("-")[0] for name in written} >= {"re", "re2"}  # the programs and the RE2 shapes
    monkeypatch.setenv("PYTHONHASHSEED", "2")
    assert cli("extract", "-", stdin=report).returncode == 0
    assert {path.name: path.read_bytes() for path in tmp_path.glob("re*-*")} == written
