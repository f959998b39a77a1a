"""A reportnlp Doc goes through spaCy's serialization whole: Doc.to_bytes, DocBin, nlp.pipe(n_process=...)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin

import reportnlp
from reportnlp.nlp.components.msgpack_types import register

TEXTS = [
    "MRI L-SPINE\r\nFINDINGS:  L4-5 disc bulge.  Possible lytic lesion in the left T9 pedicle.\nNo cord compression.",
    "CT CHEST: Sclerotic lesions of the right 6th rib, suspicious for metastases. Prior fracture of the left clavicle.",
    "No acute fracture.",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def _plain(value: Any) -> Any:
    """Arrays as lists: msgpack reads every array back as a list, or (DocBin) every one as a tuple."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _annotations(doc: Doc) -> list[Any]:
    """Everything reportnlp says about a Doc, as comparable values."""
    mentions = [
        (s.start, s.end, s.label_, s._.reportnlp_rule, s._.reportnlp_assertion, s._.reportnlp_cues,
         s._.reportnlp_locations, s._.reportnlp_laterality, s._.reportnlp_clause)
        for s in doc.spans["reportnlp_mentions"]
    ]
    ents = [(e.start_char, e.end_char, e.label_, e._.is_negated, e._.is_uncertain) for e in doc.ents]
    labels = json.dumps(doc._.reportnlp_labels, sort_keys=True)
    return [doc.text, _plain(mentions), ents, _plain(doc._.reportnlp_sections), labels]


def test_doc_to_bytes_keeps_every_mentions_annotations(nlp: Language) -> None:
    for text in TEXTS:
        doc = nlp(text)
        assert _annotations(Doc(nlp.vocab).from_bytes(doc.to_bytes())) == _annotations(doc)


def test_docbin_with_user_data_keeps_the_report(nlp: Language) -> None:
    docs = list(nlp.pipe(TEXTS))
    stored = DocBin(store_user_data=True, docs=docs).to_bytes()
    back = list(DocBin().from_bytes(stored).get_docs(nlp.vocab))
    assert [_annotations(d) for d in back] == [_annotations(d) for d in docs]


def test_pipe_with_worker_processes_gives_the_same_docs(nlp: Language) -> None:
    serial = [_annotations(d) for d in nlp.pipe(TEXTS)]
    assert [_annotations(d) for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)] == serial


@register
@dataclass(frozen=True)
class _Point:
    x: int
    label: str


def test_a_registered_class_goes_through_msgpack() -> None:
    assert srsly.msgpack_loads(srsly.msgpack_dumps({"p": [_Point(1, "a")]})) == {"p": [_Point(1, "a")]}


def test_a_tagged_map_of_an_unknown_class_stays_a_map() -> None:
    data = {"__reportnlp__": "elsewhere.Unknown", "fields": [1]}
    assert srsly.msgpack_loads(srsly.msgpack_dumps(data)) == data


def test_other_unknown_objects_still_fail_as_srsly_fails_them() -> None:
    with pytest.raises(TypeError):
        srsly.msgpack_dumps(object())


def test_medspacys_section_decoder_leaves_a_records_section_names_alone(nlp: Language) -> None:
    """medspaCy decodes any map with a "section" key as one of its Sections; a mention's section is a name."""
    import medspacy.section_detection.section  # noqa: F401  registers medspaCy's decoders

    doc = nlp(TEXTS[0])
    assert _annotations(Doc(nlp.vocab).from_bytes(doc.to_bytes())) == _annotations(doc)


def test_medspacys_own_sections_still_decode() -> None:
    from medspacy.section_detection import SectionRule
    from medspacy.section_detection.section import Section as MedspacySection

    section = MedspacySection("findings", 0, 1, 1, 5, rule=SectionRule("Findings:", "findings"))
    back = srsly.msgpack_loads(srsly.msgpack_dumps({"s": section}))["s"]
    assert isinstance(back, MedspacySection) and back.category == "findings"
