"""A later word on a report: addenda, attestations, corrections and quoted reads (labels.md section 3, session 23)."""

from __future__ import annotations

import re

import pytest

from reportnlp.records.labels.corrections import Readdressings
from reportnlp.records.labels.sites import levels_of, sites_of
from reportnlp.records.labels.vocabulary import CORRECTED, EXPLAINED, WITHDRAWN
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
    # the study on a line of its own below the HPI (a study named inside the HPI's own lines opens nothing: session 24)
    text = _NOTE.rstrip() + "\nMRI T-spine last year: no cord compression.\nNow weakness; concern for cord compression.\n"
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


_LESIONS = "MRI T SPINE\nFINDINGS:\nLytic lesion at T4. Lytic lesion at T9. Lytic lesion at T11.\n"


def corrected_levels(extractor: Extractor, text: str) -> list[list[str]]:
    record = extractor.record_for_text("t", text)
    return [m["locations"][0]["levels"] for m in record["mentions"] if m.get("note") == CORRECTED]


def test_an_addendum_reading_with_no_site_corrects_the_levels_named_since_its_header(extractor: Extractor) -> None:
    text = _LESIONS + "ADDENDUM: T4 was reviewed.\nADDENDUM: The T9 and T11 foci have spiculated margins. It is a bone island.\n"
    assert corrected_levels(extractor, text) == [["T9"], ["T11"]]


def test_an_addendum_reading_that_leaves_metastasis_open_corrects_nothing(extractor: Extractor) -> None:
    text = _LESIONS + ("ADDENDUM: The T9 and T11 foci have spiculated margins. It is likely a bone island, although "
                       "metastasis cannot be excluded.\n")
    assert corrected_levels(extractor, text) == []


def test_of_many_lesions_only_those_at_the_level_a_reading_explains_are_explained(extractor: Extractor) -> None:
    unit = "Lytic lesion at T10.\nLytic lesion at T4.\nADDENDUM: The T4 focus is sclerotic. It is a typical hemangioma.\n"
    record = extractor.record_for_text("t", "MRI T SPINE\nFINDINGS:\n" + unit * 40)
    lesions = [m for m in record["mentions"] if m["concept"] == "lytic_lesion"]
    explained = [m["locations"][0]["levels"] for m in lesions if m.get("note") == EXPLAINED]
    assert len(lesions) == 80 and explained == [["T4"]] * 40
    assert record["labels"]["bone_metastasis"] == "possible"  # the T10 lesions'


def test_of_many_lesions_only_those_at_a_level_an_addendum_names_are_corrected(extractor: Extractor) -> None:
    body = "Lytic lesion at T10. Lytic lesion at T4.\n" * 40
    addenda = "ADDENDUM: The T4 foci have spiculated margins. It is a bone island.\n" * 40
    levels = corrected_levels(extractor, "MRI T SPINE\nFINDINGS:\n" + body + addenda)
    assert levels == [["T4"]] * 40


def _read_again(m: dict, n: dict, text: str) -> bool:
    """The rule Readdressings files, asked of one pair: an addendum header between the lesion m and the site-less
    addendum reading n, and m's level or bone named as a word from the last such header to n's sentence end."""
    if n["section"] != "addendum" or m["section"] == "addendum" or sites_of(n):
        return False
    heads = list(re.finditer(r"\baddend(?:um|a)\b", text[: n["start"]], re.I))
    heads = [h for h in heads if h.start() >= m["end"]]
    if not heads:
        return False
    window = text[heads[-1].start() : n["sentence"]["end"]]
    names = levels_of(m) | {loc["text"] for loc in m["locations"] if loc["kind"] == "bone"
                          and loc.get("value") not in (None, "bone", "spine")}
    return any(re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", window, re.I) for name in names if name)


@pytest.mark.parametrize("text", [
    _LESIONS + "ADDENDUM: t9 reviewed; it is a bone island.\nAddenda: T11 is unchanged. It is a bone island",
    _LESIONS + "ADDENDUM: T4-T9. It is a bone island.\nADDENDUM: T11x and t9. It is a bone island.\nADDENDUM It is one.",
    "CT PELVIS\nFINDINGS: Lytic lesion in the left iliac bone. Sclerotic focus in the right 6th rib.\n"
    "ADDENDUM: The Left Iliac Bone was reviewed. It is a bone island. ADDENDUM: It is a bone island.",
])
def test_an_addendum_reading_reads_again_the_lesions_named_in_its_window(extractor: Extractor, text: str) -> None:
    mentions = extractor.record_for_text("t", text)["mentions"]
    readings = [n for n in mentions if n["concept"] == "benign_bone" and n["section"] == "addendum"]
    heads = [(h.start(), h.end()) for h in re.finditer(r"\baddend(?:um|a)\b", text, re.I)]
    index = Readdressings(readings, text, heads)
    lesions = [m for m in mentions if m["concept"] in ("lytic_lesion", "blastic_lesion") and m["section"] != "addendum"]
    expected = [any(_read_again(m, n, text) for n in readings) for m in lesions]
    assert [index.readdress(m, lambda n, k: False) for m in lesions] == expected and any(expected)
