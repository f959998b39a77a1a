"""Whole-note shapes the session 16 blind wave (phrasing_wave20) found read wrong: which headers make which
kind of note, and the few readings inside them (labels.md sections 2-4)."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def record(extractor: Extractor, text: str) -> dict[str, Any]:
    out = extractor.record_for_text("t", text)
    assert out["status"] == "ok"
    return out


def test_a_lettered_specimen_line_still_names_its_bone(extractor: Extractor) -> None:
    text = ("SPECIMEN: B. Right iliac crest, needle core.\nGROSS DESCRIPTION: Two red cores.\n"
            "MICROSCOPIC DESCRIPTION: Nests of atypical cells.\nFINAL DIAGNOSIS: Metastatic carcinoma.")
    assert record(extractor, text)["labels"]["bone_metastasis"] == "present"


@pytest.mark.parametrize("header", ["PREOP DX", "Pre-op Dx", "PREOPERATIVE DX"])
def test_a_shortened_preoperative_diagnosis_is_history(extractor: Extractor, header: str) -> None:
    text = (f"{header}: Cord compression at T9.\nPOSTOP DX: Epidural abscess at T9.\n"
            "PROCEDURE: T9 laminectomy.\nFINDINGS: Pus in the dorsal epidural space.")
    out = record(extractor, text)
    assert out["document"]["type"] == "operative_note"
    assert out["labels"]["cord_compression"] == "not_mentioned"


def test_a_shift_hours_after_a_nursing_note_title_leave_it_a_note(extractor: Extractor) -> None:
    text = "NURSING PROGRESS NOTE 1900-0700\nDx: L4 compression fracture.\nSafety: Fall risk, bed alarm on."
    out = record(extractor, text)
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["fracture"] == "present"


@pytest.mark.parametrize("title", ["7P-7A NURSING NOTE", "NURSING NOTE 7a-7p", "NURSING PROGRESS NOTE - 7P-7A",
                                   "7am-7pm Nursing Progress Note"])
def test_a_shift_written_with_am_pm_letters_leaves_a_nursing_title_a_note(extractor: Extractor, title: str) -> None:
    """Session 24: the shift "7P-7A" before or after the kind, as "1900-0700" was (session 16)."""
    out = record(extractor, f"{title}\nDx: L4 compression fracture.\nSafety: Fall risk, bed alarm on.")
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["fracture"] == "present"


def test_a_study_title_with_a_range_of_views_stays_a_radiology_report(extractor: Extractor) -> None:
    out = record(extractor, "XR THORACIC SPINE 2-3 VIEWS\nDx: L4 compression fracture.\nFindings: Normal.")
    assert out["document"]["type"] == "radiology_report"
    assert out["labels"]["fracture"] == "not_mentioned"


def test_an_exam_and_a_plan_make_a_clinical_note(extractor: Extractor) -> None:
    text = ("SPINAL ON-CALL\nHistory: Two days of leg weakness.\nExam: Power 4/5 in both legs.\n"
            "Imaging: MRI tonight shows epidural tumour compressing the cord at T6.\nPlan: Steroids, theatre.")
    out = record(extractor, text)
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["cord_compression"] == "present"


def test_a_query_hedges_a_finding_across_its_modifiers(extractor: Extractor) -> None:
    out = record(extractor, "Impression: Back pain after coughing, ?new wedge fracture.")
    assert out["labels"]["fracture"] == "possible"


def test_no_study_is_needed_names_no_study(extractor: Extractor) -> None:
    out = record(extractor, "CT CHEST\nFINDINGS: Small rib island in the left 4th rib. No MRI is needed.")
    assert out["labels"]["modalities"] == ["CT"]


def test_a_study_sent_to_its_own_report_by_an_aside_after_it_is_not_this_exam(extractor: Extractor) -> None:
    text = ("XR PELVIS 1 VIEW\nFINDINGS: No fracture.\n"
            "ADDENDUM: The CT pelvis from today (see separate report) shows a left sacral fracture.")
    assert record(extractor, text)["labels"]["modalities"] == ["XR"]


def test_a_pathologic_fracture_whose_lesion_is_called_benign_where_named_is_no_metastasis(
    extractor: Extractor,
) -> None:
    text = ("FINDINGS: Transverse fracture of the mid femoral shaft. The fracture runs through a lucent lesion with a "
            "ground-glass matrix, typical of fibrous dysplasia.")
    out = record(extractor, text)["labels"]
    assert (out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "not_mentioned")


def test_a_therapists_discharge_summary_is_a_note_and_its_dx_its_diagnosis(extractor: Extractor) -> None:
    """Session 26 (wave 53): a title line ending in 'DISCHARGE SUMMARY' after the discipline's words."""
    out = record(extractor, "PHYSICAL THERAPY DISCHARGE SUMMARY\nDx: Cervical radiculopathy R C6 due to C5-6 right "
                            "foraminal stenosis.\nSummary of care: traction, HEP.\n")
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["degenerative"]["spinal_stenosis"] == "present"


@pytest.mark.parametrize(("title", "kind"), [
    ("ORTHOPAEDIC CONSULT - TRAUMA UNIT", "clinic_note"),
    ("NEUROSURGERY CONSULTATION - ON CALL", "clinic_note"),
    ("SPINE CLINIC NOTE - OUTREACH", "clinic_note"),
    ("MRI LUMBAR SPINE - ADDENDUM", "radiology_report"),  # the title names a study
])
def test_a_consult_title_with_a_dash_qualifier_is_a_note(extractor: Extractor, title: str, kind: str) -> None:
    """Session 31: the qualifier names the team or the setting; the examination is the patient's."""
    text = (f"{title}\nHistory: 24M, motorbike crash.\nExamination: Open fracture of the left tibia.\n"
            "Plan: theatre.\n")
    out = record(extractor, text)
    assert out["document"]["type"] == kind
    examination = [s["name"] for s in out["sections"] if s["header"] == "Examination"]
    assert examination == (["physical_exam"] if kind == "clinic_note" else ["exam"])
