"""The base tokenizer's suffix search looks only where a suffix can start, and finds what spaCy's plain search
finds: the same match, so spaCy splits every word the same way."""

from __future__ import annotations

import pickle

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import registry

from reportnlp.nlp.components.tokenizer import SuffixSearch, base_tokenizer, suffix_search_of

_NLP = spacy.blank("en")
_FAST = suffix_search_of(_NLP.Defaults.suffixes)
_PLAIN = registry.tokenizers.get("spacy.Tokenizer.v1")()(_NLP).suffix_search
# what suffixes are made of: stops, quotes, units after digits, currency, brackets, line breaks
_PIECES = st.one_of(
    st.sampled_from(["...", "..", ".", "'s", "’S", "km", "km²", "mph", "$", "US$", "°F", "%", ")", '"', "—", "\n"]),
    st.sampled_from(list("aZé09.,;:!?'\"()[]-+%°#&*/\\…")),
    st.text(max_size=3),
)


def _span(match: object) -> tuple[int, int] | None:
    return None if match is None else match.span()  # type: ignore[attr-defined]


def test_english_gets_the_bounded_search() -> None:
    assert isinstance(_FAST, SuffixSearch)
    assert _FAST.__self__ is not None and _FAST.__name__ == "search"


@settings(max_examples=5000, deadline=None)
@given(st.lists(_PIECES, max_size=6))
def test_the_suffix_found_is_the_plain_searchs(pieces: list[str]) -> None:
    string = "".join(pieces)
    assert _span(_FAST(string)) == _span(_PLAIN(string))


def test_a_run_of_stops_of_any_length_is_one_suffix() -> None:
    for string in ("word..", "word......", "3.........", "a" * 40 + "." * 30):
        assert _span(_FAST(string)) == _span(_PLAIN(string))


def test_a_lookbehind_sees_the_characters_before_the_window() -> None:
    for string in ("12km", "x" * 20 + "5mph", "SS.", "word" * 10 + "AB.", "°F.", "10US$"):
        assert _span(_FAST(string)) == _span(_PLAIN(string))


def test_the_base_tokenizer_is_spacys_with_the_same_rules_and_patterns() -> None:
    ours, spacys = base_tokenizer(_NLP), registry.tokenizers.get("spacy.Tokenizer.v1")()(_NLP)
    assert ours.to_bytes() == spacys.to_bytes()  # rules and every pattern, as spaCy serialises them
    text = "Pain (L4-5)... 12mm lesion; Dr. Smith's note: U.S. 3km.\n\"ok\" 5%."
    assert [t.text for t in ours(text)] == [t.text for t in spacys(text)]


def test_a_pickled_search_is_the_same_search() -> None:
    again = pickle.loads(pickle.dumps(_FAST))
    assert isinstance(again, SuffixSearch)
    assert _span(again("3km..")) == _span(_PLAIN("3km.."))


def test_an_anchored_entry_keeps_the_plain_search() -> None:
    search = suffix_search_of(["^x", r"\."])
    assert not isinstance(search, SuffixSearch)
    assert search("ab.") is not None
