"""Patient age/sex from the text, and the asymptomatic prevalence beside each degenerative finding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        # session 15: "MR" before a body part is the study, not a title; "Mr." and "MR JONES" stay a man
        ("MR LUMBAR SPINE\nHx: back pain.", None, None),
        ("MR angiography of the neck.", None, None),
        ("Mr. Jones, 70, has back pain.", None, "male"),
        ("MR JONES REVIEWED IN CLINIC.", None, "male"),
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


def _patient_reading_every_match(text: str) -> dict:  # type: ignore[type-arg]
    """The plain reading: every match of every rule collected, then the first plausible age of the first
    age rule that has one, and the earliest first match of the sex rules."""
    from reportnlp.records.patient import MAX_AGE, PatientFinder, _evidence

    finder = PatientFinder(load_rules().patient)
    out: dict = {"age": None, "sex": None, "evidence": {}}  # type: ignore[type-arg]
    for rule_id, rx in finder.age:
        m = next((m for m in list(rx.finditer(text)) if 0 < int(m.group("age")) <= MAX_AGE), None)
        if m:
            out["age"], out["evidence"]["age"] = int(m.group("age")), _evidence(m, rule_id)
            break
    firsts = [(ms[0].start(), sex, ms[0], rule_id) for rule_id, sex, rx in finder.sex if (ms := list(rx.finditer(text)))]
    if firsts:
        best = min(firsts, key=lambda f: f[0])  # the first rule of equal starts, as the finder keeps it
        out["sex"], out["evidence"]["sex"] = best[1], _evidence(best[2], best[3])
    return out


_PATIENT_PIECE = st.sampled_from([
    "A 67-year-old ", "67 year old ", "0 year old ", "130 yo ", "45 y/o", "Age: 54", "age 3 months", "aged 81 ",
    "woman", "man", "He ", "she ", "her ", "his ", "Mr. ", "Ms ", "Sex: F", "gender = m", "62F ", "70 M ", "other ",
    "the ", "\n", ", ", "xx", "HE", "4yo", "5 yrs old",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATIENT_PIECE, max_size=20).map("".join))
def test_patient_finder_reads_only_what_decides(text: str) -> None:
    """The first plausible age and the earliest sex match, searched lazily: the same as reading every match."""
    from reportnlp.records.patient import PatientFinder

    assert PatientFinder(load_rules().patient).find(text) == _patient_reading_every_match(text)
