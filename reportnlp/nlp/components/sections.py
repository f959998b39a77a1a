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
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.alternation import literal_alternation
from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.components._rules import RuleComponent, with_rules
from reportnlp.nlp.components.colon_scan import BLANKS, BreakLabels, Colons, WordLabels
from reportnlp.nlp.components.docdata import set_doc_value
from reportnlp.nlp.components.msgpack_types import register
from reportnlp.nlp.components.tokenizer import mask_markup, mostly_capitals, source_text
from reportnlp.nlp.safe_regex import SafeSet, compile_safe

PREAMBLE = "preamble"
# a letter's counting sections that leave its opening the letter's own words: results listed, a plan (session 33)
_LETTER_BODY_TOO = frozenset({"findings", "plan"})
_HEADER_SPACE = r"[^\S\r\n]+"  # white space between a header's words, line breaks excepted
# a time of day a header was written at ("02:10", "11:05 pm", "23:40h")
_TIME = r"\d{1,2}:\d{2}(?:[ \t]*(?:[ap]\.?m\.?|h|hrs))?"


@dataclass(frozen=True, slots=True)
class DocumentCue:
    """What tells one document type: known headers, text patterns ("Dear Dr"), or line labels ("S:")."""

    type: str
    headers: frozenset[str]
    patterns: tuple[Any, ...]
    line_labels: dict[str, str]  # label letter -> section category
    min_labels: int  # how many different line labels tell the type
    unless_imaging: bool  # not when the first line or the cue's line names an imaging study
    min_headers: int = 1  # how many different of its headers tell the type (one header alone may be another note's)


@register  # Doc.to_bytes, DocBin and nlp.pipe(n_process=...) carry it
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
        # headers whose text ends at the next line that opens with a label of its own (ends_at_label)
        self.ends_at_label = frozenset(
            _norm(r["literal"]) for r in section_rules["section_rules"] if r["metadata"].get("ends_at_label"))
        # headers that name the study in a radiology report, unless their line reports a study's result
        # ("Imaging: MRI whole spine 18/11: no fracture"): results_on_line
        self.results_on_line = frozenset(
            _norm(r["literal"]) for r in section_rules["section_rules"] if r["metadata"].get("results_on_line"))
        self.counts = {name: bool(spec["counts"]) for name, spec in section_rules["categories"].items()}
        # categories a header-shaped label continues: the counting ones and those marked labels_continue
        self.continued = {
            name for name, spec in section_rules["categories"].items() if spec["counts"] or spec.get("labels_continue")
        }
        types = section_rules.get("document_types") or {}
        self.default_type: str = types.get("default", RADIOLOGY)
        self.narrative_chars: int = types.get("narrative_chars", 1000)
        self.note_preamble: str = types.get("preamble", PREAMBLE)  # a note's unheaded opening
        # a letter's salutation in that opening: the opening is the letter's body and counts (session 17)
        salutation = types.get("letter_salutation")
        self.salutation = compile_safe(salutation["pattern"], re.IGNORECASE | re.MULTILINE) if salutation else None
        # headers that, below the salutation, are the letter's own words ("Reason:" of a decision; session 18)
        self.letter_body_headers = frozenset(_norm(h) for h in (salutation or {}).get("body_headers", []))
        self.type_cues = [
            DocumentCue(
                t["type"],
                frozenset(_norm(h) for h in t.get("headers", [])),
                tuple(compile_safe(p, re.IGNORECASE) for p in t.get("patterns", [])),
                {k.upper(): v for k, v in (t.get("line_labels") or {}).items()},
                t.get("min_labels", 1),
                bool(t.get("unless_imaging")),
                t.get("min_headers", 1),
            )
            for t in types.get("types", [])
        ]
        # Every cue pattern asked at once (RE2's set: one pass over the text) which of them can match: most
        # texts match none, and each search of its own walks the whole text (about 1 us a pattern and a
        # report). The cues are then asked in their order as before, the ruled-out patterns skipped.
        # The set also holds what every line label ("S:", ",A/P:") has, so a text without one skips their scan,
        # and what every header glued by a comma to a list has (see caps_comma_needs), likewise. It is asked
        # once per text, in analyse.
        cue_patterns = [p for cue in self.type_cues for p in cue.patterns]
        self.cue_numbers: dict[int, int] = {id(p): i for i, p in enumerate(cue_patterns)}
        self.line_label_number = len(cue_patterns)  # _ANY_LINE_LABEL's place in the set
        self.comma_number = len(cue_patterns) + 1  # the comma-glued header's
        # A header of a type that needs several (min_headers) tells nothing alone: "EXAM:" opens most radiology
        # reports, so it sends a text past the fast path in _document only beside that type's others (session 16).
        self.cue_headers: frozenset[str] = frozenset().union(
            *(cue.headers for cue in self.type_cues if cue.min_headers <= 1)
        )
        self.multi_cues = tuple((cue.headers, cue.min_headers) for cue in self.type_cues if cue.min_headers > 1)
        # each header's cues, by their place in type_cues: a text's headers are sorted to their cues in one pass
        # (_document), not read again for each of the 27 cues, most of which name no header (session 30)
        self.cues_of_header: dict[str, list[int]] = {}
        for number, cue in enumerate(self.type_cues):
            for header in cue.headers:
                self.cues_of_header.setdefault(header, []).append(number)
        # the set's numbers that can give a type its cue without a header: a text the set answers none of
        # (and with no cue header) is of the default type
        self.cue_numbers_and_labels = frozenset([*self.cue_numbers.values(), self.line_label_number])
        # words, escaped; and patterns, as written (a bare "MR" is a study only in capitals before a body part)
        imaging = [*map(re.escape, types.get("imaging_words") or []), *(types.get("imaging_patterns") or [])]
        self.imaging = re.compile(
            r"(?<!\w)(?:" + "|".join(imaging) + r")(?!\w)" if imaging else r"(?!x)x", re.IGNORECASE
        )
        # whole labels read by pattern ('INDICATIONS FOR THE OPERATION:'): (pattern, unless, category, in notes)
        self.label_rules = [
            (
                compile_safe(r["pattern"], re.IGNORECASE),
                compile_safe(r["unless"], re.IGNORECASE) if "unless" in r else None,
                r["category"],
                r.get("in_notes", r["category"]),
            )
            for r in (section_rules.get("label_rules") or {}).get("rules", [])
        ]
        # a divider line above an earlier note pasted under this one ("--- previous note 10/2 ---"): every
        # section below it is that note's, the patient's history (a report's: a comparison), whatever its headers
        copied = (section_rules.get("copied_forward") or {}).get("pattern")
        self.copied_forward = compile_safe(copied, re.IGNORECASE | re.MULTILINE) if copied else None
        same = section_rules.get("same_as_before") or {}
        self.same_headers = frozenset(_norm(h) for h in same.get("headers", []))
        self.same_before = frozenset(_norm(h) for h in same.get("before", []))
        self.same_value = compile_safe(same["pattern"], re.IGNORECASE) if same else None
        # a preliminary read above the final read that replaced it (docs/labels.md section 3, session 17)
        superseded = section_rules.get("superseded_preliminary") or {}
        self.preliminary = frozenset(_norm(h) for h in superseded.get("preliminary", []))
        self.final = frozenset(_norm(h) for h in superseded.get("final", []))
        # a "cc:" footer naming who gets a copy: no chief complaint (session 18)
        copy_list = section_rules.get("copy_list") or {}
        self.copy_headers = frozenset(_norm(h) for h in copy_list.get("headers", []))
        self.copy_recipient = compile_safe(copy_list["recipient"], re.MULTILINE) if copy_list else None
        self.copy_category: str = copy_list.get("category", "")
        words = (section_rules.get("study_labels") or {}).get("words") or []
        self.study_label = re.compile(
            r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?![\w-])"
            if words else r"(?!x)x",
            re.IGNORECASE,
        )
        systems = section_rules.get("system_labels") or {}
        self.system_words: frozenset[str] = frozenset(_norm(w) for w in systems.get("words") or [])
        self.system_continues: frozenset[str] = frozenset(systems.get("continue") or [])
        literals = list(self.category_of)
        # a header's words stay on one line: "...POST-DISCOGRAM CT\nFINDINGS:" is no "CT FINDINGS:" header
        upper = literal_alternation([lit.upper() for lit in literals], ignore_case=False, sep=_HEADER_SPACE)
        # Lookaheads on the headers' first letters let the scans skip most places cheaply; the headers
        # as prefix trees (nlp/alternation.py) let re try only those that start with the letter at hand.
        firsts = "".join(sorted({lit[0].upper() for lit in literals if lit}))
        self.line_rx = re.compile(
            # a banner's rule of "=" may frame it ("==== FINAL REPORT ====", session 20)
            # a list number, or a line number an export set at every line start ("10  Assessment: ...")
            rf"^[ \t>*#=\-]*(?:\d{{1,2}}[.)][ \t]*|\d{{1,3}}[ \t]+)?(?=[{re.escape(firsts)}])(?P<h>"
            + literal_alternation(literals, ignore_case=True, sep=_HEADER_SPACE)
            + r")(?:[ \t]+#\d{1,2})?[ \t]*"  # a numbered header ("PROCEDURE #2:")
            # a time it was written at ("ADDENDUM 02:10:", "Addendum 23:40 -"; session 21: a note's addendum), or its
            # date alone, written or de-identified ("ADDENDUM 12/04/2026:", "AMENDED 12/02/2026:", "Addendum [DATE]:";
            # session 23), also in square brackets as an export stamps it ("ADDENDUM [12/02/2026 08:14]:", "Addendum
            # [**2026-12-02**]:"; session 34)
            r"(?:(?<=[ \t])(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:[ \t]+" + _TIME + r")?|" + _TIME
            + r"|\[[A-Z][A-Z ]{0,15}\]|\[(?:\*\*[^\]\n]{1,40}\*\*|\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?(?:[ \t]+"
            + _TIME + r")?)\])[ \t]*)?"
            # a short note on who wrote it or when ("Findings (resident, Dr K. Tan):", "MEDICATIONS (reconciled
            # 03/11):", "Addendum (Consultant Neuroradiologist, same day 18:30):"): then a colon, a dash or the line's
            # end, so "Findings (resident) were ..." stays in its line
            r"(?:\([^()\n]{1,60}\)[ \t]*)?"
            # a second name after a slash ("Clinical question / reason for exam:"), also on a line of its own with no
            # colon ("ED COURSE / MDM"; session 25)
            r"(?:/[ \t]*[A-Za-z][A-Za-z \t]{0,30}(?=:|\r?$))?"
            r"(?:(?::|\s-\s)[ \t,]*|(?:[ \t]+[=*#-]{2,})?\r?$)",
            re.IGNORECASE | re.MULTILINE,
        )
        self.caps_rx = re.compile(
            rf"(?=[{re.escape(firsts)}])(?<![\w/-])(?P<h>" + upper + r")(?:[ \t]+#\d{1,2})?[ \t]*:[ \t,]*"
        )
        self.caps_scan = _NotAfterWord(self.caps_rx)
        # A dictation typed in capitals with no colon at all ("HPI 72 YO F WITH ...", "ASSESSMENT ACUTE L2 ...", a
        # line number allowed before it): a known header that opens its line and runs into its text. Read only in a
        # text in capitals where no header was found otherwise. A header word that a sentence goes on from ("HISTORY OF
        # GIANT CELL ARTERITIS.", "IMPRESSION IS ...") is the sentence's subject, no header (session 30).
        self.caps_line_rx = re.compile(
            r"^[ \t]*(?:\d{1,3}[ \t]+)?(?P<h>" + upper + r")[ \t]+(?!(?:OF|IS|ARE|WAS|WERE)\b)(?=[A-Z0-9])",
            re.MULTILINE,
        )
        # the same matches from the text's colons back (components/colon_scan.py): before its colon a match
        # holds the headers' own characters, blanks but line breaks, and a "#2"; not for a rule file whose
        # header has a colon of its own (then a match's colon is not the first after its start)
        header_chars = {c for lit in literals for c in lit.upper() if not c.isspace()} | {"#"}
        self.caps_labels: WordLabels | None = WordLabels(
            self.caps_scan.rest, rf"[{re.escape(''.join(sorted(header_chars)))}\d{BLANKS}]*", self.caps_scan.opening
        ) if ":" not in header_chars else None
        self.line_scan = _AfterBreaks(self.line_rx)
        # A whole comma-separated segment glued by a comma to a list, the next label or its first sentence
        # ("...,DIAGNOSES,1.", ",PREOPERATIVE DIAGNOSIS,Fracture of ...", ",INDICATION,A fall."): exports that lost the colon.
        self.caps_comma_rx = re.compile(
            r"(?:^|(?<=[,.]))[ \t]*(?P<h>" + upper + r"),(?=\d{1,2}\.|[A-Z][A-Za-z]|[A-Z] [a-z])", re.MULTILINE
        )
        # Searched from the commas, stops and line breaks (_AfterBreaks): finditer tried its lookbehind at every
        # character of the comma-heavy exports (about 40 us a text that may have one). Made at build, not on
        # first use: its regex (the headers' alternation again, 12 ms) is then among the programs the console
        # script keeps for later runs (cli/regex_programs.py keeps those of the start-up only).
        self.caps_comma_scan = _AfterBreaks(self.caps_comma_rx)
        lasts = "".join(sorted({lit[-1].upper() for lit in literals if lit}))
        # _label_rule by label: a pure function of the label's text, which recurs from report to report
        self._label_rule_memo: OrderedDict[str, tuple[str, str] | None] = memo_table()
        # What every such segment has: a header's last letter, the comma, a list number or a capital (the
        # reference for the set's stand-in below; no longer searched before the scan, which costs less).
        self.caps_comma_needs = re.compile(
            rf"[{re.escape(lasts)}],(?=\d{{1,2}}\.|[A-Z][A-Za-z]|[A-Z] [a-z])" if lasts else r"(?!x)x"
        )
        # what every match of caps_comma_needs has, in RE2 (no lookahead; re's \d is any Unicode digit): a text
        # without it has no such header, and the scan need not run
        comma_any = compile_safe(rf"[{re.escape(lasts)}],(?:[0-9A-Z]|[^\x00-\x7f])" if lasts else r"[^\s\S]")
        # the copied-forward divider's pattern is asked in the same pass (a number no pattern has without it)
        self.copied_number = len(cue_patterns) + 2
        copied_any = [self.copied_forward] if self.copied_forward is not None else []
        # and what every mid-line study label has (a stop, then its modality word and a colon on the same line)
        self.midline_number = len(cue_patterns) + 2 + len(copied_any)
        self.site_study_number = self.midline_number + 1  # and a site-first study label (_ANY_SITE_STUDY)
        self.cue_set: SafeSet | None = SafeSet(
            [*cue_patterns, _ANY_LINE_LABEL, comma_any, *copied_any, _ANY_MIDLINE_STUDY, _ANY_SITE_STUDY]
        )
        # A mixed-case header glued after an export's line end (".,Hospital Course:"): multi-word headers and
        # the one-word ones listed, never a body-system label or a header a note reads as findings.
        single = {_norm(w) for w in (section_rules.get("mixed_case_glued") or {}).get("words") or []}
        mixed = [
            lit for lit in literals
            if lit not in self.system_words and self.note_category_of[lit] != FINDINGS
            and (" " in lit or lit in single)
        ]
        # Compiled at build (about 15 ms), not on the first text with a ".," as sessions 11-17 did: the console
        # script keeps start-up's regex programs for later runs (cli/regex_programs.py: 0.15 ms to load this one),
        # and a compile on first use is paid by every run and every worker that meets such a text (session 18).
        self.mixed_glued_rx: re.Pattern[str] | None = re.compile(
            r"\.,[ \t]*(?P<h>" + literal_alternation(mixed, ignore_case=True, sep=_HEADER_SPACE) + r")[ \t]*:(?!\d)[ \t,]*",
            re.IGNORECASE,
        ) if mixed else None

    def find(self, text: str) -> list[Section]:
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[list[Section], dict[str, str | None]]:
        """The sections, and the document type with the header that decided it."""
        hits: dict[int, tuple[int, int, str]] = {}
        # which cue patterns, line labels and comma-glued headers the text may have; without the set (tests:
        # the reference), all of them are looked for
        possible = (
            self.cue_set.matching(text) if self.cue_set is not None
            else {*self.cue_numbers.values(), self.line_label_number, self.comma_number, self.copied_number,
                  self.midline_number, self.site_study_number}
        )
        glued = self.comma_number in possible
        scans: tuple[re.Pattern[str], ...] = (
            (self.line_rx, self.caps_rx, self.caps_comma_rx) if glued else (self.line_rx, self.caps_rx)
        )
        if self.mixed_glued_rx is not None and ".," in text:
            scans += (self.mixed_glued_rx,)
        colons = Colons(text)  # where the ALL CAPS label scans look (components/colon_scan.py)
        for rx in scans:
            found = (
                self.line_scan(text) if rx is self.line_rx
                else self._caps_matches(text, colons) if rx is self.caps_rx
                else self.caps_comma_scan(text) if rx is self.caps_comma_rx
                else rx.finditer(text)
            )
            for m in found:
                start = m.start("h")
                if start not in hits or hits[start][1] < m.end():
                    # a line header owns its numbering ("2. IMPRESSION:")
                    hits[start] = (m.start() if rx is self.line_rx else start, m.end(), m.group("h"))
        if not hits and mostly_capitals(text):  # "ASSESSMENT ACUTE L2 COMPRESSION FRACTURE" with no colon
            for m in self.caps_line_rx.finditer(text):
                hits[m.start("h")] = (m.start(), m.end(), m.group("h"))
        copies = self._copy_lists(text, hits) if self.copy_headers else []
        document, line_labels = self._document(  # a label's last header still tells it; a copy list tells nothing
            sorted(v for s, v in hits.items() if s not in copies) if copies else sorted(hits.values()), text, possible
        )
        headed = bool(hits)  # a document with no known header is read whole, whatever its type
        read_whole = self._whole_labels(text, hits, colons)
        for start in copies:
            read_whole[start] = (self.copy_category, self.copy_category)
        for start, (body_start, header, name) in line_labels.items():
            hits[start] = (start, body_start, header)
            read_whole[start] = (name, name)
        notes = document["type"] != RADIOLOGY
        category_of = self.note_category_of if notes else self.category_of
        known_starts = sorted(hits)
        for m in _LABEL_COLON_SCAN(text, colons):  # any other header-shaped label ("CT PELVIS:")
            start = m.start("h")
            if start in hits:
                continue  # a known header (most labels)
            if _LETTERS.search(m.group("h")) and not _LEVEL.fullmatch(m.group("h")):
                k = bisect_right(known_starts, start)
                if notes and k and start > m.start() and text[m.start() - 1 : m.start()] == "," and (
                    category_of.get(_norm(hits[known_starts[k - 1]][2])) == HISTORY
                ):
                    # "HPI: ... Outside DXA 2019: T -2.6 at the spine, VFA: grade 1 wedge fracture of L1": a comma
                    # and a space before it, inside the history's line, make a list item's label, not a header
                    # (an export's glued header follows its comma at once; session 27)
                    continue
                if k < len(known_starts) and known_starts[k] < m.end("h"):  # a known header in it wins ...
                    # ... unless the label names a study: "MRI LUMBAR SPINE:" is that study's results
                    inner = [h for h in known_starts[k:] if h < m.end("h")]
                    if not self.study_label.search(m.group("h")) or any(h in read_whole for h in inner):
                        continue
                    for h in inner:
                        hits.pop(h, None)
                hits[start] = (start, m.end(), m.group("h"))
        if notes:  # a note's line that opens with a study and its result ("XR R wrist: no fx") is that study's
            for m in _study_labels(text, self.midline_number in possible, self.site_study_number in possible):
                start = m.start("h")
                k = bisect_right(known_starts, start)
                if start in hits or (k < len(known_starts) and known_starts[k] < m.end("h")):
                    continue
                before = hits.get(known_starts[k - 1]) if k else None
                if (before is not None and category_of.get(_norm(before[2])) == INDICATION
                        and not self._below_one_line(text, before, start, document["type"])):
                    continue  # an operation's indications retell the imaging that led to it: why, not a result
                if (before is not None and category_of.get(_norm(before[2])) == HISTORY
                        and not _opens_its_line(text, start)):
                    # inside the history's own lines ("HPI: ... Outside MRI L-spine reviewed: HNP"): the readers'
                    # HPI does not count; a study line of its own below the history is the note's result (session 24)
                    continue
                hits[start] = (start, m.end(), m.group("h"))
            if "lan:" in text or "LAN:" in text:  # str.find: a C scan
                self._midline_plans(text, hits, category_of)
        ordered = sorted(hits.values())
        seen_rules: set[str] = set()  # rules with a 'narrative' category already seen
        sections: list[Section] = []
        if not ordered or text[: ordered[0][0]].strip():
            first = ordered[0][0] if ordered else len(text)
            name = self.note_preamble if notes and headed else PREAMBLE
            if not notes and ordered and _is_title(text, first, self.imaging):
                name = EXAM  # "MRI WHOLE SPINE - ?CORD COMPRESSION" above its headers: the title (session 20)
            sections.append(Section(name, "", 0, 0, first))
        for i, (start, body_start, header) in enumerate(ordered):
            if sections and start < sections[-1].body_start:
                continue  # a header inside another header's span
            end = ordered[i + 1][0] if i + 1 < len(ordered) else len(text)
            if start in read_whole:  # a whole label its pattern names
                sections.append(Section(read_whole[start][1 if notes else 0], header, start, body_start, end))
                continue
            key = _norm(header)  # read once per header (each reading about 0.4 us)
            name = category_of.get(key)
            narrative = self.narrative_of.get(key) if notes else None
            if narrative is not None:  # the operation's name, or (a later or long section) its account
                if narrative[0] in seen_rules or end - body_start > self.narrative_chars:
                    name = narrative[1]
                seen_rules.add(narrative[0])
            if name is None:  # a label: it continues a counting section, and is findings after any other
                before = sections[-1] if sections else None
                if before is None and notes and key in self.system_words:
                    # a note that opens with a body-system label ("HEENT:, No headaches.,RESPIRATORY: ..."): a
                    # review of systems or an examination exported alone, read as the note's opening text is
                    sections.append(Section(self.note_preamble, header, start, body_start, end, label=True))
                    continue
                if before is not None and not text[before.body_start : start].strip(" \t,"):
                    continue  # a label that opens a section's text is that section's words ("EXAM: CT HEAD:")
                continued = before is not None and before.name != PREAMBLE and (
                    before.name in self.continued
                    # a review of systems' body-system label ("MUSCULOSKELETAL:") stays in it, in a note
                    or (notes and before.name in self.system_continues and key in self.system_words)
                )
                if self.study_label.search(header):
                    continued = False  # a label naming a study opens its results
                name = before.name if continued and before is not None else FINDINGS
                sections.append(Section(name, header, start, body_start, end, label=True))
                continue
            if name == EXAM and key in self.results_on_line and self._study_result(text, body_start):
                name = FINDINGS  # a tumour board's "Imaging: PET/CT 11/03: avid rib lesion ...": results, no title
            sections.append(Section(name, header, start, body_start, end))
        if notes and self.same_value is not None:
            self._same_as_before(text, sections)
        if self.preliminary:
            _supersede_preliminary(sections, self.preliminary, self.final, text)
        if notes and sections and sections[0].name == self.note_preamble and not sections[0].header:
            self._letter_body(text, sections)
        if self.ends_at_label and any(_norm(x.header) in self.ends_at_label for x in sections):
            sections = _end_at_label(text, sections, self.ends_at_label)
        sections = _inline_comparisons(text, sections)
        if not notes:
            sections = _title_below_history(text, sections, self.imaging)
            sections = _body_after_last_indication(text, _technique_to_heading(text, sections))
        sections = _fix_ends(_templated_findings(
            text, sections, () if notes else _CLOSING_HISTORY, pathology=document["type"] == PATHOLOGY
        ), len(text))
        if self.copied_forward is not None and self.copied_number in possible:  # one pass of the set tells
            # whether a divider may be there
            divider = self.copied_forward.search(text)
            if divider is not None:
                sections = _copied_below(sections, divider.start(), HISTORY if notes else COMPARISON)
        return sections, document

    @staticmethod
    def _below_one_line(text: str, before: tuple[int, int, str], start: int, kind: str | None) -> bool:
        """A study line that opens the line right under a one-line indication of a note that records no operation
        ("History: chronic LBP." / "Radiographs (lumbar, 3 views, taken in office today): grade 1 ..."): the
        visit's own films and their result, not the imaging an operation's indications retell (session 27)."""
        if kind == OPERATIVE or not _opens_its_line(text, start):
            return False
        line_end = text.find("\n", before[1], start)
        if line_end < 0:
            return False
        # a paragraph of its own below the history told at length, a blank line between ("History: In 2019 he
        # sustained ..." / blank line / "Radiographs today (lumbar, AP, lateral): ..."): the examiner's own films
        # (session 29)
        return not text[line_end + 1 : start].strip(" \t>*-") or _BLANK_LINE_BEFORE.search(text[before[1] : start]) is not None

    @staticmethod
    def _midline_plans(text: str, hits: dict[int, tuple[int, int, str]], category_of: dict[str, str]) -> None:
        """A note's "Plan:" after a sentence's stop on an assessment's line ("Assessment: chest wall contusion.
        ?rib fracture. Plan: analgesia, CXR, review."): the plan's header, so its studies are planned, not done
        (session 27). Only where the line's header is an assessment or impression: a history's "Plan: ..." mid-line
        retells an earlier plan and stays in it."""
        known = sorted(hits)
        for m in _MIDLINE_PLAN.finditer(text):
            start = m.start("h")
            k = bisect_right(known, start)
            if not k or start in hits or _NOT_A_SENTENCE_END.search(text, max(0, m.start() - 8), m.start()):
                continue
            before = hits[known[k - 1]]
            if category_of.get(_norm(before[2])) != _IMPRESSION or text.find("\n", before[1], start) >= 0:
                continue
            hits[start] = (start, m.end(), m.group("h"))

    def _copy_lists(self, text: str, hits: dict[int, tuple[int, int, str]]) -> list[int]:
        """Starts of the "cc:" headers whose line names who gets a copy ("cc: Dr. R. Lane, Spine Clinic"): a
        footer, where a note's "CC:" heads its chief complaint."""
        assert self.copy_recipient is not None
        heads = [(start, body) for start, (_, body, header) in hits.items()
                 if len(header) <= 4 and _norm(header) in self.copy_headers]
        # and only in a text with a "cc" in it: asked once such a header is there (three scans of the whole text
        # per report, about 12,000 instructions, for the few that have one; session 30)
        if not heads or not ("cc" in text or "CC" in text or "Cc" in text):
            return []
        return [start for start, body in heads if self.copy_recipient.match(text, body)]

    def _letter_body(self, text: str, sections: list[Section]) -> None:
        """A letter whose opening (after its salutation) tells what the writer found and thinks, with no
        header of the letter opening an assessment or impression: the opening counts, in place, and so do its
        sections under a body header ("Reason:" of the writer's decision). A letter laid out as a consult (its own
        impression or assessment headers) keeps its opening as the history. Results headers ("Imaging:", a study's
        line) list the studies, not the writer's judgement, and a plan alone ("Plan: repeat MRI in 6 weeks") says
        what comes next, not what was found: neither makes one, so the opening still tells the patient's state
        ("has breast cancer with bone metastases"; session 33, w76_08, w78_17)."""
        first = sections[0]
        if self.salutation is None or self.salutation.search(text, 0, first.end) is None:
            return  # nearly every note: no salutation
        if any(self.counts.get(s.name) and s.name not in _LETTER_BODY_TOO for s in sections[1:]):
            return
        sections[0] = Section(PREAMBLE, "", first.start, first.body_start, first.end, first.label)
        for i, s in enumerate(sections[1:], 1):  # "Reason:" of the writer's decision: the letter's words too
            if s.header and _norm(s.header) in self.letter_body_headers:
                sections[i] = Section(PREAMBLE, s.header, s.start, s.body_start, s.end, s.label)

    def _same_as_before(self, text: str, sections: list[Section]) -> None:
        """A postoperative diagnosis that only says "Same." makes the preoperative diagnosis above it read
        as the postoperative one (its category), in place."""
        assert self.same_value is not None
        for i, s in enumerate(sections):
            # a postoperative diagnosis is an impression whose header opens with "post": the others are
            # passed over without normalising their header
            if s.name != "impression" or s.header[:4].lower() != "post" or _norm(s.header) not in self.same_headers:
                continue
            end = sections[i + 1].start if i + 1 < len(sections) else len(text)
            # the value's own line: a template's next fields ("Biopsy: [ ] yes", "Levels: ...") are no known
            # header, so the section runs on over them (session 22)
            body = text[s.body_start : end].lstrip()
            newline = body.find("\n")
            if newline > 0:
                body = body[:newline]
            # markup masked ("Same\\par" in an RTF export)
            if not self.same_value.fullmatch(mask_markup(body).strip(" \t\r\n,.;:")):
                continue
            for j in range(i - 1, -1, -1):
                before = sections[j]
                if before.header and _norm(before.header) in self.same_before:
                    sections[j] = Section(s.name, before.header, before.start, before.body_start, before.end, before.label)
                    break

    def _caps_matches(self, text: str, colons: Colons) -> Iterator[re.Match[str]]:
        """The ALL CAPS known-header scan's matches: from the colons back, or over the whole text when a
        header of the rule file holds a colon itself."""
        return self.caps_scan(text) if self.caps_labels is None else self.caps_labels(text, colons)

    def _whole_labels(
        self, text: str, hits: dict[int, tuple[int, int, str]], colons: Colons | None = None
    ) -> dict[int, tuple[str, str]]:
        """ALL CAPS labels that a label rule names as a whole, put in ``hits`` in place of the known
        headers that end them: the label's line start -> (category, category in a note)."""
        found: dict[int, tuple[str, str]] = {}
        rules_of, remembered = self._label_rule_memo, _NOT_KNOWN
        for m in _WHOLE_LABEL_COLON_SCAN(text, colons):
            header = m.group("h")
            rule = rules_of.get(header, remembered)
            if rule is remembered:
                rule = remember(rules_of, header, self._label_rule(header), _LABELS_REMEMBERED)
            if rule is not None:
                start, end = m.start("h"), m.end("h")
                for inner in [h for h in hits if start < h < end]:
                    del hits[inner]  # 'OPERATION' of 'INDICATIONS FOR OPERATION'
                hits[start] = (m.start(), m.end(), header)
                found[m.start()] = rule
        return found

    def _label_rule(self, header: str) -> tuple[str, str] | None:
        """(category, category in a note) of the first label rule naming this whole ALL CAPS label; None for
        a known header as a whole, a label naming a study (study_labels), or one no rule names."""
        key = _norm(header)
        if key in self.category_of or self.study_label.search(header):
            return None
        for pattern, unless, category, in_notes in self.label_rules:
            if pattern.fullmatch(key) and (unless is None or unless.search(key) is None):
                return category, in_notes
        return None

    def _study_result(self, text: str, body_start: int) -> bool:
        """The header's line goes on with a study and its own colon, then its result ("Imaging: Staging PET/CT
        11/03: FDG-avid lesion ..."), within 60 characters: the line reports what that study showed (session 24)."""
        end = text.find("\n", body_start)
        end = len(text) if end < 0 else end
        colon = text.find(":", body_start, min(end, body_start + 60))
        if colon < 0 or not text[colon + 1 : end].strip():
            return False
        label = _LABEL_TAIL.split(text[body_start:colon])[-1]  # "... bone scan.  Comparison:" is another header's
        return _norm(label) not in self.category_of and self.study_label.search(label) is not None

    def _document(
        self, headers: list[tuple[int, int, str]], text: str, possible: set[int]
    ) -> tuple[dict[str, str | None], dict[int, tuple[int, str, str]]]:
        """The first document type (in rule order) whose cue the text has, with the cue as written; and
        the line labels of a type told by them ("S:", "A:" of a SOAP note: start -> (body start, label,
        category)). A type marked unless_imaging is passed over when the title (the first line) or a
        header cue's own line names an imaging study (an interventional or echo report with "PROCEDURE
        PERFORMED:"). ``possible``: the set's answer (a cue pattern or the line labels it rules out are skipped)."""
        keyed = [(_norm(h), s, body, h) for s, body, h in headers]
        keys = [key for key, _, _, _ in keyed]
        if self.cue_headers.isdisjoint(keys) and not any(len(h.intersection(keys)) >= n for h, n in self.multi_cues):
            keyed = []  # no header tells a type: no cue needs to look at them
            if self.cue_numbers_and_labels.isdisjoint(possible):
                return {"type": self.default_type, "cue": None}, {}  # no cue of any type (most texts)
        title: str | None = None  # the first line, read when a type marked unless_imaging needs it
        line_labels: list[tuple[str, int, int, str]] | None = None  # (label in capitals, start, end, label)
        by_cue: dict[int, list[tuple[int, int | None, str]]] = {}  # a cue's headers in the text, in text order
        for key, s, body, h in keyed:
            for number in self.cues_of_header.get(key, ()):
                by_cue.setdefault(number, []).append((s, body, h))
        for number, cue in enumerate(self.type_cues):
            found: list[tuple[int, int | None, str]] = by_cue.get(number, [])
            if cue.min_headers > 1 and len({_norm(h) for _, _, h in found}) < cue.min_headers:
                found = []
            if cue.patterns:
                numbers = self.cue_numbers
                found += [
                    (m.start(), None, m.group())
                    for p in cue.patterns
                    if numbers[id(p)] in possible and (m := p.search(text)) is not None
                ]
            labels: dict[int, tuple[int, str, str]] = {}
            if cue.line_labels:
                if line_labels is None:
                    line_labels = self._line_labels(text, possible)
                labels = _labels_of(cue, line_labels)
                if labels:
                    found += [(start, None, h + ":") for start, (_, h, _) in sorted(labels.items())[:1]]
            if not found:
                continue  # none of this type's cues in the text (most types, most texts)
            for _, body, written in sorted(found, key=lambda f: f[0]):
                own_line = _first_line(text, body) if body is not None else ""  # a header cue's own line
                if cue.unless_imaging:
                    if title is None:  # the first line, unless a SOAP label opens it (then it is the note's text)
                        title = "" if _LINE_LABEL.match(text) else _title_line(text)
                    if self.imaging.search(title + " " + own_line):
                        continue
                if not labels and not cue.line_labels:
                    # A note typed by another cue ("HPI:") may still lay out its parts as SOAP line labels
                    # ("O:", "A:", "P:"): read them as the SOAP cue of its type would (session 28).
                    if line_labels is None:
                        line_labels = self._line_labels(text, possible)
                    labels = next(
                        (got for c in self.type_cues if c.type == cue.type and c.line_labels
                         and (got := _labels_of(c, line_labels))),
                        {},
                    )
                return {"type": cue.type, "cue": " ".join(written.split())}, labels
        return {"type": self.default_type, "cue": None}, {}

    def _line_labels(self, text: str, possible: set[int]) -> list[tuple[str, int, int, str]]:
        """Every one-letter line label of the text ("S:", "A/P:"): (label in capitals, start, end, label)."""
        if self.line_label_number not in possible:
            return []
        return [(m.group("h").upper(), m.start("h"), m.end(), m.group("h")) for m in _LINE_LABEL_SCAN(text)]

    def use_rules(self, rules: Any) -> None:
        self.__init__(rules.sections)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        sections, document = self.analyse(source_text(doc))
        set_doc_value(doc, "reportnlp_sections", sections)
        set_doc_value(doc, "reportnlp_document", document)
        return doc


def _labels_of(cue: DocumentCue, line_labels: list[tuple[str, int, int, str]]) -> dict[int, tuple[int, str, str]]:
    """The cue's line labels in the text (start -> (body start, label, category)), when enough different ones
    stand there to tell its type (min_labels); else none."""
    labels = {start: (end, label, cue.line_labels[upper]) for upper, start, end, label in line_labels
              if upper in cue.line_labels}
    return labels if len({h for _, h, _ in labels.values()}) >= cue.min_labels else {}


_BLANK_LINE_BEFORE = re.compile(r"\n[ \t]*\r?\n[ \t>*-]*$")  # the text before a line ends in a blank line
RADIOLOGY = "radiology_report"
_LABEL_TAIL = re.compile(r"\.\s|;|\s{2,}|\t")  # what ends a title's words before a label of its own on the line
PATHOLOGY = "pathology_report"  # the document type patterns/sections.json gives a pathology report
OPERATIVE = "operative_note"  # ... and an operative note
_NOT_KNOWN = object()  # a label not in the memo yet (None is a remembered answer)
_LABELS_REMEMBERED = 5_000
FINDINGS = "findings"
COMPARISON = "comparison"
HISTORY = "history"
INDICATION = "indication"
EXAM = "exam"
_IMPRESSION = "impression"
# An ALL CAPS label and its colon at a line start or glued after a comma ("...,CT PELVIS:,"), not a time. A
# short parenthesis may stand before the colon ("SKELETAL SURVEY (today):", "IMPRESSION (preliminary):"); the
# header is the capitals before it.
_LABEL = re.compile(
    r"(?:^|(?<=,))[ \t]*(?P<h>[A-Z][A-Z0-9/&'-]*(?: [A-Z0-9/&'-]+){0,5}(?<=[A-Z0-9)]))"
    r"(?:[ \t]*\([A-Za-z0-9 /.,'-]{1,24}\))?[ \t]*:(?!\d)[ \t,]*",
    re.MULTILINE,
)
# A whole ALL CAPS label up to its colon, at a line start (numbered or not) or glued after a comma.
_WHOLE_LABEL = re.compile(
    r"(?:^|(?<=,))[ \t>*#\-]*(?:\d{1,2}[.)][ \t]*)?(?P<h>[A-Z][A-Z0-9/&'-]*(?: [A-Z0-9/&'-]+){0,7}(?<=[A-Z0-9]))"
    r"[ \t]*:(?!\d)[ \t,]*",
    re.MULTILINE,
)
_LETTERS = re.compile(r"[A-Z]{3}")
# A mixed-case label at a line start that opens with a study's capitals and is followed by its result on the
# same line ("XR R wrist: no fx", "CT head: negative", "XR L forearm 2 views: ..."): in a note, findings (as an
# ALL CAPS study label is). The study may carry its kind first ("Whole-body MRI 11/2026: no focal lesions",
# "PSMA PET/CT 11/20: ...", session 18), or why it was done ("Restaging CT CAP 11/26: ..."); its name may join
# parts with "&" or "+" ("XR pelvis AP + R hip 2 views (today): ..."), and a parenthesis may say where or when
# ("MRI C-spine 12/01 (images personally reviewed): ...", "XR scoliosis series (standing PA/lat) today: ...";
# session 19). Two kinds may stand first ("Whole body low-dose CT 10/11/2026 reported: ...", session 21), and the
# operation it follows or precedes ("Post-op XR L femur 12/01/2026: nail intact, ...", session 24).
# Its parts may be a comma list ("CT neck, chest, abdomen and pelvis (11/26/2026): ...", session 26), and a
# skeletal survey opens one as a modality does ("Skeletal survey 11/28: no new lytic lesions", session 26).
# The label may name its body part first ("Pelvis XR 11/02: ...", "Bilateral femur XR 11/28: ...", "Thoracic spine
# XR 03/03: ...", session 22): a site word, maybe after a side and a region, then the modality (an "x-ray" too).
# A SPECT, SPECT/CT, MIBG or capitalised US study opens one too ("Bone SPECT/CT 11/27: ...", "US L tibia 11/21: ...",
# "MIBG 11/17: ..."; session 28). An urgent one too, with the clock time it was done ("Urgent MRI T-spine performed
# 21:15: no cord compression", below a clinician's "O/E:"; session 30).
_STUDY_SITE_WORDS = (
    "pelvis|chest|hips?|femurs?|femora|knees?|spine|[ctl]-spine|abdomen|head|brain|shoulders?|humerus|ribs?"
    "|wrists?|hands?|ankles?|foot|feet|skull|sacrum|tibia|forearm|elbow"
)
_STUDY_SITE = (
    r"(?:(?:(?i:bilateral|left|right)|[LR])[ \t]+)?(?:(?i:lumbar|thoracic|cervical|whole)[ \t]+)?"
    rf"(?i:{_STUDY_SITE_WORDS})"
)
_STUDY_KINDS = (
    r"(?:(?i:whole[- ]body|wb|low[- ]dose|psma|fdg|dotatate|fluciclovine|restaging|staging|repeat"
    r"|baseline|outside|interval|upright|portable|post-?op|pre-?op|post-?operative|pre-?operative|bone|planning"
    r"|post-?procedure|pre-?procedure|urgent|emergency|emergent)[ -]){0,2}"
)
_SURVEY = r"(?:[Ss]keletal|SKELETAL|[Bb]one|BONE) (?:[Ss]urvey|SURVEY)"  # a skeletal survey, a study line's first words
_BONE_SCAN = r"(?:[Bb]one|BONE) (?:[Ss]can|SCAN|[Ss]cintigraphy|SCINTIGRAPHY)"  # a bone scan, the same
# a part joined by an "&" or "+" with blanks around it, as an export's "&amp;" reads ("XR R hip &amp; pelvis:")
_JOINED_PART = r"|[ \t]{1,3}[&+][ \t]{1,3}[A-Za-z0-9][A-Za-z0-9/+-]*"
_MODALITY_FIRST = (
    r"(?:(?:XR|CXR|CT|CTA|MRI|MRA|KUB|PET(?:[/-]CT)?|SPECT(?:[/-]CT)?|MIBG|US|DXA|DEXA)"
    # its words, a clock time among them ("Urgent MRI T-spine performed 21:15: ..."; session 30)
    # or only a short bracket ("Planning CT (CT simulation 11/24/2026) reviewed: ..."; session 35; a long one,
    # "MRI (outside films reviewed with the patient today at length):", is the writer's aside, no label)
    r"(?:(?:,? (?:[0-2]?\d:[0-5]\d(?!\d)|[A-Za-z0-9&+][A-Za-z0-9/+-]*)" + _JOINED_PART + r"){1,7}"
    r"|(?=[ \t]*\([^()\n]{1,30}\)))"
    r"|" + _SURVEY + r"(?: [A-Za-z0-9&+][A-Za-z0-9/+-]*){0,5}"
    # a bone scan as a note's line label ("Bone scan last wk: new foci R prox femur ..."; session 33, w77_20): with
    # words after it or a bracket, as the plain words above, so a checklist's bare "Bone scan: Yes" stays its field
    r"|" + _BONE_SCAN + r"(?:(?: [A-Za-z0-9&+][A-Za-z0-9/+-]*){1,5}|(?=[ \t]*\())"
    # the plain words, capitalised as a line's first word ("Radiographs today (standing AP/lat + flexion/extension
    # lumbar): ...", "X-ray (in-office, AP and lateral lumbopelvic): ...", a clinic or chiropractic note's own films;
    # session 26): with words after them or a bracket, so a template's bare "X-ray: none" stays its field
    r"|(?:Radiographs?|X-?[Rr]ays?|Films)(?:(?: [A-Za-z0-9&+][A-Za-z0-9/+-]*){1,7}|(?=[ \t]*\()))"
    # a dental panoramic radiograph ("Panorex today: sequestrum ...", "OPG 11/30: ..."; session 29), with words after
    # it as the plain words need
    r"|(?:Panorex|PANOREX|OPG|[Oo]rthopantomogram)(?: [A-Za-z0-9&+][A-Za-z0-9/+-]*){1,7}"
)
_SITE_FIRST = _STUDY_SITE + r"[ \t]+(?:XR|CT|CTA|MRI|MRA|(?i:x-?rays?))(?: [A-Za-z0-9&+][A-Za-z0-9/+-]*){0,7}"
_STUDY_LABEL_TAIL = (
    # "(...) today", "(09/2026) reviewed again" (a bracket of up to 60 characters: session 26), "(11/18/2026),
    # personally reviewed" (session 35)
    r"(?:[ \t]*\([^()\n]{1,60}\)(?:[ \t]+(?:today|\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:re)?reviewed(?:[ \t]+again)?)"
    r"|,?[ \t]+(?:personally|independently)[ \t]+reviewed)?)?"
    r"[ \t]*:(?!\d)[ \t]*(?=\S)"  # "XR L-spine today (2 views): no fracture"
)
_STUDY_LINE_LABEL = re.compile(
    r"^[ \t]*(?P<h>" + _STUDY_KINDS + _MODALITY_FIRST + ")" + _STUDY_LABEL_TAIL, re.MULTILINE
)
# The site-first label at a line start: a scan of its own, run only where the section cues' RE2 set says a line
# holds a site word and a modality before its first colon (_ANY_SITE_STUDY): its case-blind site words tried at
# every line start of every note cost about 0.03 M instructions a public report.
_STUDY_SITE_LINE_LABEL = re.compile(
    r"^[ \t]*(?P<h>" + _STUDY_KINDS + _SITE_FIRST + ")" + _STUDY_LABEL_TAIL, re.MULTILINE
)
_ANY_SITE_STUDY = compile_safe(
    rf"(?m)^[^\n:]*\b(?i:{_STUDY_SITE_WORDS})[ \t]+(?:XR|CT|CTA|MRI|MRA|[Xx]-?[Rr]ays?)\b"
)
# The same label in mid-line after a sentence's stop ("... since October. Pelvis XR 11/02: new lytic lesion"; session
# 22): the word before the stop must not be an abbreviation or an initial (_NOT_A_SENTENCE_END), so "fracture vs.
# CT ..." stays in its sentence. Searched only in a text the section cues' RE2 set says has a stop, then a modality
# word and a colon on the same line (_ANY_MIDLINE_STUDY, with no counted repeat: bounded ones, "{0,60}", made the
# set's DFA build thousands of states, +0.4 M instructions a public report): a search from every stop cost about
# 6 us a note, a search for the modality words about 5.
_STUDY_MIDLINE_LABEL = re.compile(
    r"\.[ \t]+(?P<h>" + _STUDY_KINDS + "(?:" + _MODALITY_FIRST + "|" + _SITE_FIRST + "))" + _STUDY_LABEL_TAIL
)
# Where such a label can start (RE2: a linear scan; re's search tried the label at every stop of a long one-line
# export, +0.03 M instructions a public report): a stop, then a modality word before the sentence's next stop. A
# skeletal survey is such a word ("... seen today. Skeletal survey 11/30: lytic lesions"; session 27).
_MIDLINE_STUDY_WORD = r"\b(?:XR|CXR|CT|CTA|MRI|MRA|KUB|PET|[Xx]-?[Rr]ays?|" + _SURVEY + r")\b"
_MIDLINE_CANDIDATE = compile_safe(r"\.[ \t]+[^\n.:]*?" + _MIDLINE_STUDY_WORD)
_ANY_MIDLINE_STUDY = compile_safe(r"\.[ \t]+[^\n.:]*" + _MIDLINE_STUDY_WORD + r"[^\n:]*:")
# A note's plan label after a sentence's stop on its assessment's line (Sections._midline_plans; session 27).
_MIDLINE_PLAN = re.compile(r"\.[ \t]+(?P<h>Plan|PLAN)[ \t]*:[ \t]*(?=\S)")
_NOT_A_SENTENCE_END = re.compile(r"(?:^|[^\w.])(?:vs|e\.g|i\.e|cf|dr|mrs?|ms|st|approx|no|fig|[a-z])\Z", re.IGNORECASE)
_LEVEL = re.compile(r"[CTLS]\d{1,2}(?:\s*-\s*[CTLS]?\d{1,2})?")


# The end of a line: a line break, or the ".," that exports such as MTSamples put in its place. That glue
# is followed by the next line's text at once (".,IMPRESSION", "., ,PLAN" over an empty line); a ".,"
# with a space and words after it is an abbreviation's stop and a list comma ("at 3 p.m., CT chest ...",
# "Lasix b.i.d., aspirin"), inside the line.
_LINE_END = re.compile(r"\n|(?<=\.),(?![ \t]+[^\s,])")
_TITLE_START = re.compile(r"\s*(?:[A-Za-z][A-Za-z /&'-]{0,60}:)?[\s,]*(?:\d{1,2}[.)]\s*)?")
_TITLE_END = re.compile(r"\n|,|\.(?:\s|$)")
# A one-letter label at a line start or glued after a comma ("S:", ",O:,"), as SOAP notes head their parts,
# or two letters joined by a slash or ampersand ("A/P:", "A&P:").
_LINE_LABEL = re.compile(r"(?:^|(?<=,))[ \t]*(?P<h>[A-Za-z](?:[/&][A-Za-z])?)[ \t]*:[ \t,]*", re.MULTILINE)
# What every match of _LINE_LABEL has, in RE2 (no lookbehind: the comma is taken): a text without it has none.
_ANY_LINE_LABEL = compile_safe(r"(?:^|,)[ \t]*[A-Za-z](?:[/&][A-Za-z])?[ \t]*:", re.MULTILINE)


# The label patterns above open with (?:^|(?<=,)): re cannot skip ahead to the places they can start, so
# its search tries the lookbehind at every character (about 0.07 ms per report for the three scans).
_OPENING = "(?:^|(?<=,))"
_OPENING_STOP = "(?:^|(?<=[,.]))"


class _AfterBreaks:
    """``pattern.finditer(text)`` of a pattern that opens with ``(?:^|(?<=,))``, ``(?:^|(?<=[,.]))`` or ``^``
    (MULTILINE), as a callable: the rest of the pattern after one comma or line break (and stop, for the
    second; a line break for ``^``) is searched instead (re skips to
    those characters in compiled code), and each match is ``pattern``'s own at the place found, so the
    matches, their groups and their order are finditer's. That includes finditer's quirk that a
    label whose trailing ``[ \t,]*`` took the comma a next label opens after hides that next label
    ("REVIEW OF SYSTEMS:,  CARDIOPULMONARY:"): a comma that a match took is behind the next search's
    start. tests/test_sections.py checks this against finditer on arbitrary text."""

    __slots__ = ("breaks", "pattern", "rest")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.MULTILINE:
            raise ValueError("the pattern must open with (?:^|(?<=,)), (?:^|(?<=[,.])) or ^ and be MULTILINE")
        if pattern.pattern.startswith(_OPENING):
            self.breaks, opening = ",\n", _OPENING
        elif pattern.pattern.startswith(_OPENING_STOP):  # after a comma or a stop too (the comma-glued headers)
            self.breaks, opening = ",.\n", _OPENING_STOP
        elif pattern.pattern.startswith("^"):  # at line starts only (the section headers' line scan)
            self.breaks, opening = "\n", "^"
        else:
            raise ValueError("the pattern must open with (?:^|(?<=,)), (?:^|(?<=[,.])) or ^ and be MULTILINE")
        self.pattern = pattern
        self.rest = re.compile(f"[{self.breaks}]" + pattern.pattern[len(opening):], pattern.flags)

    def __call__(self, text: str) -> Iterator[re.Match[str]]:
        match, search, breaks = self.pattern.match, self.rest.search, self.breaks
        pos = 0
        while True:
            # at pos itself (the text start, or just after a comma or line break), the pattern is asked
            m = match(text, pos) if pos == 0 or text[pos - 1] in breaks else None
            if m is None:
                found = search(text, pos)  # the first comma or line break at or after pos the rest follows
                if found is None:
                    return
                m = match(text, found.start() + 1)
                if m is None:  # cannot happen (the same rest at the same place); stay exact if it does
                    pos = found.start() + 1
                    continue
            yield m
            pos = m.end() if m.end() > pos else pos + 1  # finditer's step (a label match is never empty)


class _NotAfterWord:
    """``pattern.finditer(text)`` of a pattern that opens with ``(?=[<first letters>])(?<![\\w/-])``, as a
    callable: the rest is searched without that opening, which lets re skip in compiled code to the
    places the rest can start (an alternation of capitals: re scans for its first letters; with the
    lookarounds first it runs them at every character), and a place found is taken only where the
    opening holds too, else the search goes on from the next character. The matches, their groups and
    their order are finditer's (a match of the rest never starts left of finditer's next one, and at the
    same place it is the same match). tests/test_sections_scan.py checks this on arbitrary text."""

    __slots__ = ("first", "opening", "pattern", "rest", "search")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        opening = _NOT_AFTER_OPENING.match(pattern.pattern)
        if opening is None or pattern.flags & (re.IGNORECASE | re.MULTILINE):
            raise ValueError("the pattern must open with (?=[...])(?<![\\w/-]) and be case-sensitive")
        self.pattern = pattern
        self.first = re.compile(f"[{opening.group('first')}]").match
        self.opening = re.compile(rf"(?<![\w/-])[{opening.group('first')}]")  # where ``opens`` holds, as a pattern
        self.rest = re.compile(pattern.pattern[opening.end() :], pattern.flags)  # the pattern without its opening
        self.search = self.rest.search

    def opens(self, text: str, start: int) -> bool:
        """Whether the opening holds at ``start``: a first letter, not after a word character, / or -."""
        return self.first(text, start) is not None and not (start and _WORDISH.match(text, start - 1) is not None)

    def __call__(self, text: str) -> Iterator[re.Match[str]]:
        search, first, word = self.search, self.first, _WORDISH.match
        pos = 0
        while (m := search(text, pos)) is not None:
            start = m.start()
            if first(text, start) is None or (start and word(text, start - 1) is not None):
                pos = start + 1  # the opening fails here: no match of the pattern starts here
                continue
            yield m
            pos = m.end() if m.end() > start else start + 1  # finditer's step (a header match is never empty)


_NOT_AFTER_OPENING = re.compile(r"\(\?=\[(?P<first>(?:[^\]\\]|\\.)+)\]\)\(\?<!\[\\w/-\]\)")
_WORDISH = re.compile(r"[\w/-]")
_LABEL_SCAN = _AfterBreaks(_LABEL)
_WHOLE_LABEL_SCAN = _AfterBreaks(_WHOLE_LABEL)
_LINE_LABEL_SCAN = _AfterBreaks(_LINE_LABEL)
_STUDY_LINE_SCAN = _AfterBreaks(_STUDY_LINE_LABEL)
_STUDY_SITE_LINE_SCAN = _AfterBreaks(_STUDY_SITE_LINE_LABEL)
# The same label scans from the colons back (components/colon_scan.py). Read backwards from its colon, a label
# holds: blanks, then maybe a short parenthesis (which may hold commas), then capitals, digits, /&'- and blanks
# (_LABEL); list marks, a list number and the same (_WHOLE_LABEL). Neither takes the comma or line break before it.
_LABEL_COLON_SCAN = BreakLabels(_LABEL, r"[ \t]*(?:\)[A-Za-z0-9 /.,'-]{1,24}\()?[ \tA-Z0-9/&'-]*")
_WHOLE_LABEL_COLON_SCAN = BreakLabels(_WHOLE_LABEL, r"[ \t>*#\-\d.)A-Z/&']*")


def _study_labels(text: str, midline: bool, site_first: bool) -> Iterator[re.Match[str]]:
    """A note's study labels with their results: at line starts (``site_first``: one naming its body part first
    may be there), then (``midline``: the text may have one) in mid-line after a sentence's stop, not inside a
    parenthesis its line left open (a past history's "(Echo showed: ... MRI brain: ...)" retells old studies)."""
    yield from _STUDY_LINE_SCAN(text)
    if site_first:
        yield from _STUDY_SITE_LINE_SCAN(text)
    if not midline:
        return
    after = 0  # the end of the last label found (finditer's matches do not overlap)
    # The line's start and its last "(" and ")" before a stop, carried from stop to stop: each stop reads only the
    # text after the one before (reading back to the line's start from each made one long line quadratic).
    read, line, opened, closed = 0, -1, -1, -1
    for candidate in _MIDLINE_CANDIDATE.finditer(text):
        stop = candidate.start()
        m = _STUDY_MIDLINE_LABEL.match(text, stop) if stop >= after else None
        if m is None or _NOT_A_SENTENCE_END.search(text, max(0, stop - 8), stop) is not None:
            continue
        after = m.end()
        line = max(line, text.rfind("\n", read, stop), text.rfind(".,", max(0, read - 1), stop))
        opened, closed = max(opened, text.rfind("(", read, stop)), max(closed, text.rfind(")", read, stop))
        read = stop
        if (opened if opened > line else -1) <= (closed if closed > line else -1):
            yield m


def _first_line(text: str, start: int) -> str:
    """The title-like start of the line at ``start``, after a header and a list number that open it: up
    to its first comma or sentence end, at most 200 characters ("CT-GUIDED BIOPSY OF THE ILIUM";
    "Left heart catheterization" of "PROCEDURES PERFORMED:,1.  Left heart catheterization.")."""
    start = _TITLE_START.match(text, start).end()  # type: ignore[union-attr]
    m = _TITLE_END.search(text, start, start + 200)
    return text[start : m.start() if m else start + 200]


_TITLE_TAIL = re.compile(r", [ \t]*([^,\n]{1,30}?)(?:\n|,|\.(?:\s|$)|$)")


def _title_line(text: str) -> str:
    """The first line read as a title: its start (``_first_line``) and, after a comma and a space, one short
    part more, where titles often put the views or contrast ("RIGHT WRIST, 3 VIEWS", "LEFT HIP, 2 VIEWS";
    session 21). An export's glued comma (",1.  Left heart catheterization") stays an end."""
    head = _first_line(text, 0)
    start = _TITLE_START.match(text, 0).end()  # type: ignore[union-attr]
    tail = _TITLE_TAIL.match(text, start + len(head))
    return head if tail is None else head + ", " + tail.group(1)


class _Norms(OrderedDict):  # type: ignore[type-arg]
    """Headers' keys, remembered per header as written: the same few headers ("FINDINGS", "IMPRESSION") recur in
    every report, and each is keyed several times per report (the document type, the section's category, the
    checks on the sections found: about 25 keyings a public report); a lookup costs about a quarter of the
    reading. Asked through ``__getitem__`` (``_norm``): a header seen before is answered in compiled code, without
    a Python frame; a new one is read in ``__missing__``."""

    def __missing__(self, header: str) -> str:
        return remember(self, header, " ".join(header.lower().split()), _NORMS_REMEMBERED)


_NORMS_REMEMBERED = 5_000
_NORMS = _Norms()
# A header's key: lower case, blanks as one space.
_norm: Callable[[str], str] = _NORMS.__getitem__


# A mixed-case line label with its text after it: "Imaging this cycle: CT TAP ...", "O/E: power 4+/5", "OAU addendum
# 15:30: examined ..." (up to four words, a time before the colon allowed).
_OWN_LABEL_LINE = re.compile(
    r"^[ \t]*(?P<h>[A-Z][A-Za-z/&'-]*(?:[ \t]+[A-Za-z/&'-]+){0,3}(?:[ \t]+\d{1,2}:\d{2})?)[ \t]*:[ \t]+(?=\S)",
    re.MULTILINE,
)


def _end_at_label(text: str, sections: list[Section], headers: frozenset[str]) -> list[Section]:
    """A section opened by one of ``headers`` (a British note's mixed-case "Background:", the patient's story)
    ends at the next line that opens with a label of its own, known or not ("Imaging this cycle: CT TAP ...",
    "MDT opinion: ...", "O/E: ..."): what follows is not that story, and is read as an unknown ALL CAPS label's
    text is (findings). Its own first line and the lines that wrap it stay in it (session 22)."""
    out: list[Section] = []
    for s in sections:
        if _norm(s.header) in headers:
            first = _LINE_END.search(text, s.body_start, s.end)
            if first is not None and s.name in (EXAM, FINDINGS) and not text[s.body_start : first.start()].strip():
                # an "IMAGING:" heading alone on its line heads what follows ("Chest: CT of the ribs today."); only
                # one that names its study on its own line ends at the next label (session 27)
                out.append(s)
                continue
            m = _OWN_LABEL_LINE.search(text, first.end(), s.end) if first is not None else None
            if m is not None:
                out.append(Section(s.name, s.header, s.start, s.body_start, m.start("h")))
                out.append(Section(FINDINGS, m.group("h"), m.start("h"), m.end(), s.end, label=True))
                continue
        out.append(s)
    return out


def _inline_comparisons(text: str, sections: list[Section]) -> list[Section]:
    """A 'COMPARISON: ...' line with its text on it ends at its line when a new line of text follows
    (a line ends at a line break or at a ".," glue)."""
    out: list[Section] = []
    for i, s in enumerate(sections):
        out.append(s)
        if s.name == COMPARISON:
            body = _text_after_its_line(text, s, sections[i + 1].start if i + 1 < len(sections) else len(text))
            if body is not None:
                out.append(body)
    return out


_READ_SECTIONS = frozenset({FINDINGS, _IMPRESSION})  # the sections a radiology report's reading is written in


def _body_after_last_indication(text: str, sections: list[Section]) -> list[Section]:
    """A radiology report whose reading has no header of its own ("FINAL INTERPRETATION:" left empty, then
    "History: fall" and the reading on the next lines; "CHEST 2 VIEWS / History: cough / The lungs are
    clear."): the indication holds its text on its own line, so the new lines of text after that line are the
    findings, up to the end or to an impression below ("Indication: thigh pain." / "There is a lytic lesion
    ..." / "IMPRESSION: See above."; session 25). Not when a findings section holds text, nor an impression
    above: then the lines after a closing history are that history's."""
    i = len(sections) - 1
    if i >= 1 and sections[i].name == _IMPRESSION:
        i -= 1  # the indication's text may run to an impression below it
    last = sections[i] if i >= 0 else None
    if last is None or last.name not in _CLOSING_HEADS or any(
        s.name in _READ_SECTIONS and (s.name == FINDINGS or j < i)
        and text[s.body_start : s.end].strip(" \t\r\n,") and not _banner(text, s)
        for j, s in enumerate(sections) if j != i
    ):
        return sections
    body = _text_after_its_line(text, last, last.end)
    if body is not None and last.name == TECHNIQUE and _BLANK_LINE.search(text, last.body_start, body.start) is None:
        return sections  # a technique wraps onto its next lines ("Axial images.\nSagittal reformats."): a blank line
        # ends it ("Technique: 2 views." / blank line / "There is a lytic lesion ..."; session 26)
    if (body is not None and last is not sections[-1] and _LABELLED_LINE.match(text, body.start)
            and not _BODY_PART_LABEL.match(text, body.start)):
        # a labelled line opens it ("Original report: ...", "Preliminary report ... (on-call):", "L4-5: HNP"): a
        # part of its own (a quoted or preliminary read, a level the session 21 rule reads) that is left as it was
        return sections
    if body is not None and last.name == HISTORY and body.start - last.body_start > _ONE_LINE_HISTORY:
        return sections  # a history told at length ("HISTORY OF INJURY AND PRESENT COMPLAINTS:" then pages)
    return sections if body is None else [*sections[: i + 1], body, *sections[i + 1 :]]


# A line in capitals that may name an exam ("CT PELVIS WITHOUT CONTRAST", "WHOLE BODY BONE SCINTIGRAPHY"): no
# lower-case letter, no full stop or colon at its end, no date
_CAPS_LINE = re.compile(r"[ \t]*(?P<line>[A-Z][A-Z0-9 ,&/()+'-]{2,118}[A-Z0-9)])[ \t]*\r?\n?")
_LAST_LINE = re.compile(r"\n[ \t]*(?:\r?\n[ \t]*)*(?P<line>[^\n]*\S)[ \t\r\n]*\Z")


def _title_below_history(text: str, sections: list[Section], imaging: re.Pattern[str]) -> list[Section]:
    """A radiology report that opens with its history and names its exam on a line of capitals of its own below
    it, right above the findings ("Reason for exam: fall, hip pain." / "CT PELVIS WITHOUT CONTRAST" / "Findings:
    ..."): that line is the exam's title, not the history's words (session 32). Not where a title above the
    history names the exam already (a sub-report's heading below it stays the history's)."""
    out: list[Section] = []
    for i, s in enumerate(sections):
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        if (s.name not in _CLOSING_HISTORY or nxt is None or nxt.name not in (FINDINGS, TECHNIQUE, _IMPRESSION)
                or any(x.name == EXAM for x in out) or imaging.search(text, 0, s.start) is not None):
            out.append(s)
            continue
        last = _LAST_LINE.search(text, s.body_start, s.end)
        line = _CAPS_LINE.fullmatch(text, last.start("line"), s.end) if last is not None else None
        if (line is None or not text[s.body_start : last.start()].strip()
                or imaging.search(line.group("line")) is None or _DATE_IN_TITLE.search(line.group("line"))):
            out.append(s)
            continue
        out.append(Section(s.name, s.header, s.start, s.body_start, last.start("line")))
        out.append(Section(EXAM, "", last.start("line"), last.start("line"), s.end))
    return out


_DATE_IN_TITLE = re.compile(r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?|\b(?:PRIOR|PREVIOUS|COMPARISON|OUTSIDE)\b")


def _technique_to_heading(text: str, sections: list[Section]) -> list[Section]:
    """A radiology report's technique ends at a blank line and an ALL CAPS heading alone on its line over lines of
    text ("Technique: low-dose CT." / blank line / "SKELETAL SURVEY" / "Skull: lytic lesions."): the heading opens
    the findings, as a known one ("BONES") does (session 28). A heading of the technique's own data ("DOSE",
    "CONTRAST", "RADIATION DOSE REPORT") stays technique."""
    out: list[Section] = []
    for s in sections:
        m = _HEADING_AFTER_BLANK.search(text, s.body_start, s.end) if s.name == TECHNIQUE else None
        if m is not None and not _TECHNIQUE_HEADING.search(m.group("h")):
            out.append(Section(s.name, s.header, s.start, s.body_start, m.start("h")))
            out.append(Section(FINDINGS, m.group("h"), m.start("h"), m.end("h"), s.end, label=True))
            continue
        out.append(s)
    return out


# A blank line, then an ALL CAPS heading alone on its line (an optional colon), then a line of text.
_HEADING_AFTER_BLANK = re.compile(
    r"\n[ \t]*\r?\n[ \t]*(?P<h>[A-Z][A-Z0-9&/(),' -]{2,60}?)[ \t]*:?[ \t]*\r?\n(?=[ \t]*[A-Za-z0-9])")
_TECHNIQUE_HEADING = re.compile(
    r"\b(?:DOSES?|DLP|CTDI\w*|CONTRAST|PROTOCOLS?|TECHNIQUES?|PARAMETERS|SEQUENCES|RECONSTRUCTIONS?|REFORMATS?|"
    r"RADIOPHARMACEUTICALS?|ACQUISITION|SCANNER|KV|MAS|SERIES|IMAGES)\b")


# "Hx:" is a radiology report's history category, "History:" its indication: either may close the header lines
_CLOSING_HISTORY = frozenset({INDICATION, HISTORY})
# ... and so may a technique line, when a blank line parts the reading from it (session 26)
_CLOSING_HEADS = frozenset({INDICATION, HISTORY, "technique"})  # TECHNIQUE, defined below
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
_LABELLED_LINE = re.compile(r"[^\n:]{1,80}:")  # a line that opens with its label and colon
# ... but a label that names a body part or a part of the study ("Head:", "Cervical spine:", "Pelvis:", "Planar
# images:", "SPECT:") heads a part of the reading itself, never a quoted or preliminary read (session 31)
_BODY_PART_LABEL = re.compile(
    r"[ \t>*-]*(?:(?:left|right|bilateral|cervical|thoracic|lumbar|lumbosacral|sacral|upper|lower|whole|axial|"
    r"appendicular|facial)[ \t]+)*(?:head|brain|face|skull|neck|chest|thorax|lungs?|abdomen|pelvis|hips?|spine|"
    r"[ctl]-spine|bones?|skeleton|shoulders?|knees?|femurs?|femora|humer(?:us|i)|ribs?|sacrum|extremit(?:y|ies)|"
    r"planar(?:[ \t]+(?:images|views))?|whole[ \t]+body|spect(?:/ct)?|blood[ \t]+pool|delayed[ \t]+(?:images|views))"
    r"[ \t]*:", re.I)
_ONE_LINE_HISTORY = 200  # characters: "Hx: fall from ladder, LBP", not a narrative's paragraph
# A banner line under a title ("** PRELIMINARY REPORT - FINAL TO FOLLOW **", "=== WET READ ==="): decoration first
_BANNER = re.compile(r"[ \t]*[*=#~_-]{2,}[^\n]*\n?")


def _opens_its_line(text: str, start: int) -> bool:
    """Only spaces, tabs and list marks (">", "*", "-") stand between ``start`` and its line's start. Read back
    from ``start`` over those marks alone, not the line: a history told on one long line holds thousands of study
    labels."""
    i = start - 1
    while i >= 0 and text[i] in " \t>*-":
        i -= 1
    return i < 0 or text[i] == "\n"


def _banner(text: str, s: Section) -> bool:
    """Whether section ``s`` is only a banner line under the title, whose known words ("PRELIMINARY REPORT")
    open a header: a report's status, holding no reading of its own."""
    line_start = text.rfind("\n", 0, s.start) + 1
    m = _BANNER.match(text, line_start)
    return m is not None and m.end() >= s.end


def _text_after_its_line(text: str, s: Section, end: int) -> Section | None:
    """Findings from the line after the first line of section ``s`` to ``end``, when that first line holds
    text and a new line of text (a capital or a digit first) follows it; else None."""
    m = _LINE_END.search(text, s.body_start, end)
    if m is None or not text[s.body_start : m.start()].strip(" \t,"):
        return None
    rest = text[m.end() : end].lstrip(" \t\r\n,")  # ", ," is an export's empty line
    first = rest[:1]
    if first and (first.isupper() or first.isdigit()):
        start = end - len(rest)
        return Section(FINDINGS, "", start, start, end)
    return None


TECHNIQUE = "technique"
# A templated finding line: at a line start, a label that names a finding, its colon, and an answer that ends
# the line or is followed by a comma, stop or semicolon ("Findings suspicious for metastasis: No",
# "Abnormal uptake: Yes, both knees"). "Contrast: None" names no finding and stays technique.
_TEMPLATED_LINE = re.compile(
    r"^[ \t>*\-]*(?:\d{1,2}[.)][ \t]*)?(?P<label>[A-Za-z][A-Za-z /'-]{0,60}?)[ \t]*:[ \t]*"
    r"(?:yes|no|none|nil|absent|present|negative|positive|not (?:seen|identified|present|detected)|seen|identified"
    r"|indeterminate|equivocal|possible|questionable|normal|unremarkable|maintained|preserved)[ \t]*(?:[.,;]|\r?$)",
    re.IGNORECASE | re.MULTILINE,
)
_FINDING_WORD = re.compile(
    r"\b(?:findings?|abnormal\w*|uptake|lesions?|metasta\w*|mets|fractures?|compression|stenosis|herniation"
    r"|bulge|\w*listhesis|mass(?:es)?|destruction|collapse"
    # a structured spine report's survey fields ("Alignment: Normal", "Marrow signal: normal"; session 22)
    r"|alignment|marrow|conus|vertebral bod(?:y|ies)|paraspinal)\b",
    re.IGNORECASE,
)


# A spine report's line that opens with its disc level and a colon ("L3-4: Normal.", "C5/6: ...", "T12-L1 through
# L2-3: ...") reads that level: below a one-line indication with no findings header, the findings begin there.
_LEVEL_LINE = re.compile(r"^[ \t>*\-]*[CTL]\d{1,2}[ \t]*[-/][ \t]*(?:[CTLS]\d{1,2}|\d{1,2})\b[^\n.:]{0,40}:", re.MULTILINE)
# A line that opens with a part of a nuclear medicine study and a colon ("Planar images:", "Delayed views:",
# "Blood pool phase:", "Whole body images:"): the study's reading, below a one-line indication (session 31).
_STUDY_PART_LINE = re.compile(
    r"^[ \t>*\-]*(?:planar|delayed|blood[ \t]+pool|flow|whole[ \t-]+body|static)(?:[ \t]+(?:images|views|phase|imaging))?"
    r"[ \t]*:", re.MULTILINE | re.IGNORECASE)


# A requisition's risk-factor field is history, not a finding ("Previous fracture: yes", "Parental hip fracture: no").
_PAST_WORD = re.compile(
    r"\b(?:previous|prior|past|history|hx|h/o|parental|parent|family|mother|father|old|known)\b", re.IGNORECASE
)


def _is_title(text: str, end: int, imaging: re.Pattern[str]) -> bool:
    """The text before a radiology report's first header is its title when it is one line that names an
    imaging study: it names the study and says what was asked ("XR FEMUR - ?FRACTURE"), no finding
    (labels.md section 3)."""
    head = text[:end].strip()
    return bool(head) and "\n" not in head and len(head) <= 120 and imaging.search(head) is not None


def _templated_findings(
    text: str, sections: list[Section], also: tuple[str, ...] = (), *, pathology: bool = False
) -> list[Section]:
    """A technique section ends at its first templated finding line ("Radiopharmaceutical: Tc-99m MDP" then
    "Findings suspicious for metastasis: No"): that line and the rest of the section are findings. So does a
    radiology report's indication (``also``), when a structured template follows its one line with finding
    fields ("Clinical details: ..." then "Vertebral collapse: none.", "Cord compression: no."; session 20), or
    when a spine report's level lines follow it ("L3-4: Normal.", session 21). A pathology report's "Procedure:"
    is a synoptic field of one line ("Procedure: Resection" then "Histologic type: Metastatic carcinoma"): the
    report's fields go on below it (session 22)."""
    out: list[Section] = []
    for i, s in enumerate(sections):
        out.append(s)
        if s.name != TECHNIQUE and s.name not in also:
            continue
        end = sections[i + 1].start if i + 1 < len(sections) else len(text)
        line = _LINE_END.search(text, s.body_start, end)  # the header's own line names the technique
        pos = line.end() if line is not None else end
        if pathology and s.name == TECHNIQUE:
            if text[pos:end].strip():
                out.append(Section(FINDINGS, "", pos, pos, end))
            continue
        found = pos
        while (m := _TEMPLATED_LINE.search(text, found, end)) is not None:
            label = m.group("label")
            if _FINDING_WORD.search(label) and not (s.name in also and _PAST_WORD.search(label)):
                break
            found = m.end()
        # level lines read the findings only where no findings header holds them ("History:" then "L4-5: HNP
        # on the 2024 MRI" and then "FINDINGS:" is the history's)
        level = (
            _LEVEL_LINE.search(text, pos, m.start() if m is not None else end)
            if s.name in also and not any(x.name == FINDINGS for x in sections) else None
        )
        if level is None and s.name in also:
            # a nuclear study's own part ("Planar images: increased uptake at L3", then "SPECT: ..."): its reading,
            # whatever header follows (session 31)
            level = _STUDY_PART_LINE.search(text, pos, m.start() if m is not None else end)
        start = level.start() if level is not None else m.start() if m is not None else -1
        if start >= 0 and level is None and s.name in also:
            start = _field_block_start(text, pos, start)
        if start >= 0:
            out.append(Section(FINDINGS, "", start, start, end))
    return out


_FIELD_LINE = re.compile(r"[ \t>*\-]*(?P<label>[A-Za-z][A-Za-z /'-]{0,40}?)[ \t]*:[ \t]*\S")


def _field_block_start(text: str, pos: int, start: int) -> int:
    """Where the block of field lines that holds the templated finding line at ``start`` opens, when a blank line
    parts that block from the indication's line ("Indication: shin pain." / blank line / "Location: left tibia" /
    "Lesion: 2 cm lytic lesion ..." / "Fracture: No"): the template's fields above its finding line are its
    findings too (session 27). Every line of the block must be a "Label: text" field whose label tells no past
    ("Prior fracture: yes" stays the requisition's); else ``start`` as it was."""
    lo = max(0, pos - 1)  # pos opens the line after the indication's
    blank = max(text.rfind("\n\n", lo, start), text.rfind("\n\r\n", lo, start))  # CRLF lines too
    if blank < 0:
        return start
    first = text.index("\n", blank + 1) + 1
    line = first
    while line < start:
        m = _FIELD_LINE.match(text, line)
        if m is None or _PAST_WORD.search(m.group("label")):
            return start
        nl = text.find("\n", line, start)
        line = start if nl < 0 else nl + 1
    return first


# a final read that only agrees with the preliminary one, its whole sentence ("Attending over-read: Agree with the
# preliminary interpretation."; not "Agree with the preliminary comment regarding the hip: ...", which goes on with
# its own read) keeps it as it is (docs/labels.md section 3; session 26)
_AGREES = re.compile(
    r"[ \t]*(?:i[ \t]+)?(?:agree|concur)s?"
    r"(?:[ \t]+with[ \t]+(?:the[ \t]+|your[ \t]+)?(?:preliminary|prelim|above|resident(?:'s)?|initial)"
    r"(?:[ \t]+(?:read|reading|report|interpretation|findings|impression))?)?[ \t]*(?:[.\n]|$)", re.I)


def _supersede_preliminary(sections: list[Section], preliminary: frozenset[str], final: frozenset[str],
                           text: str) -> None:
    """A preliminary read's section above a final read's becomes a comparison, in place: the final read
    replaced it ("Preliminary (radiographer): ?lytic area." then "Consultant report: ... bowel gas"), unless
    the final read opens by agreeing with it."""
    last_final = -1
    for i, s in enumerate(sections):
        if s.header and _norm(s.header) in final:
            last_final = i
    if last_final > 0 and _AGREES.match(text, sections[last_final].body_start) is not None:
        return
    for i in range(last_final):
        s = sections[i]
        if s.header and _norm(s.header) in preliminary:
            sections[i] = Section(COMPARISON, s.header, s.start, s.body_start, s.end, s.label)


def _copied_below(sections: list[Section], start: int, name: str) -> list[Section]:
    """The sections with everything from ``start`` on (an earlier note pasted below a divider) made ``name``:
    the section the divider falls in is cut there."""
    out: list[Section] = []
    for s in sections:
        if s.end <= start:
            out.append(s)
        elif s.start < start:
            out.append(Section(s.name, s.header, s.start, min(s.body_start, start), start, s.label))
            out.append(Section(name, "", start, start, s.end))
        else:
            out.append(Section(name, s.header, s.start, s.body_start, s.end, s.label))
    return out


def _fix_ends(sections: list[Section], n: int) -> list[Section]:
    fixed = []
    for i, s in enumerate(sections):
        end = sections[i + 1].start if i + 1 < len(sections) else n
        # a frozen dataclass costs about 1 us to build: one whose end is right already is kept
        fixed.append(s if s.end == end else Section(s.name, s.header, s.start, s.body_start, end, s.label))
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
