"""Edges of failure (#17.7): a write error when the output is closed (a file-size limit, a full
device), a closed stdout, a worker that dies outside the per-report guard, a manifest half-written
by a killed run: each is one line on stderr (never report text), its exit code and its clean-up."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reportnlp.engines.part_folder import remove_leftovers
from reportnlp.inputs import Report
from reportnlp.run.pool import parallel_records
from tests.conftest import PACKAGE_ROOT, REPO

SECRET = "Zanzibarquux"


def run(*args: str, preexec: Any = None, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "reportnlp", *args], stdout=stdout, stderr=subprocess.PIPE, cwd=REPO,
                          env=env, preexec_fn=preexec, timeout=300, check=False)


def file_size_limit(kib: int) -> Any:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (kib * 1024, kib * 1024))

    return limit


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as on Linux")
@pytest.mark.parametrize(("kib", "message"), [
    (2, "reportnlp: error: cannot start a worker process (File too large)"),  # the workers' shared memory
    (13, "reportnlp: error: {out}: cannot write (File too large)"),  # a record cut by the limit
])
def test_a_file_size_limit_is_one_line_and_leaves_no_part_file(tmp_path: Path, kib: int, message: str) -> None:
    out = tmp_path / "records.jsonl"
    result = run("extract", "corpus_samples", "-o", str(out), preexec=file_size_limit(kib))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [message.format(out=out)]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_on_stdout_is_one_line(tmp_path: Path) -> None:
    with Path("/dev/full").open("wb") as full:
        result = run("extract", "corpus_samples/spine_mets_01.txt", stdout=full)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["reportnlp: error: stdout: cannot write (No space left on device)"]


@pytest.mark.slow
@pytest.mark.parametrize("engine", [[], ["--engine", "dask"]])
def test_a_closed_stdout_is_a_usage_error_before_any_work(engine: list[str]) -> None:
    if engine:
        pytest.importorskip("distributed")
    result = run("extract", "corpus_samples", *engine, preexec=lambda: os.close(1), stdout=None)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "reportnlp: error: stdout is closed; give -o FILE (or -o FOLDER with --engine dask)"]


def _raise_secret() -> None:
    raise ValueError(f"cannot unpickle {SECRET}")


class RaisesWhenUnpickled:
    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_raise_secret, ())


class Echo:
    def record_for(self, report: Report) -> dict[str, Any]:
        return {"id": report.id, "status": "ok"}


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="workers inherit the stand-in by fork")
def test_a_worker_failing_outside_the_report_guard_prints_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    items = [Report(f"r{i}", "x", {"path": None, "format": "api"}) for i in range(4)]
    items[1] = Report("r1", "x", {"path": None, "format": "api"}, fields={"f": RaisesWhenUnpickled()})
    out = list(parallel_records(items, jobs=1, extractor=Echo()))
    assert [(r["id"], r["status"]) for r in out] == [("r0", "ok"), ("r1", "error"), ("r2", "ok"), ("r3", "ok")]
    assert out[1]["error"]["type"] == "worker_crashed"
    assert "outside the report's guard" in out[1]["error"]["message"]
    err = capfd.readouterr().err
    assert "Traceback" not in err and SECRET not in err


def test_a_manifest_half_written_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    (tmp_path / ".manifest.json.k1l2e3.tmp").write_text('{"partial')
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / "part-00000.jsonl").write_text("")
    assert remove_leftovers(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "part-00000.jsonl"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_other_commands_with_a_closed_or_full_stdout_say_so_in_one_line(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_bytes(b"")  # an empty records file: a summary of 0 records
    closed = run("summarize", str(records), preexec=lambda: os.close(1), stdout=None)
    with Path("/dev/full").open("wb") as full:
        filled = run("summarize", str(records), "--format", "csv", stdout=full)
    assert (closed.returncode, closed.stderr.decode()) == (1, "reportnlp: error: stdout: cannot write (closed)\n")
    assert filled.returncode == 1
    assert filled.stderr.decode() == "reportnlp: error: stdout: cannot write (No space left on device)\n"


def test_the_cyclic_gc_is_paused_while_a_report_is_processed(extractor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A huge report's objects would be walked by every full collection on the way (superlinear CPU):
    the collector is off while one record is built, and back on after."""
    import gc

    seen: list[bool] = []
    build = type(extractor)._build

    def spy(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return build(self, *args, **kwargs)

    monkeypatch.setattr(type(extractor), "_build", spy)
    assert gc.isenabled()
    record = extractor.record_for_text("r1", "FINDINGS: No fracture.")
    assert record["status"] == "ok"
    assert seen == [False]
    assert gc.isenabled()
