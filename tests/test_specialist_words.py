"""Labels of a subspecialist's words (phrasing wave 23, session 17): densitometry, marrow and follow-up
wording that named a finding the report does not have, or missed one it states (docs/labels.md)."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.run.extractor import Extractor


def labels(extractor: Extractor, text: str) -> dict[str, Any]:
    return extractor.record_for_text("t", text)["labels"]


def test_low_bone_mass_is_osteopenia_not_a_bone_mass(extractor: Extractor) -> None:
    text = "BONE DENSITOMETRY\nRESULTS: L1-L4 T-score -1.6.\nASSESSMENT: Osteopenia (low bone mass).\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_a_normal_myeloma_screen_is_a_blood_test_not_a_bone_finding(extractor: Extractor) -> None:
    text = "Investigations: DXA T-score -2.6.\nBloods: calcium, PTH and myeloma screen normal.\n"
    assert labels(extractor, text)["bone_metastasis"] == "not_mentioned"


def test_x_ray_absorptiometry_is_densitometry_not_a_radiograph(extractor: Extractor) -> None:
    text = "DUAL-ENERGY X-RAY ABSORPTIOMETRY\nRESULTS: L1-L4 T-score -2.7.\nIMPRESSION: Osteoporosis.\n"
    assert labels(extractor, text)["modalities"] == []


def test_a_lucency_explained_as_bowel_gas_is_no_lesion(extractor: Extractor) -> None:
    text = "XR PELVIS\nFINDINGS: The lucent area over the right iliac wing is overlying bowel gas.\n"
    got = labels(extractor, text)
    assert (got["bone_metastasis"], got["lesion_pattern"]) == ("not_mentioned", [])


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("MRI LUMBAR SPINE\nFINDINGS: Endplate oedema on both sides of a narrowed disc at L4-5.\n",
         "disc_degeneration", "present"),
        ("MRI THORACIC SPINE\nFINDINGS:\nDiscs: Hydration and height preserved throughout.\n",
         "disc_degeneration", "absent"),
        ("CT CERVICAL SPINE\nFINDINGS: Fracture through C6. Canal preserved at present.\n", "spinal_stenosis", "absent"),
        ("MRI SPINE\nFINDINGS: T9 endplate fracture. Canal and cord normal.\n", "spinal_stenosis", "absent"),
    ],
)
def test_disc_and_canal_wording(extractor: Extractor, text: str, label: str, expected: str) -> None:
    assert labels(extractor, text)["degenerative"][label] == expected


def test_a_lytic_lesion_that_developed_sclerosis_is_blastic(extractor: Extractor) -> None:
    text = ("CT CHEST\nFINDINGS: The previously lytic lesions in T6 and L2 have developed sclerotic margins and "
            "internal sclerosis, consistent with healing response.\n")
    assert labels(extractor, text)["lesion_pattern"] == ["blastic"]


def test_a_final_read_replaces_the_preliminary_one_above_it(extractor: Extractor) -> None:
    text = ("XR PELVIS\nClinical: fall.\nPreliminary (radiographer): ?Lytic area right ilium.\n"
            "Consultant report: No destructive bone lesion; the iliac lucency is overlying bowel gas.\n")
    assert labels(extractor, text)["bone_metastasis"] == "absent"


@pytest.mark.parametrize(
    ("grade", "expected"),
    [("Bilsky 3", "present"), ("ESCC grade 2", "present"), ("Bilsky 1b", "not_mentioned"), ("ESCC 1c", "not_mentioned")],
)
def test_a_bilsky_grade_of_two_or_three_is_cord_compression(extractor: Extractor, grade: str, expected: str) -> None:
    text = f"MRI THORACIC SPINE\nFINDINGS: Enhancing T7 lesion with epidural extension, {grade}.\n"
    assert labels(extractor, text)["cord_compression"] == expected
