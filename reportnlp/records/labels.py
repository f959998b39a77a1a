"""Decide the report labels of labels.md from the mentions: the one place that does it.

Pure functions over plain mention dicts (as in the record), so that the decision can be
re-run, tested and explained without spaCy. Every mention gets ``contributes`` (label ->
status) or a ``note`` saying why it does not count; each label keeps the ids of the mentions
that decided it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from reportnlp.records.dated_lines import on_lines, past_lines
from reportnlp.records.years import years_named

STATUSES = ("present", "possible", "absent")
NOT_MENTIONED = "not_mentioned"
# Notes of a degenerative mention judged not to be a spine finding (its record carries no spine prevalence).
OTHER_SITE_NOTE = "degenerative finding of a joint, bone or organ other than the spine"
NO_SPINE_NOTE = "no spine site, spine level or spine exam: not a spine finding"
JOINT_WORD_NOTE = "a joint-disease word with no spine site of its own and no spine exam"
SPINE_EXAM_WORD_NOTE = "a bare word that means the spine only on spine imaging or beside a spine site"
NOT_SPINE_NOTES = frozenset({OTHER_SITE_NOTE, NO_SPINE_NOTE, JOINT_WORD_NOTE, SPINE_EXAM_WORD_NOTE})
COUNTING = set(STATUSES)
SIMPLE_LABELS = ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")
DEGENERATIVE_KEYS = (
    "disc_herniation",
    "disc_bulge",
    "disc_degeneration",
    "endplate_changes",
    "annular_fissure",
    "facet_arthropathy",
    "spinal_stenosis",
    "spondylolisthesis",
    "spondylosis",
)
LESION_PATTERNS = ("lytic", "blastic", "mixed")  # the values of labels.lesion_pattern
MODALITIES = ("XR", "CT", "MRI", "NM", "PET", "US")  # the values of labels.modalities
MALIGNANT = {"bone_metastasis", "metastasis", "bone_malignancy", "malignancy"}
NEEDS_BONE_SITE = {"malignancy", "lesion", "bone_uptake"}
LESIONS = {"lytic_lesion", "blastic_lesion", "mixed_lesion", "bone_lesion", "lesion", "bone_uptake"}
EXPLAINS_UPTAKE = {"degenerative"}
_LESION_BENEATH = {"present": {"bone_metastasis": "possible"}, "possible": {"bone_metastasis": "possible"}}
# A procedure note's narrative and intra-operative findings (patterns/sections.json "operative").
OPERATIVE_SECTIONS = {"operative"}
# The benign cause that explains only diffuse marrow uptake (patterns/targets.json: "related to chemotherapy").
DIFFUSE_ONLY = ("benign_after_chemotherapy", "benign_post_chemotherapy")
_FOCAL = re.compile(r"\bfoc(?:al|us|i)\b|\blesions?\b|\bsolitary\b|\bsingle\b", re.I)
EXPLAINED_BY_FRACTURE = {"bone_uptake", "lesion", "bone_lesion", "blastic_lesion"}


# A pathology report's specimen line, up to 200 characters of it (a specimen is named in a few words), at a
# line start or glued after a comma as in exports that join lines with "," ("...,SPECIMEN: , Lung, left.,").
# A part letter or number before the specimen ("SPECIMEN: A. L3 vertebral body") labels the container: the
# specimen is what follows it, not the letter (session 16).
SPECIMEN_LINE = re.compile(
    r"(?:^|,)[ \t]*(?:\d[.)][ \t]*)?specimens?[ \t]*:[ \t,]*(?:[a-z0-9][.)][ \t]+)?"
    r"(?P<what>(?:[^\n.]|\.(?![,\s]))*)",
    re.I | re.M,
)


@dataclass(frozen=True)
class ExamContext:
    """What the exam images, from its title and technique (labels.md: bone-only exams)."""

    bone_only: bool = False
    spine: bool = False
    pathology: bool = False  # a pathology report: its metastasis is the specimen's (a bone specimen makes it bone_only)


def _kinds(m: dict[str, Any]) -> set[str]:
    return {loc["kind"] for loc in m["locations"]}


def _has_bone(m: dict[str, Any]) -> bool:
    """A bone named, or a spine level with no soft tissue (cord, node) named beside it."""
    kinds = _kinds(m)
    return "bone" in kinds or ("level" in kinds and "organ" not in kinds)


_SEGMENT = re.compile(
    r"(?:(?:cervical|thoracic|lumbar|lumbosacral|dorsal)\s+(?:spine|spinal)|[ctl]-?spine|spine|spinal\s+column|"
    r"cervicothoracic|thoracolumbar|lumbosacral|lumbar)", re.I)


_MASS_EFFECT = {"cord_compression", "spinal_stenosis"}


def _without_pressed_organs(m: dict[str, Any], nearby: Neighbours) -> dict[str, Any]:
    """m with the cord or thecal sac it only presses on left out of its sites: in "L3 metastasis with epidural
    extension compressing the cauda equina" the cord is what the tumor pushes on, not its tissue, so the
    level names the bone. Only with a level named and every organ inside a cord compression or thecal sac
    narrowing of the clause ("T10 lesion within the cord" keeps its organ)."""
    locs = m["locations"]
    organs = [loc for loc in locs if loc["kind"] == "organ"]
    if not organs or not any(loc["kind"] == "level" for loc in locs):
        return m
    pressed = nearby.pressed_spans(m)
    if not pressed or not all(any(loc["start"] < hi and lo < loc["end"] for lo, hi in pressed) for loc in organs):
        return m
    return {**m, "locations": [loc for loc in locs if loc["kind"] != "organ"]}


def _segment_only(m: dict[str, Any]) -> bool:
    """Its only bone sites are whole spine segments ("C-spine", "the lumbar spine"), with no level and no
    vertebra, vertebral body or other bony part named."""
    bones = [loc for loc in m["locations"] if loc["kind"] in ("bone", "level")]
    return bool(bones) and all(loc["kind"] == "bone" and _SEGMENT.fullmatch(loc["text"]) for loc in bones)


def _soft_region(m: dict[str, Any]) -> bool:
    """Only soft-tissue regions named (neck, abdomen, mediastinum), none that holds bone ("abdomen and
    pelvis" may be the pelvic bones)."""
    regions = [loc for loc in m["locations"] if loc["kind"] == "region"]
    return bool(regions) and all(loc.get("value") for loc in regions)


def _spine_site(m: dict[str, Any]) -> bool:
    return any(loc["kind"] == "level" or loc.get("region") == "spine" for loc in m["locations"])


def _other_site(m: dict[str, Any]) -> bool:
    return any(
        loc["kind"] == "joint" or (loc["kind"] == "bone" and loc.get("region") not in ("spine", None))
        for loc in m["locations"]
    )


def _sites(m: dict[str, Any]) -> set[str]:
    """Specific sites (levels, named bones) a mention is tied to; generic 'bone' is too vague to match."""
    out = set()
    for loc in m["locations"]:
        if loc["kind"] == "level":
            out.update(loc.get("levels", []))
        elif loc["kind"] == "bone" and loc.get("value") not in (None, "bone", "spine"):
            out.add(f"{loc.get('laterality') or ''}:{loc['value']}")
    return out


def _generic_bone_only(m: dict[str, Any]) -> bool:
    """m names no place of its own but bone in general ("A bone island is favored."; not "in the liver")."""
    return all(loc["kind"] == "bone" and loc.get("value") in (None, "bone") for loc in m["locations"])


def _same_site(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """a and b are tied to one site: a level or bone they share, or a bone one names with no side and the
    other with one ("right fourth rib" ... "rib focus" in the impression that sums it up)."""
    if a["id"] == b["id"]:
        return False
    sa, sb = _sites(a), _sites(b)
    return bool(sa & sb) or _unsided_in(sa, sb) or _unsided_in(sb, sa)


def _unsided_in(one: set[str], other: set[str]) -> bool:
    """A bone of ``one`` named with no side (":rib") is a bone ``other`` names with a side ("right:rib")."""
    unsided = {site[1:] for site in one if site.startswith(":")}
    return bool(unsided) and any(site.partition(":")[2] in unsided for site in other if not site.startswith(":"))


def _points_back_to(b: dict[str, Any], a: dict[str, Any]) -> bool:
    """b's sentence points back to a's ("Sclerotic focus in the ilium. This represents a bone island.")."""
    lo, hi = _span(a, "sentence")
    return any(loc.get("antecedent") and lo <= loc["start"] < hi for loc in b["locations"])


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


def _affirmed(m: dict[str, Any]) -> bool:
    return m["assertion"] in ("present", "possible")


def _affirmed_keys(n: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> list[str]:
    """The facts an affirmed mention adds to its clause's and sentence's counts (none if not affirmed)."""
    if not _affirmed(n):
        return []
    # a cause that explains only diffuse marrow uptake is no benign reading of anything else ("group:diffuse_cause")
    kind = "diffuse_cause" if n["rule"] in DIFFUSE_ONLY else group(n)
    keys = [f"group:{kind}", f"concept:{n['concept']}", f"rule:{n['rule']}"]
    if n["concept"] in MALIGNANT:
        keys.append(f"malignant:{n['assertion']}")
    return keys


def without(counts: Counter[str], own: list[str]) -> Counter[str]:
    """``counts - Counter(own)`` for a few ``own`` keys: a copy with each of them taken away once (keys
    that reach zero dropped), instead of Counter subtraction's walk over every key of a long clause's counts."""
    out = counts.copy()
    for key in own:
        left = out.get(key, 0) - 1
        if left > 0:
            out[key] = left
        else:
            out.pop(key, None)
    return out


def _span(m: dict[str, Any], key: str) -> tuple[int, int]:
    return m[key]["start"], m[key]["end"]


class Neighbours:
    """A report's mentions grouped by clause and by sentence, in mention order.

    Labels look at the other mentions of a mention's clause or sentence; looking them up here
    keeps a long report linear instead of comparing every pair of its mentions.
    """

    def __init__(
        self, mentions: list[dict[str, Any]], benign: Callable[[dict[str, Any]], bool], text: str = ""
    ) -> None:
        self.all = mentions
        self.text = text
        self._is_benign = benign
        self._clause: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._order: list[tuple[int, int]] | None = None
        self._clause_counts: dict[tuple[int, int], Counter[str]] = {}
        self._sentence_counts: dict[tuple[int, int], Counter[str]] = {}
        self._least: dict[tuple[str, int, int], int | None] = {}
        self._organ_finding: dict[tuple[int, int], bool] = {}
        self._once: dict[tuple[Any, ...], Any] = {}
        for m in mentions:
            self._clause.setdefault(_span(m, "clause"), []).append(m)
            self._sentence.setdefault(_span(m, "sentence"), []).append(m)

    # The two below are read for a few mentions of a few reports (a lesion a benign finding may explain, a
    # finding that needs the spine), so they are found then, once. What they read is never changed by the
    # label steps before (concept, counts, rule, locations; an assertion only from present to possible).
    @cached_property
    def benign(self) -> list[dict[str, Any]]:
        """The counting, affirmed benign findings."""
        return [m for m in self.all if self._is_benign(m)]

    @cached_property
    def names_spine(self) -> bool:
        """Some study or counting finding of the report names a spine site."""
        return any(_spine_site(m) for m in self.all if m["concept"] == "modality" or m["counts"])

    def sentence_least(self, m: dict[str, Any], name: str, value: Callable[[dict[str, Any]], int | None]) -> int | None:
        """The least ``value`` over the mentions of m's sentence (None values left out, None if none is left),
        computed once per sentence and ``name``. Callers ask about the other mentions: m's own value is None."""
        key = (name, *_span(m, "sentence"))
        if key not in self._least:
            values = [v for n in self._sentence.get(key[1:], ()) if (v := value(n)) is not None]
            self._least[key] = min(values, default=None)
        return self._least[key]

    def clause_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """What the other mentions of m's clause affirm, counted once per clause: ``group:<g>``,
        ``concept:<c>``, ``rule:<r>`` and, for malignant concepts, ``malignant:<assertion>``."""
        return self._counts(self._clause, self._clause_counts, _span(m, "clause"), m, group)

    def sentence_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """The same counts for the other mentions of m's sentence."""
        return self._counts(self._sentence, self._sentence_counts, _span(m, "sentence"), m, group)

    @staticmethod
    def _counts(members: dict[tuple[int, int], list[dict[str, Any]]], cache: dict[tuple[int, int], Counter[str]],
                key: tuple[int, int], m: dict[str, Any] | None, group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        counts = cache.get(key)
        if counts is None:
            counts = cache[key] = Counter()
            for n in members.get(key, ()):
                counts.update(_affirmed_keys(n, group))
        own = _affirmed_keys(m, group) if m is not None else []
        return without(counts, own) if own else counts

    def clause_members(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """All mentions of m's clause, m included, in mention order."""
        return self._clause.get(_span(m, "clause"), [])

    def once(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` for this report: what a label rule asks of a clause, a
        sentence or the whole report is found once however many mentions ask (a long report stays linear)."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def by_id(self, mention_id: int) -> dict[str, Any]:
        """The mention with this id (a linked cause's, say); the map is built once per report."""
        return self.once(("by id",), lambda: {n["id"]: n for n in self.all})[mention_id]

    def pressed_spans(self, m: dict[str, Any]) -> list[tuple[int, int]]:
        """The spans of m's clause's cord compression and thecal sac narrowing mentions ("flattens the cord",
        "narrowing the thecal sac"), found once per clause."""
        key = _span(m, "clause")
        return self.once(  # type: ignore[no-any-return]
            ("pressed", *key),
            lambda: [(n["start"], n["end"]) for n in self._clause.get(key, ()) if n["concept"] in _MASS_EFFECT],
        )

    def previous_sentence_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """The counts of ``sentence_counts`` for the sentence right before m's (empty if text parts them)."""
        before = self.previous_sentence(m)
        if not before:
            return Counter()
        return self._counts(self._sentence, self._sentence_counts, _span(before[0], "sentence"), None, group)

    def previous_organ_finding(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> bool:
        """The sentence right before m's holds an affirmed lesion or benign finding tied to a non-bone organ
        and none tied to a bone or spine level (found once per sentence)."""
        before = self.previous_sentence(m)
        if not before:
            return False
        key = _span(before[0], "sentence")
        found = self._organ_finding.get(key)
        if found is None:
            lesions = [n for n in before if n["counts"] and _affirmed(n) and group(n) in ("bone_lesion", "benign")]
            kinds = [_kinds(n) for n in lesions]  # a spine level beside an organ may still be bone
            found = self._organ_finding[key] = any("organ" in k for k in kinds) and not any(
                k & {"bone", "level"} for k in kinds
            )
        return found

    def _neighbour(self, m: dict[str, Any], step: int, quiet: bool = False) -> list[dict[str, Any]]:
        """The mentions of the sentence right before (step -1) or after (+1) m's, if only spaces part them
        (quiet: if one sentence that names nothing parts them)."""
        if self._order is None:
            self._order = sorted(self._sentence)
        here = _span(m, "sentence")
        k = bisect_left(self._order, here) + step
        if not 0 <= k < len(self._order):
            return []
        other = self._order[k]
        gap = (self.text[other[1] : here[0]] if step < 0 else self.text[here[1] : other[0]]).strip()
        return self._sentence[other] if (_QUIET_SENTENCE.fullmatch(gap) if quiet else not gap) else []

    def sentence_members(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """All mentions of m's sentence, m included, in mention order."""
        return self._sentence.get(_span(m, "sentence"), [])

    def previous_sentence(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """The mentions of the sentence right before m's (nothing but spaces between them)."""
        return self._neighbour(m, -1)

    def next_sentence(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """The mentions of the sentence right after m's (nothing but spaces between them)."""
        return self._neighbour(m, +1)

    def past_quiet_sentence(self, m: dict[str, Any], step: int) -> list[dict[str, Any]]:
        """The mentions of the sentence two before (step -1) or after (+1) m's, when the one sentence between
        names nothing and holds no header ("Collapse of T11. There is mild retropulsion. An underlying lesion
        cannot be excluded."); [] when a sentence with mentions is next to m's (session 17)."""
        return [] if self._neighbour(m, step) else self._neighbour(m, step, quiet=True)

# Also (session 12) a study put "on / in / from / with (the) recent" beside a finding of a titled report
# ("the tubing lies in the chest wall on recent chest CT": a study done before this one), one the reader
# is sent to ("please see the separate CT report"), and "XXXX on the CT scan" (a de-identified verb). A
# note has no exam title, so "stable on recent bone scan" in its assessment still names a study done.
# ConText reads one sentence; a study and what the next sentence says of it are two (session 14). A study
# recommended whose next sentence reports its result ("... recommended a CT angiogram. It showed ...") was
# done; a study named alone ("An MRI of the lumbar spine.") whose next sentence recommends it was not.
_REPORTED_NEXT = re.compile(
    r"\s*(?:this|it|the\s+(?:study|scan|exam|examination|test))\s+(?:showed|revealed|demonstrated|confirmed|"
    r"was\s+(?:negative|normal|unremarkable|positive|abnormal|done|performed|obtained|completed))\b", re.IGNORECASE
)
_NAMED_ALONE_BEFORE = re.compile(
    r"\W*(?:(?:an?|the|repeat|urgent|further|follow-?up|dedicated|plain|contrast|non-?contrast)\s+){0,2}", re.IGNORECASE
)
_NAMED_ALONE_AFTER = re.compile(r"(?:\s+(?:of|for)\s+(?:the\s+)?[a-z/-]+(?:\s+[a-z/-]+){0,2})?\s*\.?\s*", re.IGNORECASE)
_RECOMMENDED_NEXT = re.compile(
    r"\s*(?:this|it|such\s+an?\s+(?:study|scan|exam))\s+(?:is|would\s+be|will\s+be|should\s+be|may\s+be)\s+"
    r"(?:also\s+|strongly\s+|therefore\s+)?(?:recommended|advised|suggested|helpful|indicated|warranted|needed|required)\b",
    re.IGNORECASE,
)
_YEAR_DIGITS = re.compile(r"\b(?:19|20)\d\d\b")
# A bare year dating the study its sentence names next: "In 1998, she had a normal", "back in 1999 he had a",
# "In 1990, his" (a few words between, no other clause). Not a date's year ("on 03/14/2005").
_YEAR_BEFORE_STUDY = re.compile(
    r"\b(?:(?P<back>back\s+)?in|during)\s+(?:the\s+year\s+)?(?P<year>(?:19|20)\d\d)\b(?![/-]\d),?\s+"
    r"(?:(?:he|she|they|the|patient|his|her|their|had|has|underwent|got|received|was|were|did|an?|normal|negative|"
    r"unremarkable|abnormal|first|last|repeat|another|prior|previous)\s+){0,5}$",
    re.IGNORECASE,
)
# From a study to a finding it showed: "MRI | showed a small L4-L5 | disc herniation", "CT of the spine in 2004 |
# revealed | a fracture" (one clause: no semicolon, colon or sentence stop between).
_PAST_YEAR_FRAMES = ("frame_study_years_ago_after", "frame_study_last_year_after")  # "an MRI two years ago"
_PAST_STUDY_SHOWED = re.compile(
    r"[^.;:]{0,80}?\b(?:showed|revealed|demonstrated|confirmed)\b[^.;:]{0,80}$", re.IGNORECASE)
# A bare year after the study: "a CT in 2005", "a hip film taken in 2010", "the scan done in 2003", "the MRI of
# 1996", "back in 1999" (up to four words between).
_YEAR_AFTER_STUDY = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s+(?:(?P<back>back\s+)?in|of|from|during|dated)\s+(?:the\s+year\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d)",
    re.IGNORECASE,
)
_SEEN_ON = re.compile(
    r"(?:\b(?:seen|noted|visible|evident|demonstrated|shown|identified|depicted|apparent|enlargement|increase|"
    r"progression|growth|xxxx)\s+on\s+(?:the\s+|an?\s+)?(?:(?:prior|previous|recent|concurrent|correlative|outside|"
    r"accompanying)\s+)?|\b(?:on|in|from|with)\s+(?:the\s+|an?\s+)?recent\s+"
    r"|\b(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:(?:dedicated|separate|concurrent|same-day|subsequent)\s+)?)"
    r"(?:(?:chest|abdominal|abdomen|pelvic|pelvis|head|brain|neck|spine|body)\s+)?$",
    re.IGNORECASE,
)
# The same study sent to its own report by an aside after it: "the CT chest from the ED (see separate report)" (session 16).
_SENT_TO_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s*[(,-]?\s*(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:dedicated|separate)\s+(?:[a-z]+\s+)?report\b",
    re.IGNORECASE,
)
_UNDERLYING = re.compile(r"\bunderlying\s+(?:[a-z-]+\s+){0,2}$", re.IGNORECASE)


# "myelomatous marrow involvement with chronic mild T8 compression fracture": a bare "with" puts beside the
# tumor a fracture dated old, which the report does not call its result (session 17); "with a pathologic
# fracture" or "with associated collapse" still link.
_WITH_OLD = re.compile(
    r"\bwith\s+(?:(?:an?|the|mild|moderate|severe|minimal|marked|slight|stable|[a-z]\d{1,2}|l5-s1)\s+){0,4}?"
    r"(?:chronic|old|healed|remote|long-?standing)\b", re.I)


# One sentence that names nothing, between two that do: no header (colon), no second sentence.
_QUIET_SENTENCE = re.compile(r"[^.!?:\n]+[.!?]")


def _underlying(text: str, m: dict[str, Any]) -> bool:
    """m is called the finding beneath another ("an underlying lesion"): up to 40 characters before it."""
    return _UNDERLYING.search(text, max(0, m["start"] - 40), m["start"]) is not None
# A templated report's line label that names bone ("Marrow: Normal signal. No suspicious lesion."): the
# line's later sentences are about that bone, as a "Bones:" section's are.
_BONE_LINE_LABEL = re.compile(
    r"[ \t]*(?:bone[ \t]+)?marrow(?:[ \t]+signal)?[ \t]*:|[ \t]*(?:vertebrae|vertebral[ \t]+bodies|osseous)[ \t]*:",
    re.IGNORECASE)


_LINE_LABEL_REACH = 400  # how far back a line label is looked for: a bounded look per mention, never the whole text


def _line_label_names_bone(text: str, start: int) -> bool:
    """Whether the line holding ``start`` opens with a label naming bone (only that line is read, and only
    when its start is within _LINE_LABEL_REACH characters)."""
    low = max(0, start - _LINE_LABEL_REACH)
    line_break = text.rfind("\n", low, start)
    if line_break < 0 and low > 0:
        return False
    return _BONE_LINE_LABEL.match(text, line_break + 1, start) is not None


_FACET = re.compile(r"\bfacets?\b", re.IGNORECASE)


def _reports_a_spine_study(m: dict[str, Any], nearby: Neighbours) -> bool:
    """m's sentence, or the one right before it, names a spine study done ("MRI lumbar spine shows ... No
    stenosis."): what a note (which has no exam title) reports of that study is read as spine imaging."""
    return nearby.once(  # type: ignore[no-any-return]
        ("spine_study", *_span(m, "sentence")),
        lambda: any(
            n["concept"] == "modality" and n["assertion"] == "present" and (n["counts"] or n.get("counts_modality"))
            and _spine_site(n)
            for n in (*nearby.sentence_members(m), *nearby.previous_sentence(m))
        ),
    )


class _ClauseCauses:
    """A clause's tumor mentions and the positions of its cause cues and alternatives, found once, so
    that each fracture of the clause finds its cause by bisection rather than by searching the text
    between it and every tumor (a clause of many mentions stays linear).

    The cue rule is that of ``_cue_regex``: a cue starting within 40 characters after the start of the
    gap between the two mentions, ending inside the gap; no alternative anywhere in the gap."""

    __slots__ = ("after_ends", "after_starts", "alt_ends", "alternatives", "before_ends", "before_starts", "kinds")

    def __init__(self, text: str, lo: int, hi: int, cues: tuple[re.Pattern[str], re.Pattern[str]],
                 tumors: list[dict[str, Any]], strong: Callable[[dict[str, Any]], bool]) -> None:
        after = [(m.start(), m.end()) for m in cues[0].finditer(text, lo, hi)]  # "fracture due to <tumor>"
        before = [(m.start(), m.end()) for m in cues[1].finditer(text, lo, hi)]  # "<tumor> causing a fracture"
        self.after_starts, self.after_ends = [c[0] for c in after], [c[1] for c in after]
        self.before_starts, self.before_ends = [c[0] for c in before], [c[1] for c in before]
        self.alternatives = [(m.start(), m.end()) for m in _ALTERNATIVE.finditer(text, lo, hi)]
        self.alt_ends = [e for _, e in self.alternatives]
        # The tumors any fracture can take, and those only a fracture of a named bone can take.
        every = sorted(tumors, key=lambda n: (n["start"], n["end"]))
        self.kinds = {True: self._indexed(every), False: self._indexed([n for n in every if strong(n)])}

    def _indexed(self, tumors: list[dict[str, Any]]) -> dict[str, Any]:
        starts = [n["start"] for n in tumors]
        # Before a fracture, a tumor needs its own first cue within 40 characters after it; the end of
        # that cue decides which fractures it can be the cause of.
        before = []
        for n in tumors:
            i = bisect_left(self.before_starts, n["end"])
            if i < len(self.before_starts) and self.before_starts[i] - n["end"] <= _CUE_WINDOW:
                before.append((self.before_ends[i], n))
        before.sort(key=lambda item: (item[0], item[1]["start"]))
        return {"tumors": tumors, "starts": starts, "before": before, "before_cue_ends": [e for e, _ in before]}

    def cause(self, f: dict[str, Any], bone_named: bool) -> dict[str, Any] | None:
        index = self.kinds[bone_named]
        tumors, starts = index["tumors"], index["starts"]
        # After the fracture: the farthest tumor past the first cue, with no alternative before it.
        i = bisect_left(self.after_starts, f["end"])
        if i < len(self.after_starts) and self.after_starts[i] - f["end"] <= _CUE_WINDOW:
            j = bisect_left(self.alt_ends, f["end"])  # alternatives ending after the fracture
            while j < len(self.alternatives) and self.alternatives[j][0] < f["end"]:
                j += 1
            limit = self.alternatives[j][1] if j < len(self.alternatives) else None
            first = bisect_left(starts, max(f["end"], self.after_ends[i]))
            last = bisect_left(starts, limit) if limit is not None else len(tumors)
            if first < last:
                return tumors[last - 1]
        # Before it: the nearest tumor whose cue ends before the fracture, with no alternative between.
        before, cue_ends = index["before"], index["before_cue_ends"]
        k = bisect_right(cue_ends, f["start"])
        if k:
            tied = k - 1  # of tumors whose cues end at the same place, the last one
            while tied and cue_ends[tied - 1] == cue_ends[k - 1]:
                tied -= 1
            n = max((item[1] for item in before[tied:k]), key=lambda m: (m["start"], m["end"]))
            if n["end"] <= f["start"]:
                a = bisect_right(self.alt_ends, f["start"])
                alternative = self.alternatives[a - 1] if a else None
                if alternative is None or alternative[0] < n["end"]:
                    return n
        return None


class LabelDecider:
    def __init__(self, concepts: dict[str, dict[str, Any]], links: dict[str, list[str]] | None = None) -> None:
        self.concepts = concepts
        links = links or {}
        self.cause_after = _cue_regex(links.get("pathologic_cause_after", []))
        self.cause_before = _cue_regex(links.get("pathologic_cause_before", []))
        # The same cues, found anywhere: a clause's cue positions are looked up by bisection.
        self.cause_words = (
            _cue_words(links.get("pathologic_cause_after", [])),
            _cue_words(links.get("pathologic_cause_before", [])),
        )

    def link_pathologic_causes(self, nearby: Neighbours, text: str) -> None:
        """Mark fractures their clause says a tumor caused ("fracture of L2 due to metastasis"), that are
        called pathologic after the fact ("fracture of L2, possibly pathologic"), or whose cause the next
        sentence gives ("Fracture of L2. This is due to the known myeloma."). An alternative ("rather
        than", "versus", "or") is never a cause.

        Of the tumor mentions of the clause, the cause is the farthest one after the fracture with a cause
        cue and no alternative between them, else the nearest such one before it. The cues of a clause
        are found once and looked up by position, so a clause of many mentions stays linear (so are a
        clause's "not pathologic" and the fragment after its semicolon)."""
        causes: dict[tuple[int, int], _ClauseCauses | None] = {}
        other_causes: dict[tuple[int, int], list[tuple[int, int]]] = {}
        fragments: dict[tuple[int, int], re.Match[str] | None] = {}  # (clause end, sentence end) -> "; pathologic"
        denials: dict[tuple[int, int], int] = {}  # clause -> start of its last "not pathologic" (-1: none)
        for f in nearby.all:
            if f["concept"] == "pathologic_fracture":
                key = _span(f, "clause")
                if key not in other_causes:  # searched once per clause
                    other_causes[key] = [(w.start(), w.end()) for w in _NOT_TUMOR_CAUSE.finditer(text, *key)]
                osteoporotic = False
                for word in other_causes[key]:
                    joined = _joined(text, key[0], word, _pathologic_word(text, f))
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
                # a bare sclerosis or lucency beside a fracture is that fracture's own appearance, never its cause
                tumors = [n for n in nearby.clause_members(f)
                          if self.group(n) == "bone_lesion" and _affirmed(n) and not _bare_lesion(n)]
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
            if key not in denials:  # where the clause calls a fracture not pathologic, found once per clause
                denials[key] = max((w.start() for w in _CALLED_NOT_PATHOLOGIC.finditer(text, *key)), default=-1)
            if f.get("pathologic_called") == "possible":
                pass  # two causes posed as alternatives (above): possible, whatever the clause says after
            elif f.get("pathologic_cause") is None and denials[key] >= f["end"]:
                f["pathologic_called"] = "absent"  # "..., favored osteoporotic rather than pathologic"
            elif called and f.get("pathologic_cause") is None and not _DENIED.search(called.group("before")):
                hedge = (called.group("hedge") or "").lower()
                # "not excluded to be pathologic" hedges it as "cannot be excluded" does
                hedged = (hedge and (hedge.split()[0] in _HEDGES or "excluded" in hedge or "ruled" in hedge)
                          ) or _ALTERNATIVE.search(called.group("before"))
                f["pathologic_called"] = "possible" if hedged else "present"
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None:
                # "Compression deformity of L2. This may be pathologic.": the next sentence, pointing back,
                # only calls it pathologic (a sentence further on may point to another finding: not read)
                said = _CALLED_NEXT.match(text, f["sentence"]["end"])
                if said and not _DENIED.search(said.group("words")):
                    hedge = (said.group("hedge") or "").lower()
                    f["pathologic_called"] = "possible" if hedge and hedge.split()[0] in _HEDGES else "present"
            if f.get("pathologic_cause") is None:
                for n in nearby.next_sentence(f):
                    lo = n["sentence"]["start"]
                    if self._malignant(n, f) and _POINTS_BACK.match(text, lo, n["start"]) and (
                        self.cause_after.search(text[lo : n["start"]]) and not _ALTERNATIVE.search(text[lo : n["start"]])
                    ):
                        f["pathologic_cause"] = n["id"]
                        break
            if f.get("pathologic_cause") is None and f.get("pathologic_called") is None and self._hedged_beneath(f, nearby):
                f["pathologic_called"] = "possible"  # "T8 compression deformity; underlying lesion not excluded"

    def hedge_benign_alternatives(self, nearby: Neighbours, text: str) -> None:
        """An affirmed malignant mention posed as the alternative to a benign reading of the same finding
        ("hyperplastic marrow versus marrow infiltration by myeloma", "reactive marrow or marrow
        infiltration", "myeloma or reactive marrow") is one of two readings: possible (labels.md: "versus").
        Only a short join with no other link between the two counts ("and", "with", "rather than" do not);
        a sentence's benign readings are listed once, and each malignant mention looks only at those."""
        for m in nearby.all:
            if m["concept"] not in MALIGNANT or m["assertion"] != "present" or not m["counts"]:
                continue
            benign = nearby.once(("benign readings", *_span(m, "sentence")), lambda m=m: [
                (n["start"], n["end"]) for n in nearby.sentence_members(m)
                if n["counts"] and n["assertion"] in ("present", "possible") and self.group(n) == "benign"
            ])
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
            for m in nearby.sentence_members(n):
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
        its tumor cause in doubt (session 16). An affirmed underlying lesion is not linked (session 10)."""
        def first_after(members: list[dict[str, Any]], start: int) -> dict[str, Any] | None:
            return next((n for n in members if n["start"] >= start and n["counts"]
                         and self.group(n) in ("fracture", "bone_lesion")), None)

        n = first_after(nearby.sentence_members(f), f["end"])
        if n is None:
            n = first_after(nearby.next_sentence(f), 0) or first_after(nearby.past_quiet_sentence(f, +1), 0)
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
            return {"cord_compression": m["assertion"]}
        if group == "degenerative":
            return self._degenerative(m, nearby, exam)
        return {}

    def _bone_lesion(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        a, concept, kinds = m["assertion"], m["concept"], _kinds(m)
        if concept == "blastic_lesion" and (m.get("meta") or {}).get("needs_bone") and nearby.sentence_counts(
            m, self.group
        )["concept:disc_degeneration"]:  # "disc space narrowing, sclerosis and osteophytes": the sclerosis is of the endplates
            m["note"] = "sclerosis listed with disc degeneration is endplate sclerosis"
            return {"degenerative.endplate_changes": a}
        sited = _without_pressed_organs(m, nearby)
        if sited is not m:
            kinds = _kinds(sited)
        bone, organ = _has_bone(sited), "organ" in kinds
        if concept in MALIGNANT and a != "absent" and self._corrected(m, nearby):
            # "Lytic T8 lesion, suspicious for metastasis." ... "ADDENDUM: the T8 lesion is actually a hemangioma"
            m["note"] = CORRECTED
            return {}
        if exam.pathology and _on_specimen_line(m, nearby):
            # "SPECIMEN: Right iliac bone lesion, core biopsy.": what was sent; the diagnosis says what it is
            m["note"] = "a pathology report's specimen line names what was sent, not what it shows"
            return {}
        if concept in ("bone_metastasis", "bone_malignancy"):
            return {"bone_metastasis": a}
        if a == "absent" and concept in (m.get("meta") or {}).get("also", ()):
            # "No malignant compression fracture", "no metastatic cord compression": the denial is of the
            # fracture's or the compression's cause; the words name metastasis only as that cause.
            m["note"] = "a denied fracture or cord compression called malignant denies that cause, not bone metastasis"
            return {}
        if concept == "metastasis" and (m.get("meta") or {}).get("tnm"):
            # TNM M0/M1 speaks of distant metastasis anywhere: an organ in its clause is the primary.
            return {"bone_metastasis": a if a == "absent" or exam.bone_only or "bone" in kinds else "possible"}
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
        needs_site = concept in NEEDS_BONE_SITE or (m.get("meta") or {}).get("needs_bone")
        if needs_site and not bone and not organ:
            # "uptake in the 8th rib at a healing fracture; no underlying lesion": an underlying lesion lies
            # beneath the finding its sentence names, so it takes that finding's bone; a templated line's
            # label ("Marrow: ... No suspicious lesion.") names the bone of its line's findings.
            # A sentence of its own ("Collapse of T11. An underlying lesion cannot be excluded.") takes the bone
            # of the sentence right before it (session 10).
            bone = (_underlying(nearby.text, m) and nearby.once(
                ("bone_in_sentence", *_span(m, "sentence")), lambda: any(_has_bone(n) for n in nearby.sentence_members(m))
                or any(_has_bone(n) for n in nearby.previous_sentence(m) or nearby.past_quiet_sentence(m, -1))
            )) or _line_label_names_bone(nearby.text, m["start"])
        if needs_site and not bone:
            on_bone_exam = concept == "bone_uptake" and exam.bone_only and not organ and "joint" not in kinds
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
        sites = _sites(m)
        if not sites:
            return self._hedge_of_corrected(m, nearby)
        corrections = nearby.once(("corrections",), lambda: [
            n for n in nearby.benign if n["section"] == ADDENDUM or _CORRECTION.search(nearby.text, *_span(n, "sentence"))
        ])
        return any(
            n["start"] > m["end"] and (_sites(n) & sites or _readdressed(m, n, nearby.text))
            and not self._left_open(n, m, nearby)
            for n in corrections
        )

    def _hedge_of_corrected(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A hedged metastasis with no site of its own ("T6 sclerotic focus; metastasis not excluded", or
        "Metastasis cannot be excluded." right after it) is the hedge of the sited lesions of its sentence (or,
        with none there, of the sentence before): when a later correction reads every one of them as benign,
        the hedge goes with them (session 17)."""
        if m["assertion"] != "possible" or m["concept"] not in MALIGNANT:
            return False

        def lesions(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [n for n in members if n["concept"] in LESIONS and n["counts"] and _affirmed(n) and _sites(n)]

        near = lesions(nearby.sentence_members(m)) or lesions(nearby.previous_sentence(m))
        return bool(near) and all(self._corrected(n, nearby) for n in near)

    def _explained(self, m: dict[str, Any], nearby: Neighbours) -> str | None:
        """Why m is no unexplained lesion (the mention's note), or None."""
        meta = m.get("meta") or {}
        # "sclerosis", "lucency": a lesion only if nothing else explains it; destruction is never a fracture's or
        # a degenerative finding's own appearance, so it only needs its bone site
        bare = bool(meta.get("needs_bone")) and not meta.get("destructive")
        if bare and ("joint" in _kinds(m) or any(
            counts["group:degenerative"] or counts["group:fracture"]
            for counts in (nearby.sentence_counts(m, self.group), nearby.previous_sentence_counts(m, self.group))
        )):  # a lucency or sclerosis beside (or right after) a fracture or degenerative finding is theirs
            return EXPLAINED  # "narrowing, sclerosis and osteophytes", "sclerosis of the hip joint": degenerative
        if bare and any(n["counts"] and self.group(n) == "fracture" for n in nearby.clause_members(m)):
            # "Subtle lucency at the distal radius, doubt fracture": the lucency is the fracture line in question
            return "a bare lucency or sclerosis whose clause asks about a fracture (whatever its answer)"
        explaining = EXPLAINS_UPTAKE if m["concept"] in ("bone_uptake", "lesion") or bare else set()
        counts = nearby.clause_counts(m, self.group)
        # a marrow response to chemotherapy explains diffuse marrow uptake only: not a focal one, not a lesion
        benign = counts["group:benign"] or (counts["group:diffuse_cause"] and m["concept"] == "bone_uptake"
                                            and not _FOCAL.search(nearby.text, m["clause"]["start"], m["end"]))
        if (benign or any(counts[f"group:{g}"] for g in explaining) or counts["rule:schmorl"]) and not self._left_open(
            m, m, nearby
        ):
            return EXPLAINED
        if counts["concept:fracture"] and m["concept"] in EXPLAINED_BY_FRACTURE and not _underlying(nearby.text, m):
            return EXPLAINED  # an underlying lesion is what may have broken the bone, not the break (session 10)
        if any((_same_site(m, n) or _points_back_to(n, m)) and not self._left_open(n, m, nearby) for n in nearby.benign):
            return EXPLAINED  # "the L2 lesion ... favored to be a hemangioma" in another section
        if not (counts["malignant:present"] or counts["malignant:possible"]) and self._explained_next(m, nearby):
            return "explained as benign by the sentence right after it"
        if bare and _sites(m) & self._fracture_sites(nearby):  # "Lucency in the right 6th rib." ... "Possible
            return "a bare lucency or sclerosis at the site of a fracture the report names"  # fracture of the right 6th rib."
        return EXPLAINED if m["concept"] == "bone_uptake" and "joint" in _kinds(m) and not _has_bone(m) else None

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

    def _plain_fracture(self, n: dict[str, Any]) -> bool:
        """An affirmed, counting fracture given no pathologic cause: a site's lucency can be that fracture."""
        return (n["concept"] == "fracture" and n["counts"] and _affirmed(n) and n.get("pathologic_cause") is None
                and n.get("pathologic_called") in (None, "absent"))

    def _fracture(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        a = m["assertion"]
        if (m.get("meta") or {}).get("radiograph_only") and not exam.bone_only and not nearby.once(
            ("radiograph",), lambda: any(
                n["concept"] == "modality" and n["meta"].get("modality") in ("XR", "CT") and _performed(n) for n in nearby.all
            )
        ):  # "NBI" is no bony injury on a radiograph, a CT or a bone exam; in an endoscopy note it is narrow-band imaging
            m["note"] = "a trauma imaging shorthand in a report of no radiograph, CT or bone exam"
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
        if called and a in ("present", "possible"):
            return {"pathologic_fracture": "possible" if "possible" in (a, called) else a, "fracture": a,
                    **beneath.get(a, {})}
        return {"fracture": a}

    def _through_benign_before(self, m: dict[str, Any], nearby: Neighbours) -> bool:
        """A pathologic fracture m goes through a lesion its clause names with no tumor ("through the lesion") that
        the sentence right before explains as benign, with no tumor there either, and m names no other site."""
        own = nearby.clause_counts(m, self.group)
        if not own["group:bone_lesion"] or own["malignant:present"] or own["malignant:possible"]:
            return False
        before = nearby.previous_sentence_counts(m, self.group)
        if not before["group:benign"] or before["malignant:present"] or before["malignant:possible"]:
            return False
        sites = _sites(m)
        return not sites or any(sites & _sites(n) for n in nearby.previous_sentence(m) if self.group(n) == "benign")

    def _degenerative(self, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
        key = self.concepts[m["concept"]]["degenerative"]
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
            if best is not None and best <= STATUSES.index(m["assertion"]):
                m["note"] = "a more specific degenerative finding in the same sentence carries it"
                return {}
            if m["assertion"] in STATUSES and _only_summary(nearby.text, m["start"], m["end"]):
                # "Degenerative uptake only." / "only degenerative changes": a summary of what the report
                # described, carried by a specific finding anywhere in it (without "only" an unsited
                # generic may add changes of its own: it still counts beside specific ones).
                least = nearby.once(("summarised",), lambda: min(
                    (r for n in nearby.all if (r := self._summarised_rank(n, nearby.text)) is not None), default=None
                ))
                if least is not None and least <= STATUSES.index(m["assertion"]):
                    m["note"] = "a summary ('degenerative changes only') of the specific findings the report names"
                    return {}
            if _FACET.search(nearby.text, *_span(m, "clause")):
                # "degenerative changes of the L4-5 facet joints", "uptake at the facets, degenerative": the
                # degenerated joint is named, so the change is facet arthropathy, not spondylosis.
                key = "facet_arthropathy"
        return {f"degenerative.{key}": m["assertion"]}

    def _summarised_rank(self, n: dict[str, Any], text: str) -> int | None:
        """_specific_rank, also for a generic change its clause ties to the facets (facet arthropathy)."""
        if n["concept"] == "degenerative_generic" and n["counts"] and n["assertion"] in COUNTING:
            return STATUSES.index(n["assertion"]) if _FACET.search(text, *_span(n, "clause")) else None
        return self._specific_rank(n)

    def _specific_rank(self, n: dict[str, Any]) -> int | None:
        """The status rank of a counting degenerative finding more specific than "degenerative changes"."""
        if n["concept"] == "degenerative_generic" or self.group(n) != "degenerative" or not n["counts"]:
            return None
        return STATUSES.index(n["assertion"]) if n["assertion"] in COUNTING else None

    # --- report level ----------------------------------------------------------------------

    def decide(
        self, mentions: list[dict[str, Any]], exam: ExamContext, text: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(labels, evidence): labels exactly as labels.md names them, evidence = deciding mention ids."""
        nearby = Neighbours(mentions, lambda n: self.group(n) == "benign" and n["counts"] and _affirmed(n)
                            and n["rule"] not in DIFFUSE_ONLY, text)
        self.hedge_benign_alternatives(nearby, text)
        self.date_past_study_findings(nearby, text)
        self.link_pathologic_causes(nearby, text)
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
        _sac_contact_outranked(mentions, votes, text)
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
        labels["modalities"], evidence["modalities"] = modalities(mentions, text)
        return labels, evidence


# How a lesion looks now, when its clause says its look changed: "lytic metastases have become sclerotic",
# "previously lytic, now sclerotic" (a treated lesion healing), "sclerotic focus has turned lytic".
# After "now" a verb may name the new look ("now show a healing sclerotic response", "now show dense sclerosis"),
# and an adverb its degree ("is now partially sclerotic": the healing look counts, as a sclerotic lesion).
_PATTERN_NOW = re.compile(
    r"[^.;]{0,80}?\b(?:ha(?:ve|s)\s+(?:since\s+)?)?(?:become|became|becoming|turned|turning|now|developed|developing|evolved\s+(?:in)?to)\s+"
    r"(?:(?:shows?|showing|demonstrates?|demonstrating|exhibits?|appears?|appearing|are|is|with)\s+)?(?:an?\s+)?"
    r"(?:(?:more|densely|dense|predominantly|increasingly|mostly|largely|completely|entirely|diffusely|partially|partly|healing|"
    r"healed|treated)\s+)?"
    r"(?P<now>osteoblastic|blastic|sclerotic|sclerosis|osteolytic|lytic|mixed)\b",
    re.I,
)
_PATTERN_OF_WORD = {"osteoblastic": "blastic", "blastic": "blastic", "sclerotic": "blastic", "sclerosis": "blastic",
                    "osteolytic": "lytic", "lytic": "lytic", "mixed": "mixed"}
# A lesion its sentence calls the disease's progression ("New lytic lesion: progression.", "lytic rib lesion,
# consistent with disease progression"): what progresses is the patient's cancer, now in bone. The word has
# to name the lesion (after a colon or dash, or as what it is consistent with / represents); "progression of
# the fracture" or "without progression" say how a finding changed, not what it is.
_CALLED_PROGRESSION = re.compile(
    r"[^.;:]{0,60}?(?::\s*|\s[-\u2013]\s*|,?\s+(?:(?:is|are|which\s+is|likely|most\s+likely)\s+)?(?:(?:most\s+)?consistent\s+with|"
    r"compatible\s+with|in\s+keeping\s+with|represent(?:s|ing)?|indicat(?:es|ing)|indicative\s+of|reflect(?:s|ing)?)\s+)"
    r"(?:(?:further|interval|osseous|bony|skeletal|metastatic|disease|of)\s+){0,3}"
    r"(?:progression|progressive\s+(?:(?:osseous|bony|skeletal|metastatic)\s+)?disease)\b",
    re.I,
)


def _current_pattern(m: dict[str, Any], pattern: str, text: str) -> str:
    """m's lesion pattern as its clause says the lesion looks now (labels.md lesion_pattern)."""
    found = _PATTERN_NOW.match(text, m["end"], m["clause"]["end"])
    return _PATTERN_OF_WORD[found.group("now").lower()] if found else pattern


# A thecal sac a finding only touches ("indents / effaces the ventral thecal sac", "mass effect on the thecal
# sac"), with no narrowing word.
_SAC_CONTACT = re.compile(r"\b(?:indent\w*|effac\w*|impress\w*|deform\w*|flatten\w*|effect)", re.I)
_NARROWING = re.compile(r"\b(?:narrow\w*|stenos[ie]s|stenotic|compress\w*|encroach\w*|compromis\w*)", re.I)
# Where a stenosis is: the foramina or the recesses (a negation of only those says nothing of the canal).
_NOT_CANAL = re.compile(r"\b(?:foramin\w*|neuroforamin\w*|foramen|recess\w*|nf[ns]?)\b", re.I)
_CANAL = re.compile(r"\b(?:canal|central|spinal|thecal)\b", re.I)
SAC_CONTACT_NOTE = "thecal sac indentation alone, and the report says there is no canal stenosis at its level"


def _on_specimen_line(m: dict[str, Any], nearby: Neighbours) -> bool:
    """m sits on a specimen line of a pathology report (the lines are found once per report)."""
    lines = nearby.once(("specimen lines",), lambda: [line.span("what") for line in SPECIMEN_LINE.finditer(nearby.text)])
    return any(lo <= m["start"] and m["end"] <= hi for lo, hi in lines)


def _levels(m: dict[str, Any]) -> set[str]:
    return {level for loc in m["locations"] if loc["kind"] == "level" for level in loc.get("levels", [])}


def _canal_denied(m: dict[str, Any], text: str) -> bool:
    """m says the canal is not stenotic: an absent stenosis mention that names the canal or no place at all
    ("no significant stenosis", "without canal or foraminal stenosis", "the central canal is patent")."""
    if m["concept"] != "spinal_stenosis" or m["assertion"] != "absent" or not m["counts"]:
        return False
    start = min([m["start"], *(c["start"] for c in m.get("cues") or () if c.get("assertion") == "absent")])
    words = text[start : m["end"]]
    return bool(_CANAL.search(words)) or not _NOT_CANAL.search(m["text"])


def _sac_contact_outranked(mentions: list[dict[str, Any]], votes: dict[str, dict[str, list[int]]], text: str) -> None:
    """A thecal sac a finding only indents or effaces is not stenosis when the report says the canal is not
    stenotic at that level (or with no level named): "without significant canal stenosis ... the protrusion
    indents the ventral thecal sac" is no stenosis (docs/decisions.md). A sac narrowing word keeps it."""
    sac = [
        m for m in mentions
        if m["concept"] == "spinal_stenosis" and m.get("contributes", {}).get("degenerative.spinal_stenosis") == "present"
        and _SAC_CONTACT.search(m["text"]) and not _NARROWING.search(m["text"])
    ]
    if not sac:
        return
    denials = [_levels(m) for m in mentions if _canal_denied(m, text)]
    if not denials:
        return
    # A denial with no level covers every level; otherwise a sac shares a level with some denial exactly
    # when it shares one with their union (one set, so many of each stay linear).
    everywhere = any(not denied for denied in denials)
    denied_levels: set[str] = set().union(*denials)
    outranked = {m["id"] for m in sac if everywhere or _levels(m) & denied_levels}
    for m in sac:
        if m["id"] in outranked:
            m["contributes"] = {}
            m["note"] = SAC_CONTACT_NOTE
    votes_for = votes.get("degenerative.spinal_stenosis", {})
    if outranked and "present" in votes_for:
        votes_for["present"][:] = [i for i in votes_for["present"] if i not in outranked]


# "no other metastatic disease", "without any other metastatic": the organ beside it is another finding's.
EXPLAINED = "explained as benign in its clause"
PAST_STUDY_FINDING = (
    "what a study dated before the note (an earlier calendar year, or years ago) showed: the patient's past (historical)"
)
CORRECTED = "a later correction or addendum reads its site as benign"
ADDENDUM = "addendum"
# A sentence that corrects what the report said before ("the T8 lesion is actually a hemangioma").
_ADDENDUM_HEAD = re.compile(r"\baddend(?:um|a)\b", re.I)
_CORRECTION = re.compile(
    r"\b(?:actually|in\s+retrospect|on\s+(?:further|second|closer|additional)\s+review|correction|corrected|"
    r"instead\s+(?:represents?|is|are))\b",
    re.I,
)
# A next sentence that adds a finding explains nothing before it; a diffuse one ("Diffuse marrow uptake, likely
# reactive.") is a second, marrow-wide finding, not the reading of a focal lesion named just before.
_ADDS = re.compile(r"\b(?:also|another|additional|other|as\s+well|elsewhere|in\s+addition|diffuse|diffusely)\b", re.I)
_OTHER_BEFORE = re.compile(r"\bother\s+(?:(?:sites?|areas?|evidence|signs?)\s+of\s+)?$", re.I)
# The words from a benign reading to the malignant one it is posed against ("hyperplastic marrow | versus
# diffuse infiltration by | myeloma"), or from the malignant one to the benign one ("myeloma | or | reactive
# marrow"); a clause break or another link between them ("and", "with", "rather than") makes them no alternatives.
_ALTERNATIVE_THEN = re.compile(r"[ \t\n,]*(?:versus|vs\.?|or)\s[^.;:()]{0,60}$", re.I)
_ALTERNATIVE_NEXT = re.compile(
    r"[ \t\n,]*(?:(?:by|from|of)\s[^.;:()]{0,30}?\s)?(?:versus|vs\.?|or)\s+(?:[a-z-]+\s+){0,3}$", re.I)
_OTHER_LINK = re.compile(r"\b(?:and|with|but|however|although|which|while|whereas|rather\s+than|instead\s+of|not|no)\b", re.I)
# Right after a fracture, two causes posed as alternatives, one of them a tumor: "T11 compression fracture,
# osteoporotic versus metastatic", ", benign or malignant", ", which may be osteoporotic or related to the known
# myeloma", ", pathologic versus insufficiency": the fracture is there, its being pathologic is possible.
_BENIGN_CAUSE = r"(?:osteoporotic|osteopenic|insufficiency|benign|(?:post-?)?traumatic|degenerative|stress)"
_TUMOR_CAUSE = (r"(?:(?:secondary|due|related)\s+to\s+)?(?:(?:an?|the)\s+)?(?:(?:known|underlying)\s+)?"
                r"(?:pathologic(?:al)?|metastatic|metastas[ie]s|malignant|malignancy|neoplastic|neoplasm|tumou?r|myeloma|lymphoma)")
_CAUSE_ALTERNATIVES = re.compile(
    r"(?:[^.;,:()\n]{0,40}?[,:-]|)\s*(?:(?:which\s+)?(?:(?:is|are|was)\s+)?(?:likely|probably|possibly|either|(?:may|might|could)\s+be)\s+)?"
    rf"(?:an?\s+)?(?:{_BENIGN_CAUSE}\s+(?:(?:fracture|collapse|deformity)\s+)?(?:versus|vs\.?|or|/)\s*{_TUMOR_CAUSE}"
    rf"|{_TUMOR_CAUSE}\s+(?:(?:fracture|collapse|deformity)\s+)?(?:versus|vs\.?|or|/)\s*{_BENIGN_CAUSE})\b",
    re.I,
)
_VERSUS_CUE = re.compile(r"_(?:versus|vs\.?)$")  # the rule ids of the "versus" / "vs" cues (patterns/context.json)
_ALTERNATIVE = re.compile(r"\b(?:rather\s+than|versus|vs\.?|instead\s+of|as\s+opposed\s+to|or|not)\b", re.I)
_OSTEOPOROTIC_WORDS = r"osteopor\w*|osteopeni\w*|insufficiency|senile|fragility"
_OSTEOPOROTIC = re.compile(rf"\b(?:{_OSTEOPOROTIC_WORDS})\b", re.I)
# Causes of a fracture other than a tumor: osteoporotic ones, and benign or traumatic ones.
_NOT_TUMOR_CAUSE = re.compile(rf"\b(?:{_OSTEOPOROTIC_WORDS}|benign|(?:post-?)?traumatic|stress)\b", re.I)
_PATHOLOGIC_WORD = re.compile(r"\b(?:patholog\w*|malignant|neoplastic|tumou?r)", re.I)
_ALTERNATIVES_JOIN = re.compile(r"\b(?:versus|vs\.?|or)(?:\s|$)|/", re.I)  # "osteoporotic versus / or pathologic"
_DENIAL_JOIN = re.compile(r"\b(?:not|rather\s+than|instead\s+of|as\s+opposed\s+to)\b", re.I)
_DIFFERENTIAL = re.compile(r"\bdifferential\b", re.I)
# A vertebral shape's cause that is no fracture; "likely developmental" still explains it.
_NOT_A_FRACTURE = re.compile(
    r"\b(?:developmental(?:ly)?|physiologic(?:al)?|scheuermann\w*|schmorl\w*|congenital(?:ly)?|(?:normal|anatomic(?:al)?)\s+"
    r"variants?|limbus|(?:not|rather\s+than)\s+(?:an?\s+)?(?:(?:acute|true|compression)\s+)?fractur\w*)",
    re.I,
)
# A rib or clavicle deformity's sentence naming a past injury, or another cause of the shape (session 11).
_PAST_INJURY = re.compile(
    r"\b(?:old|healed|healing|remote|chronic(?:ally)?|prior|previous|post-?traumatic|trauma\w*|injur\w*|"
    r"age-?\s?indeterminate|fractur\w*)\b",
    re.I,
)
_NOT_AN_INJURY = re.compile(
    r"\b(?:\w*scolio\w*|pectus|thoracotom\w*|(?:post-?)?surg\w*|post-?operative|resect\w*|congenital\w*|"
    r"developmental\w*|dysplas\w*)",
    re.I,
)
_SHAPE_WORDS = re.compile(r"\b(?:wedg\w*|height|depressions?)\b", re.I)
_FRACTURE_WORDS = re.compile(r"\b(?:fractur\w*|fx|compression|collapse\w*|burst)\b", re.I)
_NEXT_FRAGMENT = re.compile(r"[\s;]*;\s*(?P<words>[^;]*?)[\s.]*$")
_DENIED = re.compile(r"\b(?:not|no|non|without|rather\s+than|instead\s+of|unlikely)\b", re.I)
# "fracture of T9 ..., osteoporotic rather than pathologic", "not pathologic": later in its clause the fracture is
# called not pathologic (the denial right before the bare word, which names no other thing)
_CALLED_NOT_PATHOLOGIC = re.compile(
    r"\b(?:not|non-?|rather\s+than|instead\s+of)\s*(?:a\s+)?pathologic(?:al)?\b"
    r"(?!\s*-?\s*(?:[a-z]+\s+)?(?:fractur|collapse|specimen|report|exam|diagnos|evaluation|review|lesion|process|finding))"
    # "..., no underlying marrow lesion to suggest a pathologic etiology": the tumor cause itself denied
    r"|\b(?:no|without)\s+(?:[\w-]+\s+){0,5}?(?:to\s+suggest|suggest(?:ing|ive\s+of)|to\s+indicate|indicat(?:ing|ive\s+of)"
    r"|evidence\s+of)\s+(?:an?\s+)?pathologic(?:al)?\s+(?:etiology|aetiology|cause|nature|origin)\b",
    re.I,
)
_HEDGES = {"possibly", "possible", "questionably", "suspicious", "concerning", "worrisome", "may", "might", "could",
           "cannot", "perhaps", "potentially", "questionable", "equivocal", "indeterminate", "query", "rule", "r/o"}
# "fracture of L2, possibly pathologic": the word after the fracture, hedged or not, in its clause.
_CALLED_PATHOLOGIC = re.compile(
    r"(?P<before>[^.;]{0,40}?)(?<![a-z])(?P<hedge>possibly|possible|probably|likely|most\s+likely|presumably|questionably|"
    r"suspicious\s+for|concerning\s+for|worrisome\s+for|(?:may|might|could)\s+(?:be|represent)|potentially|"
    r"questionable|equivocal|indeterminate|felt\s+to\s+be|thought\s+to\s+be|query|rule\s+out|r/o|"
    r"(?:not|cannot\s+be|can\s+not\s+be)\s+(?:excluded|ruled\s+out)\s+(?:to\s+be|as))?\s*(?:a\s+|of\s+|for\s+)?"
    r"pathologic(?:al)?\b(?!\s+(?:[a-z]+\s+)?(?:fractur|collapse|specimen|report|exam|diagnos|evaluation|review))",
    re.I,
)
# A sentence that opens by pointing back to the one before ("This is due to ...", "The collapse is ...").
# A next sentence that only calls the fracture before it pathologic: "This may be pathologic.", "The collapse is
# likely pathological." (pointing back, up to four words, the word, then the sentence ends).
_CALLED_NEXT = re.compile(
    r"\s*(?:this|these|it|they|the\s+(?:fracture|fractures|collapse|deformity|deformities|compression))\s+"
    r"(?P<words>(?:[a-z]+\s+){0,4}?)(?P<hedge>possibly|probably|likely|(?:may|might|could)\s+be|questionably|"
    r"potentially)?\s*(?:a\s+)?pathologic(?:al)?\s*(?:\.|$|\n)",
    re.I,
)
_POINTS_BACK = re.compile(
    r"\W*(?:this|these|it|they|which|the\s+(?:fracture|fractures|collapse|deformity|compression))\b", re.I
)


_CUE_WINDOW = 40  # characters between a mention and the cause cue after it (see _cue_regex)


def _shape(m: dict[str, Any]) -> bool:
    """A fracture mention that names only a vertebral shape: wedging, a wedge or height loss."""
    return bool((m.get("meta") or {}).get("shape_only")) or (
        bool(_SHAPE_WORDS.search(m["text"])) and not _FRACTURE_WORDS.search(m["text"])
    )


def _pathologic_word(text: str, f: dict[str, Any]) -> tuple[int, int]:
    """Where a pathologic-fracture mention says pathologic ("pathologic" of "pathologic or osteoporotic
    fracture"), or the whole mention."""
    word = _PATHOLOGIC_WORD.search(text, f["start"], f["end"])
    return (word.start(), word.end()) if word else (f["start"], f["end"])


def _joined(text: str, clause_start: int, a: tuple[int, int], b: tuple[int, int]) -> str | None:
    """How a clause joins two cause words: "alternative" ("osteoporotic versus pathologic", "benign or
    pathologic compression fracture", a differential), "denied" ("pathologic, not osteoporotic"), or None
    (one may be the other's cause: "osteoporosis with pathologic fractures"). A bare "or" joins only words
    close together: "pathologic fractures of T11 or T12 due to osteoporosis" names a cause."""
    (lo_start, lo_end), (hi_start, _) = sorted((a, b))
    gap = text[lo_end:hi_start]
    if _DENIAL_JOIN.search(gap):
        return "denied"
    joins = _ALTERNATIVES_JOIN.search(gap)
    if (joins and (joins.group().strip().lower() != "or" or len(gap.split()) <= 4)) or _DIFFERENTIAL.search(
        text, clause_start, lo_start
    ):
        return "alternative"
    return None


def _bare_lesion(n: dict[str, Any]) -> bool:
    """A bare "sclerosis" or "lucency" (a lesion only at a bone site, and explained by a fracture beside it)."""
    meta = n.get("meta") or {}
    return bool(meta.get("needs_bone")) and not meta.get("destructive")


def _strong_tumor(n: dict[str, Any]) -> bool:
    """A tumor finding that can have broken any bone; the others (uptake, a lesion or a tumor of no named
    bone) only a fracture whose own bone is named."""
    return n["concept"] not in ("bone_uptake", "lesion", "malignancy") or _has_bone(n)


def _cue_words(cues: list[str]) -> re.Pattern[str]:
    if not cues:
        return re.compile(r"(?!x)x")
    alternation = "|".join(r"\s+".join(map(re.escape, c.split())) for c in sorted(set(cues), key=len, reverse=True))
    return re.compile(r"\b(?:" + alternation + r")\b", re.IGNORECASE)


def _cue_regex(cues: list[str]) -> re.Pattern[str]:
    if not cues:
        return re.compile(r"(?!x)x")
    alternation = "|".join(r"\s+".join(map(re.escape, c.split())) for c in sorted(cues, key=len, reverse=True))
    return re.compile(r"^[\W\w]{0,40}?\b(?:" + alternation + r")\b", re.IGNORECASE)


# Each degenerative key with the name its votes go under: made once, not for each of the nine keys of every report.
_DEGENERATIVE_VOTES = tuple((key, f"degenerative.{key}") for key in DEGENERATIVE_KEYS)


def _status(votes: dict[str, list[int]]) -> tuple[str, dict[str, Any]]:
    if not votes:
        return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}
    for status in STATUSES:
        if votes.get(status):
            return status, {"status": status, "mentions": votes[status]}
    return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}


def modalities(mentions: Iterable[dict[str, Any]], text: str = "") -> tuple[list[str], dict[str, list[int]]]:
    """Exams described as performed: title, technique or body; not comparison, history, recommendation.

    Each study is resolved once over the whole document: it is performed if any of its mentions is.
    A title names the study done, whatever cue its words carry ("Evaluate for ... PA and lateral
    chest"). Words that only one modality shows (gadolinium, Hounsfield units) infer a study only when
    no study is named; a generic "film" names the study beside it, not a radiograph. A ``title_only``
    word (mammogram: in a note's text nearly always screening history, a plan or the reason for surgery)
    names a study only in the title, technique or the untitled opening sentence. Another study
    a finding is "seen on" or has grown on, in a report whose title names its own study ("BONE SCAN ...
    enlargement on CT"), is a correlative study, not one this report describes.
    """
    found: dict[str, list[int]] = {}
    mentions = [m for m in mentions if m["concept"] == "modality"]
    if not mentions:  # a sixth of the public reports name no study: nothing below would find one
        return [], {}
    past = past_lines(text, mentions)  # a timeline's lines dated a year or more before its latest date
    hybrid = any(m["meta"].get("hybrid_ct") and m.get("counts_modality") and m["assertion"] == "present"
                 and not (past and on_lines(m, past)) for m in mentions)
    first_break = text.find("\n") % (len(text) + 1)  # the first line ends here (no line break: the text does)
    titled = {
        m["meta"]["modality"] for m in mentions
        if _performed(m) and not m["meta"].get("inferred")
        and (m["section"] == "exam" or (m["section"] == "preamble" and m["start"] <= first_break))
    }
    studies = _cross_sectional_studies(mentions)
    performed = []
    for m in mentions:
        if m["meta"].get("angio_word") and _cross_sectional_angio(m, mentions, studies, text):
            m["note"] = "the angiography of a CT or MR angiography study, not catheter angiography"
        elif m["rule"] == "mod_mr" and _valve_list(text, m["start"], m["end"]):
            m["note"] = "'MR' among valve findings: mitral regurgitation, not an MR study"
        elif hybrid and m["meta"]["modality"] == "CT" and not m["rule"].startswith("mod_ct_guided"):
            # a CT-guided biopsy is a CT of its own, never the CT part of the PET/CT (session 17)
            m["note"] = "the CT part of a PET/CT or SPECT/CT does not add CT"
        elif _recommended_next(m, text):
            m["note"] = "a study named alone and recommended in the next sentence: not done"
        elif not _performed(m) and not _reported_next(m, mentions, text):
            m["note"] = (
                "a study denied: not done, or not available to this report" if m["assertion"] == "absent"
                else "modality named as comparison, history or recommendation"
            )
        elif m["meta"].get("title_only") and not (
            m["section"] in ("exam", "technique")
            or (m["section"] == "preamble" and m["start"] <= first_break and not text[: m["sentence"]["start"]].strip())
        ):
            m["note"] = "a study word that names the report's own study only in its title or technique"
        elif (
            titled and m["meta"]["modality"] not in titled and m["section"] not in ("exam", "technique")
            and (_SEEN_ON.search(text, max(0, m["start"] - 60), m["start"])
                 or _SENT_TO_AFTER.match(text, m["end"], m["end"] + 60))
        ):
            m["note"] = "another study a finding is seen on: correlative, not this report's"
        elif past and on_lines(m, past):
            m["note"] = "a study on a timeline's line dated a year or more before the text's latest date: the past"
        elif _dated_before_note(m, text):
            m["note"] = "a study dated by a calendar year before the note's own time: the patient's past"
        else:
            if m["assertion"] == "hypothetical" and not _performed(m):  # counted by _reported_next
                m["note"] = "recommended, then done: the next sentence reports its result"
            performed.append(m)
    named = [m for m in performed if not m["meta"].get("inferred")]
    for m in performed:
        if m["meta"].get("inferred") and named:
            m["note"] = "a word that implies the modality, but the study is named"
            continue
        if m["meta"].get("generic") and any(
            o["sentence"] == m["sentence"] and not o["meta"].get("generic") for o in mentions if o is not m
        ):
            m["note"] = "a generic word ('film') for the study named beside it"
            continue
        modality = m["meta"]["modality"]
        m["contributes"] = {"modalities": modality}
        found.setdefault(modality, []).append(m["id"])
    return sorted(found), {k: found[k] for k in sorted(found)}


# "CT coronary angiography", "MR renal angiogram": at most two words between the CT or MR study and the
# angiography word, on one line.
_ANGIO_GAP = re.compile(r"[ \t/-]*(?:[A-Za-z]+[ \t/-]+){0,2}")
# Valve findings beside an "MR" (mitral regurgitation in an echo or cardiology note): the other valves'
# abbreviations (case-sensitive; not "MS", which is also multiple sclerosis) or valve words, within a short reach on either side.
_VALVE_ABBR = re.compile(r"\b(?:AR|TR|AS|AI|TI|PR|PI|MVP|LV|LVEF|EF)\b")
_VALVE_WORD = re.compile(r"\b(?:regurgita\w*|mitral|tricuspid|valv\w*|ventriculogra\w*|ejection\s+fraction)\b", re.I)


# "degenerative uptake only"; "degenerative changes as above / as described" (also cut off: "as descri")
# points back to the findings already named
_ONLY_AFTER = re.compile(r"\s+(?:only\b|as\s+(?:descri|above\b|noted\b|detailed\b|mentioned\b))", re.I)
_ONLY_BEFORE = re.compile(r"\bonly\s+(?:(?:mild|minimal|minor|some|early)\s+)?$", re.I)


def _only_summary(text: str, start: int, end: int) -> bool:
    """A generic degenerative mention said to be all there is: "degenerative uptake only", "only mild
    degenerative changes", or that points back to them ("degenerative changes as described")."""
    return _ONLY_AFTER.match(text, end) is not None or _ONLY_BEFORE.search(text, max(0, start - 30), start) is not None


def _cross_sectional_angio(
    m: dict[str, Any], mentions: list[dict[str, Any]], studies: list[tuple[int, int]], text: str
) -> bool:
    """The angiography word of a CT or MR angiography ("CT CORONARY ANGIOGRAPHY"): that study, not an XR.
    ``studies`` are (end, index) of the CT and MR mentions in ``mentions``, sorted: only those ending
    within the gap's reach before the word are tried."""
    lo = bisect_left(studies, (_angio_gap_floor(text, m["start"]), -1))
    hi = bisect_right(studies, (m["start"], len(mentions)))
    return any(
        mentions[i]["sentence"] == m["sentence"] and _ANGIO_GAP.fullmatch(text, end, m["start"]) is not None
        for end, i in studies[lo:hi]
    )


def _cross_sectional_studies(mentions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(end, index) of the named CT and MR study mentions, sorted, for :func:`_cross_sectional_angio`."""
    return sorted(
        (o["end"], i) for i, o in enumerate(mentions) if o["meta"]["modality"] in ("CT", "MRI") and not o["meta"].get("inferred")
    )


def _angio_gap_floor(text: str, start: int) -> int:
    """The earliest offset an _ANGIO_GAP ending at ``start`` can begin at: back over separators, a word,
    separators, a word and separators (the gap holds at most two words)."""
    i = start
    for letters in (False, True, False, True, False):
        while i > 0 and ((text[i - 1].isascii() and text[i - 1].isalpha()) if letters else text[i - 1] in " \t/-"):
            i -= 1
    return i


def _valve_list(text: str, start: int, end: int) -> bool:
    """An "MR" with valve findings beside it ("no MR or AR", "EF 55%. No MR."): mitral regurgitation."""
    window = text[max(0, start - 40):end + 40]
    if _VALVE_WORD.search(window):
        return True
    # an all-capitals stretch ("MR LUMBAR SPINE AS FOLLOWS") cannot tell an abbreviation from a word
    return any(c.islower() for c in window) and _VALVE_ABBR.search(window.replace(text[start:end], "  ", 1)) is not None


def _compared_with(m: dict[str, Any]) -> bool:
    """A study a title names after "comparison" or "compared with" ("PA and lateral chest ... comparison CT from
    2019"): an Open-i title may hold the comparison, and that study is not the one done (session 11)."""
    return m["assertion"] == "historical" and any(
        c["category"] == "HISTORICAL" and c.get("direction") == "FORWARD" and c["text"][:6].lower() == "compar"
        for c in m.get("cues") or ()
    )  # a backward "comparison" after the title's own study ("PA and lateral chest, comparison ...") is no such cue


def _reported_next(m: dict[str, Any], mentions: list[dict[str, Any]], text: str) -> bool:
    """A recommended study, the only one of its sentence, whose next sentence reports its result."""
    sentence = m["sentence"]
    return (
        m["assertion"] == "hypothetical" and bool(m.get("counts_modality"))
        and _REPORTED_NEXT.match(text, sentence["end"]) is not None
        and not any(o is not m and o["sentence"] == sentence for o in mentions)
    )


def _dated_before_note(m: dict[str, Any], text: str) -> bool:
    """A study its own words date by a bare calendar year ("In 1998 she had an MRI", "a CT of the head in
    2005") that is before the note: "back in" the year, or a later year is named in the note (its own date,
    or events after the study). A year alone may be the note's own one, so it says nothing by itself."""
    sentence = m["sentence"]
    lo, hi = max(sentence["start"], m["start"] - 90), min(sentence["end"], m["end"] + 60)
    if (text.find("19", lo, hi) < 0 and text.find("20", lo, hi) < 0) or _YEAR_DIGITS.search(text, lo, hi) is None:
        return False  # nearly every study: no year beside it (the finds first: the search, led by \b, steps
        # through every character of the window in Python's re, about 5 us; two finds about 0.2)
    dated = _YEAR_BEFORE_STUDY.search(text, lo, m["start"]) or _YEAR_AFTER_STUDY.match(text, m["end"], hi)
    if dated is None:
        return False
    if dated.group("back"):
        return True
    year = int(dated.group("year"))
    return any(y > year for y in years_named(text))


def _recommended_next(m: dict[str, Any], text: str) -> bool:
    """A study named alone in its sentence ("An MRI of the lumbar spine.") that the next one recommends."""
    sentence = m["sentence"]
    if m["assertion"] != "present" or _RECOMMENDED_NEXT.match(text, sentence["end"]) is None:
        return False  # nearly every study: the next sentence recommends nothing
    before = _NAMED_ALONE_BEFORE.match(text, sentence["start"], m["start"])
    after = _NAMED_ALONE_AFTER.match(text, m["end"], sentence["end"])
    return before is not None and before.end() == m["start"] and after is not None and after.end() == sentence["end"]


def _performed(m: dict[str, Any]) -> bool:
    if not m.get("counts_modality"):
        return False
    if m["section"] == "exam":  # the title names the study done, not the one it is compared with
        return m["assertion"] not in ("absent", "family") and not _compared_with(m)
    return bool(m["assertion"] == "present")
