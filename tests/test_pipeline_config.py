"""One pipeline everywhere: reportnlp.load(), nlp.to_disk() + spacy.load(), and a pipeline built from nlp.config
give identical Docs (the tokenizer is named in [nlp.tokenizer] and every component is a registered factory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components.tokenizer import TOKENIZER, ReportTokenizer

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
TEXTS = [
    "FINDINGS:\r\n  No  fracture.\tLytic lesion in L2,\npossibly a metastasis. Mild facet\narthropathy at L4-5.",
    *[p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:12]],
]


def _facts(doc: Any) -> tuple[Any, ...]:
    return (
        doc.text,
        [(t.text, t.idx, t.whitespace_, t.is_sent_start) for t in doc],
        [(e.start, e.end, e.label_, e._.is_negated, e._.is_uncertain) for e in doc.ents],
        [(s.start, s.end, s.label_, s._.reportnlp_assertion, s._.reportnlp_locations) for s in doc.spans["reportnlp_mentions"]],
        doc._.reportnlp_labels,
        doc._.reportnlp_fields,
    )


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def test_the_tokenizer_is_named_in_the_config(nlp: Language) -> None:
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER}
    assert isinstance(nlp.tokenizer, ReportTokenizer)


def test_to_disk_and_spacy_load_give_identical_docs(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert isinstance(loaded.tokenizer, ReportTokenizer) and loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert _facts(loaded(text)) == _facts(nlp(text))


def test_a_pipeline_built_from_the_config_gives_identical_docs(nlp: Language) -> None:
    built = spacy.util.load_model_from_config(nlp.config, auto_fill=True, validate=True)
    assert isinstance(built.tokenizer, ReportTokenizer) and built.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert _facts(built(text)) == _facts(nlp(text))


def test_the_medspacy_matcher_choice_survives_the_config(tmp_path: Path) -> None:
    from reportnlp.nlp.pipeline import load

    reference = load(matcher="medspacy")
    reference.to_disk(tmp_path / "ref")
    loaded = spacy.load(tmp_path / "ref")
    assert loaded.config["components"]["reportnlp_assertion"]["matcher"] == "medspacy"
    assert _facts(loaded(TEXTS[0])) == _facts(reference(TEXTS[0]))
