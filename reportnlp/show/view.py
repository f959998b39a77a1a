"""One record + its text -> what ``show`` draws: text pieces, mention rows and label rows.

Pure and shared by the terminal and HTML views, so both say the same thing. The text is cut at
every mention, cue and section boundary; each piece knows the innermost mention covering it
(its color), whether it is part of a cue, and which mentions end with it (where their tag goes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from reportnlp.records.labels import DEGENERATIVE_KEYS, SIMPLE_LABELS

# Where a reader of a report view learns what each label and status means.
LABELS_DOC = "What each label and status means: docs/labels.md in the reportnlp repository."


class TextMismatch(ValueError):
    """The text is not the one the record was made from (offsets do not match)."""


@dataclass
class Piece:
    start: int
    end: int
    text: str
    mention: dict[str, Any] | None = None
    cue: dict[str, Any] | None = None
    ends: list[dict[str, Any]] = field(default_factory=list)
    section: dict[str, Any] | None = None  # a section that starts here


def check_text(record: dict[str, Any], text: str) -> None:
    """Raise TextMismatch unless every mention, cue and location is found at its offsets."""
    for m in record.get("mentions") or []:
        spans = [m, *m.get("cues", []), *m.get("locations", [])]
        if any(text[s["start"] : s["end"]] != s["text"] for s in spans):
            raise TextMismatch(f"mention {m['id']} is not at its offsets in this text (edited, or another report?)")


def pieces(record: dict[str, Any], text: str) -> list[Piece]:
    mentions = record.get("mentions") or []
    cues = {(c["start"], c["end"]): c for m in mentions for c in m.get("cues", [])}
    sections = {s["start"]: s for s in record.get("sections") or []}
    cuts = {0, len(text), *sections}
    for m in mentions:
        cuts.update((m["start"], m["end"]))
    for start, end in cues:
        cuts.update((start, end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in pairwise(bounds):
        covering = [m for m in mentions if m["start"] <= a and b <= m["end"]]
        inner = min(covering, key=lambda m: (m["end"] - m["start"], m["id"]), default=None)
        cue = next((c for (s, e), c in cues.items() if s <= a and b <= e), None)
        ends = [m for m in mentions if m["end"] == b]
        out.append(Piece(a, b, text[a:b], inner, cue, ends, sections.get(a)))
    return out


def location_text(m: dict[str, Any]) -> str:
    """'T4, T7 (thoracic spine); bone' etc.: what the mention is tied to, in a few words."""
    parts = []
    for loc in m.get("locations") or []:
        if loc["kind"] == "level":
            where = ", ".join(loc.get("levels", []))
            if loc.get("inherited"):
                where += " (from heading)"
        else:
            where = loc.get("value") or loc["text"]
        if loc.get("laterality"):
            where = f"{loc['laterality']} {where}"
        if where not in parts:
            parts.append(where)
    if m.get("laterality") and not any(m["laterality"] in p for p in parts):
        parts.append(m["laterality"])
    return "; ".join(parts)


def cue_text(m: dict[str, Any]) -> str:
    """The cues that decided the assertion ('No' -> absent); others in brackets."""
    decided = [f"{c['text']!r} {c['category']}" for c in m.get("cues") or [] if c.get("decided")]
    other = [f"[{c['text']!r} {c['category']}]" for c in m.get("cues") or [] if not c.get("decided")]
    return ", ".join(decided + other)


def effect_text(m: dict[str, Any]) -> str:
    if m.get("contributes"):
        return ", ".join(f"{label} {status}" for label, status in m["contributes"].items())
    return m.get("note") or ""


def prevalence_text(m: dict[str, Any]) -> str:
    """How common the finding is in people without symptoms: '49.8% at age 38', or its range."""
    p = m.get("prevalence")
    if not p:
        return ""
    if p.get("percent_at_age") is not None:
        return f"{p['percent_at_age']}% at age {p['age']}"
    low, high = p["range_percent"]
    return f"{low}-{high}%" + (f" (ages {p['range_ages'][0]}-{p['range_ages'][1]})" if p.get("range_ages") else "")


def mention_rows(record: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "id": str(m["id"]),
            "text": " ".join(m["text"].split()),
            "concept": m["concept"],
            "assertion": m["assertion"],
            "cue": cue_text(m),
            "section": m["section"],
            "location": location_text(m),
            "prevalence": prevalence_text(m),
            "gives": effect_text(m),
        }
        for m in record.get("mentions") or []
    ]


def label_rows(record: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(label, value, deciding mentions) for every label of the record, in labels.md order."""
    evidence, labels = record["evidence"], record["labels"]
    by_id = {m["id"]: m for m in record.get("mentions") or []}
    rows = [(label, labels[label], evidence[label]["mentions"]) for label in SIMPLE_LABELS]
    rows += [
        (f"degenerative.{key}", labels["degenerative"][key], evidence["degenerative"][key]["mentions"])
        for key in DEGENERATIVE_KEYS
    ]
    rows += [(f"lesion_pattern: {p}", "yes", ids) for p, ids in evidence["lesion_pattern"].items()]
    rows += [(f"modality: {mod}", "yes", ids) for mod, ids in evidence["modalities"].items()]
    rows += [(f"change: {label}", status, (evidence.get("change") or {}).get(label, []))
             for label, status in (labels.get("change") or {}).items() if status]
    if labels.get("low_sensitivity_negative"):
        rows.append(("low_sensitivity_negative", "yes: radiographs only, a weak negative", []))
    return [(label, value, [by_id[i] for i in ids if i in by_id]) for label, value, ids in rows]


def header_facts(record: dict[str, Any]) -> list[tuple[str, str]]:
    patient = record.get("patient") or {}
    exam = record.get("exam") or {}
    facts = [("report", record["id"]), ("exam", exam.get("title") or "-")]
    who = ", ".join(str(x) for x in (patient.get("age"), patient.get("sex")) if x is not None)
    facts.append(("patient", who or "age and sex not stated"))
    report = record.get("report") or {}
    if report.get("patient_id") or report.get("date"):
        when = f"{report.get('date') or report.get('date_raw') or '-'} ({report.get('date_source') or 'no date'})"
        facts.append(("timeline", f"patient {report.get('patient_id') or '-'}, {when}"))
    return facts
