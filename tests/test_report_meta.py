"""The record's report block: patient id and date from input columns, or the date in the header."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.inputs import iter_reports
from reportnlp.nlp.date_rules import DATE, DATE_HINT, ambiguous, compile_date_rules, day_first, parse_date
from reportnlp.nlp.rules import load_rules
from reportnlp.records.report_meta import ReportColumns, _may_hold_date
from reportnlp.records.report_meta import header_date as _header_date
from reportnlp.records.report_meta import report_block as _report_block
from reportnlp.records.schema import validate_record
from reportnlp.run.extractor import Extractor

RULES = compile_date_rules(load_rules().report_date)


def header_date(text: str) -> dict | None:  # type: ignore[type-arg]
    return _header_date(text, RULES)


def report_block(text: str, fields: dict[str, str] | None, columns: ReportColumns, warnings: list[str]) -> dict:  # type: ignore[type-arg]
    return _report_block(text, fields, columns, warnings, RULES)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-03-14", "2021-03-14"),
        ("2021-03-14T09:30:00Z", "2021-03-14"),
        ("2021/3/4", "2021-03-04"),
        ("03/14/2021", "2021-03-14"),
        ("14/03/2021", "2021-03-14"),
        ("3/4/21", "2021-03-04"),
        ("March 14, 2021", "2021-03-14"),
        ("14 Mar 2021", "2021-03-14"),
        ("20210314", "2021-03-14"),
    ],
)
def test_dates_are_written_iso(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["yesterday", "13/13/2021", "2021-02-30", "", "pending"])
def test_a_value_that_is_no_date_parses_to_none(raw: str) -> None:
    assert parse_date(raw) is None


def test_labelled_exam_date_in_the_header_is_found_with_its_evidence() -> None:
    text = "MRI LUMBAR SPINE\nDATE OF EXAM: 03/14/2021\nFINDINGS: Normal.\n"
    found = header_date(text)
    assert found == {"date": "2021-03-14", "text": "03/14/2021", "start": 31, "end": 41, "rule": "labelled_exam_date"}
    assert text[found["start"] : found["end"]] == found["text"]


def test_a_date_on_the_first_line_is_the_report_date() -> None:
    found = header_date("CT CHEST 2020-01-02\nFINDINGS: Normal.")
    assert found is not None and (found["date"], found["rule"]) == ("2020-01-02", "first_line_date")


def test_birth_and_comparison_dates_are_not_the_report_date() -> None:
    text = "DOB: 01/02/1950\nCOMPARISON: 05/06/2019\nFINDINGS: No fracture. Date: none.\n"
    assert header_date(text) is None


def test_a_date_below_the_header_is_not_taken() -> None:
    text = "FINDINGS:\n" + "Normal.\n" * 10 + "Date: 01/02/2020\n"
    assert header_date(text) is None


def test_columns_give_patient_and_date() -> None:
    warnings: list[str] = []
    block = report_block("Date: 01/01/2000", {"mrn": " P7 ", "exam_date": "2021-03-14"}, ReportColumns("mrn", "exam_date"),
                         warnings)
    assert block == {"patient_id": "P7", "date": "2021-03-14", "date_raw": "2021-03-14", "date_source": "column",
                     "date_evidence": None}
    assert warnings == []


def test_an_unparseable_column_date_is_kept_raw_with_a_warning() -> None:
    warnings: list[str] = []
    block = report_block("x", {"d": "last week"}, ReportColumns(date="d"), warnings)
    assert (block["date"], block["date_raw"], block["date_source"]) == (None, "last week", "column")
    assert warnings == ["unparseable_report_date"]


def test_a_named_column_the_input_lacks_is_a_warning() -> None:
    warnings: list[str] = []
    assert report_block("x", {}, ReportColumns(patient="mrn"), warnings)["patient_id"] is None
    assert warnings == ["report_column_missing"]


def test_without_a_date_column_the_header_date_is_used() -> None:
    block = report_block("EXAM DATE: 2022-05-06\nFINDINGS: ok", None, ReportColumns(), [])
    assert (block["date"], block["date_source"], block["date_evidence"]["rule"]) == ("2022-05-06", "header",
                                                                                       "labelled_exam_date")


@pytest.fixture(scope="module")
def column_extractor() -> Extractor:
    return Extractor(report_columns=ReportColumns(patient="mrn", date="exam_date"))


def test_csv_columns_reach_the_record(column_extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,mrn,exam_date,text\nr1,P1,03/14/2021,FINDINGS: Lytic metastasis in L2.\n", encoding="utf-8")
    (report,) = iter_reports([str(path)])
    record = column_extractor.record_for(report)
    assert record["report"]["patient_id"] == "P1"
    assert record["report"]["date"] == "2021-03-14"
    validate_record(record)


def test_extract_takes_patient_and_date_columns(cli, tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "pid": "P9", "when": "2020-02-03", "text": "FINDINGS: No fracture."}\n', encoding="utf-8")
    run = cli("extract", str(path), "--patient-column", "pid", "--date-column", "when")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert (record["report"]["patient_id"], record["report"]["date"]) == ("P9", "2020-02-03")


def test_worker_processes_keep_the_columns(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.csv"
    path.write_text("id,mrn,text\na,P1,FINDINGS: No fracture.\nb,P2,FINDINGS: No fracture.\n", encoding="utf-8")
    run = cli("extract", str(path), "--patient-column", "mrn", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert [json.loads(line)["report"]["patient_id"] for line in run.stdout.splitlines()] == ["P1", "P2"]


def test_a_de_identified_date_wrapper_is_read() -> None:
    found = header_date("EXAM: LUMBAR SPINE 2-3 VIEWS\nDATE: **DATE[Mar 15 2019]\n\nFindings: ok")
    assert found is not None and (found["date"], found["text"], found["rule"]) == ("2019-03-15", "Mar 15 2019",
                                                                                    "labelled_date")


def test_a_date_inside_a_narrative_first_line_is_not_the_report_date() -> None:
    assert header_date("70-year-old woman who slipped on ice on 02/03/2021. Radiographs of\nthe pelvis.") is None


def test_a_date_rule_without_the_date_group_names_file_and_rule(tmp_path: Path) -> None:
    import shutil

    from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir

    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, tmp_path / name)
    doc = json.loads((tmp_path / "report_date.json").read_text())
    doc["date_rules"][1]["regex"] = "date:\\s*{DATE}"
    (tmp_path / "report_date.json").write_text(json.dumps(doc))
    with pytest.raises(RuleError, match=r"^report_date\.json: rule labelled_date: regex needs a named group"):
        load_rules(tmp_path)


def _header_date_line_by_rule(text: str) -> dict | None:  # type: ignore[type-arg]
    """The plain reading: for each rule in order, each of the first non-blank header lines (the first one
    only for a first-line rule), skipping lines without a digit or naming a birth or prior exam."""
    lines, pos = [], 0
    for line in text[: RULES.header_chars].splitlines(keepends=True):
        if line.strip():
            lines.append((pos, line))
        pos += len(line)
        if len(lines) >= RULES.header_lines:
            break
    for rule, pattern, first_line_only in RULES.rules:
        for offset, line in lines[:1] if first_line_only else lines:
            if not re.search("[0-9]", line) or RULES.skip_lines.search(line):
                continue
            for m in pattern.finditer(line):
                raw = m.group("date")
                iso = parse_date(raw, day_first=ambiguous(raw) and day_first(text))
                if iso:
                    start, end = offset + m.start("date"), offset + m.end("date")
                    return {"date": iso, "text": text[start:end], "start": start, "end": end, "rule": rule}
    return None


_HEADER_PIECE = st.sampled_from([
    "MRI LUMBAR SPINE ", "DATE OF EXAM: ", "03/14/2021", "2021-03-14", "March 14, 2021", "DOB: 01/02/1950", "Comparison ",
    "prior 2020-01-01", "\n", "\n\n", "  ", "EXAM DATE ", "12", "Accession 123456", ": ", "[**2101-3-4**]", "Findings",
    "Date: ", "DOS ", "14 Mar 2021", "20210314", "**DATE[Mar 15 2019]", "history ", "13/45/2021",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_HEADER_PIECE, max_size=24).map("".join))
def test_header_date_is_the_plain_line_by_rule_reading(text: str) -> None:
    """Lines are judged readable once, not once per rule: the same date, from the same rule and place."""
    assert header_date(text) == _header_date_line_by_rule(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(_HEADER_PIECE, max_size=24).map("".join))
def test_header_date_without_the_rule_set_tries_every_rule(text: str) -> None:
    """Should RE2's set refuse the date rules, every rule is tried on every line: the same date."""
    assert _header_date(text, dataclasses.replace(RULES, rule_set=None)) == _header_date_line_by_rule(text)


@pytest.mark.parametrize(
    "written",
    ["2021-03-14", "2021-03-14T09:30:00Z", "2021-3-4 9:05", "2021/3/4", "03/14/2021", "3.4.21", "14-03-21",
     "March 14, 2021", "Mar. 4th 2021", "14 Mar 2021", "4th March, 2021", "20210314"],
)
def test_every_date_form_holds_the_hint_that_lets_its_line_be_read(written: str) -> None:
    """A header line without four digits in a row or a digit, a separator and a digit is not read for a date
    (session 23): every form a date rule takes must hold them."""
    assert parse_date(written) is not None
    assert DATE_HINT.search(written)
    assert _may_hold_date(f"EXAM: {written}")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["3", "14", "21", "2021", "/", ".", "-", " ", ", ", "Mar", "th", "T", "\n", "x", "\u0663"]),
                max_size=12).map("".join))
def test_a_line_holding_a_date_form_may_hold_a_date(text: str) -> None:
    """The shape test that lets a header line be read (ASCII digits folded to "0", session 24) never turns away a
    line where a date form is written among other digits and separators, ASCII or not."""
    if re.search(DATE, text, re.IGNORECASE) and re.search("[0-9]", text):
        assert _may_hold_date(text)


def test_a_header_line_whose_digits_make_no_date_is_not_read() -> None:
    assert header_date("XR CHEST 2 VIEWS\nT12 level, Clinical: 45M\nFindings: normal.") is None


# --- session 32: a report that writes its dates day first ----------------------------------------------------------

@pytest.mark.parametrize(("text", "iso"), [
    ("MRI WHOLE SPINE\nDate of examination: 03/11/2024\nComparison: MRI 25/10/2023.\n", "2024-11-03"),  # a day over 12
    ("Clinic letter, 3rd November 2024\nDate: 03/11/2024\n", "2024-11-03"),  # a day before a month word
    ("Date: 03.11.2024\nFindings: normal.\n", "2024-11-03"),  # stops, as Europe writes dates
    ("NHS Foundation Trust\nDate: 03/11/2024\nNo tumour.\n", "2024-11-03"),  # a UK hospital
    ("Date of exam: 03/11/2024\nNo tumor.\n", "2024-03-11"),  # a US report keeps the month first
    ("TUMOUR BOARD 12/03/2026\nNo oedema.\n", "2026-12-03"),  # spelling alone is no sign: writers mix it
    ("Date of exam: 03/11/2024\nComparison: 10/25/2023.\nNo oedema.\n", "2024-03-11"),  # a second number over 12
    ("Date of exam: 03/11/2024\nPrior: November 3, 2023.\n", "2024-03-11"),  # a month word before its day
    ("Date of exam: 14/03/2024\n", "2024-03-14"),  # reads one way only
])
def test_a_header_date_that_reads_both_ways_is_read_as_the_report_writes_its_dates(text: str, iso: str) -> None:
    found = header_date(text)
    assert found is not None and found["date"] == iso


def test_a_column_date_keeps_the_month_first_whatever_the_text_spells() -> None:
    block = report_block("Tumour board. Date: 25/10/2024.", {"d": "03/11/2024"}, ReportColumns(date="d"), [])
    assert block["date"] == "2024-03-11"
