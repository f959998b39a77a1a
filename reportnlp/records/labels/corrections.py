"""A later word on a finding: an addendum or a correcting sentence ("is actually a hemangioma"), and a next
sentence that adds a finding rather than explaining the one before."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import _sites, _sites_meet, _span


def _readdressed(m: dict[str, Any], n: dict[str, Any], text: str) -> bool:
    """An addendum's benign reading n that names no site of its own ("It is a bone island.") reads the body's
    lesion m again when the addendum names m's level or bone before it ("ADDENDUM: ... the T6 focus has
    spiculated margins ... It is a bone island."): the addendum is the same reader's last word (session 17)."""
    if n["section"] != ADDENDUM or m["section"] == ADDENDUM or _sites(n):
        return False
    heads = list(_ADDENDUM_HEAD.finditer(text, m["end"], n["start"]))
    if not heads:
        return False
    window = text[heads[-1].start() : n["sentence"]["end"]]
    names = {lv for loc in m["locations"] if loc["kind"] == "level" for lv in loc.get("levels", [])}
    bones = (loc for loc in m["locations"] if loc["kind"] == "bone" and loc.get("value") not in (None, "bone", "spine"))
    names.update(loc["text"] for loc in bones)
    return any(re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", window, re.I) for name in names if name)


ADDENDUM = "addendum"
# A sentence that corrects what the report said before ("the T8 lesion is actually a hemangioma").
_ADDENDUM_HEAD = re.compile(r"\baddend(?:um|a)\b", re.I)
_CORRECTION = re.compile(
    r"\b(?:actually|in\s+retrospect|on\s+(?:further|second|closer|additional)\s+review|correction|corrected|"
    r"instead\s+(?:represents?|is|are)|disagree[sd]?|agree[sd]?\s+with\s+[^.:;\n]{0,60}?\bexcept)\b",
    re.I,
)
# A next sentence that adds a finding explains nothing before it; a diffuse one ("Diffuse marrow uptake, likely
# reactive.") is a second, marrow-wide finding, not the reading of a focal lesion named just before.
_ADDS = re.compile(r"\b(?:also|another|additional|other|as\s+well|elsewhere|in\s+addition|diffuse|diffusely)\b", re.I)


# A denial that names the kind of fracture it denies ("no acute fracture", "no new displaced rib fracture") leaves
# an older one: the kind word right before the fracture word (two words between at most) or in the mention.
# (and, for the other findings an addendum may take back, a grade: "no significant / severe stenosis" leaves a mild one)
_KIND = r"\b(?:acute|new|additional|other|further|displaced|definite|recent|significant|severe|high-grade|critical)\b"
_KIND_BEFORE = re.compile(_KIND + r"\s+(?:[\w-]+\s+){0,2}$", re.I)
_KIND_IN = re.compile(_KIND, re.I)
# What the end of a _KIND_BEFORE match holds from any point inside it on: the rest of a word and at most two more,
# each after spaces, then spaces. A match that starts more than _KIND_REACH characters before the mention leaves
# such a tail in its last _KIND_REACH characters; without one, only those characters need to be searched.
_KIND_TAIL = re.compile(r"[\w-]*(?:\s+[\w-]+){0,2}\s+")
_KIND_REACH = 200


def _kind_before(text: str, lo: int, end: int) -> bool:
    """``_KIND_BEFORE.search(text, lo, end)`` finds a match, searched in the last _KIND_REACH characters unless
    they could be the tail of a longer match: a clause of many denials searched from its start for each one
    cost the clause's length per denial (session 22)."""
    near = end - _KIND_REACH
    if near > lo and _KIND_TAIL.fullmatch(text, near, end) is None:
        lo = near  # (a search from near still sees the character before it for \b)
    return _KIND_BEFORE.search(text, lo, end) is not None


def _withdraws(n: dict[str, Any], nearby: Neighbours) -> bool:
    """n denies a finding outright in an addendum or a correcting sentence ("ADDENDUM: ... the left 6th rib
    finding is calcification, not a fracture."; "On further review, no fracture of the scaphoid"; "Addendum: ...
    There is no cord compression."): the same reader's, or a later reader's, last word on what the report named
    before at that site (session 18: fractures; session 23: cord compression and the degenerative findings)."""
    if n["assertion"] != "absent" or not n["counts"]:
        return False
    text = nearby.text
    if n["section"] != ADDENDUM and not nearby.found_in(n, "sentence", _CORRECTION):
        return False
    return not (_KIND_IN.search(n["text"]) or _kind_before(text, n["clause"]["start"], n["start"]))


# A note's preliminary read told in its course ("Wet read: possible L3 transverse process fracture.", "Prelim read
# (resident): ..."), or a diagnosis that waits on the final read ("possible L2 TP fracture - pending final read"),
# and the final read given below it ("ADDENDUM 02:10: Final read CT L-spine: no acute fracture ..."): the final
# read replaced the preliminary one, which is its history (labels.md section 3; session 21).
# (the label opens the sentence that holds the finding, on its line: a "?" glued to the finding splits no read;
# multi-line mode, so "^" is a line's start: a search from inside the text meets no "^" at its first position)
_WET_READ = re.compile(
    r"(?:^|[.;][ \t]+)[ \t>*-]*(?:wet|prelim(?:inary)?)[ \t]+read(?:ing)?\b[^:\n]{0,40}:[^.\n]*$", re.I | re.M)
_AWAITS_FINAL = re.compile(r"\b(?:pending|awaiting|await)[ \t]+(?:the[ \t]+)?final[ \t]+read(?:ing)?\b", re.I)
_FINAL_READ = re.compile(r"\bfinal[ \t]+(?:read|reading|report)\b", re.I)
_PRELIM_WORDS = ("wet read", "prelim", "pending final", "awaiting final", "await final")
SUPERSEDED = "a preliminary read that the final read below replaced"
_STOPS = re.compile(r"[.\n]")


# How far before its colon a preliminary label can start ("; Preliminary reading (resident, Dr K. Tan):"): the
# label's words, its note of at most 40 characters and the spaces between them.
_LABEL_REACH = 120


def supersede_wet_reads(mentions: list[dict[str, Any]], text: str) -> None:
    """Make historical the counting findings of a preliminary read (its sentence opens with "Wet read:" or
    "Prelim read:", or waits on the final read) when a final read follows its sentence; studies stay done.

    Each text is read once for its final reads, each sentence once for a wait on the final read, and a line's
    labels no further back than the stop before the finding (a "." or a line break: no label reaches over one)
    or the finding read before it: a long one-line list of findings stays linear (session 21)."""
    if "inal r" not in text and "INAL R" not in text:  # "final read / report" in any case: str scans, not a regex
        return  # nearly every report (a case-blind regex would try every character of every text)
    lower = text.lower()
    if not any(word in lower for word in _PRELIM_WORDS):
        return
    # where the last final read starts ("pending final read" is none): a finding's sentence must end by then
    last_final = max((f.start() for f in _FINAL_READ.finditer(text)
                      if not _AWAITS_FINAL.search(text, max(0, f.start() - 16), f.end())), default=-1)
    if last_final < 0:
        return
    waits: dict[tuple[int, int], bool] = {}  # per sentence: whether it waits on the final read
    stops: list[int] = []  # the text's "." and line breaks, found when first needed
    breaks: list[int] = []  # its line breaks
    last = (-2, -1, False)  # the stop before the finding read last, its start, whether a label opened it
    for m in mentions:
        if m["concept"] == "modality" or not m["counts"] or m["assertion"] not in ("present", "possible", "absent"):
            continue
        start, end = _span(m, "sentence")
        if last_final < end:
            continue
        wait = waits.get((start, end))
        if wait is None:
            wait = waits[(start, end)] = _AWAITS_FINAL.search(text, start, end) is not None
        if not wait:
            if not stops:
                stops = [s.start() for s in _STOPS.finditer(text)] or [-1]
                breaks = [s for s in stops if s >= 0 and text[s] == "\n"]
            before = bisect_left(stops, m["start"])  # the stops before the finding
            stop = stops[before - 1] if before else -1
            before = bisect_left(breaks, m["start"])
            line_start = breaks[before - 1] + 1 if before else 0
            window = max(line_start, stop - _LABEL_REACH)
            if last[0] == stop and last[1] <= m["start"]:  # no stop since the finding read last
                if last[2]:
                    m["assertion"], m["note"] = "historical", SUPERSEDED
                    continue
                window = max(window, last[1] - _LABEL_REACH)  # a label it missed would end after it
            opened = _WET_READ.search(text, window, m["start"]) is not None
            last = (stop, m["start"], opened)
            if not opened:
                continue
        m["assertion"], m["note"] = "historical", SUPERSEDED


# The labels a clinical note's later result can answer: a suspicion raised while the patient was worked up
# ("dexamethasone given for presumed MSCC", "DDx rib fx vs pathologic fx", "concerning for compression fx") that a
# study or biopsy told further on in the note denied ("MRI: no cord compression", "XR negative for fracture").
ANSWERABLE = ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")
ANSWERED = "a suspicion that a later result in the note denied"


def answer_suspicions(votes: dict[str, dict[str, list[int]]], mentions: list[dict[str, Any]], text: str) -> set[int]:
    """In a clinical note, drop a label's possible votes when each is followed by a denial of the same label at
    its site (or with no site on either side) that names no kind ("no acute fracture" leaves an older one): the
    note tells the work-up in order, and the later result is its answer (labels.md section 2; session 23). A
    denied fracture answers a suspected pathologic one too ("DDx rib fx vs pathologic fx" ... "no rib fracture":
    both `absent`). A present vote keeps the label as it is; a radiology report is one reading and keeps its
    hedges. Returns the ids of the mentions whose bone_metastasis vote was dropped (their lesion pattern goes)."""
    by_id: dict[int, dict[str, Any]] | None = None
    dropped: set[int] = set()
    for label in ANSWERABLE:
        cast = votes.get(label)
        if not cast or "present" in cast or not cast.get("possible"):
            continue  # nearly every note: a label left as its votes say
        fractures = votes.get("fracture", {}).get("absent", []) if label == "pathologic_fracture" else []
        if not cast.get("absent") and not fractures:
            continue
        if by_id is None:
            by_id = {m["id"]: m for m in mentions}
        denials = [by_id[i] for i in (*cast.get("absent", ()), *fractures)]
        denials = [a for a in denials
                   if not (_KIND_IN.search(a["text"]) or _kind_before(text, a["clause"]["start"], a["start"]))]
        raised = [by_id[i] for i in cast["possible"]]
        answers = [[a for a in denials if a["start"] > p["end"] and _site_answers(a, p)] for p in raised]
        if not all(answers):
            continue
        for p in raised:
            p["contributes"].pop(label, None)
            p["note"] = ANSWERED
            if label == "bone_metastasis":
                dropped.add(p["id"])
        del cast["possible"]
        if label == "pathologic_fracture":  # a denied fracture denies the suspected pathologic one
            for a in (a for found in answers for a in found if a["concept"] != "pathologic_fracture"):
                a["contributes"][label] = "absent"
                cast.setdefault("absent", []).append(a["id"])
        if "absent" in cast:
            cast["absent"] = sorted(set(cast["absent"]))
    return dropped


def _site_answers(a: dict[str, Any], p: dict[str, Any]) -> bool:
    """Denial a speaks of suspicion p's site: it names none, p names none, or they share one."""
    sa, sp = _sites(a), _sites(p)
    return not sa or not sp or _sites_meet(sa, sp)


# Another read quoted in a radiology report: the outside report's, the erroneous text a correction quotes, the ED
# physician's ('the outside report read "L4-5 extrusion"', 'Original report: "..."', 'ED physician interpretation
# (16:05): "no fx"'); the words that tell it is a read stand before the opening quote on its line. The text a
# correction quotes as the right one ('should read "no fracture"', 'corrected to "..."') is this report's.
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201d\n]{1,400})[\"\u201d]")
_QUOTE_LEAD = re.compile(
    r"\b(?:report(?:ed|s)?|read|reads|stated?|states|said|says|impression|interpretation|described|documented)\b"
    r"[^\"\u201c\n]{0,80}$", re.I)
_RIGHT_TEXT = re.compile(
    r"\b(?:should\s+(?:have\s+)?(?:read|stated?|said)|(?:corrected|amended|changed)\s+to|now\s+reads?)\s*:?\s*$", re.I)
QUOTED = "another read quoted (an outside, original or preliminary report's words): not this report's finding"


def quoted_reads(mentions: list[dict[str, Any]], text: str) -> None:
    """Make historical the counting findings of a radiology report that stand inside another read it quotes
    (session 23); a quote that gives the right text of a correction stays the report's."""
    if '"' not in text and "\u201c" not in text:  # nearly every report: one str scan
        return
    spans = []
    for q in _QUOTED.finditer(text):
        line = text.rfind("\n", 0, q.start()) + 1
        if _QUOTE_LEAD.search(text, line, q.start()) and not _RIGHT_TEXT.search(text, line, q.start()):
            spans.append((q.start(1), q.end(1)))
    if not spans:
        return
    for m in mentions:
        if m["concept"] == "modality" or not m["counts"] or m["assertion"] not in ("present", "possible", "absent"):
            continue
        if any(a <= m["start"] and m["end"] <= b for a, b in spans):
            m["assertion"], m["note"] = "historical", QUOTED
