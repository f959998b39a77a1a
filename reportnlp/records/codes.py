"""The standard codes of the report-level labels, derived from the concepts' codes in targets.json.

A label is decided from mentions of several concepts, so it is coded by the one concept that names
exactly what it says: the concept of the same name (``bone_metastasis``, ``fracture``, ..., and each
degenerative key), the lesion concept of each ``lesion_pattern`` value, and each modality by the imaging
procedure that the modality concept names for it (``modality_codes``). The record schema carries this
table as ``x-codes`` (tests keep the two equal), and docs/codes.md cites where each code was verified.
"""

from __future__ import annotations

from typing import Any

from reportnlp.nlp.codes import NO_CODES, concept_codes
from reportnlp.records.labels import DEGENERATIVE_KEYS, LESION_PATTERNS, MODALITIES, SIMPLE_LABELS

Codes = dict[str, str | None]


def label_codes(concepts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """{label: codes} for the status labels and degenerative keys, {"lesion_pattern"|"modalities": {value: codes}}."""
    out: dict[str, Any] = {label: concept_codes(concepts[label]) for label in (*SIMPLE_LABELS, *DEGENERATIVE_KEYS)}
    by_pattern = {spec["lesion_pattern"]: spec for spec in concepts.values() if spec.get("lesion_pattern")}
    out["lesion_pattern"] = {p: concept_codes(by_pattern[p]) if p in by_pattern else dict(NO_CODES) for p in LESION_PATTERNS}
    by_modality: dict[str, Codes] = {}
    for spec in concepts.values():
        by_modality.update(spec.get("modality_codes") or {})
    out["modalities"] = {m: dict(by_modality.get(m, NO_CODES)) for m in MODALITIES}
    return out
