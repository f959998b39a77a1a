"""Find section headers, so labels can ignore indication, comparison, technique and a note's history.

Headers are found on the raw text with one compiled regex per shape: at a line start in any
case ("Impression" alone on a line, "Findings:", "2. IMPRESSION:"), and anywhere in ALL CAPS
when followed by a colon (run-on exports such as "FINDINGS:,  ...  IMPRESSION:,  ...") or, as a
whole comma-separated segment, by a comma glued to a list ("...,PREOPERATIVE DIAGNOSES,1.").
The known headers tell the document type (a radiology report, or a clinic, consult, operative or
discharge note: patterns/sections.json document_types), which picks each header's category
("EXAM:" is the exam title of a report and the physical examination of a note). Any other ALL
CAPS label with a colon ("CT PELVIS:") starts a section too.
"""


import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.alternation import literal_alternation
from reportnlp.nlp.components._rules import RuleComponent, with_rules
from reportnlp.nlp.components.docdata import set_doc_value
from reportnlp.nlp.components.tokenizer import source_text

PREAMBLE = "preamble"


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    header: str  # header text as written ("" for the preamble)
    start: int  # char offset of the header (or 0 for the preamble)
    body_start: int  # char offset after the header and its colon
    end: int
    label: bool = False  # a header-shaped label that is no known header ("CT PELVIS:")


for _name in ("reportnlp_sections", "reportnlp_document"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class SectionDetector(RuleComponent):
    def __init__(self, section_rules: dict[str, Any]) -> None:
        self.category_of: dict[str, str] = {}
        self.note_category_of: dict[str, str] = {}  # the category in a clinical note ('in_notes')
        self.narrative_of: dict[str, tuple[str, str]] = {}  # header -> (rule id, its narrative category)
        for rule in section_rules["section_rules"]:  # medspaCy SectionRules: one header each
            meta = rule["metadata"]
            key = _norm(rule["literal"])
            self.category_of[key] = rule["category"]
            self.note_category_of[key] = meta.get("in_notes", rule["category"])
            if "narrative" in meta:
                self.narrative_of[key] = (meta["id"], meta["narrative"])
        self.counts = {name: bool(spec["counts"]) for name, spec in section_rules["categories"].items()}
        # categories a header-shaped label continues: the counting ones and those marked labels_continue
        self.continued = {
            name for name, spec in section_rules["categories"].items() if spec["counts"] or spec.get("labels_continue")
        }
        types = section_rules.get("document_types") or {}
        self.default_type: str = types.get("default", RADIOLOGY)
        self.narrative_chars: int = types.get("narrative_chars", 1000)
        self.note_preamble: str = types.get("preamble", PREAMBLE)  # a note's unheaded opening
        self.type_cues = [(t["type"], {_norm(h) for h in t["headers"]}) for t in types.get("types", [])]
        words = (section_rules.get("study_labels") or {}).get("words") or []
        self.study_label = re.compile(
            r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?![\w-])"
            if words else r"(?!x)x",
            re.IGNORECASE,
        )
        literals = list(self.category_of)
        upper = literal_alternation([lit.upper() for lit in literals], ignore_case=False)
        # Lookaheads on the headers' first letters let the scans skip most places cheaply; the headers
        # as prefix trees (nlp/alternation.py) let re try only those that start with the letter at hand.
        firsts = "".join(sorted({lit[0].upper() for lit in literals if lit}))
        self.line_rx = re.compile(
            rf"^[ \t>*#\-]*(?:\d{{1,2}}[.)][ \t]*)?(?=[{re.escape(firsts)}])(?P<h>"
            + literal_alternation(literals, ignore_case=True)
            + r")[ \t]*"
            r"(?:(?::|\s-\s)[ \t,]*|\r?$)",
            re.IGNORECASE | re.MULTILINE,
        )
        self.caps_rx = re.compile(
            rf"(?=[{re.escape(firsts)}])(?<![\w/-])(?P<h>" + upper + r")[ \t]*:[ \t,]*"
        )
        # A whole comma-separated segment glued by a comma to a list or the next label ("...,DIAGNOSES,1.").
        self.caps_comma_rx = re.compile(
            r"(?:^|(?<=[,.]))[ \t]*(?P<h>" + upper + r"),(?=\d{1,2}\.|[A-Z]{2})", re.MULTILINE
        )

    def find(self, text: str) -> list[Section]:
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[list[Section], dict[str, str | None]]:
        """The sections, and the document type with the header that decided it."""
        hits: dict[int, tuple[int, int, str]] = {}
        for rx in (self.line_rx, self.caps_rx, self.caps_comma_rx):
            for m in rx.finditer(text):
                start = m.start("h")
                if start not in hits or hits[start][1] < m.end():
                    # a line header owns its numbering ("2. IMPRESSION:")
                    hits[start] = (m.start() if rx is self.line_rx else start, m.end(), m.group("h"))
        known = sorted(hits.values())
        document = self._document(known)
        notes = document["type"] != RADIOLOGY
        category_of = self.note_category_of if notes else self.category_of
        known_starts = sorted(hits)
        for m in _LABEL.finditer(text):  # any other header-shaped label ("CT PELVIS:")
            start = m.start("h")
            k = bisect_right(known_starts, start)
            inside = k < len(known_starts) and known_starts[k] < m.end("h")  # a known header in it wins
            if start not in hits and not inside and _LETTERS.search(m.group("h")) and not _LEVEL.fullmatch(m.group("h")):
                hits[start] = (start, m.end(), m.group("h"))
        ordered = sorted(hits.values())
        seen_rules: set[str] = set()  # rules with a 'narrative' category already seen
        sections: list[Section] = []
        if not ordered or text[: ordered[0][0]].strip():
            first = ordered[0][0] if ordered else len(text)
            sections.append(Section(self.note_preamble if notes else PREAMBLE, "", 0, 0, first))
        for i, (start, body_start, header) in enumerate(ordered):
            if sections and start < sections[-1].body_start:
                continue  # a header inside another header's span
            end = ordered[i + 1][0] if i + 1 < len(ordered) else len(text)
            name = category_of.get(_norm(header))
            narrative = self.narrative_of.get(_norm(header)) if notes else None
            if narrative is not None:  # the operation's name, or (a later or long section) its account
                if narrative[0] in seen_rules or end - body_start > self.narrative_chars:
                    name = narrative[1]
                seen_rules.add(narrative[0])
            if name is None:  # a label: it continues a counting section, and is findings after any other
                before = sections[-1] if sections else None
                if before is not None and not text[before.body_start : start].strip(" \t,"):
                    continue  # a label that opens a section's text is that section's words ("EXAM: CT HEAD:")
                continued = before is not None and before.name != PREAMBLE and before.name in self.continued
                if self.study_label.search(header):
                    continued = False  # a label naming a study opens its results
                name = before.name if continued and before is not None else FINDINGS
                sections.append(Section(name, header, start, body_start, end, label=True))
                continue
            sections.append(Section(name, header, start, body_start, end))
        return _fix_ends(_inline_comparisons(text, sections), len(text)), document

    def _document(self, headers: list[tuple[int, int, str]]) -> dict[str, str | None]:
        """The first document type (in rule order) whose cue header the text has; the header as written."""
        for kind, cues in self.type_cues:
            for _, _, header in headers:
                if _norm(header) in cues:
                    return {"type": kind, "cue": " ".join(header.split())}
        return {"type": self.default_type, "cue": None}

    def use_rules(self, rules: Any) -> None:
        self.__init__(rules.sections)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        sections, document = self.analyse(source_text(doc))
        set_doc_value(doc, "reportnlp_sections", sections)
        set_doc_value(doc, "reportnlp_document", document)
        return doc


RADIOLOGY = "radiology_report"
FINDINGS = "findings"
COMPARISON = "comparison"
# An ALL CAPS label and its colon at a line start or glued after a comma ("...,CT PELVIS:,"), not a time.
_LABEL = re.compile(
    r"(?:^|(?<=,))[ \t]*(?P<h>[A-Z][A-Z0-9/&'-]*(?: [A-Z0-9/&'-]+){0,5}(?<=[A-Z0-9)]))[ \t]*:(?!\d)[ \t,]*", re.MULTILINE
)
_LETTERS = re.compile(r"[A-Z]{3}")
_LEVEL = re.compile(r"[CTLS]\d{1,2}(?:\s*-\s*[CTLS]?\d{1,2})?")


# The end of a line: a line break, or the ".," that exports such as MTSamples put in its place.
_LINE_END = re.compile(r"\n|(?<=\.),")


def _norm(header: str) -> str:
    return " ".join(header.lower().split())


def _inline_comparisons(text: str, sections: list[Section]) -> list[Section]:
    """A 'COMPARISON: ...' line with its text on it ends at its line when a new line of text follows
    (a line ends at a line break or at a ".," glue)."""
    out: list[Section] = []
    for i, s in enumerate(sections):
        out.append(s)
        if s.name != COMPARISON:
            continue
        end = sections[i + 1].start if i + 1 < len(sections) else len(text)
        m = _LINE_END.search(text, s.body_start, end)
        if m is None or not text[s.body_start : m.start()].strip(" \t,"):
            continue
        rest = text[m.end() : end]
        first = rest.lstrip()[:1]
        if first and (first.isupper() or first.isdigit()):
            start = end - len(rest.lstrip())
            out.append(Section(FINDINGS, "", start, start, end))
    return out


def _fix_ends(sections: list[Section], n: int) -> list[Section]:
    fixed = []
    for i, s in enumerate(sections):
        end = sections[i + 1].start if i + 1 < len(sections) else n
        fixed.append(Section(s.name, s.header, s.start, s.body_start, end, s.label))
    return fixed


def section_at(sections: list[Section], char: int) -> Section | None:
    """The section holding a character offset (sections are sorted and contiguous)."""
    i = bisect_right(sections, char, key=_start)
    return sections[i - 1] if i else None


def _start(section: Section) -> int:
    return section.start


@Language.factory(
    "reportnlp_sections",
    default_config={"patterns": None},
    assigns=["doc._.reportnlp_sections", "doc._.reportnlp_document"],
)
def make_sections(nlp: Language, name: str, patterns: str | None) -> SectionDetector:
    return with_rules(patterns, lambda rules: SectionDetector(rules.sections))
