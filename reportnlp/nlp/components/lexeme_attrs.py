"""spaCy's lexeme attribute getters with a shortcut for the common words, the values exactly theirs.

spaCy makes a lexeme the first time a Doc holds a new word and calls each of its 24 attribute
getters on it, in Python; a fresh pass over the public texts makes about 32,000, about 9 us each.
Four getters walk the word character by character or try every rule on a plain word: ``like_url``
(a loop looking for a stop), ``word_shape`` (a loop per character), ``is_ascii`` (a loop per
character) and English ``like_num`` (number words tried after digit tests a word of letters cannot
pass, and searched in two lists word by word for every number or date). Each shortcut answers only where
its answer is certain and asks spaCy's own getter otherwise (``like_num`` and ``word_shape`` take spaCy's
steps themselves; tests/test_lexeme_attrs.py compares every shortcut with spaCy's getter on arbitrary text).
Most of the others are one string method wrapped in a Python function (``lower``, ``is_alpha``, the
first character, the last three): the method itself is called instead, a Python frame less per
getter and lexeme. A getter that is not spaCy's own (another language's, a user's) is left as it is.
"""

import functools
import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from spacy import util
from spacy.attrs import (
    IS_ALPHA,
    IS_ASCII,
    IS_BRACKET,
    IS_CURRENCY,
    IS_DIGIT,
    IS_LEFT_PUNCT,
    IS_LOWER,
    IS_PUNCT,
    IS_QUOTE,
    IS_RIGHT_PUNCT,
    IS_SPACE,
    IS_STOP,
    IS_TITLE,
    IS_UPPER,
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
from spacy.vocab import Vocab

_spacy_like_url = lex_attrs.like_url
_spacy_word_shape = lex_attrs.word_shape
_spacy_is_ascii = lex_attrs.is_ascii
_spacy_like_num = en_lex_attrs.like_num
_spacy_like_email = lex_attrs.like_email
_spacy_is_punct = lex_attrs.is_punct
_spacy_is_currency = lex_attrs.is_currency
# English number and ordinal words: what like_num can still say yes to for a word of letters
_NUMBER_WORDS = frozenset(en_lex_attrs._num_words) | frozenset(en_lex_attrs._ordinal_words)


def like_url(text: str) -> bool:
    # every way spaCy's like_url says yes needs a stop in the text
    return "." in text and _spacy_like_url(text)


_ASCII_SHAPES = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)
_LONG_RUN = re.compile(r"(.)\1{4,}", re.DOTALL)  # spaCy's shape keeps the first four of a run
_RUN = "xxxx"  # a run of lower-case letters as spaCy's shape keeps it: its first four (a slice)
_UPPER_RUN = "XXXX"
_NOT_LETTER_OR_DIGIT = str.maketrans("", "", "xXd")  # a shape's other characters


def _four(match: re.Match[str]) -> str:
    return match.group(1) * 4


def word_shape(text: str) -> str:
    if len(text) >= 100 or not text.isascii():  # spaCy's "LONG", and str.isalpha/isdigit beyond ASCII
        return _spacy_word_shape(text)
    if text.isalpha():  # the common words, one run or a capital and one run: no regex needed
        if text.islower():
            return _RUN[: len(text)]
        if text.isupper():
            return _UPPER_RUN[: len(text)]
        if text[0].isupper() and text[1:].islower():
            return "X" + _RUN[: len(text) - 1]
    shape = text.translate(_ASCII_SHAPES)
    # A run of five needs five of one character: of "x", "X" or "d" in a row, or five other characters (a
    # date's "dd/dd/dddd" has neither, and is returned without the regex, about half of its cost).
    if len(shape) < 5 or (
        "xxxxx" not in shape and "XXXXX" not in shape and "ddddd" not in shape
        and len(shape.translate(_NOT_LETTER_OR_DIGIT)) < 5
    ):
        return shape
    return _LONG_RUN.sub(_four, shape)


def is_ascii(text: str) -> bool:
    return text.isascii()


_SIGNS = ("+", "-", "±", "~")
_ORDINAL_ENDS = ("st", "nd", "rd", "th")


def like_num(text: str) -> bool:
    if text.isalpha():  # no digit, sign, stop, comma or slash: only the number words remain
        return text.lower() in _NUMBER_WORDS
    # spaCy's English steps, its two word lists read as one set: it searches each list word by word (about
    # 80 comparisons, ~3 us, for every new number, decimal or date, most of the new words that come here)
    if text.startswith(_SIGNS):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    low = text.lower()
    return low in _NUMBER_WORDS or (low.endswith(_ORDINAL_ENDS) and low[:-2].isdigit())


def like_email(text: str) -> bool:
    # spaCy's pattern needs an "@"
    return "@" in text and _spacy_like_email(text)


def is_punct(text: str) -> bool:
    # spaCy's loop stops at the first character whose category is not punctuation: a letter or digit is not
    return not text[:1].isalnum() and _spacy_is_punct(text)


def is_currency(text: str) -> bool:
    return not text[:1].isalnum() and _spacy_is_currency(text)


_SHORTCUTS: dict[int, tuple[Callable[[str], Any], Callable[[str], Any]]] = {
    LIKE_URL: (_spacy_like_url, like_url),
    SHAPE: (_spacy_word_shape, word_shape),
    IS_ASCII: (_spacy_is_ascii, str.isascii),
    LIKE_NUM: (_spacy_like_num, like_num),
    LIKE_EMAIL: (_spacy_like_email, like_email),
    IS_PUNCT: (_spacy_is_punct, is_punct),
    IS_CURRENCY: (_spacy_is_currency, is_currency),
    # spaCy's own: `return string.lower()`, `string[0]`, `string[-3:]`, `string.isalpha()`, ...
    LOWER: (lex_attrs.lower, str.lower),
    PREFIX: (lex_attrs.prefix, itemgetter(0)),
    SUFFIX: (lex_attrs.suffix, itemgetter(slice(-3, None))),
    IS_ALPHA: (lex_attrs.is_alpha, str.isalpha),
    IS_DIGIT: (lex_attrs.is_digit, str.isdigit),
    IS_LOWER: (lex_attrs.is_lower, str.islower),
    IS_SPACE: (lex_attrs.is_space, str.isspace),
    IS_TITLE: (lex_attrs.is_title, str.istitle),
    IS_UPPER: (lex_attrs.is_upper, str.isupper),
}


def _stop_words(stops: Any) -> Callable[[str], bool]:
    def is_stop(text: str) -> bool:
        return text.lower() in stops

    is_stop.stops = stops  # type: ignore[attr-defined]  # read by _read_together
    return is_stop


def _norm_table(table: dict[str, Any]) -> Callable[[str], Any]:
    def norm(text: str) -> Any:
        found = table.get(text, table)  # the table itself: no value it holds
        return text.lower() if found is table else found

    norm.table = table  # type: ignore[attr-defined]  # read by _read_together
    return norm


class _LastRead(dict):  # type: ignore[type-arg]
    """One getter's answers for the words the vocab's combined reading (_read_together) read last; any other
    word is asked of the getter itself (``__missing__``), so a lookup is always the getter's answer. As a
    getter, its ``__getitem__``: a call in compiled code, not a Python frame."""

    __slots__ = ("getter",)

    def __init__(self, getter: Callable[[str], Any]) -> None:
        super().__init__()
        self.getter = getter

    def __missing__(self, text: str) -> Any:
        return self.getter(text)


_LAST_WORDS = 64  # the words whose answers the stores hold: cleared when they hold this many (memory stays flat)


def _read_together(
    norm: Callable[[str], Any], is_stop: Callable[[str], bool]
) -> tuple[Callable[[str], Any], dict[int, _LastRead]]:
    """The NORM getter that also reads a word's stop-word, e-mail, URL, number, punctuation and currency flags and
    its shape, and the stores the other seven getters read them from.

    spaCy calls each of the vocab's 23 getters in turn on a new word; seven of them were Python functions (a frame
    each, about 1,300 instructions). NORM comes before them in spaCy's order, so one frame reads all eight and the
    seven read back their answer in compiled code (a new lexeme 46 k -> 43 k instructions). The answers are those
    of the shortcut functions above, each a function of the text alone."""
    table, stops = norm.table, is_stop.stops  # type: ignore[attr-defined]
    stores = {attr: _LastRead(getter) for attr, getter in (
        (IS_STOP, is_stop), (LIKE_EMAIL, like_email), (LIKE_URL, like_url), (LIKE_NUM, like_num),
        (IS_PUNCT, is_punct), (IS_CURRENCY, is_currency), (SHAPE, word_shape),
    )}
    every = tuple(stores.values())
    stop_of, email_of, url_of, num_of, punct_of, currency_of, shape_of = every
    spacy_email, spacy_url, spacy_punct, spacy_currency = (
        _spacy_like_email, _spacy_like_url, _spacy_is_punct, _spacy_is_currency
    )
    numbers, run, upper_run = _NUMBER_WORDS, _RUN, _UPPER_RUN

    def norm_and_flags(text: str) -> Any:
        if len(stop_of) >= _LAST_WORDS:
            for store in every:
                store.clear()
        low = text.lower()
        stop_of[text] = low in stops
        email_of[text] = "@" in text and spacy_email(text)  # like_email
        url_of[text] = "." in text and spacy_url(text)  # like_url
        if text.isalpha():
            num_of[text] = low in numbers  # like_num's answer for a word of letters
            punct_of[text] = currency_of[text] = False  # a letter is neither (is_punct, is_currency)
            if len(text) < 100 and text.isascii():  # word_shape's words of letters
                if text.islower():
                    shape_of[text] = run[: len(text)]
                elif text.isupper():
                    shape_of[text] = upper_run[: len(text)]
                elif text[0].isupper() and text[1:].islower():
                    shape_of[text] = "X" + run[: len(text) - 1]
                else:
                    shape_of[text] = word_shape(text)
            else:
                shape_of[text] = word_shape(text)
        else:
            num_of[text] = like_num(text)
            shape_of[text] = word_shape(text)
            if text[:1].isalnum():
                punct_of[text] = currency_of[text] = False
            else:
                punct_of[text] = spacy_punct(text)
                currency_of[text] = spacy_currency(text)
        found = table.get(text, table)  # norm's answer
        return low if found is table else found

    norm_and_flags.stores = stores  # type: ignore[attr-defined]
    return norm_and_flags, stores


def _members_template(text: str) -> bool:
    # the bytecode of spaCy's list getters, which _membership_shortcut compares theirs with
    members = ("", "")
    return text in members


def _membership_shortcut(getter: Any) -> Callable[[str], bool] | None:
    """For a getter of exactly the shape ``def f(text): members = (...); return text in members`` (spaCy's
    is_bracket, is_quote, is_left_punct, is_right_punct), the same test as a frozenset's own membership test
    (compiled, no Python frame); None for any other getter."""
    code = getattr(getter, "__code__", None)
    if code is None or code.co_code != _members_template.__code__.co_code or code.co_argcount != 1:
        return None
    tuples = [const for const in code.co_consts if isinstance(const, tuple)]
    if len(tuples) != 1 or not all(type(member) is str for member in tuples[0]):
        return None
    return frozenset(tuples[0]).__contains__


def _partial_shortcut(attr: int, getter: Any) -> Callable[[str], Any] | None:
    """A shortcut for spaCy's English stop-word test, its norm table and its language getter (each a
    functools.partial), or None."""
    if not isinstance(getter, functools.partial):
        return None
    if attr == LANG and getter.func is lex_attrs.get_lang and not getter.args and set(getter.keywords) == {"lang"}:
        lang = getter.keywords["lang"]
        # a string without braces formats as itself whatever the argument: the language, in compiled code
        return lang.format if type(lang) is str and "{" not in lang and "}" not in lang else None
    if attr == IS_STOP and getter.func is lex_attrs.is_stop and not getter.args and set(getter.keywords) == {"stops"}:
        return _stop_words(getter.keywords["stops"])
    if attr == NORM and getter.func is util._get_attr_unless_lookup and not getter.keywords and len(getter.args) == 2:
        default, lookups = getter.args
        if default is lex_attrs.lower and isinstance(lookups, tuple) and len(lookups) == 1 and type(lookups[0]) is dict:
            return _norm_table(lookups[0])
    return None


def text_flags(vocab: Vocab) -> dict[str, Callable[[str], bool]]:
    """Lexeme flags (by attribute name) that ``vocab`` computes from the word's text alone with one of
    spaCy's getters or its shortcut here, so a word's flag is that function of its text: the Matcher's
    test of a new word may call it and skip the lexeme lookup. Only LIKE_NUM, the flag a rule tests on
    every new word."""
    getter = vocab.lex_attr_getters.get(LIKE_NUM) if vocab.lex_attr_getters else None
    store = getattr(getter, "__self__", None)
    if isinstance(store, _LastRead):  # read together with NORM: the store's own getter decides
        getter = store.getter
    return {"like_num": like_num} if getter in (_spacy_like_num, like_num) else {}


def use_shortcuts(vocab: Vocab) -> None:
    """Put the shortcuts in place of those of spaCy's own getters ``vocab`` uses (others stay)."""
    getters = vocab.lex_attr_getters
    if not getters:
        return
    for attr, (spacy_getter, shortcut) in _SHORTCUTS.items():
        if getters.get(attr) is spacy_getter:
            getters[attr] = shortcut
    for attr in (IS_STOP, NORM, LANG):
        found = _partial_shortcut(attr, getters.get(attr))
        if found is not None:
            getters[attr] = found
    for attr, spacy_getter in (
        (IS_BRACKET, lex_attrs.is_bracket),
        (IS_QUOTE, lex_attrs.is_quote),
        (IS_LEFT_PUNCT, lex_attrs.is_left_punct),
        (IS_RIGHT_PUNCT, lex_attrs.is_right_punct),
    ):
        if getters.get(attr) is spacy_getter:
            found = _membership_shortcut(spacy_getter)
            if found is not None:
                getters[attr] = found
    _read_flags_with_norm(getters)
    _read_ids(vocab)


def _read_flags_with_norm(getters: dict[int, Any]) -> None:
    """NORM's shortcut made to read the seven Python getters' answers too (_read_together), where every one of
    them is this module's shortcut and comes after NORM in the vocab's order (spaCy calls them in that order)."""
    norm, is_stop = getters.get(NORM), getters.get(IS_STOP)
    if not hasattr(norm, "table") or not hasattr(is_stop, "stops"):
        return  # not the shortcuts (another language's or a user's getter), or read together already
    expected = {LIKE_EMAIL: like_email, LIKE_URL: like_url, LIKE_NUM: like_num, IS_PUNCT: is_punct,
                IS_CURRENCY: is_currency, SHAPE: word_shape, IS_STOP: is_stop}
    order = list(getters)
    if any(getters.get(a) is not g or order.index(a) < order.index(NORM) for a, g in expected.items()):
        return
    together, stores = _read_together(norm, is_stop)  # type: ignore[arg-type]
    getters[NORM] = together
    for attr, store in stores.items():
        getters[attr] = store.__getitem__


class _IdRead(dict):  # type: ignore[type-arg]
    """A string attribute's getter as spaCy's ``_new_lexeme`` calls it (``__getitem__``, in compiled code): the ID of
    the attribute's string in the vocab's StringStore, which spaCy stores as it is, where it would add a string to
    the store first. Holds the IDs LOWER's getter (_read_ids) read for the last few words; any other word is
    answered by ``fill`` (the string getter's answer added to the store), so every lookup is right on its own."""

    __slots__ = ("fill", "getter")

    def __init__(self, getter: Callable[[str], Any], fill: Callable[[str], int]) -> None:
        super().__init__()
        self.getter = getter
        self.fill = fill

    def __missing__(self, text: str) -> int:
        return self.fill(text)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_LastRead, (self.getter,))  # ``fill`` holds the StringStore: a copy of it would be another store


def string_getter(getter: Any) -> Any:
    """The getter that answers with the string where ``getter`` answers with its ID (LOWER's and the four others'
    of _read_ids, also inside spaCy's ``add_lookups`` wrapper); any other getter is itself."""
    if isinstance(getter, functools.partial) and getter.args:
        inner = string_getter(getter.args[0])
        if inner is getter.args[0]:
            return getter
        return functools.partial(getter.func, inner, *getter.args[1:], **getter.keywords)
    lower_form = getattr(getter, "lower_form", None)
    if lower_form is not None:
        return lower_form
    store = getattr(getter, "__self__", None)
    return store.getter if isinstance(store, _IdRead) else getter


class _IdGetters(dict):  # type: ignore[type-arg]
    """A vocab's getters (``vocab.lex_attr_getters``) once some answer with IDs: pickled as the dict of the
    string getters (string_getter). spaCy pickles a vocab's getters apart from its StringStore (``pickle_vocab``), so
    an ID getter, which holds the store, would add to a copy of it once unpickled: the unpickled vocab reads the
    strings and adds them to its own store. Items spaCy sets in place (``NORM`` wrapped when lookups load) stay
    right: each ID getter answers any word on its own."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, ({attr: string_getter(getter) for attr, getter in self.items()},))


_IDS_REMEMBERED = 20_000  # the strings whose IDs a vocab's ID reading remembers: cleared when it holds this many


def _read_ids(vocab: Vocab) -> None:
    """Five string attributes' getters (LOWER, NORM, PREFIX, SUFFIX, SHAPE) made to answer with the IDs of their
    strings, read together in LOWER's getter, where every getter is this module's shortcut read with NORM and
    LOWER comes first in the vocab's order (spaCy calls them in that order).

    spaCy adds every string attribute's answer to the StringStore (``add``: the text encoded, hashed and looked up,
    about 1.9 k instructions from Python), six a new lexeme, though most of the answers are strings the store has
    held for long: the first character, the last three, the shape, the norm that is the lower form. Here the lower
    form is added once and its ID is the norm's too where they are equal; the other three strings' IDs are
    remembered by string and each is checked to be held still (``in``, about 0.4 k), since an ID is good only while
    the store holds its string (a store loaded anew, spaCy's memory zones). A new lexeme about 74 k -> 70 k
    instructions. LANG keeps its string: spaCy asks that getter for the vocab's language too (``Vocab.lang``)."""
    getters = vocab.lex_attr_getters
    norm = getters.get(NORM)
    stores = getattr(norm, "stores", None)
    if (
        stores is None or type(getters) is not dict or getters.get(LOWER) is not str.lower
        or getters.get(PREFIX) is not _SHORTCUTS[PREFIX][1] or getters.get(SUFFIX) is not _SHORTCUTS[SUFFIX][1]
    ):
        return  # not NORM's shortcut reading the flags, another getter (a user's), or read as IDs already
    order = list(getters)
    if any(order.index(a) < order.index(LOWER) for a in (NORM, PREFIX, SUFFIX, *stores)):
        return
    strings = vocab.strings
    add = strings.add
    known: dict[str, int] = {}  # strings' IDs: each good only while the store holds the string (checked)
    shape_of = stores[SHAPE]
    read = {attr: _IdRead(getter, lambda text, getter=getter: add(getter(text))) for attr, getter in (
        (NORM, norm), (PREFIX, getters[PREFIX]), (SUFFIX, getters[SUFFIX]), (SHAPE, shape_of.__getitem__),
    )}
    every = tuple(read.values())
    norm_of, prefix_of, suffix_of, ids_of_shape = every

    def lower_and_the_rest(text: str) -> int:
        if len(norm_of) >= _LAST_WORDS:
            for store in every:
                store.clear()
        low = text.lower()
        low_id = add(low)
        norm_text = norm(text)
        norm_of[text] = low_id if norm_text == low else add(norm_text)
        if len(known) >= _IDS_REMEMBERED:
            known.clear()
        value = text[0]
        found = known.get(value)
        if found is None or found not in strings:
            found = known[value] = add(value)
        prefix_of[text] = found
        value = text[-3:]
        found = known.get(value)
        if found is None or found not in strings:
            found = known[value] = add(value)
        suffix_of[text] = found
        value = shape_of[text]
        found = known.get(value)
        if found is None or found not in strings:
            found = known[value] = add(value)
        ids_of_shape[text] = found
        return low_id

    lower_and_the_rest.lower_form = str.lower  # type: ignore[attr-defined]  # read by string_getter
    ids = _IdGetters(getters)
    for attr, store in read.items():
        ids[attr] = store.__getitem__
    ids[LOWER] = lower_and_the_rest
    vocab.lex_attr_getters = ids
