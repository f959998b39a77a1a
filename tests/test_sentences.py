"""Sentence splitting that follows report layout."""

from __future__ import annotations

import pytest
from spacy.language import Language

import reportnlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def sentences(nlp: Language, text: str) -> list[str]:
    return [" ".join(s.text.split()) for s in nlp(text).sents]


def test_periods_end_sentences(nlp: Language) -> None:
    assert sentences(nlp, "No fracture. Mild bulge.") == ["No fracture.", "Mild bulge."]


def test_wrapped_line_continues_the_sentence(nlp: Language) -> None:
    text = "There is a small disc protrusion at L4-5 which narrows the left lateral\nrecess."
    assert len(sentences(nlp, text)) == 1


def test_wrapped_line_before_an_abbreviation_continues(nlp: Language) -> None:
    assert len(sentences(nlp, "Corresponds to the sclerotic lesion on the prior\nCT.")) == 1


def test_numbered_impression_items_are_sentences(nlp: Language) -> None:
    text = "IMPRESSION:\n1. Osseous metastases.\n2. No fracture."
    assert sentences(nlp, text) == ["IMPRESSION:", "1. Osseous metastases.", "2. No fracture."]


def test_bullets_without_periods_are_sentences(nlp: Language) -> None:
    assert len(sentences(nlp, "- Disc bulge at L4-5\n- Facet arthropathy at L5-S1")) == 2


def test_blank_line_ends_a_sentence(nlp: Language) -> None:
    assert len(sentences(nlp, "No fracture\n\nMild disc bulge")) == 2


def test_headers_are_sentence_boundaries(nlp: Language) -> None:
    assert sentences(nlp, "FINDINGS:,  No fracture  IMPRESSION:,  Normal") == [
        "FINDINGS:,", "No fracture", "IMPRESSION:,", "Normal",
    ]


def test_decimal_numbers_do_not_split(nlp: Language) -> None:
    assert len(sentences(nlp, "A 2.5 cm lytic lesion.")) == 1
