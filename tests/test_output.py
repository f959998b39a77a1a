"""JsonlWriter: a file given with -o appears only when complete, and special files stay special."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import orjson
import pytest

from reportnlp.output import JsonlWriter, OutputError

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
