"""The Doc reportnlp.load() returns: doc.text is the input exactly, and every span's offsets index it.

The components work on a folded view (whitespace tokens dropped); the last component,
reportnlp_source_text, gives back a Doc with spaCy's whitespace tokens and everything remapped.
"""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy import displacy
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components.source_text import SOURCE_TEXT, layout
from reportnlp.nlp.components.tokenizer import source_text, span_offsets
from reportnlp.run.extractor import Extractor

REPORT = (
    "\r\nFINDINGS:\r\n\r\n  No  fracture.\tLytic lesion in L2,\r\npossibly a   metastasis.\r\n"
    "Mild facet\r\narthropathy at L4-5.\f\r\nIMPRESSION:\u00a0Family history of myeloma.  \r\n"
)
FLAGS = ("is_negated", "is_uncertain", "is_historical", "is_hypothetical", "is_family")
ASSERTION_OF_FLAG = {"is_negated": "absent", "is_uncertain": "possible", "is_historical": "historical",
                     "is_hypothetical": "hypothetical", "is_family": "family"}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    "text",
    [
        "No fracture.\r\nMild disc bulge.\r\n",  # CRLF
        "No\tfracture.\t\tDisc bulge.",  # tabs
        "No   fracture.  Disc    bulge.",  # runs of spaces
        "   \n No fracture. \n  ",  # leading and trailing whitespace
        "No fracture.\f\fDisc bulge.\x0b",  # form feed, vertical tab
        "No\u00a0fracture.\u2028Disc\u2003bulge.\u3000",  # NBSP, line separator, em space, ideographic space
        "",  # empty
        " \r\n\t ",  # whitespace only
        "x",
    ],
)
def test_doc_text_is_the_input_exactly(nlp: Language, text: str) -> None:
    assert nlp(text).text == text


def test_every_token_indexes_the_input(nlp: Language) -> None:
    doc = nlp(REPORT)
    assert all(REPORT[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_gaps_are_whitespace_tokens_as_spacys_tokenizer_makes_them(nlp: Language) -> None:
    text = "  No  fracture\r\n seen \tL2 "
    assert [(t.text, t.whitespace_) for t in nlp(text)] == [(t.text, t.whitespace_) for t in spacy.blank("en")(text)]


def test_layout_keeps_one_space_on_the_token_and_the_rest_of_the_gap_as_a_token() -> None:
    words, spaces, where = layout("a  b\nc", ["a", "b", "c"], [0, 3, 5])
    assert (words, spaces, where) == (["a", " ", "b", "\n", "c"], [True, False, False, False, False], [0, 2, 4])


def test_a_phrase_wrapped_over_a_crlf_line_break_is_found(nlp: Language) -> None:
    ents = [(e.text, e.label_) for e in nlp("Mild facet\r\narthropathy at L4-5.").ents]
    assert ("facet\r\narthropathy", "facet_arthropathy") in ents


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(["No", "lytic", "lesion", "fracture", "facet", "arthropathy", "L2", ".", ",", "FINDINGS:",
                             " ", "  ", "\r\n", "\t", "\n\n", "\u00a0", "\f", "possibly", "metastasis"]),
            max_size=40,
        ).map("".join),
    )
)
def test_any_text_comes_back_exactly_and_every_span_indexes_it(nlp: Language, text: str) -> None:
    doc = nlp(text)
    assert doc.text == text
    for span in [*doc.ents, *doc.spans.get("reportnlp_mentions", []), *doc.sents]:
        assert span.text == text[span.start_char : span.end_char]


def test_mentions_have_the_records_offsets(nlp: Language, extractor: Extractor) -> None:
    doc = nlp(REPORT)
    record = extractor.record_for_text("r", REPORT)
    mentions = {(m["start"], m["end"], m["concept"]) for m in record["mentions"]}
    group = {(s.start_char, s.end_char, s.label_) for s in doc.spans["reportnlp_mentions"]}
    assert group == mentions
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} <= mentions
    assert len(doc.ents) >= 4


def test_context_flags_on_the_ents_are_the_records_assertions(nlp: Language, extractor: Extractor) -> None:
    record = extractor.record_for_text("r", REPORT)
    assertion = {(m["start"], m["end"], m["concept"]): m["assertion"] for m in record["mentions"]}
    doc = nlp(REPORT)
    for ent in doc.ents:
        expected = assertion[(ent.start_char, ent.end_char, ent.label_)]
        assert ent._.reportnlp_assertion == expected
        assert {f for f in FLAGS if getattr(ent._, f)} == {f for f, a in ASSERTION_OF_FLAG.items() if a == expected}
    assert {e.text: e._.is_negated for e in doc.ents}["fracture"] is True


def test_labels_and_fields_are_the_records(nlp: Language, extractor: Extractor) -> None:
    doc = nlp(REPORT)
    record = extractor.record_for_text("r", REPORT)
    assert doc._.reportnlp_labels == record["labels"]
    assert doc._.reportnlp_fields["mentions"] == record["mentions"]


def test_sentences_cover_the_text_and_whitespace_joins_the_sentence_before(nlp: Language) -> None:
    doc = nlp("No fracture.\r\n\r\nMild disc bulge.  ")
    assert [s.text for s in doc.sents] == ["No fracture.\r\n\r\n", "Mild disc bulge.  "]


def test_leading_whitespace_opens_the_first_sentence(nlp: Language) -> None:
    doc = nlp("\r\n  No fracture.")
    assert [t.is_sent_start for t in doc] == [True, False, False, False]


def test_displacy_shows_the_mention_in_the_text_as_given(nlp: Language) -> None:
    html = displacy.render(nlp("Lytic\r\nlesion in  L2, possibly a   metastasis."), style="ent")
    assert "metastasis" in html and "lytic_lesion" in html


def test_offset_helpers_read_the_exact_doc(nlp: Language) -> None:
    doc = nlp(REPORT)
    assert source_text(doc) == REPORT
    assert all(span_offsets(e) == (e.start_char, e.end_char) for e in doc.ents)


def test_span_and_token_values_stored_by_spacy_move_with_their_tokens() -> None:
    """Extension values in doc.user_data are keyed by char offsets; set on the folded Doc, read on the exact one."""
    from spacy.tokens import Span, Token

    for cls in (Span, Token):
        if not cls.has_extension("test_source_note"):
            cls.set_extension("test_source_note", default=None)
    nlp = reportnlp.load()

    @Language.component("test_source_notes")
    def note(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
        for ent in doc.ents:
            ent._.test_source_note = ent.label_
            doc[ent.start]._.test_source_note = ent.label_
        return doc

    nlp.add_pipe("test_source_notes", before=SOURCE_TEXT)
    doc = nlp("No  fracture.\r\n\r\nLytic   lesion.")
    assert [(e.text, e._.test_source_note, doc[e.start]._.test_source_note) for e in doc.ents] == [
        ("fracture", "fracture", "fracture"), ("Lytic   lesion", "lytic_lesion", "lytic_lesion")]


def test_a_doc_from_another_tokenizer_passes_unchanged(nlp: Language) -> None:
    doc = spacy.blank("en")("No  fracture.")
    assert nlp.get_pipe(SOURCE_TEXT)(doc) is doc


def test_a_doc_whose_tokens_were_merged_since_passes_unchanged(nlp: Language) -> None:
    doc = nlp.make_doc("No  fracture seen.")
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[1:3])
    assert nlp.get_pipe(SOURCE_TEXT)(doc) is doc


def test_batch_extraction_does_not_make_the_exact_doc(extractor: Extractor) -> None:
    assert SOURCE_TEXT in extractor.nlp.disabled
    assert SOURCE_TEXT not in extractor.nlp.pipe_names
