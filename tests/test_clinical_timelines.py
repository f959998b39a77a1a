"""Clinical notes told over time (session 35, wave 81): a note's study line with only its bracket or a reviewer's
remark, a multidisciplinary meeting's outcome, a radiotherapy summary's course, "no new collapse" under known
metastases, an operation's sac "compressed", a letter's plain words and its advice, a normal canal on a note's
spine-study line (docs/labels.md sections 2, 3 and 4)."""

from __future__ import annotations

from typing import Any

from reportnlp.run.extractor import Extractor


def record(extractor: Extractor, text: str) -> dict[str, Any]:
    out = extractor.record_for_text("t", text)
    assert out["status"] == "ok"
    return out


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    return record(extractor, text)["labels"]


# --- a note's study line --------------------------------------------------------------------------------------

def test_a_study_line_with_its_date_bracket_and_personally_reviewed_is_a_result(extractor: Extractor) -> None:
    text = ("SPINE CLINIC NOTE\nHistory: leg pain on walking.\nExam: normal gait, full strength.\n\n"
            "MRI lumbar spine (11/18/2026), personally reviewed: broad L4-5 disc bulge with facet hypertrophy.\n\n"
            "Assessment: L4-5 stenosis.\nPlan: decompression discussed.\n")
    degenerative = labels(extractor, text)["degenerative"]
    assert degenerative["disc_bulge"] == "present"
    assert degenerative["facet_arthropathy"] == "present"


def test_a_planning_ct_with_only_its_bracket_is_a_result(extractor: Extractor) -> None:
    text = ("RADIATION ONCOLOGY ON-TREATMENT VISIT\nSubjective: pain flare after fraction 1.\n"
            "Planning CT (CT simulation 11/24/2026) reviewed: lytic destruction of the L4 body, no fracture.\n"
            "Assessment: tolerating treatment.\nPlan: complete the course.\n")
    out = labels(extractor, text)
    assert out["lesion_pattern"] == ["lytic"]
    assert out["modalities"] == ["CT"]


def test_a_long_bracket_after_a_bare_modality_stays_the_history(extractor: Extractor) -> None:
    # the near miss: a bracket of the writer's own words is an aside, no study label
    text = ("HPI: back pain.\nCT (outside films that the patient brought on a disc today): lytic lesion in L4.\n"
            "Plan: review.\n")
    assert labels(extractor, text)["lesion_pattern"] == []


# --- a multidisciplinary meeting --------------------------------------------------------------------------------

def test_a_multidisciplinary_meeting_title_makes_a_clinical_note(extractor: Extractor) -> None:
    text = ("LUNG CANCER MULTIDISCIPLINARY MEETING\nReferral: right upper lobe mass on chest x-ray.\n"
            "Imaging reviewed at MDT:\nPET/CT 11/25/2026: avid right upper lobe mass. No FDG-avid osseous lesions.\n"
            "Outcome: for radiosurgery and systemic therapy.\n")
    out = record(extractor, text)
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["modalities"] == ["PET"]  # the referral's chest x-ray was not done for this meeting
    assert out["labels"]["bone_metastasis"] == "absent"


def test_a_study_done_for_a_meeting_stays_a_radiology_report(extractor: Extractor) -> None:
    text = "MRI THORACIC SPINE FOR MDT REVIEW\nFindings: Lytic lesion in T9.\n"
    assert record(extractor, text)["document"]["type"] == "radiology_report"


# --- a radiotherapy summary -------------------------------------------------------------------------------------

def test_a_radiotherapy_summary_s_course_completed_counts(extractor: Extractor) -> None:
    text = ("RADIATION TREATMENT SUMMARY\nPrior radiotherapy: 20 Gy in 5 fractions to C7-T2, 2024.\n"
            "Course completed:\n1. Right 6th rib metastasis: 8 Gy in 1 fx.\nCT simulation 11/03/2026.\n"
            "Follow-up: 6 weeks.\n")
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "present"
    assert out["modalities"] == ["CT"]
    assert out["fracture"] == "not_mentioned"  # "1 fx" counts a fraction


def test_a_prior_radiotherapy_list_stays_the_past(extractor: Extractor) -> None:
    text = ("RADIATION TREATMENT SUMMARY\nPrior radiotherapy: 8 Gy in 1 fx to a right 6th rib metastasis, 2024.\n"
            "Follow-up: 6 weeks.\n")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


# --- collapse and the sac -------------------------------------------------------------------------------------

def test_no_new_collapse_under_known_spinal_metastases_denies_a_fracture(extractor: Extractor) -> None:
    text = "ED NOTE\nHPI: back pain.\nResults:\nXR thoracic spine: Known sclerotic metastases of T6 to T9. No new collapse.\n"
    assert labels(extractor, text)["fracture"] == "absent"


def test_no_new_collapse_of_a_lung_names_no_fracture(extractor: Extractor) -> None:
    # the near miss: with no vertebral lesion beside it the collapse is a lung's
    text = "CHEST RADIOGRAPH\nFINDINGS: Right lower lobe opacity. No new collapse.\n"
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_an_operation_s_compressed_thecal_sac_is_narrowed(extractor: Extractor) -> None:
    text = ("OPERATIVE NOTE\nPOSTOPERATIVE DIAGNOSIS: L3 pathologic fracture.\n"
            "FINDINGS: Retropulsed bone and tumour compressed the thecal sac ventrally.\n")
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_compressed_epidural_fat_is_no_narrowed_sac(extractor: Extractor) -> None:
    text = ("OPERATIVE NOTE\nPOSTOPERATIVE DIAGNOSIS: L3 pathologic fracture.\n"
            "FINDINGS: Retropulsed bone compressed the ventral epidural fat only.\n")
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"


# --- a letter's plain words ---------------------------------------------------------------------------------------

def test_a_letter_s_cancer_spread_to_two_bones_and_no_break_in_either(extractor: Extractor) -> None:
    text = ("Dear Mrs Hill,\nYour scan shows that the breast cancer has spread to two bones in your lower back. "
            "There is no break in either bone.\nWith best wishes,\n")
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "present"
    assert out["fracture"] == "absent"


def test_a_break_in_treatment_is_no_fracture(extractor: Extractor) -> None:
    text = "Dear Mrs Hill,\nWe agreed on a break in either treatment over Christmas.\nWith best wishes,\n"
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_the_warning_symptoms_of_cord_compression_are_advice(extractor: Extractor) -> None:
    text = ("Dear Dr Okafor,\nWe treated the T11 metastasis today. I have explained the warning symptoms of cord "
            "compression.\nYours sincerely,\n")
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_no_symptoms_of_cord_compression_is_still_read_by_its_cue(extractor: Extractor) -> None:
    # the near miss: a symptom screen denied is left to its cue (labels.md, session 33)
    text = "Dear Dr Okafor,\nHe has no symptoms of cord compression.\nYours sincerely,\n"
    assert labels(extractor, text)["cord_compression"] != "not_mentioned"


# --- a normal canal on a note's spine-study line --------------------------------------------------------------------

def test_a_normal_canal_further_along_a_spine_study_line_denies_stenosis(extractor: Extractor) -> None:
    text = ("EMERGENCY DEPARTMENT NOTE\nHPI: sciatica.\nED course:\nMRI L-spine (21:05): Small L5-S1 disc protrusion. "
            "No compression of the cauda equina. Canal otherwise capacious.\nPlan: analgesia.\n")
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


def test_a_vessel_s_stenosis_after_another_study_on_the_line_is_not_the_spine_s(extractor: Extractor) -> None:
    # the near miss: one exported paragraph names a spine study and then a neck CTA; the vessel's stenosis after the
    # CTA is no spinal stenosis
    record_ = record(extractor, (
        "HISTORY OF PRESENT ILLNESS: Dizziness.,IMPRESSION: An x-ray of the lumbar spine showed mild spondylosis.  An "
        "MRI of the brain was normal.  A CTA of the neck showed a slightly dominant right vertebral artery with no "
        "stenosis.,PLAN: Neurology review.\n"
    ))
    assert record_["labels"]["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_a_normal_canal_on_a_line_with_no_spine_study_stays_unread(extractor: Extractor) -> None:
    # the near miss: a head CT's line names no spine study, so a bare canal word there is no spine finding
    text = ("EMERGENCY DEPARTMENT NOTE\nHPI: fall.\nED course:\nCT head: No haemorrhage. No fracture. "
            "Canal otherwise capacious.\nPlan: home.\n")
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"


# --- a vertebra named by its spelled ordinal ----------------------------------------------------------------------

def _levels(out: dict[str, Any]) -> list[str]:
    return sorted({level for m in out["mentions"] for loc in m["locations"] for level in loc.get("levels") or ()})


def test_spelled_ordinal_vertebrae_are_their_levels(extractor: Extractor) -> None:
    text = ("Dear Mrs Hill,\nThe cancer has spread to two bones in your lower back, the second and fourth lumbar "
            "vertebrae.\nWith best wishes,\n")
    assert _levels(record(extractor, text)) == ["L2", "L4"]


def test_the_twelfth_thoracic_vertebral_body_is_t12(extractor: Extractor) -> None:
    text = "FINDINGS: Compression fracture of the twelfth thoracic vertebral body.\n"
    assert _levels(record(extractor, text)) == ["T12"]


def test_a_fourth_lumbar_puncture_names_no_level(extractor: Extractor) -> None:
    # the near miss: an ordinal before "lumbar" that names no vertebra
    text = "HPI: headache after her fourth lumbar puncture; no fracture.\nPlan: blood patch.\n"
    assert _levels(record(extractor, text)) == []


# --- a cord at risk -----------------------------------------------------------------------------------------------

def test_threatened_cord_compression_has_not_happened(extractor: Extractor) -> None:
    text = "ONCOLOGY CLINIC NOTE\nHPI: back pain.\nAssessment: T9 metastasis with threatened spinal cord compression.\n"
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_threat_in_another_sentence_leaves_the_compression(extractor: Extractor) -> None:
    # the near miss: "threatened" reaches three words on in its own sentence only
    text = "FINDINGS: Epidural tumour at T9 compresses the cord. The patient threatened to leave.\n"
    assert labels(extractor, text)["cord_compression"] == "present"


# --- the oncologist's "osseous disease" ------------------------------------------------------------------------------

def test_no_osseous_disease_on_staging_denies_bone_metastasis(extractor: Extractor) -> None:
    text = ("TUMOR BOARD SUMMARY\nImaging: PET/CT: avid left adrenal metastasis, no osseous disease.\n"
            "Recommendation: SBRT to the adrenal.\n")
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_no_metabolic_bone_disease_names_no_metastasis(extractor: Extractor) -> None:
    text = "CHEST 2 VIEWS\nFINDINGS: Clear lungs. No metabolic bone disease.\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


# --- the syndrome's name is no site --------------------------------------------------------------------------------

def test_cauda_equina_syndrome_due_to_a_level_s_metastasis_keeps_the_metastasis(extractor: Extractor) -> None:
    text = "DISCHARGE SUMMARY\nDischarge diagnoses:\n1. Cauda equina syndrome due to an L3 metastasis.\n"
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "present"
    assert out["cord_compression"] == "not_mentioned"  # the syndrome names no compression (labels.md section 4)


def test_a_metastasis_compressing_the_cauda_equina_is_still_at_its_level(extractor: Extractor) -> None:
    # the near miss: the nerve roots themselves are still a site beside the compression they suffer
    text = "MRI L-SPINE\nFINDINGS: L3 metastasis with epidural tumour compressing the cauda equina.\n"
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["cord_compression"]) == ("present", "present")
