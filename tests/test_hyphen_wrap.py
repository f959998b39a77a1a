"""A word hyphenated across a line wrap ("meta-" / "static") is matched as the word it spells, where a rule
knows that word; the text and its tokens stay the input's (components/mentions.py, session 22)."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc

from reportnlp.nlp.components.mentions import matches_over_wraps, rule_words
from reportnlp.run.extractor import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mentions(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    record = extractor.record_for_text("r", text)
    return [(m["text"], m["assertion"]) for m in record["mentions"]]


def test_a_wrapped_word_is_one_mention_over_both_halves(extractor: Extractor) -> None:
    text = "IMPRESSION: Uptake in the spine and ribs in keeping with meta-\nstatic disease.\n"
    record = extractor.record_for_text("r", text)
    assert "meta-\nstatic disease" in [m["text"] for m in record["mentions"]]
    assert record["labels"]["bone_metastasis"] == "present"


def test_a_wrapped_word_keeps_the_text_and_its_offsets(extractor: Extractor) -> None:
    text = "FINDINGS: No patho-\nlogic fracture.\n"
    record = extractor.record_for_text("r", text)
    [mention] = [m for m in record["mentions"] if "patho" in m["text"]]
    assert text[mention["start"] : mention["end"]] == mention["text"] == "patho-\nlogic fracture"
    assert mention["assertion"] == "absent"


def _surrogate_words(text: str, words: frozenset[str]) -> list[str]:
    seen: list[list[str]] = []

    def matcher(doc: Doc) -> list[Any]:
        seen.append([t.text for t in doc])
        return []

    doc = Extractor().nlp.make_doc(text)
    matches_over_wraps(doc, matcher, words)
    return seen[0]


def test_a_level_range_wrapped_at_its_hyphen_stays_two_levels() -> None:
    assert "T11T12" not in _surrogate_words("Bulges at T11-\nT12.", frozenset({"t11t12"}))


def test_halves_that_join_into_no_rules_word_stay_apart() -> None:
    words = _surrogate_words("A well-\ndefined lesion.", frozenset({"lesion"}))
    assert "welldefined" not in words and "well-" in words


def test_halves_that_join_into_a_rules_word_are_one_word() -> None:
    assert "metastatic" in _surrogate_words("Likely meta-\nstatic.", frozenset({"metastatic"}))


def test_rule_words_are_the_literals_and_lower_values_of_the_rules() -> None:
    rules = [
        {"literal": "pathologic fracture", "category": "x"},
        {"literal": "p", "category": "x", "pattern": [{"LOWER": {"IN": ["vertebral", "of"]}}, {"LOWER": "collapse"}]},
    ]
    assert rule_words(rules) == frozenset({"pathologic", "fracture", "vertebral", "collapse"})


# --- a word cut by a hard wrap with no hyphen (session 30, wave 68) ----------------------------------------


def test_a_word_cut_at_a_wrap_without_a_hyphen_is_one_mention(extractor: Extractor) -> None:
    text = "XR LUMBAR SPINE\nFINDINGS: There is a compression frac\nture of L1. No disc extru\r\nsion.\n"
    record = extractor.record_for_text("r", text)
    found = [(m["concept"], m["text"], m["assertion"]) for m in record["mentions"] if m["concept"] != "modality"]
    assert found == [("fracture", "frac\nture", "present"), ("disc_herniation", "disc extru\r\nsion", "absent")]


@pytest.mark.parametrize(
    ("text", "words", "joined"),
    [
        ("No lytic\nlesion.", frozenset({"lytic", "lesion", "lyticlesion"}), "lyticlesion"),  # two rules' words
        ("A well\ndefined lesion.", frozenset({"lesion"}), "welldefined"),  # a whole no rule knows
        ("Mild frac ture.", frozenset({"fracture"}), "fracture"),  # a space, no line break, between the parts
    ],
)
def test_two_lines_words_that_make_no_cut_word_stay_apart(text: str, words: frozenset[str], joined: str) -> None:
    assert joined not in [w.lower() for w in _surrogate_words(text, words)]
