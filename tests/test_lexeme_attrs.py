"""The lexeme attribute shortcuts give spaCy's own getters' values on any text, and replace only those."""

from __future__ import annotations

import pickle
import sys
import unicodedata

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import (
    IS_BRACKET,
    IS_CURRENCY,
    IS_LEFT_PUNCT,
    IS_PUNCT,
    IS_QUOTE,
    IS_RIGHT_PUNCT,
    IS_STOP,
    LANG,
    LIKE_EMAIL,
    LIKE_NUM,
    LIKE_URL,
    LOWER,
    NORM,
    SHAPE,
)
from spacy.lang import lex_attrs
from spacy.lang.en import lex_attrs as en_lex_attrs

from reportnlp.nlp.components.lexeme_attrs import (
    _membership_shortcut,
    is_ascii,
    like_num,
    like_url,
    text_flags,
    use_shortcuts,
    word_shape,
)

_WORDS = st.one_of(
    st.text(min_size=1, max_size=12),  # spaCy makes no lexeme for the empty string
    st.text(st.sampled_from("aAzZ09.,/:@-+±~_ xX"), min_size=1, max_size=14),
    st.sampled_from(["http://x.org", "www.a.b", "a.com", "x.co/", "one", "Third", "12th", "1/2", "-3.5", "L4-5",
                     "xxxxxxx", "XXXXxxxxx", "İ", "ß", "٣", "²", "a" * 120, "aaaaa.bbbbb", "e-mail@x.org",
                     "Spine", "SPINE", "Ab", "A", "aB", "McDonald", "T12", "$", "$$", "€5", "(", "''", "'s", "--",
                     "...", "’", "US$", "Don't", "THE", "The", "bone", "#", "@", "12/03/2004", "1/2/3", "+one",
                     "~Twelfth", "2,000th", "-----", "1.....", "aaaaa-bbbbb", "11111", "A1B2C3D4E5"]),
    st.text(st.sampled_from("09/.-,"), min_size=5, max_size=12),  # numbers, decimals, dates and their runs
    st.text(st.sampled_from("aAbB$€£%#()[]{}<>'\"`«»‘’‚‛“”„‟‹›❮❯-.,;:!?"), min_size=1, max_size=6),
)
_PLAIN = spacy.blank("en").vocab.lex_attr_getters
_FAST = spacy.blank("en").vocab
use_shortcuts(_FAST)


@settings(max_examples=3000, deadline=None)
@given(_WORDS)
def test_each_shortcut_gives_spacys_value(text: str) -> None:
    assert like_url(text) == lex_attrs.like_url(text)
    assert word_shape(text) == lex_attrs.word_shape(text)
    assert is_ascii(text) == lex_attrs.is_ascii(text)
    assert like_num(text) == en_lex_attrs.like_num(text)


@settings(max_examples=3000, deadline=None)
@given(_WORDS)
def test_every_getter_in_place_gives_spacys_value_and_type(text: str) -> None:
    for attr, spacy_getter in _PLAIN.items():
        ours = _FAST.lex_attr_getters[attr](text)
        theirs = spacy_getter(text)
        assert (ours, type(ours)) == (theirs, type(theirs)), attr


@settings(max_examples=3000, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=3))
def test_getters_called_in_the_vocabs_order_give_spacys_values_and_types(texts: list[str]) -> None:
    # as spaCy's _new_lexeme calls them: NORM reads seven flags and the shape at once, the others read them back
    for text in texts:
        for attr, getter in _FAST.lex_attr_getters.items():
            ours, theirs = getter(text), _PLAIN[attr](text)
            assert (ours, type(ours)) == (theirs, type(theirs)), attr


def test_the_flags_are_read_with_norm_and_kept_for_a_few_words_only() -> None:
    getters = spacy.blank("en").vocab.lex_attr_getters
    fast = spacy.blank("en").vocab
    use_shortcuts(fast)
    stores = {attr: getter.__self__ for attr, getter in fast.lex_attr_getters.items() if hasattr(getter, "__self__")
              and isinstance(getter.__self__, dict)}
    assert set(stores) == {IS_STOP, LIKE_EMAIL, LIKE_URL, LIKE_NUM, IS_PUNCT, IS_CURRENCY, SHAPE}
    for k in range(1000):
        fast.lex_attr_getters[NORM](f"w{k}")
    assert all(len(store) <= 64 for store in stores.values())
    assert [fast.lex_attr_getters[a]("Twelve") for a in stores] == [getters[a]("Twelve") for a in stores]


def test_a_user_getter_keeps_norm_from_reading_the_flags() -> None:
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters[IS_PUNCT] = own = lambda text: text == "!"
    use_shortcuts(nlp.vocab)
    assert nlp.vocab.lex_attr_getters[IS_PUNCT] is own
    assert nlp.vocab.lex_attr_getters[SHAPE] is word_shape
    use_shortcuts(nlp.vocab)  # twice: the same getters
    assert nlp.vocab.lex_attr_getters[SHAPE] is word_shape


def test_a_letter_or_digit_is_never_punctuation_or_currency() -> None:
    # is_punct and is_currency answer False at a first character that isalnum() accepts, for every code point
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isalnum():
            assert unicodedata.category(char)[0] != "P" and unicodedata.category(char) != "Sc", hex(code)


def test_the_stop_word_test_and_the_norm_table_are_replaced_by_shortcuts() -> None:
    plain = spacy.blank("en").vocab.lex_attr_getters
    for attr in (IS_STOP, NORM, LOWER, LANG):
        assert _FAST.lex_attr_getters[attr] is not plain[attr]


def test_spacys_bracket_and_quote_lists_are_read_into_sets() -> None:
    for attr in (IS_BRACKET, IS_QUOTE, IS_LEFT_PUNCT, IS_RIGHT_PUNCT):
        assert getattr(_FAST.lex_attr_getters[attr], "__self__", None).__class__ is frozenset


def test_a_getter_of_another_shape_is_not_read_as_a_list() -> None:
    def looks_alike(text: str) -> bool:
        members = ("(", ")")
        return text not in members

    assert _membership_shortcut(looks_alike) is None
    assert _membership_shortcut(lex_attrs.is_bracket) is not None


def test_a_docs_lexemes_are_those_spacys_getters_make() -> None:
    words = ["Sclerotic", "T12", "twelfth", "www.x.org", "mmmmmmm", "3.5cm", "İ"]
    plain, fast = spacy.blank("en"), spacy.blank("en")
    use_shortcuts(fast.vocab)
    assert fast.vocab.lex_attr_getters[SHAPE].__self__.getter is word_shape  # read with NORM, by word_shape's rules
    attrs = ("shape_", "like_url", "like_num", "is_ascii", "lower_", "norm_", "is_stop", "is_punct")
    for word in words:
        assert [getattr(fast.vocab[word], a) for a in attrs] == [getattr(plain.vocab[word], a) for a in attrs]


def test_a_getter_that_is_not_spacys_own_is_kept() -> None:
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters[LIKE_NUM] = own = lambda text: text == "several"
    use_shortcuts(nlp.vocab)
    assert nlp.vocab.lex_attr_getters[LIKE_NUM] is own
    assert nlp.vocab.lex_attr_getters[LIKE_URL] is like_url


def test_a_pipeline_with_the_shortcuts_survives_pickling() -> None:
    # spaCy pickles a vocab's getters with the rest of it (a Doc or pipeline sent to another process)
    nlp = spacy.blank("en")
    use_shortcuts(nlp.vocab)
    copy = pickle.loads(pickle.dumps(nlp))
    attrs = ("is_stop", "norm_", "is_bracket", "lang_", "shape_")
    assert [[getattr(t, a) for a in attrs] for t in copy("The (Qzx) wz")] == [
        [getattr(t, a) for a in attrs] for t in spacy.blank("en")("The (Qzx) wz")
    ]


def test_like_num_is_a_function_of_the_text_unless_the_getter_is_anothers() -> None:
    plain, fast, own = spacy.blank("en"), spacy.blank("en"), spacy.blank("en")
    use_shortcuts(fast.vocab)
    own.vocab.lex_attr_getters[LIKE_NUM] = lambda text: text == "several"
    assert text_flags(plain.vocab) == text_flags(fast.vocab) == {"like_num": like_num}
    assert text_flags(own.vocab) == {}
