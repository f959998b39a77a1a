"""Where a fracture's pathologic cause is linked (``link_pathologic_causes``), before any mention contributes:
the tumour its clause or the next sentence gives as the cause (``pathologic_cause``: the tumour's id), or a
pathologic reading with no tumour named (``pathologic_called``: present, possible or absent: "possibly pathologic",
"osteoporotic versus metastatic", "It is not pathologic.", "underlying lesion not excluded"), a cause set against
another ("benign rather than tumor": ``cause_denied``), and a denied fracture read through the lesion before it
(``link_denials_after_lesions``: "lytic lesion of the humerus, no fracture", a template's "Fracture: No").

The phrases themselves are read in ``causes.py``; ``fracture_contribution.py`` turns the links into statuses."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

from reportnlp.records.labels.causes import (
    ALTERNATIVE,
    ALTERNATIVE_NOT_OR,
    CALLED_BEFORE,
    CALLED_BEFORE_REACH,
    CALLED_NEXT,
    CALLED_NOT_PATHOLOGIC,
    CALLED_PATHOLOGIC,
    CAUSE_ALTERNATIVES,
    DENIED,
    HEDGES,
    NEXT_FRAGMENT,
    NOT_CLEARLY,
    NOT_TUMOR_CAUSE,
    OSTEOPOROTIC,
    POINTS_BACK,
    VERSUS_CUE,
    WITH_OLD,
    ClauseCauses,
    cause_contrast,
    cause_set_against,
    differential_end,
    joined_beside,
    pathologic_word,
    strong_tumor,
    tumour_named_the_cause,
)
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.lesions import bare_lesion, called_underlying, may_say_underlying
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import affirmed, has_bone, sites_meet, sites_of, span_of

# How far past a fracture's sentence cause_set_against reads the next one (its patterns stop at that sentence's end).
_NEXT_SENTENCE_REACH = 300
# One sentence between a fracture's and the one that says what caused it, that names nothing and itself points back to
# the fracture ("This kind of break happens when bones are thin."; session 32). A finding's words with no verb
# ("Diffuse marrow heterogeneity.") are what a later "This" points to.
_QUIET_NEXT = re.compile(
    r"\s*(?:this|these|it|they|the[ \t]+(?:fracture|fractures|break|collapse|deformity|compression))\b[^.!?:\n]*[.!?]", re.I)
_SEMICOLON = re.compile(r"[ \t]*;")  # a clause that ends at its semicolon (the sentence goes on)
# A leukaemia a fracture's sentence gives as its cause right after it (_read_leukaemia_cause).
_LEUKAEMIA_CAUSE = re.compile(
    r"[^.;:\n]{0,40}?(?P<hedge>\b(?:possibly|probably|likely|may\s+be|could\s+be)\s+)?"
    r"\b(?:due|related|secondary|attributed|attributable|owing)\s+to\s+(?:(?:the|his|her|known|underlying|acute|"
    r"chronic|lymphoblastic|myeloid|lymphocytic|myelogenous|precursor|B|T|-)\s*){0,5}(?:leuka?emia|[BT]-ALL)\b", re.I)
# A fracture denied after a bone lesion in its sentence (_lesion_before_denial): how far after, and what breaks it.
_DENIAL_AFTER_LESION_REACH = 200
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


def link_pathologic_causes(rules: LabelRules, nearby: Neighbours, text: str) -> list[dict[str, Any]]:
    """Mark fractures their clause says a tumor caused ("fracture of L2 due to metastasis"), that are
    called pathologic after the fact ("fracture of L2, possibly pathologic"), or whose cause the next
    sentence gives ("Fracture of L2. This is due to the known myeloma."). An alternative ("rather
    than", "versus", "or") is never a cause. Returns the denied fractures that link_denials_after_lesions
    reads (found in the same walk).

    A fracture is read by the steps of ``_link_fracture``, nearest words first: the first that links a tumour
    (``pathologic_cause``) or says how pathologic it is (``pathologic_called``) decides, except where a step
    says otherwise. A pathologic fracture's own words are read by ``_mark_pathologic_words``; a denied one's
    cause contrast last, by ``_read_denials``.

    Of the tumor mentions of the clause, the cause is the farthest one after the fracture with a cause
    cue and no alternative between them, else the nearest such one before it. The cues of a clause
    are found once and looked up by position (``_ClauseReadings``), so a clause of many mentions stays
    linear (so are a clause's "not pathologic" and the fragment after its semicolon)."""
    clauses = _ClauseReadings(rules, text)
    for f in nearby.all:
        if f["concept"] == "pathologic_fracture":
            _mark_pathologic_words(rules, nearby, clauses, f)
        elif f["concept"] == "fracture":
            _link_fracture(rules, nearby, clauses, f)
    return _read_denials(nearby, text)


class _ClauseReadings:
    """What link_pathologic_causes reads of a clause once, however many fractures it holds: its benign or
    alternative cause words, its tumours' cause cues, the fragment after its semicolon and its last "not
    pathologic" (each keyed by the clause's span)."""

    __slots__ = ("causes", "denials", "fragments", "other_causes", "rules", "text")

    def __init__(self, rules: LabelRules, text: str) -> None:
        self.rules, self.text = rules, text
        self.causes: dict[tuple[int, int], ClauseCauses | None] = {}
        self.other_causes: dict[tuple[int, int], tuple[list[tuple[int, int]], int]] = {}
        self.fragments: dict[tuple[int, int], re.Match[str] | None] = {}  # (clause end, sentence end) -> "; pathologic"
        self.denials: dict[tuple[int, int], int] = {}  # clause -> start of its last "not pathologic" (-1: none)

    def other_cause_words(self, key: tuple[int, int]) -> tuple[list[tuple[int, int]], int]:
        """The clause's words of a cause other than a tumour, and where its differential ends."""
        if key not in self.other_causes:
            words = [(w.start(), w.end()) for w in NOT_TUMOR_CAUSE.finditer(self.text, *key)]
            self.other_causes[key] = (words, differential_end(self.text, *key) if words else 0)
        return self.other_causes[key]

    def tumour_causes(self, nearby: Neighbours, f: dict[str, Any], key: tuple[int, int]) -> ClauseCauses | None:
        """The tumours of fracture f's clause that can be its cause, with their cue positions (None: none).
        A bare sclerosis or lucency beside a fracture is that fracture's own appearance, never its cause; so is
        uptake ("focal uptake in the L4 pars with an incomplete fracture line"; session 28)."""
        if key not in self.causes:
            rules = self.rules
            tumors = [n for n in nearby.clause_members(f)
                      if rules.group(n) == "bone_lesion" and affirmed(n) and not bare_lesion(n)
                      and n["concept"] != "bone_uptake"]
            self.causes[key] = (ClauseCauses(self.text, key[0], key[1], rules.cause_words, tumors, strong_tumor)
                                if tumors else None)
        return self.causes[key]

    def fragment_called(self, f: dict[str, Any]) -> re.Match[str] | None:
        """"Compression fracture of L2; osteoporotic versus pathologic.": a verbless fragment after the clause's
        semicolon that only says what the fracture is."""
        after = (f["clause"]["end"], f["sentence"]["end"])
        if after not in self.fragments:
            fragment = NEXT_FRAGMENT.match(self.text, *after)
            self.fragments[after] = fragment and CALLED_PATHOLOGIC.fullmatch(
                self.text, fragment.start("words"), fragment.end("words"))
        return self.fragments[after]

    def last_denial(self, key: tuple[int, int]) -> int:
        """Where the clause last calls a fracture not pathologic (-1: nowhere)."""
        if key not in self.denials:
            self.denials[key] = max((w.start() for w in CALLED_NOT_PATHOLOGIC.finditer(self.text, *key)), default=-1)
        return self.denials[key]


def _mark_pathologic_words(rules: LabelRules, nearby: Neighbours, clauses: _ClauseReadings, f: dict[str, Any]) -> None:
    """A pathologic fracture's word set beside another cause: as one of two alternatives ("osteoporotic versus
    pathologic", "benign or pathologic": ``pathologic_alternative``, no explanation), or beside an osteoporotic
    reading with no tumour in its sentence ("osteoporosis, pathologic fractures T12-L2": ``osteoporotic``, not a
    tumour's). A denial keeps its word: "likely osteoporotic - no evidence of pathologic fx" denies it."""
    text = clauses.text
    words, differential = clauses.other_cause_words(span_of(f, "clause"))
    osteoporotic = False
    for joined, word in joined_beside(text, words, pathologic_word(text, f), differential):
        if joined == "alternative":
            f["pathologic_alternative"] = True
        elif joined is None and OSTEOPOROTIC.fullmatch(text, *word):
            osteoporotic = True
    if osteoporotic and f["assertion"] != "absent" and not _tumor_in_sentence(rules, f, nearby):
        f["osteoporotic"] = True


def _undecided(f: dict[str, Any]) -> bool:
    """No step has linked fracture f to a tumour or said how pathologic it is."""
    return f.get("pathologic_cause") is None and f.get("pathologic_called") is None


def _link_fracture(rules: LabelRules, nearby: Neighbours, clauses: _ClauseReadings, f: dict[str, Any]) -> None:
    """The steps of link_pathologic_causes for one fracture, in the order a reader weighs them: its own clause
    (a tumour it names as the cause, two causes posed or set against each other, "pathologic" said after or
    before it), then a leukaemia given as its cause, then the next sentence (one that calls it pathologic, or a
    tumour that gives itself as the cause), then a hedged underlying lesion and a template's lesion field above
    it; a "non-pathologic" rule word denies it whatever else is left."""
    text = clauses.text
    key = span_of(f, "clause")
    _link_clause_tumour(clauses, nearby, f, key)
    called = CALLED_PATHOLOGIC.match(text, f["end"], f["clause"]["end"])
    if called is None:
        called = clauses.fragment_called(f)
    if f.get("pathologic_cause") is None and _causes_posed_as_alternatives(text, f):
        called = None  # the status is set: what the clause calls it after is not read
    if _undecided(f):
        _read_causes_argued(text, f)
    _read_called_in_clause(clauses, f, key, called)
    if _undecided(f) and CALLED_BEFORE.search(text, max(f["clause"]["start"], f["start"] - CALLED_BEFORE_REACH), f["start"]):
        f["pathologic_called"] = "present"  # "pathological collapse of T9": called so before its words
    if _undecided(f):
        _read_leukaemia_cause(text, f)
    if _undecided(f):
        _read_called_next(nearby, text, f)
    if f.get("pathologic_cause") is None:
        _link_tumour_next(rules, nearby, text, f)
    if _undecided(f) and _hedged_beneath(rules, f, nearby):
        f["pathologic_called"] = "possible"  # "T8 compression deformity; underlying lesion not excluded"
    if (_undecided(f) and f["assertion"] == "present" and not f.get("cues")
            and (lesion := _lesion_field_before(rules, f, nearby, text)) is not None):
        # a SINS table's "Bone lesion: lytic - 2" then "Vertebral body collapse: <50% collapse - 2": the
        # collapse field answers of the lesion's vertebra, as "Fracture: No" under it denies one (session 27)
        f["pathologic_cause"] = lesion["id"]
    if (f.get("meta") or {}).get("not_pathologic") and f.get("pathologic_cause") is None:
        f["pathologic_called"] = "absent"  # "non-pathologic fracture of the femur" (session 22)


def _link_clause_tumour(clauses: _ClauseReadings, nearby: Neighbours, f: dict[str, Any], key: tuple[int, int]) -> None:
    """The tumour fracture f's clause gives as its cause ("fracture of L2 due to metastasis"). A tumour before it
    with "with old" between is no cause: the fracture is told apart from it."""
    causes = clauses.tumour_causes(nearby, f, key)
    if causes is None:
        return
    cause = causes.cause(f, has_bone(f))
    if cause is not None and not (cause["end"] <= f["start"] and WITH_OLD.search(clauses.text, cause["end"], f["end"])):
        f["pathologic_cause"] = cause["id"]


def _causes_posed_as_alternatives(text: str, f: dict[str, Any]) -> bool:
    """"T11 compression fracture, osteoporotic versus metastatic": two causes posed after the fracture put its
    cause in doubt (possible, and the benign cause word beside it is no explanation). Where the fracture's every
    cue is that "versus", it poses two causes of the fracture, not two readings of the finding: present."""
    alternatives = CAUSE_ALTERNATIVES.match(text, f["end"], f["sentence"]["end"])
    if not alternatives:
        return False
    f["pathologic_called"] = "possible"
    f["pathologic_alternative"] = True
    if f["assertion"] == "possible" and f["cues"] and all(
        VERSUS_CUE.search(c["rule"]) and c["start"] >= f["end"] and c["end"] <= alternatives.end()
        for c in f["cues"]
    ):
        f["assertion"] = "present"
    return True


def _read_causes_argued(text: str, f: dict[str, Any]) -> None:
    """A tumour set against another cause after fracture f, in its sentence or the next ("..., not due to trauma
    but to a metastasis", "It was caused by the fall, not by cancer."; session 32), else a tumour named (or
    denied) as the cause ("The fracture is osteoporotic; metastasis is not likely to be the cause."; session 33)."""
    next_end = f["sentence"]["end"] + _NEXT_SENTENCE_REACH
    said = cause_set_against(text, f, next_end)
    if said is None:
        said = tumour_named_the_cause(text, f, next_end)
    if said is not None:
        f["pathologic_called"] = said


def _read_called_in_clause(clauses: _ClauseReadings, f: dict[str, Any], key: tuple[int, int],
                           called: re.Match[str] | None) -> None:
    """What fracture f's clause calls it, with no tumour linked and no status yet: "not pathologic" after it
    ("..., favored osteoporotic rather than pathologic"; also in a fragment after its semicolon: "Acute osteoporotic
    L2 compression fracture; MRI features benign, not pathologic.", session 21) denies it; "pathologic" said after
    it (``called``) makes it present, or possible when hedged ("not excluded to be pathologic" hedges it as
    "cannot be excluded" does) or posed as an alternative."""
    if f.get("pathologic_called") is not None or f.get("pathologic_cause") is not None:
        return
    if clauses.last_denial(key) >= f["end"]:
        f["pathologic_called"] = "absent"
    elif called and CALLED_NOT_PATHOLOGIC.search(clauses.text, *called.span()):
        f["pathologic_called"] = "absent"
    elif called and not DENIED.search(called.group("before")):
        hedge = (called.group("hedge") or "").lower()
        hedged = (hedge and (hedge.split()[0] in HEDGES or "excluded" in hedge or "ruled" in hedge)
                  ) or ALTERNATIVE.search(called.group("before"))
        f["pathologic_called"] = "possible" if hedged else "present"


def _read_leukaemia_cause(text: str, f: dict[str, Any]) -> None:
    """"T8 and L2 compression fractures related to the leukaemia": a named leukaemia given as the cause right
    after the fracture breaks the bone it is in, though its words name no bone (session 28)."""
    leukaemia = _LEUKAEMIA_CAUSE.match(text, f["end"], f["sentence"]["end"])
    if leukaemia:
        f["pathologic_called"] = "possible" if leukaemia.group("hedge") else "present"


def _read_called_next(nearby: Neighbours, text: str, f: dict[str, Any]) -> None:
    """"Compression deformity of L2. This may be pathologic.": the next sentence, pointing back, only calls
    fracture f pathologic (a sentence further on may point to another finding: not read). The sentence goes on
    after a semicolon as a next one would ("... an osteoporotic fracture; I don't think it's pathological: ...";
    session 31). Over a sentence between that names nothing and points back to it ("A cracked vertebra. This kind
    of break happens when bones are thin. It is not caused by cancer."; session 32), the finding just before is
    still the fracture; one that names a finding is what "It" points to. "It is not pathologic." denies the cause
    as the clause's own "not pathologic" does; "not clearly pathologic" leaves it open (no status; session 23)."""
    said = CALLED_NEXT.match(text, f["sentence"]["end"])
    if said is None and f["clause"]["end"] < f["sentence"]["end"] and (
            semicolon := _SEMICOLON.match(text, f["clause"]["end"])) is not None:
        said = CALLED_NEXT.match(text, semicolon.end())
    if said is None and (quiet := _QUIET_NEXT.match(text, f["sentence"]["end"])) is not None:
        said = CALLED_NEXT.match(text, quiet.end())
        if said is not None and nearby.next_sentence(f):
            said = None
    if said and (DENIED.search(words := said.group("words")) or said.group("lead")):
        if said.group("lead") or (not said.group("hedge") and not NOT_CLEARLY.search(words)):
            f["pathologic_called"] = "absent"
    elif said:
        hedge = (said.group("hedge") or "").lower()
        f["pathologic_called"] = "possible" if hedge and hedge.split()[0] in HEDGES else "present"


def _link_tumour_next(rules: LabelRules, nearby: Neighbours, text: str, f: dict[str, Any]) -> None:
    """The tumour of the next sentence that points back to fracture f and gives itself as the cause ("Fracture of
    L2. This is due to the known myeloma."; ``_cause_next``). Asked once per next sentence and whether f names its
    bone, all that _malignant reads of f: each fracture of a long sentence read every finding of the next, 100 kB
    6.6 s (session 24)."""
    following = nearby.next_sentence(f)
    if not following:
        return
    cause = nearby.once(("cause next", *span_of(following[0], "sentence"), has_bone(f)),
                        lambda: _cause_next(rules, following, f, text))
    if cause is not None:
        f["pathologic_cause"] = cause


def _read_denials(nearby: Neighbours, text: str) -> list[dict[str, Any]]:
    """The denied fractures, after every fracture is linked: a denial that sets one cause against another
    ("benign rather than tumor": not pathologic; the reverse: pathologic) denies only that cause
    (``cause_denied``); the other denied fractures are returned for link_denials_after_lesions, with those
    denied by a field's answer and no cue ("Fracture: No"; session 26)."""
    denied_fractures = []
    for f in nearby.all:
        if f["assertion"] == "absent" and not f.get("cues") and f["concept"] == "fracture":
            denied_fractures.append(f)
        elif f["assertion"] == "absent" and f.get("cues") and f["concept"] in ("fracture", "pathologic_fracture"):
            contrast = cause_contrast(text, f)
            if contrast is not None:
                f["cause_denied"] = True
                kept, denied = contrast
                f["pathologic_called"] = "absent" if denied == "tumor" else "present" if kept == "tumor" else None
            elif f["concept"] == "fracture":
                denied_fractures.append(f)
    return denied_fractures


def link_denials_after_lesions(rules: LabelRules, nearby: Neighbours, text: str, denied: list[dict[str, Any]]) -> None:
    """A fracture denied after a bone lesion in its sentence (``denied``: the denied fractures with no cause
    contrast, from link_pathologic_causes), with no cause or pathologic reading of its own, is denied through
    that lesion (``_lesion_before_denial``; session 24)."""
    for f in denied:
        if f.get("pathologic_cause") is not None or f.get("pathologic_called") is not None:
            continue
        # a denial with no cue is a field's answer ("Fracture: No"): only a field line above it can hold its lesion
        lesion = _lesion_before_denial(rules, f, nearby, text) if f.get("cues") else None
        if lesion is None:
            lesion = _lesion_field_before(rules, f, nearby, text)
        if lesion is not None:  # "lytic lesion of the humerus, 50% of the cortex, no fracture"
            f["pathologic_cause"] = lesion["id"]


def _lesion_field_before(rules: LabelRules, f: dict[str, Any], nearby: Neighbours, text: str) -> dict[str, Any] | None:
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
        lesion = next((n for n in reversed(above) if n["counts"] and rules.group(n) == "bone_lesion"
                       and affirmed(n) and not bare_lesion(n) and strong_tumor(n)), None)
        if lesion is not None:
            sites, own = sites_of(lesion), sites_of(f)
            return lesion if not own or not sites or sites_meet(own, sites) else None
        end = start
    return None


def _lesion_before_denial(rules: LabelRules, f: dict[str, Any], nearby: Neighbours, text: str) -> dict[str, Any] | None:
    """The affirmed bone lesion that a denied fracture f follows in its sentence, as a comma item or after a
    long description ("4 cm lytic lesion ... involving >2/3 of the cortical width, no fracture."; "... lesion
    ..., 9 cm of the shaft ..., and without a fracture line"): the denial is of a fracture through it, as
    "with no fracture" right after it is (labels.md, pathologic_fracture). Not across a colon, semicolon,
    open parenthesis, blank line, another fracture or an alternative, nor when f names a site the lesion does not."""
    # The sentence's mentions are walked in order up to the first that ends past f's start; the walk's state
    # after each mention is kept once per sentence, so the denials of a long sentence do not each walk it again
    # (100 kB of "lytic lesion of a rib, no fracture;" 0.82 s, 24x from 10 kB; session 24).
    reach, lesions = nearby.once(("lesions before", *span_of(f, "sentence")),
                                 lambda: _lesions_walked(rules, nearby.sentence_members(f)))
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
    if ALTERNATIVE.search(head) or ALTERNATIVE_NOT_OR.search(tail):
        return None
    sites, own = sites_of(lesion), sites_of(f)
    return lesion if not own or not sites or sites_meet(own, sites) else None


def _lesions_walked(rules: LabelRules, members: list[dict[str, Any]]) -> tuple[list[int], list[dict[str, Any] | None]]:
    """For _lesion_before_denial: the furthest end of the sentence's mentions up to each (the walk stops at the
    first that ends past a start: the first whose furthest end does), and the lesion a walk holds after each
    count of mentions (a fracture between clears it: the denial is read against that one)."""
    lesions: list[dict[str, Any] | None] = [None]
    lesion = None
    for n in members:
        if n["concept"] in ("fracture", "pathologic_fracture"):
            lesion = None
        elif (n["counts"] and rules.group(n) == "bone_lesion" and affirmed(n) and not bare_lesion(n)
              and strong_tumor(n)):
            lesion = n
        lesions.append(lesion)
    return list(accumulate((n["end"] for n in members), max)), lesions


def _cause_next(rules: LabelRules, following: list[dict[str, Any]], f: dict[str, Any], text: str) -> int | None:
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
        if _malignant(rules, n, f) and POINTS_BACK.match(text, lo, n["start"]) and rules.cause_after.search(said, 0, cut):
            if first_alternative is None:
                found = ALTERNATIVE.search(said)
                first_alternative = found.end() if found else len(said) + 1
            if first_alternative >= cut and not ALTERNATIVE.search(said, 0, cut):
                return n["id"]  # type: ignore[no-any-return]
    return None


def _hedged_beneath(rules: LabelRules, f: dict[str, Any], nearby: Neighbours) -> bool:
    """The next finding after fracture f, in its sentence or (f being its sentence's last fracture) the
    next one, is a tumor or lesion called underlying and hedged ("new T8 compression deformity, underlying
    lesion not excluded", "Collapse of T11. An underlying lesion cannot be excluded."): the break is there,
    its tumor cause in doubt (session 16). An affirmed underlying lesion is not linked (session 10). A denied
    lesion before it is passed over ("No focal lytic or blastic lesion is identified; however, a subtle
    underlying lesion cannot be excluded": session 32, w74_33)."""
    def finding(n: dict[str, Any]) -> bool:
        return bool(n["counts"]) and rules.group(n) in ("fracture", "bone_lesion") and not (
            n["assertion"] == "absent" and rules.group(n) == "bone_lesion")

    def first_after(members: list[dict[str, Any]], start: int) -> dict[str, Any] | None:
        return nearby.first_kept(members[0], start, "fracture or lesion", finding) if members else None

    n = first_after([f], f["end"])
    if n is None:
        n = first_after(nearby.next_sentence(f), 0)
    if n is None and nearby.once(("underlying",), lambda: may_say_underlying(nearby.text)):
        # (only a text that calls something underlying can have that lesion two sentences on)
        n = first_after(nearby.past_quiet_sentence(f, +1), 0)
    return (n is not None and rules.group(n) == "bone_lesion" and n["assertion"] == "possible"
            and called_underlying(nearby.text, n))


def _tumor_in_sentence(rules: LabelRules, f: dict[str, Any], nearby: Neighbours) -> bool:
    """Whether f's sentence holds a tumor finding that can have broken a bone (``_malignant``), asked
    once per sentence: any tumor if f names its bone, else one that names its own."""

    def tumor(n: dict[str, Any]) -> int | None:
        return 0 if rules.group(n) == "bone_lesion" and affirmed(n) else None

    def strong(n: dict[str, Any]) -> int | None:
        return 0 if tumor(n) is not None and strong_tumor(n) else None

    if nearby.sentence_least(f, "strong tumor", strong) is not None:
        return True
    return has_bone(f) and nearby.sentence_least(f, "tumor", tumor) is not None


def _malignant(rules: LabelRules, n: dict[str, Any], f: dict[str, Any]) -> bool:
    """n is an affirmed tumor finding that can have broken a bone (f's, or its own bone)."""
    if not (rules.group(n) == "bone_lesion" and affirmed(n)):
        return False
    return not (n["concept"] in ("bone_uptake", "lesion", "malignancy") and not has_bone(n) and not has_bone(f))
