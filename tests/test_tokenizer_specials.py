"""The tokenizer's special-case bookkeeping: a chunk that ends with a changing special case is found by
matching the reversed cases on the reversed chunk, as a search for the cases at the chunk's end finds it."""

from __future__ import annotations

import re

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.tokenizer import _special_analysis, _SpecialCases

_NLP = spacy.blank("en")
_SPECIALS = _SpecialCases(_NLP.tokenizer)
_ALTERNATION = _special_analysis(_NLP.tokenizer)[1]
_ENDS = re.compile(f"(?:{_ALTERNATION})\\Z").search  # the plain test
_CASES = sorted(_NLP.tokenizer.rules)
_PIECES = st.one_of(st.sampled_from(_CASES), st.sampled_from(list("aAzZ.,:;'()-/0 ")), st.text(max_size=3))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=4))
def test_a_chunk_ends_with_a_changing_case_as_the_search_says(pieces: list[str]) -> None:
    chunk = "".join(pieces)
    assert _SPECIALS.ends_changing(chunk) is (_ENDS(chunk) is not None)


def test_every_special_case_ends_as_the_search_says() -> None:
    for case in _CASES:
        for chunk in (case, "x" + case, case + "x", "." + case):
            assert _SPECIALS.ends_changing(chunk) is (_ENDS(chunk) is not None)


def test_sorted_followers_are_the_followers_sorted() -> None:
    assert _SPECIALS.sorted_followers == {k: tuple(sorted(v)) for k, v in _SPECIALS.followers.items()}


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=4))
def test_a_chunk_begins_with_a_changing_case_iff_the_leftmost_one_starts_it(pieces: list[str]) -> None:
    """Asking at the chunk's start (as _describe does) and reading the leftmost match agree."""
    chunk = "".join(pieces)
    first = _SPECIALS.holds_changing(chunk)
    assert (first is not None and first.start() == 0) is (_SPECIALS.starts_changing(chunk) is not None)


def test_every_special_case_begins_as_the_match_says() -> None:
    for case in _CASES:
        for chunk in (case, "x" + case, case + "x", "." + case):
            first = _SPECIALS.holds_changing(chunk)
            assert (first is not None and first.start() == 0) is (_SPECIALS.starts_changing(chunk) is not None)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=4))
def test_the_first_characters_set_lets_through_every_chunk_the_match_finds(pieces: list[str]) -> None:
    chunk = "".join(pieces)
    assert _SPECIALS.begins_changing(chunk) is (_SPECIALS.starts_changing(chunk) is not None)


def test_every_special_case_begins_as_the_set_and_the_match_say() -> None:
    for case in _CASES:
        for chunk in (case, "x" + case, case + "x", "." + case, case[:1]):
            assert _SPECIALS.begins_changing(chunk) is (_SPECIALS.starts_changing(chunk) is not None)


def _followers_plainly(chunk: str, last_token: str) -> tuple[str, ...]:
    """What a chunk's followers are, read from every special case the chunk ends with."""
    if _ENDS(chunk) is None:
        return _SPECIALS.sorted_followers.get(last_token, ())
    return tuple(sorted({x for first, xs in _SPECIALS.followers.items() if chunk.endswith(first) for x in xs}))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=4))
def test_a_chunks_followers_are_those_of_every_case_it_ends_with(pieces: list[str]) -> None:
    chunk = "".join(pieces)
    if chunk:
        assert _SPECIALS.followers_of(chunk, chunk[-1:]) == _followers_plainly(chunk, chunk[-1:])
        assert _SPECIALS.followers_of(chunk, chunk) == _followers_plainly(chunk, chunk)  # asked again: remembered


def test_every_special_case_has_the_followers_of_the_cases_it_ends_with() -> None:
    for case in _CASES:
        for chunk in (case, "x" + case, "spine" + case, "." + case):
            for last_token in (chunk[-1], chunk):
                assert _SPECIALS.followers_of(chunk, last_token) == _followers_plainly(chunk, last_token)
