"""Records -> flat rows: one per report, one per mention, or OMOP CDM v5.4 NOTE_NLP rows.

Each function takes one record (a plain dict) and returns its rows; callers stream records through
them, so memory is one record at a time. Column lists are fixed, so every output (CSV, JSON Lines,
Parquet) has the same columns in the same order whatever the records hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from reportnlp.records.labels import DEGENERATIVE_KEYS, SIMPLE_LABELS
from reportnlp.tables.writers import Column

CHANGE_KEYS = ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")
KINDS = ("reports", "mentions", "note_nlp")

REPORT_COLUMNS = [
    Column("id"), Column("status"), Column("error_type"), Column("patient_id"), Column("date"), Column("date_source"),
    Column("source_path"), Column("source_line", "int"),
    *(Column(label) for label in SIMPLE_LABELS),
    Column("lesion_pattern", "list"), Column("modalities", "list"), Column("low_sensitivity_negative", "bool"),
    *(Column(f"change_{k}") for k in CHANGE_KEYS),
    *(Column(f"degenerative_{k}") for k in DEGENERATIVE_KEYS),
    Column("age", "int"), Column("sex"), Column("exam_title"), Column("mentions", "int"), Column("warnings", "list"),
]

MENTION_COLUMNS = [
    Column("report_id"), Column("patient_id"), Column("date"), Column("mention_id", "int"), Column("concept"),
    Column("category"), Column("snomed"), Column("radlex"), Column("text"), Column("start", "int"), Column("end", "int"),
    Column("rule"), Column("section"), Column("counts", "bool"), Column("assertion"), Column("cue"), Column("cue_rule"),
    Column("levels", "list"), Column("sites", "list"), Column("laterality"), Column("contributes", "list"),
    Column("change"), Column("change_cue"),
]

# OMOP CDM v5.4 NOTE_NLP, every column in the standard's order.
NOTE_NLP_COLUMNS = [
    Column("note_nlp_id", "int"), Column("note_id", "int"), Column("section_concept_id", "int"), Column("snippet"),
    Column("offset"), Column("lexical_variant"), Column("note_nlp_concept_id", "int"),
    Column("note_nlp_source_concept_id", "int"), Column("nlp_system"), Column("nlp_date"), Column("nlp_datetime"),
    Column("term_exists"), Column("term_temporal"), Column("term_modifiers"),
]
COLUMNS = {"reports": REPORT_COLUMNS, "mentions": MENTION_COLUMNS, "note_nlp": NOTE_NLP_COLUMNS}
# OMOP term_exists: does the patient have or had the condition (negated, hypothetical, someone else's: no).
TERM_EXISTS = {"present": "Y", "possible": "Y", "historical": "Y", "absent": "N", "hypothetical": "N", "family": "N"}
SNIPPET_CHARS = 250
_DIGITS = re.compile(r"[0-9]{1,18}")


def _report_meta(record: dict[str, Any]) -> dict[str, Any]:
    report = record.get("report")
    return report if isinstance(report, dict) else {}


def report_row(record: dict[str, Any]) -> dict[str, Any]:
    """One row for one record (labels flattened; an error record has its error type and no labels)."""
    meta, labels = _report_meta(record), record.get("labels") or {}
    source, patient = record.get("source") or {}, record.get("patient") or {}
    error = record.get("error") or {}
    change = labels.get("change") or {}
    degenerative = labels.get("degenerative") or {}
    row: dict[str, Any] = {
        "id": record.get("id"), "status": record.get("status"), "error_type": error.get("type"),
        "patient_id": meta.get("patient_id"), "date": meta.get("date"), "date_source": meta.get("date_source"),
        "source_path": source.get("path"), "source_line": source.get("line"),
        "lesion_pattern": labels.get("lesion_pattern") if labels else None,
        "modalities": labels.get("modalities") if labels else None,
        "low_sensitivity_negative": labels.get("low_sensitivity_negative") if labels else None,
        "age": patient.get("age"), "sex": patient.get("sex"), "exam_title": (record.get("exam") or {}).get("title"),
        "mentions": len(record.get("mentions") or []), "warnings": list(record.get("warnings") or []),
    }
    for label in SIMPLE_LABELS:
        row[label] = labels.get(label)
    for k in CHANGE_KEYS:
        row[f"change_{k}"] = change.get(k)
    for k in DEGENERATIVE_KEYS:
        row[f"degenerative_{k}"] = degenerative.get(k)
    return row


def _decided_cue(m: dict[str, Any]) -> dict[str, Any] | None:
    return next((c for c in m.get("cues") or () if c.get("decided")), None)


def _levels(m: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for loc in m.get("locations") or ():
        for level in loc.get("levels") or ():
            if level not in out:
                out.append(level)
    return out


def _sites(m: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for loc in m.get("locations") or ():
        value = loc.get("value") if loc.get("kind") != "level" else loc.get("region")
        if isinstance(value, str) and value not in out:
            out.append(value)
    return out


def _codes(m: dict[str, Any]) -> dict[str, Any]:
    """The mention's standard codes ({} for records written before codes)."""
    codes = m.get("codes")
    return codes if isinstance(codes, dict) else {}


def mention_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per mention of one record (none for an error record)."""
    meta = _report_meta(record)
    for m in record.get("mentions") or ():
        cue, change = _decided_cue(m), m.get("change")
        codes = _codes(m)
        yield {
            "report_id": record.get("id"), "patient_id": meta.get("patient_id"), "date": meta.get("date"),
            "mention_id": m.get("id"), "concept": m.get("concept"), "category": m.get("category"),
            "snomed": codes.get("snomed"), "radlex": codes.get("radlex"), "text": m.get("text"),
            "start": m.get("start"), "end": m.get("end"), "rule": m.get("rule"), "section": m.get("section"),
            "counts": m.get("counts"), "assertion": m.get("assertion"),
            "cue": cue.get("text") if cue else None, "cue_rule": cue.get("rule") if cue else None,
            "levels": _levels(m), "sites": _sites(m), "laterality": m.get("laterality"),
            "contributes": [f"{k}={v}" for k, v in (m.get("contributes") or {}).items()],
            "change": change.get("status") if change else None,
            "change_cue": change["cue"].get("text") if change else None,
        }


def counted(m: dict[str, Any]) -> bool:
    """A mention NOTE_NLP exports: a finding (not a modality) in text that counts toward labels."""
    return bool(m.get("counts")) and m.get("category") != "modality"


def note_id(record: dict[str, Any], ordinal: int) -> int:
    """NOTE_NLP.note_id: the record id when it is an integer, else the record's 1-based position in the input."""
    rid = str(record.get("id"))
    return int(rid) if _DIGITS.fullmatch(rid) else ordinal


def _modifiers(m: dict[str, Any]) -> str:
    cue, change = _decided_cue(m), m.get("change")
    parts = [f"concept={m.get('concept')}"]
    codes = _codes(m)
    parts += [f"{system}={codes[system]}" for system in ("snomed", "radlex") if codes.get(system)]
    parts += [f"assertion={m.get('assertion')}", f"section={m.get('section')}"]
    if cue:
        parts.append(f"cue={cue.get('text')}")
    if _levels(m):
        parts.append("levels=" + ",".join(_levels(m)))
    if m.get("laterality"):
        parts.append(f"laterality={m['laterality']}")
    if change:
        parts.append(f"change={change.get('status')}")
    parts += [f"{k}={v}" for k, v in (m.get("contributes") or {}).items()]
    return ";".join(" ".join(str(p).split()) for p in parts)


class ConceptMapError(ValueError):
    """A --concept-map file is unusable (one line naming the file and the reason)."""


@dataclass(frozen=True)
class ConceptMap:
    """OMOP concept ids for NOTE_NLP: by reportnlp concept name, by section name, and by the mention's SNOMED CT
    code (``snomed``: the standard concept the code maps to; ``snomed_source``: the code's own concept)."""

    concepts: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    snomed: dict[str, int] = field(default_factory=dict)
    snomed_source: dict[str, int] = field(default_factory=dict)

    def concept_id(self, m: dict[str, Any]) -> int:
        """note_nlp_concept_id: the id given for the concept's name, else for its SNOMED code, else 0."""
        by_name = self.concepts.get(str(m.get("concept")))
        if by_name is not None:
            return by_name
        code = _snomed(m)
        return self.snomed.get(code, 0) if code else 0

    def source_concept_id(self, m: dict[str, Any]) -> int:
        """note_nlp_source_concept_id: the OMOP id of the mention's SNOMED code itself, else 0."""
        code = _snomed(m)
        return self.snomed_source.get(code, 0) if code else 0


MAP_KEYS = tuple(f.name for f in fields(ConceptMap))


def _snomed(m: dict[str, Any]) -> str | None:
    code = _codes(m).get("snomed")
    return code if isinstance(code, str) else None


def load_concept_map(path: str) -> ConceptMap:
    """A ConceptMap from a JSON file ``{"concepts": {name: id}, "sections": {name: id}, "snomed": {code: id},
    "snomed_source": {code: id}}`` (each optional)."""
    import json
    from pathlib import Path

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConceptMapError(f"{path}: cannot read a JSON object ({type(exc).__name__})") from None
    if not isinstance(data, dict) or set(data) - set(MAP_KEYS):
        raise ConceptMapError(f"{path}: must be an object with any of {', '.join(repr(k) for k in MAP_KEYS)}")
    tables: dict[str, dict[str, int]] = {}
    for key in MAP_KEYS:
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in table.values()):
            what = "SNOMED CT codes" if key.startswith("snomed") else "names"
            raise ConceptMapError(f"{path}: '{key}' must map {what} to integer OMOP concept ids")
        tables[key] = {str(k): int(v) for k, v in table.items()}
    return ConceptMap(**tables)


class NoteNlp:
    """NOTE_NLP rows with ids numbered across the whole output; ``concept_map`` gives OMOP concept ids for
    concepts, sections and SNOMED CT codes (0, "no matching concept", for the others)."""

    def __init__(self, nlp_system: str, nlp_date: str, concept_map: ConceptMap | None = None) -> None:
        self.next_id = 1
        self.ordinal = 0
        self.nlp_system, self.nlp_date = nlp_system, nlp_date
        self.map = concept_map or ConceptMap()

    def rows(self, record: dict[str, Any]) -> Iterator[dict[str, Any]]:
        self.ordinal += 1
        if record.get("status") != "ok":
            return
        nid = note_id(record, self.ordinal)
        for m in record.get("mentions") or ():
            if not counted(m):
                continue
            assertion = m.get("assertion")
            text = " ".join(str(m.get("text", "")).split())
            yield {
                "note_nlp_id": self.next_id, "note_id": nid,
                "section_concept_id": self.map.sections.get(str(m.get("section")), 0),
                "snippet": text[:SNIPPET_CHARS], "offset": str(m.get("start")), "lexical_variant": text[:SNIPPET_CHARS],
                "note_nlp_concept_id": self.map.concept_id(m), "note_nlp_source_concept_id": self.map.source_concept_id(m),
                "nlp_system": self.nlp_system, "nlp_date": self.nlp_date, "nlp_datetime": None,
                "term_exists": TERM_EXISTS.get(str(assertion), "N"),
                "term_temporal": "past" if assertion == "historical" else "present",
                "term_modifiers": _modifiers(m),
            }
            self.next_id += 1


def rows_of(kind: str, records: Iterable[dict[str, Any]], note_nlp: NoteNlp | None = None) -> Iterator[dict[str, Any]]:
    """Rows of ``kind`` (one of KINDS) for a stream of records."""
    for record in records:
        if kind == "reports":
            yield report_row(record)
        elif kind == "mentions":
            yield from mention_rows(record)
        else:
            assert note_nlp is not None
            yield from note_nlp.rows(record)
