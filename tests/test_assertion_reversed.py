"""TemplatedLines reads the text before a mention backwards: the reversed patterns match exactly the
texts the $-anchored ones find a match in (a property test on arbitrary text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.assertion import TemplatedLines

_PIECES = st.sampled_from([
    " ", "  ", "\t", "\n", "\r\n", ":", ".", ";", "(", ")", "-", "\u2022", "*", ",", "/", "'", "\x00", "1", "x", "ab",
    "No", "no", "NO", "change", "Change", "increase", "interval", "significant", "new", "further", "newer", "changes",
    "FINDINGS", "Fracture", "é",
])


def _agree(before: str) -> None:
    backwards = before[::-1]
    assert bool(TemplatedLines._LABEL_BEFORE.search(before)) == bool(TemplatedLines._LABEL_BEFORE_REVERSED.match(backwards))
    assert bool(TemplatedLines._GLUED_NO.search(before)) == bool(TemplatedLines._GLUED_NO_REVERSED.match(backwards))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_the_reversed_patterns_match_where_the_anchored_ones_do(pieces: list[str]) -> None:
    _agree("".join(pieces))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_the_reversed_patterns_match_where_the_anchored_ones_do_on_any_text(before: str) -> None:
    _agree(before)


def test_examples() -> None:
    for before, label, glued in [
        ("FINDINGS: ", True, False), (":no fracture ", True, True), ("x,no change ", False, False),
        ("(No ", True, True), ("Impression: no new ", True, False), ("\x00abc ", False, False), ("", True, False),
        ("no\n", True, False), (",no acute\n", True, True),
    ]:
        _agree(before)
        assert bool(TemplatedLines._LABEL_BEFORE.search(before)) is label
        assert bool(TemplatedLines._GLUED_NO.search(before)) is glued
