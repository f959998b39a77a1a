"""A batch run stopped part way: whole lines only, no partial file at the target, a documented exit
code and one line on stderr; ``--resume`` then finishes the file exactly as an uninterrupted run would.

Every test here runs the real command in a subprocess and sends it real signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

import reportnlp

PACKAGE_ROOT = Path(reportnlp.__file__).resolve().parents[1]
CORPUS = PACKAGE_ROOT / "corpus_samples"
N_REPORTS = 200

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "reportnlp", *args]


def environment() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("NO_PROGRESS", None)
    return env


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command(*args), capture_output=True, cwd=cwd, env=environment(), timeout=300, check=False)


def lines_of(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def start_and_stop(args: list[str], cwd: Path, part: Path, signum: int, after_records: int = 20) -> tuple[int, str]:
    """Start a run, send `signum` once `part` holds `after_records` records; exit code and stderr."""
    proc = subprocess.Popen(command(*args), cwd=cwd, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while lines_of(part) < after_records:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N_REPORTS distinct reports (the sample reports, each with its own header line)."""
    root = tmp_path_factory.mktemp("interrupt")
    samples = sorted(CORPUS.glob("*.txt"))
    (root / "reports").mkdir()
    for i in range(N_REPORTS):
        text = samples[i % len(samples)].read_text()
        (root / "reports" / f"r{i:04d}.txt").write_text(f"ACCESSION {i}\n{text}")
    return root


@pytest.fixture(scope="module")
def clean_run(workdir: Path) -> bytes:
    result = run("extract", "reports", "-o", "clean.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr
    return (workdir / "clean.jsonl").read_bytes()


@pytest.mark.parametrize(("signum", "jobs", "code"), [
    (signal.SIGTERM, "1", 143),
    (signal.SIGINT, "2", 130),
])
def test_interrupted_output_file_resumes_to_the_uninterrupted_result(
    workdir: Path, clean_run: bytes, signum: int, jobs: str, code: int
) -> None:
    target = workdir / f"out_{signum}.jsonl"
    part = workdir / f".{target.name}.part"
    args = ["extract", "reports", "-o", target.name, "--jobs", jobs]
    returncode, stderr = start_and_stop(args, workdir, part, signum)

    assert returncode == code
    assert not target.exists()  # never a partial run under the real name
    written = part.read_bytes()
    assert written.endswith(b"\n") and clean_run.startswith(written)  # whole records, the first ones
    assert 0 < written.count(b"\n") < N_REPORTS
    (message,) = stderr.splitlines()
    assert message.startswith(f"reportnlp: interrupted by {signal.Signals(signum).name} after ")
    assert "--resume" in message

    resumed = run(*args, "--resume", cwd=workdir)
    assert resumed.returncode == 0, resumed.stderr
    assert target.read_bytes() == clean_run
    assert not part.exists()
    assert resumed.stderr.decode().startswith(f"reportnlp: {N_REPORTS} records, 0 failed (")


@pytest.mark.parametrize(("signum", "jobs"), [(signal.SIGTERM, "2"), (signal.SIGINT, "1")])
def test_interrupted_stdout_holds_only_whole_records(workdir: Path, clean_run: bytes, signum: int, jobs: str) -> None:
    proc = subprocess.Popen(command("extract", "reports", "--jobs", jobs), cwd=workdir, env=environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    head = b"".join(proc.stdout.readline() for _ in range(10))  # the run is well under way
    proc.send_signal(signum)
    out = head + proc.stdout.read()  # through the same buffer as readline (communicate would skip it)
    err = proc.stderr.read()
    proc.wait(60)
    assert proc.returncode == 128 + signum
    assert out.endswith(b"\n") and clean_run.startswith(out)
    assert all(orjson.loads(line)["status"] == "ok" for line in out.splitlines())
    (message,) = err.decode().splitlines()
    assert message.startswith(f"reportnlp: interrupted by {signal.Signals(signum).name} after ")


def test_resume_after_a_hard_kill_redoes_the_cut_short_record(workdir: Path, clean_run: bytes) -> None:
    lines = clean_run.splitlines(keepends=True)
    (workdir / ".killed.jsonl.part").write_bytes(b"".join(lines[:150]) + lines[150][:100])  # SIGKILL mid-line
    result = run("extract", "reports", "-o", "killed.jsonl", "--resume", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "killed.jsonl").read_bytes() == clean_run


def test_resume_with_other_inputs_is_a_usage_error_that_keeps_the_part_file(workdir: Path, clean_run: bytes) -> None:
    part = workdir / ".other.jsonl.part"
    part.write_bytes(b"".join(clean_run.splitlines(keepends=True)[1:20]))  # starts at the second report
    result = run("extract", "reports", "-o", "other.jsonl", "--resume", cwd=workdir)
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("reportnlp: error: ") and "cannot resume" in line
    assert part.exists() and not (workdir / "other.jsonl").exists()


# --- the signal handlers themselves (in this process) -------------------------------------------


def test_a_signal_stops_the_run_at_once_outside_a_write() -> None:
    from reportnlp.run.signals import Interrupted, StopSignals

    with pytest.raises(Interrupted) as caught, StopSignals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # a long report: not waited for
    assert (caught.value.name, caught.value.exit_code) == ("SIGTERM", 143)


def test_a_signal_during_a_write_is_honoured_once_the_line_is_written() -> None:
    from reportnlp.run.signals import Interrupted, StopSignals

    written = []
    with pytest.raises(Interrupted) as caught, StopSignals() as stop:
        with stop.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            written.append("line")
        written.append("next line")
    assert written == ["line"]
    assert caught.value.exit_code == 130


def test_a_write_that_fails_reports_its_own_error_before_a_signal_that_came_meanwhile() -> None:
    from reportnlp.run.signals import StopSignals

    with pytest.raises(OSError, match="disk full"), StopSignals() as stop, stop.deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        raise OSError("disk full")


def test_a_second_signal_during_a_write_stops_at_once() -> None:
    from reportnlp.run.signals import Interrupted, StopSignals

    written = []
    with pytest.raises(Interrupted), StopSignals() as stop, stop.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        written.append("first part")
        os.kill(os.getpid(), signal.SIGINT)
        written.append("second part")  # a writer blocked on a full pipe must not make us unkillable
    assert written == ["first part"]


def test_the_previous_handlers_come_back_after_the_run() -> None:
    from reportnlp.run.signals import StopSignals

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with StopSignals():
        assert signal.getsignal(signal.SIGTERM) != before[0]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
