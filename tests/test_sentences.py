"""Sentence splitting that follows report layout."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components.sentences import TERMINAL, _after_stops


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


# Unpunctuated dictation: a long run of words with no punctuation is cut where a new statement opens.
_DICTATED = (
    "mri lumbar spine without contrast findings there is no acute compression deformity no marrow edema "
    "moderate disc desiccation at l4-5 with a small central protrusion there is no canal stenosis"
)


def test_dictation_without_punctuation_starts_a_statement_at_no_after_a_finding(nlp: Language) -> None:
    assert "no marrow edema" in sentences(nlp, _DICTATED)


def test_dictation_without_punctuation_starts_a_statement_at_a_degree_word(nlp: Language) -> None:
    assert any(s.startswith("moderate disc desiccation") for s in sentences(nlp, _DICTATED))


def test_dictation_without_punctuation_starts_a_statement_at_there_is(nlp: Language) -> None:
    assert "there is no canal stenosis" in sentences(nlp, _DICTATED)


def test_dictation_without_punctuation_ends_a_statement_at_a_level(nlp: Language) -> None:
    text = "mri lumbar spine findings l1 through l3 are unremarkable no fracture at l1 mild disc bulge at l4-5 and l5-s1"
    assert any(s.startswith("mild disc bulge") for s in sentences(nlp, text))


def test_a_long_sentence_keeps_a_denial_that_leads_into_there_is(nlp: Language) -> None:
    # "believe" leads into "there is": no cut, so the denial still reaches the fracture
    text = "on review of the outside films with the family today at the bedside we do not believe there is a fracture"
    assert len(sentences(nlp, text)) == 1


def test_a_short_unpunctuated_sentence_is_not_cut(nlp: Language) -> None:
    assert len(sentences(nlp, "No fracture mild degenerative change")) == 1


def test_a_punctuated_long_sentence_is_not_cut(nlp: Language) -> None:
    text = "There is a small joint effusion, no fracture or dislocation, mild degenerative change of the knee."
    assert len(sentences(nlp, text)) == 1


def test_decimal_numbers_do_not_split(nlp: Language) -> None:
    assert len(sentences(nlp, "A 2.5 cm lytic lesion.")) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", "..", "...", "…", "no", "fracture", ",", "\n", "1", ""]), max_size=40))
def test_the_stops_are_found_as_a_loop_finds_them(words: list[str]) -> None:
    """sentences._after_stops (compress in compiled code) against the loop it replaces."""
    assert list(_after_stops(words)) == [i + 1 for i, w in enumerate(words) if w in TERMINAL]
