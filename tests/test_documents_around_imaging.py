"""Documents that retell imaging, which the session 17 blind wave (phrasing_wave24) found read wrong:
letters, results calls, prior authorizations, imaging timelines and summaries (labels.md sections 2-4)."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.records.dated_lines import latest_date, on_lines, past_lines
from reportnlp.run.extractor import Extractor


def record(extractor: Extractor, text: str) -> dict[str, Any]:
    out = extractor.record_for_text("t", text)
    assert out["status"] == "ok"
    return out


LETTER = ("Dear Dr Amis,\n\nThank you for asking me to see her. Her MRI shows a sclerotic deposit in the L2 vertebral "
          "body.\n\n{footer}\nYours sincerely,\nDr B. Cole\n")


@pytest.mark.parametrize("footer", ["PMH: hypothyroidism.", "cc: the patient"])
def test_a_letters_body_counts_beside_a_history_header(extractor: Extractor, footer: str) -> None:
    out = record(extractor, LETTER.format(footer=footer))
    assert out["labels"]["bone_metastasis"] == "present"
    assert out["labels"]["modalities"] == ["MRI"]


def test_a_letter_laid_out_as_a_consult_keeps_its_opening_as_history(extractor: Extractor) -> None:
    text = ("Dear Dr Amis,\nShe had an MRI elsewhere which showed a disc herniation at L4-5.\n"
            "PHYSICAL EXAMINATION: Normal gait.\nIMPRESSION: Mechanical back pain.\n")
    assert record(extractor, text)["labels"]["degenerative"]["disc_herniation"] == "not_mentioned"


def test_a_note_without_a_salutation_keeps_its_opening_as_history(extractor: Extractor) -> None:
    text = "She had an MRI which showed a sclerotic deposit in L2.\nPMH: hypothyroidism.\n"
    assert record(extractor, text)["labels"]["bone_metastasis"] == "not_mentioned"


@pytest.mark.parametrize("technique", ["with and without contrast", "without contrast", "without IV contrast"])
def test_the_technique_of_a_study_denies_nothing_it_showed(extractor: Extractor, technique: str) -> None:
    text = f"HOSPITAL COURSE: MRI L-spine {technique} 10/03 showed a lytic lesion at L3."
    assert record(extractor, text)["labels"]["bone_metastasis"] == "possible"


def test_a_dose_over_fractions_written_with_a_slash_is_no_fracture(extractor: Extractor) -> None:
    assert record(extractor, "Plan: palliative RT to the left acetabulum 20 Gy/5 fx.")["labels"]["fracture"] == (
        "not_mentioned")


@pytest.mark.parametrize("sentence", [
    "Course: MRI spine not required as no neurological deficit.",
    "Imaging reviewed: Bone scan: not performed.",
    "Outcome: MRI lumbar spine approved, auth # 88-2291.",
    "Pt asks if she still needs the bone scan.",
    "Imaging used for staging: [ ] PSMA PET",
])
def test_a_study_said_not_done_or_only_answered_is_not_performed(extractor: Extractor, sentence: str) -> None:
    assert record(extractor, sentence)["labels"]["modalities"] == []


def test_a_guided_biopsy_named_with_its_purpose_is_planned(extractor: Extractor) -> None:
    assert record(extractor, "Consensus: CT-guided biopsy to confirm before SBRT.")["labels"]["modalities"] == []


def test_a_ct_guided_biopsy_adds_ct_beside_a_pet_ct(extractor: Extractor) -> None:
    text = "Confirmation: CT-guided core biopsy of the L3 lesion.\nStaging: PET/CT 04/22/2024 showed lytic L3 lesion."
    assert record(extractor, text)["labels"]["modalities"] == ["CT", "PET"]


def test_a_finding_named_for_what_it_can_do_is_not_this_patients(extractor: Extractor) -> None:
    text = "The spot in your rib is most likely from the fall - a healing rib fracture can light up on a bone scan."
    assert record(extractor, text)["labels"]["fracture"] == "not_mentioned"


@pytest.mark.parametrize(("sentence", "status"), [
    ("Informed pt that the MRI shows no sign of cancer in the bones.", "absent"),
    ("Explained that the cancer has spread to the bones.", "present"),
])
def test_lay_words_for_bone_metastasis(extractor: Extractor, sentence: str, status: str) -> None:
    assert record(extractor, sentence)["labels"]["bone_metastasis"] == status


@pytest.mark.parametrize("sentence", ["Sclerotic sternal and T4 lesions unchanged.", "R iliac lesion now sclerotic."])
def test_a_sclerotic_look_shared_or_reached_is_blastic(extractor: Extractor, sentence: str) -> None:
    assert record(extractor, sentence)["labels"]["lesion_pattern"] == ["blastic"]


def test_a_header_with_a_short_parenthesis_is_its_header(extractor: Extractor) -> None:
    text = "MEDICATIONS (reconciled 03/11/2025)\n- denosumab 120 mg SC q4 weeks for bone mets\n"
    assert record(extractor, text)["labels"]["bone_metastasis"] == "not_mentioned"


def test_a_header_with_a_second_name_after_a_slash_is_its_first(extractor: Extractor) -> None:
    text = "ORDER\nClinical question / reason for exam: prior CT showed a sclerotic focus in the ilium.\n"
    assert record(extractor, text)["labels"]["modalities"] == []


def test_a_referral_request_is_a_clinical_note(extractor: Extractor) -> None:
    text = ("Reason for referral: neck pain.\nExam: hyperreflexia.\n"
            "Imaging: MRI C-spine shows flattening of the cord at C5.\n")
    out = record(extractor, text)
    assert out["document"]["type"] == "clinic_note"
    assert out["labels"]["cord_compression"] == "present"


def test_a_notes_last_imaging_line_reports_results(extractor: Extractor) -> None:
    text = "CC: back pain\nPt with prostate ca calling re: back pain.\nLast imaging: bone scan 9/2024 - spine mets, stable.\n"
    out = record(extractor, text)
    assert out["labels"]["bone_metastasis"] == "present"
    assert out["labels"]["modalities"] == ["NM"]


def test_a_follow_up_notes_interval_imaging_reports_results(extractor: Extractor) -> None:
    text = ("RADIATION ONCOLOGY FOLLOW-UP\nHistory: L2 metastasis treated with SBRT in 2024.\n\n"
            "Interval imaging: MRI L-spine 11/18/2026: no epidural disease or cord compression.\n\n"
            "Assessment: stable.\n")
    out = record(extractor, text)
    assert out["labels"]["cord_compression"] == "absent"  # session 31 (w71_38): the results since the last visit
    assert out["labels"]["modalities"] == ["MRI"]


def test_an_outpatient_interval_history_stays_history(extractor: Extractor) -> None:
    text = ("SPINE CLINIC NOTE\nInterval history: MRI L-spine 2025 showed an L4-5 disc extrusion.\n\n"
            "Assessment: back pain, improving.\n")
    out = record(extractor, text)
    assert out["labels"]["degenerative"]["disc_herniation"] == "not_mentioned"  # guard


TIMELINE = ("03/2021  MRI L-spine: L4-5 HNP.\n"
            "02/2024  CT C/A/P: new lytic lesions L1.\n"
            "10/2024  CT C/A/P: stable osseous disease.\n")


def test_a_timeline_line_a_year_before_the_latest_is_the_past(extractor: Extractor) -> None:
    out = record(extractor, TIMELINE)
    assert out["labels"]["degenerative"]["disc_herniation"] == "not_mentioned"
    assert out["labels"]["modalities"] == ["CT"]


def test_a_timeline_line_within_the_year_counts(extractor: Extractor) -> None:
    assert record(extractor, TIMELINE)["labels"]["lesion_pattern"] == ["lytic"]


def test_a_lone_dated_study_line_is_not_the_past(extractor: Extractor) -> None:
    assert record(extractor, "03/2021  MRI L-spine: L4-5 HNP.\n")["labels"]["degenerative"]["disc_herniation"] == (
        "present")


def test_the_latest_date_reads_months_and_bare_line_years() -> None:
    assert latest_date("2019 SKELETAL SURVEY: lesions.\nNOV 2024 CT: lesion.") == 2024 * 12 + 11
    assert latest_date("Pain 10/10, BP 120/80.") is None


def test_the_latest_date_remembered_is_only_the_last_texts() -> None:
    note, other = "MRI in Jan 2019: bulge. CT in Mar 2021: no change.", "X-ray in Jun 2018: no fracture."
    assert [latest_date(note), latest_date(note), latest_date(other), latest_date(note)] == [
        2021 * 12 + 3, 2021 * 12 + 3, 2018 * 12 + 6, 2021 * 12 + 3]


def test_a_bare_year_line_is_past_only_a_full_year_later() -> None:
    text = "2023 MRI: disc bulge.\n11/2024 CT: no change.\n"
    studies = [{"start": text.index("MRI")}, {"start": text.index("CT")}]
    assert past_lines(text, studies) == []
    assert past_lines(text.replace("11/2024", "12/2024"), studies) == [(0, text.index("\n"))]


def test_a_long_timeline_finds_each_mention_on_its_own_line() -> None:
    """The small version of bench/adversarial.py's dated lines: a mention's line is found by bisection over the
    past lines (session 21); a mention on a past line is on it, one on a recent line or between lines is not."""
    rows = [f"{month:02d}/{year}  MRI L-spine: L4-5 disc bulge.\n" for year in range(2000, 2020) for month in (3, 9)]
    text = "".join(rows) + "06/2024  CT C/A/P: no change.\n"
    lines = past_lines(text, [{"start": i + 9} for i in range(0, len(text), len(rows[0]))])
    assert len(lines) == len(rows)
    bulges = [{"start": k} for k in range(len(text)) if text.startswith("disc bulge", k)]
    assert all(on_lines(m, lines) for m in bulges)
    assert not on_lines({"start": text.index("no change")}, lines)
    assert not any(on_lines({"start": end}, lines) for _, end in lines)  # a line's end is its line break


def test_studies_on_one_long_line_take_that_lines_date() -> None:
    """The small version of bench/adversarial.py's dated studies on one line: each study's line start is read back
    from the study before it (session 22); only a line whose date is followed by a study is a past line, and
    studies given out of text order find the same line."""
    first = "03/2011 MRI L-spine: " + "CT and MRI and bone scan, " * 200 + "end.\n"
    text = first + "no date CT: stable.\n" + "06/2024 CT: no change.\n"
    studies = [{"start": k} for k in range(len(text)) if text.startswith(("CT", "MRI"), k)]
    assert past_lines(text, studies) == [(0, len(first) - 1)]
    assert past_lines(text, studies[::-1]) == [(0, len(first) - 1)]
    assert past_lines(text, [m for m in studies if m["start"] > 60]) == []  # too far from the date to open the line


RECORDS_REVIEW = ("INDEPENDENT MEDICAL EXAMINATION\nDate of examination: 12/02/2026\nRECORDS REVIEWED:\n"
                  "1. ED note 04/18/2023: lumbar strain; lumbar x-rays negative for fracture.\n"
                  "2. MRI lumbar spine 05/12/2023: mild bilateral L4-5 facet arthropathy.\n"
                  "3. MRI lumbar spine 09/30/2026: small L4-5 central protrusion.\n")


def test_a_records_review_line_dated_a_year_before_the_note_is_the_past(extractor: Extractor) -> None:
    """Session 26 (wave 53): a line whose label ends with its date and a colon tells that record's findings."""
    out = record(extractor, RECORDS_REVIEW)
    assert out["labels"]["degenerative"]["facet_arthropathy"] == "not_mentioned"
    assert out["labels"]["fracture"] == "not_mentioned"
    assert out["labels"]["degenerative"]["disc_herniation"] == "present"
    assert out["labels"]["modalities"] == ["MRI"]


def test_a_records_review_line_within_the_year_counts() -> None:
    text = "1. MRI lumbar spine 05/12/2026: facet arthropathy.\nSeen 12/02/2026.\n"
    assert past_lines(text, [{"start": text.index("MRI")}]) == []
    assert past_lines(text.replace("05/12/2026", "05/12/2025"), [{"start": text.index("MRI")}]) == [
        (0, text.index("\n"))]


def test_a_year_set_before_a_study_dates_it(extractor: Extractor) -> None:
    """Session 26 (wave 53): '(2019 radiographs)' in a note of a later year is the past; a date's year before a
    verb is not an adjective ('in December 2008 showed normal myocardial perfusion')."""
    note = "CONSULTATIVE EXAMINATION 12/01/2026\nImpression: History of degenerative disc disease (2019 radiographs).\n"
    assert record(extractor, note)["labels"]["modalities"] == []
    stress = ("ASSESSMENT: A stress study performed in December 2008 showed normal myocardial perfusion. "
              "Seen again in 2009.")
    assert record(extractor, stress)["labels"]["modalities"] == ["NM"]


# Session 32: a timeline whose numeric dates read both ways is read as the text writes its dates.
_DAY_FIRST_LINES = "10/02/2023 MRI spine: L4 metastasis.\n{latest} CT: no change.\n"


@pytest.mark.parametrize(("latest", "past"), [
    ("21/02/2024", True),  # a day over 12: 10 February 2023 to February 2024 is a year
    ("05/03/2024 (NHS tumour board)", True),  # a UK hospital: 10 February 2023 to 5 March 2024
    ("05/03/2024 (tumour board)", False),  # spelling alone: month first, October 2023 to May 2024
    ("02/25/2024", False),  # a second number over 12: month first, October 2023 to February 2024
])
def test_a_timeline_line_dated_both_ways_is_read_as_the_text_writes_dates(latest: str, past: bool) -> None:
    text = _DAY_FIRST_LINES.format(latest=latest)
    studies = [{"start": text.index("MRI")}, {"start": text.index("CT")}]
    assert (past_lines(text, studies) == [(0, text.index("\n"))]) is past


def test_dotted_dates_and_a_day_month_word_short_year_are_dates_of_the_text() -> None:
    text = "09.02.2023 MRI pelvis: lytic lesion.\n27.02.2024 CT: sclerotic lesion.\n"
    studies = [{"start": text.index("MRI")}, {"start": text.index("CT")}]
    assert past_lines(text, studies) == [(0, text.index("\n"))]
    assert latest_date("Date: 3 Nov 24\n12/09/2023 MRI: no change.") == 2024 * 12 + 11
    assert latest_date("Dose 3.5 mg. Pain 3/10. Take 2 May 2 tablets.") is None


@pytest.mark.parametrize(("sentence", "modalities"), [
    ("A: No. The CT of 06/22/2025 showed no fracture.", []),  # its own date, over a year before the letter
    ("A: No. The CT of the neck of 06/22/2025 showed no fracture.", []),
    ("A: No. The CT of 09/22/2026 showed no fracture.", ["CT"]),  # within the year
    ("She has myeloma, diagnosed in 2023, when a skeletal survey showed lytic lesions.", []),
    ("She has myeloma, diagnosed in 2026, when a skeletal survey showed lytic lesions.", ["XR"]),  # the letter's year
])
def test_a_study_dated_a_year_before_the_letter_in_a_sentence_was_not_done_for_it(
        extractor: Extractor, sentence: str, modalities: list[str]) -> None:
    text = f"Date of report: 10/05/2026\n\nDear Sir,\n\n{sentence}\n\nYours faithfully,\nDr Smith\n"
    assert record(extractor, text)["labels"]["modalities"] == modalities
