"""The phrases that say what caused a fracture or what a finding is posed against: tumor cause cues
(``ClauseCauses``), causes given as alternatives, "(not) pathologic" called after the fact, vertebral shapes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from reportnlp.nlp.alternation import plain_alternation
from reportnlp.records.labels.sites import has_bone

# "myelomatous marrow involvement with chronic mild T8 compression fracture": a bare "with" puts beside the
# tumor a fracture dated old, which the report does not call its result (session 17); "with a pathologic
# fracture" or "with associated collapse" still link.
WITH_OLD = re.compile(
    r"\bwith\s+(?:(?:an?|the|mild|moderate|severe|minimal|marked|slight|stable|[a-z]\d{1,2}|l5-s1)\s+){0,4}?"
    r"(?:chronic|old|healed|remote|long-?standing)\b", re.I)


class ClauseCauses:
    """A clause's tumor mentions and the positions of its cause cues and alternatives, found once, so
    that each fracture of the clause finds its cause by bisection rather than by searching the text
    between it and every tumor (a clause of many mentions stays linear).

    The cue rule is that of ``cue_regex``: a cue starting within 40 characters after the start of the
    gap between the two mentions, ending inside the gap; no alternative anywhere in the gap."""

    __slots__ = ("after_ends", "after_starts", "alt_ends", "alternatives", "before_ends", "before_starts", "kinds")

    def __init__(self, text: str, lo: int, hi: int, cues: tuple[re.Pattern[str], re.Pattern[str]],
                 tumors: list[dict[str, Any]], strong: Callable[[dict[str, Any]], bool]) -> None:
        after = [(m.start(), m.end()) for m in cues[0].finditer(text, lo, hi)]  # "fracture due to <tumor>"
        before = [(m.start(), m.end()) for m in cues[1].finditer(text, lo, hi)]  # "<tumor> causing a fracture"
        self.after_starts, self.after_ends = [c[0] for c in after], [c[1] for c in after]
        self.before_starts, self.before_ends = [c[0] for c in before], [c[1] for c in before]
        self.alternatives = [(m.start(), m.end()) for m in ALTERNATIVE.finditer(text, lo, hi)]
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


# The words from a benign reading to the malignant one it is posed against ("hyperplastic marrow | versus
# diffuse infiltration by | myeloma"), or from the malignant one to the benign one ("myeloma | or | reactive
# marrow"); a clause break or another link between them ("and", "with", "rather than") makes them no alternatives.
ALTERNATIVE_THEN = re.compile(r"[ \t\n,]*(?:versus|vs\.?|or)\s[^.;:()]{0,60}$", re.I)
ALTERNATIVE_NEXT = re.compile(
    r"[ \t\n,]*(?:(?:by|from|of)\s[^.;:()]{0,30}?\s)?(?:versus|vs\.?|or)\s+(?:[a-z-]+\s+){0,3}$", re.I)
OTHER_LINK = re.compile(r"\b(?:and|with|but|however|although|which|while|whereas|rather\s+than|instead\s+of|not|no)\b", re.I)
# Right after a fracture, two causes posed as alternatives, one of them a tumor: "T11 compression fracture,
# osteoporotic versus metastatic", ", benign or malignant", ", which may be osteoporotic or related to the known
# myeloma", ", pathologic versus insufficiency": the fracture is there, its being pathologic is possible.
_BENIGN_CAUSE = r"(?:osteoporotic|osteopenic|insufficiency|benign|(?:post-?)?traumatic|degenerative|stress)"
_TUMOR_CAUSE = (r"(?:(?:secondary|due|related)\s+to\s+)?(?:(?:an?|the)\s+)?(?:(?:known|underlying)\s+)?"
                r"(?:pathologic(?:al)?|metastatic|metastas[ie]s|malignant|malignancy|neoplastic|neoplasm|tumou?r|myeloma|lymphoma)")
CAUSE_ALTERNATIVES = re.compile(
    r"(?:[^.;,:()\n]{0,40}?[,:-]|)\s*(?:(?:which\s+)?(?:(?:is|are|was)\s+)?(?:likely|probably|possibly|either|(?:may|might|could)\s+be)\s+)?"
    rf"(?:an?\s+)?(?:{_BENIGN_CAUSE}\s+(?:(?:fracture|collapse|deformity)\s+)?(?:versus|vs\.?|or|/)\s*{_TUMOR_CAUSE}"
    rf"|{_TUMOR_CAUSE}\s+(?:(?:fracture|collapse|deformity)\s+)?(?:versus|vs\.?|or|/)\s*{_BENIGN_CAUSE})\b",
    re.I,
)
VERSUS_CUE = re.compile(r"_(?:versus|vs\.?)$")  # the rule ids of the "versus" / "vs" cues (patterns/context.json)
# ... and words that set a fracture apart from a tumor beside it ("rib fracture, remote from any metastatic
# deposit", "away from the known metastases": session 21): no cause either.
_ALTERNATIVE_WORDS = (
    r"rather\s+than|versus|vs\.?|instead\s+of|as\s+opposed\s+to|not"
    r"|(?:remote|away|distant|separate|apart|far)\s+from|unrelated\s+to|independent\s+of")
ALTERNATIVE = re.compile(rf"\b(?:{_ALTERNATIVE_WORDS}|or)\b", re.I)
ALTERNATIVE_NOT_OR = re.compile(rf"\b(?:{_ALTERNATIVE_WORDS})\b", re.I)  # a denied list's "or" is no alternative
_OSTEOPOROTIC_WORDS = r"osteopor\w*|osteopeni\w*|insufficiency|senile|fragility"
OSTEOPOROTIC = re.compile(rf"\b(?:{_OSTEOPOROTIC_WORDS})\b", re.I)
# Causes of a fracture other than a tumor: osteoporotic ones, and benign or traumatic ones.
NOT_TUMOR_CAUSE = re.compile(rf"\b(?:{_OSTEOPOROTIC_WORDS}|benign|(?:post-?)?traumatic|stress)\b", re.I)
_PATHOLOGIC_WORD = re.compile(r"\b(?:patholog\w*|malignant|neoplastic|tumou?r)", re.I)
_ALTERNATIVES_JOIN = re.compile(r"\b(?:versus|vs\.?|or)(?:\s|$)|/", re.I)  # "osteoporotic versus / or pathologic"
# "favor a pathologic fracture over osteoporotic" (session 21): "over" prefers one cause to the other, as "rather than"
_DENIAL_JOIN = re.compile(r"\b(?:not|rather\s+than|instead\s+of|as\s+opposed\s+to|over)\b", re.I)
_DIFFERENTIAL = re.compile(r"\bdifferential\b", re.I)
# A vertebral shape's cause that is no fracture; "likely developmental" still explains it.
NOT_A_FRACTURE = re.compile(
    r"\b(?:developmental(?:ly)?|physiologic(?:al)?|scheuermann\w*|schmorl\w*|congenital(?:ly)?|(?:normal|anatomic(?:al)?)\s+"
    r"variants?|limbus|(?:not|rather\s+than)\s+(?:an?\s+)?(?:(?:acute|true|compression)\s+)?fractur\w*)",
    re.I,
)
# A rib or clavicle deformity's sentence naming a past injury, or another cause of the shape (session 11).
PAST_INJURY = re.compile(
    r"\b(?:old|healed|healing|remote|chronic(?:ally)?|prior|previous|post-?traumatic|trauma\w*|injur\w*|"
    r"age-?\s?indeterminate|fractur\w*)\b",
    re.I,
)
NOT_AN_INJURY = re.compile(
    r"\b(?:\w*scolio\w*|pectus|thoracotom\w*|(?:post-?)?surg\w*|post-?operative|resect\w*|congenital\w*|"
    r"developmental\w*|dysplas\w*)",
    re.I,
)
_SHAPE_WORDS = re.compile(r"\b(?:wedg\w*|height|depressions?)\b", re.I)
_FRACTURE_WORDS = re.compile(r"\b(?:fractur\w*|fx|compression|collapse\w*|burst)\b", re.I)
NEXT_FRAGMENT = re.compile(r"[\s;]*;\s*(?P<words>[^;]*?)[\s.]*$")
DENIED = re.compile(r"\b(?:not|no|non|without|rather\s+than|instead\s+of|unlikely)\b", re.I)
# "It is not clearly / definitely / necessarily pathologic": a doubt about the cause, not its denial
NOT_CLEARLY = re.compile(r"\b(?:clearly|definitely|necessarily|certainly|obviously|convincingly)\b", re.I)
# The tumours a fracture's cause is denied or called in plain words ("not due to the known myeloma"), and the same
# glued to "-related" ("not myeloma-related"): one list for CALLED_NOT_PATHOLOGIC and CALLED_NEXT (session 34)
_CAUSE_TUMOUR = r"(?:cancer|malignancy|tumou?r|metastas[ie]s|metastatic\s+disease|myeloma|lymphoma|plasmacytoma)"
_RELATED_TUMOUR = r"(?:myeloma|tumou?r|metastas[ie]s|cancer|malignancy|neoplasm|lymphoma|plasmacytoma)-related"
# "fracture of T9 ..., osteoporotic rather than pathologic", "not pathologic", "favor osteoporotic over pathologic"
# (session 21): later in its clause the fracture is called not pathologic (the denial right before the bare word,
# which names no other thing)
CALLED_NOT_PATHOLOGIC = re.compile(
    # "not thought / felt / considered to be pathologic", "unlikely (to be) pathologic" (session 32): the reader's
    # judgement denies the cause as "not pathologic" does
    r"\b(?:(?:not|unlikely)(?:\s+(?:thought|felt|considered|deemed|believed))?(?:\s+to\s+be)?|non-?|rather\s+than"
    r"|instead\s+of|over)\s*(?:a\s+)?pathologic(?:al)?\b"
    r"(?!\s*-?\s*(?:[a-z]+\s+)?(?:fractur|collapse|specimen|report|exam|diagnos|evaluation|review|lesion|process|finding))"
    # "..., no underlying marrow lesion to suggest a pathologic etiology": the tumor cause itself denied
    r"|\b(?:no|without)\s+(?:[\w-]+\s+){0,5}?(?:to\s+suggest|suggest(?:ing|ive\s+of)|to\s+indicate|indicat(?:ing|ive\s+of)"
    r"|evidence\s+of)\s+(?:an?\s+)?pathologic(?:al)?\s+(?:etiology|aetiology|cause|nature|origin)\b"
    # "..., not caused by a metastasis", "not due to cancer": the tumour cause denied in plain words (session 31)
    r"|\b(?:not|n't)\s+(?:due|caused|secondary|attributable|related)\s+(?:to|by)\s+"
    rf"(?:(?:an?|the|any|underlying|his|her|their)\s+)?(?:known\s+)?{_CAUSE_TUMOUR}\b"
    # "..., not myeloma-related" (session 34): the tumour glued to "-related" denied as the cause
    rf"|\b(?:not|non)\s*-?\s*{_RELATED_TUMOUR}\b",
    re.I,
)
HEDGES = {"possibly", "possible", "questionably", "suspicious", "concerning", "worrisome", "may", "might", "could",
           "cannot", "perhaps", "potentially", "questionable", "equivocal", "indeterminate", "query", "rule", "r/o"}
# "fracture of L2, possibly pathologic": the word after the fracture, hedged or not, in its clause.
CALLED_PATHOLOGIC = re.compile(
    r"(?P<before>[^.;]{0,40}?)(?<![a-z])(?P<hedge>possibly|possible|probably|likely|most\s+likely|presumably|questionably|"
    r"suspicious\s+for|concerning\s+for|worrisome\s+for|(?:may|might|could)\s+(?:be|represent)|potentially|"
    r"questionable|equivocal|indeterminate|felt\s+to\s+be|thought\s+to\s+be|query|rule\s+out|r/o|"
    r"(?:not|cannot\s+be|can\s+not\s+be)\s+(?:excluded|ruled\s+out)\s+(?:to\s+be|as))?\s*(?:a\s+|of\s+|for\s+)?"
    r"(?:pathologic(?:al)?\b(?!\s+(?:[a-z]+\s+)?(?:fractur|collapse|specimen|report|exam|diagnos|evaluation|review))"
    # a tumour glued to "-related" says the same ("New L2 compression fracture, likely myeloma-related"; session 33)
    r"|(?:myeloma|tumou?r|metastasis|metastases|cancer|malignancy|neoplasm|lymphoma|plasmacytoma)-related\b)",
    re.I,
)
# A sentence that opens by pointing back to the one before ("This is due to ...", "The collapse is ...").
# A next sentence that only calls the fracture before it pathologic: "This may be pathologic.", "The collapse is
# likely pathological." (pointing back, up to four words, the word, then the sentence ends).
# The writer may deny it in the first person ("I do not think it is pathological:", "We don't believe this is
# pathologic.") and may name the tumour cause in plain words ("It is not caused by cancer.", "This is due to the
# tumour."; session 31).
CALLED_NEXT = re.compile(
    r"\s*(?P<lead>(?:i|we)\s+(?:do\s+not|don't|did\s+not|didn't)\s+(?:think|believe|feel|consider)\s+(?:that\s+)?)?"
    r"(?:this|these|it|they|the\s+(?:fracture|fractures|collapse|deformity|deformities|compression))(?:'s)?\s+"
    r"(?P<words>(?:[a-z]+\s+){0,4}?)(?P<hedge>possibly|probably|likely|(?:may|might|could)\s+be|questionably|"
    r"potentially)?\s*(?:a\s+)?(?:pathologic(?:al)?|(?:caused\s+by|due\s+to|secondary\s+to|related\s+to)\s+"
    rf"(?:an?\s+|the\s+|his\s+|her\s+)?(?:known\s+)?{_CAUSE_TUMOUR}"
    # "It is not myeloma-related." (session 34)
    rf"|{_RELATED_TUMOUR})\s*(?:\.|:|;|$|\n)",
    re.I,
)
# "pathological collapse of T9", "pathological loss of height of the vertebral body" (session 22): the word right
# before a fracture mention whose own words start later (a level's collapse, a height loss) calls it pathologic,
# as "pathological collapse" alone does (targets.json path_fx). Searched in the few characters before the mention.
CALLED_BEFORE = re.compile(r"(?<![\w-])patholog(?:ic|ical)[ \t\n]+$", re.I)
CALLED_BEFORE_REACH = 16  # "pathological" and its blank
POINTS_BACK = re.compile(
    r"\W*(?:this|these|it|they|which|the\s+(?:fracture|fractures|collapse|deformity|compression))\b", re.I
)


_CUE_WINDOW = 40  # characters between a mention and the cause cue after it (see cue_regex)

# A denial that names one cause of a fracture against another denies that cause, not the fracture (session 22):
# "osteoporotic rather than pathologic fracture of L2", "benign (osteoporotic) rather than pathological collapse",
# "an osteoporotic, rather than a pathologic, fracture", "not a pathologic fracture but an osteoporotic one".
_CAUSE = rf"(?:{_OSTEOPOROTIC_WORDS}|benign|(?:post-?)?traumatic|stress|patholog\w*|malignant|neoplastic|metastatic|tumou?r)"
_CONTRAST_CUE = re.compile(r"rather\s+than|instead\s+of|as\s+opposed\s+to", re.I)  # the cue's own words
_KEPT_CAUSE_BEFORE = re.compile(rf"\b(?P<kept>{_CAUSE})\b\)?,?\s*$", re.I)  # the cause right before the cue
_DENIED_CAUSE_AFTER = re.compile(rf"[\s,]*(?:an?\s+)?(?P<denied>{_CAUSE})\b[\s,]*", re.I)  # right after the cue
_KEPT_CAUSE_BUT = re.compile(rf"\s*,?\s*but\s+(?:rather\s+)?(?:an?\s+)?(?:[\w-]+\s+)?(?P<kept>{_CAUSE})\b", re.I)
_TUMOR_WORD = re.compile(r"patholog|malignant|neoplastic|metastatic|tumou?r", re.I)


_KEPT_REACH = 80  # characters before a contrast cue that hold its kept cause word, its ")" and "," and blanks


def _word_start_before(text: str, clause_start: int, cue_start: int) -> int:
    """Where to search back from for the cause word right before a cue: _KEPT_REACH characters before it, moved
    back to the start of a word cut there (searching from the clause's start made a clause of many contrasts
    quadratic; session 22)."""
    start = max(clause_start, cue_start - _KEPT_REACH)
    while start > clause_start and text[start - 1].isalnum():
        start -= 1
    return start


def cause_contrast(text: str, f: dict[str, Any]) -> tuple[str, str] | None:
    """The (kept, denied) causes, each "tumor" or "benign", of a denied fracture mention f whose every deciding
    cue only sets one cause against another ("X rather than Y fracture", "not a Y fracture but an X one"), or None.

    The denied cause must stand right after the cue, before or in the fracture's words, and the kept one right
    before the cue (or after "but"): "soft tissue mass rather than a pathologic fracture" and "not a pathologic
    fracture but a nutrient canal" deny the fracture, as before."""
    decided = [c for c in f["cues"] if c["decided"]]
    if not decided or f["assertion"] != "absent":
        return None
    kinds = set()
    for cue in decided:  # the cue's own words first: "no fracture" costs one comparison
        contrast = _CONTRAST_CUE.fullmatch(cue["text"])
        if not contrast and cue["text"].lower() != "not":
            return None
        denied = _DENIED_CAUSE_AFTER.match(text, cue["end"], f["end"])
        if denied is None or denied.end() < f["start"]:
            return None  # "rather than a fracture": the fracture itself
        if contrast:
            kept = _KEPT_CAUSE_BEFORE.search(text, _word_start_before(text, f["clause"]["start"], cue["start"]), cue["start"])
        else:
            kept = _KEPT_CAUSE_BUT.match(text, f["end"], f["sentence"]["end"])
        if kept is None:
            return None
        pair = tuple("tumor" if _TUMOR_WORD.match(w) else "benign" for w in (kept["kept"], denied["denied"]))
        if pair == ("tumor", "tumor"):
            return None  # "metastatic rather than myelomatous": no benign cause named
        kinds.add(pair)
    return kinds.pop() if len(kinds) == 1 else None


def shape_only(m: dict[str, Any]) -> bool:
    """A fracture mention that names only a vertebral shape: wedging, a wedge or height loss."""
    return bool((m.get("meta") or {}).get("shape_only")) or (
        bool(_SHAPE_WORDS.search(m["text"])) and not _FRACTURE_WORDS.search(m["text"])
    )


def pathologic_word(text: str, f: dict[str, Any]) -> tuple[int, int]:
    """Where a pathologic-fracture mention says pathologic ("pathologic" of "pathologic or osteoporotic
    fracture"), or the whole mention."""
    word = _PATHOLOGIC_WORD.search(text, f["start"], f["end"])
    return (word.start(), word.end()) if word else (f["start"], f["end"])


# The cause words of a clause read beside one pathologic word: the nearest on each side (a clause of thousands of
# "osteoporotic rather than pathologic fracture of L2, ..." read every word for every fracture: quadratic; no
# development clause holds more than a few; session 22).
_CAUSE_WORD_REACH = 16


def joined_beside(
    text: str, words: list[tuple[int, int]], word: tuple[int, int], differential: int
) -> Iterator[tuple[str | None, tuple[int, int]]]:
    """(how the clause joins it to ``word``, a cause word) for the clause's cause ``words`` (in text order) on each
    side of ``word``, nearest first, at most _CAUSE_WORD_REACH a side. A side ends at its first denial: the gap to
    any farther word holds that denial too, so _joined would call it denied as well. ``differential``: what
    differential_end gives for the clause."""
    i = bisect_left(words, word)
    for side in (reversed(words[max(0, i - _CAUSE_WORD_REACH) : i]), words[i : i + _CAUSE_WORD_REACH]):
        for other in side:
            joined = _joined(text, other, word, differential)
            if joined == "denied":
                break
            yield joined, other


def differential_end(text: str, start: int, end: int) -> int:
    """Where the clause's first "differential" ends (past ``end`` if it has none): found once per clause, as
    every pair of cause words asks whether one comes before the earlier word."""
    found = _DIFFERENTIAL.search(text, start, end)
    return found.end() if found else end + 1


def _joined(text: str, a: tuple[int, int], b: tuple[int, int], differential: int) -> str | None:
    """How a clause joins two cause words: "alternative" ("osteoporotic versus pathologic", "benign or
    pathologic compression fracture", a differential before them), "denied" ("pathologic, not osteoporotic"), or
    None (one may be the other's cause: "osteoporosis with pathologic fractures"). A bare "or" joins only words
    close together: "pathologic fractures of T11 or T12 due to osteoporosis" names a cause."""
    (lo_start, lo_end), (hi_start, _) = sorted((a, b))
    gap = text[lo_end:hi_start]
    if _DENIAL_JOIN.search(gap):
        return "denied"
    joins = _ALTERNATIVES_JOIN.search(gap)
    if (joins and (joins.group().strip().lower() != "or" or len(gap.split()) <= 4)) or differential <= lo_start:
        return "alternative"
    return None


def strong_tumor(n: dict[str, Any]) -> bool:
    """A tumor finding that can have broken any bone; the others (uptake, a lesion or a tumor of no named
    bone) only a fracture whose own bone is named."""
    return n["concept"] not in ("bone_uptake", "lesion", "malignancy") or has_bone(n)


def cue_words(cues: list[str], after_dash: list[str] | None = None) -> re.Pattern[str]:
    """The cues anywhere as whole words; with ``after_dash``, also a dash between spaces and then one of those
    words: "L3 collapse - suspicious for metastatic disease" gives the collapse's cause as a hedged reading
    after a dash, where "due to" would stand in prose (session 21)."""
    parts = []
    if cues:
        parts.append(r"\b(?:" + plain_alternation(cues) + r")\b")
    if after_dash:
        # (a query mark is glued to its word: "- ?metastatic")
        parts.append(r"(?<=\s)[-\u2013]\s+(?:" + plain_alternation(after_dash) + r")(?:(?<=\?)|\b)")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else re.compile(r"(?!x)x")


def cue_regex(cues: list[str]) -> re.Pattern[str]:
    if not cues:
        return re.compile(r"(?!x)x")
    alternation = "|".join(r"\s+".join(map(re.escape, c.split())) for c in sorted(cues, key=len, reverse=True))
    return re.compile(r"^[\W\w]{0,40}?\b(?:" + alternation + r")\b", re.IGNORECASE)


# Two causes of a fracture set against each other in plain words, one denied and one kept (session 32): "not due to
# trauma but to a metastasis", "not from the fall but from the tumour", "caused by the fall on the ice, not by
# cancer", "due to osteoporosis rather than the myeloma". A kept tumour makes the fracture pathologic, a denied one
# makes it not pathologic; two tumours or two other causes ("not due to trauma but to insufficiency") decide nothing.
# The cause words must stand on both sides ("fracture extending from T8, not involving the pedicle" sets nothing
# against anything).
_CAUSED = (r"(?:(?:due|secondary|related|attributable|owing)[ \t]+to|caused[ \t]+by|from|(?:the|a)[ \t]+result[ \t]+of"
           r"|the[ \t]+consequence[ \t]+of)")
_CAUSE_PHRASE = r"[^.;:,!?()\n]{1,60}?"
_PHRASE_END = r"(?=[ \t]*(?:[.;:,!?()\n]|$))"
_NOT_X_BUT_Y = (rf"(?:not|n't)[ \t]+{_CAUSED}[ \t]+(?P<denied>{_CAUSE_PHRASE}),?[ \t]+but[ \t]+(?:rather[ \t]+)?"
                rf"(?:{_CAUSED}|to|by)[ \t]+(?P<kept>{_CAUSE_PHRASE}){_PHRASE_END}")
_X_NOT_Y = (rf"{_CAUSED}[ \t]+(?P<kept2>{_CAUSE_PHRASE}),?[ \t]+(?:(?:and[ \t]+)?not[ \t]+(?:{_CAUSED}|to|by)"
            rf"|(?:rather[ \t]+than|instead[ \t]+of)(?:[ \t]+(?:{_CAUSED}|to|by))?)"
            rf"[ \t]+(?P<denied2>{_CAUSE_PHRASE}){_PHRASE_END}")
# In the fracture's own sentence, after it ("Compression fracture of T8, not from the fall but from the tumour.").
_SET_AGAINST_AFTER = re.compile(rf"[^.;:!?\n]{{0,40}}?\b(?:{_NOT_X_BUT_Y}|{_X_NOT_Y})", re.I)
# In the next sentence, told of the fracture by a word that points back, after an opening phrase of its own ("In
# spite of the fall, this is not due to trauma but to a metastasis.", "It was caused by the fall, not by cancer.").
_SET_AGAINST_NEXT = re.compile(
    r"\s*(?:[^.;:!?\n]{0,60}?,[ \t]*)?(?:this|it|the[ \t]+(?:fracture|fractures|break|collapse|deformity|compression))"
    r"(?:'s)?[ \t]+(?:(?:is|was|are|were|has[ \t]+been|have[ \t]+been|appears[ \t]+to[ \t]+be|seems[ \t]+to[ \t]+be)[ \t]+)?"
    rf"(?:clearly[ \t]+|probably[ \t]+|likely[ \t]+)?(?:{_NOT_X_BUT_Y}|{_X_NOT_Y})",
    re.I)
# Before the fracture in its sentence: "Rather than pathologic, this is a traumatic fracture".
_SET_AGAINST_BEFORE = re.compile(
    r"\b(?:rather[ \t]+than|instead[ \t]+of|not)[ \t]+(?:an?[ \t]+)?(?P<denied>[\w-]+(?:[ \t]+[\w-]+)?),[ \t]*"
    r"(?:this|it)[ \t]+(?:is|was|represents)[ \t]+(?:an?[ \t]+)?(?P<kept>(?:[\w-]+[ \t]+){0,3}?)$", re.I)
# The tumour words a fracture's cause is read by: named as the cause (_NAMED_TUMOUR), or set against another cause,
# where a cancer's kind or "pathologic" itself stands for it too.
_TUMOURS = r"cancers?|malignan\w*|tumou?rs?|metasta\w*|myelom\w*|lymphom\w*|neoplas\w*|deposits?|plasmacytom\w*"
_TUMOUR_CAUSE_WORD = re.compile(rf"\b(?:{_TUMOURS}|patholog\w*|carcinom\w*|sarcom\w*)\b", re.I)


def _kept_or_denied(kept: str, denied: str) -> str | None:
    """"present" when the kept cause is a tumour and the denied one is not, "absent" the other way round."""
    kept_tumour, denied_tumour = (_TUMOUR_CAUSE_WORD.search(w) is not None for w in (kept, denied))
    if kept_tumour and not denied_tumour:
        return "present"
    if denied_tumour and not kept_tumour:
        return "absent"
    return None


def cause_set_against(text: str, f: dict[str, Any], next_end: int) -> str | None:
    """Whether fracture mention f is pathologic by two of its causes set against each other ("present" / "absent",
    None when its words set no tumour against another cause): after it in its sentence, before it in its sentence
    ("Rather than pathologic, this is a traumatic fracture"), or in the next sentence (read up to ``next_end``; its
    patterns stop at the sentence's end), told of it by a word that points back."""
    sentence = f["sentence"]
    after = text[f["end"]:next_end].lower()  # (a slice and finds in C: a led-by-\b search steps through every character)
    if "not" in after or "n't" in after or "rather" in after or "instead" in after:
        found = (_SET_AGAINST_AFTER.match(text, f["end"], sentence["end"])
                 or _SET_AGAINST_NEXT.match(text, sentence["end"], next_end))
        if found is not None:
            kept, denied = found.group("kept") or found.group("kept2"), found.group("denied") or found.group("denied2")
            return _kept_or_denied(kept, denied)
    before = text[sentence["start"]:f["start"]].lower()
    if "rather" in before or "instead" in before or "not" in before:
        said = _SET_AGAINST_BEFORE.search(text, sentence["start"], f["start"])
        if said is not None:
            return _kept_or_denied(said.group("kept") + text[f["start"]:f["end"]], said.group("denied"))
    return None


# A tumour the reader names as the fracture's cause or rules out as it, in the clause after the fracture ("The fracture
# is osteoporotic; metastasis is not likely to be the cause.") or opening the next sentence ("T10 compression
# fracture. Metastasis cannot be excluded as the cause."). The words between the tumour and "the cause" decide:
# a hedge leaves it possible, a denial makes the fracture not pathologic, none makes it pathologic ("a metastasis
# is the likely cause"). "the cause of" something other than the fracture ("of the pain") is no cause of it.
_NAMED_TUMOUR = rf"\b(?:{_TUMOURS})\b"
_NAMED_CAUSE_TAIL = (r"(?P<between>[^.;!?\n]{0,60}?)\b(?:the|a)[ \t]+(?:(?:likely|probable|underlying|main)[ \t]+)?"
                     r"(?:cause|explanation)\b(?![ \t]+of[ \t]+(?!(?:the|this|her|his)[ \t]+(?:fracture|collapse|break"
                     r"|deformity|compression)))")
_NAMED_CAUSE_AFTER = re.compile(rf"[^.!?\n]{{0,80}}?{_NAMED_TUMOUR}{_NAMED_CAUSE_TAIL}", re.I)
_NAMED_CAUSE_NEXT = re.compile(
    rf"\s*(?:[^.;:!?\n]{{0,40}}?:[ \t]*)?(?:(?:an?|the)[ \t]+)?(?:[\w-]+[ \t]+){{0,2}}?{_NAMED_TUMOUR}{_NAMED_CAUSE_TAIL}",
    re.I)
_NAMED_HEDGED = re.compile(
    r"\b(?:cannot|can't|excluded|possibl\w*|may|might|could|question\w*|suspect\w*|uncertain)\b", re.I)
_NAMED_DENIED = re.compile(r"\b(?:not|unlikely|doubtful|improbable|isn't)\b", re.I)


def tumour_named_the_cause(text: str, f: dict[str, Any], next_end: int) -> str | None:
    """"present" / "possible" / "absent" when a tumour is named as fracture mention f's cause after it in its sentence
    or opening the next (read up to ``next_end``; the patterns stop at that sentence's end), else None."""
    after = text[f["end"]:next_end].lower()
    if "cause" not in after and "explanation" not in after:
        return None
    sentence_end = f["sentence"]["end"]
    found = (_NAMED_CAUSE_AFTER.match(text, f["end"], sentence_end)
             or _NAMED_CAUSE_NEXT.match(text, sentence_end, next_end))
    if found is None:
        return None
    between = found.group("between")
    if _NAMED_HEDGED.search(between):
        return "possible"
    return "absent" if _NAMED_DENIED.search(between) else "present"
