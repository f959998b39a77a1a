"""Link each mention to the anatomy its clause names (labels.md section 6).

Anatomy is matched with the regexes of `patterns/anatomy.json`, once per sentence that holds
a mention. Within the mention's clause (the sentence cut at ";" and at but/however/although/
whereas), the mention takes the nearest group of spine levels and the nearest group of
bones/organs/joints/regions, so "a liver metastasis and a T5 lytic lesion" keeps each site
with its own finding, while "At L4-5, bulge, facet arthropathy and stenosis" gives all three
the level. Laterality attaches to the anatomy word it precedes and to the mention it touches.
"""


import itertools
import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from reportnlp.nlp import levels
from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.components._rules import RuleComponent, with_rules
from reportnlp.nlp.components.annotations import MentionInfo, info_table
from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.sections import section_at
from reportnlp.nlp.components.tables import SentenceTable, TokenTable, sentence_table, span_rows, token_table
from reportnlp.nlp.literals import required_any
from reportnlp.nlp.regex_scan import RegexScan
from reportnlp.nlp.rules import compile_regex
from reportnlp.nlp.safe_regex import SafePattern

_REMEMBERED = 10_000  # sentence texts whose anatomy is remembered (the most recent ones)
_UNKNOWN = object()  # not in a memo table
CLAUSE_BREAKS = {";", "but", "however", "although", "whereas", "though"}
_IS_BREAK = CLAUSE_BREAKS.__contains__
SITE_KINDS = {"bone", "organ", "region", "joint"}
ANCHOR_KINDS = {"level", "bone", "organ"}  # what a pointing-back sentence takes from the one before
ANTECEDENT_GROUPS = {"bone_lesion", "benign", "fracture", "cord"}
# A differential after a semicolon names what the finding before it may be ("increased enhancement in the
# posterior T12 body; differential includes in-field recurrence vs post-radiation change"): the semicolon cuts no
# clause there, so the differential's words take the finding's site (session 26).
_DIFFERENTIAL_AFTER = re.compile(
    r"[ \t\n]*(?:the[ \t]+)?(?:differential|ddx)(?:[ \t]+(?:diagnosis|diagnoses|considerations?))?"
    r"(?:[ \t]*:|[ \t]+(?:includes?|including|is|are|of|would[ \t]+include))", re.I)
# Levels joined by "and", a comma or a range word, or by their vertebrae's name ("the C7, T4 and T9 vertebral bodies
# and the S1 and S2 segments": one group; session 32).
_LEVEL_GAP = re.compile(
    r"[\s,/&]*(?:(?:and|or|through|thru|to|from|at|levels?|the|as well as|vertebral\s+bod(?:y|ies)|vertebrae|"
    r"bod(?:y|ies)|segments?)\b[\s,/&]*)*",
    re.I,
)
# A rib's number or a run of them ("6th", "4th-6th", "6th and 7th", "8th, 9th and 10th", "fourth through sixth"):
# one word where a side reaches over words to its bone (session 32).
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
_ORDINALS = rf"{_ORDINAL}(?:(?:\s*[,/\u2013-]\s*(?:and\s+)?|\s+(?:and|or|through|thru|to)\s+){_ORDINAL})*\b"
# Sites joined by "and", maybe with its own preposition ("in both knees and at the lower lumbar facet joints": one
# group, so a generic word before them reaches the spine too; session 22), or by a comma, slash or position word. A rib's side
# and number go between ribs ("right posterior 6th and 7th ribs, left lateral 4th-6th ribs", session 32).
_SITE_GAP = re.compile(
    r"[\s,/&]*(?:(?:and\s+(?:at|in|within)|and|or|of|the|both|left|right|bilateral|multiple|several|proximal|distal|mid|"
    r"upper|lower|anterior|posterior|lateral|medial|posterolateral|anterolateral|"
    rf"through|thru|[a-z]+th|first|second|third|{_ORDINAL}(?:[ \t]*[\u2013-][ \t]*{_ORDINAL})?)\b[\s,/&]*)*",
    re.I,
)
# A spine level or a run of them ("L2 and L3", "C5-C6", "T11-L1") between a side and its word counts as no word: "right
# C5-C6 foraminal stenosis", "left L2 and L3 transverse processes" (session 32).
_LEVELS = (r"[CTLS]\d{1,2}(?:[-/][CTLS]?\d{1,2})?"
           r"(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|or|through|to)[ \t]+)[CTLS]\d{1,2}(?:[-/][CTLS]?\d{1,2})?)*")
# the level may also follow the word ("left paracentral L4/5 disc prolapse"; session 34)
_LATERAL_BEFORE = re.compile(rf"\b(left|right|bilateral)\s+(?:{_LEVELS}\s+)?(?:\w+\s+)?(?:{_LEVELS}\s+)?$", re.I)
# A bone's side may stand two words before it ("left anterior 6th rib", "right posterolateral 9th rib"), never
# across another side word ("left and right ribs" is the right's) nor after an adverb's "right" ("right at the
# bladder neck"); a mention's side stays one word away (session 19).
# A rib's run of numbers counts as one of those words ("right 6th and 7th posterior ribs", "left 4th-6th ribs",
# session 32).
_SITE_SIDE_BEFORE = re.compile(
    rf"\b(left|right|bilateral)\s+(?:(?:{_ORDINALS}|{_LEVELS}|(?!(?:left|right|bilateral|at|in|on|into|onto|to|next|here|there|now|"
    r"away|after|before|about|around|over|under|behind|above|below|through|along|up|down)\b)\w+)\s+){0,2}$",
    re.I,
)
# A side right after its site, "on the left" or "bilaterally" ("fracture of the 8th rib on the left", "the 5th and 6th
# ribs on the right"; session 32), where none stands before it.
_SITE_SIDE_AFTER = re.compile(r"[ \t]+(?:on[ \t]+the[ \t]+(left|right)\b(?![ \t]+(?:of|than|and)\b)|(bilaterally)\b)", re.I)
_SITE_SIDE_REACH = 40  # characters before a site searched for its side (a side, two words, a run of rib numbers)
# "Both" right before a bone or joint, or a word before it, is its side: bilateral ("both proximal femora", "both
# femurs", "both knees"; session 32); not before an article or a list's "of" / "and" ("both the liver and the spleen"),
# nor "both bones" of a forearm.
_BOTH_BEFORE = re.compile(r"\b(both)\s+(?:(?!(?:the|of|and|or|these|those|sides?)\b)\w+\s+)?$", re.I)
_BOTH_REACH = 24
_BOTH_KINDS = ("bone", "joint")  # "both kidneys" or "both lobes" (of one lung?) are left alone
# A side inside a site's own words after "of the" ("the frontal process of the left maxilla", "the medial wall of
# the right orbit", session 30) is the site's side when none stands before it.
_SITE_SIDE_INSIDE = re.compile(r"\bof\s+the\s+(left|right|bilateral)\b", re.I)


def _lateral_before(text: str, lo: int, hi: int, pattern: re.Pattern[str] = _LATERAL_BEFORE) -> re.Match[str] | None:
    """``pattern.search(text, lo, hi)`` (``_LATERAL_BEFORE`` or ``_SITE_SIDE_BEFORE``, both opening with a side word). An
    ASCII window is matched only at its side words, in order (str.find: a C scan), instead of searched (the search
    tries the pattern at each of its characters; it is read before every mention and anatomy item). A non-ASCII window
    is always searched (case folding: a dotless "ı" matches "i")."""
    window = text[lo:hi]
    if not window.isascii():
        return pattern.search(text, lo, hi)
    low = window.lower()
    k = _next_side_word(low, 0)
    while k >= 0:  # the side words in order, as the search meets them: the same match
        m = pattern.match(text, lo + k, hi)
        if m is not None:
            return m
        k = _next_side_word(low, k + 1)
    return None


def _may_name_side(text: str, lo: int, hi: int) -> bool:
    """Whether the clause text[lo:hi] may hold the side word a mention's side is read from (_LATERAL_BEFORE and
    _LATERAL_AFTER, both inside the clause): "left", "right" or "bilateral(ly)" in an ASCII clause's lower case, and
    always for a clause beyond ASCII (case folding: a dotted "İ" matches "i"). Most clauses name no side: their
    mentions' two regex reads are skipped, once per clause."""
    clause = text[lo:hi]
    if not clause.isascii():
        return True
    low = clause.lower()
    return "left" in low or "right" in low or "bilateral" in low


def _next_side_word(low: str, at: int) -> int:
    """The first offset from ``at`` of "left", "right" or "bilateral" in lower-case ``low``, -1 when none."""
    found = [k for k in (low.find("left", at), low.find("right", at), low.find("bilateral", at)) if k >= 0]
    return min(found) if found else -1


# A mention's side after it, maybe after its own level ("herniated nucleus pulposus at L4-L5 on the left"; session 32).
_LATERAL_AFTER = re.compile(
    rf"\s*(?:(?:at|of)\s+(?:the\s+)?{_LEVELS}(?:\s+levels?)?\s+on\s+the\s+|on\s+the\s+|,\s*)?"
    r"(left|right|bilaterally|bilateral)\b",
    re.I,
)
_RANGE_WORDS = re.compile(r"\b(?:through|thru|to)\b", re.I)
# A level heading: a sentence that opens with levels and a colon ("L4-5:", "C2-3, C3-4:").
_LEVEL = r"[CTLS]\d{1,2}(?:[-/–]?[CTLS]?\d{1,2})?"
# With its level word after it ("L3-4 level:", "L5-S1 levels:"; session 32).
_HEADING = re.compile(rf"\s*(?:at\s+)?{_LEVEL}(?:\s*(?:,|and|&)\s*{_LEVEL})*\s*(?:levels?\s*)?:", re.I)
_HEADING_FIRST = frozenset("aAcCtTlLsS\u017f")  # a sentence starts at a token (no leading space); ſ folds to s


# Every _HEADING match ends with a level's digit, maybe blanks and "level(s)", then its colon: the same read backwards,
# opening with that colon, is searched in the text reversed (re skips to each colon in compiled code, where the forward
# search tried its digit test at every character: about five times as slow).
_HEADING_END_REVERSED = re.compile(r":\s*(?:s?level\s*)?\d", re.I)


def _may_hold_heading(text: str) -> bool:
    """Whether any sentence of the text may be a level heading ("L4-5:"): false when no colon follows a digit as a
    heading's does. Nearly every report (all but 215 of the 5,024 public development texts, those with a time or a
    ratio before a colon) holds none, and then no mention's walk back to a heading is needed."""
    return _HEADING_END_REVERSED.search(text[::-1]) is not None


def _may_head(text: str, at: int) -> bool:
    """Whether a sentence whose first token starts at ``at`` can match ``_HEADING``: "at", or a level's letter and
    a digit (``\\d``: any Unicode digit, as ``str.isdecimal``). Most sentences that open with one of those letters
    ("The", "She", "There", "CT") fail on the second character, without the regex (session 28)."""
    first, second = text[at], text[at + 1 : at + 2]
    if first in "aA":
        return second in "tT"  # ("" at the text's end: let through, the regex decides)
    return first in _HEADING_FIRST and (second.isdecimal() or not second)


# Concepts whose site is read within their own list item (labels.md, bone_metastasis): in "ischemic
# cecum with metastatic disease, hydronephrosis, renal failure" the kidney is another item's, while in
# "metastatic carcinoma, left obturator lymph node" the item after the comma names the site.
LIST_ITEM_SITES = {"metastasis"}
_LIST_ITEM_HASHES = {hash_string(name) for name in LIST_ITEM_SITES}  # span.label of those concepts
_MODALITY_HASH = hash_string("modality")

@dataclass(slots=True)
class Anatomy:
    kind: str
    text: str
    start: int
    end: int
    value: str | None = None
    region: str | None = None
    levels: list[str] = field(default_factory=list)
    level_type: str | None = None
    laterality: str | None = None
    rule: str = ""
    inherited: bool = False
    antecedent: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}
        # "value", "region", "level_type", "laterality" when set, in that order (written out: once per
        # anatomy per mention)
        if self.value is not None:
            out["value"] = self.value
        if self.region is not None:
            out["region"] = self.region
        if self.level_type is not None:
            out["level_type"] = self.level_type
        if self.laterality is not None:
            out["laterality"] = self.laterality
        if self.levels:
            out["levels"] = list(self.levels)
        if self.inherited:
            out["inherited"] = True
        if self.antecedent:
            out["antecedent"] = True
        out["rule"] = self.rule
        return out


def _frozen(a: Anatomy, offset: int = 0) -> tuple[Any, ...]:
    """An Anatomy's fields as found at ``offset``, as a tuple at offset 0 (for ``_shifted``)."""
    return (a.kind, a.text, a.start - offset, a.end - offset, a.value, a.region, tuple(a.levels), a.level_type,
            a.laterality, a.rule, a.inherited)


def _shifted(fields: tuple[Any, ...], offset: int) -> Anatomy:
    """A fresh Anatomy from ``_frozen`` fields found at offset 0 (the linker changes its levels)."""
    kind, text, start, end, value, region, found_levels, level_type, laterality, rule, inherited = fields
    return Anatomy(
        kind, text, start + offset, end + offset, value, region, list(found_levels), level_type, laterality, rule, inherited
    )


def _copy(
    a: Anatomy, inherited: bool | None = None, antecedent: bool | None = None, laterality: str | None = None
) -> Anatomy:
    """``Anatomy(**_fields(a))``: a new Anatomy with the same field values (the same levels list), with ``inherited``,
    ``antecedent`` or ``laterality`` set when given (written out: a dict of the fields and its unpacking cost several
    times as much for each heading level and antecedent a mention takes)."""
    return Anatomy(a.kind, a.text, a.start, a.end, a.value, a.region, a.levels, a.level_type,
                   a.laterality if laterality is None else laterality, a.rule,
                   a.inherited if inherited is None else inherited, a.antecedent if antecedent is None else antecedent)


def _clause_key(text: str, lo: int, hi: int) -> tuple[str, str]:
    """A clause's text and the one character before it: all a search from ``lo`` to ``hi`` reads (``\\b``)."""
    return (text[lo - 1 : lo] if lo else "", text[lo:hi])


def _at_start(a: Anatomy) -> int:
    return a.start


def _fields(a: Anatomy) -> dict[str, Any]:
    return {name: getattr(a, name) for name in Anatomy.__slots__}


def _without_region_labels(sites: list[Anatomy], source: str) -> list[Anatomy]:
    """The sites without a region that heads its line as a label ("Chest: Nondisplaced fracture of the left
    6th rib."), when the clause names a bone: the bone is the finding's, the label the line's (session 18); nor a bone
    label the clause names again (``_named_again``).
    A study keeps it ("Chest: CT ..."): the region is what it imaged. ``sites`` itself when none is dropped."""
    if len(sites) < 2 or not any(a.kind in ("region", "bone") and source[a.end : a.end + 1] == ":" for a in sites):
        return sites
    kept = [a for a in sites if not (
        source[a.end : a.end + 1] == ":" and (a.kind == "region" or _named_again(a, sites))
        and not source[source.rfind("\n", 0, a.start) + 1 : a.start].strip()
    )]
    return kept if len(kept) < len(sites) and any(a.kind == "bone" for a in kept) else sites


def _named_again(label: Anatomy, sites: list[Anatomy]) -> bool:
    """A bone heading its line as a field label is named again after it ("Ribs: Healing fracture of the right 5th rib.",
    "Humeri: Lucent lesion in the proximal left humerus."): the finding's bone is the one its clause names, with its
    side and place, not the label (session 32)."""
    return label.kind == "bone" and any(
        a.kind == "bone" and a.value == label.value and a.start > label.end for a in sites
    )


def _laterality(word: str) -> str:
    word = word.lower()
    return "bilateral" if word.startswith("bilateral") or word == "both" else word


def _after_glued_query(text: str, start: int) -> bool:
    """The sentence at ``start`` opens in lower case right after a "?" that goes on a line of text ("opacities in
    both lungs, the largest in the left lower zone ? mets."): the sentence splitter ends a sentence at every "?",
    but this one is the line's query of the finding after it, whose sites are the line's (session 30). A "?" that
    ends a question ("Fracture? None seen.") is followed by a capital; one alone on its line opens no line."""
    if not text[start : start + 1].islower():
        return False
    before = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    return before.endswith("?") and bool(before[:-1].strip())


_SLIP_REACH = 60  # characters before "L5 on S1" searched for a slip word ("grade 1 spondylolisthesis of ...")


def _told_as_slip(slip_words: SafePattern, text: str, start: int, end: int) -> bool:
    """Whether "L5 on S1" is said of a slip ("spondylolisthesis of L5 on S1", "L4 on L5 anterolisthesis"): one of
    its rule's ``slip_words`` (the words that tell one vertebra slipped on the next) before it in its sentence or
    right after it. Its segment is then the level (session 34); "satisfactory alignment of C1 on C2" names the two
    vertebrae."""
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - _SLIP_REACH, 0)
    return slip_words.search(text, lo, start) is not None or slip_words.search(text, end, end + 30) is not None


class AnatomyFinder:
    """All anatomy in a stretch of text, non-overlapping, earliest and longest first."""

    def __init__(self, anatomy: dict[str, Any]) -> None:
        self.rules = [
            (r, compile_regex("anatomy.json", r["id"], r["regex"], re.IGNORECASE))
            for r in anatomy["anatomy_rules"]
            if r["kind"] != "laterality"  # laterality is read beside each site, not found on its own
        ]
        self.scan = RegexScan([rx for _, rx in self.rules])
        # each rule's kind, id, value and region, read once here rather than from its dict per match
        self.meta = [(r["kind"], r["id"], r.get("value"), r.get("region")) for r, _ in self.rules]
        # a level rule with slip words ("L5 on S1") is kept only where its sentence says a slip (_told_as_slip)
        self.slip_words = {
            index: compile_regex("anatomy.json", r["id"], r["metadata"]["slip_words"], re.IGNORECASE)
            for index, (r, _) in enumerate(self.rules) if "slip_words" in r.get("metadata", {})
        }
        rule = anatomy.get("sequences")
        # MRI sequence names ("on T1 and T2") look like levels but never are.
        self.sequences = compile_regex("anatomy.json", "sequences", rule["regex"], re.IGNORECASE) if rule else None
        rule = anatomy.get("references")
        # A bone or organ right after "than" is the tissue an uptake is measured against ("greater than marrow").
        self.references = compile_regex("anatomy.json", "references", rule["regex"], re.IGNORECASE) if rule else None

    def find(self, text: str, offset: int) -> list[Anatomy]:
        found: list[Anatomy] = []
        meta = self.meta
        # the reference words are looked for before a site only in a text that has "than" (str.find: a C scan)
        references = self.references if self.references is not None and ("than" in text or "THAN" in text) else None
        for index, matches in self.scan.found_in(text):
            kind, rule_id, value, region = meta[index]
            slip_words = self.slip_words.get(index)
            for m in matches:
                m_start, m_end = m.span()  # once: each of a SafeMatch's start(), end(), group() is a few calls
                if kind == "level":
                    if slip_words is not None and not _told_as_slip(slip_words, text, m_start, m_end):
                        continue  # "alignment of C1 on C2": two vertebrae, as the plain level rule finds them
                    level_type, found_levels = levels.normalize(m)
                    if found_levels:
                        found.append(Anatomy(
                            kind, text[m_start:m_end], offset + m_start, offset + m_end, None,
                            levels.region_of(found_levels[0]), found_levels, level_type, rule=rule_id,
                        ))
                    continue
                if references is not None and references.search(text, max(0, m_start - 40), m_start) is not None:
                    continue  # "greater than marrow": the reference tissue, no site (session 27)
                before = _lateral_before(text, max(0, m_start - _SITE_SIDE_REACH), m_start, _SITE_SIDE_BEFORE)
                if before is None and m_end - m_start > 12:
                    before = _SITE_SIDE_INSIDE.search(text, m_start, m_end)
                side = _laterality(before.group(1)) if before else None
                if side is None and text[m_end + 1 : m_end + 3].lower() in ("on", "bi"):
                    after = _SITE_SIDE_AFTER.match(text, m_end)
                    if after is not None:
                        side = _laterality(after.group(1) or after.group(2))
                if side is None and kind in _BOTH_KINDS and value != "bone":  # not "both bones" of a forearm
                    window = text[max(0, m_start - _BOTH_REACH) : m_start]
                    if "oth" in window or "OTH" in window:  # both, Both, BOTH (most sites: neither)
                        both = _BOTH_BEFORE.search(text, max(0, m_start - _BOTH_REACH), m_start)
                        side = _laterality(both.group(1)) if both else None
                found.append(Anatomy(
                    kind, text[m_start:m_end], offset + m_start, offset + m_end, value, region, laterality=side,
                    rule=rule_id,
                ))
        if self.sequences is not None and any(a.kind == "level" for a in found):
            spans = [(offset + m.start(), offset + m.end()) for m in self.sequences.finditer(text)]
            if spans:
                found = [
                    a for a in found
                    if a.kind != "level" or not any(lo < a.end and a.start < hi for lo, hi in spans)
                ]
        found.sort(key=lambda a: (a.start, -(a.end - a.start)))
        kept: list[Anatomy] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            kept.append(item)
        # A "mask" only hides the anatomy words inside it ("renal cell carcinoma": the primary, not a site).
        return [a for a in kept if a.kind != "mask"]


def _clusters(items: list[Anatomy], text: str, offset: int, gap: re.Pattern[str]) -> list[list[Anatomy]]:
    groups: list[list[Anatomy]] = []
    for item in items:
        if groups and gap.fullmatch(text[groups[-1][-1].end - offset : item.start - offset]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


# The most anatomy items a mention takes from one group. A group is a run of sites or levels joined by "and" or a
# comma; a real one holds a few (the development corpora at most 6 a mention), but an export can hold a list of
# thousands after a list of thousands of findings ("lytic lesion, lytic lesion, ... of the femur, tibia, ..."),
# and each finding taking the whole list made the record grow with the square of the text (100 kB: 3 GB of
# JSON). A longer group gives a mention the _GROUP_CAP items next to it (session 21).
_GROUP_CAP = 32


def _capped(group: list[Anatomy], start: int) -> list[Anatomy]:
    """``group``, or its _GROUP_CAP items nearest to a mention starting at ``start`` when it is longer: its
    first ones for a mention before it, its last ones for a mention after it, those around a mention inside."""
    if len(group) <= _GROUP_CAP:
        return group
    at = bisect_left(group, start, key=_at_start)
    first = min(max(0, at - _GROUP_CAP // 2), len(group) - _GROUP_CAP)
    return group[first : first + _GROUP_CAP]


class _Groups:
    """A clause's anatomy groups (in text order, apart) with their starts and ends, for ``nearest``."""

    __slots__ = ("ends", "groups", "offset", "starts", "text")

    def __init__(self, groups: list[list[Anatomy]], text: str = "", offset: int = 0) -> None:
        self.groups = groups
        self.starts = [g[0].start for g in groups]
        self.ends = [g[-1].end for g in groups]
        self.text, self.offset = text, offset  # the clause, for a site in an earlier answered field

    def nearest(self, start: int, end: int) -> list[Anatomy]:
        """The group nearest to text[start:end]: one it overlaps, else the closer of the group just
        before and the group just after (the one after on a tie). Groups are apart, so their starts and
        ends both increase: two bisections instead of a walk over every group."""
        groups = self.groups
        if len(groups) < 2:
            group = groups[0] if groups else []
        else:
            after = bisect_left(self.starts, end)  # first group starting at or after the end
            first_open = bisect_right(self.ends, start)  # first group ending after the start
            if first_open < after:
                group = groups[first_open]  # it overlaps the mention
                if after < len(groups) and self.text and self._bone_of_its_name(group, groups[after], end):
                    group = group + groups[after]
            elif after == len(groups):
                group = groups[-1]
            elif after == 0:
                group = groups[0]
            else:
                before, following = groups[after - 1], groups[after]
                group = before if start - before[-1].end < following[0].start - end else following
                if group is before and self.text and self._answered_before(before[-1].end, start, end, following[0].start):
                    group = following  # "Mets at dx-Bone: No  Mets at dx-Liver: Yes": the liver's (session 24)
                elif group is before and self.text and self._heads_site_list(before, end, following[0].start):
                    group = following
                elif group is before and self.text and self._own_site_after(before[-1].end, start, end, following[0].start):
                    group = following  # "Fluid in the pelvis and a lytic lesion in the left femur" (session 33)
        return group if len(group) <= _GROUP_CAP else _capped(group, start)

    def _bone_of_its_name(self, own: list[Anatomy], following: list[Anatomy], end: int) -> bool:
        """The group the mention overlaps is only bone in general, a word of its own name ("unicameral bone cyst",
        "bone island", "osseous metastases"), and a preposition joins the mention to the next group, which names
        more than bone in general: that group names its bone too ("... bone cyst of the proximal right humerus",
        "bone island in the left ilium"; session 28)."""
        o = self.offset
        if not all(_generic_bone(a) for a in own) or all(_generic_bone(a) for a in following):
            return False
        if _SITE_AFTER_NAME.fullmatch(self.text, end - o, following[0].start - o) is not None:
            return True
        # after a comma only a named bone: "bone lesions, liver and spleen" lists organs, not the lesions' sites
        return (following[0].kind == "bone"
                and _SITES_AFTER_COMMA.fullmatch(self.text, end - o, following[0].start - o) is not None)

    def _own_site_after(self, before_end: int, start: int, end: int, following_start: int) -> bool:
        """The mention opens a new phrase after "and" or a comma and names its own site right after it with a
        preposition: "Fluid in the pelvis and a lytic lesion in the left femur", "sclerotic focus in the right ilium,
        lytic lesion of the left femur". The site before was the other finding's (session 33)."""
        o = self.offset
        return (_NEW_PHRASE_BEFORE.fullmatch(self.text, before_end - o, start - o) is not None
                and _OWN_SITE_AFTER.fullmatch(self.text, end - o, following_start - o) is not None)

    def _heads_site_list(self, before: list[Anatomy], end: int, following_start: int) -> bool:
        """The mention heads, with a colon, the list of its sites right after it, and the group before it is only
        bone in general: "Multifocal bone Langerhans cell histiocytosis: right parietal bone and left ilium"
        (session 28)."""
        o = self.offset
        return (all(_generic_bone(a) for a in before)
                and _HEADS_LIST.fullmatch(self.text, end - o, following_start - o) is not None)

    def _answered_before(self, before_end: int, start: int, end: int, following_start: int) -> bool:
        """The site before a mention is an earlier field's, answered ("Bone: No  Mets at dx-Liver: Yes"), and the
        one right after it is the mention's own, a few joining characters on ("at dx-", "to the")."""
        o = self.offset
        return (following_start - end <= _FIELD_SITE_REACH
                and _ANSWERED.search(self.text, before_end - o, start - o) is not None
                and _FIELD_BREAK.search(self.text, end - o, following_start - o) is None)


# A colon and its answer between a site and a mention (_Groups._answered_before), and what a field's own site may
# not have between it and its mention.
_ANSWERED = re.compile(r":[ \t]*[A-Za-z0-9]")
_FIELD_BREAK = re.compile(r"[:;,.\n]")
_FIELD_SITE_REACH = 10


def _generic_bone(a: Anatomy) -> bool:
    """Bone in general ("bone", "osseous", "marrow"), no bone of its own."""
    return a.kind == "bone" and a.value in (None, "bone")


# A preposition between a mention and its bone named right after it ("bone cyst of the left proximal femur").
# A rib's run of numbers is one word there, and a level on the way is passed ("osseous metastases in the right
# posterior 6th and 7th ribs", "lytic osseous metastases to T6, right ribs and left ilium"; session 32).
def _site_after(prepositions: str) -> re.Pattern[str]:
    """One of ``prepositions``, maybe "the", and up to four words or runs of rib numbers: the way from a word to the
    bone named right after it."""
    return re.compile(rf"[ \t]+(?:{prepositions})[ \t]+(?:the[ \t]+)?(?:(?:{_ORDINALS}|[\w-]+,?)[ \t]+){{0,4}}", re.I)


_SITE_AFTER_NAME = _site_after("of|in|at|within|involving|to|throughout")
# An impression's sites listed after the finding's comma ("Osseous metastatic disease, thoracolumbar spine and left
# ilium"): the bones named right after it, a side or two words on (session 32).
_SITES_AFTER_COMMA = re.compile(r"[ \t]*,[ \t]*(?:(?:the|left|right|bilateral|both)[ \t]+){0,2}", re.I)
# A colon that opens the list of a mention's sites right after it ("...: right parietal bone and left ilium").
# Between a site and a mention that opens a new phrase: "and" or a comma, then an article, a size or a describing word
# or two ("pelvis and a 2.2 cm lytic lesion ...").
_NEW_PHRASE_BEFORE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|and[ \t]+)(?:(?:an?|the|[\d.]+|cm|mm|[\w-]+)[ \t]+){0,4}", re.I)
# A mention's own site right after it: a preposition of place, an article and up to four words or ordinals (not "to",
# which also opens a purpose: "CT angiogram to evaluate for possible brain stroke").
_OWN_SITE_AFTER = _site_after("of|in|at|within|involving|along|through")
_HEADS_LIST = re.compile(r"[ \t]*:[ \t]*(?:[\w-]+[ \t]+){0,3}")


# The groups of a clause whose sentence names no anatomy: shared, as ``nearest`` gives each mention a list of its own.
_NO_GROUPS: tuple[_Groups, _Groups, None] = (_Groups([]), _Groups([]), None)


class _Pressers:
    """The character spans of a doc's pressing mentions, sorted by start, with the longest span's length: whether
    a stretch of text touches one is two bisections and a look at the few spans that start near it, not a walk
    over every pressing mention of the report (a long list of "cord compression" stays linear: session 21)."""

    __slots__ = ("his", "los", "reach")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.los = [lo for lo, _ in spans]
        self.his = [hi for _, hi in spans]
        self.reach = max([hi - lo for lo, hi in spans], default=0)

    def touch(self, start: int, end: int) -> bool:
        """Whether a pressing mention's words overlap text[start:end]. A span starting at or before ``start -
        reach`` ends by ``start``; one starting at or after ``end`` begins after it: only those between are read."""
        his = self.his
        for k in range(bisect_right(self.los, start - self.reach), bisect_left(self.los, end)):
            if his[k] > start:
                return True
        return False


def _pressed(sites: list[Anatomy], pressers: _Pressers) -> list[Anatomy]:
    """The organs among ``sites`` that a pressing mention's words (``pressers``) touch: "cord compression",
    "compressing the cauda" (of "cauda equina")."""
    found = []
    for a in sites:  # a loop, not a comprehension: each comprehension is a function object made per call (3.11)
        if a.kind == "organ" and pressers.touch(a.start, a.end):
            found.append(a)
    return found


def _unpressed(sites: list[Anatomy], pressers: _Pressers, m_lo: int, m_hi: int) -> list[Anatomy]:
    """``sites`` without the organs a pressing mention's words touch and the mention's own words do not: "L3
    metastasis, compressing the cauda equina" takes the cauda from the list item after its comma (session 19)."""
    shut = [a for a in _pressed(sites, pressers) if not (m_lo < a.end and a.start < m_hi)]
    if not shut:
        return sites
    ids = {id(a) for a in shut}
    return [a for a in sites if id(a) not in ids]


def _site_groups(items: list[Anatomy], pressers: _Pressers | None, text: str, offset: int) -> "_Groups | _ClauseSites":
    """A clause's site groups: plain ``_Groups`` unless a pressing mention's words touch an organ of the clause
    (most clauses: a report without cord compression or stenosis has no ``pressers``)."""
    pressed = _pressed(items, pressers) if pressers else None
    if not pressed:
        return _Groups(_clusters(items, text, offset, _SITE_GAP), text, offset)
    return _ClauseSites(items, pressed, text, offset)


class _ClauseSites:
    """A clause's site groups for ``nearest`` where pressing mentions touch organs (``pressed``): such an organ
    is a site only of a mention whose own words touch it too ("without cord compression" gives its cord to no
    Schmorl node beside it, and no stenosis of the same clause takes it either).

    The groups without any pressed organ (``others``) are built once. A mention touching pressed organs gets the
    group its own organs join, found around the mention (``_joined``): rebuilding the clause's groups for each
    such mention made a long negated list of them ("No cord compression or ... or cord compression") quadratic
    (session 21)."""

    __slots__ = ("offset", "other_ends", "other_items", "others", "pressed", "pressed_ends", "text")

    def __init__(self, items: list[Anatomy], pressed: list[Anatomy], text: str, offset: int) -> None:
        self.pressed, self.text, self.offset = pressed, text, offset
        ids = {id(a) for a in pressed}
        self.other_items = [a for a in items if id(a) not in ids]
        self.other_ends = [a.end for a in self.other_items]
        self.others = _Groups(_clusters(self.other_items, text, offset, _SITE_GAP), text, offset)
        self.pressed_ends = [a.end for a in pressed]  # items are apart: ends increase with starts

    def nearest(self, start: int, end: int) -> list[Anatomy]:
        pressed = self.pressed
        i = bisect_right(self.pressed_ends, start)  # first pressed organ ending after the mention's start
        touched = []
        while i < len(pressed) and pressed[i].start < end:
            touched.append(pressed[i])
            i += 1
        if not touched:
            return self.others.nearest(start, end)
        return _capped(self._joined(touched, start), start)

    def _joined(self, touched: list[Anatomy], start: int) -> list[Anatomy]:
        """``_Groups(_clusters(sites)).nearest(start, end)`` for the sites without the pressed organs other than
        ``touched`` (which overlap the mention): the group of the first of those sites ending after ``start``
        (it overlaps the mention too). Groups join neighbours pairwise, so the group is walked out from that
        site: back over the other sites before it (every touched organ comes after), forward over both; no
        further than the _GROUP_CAP + 1 items each way that ``_capped`` can keep of it."""
        others, text, offset = self.other_items, self.text, self.offset
        j = bisect_right(self.other_ends, start)  # others[:j] end by the mention's start, others[j:] after it
        t = 0
        if j < len(others) and others[j].start < touched[0].start:
            first = others[j]
            j += 1
        else:
            first = touched[0]
            t = 1
        back = [first]
        k = j - 2 if first is not touched[0] else j - 1  # the other site before ``first``
        while k >= 0 and len(back) <= _GROUP_CAP + 1 and _SITE_GAP.fullmatch(
            text[others[k].end - offset : back[-1].start - offset]
        ):
            back.append(others[k])
            k -= 1
        group = back[::-1]
        reach = len(group) + _GROUP_CAP + 1
        while len(group) < reach:  # forward: the next of others[j:] and touched[t:], by start
            if t < len(touched) and (j == len(others) or touched[t].start < others[j].start):
                following = touched[t]
                t += 1
            elif j < len(others):
                following = others[j]
                j += 1
            else:
                break
            if not _SITE_GAP.fullmatch(text[group[-1].end - offset : following.start - offset]):
                break
            group.append(following)
        return group


def _bony_pelvis(sites: list[Anatomy], text: str, offset: int) -> list[Anatomy]:
    """``sites`` with "pelvis" listed among named bones read as the bony pelvis: in "osseous metastases in the
    thoracolumbar spine and pelvis" or "the skull, ribs and pelvis" the pelvis is its bones, where alone ("fluid in the
    pelvis", "CT of the abdomen and pelvis") it is the body region (session 32)."""
    out = list(sites)
    at = 0
    for group in _clusters(sites, text, offset, _SITE_GAP):
        if any(a.kind == "bone" and a.value not in (None, "bone") for a in group):
            for k, a in enumerate(group, at):
                if _pelvis_region(a):
                    out[k] = Anatomy("bone", a.text, a.start, a.end, "pelvis", "pelvis", a.levels, a.level_type,
                                     a.laterality, "pelvis_listed_with_bones", a.inherited, a.antecedent)
        at += len(group)
    return out


def _pelvis_region(a: Anatomy) -> bool:
    """The word "pelvis" found as the body region (``_bony_pelvis`` decides when it is the bones)."""
    return a.kind == "region" and a.value is None and a.text[:6].lower() == "pelvis"


# A clause after a semicolon that opens with a denial is a finding of its own ("Possible pulmonary relapse; no local
# recurrence."), not a reading of the clause before.
_OPENS_WITH_DENIAL = re.compile(r"[\s;]*(?:no|not|nil|none|without|negative)\b", re.IGNORECASE)
# The findings whose tissue an organ decides (a metastasis, malignancy, bare lesion or uptake with no site of its own)
_SEMICOLON_HASHES = {hash_string(name) for name in ("metastasis", "malignancy", "lesion", "bone_uptake")}


def _organs_before_semicolon(found: list[Anatomy], text: str, s_lo: int, lo: int) -> list[Anatomy]:
    """The organs of the clauses before a semicolon, for a clause after it that names no anatomy and opens with no
    denial, when all the anatomy before it is organs: "Indeterminate left adrenal nodule; metastasis not excluded."
    hedges the adrenal nodule's reading (session 33, w77_02). Organs only, as a pointing-back sentence with no
    finding before takes: they can keep a finding out of bone, never put one in it."""
    items = [a for a in found if a.end <= lo]
    # the organs of the spinal canal (thecal sac, cord) stand in a spine report's clauses, beside its bones
    if not items or any(a.kind != "organ" or a.rule in _CANAL_ORGANS for a in items):
        return []
    return [_copy(a, antecedent=True) for a in _nearest(_clusters(items, text[s_lo:lo], s_lo, _SITE_GAP), lo, lo)]


def _nearest(groups: list[list[Anatomy]], start: int, end: int) -> list[Anatomy]:
    return _Groups(groups).nearest(start, end)


_BARE_POINTERS = {"this", "these", "those", "they", "it", "which", "findings", "finding"}  # no noun of their own
_COMMA = re.compile(",")
# a bracket that lists figures only ("(6 mm, 8 mm)", "(1.2 x 0.8 cm, previously 0.6 cm)"): its commas part sizes
_FIGURE = r"[ \t]*(?:(?:from|previously|up\s+to|now)[ \t]+)?\d+(?:\.\d+)?(?:[ \t]*x[ \t]*\d+(?:\.\d+)?)*[ \t]*(?:mm|cm)?[ \t]*"
_BRACKET = re.compile(rf"\((?:{_FIGURE},)+{_FIGURE}\)", re.I)
_OWN_PHRASE = 40  # characters from a mention to the comma that ends its own noun phrase


def _organ(a: Anatomy) -> bool:
    """A site that holds no bone: an organ, or a soft-tissue region (neck, abdomen, mediastinum)."""
    return a.kind == "organ" or (a.kind == "region" and a.value is not None)


# A list item that only says how a finding changed ("Pulmonary nodules, increased, c/w mets") is no item of its own.
_STATUS_ITEM = re.compile(
    r"\s*(?:(?:slightly|mildly|minimally|markedly|significantly|somewhat|overall|interval(?:ly)?)\s+)?"
    r"(?:increased|increasing|decreased|decreasing|stable|unchanged|new|enlarging|enlarged|improved|improving|"
    r"smaller|larger|grown|worse|worsened|worsening|progressed|progressing|similar|persistent|not\s+changed)\s*",
    re.I)
# Nor is an item that only gives a size ("Liver lesions, the largest 3.8 cm in segment 7, c/w mets"): it
# describes the finding before it (session 15).
_SIZE_ITEM = re.compile(
    r"\s*(?:the\s+)?(?:(?:largest|biggest|dominant)\s+)?(?:(?:one|lesion|focus|nodule)\s+)?(?:measur(?:es|ing)\s+)?"
    r"(?:(?:up\s+to|approximately|about|around)\s+)?(?:\d+(?:\.\d+)?(?:\s*x\s*\d+(?:\.\d+)?)*\s*(?:mm|cm)\b"
    r"(?:\s+(?:in|within|at)\s+(?:hepatic\s+|liver\s+)?segments?\s+\d{1,2}|\s+in\s+(?:diameter|size))?"
    # its attenuation or uptake ("38 HU on portal venous phase", "SUVmax 6.1"; session 34)
    r"|-?\d+(?:\.\d+)?\s*(?:hu|hounsfield\s+units)\b(?:\s+(?:on|in)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}(?:phase|images?))?"
    r"|suv\s*(?:max|peak|mean)?\s*(?:of\s+)?\d+(?:\.\d+)?)\s*",
    re.I)


class _Commas(NamedTuple):
    """A sentence's comma offsets, and how many of the items they close only give a status: ``status[k]``
    counts the bare status items (", increased,") between commas[i] and commas[i + 1] for i < k."""

    at: list[int]
    status: list[int]

    @classmethod
    def of(cls, source: str, lo: int, hi: int) -> "_Commas":
        at = [k.start() for k in _COMMA.finditer(source, lo, hi)]
        if at and source.find("(", lo, at[-1]) >= 0:
            # "nodules in the right lower lobe (6 mm, 8 mm), suspicious for metastases": a bracket's commas part its
            # own figures, no items of the sentence's list (session 34); a bracket of words keeps its items ("MSCC at
            # T6 (MRI: epidural disease, Bilsky 2, cord signal normal)": the cord is no site of the MSCC)
            inside = [(b.start(), b.end()) for b in _BRACKET.finditer(source, lo, hi)]
            at = [a for a in at if not any(b0 < a < b1 for b0, b1 in inside)]
        flags = (_STATUS_ITEM.fullmatch(source, a + 1, b) is not None or _SIZE_ITEM.fullmatch(source, a + 1, b) is not None
                 for a, b in itertools.pairwise(at))
        return cls(at, list(itertools.accumulate(flags, initial=0)))

    def status_between(self, a: int, b: int) -> int:
        """How many of the commas between offsets a and b only close a bare status item (by prefix sums:
        a long list stays linear)."""
        first, last = bisect_left(self.at, a), bisect_left(self.at, b) - 1
        return self.status[last] - self.status[first] if last > first else 0


_DENIED_ITEM = re.compile(r"\s*(?:no|without)\b", re.I)  # a list item that opens with a denial


def _item_sites(sites: list[Anatomy], found: list[Anatomy], starts: list[int], commas: _Commas,
                m_lo: int, m_hi: int, lo: int, hi: int, source: str) -> list[Anatomy]:
    """The sites of a mention read within its list item (LIST_ITEM_SITES).

    The clause's nearest site group is another item's when two or more commas part it from the
    mention and it names no bone. When the mention's own sites name no bone or organ, the item right
    after its comma ("metastatic carcinoma, left obturator lymph node") gives the organs it names.
    Commas and anatomy are looked up by bisection, so a long list stays linear. Sites after the mention past a
    comma whose item opens with a denial are that item's ("liver lesions c/w mets, no osseous lesion": the bone
    is the denied lesion's, session 23): the mention keeps its own item's bones and organs instead."""
    if sites and sites[0].start >= m_hi and (k := bisect_left(commas.at, m_hi)) < len(commas.at) and (
        commas.at[k] < sites[0].start and _DENIED_ITEM.match(source, commas.at[k] + 1)
    ):
        own_start = commas.at[k - 1] if k and commas.at[k - 1] >= lo else lo
        sites = [a for a in found[bisect_left(starts, own_start) : bisect_left(starts, m_lo)]
                 if a.end <= m_lo and (a.kind == "bone" or _organ(a))]
    if sites and not any(a.kind == "bone" for a in sites):
        if sites[0].start >= m_hi:
            between = bisect_left(commas.at, sites[0].start) - bisect_left(commas.at, m_hi)
            between -= commas.status_between(m_hi, sites[0].start)
        else:
            between = bisect_left(commas.at, m_lo) - bisect_left(commas.at, sites[-1].end)
            between -= commas.status_between(sites[-1].end, m_lo)
        if between >= 2:
            sites = []
    if any(a.kind == "bone" or _organ(a) for a in sites):
        return sites
    at = commas.at
    k = bisect_left(at, m_hi)
    if k == len(at) or at[k] >= hi or at[k] - m_hi > _OWN_PHRASE:
        return sites
    item_end = at[k + 1] if k + 1 < len(at) and at[k + 1] < hi else hi
    first = bisect_left(starts, at[k])
    return sites + [a for a in found[first : bisect_left(starts, item_end)] if _organ(a) and a.end <= item_end]


# A templated report's organ-system heading that names only bone ("BONES:", "OSSEOUS STRUCTURES:"). Not
# "MUSCULOSKELETAL:", which also heads a clinical note's examination of muscles, joints and skin.
_BONE_HEADING = re.compile(
    r"\s*(?:bones?|bony\s+structures|osseous(?:\s+structures|\s+findings)?|skeleton|skeletal(?:\s+system)?)\s*", re.I)


# A note's bone scan line label ("Bone scan last wk: new foci of uptake ..."): its findings are the skeleton's, as
# when "Bone scan" stood in their sentence before the label was read as a header (session 33).
_BONE_SCAN_LABEL = re.compile(r"\s*(?:[a-z-]+\s+){0,2}?bone\s+(?:scan|scintigraphy)\b", re.I)


def _bone_heading(holding: Any) -> list[Anatomy]:
    """The bone a templated "BONES:" line heading (or a note's bone scan label) gives a finding whose clause names
    no site of its own ("BONES: No suspicious lesion."), marked inherited; [] under any other heading."""
    if holding is None or not holding.header or not (
        _BONE_HEADING.fullmatch(holding.header) or _BONE_SCAN_LABEL.match(holding.header)
    ):
        return []
    return [Anatomy(kind="bone", text=holding.header, start=holding.start, end=holding.start + len(holding.header),
                    value="bone", rule="bone_heading", inherited=True)]


# The organs inside the spinal canal: a heading naming them ("Spinal cord:", "Conus:") sits in a spine report, whose
# findings under it are the spine's to read (a disc, a level), so it gives them no organ.
_CANAL_ORGANS = {"cord", "cauda_equina", "thecal_sac", "nerve_root", "leptomeningeal"}


def _organ_heading(found: list[Anatomy]) -> list[Anatomy]:
    """The organs a templated report's organ-system heading names ("LIVER:", "LUNGS AND PLEURA:", "LYMPH NODES:",
    "ADRENALS/KIDNEYS:", "NECK:"), given a finding whose clause names no site of its own ("LIVER: Multiple
    hypoattenuating metastases."), marked inherited, as "BONES:" gives bone (session 29). ``found``: the heading's
    anatomy. A heading with any site that may hold bone ("ABDOMEN/PELVIS:", "CHEST:") or with none gives nothing."""
    if not found or not all(
        (a.kind == "organ" and a.rule not in _CANAL_ORGANS) or (a.kind == "region" and a.value) for a in found
    ):
        return []
    return [_copy(a, inherited=True) for a in found]


def _sentence_firsts(sentences: SentenceTable) -> list[int]:
    """The first tokens of the doc's sentences, 0 first (a doc whose token 0 is not marked starts one there)."""
    starts = sentences.starts
    return starts if starts and starts[0] == 0 else [0, *starts]


# A mention given this many anatomy items or more shares their dicts with the other mentions given the same items
# (_shared_dicts); fewer (almost every mention: 3 or more on 115 of 13,828 public mentions) each get their own.
_SHARED_FROM = 3


def _shared_dicts(
    chosen: list[Anatomy], shared: dict[tuple[int, int], tuple[Anatomy, list[str], dict[str, Any]]]
) -> tuple[dict[str, Any], ...]:
    """``tuple(a.as_dict() for a in chosen)``, each dict made once per report and Anatomy: a group of 32 levels
    or bones given to each of thousands of findings held a dict per item per finding (a 1 MB report of one
    long group: 1.1 GB, session 23). The key holds the item's levels list too, as ``_merge_disc_ranges``
    replaces it (the only change an Anatomy sees after it is found); ``shared`` keeps both alive, so an id
    is not reused within the report. Nothing downstream changes a location dict (the record writes them as they are)."""
    out = []
    for a in chosen:
        key = (id(a), id(a.levels))
        held = shared.get(key)
        if held is None:
            held = shared[key] = (a, a.levels, a.as_dict())
        out.append(held[2])
    return tuple(out)


def _merge_disc_ranges(group: list[Anatomy], text: str, offset: int) -> None:
    for a, b in itertools.pairwise(group):
        if a.level_type == b.level_type == "disc" and _RANGE_WORDS.search(text[a.end - offset : b.start - offset]):
            b.levels = levels.expand_disc_range(a.levels[0], b.levels[-1])
            b.level_type = "range"


class LocationLinker(RuleComponent):
    def __init__(self, anatomy: dict[str, Any], concepts: dict[str, Any] | None = None) -> None:
        self.finder = AnatomyFinder(anatomy)
        # A sentence points back only to one that holds a finding of these groups (not a bare mention of
        # degenerative change or a study): "Lytic lesion at T9. These findings are consistent with ...".
        self.antecedent_labels = {
            name for name, spec in (concepts or {}).items() if spec.get("group") in ANTECEDENT_GROUPS
        }
        self.antecedent_hashes = {hash_string(name) for name in self.antecedent_labels}  # span.label of those
        # Findings that press on an organ ("cord compression", "narrowing of the thecal sac"): the organ inside
        # their words is what they press on, no site of another finding of the clause ("Schmorl node without
        # cord compression", "epidural tumor flattening the cord").
        self.pressing_hashes = {
            hash_string(name) for name, spec in (concepts or {}).items() if spec.get("presses_on")
        }
        rule = anatomy.get("all_levels")
        # A clause about every level ("at any level", "multilevel") takes no level from a heading.
        self.all_levels = compile_regex("anatomy.json", "all_levels", rule["regex"], re.IGNORECASE) if rule else None
        # words one of which such a clause must hold ("level", "elsewhere"): most clauses hold none
        self._all_levels_words = required_any(rule["regex"]) if rule else ()
        self._found: OrderedDict[str, tuple[tuple[Any, ...], ...]] = memo_table()
        self._all_levels_known: OrderedDict[tuple[str, str], bool] = memo_table()
        self._anaphora_known: OrderedDict[tuple[str, str], str | None] = memo_table()
        rule = anatomy.get("anaphora")
        # A sentence that opens by pointing back ("These findings ...", "This ...") speaks of the
        # anatomy of the sentence before it.
        self.anaphora = compile_regex("anatomy.json", "anaphora", rule["regex"], re.IGNORECASE) if rule else None

    def find(self, text: str, offset: int) -> list[Anatomy]:
        """``AnatomyFinder.find``, remembered per sentence text: reports repeat their sentences."""
        found = self._found.get(text)
        if found is None:  # found at the offset, remembered at 0 (the memo keeps its own levels: tuples)
            items = self.finder.find(text, offset)
            remember(self._found, text, tuple([_frozen(a, offset) for a in items]), _REMEMBERED)
            return items
        return [_shifted(fields, offset) for fields in found]

    def _every_level(self, text: str, lo: int, hi: int) -> bool:
        """``all_levels.search(text, lo, hi) is not None``, remembered by the clause's text and the character
        before it (the one character of context a search from ``lo`` reads, for ``\\b``): a report's
        clauses repeat, and each RE2 search goes through its Python wrapper. A clause holding none of the words
        one of which every match holds (literals.required_any: most clauses) is not looked up at all."""
        words = self._all_levels_words
        if words:
            clause = text[lo:hi]
            # (case folding maps a few non-ASCII letters onto ASCII ones that lower() keeps apart); lowered once,
            # not once per word
            if clause.isascii():
                lowered = clause.lower()
                if not any(word in lowered for word in words):
                    return False
        key = _clause_key(text, lo, hi)
        found = self._all_levels_known.get(key)
        if found is None:
            # searched in the clause and its one character of context, not in the whole text: the regex
            # wrapper encodes the string it is given, and a long report's clauses would each encode it all
            found = self.all_levels.search(key[0] + key[1], len(key[0])) is not None
            remember(self._all_levels_known, key, found, _REMEMBERED)
        return found

    def _opener(self, text: str, lo: int, hi: int) -> str | None:
        """The words of ``anaphora.match(text, lo, hi)`` (None: no match), remembered as ``_every_level``."""
        key = _clause_key(text, lo, hi)
        found = self._anaphora_known.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            m = self.anaphora.match(key[0] + key[1], len(key[0]))
            found = remember(self._anaphora_known, key, None if m is None else m.group(0), _REMEMBERED)
        return found  # type: ignore[return-value]

    def _organ_heading(self, holding: Any, cache: dict[int, list[Anatomy]]) -> list[Anatomy]:
        """``_organ_heading`` of the section holding a finding, its heading read once per section."""
        if holding is None or not holding.header:
            return []
        if holding.start not in cache:
            cache[holding.start] = _organ_heading(self.find(holding.header, holding.start))
        return [_copy(a) for a in cache[holding.start]]

    def use_rules(self, rules: Any) -> None:
        self.__init__(rules.anatomy, rules.concepts)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        rows = span_rows(doc, MENTIONS)
        if not rows:
            return doc
        tokens = token_table(doc)
        sentences = sentence_table(doc)
        source = tokens.text
        infos = info_table(doc)
        sections = doc_value(doc, "reportnlp_sections") or []
        by_sentence: dict[int, list[Anatomy]] = {}
        spans = [row[:3] for row in rows]
        antecedent_labels = self.antecedent_hashes
        findings = {sentences.sent(start)[0] for start, _, label in spans if label in antecedent_labels}
        # Each sentence's nearest earlier level heading, remembered for the sentences walked past. What is remembered
        # does not depend on the order mentions come in (two rules' mentions of one span come in either order: "Healing
        # fracture" as a fracture and as a healing finding sent every sentence after it down the plain walk back,
        # a report of such sentences read quadratically, 100 kB 3.7 s; session 25).
        headings: dict[int, tuple[tuple[int, int], list[Anatomy]] | None] = {}
        heads: bool | None = None  # whether the text may hold a level heading at all (_may_hold_heading)
        firsts = _sentence_firsts(sentences)
        pressing = self.pressing_hashes
        # character spans of the mentions that press on an organ (most reports: none)
        pressing_spans = [tokens.offsets(start, end) for start, end, label in spans if label in pressing]
        pressers = _Pressers(pressing_spans) if pressing_spans else None
        # The level and site groups of a clause are the same for every mention in it (the disc-range
        # merge changes them once and then no more), so they are built once per clause.
        clauses: dict[tuple[int, int], tuple[_Groups, _Groups | _ClauseSites, _Groups | _ClauseSites | None]] = {}
        every_level: dict[tuple[int, int], bool] = {}  # clause -> it speaks of every level
        sided: dict[tuple[int, int], bool] = {}  # clause -> it may name a side (_may_name_side)
        antecedents: dict[int, list[Anatomy]] = {}  # sentence start -> anatomy it points back to
        starts: dict[int, list[int]] = {}  # sentence start -> starts of its anatomy (in text order)
        breaks: dict[int, list[int]] = {}
        commas: dict[int, _Commas] = {}  # sentence start -> its commas (for LIST_ITEM_SITES)
        shared: dict[tuple[int, int], tuple[Anatomy, list[str], dict[str, Any]]] = {}  # for _shared_dicts
        organ_headings: dict[int, list[Anatomy]] = {}  # section start -> the organs its heading names
        header_bones: dict[int, list[Anatomy]] = {}  # section start -> the bones its header names
        # whether any header names a bone (most reports: none), read at the first mention that would ask
        headers_name_bones: bool | None = None
        for start, end, label in spans:
            sent = sentences.sent(start)
            s0 = sent[0]
            if s0 not in by_sentence:
                s_lo, s_hi = tokens.offsets(*sent)
                by_sentence[s0] = self.find(source[s_lo:s_hi], s_lo)
            if s0 not in breaks:
                # the sentence's clause-break tokens, tested in C (a long sentence costs no Python step per token)
                breaks[s0] = list(itertools.compress(range(*sent), map(_IS_BREAK, tokens.lower[sent[0] : sent[1]])))
            lo, hi = self._clause(tokens, sent, breaks[s0], start, end)
            m_lo, m_hi = tokens.offsets(start, end)
            groups = clauses.get((lo, hi))
            if groups is None and not by_sentence[s0]:
                groups = clauses[(lo, hi)] = _NO_GROUPS  # a sentence naming no anatomy (most): nothing to group
            elif groups is None:
                found = by_sentence[s0]
                if s0 not in starts:
                    starts[s0] = [a.start for a in found]
                first = bisect_left(starts[s0], lo)
                inside = [a for a in found[first : bisect_left(starts[s0], hi)] if a.end <= hi]
                text = source[lo:hi]
                level_groups = _clusters([a for a in inside if a.kind == "level"], text, lo, _LEVEL_GAP)
                for g in level_groups:
                    _merge_disc_ranges(g, text, lo)
                in_sites = [a for a in inside if a.kind in SITE_KINDS]
                if len(in_sites) > 1 and any(_pelvis_region(a) for a in in_sites):
                    in_sites = _bony_pelvis(in_sites, text, lo)
                unlabelled = (  # the same list when no line heads with a region label (no colon: most clauses)
                    _without_region_labels(in_sites, source) if len(in_sites) > 1 and source.find(":", lo, hi) >= 0
                    else in_sites
                )
                groups = clauses[(lo, hi)] = (
                    _Groups(level_groups), _site_groups(in_sites, pressers, text, lo),
                    None if unlabelled is in_sites else _site_groups(unlabelled, pressers, text, lo),
                )
            chosen = list(groups[0].nearest(m_lo, m_hi))
            if not chosen and self.all_levels and (lo, hi) not in every_level:
                every_level[(lo, hi)] = self._every_level(source, lo, hi)
            if not chosen and not (self.all_levels and every_level[(lo, hi)]):
                if heads is None:  # asked once a report, at its first mention with no level of its own
                    heads = _may_hold_heading(source)
                if heads:
                    chosen = self._heading_levels(sections, tokens, sentences, sent, m_lo, by_sentence, headings, firsts)
            sites = (groups[1] if groups[2] is None or label == _MODALITY_HASH else groups[2]).nearest(m_lo, m_hi)
            if label in _LIST_ITEM_HASHES and by_sentence[s0]:  # a sentence naming no anatomy gives no item any
                if s0 not in commas:
                    s_lo, s_hi = tokens.offsets(*sent)
                    commas[s0] = _Commas.of(source, s_lo, s_hi)
                sites = _item_sites(sites, by_sentence[s0], starts.get(s0), commas[s0], m_lo, m_hi, lo, hi, source)
                if pressers:  # the next item's organ may be one a pressing mention acts on (as _ClauseSites)
                    sites = _unpressed(sites, pressers, m_lo, m_hi)
            chosen += sites
            if sections and headers_name_bones is not False and label != _MODALITY_HASH and (
                    not chosen or all(_generic_bone(a) for a in chosen)
                    or any(a.kind == "bone" and a.laterality is None for a in chosen)):
                if headers_name_bones is None:
                    headers_name_bones = any(self._header_bones(s, header_bones) for s in sections)
                if headers_name_bones:
                    chosen = self._with_header_bones(chosen, section_at(sections, m_lo), header_bones)
            if not chosen and sections:
                holding = section_at(sections, m_lo)
                chosen = _bone_heading(holding) or self._organ_heading(holding, organ_headings)
            if self.anaphora is not None and not (chosen and any(
                a.kind in ANCHOR_KINDS and not (m_lo <= a.start and a.end <= m_hi) and not _generic_bone(a)
                for a in chosen
            )):  # the anatomy inside the mention's own words ("bone island") does not anchor it, nor bone in general
                if s0 not in antecedents:
                    antecedents[s0] = self._antecedent(sections, tokens, sentences, sent, by_sentence, findings)
                named = antecedents[s0]
                if chosen and any(not _generic_bone(a) for a in named):
                    # "... fracture of the right proximal femur. The fracture passes through a lytic lesion with
                    # cortical destruction.": the cortex is the femur's, the bone the sentence points back to
                    # (session 34)
                    chosen = [a for a in chosen if not _generic_bone(a)]
                chosen += [_copy(a) for a in named]
            if (not chosen and label in _SEMICOLON_HASHES and by_sentence[s0]
                    and source.rfind(";", max(0, lo - 3), lo + 1) >= 0 and not _OPENS_WITH_DENIAL.match(source, lo, hi)):
                chosen = _organs_before_semicolon(by_sentence[s0], source, tokens.offsets(*sent)[0], lo)
            key = (start, end, label)
            mention = infos.get(key)
            if mention is None:
                mention = infos[key] = MentionInfo()
            mention.clause = (lo, hi)
            if len(chosen) > 1:
                chosen.sort(key=_at_start)
            mention.locations = (
                tuple([a.as_dict() for a in chosen]) if len(chosen) < _SHARED_FROM else _shared_dicts(chosen, shared)
            )
            named = sided.get((lo, hi))
            if named is None:
                named = sided[(lo, hi)] = _may_name_side(source, lo, hi)
            mention.laterality = self._mention_laterality(source, m_lo, m_hi, lo, hi) if named else None
        return doc

    def _header_bones(self, holding: Any, cache: dict[int, list[Anatomy]]) -> list[Anatomy]:
        """The named bones (not bone in general, not a spine segment) of the header that holds a finding: a study's
        line label ("XR L humerus 11/30:", "X-rays of the right humerus (today):"), marked inherited."""
        if holding is None or not holding.header:
            return []
        found = cache.get(holding.start)
        if found is None:
            found = cache[holding.start] = [
                _copy(a, inherited=True) for a in self.find(holding.header, holding.start)
                if a.kind == "bone" and not _generic_bone(a) and not (a.value or "").endswith("spine")
            ]  # a spine study's header is left to the levels and the spine exam's own readings ("MRI T/L-spine:")
        return found

    def _with_header_bones(self, chosen: list[Anatomy], holding: Any, cache: dict[int, list[Anatomy]]) -> list[Anatomy]:
        """A finding under a header that names its bone (session 34): with no site of its own, or only bone in general
        ("XR L humerus 11/30: transverse fracture ... with cortical destruction"), it takes the header's bones; a bone
        it names with no side takes the side the header gives that bone ("X-rays of the right humerus (today): spiral
        fracture of the mid humeral shaft")."""
        named = self._header_bones(holding, cache)
        if not named:
            return chosen
        if not chosen:
            return list(named)
        if all(_generic_bone(a) for a in chosen):
            return list(named)
        sided = {a.value: a.laterality for a in named if a.laterality is not None}
        if not sided:
            return chosen
        return [
            _copy(a, laterality=sided[a.value]) if a.kind == "bone" and a.laterality is None and a.value in sided else a
            for a in chosen
        ]

    def _antecedent(
        self,
        sections: list[Any],
        tokens: TokenTable,
        sentences: SentenceTable,
        sent: tuple[int, int],
        cache: dict[int, list[Anatomy]],
        findings: set[int],
    ) -> list[Anatomy]:
        """Levels, bones and organs at the end of the previous sentence, when this one opens by pointing
        back to it ("Lytic lesion at T6. These findings are consistent with metastasis.") and that
        sentence holds a finding (``findings``: starts of sentences that do)."""
        s_lo, s_hi = tokens.offsets(*sent)
        opener = self._opener(tokens.text, s_lo, s_hi) if sent[0] else None
        if opener is None and sent[0] and _after_glued_query(tokens.text, s_lo):
            opener = "?"  # "... in the left lower zone ? mets.": the query's finding is of the line it goes on
        if opener is None:
            return []
        prev = sentences.previous(sent[0])
        # With no finding before, a noun that points back ("The two smaller foci ...") still takes the
        # organs of the sentence before: they can only keep a finding out of bone, never put one in it.
        organs_only = prev[0] not in findings
        if organs_only and opener.split()[-1].lower() in _BARE_POINTERS:
            return []
        p_lo, p_hi = tokens.offsets(*prev)
        holding = section_at(sections, s_lo)
        if holding is not None and p_hi <= holding.body_start:
            return []  # the sentence before is in another section
        if prev[0] not in cache:
            cache[prev[0]] = self.find(tokens.text[p_lo:p_hi], p_lo)
        items = [a for a in cache[prev[0]] if a.kind in ANCHOR_KINDS and (a.kind == "organ" or not organs_only)]
        if any(a.kind == "bone" and not _generic_bone(a) for a in items):
            # "fracture lines through both sacral alae with surrounding marrow oedema ... through S2. These are typical
            # of insufficiency fractures": the marrow is the named bone's, no site nearer the end (session 34)
            items = [a for a in items if not _generic_bone(a)]
        text = tokens.text[p_lo:p_hi]
        found = list(_nearest(_clusters([a for a in items if a.kind == "level"], text, p_lo, _LEVEL_GAP), p_hi, p_hi))
        found += _nearest(_clusters([a for a in items if a.kind != "level"], text, p_lo, _SITE_GAP), p_hi, p_hi)
        return [_copy(a, antecedent=True) for a in found]

    def _heading_levels(
        self,
        sections: list[Any],
        tokens: TokenTable,
        sentences: SentenceTable,
        sent: tuple[int, int],
        m_lo: int,
        cache: dict[int, list[Anatomy]],
        headings: dict[int, tuple[tuple[int, int], list[Anatomy]] | None] | None,
        firsts: list[int] | None = None,
    ) -> list[Anatomy]:
        """Levels of the nearest earlier "L4-5:" heading in the same section, for findings listed under it: its
        last _GROUP_CAP when it lists more (a finding after a group takes its last ones; a heading of thousands of
        levels gave each of thousands of findings under it all of them, a record growing with the square of the
        text: session 22).

        Each sentence's nearest earlier heading is found once per doc, whatever order the mentions come in
        (``headings``: sentence start -> (heading sentence, its levels) or None); sentences that are
        no heading are passed without looking for anatomy.
        """
        holding = section_at(sections, m_lo)  # sections are contiguous: its body start is the latest
        floor = holding.body_start if holding else 0
        if headings is None:  # the plain walk back (the reference the remembered walk is tested against)
            while sent[0] > 0:
                sent = sentences.previous(sent[0])
                s_hi = tokens.offsets(*sent)[1]
                if s_hi <= floor:
                    break
                items = self._heading_items(tokens, sent, cache)
                if items:
                    return [_copy(a, inherited=True) for a in items[-_GROUP_CAP:]]
            return []
        found = self._nearest_heading(tokens, sentences, sent, cache, headings, firsts or _sentence_firsts(sentences))
        if found is None or tokens.offsets(*found[0])[1] <= floor:
            return []
        return list(found[1])

    def _nearest_heading(
        self,
        tokens: TokenTable,
        sentences: SentenceTable,
        sent: tuple[int, int],
        cache: dict[int, list[Anatomy]],
        headings: dict[int, tuple[tuple[int, int], list[Anatomy]] | None],
        firsts: list[int],
    ) -> tuple[tuple[int, int], list[Anatomy]] | None:
        """The nearest earlier sentence that is a level heading, and copies of its levels.

        The walk back goes down the list of sentence starts (0 first) by index: most sentences of a long
        report are passed, and each step is a list read, not a ``SentenceTable.previous`` lookup. ``firsts``:
        ``_sentence_firsts``, made once per doc."""
        j = bisect_left(firsts, sent[0])  # sent[0] is a sentence start (or 0)
        text, token_starts = tokens.text, tokens.starts
        walked = []
        found = None
        while j > 0 and firsts[j] not in headings:
            walked.append(firsts[j])
            j -= 1
            first = firsts[j]
            at = token_starts[first]
            if text[at] not in _HEADING_FIRST or not _may_head(text, at):
                continue  # most sentences: not even the first letter of a heading, or its first two (as _heading_items)
            sent = (first, firsts[j + 1])
            items = self._heading_items(tokens, sent, cache)
            if items:
                found = (sent, [_copy(a, inherited=True) for a in items[-_GROUP_CAP:]])
                break
        else:
            found = headings.get(firsts[j])
        for start in walked:
            headings[start] = found
        return found

    def _heading_items(self, tokens: TokenTable, sent: tuple[int, int], cache: dict[int, list[Anatomy]]) -> list[Anatomy]:
        """The levels a sentence opens with when it is a heading ("L4-5:", "C2-3, C3-4:"), else []."""
        if not _may_head(tokens.text, tokens.starts[sent[0]]):
            return []  # most sentences: not even the first two letters of a heading
        s_lo, s_hi = tokens.offsets(*sent)
        heading = _HEADING.match(tokens.text, s_lo, s_hi)
        if not heading:
            return []
        if sent[0] not in cache:
            cache[sent[0]] = self.find(tokens.text[s_lo:s_hi], s_lo)
        return [a for a in cache[sent[0]] if a.kind == "level" and a.end <= heading.end()]  # (end: in the text)

    @staticmethod
    def _clause(tokens: TokenTable, sent: tuple[int, int], breaks: list[int], start: int, end: int) -> tuple[int, int]:
        """Original-text bounds of the mention's clause: its sentence cut at ';' and but/however/...

        ``breaks`` are the sentence's clause-break tokens, in order; one inside the mention cuts nothing.
        """
        lo, hi = tokens.offsets(*sent)
        before = bisect_left(breaks, start)  # breaks[before - 1] is the last one before the mention
        if before:
            cut = tokens.offsets(breaks[before - 1], breaks[before - 1] + 1)
            if tokens.text[cut[0]] == ";" and _DIFFERENTIAL_AFTER.match(tokens.text, cut[1]):
                # "enhancement in the T12 body; differential includes recurrence vs ...": the clause before and its
                # differential are one (one step back only: a sentence of many such semicolons stays linear)
                before -= 1
                if before:
                    lo = tokens.offsets(breaks[before - 1], breaks[before - 1] + 1)[1]
            else:
                lo = cut[1]
        after = bisect_left(breaks, end)  # the first one at or after its end
        if after < len(breaks):
            hi = tokens.starts[breaks[after]]
        return lo, hi

    @staticmethod
    def _mention_laterality(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
        before = _lateral_before(text, max(lo, start - 30), start)
        if before:
            return _laterality(before.group(1))
        after = _LATERAL_AFTER.match(text, end, hi)
        return _laterality(after.group(1)) if after else None


@Language.factory(
    "reportnlp_locations",
    default_config={"patterns": None},
    assigns=["span._.reportnlp_locations", "span._.reportnlp_laterality", "span._.reportnlp_clause"],
    requires=["token.is_sent_start"],
)
def make_locations(nlp: Language, name: str, patterns: str | None) -> LocationLinker:
    return with_rules(patterns, lambda rules: LocationLinker(rules.anatomy, rules.concepts))
