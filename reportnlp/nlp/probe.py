"""Assert phrases that our target rules do not know, for scoring ConText against annotated sets.

The NegEx/ConText test kits annotate (sentence, concept) pairs with any clinical concept; this
runs our sections, sentences and assertion components on the sentence with the concept as the
only mention, so the score measures the cue rules alone.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.tokenizer import tokens_within

PROBE_LABEL = "metastasis"  # any non-modality concept: every cue rule applies to it


def assert_phrase(nlp: Language, text: str, start: int, end: int) -> dict[str, Any] | None:
    """Assertion and cues of text[start:end] in its sentence, or None if it does not align to tokens."""
    doc: Doc = nlp.make_doc(text)
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    first, last = tokens_within(doc, start, end)
    if last <= first:
        return None
    span = Span(doc, first, last, label=PROBE_LABEL)
    doc.spans[MENTIONS] = [span]
    doc = nlp.get_pipe("reportnlp_assertion")(doc)
    span = doc.spans[MENTIONS][0]
    return {
        "assertion": span._.reportnlp_assertion,
        "cues": [(c.text, c.category) for c in span._.reportnlp_cues],
    }
