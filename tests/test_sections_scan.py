"""The section label scans' fast path (sections._AfterBreaks) gives re's finditer matches exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components import sections
from reportnlp.nlp.components.colon_scan import BLANKS, BreakLabels, Colons
from reportnlp.nlp.components.sections import SectionDetector, _AfterBreaks, _NotAfterWord
from reportnlp.nlp.rules import load_rules

_SCANS = [
    (sections._LABEL, sections._LABEL_SCAN),
    (sections._WHOLE_LABEL, sections._WHOLE_LABEL_SCAN),
    (sections._LINE_LABEL, sections._LINE_LABEL_SCAN),
    (sections._STUDY_LINE_LABEL, sections._STUDY_LINE_SCAN),
    (sections._STUDY_SITE_LINE_LABEL, sections._STUDY_SITE_LINE_SCAN),
]
# pieces of labels and of what sits around them: commas glued or spaced, line breaks, list numbers, times
_PIECES = st.sampled_from([
    ",", ", ", ",  ", "\n", "\r\n", " ", "\t", ":", ": ", ":,", "1.", "2)", "10:30", "x", "ab", "Ab", "A", "CT",
    "REVIEW OF SYSTEMS", "CARDIOPULMONARY", "L4-5", "S", "A/P", "A&P", "O'", "-", ">", "*", "#", "(", ")", "é",
    "XR", "MRI", "wrist", " R wrist", "Pelvis", "Left hip", ". ", "vs. ", " 11/02",
])


def _found(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None], tuple[int, int]]]:
    return [(m.span(), m.groupdict(), m.span("h")) for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_the_scans_find_what_finditer_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern, scan in _SCANS:
        assert _found(scan(text)) == _found(pattern.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_the_scans_find_what_finditer_finds_on_any_text(text: str) -> None:
    for pattern, scan in _SCANS:
        assert _found(scan(text)) == _found(pattern.finditer(text))


_COLON_SCANS = [
    (sections._LABEL, sections._LABEL_COLON_SCAN),
    (sections._WHOLE_LABEL, sections._WHOLE_LABEL_COLON_SCAN),
]
# ... and what a label may hold before its colon: a parenthesis (with a comma), list marks, digits of any script
_COLON_PIECES = st.one_of(_PIECES, st.sampled_from([
    " (today)", "(a, b)", " (PRELIM)", "(" + "x" * 24 + ")", "(" + "x" * 25 + ")", "\u0663.", "3)", "> ", "* ", "FINDINGS",
    "DIAGNOSES", "SKELETAL SURVEY",
]))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_COLON_PIECES, max_size=30))
def test_the_scans_from_the_colons_find_what_finditer_finds(pieces: list[str]) -> None:
    """Asked only where a colon's run of label characters begins, the label scans find what re's finditer
    finds over the whole text: the same matches, groups and order."""
    text = "".join(pieces)
    colons = Colons(text)
    for pattern, scan in _COLON_SCANS:
        assert _found(scan(text, colons)) == _found(pattern.finditer(text))
    assert _found(_DETECTOR.caps_labels(text, colons)) == _found(_DETECTOR.caps_rx.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_the_scans_from_the_colons_find_what_finditer_finds_on_any_text(text: str) -> None:
    for pattern, scan in _COLON_SCANS:
        assert _found(scan(text)) == _found(pattern.finditer(text))
    assert _found(_DETECTOR.caps_labels(text)) == _found(_DETECTOR.caps_rx.finditer(text))


def test_a_label_with_a_comma_in_its_parenthesis_is_found_from_its_colon() -> None:
    text = "x\nSKELETAL SURVEY (left, right):,ALSO (A,B): y"
    assert [m.group("h") for m in sections._LABEL_COLON_SCAN(text)] == ["SKELETAL SURVEY", "ALSO"]


def test_a_header_with_a_colon_of_its_own_is_scanned_over_the_whole_text() -> None:
    """A rule file's header "PART A: HISTORY" has a colon before the one that ends it: its matches are not
    found from their last colon back, so that detector scans the text as before."""
    rules = load_rules().sections
    own = {**rules, "section_rules": [*rules["section_rules"], {
        "literal": "part a: history", "category": "history", "metadata": {"id": "part_a_history"}}]}
    detector = SectionDetector(own)
    assert detector.caps_labels is None
    text = "x PART A: HISTORY: none"
    assert [s.header for s in detector.find(text) if s.header] == ["PART A: HISTORY"]


def test_only_labels_opening_at_a_line_start_or_comma_are_scanned_from_colons() -> None:
    with pytest.raises(ValueError):
        BreakLabels(re.compile(r"^[A-Z]+:", re.MULTILINE), "[A-Z]*")


def test_a_label_that_took_the_comma_hides_the_next_one_as_finditer_does() -> None:
    text = "REVIEW OF SYSTEMS:,  CARDIOPULMONARY: normal.\nHEENT:,NECK: supple."
    heads = [m.group("h") for m in sections._LABEL_SCAN(text)]
    assert heads == [m.group("h") for m in sections._LABEL.finditer(text)]
    assert heads == ["REVIEW OF SYSTEMS", "HEENT", "NECK"]  # a comma right before the next label is still seen


def test_only_patterns_opening_at_a_line_start_or_comma_are_taken() -> None:
    with pytest.raises(ValueError):
        _AfterBreaks(re.compile(r"[A-Z]+:", re.MULTILINE))
    with pytest.raises(ValueError):
        _AfterBreaks(re.compile(r"^[A-Z]+:"))
    with pytest.raises(ValueError):
        _AfterBreaks(re.compile(r"(?:^|(?<=,))[A-Z]+:"))
    with pytest.raises(ValueError):
        _AfterBreaks(re.compile(r"(?:^|(?<=[,;]))[A-Z]+:", re.MULTILINE))


# --- the header scans of a SectionDetector (ALL CAPS: sections._NotAfterWord; at line starts: _AfterBreaks) ----

_DETECTOR = SectionDetector(load_rules().sections)
_CAPS_PIECES = st.sampled_from([
    "FINDINGS", "IMPRESSION", "HISTORY", "CLINICAL HISTORY", "EXAM", "COMPARISON", "TECHNIQUE", "INDICATION",
    "FINDINGS:", ":", ": ", ":,", " ", "  ", "\t", "\n", ",", "#2", " #12", "x", "ab", "A", "-", "/", "_", "1", "é",
    "É", "MRI", "CT", "PROCEDURE", "S", "I", "findings", "Impression", "\r\n", "1.", "2)", ">", "*", " - ", "\r",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CAPS_PIECES, max_size=30))
def test_the_header_scans_find_what_finditer_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _found(_DETECTOR.caps_scan(text)) == _found(_DETECTOR.caps_rx.finditer(text))
    assert _found(_DETECTOR.line_scan(text)) == _found(_DETECTOR.line_rx.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_the_header_scans_find_what_finditer_finds_on_any_text(text: str) -> None:
    assert _found(_DETECTOR.caps_scan(text)) == _found(_DETECTOR.caps_rx.finditer(text))
    assert _found(_DETECTOR.line_scan(text)) == _found(_DETECTOR.line_rx.finditer(text))


_GLUED_PIECES = st.sampled_from([
    "DIAGNOSES", "PREOPERATIVE DIAGNOSIS", "INDICATION", "FINDINGS", "IMPRESSION", ",", ", ", ".", ".,", "\n",
    "\r\n", " ", "\t", "1.", "12.", "\u0663.", "A", "Ab", "A b", "x", "CT", "é", "-", ":",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_GLUED_PIECES, max_size=30))
def test_the_comma_glued_header_scan_finds_what_finditer_finds(pieces: list[str]) -> None:
    """The comma-glued header scan, searched from the commas, stops and line breaks, gives re's finditer
    matches: the same spans, groups and order."""
    text = "".join(pieces)
    assert _found(_DETECTOR.caps_comma_scan(text)) == _found(_DETECTOR.caps_comma_rx.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_the_comma_glued_header_scan_finds_what_finditer_finds_on_any_text(text: str) -> None:
    assert _found(_DETECTOR.caps_comma_scan(text)) == _found(_DETECTOR.caps_comma_rx.finditer(text))


def test_a_comma_glued_header_is_found_after_a_stop_and_after_a_comma() -> None:
    text = "Seen today. INDICATION,A fall.,PREOPERATIVE DIAGNOSIS,Fracture.\nDIAGNOSES,1. x"
    assert [m.group("h") for m in _DETECTOR.caps_comma_scan(text)] == [
        "INDICATION", "PREOPERATIVE DIAGNOSIS", "DIAGNOSES"]


def test_the_caps_header_scan_takes_only_its_opening() -> None:
    with pytest.raises(ValueError):
        _NotAfterWord(re.compile(r"[A-Z]+:"))
    with pytest.raises(ValueError):
        _NotAfterWord(re.compile(r"(?=[A])(?<![\w/-])A+:", re.IGNORECASE))
    scan = _NotAfterWord(re.compile(r"(?=[AB])(?<![\w/-])(?P<h>[A-Z]+):"))
    text = "xAB: AB: C: /B: -A: CB: é B:"
    assert _found(scan(text)) == _found(scan.pattern.finditer(text))
    assert [m.group("h") for m in scan(text)] == ["AB", "B"]


# Pieces of texts that the document-type cues and the whole-label rules look at.
_CUE_PIECES = st.sampled_from([
    "Dear Dr. Smith,", "dear doctor", "Thank you for your referral", "thank you very much for referring", "Sincerely,",
    "PROCEDURE: colonoscopy", "Procedures performed: 1. upper endoscopy", "Clinic note", "Follow-up visit\n",
    "HEENT:", "ROS:", "S:", "O:", "A:", "P:", "A/P:", "INDICATIONS FOR THE OPERATION:", "INDICATIONS FOR OPERATION:",
    "PREOPERATIVE DIAGNOSIS:", "PROCEDURE PERFORMED:", "MRI LUMBAR SPINE:", "FINDINGS:", "IMPRESSION:", "CT CHEST:",
    "HISTORY OF PRESENT ILLNESS:", "GROSS DESCRIPTION:", "CT", "normal.", ",", ".,", " ", "\n", "\n\n", "1.", "x",
    "s :", "\tA&P:", "a", "/", "&", "PREOPERATIVE DIAGNOSES", "FINDINGS", ",1.", ",12.", ",CT", ",\u0663.", ",\u0663\u0664.",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_CUE_PIECES, max_size=24))
def test_the_cue_set_and_the_label_memo_change_no_section(pieces: list[str]) -> None:
    """The document-type cues, the line labels and the comma-glued headers asked through one RE2 set first,
    and the whole-label rules remembered by label, give what every cue pattern searched on its own, every
    scan run and every label rule asked afresh give (the pieces hold comma-glued headers, U+0663 an
    Arabic-Indic digit, which re's digit class takes)."""
    text = "".join(pieces)
    fast = _DETECTOR
    reference = SectionDetector(load_rules().sections)
    reference.cue_set = None  # every cue pattern searched on its own
    reference._label_rule_memo.clear()
    assert fast.analyse(text) == reference.analyse(text)
    assert fast.analyse(text) == reference.analyse(text)  # a second time: from the memo



@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_CUE_PIECES, max_size=24).map("".join), st.text(max_size=40)))
def test_the_set_never_rules_out_what_the_scans_would_find(text: str) -> None:
    """The set's stand-ins are supersets: where the regex it stands in for finds something, the set says so."""
    possible = _DETECTOR.cue_set.matching(text)  # type: ignore[union-attr]
    if _DETECTOR.caps_comma_needs.search(text):
        assert _DETECTOR.comma_number in possible
    if list(sections._LINE_LABEL_SCAN(text)):
        assert _DETECTOR.line_label_number in possible
    for cue in _DETECTOR.type_cues:
        for pattern in cue.patterns:
            if pattern.search(text):
                assert _DETECTOR.cue_numbers[id(pattern)] in possible


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_the_study_label_gates_pass_every_text_a_scan_finds_a_label_in(pieces: list[str]) -> None:
    """The RE2 set's gates (_ANY_SITE_STUDY, _ANY_MIDLINE_STUDY) may pass texts without a label, never miss one."""
    text = "".join(pieces)
    if any(sections._STUDY_SITE_LINE_SCAN(text)):
        assert sections._ANY_SITE_STUDY.search(text) is not None
    if any(sections._study_labels(text, midline=True, site_first=False)) and not any(sections._STUDY_LINE_SCAN(text)):
        assert sections._ANY_MIDLINE_STUDY.search(text) is not None


def test_blanks_are_the_white_space_but_line_breaks_of_every_code_point() -> None:
    """colon_scan.BLANKS, a class's members, takes exactly what ``[^\\S\\r\\n]`` takes, on every code point."""
    blank = re.compile(f"[{BLANKS}]").fullmatch
    reference = re.compile(r"[^\S\r\n]").fullmatch
    assert [c for c in map(chr, range(0x110000)) if (blank(c) is None) != (reference(c) is None)] == []
