"""Back-end fast paths against their plain forms: the span-group rows table (tables.span_rows), the rows the
Extractor's own Doc holds without a group, token-table texts, the laterality window test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

import reportnlp
from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.tables import span_rows
from reportnlp.nlp.pipeline import EXACT
from reportnlp.run.extractor import Extractor

_EXTRACTOR = Extractor()  # its own Doc makes the mentions no Spans: rows only (mentions.py spacy_spans)
_NLP = reportnlp.load()  # a user's pipeline: the span group and doc.ents
_NLP.disable_pipe(EXACT)
_PIECES = st.sampled_from([
    "Lytic lesion in L2. ", "No fracture. ", "FINDINGS: ", "IMPRESSION: ", "Mild disc bulge at L4-5; ", "metastatic ",
    "lytic myeloma lesion ", "compression fracture of T12 ", "possible ", "\n", "hiatal hernia ", "the ", "x",
])


def _read(doc) -> list[tuple[int, int, int, str]]:  # type: ignore[no-untyped-def]
    return [(s.start, s.end, s.label, s.label_) for s in doc.spans[MENTIONS]]


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=16).map("".join))
def test_the_rows_the_mention_matcher_gives_are_its_group(text: str) -> None:
    """The rows the mention matcher remembers as it makes the group, as every later component reads
    them, are the group read afresh (a mention of two concepts is two rows, in the group's order)."""
    doc = _NLP.make_doc(text)
    for name, component in _NLP.pipeline:
        doc = component(doc)
        if name == "reportnlp_mentions":
            assert span_rows(doc, MENTIONS) == _read(doc)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=16).map("".join))
def test_the_extractors_rows_without_a_group_are_the_users_group(text: str) -> None:
    """The Extractor's own Doc holds no span group, and its mention rows are those of the group a user's pipeline
    makes of the same text."""
    doc = _EXTRACTOR._doc(text)
    assert MENTIONS not in doc.spans
    assert span_rows(doc, MENTIONS) == _read(_NLP(text))


def test_a_group_set_anew_or_grown_is_read_again() -> None:
    doc = _NLP.make_doc("Lytic lesion in L2. No fracture.")
    for name, component in _NLP.pipeline:
        doc = component(doc)
        if name == "reportnlp_mentions":
            break
    assert span_rows(doc, MENTIONS) == _read(doc) and len(doc.spans[MENTIONS])
    doc.spans[MENTIONS].append(Span(doc, 0, 1, label="fracture"))
    assert span_rows(doc, MENTIONS) == _read(doc)
    doc.spans[MENTIONS] = [Span(doc, 1, 2, label="bone_metastasis")]
    assert span_rows(doc, MENTIONS) == [(1, 2, doc.vocab.strings["bone_metastasis"], "bone_metastasis")]
    del doc.spans[MENTIONS]
    assert span_rows(doc, MENTIONS) is None


_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=6), st.sampled_from(["<br>", "&nbsp;", "\\par ", "  ", "\t", "\r\n"])),
                  max_size=14).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.data())
def test_token_table_doc_text_is_the_span_text(text: str, data: st.DataObject) -> None:
    """TokenTable.doc_text(start, end) is doc[start:end].text, on our tokenizer's Doc (gaps of any
    whitespace or markup) and on spaCy's blank tokenizer's."""
    import spacy

    from reportnlp.nlp.components.tables import token_table

    for doc in (_NLP.make_doc(text), spacy.blank("en").make_doc(text)):
        table = token_table(doc)
        n = len(doc)
        for _ in range(5):
            start = data.draw(st.integers(0, n))
            end = data.draw(st.integers(start, min(n, start + 8)))
            assert table.doc_text(start, end) == doc[start:end].text


_WINDOW = st.lists(st.sampled_from(["left ", "Right", "BILATERAL", "bilaterally ", "rıght ", "lEft\t", "the ", "lower ",
                                    "L4 ", "\n", "x", "  ", "é", "ſ", "6th and 7th ", "cleft "]), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(_WINDOW, _WINDOW, st.integers(0, 40))
def test_the_laterality_window_test_is_the_search(before: str, window: str, reach: int) -> None:
    """_lateral_before skips the search only where it finds nothing: the same match as the search."""
    from reportnlp.nlp.components.locations import _LATERAL_BEFORE, _SITE_SIDE_BEFORE, _lateral_before

    text = before + window
    hi = len(text)
    lo = max(0, hi - reach)
    for pattern in (_LATERAL_BEFORE, _SITE_SIDE_BEFORE):
        got, expected = _lateral_before(text, lo, hi, pattern), pattern.search(text, lo, hi)
        assert (got and got.span(1)) == (expected and expected.span(1))
