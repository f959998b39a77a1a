"""bench/accuracy.py runs in one command and, without the corpora, measures corpus_samples only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_accuracy_script_scores_corpus_samples_without_the_corpora(tmp_path: Path) -> None:
    out = tmp_path / "accuracy.md"
    env = {**os.environ, "REPORTNLP_CORPORA": ""}
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "accuracy.py"), "--out", str(out)],
        capture_output=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr.decode()[-1000:]
    text = out.read_text(encoding="utf-8")
    assert "| corpus_samples: every label right | 0 wrong | 0 wrong | yes |" in text
    assert "Open-i" not in text.split("## corpus_samples")[1]
    assert run.stdout.decode().strip() == text.strip()


def _remaining():
    sys.path.insert(0, str(REPO))
    from bench import accuracy

    return accuracy


def test_what_remains_is_marked_out_of_date_when_the_failure_counts_move() -> None:
    accuracy = _remaining()
    figures = {key: {"fp": fp + 1, "fn": fn} for key, (fp, fn) in accuracy.REMAINING_WRITTEN_FOR.items()}
    warning = accuracy.remaining(figures).body[0]
    assert warning.startswith("**Out of date**")
    assert all(key in warning for key in figures)


def test_what_remains_prints_no_warning_when_the_counts_are_those_it_was_written_for() -> None:
    accuracy = _remaining()
    figures = {key: {"fp": fp, "fn": fn} for key, (fp, fn) in accuracy.REMAINING_WRITTEN_FOR.items()}
    assert "Out of date" not in accuracy.remaining(figures).render()
