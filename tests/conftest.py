"""Shared fixtures: one Extractor per session (a pipeline build costs about a second) and a
helper that runs the real command in a subprocess, so tests see the true stdout and stderr."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import reportnlp
from reportnlp.inputs import iter_reports
from reportnlp.run.extractor import Extractor

# Rule-validation markers (reportnlp.nlp.rules) go to a folder of this run, not the user's ~/.cache;
# subprocesses inherit it. A test that needs another setting sets its own.
os.environ["REPORTNLP_CACHE_DIR"] = tempfile.mkdtemp(prefix="reportnlp-test-cache-")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus_samples"
# The folder that holds the `reportnlp` package these tests imported: subprocesses must run the same code.
PACKAGE_ROOT = Path(reportnlp.__file__).resolve().parents[1]

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]


def run_cli(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m reportnlp ARGS` in a subprocess; stdout and stderr captured apart, as bytes."""
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("NO_PROGRESS", None)
    return subprocess.run(
        [sys.executable, "-m", "reportnlp", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or REPO,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def cli() -> RunCli:
    return run_cli


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def corpus_texts() -> dict[str, str]:
    """Report id -> text exactly as read, for every report in corpus_samples/."""
    return {r.id: r.text for r in iter_reports([str(CORPUS)]) if r.text is not None}


@pytest.fixture(scope="session")
def corpus_records(extractor: Extractor) -> list[dict[str, Any]]:
    return [extractor.record_for(report) for report in iter_reports([str(CORPUS)])]


@pytest.fixture(scope="session")
def corpus_run() -> subprocess.CompletedProcess[bytes]:
    """`reportnlp extract corpus_samples/`, run once for every test that reads its output."""
    return run_cli("extract", "corpus_samples/")
