"""JsonlWriter: a file given with -o appears only when complete, an interrupted one can be resumed,
special files stay special, and lines are written whole."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from reportnlp.inputs import Report
from reportnlp.run.output import JsonlWriter, OutputError, dumps
from reportnlp.run.resume import ResumeError, check_rules, scan, skip_done
from reportnlp.run.signals import Interrupted

RECORDS = [{"id": "a", "status": "ok"}, {"id": "b", "status": "error"}]


def test_file_appears_only_when_the_run_completes(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with JsonlWriter(str(out)) as writer:
        writer.write(RECORDS[0])
        assert not out.exists()
        writer.write(RECORDS[1])
    assert [orjson.loads(line) for line in out.read_bytes().splitlines()] == RECORDS
    assert writer.count == 2
    assert [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]


def test_a_failed_run_leaves_no_file_and_no_part_file(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with pytest.raises(RuntimeError), JsonlWriter(str(out)) as writer:
        writer.write(RECORDS[0])
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    out.write_bytes(b"previous\n")
    with pytest.raises(RuntimeError), JsonlWriter(str(out)):
        raise RuntimeError("interrupted")
    assert out.read_bytes() == b"previous\n"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"), JsonlWriter(str(tmp_path)):
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with JsonlWriter(str(fifo)) as writer:
        writer.write(RECORDS[0])
    reader.join(10)
    assert received == [orjson.dumps(RECORDS[0]) + b"\n"]
    assert fifo.is_fifo()


# --- interruption and --resume ----------------------------------------------------------------


def part_of(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def test_each_record_reaches_the_file_as_a_whole_line_when_written(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with JsonlWriter(str(out)) as writer:
        writer.write(RECORDS[0])
        assert part_of(out).read_bytes() == orjson.dumps(RECORDS[0]) + b"\n"  # flushed: a kill loses nothing
        writer.write(RECORDS[1])


def test_lines_written_together_reach_the_file_whole_and_each_counts(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with JsonlWriter(str(out)) as writer:
        writer.write_lines([dumps(RECORDS[0]), dumps(RECORDS[1])])
        assert part_of(out).read_bytes() == dumps(RECORDS[0]) + dumps(RECORDS[1])  # flushed
        writer.write_lines([dumps(RECORDS[0])])
        assert writer.count == 3


def test_an_interrupted_run_keeps_its_part_file_for_resume(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with pytest.raises(Interrupted), JsonlWriter(str(out)) as writer:
        writer.write(RECORDS[0])
        raise Interrupted(signal.SIGTERM)
    assert not out.exists()
    assert part_of(out).read_bytes() == orjson.dumps(RECORDS[0]) + b"\n"


def test_resume_appends_after_the_records_already_written(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    part_of(out).write_bytes(orjson.dumps(RECORDS[0]) + b"\n" + b'{"id": "b", "sta')  # cut short by a kill
    with JsonlWriter(str(out), resume=True) as writer:
        assert (writer.done.ids, writer.done.failed) == (["a"], 0)
        writer.write(RECORDS[1])
    assert out.read_bytes() == b"".join(orjson.dumps(r) + b"\n" for r in RECORDS)
    assert not part_of(out).exists()


def test_resume_counts_the_failed_records_already_written(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    part_of(out).write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in RECORDS))
    with JsonlWriter(str(out), resume=True) as writer:
        assert (writer.done.ids, writer.done.failed, writer.done_count) == (["a", "b"], 1, 2)


def test_resume_refuses_a_part_file_with_a_broken_record_inside(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    part_of(out).write_bytes(b"not a record\n" + orjson.dumps(RECORDS[0]) + b"\n")
    with pytest.raises(ResumeError, match="line 1 is not a record"), JsonlWriter(str(out), resume=True):
        pass
    assert part_of(out).exists()


def test_without_resume_a_stale_part_file_is_started_over(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    part_of(out).write_bytes(orjson.dumps(RECORDS[0]) + b"\n")
    with JsonlWriter(str(out)) as writer:
        writer.write(RECORDS[1])
    assert out.read_bytes() == orjson.dumps(RECORDS[1]) + b"\n"


@pytest.mark.skipif(os.name != "posix", reason="advisory locks")
def test_two_runs_cannot_write_the_same_file(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    with JsonlWriter(str(out)) as first:
        with pytest.raises(OutputError, match="another reportnlp run is writing it"), JsonlWriter(str(out)):
            pass
        first.write(RECORDS[0])
    assert out.read_bytes() == orjson.dumps(RECORDS[0]) + b"\n"


def _reports(*ids: str) -> list[Report]:
    return [Report(rid, "text", {}) for rid in ids]


def test_resume_skips_the_reports_already_written() -> None:
    assert [r.id for r in skip_done(_reports("a", "b", "a", "c"), ["a", "b"], "p")] == ["a", "c"]


@pytest.mark.parametrize("done", [["b"], ["a", "b", "c"]])
def test_resume_refuses_other_reports_or_fewer_reports(done: list[str]) -> None:
    with pytest.raises(ResumeError, match="cannot resume"):
        list(skip_done(_reports("a", "b"), done, "p"))


def test_resume_refuses_records_made_with_other_rules(tmp_path: Path) -> None:
    part = tmp_path / "p"
    part.write_bytes(orjson.dumps({"id": "a", "status": "ok", "pipeline": {"patterns_sha256": "x"}}) + b"\n")
    with part.open("rb") as fh:
        done = scan(fh, "p")
    check_rules(done, "x", "p")
    with pytest.raises(ResumeError, match="other rule files"):
        check_rules(done, "y", "p")


def test_a_stream_that_takes_part_of_a_line_per_call_still_gets_whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout under `python -u` is a raw stream: a write to a full pipe that a signal interrupts
    returns after taking part of the line."""
    class Trickle(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += bytes(b[:7])
            return min(len(b), 7)

    trickle = Trickle()
    monkeypatch.setattr(sys, "stdout", SimpleNamespace(buffer=trickle))
    with JsonlWriter("-") as writer:
        writer.write(RECORDS[0])
        writer.write(dumps(RECORDS[1]))  # a line encoded beforehand, as `extract` writes them
    assert bytes(trickle.data) == dumps(RECORDS[0]) + dumps(RECORDS[1])
