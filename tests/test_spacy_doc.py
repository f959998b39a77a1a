"""The report inside spaCy: mentions are doc.ents with medspaCy's ConText flags, labels are on the Doc."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

import reportnlp
from reportnlp.nlp.components.mentions import _add_ents, _set_new_ents
from reportnlp.run.extractor import Extractor

TEXT = "FINDINGS: No fracture. Lytic lesion in L2, possibly a metastasis. Family history of myeloma."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def test_mentions_are_doc_ents_with_context_flags(nlp: Language) -> None:
    doc = nlp(TEXT)
    got = [(e.text, e.label_, e._.is_negated, e._.is_uncertain, e._.is_historical, e._.is_hypothetical, e._.is_family)
           for e in doc.ents]
    assert got == [
        ("fracture", "fracture", True, False, False, False, False),
        ("Lytic lesion", "lytic_lesion", False, False, False, False, False),
        ("metastasis", "metastasis", False, True, False, False, False),
        ("myeloma", "bone_malignancy", False, False, False, False, True),
    ]


def test_span_group_keeps_mentions_that_overlap(nlp: Language) -> None:
    doc = nlp("Lytic myeloma lesion of the sacrum.")
    group = [(s.text, s.label_) for s in doc.spans["reportnlp_mentions"]]
    assert len(group) > len(doc.ents) >= 1
    assert all((e.text, e.label_) in group for e in doc.ents)


def test_labels_on_the_doc_are_the_records_labels(nlp: Language) -> None:
    doc = nlp(TEXT)
    record = Extractor().record_for_text("r", TEXT)
    assert doc._.reportnlp_labels == record["labels"]
    assert doc._.reportnlp_labels["fracture"] == "absent"


def test_displacy_renders_the_mentions(nlp: Language) -> None:
    html = displacy.render(nlp(TEXT), style="ent")
    assert "lytic_lesion" in html and "metastasis" in html


def test_medspacy_visualizer_and_doc_consumer_read_a_reportnlp_doc(nlp: Language) -> None:
    from medspacy.io import DocConsumer
    from medspacy.visualization import visualize_ent

    doc = nlp(TEXT)
    assert "METASTASIS" in visualize_ent(doc, jupyter=False)
    attrs = ["text", "start_char", "end_char", "label_", "is_negated", "is_uncertain", "is_historical",
             "is_hypothetical", "is_family"]
    consumer = DocConsumer(nlp, dtypes=("ents",), dtype_attrs={"ents": attrs})
    data = consumer(nlp(TEXT))._.data["ents"]
    assert data["label_"] == ["fracture", "lytic_lesion", "metastasis", "bone_malignancy"]
    assert data["is_negated"] == [True, False, False, False] and data["is_family"][-1] is True


def test_labels_component_in_a_pipeline_of_ones_own(nlp: Language) -> None:
    """Factories resolve through the spacy_factories entry points, without importing reportnlp first."""
    import spacy

    mine = spacy.blank("en")
    for name in nlp.pipe_names:
        mine.add_pipe(name)
    assert mine.pipe_names[-2:] == ["reportnlp_labels", "reportnlp_source_text"]
    assert mine(TEXT)._.reportnlp_labels["bone_metastasis"] == nlp(TEXT)._.reportnlp_labels["bone_metastasis"]


def test_context_names_medspacy_registered_first_are_written_not_replaced() -> None:
    """If medspaCy owns is_negated & co. (registered before reportnlp), the values are written into them, at
    the offsets of the text as given (CRLF and runs of spaces move them from the folded view's)."""
    import subprocess
    import sys

    code = (
        "from medspacy.context import ConText; ConText.register_default_attributes()\n"
        "import reportnlp\n"
        "from reportnlp.nlp.components.annotations import OWN_FLAGS\n"
        "doc = reportnlp.load()('FINDINGS:\\r\\n\\r\\n  No   fracture.\\r\\nPossible  metastasis.')\n"
        "print(sorted(OWN_FLAGS), [(e.text, e._.is_negated, e._.is_uncertain) for e in doc.ents])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[] [('fracture', True, False), ('metastasis', False, True)]"


def _assign_ents(doc: Doc, spans: list[Span]) -> None:
    """The plain way: assign ``doc.ents`` (spaCy copies each span), skipping spans over an existing entity."""
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    fits = [s for s in filter_spans(spans) if not taken & set(range(s.start, s.end))]
    if fits:
        doc.ents = sorted([*doc.ents, *fits], key=lambda s: s.start)


_SPAN = st.tuples(st.integers(0, 11), st.integers(1, 4), st.sampled_from(["fracture", "metastasis", "modality"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPAN, max_size=8), st.lists(_SPAN, max_size=2), st.booleans(), st.lists(st.integers(0, 11), max_size=3))
def test_mentions_set_the_entity_annotation_that_assigning_doc_ents_sets(
    spans: list[Any], before: list[Any], assigned: bool, linked: list[int]
) -> None:
    """Token by token (IOB, type, knowledge-base id, entity id), whatever the mentions and entities another
    component set before (or none ever set), also on tokens given a knowledge-base id by hand: the token
    arrays written for a doc without entities (_set_new_ents) and ``set_ents`` agree."""
    vocab = spacy.blank("en").vocab
    docs = [Doc(vocab, words=[f"w{i}" for i in range(12)]) for _ in range(3)]
    for doc in docs:
        for i in linked:
            doc[i].ent_kb_id_ = "Q1"
            doc[i].ent_id_ = "E1"
        if assigned:
            doc.ents = filter_spans([Span(doc, s, min(s + n, 12), label="OTHER") for s, n, _ in before])
    fast, plain, arrays = ([Span(doc, s, min(s + n, 12), label=label) for s, n, label in spans] for doc in docs)
    _add_ents(docs[0], fast)
    _assign_ents(docs[1], plain)
    if arrays and not docs[2].ents:  # the token arrays, whatever the number of spans
        _set_new_ents(docs[2], [(s.start, s.end, s.label) for s in filter_spans(arrays)])
        assert [(t.ent_iob_, t.ent_type_, t.ent_kb_id_, t.ent_id_) for t in docs[2]] == [
            (t.ent_iob_, t.ent_type_, t.ent_kb_id_, t.ent_id_) for t in docs[1]
        ]
    assert [(t.ent_iob_, t.ent_type_, t.ent_kb_id_, t.ent_id_) for t in docs[0]] == [
        (t.ent_iob_, t.ent_type_, t.ent_kb_id_, t.ent_id_) for t in docs[1]
    ]
    assert [(e.start, e.end, e.label_) for e in docs[0].ents] == [(e.start, e.end, e.label_) for e in docs[1].ents]


def test_our_doc_values_are_where_spacy_keeps_extension_values() -> None:
    """components/docdata.py reads and writes spaCy's own storage: ``doc._`` sees the same values."""
    from reportnlp.nlp.components.docdata import doc_value, set_doc_value

    nlp = reportnlp.load()
    doc = nlp.make_doc("FINDINGS: No fracture.")
    assert doc_value(doc, "reportnlp_text") == doc._.reportnlp_text == "FINDINGS: No fracture."
    set_doc_value(doc, "reportnlp_sections", ["written directly"])
    assert doc._.reportnlp_sections == ["written directly"]
    doc._.reportnlp_document = {"type": "set through doc._"}
    assert doc_value(doc, "reportnlp_document") == {"type": "set through doc._"}


def test_markup_stays_in_doc_text_and_entities_index_it(nlp: Language) -> None:
    text = "<p>FINDINGS: Disc bulges.<br>Lytic lesion&nbsp;in T9.</p>"
    doc = nlp(text)
    assert doc.text == text
    assert [(e.text, text[e.start_char : e.end_char]) for e in doc.ents] == [("Disc bulges",) * 2, ("Lytic lesion",) * 2]
