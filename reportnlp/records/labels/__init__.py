"""The report labels of labels.md, decided from the mentions without spaCy.

One module per job: ``decider`` (``LabelDecider``, the one place the labels are decided), ``vocabulary``
(statuses, label keys, concept sets, notes), ``exam`` (what the exam images), ``sites`` (predicates over a
mention's sites), ``neighbours`` (a mention's clause and sentence), ``causes`` (fracture-cause phrases),
``corrections`` (addenda and corrections), ``lesions`` (the words around a lesion), ``degenerative`` (stenosis
and summary phrases) and ``modalities`` (the studies done). Each imports only those listed before it.

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
