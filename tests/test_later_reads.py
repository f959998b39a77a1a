"""A later word on a report: addenda, attestations, corrections and quoted reads (labels.md section 3, session 23)."""

from __future__ import annotations

from reportnlp.records.labels.vocabulary import WITHDRAWN
from reportnlp.run.extractor import Extractor

_BODY = "MRI THORACIC SPINE\nFindings: Epidural tumour at T9 compresses the cord.\n"


def labels(extractor: Extractor, text: str) -> dict:
    return extractor.record_for_text("t", text)["labels"]


def test_an_addendum_that_denies_the_cord_compression_takes_it_back(extractor: Extractor) -> None:
    text = _BODY + "ADDENDUM: The tumour abuts but does not compress the cord. There is no cord compression.\n"
    assert labels(extractor, text)["cord_compression"] == "absent"


def test_an_addendum_that_denies_a_cord_compression_at_another_level_leaves_it(extractor: Extractor) -> None:
    text = _BODY + "ADDENDUM: No cord compression at C5-6.\n"
    assert labels(extractor, text)["cord_compression"] == "present"


def test_a_header_with_a_date_alone_is_an_addendum(extractor: Extractor) -> None:
    text = "CT CHEST\nFindings: Normal.\nImpression: Normal.\nADDENDUM 12/04/2026: Old rib fracture.\n"
    sections = extractor.record_for_text("t", text)["sections"]
    assert [s["name"] for s in sections][-1] == "addendum"


def test_a_graded_denial_in_an_addendum_leaves_the_milder_finding(extractor: Extractor) -> None:
    text = ("MRI LUMBAR SPINE\nFindings: L3-4: mild central canal stenosis.\n"
            "ADDENDUM: There is no severe canal stenosis at L3-4.\n")
    assert labels(extractor, text)["degenerative"]["spinal_stenosis"] == "present"


def test_an_attestation_that_agrees_except_corrects_the_read(extractor: Extractor) -> None:
    text = ("MRI LUMBAR SPINE\nFindings: Superior endplate depression of L2, possibly a compression fracture.\n"
            "ATTENDING: I agree with the above except that the L2 finding is a Schmorl node rather than a fracture.\n")
    assert labels(extractor, text)["fracture"] == "absent"


def test_an_outside_read_quoted_in_a_radiology_report_is_not_its_finding(extractor: Extractor) -> None:
    text = ('SECOND OPINION MRI LUMBAR SPINE\nThe outside report read "L4-5 disc extrusion."\n'
            "Findings: L4-5 disc bulge. No herniation.\n")
    assert labels(extractor, text)["degenerative"]["disc_herniation"] == "absent"


def test_a_correction_quoting_its_right_text_keeps_it(extractor: Extractor) -> None:
    text = ('XR FOOT\nImpression: No fracture.\nCORRECTION: The impression should read "Fracture of the fifth '
            'metatarsal base."\n')
    assert labels(extractor, text)["fracture"] == "present"


def test_a_given_history_phrase_ends_at_its_comma(extractor: Extractor) -> None:
    text = ("XR THORACIC SPINE\nFindings: T12 compression fracture. Given the history of lung cancer, an underlying "
            "metastatic lesion cannot be excluded.\n")
    assert labels(extractor, text)["bone_metastasis"] == "possible"


def test_an_addendum_denial_of_a_sided_rib_takes_back_the_body_s_unsided_rib_fracture(extractor: Extractor) -> None:
    text = ("XR RIBS\nFindings: Rib fracture.\n"
            "ADDENDUM: On further review there is no fracture of the right 6th rib; the finding is a vessel.\n")
    assert labels(extractor, text)["fracture"] == "absent"


def test_only_the_finding_a_later_addendum_denies_at_its_level_is_taken_back(extractor: Extractor) -> None:
    body = "".join(f"ADDENDUM: Disc bulge at L{i}-{i + 1}.\n" for i in range(1, 5)) * 50
    denial = "ADDENDUM: On further review, no disc bulge at L4-5.\n"
    record = extractor.record_for_text("t", "MRI LUMBAR SPINE\nFindings: Normal.\n" + body + denial)
    taken = [m for m in record["mentions"] if m.get("note") == WITHDRAWN]
    assert len(taken) == 50 and all(m["locations"][0]["levels"] == ["L4-L5"] for m in taken)


_NOTE = "PROGRESS NOTE\nHPI: Back pain. "


def test_a_note_s_later_result_answers_its_suspicion(extractor: Extractor) -> None:
    text = _NOTE + "Dexamethasone given for presumed MSCC.\nMRI T-spine: no cord compression.\n"
    assert labels(extractor, text)["cord_compression"] == "absent"


def test_a_result_before_the_suspicion_answers_nothing(extractor: Extractor) -> None:
    text = _NOTE + "MRI T-spine last year: no cord compression.\nNow weakness; concern for cord compression.\n"
    assert labels(extractor, text)["cord_compression"] == "possible"


def test_a_result_at_the_suspected_level_answers_it(extractor: Extractor) -> None:
    text = "PROGRESS NOTE\nAssessment: Possible T9 compression fracture.\nCT T-spine: no fracture at T9.\n"
    assert labels(extractor, text)["fracture"] == "absent"


def test_a_result_at_another_level_leaves_the_suspicion(extractor: Extractor) -> None:
    text = "PROGRESS NOTE\nAssessment: Possible T9 compression fracture.\nCT L-spine: no fracture at L3.\n"
    assert labels(extractor, text)["fracture"] == "possible"


def test_a_denied_fracture_answers_the_suspected_pathologic_one(extractor: Extractor) -> None:
    text = "PROGRESS NOTE\nAssessment: DDx rib fx vs pathologic fx.\nXR: no rib fracture.\n"
    got = labels(extractor, text)
    assert (got["fracture"], got["pathologic_fracture"]) == ("absent", "absent")
