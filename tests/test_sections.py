"""Section detection: radiology headers in every shape reports use (issue 2, labels.md section 1)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.sections import SectionDetector
from reportnlp.nlp.rules import load_rules


@pytest.fixture(scope="module")
def detector() -> SectionDetector:
    return SectionDetector(load_rules().sections)


def names(detector: SectionDetector, text: str) -> list[str]:
    return [s.name for s in detector.find(text)]


def test_colon_headers_on_their_own_lines(detector: SectionDetector) -> None:
    text = "INDICATION: pain\nCOMPARISON: none\nTECHNIQUE: axial\nFINDINGS: ok\nIMPRESSION: ok"
    assert names(detector, text) == ["indication", "comparison", "technique", "findings", "impression"]


def test_a_header_key_is_its_normal_form_and_the_keys_remembered_stay_bounded() -> None:
    """Header keys are remembered per header as written (the same headers recur in every report): the key is
    the lower-case form with its blanks as one space, however many headers were keyed before, and the memo
    never holds more than its limit."""
    from reportnlp.nlp.components import sections

    assert sections._norm("HISTORY OF\t PRESENT  ILLNESS") == "history of present illness"
    for i in range(sections._NORMS_REMEMBERED + 10):
        sections._norm(f"LABEL {i}")
    assert len(sections._NORMS) <= sections._NORMS_REMEMBERED
    assert sections._norm("HISTORY OF\t PRESENT  ILLNESS") == "history of present illness"


def test_header_alone_on_a_line_without_colon(detector: SectionDetector) -> None:
    assert names(detector, "Findings\nNormal.\nImpression\r\nNormal.") == ["findings", "impression"]


def test_run_on_caps_headers_with_colon_and_comma(detector: SectionDetector) -> None:
    text = "EXAM:,  MRI L-SPINE  HISTORY:,  pain.  FINDINGS:,  Mild bulge.  IMPRESSION:,  Bulge."
    assert names(detector, text) == ["exam", "indication", "findings", "impression"]


def test_clinical_history_is_indication_not_past_history(detector: SectionDetector) -> None:
    assert names(detector, "CLINICAL HISTORY: cancer.\nFINDINGS: ok") == ["indication", "findings"]


@pytest.mark.parametrize("heading", ["Clinical query:", "Request:", "REQUEST DETAILS:", "Referral reason:"])
def test_british_request_headings_are_the_indication(detector: SectionDetector, heading: str) -> None:
    assert names(detector, f"{heading} ?mets.\nREPORT: ok") == ["indication", "findings"]


def test_text_before_the_first_header_is_preamble(detector: SectionDetector) -> None:
    assert names(detector, "Healing rib fracture of the left 6th rib.\nFINDINGS: ok") == ["preamble", "findings"]


def test_a_one_line_title_naming_a_study_above_the_headers_is_the_exam_title(detector: SectionDetector) -> None:
    # it names the study and what was asked, no finding (session 20)
    assert names(detector, "MRI LUMBAR SPINE\nFINDINGS: ok") == ["exam", "findings"]
    assert names(detector, "MRI WHOLE SPINE - ?CORD COMPRESSION\nFindings: Normal.") == ["exam", "findings"]


def test_a_header_framed_by_a_banner_rule_is_a_header(detector: SectionDetector) -> None:
    text = "CT L SPINE\n==== PRELIMINARY REPORT (teleradiology) ====\n?lytic L1\n==== FINAL REPORT ====\nNo lesion."
    assert names(detector, text) == ["exam", "comparison", "findings"]


def test_a_combined_technique_and_findings_header_is_findings(detector: SectionDetector) -> None:
    """The section holds the findings after a line of technique: they count."""
    assert names(detector, "EXAM: CT chest\nTECHNIQUE AND FINDINGS: Axial images. Lytic T8 lesion.") == ["exam", "findings"]


def test_report_without_headers_is_one_preamble_that_counts(detector: SectionDetector) -> None:
    sections = detector.find("Mild degenerative change. No fracture.")
    assert [s.name for s in sections] == ["preamble"]
    assert load_rules().sections["categories"]["preamble"]["counts"] is True


def test_mixed_case_header_words_inside_a_sentence_are_not_headers(detector: SectionDetector) -> None:
    assert names(detector, "FINDINGS: The impression of the endplate is normal.") == ["findings"]


def test_numbered_header(detector: SectionDetector) -> None:
    assert names(detector, "1. FINDINGS: ok\n2. IMPRESSION: ok") == ["findings", "impression"]


def test_sections_are_contiguous_and_cover_the_text(detector: SectionDetector) -> None:
    text = "EXAM: CT\nFINDINGS: x\nIMPRESSION: y\n"
    sections = detector.find(text)
    assert sections[0].start == 0 and sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(sections))


@pytest.mark.parametrize("name", ["indication", "comparison", "technique", "exam"])
def test_non_counting_sections(name: str) -> None:
    assert load_rules().sections["categories"][name]["counts"] is False


# --- document type and clinical-note sections (issue 11 items 2 and 5) ------------------------------


def document(detector: SectionDetector, text: str) -> dict[str, str | None]:
    return detector.analyse(text)[1]


def test_a_report_without_note_headers_is_a_radiology_report(detector: SectionDetector) -> None:
    text = "EXAM: MRI lumbar spine\nHISTORY: back pain\nFINDINGS: Mild bulge.\nIMPRESSION: Bulge."
    assert document(detector, text) == {"type": "radiology_report", "cue": None}


def test_a_clinic_note_is_told_by_its_history_header(detector: SectionDetector) -> None:
    text = "CHIEF COMPLAINT: Back pain.\nHISTORY OF PRESENT ILLNESS: Fell last week.\nPLAN: Rest."
    assert document(detector, text) == {"type": "clinic_note", "cue": "CHIEF COMPLAINT"}


def test_an_operative_note_is_told_before_a_clinic_note(detector: SectionDetector) -> None:
    text = "HPI: Neck pain.\nPREOPERATIVE DIAGNOSIS: Stenosis.\nPOSTOPERATIVE DIAGNOSIS: Same."
    assert document(detector, text)["type"] == "operative_note"


def test_a_consult_is_told_by_its_reason_for_consultation(detector: SectionDetector) -> None:
    text = "REASON FOR CONSULTATION: Weakness.\nHISTORY OF PRESENT ILLNESS: Two weeks.\nIMPRESSION: Myelopathy."
    assert document(detector, text)["type"] == "consult_note"


def test_exam_in_a_clinic_note_is_the_physical_examination(detector: SectionDetector) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Pain.\nEXAM: Alert, strength 5/5.\nASSESSMENT: Strain."
    assert names(detector, text) == ["history", "physical_exam", "impression"]


def test_exam_in_a_radiology_report_is_the_exam_title(detector: SectionDetector) -> None:
    assert names(detector, "EXAM: CT head\nFINDINGS: Normal.") == ["exam", "findings"]


def test_history_sections_of_a_note_do_not_count(detector: SectionDetector) -> None:
    text = "CC: Pain.\nPAST MEDICAL HISTORY: Cancer.\nREVIEW OF SYSTEMS: Negative.\nMEDICATIONS: None."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history", "history", "history", "medications"]
    assert not any(detector.counts[s.name] for s in sections)


@pytest.mark.parametrize(
    "header", ["ALLERGIES", "Allergy", "DRUG ALLERGIES", "KNOWN DRUG ALLERGIES", "ALLERGIES/ADVERSE REACTIONS"]
)
def test_an_allergy_list_is_no_finding_of_the_visit(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Neck pain.\n{header}: Penicillin (rash), contrast dye.\nASSESSMENT: Cervical strain."
    assert names(detector, text) == ["history", "medications", "impression"]


@pytest.mark.parametrize("header", ["CORONARY RISK FACTORS", "SUBSTANCE ABUSE", "RISK FACTORS FOR FALLS"])
def test_risk_factors_and_substance_use_of_a_note_are_history(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Dizziness.\n{header}: Smoker; one fall last year.\nASSESSMENT: Vertigo."
    assert names(detector, text) == ["history", "history", "impression"]


@pytest.mark.parametrize("header", ["MEDICATIONS AT HOME", "CURRENT HOME MEDICATIONS", "MEDS ON ADMISSION"])
def test_any_medication_list_label_is_a_medication_section(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Dizziness.\n{header}: Alendronate weekly.\nASSESSMENT: Vertigo."
    assert names(detector, text) == ["history", "medications", "impression"]


@pytest.mark.parametrize("label", ["UROLOGICAL", "GYN", "ENMT", "VISUAL"])
def test_more_review_of_systems_labels_stay_history(detector: SectionDetector, label: str) -> None:
    text = (f"HPI: Back pain.\nREVIEW OF SYSTEMS: Negative.\n{label}: Negative.\nMUSCULOSKELETAL: No fractures.\n"
            "ASSESSMENT: Strain.")
    assert names(detector, text) == ["history", "history", "history", "history", "impression"]


@pytest.mark.parametrize("header", ["BACKGROUND", "RELEVANT BACKGROUND INFORMATION", "FAMILY BACKGROUND"])
def test_a_background_label_of_a_note_is_its_history(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Memory complaints.\n{header}: Lives with his wife; hurt his back at work.\nASSESSMENT: Mild impairment."
    assert names(detector, text) == ["history", "history", "impression"]


def test_an_eeg_background_activity_label_stays_findings(detector: SectionDetector) -> None:
    text = "HPI: Seizure.\nBACKGROUND ACTIVITY: Well-formed alpha rhythm.\nIMPRESSION: Normal EEG."
    assert names(detector, text)[1] != "history"


@pytest.mark.parametrize("header", ["CODE STATUS", "INSURANCE", "Advance directives"])
def test_code_status_and_insurance_are_administrative(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Neck pain.\n{header}: Full.\nASSESSMENT: Cervical strain."
    assert names(detector, text) == ["history", "administrative", "impression"]


@pytest.mark.parametrize(
    "header", ["PRIOR SURGERIES", "Previous operations", "SURGERIES", "Past surgeries", "PREVIOUS INJURIES", "HOSPITALIZATIONS"]
)
def test_a_list_of_past_operations_injuries_or_stays_is_history(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Knee pain.\n{header}: 1. Lumbar laminectomy for stenosis.\nASSESSMENT: Knee arthritis."
    assert names(detector, text) == ["history", "history", "impression"]


def test_an_operation_header_of_an_operative_note_is_not_past_history(detector: SectionDetector) -> None:
    text = "PREOPERATIVE DIAGNOSIS: Stenosis.\nOPERATION: Lumbar laminectomy.\nFINDINGS: Thick ligament."
    assert names(detector, text)[1] != "history"


def test_preoperative_diagnosis_does_not_count_and_postoperative_does(detector: SectionDetector) -> None:
    text = "PREOPERATIVE DIAGNOSIS: Mass.\nPOSTOPERATIVE DIAGNOSIS: Mass.\nOPERATIVE FINDINGS: Tumor in bone."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history", "impression", "operative"]
    assert [detector.counts[s.name] for s in sections] == [False, True, True]


def test_course_assessment_and_plan_of_a_note_count(detector: SectionDetector) -> None:
    text = "HX: Pain.\nCOURSE: MRI done.\nASSESSMENT: Disc.\nPLAN: Therapy."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history", "course", "impression", "plan"]
    assert all(detector.counts[s.name] for s in sections[1:])


def test_a_caps_header_glued_by_a_comma_to_a_list(detector: SectionDetector) -> None:
    text = "PREOPERATIVE DIAGNOSES,1.  Mass.,POSTOPERATIVE DIAGNOSES,1.  Mass."
    assert names(detector, text) == ["history", "impression"]


def test_a_caps_header_glued_by_a_comma_to_its_first_sentence(detector: SectionDetector) -> None:
    """An export that lost the colon: the header's text starts with a capital right after the comma."""
    text = "PREOPERATIVE DIAGNOSIS,Knee pain.,POSTOPERATIVE DIAGNOSIS,Torn meniscus.,INDICATION FOR SURGERY,A fall."
    assert names(detector, text) == ["history", "impression", "history"]


def test_a_caps_word_glued_by_a_comma_to_lower_case_is_no_header(detector: SectionDetector) -> None:
    assert names(detector, "FINDINGS: Alignment is normal.,FINDINGS,as above.") == ["findings"]


def test_a_mixed_case_header_glued_after_an_exported_line_end_starts_its_section(detector: SectionDetector) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Fell at home.,Hospital Course: Braced.,Past Medical History: Gout."
    assert names(detector, text) == ["history", "course", "history"]


def test_a_mixed_case_body_system_label_stays_in_the_examination(detector: SectionDetector) -> None:
    text = "PHYSICAL EXAMINATION: Alert.,Neck: Supple.,Gait: Slow.,Impression: Sprain."
    assert names(detector, text) == ["physical_exam", "impression"]


def test_a_header_shaped_label_ends_a_non_counting_section(detector: SectionDetector) -> None:
    text = "TECHNIQUE: Axial images.\nCT PELVIS: Lytic lesion of the ilium.\nIMPRESSION: Lesion."
    sections = detector.find(text)
    assert [(s.name, s.header) for s in sections] == [
        ("technique", "TECHNIQUE"), ("findings", "CT PELVIS"), ("impression", "IMPRESSION")
    ]


def test_a_header_shaped_label_continues_a_counting_section(detector: SectionDetector) -> None:
    text = "HX: Pain.\nEXAM: Normal gait.\nMOTOR: Full strength."
    assert names(detector, text) == ["history", "physical_exam", "physical_exam"]


def test_a_level_heading_is_not_a_section_label(detector: SectionDetector) -> None:
    text = "FINDINGS:\nL4-L5: Disc bulge.\nL5-S1: Normal."
    assert names(detector, text) == ["findings"]


def test_a_label_that_opens_a_title_stays_in_the_title(detector: SectionDetector) -> None:
    assert names(detector, "EXAM: CT HEAD: without contrast\nFINDINGS: Normal.") == ["exam", "findings"]


def test_an_inline_comparison_ends_at_its_own_line(detector: SectionDetector) -> None:
    text = "COMPARISON: CT of 1/2/2019.\nThere is a new lytic lesion.\nIMPRESSION: Lesion."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["comparison", "findings", "impression"]
    assert text[sections[1].start : sections[1].end].startswith("There is a new lytic lesion.")


def test_a_comparison_wrapped_onto_a_lower_case_line_goes_on(detector: SectionDetector) -> None:
    text = "COMPARISON: CT of the chest and\nabdomen from 2019.\nFINDINGS: Normal."
    assert names(detector, text) == ["comparison", "findings"]


def test_a_notes_first_short_procedure_names_the_operation_and_a_later_one_tells_it(detector: SectionDetector) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Stenosis.\nPROCEDURE: Laminectomy.\nANESTHESIA: General.\nPROCEDURE: The lamina was removed."
    assert names(detector, text) == ["impression", "technique", "other", "operative"]


def test_a_long_procedure_section_of_a_note_is_its_narrative(detector: SectionDetector) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Stenosis.\nPROCEDURE: " + "The lamina was removed. " * 60
    assert names(detector, text) == ["impression", "operative"]


def test_the_physical_examination_shows_no_imaging_finding(detector: SectionDetector) -> None:
    text = "HPI: Pain.\nPHYSICAL EXAMINATION: Arthritic hands.\nASSESSMENT: Strain."
    sections = detector.find(text)
    assert [(s.name, detector.counts[s.name]) for s in sections] == [
        ("history", False), ("physical_exam", False), ("impression", True)
    ]


def test_the_unheaded_opening_of_a_note_is_its_history(detector: SectionDetector) -> None:
    text = "Thank you for referring this man, whose x-rays at the hospital were negative.\nHPI: Pain.\nASSESSMENT: Strain."
    assert names(detector, text) == ["history", "history", "impression"]


def test_the_unheaded_opening_of_a_radiology_report_counts(detector: SectionDetector) -> None:
    assert names(detector, "MRI LUMBAR SPINE\nFINDINGS: Normal.") == ["exam", "findings"]


def test_a_label_naming_a_study_opens_its_results(detector: SectionDetector) -> None:
    text = "HX: Weakness.\nEXAM: Weak legs.\nMRI T-SPINE 2/3/2004: Cord compression at T8.\nCOURSE: Surgery."
    assert names(detector, text) == ["history", "physical_exam", "findings", "course"]


def test_a_label_naming_a_study_wins_over_a_known_header_inside_it(detector: SectionDetector) -> None:
    text = "CHIEF COMPLAINT: Back pain.\nMRI LUMBAR SPINE: Compression fracture of L2.\nASSESSMENT: Pain."
    sections = detector.find(text)
    assert [(s.name, s.header) for s in sections][1] == ("findings", "MRI LUMBAR SPINE")


def test_a_parenthesis_before_a_labels_colon_keeps_it_a_label(detector: SectionDetector) -> None:
    text = "HPI: Myeloma.\nBONE SURVEY (this visit): Two lytic foci in the pelvis.\nPLAN: Follow up."
    assert [(s.name, s.header) for s in detector.find(text)][1] == ("findings", "BONE SURVEY")


def test_a_known_header_with_a_plural_mark_is_that_header(detector: SectionDetector) -> None:
    text = "INDICATIONS: Pain.\nPOSTOPERATIVE DIAGNOSIS (ES): Disc extrusion at L5-S1.\nPROCEDURE: Discectomy."
    assert ("impression", "POSTOPERATIVE DIAGNOSIS") in [(s.name, s.header) for s in detector.find(text)]


def test_a_long_parenthesis_is_no_label(detector: SectionDetector) -> None:
    text = "HPI: Pain.\nMRI (outside films reviewed with the patient today at length): stenosis.\nPLAN: Rest."
    assert names(detector, text) == ["history", "plan"]


def test_a_headers_words_stay_on_one_line(detector: SectionDetector) -> None:
    text = "LUMBAR DISCOGRAPHY WITH POST-DISCOGRAM CT\nFINDINGS: Fissure at L4-5."
    assert [(s.name, s.header) for s in detector.find(text)] == [("exam", ""), ("findings", "FINDINGS")]


def test_a_review_of_systems_body_system_label_stays_in_the_review(detector: SectionDetector) -> None:
    text = "CHIEF COMPLAINT: Back pain.\nREVIEW OF SYSTEMS: No fever.\nMUSCULOSKELETAL: No fractures.\nPLAN: Rest."
    assert names(detector, text) == ["history", "history", "history", "plan"]


@pytest.mark.parametrize("label", ["NERVOUS SYSTEM", "CENTRAL NERVOUS SYSTEM", "ONCOLOGIC", "ALLERGIC/LYMPH", "VASCULAR"])
def test_more_review_of_systems_labels_stay_in_the_review(detector: SectionDetector, label: str) -> None:
    text = f"CHIEF COMPLAINT: Back pain.\nREVIEW OF SYSTEMS: No fever.\n{label}: Negative.\nMUSCULOSKELETAL: No fractures."
    assert names(detector, text) == ["history", "history", "history", "history"]


def test_an_organ_label_after_a_radiology_reports_history_is_findings(detector: SectionDetector) -> None:
    text = "HISTORY: Cough.\nCHEST: Lytic lesion in a rib.\nIMPRESSION: Lesion."
    assert names(detector, text) == ["indication", "findings", "impression"]


def test_a_notes_mixed_case_study_line_opens_its_results(detector: SectionDetector) -> None:
    text = "HPI: Fell on the right hand.\nXR R wrist: no fracture.\nA/P: Sprain."
    assert names(detector, text)[:3] == ["history", "findings", "impression"]


def test_a_mixed_case_study_line_of_a_radiology_report_is_no_header(detector: SectionDetector) -> None:
    text = "EXAM: CT CHEST\nCOMPARISON:\nCT Chest: 1/2/2020\nFINDINGS: Normal."
    assert names(detector, text) == ["exam", "comparison", "findings"]


def test_a_study_label_after_a_notes_sentence_opens_its_results(detector: SectionDetector) -> None:
    text = "HOSPITAL COURSE: Fell. Outside CT head: negative.\nASSESSMENT: Contusion."
    assert names(detector, text)[1:] == ["findings", "impression"]


def test_a_study_named_inside_the_history_lines_stays_history(detector: SectionDetector) -> None:
    """Session 24: the readers' HPI does not count (dev-gold README); a study line of its own below it still opens
    the note's results (test_a_notes_mixed_case_study_line_opens_its_results)."""
    text = "HPI: Fell. Outside CT head: negative.\nASSESSMENT: Contusion."
    assert names(detector, text) == ["history", "impression"]


def test_a_study_label_may_name_its_body_part_first(detector: SectionDetector) -> None:
    text = "HPI: Hip pain.\nPelvis XR 11/02: no fracture.\nASSESSMENT: Sprain."
    assert names(detector, text) == ["history", "findings", "impression"]


@pytest.mark.parametrize("line", ["Failed injections. MRI L-spine 08/2026: severe stenosis.", "MRI L-spine: severe stenosis."])
def test_a_study_line_in_an_operations_indications_opens_nothing(detector: SectionDetector, line: str) -> None:
    """Indications retell the imaging that led to the operation: why it was done, not a result (session 22)."""
    text = f"OPERATIVE REPORT\nINDICATIONS: Claudication.\n{line}\nDESCRIPTION OF PROCEDURE: Laminectomy."
    assert "findings" not in names(detector, text)


def test_a_study_named_inside_a_notes_sentence_opens_nothing(detector: SectionDetector) -> None:
    text = "HPI: Fell, compared with the outside CT head: unchanged.\nASSESSMENT: Contusion."
    assert names(detector, text) == ["history", "impression"]


def test_a_study_label_after_an_abbreviation_stop_opens_nothing(detector: SectionDetector) -> None:
    text = "HPI: Sprain vs. CT head: to decide.\nASSESSMENT: Contusion."
    assert names(detector, text) == ["history", "impression"]


def test_a_study_label_inside_an_open_parenthesis_opens_nothing(detector: SectionDetector) -> None:
    text = "PMH: syncope 2019 (echo normal. MRI brain: small vessel disease).\nASSESSMENT: Contusion."
    assert names(detector, text) == ["history", "impression"]


def test_nerve_conduction_results_are_findings(detector: SectionDetector) -> None:
    text = "HISTORY OF PRESENT ILLNESS: Numb feet.\nPHYSICAL EXAMINATION: Normal.\nNERVE CONDUCTION STUDIES: Slowed."
    assert names(detector, text) == ["history", "physical_exam", "findings"]


def test_a_header_word_inside_a_title_glued_by_a_comma_is_no_header(detector: SectionDetector) -> None:
    text = "EXAM:,MRI CERVICAL SPINE WITHOUT CONTRAST,CLINICAL:, Neck pain.,FINDINGS:, Normal."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["exam", "indication", "findings"]
    assert text[sections[0].body_start : sections[0].end].startswith("MRI CERVICAL SPINE WITHOUT CONTRAST")


def test_imaging_heads_a_radiology_reports_title_and_a_notes_results(detector: SectionDetector) -> None:
    assert names(detector, "IMAGING: Bone scan\nFINDINGS: Normal.") == ["exam", "findings"]
    assert names(detector, "HPI: Pain.\nIMAGING: CT showed a lesion.") == ["history", "findings"]


def test_an_inline_comparison_ends_at_a_glued_line_end(detector: SectionDetector) -> None:
    text = "FINDINGS:,Axial images. COMPARISON: MRI of 2004.,There is a bulge at L4-5.,IMPRESSION:,Bulge."
    assert names(detector, text) == ["findings", "comparison", "findings", "impression"]


def test_an_inline_comparison_goes_on_past_an_abbreviations_stop_and_comma(detector: SectionDetector) -> None:
    text = "COMPARISON: Chest 2 views at 4 p.m., CT chest of 2019.\nFINDINGS: Clear."
    assert names(detector, text) == ["comparison", "findings"]


def test_an_inline_comparison_ends_at_a_glue_over_an_empty_line(detector: SectionDetector) -> None:
    text = "COMPARISON: MRI of 2004., ,There is a bulge at L4-5."
    assert names(detector, text) == ["comparison", "findings"]


def test_a_label_holding_a_known_header_yields_to_it(detector: SectionDetector) -> None:
    text = "HPI: Work up for polyps, COLITIS    DESCRIPTION OF OPERATION: Scope passed."
    sections = detector.find(text)
    assert [(s.name, s.header) for s in sections][-1][1] == "DESCRIPTION OF OPERATION"
    assert "COLITIS" in text[sections[0].body_start : sections[0].end]


# --- whole labels, missing note headers and the document type (audit of the dev texts, s5) ------------


def test_an_indication_for_the_operation_is_not_the_operation(detector: SectionDetector) -> None:
    text = (
        "OPERATION PERFORMED: Hip arthroplasty.\nINDICATIONS FOR THE OPERATION: Films showed hip arthritis.\n"
        "DESCRIPTION OF PROCEDURE: The joint was replaced."
    )
    sections = detector.find(text)
    assert [(s.name, s.header) for s in sections][1] == ("history", "INDICATIONS FOR THE OPERATION")
    assert [s.name for s in sections] == ["technique", "history", "operative"]


def test_a_reason_for_the_procedure_glued_after_a_comma_is_no_procedure(detector: SectionDetector) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Hernia.,REASON FOR PROCEDURE:,  Pain for a year.,FINDINGS:,  A small sac."
    assert names(detector, text) == ["impression", "history", "findings"]


def test_an_indication_label_in_a_radiology_report_is_the_indication(detector: SectionDetector) -> None:
    assert names(detector, "INDICATIONS FOR THE INJECTION: Hip pain.\nFINDINGS: Normal.") == ["indication", "findings"]


def test_a_reason_label_that_names_a_study_still_opens_its_results(detector: SectionDetector) -> None:
    text = "HPI: Fell.\nREASON FOR CT SCAN: The scan shows a rib fracture."
    assert names(detector, text) == ["history", "findings"]


@pytest.mark.parametrize(
    "header",
    [
        "HISTORY OF PRESENT COMPLAINT",
        "HISTORY OF PRESENTING PROBLEM",
        "HISTORY OF PRESENT PROBLEM",
        "HISTORY OF INJURY AND PRESENT COMPLAINTS",
        "REASON FOR ADMISSION",
        "BRIEF HISTORY OF THE PATIENT",
        "PRESENT COMPLAINTS",
        "REASON FOR THE CONSULT",
        "CLINICAL NOTE",
        "HISTORY OF THE WORK INJURY",  # no rule of its own: read by its words
    ],
)
def test_history_headers_of_a_note_are_history(detector: SectionDetector, header: str) -> None:
    text = f"CHIEF COMPLAINT: Neck pain.\n{header}: Fell from a ladder.\nASSESSMENT: Strain."
    assert names(detector, text) == ["history", "history", "impression"]


def test_a_history_label_that_also_holds_findings_keeps_counting(detector: SectionDetector) -> None:
    text = "HPI: Knee pain.\nHISTORY AND GROSS FINDINGS: The femoral condyle was eroded."
    sections = detector.find(text)
    assert sections[-1].name == "findings" and detector.counts[sections[-1].name]


def test_a_course_in_the_emergency_department_is_the_course(detector: SectionDetector) -> None:
    text = "CHIEF COMPLAINT: Fall.\nPHYSICAL EXAM: Tender neck.\nCOURSE IN THE ED: Films of the neck were normal."
    assert names(detector, text) == ["history", "physical_exam", "course"]


def test_an_operative_narrative_after_the_plan_is_operative(detector: SectionDetector) -> None:
    text = "HPI: Ankle fracture.\nPLAN: Fixation.\nOPERATIVE NARRATIVE: The fracture was reduced under fluoroscopy."
    assert names(detector, text) == ["history", "plan", "operative"]


def test_findings_and_procedure_of_a_note_are_its_operative_account(detector: SectionDetector) -> None:
    text = "PREOPERATIVE DIAGNOSIS: Lipoma.\nFINDINGS AND PROCEDURE: The mass was excised."
    assert names(detector, text) == ["history", "operative"]


def test_consent_risks_and_billing_codes_do_not_count(detector: SectionDetector) -> None:
    text = (
        "PREOPERATIVE DIAGNOSIS: Stenosis.\nINFORMED CONSENT: Obtained.\nRISKS AND BENEFITS: Nerve injury was explained.\n"
        "CPT CODES: 63047.\nICD-10 CODES: M48.06."
    )
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history"] + ["administrative"] * 4
    assert not any(detector.counts[s.name] for s in sections)


def test_therapy_examination_headers_are_the_physical_examination(detector: SectionDetector) -> None:
    text = "CHIEF COMPLAINT: Knee pain.\nINSPECTION: Old scar.\nPALPATION: Tender.\nRANGE OF MOTION: Full.\nGAIT: Antalgic."
    assert names(detector, text) == ["history"] + ["physical_exam"] * 4


def test_a_numbered_header_is_a_header(detector: SectionDetector) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Stenosis.\nDESCRIPTION OF PROCEDURE #2: The lamina was removed."
    assert names(detector, text) == ["impression", "operative"]


def test_a_header_that_ends_a_longer_label_still_tells_the_document(detector: SectionDetector) -> None:
    text = "HISTORY AND REASON FOR CONSULTATION: Weak legs.\nIMPRESSION: Myelopathy."
    assert document(detector, text)["type"] == "consult_note"


def test_a_procedure_note_without_diagnosis_headers_is_an_operative_note(detector: SectionDetector) -> None:
    text = "PROCEDURE PERFORMED: Hernia repair.\nDESCRIPTION OF PROCEDURE: The sac was tied off."
    assert document(detector, text) == {"type": "operative_note", "cue": "PROCEDURE PERFORMED"}
    assert names(detector, text) == ["technique", "operative"]


def test_an_image_guided_procedure_naming_its_study_stays_a_radiology_report(detector: SectionDetector) -> None:
    text = "CT-GUIDED BIOPSY OF THE LEFT ILIUM\nPROCEDURE PERFORMED: Core biopsy.\nDESCRIPTION OF PROCEDURE: Needle placed."
    assert document(detector, text)["type"] == "radiology_report"


def test_a_catheterisation_report_naming_its_study_stays_a_radiology_report(detector: SectionDetector) -> None:
    text = "PROCEDURES PERFORMED:\n1. Left heart catheterization.\n2. Coronary angiography.\nDESCRIPTION OF PROCEDURE: Access."
    assert document(detector, text)["type"] == "radiology_report"


def test_a_soap_note_is_a_clinic_note_read_part_by_part(detector: SectionDetector) -> None:
    text = "S: Back pain is better.\nO: Afebrile, tender spine.\nA: Lumbar strain.\nP: Keep up therapy."
    assert document(detector, text) == {"type": "clinic_note", "cue": "S:"}
    assert names(detector, text) == ["history", "physical_exam", "impression", "plan"]


def test_a_note_typed_by_its_hpi_keeps_its_soap_parts(detector: SectionDetector) -> None:
    text = "HPI: Foot pain.\nO: Tender navicular.\nA: Suspected stress fracture.\nP: Boot."
    assert document(detector, text) == {"type": "clinic_note", "cue": "HPI"}
    assert names(detector, text) == ["history", "physical_exam", "impression", "plan"]


def test_a_note_typed_by_its_hpi_needs_three_soap_labels(detector: SectionDetector) -> None:
    text = "HPI: Foot pain.\nA: see above.\nP: Boot."
    assert names(detector, text) == ["history"]


def test_two_one_letter_labels_do_not_make_a_soap_note(detector: SectionDetector) -> None:
    text = "FINDINGS: Mild bulge.\nA: see above.\nP: none."
    assert document(detector, text)["type"] == "radiology_report"


def test_a_letter_to_the_referring_doctor_is_a_consult_note(detector: SectionDetector) -> None:
    text = "Dear Dr. Lee,\nThank you for asking me to see Mr. Ng about his back.\nYours sincerely"
    assert document(detector, text) == {"type": "consult_note", "cue": "Dear Dr"}


def test_a_letter_without_headers_is_read_whole(detector: SectionDetector) -> None:
    sections = detector.find("Dear Dr. Lee,\nI saw your patient today; his films show a healed fracture.\nSincerely")
    assert [s.name for s in sections] == ["preamble"] and detector.counts["preamble"]


@pytest.mark.parametrize("footer", ["cc: Dr. R. Lane, Spine Clinic", "cc: Mrs J Peploe (patient)", "CC: John Hale, MD",
                                    "cc: referring physician"])
def test_a_copy_list_footer_is_no_chief_complaint(detector: SectionDetector, footer: str) -> None:
    text = f"MRI LUMBAR SPINE\nFINDINGS: Mild bulge at L4-5.\nIMPRESSION: Mild bulge.\n{footer}\n"
    assert document(detector, text)["type"] == "radiology_report"
    assert names(detector, text) == ["exam", "findings", "impression", "administrative"]


@pytest.mark.parametrize("complaint", ["CC: low back pain", "CC: Mrs. Jones presents with back pain", "CC: Back Pain"])
def test_a_chief_complaint_stays_one(detector: SectionDetector, complaint: str) -> None:
    text = f"ORTHO NOTE\n{complaint}\nXR L-spine: no fracture."
    assert document(detector, text) == {"type": "clinic_note", "cue": "CC"}
    assert names(detector, text)[1] == "history"


def test_a_densitometry_sites_line_is_findings(detector: SectionDetector) -> None:
    text = "BONE DENSITOMETRY\nHistory: early menopause.\nSites: AP spine L1-L4 (L3 excluded, sclerotic facets).\n"
    assert names(detector, text) == ["preamble", "indication", "findings"]


def test_a_discrepancy_with_the_preliminary_read_counts(detector: SectionDetector) -> None:
    text = "CT C-SPINE - FINAL\nIndication: fall.\nDiscrepancy with preliminary report: a C6 lamina fracture.\n"
    assert names(detector, text) == ["exam", "indication", "addendum"]


def test_a_protocol_is_a_report_technique_and_a_notes_own_words(detector: SectionDetector) -> None:
    report = "MRI WHOLE SPINE\nPROTOCOL: cord compression protocol.\nFINDINGS: No epidural disease."
    note = "TRIAGE NOTE\nCC: back pain\nProtocol: neuro sx in a cancer pt -> possible cord compression.\n"
    assert names(detector, report) == ["exam", "technique", "findings"]
    assert names(detector, note) == ["history", "history", "other"]


def test_a_reason_in_a_letters_body_is_the_letters_words(detector: SectionDetector) -> None:
    text = "Dear Mr. Quint,\nThe request is denied.\nReason: your PET/CT of 11/20 showed no metastases.\nSincerely"
    assert names(detector, text) == ["preamble", "preamble"]


def test_a_reason_in_a_consult_letter_with_its_own_impression_stays_the_indication(detector: SectionDetector) -> None:
    text = "Dear Dr. Hallam,\nReason: hip pain.\nThank you for referring him.\nImpression: bursitis.\n"
    assert names(detector, text) == ["history", "indication", "impression"]


@pytest.mark.parametrize(("text", "expected"), [
    # a results header lists the studies, not the writer's judgement: the opening stays the letter's body (session 33)
    ("Dear Dr Patel,\nShe has breast cancer with bone metastases.\n\nImaging:\nMRI brain: normal.\n",
     ["preamble", "findings", "findings"]),
    # results and a plan, still no judgement of the letter's own: the opening is the body
    ("Dear Dr Patel,\nShe has breast cancer with bone metastases.\nImaging:\nMRI brain: normal.\nPlan: review.\n",
     ["preamble", "findings", "findings", "plan"]),
    # near miss: an impression header of the letter's own keeps the opening as its presenting history
    ("Dear Dr Patel,\nShe has breast cancer with bone metastases.\nImaging:\nMRI brain: normal.\n"
     "Impression: stable.\n", ["history", "findings", "findings", "impression"]),
])
def test_a_letters_results_header_alone_leaves_its_opening_the_body(
        detector: SectionDetector, text: str, expected: list[str]) -> None:
    assert names(detector, text) == expected


def test_a_radiology_report_that_thanks_the_referrer_stays_a_radiology_report(detector: SectionDetector) -> None:
    text = "MRI LUMBAR SPINE\nFINDINGS: Mild bulge at L4-5.\nThank you for referring this patient."
    assert document(detector, text)["type"] == "radiology_report"


_HEADERS = sorted(rule["literal"].upper() for rule in load_rules().sections["section_rules"])
_SEGMENT_PIECES = st.sampled_from([",", ".", " ", "\n", "1.", "12.", "AB", "Ab", "A b", "x", ":", "-"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_SEGMENT_PIECES, st.sampled_from(_HEADERS)), max_size=12))
def test_the_glued_segment_scan_is_skipped_only_when_it_cannot_match(pieces: list[str]) -> None:
    """A text without a header's last letter before ",1." or ",AB" has no ALL CAPS segment glued by a comma."""
    detector = SectionDetector(load_rules().sections)
    text = "".join(piece.upper() if piece.isalpha() and len(piece) > 2 else piece for piece in pieces)
    if detector.caps_comma_needs.search(text) is None:
        assert detector.caps_comma_rx.search(text) is None


# --- session 6: H&P titles, a plain PROCEDURE header in a clinic note, headers after the plan -------------


def test_a_history_and_physical_title_makes_a_clinic_note(detector: SectionDetector) -> None:
    text = "HISTORY AND PHYSICAL\nA 70-year-old man with myeloma and new back pain.\nASSESSMENT: Possible T8 lesion."
    assert document(detector, text) == {"type": "clinic_note", "cue": "HISTORY AND PHYSICAL"}


def test_the_text_under_a_history_and_physical_header_is_history(detector: SectionDetector) -> None:
    text = "HISTORY AND PHYSICAL: The patient fell at home.\nPHYSICAL EXAMINATION: Tender hip.\nPLAN: Films."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history", "physical_exam", "plan"]
    assert not detector.counts[sections[0].name]


def test_h_and_p_abbreviation_is_the_same_title(detector: SectionDetector) -> None:
    assert document(detector, "H&P\nCC: Neck pain.\nPLAN: MRI.")["type"] == "clinic_note"


def test_a_plain_procedure_header_in_a_clinic_note_keeps_the_note_type(detector: SectionDetector) -> None:
    text = "HPI: Low back pain.\nPHYSICAL EXAM: Tender.\nPROCEDURE: Trigger point injection.\nPLAN: Return in 2 weeks."
    assert document(detector, text) == {"type": "clinic_note", "cue": "HPI"}
    assert names(detector, text) == ["history", "physical_exam", "technique", "plan"]


@pytest.mark.parametrize("header", ["PATIENT INSTRUCTIONS", "WORK STATUS", "PRESCRIPTIONS", "DISPOSITION"])
def test_an_unknown_header_after_the_plan_continues_the_plan(detector: SectionDetector, header: str) -> None:
    text = f"HPI: Neck pain.\nPLAN: Physical therapy.\n{header}: Return if worse."
    assert names(detector, text) == ["history", "plan", "plan"]


def test_a_templated_finding_line_ends_the_technique(detector: SectionDetector) -> None:
    text = "Radiopharmaceutical: Tc-99m MDP, 22 mCi\nBony lesions suspicious for tumor: No\nImpression: Normal study."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["technique", "findings", "impression"]
    assert text[sections[1].start :].startswith("Bony lesions suspicious for tumor: No")


def test_a_templated_line_with_an_answer_and_a_comment_ends_the_technique(detector: SectionDetector) -> None:
    text = "TECHNIQUE: Sagittal and axial images.\nFracture: Yes, the left sixth rib.\nIMPRESSION: Rib fracture."
    assert names(detector, text) == ["technique", "findings", "impression"]


def test_a_spine_reports_level_lines_below_its_indication_are_its_findings(detector: SectionDetector) -> None:
    """Session 21: "L4-5: Mild bulge." under a one-line indication, with no findings header, read the levels."""
    text = "MR L-SPINE\nIndication: discogenic pain\nL3-4: Normal.\nL4-5: No protrusion.\nImpression: Normal."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["exam", "indication", "findings", "impression"]
    assert text[sections[2].start :].startswith("L3-4: Normal.")


def test_a_level_line_in_the_history_above_a_findings_header_stays_history(detector: SectionDetector) -> None:
    text = "CLINICAL HISTORY:\nL4-5: microdiscectomy 2023 for an extrusion.\nFINDINGS:\nNo recurrent herniation."
    assert names(detector, text) == ["indication", "findings"]


@pytest.mark.parametrize("line", ["IV contrast: None", "Sedation: No.", "Radiotracer uptake phase: 3 hours"])
def test_a_templated_technique_line_stays_technique(detector: SectionDetector, line: str) -> None:
    assert names(detector, f"TECHNIQUE: Axial images.\n{line}\nIMPRESSION: Normal.") == ["technique", "impression"]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("PROCEDURE: , Facet joint injection, left L4-5.,INFORMED CONSENT: , Risks were explained.", "INFORMED CONSENT"),
        ("PREPROCEDURE DIAGNOSIS: , Sick sinus syndrome.,POSTPROCEDURE DIAGNOSIS: , Same.", "PREPROCEDURE DIAGNOSIS"),
        ("PROCEDURES PLANNED AND PERFORMED,1.  Loop recorder insertion.,PLAN: , Home today.", "PROCEDURES PLANNED AND PERFORMED"),
        ("PROCEDURE: , Epidural steroid injection.,POST PROCEDURE INSTRUCTIONS: , Ice the site.", "POST PROCEDURE INSTRUCTIONS"),
    ],
)
def test_a_procedure_note_is_told_by_its_consent_diagnoses_or_aftercare(detector: SectionDetector, text: str, cue: str) -> None:
    """Session 14: procedure notes with none of the operative headers were typed radiology reports."""
    assert document(detector, text) == {"type": "operative_note", "cue": cue}


def test_an_imaging_guided_procedure_with_a_consent_header_stays_a_radiology_report(detector: SectionDetector) -> None:
    text = "CT-GUIDED BIOPSY OF THE LEFT ILIUM\nINFORMED CONSENT: Risks were explained.\nFINDINGS: Needle in the lesion."
    assert document(detector, text)["type"] == "radiology_report"


def test_a_history_of_present_complaint_tells_a_clinic_note(detector: SectionDetector) -> None:
    text = "HISTORY OF PRESENT COMPLAINT: , She tripped on a kerb and fell onto her back.,PLAN: , Rest."
    assert document(detector, text) == {"type": "clinic_note", "cue": "HISTORY OF PRESENT COMPLAINT"}


def test_a_second_preoperative_diagnosis_header_is_the_postoperative_one(detector: SectionDetector) -> None:
    """An operative template's repeated PREOPERATIVE DIAGNOSIS stands where the postoperative one goes."""
    text = "PREOPERATIVE DIAGNOSIS: , Disc herniation.,PREOPERATIVE DIAGNOSIS: , Disc herniation.,PROCEDURE: , Discectomy."
    assert names(detector, text)[:2] == ["history", "impression"]


def test_a_single_preoperative_diagnosis_stays_history(detector: SectionDetector) -> None:
    # (a postoperative diagnosis of its own: "Same." would make the preoperative one count, session 16)
    text = "PREOPERATIVE DIAGNOSIS: , Disc herniation.,POSTOPERATIVE DIAGNOSIS: , Extruded disc.,PROCEDURE: , Discectomy."
    assert names(detector, text)[:2] == ["history", "impression"]
    assert [s.header for s in detector.find(text)][:2] == ["PREOPERATIVE DIAGNOSIS", "POSTOPERATIVE DIAGNOSIS"]


def test_a_delivery_note_is_an_operative_note(detector: SectionDetector) -> None:
    """Session 15: a delivery note tells labour and delivery as an operative note tells its operation."""
    text = "DELIVERY NOTE: , A term primigravida laboured for nine hours and delivered a girl vaginally."
    assert document(detector, text) == {"type": "operative_note", "cue": "DELIVERY NOTE"}
    assert names(detector, text) == ["operative"]


def test_an_autopsy_with_external_and_internal_examinations_is_a_pathology_report(detector: SectionDetector) -> None:
    text = "EXTERNAL EXAMINATION: , An adult man of slight build.,INTERNAL EXAMINATION: , The organs lie in place."
    assert document(detector, text) == {"type": "pathology_report", "cue": "EXTERNAL EXAMINATION"}


def test_an_external_examination_alone_tells_no_document_type(detector: SectionDetector) -> None:
    """An eye or ear examination has an external part too; only both examinations make an autopsy."""
    text = "EXTERNAL EXAMINATION: , Lids and lashes are normal.,IMPRESSION: , Healthy eyes."
    assert document(detector, text)["type"] == "radiology_report"


def test_a_procedure_named_after_a_comma_title_is_an_operative_note(detector: SectionDetector) -> None:
    """A title 'NAME OF PROCEDURE,' with no colon names the procedure as its header would."""
    text = "NAME OF PROCEDURE,1.  Diagnostic cardiac catheterization.,2.  Graft angiography.,FINDINGS: , Patent grafts."
    assert document(detector, text)["type"] == "operative_note"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("FEMALE PHYSICAL EXAMINATION,HEENT:  Clear.,BACK:  Straight, not tender.", "FEMALE PHYSICAL EXAMINATION"),
        ("MULTISYSTEM EXAM,CONSTITUTIONAL: , Afebrile.,BACK: , Not tender.", "MULTISYSTEM EXAM"),
        ("GENERAL: , Alert and calm.,MUSCULOSKELETAL: , Full movement.", "GENERAL:"),
    ],
)
def test_an_examination_template_is_a_clinic_note_whose_body_labels_do_not_count(
    detector: SectionDetector, text: str, cue: str
) -> None:
    """Session 15: a physical examination exported alone was read as a radiology report's counting findings."""
    assert document(detector, text) == {"type": "clinic_note", "cue": cue}
    assert "findings" not in names(detector, text)

# --- session 15: emergency and discharge note shapes ----------------------------------------------------


@pytest.mark.parametrize("header", ["MDM", "Medical decision making", "MEDICAL DECISION MAKING"])
def test_an_emergency_notes_decision_making_is_its_course(detector: SectionDetector, header: str) -> None:
    text = f"CHIEF COMPLAINT: Back pain.\nExam: Tender at L1.\n{header}: Lumbar films show no fracture."
    assert names(detector, text) == ["history", "physical_exam", "course"]


def test_a_mixed_case_study_line_may_name_its_views(detector: SectionDetector) -> None:
    text = "CC: Fall.\nExam: Swollen wrist.\nXR L forearm 2 views: No fracture."
    assert names(detector, text) == ["history", "physical_exam", "findings"]


def test_imaging_reviewed_holds_the_results_and_makes_a_note(detector: SectionDetector) -> None:
    text = "TRAUMA SURVEY\nExam: Tender shoulder.\nImaging reviewed:\nMRI L-spine: L1 burst fracture.\nAssessment: Stable."
    assert document(detector, text) == {"type": "clinic_note", "cue": "Imaging reviewed"}
    assert names(detector, text)[-3:] == ["findings", "findings", "impression"]


def test_an_assessment_and_plan_label_makes_a_clinical_note(detector: SectionDetector) -> None:
    text = "She had a pelvic ultrasound two weeks ago.\nA/P: Pelvic pain, likely a cyst."
    assert document(detector, text) == {"type": "clinic_note", "cue": "A/P"}
    assert names(detector, text) == ["history", "impression"]


def test_a_soap_note_with_an_assessment_and_plan_keeps_its_parts(detector: SectionDetector) -> None:
    text = "NOTE\nS: Cough.\nO: Crackles.\nA/P: Pneumonia."
    assert document(detector, text)["cue"] == "S:"
    assert names(detector, text)[-3:] == ["history", "physical_exam", "impression"]


def test_diagnoses_at_discharge_alone_on_a_line_count(detector: SectionDetector) -> None:
    text = "DISCHARGE SUMMARY\n\nDIAGNOSES AT DISCHARGE\n* Back pain\n\nBRIEF HOSPITAL COURSE\nAdmitted for pain."
    assert document(detector, text)["type"] == "discharge_summary"
    assert names(detector, text)[-2:] == ["impression", "course"]


def test_an_mr_title_in_capitals_keeps_a_history_header_below_it_a_radiology_report(detector: SectionDetector) -> None:
    text = "MR LUMBAR SPINE\nHx: back pain.\nFindings: Mild facet arthrosis."
    assert document(detector, text)["type"] == "radiology_report"
    assert names(detector, text) == ["exam", "history", "findings"]


def test_mr_before_a_name_is_no_imaging_title(detector: SectionDetector) -> None:
    text = "MR JONES IS A 45 YEAR OLD MAN\nHx: fall.\nAssessment: Strain."
    assert document(detector, text)["type"] == "clinic_note"


def test_mixed_case_data_reviewed_and_principal_diagnosis_count(detector: SectionDetector) -> None:
    text = "Consultation\nHPI: Back pain.\nData reviewed: CT shows a lytic lesion.\nPrincipal diagnosis: Myeloma."
    assert names(detector, text)[-2:] == ["findings", "impression"]


# --- session 16 (acc34): copied-forward notes, "Postoperative diagnosis: Same." --------------------------------


@pytest.mark.parametrize(
    "divider", ["--- previous note 10/20/24 ---", "=== Copied forward from prior visit ===", "***** PRIOR CLINIC NOTE *****"]
)
def test_an_earlier_note_pasted_below_a_divider_is_history_whatever_its_headers(
    detector: SectionDetector, divider: str
) -> None:
    text = f"CC: Back pain.\nA/P: Improving sciatica.\n{divider}\nCC: Back pain.\nA/P: Possible fracture."
    sections = detector.find(text)
    assert [s.name for s in sections] == ["history", "impression", "history", "history", "history"]
    assert sections[2].start == text.index(divider)


def test_a_dashed_rule_that_names_no_earlier_note_divides_nothing(detector: SectionDetector) -> None:
    text = "CC: Back pain.\n----------\nA/P: Possible fracture."
    assert names(detector, text) == ["history", "impression"]


def test_an_earlier_report_pasted_below_a_radiology_report_is_a_comparison(detector: SectionDetector) -> None:
    text = "FINDINGS: Healed fracture.\n--- prior report ---\nIMPRESSION: Acute fracture."
    assert names(detector, text) == ["findings", "comparison", "comparison"]


@pytest.mark.parametrize("same", ["Same.", "same as preoperative diagnosis", ",  Same.,", "As above."])
def test_a_postoperative_diagnosis_of_same_makes_the_preoperative_one_count(detector: SectionDetector, same: str) -> None:
    text = f"PREOPERATIVE DIAGNOSIS: Pathologic fracture of L1.\nPOSTOPERATIVE DIAGNOSIS: {same}\nPROCEDURE: Fusion."
    assert names(detector, text)[:2] == ["impression", "impression"]


def test_a_same_postoperative_diagnosis_above_template_fields_makes_the_preoperative_one_count(
    detector: SectionDetector,
) -> None:
    # "Biopsy:" and "Cement volume:" are no known headers: the section runs on over them (session 22)
    text = ("Pre-procedure diagnosis: L1 compression fracture\nPost-procedure diagnosis: Same as pre-procedure "
            "diagnosis\nBiopsy: [ ] yes  [x] no\nCement volume: 6 mL\nEBL: minimal")
    assert names(detector, text)[:2] == ["impression", "impression"]


def test_a_postoperative_diagnosis_that_opens_with_same_as_a_word_is_its_own(detector: SectionDetector) -> None:
    text = "PREOP DX: L4-5 stenosis.\nPOSTOP DX: Same level recurrent disc herniation.\nLevels: L4-5\nEBL: 20 mL"
    assert names(detector, text)[:2] == ["history", "impression"]


def test_a_postoperative_diagnosis_of_its_own_leaves_the_preoperative_one_history(detector: SectionDetector) -> None:
    text = "PREOPERATIVE DIAGNOSIS: Fracture of L1.\nPOSTOPERATIVE DIAGNOSIS: Same, with tumor.\nPROCEDURE: Fusion."
    assert names(detector, text)[:2] == ["history", "impression"]


@pytest.mark.parametrize(("pre", "post"), [("PRE-OP DX", "POST-OP DX"), ("Preop dx", "Postop dx")])
def test_abbreviated_operative_diagnosis_headers_are_read_as_spelled_out_ones(
    detector: SectionDetector, pre: str, post: str
) -> None:
    text = f"{pre}: T12 fracture, r/o pathologic\n{post}: T12 fracture, biopsy pending\nFINDINGS: Soft bone."
    assert names(detector, text)[-3:] == ["history", "impression", "findings"]


def test_a_structured_findings_line_opens_the_findings(detector: SectionDetector) -> None:
    text = "Indication: myeloma\nStructured findings\nVertebral fracture: Y"
    assert names(detector, text)[-2:] == ["indication", "findings"]


def test_a_study_line_with_a_parenthesis_before_its_colon_is_that_studys_results(detector: SectionDetector) -> None:
    text = "CC: back pain\nHPI: two years of pain.\nXR L-spine today (2 views): no fracture.\nA/P: spondylosis."
    assert names(detector, text)[-2:] == ["findings", "impression"]


def test_a_same_postoperative_diagnosis_is_read_through_rtf_markup(detector: SectionDetector) -> None:
    text = "{\\rtf1 PREOPERATIVE DIAGNOSIS: L1 metastasis\\par POSTOPERATIVE DIAGNOSIS: Same\\par PROCEDURE: Fusion"
    assert [s.name for s in detector.find(text) if s.header][:2] == ["impression", "impression"]

# --- session 16: trauma and oncology review titles ---------------------------------------------------


@pytest.mark.parametrize("title", ["TERTIARY TRAUMA SURVEY", "TRAUMA H&P", "TRAUMA CONSULT", "CLINICAL ONCOLOGY REVIEW",
                                   "Acute oncology review"])
def test_a_trauma_or_oncology_review_title_makes_a_clinic_note(detector: SectionDetector, title: str) -> None:
    assert document(detector, f"{title}\nIMPRESSION: Left 5th rib fracture.")["type"] == "clinic_note"


@pytest.mark.parametrize("title", ["TRAUMA SERIES", "FILM REVIEW", "CASE REVIEW", "CT TRAUMA SURVEY"])
def test_a_trauma_series_or_a_bare_review_title_stays_a_radiology_report(detector: SectionDetector, title: str) -> None:
    assert document(detector, f"{title}\nIMPRESSION: Left 5th rib fracture.")["type"] == "radiology_report"


def test_a_header_may_say_who_wrote_it_in_brackets_before_its_colon(detector: SectionDetector) -> None:
    """"Findings (resident, Dr K. Tan):" is the findings header; a bracket with no colon stays in its line."""
    text = "Clinical: neck pain.\nFindings (resident, Dr K. Tan): C5-6 disc bulge.\nImpression: bulge."
    assert names(detector, text) == ["indication", "findings", "impression"]
    # no header: the line is the reading below a one-line history (session 18), not a "Findings" header
    text = "Clinical: neck pain.\nFindings (resident) were discussed."
    assert [(s.name, s.header) for s in detector.find(text)] == [("indication", "Clinical"), ("findings", "")]


def test_a_preliminary_read_above_the_final_read_is_a_comparison(detector: SectionDetector) -> None:
    """The final read replaced the preliminary one printed above it (docs/labels.md section 3, session 17)."""
    text = "Clinical: fall.\nPreliminary (radiographer, 19:50): ?lytic area.\nConsultant report: bowel gas.\n"
    assert names(detector, text) == ["indication", "comparison", "findings"]


def test_a_preliminary_read_alone_counts_as_findings(detector: SectionDetector) -> None:
    text = "Clinical: fall.\nPreliminary report: intertrochanteric fracture.\n"
    assert names(detector, text) == ["indication", "findings"]


def test_a_study_line_may_name_the_studys_kind_first(detector: SectionDetector) -> None:
    text = "S: no pain.\nO: Hb 12.\nWhole-body MRI 11/2026: no focal lesions. No fractures.\nA: smoldering myeloma."
    assert names(detector, text)[-2:] == ["findings", "impression"]


def test_a_notes_workup_header_holds_results(detector: SectionDetector) -> None:
    text = "HPI: fatigue.\nWorkup:\n- CT 11/26: lytic lesions in the ribs.\nIMPRESSION: Myeloma."
    assert names(detector, text)[:2] == ["history", "findings"]
def test_a_reading_with_no_header_of_its_own_follows_the_closing_history_line(detector: SectionDetector) -> None:
    """Session 18: the final read's header left empty, then "History: ..." and the reading on the next lines."""
    text = "XR CHEST\nPrelim: no acute.\nFINAL INTERPRETATION:\nHistory: fall\nRib fracture. No pneumothorax.\n"
    assert names(detector, text) == ["exam", "comparison", "findings", "indication", "findings"]
    assert names(detector, "CHEST 2 VIEWS\nHistory: cough.\nThe lungs are clear.") == ["exam", "indication", "findings"]


def test_a_one_line_hx_closes_the_header_lines_as_history_does(detector: SectionDetector) -> None:
    """Session 24: "Hx:" is a radiology report's history category ("History:" its indication); one line of it and
    the reading below, with no findings header, is that reading."""
    assert names(detector, "CT L-SPINE\nHx: fall\nL1 compression fracture.") == ["exam", "history", "findings"]


def test_a_banner_line_under_the_title_holds_no_reading(detector: SectionDetector) -> None:
    text = "CT L-SPINE\n** PRELIMINARY REPORT - FINAL TO FOLLOW **\nHx: fall\nL1 compression fracture."
    assert names(detector, text)[-2:] == ["history", "findings"]


def test_a_history_told_at_length_keeps_its_next_lines(detector: SectionDetector) -> None:
    text = "CT L-SPINE\nHx: " + "Diabetes, hypertension and a knee replacement. " * 5 + "\nHe then saw a doctor."
    assert names(detector, text) == ["exam", "history"]


def test_a_history_line_after_the_reading_keeps_the_lines_below_it(detector: SectionDetector) -> None:
    text = "CHEST 2 VIEWS\nFINDINGS: Clear lungs.\nCLINICAL HISTORY: breast cancer.\nBone metastases, restaging.\n"
    assert names(detector, text) == ["exam", "findings", "indication"]
    # a history wrapped onto a line that goes on in lower case is one history
    assert names(detector, "CHEST 2 VIEWS\nHistory: cancer with\nbone metastases.") == ["exam", "indication"]

# --- session 22: on-call notes, mixed-case background, timed updates ------------------------------------------


@pytest.mark.parametrize("title", ["ACUTE ONCOLOGY ON-CALL NOTE  21/11/2026 22:15",
                                   "Neurosurgery on-call advice (registrar) - 23:40",
                                   "ACUTE ONCOLOGY TELEPHONE TRIAGE (UKONS 24h)", "Out of hours review"])
def test_an_on_call_or_telephone_title_makes_a_clinic_note(detector: SectionDetector, title: str) -> None:
    assert document(detector, f"{title}\nImpression: Suspected MSCC.")["type"] == "clinic_note"


def test_an_on_call_title_that_names_a_study_stays_a_radiology_report(detector: SectionDetector) -> None:
    assert document(detector, "ON-CALL CT HEAD AND C-SPINE\nConclusion: No fracture.")["type"] == "radiology_report"


def test_a_mixed_case_background_ends_at_the_next_line_with_a_label_of_its_own(detector: SectionDetector) -> None:
    """'Background:' is the patient's story, its wrapped lines too; 'Imaging this cycle:' opens what was found."""
    text = ("TUMOUR BOARD NOTE\nBackground: breast ca, bone mets since 2022,\n  on letrozole.\n"
            "Imaging this cycle: CT TAP - sclerotic T4 lesion unchanged.\nPlan: continue.")
    found = [(s.name, text[s.body_start : s.end].strip()) for s in detector.find(text) if s.header]
    assert found[0] == ("history", "breast ca, bone mets since 2022,\n  on letrozole.")
    assert found[1] == ("findings", "CT TAP - sclerotic T4 lesion unchanged.")


def test_a_timed_update_in_a_note_is_an_addendum(detector: SectionDetector) -> None:
    text = "ED NOTE\nHPI: back pain.\nPlan: MRI L-spine.\nUpdate 22:30: MRI reported - no cauda equina compression."
    assert names(detector, text)[-1] == "addendum"


def test_mid_line_labels_of_one_line_each_see_the_parenthesis_their_line_left_open(detector: SectionDetector) -> None:
    """The line's state is carried from stop to stop (session 22): a label after an open "(" opens nothing, the
    ones before it and after its ")" do."""
    text = ("HOSPITAL COURSE: Fell. Pelvis XR 11/02: no fracture. Old work-up (echo normal. MRI brain 1992: old "
            "infarct). Since then well. Chest XR 11/03: clear.\nASSESSMENT: Contusion.")
    assert names(detector, text)[1:] == ["findings", "findings", "impression"]


def test_a_paragraph_after_a_one_line_indication_is_the_findings_when_an_impression_follows(
    detector: SectionDetector,
) -> None:
    """Session 25: the reading written with no header between the indication and the impression."""
    text = "Indication: thigh pain.\n\nThere is a lytic lesion in the left femur.\n\nIMPRESSION: See above."
    assert names(detector, text) == ["indication", "findings", "impression"]


def test_a_second_history_paragraph_before_a_findings_header_stays_the_indication(detector: SectionDetector) -> None:
    text = "Indication: back pain.\n\nKnown prostate cancer with bone mets.\n\nFINDINGS: Normal marrow.\n\nIMPRESSION: Normal."
    assert names(detector, text) == ["indication", "findings", "impression"]


def test_an_indication_wrapped_onto_a_lower_case_line_stays_one_before_an_impression(detector: SectionDetector) -> None:
    text = "Indication: back pain, known myeloma with\nprior L2 fracture.\n\nIMPRESSION: No acute abnormality."
    assert names(detector, text) == ["indication", "impression"]


def test_a_labelled_line_below_an_indication_is_not_cut_as_findings(detector: SectionDetector) -> None:
    """A quoted or preliminary read opens with its own label: it is left as the rules read it."""
    text = 'Clinical: staging.\nOriginal report: "Uptake in the pelvis."\nIMPRESSION: Paget disease.'
    assert names(detector, text) == ["indication", "impression"]


def test_a_study_line_may_list_its_parts_with_commas(detector: SectionDetector) -> None:
    """A staging CT's parts as a comma list still open its results below a note's history (session 26)."""
    text = "HPI: Enlarging nodes.\nCT neck, chest, abdomen and pelvis (11/26/2026): no bone lesions.\nASSESSMENT: CLL."
    assert names(detector, text) == ["history", "findings", "impression"]


@pytest.mark.parametrize("study", ["Skeletal survey 11/28", "Bone survey (today)"])
def test_a_skeletal_survey_line_opens_its_results(detector: SectionDetector, study: str) -> None:
    text = f"HPI: Review.\n{study}: no new lytic lesions.\nASSESSMENT: Myeloma, stable."
    assert names(detector, text) == ["history", "findings", "impression"]


def test_a_procedure_notes_fluoroscopic_findings_are_findings(detector: SectionDetector) -> None:
    """Session 26 (wave 53): what the operator saw on the images, not the technique the line follows."""
    text = ("PROCEDURE: C7-T1 interlaminar epidural injection under fluoroscopy.\n"
            "Fluoroscopic findings: Disc space narrowing at C5-6 and C6-7.\nComplications: none.")
    assert "findings" in names(detector, text)


@pytest.mark.parametrize("line", [
    "Radiographs today (standing AP/lat + flexion/extension lumbar): grade 1 anterolisthesis L4 on L5.",
    "X-ray (in-office, AP and lateral lumbopelvic): mild disc space narrowing at L4-5.",
    "MRI L-spine (09/2026) reviewed again: severe L4-5 stenosis.",
])
def test_a_notes_study_line_may_open_with_a_plain_word_or_carry_a_long_bracket(
        detector: SectionDetector, line: str) -> None:
    """Session 26 (wave 53): a clinic or chiropractic note's own films, below its history."""
    text = f"HPI: Back pain.\n{line}\nA/P: Degenerative spondylolisthesis."
    assert names(detector, text) == ["history", "findings", "impression"]
def test_an_attending_over_read_below_a_preliminary_read_is_the_final_read(detector: SectionDetector) -> None:
    """An over-read replaces the preliminary read as a final report does (session 26)."""
    text = "Clinical: fall.\nPreliminary report: ?rib fracture.\nAttending over-read: no rib fracture.\n"
    assert names(detector, text) == ["indication", "comparison", "findings"]


def test_a_final_read_that_only_agrees_keeps_the_preliminary_read(detector: SectionDetector) -> None:
    text = "Clinical: fall.\nPreliminary report: rib fracture.\nAttending over-read: I agree with the preliminary read.\n"
    assert names(detector, text) == ["indication", "findings", "findings"]
    # agreeing on one finding, then its own read: the preliminary read is replaced
    text = "Clinical: fall.\nPreliminary report: ?lytic area.\nConsultant report: Agree regarding the hip: bowel gas.\n"
    assert names(detector, text) == ["indication", "comparison", "findings"]


def test_an_osseous_findings_label_heads_findings(detector: SectionDetector) -> None:
    text = "Clinical: prostate cancer.\n\nOsseous findings:\nLesion: sclerotic lesion, left ilium\n"
    assert names(detector, text)[-1] == "findings"


def test_the_paragraph_after_a_technique_line_and_a_blank_line_is_the_findings(detector: SectionDetector) -> None:
    """Session 26: as after a one-line indication, when no findings section holds text."""
    text = ("XR FEMUR\nIndication: thigh pain.\nTechnique: 2 views.\n\nThere is a lytic lesion in the femur.\n\n"
            "IMPRESSION: See above.")
    assert names(detector, text)[-3:] == ["technique", "findings", "impression"]
    # a technique wrapping onto its next line (no blank line) keeps it
    text = "CT PELVIS\nTechnique: Axial images.\nSagittal reformats. Lytic lesion.\n\nIMPRESSION: See above."
    assert names(detector, text)[-2:] == ["technique", "impression"]


def test_a_plan_label_after_a_stop_on_an_assessment_line_heads_a_plan(detector: SectionDetector) -> None:
    """Session 27: "Assessment: contusion. ?rib fracture. Plan: analgesia, CXR." plans the radiograph."""
    text = "ED NOTE\nHPI: fell.\nAssessment: chest wall contusion. ?rib fracture. Plan: analgesia, CXR, review.\n"
    assert names(detector, text)[-2:] == ["impression", "plan"]


def test_a_plan_label_after_a_stop_in_a_history_stays_in_it(detector: SectionDetector) -> None:
    text = "CONSULT\nHPI: seen by ortho. Plan: MRI pelvis was done and showed a lesion.\nAssessment: metastasis.\n"
    assert names(detector, text)[-2:] == ["history", "impression"]


def test_a_skeletal_survey_after_a_stop_opens_its_results(detector: SectionDetector) -> None:
    """Session 27: as "Pelvis XR 11/02:" after a stop does (session 22)."""
    text = ("HEMATOLOGY CLINIC\nNewly diagnosed myeloma. Seen today. Skeletal survey 11/30: lytic lesions in the skull.\n"
            "Plan: VRd.\n")
    assert names(detector, text)[-2:] == ["findings", "plan"]


def test_field_lines_after_a_blank_line_under_an_indication_are_findings(detector: SectionDetector) -> None:
    """Session 27: a template's fields above its finding field ("Lesion: ..." over "Fracture: No") are findings."""
    text = ("XR TIBIA\nIndication: shin pain.\n\nLocation: left tibia\nLesion: lytic lesion\nFracture: No\n\n"
            "IMPRESSION: Lytic lesion.")
    found = detector.find(text)
    assert [s.name for s in found][-2:] == ["findings", "impression"]
    assert text[found[-2].start :].startswith("Location:")
    # a past field keeps the block the requisition's
    text = "XR HIP\nIndication: fall.\n\nPrevious fracture: yes\nFracture: No\n\nIMPRESSION: Normal."
    found = detector.find(text)
    assert text[found[-2].start :].startswith("Fracture:")


def test_level_lines_under_a_one_line_hx_are_findings(detector: SectionDetector) -> None:
    """Session 27: "Hx: sciatica." then "L4-5: ..." reads the level lines, as under "History:" (session 21)."""
    text = "MRI L-SPINE\nHx: sciatica.\nL4-5: No disc bulge.\nL5-S1: Mild facet arthropathy.\nImpression: Mild arthropathy."
    assert names(detector, text)[-3:] == ["history", "findings", "impression"]


def test_a_notes_study_line_right_under_a_one_line_indication_opens_its_results(detector: SectionDetector) -> None:
    """Session 27: a chiropractic note's own films under "History:"; an operative note's indications keep theirs."""
    text = "CHIROPRACTIC RE-EXAM\nHistory: chronic LBP.\nRadiographs (lumbar, 3 views): grade 1 anterolisthesis.\n"
    assert names(detector, text)[-1] == "findings"
    text = ("OPERATIVE NOTE\nPreoperative diagnosis: L4-5 HNP.\nIndications: leg pain.\nMRI L-spine 10/01: L4-5 "
            "extrusion.\nProcedure: microdiscectomy.\n")
    assert "findings" not in names(detector, text)[:3]


def test_an_imaging_line_naming_its_study_ends_at_the_next_field_line(detector: SectionDetector) -> None:
    """Session 27: a worksheet's 'Imaging: CT T-spine 11/22/2026' names its study; its fields below are findings."""
    text = "SINS WORKSHEET\nImaging: CT T-spine 11/22/2026\nBone lesion: blastic - 0\nVertebral body collapse: none\n"
    assert names(detector, text)[-2:] == ["exam", "findings"]


@pytest.mark.parametrize("header", ["Imaging presented", "Imaging reviewed at MDT", "Imaging review", "Review of imaging"])
def test_a_boards_imaging_presented_heads_findings(detector: SectionDetector, header: str) -> None:
    text = f"History: leg pain.\n\n{header}:\n- MRI L leg 11/27/2026: fibular lesion.\n"
    assert names(detector, text)[-1] == "findings"


def test_a_blank_line_and_an_all_caps_heading_end_the_technique(detector: SectionDetector) -> None:
    """Session 28: "Technique: ..." / blank line / "SKELETAL SURVEY" / "Skull: lytic lesions." reads the heading's
    lines as findings; a heading of the technique's own data ("RADIATION DOSE REPORT") stays technique."""
    text = ("CT WHOLE BODY\nIndication: myeloma.\nTechnique: low-dose CT.\n\nSKELETAL SURVEY\nSkull: lytic lesions.\n\n"
            "IMPRESSION: Myeloma.")
    sections = detector.find(text)
    assert [s.name for s in sections][-3:] == ["technique", "findings", "impression"]
    assert sections[-2].header == "SKELETAL SURVEY"
    text = ("CT PELVIS\nTechnique: helical CT.\n\nRADIATION DOSE REPORT\nDLP 400 mGy-cm.\n\nFINDINGS: No fracture.\n\n"
            "IMPRESSION: Normal.")
    assert [(s.name, s.header) for s in detector.find(text)][1:3] == [("technique", "Technique"), ("findings", "FINDINGS")]


def test_a_dictation_in_capitals_with_no_colon_opens_its_lines_with_headers(detector: SectionDetector) -> None:
    text = (
        "ED PROVIDER NOTE\nHPI 72 YO F WITH HX OF MYELOMA\nED COURSE CT SHOWS AN L2 FRACTURE NO CANAL COMPROMISE\n"
        "ASSESSMENT ACUTE L2 COMPRESSION FRACTURE\nPLAN MRI TO EVALUATE FOR CORD COMPRESSION\n"
    )
    assert names(detector, text) == ["history", "history", "course", "impression", "plan"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mixed-case text's words at a line start are no headers without their colon
        ("CT L-spine\nAssessment of the canal shows no stenosis.\nPlan view shows no fracture.\n", ["preamble"]),
        # a text in capitals that has its colons keeps them as its only headers
        ("FINDINGS: NO FRACTURE\nIMPRESSION NORMAL STUDY\n", ["findings"]),
        # a sentence in capitals that goes on from a header word is that word's sentence ("history of", "is")
        ("HISTORY OF RIGHT ARM DEEP VEIN THROMBOSIS.\n", ["preamble"]),
        ("IMPRESSION IS OF AN OLD L2 WEDGE DEFORMITY.\n", ["preamble"]),
    ],
)
def test_a_line_opening_with_a_header_word_is_no_header_otherwise(
    detector: SectionDetector, text: str, expected: list[str]
) -> None:
    assert names(detector, text) == expected


def test_a_body_part_labelled_line_under_a_one_line_indication_is_the_reading(detector: SectionDetector) -> None:
    """Session 31: "Clinical: found down." / blank line / "Head: ..." / "Cervical spine: ..." / "Impression: ..." reads
    the labelled lines as findings; a quoted read's label ("Original report:") still stays where it was."""
    text = ("CT HEAD AND CERVICAL SPINE\nClinical: found down.\n\nHead: Subdural haematoma.\n\n"
            "Cervical spine: No fracture.\n\nImpression: Subdural haematoma.")
    assert names(detector, text)[-3:] == ["indication", "findings", "impression"]
    text = "XR WRIST\nClinical: fall.\nOriginal report: No fracture.\nImpression: Subtle scaphoid fracture."
    assert "findings" not in names(detector, text)


def test_a_nuclear_study_part_line_under_a_one_line_indication_is_the_reading(detector: SectionDetector) -> None:
    """Session 31: "Planar images: increased uptake at L3" right under "Clinical: ..." is the scan's reading even
    with a "SPECT:" findings header below it."""
    text = ("BONE SCAN WITH SPECT\nClinical: prostate cancer.\nPlanar images: increased uptake at L3.\n"
            "SPECT: the focus lies in the L3 body.\nImpression: Indeterminate L3 focus.")
    sections = detector.find(text)
    planar = text.index("Planar")
    assert [s.name for s in sections if s.start <= planar < s.end] == ["findings"]


# --- session 32: an exam title in capitals below the opening history -------------------------------------------


@pytest.mark.parametrize("text", [
    "Reason for exam: seventy one year old woman, fall.\nCT PELVIS WITHOUT CONTRAST\nFindings: Hip fracture.",
    "CLINICAL HISTORY: Myeloma, hip pain.\n\nPELVIS AND LEFT FEMUR RADIOGRAPHS\nFINDINGS: Lytic lesions.",
    "HISTORY: Breast cancer, bone pain.\n\nWHOLE BODY BONE SCINTIGRAPHY\nFINDINGS: Multiple foci of uptake.",
])
def test_a_capitals_title_below_the_history_is_the_exam_title(detector: SectionDetector, text: str) -> None:
    sections = detector.find(text)
    assert [s.name for s in sections][-2:] == ["exam", "findings"]
    assert text[sections[-2].start:sections[-2].end].strip().isupper()


@pytest.mark.parametrize("text", [
    "HISTORY: Back pain.\nPRIOR CT LUMBAR SPINE 2019\nFINDINGS: Disc bulge.",  # a prior study with its year
    "HISTORY:\nCT PELVIS\nFINDINGS: Normal.",  # the history's only line
    "HISTORY: Fall.\nLEFT HIP PAIN\nFINDINGS: Normal.",  # capitals that name no study
])
def test_capitals_below_the_history_that_are_no_title_stay_the_historys(detector: SectionDetector, text: str) -> None:
    assert "exam" not in names(detector, text)


def test_a_heading_below_the_history_of_a_titled_report_is_no_second_title(detector: SectionDetector) -> None:
    text = "CT CHEST AND SPINE\nClinical: lung cancer, back pain.\n\nCT CHEST\nFindings: Stable mass."
    assert names(detector, text).count("exam") == 1


@pytest.mark.parametrize("stamp", ["[12/02/2026 08:14]", "[12/02/2026]", "[**2026-12-02**]"])
def test_an_addendum_stamped_in_square_brackets_is_an_addendum(detector: SectionDetector, stamp: str) -> None:
    """An export stamps its addendum's date and time in square brackets, or de-identifies it there (session 34)."""
    text = f"CT T-SPINE\nIMPRESSION: T10 sclerotic focus.\n\nADDENDUM {stamp}: The T10 focus is a bone island."
    assert names(detector, text)[-1] == "addendum"



def test_a_baseline_report_pasted_below_a_divider_is_a_comparison(detector: SectionDetector) -> None:
    """'----- Baseline report 06/10/2026 -----' heads an earlier report pasted below this one (session 34)."""
    text = ("FDG PET/CT\nFindings: No avid disease.\nImpression: Complete metabolic response.\n\n"
            "----- Baseline report 06/10/2026 -----\nMultiple avid lytic osseous lesions consistent with lymphoma.\n")
    assert names(detector, text) == ["exam", "findings", "impression", "comparison"]
    # near miss: a divider that names no earlier report leaves the text below it this report's
    assert names(detector, text.replace("Baseline", "Current")) == ["exam", "findings", "impression"]
