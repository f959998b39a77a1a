"""The tokenizer's chunk path: chunks whose tokens could meet across a space in a special case go through
spaCy's tokenizer together; everywhere else each chunk's remembered tokens are used, and both give spaCy's
tokens of the whole text."""

from __future__ import annotations

from unittest import mock

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components import tokenizer
from reportnlp.nlp.components.tokenizer import (
    _UNSEEN,
    ReportTokenizer,
    _plain,
    chunk_starts,
    split_glued,
    working_text,
)


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


@pytest.fixture(scope="module")
def tokenize(nlp: spacy.language.Language) -> ReportTokenizer:
    return ReportTokenizer(nlp.vocab, nlp.tokenizer)


def _asking(nlp: spacy.language.Language) -> tuple[ReportTokenizer, list[str]]:
    """A tokenizer, and the texts it hands spaCy's tokenizer."""
    asked: list[str] = []
    base = nlp.tokenizer

    class Spy:
        rules = base.rules

        def __call__(self, text: str) -> spacy.tokens.Doc:
            asked.append(text)
            return base(text)

    tokenize = ReportTokenizer(nlp.vocab, base)
    tokenize.base = Spy()  # type: ignore[assignment]
    return tokenize, asked


@pytest.mark.parametrize("text", ["(: (", ":) )", "e.g. )", "x (: ( y", "a :) ) :) b"])
def test_chunks_that_could_meet_across_a_space_in_a_special_case_get_spacys_tokens(
    tokenize: ReportTokenizer, nlp: spacy.language.Language, text: str
) -> None:
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]


def test_only_the_chunks_that_could_meet_in_a_special_case_go_to_spacy(nlp: spacy.language.Language) -> None:
    """A long line with one such pair: spaCy is asked about the pair, not the line (session 23)."""
    tokenize, asked = _asking(nlp)
    text = "the lungs are clear Chest: 1. no mass\nthe heart is normal Dr. O and then more"
    tokenize("the lungs are clear Chest: 1. no mass the heart is normal Dr. O and then more")  # learn the chunks
    asked.clear()
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text) if not t.is_space]
    assert asked == ["Chest: 1.\nDr. O"]


def test_chunks_one_space_apart_that_could_meet_in_turn_go_to_spacy_together(nlp: spacy.language.Language) -> None:
    tokenize, asked = _asking(nlp)
    text = "see :) ) :) here"
    tokenize("see here :) )")
    asked.clear()
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]
    assert asked == [":) ) :)"]


_CASES = sorted(spacy.blank("en").tokenizer.rules)
_ATOMS = [*"abAB()'\":;.,-_*<>=!?/+#&0123", "e.g.", "Dr.", "1.", "3+", "(-)", ":(", "Chest:", "q.h.s.", "p.r.n.,", "O",
          "D.", "no", "''", ":)", "1)", "(+)", "_____", "hes"]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_CASES), st.sampled_from(_ATOMS)),
            st.sampled_from([" ", " ", " ", " ", "\n", "  ", "\t", "", "\x1c", " \x0b", "\u00a0", "\r\n"]),
        ),
        max_size=20,
    ).map(lambda pieces: "".join(piece + gap for piece, gap in pieces)),
    st.booleans(),
)
def test_a_text_of_special_cases_one_space_apart_gets_spacys_tokens(
    tokenize: ReportTokenizer, nlp: spacy.language.Language, text: str, capitals: bool
) -> None:
    given_text = text.upper() if capitals else text
    text = working_text(given_text)  # what the tokenizer splits: an export's characters read as the plain ones
    folded = text.lower() if sum(map(str.isupper, text)) > 2 * sum(map(str.islower, text)) else text
    expected = split_glued([(t.idx, t.text) for t in nlp.tokenizer(folded) if not t.is_space])
    doc = tokenize(given_text)
    assert [(i, t.text) for i, t in zip(doc._.reportnlp_starts, doc, strict=True)] == [
        (i, text[i : i + len(w)]) for i, w in expected
    ]
    starts = doc._.reportnlp_starts
    ends = [*starts[1:], len(text)][: len(doc)]
    assert [bool(t.whitespace_) for t in doc] == [
        s + len(t.text) < e for s, t, e in zip(starts, doc, ends, strict=True)
    ]


def _found_one_by_one(text: str, parts: list[str]) -> list[int]:
    """Where each chunk starts, searched for after the one before (the plain reading)."""
    starts, at = [], 0
    for chunk in parts:
        at = text.find(chunk, at)
        starts.append(at)
        at += len(chunk)
    return starts


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*"ab.,: \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2028é", "  "]), max_size=30).map("".join))
def test_each_chunk_starts_where_a_search_after_the_one_before_finds_it(text: str) -> None:
    """Read at once for an ASCII text (every white space str.split cuts at, \\x1c-\\x1f too), chunk by chunk
    otherwise: the same offsets (session 26)."""
    parts = text.split()
    assert chunk_starts(text, parts) == _found_one_by_one(text, parts)


_CHUNK_TEXT = st.sampled_from([*"ab.,: \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2028é", "  ", " word", " L4-5,", "\n"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_CHUNK_TEXT, max_size=120).map("".join), st.sampled_from([0, 1, 2, 25, 10**9]))
def test_chunk_starts_are_the_searchs_on_either_side_of_the_size_where_it_reads_at_once(text: str, below: int) -> None:
    """A text of fewer chunks than ``_SEARCHED_BELOW`` is searched chunk by chunk, a longer ASCII one read at once:
    both give the search's offsets, whatever the size where one gives way to the other (session 27)."""
    parts = text.split()
    with mock.patch.object(tokenizer, "_SEARCHED_BELOW", below):
        assert chunk_starts(text, parts) == _found_one_by_one(text, parts)


@pytest.mark.parametrize("text", ["", "   ", "a", " a", "a ", "\x1ca\x1fb", "one  two\tthree\n four"])
def test_chunk_starts_at_the_edges(text: str) -> None:
    parts = text.split()
    assert chunk_starts(text, parts) == _found_one_by_one(text, parts)


@pytest.mark.parametrize("gap", ["  ", "\t", "\n", " \x1c", "\x1c"])
def test_chunks_more_than_one_space_apart_do_not_meet_in_a_special_case(nlp: spacy.language.Language, gap: str) -> None:
    """Only a single space lets a special case's tokens meet across chunks ("Chest:" "1." one space apart do)."""
    tokenize, asked = _asking(nlp)
    tokenize(f"the Chest:{gap}1. here")
    asked.clear()
    text = f"more Chest:{gap}1. there"
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text) if not t.is_space]
    assert asked == []


@pytest.mark.parametrize(
    "text",
    [
        "chest pain",  # "chest" holds a changing case ("hes"), but nothing follows it in one
        "Dr .",  # "." can follow "Dr" in a special case, but neither chunk holds a changing one
        "hes )",  # "hes" is a changing case; ")" cannot follow its last token "s"
    ],
)
def test_chunks_whose_tokens_cannot_meet_in_a_changing_case_stay_chunked(nlp: spacy.language.Language, text: str) -> None:
    tokenize, asked = _asking(nlp)
    tokenize(text)
    asked.clear()
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]
    assert asked == []


def test_a_word_and_its_colon_are_known_without_spacy() -> None:
    assert _plain("disc;", frozenset()) == ((0, "disc", "disc"), (4, ";", ";"))
    assert _plain("Spine:", frozenset()) == ((0, "Spine", "spine"), (5, ":", ":"))


def test_a_stop_after_a_letter_spacy_may_keep_is_left_to_spacy() -> None:
    """spaCy splits a stop off after a lower-case or two capital ASCII letters; after others it may not."""
    assert _plain("É.", frozenset()) is None
    assert _plain("Ab.", frozenset()) == ((0, "Ab", "ab"), (2, ".", "."))


def test_a_word_that_is_a_special_case_is_left_to_spacy_before_its_comma() -> None:
    assert _plain("cannot,", frozenset({"cannot"})) is None


def test_each_chunk_is_looked_up_and_learned_once_per_text(nlp: spacy.language.Language) -> None:
    tokenize = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    learned: list[list[str]] = []
    learn = tokenize._learn
    tokenize._learn = lambda chunks: (learned.append(list(chunks)), learn(chunks))[1]  # type: ignore[method-assign]
    assert [t.text for t in tokenize("no mass, no mass. No")] == ["no", "mass", ",", "no", "mass", ".", "No"]
    assert learned == [["no", "mass,", "mass.", "No"]]
    tokenize("No mass.")
    assert learned == [["no", "mass,", "mass.", "No"]]


def test_a_text_with_more_new_chunks_than_are_remembered_gets_spacys_tokens(
    nlp: spacy.language.Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its first chunks are forgotten while its last are learned: the tokens come from what was learned
    monkeypatch.setattr("reportnlp.nlp.components.tokenizer._CHUNKS_REMEMBERED", 3)
    tokenize = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    text = "mild (disc) bulge, L4-5. no stenosis: (canal) patent; foramina ok."
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]
    assert len(tokenize._chunks) == 3


_WORDS = ["spine", "Spine", "SPINE", "hes", "cannot", "Dr", "L", "É", "Ab", "naïve", "x", "Mr", "e"]


@pytest.mark.parametrize("word", _WORDS)
@pytest.mark.parametrize("last", ["", ",", ";", ":", ".", "!", "'"])
def test_a_new_word_and_its_ending_are_remembered_as_the_general_path_describes_them(
    nlp: spacy.language.Language, word: str, last: str
) -> None:
    """_learn's direct entry for a word (and its comma, colon or stop) is the one _plain and _describe make."""
    fresh = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    chunk = word + last
    learned = fresh._learn([chunk])[chunk]
    pieces = _plain(chunk, fresh._rule_keys)
    if pieces is not None:
        assert learned == fresh._describe(chunk, pieces)
    text = f"see the {chunk}"  # in lower-case company: an ALL CAPS text is split on its lower-cased form
    assert [t.text for t in fresh(text)] == [t.text for t in nlp.tokenizer(text)]


@pytest.mark.parametrize("chunk", ["normal.,No", "day.,FAMILY:", "cm.,2.", "e.,Dr.", "Clear.,ASSESSMENT:,", "a.,"])
def test_sentences_glued_by_a_comma_get_spacys_tokens(
    tokenize: ReportTokenizer, nlp: spacy.language.Language, chunk: str
) -> None:
    """A glued chunk's words of letters are read directly; the tokens are spaCy's cut by split_glued."""
    text = f"see the {chunk}"  # in lower-case company: an ALL CAPS text is split on its lower-cased form
    expected = [w for _, w in split_glued([(t.idx, t.text) for t in nlp.tokenizer(text)])]
    assert [t.text for t in tokenize(text)] == expected


_GLUED_PART = st.text(alphabet="abcXYZ0123.,:;)(\"'-/é", min_size=0, max_size=8)


@settings(max_examples=400, deadline=None)
@given(word=st.text(alphabet="abcdeXYZé", min_size=1, max_size=6), rest=_GLUED_PART, more=_GLUED_PART)
def test_a_word_glued_by_its_stop_and_a_comma_is_described_as_the_general_path_describes_it(
    nlp: spacy.language.Language, word: str, rest: str, more: str
) -> None:
    """_learn's entry for "word.,rest" read from a remembered tail is the one _plain and _describe make."""
    chunk = f"{word}.,{rest}{more}"
    fresh = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    fresh._described_tail(rest + more)  # a tail seen before
    pieces = _plain(chunk, fresh._rule_keys)
    found = fresh._glued_entry(chunk)
    if found is not _UNSEEN:  # (_UNSEEN: left to _plain)
        assert found == (None if pieces is None else fresh._describe(chunk, pieces))


@pytest.mark.parametrize("chunk", ["fracture.,IMPRESSION:", "normal.,No", "stable.,2.", "mass.,PLAN:,1.", "e.,Dr."])
def test_the_common_glued_shapes_are_read_from_their_tail(nlp: spacy.language.Language, chunk: str) -> None:
    fresh = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    pieces = _plain(chunk, fresh._rule_keys)
    assert fresh._glued_entry(chunk) == (None if pieces is None else fresh._describe(chunk, pieces))
