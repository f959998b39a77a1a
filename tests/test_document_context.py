"""The document and exam context of a report (issue 11 items 2-4, issue 19 item 4): which document
it is, what its exam title is, which studies it describes as performed, and whether its exam images
only bone. Every example is written for this file."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def record(extractor: Extractor, text: str) -> dict[str, Any]:
    rec = extractor.record_for_text("t", text)
    assert rec["status"] == "ok"
    return rec


def modalities(extractor: Extractor, text: str) -> list[str]:
    return list(record(extractor, text)["labels"]["modalities"])


# --- the document --------------------------------------------------------------------------------


def test_the_record_says_what_document_it_is_and_why(extractor: Extractor) -> None:
    rec = record(extractor, "CHIEF COMPLAINT: Neck pain.\nEXAM: Tender neck.\nASSESSMENT: Strain.")
    assert rec["document"] == {"type": "clinic_note", "cue": "CHIEF COMPLAINT"}


def test_a_radiology_report_has_no_cue(extractor: Extractor) -> None:
    rec = record(extractor, "EXAM: CT chest\nFINDINGS: No mass.")
    assert rec["document"] == {"type": "radiology_report", "cue": None}


def test_a_hx_line_under_an_imaging_title_keeps_a_radiology_report(extractor: Extractor) -> None:
    rec = record(extractor, "MRI THORACIC SPINE\nHx: Pain between the shoulders.\nFINDINGS: Small T8-9 disc protrusion.")
    assert rec["document"]["type"] == "radiology_report" and rec["labels"]["modalities"] == ["MRI"]


def test_a_hx_header_with_no_imaging_title_is_still_a_clinic_note(extractor: Extractor) -> None:
    rec = record(extractor, "Hx: Knee pain for two weeks.\nEXAM: Mild effusion.\nPLAN: Rest and ice.")
    assert rec["document"] == {"type": "clinic_note", "cue": "Hx"}


def test_a_physical_exam_is_not_the_exam_title_of_a_clinic_note(extractor: Extractor) -> None:
    rec = record(extractor, "HPI: Back pain.\nMEDICATIONS: Aspirin.\nEXAM: Spine nontender.\nPLAN: Therapy.")
    assert rec["exam"]["title"] == ""


def test_a_medication_list_is_not_the_exam_title(extractor: Extractor) -> None:
    rec = record(extractor, "MEDICATIONS: Ibuprofen.\nFINDINGS: Normal alignment of the spine.")
    assert "Ibuprofen" not in rec["exam"]["title"]


def test_the_history_under_an_h_and_p_header_does_not_count(extractor: Extractor) -> None:
    text = (
        "PREOPERATIVE DIAGNOSIS: Retained hardware, left ankle.\nHISTORY AND PHYSICAL: The boy broke his ankle last year;"
        " an ultrasound showed an effusion. The fracture has healed.\nPROCEDURE: Removal of two screws."
    )
    labels = record(extractor, text)["labels"]
    assert (labels["fracture"], labels["modalities"]) == ("not_mentioned", [])


def test_an_h_and_p_title_makes_the_text_below_it_history(extractor: Extractor) -> None:
    text = "HISTORY AND PHYSICAL\nSeen for a T9 pathologic fracture last month.\nASSESSMENT: Myeloma, stable."
    rec = record(extractor, text)
    assert rec["document"] == {"type": "clinic_note", "cue": "HISTORY AND PHYSICAL"}
    assert rec["labels"]["pathologic_fracture"] == "not_mentioned"


def test_history_of_a_clinic_note_does_not_count(extractor: Extractor) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Known bone metastases.\nASSESSMENT: Back pain."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "not_mentioned"


def test_the_assessment_of_a_clinic_note_counts(extractor: Extractor) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Back pain.\nASSESSMENT: Osseous metastases to the spine."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "present"


# --- exam titles (issue 11 item 3) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "title, expected",
    [
        ("2V FRONTAL/LATERAL chest", ["XR"]),
        ("PA and lateral chest", ["XR"]),
        ("PA lateral chest", ["XR"]),
        ("XR left hand", ["XR"]),
        ("CT ABD/PELVIS W/O", ["CT"]),
        ("Chest x-XXXX", ["XR"]),
        ("RIGHT RIB SERIES", ["XR"]),
        ("RIGHT ANKLE 3 VW", ["XR"]),
        ("PA chest", ["XR"]),
        ("PORTABLE AP CHEST", ["XR"]),
        ("Portable chest", ["XR"]),
        ("AP pelvis", ["XR"]),
        ("Three-view left wrist", ["XR"]),
        ("Cervical spine AP and lat views", ["XR"]),
        ("Right ribs XXXX and lateral", ["XR"]),
        ("AXR supine", ["XR"]),  # British shorthand (session 8)
        ("USS abdomen", ["US"]),
        ("CTPA", ["CT"]),
        ("CT KUB", ["CT"]),
        ("KUB", ["XR"]),
    ],
)
def test_terse_exam_titles_name_their_modality(extractor: Extractor, title: str, expected: list[str]) -> None:
    assert modalities(extractor, f"EXAM: {title}\nFINDINGS: Normal.") == expected


def test_redacted_views_named_only_as_the_comparison_are_no_study_of_this_report(extractor: Extractor) -> None:
    assert modalities(extractor, "COMPARISON: Ribs XXXX and lateral of last spring.\nFINDINGS: Stable.") == []


def test_a_title_names_the_study_done_whatever_cue_its_words_carry(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: Evaluate for pneumonia. PA and lateral chest.\nIMPRESSION: Clear.") == ["XR"]


def test_a_date_on_the_current_study_is_not_historical(extractor: Extractor) -> None:
    text = "HPI: Neck pain.\nFINDINGS: Cervical MRI dated 03/04/2021 is reviewed and shows a bulge."
    assert modalities(extractor, text) == ["MRI"]


# --- modalities (issue 11 item 4) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Computed tomography of the chest was performed.", ["CT"]),
        ("Computerized tomography of the spine was performed.", ["CT"]),
        ("Fluoroscopy confirmed the needle position.", ["XR"]),
        ("A cerebral angiogram was performed.", ["XR"]),
        ("An echocardiogram showed normal function.", ["US"]),
        ("Venous duplex of the left leg was negative.", ["US"]),
        ("MRA of the neck was normal.", ["MRI"]),
        ("Cardiac SPECT showed no ischemia.", ["NM"]),
        ("HCT on admission showed no bleed.", ["CT"]),
        ("Hct 32.1 and platelets normal.", []),
        ("Heart regular. Lungs: CTA. Abdomen soft.", []),
        ("Chart MR#: 4455, seen for a cough.", []),
        ("THORAX: The lungs are clear, AP and lateral, without crackles.", []),
        ("Labs: thyroid study showed a normal TSH.", []),
        ("A thallium study showed no ischemia.", ["NM"]),
        ("A thyroid uptake study was high.", ["NM"]),
        ("A CTA of the chest showed no embolus.", ["CT"]),
        ("The echo showed mild MR and normal wall motion.", ["US"]),
        ("Adult with a history of MR, nonverbal at baseline.", []),  # mental retardation
        ("Group home resident with MR/DD.", []),
        ("Valves: No MR.", []),  # a bare "No MR." names no study done
        ("MR of the lumbar spine showed a disc bulge.", ["MRI"]),  # guard
    ],
)
def test_the_modality_lexicon(extractor: Extractor, sentence: str, expected: list[str]) -> None:
    assert modalities(extractor, f"FINDINGS: {sentence}") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A bone scan may be necessary.",
        "The MRI could not be obtained.",
        "An MRI was ordered.",
        "We will obtain an MRI of the spine.",
        "MRI of the lumbar spine is recommended.",
        "A bone scan may be informative.",
        "CT of the chest is pending.",
        "Laparoscopic cholecystectomy with attempted intraoperative cholangiogram.",
        "After two failed attempts at cholangiography the procedure went on without it.",
        "We aborted any further attempts at cholangiography.",
        "The MRI was aborted because of claustrophobia.",
        "The MRI could not be performed.",
        "Fracture not excluded; MRI of the right hip scheduled for tomorrow.",
        "He is still scheduled for MRI of the cervical spine.",
        "A CT of the chest was not needed.",
        "No CT was performed.",
        "No further x-rays were obtained.",
        "No CT performed.",
        "CT of the head not done.",
        "MRI not performed.",
        "We will see him back in six weeks with a CT of the wrist.",
        "Union will be checked with an MRI next month.",
    ],
)
def test_a_study_not_done_is_not_performed(extractor: Extractor, sentence: str) -> None:
    assert modalities(extractor, f"EXAM: PA and lateral chest\nIMPRESSION: No fracture. {sentence}") == ["XR"]


def test_who_ordered_a_study_does_not_make_it_ordered(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nASSESSMENT: The bone scan ordered by his oncologist was negative."
    assert modalities(extractor, text) == ["NM"]


def test_a_study_that_was_scheduled_and_then_told_is_performed(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nCOURSE: A bone scan was scheduled for the following week. It showed no metastases."
    assert modalities(extractor, text) == ["NM"]


def test_a_study_someone_was_scheduled_for_is_not_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "HPI: Back pain.\nCOURSE: She was scheduled for an MRI of the spine.") == []


def test_projection_views_named_by_their_bone_or_joint_are_radiographs(extractor: Extractor) -> None:
    text = "HPI: Wrist injury.\nIMAGING: Scaphoid views today show the fracture healing.\nASSESSMENT: Healing fracture."
    assert modalities(extractor, text) == ["XR"]


def test_a_study_named_only_for_comparison_is_not_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: MRI brain\nCOMPARISON: CT head 2019.\nFINDINGS: Normal.") == ["MRI"]


def test_an_outside_study_the_writer_personally_reviewed_was_performed(extractor: Extractor) -> None:
    text = "HPI: Neck pain.\nASSESSMENT: I personally reviewed the outside MRI, which shows a C5-6 disc bulge."
    assert modalities(extractor, text) == ["MRI"]


def test_an_outside_study_named_for_comparison_is_still_not_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: XR CHEST\nCOMPARISON: Outside CT.\nFINDINGS: No fracture.") == ["XR"]


def test_another_study_a_finding_is_seen_on_is_correlative(extractor: Extractor) -> None:
    text = "BONE SCAN\nIMPRESSION: Uptake in the sternum at the lesion seen on the prior CT, likely treated disease."
    assert modalities(extractor, text) == ["NM"]


def test_a_study_seen_on_in_a_note_is_still_the_note_s_study(extractor: Extractor) -> None:
    text = "HPI: Wrist pain.\nASSESSMENT: Scaphoid fracture seen on x-ray today."
    assert modalities(extractor, text) == ["XR"]


def test_another_study_seen_on_with_its_body_region_is_correlative(extractor: Extractor) -> None:
    text = "EXAM: Chest radiograph, two views\nIMPRESSION: The small nodules seen on the chest CT are not visible today."
    assert modalities(extractor, text) == ["XR"]


def test_the_title_study_seen_on_stays_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "CT CHEST\nFINDINGS: Nodule seen on CT at the right apex.") == ["CT"]


# --- session 12: other studies a titled report points to, mammography named in a title only ----------

def test_another_study_on_recent_imaging_in_a_titled_report_is_a_prior_one(extractor: Extractor) -> None:
    text = "EXAM: Chest, two views\nFINDINGS: The drain lies in the right pleural space, as on recent chest CT."
    assert modalities(extractor, text) == ["XR"]


def test_a_study_on_recent_imaging_in_a_note_is_still_the_note_s_study(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nASSESSMENT: Known L3 lytic lesion, unchanged on recent CT."
    assert modalities(extractor, text) == ["CT"]


def test_another_study_the_reader_is_sent_to_is_not_this_report_s(extractor: Extractor) -> None:
    text = "EXAM: Lumbar spine, two views\nIMPRESSION: L2 compression deformity; please see the separate MRI report."
    assert modalities(extractor, text) == ["XR"]


def test_a_deidentified_verb_before_on_the_ct_marks_a_correlative_study(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest XXXX\nFINDINGS: The right basal nodule XXXX on the CT scan is faint today."
    assert modalities(extractor, text) == ["XR"]


def test_a_mammogram_in_the_title_is_a_radiograph(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: Diagnostic mammogram, left breast\nFINDINGS: No mass.") == ["XR"]


def test_a_mammogram_in_a_note_s_text_names_no_study(extractor: Extractor) -> None:
    text = "ASSESSMENT: Breast lump on the left, found on a screening mammogram; surgery is planned."
    assert modalities(extractor, text) == []


def test_a_mammogram_deep_in_an_untitled_opening_names_no_study(extractor: Extractor) -> None:
    text = "Seen today for a yearly visit. Her last mammogram in March was normal. She has no complaints."
    assert modalities(extractor, text) == []


def test_a_study_named_only_in_the_history_of_a_note_is_not_performed(extractor: Extractor) -> None:
    text = "HISTORY OF PRESENT ILLNESS: An MRI last year showed a disc bulge.\nASSESSMENT: Back pain."
    assert modalities(extractor, text) == []


def test_a_study_the_plan_says_was_done_is_performed(extractor: Extractor) -> None:
    text = "HPI: Headache.\nPLAN: She already had an MRI of the brain, which was normal."
    assert modalities(extractor, text) == ["MRI"]


def test_a_plan_done_cue_may_hold_an_adverb(extractor: Extractor) -> None:
    text = "HPI: Jaundice.\nPLAN: The liver ultrasound was apparently normal. Repeat bilirubin tomorrow."
    assert modalities(extractor, text) == ["US"]


def test_a_study_the_plan_orders_is_not_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "HPI: Headache.\nPLAN: MRI of the brain and a chest x-ray.") == []


def test_a_plan_bullet_under_a_combined_assessment_and_plan_header_is_ordered_not_done(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nA/P:\nNSCLC, new thoracic back pain.\n- CT chest to eval for progression\n- RTC 2 wks\n"
    assert modalities(extractor, text) == []


def test_the_assessment_above_the_bullets_of_a_combined_header_still_names_a_study_done(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nAssessment and Plan:\nL4-5 HNP. XR L-spine today shows no instability.\n- PT referral\n"
    assert modalities(extractor, text) == ["XR"]


def test_a_plan_bullet_that_says_its_study_was_done_counts(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nA/P:\nL4-5 HNP.\n- MRI L-spine reviewed with the patient\n- PT referral\n"
    assert modalities(extractor, text) == ["MRI"]


def test_a_lower_case_pet_is_an_animal_not_a_pet_scan(extractor: Extractor) -> None:
    assert modalities(extractor, "SOCIAL HISTORY: None.\nHOSPITAL COURSE: She keeps two pet dogs at home.") == []


def test_a_capitalised_pet_is_the_study(extractor: Extractor) -> None:
    assert modalities(extractor, "HPI: Lymphoma.\nASSESSMENT: PET showed no residual uptake.") == ["PET"]


def test_the_ct_of_a_pet_ct_is_not_ct(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: PET/CT skull base to thigh\nFINDINGS: No uptake.") == ["PET"]


def test_a_ct_scout_is_not_ct(extractor: Extractor) -> None:
    text = "EXAM: MRI lumbar spine\nFINDINGS: The CT scout image shows normal alignment. Mild bulge at L4-L5."
    assert modalities(extractor, text) == ["MRI"]


def test_a_study_is_inferred_from_what_only_it_shows(extractor: Extractor) -> None:
    assert modalities(extractor, "FINDINGS: No enhancement after gadolinium.") == ["MRI"]


@pytest.mark.parametrize("text", [
    "FINDINGS: Peak systolic velocity in the internal carotid artery is within normal limits.",
    "FINDINGS: Trace tricuspid regurgitation on color flow interrogation.",
    "FINDINGS: A 4 mm stone with posterior acoustic shadowing in the gallbladder.",
    "FINDINGS: An echogenic focus in the left ventricle of the fetus.",
])
def test_an_ultrasound_is_inferred_from_doppler_and_echo_words(extractor: Extractor, text: str) -> None:
    assert modalities(extractor, text) == ["US"]


def test_an_inferred_study_yields_to_a_named_one(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: CT abdomen\nFINDINGS: The cyst measures 5 Hounsfield units.") == ["CT"]


def test_a_generic_film_is_the_study_named_beside_it(extractor: Extractor) -> None:
    text = "HPI: Neck pain.\nFINDINGS: I reviewed the MRI film of the cervical spine."
    assert modalities(extractor, text) == ["MRI"]


def test_a_section_header_naming_studies_is_no_study(extractor: Extractor) -> None:
    text = "HPI: Gait change.\nREVIEW OF X-RAYS: I reviewed the CT scan of the head."
    assert modalities(extractor, text) == ["CT"]


# --- the bone-only exam (issue 19 item 4) --------------------------------------------------------


def test_a_bone_scan_title_is_a_bone_only_exam(extractor: Extractor) -> None:
    rec = record(extractor, "EXAM: Whole body bone scan\nFINDINGS: Metastatic disease.")
    assert rec["exam"]["bone_only"] is True
    assert rec["labels"]["bone_metastasis"] == "present"


def test_a_cardiac_spect_is_not_a_bone_exam(extractor: Extractor) -> None:
    rec = record(extractor, "EXAM: Cardiac SPECT with technetium sestamibi\nFINDINGS: Metastatic disease.")
    assert rec["exam"]["bone_only"] is False
    assert rec["labels"]["bone_metastasis"] == "possible"


def test_a_bone_scan_suggested_in_the_impression_is_not_the_exam(extractor: Extractor) -> None:
    rec = record(extractor, "EXAM: Chest radiograph\nIMPRESSION: Rib lesion. A bone scan may be helpful.")
    assert rec["exam"]["bone_only"] is False


@pytest.mark.parametrize(
    "title", ["XR HAND 3+ VIEWS RIGHT", "Three views of the right foot.", "LEFT FOOT 2 VIEWS", "XR BILATERAL HANDS"]
)
def test_a_hand_or_foot_radiograph_is_a_bone_only_exam(extractor: Extractor, title: str) -> None:
    rec = record(extractor, f"EXAM: {title}\nFINDINGS: Destructive lesion, likely metastasis.")
    assert rec["exam"]["bone_only"] is True
    assert rec["labels"]["bone_metastasis"] == "present"


@pytest.mark.parametrize("title", ["PET/CT from vertex to feet.", "MRI RIGHT FOOT", "Barium swallow, hands-free voicing"])
def test_a_hand_or_foot_named_by_no_radiograph_title_is_no_bone_only_exam(extractor: Extractor, title: str) -> None:
    assert record(extractor, f"EXAM: {title}\nFINDINGS: Lesion.")["exam"]["bone_only"] is False


def test_a_clinic_note_is_never_a_bone_only_exam(extractor: Extractor) -> None:
    text = "HPI: Back pain.\nEXAM: Lumbar spine tender.\nASSESSMENT: Metastatic disease. Bone scan reviewed."
    rec = record(extractor, text)
    assert rec["exam"]["bone_only"] is False
    assert rec["labels"]["bone_metastasis"] == "possible"


# --- what a note's headers let count (audit of the dev texts, s5) ----------------------------------


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    return record(extractor, text)["labels"]


def test_a_study_told_under_indications_for_the_operation_is_history(extractor: Extractor) -> None:
    text = (
        "POSTOPERATIVE DIAGNOSIS: Leg pain.\nINDICATIONS FOR OPERATION: An MRI last spring showed severe "
        "canal stenosis at L4-5.\nOPERATIVE FINDINGS: The lamina was thick and was removed."
    )
    out = labels(extractor, text)
    assert out["degenerative"]["spinal_stenosis"] == "not_mentioned"
    assert out["modalities"] == []


def test_a_study_told_under_a_history_of_the_present_complaint_is_history(extractor: Extractor) -> None:
    text = "HISTORY OF PRESENT COMPLAINT: A lumbar MRI two years ago showed a disc bulge at L4-5.\nASSESSMENT: Back pain."
    out = labels(extractor, text)
    assert out["degenerative"]["disc_bulge"] == "not_mentioned"
    assert out["modalities"] == []


def test_radiographs_read_in_the_emergency_course_count(extractor: Extractor) -> None:
    text = "CHIEF COMPLAINT: Fall.\nPHYSICAL EXAM: Neck tender.\nCOURSE IN THE ED: Neck radiographs show no fracture."
    assert labels(extractor, text)["fracture"] == "absent"


def test_an_old_fracture_seen_as_a_scar_at_inspection_is_no_finding(extractor: Extractor) -> None:
    text = "CHIEF COMPLAINT: Knee pain.\nINSPECTION: A healed scar from the repair of an old patellar fracture."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_fluoroscopy_in_an_operative_narrative_after_the_plan_counts(extractor: Extractor) -> None:
    text = "HPI: Ankle fracture.\nPLAN: Fixation.\nOPERATIVE NARRATIVE: The reduction was checked with fluoroscopy."
    assert "XR" in labels(extractor, text)["modalities"]


def test_the_risks_explained_before_consent_are_no_finding(extractor: Extractor) -> None:
    text = "PREOPERATIVE DIAGNOSIS: Stenosis.\nCONSENT: We explained the risks, among them fracture and cord compression."
    out = labels(extractor, text)
    assert out["fracture"] == "not_mentioned" and out["cord_compression"] == "not_mentioned"


def test_the_subjective_part_of_a_soap_note_is_history_and_the_assessment_counts(extractor: Extractor) -> None:
    text = "S: An MRI last year showed a disc bulge.\nO: Afebrile.\nA: Osseous metastases to the spine.\nP: Oncology."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["degenerative"]["disc_bulge"] == "not_mentioned"
    assert rec["labels"]["bone_metastasis"] == "present"


def test_a_headerless_letter_is_a_consult_note_read_whole(extractor: Extractor) -> None:
    text = "Dear Dr. Lee,\nI saw your patient today. The radiographs show a healed fracture of the wrist.\nSincerely"
    rec = record(extractor, text)
    assert rec["document"]["type"] == "consult_note"
    assert rec["labels"]["fracture"] == "present"


def test_a_soap_note_may_head_its_assessment_a_slash_p(extractor: Extractor) -> None:
    text = ("S: Leg pain for three months.\nO: Positive straight leg raise.\n"
            "IMAGING: MRI of the lumbar spine shows disc desiccation at L3-4.\nA/P: Lumbar radiculopathy.")
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["degenerative"]["disc_degeneration"] == "present"  # the imaging results count


def test_a_soap_note_may_head_its_assessment_a_and_p(extractor: Extractor) -> None:
    text = "S: Neck pain.\nO: Full strength.\nA&P: Cervical strain, no fracture on the films."
    assert record(extractor, text)["document"]["type"] == "clinic_note"


@pytest.mark.parametrize(
    "title", ["SPINE CLINIC NOTE", "PROGRESS NOTE", "ONCOLOGY FOLLOW-UP", "Office visit", "ORTHOPAEDIC CLINIC LETTER"]
)
def test_a_note_title_makes_a_clinic_note(extractor: Extractor, title: str) -> None:
    text = f"{title}\nDoing well after surgery. The x-rays show a healed fracture of the wrist."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["fracture"] == "present"


@pytest.mark.parametrize("title", ["ORTHOPAEDIC ONCOLOGY CONSULT", "Neurosurgery consultation", "RADIATION TREATMENT SUMMARY"])
def test_a_consult_or_treatment_summary_title_makes_a_clinic_note(extractor: Extractor, title: str) -> None:
    text = f"{title}\nHistory: Prior fracture of the wrist.\nImaging: Radiographs today show no fracture."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["fracture"] == "absent"


def test_a_reason_for_consultation_header_is_no_title(extractor: Extractor) -> None:
    rec = record(extractor, "REASON FOR CONSULTATION: Back pain.\nHISTORY: Fell.")
    assert rec["document"]["type"] == "consult_note"


@pytest.mark.parametrize("title", ["TUMOR BOARD", "Tumour board summary", "MULTIDISCIPLINARY TUMOR BOARD NOTE"])
def test_a_tumor_board_title_makes_a_clinic_note_whose_imaging_line_counts(extractor: Extractor, title: str) -> None:
    rec = record(extractor, f"{title}\nImaging: The MRI shows tumor in the T4 vertebra compressing the cord.")
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["cord_compression"] == "present"


def test_a_note_title_with_a_qualifier_stays_a_report_whose_unknown_labels_count(extractor: Extractor) -> None:
    """Typed a note, its text before a known header would be history and its findings lost (session 17,
    docs/decisions.md): read as a report, every line counts."""
    text = "TUMOR BOARD SUMMARY - SPINE / MSK\nQuestion: restaging.\nImaging at conference: MRI shows a T9 metastasis."
    rec = record(extractor, text)
    assert (rec["document"]["type"], rec["labels"]["bone_metastasis"]) == ("radiology_report", "present")


def test_an_imaging_title_with_a_qualifier_stays_a_radiology_report(extractor: Extractor) -> None:
    rec = record(extractor, "FOLLOW-UP CT CHEST - LUNG NODULE\nFINDINGS: Stable 6 mm nodule.")
    assert rec["document"]["type"] == "radiology_report"


def test_a_one_line_note_whose_first_words_see_the_patient_today_is_a_clinic_note(extractor: Extractor) -> None:
    rec = record(extractor, "ortho f/u pt seen today for R wrist fx, XR today shows healing distal radius fx, cont cast")
    assert rec["document"]["type"] == "clinic_note"
    assert (rec["labels"]["fracture"], rec["labels"]["modalities"]) == ("present", ["XR"])


@pytest.mark.parametrize("opening", ["HEENT:", "CONSTITUTIONAL:", "PSYCHIATRIC:"])
def test_a_review_of_systems_exported_alone_is_a_notes_history(extractor: Extractor, opening: str) -> None:
    text = f"{opening} No complaints.\nNEUROLOGIC: No weakness.\nMUSCULOSKELETAL: No back pain, no fractures."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["fracture"] == "not_mentioned"


def test_organ_labels_of_a_radiology_report_stay_its_findings(extractor: Extractor) -> None:
    rec = record(extractor, "CHEST: Clear lungs.\nMUSCULOSKELETAL: No acute fracture.")
    assert rec["document"]["type"] == "radiology_report"
    assert rec["labels"]["fracture"] == "absent"


def test_a_staging_line_of_a_note_counts(extractor: Extractor) -> None:
    rec = record(extractor, "TUMOR BOARD\nKidney cancer.\nStaging: The bone scan is negative for osseous metastases.")
    assert rec["labels"]["bone_metastasis"] == "absent"
    assert rec["labels"]["modalities"] == ["NM"]


@pytest.mark.parametrize("title", ["FOLLOW-UP CT CHEST", "CT CHEST FOLLOW-UP", "MRI LUMBAR SPINE PROGRESS",
                                   "SKELETAL SURVEY - FOLLOW-UP", "WBLDCT FOLLOW-UP"])
def test_a_title_naming_a_study_stays_a_radiology_report(extractor: Extractor, title: str) -> None:
    assert record(extractor, f"{title}\nFINDINGS: No fracture.")["document"]["type"] == "radiology_report"


def test_an_imaging_header_of_a_note_titled_as_a_note_counts(extractor: Extractor) -> None:
    text = "SPINE CLINIC NOTE\nIMAGING: The MRI showed a disc extrusion at L5-S1.\nPLAN: Physical therapy."
    rec = record(extractor, text)
    assert rec["exam"]["title"] != "The MRI showed a disc extrusion at L5-S1."
    assert rec["labels"]["degenerative"]["disc_herniation"] == "present"


def test_a_brief_hospital_course_line_makes_a_discharge_summary(extractor: Extractor) -> None:
    text = "BRIEF HOSPITAL COURSE\nAdmitted with back pain. The MRI showed an L1 compression fracture.\n" \
        "PERTINENT RESULTS: Calcium normal."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "discharge_summary"
    assert rec["exam"]["title"] == ""
    assert rec["labels"]["fracture"] == "present"


def test_an_interval_history_makes_a_clinic_note_whose_history_does_not_count(extractor: Extractor) -> None:
    text = "INTERVAL HISTORY: Radiation to a painful L2 metastasis last month.\nPLAN: Continue therapy."
    rec = record(extractor, text)
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "text",
    [
        "PROCEDURE: Upper endoscopy with biopsies.\nINDICATIONS: Heartburn.\nFINDINGS: Erythema of the antrum.\n"
        "IMPRESSION: Gastritis.",
        "COLONOSCOPY\nINDICATIONS: Screening.\nFINDINGS: A small polyp of the ascending colon was removed.",
        "PROCEDURES PERFORMED: 1. Right and left heart catheterization. 2. Coronary angiography.\n"
        "INDICATION: Angina.\nFINDINGS: Severe disease of the circumflex.",
        "NAME OF PROCEDURE: Flexible bronchoscopy with lavage.\nFINDINGS: Thick secretions in the left lower lobe.",
    ],
)
def test_a_procedure_named_in_its_title_or_procedure_header_makes_a_procedure_note(extractor: Extractor, text: str) -> None:
    assert record(extractor, text)["document"]["type"] == "operative_note"


@pytest.mark.parametrize("heading", ["Imp:", "Ix:", "Dx:", "Mx:", "Management:", "Issues:", "Differential diagnosis:"])
def test_british_note_shorthand_headings_count(extractor: Extractor, heading: str) -> None:
    text = f"CLINIC NOTE\nHPI: Back pain for a month.\n{heading} Lytic L2 metastasis.\nPLAN: Radiotherapy."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "present"


def test_a_dx_line_of_a_radiology_order_is_its_indication(extractor: Extractor) -> None:
    text = "XR LUMBAR SPINE\nDx: Back pain, ?fracture.\nFINDINGS: No fracture."
    assert record(extractor, text)["labels"]["fracture"] == "absent"


def test_specimen_and_diagnosis_headers_make_a_pathology_report(extractor: Extractor) -> None:
    text = "PATHOLOGY\nSPECIMEN: Left axillary node, excision.\nFINAL DIAGNOSIS: Reactive lymph node."
    assert record(extractor, text)["document"]["type"] == "pathology_report"


def test_a_ct_guided_biopsy_listing_its_specimen_stays_a_radiology_report(extractor: Extractor) -> None:
    text = "CT-GUIDED BONE BIOPSY\nSPECIMEN: Three cores from the L2 lesion.\nFINDINGS: Lytic lesion in L2."
    assert record(extractor, text)["document"]["type"] == "radiology_report"


def test_a_pathology_report_denying_nodal_metastasis_denies_no_bone_metastasis(extractor: Extractor) -> None:
    text = "PATHOLOGY\nSPECIMEN: Sentinel node, right axilla.\nFINAL DIAGNOSIS: One node, negative for metastatic carcinoma."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "not_mentioned"


def test_a_pathology_report_of_a_bone_specimen_reads_its_metastasis_as_bone(extractor: Extractor) -> None:
    text = "PATHOLOGY\nSPECIMEN: T11 vertebral body, core biopsy.\nFINAL DIAGNOSIS: Metastatic renal cell carcinoma."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "present"


def test_a_pathology_specimen_line_lesion_is_what_the_diagnosis_answers(extractor: Extractor) -> None:
    text = "PATHOLOGY\nSPECIMEN: Left rib lesion, excision.\nFINAL DIAGNOSIS: Enchondroma. No malignancy."
    assert record(extractor, text)["labels"]["bone_metastasis"] != "possible"


def test_gross_and_microscopic_descriptions_outrank_a_requisitions_operative_diagnosis(extractor: Extractor) -> None:
    text = ("POSTOPERATIVE DIAGNOSIS: Carcinoma of the colon.\nGROSS DESCRIPTION: One node of 1 cm.\n"
            "MICROSCOPIC DESCRIPTION: One node. There is no metastatic carcinoma.")
    assert record(extractor, text)["document"] == {"type": "pathology_report", "cue": "GROSS DESCRIPTION"}


def test_short_specimen_gross_and_microscopic_headers_outrank_a_requisitions_preop_dx(extractor: Extractor) -> None:
    text = ("Specimen: T12 vertebral body, core at kyphoplasty\nPre-op dx: T12 fracture, exclude malignancy.\n"
            "Gross: Two cores.\nMicroscopic: Healing trabecular microfractures.\nDiagnosis: Negative for carcinoma.")
    rec = record(extractor, text)
    assert rec["document"]["type"] == "pathology_report"
    assert (rec["labels"]["bone_metastasis"], rec["labels"]["fracture"]) == ("absent", "present")


def test_a_notes_urinalysis_gross_and_microscopic_lines_keep_it_a_note(extractor: Extractor) -> None:
    text = ("CHIEF COMPLAINT: Back pain.\nHISTORY OF PRESENT ILLNESS: Fall on ice.\nGross: yellow, clear.\n"
            "Microscopic: 0-2 WBC/hpf.\nASSESSMENT: L1 compression fracture.")
    assert record(extractor, text)["document"]["type"] == "clinic_note"


def test_a_synoptic_form_with_a_histologic_type_is_a_pathology_report(extractor: Extractor) -> None:
    text = ("LUNG: RESECTION - SYNOPTIC REPORT\nProcedure: Lobectomy\nHistologic type: Adenocarcinoma\n"
            "Distant metastasis: pM1b; site(s): right 6th rib (solitary metastasis)")
    rec = record(extractor, text)
    assert rec["document"]["type"] == "pathology_report"
    assert rec["labels"]["bone_metastasis"] == "present"


def test_a_note_quoting_a_histologic_type_keeps_its_own_type(extractor: Extractor) -> None:
    text = "HPI: New lung cancer.\nHistologic type: adenocarcinoma (outside path).\nA/P: staging PET."
    assert record(extractor, text)["document"]["type"] == "clinic_note"


def test_a_bare_carcinoma_is_no_bone_finding_outside_a_pathology_report(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: Lytic lesion of the right iliac bone; known renal cell carcinoma."
    rec = record(extractor, text)
    assert rec["labels"]["bone_metastasis"] == "possible"
    assert not any(m["text"] == "carcinoma" for m in rec["mentions"])


def test_a_specimen_list_under_its_header_names_the_bone_part(extractor: Extractor) -> None:
    text = ("PATHOLOGY\nSPECIMENS:\nA. Liver, core biopsy\nB. Bone, right iliac wing, core biopsy\n"
            "FINAL DIAGNOSIS:\nA. Liver, core biopsy: Metastatic adenocarcinoma.\n"
            "B. Bone, right iliac wing, core biopsy: Benign bone and marrow. Negative for carcinoma.")
    assert record(extractor, text)["labels"]["bone_metastasis"] == "absent"


def test_a_fracture_on_the_specimen_line_is_what_was_sent(extractor: Extractor) -> None:
    text = ("SURGICAL PATHOLOGY\nSPECIMEN: Left femoral head (subcapital fracture), hemiarthroplasty\n"
            "DIAGNOSIS: Osteopenic bone. No neoplasm.")
    assert record(extractor, text)["labels"]["fracture"] == "not_mentioned"


def test_an_imaging_line_that_reports_a_studys_result_is_findings(extractor: Extractor) -> None:
    text = "SPINE MDT OUTCOME\nImaging: MRI whole spine 18/11: no pathological fracture.\nOutcome: L4 metastasis."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "present"


def test_an_imaging_title_with_a_comparison_label_is_still_the_title(extractor: Extractor) -> None:
    text = "IMAGING: BONE SCAN.  Comparison: CT 10/02\nFINDINGS: Normal tracer distribution."
    assert record(extractor, text)["sections"][0]["name"] == "exam"


def test_a_gross_description_alone_leaves_an_operative_note(extractor: Extractor) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Renal mass.\nGROSS DESCRIPTION: Kidney sent whole.\nFINDINGS: No metastatic disease."
    assert record(extractor, text)["document"]["type"] == "operative_note"


def test_a_british_anaesthetic_header_makes_an_operative_note(extractor: Extractor) -> None:
    text = "OPERATION: Dynamic hip screw, right.\nANAESTHETIC: General.\nFINDINGS: Intertrochanteric fracture."
    assert record(extractor, text)["document"]["type"] == "operative_note"


@pytest.mark.parametrize(
    "text",
    [
        "PROCEDURE: CT-guided biopsy of the L3 vertebral body.\nFINDINGS: Core samples obtained.",
        "CT COLONOGRAPHY (VIRTUAL COLONOSCOPY)\nFINDINGS: No polyp.",
        "CT CORONARY ANGIOGRAPHY\nFINDINGS: No significant stenosis.",
        "CT CHEST\nHISTORY: Colonoscopy last year.\nFINDINGS: Clear lungs.",
    ],
)
def test_an_imaging_study_or_guided_procedure_stays_a_radiology_report(extractor: Extractor, text: str) -> None:
    assert record(extractor, text)["document"]["type"] == "radiology_report"


def test_an_endoscopy_note_names_no_imaging_study(extractor: Extractor) -> None:
    text = "PROCEDURE: Esophagogastroduodenoscopy.\nFINDINGS: Mass at the gastroesophageal junction.\n" \
        "IMPRESSION: GE junction mass."
    assert modalities(extractor, text) == []


def test_a_catheterisation_note_keeps_its_fluoroscopic_angiography(extractor: Extractor) -> None:
    text = "PROCEDURE: Left heart catheterization, coronary angiography.\nFINDINGS: Mild MR. 90% stenosis of the proximal LAD."
    assert modalities(extractor, text) == ["XR"]


@pytest.mark.parametrize(
    "text",
    [
        "CT-GUIDED BIOPSY OF THE RIGHT ILIAC BONE\nFINDINGS: Two cores were taken from the lytic focus.",
        "PROCEDURE: Bone biopsy of the sacral lesion under CT guidance.\nFINDINGS: No complication.",
        "PROCEDURE: CT guided aspiration of the psoas collection.\nFINDINGS: Pus was aspirated.",
    ],
)
def test_a_ct_guided_procedure_performs_ct(extractor: Extractor, text: str) -> None:
    assert modalities(extractor, text) == ["CT"]


def test_a_fluoroscopy_guided_procedure_stays_xr(extractor: Extractor) -> None:
    text = "PROCEDURE: Fluoroscopy-guided L2 kyphoplasty.\nFINDINGS: Cement fills the vertebral body."
    assert modalities(extractor, text) == ["XR"]


@pytest.mark.parametrize("text", ["EXAM: US abdomen limited.\nFINDINGS: Normal liver.",
                                  "FINDINGS: RUQ US shows gallstones.", "PROCEDURE: US-guided liver biopsy."])
def test_the_us_abbreviation_beside_a_body_part_is_ultrasound(extractor: Extractor, text: str) -> None:
    assert modalities(extractor, text) == ["US"]


def test_the_pronoun_us_is_no_study(extractor: Extractor) -> None:
    assert modalities(extractor, "PLAN: PLEASE LET US KNOW. CALL US WITH QUESTIONS.") == []


@pytest.mark.parametrize(
    "title",
    ["CT CORONARY ANGIOGRAPHY", "CT PULMONARY ANGIOGRAPHY", "CT angiogram of the head and neck"],
)
def test_a_ct_angiography_title_is_ct_only(extractor: Extractor, title: str) -> None:
    assert modalities(extractor, f"{title}\nFINDINGS: No stenosis or filling defect.") == ["CT"]


def test_catheter_angiography_after_a_ct_sentence_stays_xr(extractor: Extractor) -> None:
    text = "FINDINGS: CT showed a renal mass. Selective renal angiography then showed a tumor blush."
    assert modalities(extractor, text) == ["CT", "XR"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Valves: trace TR, no MR or AR.",
        "Normal left ventricular function, ejection fraction 60%. No MR.",
        "No AS, no MR.",
    ],
)
def test_mr_among_valve_findings_is_mitral_regurgitation(extractor: Extractor, sentence: str) -> None:
    assert modalities(extractor, f"FINDINGS: {sentence}") == []


@pytest.mark.parametrize(
    "text",
    [
        "MR LUMBAR SPINE\nFINDINGS: Mild bulge at L4-L5 as well as facet arthropathy.",
        "FINDINGS: MR of the brain for MS shows periventricular lesions.",
    ],
)
def test_an_mr_study_without_valve_findings_stays_mri(extractor: Extractor, text: str) -> None:
    assert modalities(extractor, text) == ["MRI"]


def test_a_study_seen_beside_a_denied_finding_was_done(extractor: Extractor) -> None:
    text = "HPI: Fall.\nASSESSMENT: No fracture was seen on the CT of the wrist."
    assert modalities(extractor, text) == ["CT"]


def test_a_notes_study_label_holding_a_header_word_names_its_study(extractor: Extractor) -> None:
    text = "CHIEF COMPLAINT: Back pain.\nMRI LUMBAR SPINE: Compression fracture of L2.\nASSESSMENT: Pain."
    assert modalities(extractor, text) == ["MRI"]


def test_a_review_of_systems_body_system_line_does_not_count(extractor: Extractor) -> None:
    text = "CHIEF COMPLAINT: Back pain.\nREVIEW OF SYSTEMS: No fever.\nMUSCULOSKELETAL: No fractures.\nPLAN: Rest."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


@pytest.mark.parametrize("title", ["LUMBAR DISCOGRAM", "Discography of L3-4 to L5-S1"])
def test_discography_is_a_radiograph_study(extractor: Extractor, title: str) -> None:
    assert modalities(extractor, f"{title}\nFINDINGS: Fissure at L4-5.") == ["XR"]


def test_a_study_performed_with_no_finding_before_it_is_performed(extractor: Extractor) -> None:
    assert modalities(extractor, "HPI: Fell.\nCOURSE: No fracture on the CT performed today.") == ["CT"]


@pytest.mark.parametrize("phrase", ["unchanged from the bone scan of 2019", "stable since the prior bone scan"])
def test_a_study_a_finding_is_unchanged_from_is_the_comparison(extractor: Extractor, phrase: str) -> None:
    assert modalities(extractor, f"EXAM: CT chest.\nIMPRESSION: Sclerotic focus in T8, {phrase}.") == ["CT"]


@pytest.mark.parametrize(
    "sentence",
    ["If clinically indicated MRI.", "If clinically indicated, an MRI of the thoracic spine could be obtained.",
     "MRI of the thoracic spine if clinically indicated."],
)
def test_a_study_under_if_clinically_indicated_is_not_done(extractor: Extractor, sentence: str) -> None:
    assert modalities(extractor, f"EXAM: CT chest.\nIMPRESSION: Sclerotic focus in T8. {sentence}") == ["CT"]


def test_a_study_repeated_if_needed_was_done(extractor: Extractor) -> None:
    assert modalities(extractor, "EXAM: Chest X-ray.\nIMPRESSION: X-ray normal, repeat if needed.") == ["XR"]


@pytest.mark.parametrize(
    "title",
    ["ONCOLOGY CLINIC NOTE 11/19/2024", "HOSPITALIST PROGRESS NOTE  HD#3", "PAIN MANAGEMENT FOLLOW UP",
     "RADIATION ONCOLOGY ON-TREATMENT VISIT", "URGENT CARE NOTE", "PRIMARY CARE VISIT 2024-12-01"],
)
def test_a_note_title_with_a_date_or_a_care_word_makes_a_clinic_note(extractor: Extractor, title: str) -> None:
    """Session 16: export titles carry the visit's date or hospital day, and name the care ("urgent care")."""
    rec = record(extractor, f"{title}\nDx: Lung cancer with osseous mets to T4-T7.\nPlan: continue radiotherapy.")
    assert rec["document"]["type"] == "clinic_note"
    assert rec["labels"]["bone_metastasis"] == "present"


def test_an_xr_title_keeps_a_history_header_below_it_a_radiology_report(extractor: Extractor) -> None:
    """Session 16: "XR PELVIS 1V" names a study as "CT PELVIS" does; its "hx:" line is the indication."""
    rec = record(extractor, "XR PELVIS 1V\nhx: fall\nFINDINGS / IMPRESSION: no acute fx.")
    assert rec["document"]["type"] == "radiology_report"
    assert (rec["labels"]["modalities"], rec["labels"]["fracture"]) == (["XR"], "absent")


@pytest.mark.parametrize("title", ["portable chest 1v  [**12-3**] 0612", "KUB", "Ankle 3V left"])
def test_a_title_naming_a_radiograph_by_its_views_keeps_a_hx_line_below_it_a_radiology_report(
    extractor: Extractor, title: str
) -> None:
    """Session 18: "portable chest", "KUB" and a view count ("1v", "3V") name a radiograph as "XR" does."""
    rec = record(extractor, f"{title}\nhx: fall\nfindings: no acute fx.")
    assert rec["document"]["type"] == "radiology_report"
    assert (rec["labels"]["modalities"], rec["labels"]["fracture"]) == (["XR"], "absent")


def test_a_note_whose_first_line_counts_visits_stays_a_clinic_note(extractor: Extractor) -> None:
    assert record(extractor, "Pt seen 2 visits ago\nHx: back pain\nPlan: PT.")["document"]["type"] == "clinic_note"


# --- session 24 (acc58, wave 45): radiotherapy documents ---------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["RADIATION ONCOLOGY - CT SIMULATION NOTE", "SBRT TREATMENT PLANNING DIRECTIVE", "RADIATION THERAPY PRESCRIPTION",
     "PALLIATIVE RADIOTHERAPY REQUEST / BOOKING FORM", "PHYSICS WEEKLY CHART CHECK"],
)
def test_a_radiotherapy_title_makes_a_clinical_note(extractor: Extractor, title: str) -> None:
    rec = record(extractor, f"{title}\nDiagnosis: painful L4 metastasis.\nImaging: bone scan 11/20: uptake L4.\n")
    assert rec["document"]["type"] == "clinic_note"
    assert (rec["labels"]["bone_metastasis"], rec["labels"]["modalities"]) == ("present", ["NM"])


@pytest.mark.parametrize("title", ["MRI BRAIN SRS PROTOCOL", "MRI THORACIC SPINE (RADIOTHERAPY PLANNING PROTOCOL)"])
def test_an_imaging_title_for_radiotherapy_stays_a_radiology_report(extractor: Extractor, title: str) -> None:
    assert record(extractor, f"{title}\nFINDINGS: No metastasis.\n")["document"]["type"] == "radiology_report"


def test_prior_radiotherapy_is_history(extractor: Extractor) -> None:
    text = ("RADIATION ONCOLOGY CONSULT\nDx: T8 metastasis.\nPrior RT: 30 Gy/10 fx to T6-T10 (01/2025) for MSCC at T8.\n"
            "Assessment: in-field progression at T8 without cord compression.\n")
    assert record(extractor, text)["labels"]["cord_compression"] == "absent"


def test_a_post_operative_study_line_opens_its_results(extractor: Extractor) -> None:
    text = "CONSULT NOTE\nHPI: nail for femur fracture.\nPost-op XR L femur 12/01/2026: nail intact, lytic lesion unchanged.\n"
    assert record(extractor, text)["labels"]["modalities"] == ["XR"]


def test_a_dated_dxa_line_in_a_notes_examination_part_is_a_result(extractor: Extractor) -> None:
    text = ("Endocrinology f/u\nS: 71F, on alendronate.\nO: Ht stable.\nDXA 11/18: LS T -2.2. VFA: no vertebral fracture.\n"
            "A: Osteoporosis, improved.\nP: Drug holiday.\n")
    rec = record(extractor, text)
    assert rec["labels"]["fracture"] == "absent"
    assert rec["labels"]["modalities"] == []  # a DXA is no study of the set


def test_a_label_after_a_comma_inside_a_history_line_stays_history(extractor: Extractor) -> None:
    text = ("BONE HEALTH CLINIC\nHPI: 70F. Outside DXA 2019: T -2.6 at the spine, VFA: grade 1 wedge fracture of L1.\n"
            "Assessment: Osteoporosis off treatment.\n")
    assert record(extractor, text)["labels"]["fracture"] == "not_mentioned"


def test_a_bare_denial_after_a_bone_results_label_in_its_own_sentence_is_the_bones(extractor: Extractor) -> None:
    text = ("VERTEBROPLASTY L1\nFindings: L1 compression fracture.\n\n"
            "ADDENDUM: L1 core: osteoporotic trabecular bone with callus; negative for malignancy.\n")
    assert record(extractor, text)["labels"]["bone_metastasis"] == "absent"


def test_another_study_named_by_its_date_in_a_titled_report_is_correlative(extractor: Extractor) -> None:
    text = ("BONE SCINTIGRAPHY, WHOLE BODY\nFindings: Linear uptake along the L2 endplate at the known fracture on "
            "the CT of 11/20. No metastases.\n")
    assert modalities(extractor, text) == ["NM"]


def test_a_study_named_by_its_date_in_a_note_is_still_a_result(extractor: Extractor) -> None:
    text = "SPINE CLINIC\nAssessment: Her MRI of 11/30 showed an acute T11 compression fracture.\nPlan: brace.\n"
    assert modalities(extractor, text) == ["MRI"]


def test_a_second_opinions_own_read_is_its_findings(extractor: Extractor) -> None:
    text = ("OUTSIDE IMAGING SECOND OPINION\nStudy: CT lumbar spine, outside hospital.\n"
            "Our review: Bridging anterior osteophytes from T10 to L1.\nImpression: No fracture.\n")
    assert record(extractor, text)["labels"]["degenerative"]["spondylosis"] == "present"


def test_a_study_a_finding_is_unchanged_in_appearance_from_is_the_comparison(extractor: Extractor) -> None:
    text = ("SPINE CLINIC\nAssessment: chronic L1 compression deformity, unchanged in appearance from the radiograph "
            "of 2024.\nPlan: review.\n")
    assert modalities(extractor, text) == []
