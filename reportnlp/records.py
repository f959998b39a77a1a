"""Doc -> plain record dict: the only code that reads our span extensions.

After this module everything is plain data (JSON-ready dicts). Offsets are Python string
indices into the text exactly as given: ``text[start:end] == mention["text"]`` always holds.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from reportnlp.components.mentions import MENTIONS
from reportnlp.components.sections import PREAMBLE, Section, section_at
from reportnlp.components.tokenizer import source_text, span_offsets

SCHEMA_VERSION = "1.0"


def base_record(report_id: str, source: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": report_id,
        "source": source,
        "status": "ok",
        "error": None,
        "warnings": list(warnings),
    }


def error_record(
    report_id: str, source: dict[str, Any], error_type: str, message: str, warnings: list[str] | tuple[str, ...] = ()
) -> dict[str, Any]:
    """A failed report still yields exactly one record; the message never holds report text."""
    record = base_record(report_id, source, list(warnings))
    record.update(
        status="error",
        error={"type": error_type, "message": message},
        labels=None,
        evidence=None,
        patient=None,
        exam=None,
        sections=[],
        mentions=[],
    )
    return record


def section_dicts(sections: list[Section], categories: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "header": s.header,
            "start": s.start,
            "body_start": s.body_start,
            "end": s.end,
            "counts": categories[s.name]["counts"],
        }
        for s in sections
    ]


def mention_dicts(doc: Doc, concepts: dict[str, Any], categories: dict[str, Any]) -> list[dict[str, Any]]:
    sections: list[Section] = doc._.reportnlp_sections or []
    text = source_text(doc)
    out = []
    for i, span in enumerate(sorted(doc.spans.get(MENTIONS, []), key=lambda s: (s.start, s.end))):
        start, end = span_offsets(span)
        section = section_at(sections, start)
        name = section.name if section else PREAMBLE
        sent_start, sent_end = span_offsets(span.sent)
        meta = {k: v for k, v in (span._.reportnlp_meta or {}).items() if k != "id"}
        clause = span._.reportnlp_clause or (sent_start, sent_end)
        out.append(
            {
                "id": i,
                "concept": span.label_,
                "category": concepts[span.label_]["group"],
                "text": text[start:end],
                "start": start,
                "end": end,
                "rule": span._.reportnlp_rule,
                "meta": meta,
                "section": name,
                "counts": categories[name]["counts"],
                "counts_modality": categories[name].get("modalities", False),
                "sentence": {"start": sent_start, "end": sent_end},
                "clause": {"start": clause[0], "end": clause[1]},
                "assertion": span._.reportnlp_assertion,
                "cues": [
                    {
                        "text": text[c.start : c.end],
                        "category": c.category,
                        "assertion": c.assertion or None,
                        "start": c.start,
                        "end": c.end,
                        "rule": c.rule,
                        "direction": c.direction,
                        "decided": c.decided,
                    }
                    for c in span._.reportnlp_cues
                ],
                "locations": list(span._.reportnlp_locations),
                "laterality": span._.reportnlp_laterality,
            }
        )
    return out


def exam_title(text: str, sections: list[Section]) -> str:
    """The words that name the exam: the exam/technique sections, or a short first line."""
    parts = [text[s.body_start : s.end].strip() for s in sections if s.name in ("exam", "technique")]
    if not parts and sections and sections[0].name == PREAMBLE and len(sections) > 1:
        first_line = text[: sections[0].end].strip().splitlines()
        if first_line and len(first_line[0]) <= 120:
            parts.append(first_line[0])
    return " ".join(" ".join(p.split()) for p in parts)[:300]
