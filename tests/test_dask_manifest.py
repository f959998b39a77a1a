"""The output folder of a cluster run: its manifest, what --resume keeps, and who may write it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from reportnlp.engines.manifest import MANIFEST, Manifest, read_manifest
from reportnlp.engines.part_folder import FolderLock, check_folder, remove_leftovers
from reportnlp.engines.partition_task import PartitionResult
from reportnlp.engines.partitions import Partition
from reportnlp.inputs import InputUsageError, Report
from reportnlp.records.stream import check_paths, iter_lines, part_files
from reportnlp.run.output import OutputError
from reportnlp.run.resume import ResumeError

try:
    import fcntl
except ImportError:
    fcntl = None  # type: ignore[assignment]

HEADER = {"reportnlp_version": "1.2.3", "patterns_sha256": "a" * 64, "inputs": ["reports/"],
          "options": {"glob": "*.txt", "partition_size": 2}}
LINE = b'{"schema_version": "1.0", "id": "r1", "status": "ok", "labels": {}}\n'


def _partition(index: int, *ids: str) -> Partition:
    return Partition(index, tuple(Report(i, "text", {"path": None}) for i in ids))


def _write_part(folder: Path, partition: Partition, manifest: Manifest, data: bytes = LINE) -> None:
    (folder / partition.name).write_bytes(data)
    manifest.add(partition, PartitionResult(partition.index, reports=1, bytes=len(data),
                                            sha256=hashlib.sha256(data).hexdigest(), worker="host:1"))


@pytest.fixture
def finished(tmp_path: Path) -> tuple[Path, list[Partition]]:
    """A folder where partitions 0 and 1 were written and 2 failed."""
    parts = [_partition(0, "a", "b"), _partition(1, "c", "d"), _partition(2, "e")]
    manifest = Manifest(tmp_path, HEADER)
    _write_part(tmp_path, parts[0], manifest)
    _write_part(tmp_path, parts[1], manifest)
    manifest.fail(parts[2], "the workers running it died 4 times (KilledWorker)")
    manifest.planned = 3
    manifest.save(force=True)
    return tmp_path, parts


def test_the_manifest_counts_partitions_reports_records_and_errors(finished: tuple[Path, Any]) -> None:
    folder, _ = finished
    data = orjson.loads((folder / MANIFEST).read_bytes())
    assert data["patterns_sha256"] == "a" * 64 and data["reportnlp_version"] == "1.2.3"
    assert data["totals"] == {"partitions_done": 2, "partitions_failed": 1, "inputs": 5, "records": 2,
                              "failed_records": 0}
    assert data["errors"] == [{"partition": 2, "file": "part-00002.jsonl",
                               "error": "the workers running it died 4 times (KilledWorker)"}]
    assert [p["status"] for p in data["partitions"]] == ["done", "done", "failed"]
    assert data["complete"] is False and data["partitions_planned"] == 3


def test_the_manifest_is_replaced_whole_leaving_no_temporary_file(finished: tuple[Path, Any]) -> None:
    folder, _ = finished
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, "part-00000.jsonl", "part-00001.jsonl"]


def test_resume_keeps_intact_done_partitions_and_redoes_the_rest(finished: tuple[Path, Any]) -> None:
    folder, parts = finished
    again = Manifest(folder, HEADER, read_manifest(folder))
    assert [again.already_done(p) for p in parts] == [True, True, False]


def test_resume_redoes_a_partition_whose_part_file_changed_or_vanished(finished: tuple[Path, Any]) -> None:
    folder, parts = finished
    (folder / parts[0].name).write_bytes(LINE.replace(b"r1", b"r9"))  # same size, other bytes
    (folder / parts[1].name).unlink()
    again = Manifest(folder, HEADER, read_manifest(folder))
    assert [again.already_done(p) for p in parts[:2]] == [False, False]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("patterns_sha256", "b" * 64, "other rule files"),
    ("reportnlp_version", "9.9", "written by reportnlp 1.2.3"),
    ("inputs", ["other/"], "other inputs or options"),
    ("options", {"glob": "*.rpt", "partition_size": 2}, "other inputs or options"),
])
def test_resume_refuses_another_runs_folder(finished: tuple[Path, Any], key: str, value: Any, message: str) -> None:
    folder, _ = finished
    with pytest.raises(ResumeError, match=message):
        Manifest(folder, {**HEADER, key: value}, read_manifest(folder))


def test_resume_refuses_a_plan_whose_partition_holds_other_reports(finished: tuple[Path, Any]) -> None:
    folder, _ = finished
    again = Manifest(folder, HEADER, read_manifest(folder))
    with pytest.raises(ResumeError, match="partition 0 was for other reports"):
        again.already_done(_partition(0, "a", "x"))


def test_a_folder_with_an_earlier_run_needs_resume(finished: tuple[Path, Any]) -> None:
    folder, _ = finished
    with pytest.raises(InputUsageError, match="add --resume to continue it"):
        check_folder(str(folder), resume=False)
    assert check_folder(str(folder), resume=True) == folder


def test_the_output_must_be_a_folder_whose_parent_exists(tmp_path: Path) -> None:
    (tmp_path / "records.jsonl").write_bytes(LINE)
    with pytest.raises(InputUsageError, match="is not a folder"):
        check_folder(str(tmp_path / "records.jsonl"), resume=False)
    with pytest.raises(InputUsageError, match="parent folder does not exist"):
        check_folder(str(tmp_path / "no" / "out"), resume=False)
    assert check_folder(str(tmp_path / "out"), resume=False) == tmp_path / "out"


def test_part_files_without_a_manifest_cannot_be_resumed(tmp_path: Path) -> None:
    (tmp_path / "part-00000.jsonl").write_bytes(LINE)
    with pytest.raises(InputUsageError, match=r"no manifest\.json"):
        check_folder(str(tmp_path), resume=True)


@pytest.mark.skipif(fcntl is None, reason="advisory locks need fcntl")
def test_one_run_at_a_time_writes_a_folder(tmp_path: Path) -> None:
    with FolderLock(tmp_path / "out"), pytest.raises(OutputError, match="another reportnlp run is writing it"):
        FolderLock(tmp_path / "out").__enter__()
    with FolderLock(tmp_path / "out"):  # released at the end of the first run
        pass


@pytest.mark.skipif(fcntl is None, reason="advisory locks need fcntl")
def test_leftovers_of_killed_workers_are_removed_but_not_a_live_writers_file(tmp_path: Path) -> None:
    dead, live = tmp_path / ".part-00001.jsonl.part", tmp_path / ".part-00002.jsonl.part"
    dead.write_bytes(LINE[:10])
    live.write_bytes(LINE[:10])
    fd = os.open(live, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert remove_leftovers(tmp_path) == 1
    finally:
        os.close(fd)
    assert not dead.exists() and live.exists()


def test_part_files_come_in_partition_order_past_five_digits(tmp_path: Path) -> None:
    for name in ("part-100000.jsonl", "part-99999.jsonl", "part-00002.jsonl", "part-x.jsonl", ".part-00001.jsonl.part"):
        (tmp_path / name).write_bytes(LINE)
    assert [p.name for p in part_files(tmp_path)] == ["part-00002.jsonl", "part-99999.jsonl", "part-100000.jsonl"]


def test_records_are_read_from_a_folder_of_part_files(tmp_path: Path) -> None:
    (tmp_path / "part-00001.jsonl").write_bytes(LINE.replace(b"r1", b"r2"))
    (tmp_path / "part-00000.jsonl").write_bytes(LINE)
    check_paths([str(tmp_path)])
    assert [line.record["id"] for line in iter_lines([str(tmp_path)]) if line.record] == ["r1", "r2"]


def test_a_folder_without_part_files_is_not_an_input(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"folder without part-\*\.jsonl files"):
        check_paths([str(tmp_path)])
