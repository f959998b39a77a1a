"""A report reaches its worker whole, and its answer comes back whole: every field survives the pipe's packing
(run/pool.py ``_pack``, ``_frame``)."""

from __future__ import annotations

import pytest

from reportnlp.inputs import Report
from reportnlp.inputs.report import ReadError
from reportnlp.run import pool

REPORTS = [
    Report(id="a", text="No fracture.", source={"path": "in.jsonl", "format": "jsonl", "line": 3, "encoding": None}),
    Report(id="b", text=None, source={"path": "x.txt", "format": "txt"}, error=ReadError("unreadable", "bad bytes"),
           warnings=("empty_report",), fields={"patient": "p1", "date": "2021-03-14"}),
    Report(id="c\u00e9", text="L2 fracture.\ud800", source={}, warnings=("a", "b")),
]


@pytest.mark.parametrize("report", REPORTS, ids=[r.id for r in REPORTS])
def test_a_packed_report_unpacks_to_the_same_report(report: Report) -> None:
    packed = pool._pack((7, report))
    [(seq, frame)] = list(pool._frames(packed))
    assert seq == 7
    assert pool._unpack(frame) == report


ANSWERS = [
    (b'{"id":"a"}\n', "a", None, False),  # a record's line and what the command says about it (output.encoded_fields)
    (b"", "b", "ValueError while processing", False),
    ({"id": "c", "status": "ok", "line": b"x"}, ),  # a record as it is (pool.keep_record), in a tuple or not
    {"id": "c", "status": "ok"},
    (b"\x00" * 70_000, "d\u00e9\ud800", None, True),
    b"bytes alone",
    None,
]


def test_answers_come_back_whole_in_order_from_one_stream_read_in_any_pieces() -> None:
    stream = b"".join(pool._frame(seq, answer) for seq, answer in enumerate(ANSWERS, start=40))
    for cut in (1, 17, 4096, len(stream) - 1):
        pairs, rest = pool._answers(stream[:cut])
        more, left = pool._answers(rest + stream[cut:])
        assert left == b""
        assert pairs + more == list(enumerate(ANSWERS, start=40))
