"""The cause words of a clause read beside a pathologic word (records/labels/causes.py, session 22)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from reportnlp.records.labels.causes import NOT_TUMOR_CAUSE, _joined, differential_end, joined_beside

_PIECES = ["osteoporotic", "benign", "traumatic", "pathologic", "fracture", "rather than", "versus", "or", "not",
           "of L2", "differential includes", ",", "and", "with"]


def _every_pair(text: str, word: tuple[int, int]) -> list[tuple[str | None, tuple[int, int]]]:
    """_joined for every cause word of the text, the denied ones left out (what the decider read before)."""
    words = [(w.start(), w.end()) for w in NOT_TUMOR_CAUSE.finditer(text)]
    end = differential_end(text, 0, len(text))
    return [(j, w) for w in words if (j := _joined(text, w, word, end)) != "denied"]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=24))
def test_the_nearest_words_give_what_every_pair_gives(pieces: list[str]) -> None:
    """Stopping each side at its first denial changes no answer while the clause holds few cause words."""
    text = " ".join(pieces)
    for found in re.finditer(r"pathologic", text):
        word = (found.start(), found.end())
        words = [(w.start(), w.end()) for w in NOT_TUMOR_CAUSE.finditer(text)]
        beside = sorted(joined_beside(text, words, word, differential_end(text, 0, len(text))), key=repr)
        assert beside == sorted(_every_pair(text, word), key=repr)


def test_a_clause_of_many_contrasts_keeps_every_fracture() -> None:
    """The small version of bench/adversarial.py's 'osteoporotic rather than pathologic fracture of L2, ...'."""
    from reportnlp.run.extractor import Extractor

    text = "MRI SPINE\nFINDINGS: " + "osteoporotic rather than pathologic fracture of L2, " * 40 + "end."
    labels = Extractor().record_for_text("r", text)["labels"]
    assert (labels["fracture"], labels["pathologic_fracture"]) == ("present", "absent")
