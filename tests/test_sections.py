"""Section detection: radiology headers in every shape reports use (issue 2, labels.md section 1)."""

from __future__ import annotations

import itertools

import pytest

from reportnlp.nlp.components.sections import SectionDetector
from reportnlp.nlp.rules import load_rules


@pytest.fixture(scope="module")
def detector() -> SectionDetector:
    return SectionDetector(load_rules().sections)


def names(detector: SectionDetector, text: str) -> list[str]:
    return [s.name for s in detector.find(text)]


def test_colon_headers_on_their_own_lines(detector: SectionDetector) -> None:
    text = "INDICATION: pain\nCOMPARISON: none\nTECHNIQUE: axial\nFINDINGS: ok\nIMPRESSION: ok"
    assert names(detector, text) == ["indication", "comparison", "technique", "findings", "impression"]


def test_header_alone_on_a_line_without_colon(detector: SectionDetector) -> None:
    assert names(detector, "Findings\nNormal.\nImpression\r\nNormal.") == ["findings", "impression"]


def test_run_on_caps_headers_with_colon_and_comma(detector: SectionDetector) -> None:
    text = "EXAM:,  MRI L-SPINE  HISTORY:,  pain.  FINDINGS:,  Mild bulge.  IMPRESSION:,  Bulge."
    assert names(detector, text) == ["exam", "indication", "findings", "impression"]


def test_clinical_history_is_indication_not_past_history(detector: SectionDetector) -> None:
    assert names(detector, "CLINICAL HISTORY: cancer.\nFINDINGS: ok") == ["indication", "findings"]


def test_text_before_the_first_header_is_preamble(detector: SectionDetector) -> None:
    assert names(detector, "MRI LUMBAR SPINE\nFINDINGS: ok") == ["preamble", "findings"]


def test_report_without_headers_is_one_preamble_that_counts(detector: SectionDetector) -> None:
    sections = detector.find("Mild degenerative change. No fracture.")
    assert [s.name for s in sections] == ["preamble"]
    assert load_rules().sections["categories"]["preamble"]["counts"] is True


def test_mixed_case_header_words_inside_a_sentence_are_not_headers(detector: SectionDetector) -> None:
    assert names(detector, "FINDINGS: The impression of the endplate is normal.") == ["findings"]


def test_numbered_header(detector: SectionDetector) -> None:
    assert names(detector, "1. FINDINGS: ok\n2. IMPRESSION: ok") == ["findings", "impression"]


def test_sections_are_contiguous_and_cover_the_text(detector: SectionDetector) -> None:
    text = "EXAM: CT\nFINDINGS: x\nIMPRESSION: y\n"
    sections = detector.find(text)
    assert sections[0].start == 0 and sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(sections))


@pytest.mark.parametrize("name", ["indication", "comparison", "technique", "exam"])
def test_non_counting_sections(name: str) -> None:
    assert load_rules().sections["categories"][name]["counts"] is False
