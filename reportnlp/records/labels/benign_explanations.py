"""Where a bone lesion is explained as benign (``explained``: the note that says why it counts for nothing, or None):
a bare lucency or sclerosis that is a fracture's or a degenerative finding's own appearance, a benign reading in
its clause, at its site elsewhere in the report or pointing back to it (``_BenignIndex``, ``benign_elsewhere``), the
sentence right after it (``explained_next``), uptake at a fracture's site, at a degenerative vertebra or in a
metabolic superscan. A benign reading whose sentence leaves a malignant one open explains nothing (``left_open``).
Also whether the lesion a fracture goes through is read as benign (``cause_read_benign``)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from reportnlp.records.labels.causes import VERSUS_CUE
from reportnlp.records.labels.corrections import ADDS
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.lesions import called_underlying, focal_before
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import (
    affirmed,
    asking_keys,
    by_site,
    generic_bone_only,
    has_bone,
    kinds_of,
    meeting_keys,
    rib_numbers,
    sites_meet,
    sites_of,
    span_of,
)
from reportnlp.records.labels.vocabulary import (
    DIFFUSE_ONLY,
    EXPLAINED,
    EXPLAINED_BY_FRACTURE,
    EXPLAINS_UPTAKE,
    MALIGNANT,
)

# A bare lucency or sclerosis that a fracture runs through ("fracture of the femoral neck running through an ill-defined
# area of lucency") is the lesion beneath the break, not its line (session 33, w78_11).
_THROUGH_BEFORE = re.compile(r"\bthrough\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}\Z", re.I)


def _broken_through(m: dict[str, Any], text: str) -> bool:
    """The bare lesion word m follows "through a / the" and at most three words in its clause (_THROUGH_BEFORE)."""
    lo = max(span_of(m, "clause")[0], m["start"] - 60)
    return _THROUGH_BEFORE.search(text, lo, m["start"]) is not None


# A clause that opens by pointing back ("; it is now considered a bone island", ", which is a haemangioma"), or
# that is only a reading of what came before it ("...; likely a bone island", "; most likely a hemangioma";
# session 23: the reading needs no pointing word when it opens its clause).
_POINTING_CLAUSE = re.compile(
    r"[\s;,(-]*(?:it|this|which|these|they|(?:most\s+|very\s+)?(?:likely|probably|presumably|favou?r(?:ed|ing)?)"
    # "; favor degenerative facet arthropathy over metastatic disease", "; characteristic of a hemangioma" (session 32)
    r"|(?:consistent|compatible)\s+with|in\s+keeping\s+with|(?:typical|characteristic|diagnostic)\s+of)\b",
    re.I,
)
_DISC_LEVEL = re.compile(r"([CTLS])(\d{1,2})-([CTLS])(\d{1,2})")
_VERTEBRA = re.compile(r"[CTLS]\d{1,2}")


def _vertebrae(m: dict[str, Any]) -> set[str]:
    """The vertebrae m's spine levels name ("L3-L4", a disc level, names L3 and L4)."""
    return {v for loc in m["locations"] if loc["kind"] == "level" for lv in loc.get("levels", ())
            for v in _VERTEBRA.findall(lv)}


# The benign whole-skeleton reading of diffuse bone-scan uptake (patterns/targets.json), and the clause words that
# call an uptake diffuse.
METABOLIC_SUPERSCAN = frozenset({"benign_metabolic_superscan", "benign_metabolic_superscans"})
_DIFFUSE = re.compile(r"\b(?:diffuse|diffusely|generali[sz]ed|uniform|uniformly)\b", re.I)
# The degenerative findings of bone, whose uptake a bone scan shows (labels.md: "arthropathy ... benign").
_BONY_DEGENERATION = frozenset({"facet_arthropathy", "spondylosis", "endplate_changes", "disc_degeneration"})
UPTAKE_AT_DEGENERATION = "uptake at a vertebra of a degenerative finding of bone the report names"


class _BenignIndex:
    """The report's benign findings filed by what lets one explain a lesion (explained): the sites they meet (a
    level or bone they share, or a bone one names with no side and the other with one: "right fourth rib" ... "rib
    focus" in the impression that sums it up; sites.sites_meet), the vertebrae a disc-spanning one spans (its
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
                if not sites_of(n):
                    for key in meeting_keys(set(clause_sites(n))):
                        self.by_site.setdefault(key, []).append(n)
        antecedents: list[tuple[int, int, dict[str, Any]]] = []
        self.pointing: dict[tuple[int, int], list[tuple[int, int, dict[str, Any]]]] = {}
        for i, n in enumerate(benign):
            sites = sites_of(n)
            if (n.get("meta") or {}).get("spans_disc"):  # the vertebrae beside its disc (_spans_site_of)
                for d in filter(None, map(_DISC_LEVEL.fullmatch, sites)):
                    a, x, b, y = d.groups()
                    for vertebra in {a + x, b + y}:
                        self.by_site.setdefault(("site", vertebra), []).append(n)
            antecedents += [(loc["start"], i, n) for loc in n["locations"] if loc.get("antecedent")]
            clause = span_of(n, "clause")
            if not sites and _POINTING_CLAUSE.match(text, clause[0]) is not None:
                self.pointing.setdefault(span_of(n, "sentence"), []).append((clause[0], i, n))
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
        asks passes explained's site or pointing test for m by the filing's construction, and left_open reads m's
        sites only, so each filing is asked once per site set (a sentence's, once per sentence and site set), not
        once per lesion: a line of thousands of lesions and their readings at one level asked each lesion every
        reading there (100 kB 0.45 s; session 24)."""
        sites = frozenset(sites_of(m))
        lo, hi = span_of(m, "sentence")
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


def explained(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> str | None:
    """Why m is no unexplained lesion (the mention's note), or None."""
    meta = m.get("meta") or {}
    # "sclerosis", "lucency": a lesion only if nothing else explains it; destruction is never a fracture's or
    # a degenerative finding's own appearance, so it only needs its bone site
    bare = bool(meta.get("needs_bone")) and not meta.get("destructive") and not _broken_through(m, nearby.text)
    if bare and ("joint" in kinds_of(m) or any(
        (counts["group:degenerative"] or counts["group:fracture"]) and (members is None or _explainer_meets(
            rules, m, members, nearby))
        for counts, members in ((nearby.sentence_counts(m, rules.group), nearby.sentence_members(m)),
                                (nearby.previous_sentence_counts(m, rules.group), None))
    )) and not _said_of_a_malignancy(rules, m, nearby):  # a lucency or sclerosis beside (or right after) a
        return EXPLAINED  # fracture or degenerative finding is theirs: "narrowing, sclerosis and osteophytes"
    if bare and nearby.once(("clause fracture", *span_of(m, "clause")), lambda: any(
        n["counts"] and rules.group(n) == "fracture" for n in nearby.clause_members(m)
    )):  # (once a clause: a clause of thousands of lucencies read it once for each, session 24)
        # "Subtle lucency at the distal radius, doubt fracture": the lucency is the fracture line in question
        return "a bare lucency or sclerosis whose clause asks about a fracture (whatever its answer)"
    explaining = EXPLAINS_UPTAKE if m["concept"] in ("bone_uptake", "lesion") or bare else set()
    counts = nearby.clause_counts(m, rules.group)
    # a marrow response to chemotherapy explains diffuse marrow uptake only: not a focal one, not a lesion
    benign = counts["group:benign"] or (counts["group:diffuse_cause"] and m["concept"] == "bone_uptake"
                                        and not focal_before(m, nearby))
    if (benign or any(counts[f"group:{g}"] for g in explaining) or counts["rule:schmorl"]) and not left_open(
        rules, m, m, nearby
    ):
        return EXPLAINED
    if counts["concept:fracture"] and m["concept"] in EXPLAINED_BY_FRACTURE and not called_underlying(nearby.text, m):
        return EXPLAINED  # an underlying lesion is what may have broken the bone, not the break (session 10)
    called_malignant = counts["malignant:present"] or counts["malignant:possible"]
    # "the L2 lesion ... favored to be a hemangioma" in another section; not a lesion its own clause calls
    if not called_malignant and benign_elsewhere(rules, m, nearby):
        return EXPLAINED  # malignant ("lytic calvarial lesions, in keeping with myeloma. Right frontal haemangioma.")
    if not called_malignant and explained_next(rules, m, nearby):
        return "explained as benign by the sentence right after it"
    if bare and _at_fracture_site(rules, m, nearby) and not _said_of_a_malignancy(rules, m, nearby):
        # "Lucency in the right 6th rib." ... "Possible fracture of the right 6th rib."
        return "a bare lucency or sclerosis at the site of a fracture the report names"
    if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
            and _at_fracture_site(rules, m, nearby)):  # "Four foci ... in the left 5th-8th ribs." ... "Healing rib
        return "uptake at the site of a fracture the report names"  # fractures." (session 23)
    if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
            and _at_bony_degeneration(rules, m, nearby)):
        return UPTAKE_AT_DEGENERATION
    if (m["concept"] == "bone_uptake" and m["assertion"] == "present" and not called_malignant
            and _diffuse_in_a_metabolic_superscan(rules, m, nearby)):
        return "diffuse uptake of a metabolic superscan the report names"
    return EXPLAINED if m["concept"] == "bone_uptake" and "joint" in kinds_of(m) and not has_bone(m) else None


def _said_of_a_malignancy(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """m's clause calls its lesion malignant and holds no fracture or degenerative finding of its own: "The
    treated metastasis is now sclerotic." right after a fracture sentence describes the metastasis, not the
    fracture (session 25)."""
    counts = nearby.clause_counts(m, rules.group)
    return bool(counts["malignant:present"] or counts["malignant:possible"]) and not (
        counts["group:fracture"] or counts["group:degenerative"])


def _explainer_meets(rules: LabelRules, m: dict[str, Any], members: list[dict[str, Any]], nearby: Neighbours) -> bool:
    """A fracture or degenerative finding of ``members`` (m's sentence) can be what the bare lucency or
    sclerosis m shows: m names no spine level, or one of them names none, or one names a vertebra of m's.
    "Stable lucency in T12; mild L3-4 disc bulge." is no bulge's lucency (session 26). The sentence before is
    not asked: "large osteophytes, worst at L2-L3. Posterior elements from L4 through S1 are sclerotic." names
    the worst of many levels. The findings' levels are gathered once a sentence."""
    own = _vertebrae(m)
    if not own or not members:
        return True
    unsited, levels = nearby.once(("explainer levels", *span_of(members[0], "sentence")),
                                  lambda: _explainer_levels(rules, members))
    return unsited or not own.isdisjoint(levels)


def _explainer_levels(rules: LabelRules, members: list[dict[str, Any]]) -> tuple[bool, frozenset[str]]:
    """Whether an affirmed fracture or degenerative finding of ``members`` names no spine level, and the
    vertebrae those that name one name (a disc level names both of its vertebrae)."""
    unsited, levels = False, set()
    for n in members:
        if affirmed(n) and rules.group(n) in ("degenerative", "fracture"):
            theirs = _vertebrae(n)
            unsited = unsited or not theirs
            levels |= theirs
    return unsited, frozenset(levels)


def benign_elsewhere(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A benign reading of the report meets m by site or points back to it and leaves no malignant reading open
    (_BenignIndex)."""
    return nearby.once(("benign index",), lambda: _BenignIndex(
        nearby.benign, nearby.text, lambda n: _clause_lesion_sites(rules, n, nearby))).explains(
        m, lambda n, k: left_open(rules, n, k, nearby))


def _clause_lesion_sites(rules: LabelRules, n: dict[str, Any], nearby: Neighbours) -> frozenset[str]:
    """The sites of the affirmed bone lesions of n's clause, which a benign reading there explains (explained):
    "The left iliac lucent lesion has a thin sclerotic rim ..., consistent with an intraosseous lipoma." reads
    the findings' "lucent lesion in the left iliac bone" too, though the lipoma's own words name only bone
    (session 29). Found once a clause."""
    return nearby.once(("clause lesion sites", *span_of(n, "clause")), lambda: frozenset().union(*(
        sites_of(k) for k in nearby.clause_members(n)
        if k["counts"] and affirmed(k) and rules.group(k) == "bone_lesion")))


def cause_read_benign(rules: LabelRules, cause: dict[str, Any], nearby: Neighbours) -> bool:
    """The lesion a fracture goes through is read as benign at its site elsewhere, with no tumor its own clause
    calls it: "fracture through the lesion" in the findings, "unicameral bone cyst of the proximal right
    humerus" in the impression (session 28)."""
    counts = nearby.clause_counts(cause, rules.group)
    if counts["malignant:present"] or counts["malignant:possible"]:
        return False
    if sites_of(cause):
        return benign_elsewhere(rules, cause, nearby) or explained_next(rules, cause, nearby)
    # a site-less "the lesion" is the one the sentence before describes: every affirmed lesion there read benign
    before = nearby.previous_sentence(cause)
    lesions = [n for n in before if rules.group(n) == "bone_lesion" and n["counts"] and affirmed(n)]
    return (bool(lesions) and not any(n["concept"] in MALIGNANT for n in before)
            and all(sites_of(n) and benign_elsewhere(rules, n, nearby) for n in lesions))


def left_open(rules: LabelRules, n: dict[str, Any], m: dict[str, Any], nearby: Neighbours) -> bool:
    """The sentence of the benign reading n leaves a malignant alternative open for m: it hedges a
    metastasis or malignancy that names no site or one of m's ("likely a bone island, although a metastasis
    cannot be excluded", "bone island versus treated metastasis"), so the benign word is one reading of
    the lesion, not its explanation. A denied alternative ("rather than metastasis") closes nothing."""
    hedged, lone_alternative = nearby.once(("left open", *span_of(n, "sentence")), lambda: _open_readings(rules, n, nearby))
    if lone_alternative:
        return True
    sites = sites_of(m)
    # a side named on one and not the other still meets ("lucent lesions in the calvarium" and the hedged metastases
    # of "the largest in the left parietal bone"; session 34)
    return any(not sites_of(k) or sites_meet(sites_of(k), sites) for k in hedged)


def _open_readings(rules: LabelRules, n: dict[str, Any], nearby: Neighbours) -> tuple[list[dict[str, Any]], bool]:
    """n's sentence's hedged malignant mentions, and whether it poses exactly one benign reading as an
    alternative ("possibly traumatic versus a met": the other reading, unread here, stays open; "bone
    island versus hemangioma" poses two benign ones and explains)."""
    members = nearby.sentence_members(n)
    hedged = [k for k in members if k["concept"] in MALIGNANT and k["assertion"] == "possible" and k["counts"]]
    alternatives = sum(
        1 for k in members
        if rules.group(k) == "benign" and k["assertion"] == "possible"
        and any(VERSUS_CUE.search(c["rule"]) for c in k["cues"])
    )
    return hedged, alternatives == 1


def explained_next(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """The sentence right after m's explains it: its affirmed findings are benign (and degenerative) ones
    naming no site of their own, and it adds nothing ("also", "another"): "Sclerotic focus in the left
    ilium. A bone island is favored." A benign finding with its own site is matched by site instead.
    Decided once per sentence (a sentence of many lesions stays linear)."""
    return bool(nearby.once(("explains next", *span_of(m, "sentence")), lambda: _next_explains(rules, m, nearby)))


def _next_explains(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    findings = [n for n in nearby.next_sentence(m) if n["counts"] and affirmed(n) and n["concept"] != "modality"]
    found = any(rules.group(n) == "benign" and n["rule"] not in DIFFUSE_ONLY for n in findings) and all(
        (rules.group(n) == "benign" and generic_bone_only(n))
        or (rules.group(n) == "degenerative" and not sites_of(n) and "organ" not in kinds_of(n))
        for n in findings
    )  # "Given the degenerative change, a geode is most likely.": the benign reading of the joint
    return found and ADDS.search(nearby.text, *span_of(findings[0], "sentence")) is None


def _at_fracture_site(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """m's bone is one a plain fracture of the report names, a side said by one of them only matching too
    ("lucency in the proximal right fourth metatarsal" ... "cannot exclude fracture of the metatarsals"), as
    ``sites_meet`` (session 19)."""
    sites = sites_of(m)
    if not sites or not sites_meet(sites, _fracture_sites(rules, nearby)):
        return False
    ribs = rib_numbers(m, nearby.text) if any(s.endswith(":rib") for s in sites) else frozenset()
    if not ribs:
        return True
    # a numbered rib meets a fracture of no number or of one of its numbers (w65_18; session 29), asked once per
    # site set and numbers: a report of thousands of rib foci asked each every fracture
    return bool(nearby.once(("numbered fracture site", frozenset(sites), ribs), lambda: any(
        sites_meet(sites, theirs) and (not numbers or not numbers.isdisjoint(ribs))
        for theirs, numbers in _fractures_with_sites(rules, nearby))))


def _fractures_with_sites(rules: LabelRules, nearby: Neighbours) -> list[tuple[set[str], frozenset[int]]]:
    """The sites and rib numbers of the report's plain fractures that name a site (found once per report)."""
    return nearby.once(  # type: ignore[no-any-return]
        ("fractures with sites",), lambda: [(sites, rib_numbers(n, nearby.text)) for n in nearby.all
                                            if _plain_fracture(rules, n) and (sites := sites_of(n))])


def _fracture_sites(rules: LabelRules, nearby: Neighbours) -> set[str]:
    """The sites of the report's plain fractures (found once per report)."""
    return nearby.once(  # type: ignore[no-any-return]
        ("fracture sites",), lambda: set().union(*(sites_of(n) for n in nearby.all if _plain_fracture(rules, n))))


def _plain_fracture(rules: LabelRules, n: dict[str, Any]) -> bool:
    """An affirmed, counting fracture given no pathologic cause: a site's lucency can be that fracture."""
    return (n["concept"] == "fracture" and n["counts"] and affirmed(n) and n.get("pathologic_cause") is None
            and n.get("pathologic_called") in (None, "absent"))


def _at_bony_degeneration(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """Uptake m at a vertebra that a degenerative finding of bone the report affirms elsewhere names, a disc
    level naming both of its vertebrae ("Focal increased uptake projecting at L4." ... "The planar L4 focus is
    left L4-L5 facet arthropathy."): a bone scan's degenerative uptake, read as such in another paragraph
    (session 29). A disc's own finding (a bulge, a herniation, stenosis) makes no bone uptake."""
    own = _vertebrae(m)
    return bool(own) and not own.isdisjoint(nearby.once(("bony degeneration",), lambda: frozenset(
        v for n in nearby.all if n["counts"] and affirmed(n) and rules.group(n) == "degenerative"
        and rules.concepts[n["concept"]]["degenerative"] in _BONY_DEGENERATION for v in _vertebrae(n))))


def _diffuse_in_a_metabolic_superscan(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """Uptake m its clause calls diffuse, not focal, in a report that reads a metabolic superscan anywhere and
    leaves no malignant reading open there ("Diffusely increased skeletal uptake ..." ... "IMPRESSION:
    Metabolic superscan, in keeping with renal osteodystrophy."): the superscan is the whole skeleton's
    uptake, so it needs no site or pointing word to reach it (session 29)."""
    if not nearby.found_in(m, "clause", _DIFFUSE) or focal_before(m, nearby):
        return False
    superscans = nearby.once(("metabolic superscans",),
                             lambda: [n for n in nearby.benign if n["rule"] in METABOLIC_SUPERSCAN])
    return any(not left_open(rules, n, m, nearby) for n in superscans)
