"""A later word on a report: addenda, attestations, corrections and quoted reads (labels.md section 3, session 23)."""

from __future__ import annotations

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
