"""The Extractor runs its pipeline's components itself (not through ``Language.__call__``): the same Doc, and
a failing component gives the error record spaCy's own call would have led to."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc

from reportnlp.nlp.components.mentions import matches_over_wraps
from reportnlp.nlp.components.tables import sentence_table, span_rows
from reportnlp.run.extractor import Extractor

TEXT = "EXAM: MRI lumbar spine.\nFINDINGS: Lytic lesion at L2, possibly metastatic. No fracture at T12."


def _facts(doc: Doc) -> Any:
    return (
        doc.text,
        [(e.start, e.end, e.label_) for e in doc.ents],
        {name: [(s.start, s.end, s.label_) for s in group] for name, group in doc.spans.items()},
        [t.is_sent_start for t in doc],
        doc.user_data[("._.", "reportnlp_fields", None, None)],
    )


def test_the_extractor_makes_the_doc_the_pipeline_call_makes(extractor: Extractor) -> None:
    assert _facts(extractor._doc(TEXT)) == _facts(extractor.nlp(TEXT))


def test_the_extractor_runs_only_the_enabled_components(extractor: Extractor) -> None:
    assert [name for name, _ in extractor._steps] == extractor.nlp.pipe_names


@pytest.mark.parametrize(("raised", "named"), [(KeyError("x"), "ValueError"), (RuntimeError("x"), "RuntimeError")])
def test_a_component_that_fails_costs_the_report_as_under_spacys_call(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch, raised: Exception, named: str
) -> None:
    def fail(doc: Doc) -> Doc:
        raise raised

    steps = [(name, fail if name == "reportnlp_locations" else proc) for name, proc in extractor._steps]
    monkeypatch.setattr(extractor, "_steps", steps)
    record = extractor.record_for_text("r1", TEXT)
    assert (record["status"], record["error"]["message"]) == ("error", f"{named} while processing")


def test_a_component_that_returns_no_doc_costs_the_report(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [(name, (lambda doc: None) if name == "reportnlp_locations" else proc) for name, proc in extractor._steps]
    monkeypatch.setattr(extractor, "_steps", steps)
    record = extractor.record_for_text("r1", TEXT)
    assert (record["status"], record["error"]["message"]) == ("error", "ValueError while processing")


def test_a_users_pipeline_puts_the_mentions_in_doc_ents() -> None:
    """The mentions go to doc.ents wherever a Doc leaves reportnlp (reportnlp.load(), a user's own pipeline)."""
    import reportnlp

    doc = reportnlp.load()(TEXT)
    assert {(e.text, e.label_) for e in doc.ents} >= {("Lytic lesion", "lytic_lesion"), ("fracture", "fracture")}


def test_the_extractors_own_doc_makes_its_mentions_no_spacy_spans(extractor: Extractor) -> None:
    """Only the Extractor's Doc, read for its record and dropped, is spared making the mentions Span objects (their
    span group and doc.ents): the later components read the mentions' rows, which it has."""
    doc = extractor._doc(TEXT)
    assert "reportnlp_mentions" not in doc.spans and not doc.ents
    assert [(start, end, concept) for start, end, _, concept in span_rows(doc, "reportnlp_mentions") or []] == [
        (2, 3, "modality"), (8, 10, "lytic_lesion"), (14, 15, "metastasis"), (17, 18, "fracture")]


def test_records_do_not_read_the_mentions_spacy_spans(
    extractor: Extractor, corpus_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every record of corpus_samples is the same whether or not the mentions were made a span group and doc.ents."""
    texts = {"t": TEXT, **corpus_texts}
    without = {rid: extractor.record_for_text(rid, text) for rid, text in texts.items()}
    monkeypatch.setattr(extractor.nlp.get_pipe("reportnlp_mentions"), "spacy_spans", True)
    assert extractor._doc(TEXT).ents  # the switch is what the records below are made with
    assert {rid: extractor.record_for_text(rid, text) for rid, text in texts.items()} == without


def test_the_extractors_own_doc_writes_no_sentence_marks_but_the_table(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Extractor's Doc is spared spaCy's SENT_START marks (sentences.py spacy_starts): its components read the
    sentence table, which holds the starts the marks would (``doc.sents``, ``Span.sent``); reportnlp.load()'s Doc
    keeps its marks."""
    import reportnlp

    doc = extractor._doc(TEXT)
    assert not doc.has_annotation("SENT_START") and len(sentence_table(doc).starts) == 5
    monkeypatch.setattr(extractor.nlp.get_pipe("reportnlp_sentences"), "spacy_starts", True)
    assert [s.start for s in extractor._doc(TEXT).sents] == sentence_table(doc).starts
    marked = reportnlp.load()(TEXT)
    assert marked.has_annotation("SENT_START") and [s.start for s in marked.sents] == sentence_table(marked).starts
    assert [s.text.strip() for s in marked.sents] == [
        "EXAM:", "MRI lumbar spine.", "FINDINGS:", "Lytic lesion at L2, possibly metastatic.", "No fracture at T12."]


WRAPPED = "FINDINGS: No patho-\nlogic fracture. Uptake in keeping with meta-\nstatic disease.\nNo other lesion."


def test_a_wrapped_words_joined_doc_keeps_the_sentences_without_marks(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Doc with a wrapped word's halves joined (mentions.py) takes the sentence starts from the table when the
    Doc has no marks: the same joined Doc as from the marks."""
    def joined_starts() -> list[Any]:
        seen: list[Any] = []

        def matcher(doc: Doc) -> list[Any]:
            seen.append([(t.text, t.is_sent_start) for t in doc])
            return []

        matches_over_wraps(extractor._doc(WRAPPED), matcher, frozenset({"pathologic", "metastatic"}))
        return seen

    without = joined_starts()
    monkeypatch.setattr(extractor.nlp.get_pipe("reportnlp_sentences"), "spacy_starts", True)
    assert extractor._doc(WRAPPED).has_annotation("SENT_START")  # the switch is what the second reading is made with
    assert joined_starts() == without and ("pathologic", None) in without[0] and ("Uptake", True) in without[0]


def test_records_do_not_read_the_sentence_marks(
    extractor: Extractor, corpus_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every record of corpus_samples (and a text with wrapped words) is the same with the sentence marks written or not."""
    texts = {"t": TEXT, "w": WRAPPED, **corpus_texts}
    without = {rid: extractor.record_for_text(rid, text) for rid, text in texts.items()}
    monkeypatch.setattr(extractor.nlp.get_pipe("reportnlp_sentences"), "spacy_starts", True)
    assert {rid: extractor.record_for_text(rid, text) for rid, text in texts.items()} == without
