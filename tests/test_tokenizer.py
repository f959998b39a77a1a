"""The report tokenizer: punctuation glued to the next word is cut, offsets stay exact (issue 11.1)."""

from __future__ import annotations

import pytest
import spacy

from reportnlp.nlp.components.tokenizer import ReportTokenizer


@pytest.fixture(scope="module")
def tokenize() -> ReportTokenizer:
    nlp = spacy.blank("en")
    return ReportTokenizer(nlp.vocab, nlp.tokenizer)


def words(tokenize: ReportTokenizer, text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_header_colon_and_comma_glued_to_the_title(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "EXAM:,CT HEAD") == ["EXAM", ":", ",", "CT", "HEAD"]


def test_period_and_comma_glued_to_the_next_sentence(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "normal.,No edema") == ["normal", ".", ",", "No", "edema"]


def test_comma_glued_to_the_next_word(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "alignment,Degenerative disease") == ["alignment", ",", "Degenerative", "disease"]


def test_comma_glued_to_a_list_number(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "intact,2. Mild") == ["intact", ",", "2", ".", "Mild"]


def test_period_glued_to_the_next_sentence(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "unremarkable.The cord") == ["unremarkable", ".", "The", "cord"]


def test_numbers_and_abbreviations_stay_whole(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "3.5 cm, 1,000 e.g. U.S.") == ["3.5", "cm", ",", "1,000", "e.g.", "U.S."]


def test_offsets_point_into_the_text_as_given(tokenize: ReportTokenizer) -> None:
    text = "FINDINGS:  ,Mild.,No mass"
    doc = tokenize(text)
    assert [text[s : s + len(t.text)] for s, t in zip(doc._.reportnlp_starts, doc, strict=True)] == [t.text for t in doc]
    assert [t.text for t in doc] == ["FINDINGS", ":", ",", "Mild", ".", ",", "No", "mass"]
