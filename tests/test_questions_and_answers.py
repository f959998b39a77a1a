"""Letters and reports written about imaging (session 29, wave 64): a question asks, its answer decides; a letter to
a patient or an insurer is a letter; an examiner's report is a note (labels.md sections 2 and 3)."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    out = extractor.record_for_text("t", text)
    assert out["status"] == "ok"
    return out["labels"]


@pytest.mark.parametrize("answer", ["A: No.", "Answer: No.", "A. None."])
def test_a_question_answered_no_below_it_denies(extractor: Extractor, answer: str) -> None:
    text = f"Q2. Is there evidence of spinal cord compression?\n{answer}\n"
    assert labels(extractor, text)["cord_compression"] == "absent"


def test_a_question_answered_by_its_checked_box_denies(extractor: Extractor) -> None:
    text = "Is there evidence of fracture?   [ ] Yes   [x] No\n"
    assert labels(extractor, text)["fracture"] == "absent"


def test_a_question_left_unanswered_only_asks(extractor: Extractor) -> None:
    text = "Her PSA has risen. Has the cancer spread to the bones? I would be grateful for your advice.\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_question_answered_yes_keeps_its_finding(extractor: Extractor) -> None:
    text = "Q1: Is there a fracture of the spine?\nA: Yes. The x-rays show an acute L2 compression fracture.\n"
    assert labels(extractor, text)["fracture"] == "present"


def test_a_study_asked_about_and_answered_no_was_still_done(extractor: Extractor) -> None:
    text = "Question 1: Did the CT of 11/03/2026 show any fracture?\nAnswer: No.\n"
    out = labels(extractor, text)
    assert (out["fracture"], out["modalities"]) == ("absent", ["CT"])


def test_a_question_whether_to_have_a_study_is_not_a_study_done(extractor: Extractor) -> None:
    text = "Does he need a bone scan or a PSMA PET? His x-rays of 11/15/2026 show mild degenerative change at L4-5.\n"
    assert labels(extractor, text)["modalities"] == ["XR"]


def test_a_colon_and_its_clause_end_a_denial(extractor: Extractor) -> None:
    text = "Dear Dr Ames,\nThere is no disc herniation: the narrowing at L3-4 is caused by a broad disc bulge.\n"
    out = labels(extractor, text)["degenerative"]
    assert (out["disc_herniation"], out["disc_bulge"]) == ("absent", "present")


def test_a_letter_to_a_claimant_reads_its_reason(extractor: Extractor) -> None:
    text = ("Dear Mr Blake,\n\nRE: request for lumbar fusion\n\nReason:\nThe MRI of 10/04/2026 shows mild disc "
            "degeneration at L5-S1 without stenosis.\n\nUtilization Review Unit\n")
    out = labels(extractor, text)
    assert (out["degenerative"]["disc_degeneration"], out["modalities"]) == ("present", ["MRI"])


def test_an_examiners_history_is_the_story_and_todays_films_count(extractor: Extractor) -> None:
    text = ("INDEPENDENT MEDICAL EVALUATION\nDate of evaluation: 11/30/2026\n\nHistory: The MRI of 3/2021 showed an "
            "L4-5 disc protrusion.\nHe returned to work in 2021.\n\nRadiographs today (lumbar, AP and lateral): disc "
            "space narrowing at L4-5.\n")
    out = labels(extractor, text)
    assert out["degenerative"]["disc_herniation"] == "not_mentioned"
    assert (out["degenerative"]["disc_degeneration"], out["modalities"]) == ("present", ["XR"])


@pytest.mark.parametrize(("text", "key", "status"), [
    ("Your MRI shows some wear and tear in the lower back.", "spondylosis", "present"),
    ("Your x-rays show wear and tear in both knees.", "spondylosis", "not_mentioned"),
    ("Your MRI shows a slipped disc at L5-S1.", "disc_herniation", "present"),
    ("Your MRI of the neck shows a bone spur at C5-6.", "spondylosis", "present"),
])
def test_plain_words_for_degenerative_findings(extractor: Extractor, text: str, key: str, status: str) -> None:
    assert labels(extractor, f"Dear Mrs Hale,\n{text}\n")["degenerative"][key] == status
