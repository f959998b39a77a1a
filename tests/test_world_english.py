"""English as radiologists and clinicians write it in Britain, Ireland, Australia, India, South Africa and Canada,
and its shorthand (phrasing wave 69, session 30): each reading beside the near misses that keep it from reaching
further than it should."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reportnlp.nlp.literals import required_literal
from reportnlp.run.extractor import Extractor

PATTERNS = Path(__file__).resolve().parents[1] / "patterns"


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    record = extractor.record_for_text("t", text)
    assert record["status"] == "ok"
    return record["labels"]


def test_lscs_beside_a_spine_level_is_lumbar_canal_stenosis(extractor: Extractor) -> None:
    text = "ORTHO OPD\nc/o LBP with claudication.\nDiagnosis: Degenerative LSCS L3-4, L4-5.\nPlan: physiotherapy."
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_lscs_as_a_caesarean_section_is_no_stenosis(extractor: Extractor) -> None:
    for text in (
        "USG PELVIS\nFINDINGS: Hypoechoic defect at the LSCS scar site. No adnexal SOL.",
        "MRI LS SPINE\nFINDINGS: Normal discs. Incidental note of a post-LSCS scar in the anterior abdominal wall.",
        "MRI LS SPINE\nFINDINGS: Normal discs. Previous LSCS noted.",
        "OBSTETRIC NOTE\nAssessment: G2P1, LSCS x1, for elective repeat LSCS at 39 weeks.",
    ):
        assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "not_mentioned", text


def test_ivdp_on_spine_imaging_is_a_disc_herniation(extractor: Extractor) -> None:
    text = "MRI LS SPINE\nIMPRESSION: L5-S1 IVDP (posterocentral extrusion) compressing the left S1 root."
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "present"


def test_s_o_hedges_as_suggestive_of(extractor: Extractor) -> None:
    text = "MRI LS SPINE\nIMPRESSION: Altered marrow signal in L2 and L4 - s/o metastatic deposits."
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_a_remark_that_such_fractures_are_often_occult_names_none(extractor: Extractor) -> None:
    text = "CXR PA\nFINDINGS: No displaced rib # seen, noting that undisplaced rib fractures are often occult on CXR."
    assert labels(extractor, text)["fracture"] == "absent"


def test_a_study_under_adv_is_advised_not_done(extractor: Extractor) -> None:
    text = "MRI LS SPINE\nIMPRESSION: Altered marrow signal in L2.\n\nAdv: Bone scan correlation."
    assert labels(extractor, text)["modalities"] == ["MRI"]


def test_clinical_profile_is_the_indication(extractor: Extractor) -> None:
    text = "MRI LS SPINE\n\nClinical profile: K/c/o ca breast with bone mets.\n\nFINDINGS: Mild L4-5 disc bulge."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_query_after_a_finding_closed_by_a_dash_or_line_end_raises_it(extractor: Extractor) -> None:
    text = "CT TAP\nFINDINGS: New sclerotic focus in the T9 vertebral body - mets ? - no other lesion."
    assert labels(extractor, text)["bone_metastasis"] == "possible"
    assert labels(extractor, "XR L-SPINE\nIMPRESSION: L1 wedge # ?\n")["fracture"] == "possible"


def test_a_question_answered_in_its_line_is_no_query_after(extractor: Extractor) -> None:
    assert labels(extractor, "XR WRIST\nFINDINGS: Fracture? None seen.")["fracture"] == "absent"


def test_hash_after_a_cause_or_a_bone_part_is_a_fracture(extractor: Extractor) -> None:
    note = "NOTE\nImp: Osteoporotic # - not pathological."
    assert (labels(extractor, note)["fracture"], labels(extractor, note)["pathologic_fracture"]) == ("present", "absent")
    assert labels(extractor, "XR HAND\nFindings: 5th MC neck #.")["fracture"] == "present"


def test_hash_before_a_number_after_those_words_is_a_number(extractor: Extractor) -> None:
    for text in ("XR HAND\nFindings: old #2 noted.", "XR KNEE\nFindings: Knee #2 view is rotated."):
        assert labels(extractor, text)["fracture"] == "not_mentioned", text


def test_mscc_safety_net_advice_names_no_compression(extractor: Extractor) -> None:
    text = "GP NOTE\nImp: back pain.\nPlan: MSCC safety-net advice given verbally and in writing."
    assert labels(extractor, text)["cord_compression"] == "not_mentioned"


def test_a_dorsal_level_is_the_thoracic_level(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "MRI DL SPINE\nFINDINGS: Collapse of D6 with marrow oedema.")
    assert record["labels"]["fracture"] == "present"
    fracture = next(m for m in record["mentions"] if m["concept"] == "fracture")
    assert "T6" in [level for loc in fracture["locations"] for level in loc.get("levels", [])]


def test_vitamin_d3_and_a_cycle_day_are_no_dorsal_level(extractor: Extractor) -> None:
    for text in ("NOTE\nPlan: calcium + vit D3 daily. Collapse noted.", "NOTE\nC2 D8 today. Collapse noted."):
        assert labels(extractor, text)["fracture"] == "not_mentioned", text


def test_a_collapse_called_metastatic_is_a_pathologic_fracture(extractor: Extractor) -> None:
    out = labels(extractor, "MRI DL SPINE\nDiagnosis: Metastatic D6 vertebral collapse.")
    assert (out["pathologic_fracture"], out["fracture"], out["bone_metastasis"]) == ("present", "present", "present")


def test_a_nof_after_an_article_is_a_non_ossifying_fibroma(extractor: Extractor) -> None:
    text = "XR KNEE\nFINDINGS: Eccentric lucent lesion with a sclerotic rim in the distal femoral metaphysis, typical of a NOF."
    out = labels(extractor, text)
    assert (out["bone_metastasis"], out["lesion_pattern"]) == ("not_mentioned", [])


def test_a_nof_before_a_fracture_word_stays_the_neck_of_femur(extractor: Extractor) -> None:
    for text in ("ED NOTE\nImp: Sustained a NOF # after a fall.", "ED NOTE\nImp: a NOF fracture."):
        assert labels(extractor, text)["fracture"] == "present", text


def test_a_diagonal_branch_of_a_coronary_artery_is_no_dorsal_level(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "CORONARY ANGIOGRAM\nFINDINGS: D1 has a 25% lesion. D2 and D3 are small.")
    assert all(not loc.get("levels") for m in record["mentions"] for loc in m["locations"])


def test_an_upper_dorsal_level_reads_with_its_range_or_vertebra(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "MRI DL SPINE\nFINDINGS: Compression fracture of the D2 vertebra. Bulge at D2-3.")
    levels = {level for m in record["mentions"] for loc in m["locations"] for level in loc.get("levels", [])}
    assert {"T2", "T2-T3"} <= levels


def test_a_query_glued_to_a_line_takes_the_line_s_organ(extractor: Extractor) -> None:
    text = "CXR\nFINDINGS: Rounded opacities in both lungs, the largest in the left lower zone ? mets. No effusion."
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_consultant_s_report_replaces_the_registrar_s_preliminary_read(extractor: Extractor) -> None:
    text = ("XR PELVIS\n\nClinical: fall.\n\nRegistrar's preliminary report: ? undisplaced # of the right superior pubic ramus."
            "\n\nConsultant's report: No # is identified.\n")
    assert labels(extractor, text)["fracture"] == "absent"


def test_o_e_makes_a_clinical_note_whose_study_line_is_a_result(extractor: Extractor) -> None:
    text = ("ORTHOPAEDIC CONSULT - TRAUMA UNIT\n\nReason: thigh pain, k/c/o ca breast.\nO/E: R leg shortened.\n"
            "XR R femur (AP/lat): transverse # of the shaft through a lytic lesion.\nImp: Pathological # R femur.\n")
    record = extractor.record_for_text("t", text)
    assert record["document"]["type"] != "radiology_report"
    assert (record["labels"]["modalities"], record["labels"]["lesion_pattern"]) == (["XR"], ["lytic"])


def test_o_e_inside_a_radiology_report_s_clinical_details_changes_nothing(extractor: Extractor) -> None:
    text = "XR L-SPINE\nClinical details: LBP, O/E tender L1.\nFindings: Wedge compression # of L1."
    record = extractor.record_for_text("t", text)
    assert (record["document"]["type"], record["labels"]["fracture"]) == ("radiology_report", "present")


def test_an_urgent_study_line_with_its_clock_time_is_a_result(extractor: Extractor) -> None:
    text = ("ANAESTHETIC REVIEW\nPt had an epidural. c/o numb legs.\nO/E: power 5/5.\n"
            "Urgent MRI T-spine performed 21:15: no epidural haematoma, no cord compression.\nImpression: resolved.\n")
    out = labels(extractor, text)
    assert (out["cord_compression"], out["modalities"]) == ("absent", ["MRI"])


def test_hash_after_an_article_or_a_hedge_is_a_fracture(extractor: Extractor) -> None:
    text = "NM BONE SCAN\nFINDINGS: Focal uptake in the right 7th rib, likely a #; a metastasis cannot be excluded."
    out = labels(extractor, text)
    assert (out["fracture"], out["bone_metastasis"]) == ("present", "possible")


def test_a_hash_of_a_count_is_a_number(extractor: Extractor) -> None:
    for text in ("SPINE BOOKING\nPlan: fusion; a # of levels: 2.", "XR CHEST\n# of views: 2\nFindings: Clear lungs."):
        assert labels(extractor, text)["fracture"] == "not_mentioned", text


def test_a_hash_glued_to_the_next_word_is_a_size(extractor: Extractor) -> None:
    text = "OPERATIVE NOTE\nFindings: The pedicle was tied with an #O-tie. A #XXX band was threaded beneath the muscle."
    assert labels(extractor, text)["fracture"] == "not_mentioned"


def test_the_query_after_frame_is_read_only_where_a_question_mark_follows() -> None:
    """Its "?" is the frame's required literal: without one it ran its regex after every mention of every report."""
    frames = json.loads((PATTERNS / "context.json").read_text(encoding="utf-8"))["frame_cues"]
    (frame,) = [f for f in frames if f["id"] == "frame_query_after"]
    assert required_literal(frame["after"]) == "?"
