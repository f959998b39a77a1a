"""Doc -> plain record dict: the only code that reads what the components attached to the Doc.

After this module everything is plain data (JSON-ready dicts). Offsets are Python string
indices into the text exactly as given: ``text[start:end] == mention["text"]`` always holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from reportnlp.nlp.codes import concept_codes
from reportnlp.nlp.components.annotations import MentionInfo, info_table
from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.sections import PREAMBLE, Section
from reportnlp.nlp.components.tables import sentence_table, span_rows, token_table
from reportnlp.nlp.components.tokenizer import input_text, source_text
from reportnlp.records.line_starts import LineStarts

SCHEMA_VERSION = "1.0"
TITLE_CATEGORIES = ("exam", "technique")  # sections whose header may name the study


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
    report_id: str, source: dict[str, Any], error_type: str, message: str, warnings: list[str] | tuple[str, ...] = (),
    fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A failed report still yields exactly one record; the message never holds report text. ``fields``
    (the input row's other columns) are kept as on an ok record, so grouping by them loses no report."""
    record = base_record(report_id, source, list(warnings))
    record.update(
        status="error",
        error={"type": error_type, "message": message},
        text_sha256=None,
        labels=None,
        evidence=None,
        patient=None,
        exam=None,
        document=None,
        sections=[],
        mentions=[],
    )
    if fields:
        record["fields"] = dict(fields)
    return record


def doc_text(doc: Doc) -> str:
    """The report text exactly as given, whose offsets the record uses."""
    return source_text(doc)


def doc_input(doc: Doc) -> str:
    """The text exactly as given: ``doc_text`` unless the components read an export's characters in it."""
    return input_text(doc)


def quote_input(mentions: list[dict[str, Any]], given: str) -> None:
    """Quote the mentions, their cues and locations from the text as given (same offsets): the labels were read
    from the working text ("L4&ndash;5" as "L4   -   5"), the record quotes what the report says."""
    for m in mentions:
        m["text"] = given[m["start"] : m["end"]]
        if m["cues"]:
            for cue in m["cues"]:
                cue["text"] = given[cue["start"] : cue["end"]]
        if m["locations"]:
            m["locations"] = [
                {**loc, "text": given[loc["start"] : loc["end"]]} if "start" in loc and "text" in loc else loc
                for loc in m["locations"]
            ]


def doc_sections(doc: Doc) -> list[Section]:
    return doc_value(doc, "reportnlp_sections") or []


def doc_document(doc: Doc, default_type: str) -> dict[str, Any]:
    """The document type and the cue that told it (a copy: the record owns it)."""
    return dict(doc_value(doc, "reportnlp_document") or {"type": default_type, "cue": None})


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


def mention_dicts(
    doc: Doc, concepts: dict[str, Any], categories: dict[str, Any], lines: LineStarts | None = None
) -> list[dict[str, Any]]:
    """The record's mention dicts, in text order; ``lines`` the report's line starts (made here when not given)."""
    sections: list[Section] = doc_value(doc, "reportnlp_sections") or []
    rows = span_rows(doc, MENTIONS)
    if not rows:
        return []
    tokens = token_table(doc)
    sentences = sentence_table(doc)
    text = tokens.text
    lines = LineStarts.of_text(text, lines)
    infos = info_table(doc)
    spans = sorted(rows, key=lambda s: (s[0], s[1]))
    # section_at's bisection by the sections' starts, read once per doc (its key function was a call per step)
    section_starts = [s.start for s in sections]
    out = []
    under = categories.get("plan", {}).get("bullets_under")
    bulleted: dict[str, bool] = {}  # a section header -> whether the plan's bullets_under lists it
    # One {"start", "end"} dict per stretch of text, shared by the mentions whose sentence or clause it is, and one
    # codes dict per concept and modality: read-only parts of the record that each mention had its own copy of (a
    # 1 MB report of 166,665 one-word sentences held a sentence, a clause and a codes dict for each; session 24).
    stretches: dict[tuple[int, int], dict[str, int]] = {}
    codes: dict[tuple[str, Any], dict[str, Any]] = {}
    # Likewise one meta dict per rule (the rule's own, copied once a report: "PET/CT: CT CT CT ..." copied it for
    # each of 333,000 studies a MB) and one empty list for every mention without cues or locations (session 26).
    metas: dict[int, dict[str, Any]] = {}
    no_meta: dict[str, Any] = {}
    none: list[Any] = []
    done: dict[tuple[int, int, str], bool] = {}  # (sentence, category read) -> its plan's done cues are in it
    for i, (first, last, label, concept) in enumerate(spans):
        mention = infos.get((first, last, label)) or MentionInfo()
        start, end = tokens.offsets(first, last)
        k = bisect_right(section_starts, start)
        section = sections[k - 1] if k else None  # section_at(sections, start)
        name = section.name if section else PREAMBLE
        sent_start, sent_end = tokens.offsets(*sentences.sent(first))
        meta = no_meta
        if mention.meta:  # without the rule's id and comment (mentions.RULE_ONLY_META)
            meta = metas.get(id(mention.meta)) or metas.setdefault(id(mention.meta), dict(mention.meta))
        sentence = _stretch(stretches, (sent_start, sent_end))
        clause = _stretch(stretches, mention.clause) if mention.clause else sentence
        coded = codes.get((concept, meta.get("modality")))
        if coded is None:
            coded = codes[(concept, meta.get("modality"))] = concept_codes(concepts[concept], meta)
        category, read_as = categories[name], name
        counts_modality = bool(category.get("modalities", False))
        if counts_modality and section is not None and start < section.body_start and not section.label:
            counts_modality = name in TITLE_CATEGORIES  # "REVIEW OF X-RAYS:" names a section, not a study
        if (counts_modality and under and section is not None and section.header and not category.get("done_cues")
                and _plan_bullet(under, bulleted, section, lines, start)):
            category, read_as = categories["plan"], "plan"  # "A/P: ... - CT chest to eval": the bullet is the plan's item
        if counts_modality and category.get("done_cues"):  # a plan: only studies it says were done
            # (searched once per sentence and plan: a plan sentence of thousands of mentions searched itself for
            # each, 100 kB 26 s; session 25)
            said = done.get((sent_start, sent_end, read_as))
            if said is None:
                said = done[(sent_start, sent_end, read_as)] = _done_cue(tuple(category["done_cues"])).search(
                    text[sent_start:sent_end]) is not None
            counts_modality = said or _opens_with_result(text, sent_start, start, end)
        spec = concepts[concept]
        out.append(
            {
                "id": i,
                "concept": concept,
                "category": spec["group"],
                "codes": coded,
                "text": text[start:end],
                "start": start,
                "end": end,
                "rule": mention.rule,
                "meta": meta,
                "section": name,
                "counts": category["counts"],
                "counts_modality": counts_modality,
                "sentence": sentence,
                "clause": clause,
                # a rule whose own words deny ("It is not cancer": the "not" is inside the match, where no cue is read)
                "assertion": "absent" if meta.get("denied") else mention.assertion,
                "cues": none if not mention.cues else [
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
                    for c in mention.cues
                ],
                "locations": list(mention.locations) if mention.locations else none,
                "laterality": mention.laterality,
                "contributes": {},  # the labels fill it; a mention that gives nothing keeps {} (not a missing key)
            }
        )
    return out


def _stretch(stretches: dict[tuple[int, int], dict[str, int]], span: tuple[int, int]) -> dict[str, int]:
    found = stretches.get(span)
    if found is None:
        found = stretches[span] = {"start": span[0], "end": span[1]}
    return found


_BULLET = re.compile(r"[ \t]*[-\u2022*][ \t]")


def _plan_bullet(under: list[str], bulleted: dict[str, bool], section: Section, lines: LineStarts, start: int) -> bool:
    """True for a mention on a bullet line under a combined assessment-and-plan header ("A/P:", listed as
    the plan's bullets_under): the assessment there is prose or numbered problems, the bullets are the plan's
    orders, so a study a bullet names is done only when its sentence says so (session 17). Whether a header
    is listed is asked once per header (``bulleted``): most mentions stand under a findings header. The line's
    start is read from ``lines`` (session 26), never before the section's body."""
    listed = bulleted.get(section.header)
    if listed is None:
        listed = bulleted[section.header] = " ".join(section.header.lower().split()) in under
    if not listed:
        return False
    return _BULLET.match(lines.text, max(lines.of(start), section.body_start)) is not None


# A plan's line that opens with a study and gives its result after a colon ("- XR L femur today: no fracture."):
# the study was done, as a note's study line outside the plan says (labels.md section 3); what follows the colon
# must not be the study's purpose, timing or order ("- MRI L-spine: to r/o cord compression", "CT CAP: in 3 months").
_BULLET_OPENING = re.compile(r"[ \t]*(?:[-*\u2022][ \t]*)?(?:[A-Za-z][\w-]*[ \t]+)?")
_RESULT_AFTER_STUDY = re.compile(
    r"(?:[ \t]+[A-Za-z0-9&+][A-Za-z0-9/+-]*){0,6}(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*:(?!\d)[ \t]*"
    r"(?![ \t]*(?:to|for|if|r/o|rule|eval\w*|pending|order\w*|consider\w*|when|in|next|will|plan\w*|schedul\w*"
    r"|f/u|follow\w*|book\w*|request\w*|repeat|\?|$))(?=\S)",
    re.IGNORECASE,
)


def _opens_with_result(text: str, sent_start: int, start: int, end: int) -> bool:
    """Whether the study at text[start:end] opens its plan sentence (a bullet mark and one word before it at most)
    and a colon then gives its result on the same line (session 21)."""
    return (_BULLET_OPENING.fullmatch(text, sent_start, start) is not None
            and _RESULT_AFTER_STUDY.match(text, end) is not None and "\n" not in text[end : text.find(":", end)])


@lru_cache(maxsize=8)
def _done_cue(cues: tuple[str, ...]) -> re.Pattern[str]:
    """A plan's words that say a study was done; an adverb may stand inside one ("was apparently negative")."""
    joint = r"\s+(?:[a-z]+ly\s+)?"
    return re.compile(r"\b(?:" + "|".join(joint.join(map(re.escape, c.split())) for c in cues) + r")\b", re.IGNORECASE)


# A first line in capitals with no full stop ("MRI L-SPINE", "CT CHEST W/O"): a title even with no header below it.
_CAPS_TITLE = re.compile(r"[^a-z.]*[A-Z][^a-z]*[^a-z.:]")


def exam_title(text: str, sections: list[Section], first_line: bool = True) -> str:
    """The words that name the exam: the exam/technique sections, or a short first line (radiology
    reports only: a clinical note's first line is no exam title). In a report with no header at all,
    only a first line in capitals is a title: a sentence is a finding."""
    parts = [text[s.body_start : s.end].strip() for s in sections if s.name in ("exam", "technique")]
    if first_line and not parts and sections and sections[0].name == PREAMBLE:
        lines = text[: sections[0].end].strip().splitlines()
        if lines and len(lines[0]) <= 120 and (
            len(sections) > 1 or (len(lines) > 1 and _CAPS_TITLE.fullmatch(lines[0].strip()))
        ):
            parts.append(lines[0])
    return " ".join(" ".join(p.split()) for p in parts)[:300]
