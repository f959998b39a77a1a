"""Where an unsited metastasis is: its list item, a soft-tissue region, an operative account (labels.md,
bone_metastasis; decisions.md "A metastasis's site is read in its own list item")."""

from __future__ import annotations

from reportnlp.run.extractor import Extractor


def bone_metastasis(extractor: Extractor, text: str) -> str:
    record = extractor.record_for_text("t", text)
    assert record["status"] == "ok"
    return str(record["labels"]["bone_metastasis"])


def test_an_organ_in_another_list_item_is_not_the_metastasis_site(extractor: Extractor) -> None:
    text = "IMPRESSION: Dehydration with probable metastatic disease, urinary retention, anemia, chronic kidney failure."
    assert bone_metastasis(extractor, text) == "possible"


def test_the_item_after_the_comma_names_the_site(extractor: Extractor) -> None:
    text = "DIAGNOSIS: No metastatic carcinoma, right axillary lymph node."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_metastasis_in_the_neck_is_not_in_bone(extractor: Extractor) -> None:
    assert bone_metastasis(extractor, "IMPRESSION: Metastatic melanoma, right neck.") == "not_mentioned"


def test_a_study_of_abdomen_and_pelvis_is_no_soft_tissue_site(extractor: Extractor) -> None:
    text = "FINDINGS: CT of the abdomen and pelvis shows no metastasis."
    assert bone_metastasis(extractor, text) == "absent"


def test_an_operative_account_metastasis_with_no_bone_is_the_removed_tumor(extractor: Extractor) -> None:
    text = "PROCEDURE IN DETAIL: The mass was excised, and the frozen section showed metastatic carcinoma."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_an_operative_account_metastasis_in_a_named_bone_counts(extractor: Extractor) -> None:
    text = "PROCEDURE IN DETAIL: The tissue of the L3 vertebral body showed metastatic carcinoma on frozen section."
    assert bone_metastasis(extractor, text) == "present"


def test_no_other_metastatic_disease_beside_an_organ_mass_is_absent(extractor: Extractor) -> None:
    text = "FINDINGS: A 3 cm mass in the left lower lobe of the lung without any other metastatic disease."
    assert bone_metastasis(extractor, text) == "absent"


def test_miliary_metastases_are_in_the_lungs(extractor: Extractor) -> None:
    text = "FINDINGS: Innumerable tiny nodules, typical of miliary metastatic disease."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_hemispheric_metastasis_is_in_the_brain(extractor: Extractor) -> None:
    text = "FINDINGS: An enhancing mass in the left hemisphere, likely a metastasis."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_an_unsited_metastasis_continues_the_organ_finding_before_it(extractor: Extractor) -> None:
    text = "FINDINGS: The lesion in the pons is most suggestive of a cavernous hemangioma. " \
        "Metastatic lesions could also calcify."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_an_unsited_metastasis_after_a_finding_at_a_spine_level_stays_possible(extractor: Extractor) -> None:
    text = "FINDINGS: Enhancing nodular lesions along the cord surface from T2 to T6. Symptoms may be due to metastasis."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_noun_pointing_back_takes_the_organ_of_the_sentence_before(extractor: Extractor) -> None:
    text = "FINDINGS: Hemorrhage in the right frontal lobe. The two small foci may suggest metastasis."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_bare_this_needs_a_finding_before_to_point_back_to(extractor: Extractor) -> None:
    text = "FINDINGS: Hemorrhage in the right frontal lobe. This may suggest metastasis."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_pathologic_fracture_makes_a_bone_lesion_at_least_possible(extractor: Extractor) -> None:
    text = "IMPRESSION: Displaced pathologic fracture of the left femoral neck."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_fracture_called_possibly_pathologic_makes_a_bone_lesion_possible(extractor: Extractor) -> None:
    text = "IMPRESSION: Compression fracture of L2, possibly pathologic."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_lytic_bone_in_an_operative_account_gives_its_pattern_but_no_metastasis(extractor: Extractor) -> None:
    text = "PROCEDURE IN DETAIL: The base of the toe bone was found to be lytic and crumbly and was removed."
    record = extractor.record_for_text("t", text)
    assert record["labels"]["bone_metastasis"] == "not_mentioned"
    assert record["labels"]["lesion_pattern"] == ["lytic"]


def test_a_lytic_lesion_beside_a_tumor_in_an_operative_account_counts(extractor: Extractor) -> None:
    text = "PROCEDURE IN DETAIL: A lytic lesion of the iliac bone was curetted, with metastatic tumor on frozen section."
    assert bone_metastasis(extractor, text) == "present"


def test_the_head_of_a_bone_is_no_head_region(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "FINDINGS: Lytic lesion of the head of the second metatarsal.")
    kinds = {loc["kind"] for m in record["mentions"] for loc in m["locations"]}
    assert "region" not in kinds


def test_a_pathologic_fracture_through_a_benign_lesion_adds_no_possible_lesion(extractor: Extractor) -> None:
    text = "IMPRESSION: Pathologic fracture through a simple bone cyst of the proximal humerus."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_pathologic_fracture_through_a_lesion_the_sentence_before_calls_benign_adds_no_lesion(
    extractor: Extractor,
) -> None:
    text = ("FINDINGS: Expansile lucent lesion of the fifth metacarpal, typical of an enchondroma. There is a "
            "pathologic fracture through the lesion.")
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_pathologic_fracture_of_another_bone_after_a_benign_lesion_keeps_its_lesion(extractor: Extractor) -> None:
    text = "FINDINGS: Enchondroma of the fifth metacarpal. Pathologic fracture of the left femur through the lesion."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_common_iliac_lesion_is_a_vessel_not_a_bone(extractor: Extractor) -> None:
    assert bone_metastasis(extractor, "FINDINGS: The right common iliac has a 50% lesion.") == "not_mentioned"


def test_a_bare_lesion_of_a_whole_spine_segment_names_no_bone(extractor: Extractor) -> None:
    assert bone_metastasis(extractor, "IMPRESSION: Cervical spine lesion.") == "not_mentioned"


def test_a_bare_lesion_of_a_vertebral_body_is_a_bone_lesion(extractor: Extractor) -> None:
    assert bone_metastasis(extractor, "IMPRESSION: Lesion of the C4 vertebral body.") == "possible"


def test_a_size_between_commas_does_not_part_the_organ_from_its_metastases(extractor: Extractor) -> None:
    text = "FINDINGS: Several liver lesions, the largest 2.6 cm in segment 4, compatible with metastases."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_real_list_item_between_commas_still_parts_the_organ(extractor: Extractor) -> None:
    text = "IMPRESSION: Liver cysts, renal stones, gallstones, metastatic disease likely."
    assert bone_metastasis(extractor, text) == "possible"


def test_plain_soft_tissue_at_a_level_is_no_organ(extractor: Extractor) -> None:
    """What the finding is made of is no site: the level is (session 26)."""
    text = "CT T-SPINE\nFINDINGS: Enhancing soft tissue at T9 beside the cage, granulation tissue versus recurrent tumor."
    assert bone_metastasis(extractor, text) == "possible"


def test_a_soft_tissue_component_is_the_lesions_not_its_site(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: The treated metastasis is now sclerotic, without soft tissue component."
    assert bone_metastasis(extractor, text) == "present"


def test_a_level_beside_a_soft_tissue_region_gives_its_height_only(extractor: Extractor) -> None:
    text = "CT NECK\nFINDINGS: Soft tissue mass in the left neck at the level of C4, suspicious for recurrent tumor."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_an_organ_beside_a_level_still_outranks_it(extractor: Extractor) -> None:
    text = "MRI T-SPINE\nFINDINGS: Enhancing intramedullary cord lesion at T9, suspicious for metastasis."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_an_organ_heading_is_the_site_of_its_unsited_metastasis(extractor: Extractor) -> None:
    """A CT's organ-by-organ heading ("LIVER:") gives its organ to a finding naming no site, as "BONES:" gives
    bone (session 29)."""
    text = "CT CHEST ABDOMEN PELVIS\nFINDINGS:\nLIVER: Multiple hypoattenuating metastases.\nBONES: No suspicious lesion."
    assert bone_metastasis(extractor, text) == "absent"


def test_a_heading_of_several_organs_names_each(extractor: Extractor) -> None:
    text = "CT ABDOMEN\nFINDINGS:\nADRENALS/KIDNEYS: Bilateral metastases, enlarging."
    assert bone_metastasis(extractor, text) == "not_mentioned"


def test_a_heading_that_may_hold_bone_gives_no_organ(extractor: Extractor) -> None:
    """"ABDOMEN/PELVIS:" may mean the pelvic bones: its unsited metastasis stays possible (session 29)."""
    text = "CT CHEST ABDOMEN PELVIS\nFINDINGS:\nABDOMEN/PELVIS: New metastases."
    assert bone_metastasis(extractor, text) == "possible"


def test_an_organ_heading_gives_nothing_to_a_finding_with_its_own_bone(extractor: Extractor) -> None:
    text = "CT CHEST\nFINDINGS:\nLUNGS: Clear. Lytic metastasis in the right 6th rib."
    assert bone_metastasis(extractor, text) == "present"
