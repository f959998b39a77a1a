"""A report reaches its worker whole: every field of it survives the pipe's packing (run/pool.py ``_pack``)."""

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
