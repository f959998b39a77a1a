"""The kind word before a denied fracture ("no acute fracture") is looked for in a bounded stretch before it
(labels/corrections.py ``_kind_before``, session 22): it finds what a search of the whole clause finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.records.labels.corrections import _KIND_BEFORE, _KIND_REACH, _kind_before, kind_words

PIECES = ["no", "acute", "new", "displaced", "non-displaced", "fracture", "of", "L1", ",", " ", "  ", "\n", " \t ",
          "x" * 150, "y" * (_KIND_REACH + 30), "-", "a-acute", "recent" + " " * 250]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.data())
def test_the_bounded_kind_search_finds_what_the_clause_search_finds(pieces: list[str], data: st.DataObject) -> None:
    text = "".join(pieces)
    end = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, end))
    assert _kind_before(text, lo, end) == (_KIND_BEFORE.search(text, lo, end) is not None)


def test_a_kind_word_long_before_the_denial_still_counts_when_only_spaces_and_two_words_part_them() -> None:
    text = "no acute" + " " * 300 + "displaced" + " " * 300 + "fracture"
    assert _kind_before(text, 0, text.index("fracture"))
    assert not _kind_before("no acute, " + "x " * 300 + "fracture", 0, 610)


def _mention(text: str, phrase: str) -> dict[str, object]:
    start = text.index(phrase)
    return {"text": phrase, "start": start, "clause": {"start": 0}}


def test_a_findings_kind_reaches_over_its_sites_words() -> None:
    text = "Acute right 5th rib fracture."
    assert kind_words(_mention(text, "fracture"), text) == {"acute"}  # type: ignore[arg-type]


def test_a_grade_above_significant_is_a_significant_one() -> None:
    text = "Severe central canal stenosis."
    assert kind_words(_mention(text, "central canal stenosis"), text) == {"severe", "significant"}  # type: ignore[arg-type]


def test_a_finding_named_with_no_kind_has_none() -> None:
    text = "Healing fracture of the left 7th rib."
    assert kind_words(_mention(text, "fracture"), text) == frozenset()  # type: ignore[arg-type]
