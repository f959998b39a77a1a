"""The lexeme attribute shortcuts give spaCy's own getters' values on any text, and replace only those."""

from __future__ import annotations

import multiprocessing as mp
import pickle
import sys
import unicodedata
from pathlib import Path

import pytest
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
    PREFIX,
    SHAPE,
    SUFFIX,
)
from spacy.lang import lex_attrs
from spacy.lang.en import lex_attrs as en_lex_attrs
from spacy.lookups import Lookups
from spacy.strings import StringStore
from spacy.vocab import Vocab

import reportnlp
from reportnlp.inputs import Report
from reportnlp.nlp.components.lexeme_attrs import (
    _membership_shortcut,
    is_ascii,
    like_num,
    like_url,
    string_getter,
    text_flags,
    use_shortcuts,
    word_shape,
)
from reportnlp.run import extractor as extractor_module
from reportnlp.run.batch import encoded_records
from reportnlp.run.extractor import Extractor
from reportnlp.run.output import dumps

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
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
_PLAIN_VOCAB = spacy.blank("en").vocab
_PLAIN, _PLAIN_STRINGS = _PLAIN_VOCAB.lex_attr_getters, _PLAIN_VOCAB.strings
_FAST = spacy.blank("en").vocab
use_shortcuts(_FAST)


def _as_stored(value: object, strings: StringStore = _FAST.strings) -> tuple[object, type]:
    """What spaCy's ``_new_lexeme`` stores for a getter's answer, and its type: a string's ID, added to ``strings``
    (spaCy's getters answer strings, ours the ID of a string ``strings`` already holds: it must name that string),
    any other answer as it is (a flag's bool, LANG's string kept)."""
    if isinstance(value, str):
        return strings.add(value), str
    if type(value) is int:
        assert value in strings, "an ID whose string the store does not hold"
        return value, str
    return value, type(value)


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
        assert _as_stored(_FAST.lex_attr_getters[attr](text)) == _as_stored(spacy_getter(text), _PLAIN_STRINGS), attr


@settings(max_examples=3000, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=3))
def test_getters_called_in_the_vocabs_order_give_spacys_values_and_types(texts: list[str]) -> None:
    # as spaCy's _new_lexeme calls them: NORM reads seven flags and the shape at once, the others read them back
    for text in texts:
        for attr, getter in _FAST.lex_attr_getters.items():
            assert _as_stored(getter(text)) == _as_stored(_PLAIN[attr](text), _PLAIN_STRINGS), attr


def test_the_flags_and_ids_are_read_together_and_kept_for_a_few_words_only() -> None:
    getters = spacy.blank("en").vocab.lex_attr_getters
    fast = spacy.blank("en").vocab
    use_shortcuts(fast)
    stores = {attr: getter.__self__ for attr, getter in fast.lex_attr_getters.items() if hasattr(getter, "__self__")
              and isinstance(getter.__self__, dict)}
    # the seven flags read with NORM, the four string attributes' IDs with LOWER
    assert set(stores) == {IS_STOP, LIKE_EMAIL, LIKE_URL, LIKE_NUM, IS_PUNCT, IS_CURRENCY, SHAPE, NORM, PREFIX, SUFFIX}
    for k in range(1000):
        fast[f"w{k}"]
    assert all(len(store) <= 64 for store in stores.values())
    assert [_as_stored(fast.lex_attr_getters[a]("Twelve"), fast.strings) for a in stores] == [
        _as_stored(getters[a]("Twelve"), _PLAIN_STRINGS) for a in stores
    ]


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
    # read with NORM, by word_shape's rules, and answered as its ID
    assert fast.vocab.lex_attr_getters[SHAPE].__self__.getter.__self__.getter is word_shape
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


_ATTRS = ("orth_", "lower_", "norm_", "prefix_", "suffix_", "shape_", "lang_", "is_stop", "like_num", "is_punct")
_NEW_WORDS = ["Qwzy", "qwzy", "T13x", "3.75mm", "Vrelk-Dorn", "zzzzzzq", "ß", "ÉTÉ", "Plonk'd", "12/31/2099"]


def _lexemes(vocab: Vocab, words: list[str]) -> list[list[object]]:
    return [[getattr(vocab[w], a) for a in _ATTRS] for w in words]


def test_five_string_attributes_are_read_as_ids_in_lowers_getter() -> None:
    fast = spacy.blank("en").vocab
    use_shortcuts(fast)
    assert type(fast.lex_attr_getters[LOWER]("Spine")) is int
    assert _lexemes(fast, _NEW_WORDS) == _lexemes(spacy.blank("en").vocab, _NEW_WORDS)
    use_shortcuts(fast)  # twice: the same getters
    assert _lexemes(fast, _NEW_WORDS[:3]) == _lexemes(spacy.blank("en").vocab, _NEW_WORDS[:3])


def test_the_getters_pickle_as_string_getters_that_add_to_the_unpickled_store() -> None:
    # spaCy pickles the getters apart from the store: an ID getter would add its strings to a copy of the store
    nlp = spacy.blank("en")
    use_shortcuts(nlp.vocab)
    copy = pickle.loads(pickle.dumps(nlp))
    assert type(copy.vocab.lex_attr_getters) is dict
    assert all(type(copy.vocab.lex_attr_getters[a]("Spine")) is str for a in (LOWER, NORM, PREFIX, SUFFIX, SHAPE))
    assert _lexemes(copy.vocab, _NEW_WORDS) == _lexemes(spacy.blank("en").vocab, _NEW_WORDS)
    assert string_getter(nlp.vocab.lex_attr_getters[LOWER]) is str.lower


def test_an_id_is_used_only_while_the_store_holds_its_string() -> None:
    fast = spacy.blank("en").vocab
    use_shortcuts(fast)
    fast["Q9w!z"]  # the shape "Xdx!x" and the last three "w!z" remembered by their IDs
    # those strings dropped from the store (as spaCy 3.8's memory zones drop the strings added inside one)
    fast.strings._reset_and_load(list(spacy.blank("en").vocab.strings))
    assert "Xdx!x" not in fast.strings and "w!z" not in fast.strings
    assert _lexemes(fast, ["R9w!z"]) == _lexemes(spacy.blank("en").vocab, ["R9w!z"])


def test_a_norm_table_loaded_into_the_vocab_wraps_the_id_getter_and_survives_pickling() -> None:
    # spaCy puts a loaded "lexeme_norm" table in front of the vocab's NORM getter, in place
    fast = spacy.blank("en")
    use_shortcuts(fast.vocab)
    lookups = Lookups()
    lookups.add_table("lexeme_norm", {"Qwzy": "quiz"})
    fast.vocab.lookups = lookups
    assert [fast.vocab[w].norm_ for w in ("Qwzy", "Blorp")] == ["quiz", "blorp"]
    copy = pickle.loads(pickle.dumps(fast))
    assert [copy.vocab[w].norm_ for w in ("Qwzy", "Blorp")] == ["quiz", "blorp"]


_TEXTS = [
    "FINDINGS: Sclerotic focus in the T12 body, 3.75 mm, new since 12/31/2099. No fracture.\n"
    "IMPRESSION: Possible blastic metastasis. Mild L4-5 facet arthropathy; qwzy Vrelk-Dorn zzzzzzq.",
    "History: prostate cancer. The cord is not compressed. Lytic lesion of the left iliac wing, ÉTÉ ß.",
    *[p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:8]],
]


def _reports() -> list[Report]:
    return [Report(f"r{i}", text, {"path": None, "format": "api"}) for i, text in enumerate(_TEXTS)]


def _lines(extractor: Extractor) -> list[bytes]:
    return [dumps(extractor.record_for(report)) for report in _reports()]


@pytest.fixture(scope="module")
def reference_lines() -> list[bytes]:
    return _lines(Extractor())


def test_a_pickled_and_unpickled_pipeline_gives_byte_identical_records(
    reference_lines: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    pickled = pickle.dumps(reportnlp.load())
    monkeypatch.setattr(extractor_module, "load", lambda patterns, matcher: pickle.loads(pickled))
    assert _lines(Extractor()) == reference_lines


def test_a_pipeline_saved_and_loaded_by_spacy_gives_byte_identical_records(
    reference_lines: list[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reportnlp.load().to_disk(tmp_path / "saved")
    monkeypatch.setattr(extractor_module, "load", lambda patterns, matcher: spacy.load(tmp_path / "saved"))
    assert _lines(Extractor()) == reference_lines


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_two_worker_processes_give_byte_identical_records(
    reference_lines: list[bytes], monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    if start not in mp.get_all_start_methods():
        pytest.skip(f"no {start} start method here")
    monkeypatch.setattr(mp, "get_all_start_methods", lambda: [start])  # the pool forks where it can
    extractor = Extractor()
    _lines(extractor)  # the parent's vocab holds the words (and their IDs) a forked worker inherits
    lines = [e.line for e in encoded_records(_reports(), jobs=2, extractor=extractor)]
    assert lines == reference_lines
