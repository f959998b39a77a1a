"""Mentions, cues and links (issue #11 items 5-9, issue #19 items 1-3): one behaviour per test.

Every sentence here is written for the test; none is taken from a corpus.
"""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    record = extractor.record_for_text("t", text)
    assert record["status"] == "ok"
    return record["labels"]


# --- templated "finding: value" lines (#19.1) ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "expected"),
    [
        ("Fracture: No.", "fracture", "absent"),
        ("Fracture: Absent.", "fracture", "absent"),
        ("Cord compression: no", "cord_compression", "absent"),
        ("Metastatic disease: negative.", "bone_metastasis", "absent"),
        ("Osseous lesions: none", "bone_metastasis", "absent"),
        ("Fracture: not seen.", "fracture", "absent"),
        ("Cord compression: yes.", "cord_compression", "present"),
        ("Osseous metastases: present.", "bone_metastasis", "present"),
        ("Fracture: indeterminate.", "fracture", "possible"),
        ("Osseous metastases: equivocal.", "bone_metastasis", "possible"),
    ],
)
def test_templated_line_reads_as_its_value_says(extractor: Extractor, line: str, label: str, expected: str) -> None:
    assert labels(extractor, f"FINDINGS:\n{line}\nIMPRESSION: See above.")[label] == expected


@pytest.mark.parametrize(
    ("line", "label"),
    [("Suspicious bone lesion: No.", "bone_metastasis"), ("Findings suspicious for metastasis: none", "bone_metastasis"),
     ("Possible fracture: no.", "fracture")],
)
def test_a_hedged_field_label_answered_no_is_absent(extractor: Extractor, line: str, label: str) -> None:
    assert labels(extractor, f"FINDINGS:\n{line}\nIMPRESSION: See above.")[label] == "absent"


def test_a_hedged_field_label_answered_yes_stays_possible(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS:\nSuspicious bone lesion: Yes, T9.\nIMPRESSION: See above.")
    assert out["bone_metastasis"] == "possible"


def test_a_hedge_outside_a_field_line_is_not_answered_by_a_later_no(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Lesion suspicious for metastasis in T9, no fracture.")
    assert out["bone_metastasis"] == "possible"


def test_templated_negation_glued_to_a_header(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS:(No fracture)")["fracture"] == "absent"


def test_a_value_that_starts_a_sentence_is_not_a_template(extractor: Extractor) -> None:
    text = "FINDINGS: Fracture: No acute fracture of L1; chronic compression fracture of T12."
    assert labels(extractor, text)["fracture"] == "present"


def test_a_tab_stands_for_the_field_colon(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS:\nCord compression\tNo\nIMPRESSION: See above.")["cord_compression"] == "absent"


def test_each_field_run_on_one_line_takes_its_own_answer(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS:\nPathologic fracture: No   Cord compression: Yes - T9\n")
    assert (out["pathologic_fracture"], out["cord_compression"]) == ("absent", "present")


@pytest.mark.parametrize("answer", ["N/A", "unknown", "not assessed", "____"])
def test_a_field_answered_not_applicable_or_left_blank_gives_no_status(extractor: Extractor, answer: str) -> None:
    assert labels(extractor, f"FINDINGS:\nCord compression: {answer}\nIMPRESSION: See above.")["cord_compression"] == (
        "not_mentioned"
    )


def test_a_blank_field_before_another_blank_field_gives_no_status(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS:\nFracture:\nPathological fracture:\n")["fracture"] == "not_mentioned"


def test_a_heading_over_filled_sub_fields_is_no_blank_field(extractor: Extractor) -> None:
    text = "FINDINGS:\nOsseous metastases:\nThoracic spine: intense uptake T4 and T8\n"
    assert labels(extractor, text)["bone_metastasis"] == "present"


def test_a_field_answer_does_not_reach_the_next_field(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS:\nCord compression: no\nPathologic fracture: [x] yes [ ] no\n")
    assert (out["cord_compression"], out["pathologic_fracture"]) == ("absent", "present")


@pytest.mark.parametrize(("answer", "expected"), [("Yes", "present"), ("No", "absent"), ("N/A", "not_mentioned")])
def test_a_distant_metastasis_heading_is_answered_by_its_bone_line(extractor: Extractor, answer: str, expected: str) -> None:
    text = f"STAGING FORM\nSites of distant metastasis at diagnosis:\n  Liver: Yes\n  Bone: {answer}\n  Brain: No\n"
    assert labels(extractor, text)["bone_metastasis"] == expected


def test_a_distant_metastasis_heading_with_no_bone_line_gives_no_status(extractor: Extractor) -> None:
    text = "STAGING FORM\nSites of distant metastasis:\n  Liver: Yes\n  Lung: No\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_study_field_answered_no_was_not_done(extractor: Extractor) -> None:
    assert labels(extractor, "Staging studies:\n  CT: Yes, liver lesions\n  Bone scan: No\n")["modalities"] == ["CT"]


# --- abbreviations that collide (#19.2) ------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["The patient exercised to 9.6 METS.", "Total METs was 7.2.", "Peak METs reached on the treadmill were adequate."],
)
def test_metabolic_equivalents_are_not_metastases(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "not_mentioned"


def test_mets_after_a_bone_word_is_still_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Diffuse bony mets.")["bone_metastasis"] == "present"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Osseous dz in the thoracic spine and pelvis.", "present"),
        ("Bony dz at T4 is stable.", "present"),
        ("No osseous dz.", "absent"),
        ("Progression of osseous dz in the ribs.", "present"),
        ("Metastatic bone dz of the sacrum.", "present"),
    ],
)
def test_oncology_shorthand_dz_of_bone_is_metastasis(extractor: Extractor, sentence: str, expected: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == expected


def test_metabolic_bone_dz_is_not_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Metabolic bone dz with diffuse osteopenia.")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Skeletal progression since the last scan.", "present"),
        ("Findings in keeping with osseous disease progression.", "present"),
        ("No evidence of osseous progression.", "absent"),
    ],
)
def test_osseous_progression_is_progression_of_bone_metastases(
    extractor: Extractor, sentence: str, expected: str
) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == expected


def test_progression_of_a_spine_finding_without_a_bone_word_is_not_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Slight progression of the L4 anterolisthesis.")
    assert out["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence", ["Bone mets in the pelvis.", "Bony mets at L1.", "Mets to spine.", "Mets to the ribs and sacrum."]
)
def test_bone_mets_shorthand_is_present_metastasis(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "present"


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [
        ("Bony secondaries in the pelvis and both femora.", []),
        ("Osseous deposits at T3 and T9.", []),
        ("A sclerotic deposit in the left iliac wing.", ["blastic"]),
        ("Lytic deposits throughout the ribs.", ["lytic"]),
        ("Mixed lytic and sclerotic deposits in the sacrum.", ["mixed"]),
        ("Secondary deposits in the thoracic vertebrae.", []),
        ("Extradural deposit at T6.", []),
    ],
)
def test_british_secondaries_and_deposits_of_bone_are_metastases(
    extractor: Extractor, sentence: str, pattern: list[str]
) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert (out["bone_metastasis"], sorted(out["lesion_pattern"])) == ("present", pattern)


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [
        ("The sclerotic T7 lesion is unchanged.", ["blastic"]),
        ("A lytic L3 lesion with cortical breach.", ["lytic"]),
    ],
)
def test_a_level_between_the_density_and_the_lesion_keeps_its_pattern(
    extractor: Extractor, sentence: str, pattern: list[str]
) -> None:
    assert sorted(labels(extractor, f"FINDINGS: {sentence}")["lesion_pattern"]) == pattern


def test_a_level_after_the_lesion_noun_is_still_read_by_the_plain_rule(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Sclerotic lesion at T7.")["lesion_pattern"] == ["blastic"]


def test_the_tumor_adjective_before_the_density_makes_a_malignant_lytic_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Several lymphomatous lytic foci in the pelvis.")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("present", ["lytic"])


def test_no_bony_secondaries_is_absent_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No bony secondaries.")["bone_metastasis"] == "absent"


def test_secondaries_in_an_organ_are_not_bone_metastases(extractor: Extractor) -> None:
    out = labels(extractor, "CT CHEST\nFINDINGS: Several liver secondaries. The bones are normal.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_epidural_fat_deposits_are_not_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "MRI LUMBAR SPINE\nFINDINGS: Epidural fat deposits narrow the sac at L5.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_deposit_with_no_bone_or_tumour_word_is_not_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Fibrinous deposits on the pleura.")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("sentence", ["Two deposits in the L2 vertebral body.", "A deposit within the right iliac bone."])
def test_a_bare_deposit_in_a_named_bone_is_a_metastasis(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"MRI\nFINDINGS: {sentence}")["bone_metastasis"] == "present"


def test_a_bare_deposit_left_open_is_a_possible_metastasis(extractor: Extractor) -> None:
    text = "MRI\nFINDINGS: Bright T2 lesion in the T10 body, likely a haemangioma, though a deposit is not excluded."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


@pytest.mark.parametrize(
    "sentence",
    ["Calcium pyrophosphate deposits in the knee menisci and the T12 disc.", "Urate deposits eroding the first metatarsal.",
     "Haemosiderin deposits in the L3 vertebral body.", "Deposits of calcium along the right humerus.",
     "Amyloid deposits in the C2 vertebra."],
)
def test_mineral_crystal_and_pigment_deposits_are_no_metastasis(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("CT CHEST\nFINDINGS: Scattered sclerotic foci in the spine, in keeping with metastatsis.", "bone_metastasis", "present"),
        ("CT CHEST\nFINDINGS: Metastic deposits in the T6 and T9 vertebral bodies.", "bone_metastasis", "present"),
        ("CT CHEST\nFINDINGS: Several rib metastatses.", "bone_metastasis", "present"),
        ("XR LEFT ANKLE\nFINDINGS: Undisplaced fracure of the lateral malleolus.", "fracture", "present"),
        ("XR FEMUR\nFINDINGS: Lytic lesion with a pathologic fracure.", "pathologic_fracture", "present"),
        ("XR LUMBAR SPINE\nFINDINGS: Old compresion deformity of L2.", "fracture", "present"),
        ("MRI THORACIC SPINE\nFINDINGS: Epidural tumour at T6 with cord compresion.", "cord_compression", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Small disc herniaton at L5-S1.", "degenerative.disc_herniation", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Mild canal stenois at L3-4.", "degenerative.spinal_stenosis", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Shallow disc buldge at L4-5.", "degenerative.disc_bulge", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Disc dessication at L4-5 and L5-S1.", "degenerative.disc_degeneration", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Bilateral facet arthopathy at L4-5.", "degenerative.facet_arthropathy", "present"),
        ("XR LUMBAR SPINE\nFINDINGS: Grade 2 spondylolithesis of L5 on S1.", "degenerative.spondylolisthesis", "present"),
        ("MRI LUMBAR SPINE\nFINDINGS: Degenrative disc disease at L5-S1.", "degenerative.disc_degeneration", "present"),
        ("XR SKULL\nFINDINGS: Innumerable lucencies in keeping with myleoma.", "bone_metastasis", "present"),
    ],
)
def test_a_frequent_misspelling_reads_as_the_word(extractor: Extractor, text: str, key: str, expected: str) -> None:
    out = labels(extractor, text)
    value = out["degenerative"][key.split(".")[1]] if key.startswith("degenerative.") else out[key]
    assert value == expected


def test_a_misspelled_hedge_still_hedges(extractor: Extractor) -> None:
    out = labels(extractor, "BONE SCAN\nFINDINGS: Two foci of uptake in the pelvis, suspicous for metastases.")
    assert out["bone_metastasis"] == "possible"


def test_spondylolysis_is_not_read_as_spondylosis(extractor: Extractor) -> None:
    out = labels(extractor, "XR LUMBAR SPINE\nFINDINGS: Bilateral L5 spondylolysis. Normal discs.")
    assert out["degenerative"]["spondylosis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Displaced subcapital # of the right NOF.", "Left NOF #.", "Healing Colles # of the left wrist.",
     "Undisplaced # of the distal radius.", "Acute compression # of L1.", "Acute L1 # with 30% height loss.",
     "Healing # of the left 5th rib.", "Right #NOF.", "Old # R clavicle.", "#L1 with 20% height loss.",
     "Old # L 7th rib.", "# neck of femur.", "Undisplaced # base of the 5th metatarsal."],
)
def test_hash_shorthand_after_a_bone_or_kind_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


def test_no_hash_shorthand_fracture_is_absent(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No NOF #.")["fracture"] == "absent"


@pytest.mark.parametrize("sentence", ["No # or dislocation.", "C-spine: no #.", "Nil # seen."])
def test_no_hash_with_no_bone_named_is_a_denied_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"XR RIGHT ANKLE\nFINDINGS: {sentence}")["fracture"] == "absent"


def test_no_hash_beside_a_healing_hash_fracture_leaves_it_present(extractor: Extractor) -> None:
    out = labels(extractor, "XR CHEST\nFINDINGS: No # of the sternum. Healing # of the L 5th rib.")
    assert out["fracture"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["The 7th rib #5 label is misplaced.", "The # of days in hospital was four.", "Tooth #3 was extracted.",
     "# Rib pain, for analgesia.", "# Hip pain."],
)
def test_hash_as_number_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize("sentence", ["No bony injury.", "No acute osseous injury of the cervical spine."])
def test_no_bony_injury_denies_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "absent"


def test_a_soft_tissue_injury_is_no_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Soft tissue injury of the knee.")["fracture"] == "not_mentioned"  # guard


def test_pathological_hash_shorthand_is_a_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Pathological # of the right femur through a lytic metastasis.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("present", "present")


# --- MRI sequences are never levels (#19.3) --------------------------------------------------------


def locations_of(extractor: Extractor, text: str, phrase: str) -> list[str]:
    record = extractor.record_for_text("t", text)
    mention = next(m for m in record["mentions"] if m["text"] == phrase)
    return [lvl for loc in mention["locations"] if loc["kind"] == "level" for lvl in loc["levels"]]


def test_sequence_names_after_on_are_not_levels(extractor: Extractor) -> None:
    text = "FINDINGS: A marrow lesion in the L3 vertebral body is dark on T1 and bright on T2."
    assert locations_of(extractor, text, "marrow lesion") == ["L3"]


def test_paired_sequence_names_are_not_levels(extractor: Extractor) -> None:
    text = "FINDINGS: Compression fracture of L1 with edema on STIR and T2 weighted images."
    assert locations_of(extractor, text, "fracture") == ["L1"]


def test_paired_levels_stay_levels(extractor: Extractor) -> None:
    assert locations_of(extractor, "FINDINGS: Fractures of T1 and T2.", "Fractures") == ["T1", "T2"]


# --- normal statements are absent findings (#11 item 5) --------------------------------------------


def degenerative(extractor: Extractor, sentence: str) -> dict[str, str]:
    return labels(extractor, f"EXAM: MRI CERVICAL SPINE\nFINDINGS: {sentence}")["degenerative"]


@pytest.mark.parametrize(
    "sentence",
    ["The disc spaces are maintained.", "Intervertebral disc heights are well preserved.", "Normal disc spaces.",
     "The discs are normal in height and signal."],
)
def test_maintained_disc_spaces_are_absent_disc_degeneration(extractor: Extractor, sentence: str) -> None:
    assert degenerative(extractor, sentence)["disc_degeneration"] == "absent"


def test_a_normal_disc_space_in_an_eye_exam_says_nothing_of_the_spine(extractor: Extractor) -> None:
    text = "FUNDI: Optic disc space of normal size and shape, sharp margins in both eyes."
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "not_mentioned"


def test_maintained_disc_spaces_on_a_spine_radiograph_with_no_spine_word_in_the_sentence_are_absent(
    extractor: Extractor,
) -> None:
    text = "EXAM: XR LUMBAR SPINE 2 VIEWS\nFINDINGS: Disc spaces are maintained."
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "absent"


def test_one_disc_normal_in_height_leaves_another_degenerated(extractor: Extractor) -> None:
    text = "L3-4: The disc is normal in height and signal. L4-5: The disc is desiccated and narrowed."
    assert degenerative(extractor, text)["disc_degeneration"] == "present"


@pytest.mark.parametrize(
    "sentence", ["The central canal and neural foramina are patent.", "Spinal canal and foramina are patent."]
)
def test_patent_canal_is_absent_stenosis(extractor: Extractor, sentence: str) -> None:
    assert degenerative(extractor, sentence)["spinal_stenosis"] == "absent"


@pytest.mark.parametrize("sentence", ["The exit foramina are patent.", "Exit foramina patent bilaterally."])
def test_patent_exit_foramina_is_absent_stenosis(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "CT CERVICAL SPINE")["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize("sentence", ["Grade 1 spondy of L4 on L5.", "Gr 2 spondy L5-S1.", "Isthmic spondy at L5."])
def test_graded_or_isthmic_spondy_shorthand_is_spondylolisthesis(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"XR LUMBAR SPINE\nFINDINGS: {sentence}")
    assert out["degenerative"]["spondylolisthesis"] == "present"


def test_bare_spondy_shorthand_names_no_listhesis(extractor: Extractor) -> None:
    out = labels(extractor, "XR LUMBAR SPINE\nFINDINGS: Multilevel spondy, worst at L3-4.")
    assert out["degenerative"]["spondylolisthesis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence", ["Alignment: Normal.", "Vertebral alignment is maintained.", "Normal alignment of the vertebrae."]
)
def test_normal_alignment_does_not_deny_spondylolisthesis(extractor: Extractor, sentence: str) -> None:
    # the dev-gold readers leave spondylolisthesis not_mentioned when only the alignment is called normal
    assert degenerative(extractor, sentence)["spondylolisthesis"] == "not_mentioned"


def test_normal_alignment_beside_a_denied_listhesis_is_absent(extractor: Extractor) -> None:
    text = "Alignment is normal, without spondylolisthesis."
    assert degenerative(extractor, text)["spondylolisthesis"] == "absent"


def test_normal_facet_joints_are_absent_facet_arthropathy(extractor: Extractor) -> None:
    assert degenerative(extractor, "The facet joints are unremarkable.")["facet_arthropathy"] == "absent"


def test_a_finding_beside_a_normal_statement_still_counts(extractor: Extractor) -> None:
    out = degenerative(extractor, "Disc spaces are maintained. Small disc bulge at C5-6 with mild foraminal narrowing.")
    assert out["disc_bulge"] == "present" and out["spinal_stenosis"] == "present"
    assert out["disc_degeneration"] == "absent"


def test_an_ear_canal_is_not_the_spinal_canal(extractor: Extractor) -> None:
    assert degenerative(extractor, "The external ear canals are patent.")["spinal_stenosis"] == "not_mentioned"


def test_one_span_can_carry_two_concepts(extractor: Extractor) -> None:
    out = degenerative(extractor, "Normal central canal, neural foramina and facet joints.")
    assert out["spinal_stenosis"] == "absent" and out["facet_arthropathy"] == "absent"


# --- cue engine (#11 item 7) -----------------------------------------------------------------------


def assertion_of(extractor: Extractor, text: str, phrase: str) -> str:
    record = extractor.record_for_text("t", f"FINDINGS: {text}")
    return next(m["assertion"] for m in record["mentions"] if m["text"] == phrase)


def test_overlapping_cues_the_forward_reading_wins(extractor: Extractor) -> None:
    assert assertion_of(extractor, "This is suspicious for metastasis.", "metastasis") == "possible"


def test_overlapping_cues_consistent_with_reads_forward(extractor: Extractor) -> None:
    text = "The rib finding is concerning. This is consistent with a fracture."
    assert assertion_of(extractor, text, "fracture") == "present"


@pytest.mark.parametrize(
    "sentence",
    ["There may also be a fracture of the left sixth rib.", "A rib fracture could potentially be present.",
     "The rib may well be fractured."],
)
def test_an_adverb_inside_a_hedge_keeps_it_a_hedge(extractor: Extractor, sentence: str) -> None:
    record = extractor.record_for_text("t", f"FINDINGS: {sentence}")
    assert record["labels"]["fracture"] == "possible"


def test_a_conditional_recommendation_is_hypothetical(extractor: Extractor) -> None:
    text = "If the pain does not resolve, consider an occult scaphoid fracture."
    assert assertion_of(extractor, text, "fracture") == "hypothetical"


def test_a_finding_inside_the_condition_is_hypothetical(extractor: Extractor) -> None:
    """The condition of an "if ... would/consider" sentence asks about its finding; it does not find it."""
    text = "IMPRESSION: If further concern for a rib fracture dedicated rib films would better evaluate."
    assert assertion_of(extractor, text, "fracture") == "hypothetical"


def test_a_hedge_after_the_finding_reads_back(extractor: Extractor) -> None:
    assert assertion_of(extractor, "Nondisplaced fracture of the radial head, questionable.", "fracture") == "possible"


def test_a_hedge_after_one_finding_does_not_reach_past_the_clause(extractor: Extractor) -> None:
    text = "Fracture of the left fifth rib; small effusion, questionable."
    assert assertion_of(extractor, text, "Fracture") == "present"


# --- links across sentences (#11 item 6) -----------------------------------------------------------


def test_pointing_back_to_a_vertebral_lesion_makes_it_metastatic(extractor: Extractor) -> None:
    text = "FINDINGS: Lytic lesion in the T9 vertebral body. These findings are consistent with metastatic disease."
    assert labels(extractor, text)["bone_metastasis"] == "present"


def test_pointing_back_to_a_liver_lesion_is_not_bone(extractor: Extractor) -> None:
    text = "FINDINGS: Several hypodense hepatic lesions. These are consistent with metastases."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_benign_explanation_in_the_next_sentence_applies(extractor: Extractor) -> None:
    text = "FINDINGS: Small sclerotic focus in the right ilium. This represents a bone island."
    out = labels(extractor, text)
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


def test_a_benign_finding_without_pointing_back_explains_nothing(extractor: Extractor) -> None:
    text = "FINDINGS: Small sclerotic focus in the right ilium. Hemangioma in the liver."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_fracture_possibly_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Compression fracture of T8, possibly pathologic.")
    assert out["pathologic_fracture"] == "possible" and out["fracture"] == "present"


@pytest.mark.parametrize("tail", ["r/o pathologic", "rule out pathologic", "query pathological"])
def test_a_fracture_whose_pathologic_cause_is_to_be_ruled_out_is_a_possible_one(extractor: Extractor, tail: str) -> None:
    out = labels(extractor, f"XR LUMBAR SPINE\nFINDINGS: Compression fracture of L3, {tail}.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("possible", "present")


def test_a_fracture_whose_tumor_cause_is_hedged_is_a_possible_pathologic_one(extractor: Extractor) -> None:
    out = labels(extractor, "XR THORACIC SPINE\nFINDINGS: Compression fracture of T9 due to possible metastasis.")
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("possible", "present", "possible")


def test_a_lesion_underlying_a_fracture_is_not_explained_by_it(extractor: Extractor) -> None:
    out = labels(extractor, "XR THORACIC SPINE\nFINDINGS: Collapse of T9 with an underlying lesion.")
    assert out["bone_metastasis"] == "possible"


def test_an_underlying_lesion_in_the_next_sentence_takes_the_fracture_s_bone(extractor: Extractor) -> None:
    out = labels(extractor, "XR THORACIC SPINE\nFINDINGS: Compression fracture of T9. An underlying lesion is not excluded.")
    assert out["bone_metastasis"] == "possible"


def test_no_underlying_lesion_in_the_next_sentence_denies_one(extractor: Extractor) -> None:
    out = labels(extractor, "XR CHEST\nFINDINGS: Healing fracture of the left 6th rib. No underlying lesion.")
    assert (out["bone_metastasis"], out["fracture"]) == ("absent", "present")


def test_a_fracture_not_excluded_to_be_pathologic_is_a_possible_pathologic_one(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Wedge fracture of T11. The fracture is not excluded to be pathologic.")
    assert out["pathologic_fracture"] == "possible"


def test_a_tumor_named_first_in_the_report_still_causes_its_fracture(extractor: Extractor) -> None:
    # with no header the tumor is the report's first mention (id 0), which is still a cause
    out = labels(extractor, "Osteolytic metastasis at L4 resulting in vertebral collapse.")
    assert (out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "present")


def test_bare_sclerosis_of_a_healing_fracture_is_not_its_tumor(extractor: Extractor) -> None:
    text = "XR FOOT\nFINDINGS: Band of sclerosis in the third metatarsal with callus, representing a healing stress fracture."
    out = labels(extractor, text)
    assert (out["pathologic_fracture"], out["bone_metastasis"], out["fracture"]) == ("not_mentioned", "not_mentioned", "present")


def test_a_sclerotic_lesion_with_a_fracture_through_it_stays_a_cause(extractor: Extractor) -> None:
    text = "XR FEMUR\nFINDINGS: Sclerotic lesion of the femoral shaft with a fracture through it."
    assert labels(extractor, text)["pathologic_fracture"] == "present"


def test_a_malignant_compression_fracture_is_tumor_in_bone(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nFINDINGS: Appearance favors a malignant compression fracture at T5.")
    assert (out["pathologic_fracture"], out["bone_metastasis"]) == ("present", "present")


def test_a_malignant_appearing_fracture_is_read_as_called_malignant(extractor: Extractor) -> None:
    out = labels(extractor, "MRI LUMBAR SPINE\nIMPRESSION: Malignant-appearing collapse of L4.")
    assert out["pathologic_fracture"] == "present"


def test_a_pathologic_fracture_word_alone_adds_no_metastasis_site(extractor: Extractor) -> None:
    # guard: "pathologic" alone keeps its documented reading (a possible lesion beneath, not a named metastasis)
    out = labels(extractor, "CT CHEST\nFINDINGS: Pathologic fracture of the left 7th rib.")
    assert out["pathologic_fracture"] == "present" and out["bone_metastasis"] != "present"


def test_fracture_not_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Compression fracture of T8, not pathologic.")
    assert (out["pathologic_fracture"], out["fracture"]) == ("absent", "present")  # denied, as "no pathologic fracture"


def test_a_cause_in_the_next_sentence(extractor: Extractor) -> None:
    text = "FINDINGS: Compression fracture of T8. This is likely secondary to the known multiple myeloma."
    assert labels(extractor, text)["pathologic_fracture"] == "present"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [("Compression fracture of T8 due to osteoporosis rather than metastasis.", "absent"),  # the tumour denied (session 32)
     ("Compression fracture of T8 from osteoporosis versus metastatic disease.", "not_mentioned")],
)
def test_rather_than_and_versus_never_make_a_cause(extractor: Extractor, sentence: str, status: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["pathologic_fracture"] == status


# --- vocabulary (#11 item 8) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Small avulsion fragment off the lateral malleolus.", "Wedge deformity of T11."],
)
def test_fracture_words(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


def test_wedging_alone_is_a_possible_fracture(extractor: Extractor) -> None:
    """A shape named alone: how a compression fracture looks, not the report saying there is one."""
    assert labels(extractor, "FINDINGS: Mild anterior wedging of the T7 vertebral body.")["fracture"] == "possible"


@pytest.mark.parametrize(
    "sentence",
    ["Mass effect on the thecal sac and cord at T5 from epidural tumor.", "Compressive myelopathy at C4-5."],
)
def test_cord_compression_said_with_the_sac_or_as_myelopathy(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"IMPRESSION: {sentence}")["cord_compression"] == "present"


def test_mass_effect_on_the_sac_alone_is_not_cord_compression(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Mass effect on the thecal sac.")["cord_compression"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Dorsal epidural mass with compression of the thecal sac and spinal cord at T9.",
     "Large extrusion at L4-L5 with effacement of the thecal sac and cauda equina."],
)
def test_the_cord_named_after_the_sac_is_compressed_and_the_sac_is_stenosis(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"IMPRESSION: {sentence}")
    assert out["cord_compression"] == "present" and out["degenerative"]["spinal_stenosis"] == "present"


def test_no_compression_of_the_sac_or_cord_denies_both(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Mild bulge at C5-C6 without compression of the thecal sac or cord.")
    assert out["cord_compression"] == "absent" and out["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "sentence",
    ["Mild loss of height of the T12 vertebral body.", "Loss of height of T12, age indeterminate.",
     "Height loss of the L1 vertebral body.", "T11 vertebral body height loss.", "30% loss of vertebral body height at L2.",
     "Mild loss of height of the superior endplate of L3."],
)
def test_height_loss_of_a_vertebral_body_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    """A vertebral body that lost height is a compression deformity (labels.md), whatever words name the level."""
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


@pytest.mark.parametrize("sentence", ["Loss of height at L4-L5.", "Height loss at L4/5.", "L5-S1 height loss."])
def test_height_loss_at_a_disc_level_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    """A level written as two vertebrae is a disc's: its height loss is the disc's, never a fracture."""
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_no_loss_of_vertebral_body_height_denies_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No loss of vertebral body height.")["fracture"] == "absent"


@pytest.mark.parametrize(
    "sentence",
    ["Near complete collapse of the T8 vertebral body.", "Further collapse of L2 since the prior study.",
     "Collapse of a midthoracic vertebral body.", "Vertebra plana at T6."],
)
def test_a_collapsed_vertebral_body_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


@pytest.mark.parametrize("sentence", ["Severe collapse at L4-5 with endplate sclerosis.", "Collapse of the L5-S1 disc space."])
def test_collapse_at_a_disc_level_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"EXAM: MRI lumbar spine\nFINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_collapse_at_a_disc_level_is_disc_height_loss(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: MRI lumbar spine\nFINDINGS: Severe collapse at L4-5 with endplate sclerosis.")
    assert out["degenerative"]["disc_degeneration"] == "present"


def test_wedging_called_a_fracture_is_a_present_fracture(extractor: Extractor) -> None:
    text = "FINDINGS: Anterior wedging of T9, consistent with a compression fracture."
    assert labels(extractor, text)["fracture"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["The dialysis catheter is fractured.", "Fractured pacing lead in the right ventricle.",
     "Fracture of the guide wire tip.", "Two broken sternotomy wires.",
     "Two of the pedicle screw heads have fractured off.", "A broken screw at L4.", "Rod fracture on the left.",
     "Fractured right L5 pedicle screw.", "The right S1 screw shank is fractured just below its head.",
     "The intramedullary nail is fractured at its tip."],
)
def test_device_fractures_are_not_fractures(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["The nuts were tightened and the heads were twisted and snapped off.", "The reduction tabs were then broken off."],
)
def test_break_off_screw_parts_snapped_off_are_not_fractures(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"OPERATIVE FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_the_fracture_table_a_patient_lies_on_is_no_fracture(extractor: Extractor) -> None:
    text = "OPERATIVE FINDINGS: Supine on the fracture table. The nail was passed without difficulty."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_a_fractured_pars_beside_the_repair_screw_is_a_fracture(extractor: Extractor) -> None:
    text = "POSTOPERATIVE DIAGNOSIS: Fractured right L5 pars interarticularis and a loose screw."
    assert labels(extractor, text)["fracture"] == "present"


@pytest.mark.parametrize(
    "phrase", ["Pathologic L1 compression fracture.", "Pathologic femur fracture.",
               "Pathological right subtrochanteric femoral fracture."],
)
def test_a_pathologic_fracture_may_name_its_level_and_bone_between(extractor: Extractor, phrase: str) -> None:
    assert labels(extractor, f"IMPRESSION: {phrase}")["pathologic_fracture"] == "present"


def test_a_non_pathologic_fracture_is_no_pathologic_fracture(extractor: Extractor) -> None:
    got = labels(extractor, "IMPRESSION: Non-pathologic L1 compression fracture.")
    assert got["fracture"] == "present" and got["pathologic_fracture"] != "present"


def test_a_bone_head_fractured_is_still_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: The radial head is fractured.")["fracture"] == "present"  # guard: no "off"


@pytest.mark.parametrize(
    "sentence",
    ["The nucleus was fractured into quadrants and emulsified.", "Fractured tooth with a retained root.",
     "There is a fracture of the costal cartilage.", "The thyroid cartilage was then intentionally fractured."],
)
def test_fractures_of_what_is_not_bone_are_not_fractures(extractor: Extractor, sentence: str) -> None:
    """labels.md: 'any bone fracture'. A lens nucleus, a tooth and cartilage are not bone; a surgeon's deliberate
    fracture is a step of the operation, not a finding."""
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_a_mandible_fracture_through_a_tooth_socket_is_a_fracture(extractor: Extractor) -> None:
    text = "FINDINGS: Fracture of the left mandibular angle through the socket of a molar tooth."
    assert labels(extractor, text)["fracture"] == "present"


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [("Areas of sclerosis in both iliac bones.", "blastic"), ("Ill-defined lucency in the proximal femur.", "lytic"),
     ("There is a lesion in the right ilium. It may be purely lytic.", "lytic")],
)
def test_lesion_pattern_nouns_and_predicates(extractor: Extractor, sentence: str, pattern: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["lesion_pattern"] == [pattern]


def test_sclerosis_beside_degenerative_findings_is_not_a_lesion(extractor: Extractor) -> None:
    text = "FINDINGS: Disc space narrowing at C5-6 with sclerosis and osteophytes."
    assert labels(extractor, text)["lesion_pattern"] == []


def test_sclerosis_away_from_bone_is_not_a_lesion(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Mild sclerosis of the aortic valve leaflets.")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["A disc extrusion causes deformity of the ventral aspect of the cord.",
     "The epidural mass pushes the cauda equina against the L2 vertebral body."],
)
def test_cord_compression_with_words_between(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["cord_compression"] == "present"


def test_eponymous_injuries_are_not_bone_lesions(extractor: Extractor) -> None:
    text = "FINDINGS: Hill-Sachs lesion of the posterolateral humeral head and a bony Bankart lesion of the glenoid."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_tnm_m0_is_absent_metastasis(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Rectal adenocarcinoma, T3 N1 M0.")["bone_metastasis"] == "absent"


def test_tnm_m1_without_a_site_is_possible(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Rectal adenocarcinoma, T3 N1 M1.")["bone_metastasis"] == "possible"


def test_radioiodine_scan_is_not_a_bone_scan(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: I-131 whole body scan\nFINDINGS: Findings consistent with metastatic disease.")
    assert out["bone_metastasis"] == "possible" and out["modalities"] == ["NM"]


def test_a_lytic_myeloma_lesion_is_both(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Lytic myeloma lesion in the T5 vertebral body.")
    assert out["bone_metastasis"] == "present" and out["lesion_pattern"] == ["lytic"]


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [("Lytic metastatic lesions in the left iliac wing.", "lytic"),
     ("Sclerotic metastatic foci throughout the thoracic spine are unchanged.", "blastic"),
     ("Mixed lytic and sclerotic metastatic deposits in the sacrum.", "mixed")],
)
def test_a_lesion_called_metastatic_in_its_own_words_is_both(extractor: Extractor, sentence: str, pattern: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert out["bone_metastasis"] == "present" and out["lesion_pattern"] == [pattern]


@pytest.mark.parametrize(
    ("sentence", "pattern"),
    [("The treated sclerotic L1 lesion is unchanged.", "blastic"),
     ("Lytic T12 lesion, irradiated, without interval change.", "lytic")],
)
def test_a_bone_lesion_called_treated_is_a_metastasis(extractor: Extractor, sentence: str, pattern: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert out["bone_metastasis"] == "present" and out["lesion_pattern"] == [pattern]


def test_an_untreated_sclerotic_lesion_stays_unexplained(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Sclerotic lesion of the L1 vertebral body, unchanged.")
    assert out["bone_metastasis"] == "possible"  # guard: the density alone does not call it a metastasis


def test_a_denied_metastatic_lesion_of_a_pattern_is_absent(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: No sclerotic metastatic lesions in the spine.")
    assert out["bone_metastasis"] == "absent" and out["lesion_pattern"] == []


@pytest.mark.parametrize("sentence", ["Lymphoma involving the L3 vertebral body.", "Plasmacytoma of the right sixth rib."])
def test_malignancy_in_bone_counts_like_metastasis(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "present"


# --- degenerative findings need the spine (#11 item 5 of the list: spine tie) ---------------------


@pytest.mark.parametrize(
    "sentence",
    ["Degeneration of the posterior labrum.", "Degenerative signal in the medial meniscus.",
     "A small amount of herniated mesenteric fat.", "Tricompartmental spurring.", "Spurring of the patella.",
     "Small ventral herniation."],
)
def test_degenerative_words_away_from_the_spine_do_not_count(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")["degenerative"]
    assert set(out.values()) == {"not_mentioned"}


def test_a_bare_degenerative_word_on_a_spine_exam_counts(extractor: Extractor) -> None:
    text = "EXAM: MRI LUMBAR SPINE\nFINDINGS: Mild degenerative changes."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "present"


def test_a_bare_degenerative_word_at_a_spine_level_counts(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Anterior osteophytes at C5 and C6.")["degenerative"]["spondylosis"] == "present"


def test_a_bare_degenerative_word_with_no_spine_anywhere_does_not_count(extractor: Extractor) -> None:
    text = "EXAM: CT ABDOMEN\nFINDINGS: Mild degenerative changes. Small hiatal hernia."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "not_mentioned"


# --- sites of metastasis -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "diagnosis", ["Metastatic renal cell carcinoma.", "Metastatic transitional cell carcinoma of the bladder."]
)
def test_the_primary_organ_is_not_the_site_of_spread(extractor: Extractor, diagnosis: str) -> None:
    assert labels(extractor, f"IMPRESSION: {diagnosis}")["bone_metastasis"] == "possible"


def test_spread_to_an_organ_beside_a_primary_is_not_bone(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Metastatic colon cancer to the liver.")["bone_metastasis"] == "not_mentioned"


def test_a_brain_lobe_is_not_bone(extractor: Extractor) -> None:
    text = "IMPRESSION: Resection of a right frontoparietal metastasis."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_negation_glued_to_punctuation(extractor: Extractor) -> None:
    text = "IMPRESSION: Small vessel disease.,No demonstrated calvarial metastases."
    assert labels(extractor, text)["bone_metastasis"] == "absent"


def test_no_destructive_change_is_absent(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No bony destructive change.")["bone_metastasis"] == "absent"


def test_tnm_beside_an_organ_still_counts(extractor: Extractor) -> None:
    text = "IMPRESSION: Stage T2, N1, M1 adenocarcinoma of the lung."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_osteoporotic_pathologic_fracture_is_a_fracture_only(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Severe osteoporosis with pathologic compression fractures of T11 and T12.")
    assert out["pathologic_fracture"] == "not_mentioned" and out["fracture"] == "present"


def test_a_pathologic_fracture_beside_myeloma_and_osteoporosis_stays_pathologic(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Osteoporosis and multiple myeloma with a pathologic fracture of T11.")
    assert out["pathologic_fracture"] == "present"


def test_a_fractured_catheter_with_words_between_is_not_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Fractured and retained intrathecal catheter.")["fracture"] == "not_mentioned"


def test_a_fractured_bone_beside_a_device_is_a_fracture(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Fractured rib and chest tube in place.")["fracture"] == "present"


@pytest.mark.parametrize(
    ("sentence", "key"),
    [("Left paracentral disc at L5-S1 contacting the S1 root.", "disc_herniation"),
     ("Narrowing of the L4-5 disc space.", "disc_degeneration"), ("Cervical stenosis.", "spinal_stenosis")],
)
def test_more_degenerative_phrasings(extractor: Extractor, sentence: str, key: str) -> None:
    assert labels(extractor, f"EXAM: MRI SPINE\nFINDINGS: {sentence}")["degenerative"][key] == "present"


def test_sclerosis_listed_with_disc_space_narrowing_is_endplate_sclerosis(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Degenerative changes at C5-6 with disc space narrowing, sclerosis and osteophytes.")
    assert out["degenerative"]["endplate_changes"] == "present" and out["bone_metastasis"] == "not_mentioned"


def test_a_denied_association_does_not_negate_the_finding(extractor: Extractor) -> None:
    text = "FINDINGS: Intramedullary lesion, not clearly associated with the moderate spinal stenosis at C5-6."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_borderline_to_mild_is_a_degree(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Borderline-to-mild cord compression at C5-6.")["cord_compression"] == "present"


def test_prior_cord_compression_is_history(extractor: Extractor) -> None:
    text = "IMPRESSION: Hyperreflexia from a myelopathy after prior cord compression."
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_the_dura_bulging_is_not_a_disc_bulge(extractor: Extractor) -> None:
    text = "FINDINGS: After the laminectomy at L4 the dura was seen to bulge freely."
    assert labels(extractor, text)["degenerative"]["disc_bulge"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Collapse of L2 with the posterior cortex bulging into the canal.",
     "T10 fracture with bulging of the posterior vertebral body wall."],
)
def test_a_vertebral_wall_bulging_is_not_a_disc_bulge(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"MRI THORACIC SPINE\nFINDINGS: {sentence}")
    assert out["degenerative"]["disc_bulge"] == "not_mentioned" and out["fracture"] == "present"


def test_a_disc_bulge_beside_a_fracture_still_counts(extractor: Extractor) -> None:
    out = labels(extractor, "MRI LUMBAR SPINE\nFINDINGS: L1 compression fracture. At L4-5 a small disc bulge.")
    assert out["degenerative"]["disc_bulge"] == "present"  # guard


@pytest.mark.parametrize(
    "sentence",
    ["The fracture line extends into the joint.", "This fracture may lead to instability.",
     "Salter-Harris fracture through the growth plate of the distal radius."],
)
def test_bone_fractures_near_device_words_stay_fractures(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


def test_a_lucency_along_a_fracture_is_not_a_lesion(extractor: Extractor) -> None:
    text = "FINDINGS: Linear lucency through the distal radius consistent with a nondisplaced fracture."
    out = labels(extractor, text)
    assert out["fracture"] == "present" and out["lesion_pattern"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Lucency around the left S1 screw suggests loosening.", "There is lucency surrounding the L5 pedicle screws.",
        "The L5 pedicle screws are intact with no surrounding lucency.",  # the device named first
    ],
)
def test_a_lucency_around_a_screw_named_by_its_level_is_loosening_not_a_lesion(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"EXAM: LUMBAR SPINE 2 VIEWS\nFINDINGS: Posterior fusion L4-S1. {sentence}")
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


def test_a_lucency_in_a_vertebra_beside_hardware_is_still_a_lesion(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: LUMBAR SPINE 2 VIEWS\nFINDINGS: Posterior fusion. Lucency in the L2 vertebral body.")
    assert out["lesion_pattern"] == ["lytic"]


def test_a_sclerotic_rim_is_not_a_blastic_lesion(extractor: Extractor) -> None:
    text = "FINDINGS: Lytic lesion with a thin sclerotic rim in the distal femur."
    assert labels(extractor, text)["lesion_pattern"] == ["lytic"]


def test_a_dummy_it_does_not_point_back(extractor: Extractor) -> None:
    text = "FINDINGS: The cartilage was divided along the anterior spine. It was evident that the tumor had spread."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Lucency crosses the posterior left tenth rib.", "Obliquely oriented lucency in the right twelfth rib.",
     "Nuclear sclerotic and cortical cataract."],
)
def test_fracture_lines_and_eyes_are_not_bone_lesions(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "not_mentioned"


def test_sclerotic_endplates_are_endplate_changes(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Sclerotic vertebral body endplates in the thoracic spine.")
    assert out["degenerative"]["endplate_changes"] == "present" and out["lesion_pattern"] == []


def test_pointing_back_needs_a_finding_in_the_sentence_before(extractor: Extractor) -> None:
    text = "FINDINGS: Mild thoracic spine degenerative change. These findings could represent lymphoma."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_bone_flap_is_not_a_bone_site(extractor: Extractor) -> None:
    text = "FINDINGS: A bone flap was raised over the tumor and the dura was opened."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_tnm_m1_with_a_bone_site_is_present(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: Prostate adenocarcinoma, T3 N1 M1b (bone).")["bone_metastasis"] == "present"


def test_templated_none_seen(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS:\nFractures: none seen.\n")["fracture"] == "absent"


def test_sclerosis_right_after_degenerative_findings_is_theirs(extractor: Extractor) -> None:
    text = "FINDINGS: Large osteophytes at L3-4 and L4-5. The posterior elements of L4 and L5 are sclerotic."
    assert labels(extractor, text)["lesion_pattern"] == []


@pytest.mark.parametrize(
    ("line", "key", "expected"),
    [("Disc herniation: none.", "disc_herniation", "absent"), ("Spondylolisthesis: yes.", "spondylolisthesis", "present"),
     ("Central canal stenosis: equivocal.", "spinal_stenosis", "possible")],
)
def test_templated_lines_for_degenerative_keys(extractor: Extractor, line: str, key: str, expected: str) -> None:
    text = f"EXAM: MRI LUMBAR SPINE\nFINDINGS:\n{line}\n"
    assert labels(extractor, text)["degenerative"][key] == expected


@pytest.mark.parametrize(
    "sentence",
    ["A marrow lesion in the L2 vertebral body with low T1-weighted signal.",
     "A marrow lesion in the L2 vertebral body with blooming on T2* images.",
     "A marrow lesion in the L2 vertebral body, bright on STIR and FLAIR."],
)
def test_weighted_and_starred_sequences_are_not_levels(extractor: Extractor, sentence: str) -> None:
    assert locations_of(extractor, f"FINDINGS: {sentence}", "marrow lesion") == ["L2"]


# --- Open-i development misses, as general rules (session 4) -------------------------------------------


def test_an_existence_cue_does_not_make_wedging_a_fracture(extractor: Extractor) -> None:
    """'Stable' affirms the shape, not a fracture: wedging stays a possible fracture."""
    text = "FINDINGS: Stable mild wedging of two midthoracic vertebral bodies."
    assert labels(extractor, text)["fracture"] == "possible"


def test_a_remote_fracture_is_an_old_fracture_seen_now(extractor: Extractor) -> None:
    """'remote' is 'old': the fracture is seen on this exam, even after 'status post'."""
    text = "FINDINGS: Clear lungs. Status post remote left clavicle fracture with callus."
    assert labels(extractor, text)["fracture"] == "present"


def test_a_remote_history_of_fracture_stays_history(extractor: Extractor) -> None:
    assert labels(extractor, "INDICATION: Remote history of hip fracture.")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["The most distal screw of the tibial plate is fractured.",
     "One wire in the sternum has been broken."],
)
def test_a_device_named_with_where_it_sits_is_not_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


def test_concern_for_a_finding_is_a_hedge(extractor: Extractor) -> None:
    assert labels(extractor, "IMPRESSION: There is concern for a left rib fracture.")["fracture"] == "possible"


def test_degenerative_spondylosis_needs_no_spine_site(extractor: Extractor) -> None:
    """Spondylosis is of the spine by definition, on a chest film as on a spine film."""
    text = "EXAM: Chest two views\nFINDINGS: Clear lungs. Mild degenerative spondylosis."
    assert labels(extractor, text)["degenerative"]["spondylosis"] == "present"


# --- words that name bone only beside a bone (session 5) ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Old infarct with destruction of the right cerebellar hemisphere.",
     "The facet nerves were treated by radiofrequency destruction at L3 and L4.",
     "Billing line: destruction by neurolytic agent, lumbar facet joint nerve.",
     "Caries has caused destruction of the crowns of two lower molars.",
     "The medial branch nerve at L5 was destroyed with radiofrequency ablation."],
)
def test_destruction_of_something_other_than_bone_is_no_bone_lesion(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


@pytest.mark.parametrize(
    "sentence",
    ["There is destruction of the right L4 pedicle.",
     "Destruction involving the T9 vertebral body.",
     "The left sixth rib is destroyed at the site of the mass."],
)
def test_destruction_at_a_bone_site_is_a_lytic_lesion(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["lytic"]


def test_destruction_that_says_bone_needs_no_site(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Clear lungs. No bony destruction.")["bone_metastasis"] == "absent"


def test_a_bare_denied_destruction_denies_no_bone_lesion(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: The sinus cyst shows no destruction.")["bone_metastasis"] == "not_mentioned"


def test_a_destructive_process_keeps_needing_no_site(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: No destructive process.")["bone_metastasis"] == "absent"


def test_destruction_beside_a_fracture_still_counts(extractor: Extractor) -> None:
    """A lucency beside a fracture is the fracture's; destruction of the same bone is a lesion of its own."""
    out = labels(extractor, "FINDINGS: Collapse of L1 with destruction of its right pedicle.")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["lytic"]


def test_destruction_of_the_brain_cortex_is_not_bone(extractor: Extractor) -> None:
    out = labels(extractor, "FINDINGS: Destruction of the cerebral cortex after the bleed.")
    assert out["bone_metastasis"] == "not_mentioned" and out["lesion_pattern"] == []


@pytest.mark.parametrize(
    "sentence",
    ["A skin incision was made over the area of bony prominence.",
     "Gelfoam covered the areas of cortical exposure over the parietal lobe.",
     "An area of bone loss remains at the old graft donor site.",
     "There is an area of cortical destruction in the right temporal lobe from the old infarct."],
)
def test_an_area_of_bone_is_a_lesion_only_when_the_bone_is_destroyed(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["lesion_pattern"] == []


@pytest.mark.parametrize(
    "sentence",
    ["A focus of bony destruction in the L3 vertebral body.",
     "An area of cortical erosion in the left femoral shaft.",
     "An area of lucency in the right iliac bone."],
)
def test_an_area_of_destroyed_or_lucent_bone_is_lytic(extractor: Extractor, sentence: str) -> None:
    out = labels(extractor, f"FINDINGS: {sentence}")
    assert out["bone_metastasis"] == "possible" and out["lesion_pattern"] == ["lytic"]


@pytest.mark.parametrize(
    "sentence",
    ["The infraspinatus tendon was avulsed from its footprint.",
     "We made sure the quadriceps tendon was not avulsed from the patella.",
     "Complete avulsion of the distal biceps tendon.",
     "Avulsion lacerations over the dorsum of the hand were closed.",
     "An avulsed upper incisor was reimplanted."],
)
def test_a_soft_tissue_avulsion_is_not_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["A small bony avulsion off the tip of the medial malleolus.",
     "Avulsion fracture of the ischial tuberosity.",
     "Tiny avulsion at the base of the fifth metatarsal.",
     "Avulsion of the tibial spine.",
     "Achilles tendon avulsion fracture of the posterior calcaneus."],
)
def test_an_avulsion_that_says_bone_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["Ellis class III fracture of tooth #9.",
     "Dental fracture of the lower left molar.",
     "The tooth was split and fractured with the elevator.",
     "Fractured right upper incisor.",
     "Grade 2 splenic fracture with a small perisplenic hematoma.",
     "Penile fracture with a tear of the tunica."],
)
def test_a_tooth_or_organ_fracture_is_not_a_bone_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Fracture of the mandible through the socket of tooth #30.",
     "Fractured nasal bones and a fractured tooth."],
)
def test_a_bone_fracture_beside_a_tooth_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


@pytest.mark.parametrize(
    "sentence", ["She reached her target METs with no angina.", "Achieved optimum METs on the Bruce protocol."]
)
def test_metabolic_equivalents_without_a_number_are_not_metastases(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "not_mentioned"


def test_mets_in_capitals_at_a_bone_site_stay_metastases(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Breast cancer with METS to the lumbar spine.")["bone_metastasis"] == "present"


@pytest.mark.parametrize(
    "sentence", ["The fascia was divided with sharp Mets.", "The sac was opened with curved Mets scissors."]
)
def test_metzenbaum_scissors_are_not_metastases(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["bone_metastasis"] == "not_mentioned"


def test_mets_after_with_stay_metastases(extractor: Extractor) -> None:
    assert labels(extractor, "FINDINGS: Prostate cancer with mets to the ribs.")["bone_metastasis"] == "present"


# --- spine words that are not the spine, and predicative stenosis (session 5) ------------------------


@pytest.mark.parametrize(
    "text",
    ["PROCEDURE: The tube was coagulated with bipolar cautery until complete desiccation.",
     "PROCEDURE: Saline irrigation kept the nerve from desiccation."],
)
def test_bare_desiccation_away_from_the_spine_is_no_disc_finding(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "not_mentioned"


@pytest.mark.parametrize(
    "text",
    ["FINDINGS: Desiccation of the L4-5 disc.",
     "FINDINGS: The lower lumbar discs are mildly desiccated.",
     "EXAM: MRI LUMBAR SPINE\nFINDINGS: Desiccation at L2-3 and L3-4."],
)
def test_desiccation_of_a_disc_or_at_a_level_is_disc_degeneration(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "present"


def test_a_subluxed_limb_bone_is_not_spondylolisthesis(extractor: Extractor) -> None:
    text = "PROCEDURE: The releases let the tibia come forward in anterior subluxation of the tibia."
    assert labels(extractor, text)["degenerative"]["spondylolisthesis"] == "not_mentioned"


def test_anterior_subluxation_of_a_vertebra_is_spondylolisthesis(extractor: Extractor) -> None:
    text = "FINDINGS: There is 2 mm anterior subluxation of C5 on C6."
    assert labels(extractor, text)["degenerative"]["spondylolisthesis"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["Moderate stenosis of the proximal left vertebral artery.",
     "70% stenosis at the origin of the right vertebral artery.",
     "Subclavian stenosis just proximal to the vertebral origin.",
     "Bilateral ICA stenosis with antegrade vertebral flow."],
)
def test_a_vertebral_or_other_vessel_stenosis_is_not_spinal(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_a_vessel_stenosis_beside_a_denied_spinal_stenosis_leaves_it_absent(extractor: Extractor) -> None:
    text = "FINDINGS: Mild stenosis of the distal vertebral artery. No cervical spinal stenosis."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "absent"


def test_canal_stenosis_beside_normal_vertebral_arteries_stays_spinal(extractor: Extractor) -> None:
    text = "FINDINGS: Severe stenosis at C4-5, with normal flow voids in both vertebral arteries."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["At C6-7 the left neural foramen is severely narrowed.",
     "The right foramen is moderately narrowed.",
     "The lateral recesses are narrowed.",
     "The canal and foramina are mildly stenotic at C4-5.",
     "The C7 foramen was narrowed by spurs."],
)
def test_a_foramen_canal_or_recess_said_to_be_narrowed_is_stenosis(extractor: Extractor, sentence: str) -> None:
    assert degenerative(extractor, sentence)["spinal_stenosis"] == "present"


def test_a_foramen_said_not_to_be_narrowed_is_absent_stenosis(extractor: Extractor) -> None:
    assert degenerative(extractor, "The canal and foramina are not narrowed.")["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "text",
    ["EXAM: MRI CERVICAL SPINE\nFINDINGS: At C5-6 the disc space is narrowed.",
     "FINDINGS: The aortic valve orifice is narrowed.",
     "FINDINGS: The right external ear canal is narrowed by exostoses."],
)
def test_other_narrowed_spaces_are_not_spinal_stenosis(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_a_degenerative_and_protruding_disc_is_both(extractor: Extractor) -> None:
    out = degenerative(extractor, "At C5-6 there is a degenerative and protruding disc.")
    assert out["disc_degeneration"] == out["disc_herniation"] == "present"


def test_a_disc_said_to_be_degenerated_is_disc_degeneration(extractor: Extractor) -> None:
    assert degenerative(extractor, "The C6-7 disc is degenerated.")["disc_degeneration"] == "present"


# --- modality words (session 5) ---------------------------------------------------------------------


def modalities(extractor: Extractor, text: str) -> list[str]:
    return labels(extractor, text)["modalities"]


@pytest.mark.parametrize(
    "text",
    ["PHYSICAL EXAMINATION: Eyes: the tear film is normal.",
     "PHYSICAL EXAMINATION: A thin film of exudate covers the wound.",
     "PROCEDURE: The wound was dressed with a transparent film dressing."],
)
def test_a_film_that_is_no_radiograph_is_no_xr(extractor: Extractor, text: str) -> None:
    assert modalities(extractor, text) == []


@pytest.mark.parametrize(
    "sentence",
    ["An intraoperative cholangiogram showed free flow into the duodenum.",
     "A fistulogram showed a short tract to the skin.",
     "The wrist arthrogram showed a leak through the ligament.",
     "Venography showed a patent left iliac vein."],
)
def test_a_contrast_study_done_is_xr(extractor: Extractor, sentence: str) -> None:
    assert modalities(extractor, f"FINDINGS: {sentence}") == ["XR"]


def test_a_ct_arthrogram_is_ct(extractor: Extractor) -> None:
    assert modalities(extractor, "FINDINGS: CT arthrogram of the hip shows a labral tear.") == ["CT"]


def test_a_chest_film_is_still_xr(extractor: Extractor) -> None:
    assert modalities(extractor, "FINDINGS: The chest film shows clear lungs.") == ["XR"]


# --- predicative phrasing of spine findings (phrasing audit, s5) -----------------------------------


def spine(extractor: Extractor, sentence: str, title: str = "MRI THORACIC SPINE") -> dict[str, Any]:
    return labels(extractor, f"EXAM: {title}\nFINDINGS: {sentence}")


@pytest.mark.parametrize(
    "sentence",
    ["The spinal cord is not compressed.",
     "At T9-10 the cord is not flattened.",
     "The conus was not deformed by the fragment.",
     "The cauda equina is not compressed at any level.",
     "The cord is not significantly displaced."],
)
def test_a_denied_passive_cord_compression_is_absent(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence)["cord_compression"] == "absent"


def test_a_passive_cord_compression_with_a_grade_is_present(extractor: Extractor) -> None:
    assert spine(extractor, "At T11-12 the cord is mildly flattened.")["cord_compression"] == "present"


def test_a_cord_checklist_line_with_no_compression_is_absent(extractor: Extractor) -> None:
    assert spine(extractor, "Cord: Normal calibre and signal, no compression.")["cord_compression"] == "absent"


def test_a_cord_checklist_line_naming_compression_is_present(extractor: Extractor) -> None:
    assert spine(extractor, "Cord: Compressed at T7 by epidural tumour.")["cord_compression"] == "present"  # guard


@pytest.mark.parametrize(
    "sentence",
    ["Cord: not compressed.", "Cord not compressed.", "The cord is of normal calibre, no compression.",
     "Spinal cord normal in calibre and signal without compression.", "No cord signal change or compression."],
)
def test_a_bare_compression_denied_after_the_cord_is_absent(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence)["cord_compression"] == "absent"


def test_a_denied_compression_fracture_after_the_cord_is_no_cord_finding(extractor: Extractor) -> None:
    out = spine(extractor, "The cord is normal in signal, no compression fracture.")
    assert (out["cord_compression"], out["fracture"]) == ("not_mentioned", "absent")


@pytest.mark.parametrize("sentence", ["Cord indented at C5/6.", "Cord mildly flattened at C6/7."])
def test_a_terse_compressed_cord_is_present(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI CERVICAL SPINE")["cord_compression"] == "present"


def test_a_displaced_stimulator_lead_is_no_cord_compression(extractor: Extractor) -> None:
    assert spine(extractor, "Spinal cord stimulator leads displaced.")["cord_compression"] == "not_mentioned"


def test_a_denied_cord_compression_beside_a_normal_sentence_stays_absent(extractor: Extractor) -> None:
    out = spine(extractor, "No cord compression. The cord is not deformed.")
    assert out["cord_compression"] == "absent"


@pytest.mark.parametrize(
    "sentence",
    ["A small protrusion at C5-6 abuts the ventral cord.",
     "The osteophyte contacts the anterior cord with no signal change.",
     "A disc bulge touches the ventral cord at C4-5."],
)
def test_a_disc_that_only_contacts_the_cord_is_no_cord_compression(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI CERVICAL SPINE")["cord_compression"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Uncovertebral spurs abut the ventral cord without deforming it.",
     "A C6-7 protrusion contacts the cord, without compression.",
     "The disc osteophyte complex touches the anterior spinal cord without flattening it."],
)
def test_contact_said_to_spare_the_cord_is_absent_cord_compression(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI CERVICAL SPINE")["cord_compression"] == "absent"


def test_a_disc_that_does_not_reach_the_cord_leaves_it_uncompressed(extractor: Extractor) -> None:
    out = spine(extractor, "A small T8-9 protrusion indents the thecal sac without contacting the cord.")
    assert out["cord_compression"] == "absent"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("At L2-3 the cauda equina nerve roots are compressed by the extrusion.", "present"),
     ("The cauda equina roots are not compressed.", "absent")],
)
def test_the_cauda_equina_roots_said_compressed_or_not(extractor: Extractor, sentence: str, expected: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["cord_compression"] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("A free disc fragment causes cord and nerve root encroachment at C6-7.", "present"),
     ("No cord or nerve root compression is seen.", "absent")],
)
def test_the_cord_sharing_its_noun_with_the_roots(extractor: Extractor, sentence: str, expected: str) -> None:
    assert spine(extractor, sentence, "MRI CERVICAL SPINE")["cord_compression"] == expected


def test_nerve_root_compression_alone_is_no_cord_compression(extractor: Extractor) -> None:
    out = spine(extractor, "Foraminal disc with nerve root compression at C6-7.", "MRI CERVICAL SPINE")
    assert out["cord_compression"] == "not_mentioned"  # guard: the root is not the cord


def test_clumped_cauda_equina_roots_are_no_compression(extractor: Extractor) -> None:
    out = spine(extractor, "The cauda equina nerve roots are clumped centrally.", "MRI LUMBAR SPINE")
    assert out["cord_compression"] == "not_mentioned"  # guard: only a compression verb counts


def test_a_cord_signal_finding_without_compression_is_absent_cord_compression(extractor: Extractor) -> None:
    out = spine(extractor, "Patchy cord hyperintensity at C4 without compression, favored inflammatory.", "MRI CERVICAL SPINE")
    assert out["cord_compression"] == "absent"


def test_a_cord_signal_finding_with_compression_is_not_read_as_spared(extractor: Extractor) -> None:
    out = spine(extractor, "Cord edema at C4 with compression by a large extrusion.", "MRI CERVICAL SPINE")
    assert out["cord_compression"] != "absent"  # guard: only "without" denies


@pytest.mark.parametrize(
    "sentence",
    ["A protrusion at C5-6 indents the ventral cord.", "The extrusion compresses the cord at C6-7.",
     "A large osteophyte flattens the ventral cord."],
)
def test_a_disc_that_indents_or_flattens_the_cord_compresses_it(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI CERVICAL SPINE")["cord_compression"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["The L3-4 disc space is mildly narrowed.",
     "The disc height at L5-S1 is severely reduced.",
     "The disc is dark on T2 at L4-5.",
     "The L2-3 disc is desiccated and collapsed.",
     "There is a dark disc at L4-5.",
     "Decreased T2 signal in the L5-S1 disc."],
)
def test_a_disc_described_as_narrowed_or_dark_is_degenerated(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["disc_degeneration"] == "present"


def test_a_disc_space_said_not_narrowed_is_absent_degeneration(extractor: Extractor) -> None:
    out = spine(extractor, "The disc spaces are not narrowed.", "MRI LUMBAR SPINE")
    assert out["degenerative"]["disc_degeneration"] == "absent"


def test_a_disc_herniation_that_is_smaller_is_no_disc_height_loss(extractor: Extractor) -> None:
    out = spine(extractor, "The disc herniation is reduced in size.", "MRI LUMBAR SPINE")
    assert out["degenerative"]["disc_degeneration"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Moderate loss of height of the L3-4 intervertebral disc space.",
     "Severe loss of the L4-L5 intervertebral disc height.",
     "Narrowing of the L2-3 disc space with endplate sclerosis.",
     "Narrowing of the L5-S1 intervertebral disc space."],
)
def test_disc_space_loss_at_a_hyphenated_level_is_degeneration(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "XR LUMBAR SPINE")["degenerative"]["disc_degeneration"] == "present"


@pytest.mark.parametrize(
    "sentence",
    ["At surgery there was near-total collapse of the C4, C5 and C6 discs.",
     "Radiographs show the discs to be partly collapsed at every level.",
     "A collapsed disk at L3-4.",
     "Marked disc collapse at L5-S1."],
)
def test_a_collapsed_disc_is_degeneration(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "XR CERVICAL SPINE")["degenerative"]["disc_degeneration"] == "present"


def test_degenerative_disc_disease_with_the_region_between_is_degeneration(extractor: Extractor) -> None:
    out = labels(extractor, "ASSESSMENT: Neck pain from degenerative cervical disk disease.")
    assert out["degenerative"]["disc_degeneration"] == "present"


def test_collapse_of_a_vertebral_body_is_no_disc_degeneration(extractor: Extractor) -> None:
    out = spine(extractor, "Partial collapse of the T11 vertebral body.", "XR THORACIC SPINE")
    assert out["degenerative"]["disc_degeneration"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["The facet joints are moderately hypertrophic at L4-5.", "The facets are hypertrophied.",
     "At L5-S1 the facet joints are arthritic.",
     "A broad bulge combined with facet and ligamentum flavum hypertrophy narrows the canal."],
)
def test_facets_described_as_hypertrophic_are_facet_arthropathy(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["facet_arthropathy"] == "present"


@pytest.mark.parametrize(
    "sentence", ["Mild hypertrophy of the facet joints at L3-4.", "Sclerosis of the L4-L5 facet joints.",
                 "Arthropathy of the bilateral lower lumbar facets."],
)
def test_a_finding_named_before_the_facets_it_is_of_is_facet_arthropathy(extractor: Extractor, sentence: str) -> None:
    out = spine(extractor, sentence, "CT LUMBAR SPINE")
    assert out["degenerative"]["facet_arthropathy"] == "present" and out["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Hypertrophy of the facet joints at L4-5.", "Mild OA of the facet joints at L5/S1.",
     "Arthropathy of the lower lumbar facets."],
)
def test_the_disease_named_before_the_facet_joints_is_facet_arthropathy(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["facet_arthropathy"] == "present"


def test_disc_degeneration_beside_facet_disease_keeps_both(extractor: Extractor) -> None:
    out = spine(extractor, "Disc degeneration at L4-5 and hypertrophy of the facet joints.", "MRI LUMBAR SPINE")
    assert (out["degenerative"]["disc_degeneration"], out["degenerative"]["facet_arthropathy"]) == ("present", "present")


def test_facet_and_uncovertebral_hypertrophy_is_both_facet_arthropathy_and_spondylosis(extractor: Extractor) -> None:
    out = spine(extractor, "At C5-6, facet and uncovertebral hypertrophy narrow the left foramen.", "MRI CERVICAL SPINE")
    assert out["degenerative"]["facet_arthropathy"] == "present"
    assert out["degenerative"]["spondylosis"] == "present"


def test_uncovertebral_and_facet_hypertrophy_is_both_in_either_order(extractor: Extractor) -> None:
    out = spine(extractor, "Multilevel uncovertebral and facet hypertrophy.", "CT CERVICAL SPINE")
    assert (out["degenerative"]["facet_arthropathy"], out["degenerative"]["spondylosis"]) == ("present", "present")


@pytest.mark.parametrize("sentence", ["Facets are normal.", "The facets are not hypertrophied."])
def test_facets_said_normal_are_absent_facet_arthropathy(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["facet_arthropathy"] == "absent"


def test_facets_hypertrophic_before_a_normal_word_still_count(extractor: Extractor) -> None:
    out = spine(extractor, "Facets hypertrophic, with normal alignment.", "MRI LUMBAR SPINE")
    assert out["degenerative"]["facet_arthropathy"] == "present"


@pytest.mark.parametrize(
    "line", ["Facets: mild hypertrophy at L3-4 through L5-S1.", "Facet joints: moderate bilateral arthropathy."]
)
def test_a_templated_facet_line_with_a_degenerative_word_is_facet_arthropathy(extractor: Extractor, line: str) -> None:
    assert spine(extractor, line, "MRI LUMBAR SPINE")["degenerative"]["facet_arthropathy"] == "present"


@pytest.mark.parametrize(
    ("line", "key"), [("Facet joints: Normal.", "facet_arthropathy"), ("Disc spaces: Maintained.", "disc_degeneration")]
)
def test_a_templated_line_said_normal_and_nothing_more_is_absent(extractor: Extractor, line: str, key: str) -> None:
    assert spine(extractor, line, "MRI LUMBAR SPINE")["degenerative"][key] == "absent"


@pytest.mark.parametrize(
    ("line", "key"),
    [("Facet joints: Normal above L4; hypertrophy at L4-5.", "facet_arthropathy"),
     ("Disc spaces: Normal except at L5-S1.", "disc_degeneration")],
)
def test_a_templated_line_normal_only_in_part_is_not_absent(extractor: Extractor, line: str, key: str) -> None:
    assert spine(extractor, line, "MRI LUMBAR SPINE")["degenerative"][key] != "absent"


def test_a_templated_uncovertebral_line_with_hypertrophy_is_spondylosis(extractor: Extractor) -> None:
    out = spine(extractor, "Uncovertebral joints: Mildly hypertrophied at C5-6.", "MRI CERVICAL SPINE")
    assert out["degenerative"]["spondylosis"] == "present"


def test_a_templated_facet_line_said_normal_is_no_facet_finding_present(extractor: Extractor) -> None:
    assert spine(extractor, "Facets: no hypertrophy.", "MRI LUMBAR SPINE")["degenerative"]["facet_arthropathy"] != "present"


@pytest.mark.parametrize("sentence", ["Foramina widely patent.", "The canal is adequate.", "Canal capacious."])
def test_a_bare_patent_canal_on_a_spine_exam_is_absent_stenosis(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "line", ["Foramina: patent.", "Canal: patent at every level.", "Neural foramina: Patent.", "Spinal canal: Normal."]
)
def test_a_templated_canal_line_said_patent_is_absent_stenosis(extractor: Extractor, line: str) -> None:
    assert spine(extractor, line, "MRI LUMBAR SPINE")["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "line", ["Foramina: narrowed on the right at C6-7.", "Neural foramina: mild left, severe right narrowing."]
)
def test_a_templated_foramina_line_with_narrowing_is_stenosis(extractor: Extractor, line: str) -> None:
    assert spine(extractor, line, "MRI CERVICAL SPINE")["degenerative"]["spinal_stenosis"] == "present"


def test_a_patent_canal_after_a_semicolon_on_a_spine_exam_is_absent_stenosis(extractor: Extractor) -> None:
    out = spine(extractor, "Mild wedging of L1. No retropulsion; the canal is patent.", "CT LUMBAR SPINE")
    assert out["degenerative"]["spinal_stenosis"] == "absent"


def test_a_bare_patent_canal_elsewhere_is_no_spine_finding(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: CT ABDOMEN\nFINDINGS: The anal canal is patent.")
    assert out["degenerative"]["spinal_stenosis"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence", ["L3-4: moderate SCS.", "L4-5: SCS severe.", "L5-S1: mild left NFN.", "L4-5: b/l NF narrowing, mild."]
)
def test_stenosis_shorthand_on_a_spine_exam_is_stenosis(extractor: Extractor, sentence: str) -> None:
    assert spine(extractor, sentence, "MRI LUMBAR SPINE")["degenerative"]["spinal_stenosis"] == "present"


@pytest.mark.parametrize("label", ["Marrow:", "Bone marrow:", "Vertebrae:", "Vertebral bodies:"])
def test_a_templated_bone_line_label_sites_a_bare_lesion_on_its_line(extractor: Extractor, label: str) -> None:
    out = labels(extractor, f"MRI THORACIC SPINE\nFINDINGS:\n{label} Normal signal. No suspicious lesion.")
    assert out["bone_metastasis"] == "absent"


def test_a_bone_line_label_reaches_a_bounded_way_along_its_line(extractor: Extractor) -> None:
    # the look back for a line's label is bounded (one mention must not read a whole one-line report)
    filler = "Normal signal intensity throughout. " * 12  # over 400 characters between label and lesion
    out = labels(extractor, f"MRI THORACIC SPINE\nFINDINGS:\nMarrow: {filler}No suspicious lesion.")
    assert out["bone_metastasis"] == "not_mentioned"


def test_a_bare_lesion_on_the_line_after_a_bone_label_has_no_site(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nFINDINGS:\nMarrow: Normal signal.\nCord: No suspicious lesion.")
    assert out["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("label", ["Skeleton:", "Bony structures:", "Visualised bones:"])
def test_a_templated_bone_line_label_is_no_site_of_its_finding(extractor: Extractor, label: str) -> None:
    # the line's label names the organ system, not the site: the spine named after it is the site
    out = labels(extractor, f"CT CHEST\nFINDINGS:\nLungs: Clear.\n{label} Degenerative changes of the thoracic spine.")
    assert out["degenerative"]["spondylosis"] == "present"


def test_pid_on_a_spine_exam_is_a_disc_herniation(extractor: Extractor) -> None:
    out = spine(extractor, "L5/S1 PID abutting the left S1 root.", "MRI LUMBAR SPINE")
    assert out["degenerative"]["disc_herniation"] == "present"


def test_pid_in_a_gynaecology_note_is_no_disc(extractor: Extractor) -> None:
    out = labels(extractor, "CLINIC NOTE\nASSESSMENT: PID, treated with antibiotics.")
    assert out["degenerative"]["disc_herniation"] == "not_mentioned"


def test_a_valve_prolapse_is_no_disc(extractor: Extractor) -> None:
    assert labels(extractor, "ECHO\nFINDINGS: Mitral valve prolapse.")["degenerative"]["disc_herniation"] == "not_mentioned"


def test_lss_is_lumbar_spinal_stenosis(extractor: Extractor) -> None:
    out = labels(extractor, "ASSESSMENT: Symptomatic LSS at L4/5, for decompression.")
    assert out["degenerative"]["spinal_stenosis"] == "present"


def test_a_spinal_cord_stimulator_is_no_stenosis(extractor: Extractor) -> None:
    out = spine(extractor, "SCS leads terminate at T9.", "XR THORACIC SPINE")
    assert out["degenerative"]["spinal_stenosis"] == "not_mentioned"


def test_a_ccs_angina_class_is_no_stenosis(extractor: Extractor) -> None:
    out = labels(extractor, "HISTORY: Angina, CCS class 2.\nFINDINGS: Clear lungs.")
    assert out["degenerative"]["spinal_stenosis"] == "not_mentioned"


# --- fractures named by their healing or their shape ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Healing fracture of the left seventh rib.", "There is a healing fracture of the right clavicle."],
)
def test_a_healing_fracture_is_a_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"FINDINGS: {sentence}")["fracture"] == "present"


def test_a_healing_fracture_in_a_differential_is_a_possible_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "EXAM: BONE SCAN\nFINDINGS: Focal uptake in the right ninth rib, metastasis versus healing fracture.")
    assert out["fracture"] == "possible" and out["bone_metastasis"] == "possible"


@pytest.mark.parametrize(
    "sentence",
    ["The bronchoscope was wedged in the lingula and lavage was done.",
     "I wedged the scope in the posterior basal segment."],
)
def test_a_wedged_bronchoscope_is_no_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"PROCEDURE IN DETAIL: {sentence}")["fracture"] == "not_mentioned"


@pytest.mark.parametrize(
    "sentence",
    ["Mild wedging of T8.", "T12 is mildly wedged.", "Anterior wedging of two lower thoracic vertebral bodies.",
     "Stable anterior wedging."],
)
def test_vertebral_wedging_is_a_possible_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"EXAM: XR THORACIC SPINE\nFINDINGS: {sentence}")["fracture"] == "possible"


# Open-i de-identification replaces words with XXXX, often the kind of a vertebral deformity.
@pytest.mark.parametrize(
    "sentence",
    ["There is a XXXX deformity of the T10 vertebral body.", "Moderate L2 XXXX deformity, unchanged.",
     "Lower thoracic XXXX deformities.", "XXXX deformities within the lower thoracic spine."],
)
def test_a_vertebral_deformity_of_a_redacted_kind_is_a_possible_fracture(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"EXAM: PA and lateral chest\nFINDINGS: Clear lungs. {sentence}")["fracture"] == "possible"


def test_a_redacted_wedge_deformity_is_a_possible_fracture(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest\nFINDINGS: Clear lungs. Slight wedge XXXX deformity of a lower thoracic vertebra."
    assert labels(extractor, text)["fracture"] == "possible"


def test_a_wedge_compression_deformity_written_out_is_a_fracture(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest\nFINDINGS: Clear lungs. Slight wedge compression deformity of a lower thoracic vertebra."
    assert labels(extractor, text)["fracture"] == "present"


def test_british_wedge_compression_of_a_vertebra_is_a_fracture(extractor: Extractor) -> None:
    text = "XR THORACIC SPINE\nFINDINGS: Mild wedge compression of T11, probably osteoporotic."
    assert labels(extractor, text)["fracture"] == "present"


def test_a_redacted_deformity_away_from_the_spine_is_no_fracture(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest\nFINDINGS: Clear lungs. Mild XXXX deformity of the anterior chest wall."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_a_biconcave_deformity_is_a_vertebral_fracture(extractor: Extractor) -> None:
    # a biconcave (central endplate) deformity is one of the three vertebral fracture shapes, as a wedge is
    assert labels(extractor, "EXAM: XR LUMBAR SPINE\nFINDINGS: Moderate biconcave deformity of L3.")["fracture"] == "present"


def test_biconcave_vertebral_bodies_alone_are_no_fracture(extractor: Extractor) -> None:
    text = "EXAM: XR LUMBAR SPINE\nFINDINGS: Biconcave vertebral bodies, in keeping with sickle cell disease."
    assert labels(extractor, text)["fracture"] == "not_mentioned"  # guard: the shape word without "deformity"


# --- metastatic spinal cord compression -------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Admitted with metastatic spinal cord compression.", "Plan: radiotherapy for MSCC.",
     "Malignant epidural spinal cord compression."],
)
def test_metastatic_cord_compression_is_cord_compression_and_possible_bone_metastasis(
    extractor: Extractor, sentence: str
) -> None:
    out = labels(extractor, f"IMPRESSION: {sentence}")
    assert out["cord_compression"] == "present" and out["bone_metastasis"] == "possible"


def test_metastatic_cord_compression_at_a_level_is_bone_metastasis(extractor: Extractor) -> None:
    out = labels(extractor, "IMPRESSION: Metastatic epidural spinal cord compression at T7.")
    assert out["cord_compression"] == "present" and out["bone_metastasis"] == "present"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MRI WHOLE SPINE\nFINDINGS: Vertebral metastases at T5 and T9. No SCC.", "absent"),
        ("MRI THORACIC SPINE\nFINDINGS: Epidural disease with SCC at T9.", "present"),
        ("CT CHEST\nFINDINGS: Collapse of T8 with SCC at T8.", "present"),
    ],
)
def test_british_scc_on_spine_imaging_or_at_a_level_is_cord_compression(
    extractor: Extractor, text: str, expected: str
) -> None:
    assert labels(extractor, text)["cord_compression"] == expected


@pytest.mark.parametrize(
    "text",
    ["CT NECK\nFINDINGS: Bulky SCC of the tongue base.", "CT CHEST\nFINDINGS: Right hilar mass, biopsy proven SCC.",
     "CT CHEST\nFINDINGS: Right hilar mass, known SCC.",
     "MRI THORACIC SPINE\nFINDINGS: Vertebral metastases from metastatic SCC. The cord is normal."],
)
def test_scc_as_squamous_cell_carcinoma_is_no_cord_compression(extractor: Extractor, text: str) -> None:
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_metastatic_scc_is_a_metastasis_with_no_organ_named(extractor: Extractor) -> None:
    out = labels(extractor, "MRI THORACIC SPINE\nIMPRESSION: Metastatic SCC in the T7 vertebral body.")
    assert (out["bone_metastasis"], out["cord_compression"]) == ("present", "not_mentioned")


# --- radiograph titles ------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["CHEST 1 VIEW", "XR HIP ONE VIEW", "ABDOMEN, 1 VIEW"])
def test_a_one_view_title_is_xr(extractor: Extractor, title: str) -> None:
    assert modalities(extractor, f"EXAM: {title}\nFINDINGS: No acute abnormality.") == ["XR"]


# --- session 12: study words that are not studies, and a fragment that is a herniation ---------------


def test_a_head_ct_told_with_an_article_is_a_ct(extractor: Extractor) -> None:
    assert modalities(extractor, "COURSE: A HCT was negative for bleeding.") == ["CT"]


def test_an_hct_with_its_value_is_a_hematocrit(extractor: Extractor) -> None:
    assert modalities(extractor, "COURSE: HCT was 29 after the transfusion.") == []


def test_a_nuclear_medicine_injection_is_no_scan(extractor: Extractor) -> None:
    text = "OPERATIVE FINDINGS: After a nuclear medicine injection at the areola, one hot node was removed."
    assert modalities(extractor, text) == []


def test_a_bulging_disc_fragment_is_a_herniation_not_a_bulge(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nFINDINGS: A bulging disc fragment lies behind the L5 body on the left."
    degenerative = labels(extractor, text)["degenerative"]
    assert (degenerative["disc_herniation"], degenerative["disc_bulge"]) == ("present", "not_mentioned")


@pytest.mark.parametrize(
    "sentence",
    [
        "IMPRESSION: Moderate left main stenosis.",
        "Left main coronary artery stenosis of about 40%.",
        "There is no stenosis in the left main.",
        "Severe proximal LAD stenosis and mild circumflex stenosis.",
        "History of severe pulmonary stenosis repaired in infancy.",
        "The diagonal shows 80% stenosis.",
        "The LAD has a 70% stenosis.",
        "The circumflex with 50-60% stenosis.",
        "The RCA has moderate stenosis.",
    ],
)
def test_a_coronary_or_pulmonary_stenosis_is_no_spinal_stenosis_mention(extractor: Extractor, sentence: str) -> None:
    record = extractor.record_for_text("t", sentence)
    assert [m["text"] for m in record["mentions"] if m["concept"] == "spinal_stenosis"] == []


def test_a_marginal_osteophyte_beside_a_stenosis_leaves_the_stenosis(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "Marginal osteophytes with moderate stenosis at L4-5.")
    assert [m["text"] for m in record["mentions"] if m["concept"] == "spinal_stenosis"] == ["moderate stenosis"]


# --- wave 32 (session 21): a finding's words stay in one sentence -------------------------------------


def test_a_tables_column_header_does_not_run_into_the_row_below(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nLevel   Disc      Canal     Facets\nL1-2    normal    normal    normal\n"
    assert labels(extractor, text)["degenerative"]["facet_arthropathy"] == "not_mentioned"


def test_a_tab_tables_column_header_does_not_run_into_the_row_below(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nLevel\tDisc\tCanal\tFacets\nL1-2\tnormal\tnormal\tnormal\n"
    assert labels(extractor, text)["degenerative"]["facet_arthropathy"] == "not_mentioned"


def test_a_generic_word_under_a_tab_tables_facets_header_is_facet_arthropathy(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nLevel\tDisc\tCanal\tFacets\nL4-5\tnormal\tpatent\tmild DJD\n"
    found = labels(extractor, text)["degenerative"]
    assert (found["facet_arthropathy"], found["spondylosis"]) == ("present", "not_mentioned")
    under_disc = "MRI LUMBAR SPINE\nLevel\tDisc\tCanal\tFacets\nL4-5\tDJD\tpatent\tnormal\n"
    assert labels(extractor, under_disc)["degenerative"]["facet_arthropathy"] != "present"


def test_a_normal_statement_wrapped_over_a_line_still_denies(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nFINDINGS: Mild L4-5 disc bulge without stenosis. The facet joints are\nnormal.\n"
    assert labels(extractor, text)["degenerative"]["facet_arthropathy"] == "absent"


@pytest.mark.parametrize(
    "words", ["2 mm anterior step-off of C4 on C5", "slip of L5 on S1", "a degenerative anterior slip at L4-5"]
)
def test_a_vertebra_displaced_on_the_next_is_a_listhesis(extractor: Extractor, words: str) -> None:
    text = f"XR LUMBAR SPINE\nFINDINGS: There is {words}. No fracture.\n"
    assert labels(extractor, text)["degenerative"]["spondylolisthesis"] == "present"


def test_an_articular_step_off_is_no_listhesis(extractor: Extractor) -> None:
    text = "CT WRIST\nFINDINGS: Distal radius fracture with 2 mm articular step-off.\n"
    assert labels(extractor, text)["degenerative"]["spondylolisthesis"] == "not_mentioned"


def test_effaced_ventral_csf_is_stenosis_unless_the_canal_is_denied_there(extractor: Extractor) -> None:
    effaced = "MRI CERVICAL SPINE\nFINDINGS: C4-5: Disc osteophyte complex effaces the ventral CSF.\n"
    assert labels(extractor, effaced)["degenerative"]["spinal_stenosis"] == "present"
    denied = effaced.replace("CSF.", "CSF. No canal stenosis at C4-5.")
    assert labels(extractor, denied)["degenerative"]["spinal_stenosis"] == "absent"


@pytest.mark.parametrize(
    "line", ["Intervertebral discs: normal in height and T2 signal.", "Discs: Normal hydration and height throughout."]
)
def test_a_templated_normal_disc_line_denies_disc_degeneration(extractor: Extractor, line: str) -> None:
    text = f"MRI LUMBAR SPINE\nFINDINGS:\n{line}\nIMPRESSION: Normal.\n"
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "absent"


def test_no_significant_disc_disease_on_the_spine_denies_disc_degeneration(extractor: Extractor) -> None:
    text = "MRI THORACIC SPINE\nFINDINGS: No significant disc disease.\n"
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "absent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TECHNIQUE: The probe was placed under intermittent CT fluoroscopy.", ["CT"]),
     ("TECHNIQUE: Cement injected under CT-fluoroscopic monitoring.", ["CT"]),
     ("TECHNIQUE: Needle placed under CT guidance; cement injected under lateral fluoroscopy.", ["CT", "XR"])],
)
def test_ct_fluoroscopy_is_ct_not_projection_fluoroscopy(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert modalities(extractor, text) == expected


# --- the treated spine and bone (session 25, wave 49) ------------------------------------------------


@pytest.mark.parametrize(
    ("finding", "expected"),
    [("No residual or recurrent disc.", "absent"),
     ("Recurrent disc versus scar at L5-S1.", "possible"),
     ("Recurrent disc at L4-5 compressing the left L5 root.", "present")],
)
def test_a_recurrent_disc_after_discectomy_is_a_herniation(extractor: Extractor, finding: str, expected: str) -> None:
    text = f"MRI LUMBAR SPINE W WO\nHISTORY: L4-5 discectomy.\nFINDINGS: {finding}\n"
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == expected


def test_vacuum_phenomenon_of_a_joint_other_than_the_spine_is_no_disc_degeneration(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: Left sacroiliac joint arthrosis with subchondral sclerosis and vacuum phenomenon.\n"
    assert labels(extractor, text)["degenerative"]["disc_degeneration"] == "not_mentioned"
    spine = text.replace("Left sacroiliac joint arthrosis with", "At L5-S1,")
    assert labels(extractor, spine)["degenerative"]["disc_degeneration"] == "present"


def test_a_lucency_that_surrounds_a_screw_is_loosening_not_a_lesion(extractor: Extractor) -> None:
    text = "CT LUMBAR SPINE\nFINDINGS: Lucency up to 3 mm surrounds both S1 screws.\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"
    assert labels(extractor, text)["lesion_pattern"] == []


def test_uptake_called_postoperative_is_explained(extractor: Extractor) -> None:
    text = "BONE SCAN\nFINDINGS: Mildly increased uptake at the L4-S1 fusion levels around the hardware, postoperative.\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"
    assert labels(extractor, text.replace(", postoperative.", "."))["bone_metastasis"] == "possible"


def test_cement_of_an_earlier_vertebroplasty_in_an_addendum_takes_back_the_lesion(extractor: Extractor) -> None:
    body = "CT CHEST\nFINDINGS: Dense focus in the T10 vertebral body, possibly a sclerotic metastasis.\n"
    assert labels(extractor, body)["bone_metastasis"] == "possible"
    addendum = body + "\nADDENDUM: The T10 density is cement from a vertebroplasty in 2023.\n"
    assert labels(extractor, addendum)["bone_metastasis"] == "not_mentioned"
    assert labels(extractor, addendum)["lesion_pattern"] == []


def test_cement_that_fills_a_metastasis_explains_nothing(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: Cement fills the lytic metastasis in the left supra-acetabular ilium.\n"
    assert labels(extractor, text)["bone_metastasis"] == "present"
    assert labels(extractor, text)["lesion_pattern"] == ["lytic"]


def test_sclerosis_said_of_a_metastasis_after_a_fracture_sentence_is_its_pattern(extractor: Extractor) -> None:
    text = ("XR FEMUR RIGHT\nFINDINGS: New fracture of the distal femoral shaft at the tip of the nail.\n"
            "The treated intertrochanteric metastasis is now sclerotic.\n")
    assert labels(extractor, text)["lesion_pattern"] == ["blastic"]
    rib = "XR RIBS\nFINDINGS: Healing fracture of the left 7th rib. Sclerosis at the fracture margins.\n"
    assert labels(extractor, rib)["lesion_pattern"] == []


# --- haematological malignancy and bone (session 26, wave 52) -------------------------------------------------------


def test_an_extramedullary_plasmacytoma_is_no_malignancy_in_bone(extractor: Extractor) -> None:
    """A plasmacytoma counts in marrow or bone (labels.md section 3); one outside the marrow is soft tissue's."""
    nasal = "ENT CLINIC\nAssessment: Solitary extramedullary plasmacytoma of the right nasal cavity.\n"
    assert labels(extractor, nasal)["bone_metastasis"] == "not_mentioned"
    rib = "CT CHEST\nIMPRESSION: Plasmacytoma of the left 5th rib with extramedullary soft tissue extension.\n"
    assert labels(extractor, rib)["bone_metastasis"] == "present"


@pytest.mark.parametrize("line", ["MM (IgG k), C4D1 Dara-VRd.", "Known MM on lenalidomide.", "IgA kappa MM, stable.",
                                  "RRMM, on fourth line."])
def test_mm_beside_its_isotype_or_a_disease_word_is_myeloma(extractor: Extractor, line: str) -> None:
    assert labels(extractor, f"HAEMATOLOGY DAY UNIT\nAssessment: {line}\n")["bone_metastasis"] == "present"


@pytest.mark.parametrize(("line", "named"), [("MM (IgG k), C4D1.", "MM (IgG k)"), ("MM (IgA-lambda) relapse.", "MM (IgA-lambda)"),
                                            ("MM (IgGk) stable.", "MM (IgGk)"), ("MM IgG kappa, VGPR.", "MM IgG kappa")])
def test_an_mm_mention_takes_its_whole_isotype_not_half_a_bracket(extractor: Extractor, line: str, named: str) -> None:
    record = extractor.record_for_text("r", f"HAEMATOLOGY DAY UNIT\nAssessment: {line}\n")
    assert [m["text"] for m in record["mentions"] if m["concept"] == "bone_malignancy"] == [named]


@pytest.mark.parametrize("line", ["Exam: MM dry, skin tenting.", "Posterior horn MM: horizontal tear.", "Measures 9 MM."])
def test_a_bare_mm_is_no_myeloma(extractor: Extractor, line: str) -> None:
    assert labels(extractor, f"NOTE\n{line}\n")["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("study", ["WBLDCT", "WB-LDCT", "LDCT"])
def test_a_whole_body_low_dose_ct_is_a_ct(extractor: Extractor, study: str) -> None:
    text = f"MYELOMA CLINIC NOTE\nResults: {study} 11/20/2026: stable lytic lesions.\nPlan: Continue.\n"
    assert labels(extractor, text)["modalities"] == ["CT"]


def test_a_sclerotic_margin_is_no_new_look_of_the_lesion(extractor: Extractor) -> None:
    """A lytic lesion "now with sclerotic margins" is still lytic; one that "has become sclerotic" is blastic."""
    margin = "CT PELVIS\nFINDINGS: The lytic myeloma lesion in the right ilium persists, now with sclerotic margins.\n"
    assert labels(extractor, margin)["lesion_pattern"] == ["lytic"]
    turned = "CT PELVIS\nFINDINGS: The lytic myeloma lesion in the right ilium has now become sclerotic.\n"
    assert labels(extractor, turned)["lesion_pattern"] == ["blastic"]
    inside = margin.replace("persists, now with sclerotic margins", "has developed sclerotic margins and internal sclerosis")
    assert labels(extractor, inside)["lesion_pattern"] == ["blastic"]


def test_a_bare_lucency_is_not_explained_by_a_degenerative_finding_at_other_levels(extractor: Extractor) -> None:
    other = "CT ABDOMEN\nFINDINGS: Stable lucency in T12; mild L3-4 disc bulge.\n"
    assert labels(extractor, other)["lesion_pattern"] == ["lytic"]
    same = "CT ABDOMEN\nFINDINGS: L4-5 disc space narrowing with subchondral lucency in L4.\n"
    assert labels(extractor, same)["lesion_pattern"] == []
    unsited = "CT ABDOMEN\nFINDINGS: Lucency in T12; mild degenerative disc disease.\n"
    assert labels(extractor, unsited)["lesion_pattern"] == []
    before = "XR L-SPINE\nFINDINGS: Large osteophytes, worst at L2-L3. Posterior elements from L4 through S1 are sclerotic.\n"
    assert labels(extractor, before)["lesion_pattern"] == []  # the sentence before names the worst of many levels


# --- osteoporosis and fragility fractures (session 27, wave 55) -------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "FRAX (with BMD): major osteoporotic fracture 14%, hip fracture 2.8%.",
        "FRAX: hip fracture: 5.1%.",
    ],
)
def test_a_frax_fracture_and_its_percentage_is_a_risk(extractor: Extractor, sentence: str) -> None:
    assert labels(extractor, f"DXA REPORT\nImpression: Osteopenia. {sentence}")["fracture"] == "not_mentioned"


def test_a_ten_year_probability_of_a_fracture_is_a_risk(extractor: Extractor) -> None:
    text = "DXA REPORT\nImpression: Osteopenia. The 10-year probability of a hip fracture is low."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_an_osteoporotic_fracture_with_its_height_loss_is_still_a_fracture(extractor: Extractor) -> None:
    text = "XR LUMBAR SPINE\nFindings: L1 osteoporotic fracture 30% anterior height loss."
    assert labels(extractor, text)["fracture"] == "present"


def test_a_problem_list_bullet_before_its_own_fracture_word_keeps_the_items_date(extractor: Extractor) -> None:
    text = "BONE HEALTH CLINIC\nProblems:\n# Left distal radius fracture (2019)\nAssessment: Osteoporosis; no new fractures."
    assert labels(extractor, text)["fracture"] == "absent"


def test_a_hash_before_a_bone_beside_a_fracture_clinic_is_still_a_fracture(extractor: Extractor) -> None:
    text = "ED DISCHARGE NOTE\nDiagnoses:\n# R clavicle - broad arm sling, fracture clinic in 1/52\n"
    assert labels(extractor, text)["fracture"] == "present"


def test_one_reading_that_cannot_be_distinguished_from_another_is_possible(extractor: Extractor) -> None:
    text = "VFA: a mild wedge fracture of T11 cannot be distinguished from a non-fracture deformity."
    assert labels(extractor, text)["fracture"] == "possible"
