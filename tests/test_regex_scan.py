"""RegexScan gives each rule exactly the matches its own finditer gives, whatever the text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.regex_scan import RegexScan, first_chars
from reportnlp.nlp.rules import load_rules
from reportnlp.nlp.safe_regex import compile_safe

RULES = load_rules()
ANATOMY = [re.compile(r["regex"], re.I) for r in RULES.anatomy["anatomy_rules"]]
PATIENT = [
    re.compile(r["regex"], 0 if r.get("case_sensitive") else re.I)
    for r in RULES.patient["age_rules"] + RULES.patient["sex_rules"]
]
WORDS = ["rib", "ribs", "L4-5", "T12", "S1", "sacrum", "sacral nerve", "left", "femoral neck", "liver", "hepatic",
         "cancer", "spine", "c-spine", "cord", "node", "56-year-old", "woman", "Mr.", "he", "52 F", "age: 40",
         "ſacrum", "İliac", "KNEE", "knees", "skull base", "bones", "_L4", "x1", "é"]
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=25).map(" ".join) | st.text()


def _expected(patterns: list[re.Pattern[str]], text: str) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group(0)) for m in p.finditer(text)] for p in patterns]


def _scanned(scan: RegexScan, text: str) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group(0)) for m in ms] for ms in scan.finditer_all(text)]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_anatomy_rules_find_what_finditer_finds(text: str) -> None:
    assert _scanned(RegexScan(ANATOMY), text) == _expected(ANATOMY, text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_patient_rules_find_what_finditer_finds(text: str) -> None:
    assert _scanned(RegexScan(PATIENT), text) == _expected(PATIENT, text)


def test_word_led_rule_is_read_by_its_first_letters() -> None:
    assert first_chars(re.compile(r"\b(?:ribs?|costal)\b", re.I)) == frozenset("rc")


def test_rule_that_may_start_inside_a_word_is_not_read_by_letter() -> None:
    assert first_chars(re.compile(r"(?<![a-z])L\d", re.I)) is None
    assert first_chars(re.compile(r"\b(?:x)?", re.I)) is None  # may match the empty string


def test_case_sensitive_rule_still_finds_its_own_matches_only() -> None:
    scan = RegexScan([re.compile(r"\bF\b"), re.compile(r"\bf\w+")])
    assert _scanned(scan, "age 52 F, female") == [[(7, 8, "F")], [(10, 16, "female")]]


def test_rules_sharing_a_first_letter_keep_their_own_matches() -> None:
    patterns = [re.compile(r"\bsacr\w*", re.I), re.compile(r"\bspine\b", re.I), re.compile(r"\bs\w+", re.I)]
    text = "Sacral spine, sacrum."
    assert _scanned(RegexScan(patterns), text) == _expected(patterns, text)


def test_backreferences_are_not_joined_into_a_gate() -> None:
    patterns = [re.compile(r"\b(a)b\1", re.I), re.compile(r"\b(a)\1", re.I)]
    text = "aba abb aa"
    assert _scanned(RegexScan(patterns), text) == _expected(patterns, text)


SAFE_ANATOMY = [compile_safe(r["regex"], re.I) for r in RULES.anatomy["anatomy_rules"]]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_rules_on_re2_asked_together_find_what_each_finds_alone(text: str) -> None:
    """The RE2 set only rules patterns out; whatever it lets through is searched as before."""
    assert _scanned(RegexScan(SAFE_ANATOMY), text) == _expected(SAFE_ANATOMY, text)


def test_the_set_skips_rules_that_cannot_match() -> None:
    scan = RegexScan([compile_safe(r"\brib\b", re.I), compile_safe(r"\bsacrum\b", re.I)])
    assert scan._set is not None and scan._set[1].matching("a rib here") == {0}


def _found(scan: RegexScan, text: str) -> list[tuple[int, list[tuple[int, int, str]]]]:
    return [(index, [(m.start(), m.end(), m.group(0)) for m in ms]) for index, ms in scan.found_in(text)]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_found_in_gives_each_rule_that_matches_with_its_matches_in_rule_order(text: str) -> None:
    """found_in is finditer_all without the rules that match nothing, for RE2 rules and for re ones."""
    for patterns in (SAFE_ANATOMY, ANATOMY):
        expected = [(index, ms) for index, ms in enumerate(_expected(patterns, text)) if ms]
        assert _found(RegexScan(patterns), text) == expected


def test_found_in_leaves_out_the_rules_a_text_does_not_match() -> None:
    scan = RegexScan([compile_safe(r"\brib\b", re.I), compile_safe(r"\bsacrum\b", re.I), compile_safe(r"\bribs?\b", re.I)])
    assert _found(scan, "a rib here") == [(0, [(2, 5, "rib")]), (2, [(2, 5, "rib")])]
