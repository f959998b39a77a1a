"""The tokenizer's chunk path: special cases that could meet across a space send the text through spaCy
whole; everywhere else each chunk's remembered tokens are used, and both give spaCy's tokens."""

from __future__ import annotations

import pytest
import spacy

from reportnlp.nlp.components.tokenizer import ReportTokenizer, _plain


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


@pytest.fixture(scope="module")
def tokenize(nlp: spacy.language.Language) -> ReportTokenizer:
    return ReportTokenizer(nlp.vocab, nlp.tokenizer)


@pytest.mark.parametrize("text", ["(: (", ":) )", "e.g. )"])
def test_special_cases_that_could_meet_across_a_space_send_the_text_whole(
    tokenize: ReportTokenizer, nlp: spacy.language.Language, text: str
) -> None:
    assert tokenize._split_chunks(text, text) is None
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "chest pain",  # "chest" holds a changing case ("hes"), but nothing follows it in one
        "Dr .",  # "." can follow "Dr" in a special case, but neither chunk holds a changing one
        "hes )",  # "hes" is a changing case; ")" cannot follow its last token "s"
    ],
)
def test_chunks_whose_tokens_cannot_meet_in_a_changing_case_stay_chunked(
    tokenize: ReportTokenizer, nlp: spacy.language.Language, text: str
) -> None:
    assert tokenize._split_chunks(text, text) is not None
    assert [t.text for t in tokenize(text)] == [t.text for t in nlp.tokenizer(text)]


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
    from reportnlp.nlp.components.tokenizer import split_glued

    text = f"see the {chunk}"  # in lower-case company: an ALL CAPS text is split on its lower-cased form
    expected = [w for _, w in split_glued([(t.idx, t.text) for t in nlp.tokenizer(text)])]
    assert [t.text for t in tokenize(text)] == expected
