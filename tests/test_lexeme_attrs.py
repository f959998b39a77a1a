"""The lexeme attribute shortcuts give spaCy's own getters' values on any text, and replace only those."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LIKE_NUM, LIKE_URL, SHAPE
from spacy.lang import lex_attrs
from spacy.lang.en import lex_attrs as en_lex_attrs

from reportnlp.nlp.components.lexeme_attrs import is_ascii, like_num, like_url, use_shortcuts, word_shape

_WORDS = st.one_of(
    st.text(min_size=1, max_size=12),  # spaCy makes no lexeme for the empty string
    st.text(st.sampled_from("aAzZ09.,/:@-+±~_ xX"), min_size=1, max_size=14),
    st.sampled_from(["http://x.org", "www.a.b", "a.com", "x.co/", "one", "Third", "12th", "1/2", "-3.5", "L4-5",
                     "xxxxxxx", "XXXXxxxxx", "İ", "ß", "٣", "²", "a" * 120, "aaaaa.bbbbb", "e-mail@x.org"]),
)


@settings(max_examples=3000, deadline=None)
@given(_WORDS)
def test_each_shortcut_gives_spacys_value(text: str) -> None:
    assert like_url(text) == lex_attrs.like_url(text)
    assert word_shape(text) == lex_attrs.word_shape(text)
    assert is_ascii(text) == lex_attrs.is_ascii(text)
    assert like_num(text) == en_lex_attrs.like_num(text)


def test_a_docs_lexemes_are_those_spacys_getters_make() -> None:
    words = ["Sclerotic", "T12", "twelfth", "www.x.org", "mmmmmmm", "3.5cm", "İ"]
    plain, fast = spacy.blank("en"), spacy.blank("en")
    use_shortcuts(fast.vocab)
    assert fast.vocab.lex_attr_getters[SHAPE] is word_shape
    attrs = ("shape_", "like_url", "like_num", "is_ascii", "lower_", "norm_", "is_stop", "is_punct")
    for word in words:
        assert [getattr(fast.vocab[word], a) for a in attrs] == [getattr(plain.vocab[word], a) for a in attrs]


def test_a_getter_that_is_not_spacys_own_is_kept() -> None:
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters[LIKE_NUM] = own = lambda text: text == "several"
    use_shortcuts(nlp.vocab)
    assert nlp.vocab.lex_attr_getters[LIKE_NUM] is own
    assert nlp.vocab.lex_attr_getters[LIKE_URL] is like_url
