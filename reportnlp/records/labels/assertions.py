"""The assertions re-read across mentions before any mention contributes (run by ``LabelDecider.decide`` in this
order): a malignant reading posed as the alternative to a benign one is possible (``hedge_benign_alternatives``), a
herniation posed as the alternative to a bulge of its disc is possible (``hedge_herniation_beside_bulge``), two
malignant readings (or two kinds of one herniation) joined by "versus" are present (``affirm_malignant_alternatives``),
what a past year's study showed is historical (``date_past_study_findings``), and the items of a consent's risk list
are hypothetical (``risk_listed``)."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.dated_lines import on_lines, past_lines
from reportnlp.records.labels.causes import ALTERNATIVE_NEXT, ALTERNATIVE_THEN, OTHER_LINK, VERSUS_CUE
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.modalities import PAST_STUDY_SHOWED, PAST_YEAR_FRAMES, dated_before_note
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import span_of
from reportnlp.records.labels.vocabulary import COUNTING, MALIGNANT, PAST_STUDY_FINDING
from reportnlp.records.line_starts import LineStarts

# What may stand between two alternatives and their "versus": spaces, an article, a count word.
_ALTERNATIVE_GAP = re.compile(r"\s*(?:(?:an?|the|solitary|single|multiple)\s+)?")
# Concepts whose kinds a "versus" may pose against each other with the finding itself certain: a protrusion versus an
# extrusion is a disc herniation either way (affirm_malignant_alternatives; session 32).
_ONE_KIND = frozenset({"disc_herniation"})
# the words a disc herniation's kind may carry between "versus" and the other kind ("vs. small left foraminal extrusion")
_KIND_GAP = re.compile(
    r"\s*(?:(?:an?|the|small|tiny|large|broad(?:-based)?|focal|shallow|left|right|central|paracentral|subarticular"
    r"|foraminal|extraforaminal|far|lateral|posterior|disc)\s+){0,4}", re.I)
# A bulge and a herniation of one disc joined as alternatives: "or" and up to four describing words ("disc bulge or small
# left paracentral protrusion", "protrusion or bulge").
_BULGE_OR_HERNIATION = frozenset(("disc_bulge", "disc_herniation"))
_OR_BETWEEN = re.compile(r"[ \t]*,?[ \t]+or[ \t]+(?:[\w-]+[ \t]+){0,4}", re.I)


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


# A consent's risk list opening its line with its label ("Risks reviewed: fatigue, nausea; vertebral compression fracture
# (about 10%); rarely paralysis."): each item up to the list's first full stop is what may happen, also past the
# semicolons that end a ConText cue's reach, beyond a frame cue's reach and on the lines the list wraps to (session 28).
_RISK_LABEL = re.compile(
    r"[ \t>*-]*(?:(?:procedure|procedural|potential|specific)[ \t]+)?risks?(?:[ \t]+(?:reviewed|discussed|explained|"
    r"include[sd]?|including))?[ \t]*:", re.I)
_FULL_STOP = re.compile(r"\.(?!\d)")


def hedge_benign_alternatives(rules: LabelRules, nearby: Neighbours, text: str) -> None:
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
            anywhere = any(n["counts"] and n["assertion"] in ("present", "possible") and rules.group(n) == "benign"
                           for n in nearby.all)
        if not anywhere:
            break  # a report with no benign reading asks no sentence for one (each sentence listed its own)
        benign = nearby.once(("benign readings", *span_of(m, "sentence")), lambda m=m: [
            (n["start"], n["end"]) for n in nearby.sentence_members(m)
            if n["counts"] and n["assertion"] in ("present", "possible") and rules.group(n) == "benign"
        ] or ())  # (a sentence with none keeps the one empty tuple, not a list of its own: session 24)
        for start, end in benign:
            if end <= m["start"]:
                joined = ALTERNATIVE_THEN.match(text, end, m["start"])
            elif start >= m["end"]:
                joined = ALTERNATIVE_NEXT.match(text, m["end"], start)
            else:
                continue
            if joined and not OTHER_LINK.search(joined.group(0)):
                m["assertion"] = "possible"
                break


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
                and before["assertion"] == m["assertion"] == "present" and span_of(before, "clause") == span_of(m, "clause")
                and _OR_BETWEEN.fullmatch(text, before["end"], m["start"])):
            herniation = m if m["concept"] == "disc_herniation" else before
            herniation["assertion"] = "possible"
        before = m


def affirm_malignant_alternatives(nearby: Neighbours, text: str) -> None:
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
        cue = next((c for c in m["cues"] if c["decided"] and VERSUS_CUE.search(c["rule"])), None)
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


def date_past_study_findings(nearby: Neighbours, text: str) -> None:
    """What a study of a past year showed is the patient's history ("In 1998 an MRI showed a small L4-L5
    disc herniation" in a note that names a later year, "an MRI two years ago showed ..."): a finding after
    the study's "showed" in its sentence, with no other study between them, takes the study's dating
    (``dated_before_note``, session 15, or a years-ago frame cue) and is historical (session 16)."""
    # The studies first: nearly every report has no dated one, and then costs no more. No whole-text test
    # for a year first: dated_before_note looks for one only beside the study (a search of the whole text
    # cost about 20 us a public report, the windows about 1).
    past = past_lines(text, (n for n in nearby.all if n["concept"] == "modality"))
    for m in nearby.all if past else ():  # a timeline's line dated a year or more before (session 17)
        if m["concept"] != "modality" and m["assertion"] in COUNTING and m["counts"] and on_lines(m, past):
            m["assertion"] = "historical"
            m["note"] = PAST_STUDY_FINDING
    for n in nearby.all:
        if n["concept"] != "modality" or not (
            any(c["rule"] in PAST_YEAR_FRAMES for c in n["cues"]) or dated_before_note(n, text)
        ):
            continue
        for m in nearby.sentence_members_from(n, n["end"]):  # (not each study reading its sentence from its start)
            if m["start"] < n["end"]:
                continue
            if m["concept"] == "modality":
                break  # a later study: what follows is its finding
            if m["assertion"] in COUNTING and m["counts"] and PAST_STUDY_SHOWED.match(text, n["end"], m["start"]):
                m["assertion"] = "historical"
                m["note"] = PAST_STUDY_FINDING


def risk_listed(mentions: list[dict[str, Any]], text: str, lines: LineStarts) -> None:
    """Make hypothetical each finding a "Risks ...:" label lists, from the label's line to the first full stop."""
    for m in mentions:
        if m["concept"] == "modality" or m["assertion"] not in COUNTING:
            continue
        label = _RISK_LABEL.match(text, lines.of(m["sentence"]["start"]), m["start"])  # (a list wraps its lines)
        if label is not None and _FULL_STOP.search(text, label.end(), m["start"]) is None:
            m["assertion"] = "hypothetical"
            m["note"] = "an item of a consent's risk list: what may happen"
