"""The report labels of labels.md, decided from the mentions without spaCy.

One module per job: ``decider`` (``LabelDecider.decide``, the steps in order), the steps by what they decide
(``assertions``: alternatives, past studies, risk lists; ``pathologic_links``: a fracture's cause;
``contributions``: what each mention gives, with ``lesion_contribution``, ``fracture_contribution`` and
``degenerative_contribution``; ``lesion_corrections``, ``benign_explanations``, ``withdrawals``, ``past_events``:
what those ask; ``votes``: the labels from the votes), ``label_rules`` (the concepts and cause cues every step
reads), ``vocabulary`` (statuses, label keys, concept sets, notes), ``exam`` (what the exam images), ``sites``
(predicates over a mention's sites), ``neighbours`` (a mention's clause and sentence), ``causes`` (fracture-cause
phrases), ``corrections`` (addenda and corrections), ``lesions`` (the words around a lesion), ``degenerative``
(stenosis and summary phrases) and ``modalities`` (the studies done). They import one way (a contract in
pyproject.toml: the steps above what they ask, the phrase readers below both).

Re-exported here: only the names code outside this package imports.
"""

from __future__ import annotations

from reportnlp.records.labels.decider import LabelDecider
from reportnlp.records.labels.exam import BIOPSY_TITLE, PART_LABEL, ExamContext, specimen_spans
from reportnlp.records.labels.neighbours import Neighbours, without
from reportnlp.records.labels.vocabulary import (
    DEGENERATIVE_KEYS,
    LESION_PATTERNS,
    MODALITIES,
    NOT_MENTIONED,
    NOT_SPINE_NOTES,
    SIMPLE_LABELS,
)

__all__ = [
    "BIOPSY_TITLE",
    "DEGENERATIVE_KEYS",
    "LESION_PATTERNS",
    "MODALITIES",
    "NOT_MENTIONED",
    "NOT_SPINE_NOTES",
    "PART_LABEL",
    "SIMPLE_LABELS",
    "ExamContext",
    "LabelDecider",
    "Neighbours",
    "specimen_spans",
    "without",
]
