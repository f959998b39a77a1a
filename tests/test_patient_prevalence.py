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
        ("Mr. Jones, 70, has back pain.", 70, "male"),  # session 32: a title, a name and the age after its comma
        ("MR JONES REVIEWED IN CLINIC.", None, "male"),
    ],
)
def test_age_and_sex(extractor: Extractor, text: str, age: int | None, sex: str | None) -> None:
    patient = extractor.record_for_text("t", text + "\nFINDINGS: Normal.")["patient"]
    assert (patient["age"], patient["sex"]) == (age, sex)


# Session 32 (docs/labels.md section 8): the ways headers and notes state them, and the numbers and words that are
# no age or sex of the patient.
@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("Age/Sex: 72/F", 72, "female"),
        ("Sex/Age: M/58", 58, "male"),
        ("AGE / SEX: 66 / M", 66, "male"),
        ("Name : XXXXX   Age/Sex : 045Y/M", 45, "male"),
        ("PATIENT: 58M", 58, "male"),
        ("Clinical info: 58yoM w/ hx prostate ca", 58, "male"),
        ("63 yo F presents with back pain.", 63, "female"),
        ("F, 81.\nBack pain.", 81, "female"),
        ("Indication: Female (52 yrs) with breast cancer.", 52, "female"),
        ("Indication: 58 years, male, smoker.", 58, "male"),
        ("Sex: Male   Age: 45Y", 45, "male"),
        ("Age: 69 years\nGender: Female", 69, "female"),
        ("This is a sixty-two-year-old man with myeloma.", 62, "male"),
        ("Reason: seventy one year old woman, fall.", 71, "female"),
        ("INDICATION: Eighty-year-old, fall.", 80, None),
        ("Ms. Alvarez, 83, was admitted after a fall.", 83, "female"),
        ("Mr. Haddad is 77 and has prostate cancer.", 77, "male"),
        ("44 year old G2P2 with cervical cancer.", 44, "female"),
    ],
)
def test_ways_reports_state_age_and_sex(extractor: Extractor, text: str, age: int | None, sex: str | None) -> None:
    patient = extractor.record_for_text("t", text + "\nFINDINGS: Normal.")["patient"]
    assert (patient["age"], patient["sex"]) == (age, sex)


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("Man in his seventies with back pain.", None, "male"),  # a decade is no age
        ("8-month-old boy with a swollen thigh.", None, "male"),  # months, weeks and days give no age in years
        ("10-day-old female infant, breech.", None, "female"),
        ("Patient: DOE, JANE\nDOB: 03/14/1951\nExam Date: 06/02/2026", None, None),  # a birth date is no stated age
        ("History: MS, diagnosed at age 29. Numbness.", None, None),  # an age of the past; MS is no title
        ("Prostate cancer diagnosed at age 61.\nPatient age: 74. Male.", 74, "male"),
        ("Pt is a 47 y.o. male, diagnosed at 45 years of age.", 47, "male"),
        ("History: 6-week-old male, mom (age 19) reports a fall.", None, "male"),  # the mother's age
        ("Her husband, 70 years old, had a fusion.", None, "female"),
        ("Family history: father, 61, prostate cancer.", None, None),
        ("HER-2 positive carcinoma, back pain.", None, None),  # a receptor, no pronoun
        ("TR 3000 ms, TE 100 ms. MS Contin 30 mg.", None, None),  # milliseconds and a drug, no title
        ("Vitals: T 101.3 F, Temp 99 F, HR 112.", None, None),  # temperatures
        ("A 10 F coaxial introducer sheath and a 14F Foley were placed.", None, None),  # French sizes
        ("Chronic pain for 20 years, worse for 72 hours. Pain 5/10 at L5.", None, None),
        ("BONE AGE: bone age 9 years 0 months, chronological age 11 years.", 11, None),
        ("Called by the patient's wife; she says he is confused.", None, "male"),  # she is the wife
        ("Daughter reports that she fell twice.", None, "female"),  # a reporting word: she is the patient
        ("HX (obtained from boyfriend): This 31 y/o RHF had a seizure.", 31, "female"),  # a label's colon ends it
        ("Social: lives with parents. The patient's 16-year-old brother has asthma.", None, None),
        ("Baby: live female, 3.1 kg, APGAR 8/9.", None, "female"),  # a weight, no age
        ("The patient is a male and 39 years old.", 39, "male"),
        ("He has two brothers ages 68 and 77 years old.", None, "male"),
        ("She is a very pleasant 31-year-old mother of two children.", 31, "female"),  # the patient told as a mother
        ("Apgar 9 female.", None, "female"),  # a score, no age
        ("IMPRESSION: BIRADS CATEGORY M/5.", None, None),  # a category, no age or sex
        ("GU: Tanner stage 1 male.", None, "male"),  # a stage
        ("She has had insomnia since she was 6 years old.", None, "female"),  # an age of the past
        ("TECHNIQUE: 24 MCI TC-99M MDP IV.", None, None),  # an isotope's mass number and metastable state (session 34)
        ("I-131 WHOLE BODY SCAN AFTER F-18 FDG PET.", None, None),
        ("PSMA PET/CT (18F-DCFPyL). Prior 18F FDG PET/CT.", None, None),  # a PET tracer's isotope
        ("Patient: female of 57 years, breast carcinoma.", 57, "female"),  # a translated note's order (session 35)
        ("Patient: male of 70 years, smoker of 40 years.", 70, "male"),
        ("Patient XXXX, 63 y.\nClinical data: kidney cancer.", 63, None),  # a name's comma and a bare 'y.'
        ("Patient Novak J., 71 y., retired.", 71, None),
        ("Complaint: hip pain for 3 y., worse lately.", None, None),  # a duration, no comma before it
        ("Back pain, 3 y. ago a fall.", None, None),  # a word after 'y.': a time
        ("Bone age of 9 years.", None, None),  # no person before 'of'
    ],
)
def test_what_is_no_age_or_sex_of_the_patient(extractor: Extractor, text: str, age: int | None, sex: str | None) -> None:
    patient = extractor.record_for_text("t", text + "\nFINDINGS: Normal.")["patient"]
    assert (patient["age"], patient["sex"]) == (age, sex)


def test_prevalence_follows_the_age_the_report_states(extractor: Extractor) -> None:
    """The age read from a header's compact form sets the prevalence beside a degenerative finding."""
    young = extractor.record_for_text("t", "Age/Sex: 30/F\nMRI LUMBAR SPINE\nFINDINGS: Disc bulge at L4-5.")
    old = extractor.record_for_text("t", "Age/Sex: 70/F\nMRI LUMBAR SPINE\nFINDINGS: Disc bulge at L4-5.")
    assert [m["prevalence"]["percent_at_age"] for m in (young["mentions"][-1], old["mentions"][-1])] == [40, 77]


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
    """The plain reading: every match of every rule collected, then the earliest age that counts of any age rule,
    and the earliest sex that counts of any sex rule or of an age rule's first age that counts (at one start the
    rule listed first)."""
    from reportnlp.records.patient import _SEX_WORDS, MAX_AGE, PatientFinder, _evidence, age_value

    finder = PatientFinder(load_rules().patient)
    out: dict = {"age": None, "sex": None, "evidence": {}}  # type: ignore[type-arg]
    ages, sexes = [], []
    for k, (rule_id, rx) in enumerate(finder.age):
        counted = [
            m for m in list(rx.finditer(text))
            if (v := age_value(m.group("age"))) is not None and 0 < v <= MAX_AGE
            and not (finder.age_not_after and finder.age_not_after.search(text, max(0, m.start() - 80), m.start()))
            and not finder._others_before(text, m.start(), None) and not finder._other_after(text, m.end())
        ]
        if counted:
            m = counted[0]
            ages.append((m.start(), k, m, rule_id, age_value(m.group("age"))))
            word = m.group("sex") if "sex" in rx.groupindex else None
            if word and not finder._others_before(text, m.start(), _SEX_WORDS[word.lower()]):
                sexes.append((m.start(), k, m, rule_id, _SEX_WORDS[word.lower()]))
    for k, (rule_id, sex, rx) in enumerate(finder.sex, start=len(finder.age)):
        counted = [m for m in list(rx.finditer(text)) if not finder._others_before(text, m.start(), sex)]
        if counted:
            sexes.append((counted[0].start(), k, counted[0], rule_id, sex))
    if ages:
        best = min(ages, key=lambda a: a[:2])
        out["age"], out["evidence"]["age"] = best[4], _evidence(best[2], best[3])
    if sexes:
        best = min(sexes, key=lambda a: a[:2])
        out["sex"], out["evidence"]["sex"] = best[4], _evidence(best[2], best[3])
    return out


_PATIENT_PIECE = st.sampled_from([
    "A 67-year-old ", "67 year old ", "0 year old ", "130 yo ", "45 y/o", "Age: 54", "age 3 months", "aged 81 ",
    "woman", "man", "He ", "she ", "her ", "his ", "Mr. ", "Ms ", "Sex: F", "gender = m", "62F ", "70 M ", "other ",
    "the ", "\n", ", ", "xx", "HE", "4yo", "5 yrs old",
    "72/F", "M/58", "F, 81", "sixty-two year old ", "wife ", "son ", "reports that ", "at age 45", "HER-2 ", "MS ",
    "Ms. Jones", "101.3 F", "10 F sheath", "G2P2", "Mr. Lee, 70", ". ", "; ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATIENT_PIECE, max_size=20).map("".join))
def test_patient_finder_reads_only_what_decides(text: str) -> None:
    """The first plausible age and the earliest sex match, searched lazily: the same as reading every match."""
    from reportnlp.records.patient import PatientFinder

    assert PatientFinder(load_rules().patient).find(text) == _patient_reading_every_match(text)
