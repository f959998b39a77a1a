"""`reportnlp extract --engine dask` on a real Dask LocalCluster (a scheduler and two worker
processes on loopback): the records of a local run, a killed worker that loses nothing, resume."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import PACKAGE_ROOT, REPO, RunCli

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

pytestmark = pytest.mark.slow


def _cluster() -> Any:
    return distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                    dashboard_address=":0", silence_logs=50)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with _cluster() as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated reports (bench/reportgen.py, no corpus text): a folder of 360 .txt files, a JSONL of
    60 and a CSV of 20 with an extra column."""
    root = tmp_path_factory.mktemp("cluster_data")
    made = subprocess.run([sys.executable, str(REPO / "bench" / "reportgen.py"), "440", "--seed", "11"],
                          capture_output=True, check=True).stdout.splitlines()
    rows = [orjson.loads(line) for line in made]
    (root / "folder").mkdir()
    for row in rows[:360]:
        (root / "folder" / f"{row['id']}.txt").write_text(row["text"])
    (root / "more.jsonl").write_bytes(b"\n".join(made[360:420]) + b"\n")
    with (root / "export.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "site"])
        writer.writerows([row["id"], row["text"], "north"] for row in rows[420:])
    return root


def _local(cli: RunCli, tmp: Path, *inputs: str) -> bytes:
    """What `reportnlp extract --jobs 1` writes for these inputs."""
    out = tmp / "local.jsonl"
    run = cli("extract", *inputs, "--jobs", "1", "-o", str(out))
    assert run.returncode == 0, run.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def mixed(data: Path) -> list[str]:
    return ["corpus_samples/", str(data / "more.jsonl"), str(data / "export.csv")]


@pytest.fixture(scope="module")
def mixed_local(cli: RunCli, data: Path, mixed: list[str], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _local(cli, tmp_path_factory.mktemp("mixed"), *mixed)


@pytest.fixture(scope="module")
def folder_local(cli: RunCli, data: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _local(cli, tmp_path_factory.mktemp("folder"), str(data / "folder"))


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def _start(*args: str) -> subprocess.Popen[bytes]:
    """The command in the background, to act on the cluster while it runs."""
    return subprocess.Popen([sys.executable, "-m", "reportnlp", "extract", *args], cwd=REPO, env=_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _parts(out: Path) -> bytes:
    names = sorted(p.name for p in out.glob("part-*.jsonl"))
    return b"".join((out / name).read_bytes() for name in names)


def _manifest(out: Path) -> dict[str, Any]:
    return orjson.loads((out / "manifest.json").read_bytes())


def _wait_until(condition: Any, what: str, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting until {what}")


def test_the_part_files_in_order_are_a_local_runs_records_byte_for_byte(
    cli: RunCli, scheduler: str, mixed: list[str], mixed_local: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = cli("extract", *mixed, "--engine", "dask", "--scheduler", scheduler, "--partition-size", "25", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert _parts(out) == mixed_local
    manifest = _manifest(out)
    assert manifest["complete"] is True and manifest["errors"] == []
    assert manifest["totals"]["records"] == manifest["totals"]["inputs"] == mixed_local.count(b"\n") == 132
    assert [p["file"] for p in manifest["partitions"]] == [f"part-{i:05d}.jsonl" for i in range(6)]
    assert all(p["inputs"] == p["records"] for p in manifest["partitions"])
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("part-")) == [".reportnlp.lock", "manifest.json"]
    assert run.stderr.decode().endswith("reportnlp: 132 records, 0 failed, 6 partitions\n")


def test_without_an_output_folder_the_records_stream_to_stdout_in_input_order(
    cli: RunCli, scheduler: str, mixed: list[str], mixed_local: bytes
) -> None:
    run = cli("extract", *mixed, "--engine", "dask", "--scheduler", scheduler, "--partition-size", "10")
    assert run.returncode == 0, run.stderr
    assert run.stdout == mixed_local


def test_summarize_reads_the_output_folder(cli: RunCli, scheduler: str, mixed: list[str], mixed_local: bytes,
                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("extract", *mixed, "--engine", "dask", "--scheduler", scheduler, "--partition-size", "40",
               "-o", str(out)).returncode == 0
    (tmp_path / "local.jsonl").write_bytes(mixed_local)
    from_folder = cli("summarize", str(out), "--format", "json")
    from_file = cli("summarize", str(tmp_path / "local.jsonl"), "--format", "json")
    assert from_folder.returncode == from_file.returncode == 0
    folder_summary, file_summary = orjson.loads(from_folder.stdout), orjson.loads(from_file.stdout)
    assert folder_summary.pop("inputs") == [str(out)]
    file_summary.pop("inputs")
    assert folder_summary == file_summary


def _kill_the_worker_building_in_a_partition(client: Any) -> int:
    """On a fresh cluster one worker builds the pipeline to check the rules, the other builds it in
    its first partition (about 2 s): kill that one then; returns its pid."""
    pids = client.run(os.getpid)

    def holding(word: str) -> list[str]:
        return [w for w, keys in client.processing().items() if any(word in str(key) for key in keys)]

    checker = _wait_until(lambda: holding("-check"), "a worker checks the rules")[0]
    victim = next(address for address in pids if address != checker)
    _wait_until(lambda: victim in holding("part-"), "the other worker holds a partition")
    os.kill(pids[victim], signal.SIGKILL)
    return pids[victim]


def test_a_worker_killed_mid_run_loses_nothing(data: Path, folder_local: bytes, tmp_path: Path) -> None:
    """Its partition goes to the other worker or to the replacement its nanny starts."""
    out = tmp_path / "out"
    with _cluster() as cluster, distributed.Client(cluster) as client:
        run = _start(str(data / "folder"), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--partition-size", "30", "-o", str(out))
        victim = _kill_the_worker_building_in_a_partition(client)
        _, stderr = run.communicate(timeout=240)
        assert victim not in client.run(os.getpid).values()  # its nanny started a new worker process
    assert run.returncode == 0, stderr
    assert _parts(out) == folder_local
    manifest = _manifest(out)
    assert manifest["complete"] is True and manifest["totals"]["records"] == 360
    writers = {p["worker"].rsplit(":", 1)[1] for p in manifest["partitions"]}
    assert str(victim) not in writers  # it died holding its first partition: another worker wrote it
    assert not list(out.glob(".part-*"))


def test_a_partition_whose_workers_keep_dying_fails_alone_and_resume_redoes_it(
    data: Path, folder_local: bytes, tmp_path: Path
) -> None:
    """With Dask's allowed-failures at 0, one death fails the partition (KilledWorker), as 4 deaths
    do by default: it gets no part file and a manifest error, the rest is written, --resume redoes it."""
    out = tmp_path / "out"
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), _cluster() as cluster, \
            distributed.Client(cluster) as client:
        args = (str(data / "folder"), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                "--partition-size", "30", "-o", str(out))
        run = _start(*args)
        _kill_the_worker_building_in_a_partition(client)
        _, stderr = run.communicate(timeout=240)
        assert run.returncode == 1, stderr
        manifest = _manifest(out)
        failed = [e["file"] for e in manifest["errors"]]
        assert failed and all("KilledWorker" in e["error"] for e in manifest["errors"])
        assert not any((out / name).exists() for name in failed) and manifest["complete"] is False
        assert f"reportnlp: error: {failed[0]} (partition".encode() in stderr
        again = subprocess.run([sys.executable, "-m", "reportnlp", "extract", *args, "--resume"], cwd=REPO,
                               env=_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=240,
                               check=False)
    assert again.returncode == 0, again.stderr
    assert _parts(out) == folder_local
    assert _manifest(out)["complete"] is True and _manifest(out)["errors"] == []


def test_an_interrupted_run_resumes_without_redoing_finished_partitions(
    cli: RunCli, scheduler: str, data: Path, folder_local: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = (str(data / "folder"), "--engine", "dask", "--scheduler", scheduler, "--partition-size", "15", "-o", str(out))
    run = _start(*args)
    _wait_until(lambda: (out / "manifest.json").exists() and _manifest(out)["partitions"], "a partition is done")
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert b"run the same command with --resume to continue" in stderr
    manifest = _manifest(out)
    assert manifest["complete"] is False
    kept = {p["file"]: (out / p["file"]).stat() for p in manifest["partitions"] if p["status"] == "done"}
    assert 0 < len(kept) < 24

    again = cli(*("extract", *args, "--resume"))
    assert again.returncode == 0, again.stderr
    assert f"({len(kept)} done by the interrupted run)".encode() in again.stderr
    assert _parts(out) == folder_local
    assert _manifest(out)["complete"] is True
    for name, before in kept.items():
        after = (out / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_second_run_into_the_same_folder_needs_resume(cli: RunCli, scheduler: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("corpus_samples/spine_mets_01.txt", "--engine", "dask", "--scheduler", scheduler, "-o", str(out))
    assert cli("extract", *args).returncode == 0
    again = cli("extract", *args)
    assert again.returncode == 2
    assert again.stderr.decode().startswith(f"reportnlp: error: {out}: holds the output of an earlier run")


def test_resume_with_other_rule_files_is_refused(cli: RunCli, scheduler: str, tmp_path: Path) -> None:
    from reportnlp.nlp.rules import builtin_patterns_dir

    out, mine = tmp_path / "out", tmp_path / "my_patterns"
    args = ("corpus_samples/spine_mets_01.txt", "--engine", "dask", "--scheduler", scheduler, "-o", str(out))
    assert cli("extract", *args).returncode == 0
    mine.mkdir()
    for rule_file in builtin_patterns_dir().glob("*.json"):
        (mine / rule_file.name).write_bytes(rule_file.read_bytes())
    (mine / "patient.json").write_bytes((mine / "patient.json").read_bytes() + b"\n")
    refused = cli("extract", *args, "--resume", "--patterns", str(mine))
    assert refused.returncode == 2
    assert b"was written with other rule files; cannot resume" in refused.stderr


def test_workers_starts_a_local_cluster_and_shows_its_dashboard(cli: RunCli, corpus_run: Any) -> None:
    run = cli("extract", "corpus_samples/", "--engine", "dask", "--workers", "2", "--partition-size", "20")
    assert run.returncode == 0, run.stderr
    assert run.stdout == corpus_run.stdout
    first = run.stderr.decode().splitlines()[0]
    assert first.startswith("reportnlp: local Dask cluster, 2 workers (2 threads); dashboard: http://127.0.0.1:")


def test_a_rule_spacy_rejects_stops_the_run_before_any_partition(cli: RunCli, scheduler: str, tmp_path: Path) -> None:
    from reportnlp.nlp.rules import builtin_patterns_dir

    mine, out = tmp_path / "my_patterns", tmp_path / "out"
    mine.mkdir()
    for rule_file in builtin_patterns_dir().glob("*.json"):
        (mine / rule_file.name).write_bytes(rule_file.read_bytes())
    targets = orjson.loads((mine / "targets.json").read_bytes())
    targets["target_rules"].append({"id": "broken_pattern", "concept": "fracture", "pattern": [{"LOWERCASE": "x"}]})
    (mine / "targets.json").write_bytes(orjson.dumps(targets))
    run = cli("extract", "corpus_samples/", "--engine", "dask", "--scheduler", scheduler, "--patterns", str(mine),
              "-o", str(out))
    assert run.returncode == 2
    assert run.stderr.decode().splitlines()[-1].startswith(
        "reportnlp: error: targets.json: rule broken_pattern: token pattern rejected by spaCy")
    assert not list(out.glob("part-*"))
