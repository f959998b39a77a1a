"""What the words around a bone lesion or metastasis say of it: called underlying, under a line label naming bone,
focal, its pattern now ("lytic lesions have become sclerotic"), called progression, "no other" metastatic disease."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.sites import has_bone

_FOCAL = re.compile(r"\bfoc(?:al|us|i)\b|\blesions?\b|\bsolitary\b|\bsingle\b", re.I)
_FOCAL_LONGEST = 8  # characters of _FOCAL's longest match ("solitary")


def focal_before(m: dict[str, Any], nearby: Any) -> bool:
    """``_FOCAL.search(text, m's clause start, m's end)``: its clause calls m focal before m ends ("focal", "lesion",
    "solitary"). The clause's first match is found once (``nearby.once``: a clause of thousands of uptakes under one
    chemotherapy cause searched its start for each, session 23); a match the text cut at m's end makes (a word ending
    exactly there) lies in the last _FOCAL_LONGEST characters, searched apart. Every alternative is one whole word:
    no match starts inside another, so the clause's first match, when it ends by m's end, is the answer."""
    text, lo, hi, end = nearby.text, m["clause"]["start"], m["clause"]["end"], m["end"]
    if end > hi:  # a mention past its clause's end (none known): the plain search
        return _FOCAL.search(text, lo, end) is not None
    first = nearby.once(("focal", lo, hi), lambda: _FOCAL.search(text, lo, hi))
    if first is not None and first.end() <= end:
        return True
    return _FOCAL.search(text, max(lo, end - _FOCAL_LONGEST), end) is not None
_UNDERLYING = re.compile(r"\bunderlying\s+(?:[a-z-]+\s+){0,2}$", re.IGNORECASE)


def may_say_underlying(text: str) -> bool:
    """False when no match of _UNDERLYING can be in the text (an ASCII text without the word; case folding
    maps a few non-ASCII letters onto "i", so any other text may)."""
    return not text.isascii() or "underlying" in text.lower()


def called_underlying(text: str, m: dict[str, Any]) -> bool:
    """m is called the finding beneath another ("an underlying lesion"): up to 40 characters before it."""
    return _UNDERLYING.search(text, max(0, m["start"] - 40), m["start"]) is not None


# A templated report's line label that names bone ("Marrow: Normal signal. No suspicious lesion."): the
# line's later sentences are about that bone, as a "Bones:" section's are.
_BONE_LINE_LABEL = re.compile(
    r"[ \t]*(?:bone[ \t]+)?marrow(?:[ \t]+signal)?[ \t]*:|[ \t]*(?:vertebrae|vertebral[ \t]+bodies|osseous)[ \t]*:",
    re.IGNORECASE)


_LINE_LABEL_REACH = 400  # how far back a line label is looked for: a bounded look per mention, never the whole text


def line_label_names_bone(text: str, start: int) -> bool:
    """Whether the line holding ``start`` opens with a label naming bone (only that line is read, and only
    when its start is within _LINE_LABEL_REACH characters)."""
    low = max(0, start - _LINE_LABEL_REACH)
    line_break = text.rfind("\n", low, start)
    if line_break < 0 and low > 0:
        return False
    return _BONE_LINE_LABEL.match(text, line_break + 1, start) is not None


# A pathology result that names the bone sampled ("Pathology from L2: ...", "T12 core biopsy: ...", "Biopsy of the
# left iliac bone: ..."): the result's next sentence ("Negative for malignancy.") is about that bone (session 25).
_BONE_SAMPLED = re.compile(
    r"\b[CTLS]\d{1,2}\b[^.\n:]{0,30}?\b(?:biops(?:y|ies)|patholog\w*|cores?|specimens?)\b"
    r"|\b(?:biops(?:y|ies)|patholog\w*|histolog\w*|specimens?)[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?"
    r"(?:(?:left|right)[ \t]+)?(?:[CTLS]\d{1,2}\b|(?:iliac[ \t]+)?bone\b|vertebra\w*|sacrum|sacral|ilium|iliac"
    r"|femur|femoral|humerus|humeral|rib\b|sternum|sternal|pelvis|pelvic[ \t]+bone)",
    re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
_SAMPLED_REACH = 200  # how far back the result's sentence is looked for


def bone_sampled_before(text: str, start: int) -> bool:
    """The words before ``start`` (a mention's) in its sentence, or the sentence right before it, are a pathology
    result naming the bone it sampled ("Pathology from L2: osteoporotic bone with callus. Negative for malignancy.";
    "L1 core: osteoporotic bone with callus; negative for malignancy.", session 27): a result line's bare denial or
    finding is about that specimen, as a specimen line's is (only that one sentence is read)."""
    low = max(0, start - _SAMPLED_REACH)
    for found in _BONE_SAMPLED.finditer(text, low, start):
        stops = _SENTENCE_STOP.findall(text, found.end(), start)
        if len(stops) <= 1 and not any("\n" in stop for stop in stops):  # its own sentence's end, no blank line
            return True
    return False


# How a lesion looks now, when its clause says its look changed: "lytic metastases have become sclerotic",
# "previously lytic, now sclerotic" (a treated lesion healing), "sclerotic focus has turned lytic".
# After "now" a verb may name the new look ("now show a healing sclerotic response", "now show dense sclerosis"),
# and an adverb its degree ("is now partially sclerotic": the healing look counts, as a sclerotic lesion).
# A look said of the lesion's edge ("lytic lesions persist, now with sclerotic margins") is no new look of the
# lesion: a lytic lesion with a sclerotic rim is still lytic; with its inside sclerosed too ("have developed
# sclerotic margins and internal sclerosis") it has turned sclerotic (session 26).
_PATTERN_NOW = re.compile(
    r"[^.;]{0,80}?\b(?:ha(?:ve|s)\s+(?:since\s+)?)?(?:become|became|becoming|turned|turning|now|developed|developing|evolved\s+(?:in)?to)\s+"
    r"(?:(?:shows?|showing|demonstrates?|demonstrating|exhibits?|appears?|appearing|are|is|with)\s+)?(?:an?\s+)?"
    r"(?:(?:more|densely|dense|predominantly|increasingly|mostly|largely|completely|entirely|diffusely|partially|partly|healing|"
    r"healed|treated)\s+)?"
    r"(?P<now>osteoblastic|blastic|sclerotic|sclerosis|osteolytic|lytic|mixed)\b"
    r"(?!\s+(?:margins?|rims?|borders?|rinds?|edges?|halos?)\b"
    r"(?!\s+and\s+(?:(?:internal|central|diffuse|dense|matrix)\s+)?(?:sclerosis|sclerotic)\b))",
    re.I,
)
_PATTERN_OF_WORD = {"osteoblastic": "blastic", "blastic": "blastic", "sclerotic": "blastic", "sclerosis": "blastic",
                    "osteolytic": "lytic", "lytic": "lytic", "mixed": "mixed"}
# A lesion its sentence calls the disease's progression ("New lytic lesion: progression.", "lytic rib lesion,
# consistent with disease progression", a note's "new lesions T10 c/w PD"): what progresses is the patient's
# cancer, now in bone. The word has to name the lesion (after a colon or dash, or as what it is consistent with /
# represents); "progression of the fracture" or "without progression" say how a finding changed, not what it is.
CALLED_PROGRESSION = re.compile(
    r"[^.;:]{0,60}?(?::\s*|\s[-\u2013]\s*|,?\s+(?:(?:is|are|which\s+is|likely|most\s+likely)\s+)?(?:(?:most\s+)?consistent\s+with|c/w|"
    r"compatible\s+with|in\s+keeping\s+with|represent(?:s|ing)?|indicat(?:es|ing)|indicative\s+of|reflect(?:s|ing)?)\s+)"
    r"(?:(?:further|interval|osseous|bony|skeletal|metastatic|disease|of)\s+){0,3}"
    # a note's "c/w PD" (consistent with progressive disease; the capitals only: session 33, w77_20)
    r"(?:progression|progressive\s+(?:(?:osseous|bony|skeletal|metastatic)\s+)?disease|(?-i:PD))\b",
    re.I,
)


def current_pattern(m: dict[str, Any], pattern: str, text: str) -> str:
    """m's lesion pattern as its clause says the lesion looks now (labels.md lesion_pattern)."""
    found = _PATTERN_NOW.match(text, m["end"], m["clause"]["end"])
    return _PATTERN_OF_WORD[found.group("now").lower()] if found else pattern


# "no other metastatic disease", "without any other metastatic": the organ beside it is another finding's.
OTHER_BEFORE = re.compile(r"\bother\s+(?:(?:sites?|areas?|evidence|signs?)\s+of\s+)?$", re.I)


def bare_lesion(n: dict[str, Any]) -> bool:
    """A bare "sclerosis" or "lucency" (a lesion only at a bone site, and explained by a fracture beside it). A
    malignancy that needs a bone site ("tumour infiltration", "myelomatous infiltration") is never a fracture's own
    look: it can be its cause ("partially collapsed from tumour infiltration"; session 33, w77_15)."""
    meta = n.get("meta") or {}
    return bool(meta.get("needs_bone")) and not meta.get("destructive") and n["concept"] != "malignancy"


# An M stage read for its site (docs/labels.md section 4, session 18). A parenthesis right after it names the site
# ("M1b (single adrenal metastasis)", "M1 (lung)"); in prostate cancer the AJCC substages are sites (M1a
# non-regional nodes, M1b bone, M1c other organs), which other cancers' letters are not (lung M1b: one
# extrathoracic metastasis anywhere).
_TNM_SUBSTAGE = re.compile(r"M1([a-c])?,?$")
_TNM_PARENTHESIS = re.compile(r"[ \t]*\(([^()\n]{1,80})\)")
_PROSTATE = re.compile(r"prostat|\bpsa\b|\bpsma\b|gleason|\bm?crpc\b|\bm?[hc]spc\b", re.IGNORECASE)


# A staging form's or registry abstract's heading that names distant metastasis and lists the sites under it, one a
# line ("Sites of distant metastasis at diagnosis:" then "  Bone: Yes", "  Liver: No"): the bone line answers for
# bone (docs/labels.md section 5, session 22). The site lines run to the first line that is not "site: answer".
_HEADING_END = re.compile(r"[^\n:]{0,40}:[ \t]*\r?\n")
_SITE_LINE = re.compile(r"[ \t]*(?:[-*\u2022][ \t]*)?([A-Za-z][A-Za-z ()/,-]{0,40}?)[ \t]*(?::|\t)[ \t]*([^\n]*)\n?")
_BONE_SITE = re.compile(r"(?:bones?|osseous|skeletal|skeleton|bone(?: ?/ ?| and )?marrow)\b", re.IGNORECASE)
_SITE_YES = re.compile(r"(?:yes|y|present|positive|involved)(?![\w/])", re.IGNORECASE)
_SITE_NO = re.compile(r"(?:no|n|none|absent|negative|not involved)(?![\w/])", re.IGNORECASE)
_SITE_LINES = 12  # a form lists a handful of sites


def heading_site_answer(m: dict[str, Any], text: str) -> str | None:
    """For a metastasis mention that ends a heading line, what its bone site line answers: "present", "absent",
    or "" (no bone line, or one left blank, "N/A", "unknown"); None when the mention heads no such list."""
    head = _HEADING_END.match(text, m["end"])
    if head is None:
        return None
    pos = head.end()
    for _ in range(_SITE_LINES):
        line = _SITE_LINE.match(text, pos)
        if line is None or line.end() == pos:
            break
        if _BONE_SITE.fullmatch(line.group(1).strip()):
            value = line.group(2).strip()
            return "present" if _SITE_YES.match(value) else "absent" if _SITE_NO.match(value) else ""
        pos = line.end()
    return ""


def bone_denied_by_name(mentions: list[dict[str, Any]]) -> bool:
    """Whether the report denies bone metastasis where it names bone ("No bone metastases.", "No osseous
    metastases."): a TNM M1 stage with no site says the cancer has spread, not where, so such a denial says it is
    not in bone (session 34). Asked only for an affirmed M1 stage with no site, a few a report at most."""
    return any(
        n["assertion"] == "absent" and n["counts"] and (
            n["concept"] == "bone_metastasis"
            or (n["concept"] == "metastasis" and not (n.get("meta") or {}).get("tnm") and has_bone(n)))
        for n in mentions
    )


def tnm_site(m: dict[str, Any], text: str) -> str | None:
    """Where an affirmed M1 stage puts its metastasis: "bone", "elsewhere" (an organ or nodes, no bone), or None
    (no site named: M1 with no site). The text is read only for a TNM mention, a few a report at most."""
    paren = _TNM_PARENTHESIS.match(text, m["end"])
    if paren:
        inside = [loc for loc in m.get("locations") or () if paren.start(1) <= loc["start"] < paren.end(1)]
        if any(loc["kind"] == "bone" or loc.get("region") == "spine" for loc in inside):
            return "bone"
        if any(loc["kind"] in ("organ", "region") for loc in inside):
            return "elsewhere"
    sub = _TNM_SUBSTAGE.search(m["text"])
    if sub and sub.group(1) in ("a", "b") and _PROSTATE.search(text):
        return "bone" if sub.group(1) == "b" else "elsewhere"
    return None
