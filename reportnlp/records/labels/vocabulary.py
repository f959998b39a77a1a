"""The label vocabulary: statuses, label keys, concept sets and the notes a mention can carry (labels.md)."""

from __future__ import annotations

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
# A procedure note's narrative and intra-operative findings (patterns/sections.json "operative").
OPERATIVE_SECTIONS = {"operative"}
# The benign cause that explains only diffuse marrow uptake (patterns/targets.json: "related to chemotherapy").
DIFFUSE_ONLY = ("benign_after_chemotherapy", "benign_post_chemotherapy")
EXPLAINED_BY_FRACTURE = {"bone_uptake", "lesion", "bone_lesion", "blastic_lesion"}


EXPLAINED = "explained as benign in its clause"
PAST_STUDY_FINDING = (
    "what a study dated before the note (an earlier calendar year, or years ago) showed: the patient's past (historical)"
)
CORRECTED = "a later correction or addendum reads its site as benign"
FRACTURE_WITHDRAWN = "a later addendum or correction denies a fracture at its site"
WITHDRAWN = "a later addendum or correction denies it at its site"
