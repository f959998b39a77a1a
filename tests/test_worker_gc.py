"""The cyclic GC around reports: paused while one is processed, and in a worker, what each report leaves
alive is frozen out of it (run/pool.py ``_settle``), which is sound only because a processed report leaves
no reference cycles behind: garbage it makes dies by reference counting. A failed report is collected
before the freeze."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from reportnlp.inputs import Report
from reportnlp.records.assemble import error_record
from reportnlp.run import pool
from reportnlp.run.extractor import Extractor

REPORTS = [
    "EXAM: MRI LUMBAR SPINE\nFINDINGS: Compression fracture of L2 with 30% height loss. No cord compression.\n"
    "L4-5: Disc bulge with mild foraminal stenosis.\nIMPRESSION: Possible osseous metastasis at T6.",
    "Chest, 2 views. The lungs are clear. No acute fracture. Old healed left rib fractures.",
    "HISTORY: 67-year-old woman with breast cancer.\nBone scan: no evidence of metastatic disease.",
    "",
]


class _Node:
    """An object that can sit in a cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: object = None


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The GC off while a test makes garbage, and back as it was after (frozen objects thawed)."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_no_sample_report_leaves_a_reference_cycle(extractor: Extractor, corpus_texts: dict[str, str]) -> None:
    """Every report of corpus_samples (every label, section shape and document type the project writes
    about), processed twice: the freeze would keep any cycle one left until the worker is replaced."""
    gc.collect()
    for _ in range(2):
        for report_id, text in corpus_texts.items():
            extractor.record_for_text(report_id, text)
    assert gc.collect() == 0


@pytest.mark.usefixtures("collector_off")
def test_a_processed_report_leaves_no_reference_cycle(extractor: Extractor) -> None:
    gc.collect()  # whatever building the extractor left
    for i, text in enumerate(REPORTS * 2):  # twice: the second pass meets what the first remembered
        extractor.record_for_text(f"r{i}", text)
    assert gc.collect() == 0


@pytest.mark.usefixtures("collector_off")
def test_a_failed_report_is_collected_before_the_freeze() -> None:
    node = _Node()
    node.other = node
    alive = weakref.ref(node)
    del node
    pool._settle(clean=False)
    assert alive() is None


@pytest.mark.usefixtures("collector_off")
def test_what_an_ok_report_leaves_is_frozen() -> None:
    survivor = _Node()
    frozen = gc.get_freeze_count()
    pool._settle(clean=True)
    assert gc.get_freeze_count() > frozen
    assert not any(o is survivor for o in gc.get_objects())
    del survivor


class _Records:
    """A stand-in extractor whose record for a report is ok or an error record, as its id says."""

    def record_for(self, report: Report) -> dict[str, Any]:
        if report.id == "bad":
            return error_record(report.id, report.source, "processing_error", "ValueError while processing")
        return {"id": report.id, "status": "ok"}


@pytest.mark.parametrize(("report_id", "clean"), [("good", True), ("bad", False)])
def test_the_worker_collects_only_after_a_report_that_failed(report_id: str, clean: bool) -> None:
    report = Report(id=report_id, text="x", source={"path": None, "format": "api"})
    answer, ok = pool._answer(_Records(), 0, report, pool.keep_record, debug=False)
    assert ok is clean
    [(_, record)], _ = pool._answers(answer)
    assert record["id"] == report_id


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_over_a_report_and_back_as_it_was_after(enabled: bool) -> None:
    from reportnlp.nlp.pipeline import collector_paused

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ValueError), collector_paused():
            assert not gc.isenabled()
            raise ValueError  # a failed report too
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
