"""``LineStarts.of`` answers as the search it stands for, ``text.rfind("\\n", 0, at) + 1``, on short lines and on
lines longer than its reach (then from the line breaks listed once), asked in any order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reportnlp.records.line_starts import _REACH, LineStarts
from reportnlp.run.extractor import Extractor

PIECES = ["\n", "x", " ", "CT ", "\r\n", "é", "x" * (_REACH - 1), "x" * _REACH, "y" * (2 * _REACH + 3)]


@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.data())
def test_a_line_start_is_the_last_line_break_before_the_offset(text: str, data: st.DataObject) -> None:
    lines = LineStarts(text)
    for at in data.draw(st.lists(st.integers(0, len(text) + 2), min_size=1, max_size=8)):  # any order, some past the end
        assert lines.of(at) == text.rfind("\n", 0, at) + 1


def test_the_line_breaks_are_listed_only_when_a_line_is_longer_than_the_reach() -> None:
    short = LineStarts("CT CT\n" * 1000)
    assert short.of(5990) == 5988 and short._breaks is None
    long = LineStarts("PET/CT\nFINDINGS: " + "CT " * 1000)
    assert long.of(2000) == 7 and long._breaks is not None and list(long._breaks) == [6]


def test_mentions_of_one_rule_share_its_meta_and_the_empty_lists(extractor: Extractor) -> None:
    """The record's read-only parts a mention had its own copy of (session 26): one meta dict per rule, one empty
    cues and locations list per report; the JSON is the same."""
    cts = [m for m in extractor.record_for_text("t", "PET/CT WHOLE BODY\nFINDINGS: CT CT CT end.")["mentions"]
           if m["rule"] == "mod_ct_1"]
    assert len(cts) == 3 and cts[0]["meta"] == {"modality": "CT"}
    assert cts[0]["meta"] is cts[1]["meta"] is cts[2]["meta"]
    assert cts[0]["cues"] is cts[1]["cues"] is cts[2]["locations"] and cts[0]["cues"] == []


def test_of_text_keeps_the_shared_line_starts_of_the_same_text_only() -> None:
    text = "CT CT\nMR"
    shared = LineStarts(text)
    assert LineStarts.of_text(text, shared) is shared
    made = LineStarts.of_text(text)
    assert made is not shared and made.text is text
    other = LineStarts.of_text("".join(["CT CT\n", "MR"]), shared)  # an equal text, another string object: its own
    assert other is not shared and other.text == text and other.of(7) == 6
