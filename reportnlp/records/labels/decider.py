"""Decide the report labels of labels.md from the mentions: the one place that does it (``LabelDecider``).

Pure functions over plain mention dicts (as in the record), so that the decision can be
re-run, tested and explained without spaCy. Every mention gets ``contributes`` (label ->
status) or a ``note`` saying why it does not count; each label keeps the ids of the mentions
that decided it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from reportnlp.records.dated_lines import on_lines, past_lines
from reportnlp.records.labels.causes import (
    _ALTERNATIVE,
    _ALTERNATIVE_NEXT,
    _ALTERNATIVE_NOT_OR,
    _ALTERNATIVE_THEN,
    _CALLED_BEFORE,
    _CALLED_BEFORE_REACH,
    _CALLED_NEXT,
    _CALLED_NOT_PATHOLOGIC,
    _CALLED_PATHOLOGIC,
    _CAUSE_ALTERNATIVES,
    _DENIED,
    _HEDGES,
    _NEXT_FRAGMENT,
    _NOT_A_FRACTURE,
    _NOT_AN_INJURY,
    _NOT_CLEARLY,
    _NOT_TUMOR_CAUSE,
    _OSTEOPOROTIC,
    _OTHER_LINK,
    _PAST_INJURY,
    _POINTS_BACK,
    _VERSUS_CUE,
    _WITH_OLD,
    _ClauseCauses,
    _cue_regex,
    _cue_words,
    _pathologic_word,
    _shape,
    _strong_tumor,
    cause_contrast,
    cause_set_against,
    differential_end,
    joined_beside,
    tumour_named_the_cause,
)
from reportnlp.records.labels.corrections import (
    _ADDS,
    _CORRECTION,
    ADDENDUM,
    LaterDenials,
    Readdressings,
    addendum_heads,
    answer_suspicions,
    deleted_items,
    quoted_reads,
    supersede_wet_reads,
)
from reportnlp.records.labels.degenerative import _FACET, _only_summary, _sac_contact_outranked, in_facet_column
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.lesions import (
    _CALLED_PROGRESSION,
    _OTHER_BEFORE,
    _bare_lesion,
    _bone_sampled_before,
    _current_pattern,
    _line_label_names_bone,
    _may_say_underlying,
    _underlying,
    focal_before,
    heading_site_answer,
    tnm_site,
)
from reportnlp.records.labels.modalities import _PAST_STUDY_SHOWED, _PAST_YEAR_FRAMES, _dated_before_note, _performed, modalities
from reportnlp.records.labels.neighbours import Neighbours, _on_specimen_line, _reports_a_spine_study
from reportnlp.records.labels.sites import (
    _affirmed,
    _generic_bone_only,
    _has_bone,
    _kinds,
    _other_site,
    _segment_only,
    _sites,
    _sites_meet,
    _soft_region,
    _span,
    _spine_site,
    asking_keys,
    by_site,
    meeting_keys,
    rib_numbers,
)
from reportnlp.records.labels.vocabulary import (
    CORRECTED,
    COUNTING,
    DEGENERATIVE_KEYS,
    DIFFUSE_ONLY,
    EXPLAINED,
    EXPLAINED_BY_FRACTURE,
    EXPLAINS_UPTAKE,
    FRACTURE_WITHDRAWN,
    JOINT_WORD_NOTE,
    LESIONS,
    MALIGNANT,
    NEEDS_BONE_SITE,
    NO_SPINE_NOTE,
    NOT_MENTIONED,
    OPERATIVE_SECTIONS,
    OTHER_SITE_NOTE,
    PAST_STUDY_FINDING,
    SIMPLE_LABELS,
    SPINE_EXAM_WORD_NOTE,
    STATUSES,
    WITHDRAWN,
)
from reportnlp.records.line_starts import LineStarts
from reportnlp.records.years import years_named

_LESION_BENEATH = {"present": {"bone_metastasis": "possible"}, "possible": {"bone_metastasis": "possible"}}
# What may stand between two alternatives and their "versus": spaces, an article, a count word.
_ALTERNATIVE_GAP = re.compile(r"\s*(?:(?:an?|the|solitary|single|multiple)\s+)?")
# A bulge and a herniation of one disc joined as alternatives: "or" and up to four describing words ("disc bulge or small
# left paracentral protrusion", "protrusion or bulge").
_BULGE_OR_HERNIATION = frozenset(("disc_bulge", "disc_herniation"))
_OR_BETWEEN = re.compile(r"[ \t]*,?[ \t]+or[ \t]+(?:[\w-]+[ \t]+){0,4}", re.I)
# How far past a fracture's sentence cause_set_against reads the next one (its patterns stop at that sentence's end).
_NEXT_SENTENCE_REACH = 300
# One sentence between a fracture's and the one that says what caused it, that names nothing and itself points back to
# the fracture ("This kind of break happens when bones are thin."; session 32). A finding's words with no verb
# ("Diffuse marrow heterogeneity.") are what a later "This" points to.
_QUIET_NEXT = re.compile(
    r"\s*(?:this|these|it|they|the[ \t]+(?:fracture|fractures|break|collapse|deformity|compression))\b[^.!?:\n]*[.!?]", re.I)
_SEMICOLON = re.compile(r"[ \t]*;")  # a clause that ends at its semicolon (the sentence goes on)
# A primary bone sarcoma called extraskeletal or extraosseous ("extraskeletal myxoid chondrosarcoma") is of soft tissue.
_EXTRASKELETAL = re.compile(r"\bextra[- ]?(?:skeletal|osseous)\s+(?:\w+\s+)?$", re.I)
# A pathologic fracture that points back to a lesion by a pronoun ("...typical enchondroma; pathological fracture
# through it"): the lesion is one named before it in its sentence.
# Osteonecrosis told with its collapse right after it ("AVN with collapse", "osteonecrosis of the left femoral head
# with early collapse") or given as the cause of a collapse right before it ("collapse due to avascular necrosis").
_COLLAPSE_AFTER_NECROSIS = re.compile(
    r"(?:\s+of\s+(?:the\s+)?(?:(?:left|right|l|r)\s+)?(?:femoral|humeral)\s+heads?)?(?:\s*\([^()\n]{0,30}\))?,?"
    r"\s+with\s+(?:(?:early|mild|subtle|partial|segmental|minimal)\s+)?collapse\b", re.I)
_COLLAPSE_BEFORE_NECROSIS = re.compile(r"\bcollapse\s+(?:due|secondary|related)\s+to\s+(?:the\s+)?$", re.I)


def _collapse_beside(m: dict[str, Any], text: str) -> bool:
    """m (an osteonecrosis) comes with its collapse in its clause (_COLLAPSE_AFTER_NECROSIS, _BEFORE_)."""
    lo, hi = _span(m, "clause")
    return (_COLLAPSE_AFTER_NECROSIS.match(text, m["end"], hi) is not None
            or _COLLAPSE_BEFORE_NECROSIS.search(text, max(lo, m["start"] - 40), m["start"]) is not None)


# A leukaemia a fracture's sentence gives as its cause right after it (LabelDecider.link_pathologic_causes).
_LEUKAEMIA_CAUSE = re.compile(
    r"[^.;:\n]{0,40}?(?P<hedge>\b(?:possibly|probably|likely|may\s+be|could\s+be)\s+)?"
    r"\b(?:due|related|secondary|attributed|attributable|owing)\s+to\s+(?:(?:the|his|her|known|underlying|acute|"
    r"chronic|lymphoblastic|myeloid|lymphocytic|myelogenous|precursor|B|T|-)\s*){0,5}(?:leuka?emia|[BT]-ALL)\b", re.I)
_THROUGH_IT = re.compile(r"\bthrough\s+(?:it|this|which)\b", re.I)
# ... or through a benign lesion named right after it ("pathological fracture through a simple bone cyst"), or
# through "the cyst" / "the defect" that the sentence before explains as benign (session 27).
_THROUGH_NAMED = re.compile(r"[ \t]+(?:of[ \t]+[\w -]{1,30}?[ \t]+)?through[ \t]+(?:an?|the)[ \t]+(?:[\w()-]+[ \t]+){0,3}", re.I)
_THROUGH_THE_CYST = re.compile(r"\bthrough\s+the\s+(?:\w+\s+)?(?:cyst|defect)\b", re.I)
# A bare lucency or sclerosis that a fracture runs through ("fracture of the femoral neck running through an ill-defined
# area of lucency") is the lesion beneath the break, not its line (session 33, w78_11).
_THROUGH_BEFORE = re.compile(r"\bthrough\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}\Z", re.I)


def _broken_through(m: dict[str, Any], text: str) -> bool:
    """The bare lesion word m follows "through a / the" and at most three words in its clause (_THROUGH_BEFORE)."""
    lo = max(_span(m, "clause")[0], m["start"] - 60)
    return _THROUGH_BEFORE.search(text, lo, m["start"]) is not None


# A fracture denied after a bone lesion in its sentence (_lesion_before_denial): how far after, and what breaks it.
_DENIAL_AFTER_LESION_REACH = 200
# A consent's risk list opening its line with its label ("Risks reviewed: fatigue, nausea; vertebral compression fracture
# (about 10%); rarely paralysis."): each item up to the list's first full stop is what may happen, also past the
# semicolons that end a ConText cue's reach, beyond a frame cue's reach and on the lines the list wraps to (session 28).
_RISK_LABEL = re.compile(
    r"[ \t>*-]*(?:(?:procedure|procedural|potential|specific)[ \t]+)?risks?(?:[ \t]+(?:reviewed|discussed|explained|"
    r"include[sd]?|including))?[ \t]*:", re.I)
_FULL_STOP = re.compile(r"\.(?!\d)")
# The rule of a tumour come back where it was treated ("local recurrence", "in-field relapse"): with no site of its
# own, in a report that names a primary bone tumour at its bone, it is at that bone (session 28).
TREATED_SITE_RECURRENCE = "malig_in_field_recurrence"
# A clinical note's "previous" / "prior" fracture, the past word at most four words before it ("Osteoporosis with
# previous hip fracture", "prior T12 and L1 fragility fractures"): a past event of the patient's, where a
# radiology report's "prior L1 compression fracture" is an old one seen on the film (labels.md; session 28).
# Not "prior to", nor one the words between call seen healed or old ("prior healed rib fracture").
_NOTE_PAST_FRACTURE = re.compile(
    r"\b(?:previous|prior)[ \t]+(?!to\b)(?:(?!(?:healed|healing|old|united|ununited|chronic|remote|new|acute)\b)"
    r"[\w/-]+,?[ \t]+){0,4}\Z", re.I)
# A clinical note's event dated after it by its year ("fractured her left wrist in 2019", "T10 MSCC in March 2025",
# "hip fracture back in 2009") or by "last year" (session 31): a few words of its own between, none that ties the date
# to a study it was compared with or seen on ("unchanged since", "seen on the CT in 2019").
_EVENT_YEAR_AFTER = re.compile(
    r"(?:,?[ \t]+(?!(?:on|since|from|than|compared|unchanged|stable|seen|noted|shown|visible|study|scan|ct|mri|xr|film|"
    r"films|radiographs?|imaging)\b)[\w/'-]+){0,5}?,?[ \t]+(?:(?P<last>last[ \t]+year\b)|(?:(?P<back>back[ \t]+)?in|during)"
    r"[ \t]+(?:(?:early|late|mid)[ \t]+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d))",
    re.I)
# What a study of an earlier year showed, told in a clinical note after its finding (session 32): "L2 fracture seen on the
# CT in 2019", "T12 compression fracture, shown by an MRI of the spine in 2021", "cord compression found on the 2020
# MRI". The study word must stand between the verb and the year: "seen in 2019" dates no study.
_STUDY_WORD = (r"(?:ct|cts|mri|mris|mr|x-?rays?|xr|radiographs?|films?|scans?|pet(?:[-/]ct)?|imaging|study|studies|dxa|dexa"
               r"|myelogram|survey)")
_SHOWN_BY_STUDY_OF_YEAR = re.compile(
    r"(?:,?[ \t]+(?:which|that)[ \t]+(?:was|were))?,?[ \t]+(?:first[ \t]+)?(?:seen|shown|noted|found|demonstrated|identified"
    r"|detected|diagnosed|documented|confirmed|described|reported)[ \t]+(?:on|by|at|in)[ \t]+"
    r"(?:(?:an?|the|her|his|their|outside|prior|previous)[ \t]+)?(?:"
    rf"(?:[\w/-]+[ \t]+){{0,2}}?{_STUDY_WORD}(?:[ \t]+[\w/-]+){{0,4}}?,?[ \t]+(?:in|from|of|dated|done[ \t]+in)[ \t]+"
    r"(?:(?:early|late|mid)[ \t]+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d)"
    rf"|(?P<year2>(?:19|20)\d\d)[ \t]+(?:[\w/-]+[ \t]+){{0,2}}?{_STUDY_WORD}\b)",
    re.I)
_SHORT_PARENTHESIS = re.compile(r"\([^()\n]{0,40}\)")
_DENIAL_GAP_BREAK = re.compile(r"[;:()]|\.(?!\d)|\n[ \t]*\n")
# A template's field line: a short label at the line start (after spaces or a bullet) and its colon ("Fracture: No",
# "  Bone lesion: new sclerotic focus"); FIELD_LABEL_END is what must follow a fracture read as the field's label.
_FIELD_LINE = re.compile(r"[ \t>*\-]*[A-Za-z][A-Za-z /'-]{0,40}[ \t]*:")
_FIELD_LABEL_END = re.compile(r"[ \t]*(?::|\t)")
_FIELD_INDENT = re.compile(r"[ \t>*\-]*")


def _by_start(mentions: list[dict[str, Any]]) -> tuple[list[int], list[dict[str, Any]]]:
    """The mentions in start order, and their starts (for halving)."""
    ordered = sorted(mentions, key=lambda n: n["start"])
    return [n["start"] for n in ordered], ordered


# Words of a lung finding: a sentence holding one speaks of a lung's or lobe's collapse, not a vertebra's.
_LUNG_WORDS = re.compile(
    r"\b(?:lungs?|lob(?:e|es|ar)|consolidation|atelecta\w*|effusions?|pneumothorax|airspace|segmental)\b", re.I
)


# A clause that opens by pointing back ("; it is now considered a bone island", ", which is a haemangioma"), or
# that is only a reading of what came before it ("...; likely a bone island", "; most likely a hemangioma";
# session 23: the reading needs no pointing word when it opens its clause).
# Concepts whose kinds a "versus" may pose against each other with the finding itself certain: a protrusion versus an
# extrusion is a disc herniation either way (affirm_malignant_alternatives; session 32).
_ONE_KIND = frozenset({"disc_herniation"})
# the words a disc herniation's kind may carry between "versus" and the other kind ("vs. small left foraminal extrusion")
_KIND_GAP = re.compile(
    r"\s*(?:(?:an?|the|small|tiny|large|broad(?:-based)?|focal|shallow|left|right|central|paracentral|subarticular"
    r"|foraminal|extraforaminal|far|lateral|posterior|disc)\s+){0,4}", re.I)
_POINTING_CLAUSE = re.compile(
    r"[\s;,(-]*(?:it|this|which|these|they|(?:most\s+|very\s+)?(?:likely|probably|presumably|favou?r(?:ed|ing)?)"
    # "; favor degenerative facet arthropathy over metastatic disease", "; characteristic of a hemangioma" (session 32)
    r"|(?:consistent|compatible)\s+with|in\s+keeping\s+with|(?:typical|characteristic|diagnostic)\s+of)\b",
    re.I,
)
_DISC_LEVEL = re.compile(r"([CTLS])(\d{1,2})-([CTLS])(\d{1,2})")


def _only_hedge(m: dict[str, Any], cue: dict[str, Any]) -> bool:
    """cue is the only one of m's cues that does not affirm it."""
    hedges = [c for c in m["cues"] if c["assertion"] != "present"]
    return bool(hedges) and all(c["start"] == cue["start"] for c in hedges)


def _hedged_by_cue(mentions: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """A hedge cue's start -> the mentions it hedges (a cue that does not affirm them)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for n in mentions:
        for c in n["cues"]:
            if c["assertion"] != "present":
                out.setdefault(c["start"], []).append(n)
    return out


# What a text needs for a later word on its findings: an addendum's header ("addendum", "update", "amended",
# "correction", "discrepancy", "attending ...") or a correcting sentence's word (corrections._CORRECTION).
_LATER_WORDS = ("addend", "update", "amend", "correct", "discrepan", "attending", "actually", "retrospect", "review",
                "instead", "agree")

# a spine level written as a word ("T10", "L1"), not inside a range or a word, nor an MRI sequence ("T1 hypointense",
# "T2 bright", "T1-weighted", "T1 and T2")
_LEVEL_WORD = re.compile(
    r"(?<![\w-])([CTLS])(\d{1,2})(?![\w-])(?!(?<=[Tt][12])\s+(?:and|or|hypo|hyper|iso|bright|dark|signal|weighted|post|fat|images?))",
    re.I)


_VERTEBRA = re.compile(r"[CTLS]\d{1,2}")


# The benign whole-skeleton reading of diffuse bone-scan uptake (patterns/targets.json), and the clause words that
# call an uptake diffuse.
METABOLIC_SUPERSCAN = frozenset({"benign_metabolic_superscan", "benign_metabolic_superscans"})
_DIFFUSE = re.compile(r"\b(?:diffuse|diffusely|generali[sz]ed|uniform|uniformly)\b", re.I)
# The degenerative findings of bone, whose uptake a bone scan shows (labels.md: "arthropathy ... benign").
_BONY_DEGENERATION = frozenset({"facet_arthropathy", "spondylosis", "endplate_changes", "disc_degeneration"})
UPTAKE_AT_DEGENERATION = "uptake at a vertebra of a degenerative finding of bone the report names"


def _vertebrae(m: dict[str, Any]) -> set[str]:
    """The vertebrae m's spine levels name ("L3-L4", a disc level, names L3 and L4)."""
    return {v for loc in m["locations"] if loc["kind"] == "level" for lv in loc.get("levels", ())
            for v in _VERTEBRA.findall(lv)}


# a spine level as written, for _levels_since_head's set (the level's own spelling, any case)
_LEVEL_AS_WRITTEN = re.compile(r"(?<![\w-])[CTLS]\d{1,2}(?![\w-])", re.I)
# How far back from a reading's sentence end, and from a hedge, the levels they name are read: a paragraph of a
# report (a whole report exported on one line is read this far, not to its start, once per reading or hedge)
_PARAGRAPH_REACH = 2000


def _levels_since_head(n: dict[str, Any], nearby: Neighbours) -> set[str]:
    """The levels a site-less benign reading n in an addendum names between the addendum's head and its sentence
    end (within _PARAGRAPH_REACH of it), as written: the addendum's reading of them (session 23)."""
    text, end = nearby.text, n["sentence"]["end"]
    heads = addendum_heads(nearby)
    i = bisect_right(heads, (n["start"], n["start"])) - 1
    while i >= 0 and heads[i][1] > n["start"]:  # a head must end by n's start
        i -= 1
    if i < 0:
        return set()
    lo = max(heads[i][0], end - _PARAGRAPH_REACH)
    return {x.group(0).upper() for x in _LEVEL_AS_WRITTEN.finditer(text, lo, end)}


def _reading_sites(n: dict[str, Any], nearby: Neighbours) -> set[str]:
    """The sites a benign reading names: its own, or those of the lesion its clause reads ("Attending addendum: the
    right iliac focus is a bone island": the island's site is the focus's, the iliac bone; session 23)."""
    return _sites(n).union(*(_sites(k) for k in nearby.clause_members(n) if k["concept"] in LESIONS and k is not n))


def _corrections(nearby: Neighbours) -> list[dict[str, Any]]:
    """The report's benign readings that may correct a lesion: in an addendum or in a correcting sentence (once a
    report)."""
    return nearby.once(("corrections",), lambda: [  # type: ignore[no-any-return]
        n for n in nearby.benign if n["section"] == ADDENDUM or nearby.found_in(n, "sentence", _CORRECTION)
    ])


def _corrections_index(nearby: Neighbours) -> _Corrections:
    """The corrections filed by the sites they read (once a report)."""
    return nearby.once(("corrections index",), lambda: _Corrections(_corrections(nearby), nearby))  # type: ignore[no-any-return]


class _Corrections:
    """The report's corrections (benign readings in an addendum or a correcting sentence; LabelDecider._corrected)
    filed by each site they read (_reading_sites), and, for a hedge's levels, by those sites and each level a
    site-less addendum reading's addendum names before it (_levels_since_head), in text order; the site-less
    addendum readings by the names their windows hold (Readdressings). A lesion asks, for each of its sites, for
    the latest correction filed there that leaves no malignant reading open for it, found once per site and site
    set: every lesion asked every correction (a report of thousands of lesions each corrected in an addendum
    line: 100 kB 3.0 s; session 24). (nearby is passed in, not kept: this lives in nearby's memo.)"""

    def __init__(self, corrections: list[dict[str, Any]], nearby: Neighbours) -> None:
        self.ordered = sorted(corrections, key=lambda n: n["start"])
        self.by_site: dict[str, list[dict[str, Any]]] = {}
        for n in self.ordered:
            for name in _reading_sites(n, nearby):
                self.by_site.setdefault(name, []).append(n)
        self.by_level: dict[str, list[dict[str, Any]]] | None = None
        self.readdressings = Readdressings(self.ordered, nearby.text, addendum_heads(nearby))
        self.latest: dict[tuple[bool, str, frozenset[str]], int] = {}

    def levels(self, nearby: Neighbours) -> dict[str, list[dict[str, Any]]]:
        """The corrections by site and by the levels named since their addendum's header (found when first asked)."""
        if self.by_level is None:
            self.by_level = {}
            for n in self.ordered:
                names = _reading_sites(n, nearby)
                if n["section"] == ADDENDUM and not _sites(n):
                    names = names | _levels_since_head(n, nearby)
                for name in names:
                    self.by_level.setdefault(name, []).append(n)
        return self.by_level

    def after(self, m: dict[str, Any], name: str, left_open: Callable[[dict[str, Any], dict[str, Any]], bool],
              by_level: bool = False) -> bool:
        """A correction filed under ``name`` starts after m ends and leaves no malignant reading open for m (which
        asks of m's sites only)."""
        key = (by_level, name, frozenset(_sites(m)))
        latest = self.latest.get(key)
        if latest is None:
            filed = (self.by_level or {}) if by_level else self.by_site
            latest = self.latest[key] = next((n["start"] for n in reversed(filed.get(name, ())) if not left_open(n, m)), -1)
        return latest > m["end"]


class _BenignIndex:
    """The report's benign findings filed by what lets one explain a lesion (_explained): the sites they meet (a
    level or bone they share, or a bone one names with no side and the other with one: "right fourth rib" ... "rib
    focus" in the impression that sums it up; sites._sites_meet), the vertebrae a disc-spanning one spans (its
    rule's ``spans_disc``: discitis-osteomyelitis "at L2-3" reads "destruction of the L2 endplate"; session 21),
    the starts of the antecedents they point back to ("Sclerotic focus in the ilium. This represents a bone
    island."), and, for a site-less one whose clause opens by pointing back, its clause start in its sentence (a
    later clause of the lesion's sentence: "The sclerotic lesion in the left sacral ala ... is unchanged over 2
    years; it is now considered a bone island."; session 21). A lesion asks for its own: every lesion asked every
    benign finding of the report (a report of thousands of lesions each explained in the next line: 100 kB 7.9 s;
    session 23)."""

    def __init__(self, benign: list[dict[str, Any]], text: str,
                 clause_sites: Callable[[dict[str, Any]], frozenset[str]] | None = None) -> None:
        self.text = text
        self.by_site = by_site(benign)
        if clause_sites is not None:  # a reading with no site of its own, filed at the sites its clause's lesions name
            for n in benign:
                if not _sites(n):
                    for key in meeting_keys(set(clause_sites(n))):
                        self.by_site.setdefault(key, []).append(n)
        antecedents: list[tuple[int, int, dict[str, Any]]] = []
        self.pointing: dict[tuple[int, int], list[tuple[int, int, dict[str, Any]]]] = {}
        for i, n in enumerate(benign):
            sites = _sites(n)
            if (n.get("meta") or {}).get("spans_disc"):  # the vertebrae beside its disc (_spans_site_of)
                for d in filter(None, map(_DISC_LEVEL.fullmatch, sites)):
                    a, x, b, y = d.groups()
                    for vertebra in {a + x, b + y}:
                        self.by_site.setdefault(("site", vertebra), []).append(n)
            antecedents += [(loc["start"], i, n) for loc in n["locations"] if loc.get("antecedent")]
            clause = _span(n, "clause")
            if not sites and _POINTING_CLAUSE.match(text, clause[0]) is not None:
                self.pointing.setdefault(_span(n, "sentence"), []).append((clause[0], i, n))
        antecedents.sort(key=lambda x: (x[0], x[1]))
        self.antecedent_starts = [a for a, _, _ in antecedents]
        self.antecedents = antecedents
        for found in self.pointing.values():
            found.sort(key=lambda x: (x[0], x[1]))
        self.closed: dict[tuple[Any, ...], bool] = {}
        self.latest: dict[tuple[Any, ...], int] = {}

    def explains(self, m: dict[str, Any], left_open: Callable[[dict[str, Any], dict[str, Any]], bool]) -> bool:
        """Some benign finding that may explain m by site, by pointing back into its sentence, or by a clause after
        it that points back, leaves no malignant reading open for m (``left_open``). Every finding filed where m
        asks passes _explained's site or pointing test for m by the filing's construction, and left_open reads m's
        sites only, so each filing is asked once per site set (a sentence's, once per sentence and site set), not
        once per lesion: a line of thousands of lesions and their readings at one level asked each lesion every
        reading there (100 kB 0.45 s; session 24)."""
        sites = frozenset(_sites(m))
        lo, hi = _span(m, "sentence")
        ribs = rib_numbers(m, self.text) if any(s.endswith(":rib") for s in sites) else frozenset()
        if any(self._any(("site", *k, sites, ribs), lambda k=k: self._numbered(self.by_site.get(k, ()), ribs),
                         m, left_open) for k in asking_keys(sites)):  # type: ignore[misc]
            return True
        if self._any(("antecedent", lo, hi, sites), lambda: (n for _, _, n in self.antecedents[
                bisect_left(self.antecedent_starts, lo) : bisect_left(self.antecedent_starts, hi)]), m, left_open):
            return True
        after = self.pointing.get((lo, hi))
        if not after:
            return False
        key = ("pointing", lo, hi, sites)
        latest = self.latest.get(key)
        if latest is None:  # the last clause start in m's sentence of a pointing finding that leaves m's sites closed
            latest = self.latest[key] = next((c for c, _, n in reversed(after) if not left_open(n, m)), -1)
        return latest >= m["clause"]["end"]

    def _numbered(self, found: Iterable[dict[str, Any]], ribs: frozenset[int]) -> Iterable[dict[str, Any]]:
        """The findings of ``found`` that name no rib by number, or one of ``ribs`` (a lesion's numbered ribs)."""
        if not ribs:
            return found
        return (n for n in found if (theirs := rib_numbers(n, self.text)) == frozenset() or theirs & ribs)

    def _any(self, key: tuple[Any, ...], found: Callable[[], Iterable[dict[str, Any]]], m: dict[str, Any],
             left_open: Callable[[dict[str, Any], dict[str, Any]], bool]) -> bool:
        """Some finding of ``found()`` leaves m's sites closed, asked once per ``key``."""
        answer = self.closed.get(key)
        if answer is None:
            answer = self.closed[key] = any(not left_open(n, m) for n in found())
        return answer


class LabelDecider:
    def __init__(self, concepts: dict[str, dict[str, Any]], links: dict[str, list[str]] | None = None) -> None:
        self.concepts = concepts
        links = links or {}
        self.cause_after = _cue_regex(links.get("pathologic_cause_after", []))
        self.cause_before = _cue_regex(links.get("pathologic_cause_before", []))
        # The same cues, found anywhere: a clause's cue positions are looked up by bisection.
        self.cause_words = (
            _cue_words(links.get("pathologic_cause_after", []), links.get("pathologic_cause_after_dash", [])),
            _cue_words(links.get("pathologic_cause_before", [])),
        )

    def link_pathologic_causes(self, nearby: Neighbours, text: str) -> list[dict[str, Any]]:
        """Mark fractures their clause says a tumor caused ("fracture of L2 due to metastasis"), that are
        called pathologic after the fact ("fracture of L2, possibly pathologic"), or whose cause the next
        sentence gives ("Fracture of L2. This is due to the known myeloma."). An alternative ("rather
        than", "versus", "or") is never a cause.

        Of the tumor mentions of the clause, the cause is the farthest one after the fracture with a cause
        cue and no alternative between them, else the nearest such one before it. The cues of a clause
        are found once and looked up by position, so a clause of many mentions stays linear (so are a
        clause's "not pathologic" and the fragment after its semicolon)."""
        causes: dict[tuple[int, int], _ClauseCauses | None] = {}
        other_causes: dict[tuple[int, int], tuple[list[tuple[int, int]], int]] = {}
        fragments: dict[tuple[int, int], re.Match[str] | None] = {}  # (clause end, sentence end) -> "; pathologic"
        denials: dict[tuple[int, int], int] = {}  # clause -> start of its last "not pathologic" (-1: none)
        for f in nearby.all:
            if f["concept"] == "pathologic_fracture":
                key = _span(f, "clause")
                if key not in other_causes:  # searched once per clause
                    words = [(w.start(), w.end()) for w in _NOT_TUMOR_CAUSE.finditer(text, *key)]
                    other_causes[key] = (words, differential_end(text, *key) if words else 0)
                words, differential = other_causes[key]
                osteoporotic = False
                for joined, word in joined_beside(text, words, _pathologic_word(text, f), differential):
                    if joined == "alternative":  # "osteoporotic versus pathologic", "benign or pathologic"
                        f["pathologic_alternative"] = True
                    elif joined is None and _OSTEOPOROTIC.fullmatch(text, *word):
                        osteoporotic = True
                # a denial keeps its word: "likely osteoporotic - no evidence of pathologic fx" denies it
                if osteoporotic and f["assertion"] != "absent" and not self._tumor_in_sentence(f, nearby):
                    f["osteoporotic"] = True  # "osteoporosis, pathologic fractures T12-L2": not a tumor's
            if f["concept"] != "fracture":
                continue
            key = _span(f, "clause")
            if key not in causes:
                # a bare sclerosis or lucency beside a fracture is that fracture's own appearance, never its cause;
                # so is uptake ("focal uptake in the L4 pars with an incomplete fracture line"; session 28)
                tumors = [n for n in nearby.clause_members(f)
                          if self.group(n) == "bone_lesion" and _affirmed(n) and not _bare_lesion(n)
                          and n["concept"] != "bone_uptake"]
                causes[key] = _ClauseCauses(text, key[0], key[1], self.cause_words, tumors, _strong_tumor) if tumors else None
            if causes[key] is not None:
                cause = causes[key].cause(f, _has_bone(f))
                if cause is not None and not (cause["end"] <= f["start"] and _WITH_OLD.search(text, cause["end"], f["end"])):
                    f["pathologic_cause"] = cause["id"]
            called = _CALLED_PATHOLOGIC.match(text, f["end"], f["clause"]["end"])
            if called is None:
                # "Compression fracture of L2; osteoporotic versus pathologic.": a verbless fragment after the
                # semicolon that only says what the fracture is (looked up once per clause)
                after = (f["clause"]["end"], f["sentence"]["end"])
                if after not in fragments:
                    fragment = _NEXT_FRAGMENT.match(text, *after)
                    fragments[after] = fragment and _CALLED_PATHOLOGIC.fullmatch(
                        text, fragment.start("words"), fragment.end("words"))
                called = fragments[after]
            if f.get("pathologic_cause") is None:
                alternatives = _CAUSE_ALTERNATIVES.match(text, f["end"], f["sentence"]["end"])
                if alternatives:  # "T11 compression fracture, osteoporotic versus metastatic": its cause is in doubt
                    called = None
                    f["pathologic_called"] = "possible"
                    f["pathologic_alternative"] = True  # the benign cause word beside it is no explanation
                    if f["assertion"] == "possible" and f["cues"] and all(
                        _VERSUS_CUE.search(c["rule"]) and c["start"] >= f["end"] and c["end"] <= alternatives.end()
                        for c in f["cues"]
                    ):  # the "versus" poses two causes of the fracture, not two readings of the finding
                        f["assertion"] = "present"
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None:
                # "..., not due to trauma but to a metastasis", "It was caused by the fall, not by cancer." (session 32)
                set_against = cause_set_against(text, f, f["sentence"]["end"] + _NEXT_SENTENCE_REACH)
                if set_against is not None:
                    f["pathologic_called"] = set_against
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None:
                # "The fracture is osteoporotic; metastasis is not likely to be the cause." (session 33)
                named = tumour_named_the_cause(text, f, f["sentence"]["end"] + _NEXT_SENTENCE_REACH)
                if named is not None:
                    f["pathologic_called"] = named
            if key not in denials:  # where the clause calls a fracture not pathologic, found once per clause
                denials[key] = max((w.start() for w in _CALLED_NOT_PATHOLOGIC.finditer(text, *key)), default=-1)
            if f.get("pathologic_called") is not None:
                pass  # two causes posed as alternatives (above): possible, whatever the clause says after; or two
                # causes set against each other (above)
            elif f.get("pathologic_cause") is None and denials[key] >= f["end"]:
                f["pathologic_called"] = "absent"  # "..., favored osteoporotic rather than pathologic"
            elif called and f.get("pathologic_cause") is None and _CALLED_NOT_PATHOLOGIC.search(text, *called.span()):
                # "Acute osteoporotic L2 compression fracture; MRI features benign, not pathologic." (session 21)
                f["pathologic_called"] = "absent"
            elif called and f.get("pathologic_cause") is None and not _DENIED.search(called.group("before")):
                hedge = (called.group("hedge") or "").lower()
                # "not excluded to be pathologic" hedges it as "cannot be excluded" does
                hedged = (hedge and (hedge.split()[0] in _HEDGES or "excluded" in hedge or "ruled" in hedge)
                          ) or _ALTERNATIVE.search(called.group("before"))
                f["pathologic_called"] = "possible" if hedged else "present"
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None and _CALLED_BEFORE.search(
                text, max(f["clause"]["start"], f["start"] - _CALLED_BEFORE_REACH), f["start"]
            ):
                f["pathologic_called"] = "present"  # "pathological collapse of T9": called so before its words
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None and (
                    leukaemia := _LEUKAEMIA_CAUSE.match(text, f["end"], f["sentence"]["end"])):
                # "T8 and L2 compression fractures related to the leukaemia": a named leukaemia given as the cause
                # breaks the bone it is in, though its words name no bone (session 28)
                f["pathologic_called"] = "possible" if leukaemia.group("hedge") else "present"
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None:
                # "Compression deformity of L2. This may be pathologic.": the next sentence, pointing back,
                # only calls it pathologic (a sentence further on may point to another finding: not read)
                said = _CALLED_NEXT.match(text, f["sentence"]["end"])
                if said is None and f["clause"]["end"] < f["sentence"]["end"] and (
                        semicolon := _SEMICOLON.match(text, f["clause"]["end"])) is not None:
                    # "... an osteoporotic fracture; I don't think it's pathological: ..." (session 31): the
                    # sentence goes on after a semicolon as a next one would
                    said = _CALLED_NEXT.match(text, semicolon.end())
                if said is None and (quiet := _QUIET_NEXT.match(text, f["sentence"]["end"])) is not None:
                    # "A cracked vertebra. This kind of break happens when bones are thin. It is not caused by
                    # cancer." (session 32): over a sentence between that names nothing and points back to it, the
                    # finding just before is still the fracture; one that names a finding is what "It" points to
                    said = _CALLED_NEXT.match(text, quiet.end())
                    if said is not None and nearby.next_sentence(f):
                        said = None
                if said and (_DENIED.search(words := said.group("words")) or said.group("lead")):
                    # "Compression fracture of L1. It is not pathologic." denies the cause, as the clause's own
                    # "not pathologic" does ("not clearly pathologic" leaves it open: no status; session 23)
                    if said.group("lead") or (not said.group("hedge") and not _NOT_CLEARLY.search(words)):
                        f["pathologic_called"] = "absent"
                elif said:
                    hedge = (said.group("hedge") or "").lower()
                    f["pathologic_called"] = "possible" if hedge and hedge.split()[0] in _HEDGES else "present"
            if f.get("pathologic_cause") is None and (following := nearby.next_sentence(f)):
                # (asked once per next sentence and whether f names its bone, all that _malignant reads of f: each
                # fracture of a long sentence read every finding of the next, 100 kB 6.6 s; session 24)
                cause = nearby.once(("cause next", *_span(following[0], "sentence"), _has_bone(f)),
                                    lambda f=f, following=following: self._cause_next(following, f, text))
                if cause is not None:
                    f["pathologic_cause"] = cause
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None and self._hedged_beneath(f, nearby):
                f["pathologic_called"] = "possible"  # "T8 compression deformity; underlying lesion not excluded"
            if (f.get("pathologic_cause") is None and f.get("pathologic_called") is None and f["assertion"] == "present"
                    and not f.get("cues") and (lesion := self._lesion_field_before(f, nearby, text)) is not None):
                # a SINS table's "Bone lesion: lytic - 2" then "Vertebral body collapse: <50% collapse - 2": the
                # collapse field answers of the lesion's vertebra, as "Fracture: No" under it denies one (session 27)
                f["pathologic_cause"] = lesion["id"]
            if (f.get("meta") or {}).get("not_pathologic") and f.get("pathologic_cause") is None:
                f["pathologic_called"] = "absent"  # "non-pathologic fracture of the femur" (session 22)
        denied_fractures = []  # for link_denials_after_lesions, found in the same walk
        for f in nearby.all:  # a denial that sets one cause of a fracture against another denies only that cause
            if f["assertion"] == "absent" and not f.get("cues") and f["concept"] == "fracture":
                denied_fractures.append(f)  # denied by its field's answer ("Fracture: No"; session 26)
            elif f["assertion"] == "absent" and f.get("cues") and f["concept"] in ("fracture", "pathologic_fracture"):
                contrast = cause_contrast(text, f)
                if contrast is not None:
                    f["cause_denied"] = True
                    kept, denied = contrast  # "benign rather than tumor": not pathologic; the reverse: pathologic
                    f["pathologic_called"] = "absent" if denied == "tumor" else "present" if kept == "tumor" else None
                elif f["concept"] == "fracture":
                    denied_fractures.append(f)
        return denied_fractures

    def link_denials_after_lesions(self, nearby: Neighbours, text: str, denied: list[dict[str, Any]]) -> None:
        """A fracture denied after a bone lesion in its sentence (``denied``: the denied fractures with no cause
        contrast, from link_pathologic_causes), with no cause or pathologic reading of its own, is denied through
        that lesion (``_lesion_before_denial``; session 24)."""
        for f in denied:
            if f.get("pathologic_cause") is not None or f.get("pathologic_called") is not None:
                continue
            # a denial with no cue is a field's answer ("Fracture: No"): only a field line above it can hold its lesion
            lesion = self._lesion_before_denial(f, nearby, text) if f.get("cues") else None
            if lesion is None:
                lesion = self._lesion_field_before(f, nearby, text)
            if lesion is not None:  # "lytic lesion of the humerus, 50% of the cortex, no fracture"
                f["pathologic_cause"] = lesion["id"]

    def _lesion_field_before(self, f: dict[str, Any], nearby: Neighbours, text: str) -> dict[str, Any] | None:
        """The affirmed bone lesion of a template field line above the fracture field f answered no ("Lesion: 2.8 cm
        lytic lesion, left femur" then "Fracture: No"): a template's field lines, one under the other with no blank
        line, describe one finding as a sentence's comma items do (session 25). Only a field line holds it: a lesion
        in prose, a heading line or a blank line between, another fracture field between ("Rib fracture: No" then
        "Vertebral fracture: No") or a site of f's own that the lesion does not share leave f alone."""
        line = nearby.lines.of(f["start"])
        if _FIELD_INDENT.fullmatch(text, line, f["start"]) is None or _FIELD_LABEL_END.match(text, f["end"]) is None:
            return None  # f is no field's label
        lo = max(0, f["start"] - _DENIAL_AFTER_LESION_REACH)
        starts, ordered = nearby.once(("mentions by start",), lambda: _by_start(nearby.all))
        end = line
        while end > lo:  # the field lines above f's, nearest first
            start = nearby.lines.of(end - 1)
            if _FIELD_LINE.match(text, start, end) is None:
                return None
            above = ordered[bisect_left(starts, start) : bisect_left(starts, end)]
            if any(n["concept"] in ("fracture", "pathologic_fracture") for n in above):
                return None
            lesion = next((n for n in reversed(above) if n["counts"] and self.group(n) == "bone_lesion"
                           and _affirmed(n) and not _bare_lesion(n) and _strong_tumor(n)), None)
            if lesion is not None:
                sites, own = _sites(lesion), _sites(f)
                return lesion if not own or not sites or _sites_meet(own, sites) else None
            end = start
        return None

    def _lesion_before_denial(self, f: dict[str, Any], nearby: Neighbours, text: str) -> dict[str, Any] | None:
        """The affirmed bone lesion that a denied fracture f follows in its sentence, as a comma item or after a
        long description ("4 cm lytic lesion ... involving >2/3 of the cortical width, no fracture."; "... lesion
        ..., 9 cm of the shaft ..., and without a fracture line"): the denial is of a fracture through it, as
        "with no fracture" right after it is (labels.md, pathologic_fracture). Not across a colon, semicolon,
        open parenthesis, blank line, another fracture or an alternative, nor when f names a site the lesion does not."""
        # The sentence's mentions are walked in order up to the first that ends past f's start; the walk's state
        # after each mention is kept once per sentence, so the denials of a long sentence do not each walk it again
        # (100 kB of "lytic lesion of a rib, no fracture;" 0.82 s, 24x from 10 kB; session 24).
        reach, lesions = nearby.once(("lesions before", *_span(f, "sentence")),
                                     lambda: self._lesions_walked(nearby.sentence_members(f)))
        lesion = lesions[bisect_right(reach, f["start"])]
        if lesion is None or f["start"] - lesion["end"] > _DENIAL_AFTER_LESION_REACH:
            return None
        if not all(c["start"] >= lesion["end"] for c in f["cues"] if c["assertion"] == "absent"):
            return None
        gap = _SHORT_PARENTHESIS.sub("", text[lesion["end"] : f["start"]])  # "(SUVmax 8.7)" is the lesion's
        if _DENIAL_GAP_BREAK.search(gap):
            return None
        # an "or" after f's own denial cue joins its denied list ("stable lytic dz, no new lesions or fx"), no
        # alternative to the lesion (session 27); before the cue it still is one
        cue = min((c["start"] for c in f["cues"] if c["assertion"] == "absent"), default=f["start"])
        head = _SHORT_PARENTHESIS.sub("", text[lesion["end"] : cue])
        tail = _SHORT_PARENTHESIS.sub("", text[cue : f["start"]])
        if _ALTERNATIVE.search(head) or _ALTERNATIVE_NOT_OR.search(tail):
            return None
        sites, own = _sites(lesion), _sites(f)
        return lesion if not own or not sites or _sites_meet(own, sites) else None

    def _lesions_walked(self, members: list[dict[str, Any]]) -> tuple[list[int], list[dict[str, Any] | None]]:
        """For _lesion_before_denial: the furthest end of the sentence's mentions up to each (the walk stops at the
        first that ends past a start: the first whose furthest end does), and the lesion a walk holds after each
        count of mentions (a fracture between clears it: the denial is read against that one)."""
        lesions: list[dict[str, Any] | None] = [None]
        lesion = None
        for n in members:
            if n["concept"] in ("fracture", "pathologic_fracture"):
                lesion = None
            elif (n["counts"] and self.group(n) == "bone_lesion" and _affirmed(n) and not _bare_lesion(n)
                  and _strong_tumor(n)):
                lesion = n
            lesions.append(lesion)
        return list(accumulate((n["end"] for n in members), max)), lesions

    def _cause_next(self, following: list[dict[str, Any]], f: dict[str, Any], text: str) -> int | None:
        """The id of the first tumor finding of the sentence after fracture f's that points back to it and gives
        itself as the cause ("Fracture of L2. This is due to the known myeloma."), or None.

        The sentence is sliced once: each tumor's searches read it up to the tumor's start through ``endpos`` (as
        the slice up to there reads), and an alternative ending before that start is the sentence's first, found
        once (a sentence of thousands of tumors after "rather than" sliced itself for each; session 25)."""
        if not following:
            return None
        lo = following[0]["sentence"]["start"]
        said = text[lo : following[0]["sentence"]["end"]]
        first_alternative: int | None = None  # the end of the sentence's first alternative, once looked for
        for n in following:
            cut = n["start"] - lo
            if self._malignant(n, f) and _POINTS_BACK.match(text, lo, n["start"]) and self.cause_after.search(said, 0, cut):
                if first_alternative is None:
                    found = _ALTERNATIVE.search(said)
                    first_alternative = found.end() if found else len(said) + 1
                if first_alternative >= cut and not _ALTERNATIVE.search(said, 0, cut):
                    return n["id"]  # type: ignore[no-any-return]
        return None

    def hedge_benign_alternatives(self, nearby: Neighbours, text: str) -> None:
        """An affirmed malignant mention posed as the alternative to a benign reading of the same finding
        ("hyperplastic marrow versus marrow infiltration by myeloma", "reactive marrow or marrow
        infiltration", "myeloma or reactive marrow") is one of two readings: possible (labels.md: "versus").
        Only a short join with no other link between the two counts ("and", "with", "rather than" do not);
        a sentence's benign readings are listed once, and each malignant mention looks only at those."""
        anywhere = None  # some counting, affirmed benign finding in the report (asked at its first malignant mention)
        for m in nearby.all:
            if m["concept"] not in MALIGNANT or m["assertion"] != "present" or not m["counts"]:
                continue
            if anywhere is None:  # (this step changes no benign finding: none anywhere, none in any sentence)
                anywhere = any(n["counts"] and n["assertion"] in ("present", "possible") and self.group(n) == "benign"
                               for n in nearby.all)
            if not anywhere:
                break  # a report with no benign reading asks no sentence for one (each sentence listed its own)
            benign = nearby.once(("benign readings", *_span(m, "sentence")), lambda m=m: [
                (n["start"], n["end"]) for n in nearby.sentence_members(m)
                if n["counts"] and n["assertion"] in ("present", "possible") and self.group(n) == "benign"
            ] or ())  # (a sentence with none keeps the one empty tuple, not a list of its own: session 24)
            for start, end in benign:
                if end <= m["start"]:
                    joined = _ALTERNATIVE_THEN.match(text, end, m["start"])
                elif start >= m["end"]:
                    joined = _ALTERNATIVE_NEXT.match(text, m["end"], start)
                else:
                    continue
                if joined and not _OTHER_LINK.search(joined.group(0)):
                    m["assertion"] = "possible"
                    break

    @staticmethod
    def hedge_herniation_beside_bulge(mentions: list[dict[str, Any]], text: str) -> None:
        """A disc herniation posed as the alternative to a bulge of the same disc ("L4-5: disc bulge or small left
        paracentral protrusion", "protrusion or bulge") is one of two readings: possible, while the bulge, the lesser
        reading both share (the disc reaches past the vertebral margin), stays as said (session 33; "bulge versus
        protrusion" leaves both possible, the spec's cue). Only plain findings of one clause, next to each other,
        joined by "or" and a few describing words."""
        before = None
        for m in mentions:
            if m["concept"] not in _BULGE_OR_HERNIATION:
                before = None if m["concept"] != "modality" else before
                continue
            if (before is not None and before["concept"] != m["concept"] and not before["cues"] and not m["cues"]
                    and before["assertion"] == m["assertion"] == "present" and _span(before, "clause") == _span(m, "clause")
                    and _OR_BETWEEN.fullmatch(text, before["end"], m["start"])):
                herniation = m if m["concept"] == "disc_herniation" else before
                herniation["assertion"] = "possible"
            before = m

    def affirm_malignant_alternatives(self, nearby: Neighbours, text: str) -> None:
        """Two malignant readings of one finding joined by "versus" ("solitary plasmacytoma versus metastasis")
        leave its kind open, not its malignancy: both are malignancy in bone either way (labels.md: myeloma and
        other malignancy in bone count like metastasis), so they and the findings of their sentence that only
        that "versus" hedged ("Destructive C5 lesion with pathological collapse: ...") are present (session 21).
        So are two kinds of one disc herniation ("disc protrusion vs. small extrusion": session 32, w74_34).
        A benign alternative keeps the hedge (hedge_benign_alternatives).

        The mentions a cue hedges are looked up by the cue (found once, when first needed), not by walking the
        sentence for each "versus": a long list of "metastasis versus myeloma" stays linear."""
        for m in nearby.all:
            if (m["concept"] not in MALIGNANT and m["concept"] not in _ONE_KIND) or m["assertion"] != "possible" or (
                    not m["counts"]):
                continue
            cue = next((c for c in m["cues"] if c["decided"] and _VERSUS_CUE.search(c["rule"])), None)
            gap = _ALTERNATIVE_GAP if m["concept"] in MALIGNANT else _KIND_GAP
            if (cue is None or cue["start"] < m["end"] or not _only_hedge(m, cue)
                    or gap.fullmatch(text, m["end"], cue["start"]) is None):
                continue  # "susp for metastatic disease vs myeloma": the malignancy itself is hedged as well
            other = next((n for n in nearby.sentence_members_from(m, cue["end"]) if n["start"] >= cue["end"]), None)
            if (other is None or other["assertion"] != "possible"
                    or (other["concept"] not in MALIGNANT if m["concept"] in MALIGNANT else other["concept"] != m["concept"])
                    or gap.fullmatch(text, cue["end"], other["start"]) is None):
                continue
            # cues never reach over a sentence, so the mentions a cue hedges are its sentence's
            for n in nearby.once(("hedged by cue",), lambda: _hedged_by_cue(nearby.all)).get(cue["start"], ()):
                if n["assertion"] == "possible" and _only_hedge(n, cue):
                    n["assertion"] = "present"

    def date_past_study_findings(self, nearby: Neighbours, text: str) -> None:
        """What a study of a past year showed is the patient's history ("In 1998 an MRI showed a small L4-L5
        disc herniation" in a note that names a later year, "an MRI two years ago showed ..."): a finding after
        the study's "showed" in its sentence, with no other study between them, takes the study's dating
        (``_dated_before_note``, session 15, or a years-ago frame cue) and is historical (session 16)."""
        # The studies first: nearly every report has no dated one, and then costs no more. No whole-text test
        # for a year first: _dated_before_note looks for one only beside the study (a search of the whole text
        # cost about 20 us a public report, the windows about 1).
        past = past_lines(text, (n for n in nearby.all if n["concept"] == "modality"))
        for m in nearby.all if past else ():  # a timeline's line dated a year or more before (session 17)
            if m["concept"] != "modality" and m["assertion"] in COUNTING and m["counts"] and on_lines(m, past):
                m["assertion"] = "historical"
                m["note"] = PAST_STUDY_FINDING
        for n in nearby.all:
            if n["concept"] != "modality" or not (
                any(c["rule"] in _PAST_YEAR_FRAMES for c in n["cues"]) or _dated_before_note(n, text)
            ):
                continue
            for m in nearby.sentence_members_from(n, n["end"]):  # (not each study reading its sentence from its start)
                if m["start"] < n["end"]:
                    continue
                if m["concept"] == "modality":
                    break  # a later study: what follows is its finding
                if m["assertion"] in COUNTING and m["counts"] and _PAST_STUDY_SHOWED.match(text, n["end"], m["start"]):
                    m["assertion"] = "historical"
                    m["note"] = PAST_STUDY_FINDING

    def _hedged_beneath(self, f: dict[str, Any], nearby: Neighbours) -> bool:
        """The next finding after fracture f, in its sentence or (f being its sentence's last fracture) the
        next one, is a tumor or lesion called underlying and hedged ("new T8 compression deformity, underlying
        lesion not excluded", "Collapse of T11. An underlying lesion cannot be excluded."): the break is there,
        its tumor cause in doubt (session 16). An affirmed underlying lesion is not linked (session 10). A denied
        lesion before it is passed over ("No focal lytic or blastic lesion is identified; however, a subtle
        underlying lesion cannot be excluded": session 32, w74_33)."""
        def finding(n: dict[str, Any]) -> bool:
            return bool(n["counts"]) and self.group(n) in ("fracture", "bone_lesion") and not (
                n["assertion"] == "absent" and self.group(n) == "bone_lesion")

        def first_after(members: list[dict[str, Any]], start: int) -> dict[str, Any] | None:
            return nearby.first_kept(members[0], start, "fracture or lesion", finding) if members else None

        n = first_after([f], f["end"])
        if n is None:
            n = first_after(nearby.next_sentence(f), 0)
        if n is None and nearby.once(("underlying",), lambda: _may_say_underlying(nearby.text)):
            # (only a text that calls something underlying can have that lesion two sentences on)
            n = first_after(nearby.past_quiet_sentence(f, +1), 0)
        return (n is not None and self.group(n) == "bone_lesion" and n["assertion"] == "possible"
                and _underlying(nearby.text, n))

    def _tumor_in_sentence(self, f: dict[str, Any], nearby: Neighbours) -> bool:
        """Whether f's sentence holds a tumor finding that can have broken a bone (``_malignant``), asked
        once per sentence: any tumor if f names its bone, else one that names its own."""

        def tumor(n: dict[str, Any]) -> int | None:
            return 0 if self.group(n) == "bone_lesion" and _affirmed(n) else None

        def strong(n: dict[str, Any]) -> int | None:
            return 0 if tumor(n) is not None and _strong_tumor(n) else None

        if nearby.sentence_least(f, "strong tumor", strong) is not None:
            return True
        return _has_bone(f) and nearby.sentence_least(f, "tumor", tumor) is not None

    def _malignant(self, n: dict[str, Any], f: dict[str, Any]) -> bool:
        """n is an affirmed tumor finding that can have broken a bone (f's, or its own bone)."""
        if not (self.group(n) == "bone_lesion" and _affirmed(n)):
            return False
        return not (n["concept"] in ("bone_uptake", "lesion", "malignancy") and not _has_bone(n) and not _has_bone(f))

    def group(self, m: dict[str, Any]) -> str:
        return self.concepts[m["concept"]]["group"]

    # --- per-mention contributions ---------------------------------------------------------

    def contributions(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        """Label -> status this mention gives, or {} with m["note"] set to say why not."""
        if not m["counts"]:
            m["note"] = f"section '{m['section']}' does not count toward labels"
            return {}
        if m["assertion"] not in COUNTING:
            if m.get("note") != PAST_STUDY_FINDING:
                m["note"] = f"assertion '{m['assertion']}' never counts"
            return {}
        if exam.pathology and _on_specimen_line(m, nearby):
            # "SPECIMEN: Right iliac bone lesion, core biopsy.", "Left femoral head (subcapital fracture)": what
            # was sent and why; the diagnosis says what it is (session 24: any finding, not only a lesion)
            m["note"] = "a pathology report's specimen line names what was sent, not what it shows"
            return {}
        group = self.group(m)
        if group == "bone_lesion":
            return self._bone_lesion(m, nearby, exam)
        if group == "fracture":
            return self._fracture(m, nearby, exam)
        if group == "cord":
            if (m.get("meta") or {}).get("needs_spine_exam") and not exam.spine and not _spine_site(m):
                # "SCC" is spinal cord compression on spine imaging or at a level, squamous cell carcinoma elsewhere
                m["note"] = "an abbreviation that means the cord only on spine imaging or beside a spine level"
                return {}
            if self._withdrawn(m, nearby):  # "... deforms the cord." ... "Addendum: ... There is no cord compression."
                m["note"] = WITHDRAWN
                return {}
            if m["assertion"] == "present" and _note_dated_event(m, nearby, exam):  # "T10 MSCC in March 2025, treated with RT"
                m["assertion"] = "historical"
                m["note"] = NOTE_DATED_EVENT
                return {}
            return {"cord_compression": m["assertion"]}
        if group == "degenerative":
            return self._degenerative(m, nearby, exam)
        if (m.get("meta") or {}).get("collapses") and _collapse_beside(m, nearby.text):
            m["note"] = "osteonecrosis told with its collapse: the subchondral fracture giving way, no pathologic one"
            return {"fracture": m["assertion"]}
        return {}

    def _bone_lesion(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        meta = m.get("meta") or {}
        a, concept, kinds = m["assertion"], m["concept"], _kinds(m)
        if concept == "blastic_lesion" and meta.get("needs_bone") and nearby.sentence_counts(
            m, self.group
        )["concept:disc_degeneration"]:  # "disc space narrowing, sclerosis and osteophytes": the sclerosis is of the endplates
            m["note"] = "sclerosis listed with disc degeneration is endplate sclerosis"
            return {"degenerative.endplate_changes": a}
        bone, organ = _has_bone(m), "organ" in kinds
        if concept in MALIGNANT and a != "absent" and self._corrected(m, nearby):
            # "Lytic T8 lesion, suspicious for metastasis." ... "ADDENDUM: the T8 lesion is actually a hemangioma"
            m["note"] = CORRECTED
            return {}
        if concept in ("bone_metastasis", "bone_malignancy"):
            return {"bone_metastasis": a}
        if a == "absent" and concept in meta.get("also", ()):
            # "No malignant compression fracture", "no metastatic cord compression": the denial is of the
            # fracture's or the compression's cause; the words name metastasis only as that cause.
            m["note"] = "a denied fracture or cord compression called malignant denies that cause, not bone metastasis"
            return {}
        if concept == "metastasis" and meta.get("tnm"):
            # TNM M0/M1 speaks of distant metastasis anywhere: an organ in its clause is the primary, but the
            # site its parenthesis or (in prostate cancer) its substage names is the metastasis's (session 18).
            site = tnm_site(m, nearby.text) if a != "absent" else None
            if site == "elsewhere":
                m["note"] = "a TNM M stage whose site is an organ or distant nodes, not bone"
                return {}
            bone_site = site == "bone" or exam.bone_only or "bone" in kinds
            return {"bone_metastasis": a if a == "absent" or bone_site else "possible"}
        if concept == "metastasis" and a == "present" and not bone and (
            answer := heading_site_answer(m, nearby.text)
        ) is not None:
            # "Sites of distant metastasis at diagnosis:" then "  Bone: Yes": the heading asks, its bone line answers
            if not answer:
                m["note"] = "a heading over metastatic sites whose bone line is missing, blank or not applicable"
                return {}
            return {"bone_metastasis": answer}
        if exam.organ_parts and not bone and concept in ("metastasis", "malignancy") and any(
            lo <= m["start"] < hi for lo, hi in exam.organ_parts
        ):
            # "A. Liver, segment 6, core biopsy: Metastatic adenocarcinoma." beside a bone part: the liver's
            m["note"] = "a pathology report's diagnosis of a part whose label names an organ, not the bone sent"
            return {}
        if concept == "metastasis" and exam.pathology and not bone and not exam.bone_only:
            # "Sentinel lymph node: negative for metastatic carcinoma (0/1).": the specimen's (a node's) metastasis
            m["note"] = "a pathology report's metastasis with no bone named is the specimen's, and no bone was sent"
            return {}
        if concept == "metastasis":
            organ = organ or _soft_region(m)
            if organ and not bone and a == "absent" and _OTHER_BEFORE.search(nearby.text, max(0, m["start"] - 25), m["start"]):
                # "a mass in the lung without any other metastatic disease": the organ is the other finding's
                return {"bone_metastasis": "absent"}
            if organ and not bone:
                m["note"] = "metastasis tied to a non-bone organ"
                return {}
            if not bone and a != "absent" and not exam.bone_only and nearby.previous_organ_finding(m, self.group):
                # "The midbrain lesion is most likely a cavernoma. Metastatic lesions could also enhance."
                m["note"] = "no site of its own: it continues the sentence before, about a finding in an organ"
                return {}
            if not bone and a != "absent" and not exam.bone_only and nearby.reads_organ_lesion(m, self.group):
                # "Three enhancing lesions: 9 mm in the right frontal lobe, ..., consistent with metastases."
                m["note"] = "no site of its own: it reads its sentence's lesions, found in an organ"
                return {}
            if not bone and a != "absent" and not exam.bone_only and m["section"] in OPERATIVE_SECTIONS:
                m["note"] = "an operative account's metastasis with no bone named is the tumor it removed"
                return {}
            if bone or a == "absent" or exam.bone_only:
                return {"bone_metastasis": a}
            m["note"] = "no site named and the exam is not bone-only: counts as possible"
            return {"bone_metastasis": "possible"}
        if concept == "lesion" and bone and not exam.bone_only and _segment_only(m):
            # "IMPRESSION: C-spine lesion." in a neurology note: a segment holds cord, discs and vertebrae
            m["note"] = "a bare lesion of a whole spine segment names no tissue (cord, disc or bone)"
            return {}
        if meta.get("not_in_pathology") and exam.pathology:
            # "eosinophilic deposits in vessel walls, Congo red positive": material under the microscope
            m["note"] = "a pathologist's bare deposit is material seen in the tissue, not tumour"
            return {}
        if meta.get("primary_bone") and not bone and not organ and not _EXTRASKELETAL.search(
            nearby.text, max(m["sentence"]["start"], m["start"] - 30), m["start"]
        ):
            # "no features of secondary chondrosarcoma" on a knee MRI: a primary bone sarcoma is a tumour of bone
            bone = True
        needs_site = concept in NEEDS_BONE_SITE or meta.get("needs_bone")
        if needs_site and not bone and not organ:
            # "uptake in the 8th rib at a healing fracture; no underlying lesion": an underlying lesion lies
            # beneath the finding its sentence names, so it takes that finding's bone; a templated line's
            # label ("Marrow: ... No suspicious lesion.") names the bone of its line's findings.
            # A sentence of its own ("Collapse of T11. An underlying lesion cannot be excluded.") takes the bone
            # of the sentence right before it (session 10).
            bone = (_underlying(nearby.text, m) and nearby.once(
                ("bone_in_sentence", *_span(m, "sentence")), lambda: any(_has_bone(n) for n in nearby.sentence_members(m))
                or any(_has_bone(n) for n in nearby.previous_sentence(m) or nearby.past_quiet_sentence(m, -1))
            )) or _line_label_names_bone(nearby.text, m["start"]) or (
                concept == "malignancy" and _bone_sampled_before(nearby.text, m["start"])
            ) or (meta.get("points_back") and not nearby.text[m["sentence"]["start"] : m["start"]].strip()
                  and any(_has_bone(n) for n in nearby.previous_sentence(m))  # "It is not cancer" opening its sentence
            ) or (m["rule"] == TREATED_SITE_RECURRENCE and nearby.once(("primary bone tumour",), lambda: any(
                (n.get("meta") or {}).get("primary_bone") and _has_bone(n) for n in nearby.all)))
            # "no local recurrence" in a bone sarcoma's follow-up: the treated site is the tumour's bone (session 28)
        if needs_site and not bone:
            on_bone_exam = (
                concept == "bone_uptake" or meta.get("bone_exam_site")
                # a bone biopsy's "No malignancy identified." is the specimen's: the bone sent (session 22), also
                # in the biopsy's own report, its result line or addendum (session 23)
                or (concept == "malignancy" and (exam.pathology or exam.biopsy))
            ) and (exam.bone_only and not organ and "joint" not in kinds)
            if not on_bone_exam:
                m["note"] = "no bone site named in its clause"
                return {}
        if concept == "malignancy":
            return {"bone_metastasis": a}
        if a == "absent":
            return {"bone_metastasis": "absent"}
        counts = nearby.clause_counts(m, self.group)
        if m["section"] in OPERATIVE_SECTIONS and not (counts["malignant:present"] or counts["malignant:possible"]):
            # "the head of the phalanx was found to be lytic and crumbly": the surgeon's account of the bone
            # in hand, which the operation's diagnosis names; it is no unexplained lesion of its own.
            m["note"] = "a lesion word in an operative account with no tumor in its clause: its pattern only"
            m["pattern_only"] = True
            return {}
        why = self._explained(m, nearby)
        if why:
            m["note"] = why
            return {}
        if self._corrected(m, nearby):  # the reader's last word on the lesion itself (session 17)
            m["note"] = CORRECTED
            return {}
        if counts["malignant:present"] or counts["malignant:possible"]:
            return {"bone_metastasis": "present" if counts["malignant:present"] else "possible"}
        if a == "present" and _CALLED_PROGRESSION.match(nearby.text, m["end"], m["sentence"]["end"]):
            # "New lytic lesion in the sacrum: progression.": the lesion is called the cancer's progression
            m["note"] = "a lesion its sentence calls (disease) progression: the known malignancy, spread to bone"
            return {"bone_metastasis": "present"}
        return {"bone_metastasis": "possible"}

    def _corrected(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A later correction reads m's site as benign: an affirmed benign finding at one of m's sites, after it,
        in an addendum or in a sentence that corrects ("is actually", "on further review", "in retrospect")."""
        if not _corrections(nearby):  # nearly every report: no benign reading in an addendum or a correcting sentence
            return False
        sites = _sites(m)
        if not sites:
            return self._hedge_of_corrected(m, nearby)
        index = _corrections_index(nearby)

        def left_open(n: dict[str, Any], k: dict[str, Any]) -> bool:
            return self._left_open(n, k, nearby)

        return any(index.after(m, site, left_open) for site in sites) or index.readdressings.readdress(m, left_open)

    def _hedge_of_corrected(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A hedged metastasis with no site of its own ("T6 sclerotic focus; metastasis not excluded", or
        "Metastasis cannot be excluded." right after it) is the hedge of the sited lesions of its sentence (or,
        with none there, of the sentence before): when a later correction reads every one of them as benign,
        the hedge goes with them (session 17)."""
        if m["assertion"] != "possible" or m["concept"] not in MALIGNANT:
            return False

        def lesions(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [n for n in members if n["concept"] in LESIONS and n["counts"] and _affirmed(n) and _sites(n)]

        # (both found once per sentence: each hedge of a long sentence read the lesions before it; session 24)
        sentence = _span(m, "sentence")
        near = nearby.once(("hedged lesions", *sentence),
                           lambda: lesions(nearby.sentence_members(m)) or lesions(nearby.previous_sentence(m)))
        if not near:  # "1.3 cm enhancing focus in T10. Metastasis cannot be excluded." (a focus no rule names)
            return self._levels_corrected(m, nearby)
        return bool(nearby.once(("hedged lesions corrected", *sentence), lambda: all(self._corrected(n, nearby) for n in near)))

    def _levels_corrected(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """The hedge m, with no sited lesion in its sentence or the one before, hedges what those sentences name
        at the spine levels its paragraph names: when a later correction reads each of them as benign ("ADDENDUM:
        ... It is a typical hemangioma" after naming T10), the hedge goes with it (session 23)."""
        text, end = nearby.text, m["sentence"]["end"]
        reach = max(0, m["start"] - _PARAGRAPH_REACH)
        line = max(text.rfind("\n", reach, m["start"]) + 1, reach)  # the hedge's paragraph, up to its sentence's end
        levels = {f"{x.group(1).upper()}{int(x.group(2))}" for x in _LEVEL_WORD.finditer(text, line, end)}
        if not levels:
            return False
        index = _corrections_index(nearby)
        index.levels(nearby)
        return all(index.after(m, level, lambda n, k: self._left_open(n, k, nearby), by_level=True) for level in levels)

    def _said_of_a_malignancy(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """m's clause calls its lesion malignant and holds no fracture or degenerative finding of its own: "The
        treated metastasis is now sclerotic." right after a fracture sentence describes the metastasis, not the
        fracture (session 25)."""
        counts = nearby.clause_counts(m, self.group)
        return bool(counts["malignant:present"] or counts["malignant:possible"]) and not (
            counts["group:fracture"] or counts["group:degenerative"])

    def _explainer_meets(self, m: dict[str, Any], members: list[dict[str, Any]], nearby: Neighbours) -> bool:
        """A fracture or degenerative finding of ``members`` (m's sentence) can be what the bare lucency or
        sclerosis m shows: m names no spine level, or one of them names none, or one names a vertebra of m's.
        "Stable lucency in T12; mild L3-4 disc bulge." is no bulge's lucency (session 26). The sentence before is
        not asked: "large osteophytes, worst at L2-L3. Posterior elements from L4 through S1 are sclerotic." names
        the worst of many levels. The findings' levels are gathered once a sentence."""
        own = _vertebrae(m)
        if not own or not members:
            return True
        unsited, levels = nearby.once(("explainer levels", *_span(members[0], "sentence")),
                                      lambda: self._explainer_levels(members))
        return unsited or not own.isdisjoint(levels)

    def _explainer_levels(self, members: list[dict[str, Any]]) -> tuple[bool, frozenset[str]]:
        """Whether an affirmed fracture or degenerative finding of ``members`` names no spine level, and the
        vertebrae those that name one name (a disc level names both of its vertebrae)."""
        unsited, levels = False, set()
        for n in members:
            if _affirmed(n) and self.group(n) in ("degenerative", "fracture"):
                theirs = _vertebrae(n)
                unsited = unsited or not theirs
                levels |= theirs
        return unsited, frozenset(levels)

    def _explained(self, m: dict[str, Any], nearby: Neighbours) -> str | None:
        """Why m is no unexplained lesion (the mention's note), or None."""
        meta = m.get("meta") or {}
        # "sclerosis", "lucency": a lesion only if nothing else explains it; destruction is never a fracture's or
        # a degenerative finding's own appearance, so it only needs its bone site
        bare = bool(meta.get("needs_bone")) and not meta.get("destructive") and not _broken_through(m, nearby.text)
        if bare and ("joint" in _kinds(m) or any(
            (counts["group:degenerative"] or counts["group:fracture"]) and (members is None or self._explainer_meets(
                m, members, nearby))
            for counts, members in ((nearby.sentence_counts(m, self.group), nearby.sentence_members(m)),
                                    (nearby.previous_sentence_counts(m, self.group), None))
        )) and not self._said_of_a_malignancy(m, nearby):  # a lucency or sclerosis beside (or right after) a
            return EXPLAINED  # fracture or degenerative finding is theirs: "narrowing, sclerosis and osteophytes"
        if bare and nearby.once(("clause fracture", *_span(m, "clause")), lambda: any(
            n["counts"] and self.group(n) == "fracture" for n in nearby.clause_members(m)
        )):  # (once a clause: a clause of thousands of lucencies read it once for each, session 24)
            # "Subtle lucency at the distal radius, doubt fracture": the lucency is the fracture line in question
            return "a bare lucency or sclerosis whose clause asks about a fracture (whatever its answer)"
        explaining = EXPLAINS_UPTAKE if m["concept"] in ("bone_uptake", "lesion") or bare else set()
        counts = nearby.clause_counts(m, self.group)
        # a marrow response to chemotherapy explains diffuse marrow uptake only: not a focal one, not a lesion
        benign = counts["group:benign"] or (counts["group:diffuse_cause"] and m["concept"] == "bone_uptake"
                                            and not focal_before(m, nearby))
        if (benign or any(counts[f"group:{g}"] for g in explaining) or counts["rule:schmorl"]) and not self._left_open(
            m, m, nearby
        ):
            return EXPLAINED
        if counts["concept:fracture"] and m["concept"] in EXPLAINED_BY_FRACTURE and not _underlying(nearby.text, m):
            return EXPLAINED  # an underlying lesion is what may have broken the bone, not the break (session 10)
        called_malignant = counts["malignant:present"] or counts["malignant:possible"]
        # "the L2 lesion ... favored to be a hemangioma" in another section; not a lesion its own clause calls
        if not called_malignant and self._benign_elsewhere(m, nearby):
            return EXPLAINED  # malignant ("lytic calvarial lesions, in keeping with myeloma. Right frontal haemangioma.")
        if not called_malignant and self._explained_next(m, nearby):
            return "explained as benign by the sentence right after it"
        if bare and self._at_fracture_site(m, nearby) and not self._said_of_a_malignancy(m, nearby):
            # "Lucency in the right 6th rib." ... "Possible fracture of the right 6th rib."
            return "a bare lucency or sclerosis at the site of a fracture the report names"
        if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
                and self._at_fracture_site(m, nearby)):  # "Four foci ... in the left 5th-8th ribs." ... "Healing rib
            return "uptake at the site of a fracture the report names"  # fractures." (session 23)
        if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
                and self._at_bony_degeneration(m, nearby)):
            return UPTAKE_AT_DEGENERATION
        if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
                and self._diffuse_in_a_metabolic_superscan(m, nearby)):
            return "diffuse uptake of a metabolic superscan the report names"
        return EXPLAINED if m["concept"] == "bone_uptake" and "joint" in _kinds(m) and not _has_bone(m) else None

    def _benign_elsewhere(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A benign reading of the report meets m by site or points back to it and leaves no malignant reading open
        (_BenignIndex)."""
        return nearby.once(("benign index",), lambda: _BenignIndex(
            nearby.benign, nearby.text, lambda n: self._clause_lesion_sites(n, nearby))).explains(
            m, lambda n, k: self._left_open(n, k, nearby))

    def _clause_lesion_sites(self, n: dict[str, Any], nearby: Neighbours) -> frozenset[str]:
        """The sites of the affirmed bone lesions of n's clause, which a benign reading there explains (_explained):
        "The left iliac lucent lesion has a thin sclerotic rim ..., consistent with an intraosseous lipoma." reads
        the findings' "lucent lesion in the left iliac bone" too, though the lipoma's own words name only bone
        (session 29). Found once a clause."""
        return nearby.once(("clause lesion sites", *_span(n, "clause")), lambda: frozenset().union(*(
            _sites(k) for k in nearby.clause_members(n)
            if k["counts"] and _affirmed(k) and self.group(k) == "bone_lesion")))

    def _cause_read_benign(self, cause: dict[str, Any], nearby: Neighbours) -> bool:
        """The lesion a fracture goes through is read as benign at its site elsewhere, with no tumor its own clause
        calls it: "fracture through the lesion" in the findings, "unicameral bone cyst of the proximal right
        humerus" in the impression (session 28)."""
        counts = nearby.clause_counts(cause, self.group)
        if counts["malignant:present"] or counts["malignant:possible"]:
            return False
        if _sites(cause):
            return self._benign_elsewhere(cause, nearby) or self._explained_next(cause, nearby)
        # a site-less "the lesion" is the one the sentence before describes: every affirmed lesion there read benign
        before = nearby.previous_sentence(cause)
        lesions = [n for n in before if self.group(n) == "bone_lesion" and n["counts"] and _affirmed(n)]
        return (bool(lesions) and not any(n["concept"] in MALIGNANT for n in before)
                and all(_sites(n) and self._benign_elsewhere(n, nearby) for n in lesions))

    def _left_open(self, n: dict[str, Any], m: dict[str, Any], nearby: Neighbours) -> bool:
        """The sentence of the benign reading n leaves a malignant alternative open for m: it hedges a
        metastasis or malignancy that names no site or one of m's ("likely a bone island, although a metastasis
        cannot be excluded", "bone island versus treated metastasis"), so the benign word is one reading of
        the lesion, not its explanation. A denied alternative ("rather than metastasis") closes nothing."""
        hedged, lone_alternative = nearby.once(("left open", *_span(n, "sentence")), lambda: self._open_readings(n, nearby))
        if lone_alternative:
            return True
        sites = _sites(m)
        return any(not _sites(k) or _sites(k) & sites for k in hedged)

    def _open_readings(self, n: dict[str, Any], nearby: Neighbours) -> tuple[list[dict[str, Any]], bool]:
        """n's sentence's hedged malignant mentions, and whether it poses exactly one benign reading as an
        alternative ("possibly traumatic versus a met": the other reading, unread here, stays open; "bone
        island versus hemangioma" poses two benign ones and explains)."""
        members = nearby.sentence_members(n)
        hedged = [k for k in members if k["concept"] in MALIGNANT and k["assertion"] == "possible" and k["counts"]]
        alternatives = sum(
            1 for k in members
            if self.group(k) == "benign" and k["assertion"] == "possible"
            and any(_VERSUS_CUE.search(c["rule"]) for c in k["cues"])
        )
        return hedged, alternatives == 1

    def _explained_next(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """The sentence right after m's explains it: its affirmed findings are benign (and degenerative) ones
        naming no site of their own, and it adds nothing ("also", "another"): "Sclerotic focus in the left
        ilium. A bone island is favored." A benign finding with its own site is matched by site instead.
        Decided once per sentence (a sentence of many lesions stays linear)."""
        return bool(nearby.once(("explains next", *_span(m, "sentence")), lambda: self._next_explains(m, nearby)))

    def _next_explains(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        findings = [n for n in nearby.next_sentence(m) if n["counts"] and _affirmed(n) and n["concept"] != "modality"]
        found = any(self.group(n) == "benign" and n["rule"] not in DIFFUSE_ONLY for n in findings) and all(
            (self.group(n) == "benign" and _generic_bone_only(n))
            or (self.group(n) == "degenerative" and not _sites(n) and "organ" not in _kinds(n))
            for n in findings
        )  # "Given the degenerative change, a geode is most likely.": the benign reading of the joint
        return found and _ADDS.search(nearby.text, *_span(findings[0], "sentence")) is None

    def _at_fracture_site(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """m's bone is one a plain fracture of the report names, a side said by one of them only matching too
        ("lucency in the proximal right fourth metatarsal" ... "cannot exclude fracture of the metatarsals"), as
        ``_sites_meet`` (session 19)."""
        sites = _sites(m)
        if not sites or not _sites_meet(sites, self._fracture_sites(nearby)):
            return False
        ribs = rib_numbers(m, nearby.text) if any(s.endswith(":rib") for s in sites) else frozenset()
        if not ribs:
            return True
        # a numbered rib meets a fracture of no number or of one of its numbers (w65_18; session 29), asked once per
        # site set and numbers: a report of thousands of rib foci asked each every fracture
        return bool(nearby.once(("numbered fracture site", frozenset(sites), ribs), lambda: any(
            _sites_meet(sites, theirs) and (not numbers or not numbers.isdisjoint(ribs))
            for theirs, numbers in self._fractures_with_sites(nearby))))

    def _fractures_with_sites(self, nearby: Neighbours) -> list[tuple[set[str], frozenset[int]]]:
        """The sites and rib numbers of the report's plain fractures that name a site (found once per report)."""
        return nearby.once(  # type: ignore[no-any-return]
            ("fractures with sites",), lambda: [(sites, rib_numbers(n, nearby.text)) for n in nearby.all
                                                if self._plain_fracture(n) and (sites := _sites(n))])

    def _at_bony_degeneration(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """Uptake m at a vertebra that a degenerative finding of bone the report affirms elsewhere names, a disc
        level naming both of its vertebrae ("Focal increased uptake projecting at L4." ... "The planar L4 focus is
        left L4-L5 facet arthropathy."): a bone scan's degenerative uptake, read as such in another paragraph
        (session 29). A disc's own finding (a bulge, a herniation, stenosis) makes no bone uptake."""
        own = _vertebrae(m)
        return bool(own) and not own.isdisjoint(nearby.once(("bony degeneration",), lambda: frozenset(
            v for n in nearby.all if n["counts"] and _affirmed(n) and self.group(n) == "degenerative"
            and self.concepts[n["concept"]]["degenerative"] in _BONY_DEGENERATION for v in _vertebrae(n))))

    def _diffuse_in_a_metabolic_superscan(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """Uptake m its clause calls diffuse, not focal, in a report that reads a metabolic superscan anywhere and
        leaves no malignant reading open there ("Diffusely increased skeletal uptake ..." ... "IMPRESSION:
        Metabolic superscan, in keeping with renal osteodystrophy."): the superscan is the whole skeleton's
        uptake, so it needs no site or pointing word to reach it (session 29)."""
        if not nearby.found_in(m, "clause", _DIFFUSE) or focal_before(m, nearby):
            return False
        superscans = nearby.once(("metabolic superscans",),
                                 lambda: [n for n in nearby.benign if n["rule"] in METABOLIC_SUPERSCAN])
        return any(not self._left_open(n, m, nearby) for n in superscans)

    def _fracture_sites(self, nearby: Neighbours) -> set[str]:
        """The sites of the report's plain fractures (found once per report)."""
        return nearby.once(  # type: ignore[no-any-return]
            ("fracture sites",), lambda: set().union(*(_sites(n) for n in nearby.all if self._plain_fracture(n))))

    @staticmethod
    def _past_injury(m: dict[str, Any], nearby: Neighbours) -> bool:
        """A rib or clavicle deformity is the shape a healed fracture leaves only where its sentence names a past
        injury ("old", "healed", "remote", "posttraumatic", "age-indeterminate") and no other cause (scoliosis,
        surgery, pectus)."""
        sentence = _span(m, "sentence")
        return nearby.once(("past injury", *sentence), lambda: bool(
            _PAST_INJURY.search(nearby.text, *sentence) and not _NOT_AN_INJURY.search(nearby.text, *sentence)))

    def _vertebra_with_lesion(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A bare "no collapse" speaks of a vertebra when a bone lesion at a spine level stands in its sentence
        and its own sites are the spine's, or, with no site of its own, in the sentence right before (session 20)."""
        def lesion_at_spine(members: list[dict[str, Any]]) -> bool:
            return any(self.group(n) == "bone_lesion" and _spine_site(n) for n in members if n is not m)

        if "organ" in _kinds(m) or nearby.found_in(m, "sentence", _LUNG_WORDS):
            return False  # "No collapse or consolidation.", "lobar collapse": the lung's
        if _spine_site(m):
            return lesion_at_spine(nearby.sentence_members(m))
        return not m["locations"] and lesion_at_spine(nearby.previous_sentence(m))

    def _beside_osteonecrosis(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A bare "no collapse" speaks of an osteonecrosis its sentence names, or, when it names no site of its own,
        the sentence right before ("... in keeping with avascular necrosis. No collapse."; session 28)."""
        def necrosis(members: list[dict[str, Any]]) -> bool:
            return any((n.get("meta") or {}).get("collapses") and n is not m for n in members)

        if "organ" in _kinds(m) or nearby.found_in(m, "sentence", _LUNG_WORDS):
            return False
        return necrosis(nearby.sentence_members(m)) or (not m["locations"] and necrosis(nearby.previous_sentence(m)))

    def _plain_fracture(self, n: dict[str, Any]) -> bool:
        """An affirmed, counting fracture given no pathologic cause: a site's lucency can be that fracture."""
        return (n["concept"] == "fracture" and n["counts"] and _affirmed(n) and n.get("pathologic_cause") is None
                and n.get("pathologic_called") in (None, "absent"))

    def _fracture(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        a = m["assertion"]
        if a == "present" and _note_past_fracture(m, nearby.text, exam):
            m["assertion"] = "historical"
            m["note"] = "a clinical note's previous or prior fracture outside its findings: the patient's past event"
            return {}
        if a == "present" and _note_dated_event(m, nearby, exam):
            m["assertion"] = "historical"
            m["note"] = NOTE_DATED_EVENT
            return {}
        if (m.get("meta") or {}).get("bare_collapse"):
            if self._beside_osteonecrosis(m, nearby):  # "Right femoral head AVN, ARCO II, without collapse."
                return {"fracture": a}
            if not self._vertebra_with_lesion(m, nearby):  # "Left upper lobe opacity. No collapse.": a lung's
                m["note"] = "a bare 'no collapse' with no vertebral lesion in its sentence (or the one before): not a vertebra's"
                return {}
            return {"fracture": a}  # it names no fracture word: the collapse denied says nothing of a cause
        if (m.get("meta") or {}).get("radiograph_only") and not exam.bone_only and not nearby.once(
            ("radiograph",), lambda: any(
                n["concept"] == "modality" and n["meta"].get("modality") in ("XR", "CT") and _performed(n) for n in nearby.all
            )
        ):  # "NBI" is no bony injury on a radiograph, a CT or a bone exam; in an endoscopy note it is narrow-band imaging
            m["note"] = "a trauma imaging shorthand in a report of no radiograph, CT or bone exam"
            return {}
        if self._withdrawn(m, nearby):
            # "Fracture of the left 6th rib." ... "ADDENDUM: the 6th rib finding is calcification, not a fracture."
            m["note"] = FRACTURE_WITHDRAWN
            return {}
        clause = _span(m, "clause")
        if _shape(m) and nearby.once(("no fracture cause", *clause), lambda: bool(_NOT_A_FRACTURE.search(nearby.text, *clause))):
            # "Mild anterior wedging of T7, likely developmental": the shape with a cause that is no fracture
            m["note"] = "a vertebral shape its clause explains as no fracture (developmental, Scheuermann, normal variant)"
            return {}
        if (m.get("meta") or {}).get("bone_deformity") and not self._past_injury(m, nearby):
            # "Right 7th and 8th rib deformities", "rib deformity from scoliosis": a rib shape with no past injury named
            m["note"] = "a rib or clavicle deformity its sentence does not tie to a past injury: no fracture"
            return {}
        # A pathologic fracture goes through a lesion: with no tumor named it is at least a possible one,
        # unless its clause explains the lesion as benign ("pathologic fracture through a bone cyst").
        alternative = m.get("pathologic_alternative")  # "benign or pathologic": the benign word is no explanation
        beneath = {} if nearby.clause_counts(m, self.group)["group:benign"] and not alternative else _LESION_BENEATH
        if beneath and not alternative and self._through_benign_before(m, nearby):
            beneath = {}  # "Expansile lesion ..., most consistent with an enchondroma. A pathologic fracture through the lesion."
        cause = m.get("pathologic_cause")
        if (beneath and not alternative and cause is not None
                and nearby.clause_counts(nearby.by_id(cause), self.group)["group:benign"]):
            # "Fracture of the humeral shaft. It passes through an expansile lesion, in keeping with fibrous dysplasia.":
            # the lesion that makes it pathologic is explained as benign where it is named (session 16)
            beneath = {}
        if beneath and not alternative and cause is not None and self._cause_read_benign(nearby.by_id(cause), nearby):
            beneath = {}
        if m.get("cause_denied"):  # "osteoporotic rather than pathologic fracture of L2" (session 22)
            m["note"] = "a denial that sets one cause against another (rather than, not ... but): the fracture stands"
            fx = "possible" if any(c["assertion"] == "possible" for c in m["cues"]) else "present"
            called = m.get("pathologic_called")
            if called is None:
                return {"fracture": fx}
            return {"pathologic_fracture": called if called == "absent" else fx, "fracture": fx,
                    **(beneath.get(fx, {}) if called == "present" else {})}
        if m.get("osteoporotic"):
            m["note"] = "called pathologic but its clause gives osteoporosis as the cause: a fracture only"
            return {"fracture": a}
        if m["concept"] == "pathologic_fracture" or m.get("pathologic_cause") is not None:  # mention ids start at 0
            if alternative and a == "present":
                m["note"] = "pathologic named as one of alternatives (versus, or): a possible pathologic fracture"
                return {"pathologic_fracture": "possible", "fracture": a, **beneath["possible"]}
            if a == "present" and m.get("pathologic_cause") is not None and nearby.by_id(
                m["pathologic_cause"]
            )["assertion"] == "possible":
                # "Compression fracture of T11 due to possible metastasis.": the break is there, its tumor cause
                # only hedged (session 10)
                m["note"] = "a fracture whose tumor cause is hedged: a possible pathologic fracture"
                return {"pathologic_fracture": "possible", "fracture": a}
            return {"pathologic_fracture": a, "fracture": a, **beneath.get(a, {})}
        called = m.get("pathologic_called")
        if called == "absent" and a in ("present", "possible"):
            return {"pathologic_fracture": "absent", "fracture": a}
        if called and a == "absent":  # "No fracture, pathologic or otherwise", "no pathological collapse of T9"
            m["note"] = "a denied fracture called pathologic: no pathologic fracture either"
            return {"pathologic_fracture": "absent", "fracture": a}
        if called and a in ("present", "possible"):
            return {"pathologic_fracture": "possible" if "possible" in (a, called) else a, "fracture": a,
                    **beneath.get(a, {})}
        if a in ("present", "possible") and m["concept"] == "fracture" and self._collapsing_lesion(m, nearby):
            m["note"] = "a collapse its clause or the next sentence puts down to a histiocytosis: pathologic, no tumor beneath"
            return {"pathologic_fracture": a, "fracture": a}
        return {"fracture": a}

    def _collapsing_lesion(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A fracture whose clause, or the next sentence, affirms a lesion that collapses the bone it is in with no
        tumor (``fracture_cause`` in targets.json: Langerhans cell histiocytosis): "C2 vertebra plana due to LCH",
        "T9 vertebra plana. Appearances are typical of Langerhans cell histiocytosis." (session 28)."""
        def cause(members: list[dict[str, Any]]) -> bool:
            return any((n.get("meta") or {}).get("fracture_cause") and n["counts"] and n["assertion"] == "present"
                       for n in members)

        if cause(nearby.clause_members(m)):
            return True
        following = nearby.next_sentence(m)
        return bool(following) and cause(following) and not any(self.group(n) == "fracture" for n in following)

    def _through_benign_before(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A pathologic fracture m goes through a lesion its clause names with no tumor ("through the lesion", "through
        it") that the sentence right before explains as benign, with no tumor there either, and m names no other site."""
        own = nearby.clause_counts(m, self.group)
        if own["malignant:present"] or own["malignant:possible"]:
            return False
        if not own["group:bone_lesion"]:
            if self._through_named_benign(m, nearby):
                return True
            clause = _span(m, "clause")
            if not _THROUGH_THE_CYST.search(nearby.text, *clause):
                if self._through_it_benign(m, nearby):
                    return True
                if _THROUGH_IT.search(nearby.text, *clause) is None:
                    return False
                # "... typical of an enchondroma. Undisplaced pathological fracture through it.": the lesion "it"
                # points to is the one the sentence before explains as benign (session 28)
        before = nearby.previous_sentence_counts(m, self.group)
        if not before["group:benign"] or before["malignant:present"] or before["malignant:possible"]:
            return False
        sites = _sites(m)  # (the benign sites of the sentence before, gathered once per sentence: session 24)
        return not sites or bool(sites & nearby.once(("benign sites before", *_span(m, "sentence")), lambda: set().union(
            *(_sites(n) for n in nearby.previous_sentence(m) if self.group(n) == "benign"))))

    def _through_named_benign(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A pathologic fracture m "through" a benign lesion its clause names right after it, with no tumor in
        that clause: "Pathological fracture through a simple bone cyst of the proximal humerus" (session 27)."""
        clause = _span(m, "clause")
        return any(
            self.group(n) == "benign" and n["counts"] and _affirmed(n) and n["start"] >= m["end"]
            and _THROUGH_NAMED.fullmatch(nearby.text, m["end"], n["start"]) is not None
            for n in nearby.sentence_members(m) if n["end"] <= clause[1]
        )

    def _through_it_benign(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A pathologic fracture m "through it" (or "this", "which") whose sentence, before m, names a lesion it
        explains as benign and no tumor: "lucent expansile lesion ..., typical enchondroma; undisplaced
        pathological fracture through it" (session 21)."""
        clause = _span(m, "clause")
        if not nearby.once(("through it", *clause), lambda: _THROUGH_IT.search(nearby.text, *clause) is not None):
            return False  # (once a clause: a clause of thousands of fractures is read once, not once a fracture)

        def benign_before() -> bool:
            before = [n for n in nearby.sentence_members(m) if n["end"] <= clause[0] and n["counts"] and _affirmed(n)]
            return any(self.group(n) == "benign" for n in before) and not any(n["concept"] in MALIGNANT for n in before)

        return bool(nearby.once(("benign before", *clause), benign_before))  # (once a clause, as above: session 24)

    def _withdrawn(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A later addendum or correcting sentence denies the affirmed m outright at its site: the reader's last
        word takes back what the body, or an earlier addendum, named there ("C4-5: small protrusion." ...
        "Attending statement: ... the C4-5 finding is a bulge, not a protrusion."). A cord compression is one
        organ's: a denial that names no site of its own ("There is no cord compression.") takes back any. An
        addendum's own finding is taken back only by a later addendum (a header between them)."""
        denials = nearby.once(("denials",), lambda: self._later_denials(nearby))
        if not denials:  # nearly every report: no addendum or correcting word in it, or no denial
            return False
        key = self._withdrawal_key(m)
        if key not in denials or not _affirmed(m):
            return False
        after = m["end"]
        if m["section"] == ADDENDUM:
            heads = addendum_heads(nearby)
            i = bisect_left(heads, (m["end"], 0))
            if i == len(heads):
                return False
            after = max(after, heads[i][1] - 1)  # a denial from the end of the next header on
        return denials[key].takes_back(m, after, unsited=key == "cord", nearby=nearby)

    def _later_denials(self, nearby: Neighbours) -> dict[str, LaterDenials]:
        """The denials that may take a finding back, by what they deny; none in a report with no word an addendum's
        header or a correcting sentence needs (one lower-cased copy and a few substring scans: str, not regex)."""
        lower = nearby.text.lower()
        if not any(word in lower for word in _LATER_WORDS):
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for n in nearby.all:
            if n["assertion"] == "absent" and n["counts"] and (k := self._withdrawal_key(n)) is not None:
                out.setdefault(k, []).append(n)
        return {k: LaterDenials(found) for k, found in out.items()}

    def _withdrawal_key(self, m: dict[str, Any]) -> str | None:
        """What a later denial must name to take m back: a fracture, a cord compression, or m's degenerative finding."""
        group = self.group(m)
        if group in ("fracture", "cord"):
            return group
        return self.concepts[m["concept"]]["degenerative"] if group == "degenerative" else None

    def _degenerative(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        key = self.concepts[m["concept"]]["degenerative"]
        if self._withdrawn(m, nearby):  # "L4-5: disc protrusion." ... "ADDENDUM: at L4-5 there is no protrusion."
            m["note"] = WITHDRAWN
            return {}
        needs_spine = m["concept"] == "degenerative_generic" or (m.get("meta") or {}).get("needs_spine")
        sided = m.get("laterality") in ("left", "right", "bilateral")  # the spine is midline
        if needs_spine and not _spine_site(m) and (_other_site(m) or sided or "organ" in _kinds(m)):
            m["note"] = OTHER_SITE_NOTE
            return {}
        if needs_spine and not _spine_site(m) and not exam.spine and not nearby.names_spine:
            # A bare word ("degenerative changes", "spurring", "herniation") is the spine's only when
            # its clause names a spine site or level, the exam is of the spine, or the report's
            # findings are tied to the spine elsewhere ("Lumbar spine, 3 views." with no title).
            m["note"] = NO_SPINE_NOTE
            return {}
        if (m.get("meta") or {}).get("own_spine_site") and not _spine_site(m) and not exam.spine:
            # A systemic diagnosis ("Osteoarthritis." in a problem list) is the spine's only where its own
            # clause names the spine or the exam is of the spine, never by a spine word nearby.
            m["note"] = JOINT_WORD_NOTE
            return {}
        if (m.get("meta") or {}).get("needs_spine_exam") and not _spine_site(m) and not exam.spine:
            if not _reports_a_spine_study(m, nearby):
                m["note"] = SPINE_EXAM_WORD_NOTE
                return {}
        if m["concept"] == "degenerative_generic":
            # Carried only by a specific finding at least as certain: in "degenerative changes without
            # stenosis" or "degenerative changes, possibly DISH" the changes themselves are still present.
            best = nearby.sentence_least(m, "specific degenerative", self._specific_rank)
            if best is not None and (best <= STATUSES.index(m["assertion"]) or self._specific_alternatives(m, nearby)):
                m["note"] = "a more specific degenerative finding in the same sentence carries it"
                return {}
            if m["assertion"] in STATUSES and _only_summary(nearby.text, m["start"], m["end"]):
                # "Degenerative uptake only." / "only degenerative changes": a summary of what the report
                # described, carried by a specific finding anywhere in it (without "only" an unsited
                # generic may add changes of its own: it still counts beside specific ones).
                least = nearby.once(("summarised",), lambda: min(
                    (r for n in nearby.all if (r := self._summarised_rank(n, nearby)) is not None), default=None
                ))
                if least is not None and least <= STATUSES.index(m["assertion"]):
                    m["note"] = "a summary ('degenerative changes only') of the specific findings the report names"
                    return {}
            if _at_facets(m, nearby):
                # "degenerative changes of the L4-5 facet joints", "uptake at the facets, degenerative": the
                # degenerated joint is named, so the change is facet arthropathy, not spondylosis.
                key = "facet_arthropathy"
        return {f"degenerative.{key}": m["assertion"]}

    def _specific_alternatives(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """m's sentence poses two specific degenerative findings as each other's alternative ("where there is a
        small central protrusion versus bulge"): one of them is there, so the generic change is that disc's, as an
        affirmed one carries it (session 32, w74_20)."""
        return sum(1 for n in nearby.sentence_members(m)
                   if self._specific_rank(n) is not None and n["assertion"] == "possible"
                   and any(_VERSUS_CUE.search(c["rule"]) for c in n["cues"])) >= 2

    def _summarised_rank(self, n: dict[str, Any], nearby: Neighbours) -> int | None:
        """_specific_rank, also for a generic change its clause ties to the facets (facet arthropathy)."""
        if n["concept"] == "degenerative_generic" and n["counts"] and n["assertion"] in COUNTING:
            return STATUSES.index(n["assertion"]) if _at_facets(n, nearby) else None
        return self._specific_rank(n)

    def _specific_rank(self, n: dict[str, Any]) -> int | None:
        """The status rank of a counting degenerative finding more specific than "degenerative changes"."""
        if n["concept"] == "degenerative_generic" or self.group(n) != "degenerative" or not n["counts"]:
            return None
        return STATUSES.index(n["assertion"]) if n["assertion"] in COUNTING else None

    # --- report level ----------------------------------------------------------------------

    def decide(
        self, mentions: list[dict[str, Any]], exam: ExamContext, text: str, lines: LineStarts | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(labels, evidence): labels exactly as labels.md names them, evidence = deciding mention ids. ``lines``:
        the report's line starts, shared with the record's assembly (made when not given)."""
        lines = LineStarts.of_text(text, lines)
        if all(m["concept"] == "modality" for m in mentions):
            # Studies alone (half the public texts) or nothing: every step before the labels reads or changes
            # findings only, and no mention votes (session 25). A step that reads studies goes above this test.
            return self._labels({}, {}, mentions, exam, lines)
        nearby = Neighbours(mentions, lambda n: self.group(n) == "benign" and n["counts"] and _affirmed(n)
                            and n["rule"] not in DIFFUSE_ONLY, text, lines)
        self.hedge_benign_alternatives(nearby, text)
        self.hedge_herniation_beside_bulge(mentions, text)
        self.affirm_malignant_alternatives(nearby, text)
        self.date_past_study_findings(nearby, text)
        _risk_listed(nearby.all, text, lines)
        supersede_wet_reads(nearby.all, text)
        if exam.one_study and not exam.pathology:  # a radiology report (a note's quoted report is its result)
            quoted_reads(nearby.all, text)
            deleted_items(nearby.all, text)
        denied = self.link_pathologic_causes(nearby, text)
        if denied:
            self.link_denials_after_lesions(nearby, text, denied)
        votes: dict[str, dict[str, list[int]]] = {}
        patterns: dict[str, list[int]] = {}
        for m in mentions:
            if m["concept"] == "modality":
                continue  # decided by modalities() below
            contrib = self.contributions(m, nearby, exam)
            m["contributes"] = contrib
            for label, status in contrib.items():
                votes.setdefault(label, {}).setdefault(status, []).append(m["id"])
            if m.get("pattern_only") or ("bone_metastasis" in contrib and contrib["bone_metastasis"] != "absent"):
                pattern = (m.get("meta") or {}).get("lesion_pattern") or self.concepts[m["concept"]].get("lesion_pattern")
                if pattern:
                    pattern = _current_pattern(m, pattern, text)
                    patterns.setdefault(pattern, []).append(m["id"])
        if not (exam.one_study or exam.pathology):  # a clinical note tells its work-up in order
            answered = answer_suspicions(votes, mentions, text)
            if answered:  # a suspected lesion the note's result denied gives no pattern
                kept = ((p, [i for i in ids if i not in answered]) for p, ids in patterns.items())
                patterns = {p: ids for p, ids in kept if ids}
        _sac_contact_outranked(mentions, votes, text)
        return self._labels(votes, patterns, mentions, exam, lines)

    def _labels(
        self, votes: dict[str, dict[str, list[int]]], patterns: dict[str, list[int]], mentions: list[dict[str, Any]],
        exam: ExamContext, lines: LineStarts,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(labels, evidence) from the findings' votes and lesion patterns, and the studies."""
        labels: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        for label in SIMPLE_LABELS:
            # most of a report's thirteen labels: no mention voted (a fresh evidence dict, no call)
            labels[label], evidence[label] = (
                _status(votes[label]) if label in votes else (NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []})
            )
        labels["lesion_pattern"] = sorted(patterns)
        evidence["lesion_pattern"] = {p: patterns[p] for p in sorted(patterns)}
        degenerative: dict[str, Any] = {}
        degenerative_evidence: dict[str, Any] = {}
        for key, voted_as in _DEGENERATIVE_VOTES:
            degenerative[key], degenerative_evidence[key] = (
                _status(votes[voted_as]) if voted_as in votes else (NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []})
            )
        labels["degenerative"], evidence["degenerative"] = degenerative, degenerative_evidence
        labels["modalities"], evidence["modalities"] = modalities(mentions, lines.text, one_study=exam.one_study, lines=lines)
        return labels, evidence


# Each degenerative key with the name its votes go under: made once, not for each of the nine keys of every report.
_DEGENERATIVE_VOTES = tuple((key, f"degenerative.{key}") for key in DEGENERATIVE_KEYS)


def _status(votes: dict[str, list[int]]) -> tuple[str, dict[str, Any]]:
    if not votes:
        return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}
    for status in STATUSES:
        if votes.get(status):
            return status, {"status": status, "mentions": votes[status]}
    return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}


def _risk_listed(mentions: list[dict[str, Any]], text: str, lines: LineStarts) -> None:
    """Make hypothetical each finding a "Risks ...:" label lists, from the label's line to the first full stop."""
    for m in mentions:
        if m["concept"] == "modality" or m["assertion"] not in COUNTING:
            continue
        label = _RISK_LABEL.match(text, lines.of(m["sentence"]["start"]), m["start"])  # (a list wraps its lines)
        if label is not None and _FULL_STOP.search(text, label.end(), m["start"]) is None:
            m["assertion"] = "hypothetical"
            m["note"] = "an item of a consent's risk list: what may happen"


NOTE_DATED_EVENT = "a clinical note's fracture or cord compression dated by an earlier year outside its findings: the past"


def _note_dated_event(m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> bool:
    """A fracture or cord compression a clinical note dates, outside its findings, by a year after it ("L2 fracture in
    2019", "fractured her hip back in 2009", "hip fracture last year"): the patient's past event, when the year is
    "back in", "last year", or before a later year the note names (its own date; a year alone may be the note's own).
    So is what a study of such a year showed ("L2 fracture seen on the CT in 2019"; session 32).
    Not in a radiology report (an old fracture seen is there), nor when a cue affirms it as seen now ("unchanged")."""
    if exam.one_study or exam.pathology or m["section"] == "findings":
        return False
    text, sentence = nearby.text, m["sentence"]
    hi = min(sentence["end"], m["end"] + 80)
    if "19" not in text[m["end"]:hi] and "20" not in text[m["end"]:hi] and "last" not in text[m["end"]:hi].lower():
        return False  # nearly every mention: no year or "last" after it (two slices, no regex)
    dated = _EVENT_YEAR_AFTER.match(text, m["end"], hi) or _SHOWN_BY_STUDY_OF_YEAR.match(text, m["end"], hi)
    if dated is None or any(c["category"] == "DEFINITE_EXISTENCE" and not dated.start() <= c["start"] < dated.end()
                            for c in m["cues"]):
        return False  # (the words that date it may hold a cue of their own: "seen on the CT in 2019")
    if dated.groupdict().get("last") or dated.groupdict().get("back"):
        return True
    year = int(dated.group("year") or dated.group("year2"))
    return nearby.once(("years named",), lambda: max(years_named(text), default=0)) > year


def _note_past_fracture(m: dict[str, Any], text: str, exam: ExamContext) -> bool:
    """A fracture a clinical note calls previous or prior outside its findings (an assessment, a plan, an
    untitled opening): not a radiology report's old fracture seen, nor a note's quoted imaging result, nor one its
    sentence affirms as seen now ("Prior T12 compression fracture, unchanged on today's film": a cue of
    DEFINITE_EXISTENCE)."""
    return (not exam.one_study and not exam.pathology and m["section"] != "findings"
            and not any(c["category"] == "DEFINITE_EXISTENCE" for c in m["cues"])
            and _NOTE_PAST_FRACTURE.search(text, max(0, m["start"] - 60), m["start"]) is not None)


def _at_facets(m: dict[str, Any], nearby: Neighbours) -> bool:
    """A generic degenerative mention tied to the facets: its clause names them, or it stands in a table's
    "Facets" column (its clause and the table's header lines are each searched once per report)."""
    headers = nearby.once(("table headers",), dict)
    return nearby.found_in(m, "clause", _FACET) or in_facet_column(nearby.text, m["start"], headers)
