"""spaCy's lexeme attribute getters with a shortcut for the common words, the values exactly theirs.

spaCy makes a lexeme the first time a Doc holds a new word and calls each of its 24 attribute
getters on it, in Python; a fresh pass over the public texts makes about 32,000, about 9 us each.
Four getters walk the word character by character or try every rule on a plain word: ``like_url``
(a loop looking for a stop), ``word_shape`` (a loop per character), ``is_ascii`` (a loop per
character) and English ``like_num`` (number words tried after digit tests a word of letters cannot
pass). Each shortcut answers only where its answer is certain and asks spaCy's own getter otherwise;
a getter that is not spaCy's own (another language's, a user's) is left as it is.
"""

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import IS_ASCII, LIKE_NUM, LIKE_URL, SHAPE
from spacy.lang import lex_attrs
from spacy.lang.en import lex_attrs as en_lex_attrs
from spacy.vocab import Vocab

_spacy_like_url = lex_attrs.like_url
_spacy_word_shape = lex_attrs.word_shape
_spacy_is_ascii = lex_attrs.is_ascii
_spacy_like_num = en_lex_attrs.like_num
# English number and ordinal words: what like_num can still say yes to for a word of letters
_NUMBER_WORDS = frozenset(en_lex_attrs._num_words) | frozenset(en_lex_attrs._ordinal_words)


def like_url(text: str) -> bool:
    # every way spaCy's like_url says yes needs a stop in the text
    return "." in text and _spacy_like_url(text)


_ASCII_SHAPES = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)
_LONG_RUN = re.compile(r"(.)\1{4,}", re.DOTALL)  # spaCy's shape keeps the first four of a run


def _four(match: re.Match[str]) -> str:
    return match.group(1) * 4


def word_shape(text: str) -> str:
    if len(text) >= 100 or not text.isascii():  # spaCy's "LONG", and str.isalpha/isdigit beyond ASCII
        return _spacy_word_shape(text)
    shape = text.translate(_ASCII_SHAPES)
    return shape if len(shape) < 5 else _LONG_RUN.sub(_four, shape)


def is_ascii(text: str) -> bool:
    return text.isascii()


def like_num(text: str) -> bool:
    if text.isalpha():  # no digit, sign, stop, comma or slash: only the number words remain
        return text.lower() in _NUMBER_WORDS
    return _spacy_like_num(text)


_SHORTCUTS: dict[int, tuple[Callable[[str], Any], Callable[[str], Any]]] = {
    LIKE_URL: (_spacy_like_url, like_url),
    SHAPE: (_spacy_word_shape, word_shape),
    IS_ASCII: (_spacy_is_ascii, is_ascii),
    LIKE_NUM: (_spacy_like_num, like_num),
}


def use_shortcuts(vocab: Vocab) -> None:
    """Put the shortcuts in place of those of spaCy's own getters ``vocab`` uses (others stay)."""
    getters = vocab.lex_attr_getters
    if not getters:
        return
    for attr, (spacy_getter, shortcut) in _SHORTCUTS.items():
        if getters.get(attr) is spacy_getter:
            getters[attr] = shortcut
