"""The cache folder keeps what start-up work it remembers, and does not grow with every upgrade.

Each file is named by its kind and the SHA-256 of what it depends on, so a new reportnlp, rule set, Python
or spaCy writes a new one; writing one retires all but the newest few of its kind.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from reportnlp.nlp.cache_dir import KEEP_PER_KIND, read_sealed, retire_older, write_sealed
from reportnlp.nlp.rules import record_marker

FORM = b"test-form-1\n"


def _aged(path: Path, seconds_ago: float) -> Path:
    then = time.time() - seconds_ago
    os.utime(path, (then, then))
    return path


def _old_files(folder: Path, kind: str, count: int) -> list[Path]:
    """``count`` files of ``kind``, the first the newest, each an hour older than the one before."""
    files = []
    for n in range(count):
        path = folder / f"{kind}-{n:064x}"
        path.write_bytes(b"x")
        files.append(_aged(path, 3600.0 * (n + 1)))
    return files


def test_a_written_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / ("re-programs-" + "a" * 64)
    write_sealed(path, FORM, {"k": 1})
    assert read_sealed(path, FORM) == {"k": 1}


def test_writing_a_file_keeps_only_the_newest_of_its_kind(tmp_path: Path) -> None:
    old = _old_files(tmp_path, "re-programs", KEEP_PER_KIND + 3)
    path = tmp_path / ("re-programs-" + "f" * 64)
    write_sealed(path, FORM, {"k": 1})
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([path.name] + [p.name for p in old[: KEEP_PER_KIND - 1]])


def test_writing_a_file_leaves_other_kinds_alone(tmp_path: Path) -> None:
    others = _old_files(tmp_path, "re2-shapes", KEEP_PER_KIND + 3)
    write_sealed(tmp_path / ("re-programs-" + "f" * 64), FORM, {"k": 1})
    assert all(p.exists() for p in others)


def test_a_folder_with_few_files_of_a_kind_loses_none(tmp_path: Path) -> None:
    old = _old_files(tmp_path, "re-programs", 2)
    write_sealed(tmp_path / ("re-programs-" + "f" * 64), FORM, {"k": 1})
    assert all(p.exists() for p in old)


def test_a_killed_writers_old_temporary_file_is_removed_and_a_fresh_one_kept(tmp_path: Path) -> None:
    stale = tmp_path / ("re-programs-" + "1" * 64 + "abc.tmp")
    stale.write_bytes(b"half")
    _aged(stale, 2 * 3600.0)
    fresh = tmp_path / ("re-programs-" + "2" * 64 + "def.tmp")
    fresh.write_bytes(b"being written")
    write_sealed(tmp_path / ("re-programs-" + "f" * 64), FORM, {"k": 1})
    assert not stale.exists()
    assert fresh.exists()


def test_a_recorded_rule_check_retires_old_records(tmp_path: Path) -> None:
    old = _old_files(tmp_path, "rules-valid", KEEP_PER_KIND + 1)
    marker = tmp_path / ("rules-valid-" + "f" * 64)
    record_marker(marker)
    assert marker.is_file()
    assert sum(p.exists() for p in old) == KEEP_PER_KIND - 1
    assert not old[-1].exists() and old[0].exists()


def test_retiring_in_a_folder_that_is_gone_does_nothing(tmp_path: Path) -> None:
    retire_older(tmp_path / "missing" / ("re-programs-" + "f" * 64))
