"""What the exam is: the ExamContext the decider reads, and a pathology report's specimen line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A pathology report's specimen line, up to 200 characters of it (a specimen is named in a few words), at a
# line start or glued after a comma as in exports that join lines with "," ("...,SPECIMEN: , Lung, left.,").
# A part letter or number before the specimen ("SPECIMEN: A. L3 vertebral body") labels the container: the
# specimen is what follows it, not the letter (session 16).
SPECIMEN_LINE = re.compile(
    r"(?:^|,)[ \t]*(?:\d[.)][ \t]*)?specimens?[ \t]*:[ \t,]*(?:[a-z0-9][.)][ \t]+)?"
    r"(?P<what>(?:[^\n.]|\.(?![,\s]))*)",
    re.I | re.M,
)


# A part of a specimen list under a "SPECIMENS:" header alone on its line ("A. Liver, segment 6, core biopsy",
# "2) Bone, right iliac wing"), one a line: each names a specimen as a specimen line does (session 24).
_SPECIMEN_PART = re.compile(r"[ \t]*(?:[a-z]|\d{1,2})[.)][ \t]+(?P<what>[^\n]*)(?:\n|$)", re.I)


def specimen_spans(text: str) -> list[tuple[int, int]]:
    """Where a pathology report names its specimens: each specimen line's text after its label, or, under a
    label with nothing after it on its line, each lettered or numbered part on the lines below it."""
    spans: list[tuple[int, int]] = []
    for line in SPECIMEN_LINE.finditer(text):
        start, end = line.span("what")
        if text[start:end].strip():
            spans.append((start, end))
            continue
        at = text.find("\n", end) + 1
        while at and (part := _SPECIMEN_PART.match(text, at)) is not None:
            spans.append(part.span("what"))
            at = part.end()
    return spans


@dataclass(frozen=True)
class ExamContext:
    """What the exam images, from its title and technique (labels.md: bone-only exams)."""

    bone_only: bool = False
    spine: bool = False
    pathology: bool = False  # a pathology report: its metastasis is the specimen's (a bone specimen makes it bone_only)
    # a radiology report is about one exam: every CT word beside its PET/CT is that study's CT; a clinical note,
    # letter or summary retells several studies, and a CT it names on its own is one of them (session 18)
    one_study: bool = True
    # a bone biopsy's report (a bone-only title naming a biopsy, "CT GUIDED BIOPSY LEFT SACRUM"): its pathology
    # result's malignancy, named with no bone ("Negative for malignancy."), is the sampled bone's (session 23)
    biopsy: bool = False
    # a pathology report of several parts: the text after each part's diagnosis label that names an organ and no
    # bone ("A. Liver, segment 6, core biopsy: Metastatic adenocarcinoma"): a finding there with no bone of its own
    # is that organ's, not the bone part's (session 24)
    organ_parts: tuple[tuple[int, int], ...] = ()


# A line of a pathology report that opens with a label and its colon ("A. Liver, segment 6, core biopsy: ...",
# "2. Lymph node, left inguinal: ..."): the label names the part of the specimen its line's diagnosis is about.
PART_LABEL = re.compile(r"^[ \t]*(?:(?:[a-z]|\d{1,2})[.)][ \t]*)?(?P<label>[^:\n]{3,120}?)[ \t]*:(?P<rest>[^\n]*)", re.I | re.M)


# A title that names a biopsy
BIOPSY_TITLE = re.compile(r"\b(?:biops(?:y|ies)|bx)\b", re.I)
