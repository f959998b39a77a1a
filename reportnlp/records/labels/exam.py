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


# A title that names a biopsy
BIOPSY_TITLE = re.compile(r"\b(?:biops(?:y|ies)|bx)\b", re.I)
