"""Memory stays flat with --jobs 1 (#17.8): the default runs reports in a one-worker pool that is
replaced every RECYCLE_AFTER reports; without a time budget (`--timeout 0`, `reportnlp.run.batch.records`)
the pipeline is rebuilt as often. Both give the same records, byte for byte (bench/soak.py measures the
memory)."""

from __future__ import annotations

from typing import Any

from reportnlp.inputs import iter_reports
from reportnlp.run.batch import in_process
from reportnlp.run.extractor import Extractor
from reportnlp.run.output import dumps
from tests.conftest import CORPUS


def test_rebuilding_the_pipeline_every_few_reports_changes_no_record(extractor: Extractor,
                                                                     corpus_records: list[dict[str, Any]]) -> None:
    reports = list(iter_reports([str(CORPUS)]))[:14]
    rebuilt = list(in_process(reports, extractor, None, False, rebuild_after=7))
    assert [dumps(r) for r in rebuilt] == [dumps(r) for r in corpus_records[:14]]


def test_a_rebuild_gives_a_fresh_vocabulary(monkeypatch: Any, extractor: Extractor) -> None:
    from reportnlp.run import batch

    made: list[Extractor] = []
    original = batch.build_extractor

    def build(*args: Any, **kwargs: Any) -> Extractor:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(batch, "build_extractor", build)
    reports = list(iter_reports([str(CORPUS)]))[:6]
    list(in_process(reports, extractor, None, False, rebuild_after=3))
    assert len(made) == 1  # before the 4th report, not after the last
    assert made[0].nlp.vocab is not extractor.nlp.vocab
    assert len(made[0].nlp.vocab.strings) < len(extractor.nlp.vocab.strings)
