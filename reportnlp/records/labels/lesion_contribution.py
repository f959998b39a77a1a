"""What a bone-lesion mention gives (``bone_lesion_contribution``): bone_metastasis present, possible or absent, or
nothing with the note saying why (a metastasis of an organ, a TNM stage of another site, a pathology report's
specimen or organ part, no bone site named, a lesion explained as benign (``benign_explanations.py``) or corrected
(``lesion_corrections.py``) ...)."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.benign_explanations import explained
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.lesion_corrections import corrected
from reportnlp.records.labels.lesions import (
    CALLED_PROGRESSION,
    OTHER_BEFORE,
    bone_denied_by_name,
    bone_sampled_before,
    called_underlying,
    heading_site_answer,
    line_label_names_bone,
    tnm_site,
)
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import has_bone, kinds_of, segment_only, soft_region, span_of
from reportnlp.records.labels.vocabulary import CORRECTED, MALIGNANT, NEEDS_BONE_SITE, OPERATIVE_SECTIONS

# A primary bone sarcoma called extraskeletal or extraosseous ("extraskeletal myxoid chondrosarcoma") is of soft tissue.
_EXTRASKELETAL = re.compile(r"\bextra[- ]?(?:skeletal|osseous)\s+(?:\w+\s+)?$", re.I)
# The rule of a tumour come back where it was treated ("local recurrence", "in-field relapse"): with no site of its
# own, in a report that names a primary bone tumour at its bone, it is at that bone (session 28).
TREATED_SITE_RECURRENCE = "malig_in_field_recurrence"


def bone_lesion_contribution(rules: LabelRules, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
    meta = m.get("meta") or {}
    a, concept, kinds = m["assertion"], m["concept"], kinds_of(m)
    if concept == "blastic_lesion" and meta.get("needs_bone") and nearby.sentence_counts(
        m, rules.group
    )["concept:disc_degeneration"]:  # "disc space narrowing, sclerosis and osteophytes": the sclerosis is of the endplates
        m["note"] = "sclerosis listed with disc degeneration is endplate sclerosis"
        return {"degenerative.endplate_changes": a}
    bone, organ = has_bone(m), "organ" in kinds
    if concept in MALIGNANT and a != "absent" and corrected(rules, m, nearby):
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
        if a != "absent" and site is None and "bone" not in kinds and bone_denied_by_name(nearby.all):
            # "cT2b N2 M1c" ... "No bone metastases.": spread elsewhere, also beside a bone scan (session 34)
            m["note"] = "a TNM M stage with no site, beside a denial of bone metastasis by name"
            return {}
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
        organ = organ or soft_region(m)
        if organ and not bone and a == "absent" and OTHER_BEFORE.search(nearby.text, max(0, m["start"] - 25), m["start"]):
            # "a mass in the lung without any other metastatic disease": the organ is the other finding's
            return {"bone_metastasis": "absent"}
        if organ and not bone:
            m["note"] = "metastasis tied to a non-bone organ"
            return {}
        if not bone and a != "absent" and not exam.bone_only and nearby.previous_organ_finding(m, rules.group):
            # "The midbrain lesion is most likely a cavernoma. Metastatic lesions could also enhance."
            m["note"] = "no site of its own: it continues the sentence before, about a finding in an organ"
            return {}
        if not bone and a != "absent" and not exam.bone_only and nearby.reads_organ_lesion(m, rules.group):
            # "Three enhancing lesions: 9 mm in the right frontal lobe, ..., consistent with metastases." (session 34)
            m["note"] = "no site of its own: it reads its sentence's lesions, found in an organ"
            return {}
        if not bone and a != "absent" and not exam.bone_only and m["section"] in OPERATIVE_SECTIONS:
            m["note"] = "an operative account's metastasis with no bone named is the tumor it removed"
            return {}
        if bone or a == "absent" or exam.bone_only:
            return {"bone_metastasis": a}
        m["note"] = "no site named and the exam is not bone-only: counts as possible"
        return {"bone_metastasis": "possible"}
    if concept == "lesion" and bone and not exam.bone_only and segment_only(m):
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
        bone = (called_underlying(nearby.text, m) and nearby.once(
            ("bone_in_sentence", *span_of(m, "sentence")), lambda: any(has_bone(n) for n in nearby.sentence_members(m))
            or any(has_bone(n) for n in nearby.previous_sentence(m) or nearby.past_quiet_sentence(m, -1))
        )) or line_label_names_bone(nearby.text, m["start"]) or (
            concept == "malignancy" and bone_sampled_before(nearby.text, m["start"])
        ) or (meta.get("points_back") and not nearby.text[m["sentence"]["start"] : m["start"]].strip()
              and any(has_bone(n) for n in nearby.previous_sentence(m))  # "It is not cancer" opening its sentence
        ) or (m["rule"] == TREATED_SITE_RECURRENCE and nearby.once(("primary bone tumour",), lambda: any(
            (n.get("meta") or {}).get("primary_bone") and has_bone(n) for n in nearby.all)))
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
    counts = nearby.clause_counts(m, rules.group)
    if m["section"] in OPERATIVE_SECTIONS and not (counts["malignant:present"] or counts["malignant:possible"]):
        # "the head of the phalanx was found to be lytic and crumbly": the surgeon's account of the bone
        # in hand, which the operation's diagnosis names; it is no unexplained lesion of its own.
        m["note"] = "a lesion word in an operative account with no tumor in its clause: its pattern only"
        m["pattern_only"] = True
        return {}
    why = explained(rules, m, nearby)
    if why:
        m["note"] = why
        return {}
    if corrected(rules, m, nearby):  # the reader's last word on the lesion itself (session 17)
        m["note"] = CORRECTED
        return {}
    if counts["malignant:present"] or counts["malignant:possible"]:
        return {"bone_metastasis": "present" if counts["malignant:present"] else "possible"}
    if a == "present" and CALLED_PROGRESSION.match(nearby.text, m["end"], m["sentence"]["end"]):
        # "New lytic lesion in the sacrum: progression.": the lesion is called the cancer's progression
        m["note"] = "a lesion its sentence calls (disease) progression: the known malignancy, spread to bone"
        return {"bone_metastasis": "present"}
    return {"bone_metastasis": "possible"}
