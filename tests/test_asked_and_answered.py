"""A finding asked about and the report's answer (session 33, wave 78): return precautions, a condition's main
clause, a doubled query, an asked pathologic fracture a note's later result answers, a letter with only a plan
below its opening, a screening form (labels.md sections 2 and 3)."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def record(extractor: Extractor, text: str) -> dict[str, Any]:
    out = extractor.record_for_text("t", text)
    assert out["status"] == "ok"
    return out


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    return record(extractor, text)["labels"]


# --- what a symptom to watch for could mean -------------------------------------------------------------------

def test_what_a_return_precaution_could_mean_is_no_finding(extractor: Extractor) -> None:
    text = ("Plan: go to the ED for any new leg weakness or trouble passing urine, which could mean spinal cord "
            "compression.\n")
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_modal_that_compresses_the_cord_still_hedges(extractor: Extractor) -> None:
    # the near miss: "which may compress" reads the finding itself as possible (labels.md section 2)
    text = "FINDINGS: Large disc extrusion at L4-5, which may compress the cauda equina.\n"
    assert labels(extractor, text)["cord_compression"] == "possible"


# --- a condition and its main clause ----------------------------------------------------------------------------

def test_the_main_clause_after_a_condition_is_what_may_come(extractor: Extractor) -> None:
    text = ("Plan: If the right hip pain worsens or she cannot bear weight, this may be a pathological fracture and "
            "she should have an x-ray the same day.\n")
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["fracture"]) == ("not_mentioned", "not_mentioned")


def test_an_introductory_phrase_without_if_leaves_the_hedge(extractor: Extractor) -> None:
    text = "FINDINGS: Without trauma, this may be a pathological fracture.\n"
    assert labels(extractor, text)["pathologic_fracture"] == "possible"


# --- a doubled query ----------------------------------------------------------------------------------------------

def test_a_doubled_query_raises_its_finding_where_the_line_goes_on(extractor: Extractor) -> None:
    text = "Pt c/o new numbness both legs. cord compression?? On-call SHO informed.\n"
    assert labels(extractor, text)["cord_compression"] == "possible"


@pytest.mark.parametrize("text", ["Cord compression?? No.\n", "Cord compression? No.\n"])
def test_a_query_answered_no_denies(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["cord_compression"] == "absent"


def test_a_single_question_mark_answered_yes_is_no_query(extractor: Extractor) -> None:
    assert labels(extractor, "Fracture? Yes, at L1.\n")["fracture"] == "present"


# --- a note's asked pathologic fracture and its answer --------------------------------------------------------------

ASKED = ("ED NOTE\nHPI: fall onto the right chest wall. Myeloma.\nED course:\n"
         "Right chest wall contusion, r/o pathologic rib fracture given myeloma.\n{result}\nDispo: home.\n")


def test_a_later_plain_denial_answers_an_asked_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, ASKED.format(result="CXR: no rib fracture, no pneumothorax."))
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_a_denial_of_a_kind_leaves_an_asked_pathologic_fracture_open(extractor: Extractor) -> None:
    out = labels(extractor, ASKED.format(result="CXR: no acute rib fracture."))
    assert (out["pathologic_fracture"], out["fracture"]) == ("not_mentioned", "absent")


def test_an_impending_pathologic_fracture_is_not_asked(extractor: Extractor) -> None:
    # an impending fracture has not happened: "no fracture was present" answers nothing of it (w21_48)
    text = ("OPERATIVE NOTE\nPOSTOPERATIVE DIAGNOSIS: Impending pathologic fracture, left humeral shaft.\n"
            "FINDINGS: No fracture was present.\n")
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"


def test_a_radiology_report_keeps_its_question_unanswered(extractor: Extractor) -> None:
    # a radiology report is one reading: its indication does not count and its plain "no fracture" names no cause
    text = "XR RIGHT RIBS\nIndication: r/o pathologic rib fracture, myeloma.\nFindings: No rib fracture.\n"
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"


# --- a fracture a lucency is broken through ----------------------------------------------------------------------------

def test_a_lucency_a_fracture_runs_through_is_the_lesion_beneath(extractor: Extractor) -> None:
    text = ("FINDINGS: Displaced subcapital fracture of the right femoral neck running through an ill-defined area "
            "of lucency.\n")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("possible", ["lytic"])


def test_a_lucency_beside_a_fracture_is_still_its_line(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Subtle lucency at the distal radius, doubt fracture.\n")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


# --- apposition and "no other findings" ------------------------------------------------------------------------------

def test_a_typical_benign_reading_in_apposition_is_out_of_the_denial(extractor: Extractor) -> None:
    text = ("FINDINGS: There is an 8 mm lucent lesion in T9.\nADDENDUM: The T9 lesion is bright on T1 and T2 with "
            "coarse vertical trabeculae and no enhancement, a typical hemangioma.\n")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


def test_no_other_findings_to_suggest_denies(extractor: Extractor) -> None:
    text = ("IMPRESSION: Indeterminate solitary left 7th rib focus. No other findings to suggest osseous metastatic "
            "disease.\n")
    assert labels(extractor, text)["bone_metastasis"] == "possible"
    assert labels(extractor, "IMPRESSION: No other findings to suggest osseous metastatic disease.\n")[
        "bone_metastasis"] == "absent"


# --- a letter with only a plan below its opening ---------------------------------------------------------------------

def test_a_letters_opening_counts_above_a_plan_alone(extractor: Extractor) -> None:
    text = ("Dear Dr Okafor,\n\nI have reviewed her MRI. It shows an acute L1 compression fracture.\n\n"
            "Plan: repeat MRI in 6 weeks.\n\nYours sincerely,\nDr B. Cole\n")
    out = labels(extractor, text)
    assert (out["fracture"], out["modalities"]) == ("present", ["MRI"])


def test_a_letter_with_an_impression_header_keeps_its_opening_as_history(extractor: Extractor) -> None:
    text = ("Dear Dr Amis,\nShe had an MRI elsewhere which showed a disc herniation at L4-5.\n"
            "IMPRESSION: Mechanical back pain.\nPlan: physiotherapy.\n")
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "not_mentioned"


# --- a screening form ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["MRI SAFETY SCREENING QUESTIONNAIRE", "CT contrast screening form"])
def test_a_screening_form_names_no_study_done(extractor: Extractor, title: str) -> None:
    text = f"{title}\n1. Do you have a pacemaker?   [ ] Yes  [x] No\n"
    assert labels(extractor, text)["modalities"] == []


# --- a referral's screen and its diagnosis ------------------------------------------------------------------------------

def test_a_referrals_diagnosis_is_the_referring_doctors_words(extractor: Extractor) -> None:
    text = ("PHYSIOTHERAPY REFERRAL\n\nReferral dx: L4-5 disc bulge on MRI (10/2026) with mild left foraminal "
            "narrowing.\nTreatment diagnosis: Mechanical low back pain.\n")
    out = labels(extractor, text)
    assert (out["degenerative"]["disc_bulge"], out["modalities"]) == ("not_mentioned", [])


@pytest.mark.parametrize("text", [
    "Red flags: Cord compression / cauda equina symptoms   [ ] Yes  [x] No\n",
    "Cord compression red flags discussed with the patient.\n",
])
def test_what_a_patient_is_screened_for_names_no_cord_compression(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_the_finding_itself_is_still_read(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Severe cord compression at T9.\n")["cord_compression"] == "present"


@pytest.mark.parametrize(("row", "expected"), [
    ("Vertebral fracture on x-ray   [ ] Yes  [x] No", "absent"),
    ("Vertebral fracture   [x] Yes  [ ] No", "present"),
    ("Fracture: [ ] yes  [x] no", "absent"),
])
def test_a_form_row_takes_its_checked_answer(extractor: Extractor, row: str, expected: str) -> None:
    assert labels(extractor, f"{row}\n")["fracture"] == expected


# --- a fracture its named malignancy caused ---------------------------------------------------------------------------

def test_a_myeloma_related_fracture_is_pathologic_and_names_the_myeloma(extractor: Extractor) -> None:
    out = labels(extractor, "CONCLUSION: New T12 myeloma-related compression fracture.\n")
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("present", "present", "present")


def test_a_cancer_related_word_before_another_noun_names_no_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "Plan: Cancer-related fatigue, exercise programme. Old rib fracture.\n")
    assert (out["pathologic_fracture"], out["fracture"]) == ("not_mentioned", "present")


# --- safety-net advice, a labelled question, a note's later answer, a consent --------------------------------------

def test_what_a_safety_net_says_a_symptom_could_be_is_no_finding(extractor: Extractor) -> None:
    text = ("Advice: If any leg weakness develops before then, go straight to A&E, as this could be spinal cord "
            "compression.\n")
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_patient_who_went_to_the_ed_had_the_finding(extractor: Extractor) -> None:
    assert labels(extractor, "HOSPITAL COURSE: He went to the ED with a hip fracture.\n")["fracture"] == "present"


def test_a_labelled_question_without_a_verb_asks(extractor: Extractor) -> None:
    text = ("XR THORACIC SPINE\n\nQuestion: osteoporotic fracture or metastasis? 74F, new pain.\n"
            "Findings: No lytic or sclerotic lesion.\n")
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_a_labelled_question_answered_no_still_denies(extractor: Extractor) -> None:
    text = "Question 1: Did the CT show any fracture of the spine?\nAnswer: No.\n"
    assert labels(extractor, text)["fracture"] == "absent"


def test_a_specialtys_note_answers_its_own_suspicion(extractor: Extractor) -> None:
    text = ("ACUTE ONCOLOGY NOTE\n\nS: legs heavy.\nImpression: Suspected MSCC.\nPlan: Urgent MRI whole spine.\n\n"
            "Later entry 18:30: MRI whole spine reviewed with the radiologist: no MSCC.\n")
    out = labels(extractor, text)
    assert (out["cord_compression"], out["modalities"]) == ("absent", ["MRI"])


def test_a_consents_title_names_no_study_done(extractor: Extractor) -> None:
    text = "CONSENT FOR CT-GUIDED BONE BIOPSY\nThe patient agrees to proceed.\n"
    assert labels(extractor, text)["modalities"] == []
