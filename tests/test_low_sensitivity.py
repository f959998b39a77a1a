"""labels.low_sensitivity_negative: no bone metastasis on radiographs only, and its count in summarize."""

from __future__ import annotations

import io
from typing import Any

import pytest

from reportnlp.nlp.rules import load_rules
from reportnlp.records.caution import low_sensitivity_negative
from reportnlp.records.schema import validate_summary
from reportnlp.run.extractor import Extractor
from reportnlp.summary.cohort import summarize
from reportnlp.summary.html import summary_page
from reportnlp.summary.tables import print_rich, to_csv, to_markdown
from tests.fake_records import labels


@pytest.mark.parametrize(
    ("modalities", "status", "flag"),
    [
        (["XR"], "absent", True),
        (["XR"], "not_mentioned", True),
        (["XR"], "possible", False),
        (["CT", "XR"], "absent", False),
        (["NM"], "absent", False),
        ([], "not_mentioned", False),
    ],
)
def test_flag_is_radiographs_only_and_no_metastasis(modalities: list[str], status: str, flag: bool) -> None:
    assert low_sensitivity_negative(labels(modalities=modalities, bone_metastasis=status)) is flag


def test_extracted_radiograph_without_metastasis_is_flagged(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "XR LEFT FEMUR 2 VIEWS\nFINDINGS: No fracture. No lytic lesion.\n")
    assert record["labels"]["low_sensitivity_negative"] is True


def test_extracted_mri_without_metastasis_is_not_flagged(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "MRI LUMBAR SPINE\nFINDINGS: No suspicious osseous lesion.\n")
    assert record["labels"]["low_sensitivity_negative"] is False


def _ok(rid: str, **lab: Any) -> dict[str, Any]:
    return {"schema_version": "1.0", "id": rid, "status": "ok", "labels": labels(**lab), "mentions": []}


@pytest.fixture(scope="module")
def summary() -> dict[str, Any]:
    records = [_ok("a", modalities=["XR"], bone_metastasis="absent"), _ok("b", modalities=["XR"]),
               _ok("c", modalities=["CT"], bone_metastasis="absent"), _ok("d", modalities=["XR"], bone_metastasis="present")]
    return summarize(records, load_rules().prevalence)


def test_summary_json_counts_weak_negatives(summary: dict[str, Any]) -> None:
    assert summary["overall"]["low_sensitivity_negative"] == 2
    validate_summary(summary)


def test_summary_csv_has_the_count_with_its_denominator(summary: dict[str, Any]) -> None:
    assert "(all),caution,low_sensitivity_negative,reports,2,4" in to_csv(summary).splitlines()


def test_summary_markdown_shows_the_count(summary: dict[str, Any]) -> None:
    assert "| bone_metastasis negative on radiographs only | 2 (50.0%) |" in to_markdown(summary)


def test_summary_table_shows_the_count(summary: dict[str, Any]) -> None:
    out = io.StringIO()
    print_rich(summary, out)
    assert "negative on radiographs only" in out.getvalue() and "2 (50.0%)" in out.getvalue()


def test_summary_page_has_a_card_for_it(summary: dict[str, Any]) -> None:
    page = summary_page(summary)
    assert "<b>2 (50.0%)</b><span>no bone metastasis, but radiographs only (weak negative)</span>" in page
