"""Partitions of a cluster run: the reports a worker reads back are exactly those of a local run."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import orjson
import pytest

from reportnlp.engines import partitions
from reportnlp.engines.partitions import Partition, TextFile, part_name, partition_reports, plan
from reportnlp.inputs import Report, iter_reports


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> list[str]:
    """A folder (nested, odd encodings, empty, binary), a CSV, a JSONL and a lone file, with ids that
    repeat within one input and across inputs."""
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("FINDINGS: No fracture.\n")
    (folder / "sub" / "b.txt").write_bytes("IMPRESSION: Lytic lesion at L2.\r\n".encode("utf-16"))
    (folder / "c.txt").write_bytes(b"Mild disc bulge \xff at L4-L5.")
    (folder / "empty.txt").write_text("   \n")
    (folder / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    (folder / "skipped.rpt").write_text("not matched by the glob")
    with (tmp_path / "export.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "site"])
        writer.writerow(["a.txt", "No compression fracture.", "north"])  # same id as a folder file
        writer.writerow(["r2", "Sclerotic lesion,\nlikely metastasis.", "south"])
        writer.writerow(["r2", "", "south"])  # repeated within the file, and empty
    lines = [{"id": "r2", "text": "No spinal stenosis."}, {"text": "no id"}, {"id": "j1", "text": 7}]
    (tmp_path / "more.jsonl").write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in lines) + b"{broken\n")
    (tmp_path / "a.txt").write_text("Degenerative disc disease.")  # a lone file: id a.txt again
    return [str(folder), str(tmp_path / "export.csv"), str(tmp_path / "more.jsonl"), str(tmp_path / "a.txt")]


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_reports_read_back_from_partitions_equal_a_local_runs_reports(mixed_inputs: list[str], size: int) -> None:
    read_back = [report for p in plan(mixed_inputs, size=size) for report in partition_reports(p)]
    assert read_back == list(iter_reports(mixed_inputs))


def test_duplicate_ids_are_flagged_across_inputs_as_in_a_local_run(mixed_inputs: list[str]) -> None:
    read_back = [report for p in plan(mixed_inputs, size=2) for report in partition_reports(p)]
    flagged = [r.id for r in read_back if "duplicate_id" in r.warnings]
    assert flagged == ["a.txt", "r2", "r2", "a.txt"]
    assert all(r.warnings.count("duplicate_id") <= 1 for r in read_back)


def test_partitions_hold_at_most_size_reports_in_input_order(mixed_inputs: list[str]) -> None:
    parts = list(plan(mixed_inputs, size=4))
    assert [p.index for p in parts] == list(range(len(parts)))
    assert all(len(p.items) == 4 for p in parts[:-1]) and 1 <= len(parts[-1].items) <= 4
    assert [item.id for p in parts for item in p.items] == [r.id for r in iter_reports(mixed_inputs)]


def test_folder_files_travel_as_paths_and_csv_rows_as_reports(mixed_inputs: list[str]) -> None:
    items = [item for p in plan(mixed_inputs) for item in p.items]
    by_kind = {type(item).__name__ for item in items if item.id in ("sub/b.txt", "c.txt", "empty.txt")}
    assert by_kind == {"TextFile"}
    csv_items = [item for item in items if isinstance(item, Report) and item.source["format"] == "csv"]
    assert len(csv_items) == 3


def test_a_worker_elsewhere_reads_folder_files_by_absolute_path(mixed_inputs: list[str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    relative = os.path.relpath(mixed_inputs[0])
    parts = list(plan([relative]))
    expected = list(iter_reports([relative]))
    monkeypatch.chdir(tmp_path / "reports" / "sub")  # another working folder, as on a remote worker
    assert [r for p in parts for r in partition_reports(p)] == expected
    assert expected[0].source["path"].startswith(relative)  # records show the path as given


def test_the_same_inputs_give_the_same_plan_and_others_a_different_one(mixed_inputs: list[str]) -> None:
    first = [p.ids_sha256 for p in plan(mixed_inputs, size=3)]
    assert first == [p.ids_sha256 for p in plan(mixed_inputs, size=3)]
    assert first != [p.ids_sha256 for p in plan(mixed_inputs[1:], size=3)]


def test_shipped_text_closes_a_partition_before_it_is_full(mixed_inputs: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitions, "MAX_SHIPPED_CHARS", 30)
    csv_only = list(plan(mixed_inputs[1:2], size=1000))
    assert [len(p.items) for p in csv_only] == [2, 1]  # 24 + 34 characters reach 30 at the second row


def test_a_partition_shows_no_report_text_in_logs() -> None:
    partition = Partition(3, (Report("r1", "Lytic lesion of T7.", {"path": None}), TextFile("a", "a", "/a")))
    assert repr(partition) == "Partition(3, 2 reports)"
    assert "Lytic" not in str(partition)


def test_part_files_are_numbered_with_five_digits() -> None:
    assert part_name(7) == "part-00007.jsonl"
    assert Partition(12, ()).name == "part-00012.jsonl"
