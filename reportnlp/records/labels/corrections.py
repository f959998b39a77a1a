"""A later word on a finding: an addendum or a correcting sentence ("is actually a hemangioma"), and a next
sentence that adds a finding rather than explaining the one before."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import asking_keys, by_site, levels_of, sites_of, span_of


class Readdressings:
    """An addendum's benign readings that name no site of their own ("It is a bone island.") read the body's lesion
    m again when the addendum names m's level or bone before them ("ADDENDUM: ... the T6 focus has spiculated
    margins ... It is a bone island."): the addendum is the same reader's last word (session 17). Each reading's
    window runs from the last addendum header before it to its sentence's end; a name's whole-word occurrences are
    found once per report and each window asks by bisection whether it holds one, and a lesion asks for the latest
    window that names it and leaves its reading closed, once per name and site set: every lesion read every
    reading's window (a report of thousands of lesions and addenda: 100 kB 3.0 s, session 24)."""

    def __init__(self, readings: list[dict[str, Any]], text: str, heads: list[tuple[int, int]]) -> None:
        self.text = text
        self.windows: list[tuple[int, int, dict[str, Any]]] = []  # (start, end, reading), latest start first
        for n in readings:
            if n["section"] == ADDENDUM and not sites_of(n) and (start := _window_start(n, text, heads)) is not None:
                self.windows.append((start, n["sentence"]["end"], n))
        self.windows.sort(key=lambda w: -w[0])
        self.naming: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.latest: dict[tuple[str, frozenset[str]], int] = {}

    def readdress(self, m: dict[str, Any], left_open: Callable[[dict[str, Any], dict[str, Any]], bool]) -> bool:
        """A window that starts after the lesion m (with a header, so its reading is after m) names m's level or
        bone, and its reading leaves no malignant reading open for m (``left_open``, asked of m's sites only)."""
        if not self.windows or m["section"] == ADDENDUM:
            return False
        sites = frozenset(sites_of(m))
        bones = (loc["text"] for loc in m["locations"]
                 if loc["kind"] == "bone" and loc.get("value") not in (None, "bone", "spine"))
        for name in filter(None, levels_of(m).union(bones)):
            latest = self.latest.get((name, sites))
            if latest is None:
                naming = self.naming.get(name)
                if naming is None:
                    naming = self.naming[name] = self._naming(name)
                latest = self.latest[(name, sites)] = next((a for a, n in naming if not left_open(n, m)), -1)
            if latest >= m["end"]:
                return True
        return False

    def _naming(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        """(window start, reading) of the windows that hold ``name`` as a word (as re.search over the window's own
        text: neither a word character nor a hyphen beside it, the window's edges as the text's), latest first."""
        text, size = self.text, len(name)
        whole = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.I)
        at_start = re.compile(re.escape(name) + r"(?![\w-])", re.I)
        found, starts = whole.search(text), []
        while found:  # every occurrence, overlapping ones too
            starts.append(found.start())
            found = whole.search(text, found.start() + 1)
        out = []
        for a, b, n in self.windows:
            i = bisect_left(starts, a)
            if ((i < len(starts) and starts[i] + size <= b) or at_start.match(text, a, b) is not None
                    or (b - size > a and whole.match(text, b - size, b) is not None)):
                out.append((a, n))
        return out


def _window_start(n: dict[str, Any], text: str, heads: list[tuple[int, int]]) -> int | None:
    """Where the last addendum header before n starts, as ``_ADDENDUM_HEAD.finditer(text, pos, n["start"])`` finds
    it: a header ending at n's start counts even when a word character follows (the search ends there)."""
    start = n["start"]
    cut = _ADDENDUM_HEAD.search(text, max(0, start - 8), start)
    if cut is not None and cut.end() == start:
        return cut.start()
    i = bisect_right(heads, (start, start)) - 1
    while i >= 0 and heads[i][1] > start:
        i -= 1
    return heads[i][0] if i >= 0 else None


ADDENDUM = "addendum"
# A sentence that corrects what the report said before ("the T8 lesion is actually a hemangioma").
_ADDENDUM_HEAD = re.compile(r"\baddend(?:um|a)\b", re.I)
CORRECTION = re.compile(
    r"\b(?:actually|in\s+retrospect|on\s+(?:further|second|closer|additional)\s+review|correction|corrected|"
    r"instead\s+(?:represents?|is|are)|disagree[sd]?|agree[sd]?\s+with\s+[^.:;\n]{0,60}?\bexcept)\b",
    re.I,
)
# A next sentence that adds a finding explains nothing before it; a diffuse one ("Diffuse marrow uptake, likely
# reactive.") is a second, marrow-wide finding, not the reading of a focal lesion named just before.
ADDS = re.compile(r"\b(?:also|another|additional|other|as\s+well|elsewhere|in\s+addition|diffuse|diffusely)\b", re.I)


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


def _correcting(n: dict[str, Any], nearby: Neighbours) -> bool:
    """n is a denial in an addendum or a correcting sentence."""
    if n["assertion"] != "absent" or not n["counts"]:
        return False
    return n["section"] == ADDENDUM or nearby.found_in(n, "sentence", CORRECTION)


def _withdraws(n: dict[str, Any], nearby: Neighbours) -> bool:
    """n denies a finding outright in an addendum or a correcting sentence ("ADDENDUM: ... the left 6th rib
    finding is calcification, not a fracture."; "On further review, no fracture of the scaphoid"; "Addendum: ...
    There is no cord compression."): the same reader's, or a later reader's, last word on what the report named
    before at that site (session 18: fractures; session 23: cord compression and the degenerative findings)."""
    if not _correcting(n, nearby):
        return False
    return not (_KIND_IN.search(n["text"]) or _kind_before(nearby.text, n["clause"]["start"], n["start"]))


# The kind words that tell what a finding is (its age, displacement, grade), not that it is one more beside others:
# a denial of "additional", "other" or "further" fractures leaves the ones named, whatever their kind.
_RELATIVE_KIND = frozenset({"additional", "other", "further"})


# A finding's kind reaches over its site's words ("Acute right 5th rib fracture": three words between); a grade
# above "significant" is a significant one ("no significant stenosis" takes back a severe stenosis).
_KIND_OF = re.compile(_KIND + r"\s+(?:[\w-]+\s+){0,3}$", re.I)
_SIGNIFICANT = frozenset({"severe", "high-grade", "critical"})


def kind_words(m: dict[str, Any], text: str, before: re.Pattern[str] = _KIND_OF) -> frozenset[str]:
    """The kind words (_KIND, lower-cased) m names: in its own text or right before it in its clause ("acute left
    rib fracture"; ``before`` reads how far), "significant" too for a grade above it."""
    words = {w.lower() for w in _KIND_IN.findall(m["text"])}
    lo, end = m["clause"]["start"], m["start"]
    near = end - _KIND_REACH
    if near > lo and _KIND_TAIL.fullmatch(text, near, end) is None:
        lo = near
    if (found := before.search(text, lo, end)) is not None:
        words.update(w.lower() for w in _KIND_IN.findall(found.group()))
    if words & _SIGNIFICANT:
        words.add("significant")
    return frozenset(words)


def _kind_withdrawal(n: dict[str, Any], nearby: Neighbours) -> frozenset[str] | None:
    """The kinds a correcting denial that names a kind denies ("The last sentence should read 'There is no
    evidence of acute left rib fracture.'": {"acute"}); such a denial leaves an older fracture, but takes back
    one the report named of every kind it names (session 29). None for any other denial, and for one that names
    a relative kind ("no additional fracture")."""
    if not _correcting(n, nearby):
        return None
    kinds = kind_words(n, nearby.text, _KIND_BEFORE)  # as _withdraws reads a denial's kind
    return kinds if kinds and not kinds & _RELATIVE_KIND else None


def addendum_heads(nearby: Neighbours) -> list[tuple[int, int]]:
    """(start, end) of every addendum header word of the report, found once (bisected by its callers)."""
    return nearby.once(("addendum heads",), lambda: [(h.start(), h.end()) for h in _ADDENDUM_HEAD.finditer(nearby.text)])


class LaterDenials:
    """The denials of one finding that may take an earlier mention of it back, filed by site, each list latest
    first. ``takes_back`` asks whether a denial after a point, at a site that meets the mention's, withdraws
    (_withdraws): each list keeps how far it has been read, so every denial's regex work runs at most once per
    list and a report of thousands of findings and denials stays linear (each finding asked every later denial
    before, session 23)."""

    def __init__(self, denials: list[dict[str, Any]]) -> None:
        self.lists = by_site(sorted(denials, key=lambda n: n["start"], reverse=True))
        self.read: dict[tuple[str, str], list[Any]] = {}  # key -> [denials read and not withdrawing, found one]
        self.kinded: dict[tuple[str, str], list[tuple[int, frozenset[str]]]] = {}  # key -> (start, kinds), latest first
        self.latest_kinded: dict[tuple[tuple[str, str], frozenset[str]], int] = {}  # (key, m's kinds) -> start or -1

    def _after(self, key: tuple[str, str], after: int, nearby: Neighbours) -> bool:
        """A denial filed under key, starting after ``after``, withdraws."""
        found = self.lists.get(key)
        if not found:
            return False
        state = self.read.setdefault(key, [0, False])
        while not state[1] and state[0] < len(found) and found[state[0]]["start"] > after:
            if _withdraws(found[state[0]], nearby):
                state[1] = True
            else:
                state[0] += 1
        return state[1] and found[state[0]]["start"] > after

    def _kinded_after(self, key: tuple[str, str], kinds: frozenset[str], after: int, nearby: Neighbours) -> bool:
        """A denial filed under key, starting after ``after``, names kinds that m (of ``kinds``) names every one of
        (_kind_withdrawal): the latest such start is found once per key and kind set."""
        latest = self.latest_kinded.get((key, kinds))
        if latest is None:
            kinded = self.kinded.get(key)
            if kinded is None:
                kinded = self.kinded[key] = [(n["start"], k) for n in self.lists.get(key, ())
                                             if (k := _kind_withdrawal(n, nearby)) is not None]
            latest = self.latest_kinded[(key, kinds)] = next((a for a, k in kinded if k <= kinds), -1)
        return latest > after

    def takes_back(self, m: dict[str, Any], after: int, unsited: bool, nearby: Neighbours) -> bool:
        """A withdrawing denial after ``after`` meets m's sites, or (``unsited``) names no site at all; or a denial
        there names a kind m is of ("acute" for m's "acute left rib fracture"). (nearby is passed in, not kept:
        this index lives in nearby's memo, and a reference back would make a cycle that only the cyclic GC
        frees.)"""
        keys = asking_keys(sites_of(m))
        if unsited:
            keys.append(("none", ""))
        if any(self._after(key, after, nearby) for key in keys):
            return True
        kinds = kind_words(m, nearby.text)
        return bool(kinds) and any(self._kinded_after(key, kinds, after, nearby) for key in keys)


# A note's preliminary read told in its course ("Wet read: possible L3 transverse process fracture.", "Prelim read
# (resident): ..."), or a diagnosis that waits on the final read ("possible L2 TP fracture - pending final read"),
# and the final read given below it ("ADDENDUM 02:10: Final read CT L-spine: no acute fracture ..."): the final
# read replaced the preliminary one, which is its history (labels.md section 3; session 21). An emergency
# physician's own read of the films ("My interpretation of CT: C7 spinous process fx", "XR L-spine (my read): no
# acute fx", "no obvious fx per my read") is such a preliminary read, and the radiologist's "official read" or
# "official read" below it is the final one (session 25).
# (the label opens the sentence that holds the finding, on its line: a "?" glued to the finding splits no read;
# multi-line mode, so "^" is a line's start: a search from inside the text meets no "^" at its first position)
_WET_READ = re.compile(
    r"(?:^|[.;][ \t]+)[ \t>*-]*(?:wet|prelim(?:inary)?)[ \t]+read(?:ing)?\b[^:\n]{0,40}:[^.\n]*$", re.I | re.M)
_AWAITS_FINAL = re.compile(
    r"\b(?:pending|awaiting|await)[ \t]+(?:the[ \t]+)?(?:final[ \t]+read(?:ing)?|(?:(?:radiology|radiologist|formal|"
    r"attending)[ \t]+)?over-?read)\b", re.I)
# how far before a final read a wait on it can start ("pending radiologist overread")
_AWAITS_REACH = 30
# the radiologist's read: "final read / report", "official (CT) read", a radiologist's "over-read" / "overread"
# of the physician's own read (session 26); one still to come ("Official read pending", "official read to
# follow", "pending radiology overread") is none.
_FINAL_READ = re.compile(
    r"\b(?:(?:final|official(?:[ \t]+[a-z]{2,3})?)[ \t]+(?:read|reading|report)|over-?read)\b"
    r"(?![ \t]+(?:pending|to[ \t]+follow))", re.I)
# a final read that only agrees with the preliminary one, its whole sentence ("Attending over-read 07:30: Agree with
# the preliminary interpretation.", "final read: concur."; a time's colon is no label's end; "Agree with the
# preliminary comment regarding the hip: ..." goes on with its own read): the preliminary read's findings stand
# (session 26)
_AGREES_AFTER = re.compile(
    r"(?:[^.:\n]|:(?=\d\d)){0,40}:?[ \t]*(?:I[ \t]+)?\b(?:agree|agrees|concur|concurs)"
    r"(?:[ \t]+with[ \t]+(?:the[ \t]+|your[ \t]+)?(?:preliminary|prelim|above|resident(?:'s)?|initial)"
    r"(?:[ \t]+(?:read|reading|report|interpretation|findings|impression))?)?[ \t]*(?:[.\n]|$)", re.I)
# the physician's own read in the finding's sentence ("my read", "my own interpretation", "my prelim read")
_OWN_READ = re.compile(r"\bmy[ \t]+(?:own[ \t]+)?(?:prelim(?:inary)?[ \t]+)?(?:read|reading|interpretation|interp)\b",
                       re.I)
_PRELIM_WORDS = ("wet read", "prelim", "pending final", "awaiting final", "await final", "my read", "my own read",
                 "my interp", "my prelim")
SUPERSEDED = "a preliminary read that the final read below replaced"
_STOPS = re.compile(r"[.\n]")


# How far before its colon a preliminary label can start ("; Preliminary reading (resident, Dr K. Tan):"): the
# label's words, its note of at most 40 characters and the spaces between them.
_LABEL_REACH = 120


def supersede_wet_reads(mentions: list[dict[str, Any]], text: str) -> None:
    """Make historical the counting findings of a preliminary read (its sentence opens with "Wet read:" or
    "Prelim read:", waits on the final read or holds the physician's own read) when a final read follows its
    sentence; studies stay done.

    Each text is read once for its final reads, each sentence once for a wait on the final read, and a line's
    labels no further back than the stop before the finding (a "." or a line break: no label reaches over one)
    or the finding read before it: a long one-line list of findings stays linear (session 21)."""
    if ("inal r" not in text and "INAL R" not in text and "fficial" not in text and "FFICIAL" not in text
            and "verread" not in text and "ver-read" not in text):
        return  # nearly every report (a case-blind regex would try every character of every text); an ALL CAPS
        # "OVER-READ:" heads a section of its own (superseded_preliminary in patterns/sections.json)
    lower = text.lower()
    if not any(word in lower for word in _PRELIM_WORDS):
        return
    # where the last final read starts ("pending final read" is none): a finding's sentence must end by then
    final = None
    for f in _FINAL_READ.finditer(text):
        if not _AWAITS_FINAL.search(text, max(0, f.start() - _AWAITS_REACH), f.end()):
            final = f
    if final is None or _AGREES_AFTER.match(text, final.end()) is not None:
        return  # no final read, or the last one agrees with the preliminary read and keeps it
    last_final = final.start()
    waits: dict[tuple[int, int], bool] = {}  # per sentence: whether it waits on the final read
    stops: list[int] = []  # the text's "." and line breaks, found when first needed
    breaks: list[int] = []  # its line breaks
    last = (-2, -1, False)  # the stop before the finding read last, its start, whether a label opened it
    for m in mentions:
        if m["concept"] == "modality" or not m["counts"] or m["assertion"] not in ("present", "possible", "absent"):
            continue
        start, end = span_of(m, "sentence")
        if last_final < end:
            continue
        wait = waits.get((start, end))
        if wait is None:  # a sentence that waits on the final read, or holds the physician's own read
            wait = waits[(start, end)] = (_AWAITS_FINAL.search(text, start, end) is not None
                                          or _OWN_READ.search(text, start, end) is not None)
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
    _answer_asked_pathologic(votes, mentions, text)
    for label in ANSWERABLE:
        cast = votes.get(label)
        if not cast or "present" in cast or not cast.get("possible"):
            continue  # nearly every note: a label left as its votes say
        fractures = votes.get("fracture", {}).get("absent", []) if label == "pathologic_fracture" else []
        # "concern for a pathologic fracture" ... "MRI: benign osteoporotic fracture; no evidence of malignancy": a
        # later denial of a tumour, which names no bone of its own, denies the fracture's tumour cause (session 32)
        tumours = [m["id"] for m in mentions if m["concept"] in _TUMOUR and m["assertion"] == "absent" and m["counts"]
                   and m["contributes"].keys() <= {"bone_metastasis"} and _of_bone(m, text)
                   ] if label == "pathologic_fracture" else []
        if not cast.get("absent") and not fractures and not tumours:
            continue
        if by_id is None:
            by_id = {m["id"]: m for m in mentions}
        denials = [by_id[i] for i in (*cast.get("absent", ()), *fractures, *tumours)]
        denials = [a for a in denials
                   if not (_KIND_IN.search(a["text"]) or _kind_before(text, a["clause"]["start"], a["start"]))]
        raised = [by_id[i] for i in cast["possible"]]
        # a denial told only of the spine ("no metastatic disease in the spine") names a region, not no site: it
        # answers a suspicion at a level or with no site, not one at a named bone elsewhere (session 31)
        spinal = [a for a in denials if _spine_only(a)]
        latest = _best_by_site([a for a in denials if not _spine_only(a)], lambda a: a["start"])
        if spinal:
            latest[("all", "")] = max(latest.get(("all", ""), -1), *(a["start"] for a in spinal))
        last_spinal = max((a["start"] for a in spinal), default=-1)
        if not all(_meets_beyond(latest, p, p["end"]) or (last_spinal > p["end"] and _at_levels(p)) for p in raised):
            continue
        for p in raised:
            p["contributes"].pop(label, None)
            p["note"] = ANSWERED
            if label == "bone_metastasis":
                dropped.add(p["id"])
            elif label == "pathologic_fracture" and tumours and p["contributes"].pop("bone_metastasis", None):
                _drop_vote(votes, "bone_metastasis", p["id"])  # the tumour it raised is answered with it
                dropped.add(p["id"])
        del cast["possible"]
        if label == "pathologic_fracture":  # a denied fracture denies the suspected pathologic one
            earliest = _best_by_site(raised, lambda p: -p["end"])  # the first suspicion at each site, negated
            for a in (a for a in denials if a["concept"] != "pathologic_fracture"
                      and (_meets_beyond(earliest, a, -a["start"]) if not _spine_only(a)
                           else any(p["end"] < a["start"] and (not sites_of(p) or _at_levels(p)) for p in raised))):
                a["contributes"][label] = "absent"
                cast.setdefault("absent", []).append(a["id"])
                if a["concept"] in _TUMOUR:  # the tumour denied as the cause is absent there (labels.md)
                    a["contributes"]["bone_metastasis"] = "absent"
                    votes.setdefault("bone_metastasis", {}).setdefault("absent", []).append(a["id"])
        if "absent" in cast:
            cast["absent"] = sorted(set(cast["absent"]))
    return dropped


def _answer_asked_pathologic(votes: dict[str, dict[str, list[int]]], mentions: list[dict[str, Any]], text: str) -> None:
    """A pathologic fracture a clinical note only asked about in a counting part ("r/o pathologic rib fracture given
    myeloma", "eval for pathologic fx"), with no other vote, and a later result that denies the fracture at its site
    naming no kind ("CXR: no rib fracture"): the question is answered, so the denial is a pathologic fracture
    `absent` too, as it answers a suspected one (labels.md section 2; session 33, wave 78)."""
    denied = votes.get("fracture", {}).get("absent")
    if not denied or "pathologic_fracture" in votes:
        return  # nearly every note: no denied fracture, or the pathologic fracture has its own votes
    asked = [m for m in mentions
             if m["concept"] == "pathologic_fracture" and m["counts"] and m["assertion"] == "hypothetical" and _asked(m)]
    if not asked:
        return
    by_id = {m["id"]: m for m in mentions}
    earliest = _best_by_site(asked, lambda p: -p["end"])  # the first question at each site, negated
    answers = [a for a in map(by_id.__getitem__, denied)
               if a["concept"] == "fracture" and _meets_beyond(earliest, a, -a["start"])
               and not (_KIND_IN.search(a["text"]) or _kind_before(text, a["clause"]["start"], a["start"]))]
    for a in answers:
        a["contributes"]["pathologic_fracture"] = "absent"
    if answers:
        votes["pathologic_fracture"] = {"absent": sorted(a["id"] for a in answers)}


# The cues that ask whether a finding is there ("r/o", "eval for", "to exclude", a question), and those that name it as
# what may come ("impending", "risk of", "to prevent"): an impending pathologic fracture and "no fracture was present"
# answer nothing, the fracture has not happened yet (labels.md, pathologic_fracture).
_ASKING_CUE = re.compile(r"evaluat|eval\b|assess|rule_out|r/o|_ro\b|exclude|look|check_for|search_for|work-?up|question")
_COMING_CUE = re.compile(r"impending|risk|prevent|prophyla|complication")


def _asked(m: dict[str, Any]) -> bool:
    """m's cues ask about it (_ASKING_CUE) and none names it as what may come (_COMING_CUE)."""
    rules = [c.get("rule") or "" for c in m["cues"]]
    return any(_ASKING_CUE.search(r) for r in rules) and not any(_COMING_CUE.search(r) for r in rules)


_TUMOUR = ("malignancy", "metastasis")  # a tumour word that may name no bone of its own
# a sentence told of a fracture, a bone or the spine ("MRI L-spine: no malignancy", "benign osteoporotic fracture; no
# evidence of malignancy"), not of an organ ("Left breast core biopsy: no evidence of malignancy")
_BONE_SENTENCE = re.compile(r"\b(?:fractur\w*|fx|spine|spinal|vertebra\w*|bones?|osseous|skeletal|marrow)\b", re.I)


def _of_bone(m: dict[str, Any], text: str) -> bool:
    """The tumour denial m names no organ and its sentence, or the study label the sentence splitter parted from it
    ("MRI L-spine:" before "no malignancy identified."), speaks of a fracture, a bone or the spine."""
    if "organ" in {loc["kind"] for loc in m["locations"]}:
        return False
    lo, hi = span_of(m, "sentence")
    head = text[max(0, lo - _LABEL_REACH):lo].rstrip()
    if head.endswith(":"):  # the label's own words, back to the stop or line break before it
        lo -= len(text[max(0, lo - _LABEL_REACH):lo]) - max(head.rfind("."), head.rfind("\n"), head.rfind(";")) - 1
    return _BONE_SENTENCE.search(text, lo, hi) is not None


def _drop_vote(votes: dict[str, dict[str, list[int]]], label: str, mention_id: int) -> None:
    """Take mention_id's possible vote for label back (an empty list goes, so the label reads as its other votes)."""
    cast = votes.get(label, {})
    kept = [i for i in cast.get("possible", ()) if i != mention_id]
    if kept:
        cast["possible"] = kept
    else:
        cast.pop("possible", None)
        if not cast:
            votes.pop(label, None)


def _spine_only(m: dict[str, Any]) -> bool:
    """m is told of the spine as a whole ("in the spine") and of no level or named bone."""
    return any(loc["kind"] == "bone" and loc.get("value") == "spine" for loc in m["locations"]) and not sites_of(m)


def _at_levels(m: dict[str, Any]) -> bool:
    """m's sites are all spine levels (or it has none): what a denial of the whole spine speaks of."""
    return all(":" not in site for site in sites_of(m))


def _meets_beyond(best: dict[tuple[str, str], int], m: dict[str, Any], bound: int) -> bool:
    """Some mention filed in ``best`` (_best_by_site) beyond ``bound`` speaks of m's site: it names none, m names
    none, or they share one (sites.sites_meet). A suspicion is answered by a denial after it, a denial answers a
    suspicion before it (keys negated); one lookup per site, not one per pair (session 23: a note of thousands of
    suspicions and denials of one label stays linear)."""
    sites = sites_of(m)
    if not sites:
        return best.get(("all", ""), bound) > bound
    return any(best.get(k, bound) > bound for k in (("none", ""), *asking_keys(sites)))


def _best_by_site(others: list[dict[str, Any]], key: Callable[[dict[str, Any]], int]) -> dict[tuple[str, str], int]:
    """The greatest ``key`` of the mentions filed under each site key (sites.by_site), and of all ("all")."""
    best = {k: max(map(key, filed)) for k, filed in by_site(others).items()}
    if others:
        best[("all", "")] = max(map(key, others))
    return best


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
# How far before its quote a lead can start: its word (15 characters at most), a word boundary's neighbour, and
# the 80 characters _QUOTE_LEAD allows after it.
_QUOTE_LEAD_REACH = 100
QUOTED = "another read quoted (an outside, original or preliminary report's words): not this report's finding"


def quoted_reads(mentions: list[dict[str, Any]], text: str) -> None:
    """Make historical the counting findings of a radiology report that stand inside another read it quotes
    (session 23); a quote that gives the right text of a correction stays the report's."""
    if '"' not in text and "\u201c" not in text:  # nearly every report: one str scan
        return
    spans = []
    for q in _QUOTED.finditer(text):
        # the lead's words stand within _QUOTE_LEAD_REACH of the quote, on its line: a long line of quotes is not
        # read back to its start for each (session 23)
        line = text.rfind("\n", max(0, q.start() - _QUOTE_LEAD_REACH), q.start()) + 1
        line = max(line, q.start() - _QUOTE_LEAD_REACH)
        if _QUOTE_LEAD.search(text, line, q.start()) and not _RIGHT_TEXT.search(text, line, q.start()):
            spans.append((q.start(1), q.end(1)))
    if not spans:
        return
    starts = [a for a, _ in spans]  # in text order, none inside another
    for m in mentions:
        if m["concept"] == "modality" or not m["counts"] or m["assertion"] not in ("present", "possible", "absent"):
            continue
        i = bisect_right(starts, m["start"]) - 1
        if i >= 0 and m["end"] <= spans[i][1]:
            m["assertion"], m["note"] = "historical", QUOTED


# An amendment that deletes an impression item by its number ("Impression item 3 is deleted; it was dictated in
# error", "Please disregard impression #2", "delete item 4 of the impression"): the item's finding is no longer the
# report's. The deletion names the impression, so a numbered list elsewhere ("item 3 of the questionnaire") is none.
_DELETED = (r"(?:deleted|removed|withdrawn|retracted|struck(?:\s+out)?|stricken|disregarded|omitted|"
            r"dictated\s+in\s+error|erroneous|in\s+error)")
_ITEM = r"(?:item|number|no\.|#|point)\s*#?\s*(\d{1,2})"
_DELETES_ITEM = re.compile(
    rf"\bimpression\s+{_ITEM}\b\s+(?:is|was|has\s+been|should\s+be|to\s+be)\s+{_DELETED}"
    rf"|\b{_ITEM}\s+(?:of|in)\s+the\s+impression\s+(?:is|was|has\s+been|should\s+be|to\s+be)\s+{_DELETED}"
    rf"|\b(?:delete|remove|disregard|strike|withdraw|retract|ignore)\s+(?:the\s+)?impression\s+{_ITEM}\b"
    rf"|\b(?:delete|remove|disregard|strike|withdraw|retract|ignore)\s+{_ITEM}\s+(?:of|in)\s+the\s+impression\b",
    re.I)
# a numbered item's first line ("1. ...", "2) ..."), its number
_ITEM_LINE = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# a word every deletion of _DELETES_ITEM holds (the verbs' stems and "in error")
_DELETING_WORDS = ("delet", "remov", "withdr", "retract", "struck", "strick", "strike", "disregard", "omit",
                   "in error", "erroneous", "ignore")
DELETED_ITEM = "an impression item that a later amendment deleted"


def deleted_items(mentions: list[dict[str, Any]], text: str) -> None:
    """Make historical the counting findings of a radiology report's numbered impression item that a later
    sentence deletes by its number (w43_32: "Impression item 3 is deleted; it was dictated in error"): the reader's
    last word takes the item back whatever it names (session 29). An item runs from its number to the next
    numbered line or blank line."""
    if "mpression" not in text and "MPRESSION" not in text:
        return
    lower = text.lower()
    if not any(word in lower for word in _DELETING_WORDS):
        return  # nearly every report with an impression: one lower-cased copy and a few str scans, no regex
    deletions: dict[int, int] = {}  # item number -> where its latest deletion starts
    for d in _DELETES_ITEM.finditer(text):
        number = int(next(g for g in d.groups() if g is not None))
        deletions[number] = d.start()
    if not deletions:
        return
    items = [(i.start(), int(i.group(1))) for i in _ITEM_LINE.finditer(text)]
    starts = [a for a, _ in items]
    for m in mentions:
        if (m["concept"] == "modality" or not m["counts"] or m.get("section") != "impression"
                or m["assertion"] not in ("present", "possible", "absent")):
            continue
        i = bisect_right(starts, m["start"]) - 1
        if i < 0:
            continue
        start, number = items[i]
        if deletions.get(number, -1) > m["end"] and _BLANK_LINE.search(text, start, m["start"]) is None:
            m["assertion"], m["note"] = "historical", DELETED_ITEM
