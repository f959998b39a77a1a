"""Find radiology section headers, so labels can ignore indication, comparison and technique.

Headers are found on the raw text with one compiled regex per shape: at a line start in any
case ("Impression" alone on a line, "Findings:", "2. IMPRESSION:"), and anywhere in ALL CAPS
when followed by a colon (run-on exports such as "FINDINGS:,  ...  IMPRESSION:,  ...").
"""


import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components._rules import rules_for
from reportnlp.nlp.components.tokenizer import source_text

PREAMBLE = "preamble"


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    header: str  # header text as written ("" for the preamble)
    start: int  # char offset of the header (or 0 for the preamble)
    body_start: int  # char offset after the header and its colon
    end: int


if not Doc.has_extension("reportnlp_sections"):
    Doc.set_extension("reportnlp_sections", default=None)


def _alternation(literals: list[str], upper: bool) -> str:
    parts = []
    for lit in sorted(set(literals), key=len, reverse=True):
        text = lit.upper() if upper else lit
        parts.append(r"\s+".join(re.escape(w) for w in text.split()))
    return "|".join(parts)


class SectionDetector:
    def __init__(self, section_rules: dict[str, Any]) -> None:
        self.category_of: dict[str, str] = {}
        for rule in section_rules["section_rules"]:
            for lit in rule["literals"]:
                self.category_of[" ".join(lit.lower().split())] = rule["category"]
        literals = list(self.category_of)
        # Lookaheads on the headers' first letters let the scans skip most places cheaply.
        firsts = "".join(sorted({lit[0].upper() for lit in literals if lit}))
        self.line_rx = re.compile(
            rf"^[ \t>*#\-]*(?:\d{{1,2}}[.)][ \t]*)?(?=[{re.escape(firsts)}])(?P<h>"
            + _alternation(literals, False)
            + r")[ \t]*"
            r"(?:(?::|\s-\s)[ \t,]*|\r?$)",
            re.IGNORECASE | re.MULTILINE,
        )
        self.caps_rx = re.compile(
            rf"(?=[{re.escape(firsts)}])(?<![\w/-])(?P<h>" + _alternation(literals, True) + r")[ \t]*:[ \t,]*"
        )

    def find(self, text: str) -> list[Section]:
        hits: dict[int, tuple[int, int, str]] = {}
        for rx in (self.line_rx, self.caps_rx):
            for m in rx.finditer(text):
                start = m.start("h")
                if start not in hits or hits[start][1] < m.end():
                    # a line header owns its numbering ("2. IMPRESSION:")
                    hits[start] = (m.start() if rx is self.line_rx else start, m.end(), m.group("h"))
        ordered = sorted(hits.values())
        sections: list[Section] = []
        if not ordered or text[: ordered[0][0]].strip():
            first = ordered[0][0] if ordered else len(text)
            sections.append(Section(PREAMBLE, "", 0, 0, first))
        for i, (start, body_start, header) in enumerate(ordered):
            if sections and start < sections[-1].body_start:
                continue  # a header inside another header's span
            end = ordered[i + 1][0] if i + 1 < len(ordered) else len(text)
            name = self.category_of[" ".join(header.lower().split())]
            sections.append(Section(name, header, start, body_start, end))
        return _fix_ends(sections, len(text))

    def __call__(self, doc: Doc) -> Doc:
        doc._.reportnlp_sections = self.find(source_text(doc))
        return doc


def _fix_ends(sections: list[Section], n: int) -> list[Section]:
    fixed = []
    for i, s in enumerate(sections):
        end = sections[i + 1].start if i + 1 < len(sections) else n
        fixed.append(Section(s.name, s.header, s.start, s.body_start, end))
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
    assigns=["doc._.reportnlp_sections"],
)
def make_sections(nlp: Language, name: str, patterns: str | None) -> SectionDetector:
    return SectionDetector(rules_for(patterns).sections)
