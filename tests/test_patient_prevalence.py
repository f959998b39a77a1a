"""Patient age/sex from the text, and the asymptomatic prevalence beside each degenerative finding."""

from __future__ import annotations

import pytest

from reportnlp.nlp.rules import load_rules
from reportnlp.records.prevalence import PrevalenceTable
from reportnlp.run.extractor import Extractor


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("67-year-old woman with back pain.", 67, "female"),
        ("72 y/o M with prostate cancer.", 72, "male"),
        ("Age: 54  Sex: F", 54, "female"),
        ("Back pain.", None, None),
    ],
)
def test_age_and_sex(extractor: Extractor, text: str, age: int | None, sex: str | None) -> None:
    patient = extractor.record_for_text("t", text + "\nFINDINGS: Normal.")["patient"]
    assert (patient["age"], patient["sex"]) == (age, sex)


@pytest.fixture(scope="module")
def table() -> PrevalenceTable:
    return PrevalenceTable(load_rules().prevalence)


def test_prevalence_at_a_tabulated_age(table: PrevalenceTable) -> None:
    assert table.at_age("disc_bulge", 50) == 60


def test_prevalence_is_interpolated_between_ages(table: PrevalenceTable) -> None:
    assert table.at_age("disc_degeneration", 45) == 74.0


def test_prevalence_outside_the_table_takes_the_nearest_end(table: PrevalenceTable) -> None:
    assert table.at_age("facet_degeneration", 90) == 83 and table.at_age("facet_degeneration", 12) == 4


def test_degenerative_mention_carries_prevalence_for_the_patients_age(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "HISTORY: 60-year-old man.\nFINDINGS: Disc bulge at L4-5.")
    prevalence = record["mentions"][-1]["prevalence"]
    assert prevalence["finding"] == "disc bulge" and prevalence["percent_at_age"] == 69
    assert prevalence["range_percent"] == [30, 84]


def test_desiccation_uses_the_signal_loss_row(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "FINDINGS: Disc desiccation at L4-5.")
    prevalence = record["mentions"][0]["prevalence"]
    assert prevalence["table"] == "disc_signal_loss" and prevalence["percent_at_age"] is None


def test_finding_without_a_published_figure_has_no_prevalence(extractor: Extractor) -> None:
    record = extractor.record_for_text("t", "FINDINGS: Moderate central canal stenosis at L4-5.")
    assert record["mentions"][0]["prevalence"] is None
