"""Sentence splitting that follows report layout."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components.sentences import (
    TERMINAL,
    _after_breaks,
    _after_stops,
    _plain_starts,
    _starts_in_order,
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def sentences(nlp: Language, text: str) -> list[str]:
    return [" ".join(s.text.split()) for s in nlp(text).sents]


def test_periods_end_sentences(nlp: Language) -> None:
    assert sentences(nlp, "No fracture. Mild bulge.") == ["No fracture.", "Mild bulge."]


def test_wrapped_line_continues_the_sentence(nlp: Language) -> None:
    text = "There is a small disc protrusion at L4-5 which narrows the left lateral\nrecess."
    assert len(sentences(nlp, text)) == 1


def test_a_label_opens_its_line_after_a_full_width_line(nlp: Language) -> None:
    """Session 21: a denial at the end of a long line does not reach the label line below it."""
    text = "L5-S1   desiccated, no HNP            normal     normal     normal     mild DJD\nOther: 4 mm anterolisthesis."
    assert sentences(nlp, text)[-1] == "Other: 4 mm anterolisthesis."


def test_rows_of_a_table_in_columns_of_spaces_are_sentences_of_their_own(nlp: Language) -> None:
    text = "Level   Disc        Canal      Facets\nL1-2    normal      normal     normal\nL2-3    bulge       mild       mild"
    assert len(sentences(nlp, text)) == 3


def test_a_line_with_a_wide_gap_wrapped_onto_a_plain_line_continues(nlp: Language) -> None:
    text = "Broad protrusion   at L4-5 contacting the descending traversing\nL5 root."
    assert len(sentences(nlp, text)) == 1


def test_wrapped_line_before_an_abbreviation_continues(nlp: Language) -> None:
    assert len(sentences(nlp, "Corresponds to the sclerotic lesion on the prior\nCT.")) == 1


def test_numbered_impression_items_are_sentences(nlp: Language) -> None:
    text = "IMPRESSION:\n1. Osseous metastases.\n2. No fracture."
    assert sentences(nlp, text) == ["IMPRESSION:", "1. Osseous metastases.", "2. No fracture."]


def test_bullets_without_periods_are_sentences(nlp: Language) -> None:
    assert len(sentences(nlp, "- Disc bulge at L4-5\n- Facet arthropathy at L5-S1")) == 2


def test_blank_line_ends_a_sentence(nlp: Language) -> None:
    assert len(sentences(nlp, "No fracture\n\nMild disc bulge")) == 2


def test_headers_are_sentence_boundaries(nlp: Language) -> None:
    assert sentences(nlp, "FINDINGS:,  No fracture  IMPRESSION:,  Normal") == [
        "FINDINGS:,", "No fracture", "IMPRESSION:,", "Normal",
    ]


# Unpunctuated dictation: a long run of words with no punctuation is cut where a new statement opens.
_DICTATED = (
    "mri lumbar spine without contrast findings there is no acute compression deformity no marrow edema "
    "moderate disc desiccation at l4-5 with a small central protrusion there is no canal stenosis"
)


def test_dictation_without_punctuation_starts_a_statement_at_no_after_a_finding(nlp: Language) -> None:
    assert "no marrow edema" in sentences(nlp, _DICTATED)


def test_dictation_without_punctuation_starts_a_statement_at_a_degree_word(nlp: Language) -> None:
    assert any(s.startswith("moderate disc desiccation") for s in sentences(nlp, _DICTATED))


def test_dictation_without_punctuation_starts_a_statement_at_there_is(nlp: Language) -> None:
    assert "there is no canal stenosis" in sentences(nlp, _DICTATED)


def test_dictation_without_punctuation_ends_a_statement_at_a_level(nlp: Language) -> None:
    text = "mri lumbar spine findings l1 through l3 are unremarkable no fracture at l1 mild disc bulge at l4-5 and l5-s1"
    assert any(s.startswith("mild disc bulge") for s in sentences(nlp, text))


def test_a_long_sentence_keeps_a_denial_that_leads_into_there_is(nlp: Language) -> None:
    # "believe" leads into "there is": no cut, so the denial still reaches the fracture
    text = "on review of the outside films with the family today at the bedside we do not believe there is a fracture"
    assert len(sentences(nlp, text)) == 1


def test_a_short_unpunctuated_sentence_is_not_cut(nlp: Language) -> None:
    assert len(sentences(nlp, "No fracture mild degenerative change")) == 1


def test_a_punctuated_long_sentence_is_not_cut(nlp: Language) -> None:
    text = "There is a small joint effusion, no fracture or dislocation, mild degenerative change of the knee."
    assert len(sentences(nlp, text)) == 1


def test_decimal_numbers_do_not_split(nlp: Language) -> None:
    assert len(sentences(nlp, "A 2.5 cm lytic lesion.")) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", "..", "...", "…", "no", "fracture", ",", "\n", "1", ""]), max_size=40))
def test_the_stops_are_found_as_a_loop_finds_them(words: list[str]) -> None:
    """sentences._after_stops (compress in compiled code) against the loop it replaces."""
    assert list(_after_stops(words)) == [i + 1 for i, w in enumerate(words) if w in TERMINAL]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["No", "fracture", ".", "L4-5", ":"]), st.sampled_from([0, 0, 0, 1, 2, 3])),
                min_size=1, max_size=60))
def test_the_tokens_after_line_breaks_are_those_the_tokenizer_counted(tokens: list[tuple[str, int]]) -> None:
    """sentences._after_breaks (a text of few lines read from its line breaks, one of many token by token) picks
    exactly the tokens with a line break before them, whichever way it reads."""
    source, char_starts, breaks = "", [], []
    for word, newlines in tokens:
        gap = "\n" * newlines or (" " if source else "")
        source += gap
        char_starts.append(len(source))
        breaks.append(gap.count("\n"))
        source += word
    assert list(_after_breaks(source, char_starts, breaks)) == [i for i, b in enumerate(breaks) if b]


_LAYOUT_WORDS = st.sampled_from([".", "..", "?", "1", "12", "123", ")", "-", "No", "no", "Fracture", "fracture", "L4-5",
                                 ",", ":", "IMPRESSION", "and", "Mild"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(_LAYOUT_WORDS, st.sampled_from([0, 0, 0, 1, 2])), min_size=1, max_size=30),
       st.sets(st.integers(0, 31), max_size=3))
@example(tokens=[("1", 0), (".", 0), ("Mild", 0), (".", 0), ("2", 0), (".", 0), ("No", 0)], forced=set())
def test_the_starts_read_at_once_are_those_of_the_token_by_token_walk(
    tokens: list[tuple[str, int]], forced: set[int]
) -> None:
    """The starts read at once (_plain_starts) are the walk's: a stop's next token, a line break's by the
    layout rules, a header's, and a list number's stop ("1. ... 2. ...") ending no sentence."""
    words = [w for w, _ in tokens]
    breaks = [b if i else 0 for i, (_, b) in enumerate(tokens)]
    source, char_starts = "", []
    for word, newlines in zip(words, breaks, strict=True):
        source += ("\n" * newlines or " ") if source else ""
        char_starts.append(len(source))
        source += word
    lower = [w.lower() for w in words]
    forced = {f for f in forced if f <= len(words)}
    after_stop = list(_after_stops(words))
    candidates = sorted({*after_stop, *(i for i, b in enumerate(breaks) if b), *forced} - {0, len(words)})
    walked = _starts_in_order(words, lower, source, char_starts, breaks, candidates, forced, None)
    assert _plain_starts(words, lower, source, char_starts, breaks, after_stop, forced) == walked


def test_a_numbered_lists_stops_end_no_sentence_but_the_items_do(nlp: Language) -> None:
    assert sentences(nlp, "Impression 1. Mild bulge. 2. No fracture. 3. Stable.") == [
        "Impression 1.", "Mild bulge.", "2. No fracture.", "3. Stable."
    ]


def test_each_row_of_a_pipe_table_is_its_own_sentence(nlp: Language) -> None:
    """Session 16: a row's finding and the next row's explanation are different statements."""
    text = "Findings:\n| L2 body | intense | lytic lesion |\n| R 9th rib | mild | healing fracture |"
    assert sentences(nlp, text)[-2:] == ["| L2 body | intense | lytic lesion |", "| R 9th rib | mild | healing fracture |"]


def test_a_query_glued_to_its_word_after_a_leading_word_ends_no_sentence(nlp: Language) -> None:
    """Session 26: "would need XR for ?pathological fracture" asks about the fracture; the purpose reaches it."""
    assert sentences(nlp, "To ED if worse (would need XR for ?pathological fracture).") == [
        "To ED if worse (would need XR for ?pathological fracture)."
    ]
    # a list of queries after a dash, and a query after a full stop, are read as before
    assert len(sentences(nlp, "T8 fracture - ?osteoporotic ?pathological.")) == 2
    assert sentences(nlp, "Chest wall contusion. ?rib fracture.") == ["Chest wall contusion.", "?", "rib fracture."]


def test_a_dictated_period_before_a_capital_ends_the_sentence(nlp: Language) -> None:
    """Session 28: voice recognition writes the spoken stop out; a time period ends nothing."""
    text = "Bones colon no lytic lesion period Healing fracture of the left 7th rib period"
    assert sentences(nlp, text) == ["Bones colon no lytic lesion period", "Healing fracture of the left 7th rib period"]
    assert len(sentences(nlp, "No fracture during the postoperative period of six weeks.")) == 1


def test_a_line_of_capitals_over_lower_case_text_is_a_title(nlp: Language) -> None:
    """Session 28: a dictated note with no punctuation does not run on into its title."""
    text = "SPINE CLINIC FOLLOW UP NOTE\npt seen today MRI shows L4-5 disc bulge"
    assert sentences(nlp, text) == ["SPINE CLINIC FOLLOW UP NOTE", "pt seen today MRI shows L4-5 disc bulge"]
    assert len(sentences(nlp, "There is a small protrusion at L4-5 narrowing the\nleft lateral recess.")) == 1


def test_a_checkbox_rows_answer_ends_its_line(nlp: Language) -> None:
    """Session 34: a form row's checked "No" at its line's end denies nothing on the next row."""
    text = "Cord compression on MRI   [ ] Yes  [x] No\nVertebral metastases on MRI   [x] Yes  [ ] No"
    assert sentences(nlp, text) == ["Cord compression on MRI [ ] Yes [x] No", "Vertebral metastases on MRI [x] Yes [ ] No"]


def test_a_wrapped_no_at_a_lines_end_still_reaches_on(nlp: Language) -> None:
    text = "Alignment is normal and there is no\nevidence of cord compression."
    assert len(sentences(nlp, text)) == 1
