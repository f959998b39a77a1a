"""Label readings asked once per clause, sentence or report, not once per mention (session 24): the answers on the
small versions of the long shapes that made them quadratic (bench/adversarial.py)."""

from __future__ import annotations

from typing import Any

from reportnlp.run.extractor import Extractor


def mentions(extractor: Extractor, text: str, concept: str) -> list[dict[str, Any]]:
    return [m for m in extractor.record_for_text("t", text)["mentions"] if m["concept"] == concept]


def test_generic_study_words_add_nothing_beside_a_named_study_and_count_alone(extractor: Extractor) -> None:
    text = "XR HAND\nFINDINGS: CT and " + "films, " * 30 + "films. Films, films."
    generic = [m.get("note") is not None for m in mentions(extractor, text, "modality")[2:]]
    assert generic == [True] * 31 + [False] * 2


def test_a_recommended_study_is_done_when_the_next_sentence_reports_it_and_it_stands_alone(extractor: Extractor) -> None:
    text = ("HOSPITAL COURSE: Surgery recommended a CT of the abdomen. This showed a small abscess. Neurology "
            "recommended a CT and an MRI of the head. It showed an old infarct.")
    assert extractor.record_for_text("t", text)["labels"]["modalities"] == ["CT"]
    assert [bool(m["contributes"]) for m in mentions(extractor, text, "modality")] == [True, False, False]


def test_every_bare_lucency_of_a_clause_that_asks_about_a_fracture_is_that_fracture_s(extractor: Extractor) -> None:
    text = "CT PELVIS\nFINDINGS: " + "lucency in the left ilium, " * 30 + "doubt fracture. Lucency in the sacrum."
    counted = [bool(m["contributes"]) for m in mentions(extractor, text, "lytic_lesion")]
    assert counted == [False] * 30 + [True]


def test_each_fracture_through_it_after_a_benign_lesion_goes_through_that_lesion(extractor: Extractor) -> None:
    text = ("XR FEMUR\nFINDINGS: Lucent lesion of the femur, typical enchondroma; "
            + "pathological fracture through it, " * 30 + "end.")
    record = extractor.record_for_text("t", text)
    assert record["labels"]["pathologic_fracture"] == "present" and record["labels"]["bone_metastasis"] == "not_mentioned"


def test_only_the_fracture_followed_by_a_hedged_underlying_lesion_is_possibly_pathologic(extractor: Extractor) -> None:
    text = "CT SPINE\nFINDINGS: " + "compression fracture of T8, " * 30 + "fracture of T9, underlying lesion not excluded."
    called = [m.get("pathologic_called") for m in mentions(extractor, text, "fracture")]
    assert called == [None] * 30 + ["possible"]


def test_every_lesion_on_a_specimen_line_is_what_was_sent(extractor: Extractor) -> None:
    text = ("SURGICAL PATHOLOGY\n" + "SPECIMEN: Right iliac bone lesion, core biopsy.\n" * 30
            + "DIAGNOSIS: Metastatic carcinoma. Lytic lesion of the left femur.")
    lesions = mentions(extractor, text, "bone_lesion") + mentions(extractor, text, "lytic_lesion")
    sent = [m.get("note", "").startswith("a pathology report's specimen line") for m in lesions]
    assert sent == [True] * 30 + [False]


def test_every_fracture_of_a_sentence_takes_the_cause_the_next_sentence_gives(extractor: Extractor) -> None:
    text = "CT SPINE\nFINDINGS: Fracture of L1" + ", fracture of L2" * 30 + ". This is due to the known myeloma."
    record = extractor.record_for_text("t", text)
    causes = {m.get("pathologic_cause") for m in record["mentions"] if m["concept"] == "fracture"}
    myeloma = next(m["id"] for m in record["mentions"] if m["concept"] == "bone_malignancy")
    assert causes == {myeloma} and record["labels"]["pathologic_fracture"] == "present"


def test_site_less_hedges_go_with_the_lesions_before_them_only_when_those_are_corrected(extractor: Extractor) -> None:
    body = "MRI T SPINE\nFINDINGS: Sclerotic lesion at T10, sclerotic lesion at T11. " + "Metastasis not excluded, " * 30
    both = body + "end.\nADDENDUM: The T10 and T11 lesions are actually bone islands.\n"
    other = body + "end.\nADDENDUM: The T4 lesion is actually a bone island.\n"
    assert extractor.record_for_text("t", both)["labels"]["bone_metastasis"] == "not_mentioned"
    assert extractor.record_for_text("t", other)["labels"]["bone_metastasis"] == "possible"


def test_each_mention_s_sentence_clause_and_codes_are_its_own_though_shared(extractor: Extractor) -> None:
    text = "MRI SPINE\nFINDINGS: Mets. Mets. Disc bulge at L4-5; cord compression at T4. Mets."
    record = extractor.record_for_text("t", text)
    read = [(text[m["sentence"]["start"] : m["sentence"]["end"]], text[m["clause"]["start"] : m["clause"]["end"]])
            for m in record["mentions"] if m["concept"] != "modality"]
    both = "Disc bulge at L4-5; cord compression at T4."
    assert read == [("Mets.", "Mets."), ("Mets.", "Mets."), (both, "Disc bulge at L4-5"),
                    (both, " cord compression at T4."), ("Mets.", "Mets.")]
    codes = [m["codes"] for m in record["mentions"]]
    assert codes[1] == codes[2] == codes[5] == {"snomed": "128462008", "radlex": "RID5231"} != codes[3]


def test_each_fracture_denied_after_a_lesion_goes_through_the_lesion_before_it(extractor: Extractor) -> None:
    text = ("CT CHEST\nFINDINGS: " + "expansile lytic lesion of the left 8th rib, no fracture; " * 10
            + "rib fracture, no fracture.")
    record = extractor.record_for_text("t", text)
    lesions = [m["id"] for m in mentions(extractor, text, "lytic_lesion")]
    causes = [m.get("pathologic_cause") for m in record["mentions"] if m["concept"] == "fracture"]
    assert causes[:10] == lesions and causes[10:] == [None, None]


def test_study_labels_inside_a_one_line_history_open_nothing_and_one_below_it_opens_results(extractor: Extractor) -> None:
    text = ("CLINIC NOTE\nHPI: Back pain. " + "Outside MRI L-spine reviewed: HNP L5-S1. " * 30
            + "\nMRI L-spine 11/02: HNP L5-S1.\n")
    assert [m["section"] for m in mentions(extractor, text, "disc_herniation")] == ["history"] * 30 + ["findings"]


def test_a_plan_sentence_of_many_mentions_counts_its_study_only_when_it_says_it_was_done(extractor: Extractor) -> None:
    said = "CLINIC NOTE\nPLAN: MRI showed " + "metastasis at T10, " * 30 + "end. Bone scan to eval metastasis at T4."
    assert extractor.record_for_text("t", said)["labels"]["modalities"] == ["MRI"]
    planned = "CLINIC NOTE\nPLAN: MRI to eval " + "metastasis at T10, " * 30 + "end."
    assert extractor.record_for_text("t", planned)["labels"]["modalities"] == []


def test_a_cause_named_after_an_alternative_in_the_next_sentence_is_not_the_fracture_s(extractor: Extractor) -> None:
    text = "MRI\nFINDINGS: Compression fracture of L2. This, rather than trauma, is due to " + "metastasis, " * 30 + "end."
    assert [m.get("pathologic_cause") for m in mentions(extractor, text, "fracture")] == [None]
    plain = "MRI\nFINDINGS: Compression fracture of L2. This is due to " + "metastasis, " * 30 + "end."
    first_tumor = next(m["id"] for m in extractor.record_for_text("t", plain)["mentions"] if m["concept"] == "metastasis")
    assert [m.get("pathologic_cause") for m in mentions(extractor, plain, "fracture")] == [first_tumor]


def test_paired_preliminary_and_final_reads_on_one_line_each_keep_their_own_assertion(extractor: Extractor) -> None:
    text = "CT L-SPINE\nFINDINGS: " + "Prelim: no fracture; Final: fracture of L2, " * 30 + "end."
    record = extractor.record_for_text("t", text)
    assert [m["assertion"] for m in record["mentions"] if m["concept"] == "fracture"] == ["absent", "present"] * 30
    assert record["labels"]["fracture"] == "present"


def test_every_ct_part_of_a_pet_ct_adds_no_ct(extractor: Extractor) -> None:
    text = "PET/CT WHOLE BODY\nFINDINGS: " + "CT " * 30 + "end."
    record = extractor.record_for_text("t", text)
    parts = [m for m in record["mentions"] if m["concept"] == "modality" and m["text"] == "CT"]
    assert len(parts) == 30 and not any(m["contributes"] for m in parts)
    assert record["labels"]["modalities"] == ["PET"]


def test_findings_after_two_rules_of_one_span_take_no_level_heading(extractor: Extractor) -> None:
    text = "CT\nFINDINGS: " + "Healing fracture of the right 6th rib. The treated metastasis is now sclerotic. " * 30 + "end."
    record = extractor.record_for_text("t", text)
    fractures = [m for m in record["mentions"] if m["concept"] == "fracture"]
    assert len(fractures) == 30 and all([site["text"] for site in m["locations"]] == ["rib"] for m in fractures)
    assert not any(m["locations"] for m in record["mentions"] if m["concept"] == "metastasis")
    assert record["labels"]["fracture"] == "present"


def test_every_study_of_a_long_plan_bullet_line_is_the_plan_s_and_the_problem_line_s_is_done(extractor: Extractor) -> None:
    text = "ASSESSMENT AND PLAN:\n1. Back pain, MRI L-spine showed L4-5 HNP.\n- " + "CT chest, " * 40 + "to eval.\n"
    record = extractor.record_for_text("t", text)
    studies = [m["counts_modality"] for m in record["mentions"] if m["concept"] == "modality"]
    assert studies == [True] + [False] * 40 and record["labels"]["modalities"] == ["MRI"]
