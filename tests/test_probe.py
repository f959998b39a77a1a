"""reportnlp.nlp.probe: the assertion our cue rules give an arbitrary phrase (how the NegEx/ConText kits are scored)."""

from __future__ import annotations

import pytest

from reportnlp.nlp.probe import assert_phrase
from reportnlp.run.extractor import Extractor


def probe(extractor: Extractor, sentence: str, phrase: str) -> str | None:
    start = sentence.index(phrase)
    result = assert_phrase(extractor.nlp, sentence, start, start + len(phrase))
    return None if result is None else result["assertion"]


@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("She is in no acute distress.", "acute distress", "absent"),  # the phrase starts inside a "no X" wording
        ("He has no focal weakness of the legs.", "focal weakness", "absent"),
        ("Small disc bulge without stenosis at L4-5.", "disc bulge without stenosis", "present"),  # cue inside
        ("Lungs show no consolidation.", "Lungs show no consolidation", "present"),
        ("She reports a two-day history of chest pain.", "chest pain", "present"),  # a current complaint
        ("She reports a 3-week history of back pain.", "back pain", "present"),
        ("She has a 10-year history of diabetes.", "diabetes", "historical"),
        ("No fracture.", "fracture", "absent"),
    ],
)
def test_phrase_gets_assertion(extractor: Extractor, sentence: str, phrase: str, expected: str) -> None:
    assert probe(extractor, sentence, phrase) == expected


def test_phrase_not_on_token_boundaries_gives_none(extractor: Extractor) -> None:
    assert assert_phrase(extractor.nlp, "No fracture.", 4, 5) is None
