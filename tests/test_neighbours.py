"""Neighbours: a sentence's mentions from a position on, found without walking the sentence from its start."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reportnlp.records.labels.neighbours import Neighbours


def _mention(i: int, start: int) -> dict[str, Any]:
    span = {"start": 0, "end": 10_000}
    return {"id": i, "start": start, "end": start + 3, "sentence": span, "clause": span,
            "concept": "fracture", "assertion": "present", "counts": True, "locations": []}


@given(st.lists(st.integers(0, 500), max_size=40), st.integers(0, 520), st.booleans())
def test_members_from_a_position_are_those_starting_there_or_later(starts: list[int], at: int, ordered: bool) -> None:
    mentions = [_mention(i, s) for i, s in enumerate(sorted(starts) if ordered else starts)]
    nearby = Neighbours(mentions, lambda m: False)
    got = [n for n in nearby.sentence_members_from(mentions[0], at) if n["start"] >= at] if mentions else []
    assert got == [n for n in mentions if n["start"] >= at]


def test_in_start_order_the_members_before_the_position_are_skipped() -> None:
    mentions = [_mention(i, 10 * i) for i in range(6)]
    nearby = Neighbours(mentions, lambda m: False)
    assert [n["id"] for n in nearby.sentence_members_from(mentions[0], 25)] == [3, 4, 5]
