"""What a fracture mention gives (``fracture_contribution``): fracture, and pathologic_fracture from the cause
``pathologic_links.py`` linked (with a possible bone metastasis for the lesion beneath a pathologic fracture,
unless that lesion is explained as benign: "pathologic fracture through a bone cyst"), or nothing with the note
saying why (a note's past fracture, a bare "no collapse" of a lung, a vertebral shape or rib deformity that is no
fracture, a fracture withdrawn). Also an osteonecrosis told with its collapse (``collapse_beside``)."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.benign_explanations import cause_read_benign
from reportnlp.records.labels.causes import NOT_A_FRACTURE, NOT_AN_INJURY, PAST_INJURY, shape_only
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.modalities import study_performed
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.past_events import NOTE_DATED_EVENT, note_dated_event, note_past_fracture
from reportnlp.records.labels.sites import affirmed, kinds_of, own_locations, sites_of, span_of, spine_site
from reportnlp.records.labels.vocabulary import FRACTURE_WITHDRAWN, MALIGNANT
from reportnlp.records.labels.withdrawals import withdrawn

# The lesion a pathologic fracture goes through, by the fracture's status: a possible bone metastasis.
_LESION_BENEATH = {"present": {"bone_metastasis": "possible"}, "possible": {"bone_metastasis": "possible"}}
# A pathologic fracture that points back to a lesion by a pronoun ("...typical enchondroma; pathological fracture
# through it"): the lesion is one named before it in its sentence.
_THROUGH_IT = re.compile(r"\bthrough\s+(?:it|this|which)\b", re.I)
# ... or through a benign lesion named right after it ("pathological fracture through a simple bone cyst"), or
# through "the cyst" / "the defect" that the sentence before explains as benign (session 27).
_THROUGH_NAMED = re.compile(r"[ \t]+(?:of[ \t]+[\w -]{1,30}?[ \t]+)?through[ \t]+(?:an?|the)[ \t]+(?:[\w()-]+[ \t]+){0,3}", re.I)
_THROUGH_THE_CYST = re.compile(r"\bthrough\s+the\s+(?:\w+\s+)?(?:cyst|defect)\b", re.I)
# Words of a lung finding: a sentence holding one speaks of a lung's or lobe's collapse, not a vertebra's.
_LUNG_WORDS = re.compile(
    r"\b(?:lungs?|lob(?:e|es|ar)|consolidation|atelecta\w*|effusions?|pneumothorax|airspace|segmental)\b", re.I
)
# Osteonecrosis told with its collapse right after it ("AVN with collapse", "osteonecrosis of the left femoral head
# with early collapse") or given as the cause of a collapse right before it ("collapse due to avascular necrosis").
_COLLAPSE_AFTER_NECROSIS = re.compile(
    r"(?:\s+of\s+(?:the\s+)?(?:(?:left|right|l|r)\s+)?(?:femoral|humeral)\s+heads?)?(?:\s*\([^()\n]{0,30}\))?,?"
    r"\s+with\s+(?:(?:early|mild|subtle|partial|segmental|minimal)\s+)?collapse\b", re.I)
_COLLAPSE_BEFORE_NECROSIS = re.compile(r"\bcollapse\s+(?:due|secondary|related)\s+to\s+(?:the\s+)?$", re.I)


def collapse_beside(m: dict[str, Any], text: str) -> bool:
    """m (an osteonecrosis) comes with its collapse in its clause (_COLLAPSE_AFTER_NECROSIS, _BEFORE_)."""
    lo, hi = span_of(m, "clause")
    return (_COLLAPSE_AFTER_NECROSIS.match(text, m["end"], hi) is not None
            or _COLLAPSE_BEFORE_NECROSIS.search(text, max(lo, m["start"] - 40), m["start"]) is not None)


def fracture_contribution(rules: LabelRules, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
    a = m["assertion"]
    if a == "present" and note_past_fracture(m, nearby.text, exam):
        m["assertion"] = "historical"
        m["note"] = "a clinical note's previous or prior fracture outside its findings: the patient's past event"
        return {}
    if a == "present" and note_dated_event(m, nearby, exam):
        m["assertion"] = "historical"
        m["note"] = NOTE_DATED_EVENT
        return {}
    if (m.get("meta") or {}).get("bare_collapse"):
        if _beside_osteonecrosis(rules, m, nearby):  # "Right femoral head AVN, ARCO II, without collapse."
            return {"fracture": a}
        if not _vertebra_with_lesion(rules, m, nearby):  # "Left upper lobe opacity. No collapse.": a lung's
            m["note"] = "a bare 'no collapse' with no vertebral lesion in its sentence (or the one before): not a vertebra's"
            return {}
        return {"fracture": a}  # it names no fracture word: the collapse denied says nothing of a cause
    if (m.get("meta") or {}).get("radiograph_only") and not exam.bone_only and not nearby.once(
        ("radiograph",), lambda: any(
            n["concept"] == "modality" and n["meta"].get("modality") in ("XR", "CT") and study_performed(n) for n in nearby.all
        )
    ):  # "NBI" is no bony injury on a radiograph, a CT or a bone exam; in an endoscopy note it is narrow-band imaging
        m["note"] = "a trauma imaging shorthand in a report of no radiograph, CT or bone exam"
        return {}
    if withdrawn(rules, m, nearby):
        # "Fracture of the left 6th rib." ... "ADDENDUM: the 6th rib finding is calcification, not a fracture."
        m["note"] = FRACTURE_WITHDRAWN
        return {}
    clause = span_of(m, "clause")
    if shape_only(m) and nearby.once(("no fracture cause", *clause), lambda: bool(NOT_A_FRACTURE.search(nearby.text, *clause))):
        # "Mild anterior wedging of T7, likely developmental": the shape with a cause that is no fracture
        m["note"] = "a vertebral shape its clause explains as no fracture (developmental, Scheuermann, normal variant)"
        return {}
    if (m.get("meta") or {}).get("bone_deformity") and not _past_injury(m, nearby):
        # "Right 7th and 8th rib deformities", "rib deformity from scoliosis": a rib shape with no past injury named
        m["note"] = "a rib or clavicle deformity its sentence does not tie to a past injury: no fracture"
        return {}
    # A pathologic fracture goes through a lesion: with no tumor named it is at least a possible one,
    # unless its clause explains the lesion as benign ("pathologic fracture through a bone cyst").
    alternative = m.get("pathologic_alternative")  # "benign or pathologic": the benign word is no explanation
    beneath = {} if nearby.clause_counts(m, rules.group)["group:benign"] and not alternative else _LESION_BENEATH
    if beneath and not alternative and _through_benign_before(rules, m, nearby):
        beneath = {}  # "Expansile lesion ..., most consistent with an enchondroma. A pathologic fracture through the lesion."
    cause = m.get("pathologic_cause")
    if (beneath and not alternative and cause is not None
            and nearby.clause_counts(nearby.by_id(cause), rules.group)["group:benign"]):
        # "Fracture of the humeral shaft. It passes through an expansile lesion, in keeping with fibrous dysplasia.":
        # the lesion that makes it pathologic is explained as benign where it is named (session 16)
        beneath = {}
    if beneath and not alternative and cause is not None and cause_read_benign(rules, nearby.by_id(cause), nearby):
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
    if a in ("present", "possible") and m["concept"] == "fracture" and _collapsing_lesion(rules, m, nearby):
        m["note"] = "a collapse its clause or the next sentence puts down to a histiocytosis: pathologic, no tumor beneath"
        return {"pathologic_fracture": a, "fracture": a}
    return {"fracture": a}


def _past_injury(m: dict[str, Any], nearby: Neighbours) -> bool:
    """A rib or clavicle deformity is the shape a healed fracture leaves only where its sentence names a past
    injury ("old", "healed", "remote", "posttraumatic", "age-indeterminate") and no other cause (scoliosis,
    surgery, pectus)."""
    sentence = span_of(m, "sentence")
    return nearby.once(("past injury", *sentence), lambda: bool(
        PAST_INJURY.search(nearby.text, *sentence) and not NOT_AN_INJURY.search(nearby.text, *sentence)))


def _vertebra_with_lesion(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A bare "no collapse" speaks of a vertebra when a bone lesion at a spine level stands in its sentence
    and its own sites are the spine's, or, with no site of its own, in the sentence right before (session 20)."""
    def lesion_at_spine(members: list[dict[str, Any]]) -> bool:
        return any(rules.group(n) == "bone_lesion" and spine_site(n) for n in members if n is not m)

    if "organ" in kinds_of(m) or nearby.found_in(m, "sentence", _LUNG_WORDS):
        return False  # "No collapse or consolidation.", "lobar collapse": the lung's
    own = own_locations(m)
    if spine_site({"locations": own}):
        return lesion_at_spine(nearby.sentence_members(m))
    return not own and lesion_at_spine(nearby.previous_sentence(m))


def _beside_osteonecrosis(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A bare "no collapse" speaks of an osteonecrosis its sentence names, or, when it names no site of its own,
    the sentence right before ("... in keeping with avascular necrosis. No collapse."; session 28)."""
    def necrosis(members: list[dict[str, Any]]) -> bool:
        return any((n.get("meta") or {}).get("collapses") and n is not m for n in members)

    if "organ" in kinds_of(m) or nearby.found_in(m, "sentence", _LUNG_WORDS):
        return False
    return necrosis(nearby.sentence_members(m)) or (not own_locations(m) and necrosis(nearby.previous_sentence(m)))


def _collapsing_lesion(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A fracture whose clause, or the next sentence, affirms a lesion that collapses the bone it is in with no
    tumor (``fracture_cause`` in targets.json: Langerhans cell histiocytosis): "C2 vertebra plana due to LCH",
    "T9 vertebra plana. Appearances are typical of Langerhans cell histiocytosis." (session 28)."""
    def cause(members: list[dict[str, Any]]) -> bool:
        return any((n.get("meta") or {}).get("fracture_cause") and n["counts"] and n["assertion"] == "present"
                   for n in members)

    if cause(nearby.clause_members(m)):
        return True
    following = nearby.next_sentence(m)
    return bool(following) and cause(following) and not any(rules.group(n) == "fracture" for n in following)


def _through_benign_before(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A pathologic fracture m goes through a lesion its clause names with no tumor ("through the lesion", "through
    it") that the sentence right before explains as benign, with no tumor there either, and m names no other site."""
    own = nearby.clause_counts(m, rules.group)
    if own["malignant:present"] or own["malignant:possible"]:
        return False
    if not own["group:bone_lesion"]:
        if _through_named_benign(rules, m, nearby):
            return True
        clause = span_of(m, "clause")
        if not _THROUGH_THE_CYST.search(nearby.text, *clause):
            if _through_it_benign(rules, m, nearby):
                return True
            if _THROUGH_IT.search(nearby.text, *clause) is None:
                return False
            # "... typical of an enchondroma. Undisplaced pathological fracture through it.": the lesion "it"
            # points to is the one the sentence before explains as benign (session 28)
    before = nearby.previous_sentence_counts(m, rules.group)
    if not before["group:benign"] or before["malignant:present"] or before["malignant:possible"]:
        return False
    sites = sites_of(m)  # (the benign sites of the sentence before, gathered once per sentence: session 24)
    return not sites or bool(sites & nearby.once(("benign sites before", *span_of(m, "sentence")), lambda: set().union(
        *(sites_of(n) for n in nearby.previous_sentence(m) if rules.group(n) == "benign"))))


def _through_named_benign(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A pathologic fracture m "through" a benign lesion its clause names right after it, with no tumor in
    that clause: "Pathological fracture through a simple bone cyst of the proximal humerus" (session 27)."""
    clause = span_of(m, "clause")
    return any(
        rules.group(n) == "benign" and n["counts"] and affirmed(n) and n["start"] >= m["end"]
        and _THROUGH_NAMED.fullmatch(nearby.text, m["end"], n["start"]) is not None
        for n in nearby.sentence_members(m) if n["end"] <= clause[1]
    )


def _through_it_benign(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A pathologic fracture m "through it" (or "this", "which") whose sentence, before m, names a lesion it
    explains as benign and no tumor: "lucent expansile lesion ..., typical enchondroma; undisplaced
    pathological fracture through it" (session 21)."""
    clause = span_of(m, "clause")
    if not nearby.once(("through it", *clause), lambda: _THROUGH_IT.search(nearby.text, *clause) is not None):
        return False  # (once a clause: a clause of thousands of fractures is read once, not once a fracture)

    def benign_before() -> bool:
        before = [n for n in nearby.sentence_members(m) if n["end"] <= clause[0] and n["counts"] and affirmed(n)]
        return any(rules.group(n) == "benign" for n in before) and not any(n["concept"] in MALIGNANT for n in before)

    return bool(nearby.once(("benign before", *clause), benign_before))  # (once a clause, as above: session 24)
