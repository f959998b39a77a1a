"""Build the spaCy pipeline: the one place that knows the component order.

tokenizer (whitespace folded) -> sections -> sentences -> mentions -> assertion -> locations -> labels
-> source_text (the Doc with the input text exactly).
"""

from __future__ import annotations

import gc
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the components registers their factories with spaCy.
from reportnlp.nlp import components  # noqa: F401
from reportnlp.nlp.components.source_text import SOURCE_TEXT
from reportnlp.nlp.components.tokenizer import TOKENIZER

COMPONENTS = (
    "reportnlp_sections",
    "reportnlp_sentences",
    "reportnlp_mentions",
    "reportnlp_assertion",
    "reportnlp_locations",
)


MATCHED = ("reportnlp_mentions", "reportnlp_assertion")  # the components a ``matcher`` choice applies to
# Last: the record's labels and fields on the Doc. Its factory lives in reportnlp.records (which this
# stage must not import) and is found through the spacy_factories entry point.
LABELS = "reportnlp_labels"
# After everything: the Doc whose text is the input exactly (the components work on the folded view).
# Batch extraction reads the record's fields off the folded Doc and disables it.
EXACT = SOURCE_TEXT


def load(patterns: str | Path | None = None, *, matcher: str = "fast", labels: bool = True) -> Language:
    """A blank English tokenizer plus our rule components; no model download, no network.

    ``matcher="medspacy"`` runs medspaCy's own TargetMatcher and ConText (the reference; slower) in
    place of reportnlp's equivalents, on the same rule files and with the same results. ``labels``
    adds ``reportnlp_labels`` (``doc._.reportnlp_labels``, the record's labels). The last component,
    ``reportnlp_source_text``, makes ``doc.text`` the input exactly.
    """
    with collector_paused():
        return _build(patterns, matcher, labels)


class collector_paused:
    """Python's cyclic GC off while a pipeline is built (or one report processed), as it was after.

    Building allocates hundreds of thousands of objects (lexemes, rules, compiled patterns) that all
    live on, next to spaCy's modules: each full collection on the way walks all of them for nothing
    (about 70 ms of a one-report run's CPU). What becomes garbage is collected once the GC is back.
    A class, not a generator-based context manager: entered once per report, that one made a generator
    and its wrapper each time (about 1.5 us).
    """

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()


def _build(patterns: str | Path | None, matcher: str, labels: bool) -> Language:
    # The tokenizer is named in the config ([nlp.tokenizer]), so nlp.to_disk() + spacy.load() and a
    # pipeline built from nlp.config give the same Docs.
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    config = {"patterns": str(patterns) if patterns else None}
    for name in COMPONENTS:
        if name == "reportnlp_sentences":
            nlp.add_pipe(name, config={})
        else:
            nlp.add_pipe(name, config={**config, "matcher": matcher} if name in MATCHED else config)
    if labels:
        nlp.add_pipe(LABELS, config=config)
    nlp.add_pipe(EXACT)
    return nlp
