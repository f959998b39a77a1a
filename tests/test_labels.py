"""Report labels exactly as labels.md sections 3 and 4 define them."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    record = extractor.record_for_text("t", text)
    assert record["status"] == "ok"
    return record["labels"]


def test_present_beats_possible_beats_absent(extractor: Extractor) -> None:
    text = "FINDINGS: No osseous metastases in the pelvis. Sclerotic focus in L2, suspicious for metastasis. " \
        "Blastic osseous metastases in T5."
    assert labels(extractor, text)["bone_metastasis"] == "present"


def test_nothing_said_is_not_mentioned(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Clear lungs. Normal heart size.")
    assert out["bone_metastasis"] == out["fracture"] == out["cord_compression"] == "not_mentioned"
    assert set(out["degenerative"].values()) == {"not_mentioned"}


def test_indication_mentions_do_not_count(extractor: Extractor) -> None:
    text = "INDICATION: Breast cancer with known bone metastases.\nFINDINGS: Clear lungs."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_unremarkable_bones_negate_no_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: The osseous structures are unremarkable. No acute osseous abnormality.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_unexplained_lytic_lesion_is_possible_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: A 2 cm lytic lesion in the right iliac bone.")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["lytic"]


def test_lesion_called_metastatic_is_present(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Lytic lesion in L2 consistent with metastasis.")
    assert out["bone_metastasis"] == "present"


def test_benign_explanation_removes_the_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: 5 mm sclerotic focus in the left ilium, likely a bone island.")
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_a_benign_reading_that_leaves_metastasis_open_keeps_the_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Sclerotic focus in T11, probably a bone island; metastasis is not excluded.")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["blastic"]


def test_a_benign_reading_with_metastasis_denied_still_explains(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Sclerotic focus in T11, a bone island rather than a metastasis.")
    assert out["bone_metastasis"] == "absent" and out["lesion_pattern"] == []


def test_a_hedged_traumatic_cause_explains_rib_uptake(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nFINDINGS: Focal uptake in the left ninth rib, probably traumatic.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_traumatic_cause_named_as_a_noun_explains_rib_uptake(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nFINDINGS: Focal uptake in the left ninth rib, likely secondary to prior trauma.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_traumatic_cause_named_with_related_to_explains_rib_uptake(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nFINDINGS: Focal uptake in the right sixth rib, related to known trauma.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_denied_traumatic_cause_leaves_the_lesion_unexplained(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Sclerotic focus in the right sixth rib, not related to trauma.")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["blastic"]


def test_a_lesion_called_unlikely_metastatic_is_no_affirmed_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Sclerotic focus in the left sacral ala, unlikely metastatic.")
    assert out["bone_metastasis"] == "possible"


def test_a_traumatic_cause_posed_against_a_metastasis_keeps_both_readings(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nFINDINGS: Focal uptake in the left ninth rib, possibly traumatic versus a met.")
    assert out["bone_metastasis"] == "possible"


def test_uptake_with_a_spine_level_before_its_noun_is_a_bone_uptake(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nIMPRESSION: Intense L1 uptake, not further characterized.")
    assert out["bone_metastasis"] == "possible"


def test_denied_uptake_at_a_named_level_is_absent(extractor: Extractor) -> None:
    assert labels(extractor, "PET/CT\nFINDINGS: No focal L1 uptake.")["bone_metastasis"] == "absent"


def test_uptake_at_a_named_level_called_degenerative_is_explained(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Mild L5 activity, probably degenerative.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_marrow_uptake_put_down_to_a_growth_factor_is_explained(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Increased FDG activity throughout the marrow, probably from recent G-CSF.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_marrow_uptake_after_growth_factor_therapy_is_explained(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Diffuse marrow uptake, likely related to growth factor therapy.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_diffuse_marrow_uptake_put_down_to_chemotherapy_is_explained(extractor: Extractor) -> None:
    text = "PET/CT\nFINDINGS: Mild uptake in the ribs, pelvis and spine, probably related to recent chemotherapy."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_diffuse_uptake_after_chemotherapy_is_explained(extractor: Extractor) -> None:
    text = "PET/CT\nFINDINGS: Diffusely increased activity in the spine and pelvis, a post-chemotherapy marrow response."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_chemotherapy_beside_a_pathologic_fracture_explains_no_lesion_beneath(extractor: Extractor) -> None:
    assert labels(extractor, "CT\nFINDINGS: Pathologic fracture of T10 after chemotherapy.")["bone_metastasis"] == "possible"


def test_focal_uptake_put_down_to_chemotherapy_stays_possible(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Focal uptake in the left ilium, probably related to chemotherapy.")
    assert out["bone_metastasis"] == "possible"


def test_a_lesion_beside_chemotherapy_is_not_explained_by_it(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Lytic lesion in the left ilium, smaller, related to chemotherapy.")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["lytic"]


def test_chemotherapy_in_the_next_sentence_explains_no_lesion(extractor: Extractor) -> None:
    text = "CT\nFINDINGS: Sclerotic focus in the left ilium. Likely related to chemotherapy."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_growth_factor_receptor_mutation_explains_no_lesion(extractor: Extractor) -> None:
    text = "CT\nIMPRESSION: Epidermal growth factor receptor mutant lung cancer with new lytic lesions in the spine."
    assert labels(extractor, text)["bone_metastasis"] in ("present", "possible")


def test_marrow_uptake_read_as_marrow_stimulation_is_explained(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Diffuse increased FDG activity in the marrow, in keeping with marrow stimulation.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_marrow_uptake_with_no_cause_given_stays_possible(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: Diffuse increased FDG activity in the marrow.")
    assert out["bone_metastasis"] == "possible"


def test_marrow_infiltration_posed_against_a_benign_marrow_is_possible(extractor: Extractor) -> None:
    text = "MRI\nFINDINGS: Low T1 marrow signal in the spine, hyperplastic marrow versus infiltration of the marrow by lymphoma."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_benign_marrow_or_marrow_infiltration_is_possible(extractor: Extractor) -> None:
    out = labels(extractor, "MRI\nFINDINGS: Patchy marrow signal in the sacrum, reactive marrow or marrow infiltration.")
    assert out["bone_metastasis"] == "possible"


def test_myeloma_or_a_benign_marrow_is_possible(extractor: Extractor) -> None:
    out = labels(extractor, "MRI\nFINDINGS: Diffuse marrow signal in the pelvis: myeloma or reactive marrow.")
    assert out["bone_metastasis"] == "possible"


def test_myeloma_and_a_benign_marrow_elsewhere_stays_present(extractor: Extractor) -> None:
    out = labels(extractor, "MRI\nFINDINGS: Myeloma in the T4 body and reactive marrow in the sacrum.")
    assert out["bone_metastasis"] == "present"


def test_two_malignant_alternatives_stay_present(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Lytic skull lesions, myeloma or metastases.")
    assert out["bone_metastasis"] == "present"


def test_two_benign_alternatives_explain_the_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Sclerotic focus in the left ilium, bone island versus hemangioma.")
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_benign_explanation_in_the_next_sentence_removes_the_lesion(extractor: Extractor) -> None:
    text = "EXAM: CT pelvis.\nFINDINGS: Sclerotic focus in the left iliac bone. A bone island is favored."
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_next_sentence_benign_reading_beside_joint_degeneration_explains_the_lesion(extractor: Extractor) -> None:
    text = ("EXAM: Right shoulder radiographs.\nFINDINGS: Lucent lesion with a sclerotic rim in the right humeral "
            "head. Given the degenerative changes of the joint, a subchondral cyst is most likely.")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_next_sentence_adding_another_benign_finding_explains_nothing(extractor: Extractor) -> None:
    text = "EXAM: CT pelvis.\nFINDINGS: Sclerotic focus in the left iliac bone. Bone islands are also present."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_next_sentence_diffuse_marrow_reading_does_not_explain_a_focal_lesion(extractor: Extractor) -> None:
    text = "PET/CT\nFINDINGS: Hypermetabolic focus in the T10 vertebral body. Diffusely increased marrow uptake, likely reactive."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_next_sentence_benign_finding_at_its_own_site_explains_only_that_site(extractor: Extractor) -> None:
    text = "EXAM: MRI thoracic spine.\nFINDINGS: Sclerotic lesion in the T9 vertebral body. A hemangioma is seen in L2."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_impression_naming_the_bone_without_its_side_is_the_explained_finding(extractor: Extractor) -> None:
    text = ("BONE SCAN\nFINDINGS: Focal uptake in the left seventh rib, probably traumatic.\n"
            "IMPRESSION: Solitary rib focus, as above.")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_benign_finding_on_the_other_side_explains_nothing(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: Bone island in the left ilium.\nIMPRESSION: Sclerotic focus in the right ilium."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_addendum_that_reads_the_site_as_benign_corrects_a_hedged_metastasis(extractor: Extractor) -> None:
    text = ("EXAM: CT lumbar spine.\nFINDINGS: Sclerotic lesion in the L4 vertebral body, concerning for metastasis.\n"
            "ADDENDUM: After review of the prior MRI, the L4 lesion is an atypical hemangioma.")
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_a_sentence_that_corrects_the_site_to_benign_corrects_a_hedged_metastasis(extractor: Extractor) -> None:
    text = ("EXAM: CT chest.\nFINDINGS: Lytic lesion at T6, suspicious for metastasis. On further review, the T6 "
            "lesion is a hemangioma with coarse trabeculae.")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_british_haemangioma_explains_its_lesion(extractor: Extractor) -> None:
    text = "EXAM: MRI thoracic spine.\nFINDINGS: T4 vertebral body lesion with coarse trabeculae, in keeping with a haemangioma."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_liver_haemangioma_explains_no_bone_lesion(extractor: Extractor) -> None:
    text = "EXAM: CT abdomen.\nFINDINGS: Sclerotic focus in the L2 vertebral body. Hepatic haemangioma in segment 6."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_addendum_benign_at_another_site_corrects_nothing(extractor: Extractor) -> None:
    text = ("EXAM: CT lumbar spine.\nFINDINGS: Sclerotic lesion in the L4 vertebral body, concerning for metastasis.\n"
            "ADDENDUM: A hemangioma is also present in L2.")
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_addendum_that_rereads_the_body_lesion_withdraws_its_unsited_hedge(extractor: Extractor) -> None:
    """The addendum is the same reader's last word: its benign reading names no site, but the addendum
    names the lesion's level before it; the body's lesion and its hedge go (session 17)."""
    text = ("CT CHEST\nFINDINGS: Sclerotic focus in the T6 vertebral body. Metastasis cannot be excluded.\n"
            "IMPRESSION: T6 sclerotic focus; metastasis not excluded.\n"
            "ADDENDUM: On thin sections the T6 focus has spiculated margins. It is a bone island.")
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_an_addendum_quoting_the_hedged_reading_it_withdraws_is_no_hedge(extractor: Extractor) -> None:
    text = ("CT ABDOMEN\nFINDINGS: Sclerotic focus in the L1 vertebral body, possibly metastatic.\n"
            "ADDENDUM: The L1 lesion described above as possibly metastatic is a benign bone island.")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_an_addendum_that_only_adds_a_finding_keeps_the_body_hedge(extractor: Extractor) -> None:
    text = ("CT CHEST\nFINDINGS: Sclerotic focus in T9, metastasis not excluded.\n"
            "ADDENDUM: A nondisplaced fracture of the right 7th rib is also noted.")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["fracture"]) == ("possible", "present")


def test_an_addendum_naming_the_level_but_hedging_the_benign_reading_keeps_the_hedge(extractor: Extractor) -> None:
    text = ("CT CHEST\nFINDINGS: Sclerotic focus in T9. Metastasis cannot be excluded.\n"
            "ADDENDUM: The T9 focus is probably a bone island, although a metastasis cannot be excluded.")
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_treated_metastasis_keeps_its_pattern_word(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Lytic treated metastases in the sacrum are unchanged.")
    assert out["bone_metastasis"] == "present" and out["lesion_pattern"] == ["lytic"]


def test_a_scan_protocol_named_after_a_finding_is_no_finding(extractor: Extractor) -> None:
    text = "EXAM: MRI lumbar spine.\nFINDINGS: Mild disc bulge at L3-L4.\nThe study was done with the metastasis protocol."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_an_mscc_protocol_in_the_title_is_no_cord_compression(extractor: Extractor) -> None:
    out = labels(extractor, "MRI WHOLE SPINE (MSCC PROTOCOL)\nFINDINGS: Normal marrow signal. Disc bulge at L4-5.")
    assert (out["cord_compression"], out["bone_metastasis"]) == ("not_mentioned", "not_mentioned")


def test_a_protocol_beside_a_finding_leaves_the_finding(extractor: Extractor) -> None:
    text = "EXAM: MRI thoracic spine.\nFINDINGS: Innumerable osseous metastases. Scanned per the routine protocol."
    assert labels(extractor, text)["bone_metastasis"] == "present"


def test_a_bare_lucency_whose_clause_doubts_a_fracture_is_no_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: Right wrist.\nFINDINGS: Subtle lucency in the distal radius, doubt fracture.")
    assert out["bone_metastasis"] == "not_mentioned" and out["fracture"] == "absent"


def test_a_bare_lucency_with_a_fracture_denied_in_another_sentence_is_a_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: Left hip.\nFINDINGS: Lucency in the proximal femur. No fracture.")
    assert out["bone_metastasis"] == "possible"


def test_next_sentence_degeneration_alone_explains_no_lesion(extractor: Extractor) -> None:
    text = "EXAM: MRI thoracic spine.\nFINDINGS: Sclerotic lesion in the T9 vertebral body. Mild degenerative changes."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_lucency_at_the_site_of_a_fracture_named_elsewhere_is_that_fracture(extractor: Extractor) -> None:
    text = ("EXAM: Chest radiograph.\nFINDINGS: Faint lucency in the right 6th rib laterally.\n"
            "IMPRESSION: Possible nondisplaced fracture of the right 6th rib.")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["fracture"], out["lesion_pattern"]) == ("not_mentioned", "possible", [])


def test_lucency_and_a_fracture_of_another_side_stay_apart(extractor: Extractor) -> None:
    text = ("EXAM: Chest radiograph.\nFINDINGS: Faint lucency in the right 6th rib laterally.\n"
            "IMPRESSION: Old healed fracture of the left 9th rib.")
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_metastasis_to_another_organ_is_not_bone(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Multiple liver metastases.")["bone_metastasis"] == "not_mentioned"


def test_unsited_metastatic_disease_on_a_bone_scan_keeps_its_assertion(extractor: Extractor) -> None:
    text = "EXAM: WHOLE BODY BONE SCAN\nFINDINGS: Findings consistent with metastatic disease."
    assert labels(extractor, text)["bone_metastasis"] == "present"


def test_unsited_metastatic_disease_on_other_exams_is_possible(extractor: Extractor) -> None:
    text = "EXAM: CT CHEST\nFINDINGS: Findings consistent with metastatic disease."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_negated_unsited_metastatic_disease_is_absent(extractor: Extractor) -> None:
    text = "EXAM: CT CHEST\nFINDINGS: No evidence of metastatic disease."
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_mixed_pattern(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Mixed lytic and sclerotic lesion in the sternum.")
    assert out["lesion_pattern"] == ["mixed"]


def test_a_lytic_lesion_that_became_sclerotic_is_blastic(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nBONES: The lytic metastases of the iliac wings have turned sclerotic after therapy.")
    assert out["lesion_pattern"] == ["blastic"]


def test_previously_lytic_now_sclerotic_is_blastic(extractor: Extractor) -> None:
    out = labels(extractor, "CT ABDOMEN\nBONES: Known L3 metastasis, previously lytic, now densely sclerotic.")
    assert out["lesion_pattern"] == ["blastic"]


def test_lytic_lesions_that_now_show_sclerosis_are_blastic(extractor: Extractor) -> None:
    out = labels(extractor, "CT PELVIS\nFINDINGS: The previously lytic sacral lesions now show a healing sclerotic response.")
    assert out["lesion_pattern"] == ["blastic"]


def test_a_lesion_called_disease_progression_is_a_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nIMPRESSION: New lytic lesion in the T7 vertebral body, consistent with progression.")
    assert out["bone_metastasis"] == "present"


def test_a_lesion_without_progression_stays_possible(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nIMPRESSION: Lytic lesion in the T7 vertebral body without progression.")
    assert out["bone_metastasis"] == "possible"


def test_a_lytic_lesion_now_partially_sclerotic_is_blastic(extractor: Extractor) -> None:
    out = labels(extractor, "PET/CT\nFINDINGS: The lytic T12 lesion is no longer avid and is now partially sclerotic.")
    assert out["lesion_pattern"] == ["blastic"]


def test_a_lytic_lesion_now_larger_stays_lytic(extractor: Extractor) -> None:
    out = labels(extractor, "CT ABDOMEN\nBONES: The lytic metastasis in L3 is now larger.")
    assert out["lesion_pattern"] == ["lytic"]


def test_no_acute_fracture_is_absent_unless_an_old_one_is_present(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No acute fracture.")["fracture"] == "absent"
    text = "FINDINGS: Old healed right rib fracture. No acute fracture."
    assert labels(extractor, text)["fracture"] == "present"


def test_pathologic_fracture_is_also_a_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Pathologic compression fracture of T12.")
    assert out["pathologic_fracture"] == "present" and out["fracture"] == "present"


def test_a_denied_malignant_fracture_denies_no_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nFINDINGS: No malignant compression fracture.")
    assert out["pathologic_fracture"] == "absent" and out["fracture"] == "absent"
    assert out["bone_metastasis"] == "not_mentioned"


def test_an_affirmed_malignant_fracture_is_still_a_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nFINDINGS: Malignant compression fracture of T10.")
    assert out["pathologic_fracture"] == "present" and out["bone_metastasis"] == "present"


def test_denied_metastatic_cord_compression_denies_no_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nIMPRESSION: No metastatic cord compression.")
    assert out["cord_compression"] == "absent" and out["bone_metastasis"] == "not_mentioned"


def test_fracture_caused_by_metastasis_is_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Compression fracture of L2 due to metastatic disease.")
    assert out["pathologic_fracture"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "MRI LUMBAR SPINE\nFINDINGS: No significant spinal canal stenosis. "
        "At L4-5 a small protrusion indents the ventral thecal sac.",
        "MRI LUMBAR SPINE\nL4-5: A broad bulge effaces the ventral thecal sac. No canal stenosis at L4-5.",
    ],
)
def test_sac_indentation_is_no_stenosis_where_the_canal_is_denied_at_its_level(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "text",
    [
        "MRI LUMBAR SPINE\nL3-4: No stenosis.\nL4-5: A broad bulge effaces the ventral thecal sac.",  # another level
        "MRI LUMBAR SPINE\nNo foraminal stenosis. L4-5: A broad bulge effaces the ventral thecal sac.",  # foramina only
        "MRI LUMBAR SPINE\nNo significant canal stenosis. L4-5: A broad bulge narrows the thecal sac.",  # narrowing
    ],
)
def test_sac_indentation_stays_stenosis_without_a_denial_of_its_canal(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_mass_effect_on_the_thecal_sac_is_stenosis_as_indentation_is(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nL4-5: A left paracentral extrusion with mass effect on the ventral thecal sac."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_mass_effect_on_the_sac_is_no_stenosis_where_the_canal_is_denied(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nL4-5: Protrusion with mild mass effect on the thecal sac. No canal stenosis at L4-5."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


def test_thecal_sac_narrowing_is_stenosis_not_cord_compression(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Disc bulge effaces the ventral thecal sac. No cord compression.")
    assert out["degenerative"]["spinal_stenosis"] == "present" and out["cord_compression"] == "absent"


def test_hiatal_hernia_is_not_disc_herniation(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Small hiatal hernia.")["degenerative"]["disc_herniation"] == "not_mentioned"


def test_aortic_stenosis_is_not_spinal_stenosis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Severe aortic stenosis.")["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_degenerative_change_of_the_knee_does_not_count(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Degenerative changes of both knees with osteophytes.")
    assert out["degenerative"]["spondylosis"] == "not_mentioned"


@pytest.mark.parametrize("text", [
    "ASSESSMENT: Degenerative disk disease of the left hip, painful.",
    "ASSESSMENT: DDD of both knees.",
])
def test_disc_disease_named_for_a_limb_joint_is_no_spine_disc(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "not_mentioned"


def test_disc_disease_beside_a_limb_joint_disease_still_counts(extractor: Extractor) -> None:
    out = labels(extractor, "ASSESSMENT: Lumbar degenerative disc disease. Degenerative disc disease of both knees.")
    assert out["degenerative"]["disc_degeneration"] == "present"


def test_degenerative_change_of_the_spine_is_spondylosis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Degenerative changes of the thoracic spine.")["degenerative"]["spondylosis"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: Mild degenerative changes of the lumbar spine without canal stenosis.",
        "FINDINGS: Degenerative changes of the thoracic spine, possibly DISH.",
    ],
)
def test_degenerative_changes_stay_present_beside_a_less_certain_specific_finding(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "present"


@pytest.mark.parametrize(
    "impression",
    ["Degenerative changes only.", "Only mild degenerative changes of the lumbar spine."],
)
def test_degenerative_changes_only_summarise_the_specific_findings(extractor: Extractor, impression: str) -> None:
    text = f"MRI LUMBAR SPINE\nFINDINGS: Broad-based disc bulge at L4-5.\nIMPRESSION: {impression}"
    out = labels(extractor, text)["degenerative"]
    assert out["spondylosis"] == "not_mentioned" and out["disc_bulge"] == "present"


def test_degenerative_changes_only_with_no_specific_finding_are_spondylosis(extractor: Extractor) -> None:
    out = labels(extractor, "MRI LUMBAR SPINE\nIMPRESSION: Degenerative changes only.")
    assert out["degenerative"]["spondylosis"] == "present"


def test_other_degenerative_changes_beside_a_specific_finding_still_count(extractor: Extractor) -> None:
    text = "MRI CERVICAL SPINE\nFINDINGS: Foraminal narrowing at C4-5.\nIMPRESSION: Other degenerative changes of the spine."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "present"


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("Left paracentral disc extrusion at L5-S1.", "disc_herniation"),
        ("Broad-based disc bulge at L4-5.", "disc_bulge"),
        ("Loss of disc height at L5-S1.", "disc_degeneration"),
        ("Modic type 1 endplate changes at L4-5.", "endplate_changes"),
        ("Annular fissure at L4-5.", "annular_fissure"),
        ("Internal disc disruption at L4-5 on discography.", "annular_fissure"),  # radial annular fissuring
        ("At L5-S1 the annulus had a small tear.", "annular_fissure"),  # an operative finding's subject (session 17)
        ("Posterior annular disruption at L4-5.", "annular_fissure"),
        ("At L4-5 the annulus was torn.", "annular_fissure"),
        ("Isthmic spondylolisthesis of L5 on S1.", "spondylolisthesis"),
        ("Moderate facet arthropathy at L4-5.", "facet_arthropathy"),
        ("Severe right neural foraminal narrowing at C5-6.", "spinal_stenosis"),
        ("Grade 1 anterolisthesis of L4 on L5.", "spondylolisthesis"),
        ("Disc-osteophyte complex at C5-6.", "spondylosis"),
        ("Schmorl node at the inferior endplate of T10.", "endplate_changes"),
        ("Endplate oedema at L4-5.", "endplate_changes"),  # British spelling
        ("L4/5: bilateral facet OA.", "facet_arthropathy"),  # shorthand: osteoarthritis of the facets
        ("Facet joint DJD at L5/S1.", "facet_arthropathy"),
        ("L4/5 disc prolapse compressing the L5 root.", "disc_herniation"),  # British words for herniation
        ("Prolapsed intervertebral disc at L5/S1.", "disc_herniation"),
        ("Degenerate discs from L3 to S1.", "disc_degeneration"),
        ("Narrowing of the L4/5 exit foramen on the left.", "spinal_stenosis"),
    ],
)
def test_each_degenerative_key(extractor: Extractor, phrase: str, key: str) -> None:
    assert labels(extractor, f"FINDINGS: {phrase}")["degenerative"][key] == "present"


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("MRI C-SPINE\nFINDINGS: C5-6 disc osteophyte complex flattening the ventral chord.", "present"),
        ("MRI T-SPINE\nFINDINGS: No chord compression.", "absent"),
        ("CT NECK\nFINDINGS: The vocal chords are symmetric.", "not_mentioned"),
    ],
)
def test_chord_for_cord_counts_only_beside_cord_compression_words(extractor: Extractor, phrase: str, status: str) -> None:
    """Voice recognition writes "chord" for "cord" (session 17); alone the word is no cord."""
    assert labels(extractor, phrase)["cord_compression"] == status


@pytest.mark.parametrize(
    "phrase", ["Bilateral L5 pars defects.", "Spondylolysis of L5.", "No spondylolysis or pars defect."]
)
def test_a_pars_defect_named_as_such_gives_no_fracture_status(extractor: Extractor, phrase: str) -> None:
    # spondylolysis is read as its own (chronic) entity, not as a fracture: docs/decisions.md, session 8
    assert labels(extractor, f"FINDINGS: {phrase}")["fracture"] == "not_mentioned"


def test_a_pars_called_a_fracture_is_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Acute stress fracture of the left L5 pars interarticularis.")["fracture"] == "present"


def test_modalities_from_title_and_body_not_comparison_or_recommendation(extractor: Extractor) -> None:
    text = "EXAM: MRI LUMBAR SPINE\nCOMPARISON: CT 1/2/2020.\nFINDINGS: Normal.\nIMPRESSION: Recommend bone scan."
    assert labels(extractor, text)["modalities"] == ["MRI"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Heart failure suspected, no recent echocardiogram available for review.",
        "No prior CT is available for comparison.",
        "The outside MRI was not available for review.",
        "Chest pain, admitted for coronary angiogram tomorrow.",
        "Chest pain, for angiogram in the morning.",
        "She is going to have an MRI of the spine.",
        "On his doctor's advice, he is to have a bone scan.",
        "She has not had an MRI of her neck so far.",
        "He has never had a bone scan.",
    ],
)
def test_a_study_not_available_or_still_planned_is_not_performed(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"ASSESSMENT: {sentence}")["modalities"] == []


@pytest.mark.parametrize("answer", ["None.", ", None.", "N/A", "Not done."])
def test_a_study_field_answered_none_is_not_performed(extractor: Extractor, answer: str) -> None:
    text = f"PROCEDURE: Left orchiectomy.\nX-RAYS: {answer}\nSPECIMENS: Testis."
    assert labels(extractor, text)["modalities"] == []


def test_a_study_field_with_a_finding_is_performed(extractor: Extractor) -> None:
    assert labels(extractor, "RADIOLOGY: Chest x-ray: no infiltrate.\nASSESSMENT: Cough.")["modalities"] == ["XR"]


def test_a_cardiac_cineangiography_is_a_radiograph(extractor: Extractor) -> None:
    assert labels(extractor, "PROCEDURE: Cineangiography of both coronary arteries in four views.")["modalities"] == ["XR"]


def test_a_study_done_today_is_performed(extractor: Extractor) -> None:
    assert labels(extractor, "ASSESSMENT: The CT of the chest done today shows no fracture.")["modalities"] == ["CT"]


def test_consent_risks_never_make_a_label(extractor: Extractor) -> None:
    text = (
        "FINDINGS: The risks of surgery, including infection, fracture and recurrent disc herniation, were"
        " discussed. Bleeding into the epidural space can compress the spinal cord."
    )
    got = labels(extractor, text)
    assert (got["fracture"], got["cord_compression"], got["degenerative"]["disc_herniation"]) == ("not_mentioned",) * 3


def test_negative_for_in_the_past_tense_is_absent(extractor: Extractor) -> None:
    got = labels(extractor, "FINDINGS: The bone scan was negative for metastases but showed a healing rib fracture.")
    assert (got["bone_metastasis"], got["fracture"]) == ("absent", "present")


def test_ct_part_of_pet_ct_does_not_add_ct(extractor: Extractor) -> None:
    text = "EXAM: FDG PET/CT\nTECHNIQUE: Low-dose CT for attenuation correction.\nFINDINGS: Normal."
    assert labels(extractor, text)["modalities"] == ["PET"]


def test_every_counting_mention_says_what_it_contributes(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "INDICATION: r/o fracture.\nFINDINGS: Old rib fracture. No metastases.")
    for m in record["mentions"]:
        assert m.get("contributes") or m.get("note"), m
    ev = record["evidence"]["fracture"]
    assert ev["status"] == "present" and all(record["mentions"][i]["concept"] == "fracture" for i in ev["mentions"])


def test_bare_stenosis_counts_on_spine_imaging(extractor: Extractor) -> None:
    text = "EXAM: MRI LUMBAR SPINE\nIMPRESSION: Mild L4/5 disc bulge. No stenosis."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


def test_bare_stenosis_off_the_spine_does_not_count(extractor: Extractor) -> None:
    text = "EXAM: CT ABDOMEN\nFINDINGS: No stenosis of the celiac axis."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_bare_stenosis_after_a_note_names_a_spine_study_counts(extractor: Extractor) -> None:
    text = "HPI: Leg pain.\nIMAGING: MRI of the lumbar spine shows a small L4-5 protrusion. No stenosis."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


def test_bare_stenosis_after_a_note_names_another_study_does_not_count(extractor: Extractor) -> None:
    text = "HPI: Flank pain.\nIMAGING: CT of the abdomen shows a renal cyst. No stenosis."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_spine_uptake_called_degenerative_is_spondylosis(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nIMPRESSION: Several foci of uptake in the thoracic spine, probably degenerative.")
    assert (out["degenerative"]["spondylosis"], out["bone_metastasis"]) == ("present", "not_mentioned")


def test_joint_uptake_called_degenerative_is_no_spine_finding(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nIMPRESSION: Uptake in both shoulders, degenerative.")
    assert out["degenerative"]["spondylosis"] == "not_mentioned"


@pytest.mark.parametrize(
    "text",
    ["MRI LUMBAR SPINE\nFINDINGS: Degenerative changes of the L3-4 facet joints.",
     "BONE SCAN\nIMPRESSION: Uptake at the L5-S1 facets, degenerative.",
     "PET/CT\nFINDINGS: Degenerative uptake at the lower cervical facets."],
)
def test_a_degenerative_change_of_the_facets_is_facet_arthropathy(extractor: Extractor, text: str) -> None:
    out = labels(extractor, text)["degenerative"]
    assert (out["facet_arthropathy"], out["spondylosis"]) == ("present", "not_mentioned")


def test_a_degenerative_change_of_the_spine_stays_spondylosis(extractor: Extractor) -> None:
    out = labels(extractor, "XR LUMBAR SPINE\nFINDINGS: Degenerative changes of the lumbar spine.")["degenerative"]
    assert (out["spondylosis"], out["facet_arthropathy"]) == ("present", "not_mentioned")


@pytest.mark.parametrize(
    "sentence", ["An enhancing mass in the L2 vertebral body.", "A mass arising from the left iliac bone."]
)
def test_a_mass_in_a_named_bone_is_an_unexplained_bone_lesion(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"MRI PELVIS AND SPINE\nFINDINGS: {sentence}")["bone_metastasis"] == "possible"


def test_a_lung_mass_beside_a_rib_is_no_bone_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nFINDINGS: A right upper lobe mass abuts the posterior rib.")
    assert out["bone_metastasis"] == "not_mentioned"  # guard: only a mass in or of the bone


def test_an_underlying_lesion_takes_the_bone_of_the_finding_it_lies_under(extractor: Extractor) -> None:
    text = "PET/CT\nFINDINGS: Uptake in the left 6th rib at a healing fracture; no underlying lesion."
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_an_underlying_lesion_beside_no_bone_is_not_a_bone_lesion(extractor: Extractor) -> None:
    text = "CT CHEST\nFINDINGS: Consolidation in the right lower lobe with an underlying lesion."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_hedged_underlying_lesion_after_a_collapse_is_its_possible_tumor_cause(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: T8 compression deformity, age indeterminate; underlying lesion not excluded.")
    assert (out["fracture"], out["pathologic_fracture"]) == ("present", "possible")


def test_a_hedged_underlying_lesion_in_the_next_sentence_is_the_collapses_possible_cause(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Collapse of T11. An underlying lesion cannot be excluded.")
    assert out["pathologic_fracture"] == "possible"


def test_a_tumor_with_an_old_fracture_is_no_cause_of_it(extractor: Extractor) -> None:
    text = "MRI T-SPINE\nIMPRESSION: Myelomatous marrow involvement of the spine with chronic mild T8 compression fracture."
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("not_mentioned", "present", "present")


def test_a_tumor_with_a_fracture_of_no_age_is_still_its_cause(extractor: Extractor) -> None:
    out = labels(extractor, "MRI T-SPINE\nIMPRESSION: Lytic metastasis of L1 with compression fracture.")
    assert out["pathologic_fracture"] == "present"  # guard: session 16's 'with' link


def test_a_hedged_underlying_lesion_past_one_quiet_sentence_links_its_collapse(extractor: Extractor) -> None:
    text = "CT\nFINDINGS: Collapse of T11. There is mild retropulsion. An underlying lesion cannot be excluded."
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["bone_metastasis"]) == ("possible", "possible")


def test_a_lesion_between_a_collapse_and_a_later_underlying_hedge_breaks_the_link(extractor: Extractor) -> None:
    text = ("CT\nFINDINGS: Collapse of T11. Lucent lesion in the left iliac wing. An underlying lesion cannot be "
            "excluded.")
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"

def test_an_affirmed_underlying_lesion_is_not_linked_as_the_cause(extractor: Extractor) -> None:
    out = labels(extractor, "CT\nFINDINGS: Collapse of T11 with an underlying lesion.")
    assert out["pathologic_fracture"] == "not_mentioned"  # guard: session 10 left the affirmed link unmade


def test_a_hedged_underlying_lesion_after_another_fracture_is_that_ones(extractor: Extractor) -> None:
    text = "CT\nFINDINGS: Old left rib fracture. T9 compression fracture, underlying lesion not excluded."
    rec = extractor.record_for_text("t", text)
    called = [m for m in rec["mentions"] if m["concept"] == "fracture" and "pathologic_fracture" in m["contributes"]]
    assert [m["start"] for m in called] == [text.index("fracture,")]


def test_hedged_uptake_with_a_side_and_a_bone_word_between_is_uptake(extractor: Extractor) -> None:
    assert labels(extractor, "BONE SCAN\nFINDINGS: Equivocal right sacral uptake.")["bone_metastasis"] == "possible"


def test_hedged_uptake_of_a_soft_tissue_site_is_no_bone_uptake(extractor: Extractor) -> None:
    assert labels(extractor, "PET/CT\nFINDINGS: Equivocal right hilar uptake.")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("sentence", ["Reviewed MSCC symptoms with the patient.", "MSCC red flags discussed.",
                                      "Metastatic spinal cord compression advice given."])
def test_mscc_advice_names_no_cord_compression(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"CLINIC NOTE\nASSESSMENT: Prostate cancer. {sentence}")["cord_compression"] == "not_mentioned"


def test_mscc_as_a_diagnosis_is_cord_compression(extractor: Extractor) -> None:
    assert labels(extractor, "CLINIC NOTE\nASSESSMENT: MSCC at T10 from breast cancer.")["cord_compression"] == "present"


def test_what_a_study_of_an_earlier_year_showed_is_history(extractor: Extractor) -> None:
    text = ("CLINIC NOTE\nASSESSMENT: In 1998 an MRI showed an L4-L5 disc herniation. "
            "An MRI in March 2009 shows a disc bulge.")
    out = labels(extractor, text)["degenerative"]
    assert (out["disc_herniation"], out["disc_bulge"]) == ("not_mentioned", "present")


def test_what_a_study_of_a_bare_year_showed_stays_when_no_later_year_is_named(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nASSESSMENT: In 2012 an MRI showed an L4-L5 disc herniation."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "present"  # the year may be the note's own


def test_what_a_study_of_two_years_ago_showed_is_history(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nASSESSMENT: An MRI two years ago showed an L4-L5 disc herniation."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "not_mentioned"


def test_what_a_study_of_two_weeks_ago_showed_counts(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nASSESSMENT: An MRI two weeks ago showed an L4-L5 disc herniation."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "present"  # this illness's work-up


def test_a_finding_beside_a_past_study_but_not_shown_by_it_stays(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nASSESSMENT: Disc herniation at L4-L5, as on an MRI in 1998. Seen again in 2009."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "present"


def test_a_graded_foramen_word_with_its_noun_elided_is_stenosis(extractor: Extractor) -> None:
    text = "EXAM: MRI LUMBAR SPINE\nFINDINGS: At L4-5, mild left foraminal and normal right foramen."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


# --- a differential of causes is no cause (osteoporotic versus pathologic) ---------------------------

@pytest.mark.parametrize(
    "phrase",
    ["osteoporotic versus metastatic", "benign or malignant", "which may be insufficiency or due to the known myeloma",
     "pathologic versus osteoporotic", "osteopenic vs neoplastic"],
)
def test_two_causes_posed_after_a_fracture_leave_it_present_and_possibly_pathologic(
    extractor: Extractor, phrase: str
) -> None:
    out = labels(extractor, f"MRI\nIMPRESSION: Compression fracture of L3, {phrase}.")
    assert (out["fracture"], out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "possible", "possible")


def test_two_benign_causes_after_a_fracture_make_no_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "XR\nIMPRESSION: Compression fracture of L3, osteoporotic or post-traumatic.")
    assert (out["fracture"], out["pathologic_fracture"]) == ("present", "not_mentioned")


def test_osteoporotic_versus_pathologic_fracture_is_a_possible_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: New T9 compression, concerning for an osteoporotic compression fracture "
                            "versus pathologic fracture.")
    assert out["pathologic_fracture"] == "possible"
    assert out["bone_metastasis"] == "possible"  # a pathologic fracture goes through a lesion


def test_benign_or_pathologic_compression_fracture_is_a_possible_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Benign or pathologic compression fracture of L3.")
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("possible", "present", "possible")


def test_pathologic_or_insufficiency_fracture_is_a_possible_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Pathologic or insufficiency fracture of the sacrum.")
    assert out["pathologic_fracture"] == "possible"


def test_a_differential_after_the_semicolon_calls_the_fracture_possibly_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Acute L4 compression fracture; osteoporotic versus pathologic. "
                            "No marrow lesion is seen.")
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("possible", "present", "possible")


def test_a_plain_pathologic_word_after_the_semicolon_calls_the_fracture_pathologic(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Fracture of the left femoral neck; likely pathologic.")[
        "pathologic_fracture"] == "present"


def test_a_denial_after_the_semicolon_calls_nothing_pathologic(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Compression fracture of L2; no pathologic features.")[
        "pathologic_fracture"] == "not_mentioned"


def test_osteoporosis_named_as_the_cause_still_makes_a_fracture_only(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Pathologic compression fractures of T11 or T12 due to osteoporosis.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("not_mentioned", "present")


def test_an_osteoporotic_cause_denied_leaves_the_fracture_pathologic(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Pathologic compression fracture of T11, not osteoporotic.")[
        "pathologic_fracture"] == "present"


def test_a_fracture_called_osteoporotic_rather_than_pathologic_is_no_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: T9 compression fracture with band-like edema and a preserved posterior "
                            "cortex, favored osteoporotic rather than pathologic.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "present")


def test_each_fracture_of_a_clause_is_called_not_pathologic_by_a_denial_after_it(extractor: Extractor) -> None:
    text = "EXAM: MRI thoracic spine.\nIMPRESSION: Fracture of T9 and fracture of T10, osteoporotic rather than pathologic."
    assert labels(extractor, text)["pathologic_fracture"] == "absent"


@pytest.mark.parametrize(
    "impression",
    [
        "Osteoporotic rather than pathologic fracture of L2.",
        "Benign (osteoporotic) rather than pathological collapse of T12.",
        "An insufficiency rather than a pathologic fracture of the sacrum.",
        "An osteoporotic, rather than a pathologic, fracture of T11.",
        "Not a pathologic fracture but an osteoporotic one at L3.",
    ],
)
def test_a_denial_that_sets_a_benign_cause_against_pathologic_keeps_the_fracture(extractor: Extractor, impression: str) -> None:
    out = labels(extractor, f"IMPRESSION: {impression}")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "present")


def test_a_denial_of_the_benign_cause_calls_the_fracture_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Pathologic rather than osteoporotic fracture of L4.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("present", "present")


def test_a_contrast_of_two_benign_causes_keeps_the_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Osteoporotic rather than traumatic fracture of L1.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("not_mentioned", "present")


@pytest.mark.parametrize(
    "impression",
    [
        "Soft tissue mass rather than a pathologic fracture of the right pubic ramus.",
        "Not a pathologic fracture but a nutrient canal in the femoral neck.",
    ],
)
def test_a_contrast_with_something_other_than_a_cause_denies_the_fracture(extractor: Extractor, impression: str) -> None:
    out = labels(extractor, f"IMPRESSION: {impression}")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_a_non_pathologic_fracture_is_a_fracture_and_no_pathologic_one(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Non-pathologic fracture of the left femoral shaft.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "present")


@pytest.mark.parametrize(
    "impression", ["No fracture, pathologic or otherwise.", "Lytic T9 lesion. No pathological collapse of T9."]
)
def test_a_denied_fracture_called_pathologic_denies_a_pathologic_fracture_too(extractor: Extractor, impression: str) -> None:
    out = labels(extractor, f"IMPRESSION: {impression}")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_a_plain_denial_of_a_pathologic_fracture_denies_both(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: No pathologic fracture.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_two_fractures_before_one_semicolon_fragment_are_both_called(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Compression fractures of T11 and T12; osteoporotic versus pathologic.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("possible", "present")


def test_a_metastasis_at_a_level_is_of_bone_though_the_cord_it_compresses_is_named(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Metastatic carcinoma at T7 with epidural spinal cord compression.")
    assert (out["bone_metastasis"], out["cord_compression"]) == ("present", "present")


def test_a_metastasis_in_the_cord_at_a_level_stays_a_cord_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Intramedullary metastasis of the spinal cord at T7.")
    assert out["bone_metastasis"] == "not_mentioned"


# --- a vertebral shape with a cause that is no fracture ----------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Mild anterior wedging of T7 and T8, likely developmental.",
        "Slight wedging of the midthoracic vertebral bodies, consistent with Scheuermann disease.",
        "Mild wedging of T12, a normal variant.",
        "Anterior wedging of L1, physiologic.",
    ],
)
def test_wedging_with_a_cause_that_is_no_fracture_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_wedging_said_to_be_no_fracture_is_an_absent_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Mild wedging of T6, not a fracture.")["fracture"] == "absent"


def test_explained_wedging_leaves_the_denied_fracture_absent(extractor: Extractor) -> None:
    text = "FINDINGS: Mild wedging of T7 and T8, consistent with Scheuermann disease. No compression fracture."
    assert labels(extractor, text)["fracture"] == "absent"


def test_wedging_named_alone_is_still_a_possible_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Mild anterior wedging of T7.")["fracture"] == "possible"


def test_endplate_depression_named_alone_is_a_possible_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Mild superior endplate depression of L1.")["fracture"] == "possible"


def test_endplate_depression_from_a_schmorl_node_is_no_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Inferior endplate depression of T12 from a Schmorl node.")["fracture"] == "not_mentioned"


def test_nbi_on_a_radiograph_is_no_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "XR RIGHT ANKLE\nCLINICAL: Inversion injury.\nFINDINGS: NBI.")["fracture"] == "absent"


def test_nbi_on_a_trauma_ct_is_no_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "CT LEFT ELBOW\nFINDINGS: NBI.")["fracture"] == "absent"


def test_nbi_in_an_endoscopy_note_is_narrow_band_imaging(extractor: Extractor) -> None:
    text = "GASTROSCOPY\nFINDINGS: Barrett segment examined with NBI, no dysplasia seen."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_wedging_beside_a_fracture_word_stays_possible(extractor: Extractor) -> None:
    text = "FINDINGS: Mild anterior wedging of T7, possibly a compression fracture."
    assert labels(extractor, text)["fracture"] == "possible"


def test_the_angiography_study_lookup_finds_what_trying_every_study_finds() -> None:
    """CT / MR studies are looked up by where they end, within the gap's reach: the same answer as trying
    each one (random texts and mentions)."""
    import random

    from reportnlp.records.labels.modalities import _ANGIO_GAP, _cross_sectional_angio, _cross_sectional_studies

    def every(m: dict[str, Any], mentions: list[dict[str, Any]], text: str) -> bool:
        return any(
            o["meta"]["modality"] in ("CT", "MRI") and not o["meta"].get("inferred") and o["end"] <= m["start"]
            and o["sentence"] == m["sentence"] and _ANGIO_GAP.fullmatch(text, o["end"], m["start"]) is not None
            for o in mentions
        )

    rng = random.Random(3)
    pieces = [*"ab CT/-\t.\nX", "angio ", "CT ", "MR "]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        mentions = []
        for _ in range(rng.randint(1, 5)):
            start = rng.randint(0, len(text))
            meta = {"modality": rng.choice(["CT", "MRI", "XR"]), **({"inferred": True} if rng.random() < 0.2 else {})}
            sentence = {"start": 0, "end": len(text)} if rng.random() < 0.8 else {"start": 1, "end": 2}
            mentions.append({"start": start, "end": rng.randint(start, len(text)), "sentence": sentence, "meta": meta})
        studies = _cross_sectional_studies(mentions)
        for m in mentions:
            assert _cross_sectional_angio(m, mentions, studies, text) == every(m, mentions, text)


@pytest.mark.parametrize("sentence", ["Back pain from known spinal metastases.", "Spinal mets, stable.",
                                      "Spinal metastatic disease."])
def test_spinal_metastases_are_bone_metastases(extractor: Extractor, sentence: str) -> None:
    """'Spinal' before the metastasis word is the spinal column: a bone site (alone it is no site)."""
    assert labels(extractor, f"ASSESSMENT: {sentence}")["bone_metastasis"] == "present"


def test_spinal_beside_another_organs_metastases_is_no_bone_site(extractor: Extractor) -> None:
    assert labels(extractor, "ASSESSMENT: Spinal stenosis and lung metastases.")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("sentence", ["Cervical DJD with radiculopathy.", "Degenerative joint disease of the lumbar spine.",
                                      "Osteoarthritis of the hip and lumbar spine.", "Thoracic degenerative changes.",
                                      "Cervical spine arthritis.", "Arthritis of the thoracic spine."])
def test_joint_disease_of_the_spine_is_spondylosis(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"ASSESSMENT: {sentence}")["degenerative"]["spondylosis"] == "present"


@pytest.mark.parametrize("text", ["ASSESSMENT: 1. Osteoarthritis. 2. Cervical spinal stenosis.",
                                  "ASSESSMENT: Osteoarthritis of the knees.",
                                  "ASSESSMENT: Arthritis of both shoulders.",
                                  "MRI CERVICAL SPINE\nIMPRESSION: Rheumatoid arthritis with pannus at C1-2.",
                                  "ASSESSMENT: Cervical lymphadenopathy and degenerative changes of the knee."])
def test_joint_disease_without_its_own_spine_site_is_not_spondylosis(extractor: Extractor, text: str) -> None:
    """A problem list's 'Osteoarthritis.' is systemic: a spine word in the next item does not make it the spine's."""
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "not_mentioned"


@pytest.mark.parametrize(("text", "expected"), [
    ("ONCOLOGY NOTE\nHPI: NSCLC.\nImaging: PET/CT 02/10 negative. CT head 03/01 negative.\nPLAN: continue.", ["CT", "PET"]),
    ("ONCOLOGY NOTE\nHPI: NSCLC.\nImaging: PET/CT 02/10 negative; the CT portion shows a stable nodule.", ["PET"]),
    ("PET/CT SKULL BASE TO THIGH\nTECHNIQUE: low-dose CT for attenuation correction.\nFINDINGS: CT chest shows a nodule.",
     ["PET"]),
])
def test_a_note_names_a_ct_of_its_own_beside_a_pet_ct(extractor: Extractor, text: str, expected: list[str]) -> None:
    """A radiology report's CT words are its PET/CT's CT; a note retells several studies (session 18)."""
    assert labels(extractor, text)["modalities"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Your MRI shows the spinal cord is pinched at C5.", "present"),
    ("MRI shows mild wear and tear, no pinched nerves or spinal cord.", "absent"),
    ("MRI shows a pinched nerve at L5 on the left.", "not_mentioned"),
])
def test_a_pinched_spinal_cord_told_to_a_patient_is_cord_compression(
    extractor: Extractor, text: str, expected: str
) -> None:
    assert labels(extractor, text)["cord_compression"] == expected


@pytest.mark.parametrize("word", ["syndesmophyte", "syndesmophytes"])
def test_a_syndesmophyte_is_no_spondylosis(extractor: Extractor, word: str) -> None:
    """A syndesmophyte is the inflammatory bridging of ankylosing spondylitis, not a degenerative osteophyte
    (session 18)."""
    text = f"EXAM: Chest PA and lateral.\nFINDINGS: Clear lungs. Redemonstrated {word}."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "not_mentioned"


def test_dish_beside_syndesmophytes_stays_spondylosis(extractor: Extractor) -> None:
    text = "EXAM: Chest PA and lateral.\nFINDINGS: Flowing syndesmophytes of the thoracic spine, in keeping with DISH."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "present"


# --- a rib or clavicle deformity: the shape a healed fracture leaves (session 11) ----------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Contour deformity of the right 7th rib, likely old injury.",
        "Old left rib deformities.",
        "Deformity of the left clavicle related to remote trauma.",
        "Age-indeterminate deformity of the right lateral 9th rib.",
    ],
)
def test_a_rib_deformity_tied_to_a_past_injury_is_a_possible_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "possible"


def test_a_rib_deformity_with_no_cause_named_is_no_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Right 5th and 6th rib deformities.")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    [
        "Severe scoliosis with chronic deformity of the left ribs.",
        "Old rib deformity from a prior thoracotomy.",
    ],
)
def test_a_rib_deformity_with_another_cause_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_a_rib_deformity_beside_denied_fractures_stays_possible(extractor: Extractor) -> None:
    text = "FINDINGS: Healed right rib deformities. No acute rib fracture."
    assert labels(extractor, text)["fracture"] == "possible"


# --- a title that names the study it is compared with (session 11) ------------------------------------

def test_a_study_a_title_names_after_comparison_is_not_performed(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest, comparison CT from XXXX\nFINDINGS: Clear lungs."
    assert labels(extractor, text)["modalities"] == ["XR"]


def test_a_title_study_with_a_date_is_still_performed(extractor: Extractor) -> None:
    text = "EXAM: Chest radiographs from XXXX\nFINDINGS: Clear lungs."
    assert labels(extractor, text)["modalities"] == ["XR"]


@pytest.mark.parametrize(
    ("text", "modalities"),
    [
        # recommended, then its result reported in the next sentence: done
        ("HOSPITAL COURSE: Neurology recommended a CT of the head. It showed an old lacunar infarct.", ["CT"]),
        # recommended, and the next sentence says what it would show: not done
        ("HOSPITAL COURSE: Neurology recommended a CT of the head. It would show a bleed.", []),
        # named alone, and recommended by the next sentence: not done
        ("Back pain with leg weakness. An MRI of the lumbar spine. This is advised to exclude a mass.", []),
        # a sentence that says the study was had is not a study named alone
        ("Back pain with leg weakness. She had an MRI of the lumbar spine. This is advised in such pain.", ["MRI"]),
    ],
)
def test_a_study_and_what_the_next_sentence_says_of_it(extractor: Extractor, text: str, modalities: list[str]) -> None:
    """Session 14: ConText reads one sentence; a study's result or recommendation may follow in the next."""
    assert labels(extractor, text)["modalities"] == modalities


def test_a_recommended_study_done_by_the_next_sentence_says_why_it_counts(extractor: Extractor) -> None:
    text = "HOSPITAL COURSE: Surgery recommended a CT of the abdomen. This showed a small abscess."
    ct = next(m for m in extractor.record_for_text("r", text)["mentions"] if m["concept"] == "modality")
    assert ct["assertion"] == "hypothetical"
    assert ct["note"] == "recommended, then done: the next sentence reports its result"


# --- a study dated by a calendar year (session 15) ----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "modalities"),
    [
        # a later date of the note itself: the year's study is past
        ("DATE OF VISIT: 06/11/2012\nRESULTS: In 2009, he had an MRI of the brain that was normal.", []),
        # events of a later year told after it
        ("COURSE: A CT of the chest in 2004 was clear. In 2010 he developed a cough.", []),
        # an ISO date of the note, later than the study's year
        ("Exam date 2013-05-02\nRESULTS: In 2010, she had a bone scan, negative.", []),
        # "back in" a year is the past whatever the note's date
        ("RESULTS: Back in 2001 she had a bone scan, negative.", []),
        # a year and nothing later: it may be the note's own year
        ("RESULTS: In 2011, she had a normal MRI of the spine.", ["MRI"]),
        # a date's year is no bare year
        ("FINDINGS: MRI of 03/04/2008 reviewed. Follow-up in 2012 planned.", ["MRI"]),
    ],
)
def test_a_study_dated_by_a_calendar_year_before_the_note_is_past(extractor: Extractor, text: str, modalities: list[str]) -> None:
    """Session 15: wave 14's known gap (a study "in 1999")."""
    assert labels(extractor, text)["modalities"] == modalities


# --- the next sentence calls the fracture pathologic (session 15) -------------------------------------

@pytest.mark.parametrize(
    ("after", "pathologic"),
    [
        ("This may be pathologic.", "possible"),
        ("The collapse is pathological.", "present"),
        ("It is not pathologic.", "absent"),  # session 23: the next sentence denies the cause, as its own clause would
        ("It is not clearly pathologic.", "not_mentioned"),  # a doubt, not a denial
    ],
)
def test_the_next_sentence_pointing_back_calls_the_fracture_pathologic(extractor: Extractor, after: str, pathologic: str) -> None:
    assert labels(extractor, f"FINDINGS: Compression deformity of the T9 body. {after}")["pathologic_fracture"] == pathologic


def test_a_pathologic_word_two_sentences_on_points_at_the_finding_before_it(extractor: Extractor) -> None:
    """'This' is the sentence just before it: here the marrow, not the collapse two sentences back."""
    text = "FINDINGS: Compression deformity of the T9 body. Diffuse marrow heterogeneity. This may be pathologic."
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"


# --- session 16 (acc34, wave 21): voice-recognition slips, fractions, a denied pathologic fracture -----------


@pytest.mark.parametrize("slip", ["meta static disease", "meta stases", "meta stasis"])
def test_a_dictated_metastasis_split_in_two_is_a_metastasis(extractor: Extractor, slip: str) -> None:
    assert labels(extractor, f"FINDINGS: Enhancing foci in L2 and L4 consistent with {slip}.")["bone_metastasis"] == "present"


def test_a_lithic_lesion_is_voice_recognitions_lytic_one(extractor: Extractor) -> None:
    got = labels(extractor, "FINDINGS: A geographic lithic lesion in the proximal femur.")
    assert got["lesion_pattern"] == ["lytic"]
    assert got["bone_metastasis"] == "possible"


@pytest.mark.parametrize("count", ["Fx 6 of 10 (30 Gy/10) delivered.", "Fx #3/5 today.", "30 Gy in 10 fx to T4-T7."])
def test_a_radiotherapy_fraction_count_is_no_fracture(extractor: Extractor, count: str) -> None:
    assert labels(extractor, f"ASSESSMENT: Osseous metastases. {count}")["fracture"] == "not_mentioned"


def test_a_fx_after_a_level_stays_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "ASSESSMENT: L1 fx 2 weeks ago, healing.")["fracture"] == "present"


def test_a_denied_pathologic_fracture_beside_an_osteoporotic_cause_stays_denied(extractor: Extractor) -> None:
    text = "A/P: R femoral neck fx, likely osteoporotic - no evidence of pathologic fx."
    got = labels(extractor, text)
    assert (got["fracture"], got["pathologic_fracture"]) == ("present", "absent")


def test_degenerative_changes_as_described_point_back_to_the_findings(extractor: Extractor) -> None:
    text = "Bone scan. FINDINGS: Uptake at the lower cervical facets, degenerative. IMPRESSION: Degenerative uptake as described."
    got = labels(extractor, text)["degenerative"]
    assert (got["facet_arthropathy"], got["spondylosis"]) == ("present", "not_mentioned")


def test_a_lesion_pattern_word_before_a_sided_bone_met_gives_its_pattern(extractor: Extractor) -> None:
    got = labels(extractor, "Results: PET/CT - FDG avid sclerotic R acetabular met, SUV 5.1.")
    assert (got["bone_metastasis"], got["lesion_pattern"]) == ("present", ["blastic"])


@pytest.mark.parametrize("title", ["CHEST PA/LAT", "CHEST AP/LAT", "HAND 3+ VIEWS RIGHT", "FOOT 2+ VIEWS LT"])
def test_abbreviated_frontal_and_lateral_views_are_a_radiograph(extractor: Extractor, title: str) -> None:
    assert labels(extractor, f"{title}\nFINDINGS: Lungs clear.")["modalities"] == ["XR"]


def test_a_checkbox_template_names_only_the_checked_studies(extractor: Extractor) -> None:
    text = "ED NOTE\nCC: back pain\nMDM:\nImaging: [x] XR L-spine  [ ] CT  [ ] MRI\nXR L-spine: [x] no acute fracture"
    assert labels(extractor, text)["modalities"] == ["XR"]


def test_no_lesion_to_suggest_a_pathologic_etiology_denies_the_pathologic_fracture(extractor: Extractor) -> None:
    text = "IMPRESSION: Compression fracture of L1, no underlying marrow lesion to suggest a pathologic etiology."
    got = labels(extractor, text)
    assert (got["fracture"], got["pathologic_fracture"]) == ("present", "absent")


def test_a_prostate_m1b_stage_is_a_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "GU ONCOLOGY NOTE\nDIAGNOSIS: Prostate adenocarcinoma, cT3bN1M1b.\nPLAN: ADT.")
    assert out["bone_metastasis"] == "present"


def test_a_lung_m1b_stage_names_no_site(extractor: Extractor) -> None:
    out = labels(extractor, "THORACIC ONCOLOGY NOTE\nDIAGNOSIS: Lung adenocarcinoma, cT3N2M1b.\nPLAN: Osimertinib.")
    assert out["bone_metastasis"] == "possible"


def test_an_m_stage_whose_parenthesis_names_an_organ_is_no_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "ONCOLOGY NOTE\nDIAGNOSIS: Clear cell RCC, pT3a pN0 M1 (lung).\nPLAN: Nivolumab.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_mitnm_m1b_is_a_bone_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "PSMA PET/CT\nIMPRESSION: miT0 miN1a miM1b.")["bone_metastasis"] == "present"


def test_a_stage_group_alone_names_no_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "ONCOLOGY NOTE\nDIAGNOSIS: Stage IV NSCLC, ALK-positive.\nPLAN: Alectinib.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_ct_on_its_own_dated_line_beside_a_pet_ct_is_a_ct(extractor: Extractor) -> None:
    text = "TUMOUR BOARD\nStaging:\n- CT AP 11/2026: no adenopathy.\n- PSMA PET/CT 11/2026: single L2 focus."
    assert labels(extractor, text)["modalities"] == ["CT", "PET"]


def test_a_pet_cts_technique_ct_line_adds_no_ct(extractor: Extractor) -> None:
    text = "FDG PET/CT\nTECHNIQUE: FDG IV.\nCT 11/30/2026: low dose, for attenuation correction.\nFINDINGS: Normal."
    assert labels(extractor, text)["modalities"] == ["PET"]
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ED course: FAST neg. CXR: no PTX.", ["US", "XR"]),
        ("ED course: eFAST exam: no free fluid.", ["US"]),
        ("ED course: BE FAST negative. CT head neg.", ["CT"]),  # a stroke screen
        ("ED course: fast heart rate, pt NPO. CT head neg.", ["CT"]),
    ],
)
def test_a_trauma_notes_fast_is_an_ultrasound(extractor: Extractor, text: str, expected: list[str]) -> None:
    """Session 18: focused assessment with sonography for trauma, in capitals with its result or exam word."""
    assert labels(extractor, text)["modalities"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "CT HEAD\nFINDINGS: Well-circumscribed lucency in the right parietal bone, consistent with a venous lake.",
        "CT A/P\nBones: Lucent lesion in the femoral neck with fat attenuation, consistent with an intraosseous lipoma.",
        "XR HIP\nFindings: New lucency at the bone-cement interface of the femoral component, concerning for loosening.",
        "CT ABDOMEN PELVIS\nBones: Small lucency in the right iliac bone, likely a vascular channel.",
    ],
)
def test_benign_lucencies_of_everyday_studies_are_no_lesion(extractor: Extractor, text: str) -> None:
    got = labels(extractor, text)
    assert (got["bone_metastasis"], got["lesion_pattern"]) == ("not_mentioned", [])


def test_a_venous_lake_explains_no_lucency_elsewhere(extractor: Extractor) -> None:
    text = "CT HEAD\nFINDINGS: Lytic lesion in the C2 vertebral body. Venous lake in the right parietal bone."
    assert labels(extractor, text)["lesion_pattern"] == ["lytic"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ED NOTE\nMDM: XR L spine (my read): degen changes, no acute fx.", "spondylosis"),
        ("ED NOTE\nMDM: XR L-spine: degen disc dz L4-5, no fx.", "disc_degeneration"),
    ],
)
def test_degen_shorthand_is_a_degenerative_finding_of_the_spine(extractor: Extractor, text: str, key: str) -> None:
    """Session 18: an ED physician's own read writes "degen" for degenerative."""
    assert labels(extractor, text)["degenerative"][key] == "present"


def test_degen_shorthand_of_a_limb_joint_is_no_spine_finding(extractor: Extractor) -> None:
    got = labels(extractor, "ED NOTE\nMDM: XR L knee: degen changes, no fx.")["degenerative"]
    assert set(got.values()) == {"not_mentioned"}


@pytest.mark.parametrize(
    ("addendum", "expected"),
    [
        ("ADDENDUM: On review, the left 6th rib finding is calcification, not a fracture. No rib fracture.", "absent"),
        ("ADDENDUM: On further review, no fracture of the left 6th rib is seen.", "absent"),
        ("ADDENDUM: No acute fracture of the left 6th rib.", "present"),  # a healed one may still be there
        ("ADDENDUM: No fracture of the right clavicle.", "present"),  # another site
    ],
)
def test_an_addendum_that_denies_the_bodys_fracture_at_its_site_withdraws_it(
    extractor: Extractor, addendum: str, expected: str
) -> None:
    """Session 18: the addendum is the same reader's last word on the fracture, as on a lesion (section 3)."""
    text = f"CT CHEST\nFINDINGS: Nondisplaced fracture of the left 6th rib.\nIMPRESSION: Left 6th rib fracture.\n{addendum}"
    assert labels(extractor, text)["fracture"] == expected


def test_a_lucency_at_a_fractured_bone_named_with_its_side_once_is_that_fracture(extractor: Extractor) -> None:
    text = ("EXAM: Right foot series.\nFINDINGS: Subtle lucency in the proximal right fourth metatarsal.\n"
            "IMPRESSION: Cannot exclude a nondisplaced fracture at the base of the metatarsal.")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


def test_a_lesion_its_clause_calls_malignant_is_not_explained_by_a_benign_finding_elsewhere(extractor: Extractor) -> None:
    text = ("EXAM: XR SKULL\nFINDINGS: Incidental lucency in the right frontal bone, typical of a haemangioma.\n"
            "IMPRESSION: Multiple lytic calvarial lesions, in keeping with myeloma. Right frontal haemangioma.")
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("present", ["lytic"])


@pytest.mark.parametrize("text", [
    "FINDINGS: Expansile lytic lesion of the C6 vertebral body, no collapse.",
    "FINDINGS: Destructive lesion of the T10 vertebral body. No collapse or retropulsion.",
])
def test_a_bare_no_collapse_beside_a_vertebral_lesion_denies_the_fracture_only(extractor: Extractor, text: str) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\n" + text)
    assert (out["fracture"], out["pathologic_fracture"]) == ("absent", "not_mentioned")


@pytest.mark.parametrize("text", [
    "FINDINGS: Lytic lesion in the T8 vertebral body and a right lower lobe mass without collapse.",
    "FINDINGS: Sclerotic T8 lesion. No collapse or consolidation.",
    "FINDINGS: Lytic lesion in the right 5th rib. Left upper lobe opacity. No collapse.",
    "FINDINGS: No collapse.",
])
def test_a_bare_no_collapse_of_the_lung_or_with_no_vertebral_lesion_is_no_fracture(
    extractor: Extractor, text: str
) -> None:
    assert labels(extractor, "CT CHEST\n" + text)["fracture"] == "not_mentioned"


def test_a_look_written_after_its_lesion_is_its_pattern(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: L2 lesion sclerotic, unchanged.")["lesion_pattern"] == ["blastic"]


def test_a_sclerotic_margin_after_a_comma_is_no_blastic_lesion(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Lytic L2 lesion, sclerotic margin.")["lesion_pattern"] == ["lytic"]


# --- session 22: the cord and the canal (wave 36) ------------------------------------------------------------


def test_pathological_before_a_fracture_of_a_level_calls_it_pathologic(extractor: Extractor) -> None:
    got = labels(extractor, "MRI WHOLE SPINE\nConclusion: MSCC at T9 secondary to pathological collapse of T9.")
    assert (got["pathologic_fracture"], got["fracture"]) == ("present", "present")


def test_a_word_that_only_ends_in_pathological_calls_the_collapse_not_pathologic(extractor: Extractor) -> None:
    """'Non-pathological' denies the cause (session 22, acc53: as 'osteoporotic, not pathologic' does)."""
    got = labels(extractor, "MRI SPINE\nFindings: Non-pathological collapse of T9, osteoporotic.")
    assert (got["pathologic_fracture"], got["fracture"]) == ("absent", "present")


def test_a_dash_clause_keeps_an_exclusion_hedge_to_its_own_finding(extractor: Extractor) -> None:
    got = labels(extractor, "CT\nFindings: Destructive T5 metastasis extending into the canal - cord compression "
                            "not excluded on CT.")
    assert (got["bone_metastasis"], got["cord_compression"]) == ("present", "possible")


def test_a_finding_the_study_cannot_assess_is_not_counted(extractor: Extractor) -> None:
    got = labels(extractor, "CT CHEST\nFindings: Lytic T11 metastasis. Cord compression cannot be assessed on CT.")
    assert got["cord_compression"] == "not_mentioned"


def test_sclerotic_and_lytic_metastases_give_both_patterns(extractor: Extractor) -> None:
    got = labels(extractor, "MRI SPINE\nFindings: Diffuse sclerotic and lytic metastases throughout the spine.")
    assert got["lesion_pattern"] == ["blastic", "lytic"]


@pytest.mark.parametrize(("opener", "expected"), [("On further review, there is", "absent"), ("There is", "present")])
def test_one_correcting_sentence_denying_many_fractures_withdraws_each_at_its_level(
    extractor: Extractor, opener: str, expected: str
) -> None:
    """A correcting sentence's many denials are each the reader's last word on the fracture at their level; the
    sentence is read for its correcting words once, however many denials it holds (session 22)."""
    body = " ".join(f"Compression fracture of L{k}." for k in range(1, 6))
    text = f"CT LUMBAR SPINE\nFINDINGS: {body} {opener} " + ", ".join(f"no fracture of L{k}" for k in range(1, 6)) + "."
    assert labels(extractor, text)["fracture"] == expected


@pytest.mark.parametrize(
    ("last", "expected"), [("no collapse.", "absent"), ("no collapse or consolidation of the lung.", "not_mentioned")]
)
def test_each_bare_no_collapse_of_a_long_sentence_reads_the_sentences_lung_words(
    extractor: Extractor, last: str, expected: str
) -> None:
    """The small version of bench/adversarial.py's "No collapse, ...": the sentence is searched for lung words once,
    not once per "no collapse" in it (session 22); a lung word anywhere in it still makes every one the lung's."""
    text = "MRI SPINE\nFINDINGS: Lytic lesion at L2. " + "No collapse, " + "no collapse, " * 3 + last
    assert labels(extractor, text)["fracture"] == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("BONE SCAN\nFINDINGS: Uptake at the lower lumbar facets" + ", degenerative" * 3 + ".", "facet_arthropathy"),
        ("MRI LUMBAR SPINE\nFINDINGS: Degenerative changes" + ", degenerative changes" * 3 + " of the lumbar spine.",
         "spondylosis"),
    ],
)
def test_generic_degenerative_changes_of_one_clause_read_its_facet_words_once(
    extractor: Extractor, text: str, key: str
) -> None:
    """The small version of bench/adversarial.py's "degenerative changes, ...": the clause is searched for facet
    words once, not once per generic change in it (session 22)."""
    assert labels(extractor, text)["degenerative"][key] == "present"


@pytest.mark.parametrize(("last", "expected"), [("increased uptake.", "not_mentioned"), ("focal uptake.", "possible")])
def test_uptakes_under_a_chemotherapy_cause_are_explained_unless_called_focal(
    extractor: Extractor, last: str, expected: str
) -> None:
    """The small version of bench/adversarial.py's "uptake related to chemotherapy, uptake, ...": a cause that explains
    diffuse uptake explains each uptake of its clause not called focal before it ends; the clause's focal words are
    found once, not searched from its start for each uptake (session 23)."""
    text = "BONE SCAN\nFINDINGS: Diffuse marrow uptake related to chemotherapy, " + "increased uptake, " * 3 + last
    assert labels(extractor, text)["bone_metastasis"] == expected


def test_each_of_many_lesions_is_explained_by_the_reading_that_points_back_to_it(extractor: Extractor) -> None:
    """Session 23: the benign readings are filed by site and by the sentence they point back to (one lesion no
    reading points to stays a possible metastasis)."""
    text = ("MRI T SPINE\nFINDINGS:\n" + "".join(f"Lytic lesion at T{i}.\nIt is a typical hemangioma.\n" for i in range(1, 13))
            + "Sclerotic focus in the right ilium.\n")
    record = extractor.record_for_text("t", text)
    assert (record["labels"]["bone_metastasis"], record["labels"]["lesion_pattern"]) == ("possible", ["blastic"])
    assert sum(1 for m in record["mentions"] if m["concept"] == "lytic_lesion" and m.get("note")) == 12


# --- session 24 (acc58, wave 45): radiotherapy documents ---------------------------------------------------------


@pytest.mark.parametrize(
    "course",
    [
        "27 Gy in 3 fx (9 Gy / fx), constraints (3 fx) met.",
        "8 Gy x 1 fx given; pain worse after fx 1; dex through last fx.",
        "Rx 30 Gy / 10 fx. Fx delivered: 7 of 10. Missed fx: none. Remaining: 3 fxs.",
        "Dose: 20Gy/5# T10-L2; 20Gy in 5# L5.",
    ],
)
def test_a_count_of_fractions_beside_a_dose_is_no_fracture(extractor: Extractor, course: str) -> None:
    assert labels(extractor, f"ASSESSMENT: Painful osseous metastases. {course}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "fracture",
    ["new T12 fx, osteoporotic.", "pathologic fx unlikely.", "L1 fx 2 wks ago.", "new #L1 on XR."],
)
def test_a_fracture_shorthand_in_a_radiotherapy_note_stays_a_fracture(extractor: Extractor, fracture: str) -> None:
    text = f"ASSESSMENT: L3 metastasis, 8 Gy x 1 fx in 10/2026. {fracture}"
    assert labels(extractor, text)["fracture"] in ("present", "absent")


def test_counted_fractures_without_a_dose_stay_fractures(extractor: Extractor) -> None:
    assert labels(extractor, "A/P: Osteoporosis with 2 fx in 3 yrs.")["fracture"] == "present"


@pytest.mark.parametrize(
    ("escc", "status"),
    [("no ESCC on planning MRI", "absent"), ("high-grade ESCC at T11", "present"), ("ESCC 1b at T5", "not_mentioned"),
     ("ESCC / Bilsky 1b at T7", "not_mentioned"), ("low-grade ESCC at L2", "not_mentioned")],
)
def test_escc_named_without_a_grade_is_cord_compression(extractor: Extractor, escc: str, status: str) -> None:
    assert labels(extractor, f"IMPRESSION: Spinal metastases, {escc}.")["cord_compression"] == status


def test_fatty_marrow_replacement_is_no_tumour(extractor: Extractor) -> None:
    text = "MRI PELVIS\nFINDINGS: Fatty marrow replacement in the sacrum in keeping with prior radiotherapy."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_cone_beam_ct_is_ct(extractor: Extractor) -> None:
    assert labels(extractor, "ON TREATMENT VISIT\nIGRT: daily CBCT reviewed, shifts < 3 mm.")["modalities"] == ["CT"]


def test_a_labelled_risk_list_is_hypothetical(extractor: Extractor) -> None:
    text = "CONSENT NOTE\nRisks reviewed: fatigue, pain flare, vertebral compression fracture, myelopathy."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_a_study_a_finding_would_need_is_hypothetical(extractor: Extractor) -> None:
    text = "TELEPHONE NOTE\nAssessment: pain flare. Would need XR for pathological fracture if worse."
    got = labels(extractor, text)
    assert (got["pathologic_fracture"], got["modalities"]) == ("not_mentioned", [])


def test_an_operation_that_would_be_needed_keeps_its_fracture(extractor: Extractor) -> None:
    text = "CONSULT NOTE\nAssessment: Type II odontoid fracture. He would need surgery for the fracture to heal."
    assert labels(extractor, text)["fracture"] == "present"
# --- session 24: a fracture denied after a bone lesion in its sentence ----------------------------------------


@pytest.mark.parametrize("text", [
    "Findings: 2.5 cm lytic lesion of the mid humeral diaphysis, about 50% cortical involvement, no fracture.",
    "Findings: Lytic lesion in the left femoral shaft (SUV 8.7), 3 cm, with scalloping of two thirds of the cortex "
    "and no fracture line.",
    "Findings: Multiple lytic lesions in the pelvis and L2 without fracture.",
])
def test_a_fracture_denied_after_a_lesion_in_its_sentence_is_no_pathologic_fracture(
    extractor: Extractor, text: str
) -> None:
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


@pytest.mark.parametrize("text", [
    "Findings: Lytic lesion in the left femoral shaft. No fracture.",  # another sentence
    "Findings: Lytic lesion in the left iliac wing, no rib fracture.",  # another bone
    "Findings: Lytic lesion in the left femoral shaft; no fracture.",  # another clause
])
def test_a_denial_apart_from_the_lesion_denies_no_pathologic_fracture(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"


@pytest.mark.parametrize(("text", "key", "status"), [
    ("Lumbar series: Reduced L5-S1 disc height.", "disc_degeneration", "present"),
    ("MRI L-spine: 2 mm retropulsion, no epidural extension, canal patent.", "spinal_stenosis", "absent"),
    ("MRI T-spine: the thecal sac is mildly indented by a small disc bulge at T7-8.", "spinal_stenosis", "present"),
    ("MRI T-spine: the thecal sac is mildly, not severely, indented by a disc bulge at T7-8.", "spinal_stenosis",
     "present"),
    ("MRI T-spine: the thecal sac is not indented by the disc bulge at T7-8.", "spinal_stenosis", "not_mentioned"),
])
def test_degenerative_words_of_spine_care_notes(extractor: Extractor, text: str, key: str, status: str) -> None:
    """Session 26 (wave 53): a level inside 'reduced ... disc height', a note's bare ', canal patent', and the
    thecal sac indented told in the passive."""
    assert labels(extractor, text)["degenerative"][key] == status


def test_a_lucency_named_after_its_hardware_is_no_bone_lesion(extractor: Extractor) -> None:
    """Session 26 (wave 53): 'no hardware lucency' denies loosening, not a lytic lesion."""
    assert labels(extractor, "XR C-spine: C5-6 plate and screws intact, no hardware lucency.")["bone_metastasis"] == (
        "not_mentioned")
# --- session 26: a template's fracture field answered with no cue, under its lesion field -----------------------


def test_a_fracture_field_answered_no_under_a_lesion_field_is_no_pathologic_fracture(extractor: Extractor) -> None:
    text = ("XR LEFT FEMUR\nFINDINGS:\nLesion: 2.8 cm lytic lesion, subtrochanteric femur, concerning for metastasis\n"
            "Fracture: No\nIMPRESSION: Lytic lesion.")
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_a_fracture_field_answered_no_after_a_blank_line_stays_apart(extractor: Extractor) -> None:
    text = ("XR LEFT FEMUR\nFINDINGS:\nLesion: 2.8 cm lytic lesion, subtrochanteric femur, concerning for metastasis\n\n"
            "Fracture: No\nIMPRESSION: Lytic lesion.")
    assert labels(extractor, text)["pathologic_fracture"] == "not_mentioned"


# --- session 26: a metastasis's look told after it, and bone words before a metastasis ------------------------


@pytest.mark.parametrize(("sentence", "pattern"), [
    ("The treated metastasis is now sclerotic.", ["blastic"]),
    ("The metastases have become densely sclerotic.", ["blastic"]),
    ("The known metastases remain lytic.", ["lytic"]),
])
def test_a_metastasis_whose_look_is_told_after_it_is_in_bone(
    extractor: Extractor, sentence: str, pattern: list[str]
) -> None:
    out = labels(extractor, f"CT ABDOMEN AND PELVIS\nFINDINGS: {sentence}")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("present", pattern)


@pytest.mark.parametrize("sentence", [
    "Healed-appearing sclerotic treated intertrochanteric metastasis.",
    "Expansile lytic subtrochanteric femoral metastasis.",
])
def test_a_bone_word_or_two_between_the_look_and_the_metastasis_keeps_the_look(
    extractor: Extractor, sentence: str
) -> None:
    out = labels(extractor, f"CT PELVIS\nFINDINGS: {sentence}")
    assert out["bone_metastasis"] == "present" and len(out["lesion_pattern"]) == 1


def test_a_liver_metastasis_now_calcified_is_no_bone_finding(extractor: Extractor) -> None:
    out = labels(extractor, "CT ABDOMEN\nFINDINGS: The treated liver metastasis is now calcified.")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


# --- session 26: a tumour come back where it was treated ------------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Enhancing tissue in the L3 vertebral body, concerning for in-field recurrence.", "possible"),
    ("Enhancing tissue in the L3 vertebral body, concerning for in field recurrence.", "possible"),
    ("Nodule at the vesicourethral anastomosis, suspicious for local recurrence.", "not_mentioned"),
])
def test_an_in_field_recurrence_counts_at_a_bone_only(extractor: Extractor, sentence: str, expected: str) -> None:
    assert labels(extractor, f"MRI\nFINDINGS: {sentence}")["bone_metastasis"] == expected


@pytest.mark.parametrize("reading", [
    "is the overlapping scapular edge", "is due to overlapping vessels", "is a nipple shadow", "is a Mach band",
    "is a superimposed shadow", "represents overlapping vascular shadows",
])
def test_a_lucency_read_as_an_overlapping_normal_structure_is_no_lesion(extractor: Extractor, reading: str) -> None:
    """Session 27: a superimposed normal structure explains the lucency, as overlying bowel gas does."""
    out = labels(extractor, f"XR RIBS\nFINDINGS: The lucency over the left 7th rib {reading}.")
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_a_lesion_superimposed_on_a_structure_keeps_its_reading(extractor: Extractor) -> None:
    text = "XR RIBS\nFINDINGS: Lytic lesion of the left 6th rib, superimposed on the scapular tip, suspicious for metastasis."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_sac_not_indented_by_the_finding_affirms_the_finding(extractor: Extractor) -> None:
    """Session 27: the denial is of what the bulge does to the sac; without an article it stays one denial."""
    out = labels(extractor, "MRI L-SPINE\nFINDINGS: L4-5: the thecal sac is not indented by the small disc bulge.")
    assert out["degenerative"]["disc_bulge"] == "present"
    out = labels(extractor, "MRI C-SPINE\nFINDINGS: C5-6: the cord is not compressed by the protrusion.")
    assert out["degenerative"]["disc_herniation"] == "present" and out["cord_compression"] == "absent"
    out = labels(extractor, "MRI L-SPINE\nFINDINGS: L4-5: the sac is not indented by disc or osteophyte.")
    assert out["degenerative"]["spondylosis"] == "absent"


def test_a_chiropractic_subluxation_is_no_listhesis(extractor: Extractor) -> None:
    """Session 27: a chiropractor's "subluxation (complex)" is a segment's dysfunction, not a slipped vertebra."""
    text = ("CHIROPRACTIC NOTE\nO: Subluxation complexes at C2, T6 and L5.\nA: Vertebral subluxation, lumbar.\n"
            "P: Adjust C2, T6, L5.")
    assert labels(extractor, text)["degenerative"]["spondylolisthesis"] == "not_mentioned"


def test_uptake_greater_than_marrow_in_soft_tissue_is_no_bone_finding(extractor: Extractor) -> None:
    """Session 27: "greater than marrow" names the reference tissue, not the uptake's site."""
    text = ("PET/CT\nFINDINGS: Focal uptake greater than marrow in the prostate bed, suspicious for local recurrence. "
            "No abnormal osseous uptake.")
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_a_denied_list_after_lytic_disease_denies_a_fracture_through_it(extractor: Extractor) -> None:
    """Session 27: "lytic dz" is the lesions, and the "or" of "no new lesions or fx" joins the denied list."""
    out = labels(extractor, "MM.\nWBLDCT 10/26: stable lytic dz, no new lesions or fx.\n")
    assert out["pathologic_fracture"] == "absent"
    out = labels(extractor, "CT: lytic lesion in the pelvis or a fracture.\n")
    assert out["pathologic_fracture"] == "not_mentioned"


def test_a_patent_canal_after_a_comma_needs_the_spine(extractor: Extractor) -> None:
    """Session 27: a temporal bone CT's "canal patent" denies no spinal stenosis."""
    text = "CT TEMPORAL BONES\nFindings: Left: ossicles intact, canal patent.\nImpression: normal."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"
    text = "ED NOTE\nCT L-spine: L1 compression fx, 2 mm retropulsion, no epidural extension, canal patent.\n"
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


# --- session 27: orthopaedic oncology, sarcoma and the tumour board (wave 56) ------------------------------------


def test_an_atypical_cartilaginous_tumour_explains_its_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "XR L FEMUR\nFINDINGS: Chondroid lesion of the distal femur, an atypical cartilaginous tumour.")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


def test_a_low_grade_chondrosarcoma_beside_an_atypical_cartilaginous_tumour_stays_in_the_differential(
    extractor: Extractor,
) -> None:
    text = "MRI FEMUR\nIMPRESSION: Atypical cartilaginous tumour versus low-grade chondrosarcoma of the distal femur."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_primary_bone_sarcoma_named_with_no_site_is_in_bone(extractor: Extractor) -> None:
    text = "MRI LEFT KNEE\nIMPRESSION: Osteochondroma with a thin cap; no features of secondary chondrosarcoma."
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_an_extraskeletal_osteosarcoma_is_no_tumour_of_bone(extractor: Extractor) -> None:
    text = "MRI RIGHT THIGH\nIMPRESSION: Extraskeletal osteosarcoma, 8 cm."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("sentence", [
    "The mass abuts the femoral cortex without osseous invasion.",
    "It abuts the femur without invasion of bone.",
    "No osseous recurrence.",
])
def test_a_denied_invasion_or_recurrence_of_bone_is_absent(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"MRI THIGH\nIMPRESSION: {sentence}")["bone_metastasis"] == "absent"


def test_an_osteosarcoma_subtype_gives_no_sclerotic_look(extractor: Extractor) -> None:
    out = labels(extractor, "CT FEMUR\nIMPRESSION: Osteoblastic osteosarcoma of the distal femur.")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("present", [])


@pytest.mark.parametrize("sentence", [
    "Urgent referral to the bone tumour service.", "To be discussed at the spine tumour board.",
])
def test_a_tumour_service_names_no_finding(extractor: Extractor, sentence: str) -> None:
    text = f"XR FEMUR\nIMPRESSION: Healing stress fracture of the femur. {sentence}"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(("dx", "expected"), [
    ("Osteosarcoma of the right proximal tibia, s/p neoadjuvant chemotherapy and wide resection 01/2024.",
     "not_mentioned"),
    ("Chordoma of L2, s/p SBRT 2025.", "present"),
])
def test_a_tumour_told_with_its_removal_is_past(extractor: Extractor, dx: str, expected: str) -> None:
    text = f"SARCOMA CLINIC NOTE\nHPI: follow-up.\nDiagnosis: {dx}\nPlan: CT chest in 3 months."
    assert labels(extractor, text)["bone_metastasis"] == expected


def test_not_yet_a_pathologic_fracture_denies_it(extractor: Extractor) -> None:
    text = "CLINIC NOTE\nAssessment: Enlarging iliac metastasis at risk of fracture. Not yet a pathologic fracture."
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "absent")


def test_a_do_not_touch_lesion_is_not_denied(extractor: Extractor) -> None:
    text = "XR KNEE\nIMPRESSION: Non-ossifying fibroma of the distal femur, a do not touch lesion."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("text", [
    "XR HUMERUS\nIMPRESSION: Pathological fracture through a simple bone cyst of the proximal humerus.",
    "XR HUMERUS\nFINDINGS: Lucent lesion of the humerus, consistent with a simple bone cyst. There is a pathological "
    "fracture through the cyst.",
])
def test_a_pathologic_fracture_through_a_benign_lesion_raises_no_metastasis(extractor: Extractor, text: str) -> None:
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["pathologic_fracture"]) == ("not_mentioned", "present")


def test_a_fracture_through_a_benign_lesion_or_a_sarcoma_keeps_the_sarcoma(extractor: Extractor) -> None:
    text = "XR HUMERUS\nIMPRESSION: Pathological fracture through an aneurysmal bone cyst versus telangiectatic osteosarcoma."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


@pytest.mark.parametrize(("lesion", "expected"), [("lytic - 2", "present"), ("none", "not_mentioned")])
def test_a_collapse_field_under_a_lesion_field_is_a_fracture_through_it(
    extractor: Extractor, lesion: str, expected: str
) -> None:
    text = f"SINS\nLevel: L1\nBone lesion: {lesion}\nVertebral body collapse: <50% collapse - 2\n"
    out = labels(extractor, text)
    assert (out["fracture"], out["pathologic_fracture"]) == ("present", expected)


def test_a_study_beside_a_referral_at_a_sentence_start_is_not_done(extractor: Extractor) -> None:
    text = "XR LEFT FEMUR\nIMPRESSION: Aggressive permeative lesion. Urgent MRI and referral to orthopaedics."
    assert labels(extractor, text)["modalities"] == ["XR"]


def test_a_bony_bankart_is_a_fracture_and_a_labral_bankart_is_none(extractor: Extractor) -> None:
    assert labels(extractor, "MRI SHOULDER\nFindings: Bony Bankart lesion, 4 mm fragment.")["fracture"] == "present"
    assert labels(extractor, "MRI SHOULDER\nFindings: Bankart lesion of the labrum.")["fracture"] == "not_mentioned"


def test_trabecular_microfractures_are_a_fracture_only_in_a_pathology_report(extractor: Extractor) -> None:
    mri = "MRI KNEE\nImpression: Bone bruise of the lateral condyle with trabecular microfractures."
    core = "Specimen: L1 core.\nGross: Two cores.\nMicroscopic: Trabecular microfractures with callus."
    assert labels(extractor, mri)["fracture"] == "not_mentioned"
    assert labels(extractor, core)["fracture"] == "present"


@pytest.mark.parametrize("words", ["previous hip fracture", "prior T12 and L1 fragility fractures", "prior wrist fracture"])
def test_a_notes_previous_fracture_is_its_past_and_a_films_is_an_old_one_seen(extractor: Extractor, words: str) -> None:
    """In a clinical note's assessment "previous" / "prior" fracture is the patient's past event (historical, no
    vote); in a radiology report it is an old fracture seen on this exam (present)."""
    note = f"GERIATRIC CLINIC\nHPI: 84F, falls.\nAssessment: Osteoporosis with {words}.\nPlan: start denosumab.\n"
    assert labels(extractor, note)["fracture"] == "not_mentioned"
    film = f"XR PELVIS AP\nFindings: Osteopenia with {words}.\nImpression: As above.\n"
    assert labels(extractor, film)["fracture"] == "present"
    assert labels(extractor, note.replace(words, f"prior healed {words.split(' ', 1)[1]}"))["fracture"] == "present"


@pytest.mark.parametrize("advice", [
    "MRI and CT-guided biopsy (through a posterior tract planned with the sarcoma surgeon) recommended.",
    "MRI of the whole femur and bone scan (for staging, as scheduled by the tumour unit) are suggested.",
])
def test_a_closing_advice_reaches_back_over_a_bracket_to_the_studies(extractor: Extractor, advice: str) -> None:
    """The verb that ends the sentence is the whole sentence's: a "planned" inside the bracket is its own aside."""
    text = f"CT PELVIS\nFindings: Destructive sacral mass.\nImpression: Sacral mass. {advice}\n"
    assert labels(extractor, text)["modalities"] == ["CT"]


@pytest.mark.parametrize("heading", ["METASTATIC SURVEY", "BONE SURVEY:", "SKELETAL SURVEY"])
def test_a_survey_heading_in_a_report_of_another_study_is_a_template_title(extractor: Extractor, heading: str) -> None:
    """A survey's name alone on its line heads a template's block of fields in an MRI report: no radiograph;
    the same heading in a note with no study in its title still names the survey done."""
    mri = f"MRI THORACIC SPINE\nHistory: lung ca.\n\n{heading}\nVertebral bodies: T8 metastasis.\n\nIMPRESSION: As above.\n"
    assert labels(extractor, mri)["modalities"] == ["MRI"]
    note = f"MYELOMA CLINIC NOTE\nResults:\n{heading}\nLytic lesions of the skull, unchanged.\nPlan: continue.\n"
    assert labels(extractor, note)["modalities"] == ["XR"]


def test_a_risk_list_goes_on_past_its_semicolon(extractor: Extractor) -> None:
    """The items of a consent's risk list after a semicolon are still what may happen, not findings."""
    note = ("CONSENT NOTE\nDx: painful L2 metastasis.\nRisks reviewed: fatigue, nausea; vertebral compression fracture"
            " (about 10%), which may need kyphoplasty.\nConsent signed.\n")
    assert labels(extractor, note)["fracture"] == "not_mentioned"
    told = "CONSENT NOTE\nAssessment: L2 metastasis, fatigue, nausea; osteoporotic compression fracture of L4.\n"
    assert labels(extractor, told)["fracture"] == "present"


def test_a_local_recurrence_with_no_site_is_at_the_primary_bone_tumours_bone(extractor: Extractor) -> None:
    """A bone sarcoma's follow-up: "no local recurrence" denies tumour at the treated bone; without a primary bone
    tumour named, a local recurrence with no bone of its own is none of the labels' (the prostate bed's)."""
    sarcoma = ("SARCOMA CLINIC\nDx: Osteosarcoma of the left distal femur, s/p wide resection 2024.\n"
               "Assessment: No local recurrence. Well.\n")
    assert labels(extractor, sarcoma)["bone_metastasis"] == "absent"
    prostate = "UROLOGY CLINIC\nDx: prostate ca, s/p prostatectomy.\nAssessment: No local recurrence. PSA undetectable.\n"
    assert labels(extractor, prostate)["bone_metastasis"] == "not_mentioned"


def test_a_labelled_risk_list_reaches_its_full_stop_across_lines(extractor: Extractor) -> None:
    """"Risks reviewed:" lists what may happen up to its full stop: past semicolons and onto the lines it wraps to."""
    note = ("CONSENT NOTE\nRisks reviewed: fatigue, pain flare, nausea, diarrhoea; skin reddening over the treated area;\n"
            "vertebral compression fracture (about 10.5%), which may need kyphoplasty; spinal cord injury with\n"
            "cord compression if the tolerance is exceeded.\nConsent signed. L1 compression fracture on today's film.\n")
    got = labels(extractor, note)
    assert got["cord_compression"] == "not_mentioned"
    assert got["fracture"] == "present"  # the sentence after the list's full stop is a finding again


def test_a_classic_metaphyseal_lesion_is_a_fracture_not_a_bone_lesion(extractor: Extractor) -> None:
    text = "SKELETAL SURVEY\nFINDINGS: Classic metaphyseal lesion of the distal right tibia. Skull intact."
    out = labels(extractor, text)
    assert (out["fracture"], out["bone_metastasis"]) == ("present", "not_mentioned")


@pytest.mark.parametrize("text", [
    "XR SKULL\nFINDINGS: Punched-out lytic lesion of the right parietal bone, in keeping with Langerhans cell "
    "histiocytosis.",
    "XR SKULL\nFINDINGS: Punched-out lytic lesion of the right parietal bone, in keeping with LCH.",
    "XR SKULL\nFINDINGS: Punched-out lytic lesion of the right parietal bone, in keeping with eosinophilic granuloma.",
])
def test_langerhans_cell_histiocytosis_explains_its_lytic_lesion(extractor: Extractor, text: str) -> None:
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


@pytest.mark.parametrize("text", [
    "MRI T-SPINE\nFINDINGS: C2 vertebra plana due to LCH.",
    "MRI T-SPINE\nIMPRESSION: T9 vertebra plana. Appearances are typical of Langerhans cell histiocytosis.",
])
def test_a_collapse_from_langerhans_cell_histiocytosis_is_pathologic_with_no_tumor(extractor: Extractor, text: str) -> None:
    out = labels(extractor, text)
    assert (out["fracture"], out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "present", "not_mentioned")


def test_a_collapse_with_langerhans_cell_histiocytosis_only_raised_is_a_fracture_only(extractor: Extractor) -> None:
    text = "MRI T-SPINE\nIMPRESSION: T9 vertebra plana. Differential includes Langerhans cell histiocytosis."
    out = labels(extractor, text)
    assert (out["fracture"], out["pathologic_fracture"]) == ("present", "not_mentioned")


@pytest.mark.parametrize(("text", "expected"), [
    ("MIBG SCAN\nIMPRESSION: Widespread osteomedullary metastases.", "present"),
    ("MIBG SCAN\nIMPRESSION: Residual MIBG-avid osteomedullary disease in the left femur.", "present"),
    ("MIBG SCAN\nFINDINGS: The previously seen osteomedullary foci have resolved.", "absent"),
])
def test_osteomedullary_names_bone_and_marrow(extractor: Extractor, text: str, expected: str) -> None:
    assert labels(extractor, text)["bone_metastasis"] == expected


def test_a_pathologic_fracture_through_it_after_a_sentence_explaining_the_lesion(extractor: Extractor) -> None:
    text = ("XR HAND\nFINDINGS: Lucent expansile lesion of the proximal phalanx, typical of an enchondroma. Undisplaced "
            "pathological fracture through it.")
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "not_mentioned")


@pytest.mark.parametrize("text", [
    "EXAM: BILATERAL KNEES AP\nFINDINGS: No fracture.",
    "LATERAL THORACIC SPINE\nFINDINGS: No fracture.",
    "ELBOW RIGHT AP/LAT\nHx: fell\n\nNo fracture.",
    "FOLLOW-UP SKELETAL SURVEY (LIMITED, 15 IMAGES)\nExam date: 12/12/2026\nFindings:\nNo new fracture.",
])
def test_a_radiograph_title_in_its_terse_forms(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["modalities"] == ["XR"]


def test_a_follow_up_study_in_prose_is_still_planned(extractor: Extractor) -> None:
    text = "XR CHEST\nIMPRESSION: Rib fracture. Follow-up skeletal survey in 2 weeks."
    assert labels(extractor, text)["modalities"] == ["XR"]
    text = "Clinic note\nPlan: follow-up MRI spine in 6 weeks."
    assert labels(extractor, text)["modalities"] == []


@pytest.mark.parametrize(("line", "modalities"), [
    ("US L tibia 11/21: 9 mm subperiosteal collection.", ["US"]),
    ("MIBG 11/17: avid primary.", ["NM"]),
    ("Bone SPECT/CT 11/27: uptake in the L4 pars with a fracture line on CT.", ["NM"]),
])
def test_a_note_study_line_of_us_mibg_or_spect(extractor: Extractor, line: str, modalities: list[str]) -> None:
    assert labels(extractor, f"CLINIC NOTE\nHPI: back pain.\n{line}\nPlan: rest.")["modalities"] == modalities


def test_uptake_beside_a_fracture_is_no_tumor_cause(extractor: Extractor) -> None:
    text = ("SPORTS CLINIC NOTE\nHPI: back pain.\nBone SPECT/CT 11/27: focal increased uptake in the right L4 pars with "
            "an incomplete fracture line - acute pars stress fracture.\nPlan: rest.")
    out = labels(extractor, text)
    assert (out["fracture"], out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "not_mentioned", "not_mentioned")


@pytest.mark.parametrize("text", [
    "MRI L-SPINE\nFINDINGS: The cord is stretched but not compressed.",
    "MRI L-SPINE\nFINDINGS: The conus is tethered and not compressed.",
])
def test_a_tethered_cord_denied_compression(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["cord_compression"] == "absent"


def test_a_tethered_cord_is_no_cord_compression(extractor: Extractor) -> None:
    text = "MRI L-SPINE\nIMPRESSION: Low-lying conus at L3 with a fatty filum terminale, in keeping with a tethered cord."
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_bracketed_osteosarcoma_subtype_is_no_sclerotic_look(extractor: Extractor) -> None:
    text = "PATHOLOGY\nDIAGNOSIS: High-grade conventional (osteoblastic) osteosarcoma of the distal femur."
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("present", [])


def test_a_leukaemia_given_as_a_fractures_cause_makes_it_pathologic(extractor: Extractor) -> None:
    """Session 28: the leukaemia's words name no bone, but a fracture it caused is through tumour in bone."""
    text = "MRI SPINE\nImpression: T8 and L2 compression fractures related to the leukemia."
    assert labels(extractor, text)["pathologic_fracture"] == "present"
    hedged = "XR FEMUR\nImpression: Femoral shaft fracture, possibly related to the known leukemia."
    assert labels(extractor, hedged)["pathologic_fracture"] == "possible"


def test_osteonecrosis_with_its_collapse_is_a_fracture(extractor: Extractor) -> None:
    """Session 28: a bare collapse beside osteonecrosis is its subchondral fracture giving way, and a bare denial
    of collapse after it denies one."""
    assert labels(extractor, "XR HIP\nImpression: Left femoral head AVN with collapse.")["fracture"] == "present"
    text = "XR HIP\nFindings: Flattening of the femoral head consistent with collapse due to avascular necrosis."
    assert labels(extractor, text)["fracture"] == "present"
    denied = "MRI HIPS\nFindings: Avascular necrosis of the right femoral head. No collapse."
    assert labels(extractor, denied)["fracture"] == "absent"


def test_a_study_whose_result_a_titled_report_of_another_study_quotes_is_not_done(extractor: Extractor) -> None:
    """Session 28: "MRI shows ..." in a CT report is correlation, as "MRI of 11/30 shows" is; a note counts it."""
    ct = "CT THORACIC SPINE\nFindings: Lytic T9 lesion. MRI shows epidural tumor at T9.\nImpression: T9 metastasis."
    assert labels(extractor, ct)["modalities"] == ["CT"]
    note = "ONCOLOGY NOTE\nAssessment: MRI shows cord compression at T6."
    assert labels(extractor, note)["modalities"] == ["MRI"]


def test_a_look_opening_a_bracket_after_a_metastasis_is_its_pattern(extractor: Extractor) -> None:
    """A response table's "Osseous metastases (sclerotic; T4, L1)" tells the metastases' look (session 29)."""
    out = labels(extractor, "CT CAP - RECIST\nNON-TARGET LESIONS\nOsseous metastases (sclerotic; T4, L1): present, not PD")
    assert out["bone_metastasis"] == "present"
    assert out["lesion_pattern"] == ["blastic"]


def test_a_denied_bracket_of_kinds_stays_denied(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nBONES: No osseous metastases (lytic or blastic).")
    assert out["bone_metastasis"] == "absent"
    assert out["lesion_pattern"] == []


def test_a_lesion_read_benign_in_another_section_at_its_bone_is_explained(extractor: Extractor) -> None:
    """The impression's benign reading names the lesion at its bone; the lipoma's own word names only bone, and
    the findings' lesion at that bone is the one it explains (session 29)."""
    out = labels(extractor, "CT CAP\nFINDINGS: Indeterminate 1.2 cm lucent lesion in the left iliac bone.\n"
                 "IMPRESSION: The left iliac lucent lesion has fat attenuation, consistent with an intraosseous lipoma.")
    assert out["bone_metastasis"] == "not_mentioned"
    assert out["lesion_pattern"] == []


def test_a_benign_reading_that_leaves_metastasis_open_explains_no_lesion_elsewhere(extractor: Extractor) -> None:
    out = labels(extractor, "CT CAP\nFINDINGS: Sclerotic focus in the left iliac bone.\n"
                 "IMPRESSION: The left iliac sclerotic focus is probably a bone island; metastasis not excluded.")
    assert out["bone_metastasis"] == "possible"


def test_a_bare_plate_stays_a_bone_where_a_fixation_plate_is_a_device(extractor: Extractor) -> None:
    """Only a fixation, reconstruction, titanium or locking plate is a device (session 29): the cribriform,
    pterygoid and growth plates are bone, and their fracture is a fracture."""
    assert labels(extractor, "CT FACE\nFINDINGS: The titanium fixation plate is fractured.")["fracture"] == "not_mentioned"
    assert labels(extractor, "CT FACE\nFINDINGS: The cribriform plate is fractured.")["fracture"] == "present"
    assert labels(extractor, "XR WRIST\nFINDINGS: Salter-Harris II fracture through the growth plate.")["fracture"] == \
        "present"


def test_a_numbered_fracture_of_a_list_is_no_tooth(extractor: Extractor) -> None:
    """'Fractured #19' is a tooth by its number; 'Fracture #1:' numbers a list's fractures (session 29)."""
    assert labels(extractor, "PANORAMIC RADIOGRAPH\nImpression: Fractured #19.")["fracture"] == "not_mentioned"
    assert labels(extractor, "CT PELVIS\nFINDINGS: Fracture #1: left superior pubic ramus.")["fracture"] == "present"


def test_a_head_and_neck_cancer_invading_the_jaw_or_skull_base_is_malignancy_in_bone(extractor: Extractor) -> None:
    assert labels(extractor, "CT NECK\nFINDINGS: Floor of mouth mass with mandibular invasion.")["bone_metastasis"] == \
        "present"
    assert labels(extractor, "MRI NECK\nFINDINGS: Nasopharyngeal mass. No skull base invasion.")["bone_metastasis"] == \
        "absent"


@pytest.mark.parametrize(
    "text",
    [
        "CT CHEST\nIMPRESSION: Fractured fourth sternal wire, unchanged.",
        "CT CHEST\nFINDINGS: Broken two lower sternotomy wires.",
        "CT CHEST\nFINDINGS: Fracture of the third sternal wire.",
    ],
)
def test_a_counted_sternal_wire_that_broke_is_a_device(extractor: Extractor, text: str) -> None:
    """Session 30 (w67_03): a sternotomy wire named by its place in the row is the device, as a bare one is."""
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_a_fracture_of_the_sternum_beside_its_wires_stays_a_fracture(extractor: Extractor) -> None:
    text = "CT CHEST\nFINDINGS: Fractured fourth rib. Sternal wires intact. Fracture of the lower sternal body."
    assert labels(extractor, text)["fracture"] == "present"


def test_osteitis_explains_the_sclerosis_it_is_named_as_the_cause_of(extractor: Extractor) -> None:
    """Session 30 (w67_12): chronic osteitis of a sinus wall is inflammation, no tumour; the maxillary sinus's wall
    is the maxilla, so an unexplained sclerosis there is a bone lesion."""
    explained = "CT SINUS\nFINDINGS: Sclerosis of the walls of the left maxillary sinus, in keeping with chronic osteitis."
    assert labels(extractor, explained)["bone_metastasis"] == "not_mentioned"
    bare = "CT SINUS\nFINDINGS: Sclerotic focus in the posterior wall of the left maxillary sinus."
    assert labels(extractor, bare)["bone_metastasis"] == "possible"


@pytest.mark.parametrize(
    "text",
    [
        "OPERATIVE NOTE\nPOSTOPERATIVE DIAGNOSES:\n1. Basal cell nevus syndrome.\n2. Cystic lesion, left posterior mandible.",
        "PANORAMIC RADIOGRAPH\nFINDINGS: Multilocular radiolucency of the left mandibular ramus, likely ameloblastoma.",
        "PANORAMIC RADIOGRAPH\nFINDINGS: Periapical radiolucency at #30. Lytic lesion of the right mandible, a radicular cyst.",
    ],
)
def test_a_cyst_or_tumour_of_tooth_origin_explains_the_jaw_lesion(extractor: Extractor, text: str) -> None:
    """Session 30: odontogenic cysts and tumours are no malignancy in bone, and a jaw's cystic lesion is one."""
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "text",
    [
        "CT\nFINDINGS: Cystic lesion of the right femur.",
        "CT FACE\nFINDINGS: Destructive lesion of the left mandible, dentigerous cyst versus metastasis.",
    ],
)
def test_another_bones_cystic_lesion_and_a_jaw_cyst_posed_against_metastasis_stay_open(
    extractor: Extractor, text: str
) -> None:
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_mass_arising_from_the_planum_sphenoidale_is_no_bone_lesion(extractor: Extractor) -> None:
    """Session 30 (mtsamples_1608's shape): the planum sphenoidale is where an olfactory groove meningioma arises."""
    text = "MRI BRAIN\nFINDINGS: Large enhancing lesion arising from the planum sphenoidale and olfactory groove."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_distal_clavicular_osteolysis_is_no_lytic_lesion(extractor: Extractor) -> None:
    """Session 30 (w67_32): a weightlifter's resorption of the distal clavicle is no tumour's lysis; a lytic lesion
    of the clavicle stays one."""
    text = "XR SHOULDER\nIMPRESSION: Distal clavicular osteolysis. No fracture."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"
    assert labels(extractor, text)["lesion_pattern"] == []
    assert labels(extractor, "XR SHOULDER\nIMPRESSION: Lytic lesion of the distal clavicle.")["bone_metastasis"] == \
        "possible"


def test_a_remodelled_clavicle_contour_from_an_old_injury_is_the_shape_of_a_healed_fracture(extractor: Extractor) -> None:
    """Session 30 (w67_35): as a 'contour deformity' of a rib or clavicle tied to a past injury, `possible`."""
    text = "XR CHEST\nFINDINGS: Smooth remodelled contour of the left mid clavicle from an old injury."
    assert labels(extractor, text)["fracture"] == "possible"
    assert labels(extractor, "XR CHEST\nFINDINGS: Remodelled contour of the right clavicle after resection.")[
        "fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("MRI BRAIN\nFINDINGS: Enhancing lesion of the left sphenoid wing, likely a meningioma.", "not_mentioned"),
        ("MRI BRAIN\nFINDINGS: Enhancing lesion of the left sphenoid wing, meningioma versus metastasis.", "possible"),
    ],
)
def test_a_meningioma_explains_the_skull_base_lesion_it_is_named_as(extractor: Extractor, text: str, status: str) -> None:
    """Session 30: the sphenoid wing is bone, and a meningioma there is a tumour of the dura, no malignancy in bone."""
    assert labels(extractor, text)["bone_metastasis"] == status


# --- session 31: a lesion's look told as a change --------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "The T10 lesion has turned sclerotic.",
    "The T10 and L2 lesions have become more sclerotic.",
    "The lytic T10 lesion has become sclerotic.",
])
def test_a_bone_lesion_that_has_become_sclerotic_is_blastic(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"CT CHEST\nFINDINGS: {sentence}")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("possible", ["blastic"])


def test_an_organ_that_has_become_sclerotic_is_no_bone_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nFINDINGS: The aortic valve has become more sclerotic.")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


# --- session 31: a clinical note's event dated by an earlier year ----------------------------------------------

NOTE = "CLINIC NOTE 12/03/2026\nHPI: back pain.\nAssessment: {}\nPlan: review in 3 months.\n"


@pytest.mark.parametrize(("sentence", "label"), [
    ("Osteoporosis. L2 fracture in 2019.", "fracture"),
    ("Osteoporosis. She fractured her left wrist back in 2009.", "fracture"),
    ("Osteoporosis. She fractured her hip last year.", "fracture"),
    ("Lung cancer with T10 cord compression in March 2025, treated with radiotherapy.", "cord_compression"),
])
def test_a_notes_event_dated_by_an_earlier_year_is_its_past(extractor: Extractor, sentence: str, label: str) -> None:
    assert labels(extractor, NOTE.format(sentence))[label] == "not_mentioned"


@pytest.mark.parametrize("text", [
    NOTE.format("L2 fracture, unchanged since 2019."),  # seen now
    "CLINIC NOTE\nHPI: back pain.\nAssessment: L2 fracture in 2019.\n",  # no later year: it may be the note's own
    "CT THORACIC SPINE 12/03/2026\nFINDINGS: Healed left clavicle fracture from a fall in 2019.\n",  # an old fracture seen
])
def test_a_year_after_a_fracture_seen_now_or_in_the_notes_own_year_leaves_it(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["fracture"] == "present"


# Session 31 (wave 70): what a herniation, a cause and a denial are about.
@pytest.mark.parametrize(("sentence", "herniation"), [
    ("Herniation of orbital fat through the left orbital floor defect.", "not_mentioned"),
    ("Herniation of a short segment of small bowel through a Spigelian defect.", "not_mentioned"),
    ("Downward herniation of the cerebellar tonsils.", "not_mentioned"),
    ("Intercostal lung herniation at the thoracotomy site.", "not_mentioned"),
    ("Incidental herniation pit in the right femoral neck.", "not_mentioned"),
    ("Herniation of the disc into the left lateral recess.", "present"),
    ("Herniation of the nucleus pulposus into the right foramen.", "present"),
    ("Herniation of disc material behind the L5 body.", "present"),
])
def test_a_herniation_of_a_named_non_disc_thing_is_no_disc_herniation(
        extractor: Extractor, sentence: str, herniation: str) -> None:
    text = f"CT ABDOMEN, PELVIS AND LUMBAR SPINE\nFINDINGS: {sentence} Mild L4-5 facet arthropathy."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == herniation


@pytest.mark.parametrize(("sentence", "status"), [
    ("It is not caused by cancer.", "absent"),
    ("It is not due to metastatic disease.", "absent"),
    ("I do not think it is pathological.", "absent"),
    ("We don't believe this is pathologic.", "absent"),
    ("It may be due to cancer.", "possible"),
    ("It is due to the known metastatic disease.", "present"),
    ("It was caused by a fall, not by cancer.", "absent"),  # a cause set against the tumour (session 32)
])
def test_the_next_sentence_names_or_denies_the_tumour_cause_in_plain_words(
        extractor: Extractor, sentence: str, status: str) -> None:
    text = f"XR LUMBAR SPINE\nFINDINGS: Compression fracture of L2 with 30% height loss. {sentence}"
    assert labels(extractor, text)["pathologic_fracture"] == status


def test_a_first_person_denial_after_a_semicolon_reaches_the_fracture_before_it(extractor: Extractor) -> None:
    text = "XR T-SPINE\nFINDINGS: Wedge fracture of T8, typical of an osteoporotic fracture; I don't think it's " \
        "pathological: the bones are uniformly osteopenic."
    assert labels(extractor, text)["pathologic_fracture"] == "absent"


@pytest.mark.parametrize(("words", "status"), [
    ("; the fracture is not thought to be pathologic.", "absent"),  # w74_06
    (", not felt to be pathological.", "absent"),
    (", unlikely to be pathologic.", "absent"),
    (", unlikely pathologic.", "absent"),
    (", thought to be pathologic.", "present"),  # the judgement affirms it
    (", not excluded to be pathologic.", "possible"),  # the exclusion hedge keeps it raised
])
def test_a_judgement_that_the_fracture_is_not_pathologic_denies_the_cause(
        extractor: Extractor, words: str, status: str) -> None:
    text = f"CT T-SPINE\nFINDINGS: Compression fracture of the T12 superior endplate{words}"
    assert labels(extractor, text)["pathologic_fracture"] == status


@pytest.mark.parametrize(("sentence", "metastasis"), [
    ("Spiral fracture of the humeral shaft, not caused by a metastasis.", "absent"),
    ("Spiral fracture of the humeral shaft. It is not due to metastatic disease.", "absent"),
    ("Left 6th rib fracture, not associated with the T9 vertebral metastasis.", "present"),  # a link denied
])
def test_a_tumour_denied_as_the_cause_is_absent(extractor: Extractor, sentence: str, metastasis: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == metastasis


@pytest.mark.parametrize(("later", "status"), [
    ("PET/CT 11/10/2026: no metastatic disease.", "absent"),  # a denial naming no site speaks of every site
    ("MRI spine 11/10/2026: no metastatic disease in the spine.", "possible"),  # another site: no answer
    ("PET/CT 11/10/2026: no other metastatic disease.", "possible"),  # a kind: no answer
])
def test_a_later_denial_with_no_site_answers_a_suspicion_at_a_named_site(
        extractor: Extractor, later: str, status: str) -> None:
    text = ("ONCOLOGY CLINIC NOTE\nHPI: 58F, breast cancer, staging.\nImaging:\n"
            f"- Bone scan 10/29/2026: focal uptake in the left iliac bone, possible metastasis.\n- {later}\n"
            "Assessment: Breast cancer.\nPlan: chemotherapy.\n")
    assert labels(extractor, text)["bone_metastasis"] == status


@pytest.mark.parametrize(("sentence", "facets"), [
    ("Uptake in the lower lumbar facet joints, degenerative.", "present"),
    ("Uptake in the L4-5 facet joints, likely degenerative.", "present"),
    ("Degenerative-pattern uptake at the lower lumbar facet joints.", "present"),
    ("Focal uptake at the right L5-S1 facet joint, degenerative in appearance.", "present"),
    ("Increased uptake in the lower lumbar facet joints bilaterally, degenerative in pattern.", "present"),  # session 33
    ("Increased uptake in the lower lumbar facet joints bilaterally, degenerative disc disease on CT.", "not_mentioned"),
    ("Uptake at the L4-5 facet joints, degenerative disc disease at L4-5 on the MRI.", "not_mentioned"),
    ("Degenerative uptake in both knees and the right hip. Normal spine.", "not_mentioned"),
])
def test_uptake_called_degenerative_at_the_facets_is_facet_arthropathy(
        extractor: Extractor, sentence: str, facets: str) -> None:
    text = f"NM BONE SCAN WHOLE BODY\nFINDINGS: {sentence}\nIMPRESSION: No evidence of skeletal metastases."
    assert labels(extractor, text)["degenerative"]["facet_arthropathy"] == facets


@pytest.mark.parametrize(("line", "bulge"), [
    ("Prostate: enlarged, with a median lobe bulge into the bladder base.", "not_mentioned"),
    ("Bones: broad L4-5 disc bulge.", "present"),
])
def test_a_bulge_of_the_prostate_is_no_disc_bulge(extractor: Extractor, line: str, bulge: str) -> None:
    text = f"CT ABDOMEN AND PELVIS\nFindings:\n{line}\nBones: 8 mm sclerotic focus in the T8 vertebral body.\n"
    assert labels(extractor, text)["degenerative"]["disc_bulge"] == bulge


@pytest.mark.parametrize(("suspicion", "status"), [
    ("focal uptake in the left iliac bone, possible metastasis", "possible"),  # a bone elsewhere: not answered
    ("focal uptake at T9, possible metastasis", "absent"),  # a level of the spine: answered
    ("possible metastasis", "absent"),  # no site: answered
])
def test_a_later_denial_of_the_whole_spine_answers_only_a_suspicion_in_the_spine(
        extractor: Extractor, suspicion: str, status: str) -> None:
    text = ("ONCOLOGY CLINIC NOTE\nHPI: 58F, breast cancer, staging.\nImaging:\n"
            f"- Bone scan 10/29/2026: {suspicion}.\n- MRI spine 11/10/2026: no metastatic disease in the spine.\n"
            "Assessment: Breast cancer.\nPlan: chemotherapy.\n")
    assert labels(extractor, text)["bone_metastasis"] == status


# --- session 32 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("technique", [
    "Sagittal T1 and T2, axial gradient echo.", "Fast spin echo T2 (echo time 100 ms, echo train 16).",
])
def test_an_mr_sequence_named_echo_is_no_echocardiogram(extractor: Extractor, technique: str) -> None:
    text = f"MRI CERVICAL SPINE\nTechnique: {technique}\nFindings: Normal."
    assert labels(extractor, text)["modalities"] == ["MRI"]


def test_an_echo_still_names_an_echocardiogram(extractor: Extractor) -> None:
    text = "Discharge summary\nHospital course: Echo showed a normal ejection fraction. CT chest was negative."
    assert "US" in labels(extractor, text)["modalities"]


def test_disc_space_reduction_is_disc_height_loss(extractor: Extractor) -> None:
    text = "X-RAY CERVICAL SPINE\nImpression: Cervical spondylosis with C5-6 and C6-7 disc space reduction."
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "present"


@pytest.mark.parametrize(("category", "status"), [
    ("ACR Bone-RADS 1", "not_mentioned"),  # very low risk: benign, leave alone (w74_08)
    ("Bone-RADS2", "not_mentioned"),  # low risk: probably benign (w74_09)
    ("Bone-RADS category 2", "not_mentioned"),
    ("Bone-RADS 0", "possible"),  # incompletely characterized: the lesion stays unexplained
    ("Bone-RADS 3", "possible"),  # intermediate risk (w74_10)
    ("Bone-RADS 4", "possible"),  # high risk, malignant until proven otherwise (w74_11)
])
def test_a_bone_rads_category_reads_its_lesion(extractor: Extractor, category: str, status: str) -> None:
    text = f"CT PELVIS\nFINDINGS: 1.5 cm lucent lesion in the left iliac bone with a narrow zone of transition. {category}."
    assert labels(extractor, text)["bone_metastasis"] == status


@pytest.mark.parametrize(("reading", "status"), [
    ("; favor degenerative facet arthropathy over metastatic disease.", "absent"),  # w74_15
    ("; favor post-traumatic over metastatic.", "absent"),
    ("; characteristic of a hemangioma on the prior MRI.", "not_mentioned"),
    ("; favoring metastasis over trauma.", "present"),  # the malignant reading favoured
    ("; favor degenerative change, but metastasis not excluded.", "possible"),  # left open
])
def test_a_clause_after_a_semicolon_that_favours_a_reading_reads_the_uptake_before_it(
        extractor: Extractor, reading: str, status: str) -> None:
    text = f"NM BONE SCAN\nFINDINGS: Focal increased uptake at the right L4-5 facet joint{reading}"
    assert labels(extractor, text)["bone_metastasis"] == status


@pytest.mark.parametrize(("impression", "spondylosis"), [
    # two specific findings posed as each other's alternative: one is there and carries the generic (w74_20)
    ("Mild degenerative changes, most pronounced at L4-5 where there is a small protrusion versus bulge.",
     "not_mentioned"),
    # one hedged specific finding leaves the changes themselves present
    ("Mild degenerative changes, most pronounced at L4-5 where there is a possible small protrusion.", "present"),
    ("Degenerative changes, possibly DISH.", "present"),
])
def test_a_generic_degenerative_change_is_carried_by_specific_alternatives(
        extractor: Extractor, impression: str, spondylosis: str) -> None:
    text = f"MRI LUMBAR SPINE\nIMPRESSION: {impression}"
    assert labels(extractor, text)["degenerative"]["spondylosis"] == spondylosis


@pytest.mark.parametrize(("later", "metastasis", "pathologic"), [
    ("MRI: benign osteoporotic fracture; no evidence of malignancy.", "absent", "absent"),  # w74_28
    ("MRI L-spine: no malignancy identified.", "absent", "absent"),  # the study's label names the spine
    ("Bone scan: no metastatic disease.", "absent", "absent"),
    ("Left breast core biopsy: no evidence of malignancy.", "possible", "possible"),  # an organ's result
    ("CT chest: no evidence of malignancy in the lungs.", "possible", "possible"),
])
def test_a_later_tumour_denial_answers_a_suspected_pathologic_fracture(
        extractor: Extractor, later: str, metastasis: str, pathologic: str) -> None:
    text = ("HOSPITALIST PROGRESS NOTE\nHPI: 80F with a fall and back pain.\nHospital course: L2 compression fracture "
            f"on XR; concern for a pathologic fracture given her history. {later}\nAssessment: L2 fracture.\n")
    got = labels(extractor, text)
    assert (got["bone_metastasis"], got["pathologic_fracture"], got["fracture"]) == (metastasis, pathologic, "present")


def test_a_tumour_denial_before_the_suspicion_answers_nothing(extractor: Extractor) -> None:
    text = ("HOSPITALIST PROGRESS NOTE\nHPI: 80F.\nHospital course: MRI L-spine: no malignancy identified. Later, new L2 "
            "compression fracture on XR; concern for a pathologic fracture.\nAssessment: L2 fracture.\n")
    assert labels(extractor, text)["pathologic_fracture"] == "possible"


@pytest.mark.parametrize(("sentence", "status"), [
    ("Osseous metastasis is considered improbable.", "absent"),
    ("Osseous metastasis is not likely.", "absent"),
    ("Osseous metastatic disease is not suspected.", "absent"),
    ("Low probability of osseous metastasis.", "absent"),  # the low end reads as "low suspicion for"
    ("Very low likelihood of osseous metastatic disease.", "absent"),
    ("Osseous metastasis is a less likely consideration.", "possible"),  # leans away, stays in the differential
    ("Osseous metastasis is less likely.", "possible"),
    ("High probability of osseous metastasis.", "possible"),
    ("Osseous metastasis is probable.", "present"),
    ("Osseous metastasis is suspected.", "possible"),
])
def test_the_low_end_of_certainty_denies_and_leaning_away_hedges(
        extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"CT CHEST\nIMPRESSION: {sentence}")["bone_metastasis"] == status


@pytest.mark.parametrize(("level", "herniation"), [
    ("L4-5: Left paracentral disc protrusion vs. small extrusion contacting the left L5 nerve root.", "present"),
    ("L4-5: protrusion versus extrusion.", "present"),  # two kinds of one herniation (w74_34)
    ("L4-5: disc bulge versus small protrusion.", "possible"),  # a bulge is no herniation
    ("L4-5: suspicious for disc protrusion vs extrusion.", "possible"),  # hedged of its own
    ("L4-5: Recurrent disc herniation versus scar.", "possible"),
])
def test_two_kinds_of_one_disc_herniation_leave_the_kind_open_not_the_herniation(
        extractor: Extractor, level: str, herniation: str) -> None:
    text = f"MRI LUMBAR SPINE\nFINDINGS: {level}"
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == herniation


@pytest.mark.parametrize(("after", "pathologic"), [
    # a denied lesion before the hedged underlying one is passed over (w74_33)
    ("No focal lytic lesion is identified; however, a subtle underlying lesion cannot be excluded.", "possible"),
    ("No focal lytic lesion is identified.", "not_mentioned"),
    ("No lytic lesion; a sclerotic lesion in the iliac bone may represent a bone island.", "not_mentioned"),
])
def test_a_hedged_underlying_lesion_after_a_denied_one_doubts_the_fracture_cause(
        extractor: Extractor, after: str, pathologic: str) -> None:
    text = f"XR LEFT SHOULDER\nFINDINGS: Nondisplaced fracture of the left humeral neck. The bones are osteopenic. {after}"
    assert labels(extractor, text)["pathologic_fracture"] == pathologic


@pytest.mark.parametrize(("sentence", "expected"), [
    # a judgement after a comma item with its own finding judges that item only (own_item rules)
    ("Compression fracture of T12, pathologic fracture unlikely.", ("not_mentioned", "absent", "present")),
    ("T12 compression fracture, pathologic fracture is unlikely.", ("not_mentioned", "absent", "present")),
    ("Compression fracture of T12, metastasis unlikely.", ("absent", "not_mentioned", "present")),
    ("Lytic lesion in T12, metastasis doubtful.", ("possible", "not_mentioned", "not_mentioned")),
    # a list joined by "or" / "and" stays one judged list
    ("Fracture, dislocation or lytic lesion unlikely.", ("absent", "not_mentioned", "absent")),
    ("Osseous metastasis, fracture and cord compression are unlikely.", ("absent", "not_mentioned", "absent")),
])
def test_a_judgement_after_a_comma_item_judges_that_item_only(
        extractor: Extractor, sentence: str, expected: tuple[str, str, str]) -> None:
    got = labels(extractor, f"CT T-SPINE\nFINDINGS: {sentence}")
    assert (got["bone_metastasis"], got["pathologic_fracture"], got["fracture"]) == expected


@pytest.mark.parametrize(("text", "status"), [
    # a tumour kept against another cause (session 32)
    ("Compression fracture of T8. This is not due to trauma but to a metastasis.", "present"),
    ("Compression fracture of T8, not from the fall but from the tumour.", "present"),
    ("Compression fracture of T8. In spite of the fall, it is not due to trauma but to a metastasis.", "present"),
    ("Compression fracture of T8. The fracture was caused by the myeloma, not by the fall.", "present"),
    ("Fracture of the femoral shaft. Looking at the films, the break is not from the fall but from the tumour.",
     "present"),
    # a tumour denied against another cause
    ("Compression fracture of T8. It is not due to the myeloma but to osteoporosis.", "absent"),
    ("Compression fracture of T8. It was caused by the fall, not by cancer.", "absent"),
    ("Compression fracture of T8, due to osteoporosis rather than the tumour.", "absent"),
    ("Fracture of the left 6th rib. It is not from the metastasis but from the fall.", "absent"),
    ("Rather than pathologic, this is a traumatic fracture of the humerus.", "absent"),
    # near misses: no tumour on either side, two tumours, or no cause word after the contrast
    ("Fractures of both sacral alae, not due to trauma but to insufficiency.", "not_mentioned"),
    ("Compression fracture of T8. It is not due to trauma but to osteoporosis.", "not_mentioned"),
    ("Compression fracture of T8. It is not from the lung cancer but from the myeloma.", "not_mentioned"),
    ("Compression fracture of T8. The cord is not compressed but displaced by the tumour.", "not_mentioned"),
    ("Compression fracture of T8. Marrow signal is preserved. It is due to osteoporosis rather than a tumour.",
     "not_mentioned"),  # two sentences on: the sentence between points elsewhere
])
def test_two_causes_set_against_each_other_decide_the_pathologic_fracture(
        extractor: Extractor, text: str, status: str) -> None:
    assert labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {text}")["pathologic_fracture"] == status


@pytest.mark.parametrize(("text", "fracture"), [
    ("The X-ray shows a break at the end of the radius.", "present"),
    ("The X-ray shows a crack in the right 7th rib.", "present"),
    ("There is a break across the neck of the femur.", "present"),
    ("We took a break at the end of the clinic.", "not_mentioned"),
    ("There is a break in the skin over the left hand.", "not_mentioned"),
])
def test_a_break_of_a_bone_in_plain_words_is_a_fracture(extractor: Extractor, text: str, fracture: str) -> None:
    assert labels(extractor, f"Dear Mrs Smith,\n\n{text}\n\nYours sincerely,\nDr Jones\n")["fracture"] == fracture


# --- session 32: what a study of an earlier year showed, told in a note ------------------------------------------

@pytest.mark.parametrize(("sentence", "label"), [
    ("Osteoporosis. L2 fracture seen on the CT in 2019, managed without surgery.", "fracture"),
    ("Osteoporosis. L2 fracture, which was shown by an MRI of the lumbar spine in March 2020.", "fracture"),
    ("Lung cancer. T10 cord compression found on the 2021 MRI, treated with radiotherapy.", "cord_compression"),
])
def test_a_notes_finding_shown_by_a_study_of_an_earlier_year_is_its_past(
        extractor: Extractor, sentence: str, label: str) -> None:
    assert labels(extractor, NOTE.format(sentence))[label] == "not_mentioned"


@pytest.mark.parametrize(("text", "fracture"), [
    (NOTE.format("L2 fracture, unchanged since the CT in 2019."), "present"),  # seen now
    (NOTE.format("New L2 fracture, not present on the CT in 2019."), "present"),  # new since that study
    (NOTE.format("L2 fracture seen in 2019 clinic."), "present"),  # no study between the verb and the year
    ("CLINIC NOTE\nHPI: back pain.\nAssessment: L2 fracture seen on the CT in 2019.\n", "present"),  # no later year
    ("CT LUMBAR SPINE 12/03/2026\nIMPRESSION: L2 fracture seen on the CT in 2019, unchanged.\n", "present"),  # a report
])
def test_a_study_of_the_notes_own_time_or_a_report_keeps_its_fracture(
        extractor: Extractor, text: str, fracture: str) -> None:
    assert labels(extractor, text)["fracture"] == fracture


# --- session 32 (wave 75): neighbours of the wave's fixes -----------------------------------------------------------

@pytest.mark.parametrize(("sentence", "status"), [
    ("MRI showed no cord injury or compression.", "absent"),
    ("Cord oedema and compression at T4 by an epidural metastasis.", "present"),
    ("No cord signal change. Mild disc bulge at T4.", "not_mentioned"),
])
def test_the_cord_named_once_for_two_findings_names_its_compression(
        extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {sentence}")["cord_compression"] == status


@pytest.mark.parametrize(("sentence", "pattern"), [
    ("Sclerotic right iliac lesion.", ["blastic"]),
    ("Lytic left femoral lesion.", ["lytic"]),
    ("Sclerotic right upper lobe lesion, no bone lesion.", []),  # a side and two words: not a look of its lesion
])
def test_a_side_may_stand_between_a_look_and_its_lesion(extractor: Extractor, sentence: str, pattern: list[str]) -> None:
    assert labels(extractor, f"CT PELVIS\nFINDINGS: {sentence}")["lesion_pattern"] == pattern


@pytest.mark.parametrize(("sentence", "modalities"), [
    ("Advised to attend the acute oncology unit today for an urgent MRI to exclude cord compression.", []),
    ("She will attend for a CT of the chest next week.", []),
    ("She attended for an MRI, which showed no cord compression.", ["MRI"]),
    # advised to come in for a study (session 33)
    ("Advised to come to the ED now for MRI of the whole spine to exclude cord compression.", []),
    ("Told to return tomorrow for a CT of the chest.", []),
    ("He came to the ED for an MRI, which showed no cord compression.", ["MRI"]),
])
def test_a_study_the_patient_is_sent_to_attend_for_is_still_to_come(
        extractor: Extractor, sentence: str, modalities: list[str]) -> None:
    assert labels(extractor, f"TELEPHONE REVIEW\nToday: new chest pain. {sentence}")["modalities"] == modalities


@pytest.mark.parametrize(("between", "status"), [
    ("This kind of break happens when bones are thin.", "absent"),  # names nothing, points back: still the fracture
    ("Diffuse marrow heterogeneity.", "not_mentioned"),  # a finding's words: "It" points to them
    ("There is a lytic lesion in the left iliac bone.", "not_mentioned"),  # points to the lesion instead
])
def test_a_cause_two_sentences_on_reaches_over_a_sentence_that_names_nothing(
        extractor: Extractor, between: str, status: str) -> None:
    text = f"XR THORACIC SPINE\nFINDINGS: Compression fracture of T8. {between} It is not caused by cancer."
    assert labels(extractor, text)["pathologic_fracture"] == status


# --- session 33 (wave 77): a whole-report wave's mechanisms --------------------------------------------------------

@pytest.mark.parametrize(("sentence", "fracture"), [
    ("The T11 vertebral body was soft and partially collapsed.", "present"),
    ("Partially collapsed T11 vertebral body.", "present"),
    ("The L2 vertebra has collapsed since May.", "present"),
    ("L2 has collapsed since May.", "present"),
    ("The T11 vertebral body is not collapsed.", "not_mentioned"),  # no match: no collapse affirmed
    ("The L4-5 disc space is collapsed.", "not_mentioned"),  # the disc's
    ("The right lower lobe is collapsed.", "not_mentioned"),  # a lung's
])
def test_a_vertebral_body_told_as_collapsed_is_a_fracture(extractor: Extractor, sentence: str, fracture: str) -> None:
    assert labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {sentence}")["fracture"] == fracture


@pytest.mark.parametrize(("sentence", "status"), [
    ("The T11 vertebral body was partially collapsed from tumour infiltration.", "present"),
    ("T11 collapse due to myelomatous infiltration.", "present"),
    ("T11 collapse. Diffuse myelomatous infiltration of the spine.", "not_mentioned"),  # not linked as its cause
    ("Compression fracture of L1 with sclerosis along the endplate.", "not_mentioned"),  # the fracture's own look
])
def test_a_malignant_infiltration_can_be_a_fractures_cause(extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"MRI SPINE\nFINDINGS: {sentence}")["pathologic_fracture"] == status


@pytest.mark.parametrize(("sentence", "status"), [
    ("The discs are well hydrated.", "absent"),
    ("Discs normally hydrated.", "absent"),
    ("The discs are well hydrated apart from L4-5, which is desiccated.", "present"),
])
def test_well_hydrated_discs_deny_disc_degeneration(extractor: Extractor, sentence: str, status: str) -> None:
    text = f"MRI LUMBAR SPINE\nFINDINGS: {sentence}"
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == status


def test_fx_risk_is_a_risk_and_no_fracture(extractor: Extractor) -> None:
    text = "Clinic note\nA/P: Femoral lesion. XR R femur today to assess fx risk."
    assert labels(extractor, text)["fracture"] == "not_mentioned"
    text = "Clinic note\nA/P: Femoral lesion with R femur fx."
    assert labels(extractor, text)["fracture"] == "present"


def test_a_bone_scan_line_in_a_soap_notes_objective_part_is_a_result(extractor: Extractor) -> None:
    text = ("S: Known prostate cancer, hip pain.\nO: Afebrile. Tender R hip.\n"
            "Bone scan last wk: new sclerotic lesions R prox femur and T10, consistent with progression.\n"
            "A/P: Progression. Discuss at MDT.\n")
    record = labels(extractor, text)
    assert (record["bone_metastasis"], record["modalities"]) == ("present", ["NM"])


def test_a_bone_scan_told_in_the_history_line_stays_history(extractor: Extractor) -> None:
    text = ("HPI: Prostate cancer. Bone scan last year: new lesions in the pelvis.\n"
            "Assessment: Hip pain, osteoarthritis.\n")
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(("sentence", "status"), [
    ("New sclerotic lesion in the sacrum c/w PD.", "present"),
    ("New sclerotic lesion in the sacrum c/w progression.", "present"),
    ("New sclerotic lesion in the sacrum c/w a bone island.", "not_mentioned"),
])
def test_a_lesion_called_progressive_disease_in_shorthand_is_the_cancer(
        extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"CT PELVIS\nFINDINGS: {sentence}")["bone_metastasis"] == status


@pytest.mark.parametrize(("sentence", "status"), [
    ("A 7 mm sclerotic focus in L3 is not avid and is unchanged since 2019, likely a bone island.", "not_mentioned"),
    ("The L2 lesion is not FDG-avid and is unchanged, likely a metastasis.", "present"),
    ("The L2 lesion is not metabolically active and is unchanged, likely a bone island.", "not_mentioned"),
    ("The L2 focus is not avid. There is no metastasis.", "absent"),  # a denial of its own
])
def test_not_avid_is_the_lesions_uptake_and_denies_nothing_after_it(
        extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"FDG PET/CT\nFINDINGS: {sentence}")["bone_metastasis"] == status


def test_a_bare_not_active_still_denies(extractor: Extractor) -> None:
    text = "Dear Dr X,\nThis is smouldering myeloma, not active myeloma requiring treatment.\n"
    record = extractor.record_for_text("x", text)
    assert [m["assertion"] for m in record["mentions"] if m["text"] == "myeloma"] == ["present", "absent"]


@pytest.mark.parametrize(("impression", "status"), [
    ("Indeterminate left adrenal nodule; metastasis not excluded.", "not_mentioned"),  # the adrenal's differential
    ("Enlarging lung nodule; metastasis not excluded.", "not_mentioned"),
    ("Lytic focus in the left iliac wing; metastasis not excluded.", "possible"),  # a bone before the semicolon
    ("Indeterminate nodule; metastasis not excluded.", "possible"),  # no organ: an unsited metastasis on a CT
])
def test_an_unsited_metastasis_after_a_semicolon_is_the_organ_findings_differential(
        extractor: Extractor, impression: str, status: str) -> None:
    text = f"CT CHEST ABDOMEN PELVIS\nIMPRESSION: {impression}"
    assert labels(extractor, text)["bone_metastasis"] == status


def test_a_british_discharge_summarys_investigations_and_progress_is_its_course(extractor: Extractor) -> None:
    text = ("DISCHARGE SUMMARY\nPresenting complaint: leg weakness.\n\nInvestigations and progress:\n"
            "MRI whole spine showed a T6 metastasis compressing the cord. He received radiotherapy.\n")
    record = labels(extractor, text)
    assert (record["modalities"], record["cord_compression"]) == (["MRI"], "present")


def test_a_presenting_complaint_alone_stays_history(extractor: Extractor) -> None:
    text = ("DISCHARGE SUMMARY\nPresenting complaint: leg weakness; MRI elsewhere showed cord compression.\n"
            "Diagnosis: Lumbar disc prolapse.\n")
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_denial_after_a_semicolon_is_a_finding_of_its_own(extractor: Extractor) -> None:
    text = ("SARCOMA CLINIC\nDx: Osteosarcoma of the right tibia, resected.\n"
            "Assessment: Possible pulmonary relapse; no local recurrence.\n")
    record = extractor.record_for_text("x", text)
    recurrence = next(m for m in record["mentions"] if m["text"] == "local recurrence")
    assert recurrence["contributes"] == {"bone_metastasis": "absent"}


@pytest.mark.parametrize(("assessment", "status"), [
    ("New L2 compression fracture, likely myeloma-related.", "present"),
    ("Myeloma-related L2 compression fracture.", "present"),
    ("L2 compression fracture, possibly tumour-related.", "possible"),
    ("L2 compression fracture; myeloma-related bone disease elsewhere.", "not_mentioned"),  # another finding's
    ("Myeloma. Treatment-related L2 compression fracture.", "not_mentioned"),  # no tumour glued to it
])
def test_a_tumour_glued_to_related_is_a_fractures_cause(extractor: Extractor, assessment: str, status: str) -> None:
    text = f"SPINE CLINIC\nAssessment: {assessment}"
    assert labels(extractor, text)["pathologic_fracture"] == status


@pytest.mark.parametrize(("sentence", "status"), [
    ("Reassuringly there is no pressure on the spinal cord.", "absent"),
    ("The tumour is putting pressure on his spinal cord.", "present"),
    ("His blood pressure on the ward was normal.", "not_mentioned"),
])
def test_a_letters_pressure_on_the_spinal_cord_is_cord_compression(
        extractor: Extractor, sentence: str, status: str) -> None:
    text = f"Dear Dr Barnes,\n\nI saw Mr Ellis today. {sentence}\n\nKind regards\n"
    assert labels(extractor, text)["cord_compression"] == status


# --- session 33: a tumour named as the fracture's cause, or ruled out as it -------------------------------------
@pytest.mark.parametrize(("text", "metastasis", "pathologic"), [
    ("L1 compression fracture. The fracture is osteoporotic; metastasis is not likely to be the cause.",
     "absent", "absent"),
    ("Wedge fracture of T12. A metastasis is unlikely to be the cause given the intact pedicles.", "absent", "absent"),
    ("T10 compression fracture. Metastasis is not thought to be the cause of the collapse.", "absent", "absent"),
    ("T10 compression fracture. The marrow is indeterminate: metastasis cannot be excluded as the cause.",
     "possible", "possible"),
    ("T10 compression fracture. A metastasis is the likely cause.", "present", "present"),
    # near misses: the cause of something else, a cause named with no tumour, a cause the reader affirms
    ("T10 compression fracture. Metastasis is not likely to be the cause of the pain.", "absent", "not_mentioned"),
    ("T10 compression fracture. Osteoporosis is the likely cause.", "not_mentioned", "not_mentioned"),
    ("T10 compression fracture. Metastasis is likely to be the cause.", "present", "present"),
])
def test_a_tumour_named_or_ruled_out_as_the_cause_decides_the_pathologic_fracture(
        extractor: Extractor, text: str, metastasis: str, pathologic: str) -> None:
    got = labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {text}")
    assert (got["bone_metastasis"], got["pathologic_fracture"]) == (metastasis, pathologic)


@pytest.mark.parametrize(("text", "metastasis"), [
    # the alternative is the disease the patient is known to have: this lesion is not it, it still exists
    ("New lytic lesion of the left ilium, possibly a metastasis rather than a deposit of the known myeloma.", "present"),
    ("Lytic lesion of L2, likely a second primary rather than her known breast cancer metastases.", "present"),
    # near misses: an alternative with no 'known' is denied, and a benign reading still explains
    ("New lytic lesion of the left ilium, possibly a metastasis rather than a myeloma deposit.", "possible"),
    ("Sclerotic focus in L2, a bone island rather than a metastasis.", "absent"),
])
def test_rather_than_the_known_disease_does_not_deny_it(extractor: Extractor, text: str, metastasis: str) -> None:
    assert labels(extractor, f"CT ABDOMEN AND PELVIS\nFINDINGS: {text}")["bone_metastasis"] == metastasis


@pytest.mark.parametrize(("text", "metastasis", "pathologic"), [
    # where the fracture reaches is denied; 'the' takes the lesion as there
    ("Fracture of the anterior right 6th rib, not involving the lytic metastasis in the posterior 8th rib.",
     "present", "not_mentioned"),
    ("Fracture of the left 5th rib without extending into the sclerotic metastasis of the 6th rib.",
     "present", "not_mentioned"),
    # near misses: no article, a fracture through the lesion
    ("Fracture of the anterior right 6th rib, not involving any lytic metastasis.", "absent", "not_mentioned"),
    ("Fracture of the right 6th rib through the lytic metastasis.", "present", "present"),
])
def test_a_fracture_not_involving_the_lesion_leaves_the_lesion(
        extractor: Extractor, text: str, metastasis: str, pathologic: str) -> None:
    got = labels(extractor, f"XR RIBS\nFINDINGS: {text}")
    assert (got["bone_metastasis"], got["pathologic_fracture"]) == (metastasis, pathologic)


@pytest.mark.parametrize(("finding", "bulge", "herniation"), [
    # a herniation posed as the alternative to a bulge of the same disc is one of two readings (session 33)
    ("L4-5: disc bulge or small left paracentral protrusion.", "present", "possible"),
    ("L4-5: protrusion or bulge, difficult to separate.", "present", "possible"),
    # near misses: both named, both denied, a hedge of their own, the spec's "versus", another level's protrusion
    ("L4-5: disc bulge and a small protrusion.", "present", "present"),
    ("L4-5: no disc bulge or protrusion.", "absent", "absent"),
    ("L4-5: possible disc bulge or protrusion.", "possible", "possible"),
    ("L4-5: disc bulge versus small protrusion.", "possible", "possible"),
    ("Disc bulge at L3-4 or L4-5 with a protrusion at L5-S1.", "present", "present"),
])
def test_a_herniation_named_as_the_alternative_to_a_bulge_is_possible(
        extractor: Extractor, finding: str, bulge: str, herniation: str) -> None:
    got = labels(extractor, f"MRI LUMBAR SPINE\nFINDINGS: {finding}")["degenerative"]
    assert (got["disc_bulge"], got["disc_herniation"]) == (bulge, herniation)


@pytest.mark.parametrize(("finding", "stenosis"), [
    ("L3-4: protrusion or bulge, hard to separate on CT; canal adequate.", "absent"),  # session 33
    ("L3-4: small protrusion; canal is widely patent.", "absent"),
    # near misses: the canal said narrowed after the semicolon, or a normal canal with no spine study
    ("L3-4: small protrusion; moderate canal stenosis.", "present"),
])
def test_a_canal_said_normal_after_a_semicolon_denies_stenosis(extractor: Extractor, finding: str, stenosis: str) -> None:
    assert labels(extractor, f"CT LUMBAR SPINE\nFINDINGS: {finding}")["degenerative"]["spinal_stenosis"] == stenosis


@pytest.mark.parametrize(("text", "metastasis"), [
    ("Aggressive lytic lesion of the left femur, metastasis or myeloma to be considered.", "possible"),  # session 33
    # near misses: a settled reading, and a recommendation that is to be considered
    ("Aggressive lytic lesion of the left femur, in keeping with metastasis.", "present"),
    ("Lytic metastasis of the left femur. Prophylactic fixation is to be considered.", "present"),
])
def test_readings_to_be_considered_are_possible(extractor: Extractor, text: str, metastasis: str) -> None:
    assert labels(extractor, f"XR LEFT FEMUR\nFINDINGS: {text}")["bone_metastasis"] == metastasis


def test_a_checked_no_at_a_form_rows_end_denies_only_its_row(extractor: Extractor) -> None:
    # Session 34 (w80_14, w80_15): the next row's finding keeps its own answer.
    text = "Cord compression on MRI   [ ] Yes  [x] No\nVertebral metastases on MRI   [x] Yes  [ ] No"
    labels = extractor.record_for_text("t", text)["labels"]
    assert (labels["cord_compression"], labels["bone_metastasis"]) == ("absent", "present")
    text = "Previous fracture?  [ ] Yes  [x] No\nVertebral fracture on imaging?  [x] Yes  [ ] No"
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "present"


def test_a_question_answered_by_a_lone_checked_no_is_denied(extractor: Extractor) -> None:
    text = "History of fracture?  [x] No"
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "absent"


def test_an_mscc_referral_form_names_the_pathway_not_a_finding(extractor: Extractor) -> None:
    text = "ACUTE ONCOLOGY MSCC REFERRAL FORM\nMRI whole spine today: T8 deposit, no cord compression."
    assert extractor.record_for_text("t", text)["labels"]["cord_compression"] == "absent"
    text = "MRI whole spine today: MSCC at T8."
    assert extractor.record_for_text("t", text)["labels"]["cord_compression"] == "present"


@pytest.mark.parametrize(("assessment", "pathologic", "metastasis"), [
    ("Acute L2 compression fracture, not myeloma-related.", "absent", "present"),
    ("L2 compression fracture. It is not related to the myeloma.", "absent", "present"),
    ("L2 compression fracture. This is not myeloma-related.", "absent", "present"),
    ("L2 compression fracture, not related to his known lymphoma.", "absent", "present"),
    ("L2 compression fracture, not metastasis-related.", "absent", "absent"),  # a metastasis ruled out stays out
    ("L2 compression fracture, myeloma-related. Not related to his bisphosphonate.", "present", "present"),
    ("L2 compression fracture. It is related to the myeloma.", "present", "present"),
])
def test_a_tumour_denied_as_the_fractures_cause_by_related(
    extractor: Extractor, assessment: str, pathologic: str, metastasis: str
) -> None:
    # Session 34 (w80_05, w80_06): "not myeloma-related" denies the cause, not the myeloma the writer takes as known.
    found = labels(extractor, f"SPINE CLINIC\nAssessment: {assessment}")
    assert (found["pathologic_fracture"], found["bone_metastasis"]) == (pathologic, metastasis)


@pytest.mark.parametrize(("impression", "status"), [
    ("No bone metastases. TNM 8: cT2b N2 M1c.", "absent"),
    ("cT2b N2 M1c. No osseous metastatic disease.", "absent"),
    ("miT0 miN1 miM1c. No osseous metastases.", "absent"),
    ("cT2b N2 M1c. Liver metastases.", "possible"),  # no bone denied: M1 with no site
    ("cT2b N2 M1c. No new lesions.", "possible"),  # a denial that names no bone
    ("Prostate cancer, cT3 N1 M1b. No bone metastases on this CT.", "present"),  # the stage names bone itself
])
def test_an_m1_stage_with_no_site_yields_to_a_denial_that_names_bone(
    extractor: Extractor, impression: str, status: str
) -> None:
    # Session 34 (w80_17, w80_18): an M category says the cancer has spread, not where; "no bone metastases" says where not.
    assert labels(extractor, f"CT STAGING\nIMPRESSION: {impression}")["bone_metastasis"] == status


@pytest.mark.parametrize(("impression", "metastasis", "pathologic"), [
    ("Metastasis-related compression fracture of L3.", "present", "present"),
    ("No metastasis-related compression fracture.", "not_mentioned", "absent"),  # the cause denied, not bone
    ("Tumour-related collapse of T7.", "possible", "present"),  # a tumour names no metastasis
])
def test_a_metastasis_glued_to_related_names_the_metastasis(
    extractor: Extractor, impression: str, metastasis: str, pathologic: str
) -> None:
    # Session 34 (w80_08): the writer asserts the metastasis as the fracture's cause.
    found = labels(extractor, f"MRI SPINE\nIMPRESSION: {impression}")
    assert (found["bone_metastasis"], found["pathologic_fracture"]) == (metastasis, pathologic)


def test_a_hedged_metastasis_at_the_sided_bone_leaves_the_unsided_lesion_open(extractor: Extractor) -> None:
    # Session 34: the benign reading and the metastasis it leaves open both point back to the calvarial lucencies.
    text = ("CT HEAD\nFINDINGS: Small lucent lesions in the calvarium, the largest in the left parietal bone. "
            "These may represent venous lakes; metastases cannot be excluded.")
    assert labels(extractor, text)["lesion_pattern"] == ["lytic"]
    text = "CT HEAD\nFINDINGS: Small lucent lesions in the calvarium. These are venous lakes."
    assert labels(extractor, text)["lesion_pattern"] == []


@pytest.mark.parametrize(("line", "metastasis"), [
    # the bracket's commas part its own figures: the lobe is the metastasis's site (session 34, w79_04)
    ("Lungs: Two nodules in the right lower lobe (6 mm, 8 mm), suspicious for metastases.", "not_mentioned"),
    ("Lungs: Two nodules in the right lower lobe (1.2 x 0.8 cm, previously 0.6 cm), suspicious for metastases.", "not_mentioned"),
    # near miss: a list of three items, where the lobe is two items away, still leaves the metastasis unsited
    ("Lungs: right lower lobe nodule, small effusion, suspicious for metastases.", "possible"),
])
def test_commas_inside_a_bracket_are_no_list_items(extractor: Extractor, line: str, metastasis: str) -> None:
    assert labels(extractor, f"CT CHEST WITH CONTRAST\nFINDINGS:\n{line}")["bone_metastasis"] == metastasis


@pytest.mark.parametrize(("line", "metastasis"), [
    # an attenuation or uptake item between the organ and its hedge is the organ's figure (session 34, w79_15)
    ("2.1 cm left adrenal nodule, 38 HU on portal venous phase, suspicious for metastasis.", "not_mentioned"),
    ("Left adrenal nodule, SUVmax 6.1, suspicious for metastasis.", "not_mentioned"),
    # near miss: an item of its own between them still leaves the hedged metastasis unsited
    ("Left adrenal nodule, enlarging since March, suspicious for metastasis.", "possible"),
])
def test_an_attenuation_item_keeps_the_organ_the_metastasis_site(extractor: Extractor, line: str, metastasis: str) -> None:
    assert labels(extractor, f"CT ABDOMEN WITH CONTRAST\nFINDINGS: {line}")["bone_metastasis"] == metastasis


@pytest.mark.parametrize(("line", "facet"), [
    ("Spondylarthrosis of lumbar segments.", "present"),  # European facet osteoarthritis (session 34, w79_21)
    ("Spondyloarthrosis L4-S1.", "present"),
    ("Axial spondyloarthritis with sacroiliitis.", "not_mentioned"),  # near miss: the inflammatory disease
])
def test_spondylarthrosis_is_facet_arthropathy(extractor: Extractor, line: str, facet: str) -> None:
    assert labels(extractor, f"CT LUMBAR SPINE\nFINDINGS: {line}")["degenerative"]["facet_arthropathy"] == facet


@pytest.mark.parametrize(("line", "metastasis"), [
    # a reading that ends a list of lesions found in organs reads those lesions (session 34, w79_25)
    ("Three enhancing lesions: 9 mm in the right frontal lobe, 6 mm in the left cerebellar hemisphere and 4 mm in "
     "the left occipital lobe, with vasogenic oedema, consistent with metastases.", "not_mentioned"),
    # near miss: the lesions listed are in bone
    ("Three lytic lesions: 9 mm in T4, 6 mm in the left iliac bone and 4 mm in the sternum, with cortical thinning, "
     "consistent with metastases.", "present"),
])
def test_a_reading_after_a_list_of_organ_lesions_is_theirs(extractor: Extractor, line: str, metastasis: str) -> None:
    assert labels(extractor, f"CT CHEST ABDOMEN PELVIS\nFINDINGS: {line}")["bone_metastasis"] == metastasis


def test_a_spanish_writers_note_reads_its_judgement_and_exams_realized(extractor: Extractor) -> None:
    """'Juicio clínico' and 'Exámenes realizados' as their writers translate them (session 34, w79_30)."""
    text = ("Oncology consultation\nPatient: female, breast carcinoma 2022.\n"
            "Exams realized: Gammagraphy bone show hypercaptation in L3, compatible with metastasis bone. Resonance "
            "magnetic of lumbar column: discopathy L4-L5.\n"
            "Judgement: Bone metastasis L3. Not compression medullar.\n")
    got = labels(extractor, text)
    assert (got["bone_metastasis"], got["cord_compression"], got["degenerative"]["disc_degeneration"]) == (
        "present", "absent", "present")
    assert sorted(got["modalities"]) == ["MRI", "NM"]


def test_a_bladder_scan_is_an_ultrasound(extractor: Extractor) -> None:
    """A bedside bladder scan of the post-void residual is an ultrasound done (session 34, w79_39)."""
    text = ("ED NOTE\nHPI: back pain, hesitancy.\n"
            "ED course: bladder scan post void 40 mL. MRI L-spine: no cauda equina compression.")
    assert sorted(labels(extractor, text)["modalities"]) == ["MRI", "US"]


@pytest.mark.parametrize(("line", "cord"), [
    ("ESCC: Bilsky 1c (epidural tumour abuts the cord, no deformation).", "not_mentioned"),  # session 34, w79_33
    ("ESCC: Bilsky 2 at T12.", "present"),  # near miss: a grade that compresses the cord
])
def test_a_forms_escc_field_reads_its_bilsky_grade(extractor: Extractor, line: str, cord: str) -> None:
    assert labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: T12 metastasis.\n{line}")["cord_compression"] == cord


@pytest.mark.parametrize(("line", "fracture"), [
    ("Bone health: DXA 11/2026 - T-score -1.8; VFA shows no vertebral fractures.", "absent"),  # session 34, w79_46
    # near miss: the same words told in the history of present illness stay the patient's story
    ("HPI: aching hips; her DXA 11/2026 showed a T-score of -1.8, VFA no vertebral fractures.", "not_mentioned"),
])
def test_a_bone_health_line_holds_results(extractor: Extractor, line: str, fracture: str) -> None:
    text = f"BREAST ONCOLOGY CLINIC - FOLLOW UP\nFamily history: sister, breast cancer.\n{line}\nAssessment: osteopenia on AI."
    assert labels(extractor, text)["fracture"] == fracture


@pytest.mark.parametrize(("finding", "stenosis"), [
    # a root compressed in the lateral recess is lateral recess stenosis (session 34, w79_26)
    ("L5-S1 disc extrusion compressing the traversing left S1 nerve root in the lateral recess.", "present"),
    ("Bulge with compression of the left L5 nerve root in the subarticular zone.", "present"),
    ("Disc protrusion without compressing the S1 root in the lateral recess.", "absent"),
    # near miss: a root named in the recess with no compression word
    ("The S1 nerve root in the lateral recess is normal.", "not_mentioned"),
])
def test_a_root_compressed_in_the_lateral_recess_is_stenosis(extractor: Extractor, finding: str, stenosis: str) -> None:
    assert labels(extractor, f"MRI LUMBAR SPINE\nFINDINGS: {finding}")["degenerative"]["spinal_stenosis"] == stenosis


@pytest.mark.parametrize(("finding", "fracture", "pathologic"), [
    # a vertebra named right after "pathologic compression of" is the bone compressed (session 35, w73_06, w82_04)
    ("Pathological compression of T8 with 30% loss of height.", "present", "present"),
    ("Pathologic compression of the L2 vertebral body.", "present", "present"),
    # near misses: the cord, the sac or no level after "compression of" is no vertebra
    ("Epidural tumour at T8 causes compression of the cord.", "not_mentioned", "not_mentioned"),
    ("Pathological compression of the thecal sac at T8.", "not_mentioned", "not_mentioned"),
])
def test_a_vertebras_pathologic_compression_is_a_pathologic_fracture(
        extractor: Extractor, finding: str, fracture: str, pathologic: str) -> None:
    got = labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {finding}")
    assert (got["fracture"], got["pathologic_fracture"]) == (fracture, pathologic)


@pytest.mark.parametrize(("finding", "label", "status"), [
    ("Subchondral sclerosis of the endplates at L4-L5.", "endplate_changes", "present"),  # session 35 (w82_06)
    ("Irregularity of the adjacent endplates at L5-S1.", "endplate_changes", "present"),
    ("Discs are preserved.", "disc_degeneration", "absent"),  # session 35 (w82_04): a normal statement
    ("Disc protrusion L4-L5 without compromise of the medullar canal.", "spinal_stenosis", "absent"),  # w79_30
    ("Facet osteophytes at L4-5 and L5-S1.", "facet_arthropathy", "present"),  # the facet joints' own
    ("Facet osteophytes at L4-5 and L5-S1.", "spondylosis", "not_mentioned"),
    ("Anterior osteophytes at L4-5.", "spondylosis", "present"),  # near miss: the vertebral bodies' osteophytes
])
def test_degenerative_phrasings_of_wave_82(extractor: Extractor, finding: str, label: str, status: str) -> None:
    got = labels(extractor, f"MRI LUMBAR SPINE\nFINDINGS: {finding}")
    assert got["degenerative"][label] == status


@pytest.mark.parametrize(("text", "pattern"), [
    # a bone's destruction told by a verb after it (session 35, w75_02)
    ("XR LEFT FEMUR\nFINDINGS: Fracture of the shaft; the bone around it is moth-eaten and thinned.", ["lytic"]),
    ("XR LEFT HUMERUS\nFINDINGS: The cortex of the mid shaft is moth-eaten over 4 cm.", ["lytic"]),
    # near miss: a scalp's hair loss is no bone
    ("DERMATOLOGY\nExamination: the hair loss over the occipital scalp is moth-eaten.", []),
])
def test_a_bone_told_as_moth_eaten_is_a_lytic_look(extractor: Extractor, text: str, pattern: list[str]) -> None:
    assert labels(extractor, text)["lesion_pattern"] == pattern


@pytest.mark.parametrize(("sentence", "modalities"), [
    # the earlier thing is the fracture, not a study before today's (session 35, w80_15, w82_16)
    ("Her pelvic radiograph shows no previous fracture and no acute fracture.", ["XR"]),
    ("New T11 wedge fracture on the chest radiograph, no previous fracture.", ["XR"]),
    # near miss: a study called previous is still a prior study
    ("The previous radiograph showed no fracture.", []),
])
def test_a_previous_fracture_dates_no_study(extractor: Extractor, sentence: str, modalities: list[str]) -> None:
    assert labels(extractor, f"ORTHOGERIATRIC NOTE\nAssessment: {sentence}")["modalities"] == modalities


@pytest.mark.parametrize(("finding", "status"), [
    # a vertebra's marrow told as infiltrated (session 35, w82_21): myeloma or tumour in the bone
    ("The T4 and T5 vertebral bodies show diffuse infiltration; their heights are preserved.", "present"),
    ("The T10 body is diffusely infiltrated.", "present"),
    # near miss: fat in the marrow is no tumour
    ("The T10 vertebral body shows fatty infiltration, a haemangioma.", "not_mentioned"),
])
def test_a_vertebra_told_as_infiltrated_is_a_bone_malignancy(extractor: Extractor, finding: str, status: str) -> None:
    assert labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {finding}")["bone_metastasis"] == status


@pytest.mark.parametrize(("text", "status"), [
    # the participle with no verb (session 35, w82_19)
    ("CT LUMBAR SPINE\nFINDINGS: L1 burst fracture with retropulsion, canal narrowed by about 20%.", "present"),
    # near miss: a long bone's medullary canal is no spine
    ("XR LEFT FEMUR\nFINDINGS: Endosteal scalloping, the medullary canal narrowed by callus.", "not_mentioned"),
])
def test_a_canal_narrowed_by_something_is_stenosis(extractor: Extractor, text: str, status: str) -> None:
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == status
