"""The report tokenizer: punctuation glued to the next word is cut, offsets stay exact (issue 11.1)."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.tokenizer import ReportTokenizer, _plain, mask_markup, mostly_capitals, split_glued


@pytest.fixture(scope="module")
def tokenize() -> ReportTokenizer:
    nlp = spacy.blank("en")
    return ReportTokenizer(nlp.vocab, nlp.tokenizer)


def words(tokenize: ReportTokenizer, text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_header_colon_and_comma_glued_to_the_title(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "EXAM:,CT HEAD") == ["EXAM", ":", ",", "CT", "HEAD"]


def test_period_and_comma_glued_to_the_next_sentence(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "normal.,No edema") == ["normal", ".", ",", "No", "edema"]


def test_comma_glued_to_the_next_word(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "alignment,Degenerative disease") == ["alignment", ",", "Degenerative", "disease"]


def test_comma_glued_to_a_list_number(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "intact,2. Mild") == ["intact", ",", "2", ".", "Mild"]


def test_period_glued_to_the_next_sentence(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "unremarkable.The cord") == ["unremarkable", ".", "The", "cord"]


def test_numbers_and_abbreviations_stay_whole(tokenize: ReportTokenizer) -> None:
    assert words(tokenize, "3.5 cm, 1,000 e.g. U.S.") == ["3.5", "cm", ",", "1,000", "e.g.", "U.S."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Disc bulges.<br>No fracture.", ["Disc", "bulges", ".", "No", "fracture", "."]),
        ("lesion&nbsp;in T9.</p><p>IMPRESSION", ["lesion", "in", "T9", ".", "IMPRESSION"]),
        ('<td class="x">Cord</td>', ["Cord"]),
        ("L4-5.\\par No stenosis.\\par", ["L4", "-", "5", ".", "No", "stenosis", "."]),
    ],
)
def test_markup_left_in_an_export_splits_words_like_white_space(
    tokenize: ReportTokenizer, text: str, expected: list[str]
) -> None:
    assert words(tokenize, text) == expected


def test_markup_letters_do_not_decide_whether_a_report_is_in_capitals(tokenize: ReportTokenizer) -> None:
    # Read without its markup this line is in capitals, so it splits as its lower-case form would;
    # the lower-case letters of "&nbsp;" and "\\par" must not make it read as mixed case.
    marked = "MRI T9-10&nbsp;&nbsp;&nbsp;</p><p>&amp;\\par CANNOT EXCLUDE"
    assert words(tokenize, marked) == words(tokenize, mask_markup(marked))


@pytest.mark.parametrize("text", ["A&P: D&C done.", "Pain 3<4, x<y.", "C:\\Reports\\today"])
def test_text_without_markup_is_left_alone(text: str) -> None:
    assert mask_markup(text) is text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<br>", "</p><p>", "&nbsp;", "&amp;", "\\par ", "No", "fracture", ".", " ", "\n",
                                 "L4-5", "T9", ",", "<b>", "a&b"]), max_size=20).map("".join))
def test_masked_markup_tokenizes_as_spaces_would(text: str) -> None:
    nlp = spacy.blank("en")
    tokenize = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    masked = mask_markup(text)
    assert len(masked) == len(text)
    doc, plain = tokenize(text), tokenize(masked)
    assert doc._.reportnlp_starts == plain._.reportnlp_starts
    assert [t.text for t in doc] == [t.text for t in plain]


def test_offsets_point_into_the_text_as_given(tokenize: ReportTokenizer) -> None:
    text = "FINDINGS:  ,Mild.,No mass"
    doc = tokenize(text)
    assert [text[s : s + len(t.text)] for s, t in zip(doc._.reportnlp_starts, doc, strict=True)] == [t.text for t in doc]
    assert [t.text for t in doc] == ["FINDINGS", ":", ",", "Mild", ".", ",", "No", "mass"]


_ENGLISH = spacy.blank("en").tokenizer
_LETTERS = st.text(st.characters(categories=["Lu", "Ll", "Lt", "Lm", "Lo", "Nd"]), min_size=1, max_size=6)
_WORD = st.one_of(
    _LETTERS,
    st.sampled_from(["No", "FINDINGS", "2", "10", "e", "A", "ab", "Dr", "cannot", "etc"]),
    st.sampled_from(["5cm", "10mm", "3x", "L4", "T12", "2nd"]),  # digits and letters: spaCy may split them
    st.tuples(st.sampled_from(["5", "10", "0", "12", "2.5", "0.75"]),
              st.sampled_from(["%", "in", "T", "MM", "mg", "t", "am", "s", "nd", "x"]))
    .map("".join),  # a number and a unit (spaCy's, or not one of its units, or a special case: "12am")
    st.tuples(st.one_of(_LETTERS, st.sampled_from(["it", "It", "he", "that", "let", "O"])), st.sampled_from(["'s", "'S"]))
    .map("".join),  # a possessive ("patient's") or a special case ("it's")
)
_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=3)
_PART = st.one_of(
    _WORD,
    st.text(st.sampled_from("abcxyzABCXYZ"), min_size=1, max_size=4),
    st.sampled_from(sorted(k for k in _ENGLISH.rules if k.rstrip(".").isalpha())),  # special cases ("c.", "Ms")
    st.just(""),
    _DIGITS,
    st.sampled_from(["L4", "T12", "C2", "x3", "5mm", "2nd", "L"]),  # spine levels beside a hyphen or slash
)
_JOINED = st.one_of(  # words spaCy cuts at a hyphen, decimals it keeps whole, and shapes near them
    st.lists(_PART, min_size=2, max_size=3).map("-".join),
    st.lists(_PART, min_size=2, max_size=3).map("/".join),
    st.tuples(_DIGITS, st.sampled_from([".", "..", ",", "-", "/", ":", ",,"]), st.one_of(_DIGITS, _WORD)).map("".join),
)
_ONE = st.tuples(st.one_of(_WORD, _JOINED), st.sampled_from(["", ",", ";", ":", ".", "!", "?", "'", "-", ":,", ".,"])).map(
    "".join
)
_CHUNK = st.one_of(
    _ONE,
    st.lists(_ONE, min_size=2, max_size=3).map(".,".join),  # sentences glued by ".," as exports join them
    st.lists(_ONE, min_size=2, max_size=4).map(":,".join),  # a header glued by ":," to what follows it
    st.lists(_ONE, min_size=2, max_size=4).map(",".join),  # list items glued by a comma ("L5,S1", "spine,Mild")
    st.lists(st.tuples(_ONE, st.sampled_from([".,", ":,", ","])).map("".join), min_size=1, max_size=3).map(
        "".join
    ).map(lambda joined: joined + "1."),  # a mix, ending in a list number ("normal.,IMPRESSION:,1.")
    _ONE.map(",".__add__),  # a list item glued after its comma
    st.tuples(  # opening and closing marks, around a word or a special case (":)", "(:", "Dr.")
        st.sampled_from(["", "(", '"', "#", "((", '""', '("', "#(", "'", "[", "-", ":"]),
        st.one_of(_ONE, st.sampled_from(sorted(_ENGLISH.rules))),
        st.sampled_from(["", ")", '"', "))", '")', ')"', "'", "]", ").", "),", "):", ");", '".', "..", "...", ".."]),
    ).map("".join),
    st.sampled_from(sorted(k for k in _ENGLISH.rules if k.rstrip(",;:.").isalnum())),  # special cases
    st.sampled_from(sorted(k for k in _ENGLISH.rules if k.isalnum())).map(lambda k: k + "."),
)


@settings(max_examples=3000, deadline=None)
@given(_CHUNK)
def test_a_plain_chunk_gets_the_tokens_spacy_gives_it(chunk: str) -> None:
    """The chunks tokenized without asking spaCy get exactly spaCy's tokens cut by split_glued;
    special cases and anything unsure are left to spaCy."""
    pieces = _plain(chunk, frozenset(_ENGLISH.rules))
    if pieces is not None:
        assert [(i, w) for i, w, _ in pieces] == split_glued([(t.idx, t.text) for t in _ENGLISH(chunk)])
        assert [low for _, _, low in pieces] == [w.lower() for _, w, _ in pieces]


def test_a_word_and_its_stop_are_known_without_spacy() -> None:
    assert _plain("normal.", frozenset()) == ((0, "normal", "normal"), (6, ".", "."))


def test_hyphenated_words_are_cut_at_each_hyphen_without_spacy() -> None:
    assert [w for _, w, _ in _plain("disc-osteophyte,", frozenset()) or ()] == ["disc", "-", "osteophyte", ","]


def test_a_decimal_stays_one_token_before_its_stop() -> None:
    assert _plain("3.5.", frozenset()) == ((0, "3.5", "3.5"), (3, ".", "."))


def test_a_date_stays_one_token() -> None:
    assert _plain("12/3/2004,", frozenset()) == ((0, "12/3/2004", "12/3/2004"), (9, ",", ","))


def test_a_comma_before_a_list_item_is_its_own_token() -> None:
    assert [w for _, w, _ in _plain(",Mild", frozenset()) or ()] == [",", "Mild"]


def test_a_header_glued_to_a_comma_is_known_without_spacy() -> None:
    assert [w for _, w, _ in _plain("IMPRESSION:,", frozenset()) or ()] == ["IMPRESSION", ":", ","]


def test_a_hyphenated_word_ending_in_a_special_case_is_left_to_spacy() -> None:
    """"c." is one of spaCy's special cases: its stop is not split off."""
    assert _plain("a-b-c.", frozenset(_ENGLISH.rules)) is None


def test_a_special_case_is_left_to_spacy() -> None:
    assert _plain("cannot", frozenset(_ENGLISH.rules)) is None


def test_sentences_glued_by_stop_and_comma_are_known_without_spacy() -> None:
    assert [w for _, w, _ in _plain("normal.,No", frozenset()) or ()] == ["normal", ".", ",", "No"]


def _plain_words(chunk: str) -> list[str] | None:
    pieces = _plain(chunk, frozenset(_ENGLISH.rules))
    return None if pieces is None else [w for _, w, _ in pieces]


def test_a_header_glued_between_a_sentence_and_a_list_number_is_known_without_spacy() -> None:
    assert _plain_words("normal.,IMPRESSION:,1.") == ["normal", ".", ",", "IMPRESSION", ":", ",", "1", "."]


def test_list_items_glued_by_a_bare_comma_are_known_without_spacy() -> None:
    assert _plain_words("L5,S1") == ["L5", ",", "S1"]


def test_a_comma_between_digits_stays_inside_its_number() -> None:
    assert _plain_words("1,000.") == ["1,000", "."]


def test_a_number_and_its_unit_are_two_tokens_at_a_chunks_end_only() -> None:
    """spaCy's unit rule is a suffix rule: "5mm" at the end of a chunk is cut, before a joint it stays whole."""
    assert _plain_words("2.5cm.") == ["2.5", "cm", "."]
    assert _plain_words("50%") == ["50", "%"]
    assert _plain_words("3x") == ["3x"]  # not a unit
    assert _plain_words("5mm,No") == ["5mm", ",", "No"]  # before a joint spaCy keeps it whole


def test_a_possessive_is_cut_before_its_s_unless_the_word_is_a_special_case() -> None:
    assert _plain_words("patient's") == ["patient", "'s"]
    assert _plain_words("it's") is None


def test_a_hyphen_spacy_keeps_stays_inside_its_token() -> None:
    assert _plain_words("T-12") == ["T-12"]
    assert _plain_words("T-12-L1") == ["T-12", "-", "L1"]


def test_a_closing_mark_and_a_stop_after_it_are_cut_off() -> None:
    assert _plain_words("views).") == ["views", ")", "."]


def test_a_run_of_stops_after_a_word_is_one_token() -> None:
    assert _plain_words("normal...") == ["normal", "..."]


def test_a_question_mark_and_a_plural_possessive_are_cut_off() -> None:
    assert _plain_words("pain?") == ["pain", "?"]
    assert _plain_words("patients'") == ["patients", "'"]


def test_a_stop_after_a_word_ending_in_a_lower_case_letter_is_cut_off() -> None:
    assert _plain_words("2nd.") == ["2nd", "."]
    assert _plain_words("2.5-cm.") == ["2.5", "-", "cm", "."]


def test_a_time_stays_one_token() -> None:
    assert _plain_words("10:30,") == ["10:30", ","]


def test_another_languages_affix_rules_are_asked_not_assumed() -> None:
    """German keeps an ordinal's stop ("2." is one token): the English shortcut is not taken for it."""
    german = spacy.blank("de")
    tokenize = ReportTokenizer(german.vocab, german.tokenizer)
    assert words(tokenize, "am 2. Tag") == ["am", "2.", "Tag"]


_TEXT_PIECES = st.sampled_from([
    "No", "fracture", "normal.", "normal.,No", "EXAM:,MRI", "L4-5", "Dr.", "e.g.", "''", "(:", "cannot", "CANNOT",
    "İ", "ß.", "<br>", "&nbsp;", " ", "  ", "\n", "\r\n", "\t", "\xa0", ",", ".", "1,000", "3.5", "x",
])


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, str, int, int, int, bool]]:
    return [(t.text, t.whitespace_, t.orth, t.lower, t.norm, t.is_space) for t in doc]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.lists(_TEXT_PIECES, max_size=25).map("".join), st.text(max_size=60)))
def test_the_doc_made_from_lexeme_ids_is_the_doc_made_from_the_words(tokenize: ReportTokenizer, text: str) -> None:
    """ReportTokenizer hands spaCy's Doc the lexeme IDs it remembers per chunk; the Doc is the one the
    words themselves make."""
    for _ in range(2):  # the chunks new (in the first example that has them), then remembered
        doc = tokenize(text)
        plain = spacy.tokens.Doc(tokenize.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        assert doc.text == plain.text
        assert _tokens(doc) == _tokens(plain)


def test_stale_lexeme_ids_fall_back_to_the_words() -> None:
    """Remembered IDs whose strings the vocab no longer has (its strings reloaded): the Doc is made from the
    words, and what was remembered is forgotten."""
    nlp = spacy.blank("en")
    fresh = ReportTokenizer(nlp.vocab, nlp.tokenizer)
    assert words(fresh, "zqxw normal.") == ["zqxw", "normal", "."]
    entry = fresh._chunks["zqxw"]
    fresh._chunks["zqxw"] = (*entry[:4], (12345,), *entry[5:])  # its lexeme IDs (the fifth field) stale
    assert words(fresh, "zqxw normal.") == ["zqxw", "normal", "."]
    assert "zqxw" not in fresh._chunks
    assert words(fresh, "zqxw normal.") == ["zqxw", "normal", "."]


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("aBcDxyZ é.,1 \n"), max_size=60))
def test_mostly_capitals_counts_every_letter(text: str) -> None:
    # its early answer from the first 60% of an ASCII text agrees with counting every letter
    expected = sum(map(str.isupper, text)) > 2 * sum(map(str.islower, text))
    assert mostly_capitals(text) == expected
