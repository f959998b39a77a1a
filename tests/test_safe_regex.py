"""Rule regexes run on RE2 (#17.3): the same matches as Python's re where both accept the pattern
(offsets in characters, any text), veto and after groups in place of lookarounds, linear time."""

from __future__ import annotations

import functools
import re
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.regex_scan import RegexScan
from reportnlp.nlp.safe_regex import SafeSet, UnsafeRegex, _Encoded, compile_safe

# Patterns re and RE2 agree on (no \b: RE2's word boundary is ASCII-only).
PATTERNS = [r"rib|ribs", r"l\d-?\d?", r"\d+", r"\s+", r"\w+", r"[\w-]+", r"(?P<a>[CTLS])(?P<n>\d{1,2})?", r"é+|ß",
            r"a.?b", r"\S+\s*", r"(x)?y", r"x*", r"[\s,]*", r"\D\d"]
TEXT = st.text(alphabet=st.sampled_from(list("abrilsCTLS0129 \t\n\xa0,é€ß𝄞_-yx")), max_size=40)
# RE2's \b is ASCII-only, and the scan walks Python's word starts: they agree where no non-ASCII
# letter or digit touches a match.
ASCII_WORDS = st.text(alphabet=st.sampled_from(list("abrilsCTLS0129 \t\n\xa0,€𝄞_-yx")), max_size=40)


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_matches_and_offsets_are_those_of_re(pattern: str, flags: int, text: str) -> None:
    ours, theirs = compile_safe(pattern, flags), re.compile(pattern, flags)
    assert [(m.span(), m.group(0)) for m in ours.finditer(text)] == [(m.span(), m.group(0)) for m in theirs.finditer(text)]
    for pos in range(len(text) + 1):
        a, b = ours.match(text, pos), theirs.match(text, pos)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))
        end = len(text) - pos  # a search that ends early sees the text end there, as in re
        a, b = ours.search(text, 0, end), theirs.search(text, 0, end)
        assert (a and a.span()) == (b and b.span())


@pytest.mark.parametrize("pattern", [r"^b", r"\bb", r"b\b", r"b$", r"(?m)^b", r"c\Z"])
def test_anchors_at_pos_and_endpos_are_those_of_re(pattern: str) -> None:
    ours, theirs = compile_safe(pattern), re.compile(pattern)
    text = "abc\nbc"
    for pos in range(len(text) + 1):
        for end in range(pos, len(text) + 1):
            assert bool(ours.search(text, pos, end)) == bool(theirs.search(text, pos, end)), (pos, end)


@settings(max_examples=100, deadline=None)
@given(text=ASCII_WORDS)
def test_the_scan_of_many_rules_finds_what_each_finds_alone(text: str) -> None:
    rules = [compile_safe(p, re.IGNORECASE) for p in (r"\brib\b", r"\bribs?(?P<veto>\s+x)?", r"\bl\d", r"\w+")]
    assert [[m.span() for m in found] for found in RegexScan(rules).finditer_all(text)] == [
        [m.span() for m in rx.finditer(text)] for rx in rules]


def test_a_veto_group_drops_the_match_as_a_negative_lookahead_would() -> None:
    veto = compile_safe(r"\b(?:liver|hepatic)\b(?P<veto>\s+(?:cancer|primary)\b)?", re.IGNORECASE)
    look = re.compile(r"\b(?:liver|hepatic)\b(?!\s+(?:cancer|primary)\b)", re.IGNORECASE)
    for text in ("liver cancer; hepatic lesion", "Liver cancers", "liver  primary liver", "hepatic"):
        assert [m.span() for m in veto.finditer(text)] == [m.span() for m in look.finditer(text)]


def test_an_after_group_is_context_not_match() -> None:
    rx = compile_safe(r"\bbreasts?\b(?P<after>\s+(?:mass|nodule))", re.IGNORECASE)
    (m,) = rx.finditer("left breast mass, breast pain")
    assert (m.group(0), m.span()) == ("breast", (5, 11))


@pytest.mark.parametrize("pattern", ["(a|a)*b", r"(\w+\s?)+$", "(a|aa)+c", "(a|a?)+$", "(a+)+b", r"(.*a){12}"])
def test_catastrophic_shapes_take_linear_time(pattern: str) -> None:
    rx = compile_safe(pattern)
    start = time.monotonic()
    for n in (60, 6_000):
        list(rx.finditer("a" * n + "!"))
        rx.match("a" * n + "!")
    assert time.monotonic() - start < 1


@pytest.mark.parametrize("pattern", [r"(?<=a)b", r"a(?!b)", r"(a)\1", r"(?P<x>a)(?P=x)", "(?>a)", "", "x" * 2001, r"[^\W\d]"])
def test_what_re2_cannot_do_is_refused_in_one_line(pattern: str) -> None:
    with pytest.raises(UnsafeRegex) as info:
        compile_safe(pattern)
    assert "\n" not in str(info.value)


# The built-in rules that used lookarounds before RE2 (#17.3), as they were: their RE2 forms must
# find the same matches (spine_level's lookbehind became \\b, which differs only after "_" or a
# non-ASCII letter, left out of the words here).
LOOKAROUND_FORMS = {
    'spine_level': '(?<![A-Za-z0-9])(?P<a>[CTLS])\\s?(?P<an>[1-9]|1[0-2])(?:\\s*(?P<sep>-|–|/|\\bthrough\\b|\\bthru\\b|\\bto\\b)\\s*(?P<b>[CTLS])?\\s?(?P<bn>[1-9]|1[0-2]))?(?![0-9])(?!\\s*-?\\s*(?:weighted|w\\b|wi\\b|hypo|hyper|iso|signal|image|sequence|flair|fat|post|pre|bright|dark|short|prolong|star|\\*|stir))(?![A-Za-z])',  # noqa: E501
    'sacrum': '\\b(?:sacrum|sacral(?!\\s+(?:nerve|plexus|foramina))|coccyx|coccygeal)\\b',
    'pelvis_bone': '\\b(?:bony\\s+pelvis|pelvic\\s+bones?|bones\\s+of\\s+the\\s+pelvis|pelvic\\s+girdle|ilium|iliac\\s+(?:bones?|wings?|crests?)|ilia|ischium|ischial|ischia|pubic\\s+(?:bones?|ram(?:us|i))|pubis|acetabul(?:um|ar|a)|superior\\s+ramus|inferior\\s+ramus|supra-?acetabular|iliac(?!\\s+(?:arter|vein|vess|node|lymph|chain|fossa)))\\b',  # noqa: E501
    'tibia_fibula': '\\b(?:tibias?|tibial(?!\\s+(?:arter|nerve|vein))|fibulas?|fibular)\\b',
    'liver': '\\b(?:liver|hepatic)\\b(?!\\s+(?:cancer|carcinoma|primary|ca|adenocarcinoma|malignancy|tumou?r)\\b)',
    'lung': '\\b(?:lungs?|pulmonary|lobes?|parenchyma|parenchymal)\\b(?!\\s+(?:cancer|carcinoma|primary|ca|adenocarcinoma|malignancy|tumou?r)\\b)',  # noqa: E501
    'other_organ': '\\b(?:kidneys?|renal|pancreas|pancreatic|spleen|splenic|soft\\s+tissues?|subcutaneous|skin|muscles?|muscular|thyroid|breast(?:s)?(?=\\s+(?:mass|nodule|lesion|metastas))|bladder|bowel|colon|stomach|ovar(?:y|ies)|uterus|chest\\s+wall)\\b(?!\\s+(?:cancer|carcinoma|primary|ca|adenocarcinoma|malignancy|tumou?r)\\b)',  # noqa: E501
    'region': '\\b(?:chest|thorax|thoracic(?!\\s+(?:spine|vertebra|level|spinal))|abdomen|abdominal|pelvis|pelvic|head|neck|whole\\s+body|mediastinum|mediastinal|hilar|retroperitoneum|retroperitoneal)\\b',  # noqa: E501
    'laterality': '\\b(?:left|right|bilateral|bilaterally|both|l\\.|r\\.)(?=\\s)',
    'yo': '\\b(?P<age>\\d{1,3})\\s*-?\\s*(?:y/o|y\\.o\\.|yo|yr\\.?\\s*old|y\\s*o)(?![a-z])',
    'age_label': '\\bage\\s*[:=]?\\s*(?P<age>\\d{1,3})(?:\\s*(?:years?|yrs?|y))?\\b(?!\\s*(?:months?|weeks?|days?|mo\\b))',
}
WORDS = ["L", "C", "T", "S", "3", "4", "5", "12", "1", "-", "–", "/", " ", "  ", ":", ",", ".", "to", "through", "weighted",
         "w", "posterior", "post", "star", "*", "sacral", "nerve", "iliac", "artery", "vessels", "bone", "tibial",
         "vein", "tibia", "liver", "hepatic", "cancer", "cancers", "lung", "lobes", "primary", "breast", "breasts",
         "mass", "masses", "renal", "thoracic", "spine", "chest", "left", "right", "r.", "y/o", "yo", "york", "yr", "old",
         "y", "o", "age", "=", "months", "mo", "x", "a"]


@functools.cache
def _both_forms(rule: str) -> tuple[Any, re.Pattern[str]]:
    from reportnlp.nlp.rules import load_rules

    rules = load_rules()
    regex = {r["id"]: r["regex"] for r in rules.anatomy["anatomy_rules"] + rules.patient["age_rules"]}[rule]
    return compile_safe(regex, re.IGNORECASE), re.compile(LOOKAROUND_FORMS[rule], re.IGNORECASE)


@pytest.mark.parametrize("rule", sorted(LOOKAROUND_FORMS))
@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=12))
def test_the_re2_forms_of_the_builtin_rules_match_as_their_lookaround_forms(rule: str, words: list[str]) -> None:
    """Same spans and same values of the groups both forms have (the RE2 form adds veto/after/optional)."""
    ours, theirs = _both_forms(rule)
    text = "".join(words)
    shared = set(ours.groupindex) & set(theirs.groupindex)
    assert [(m.span(), {k: m.group(k) for k in shared}) for m in ours.finditer(text)] == [
        (m.span(), {k: m.group(k) for k in shared}) for m in theirs.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab é€ß𝄞\udc80\n")), max_size=30))
def test_character_and_byte_offsets_agree_with_the_utf8_text(text: str) -> None:
    """Every character's byte offset is where its UTF-8 bytes start (lone surrogates as surrogatepass
    writes them, as from a report read with surrogateescape), and back."""
    enc = _Encoded(text)
    for i in range(len(text) + 1):
        at = len(text[:i].encode("utf-8", "surrogatepass"))
        assert enc.byte(i) == at
        assert enc.char(at) == i



@pytest.mark.parametrize("offset", [1, 3, 4, 7])  # inside "é" (bytes 0-1), inside "€" (2-4), past the end (6)
def test_a_byte_offset_that_starts_no_character_has_no_character_offset(offset: int) -> None:
    with pytest.raises(KeyError):
        _Encoded("é€x").char(offset)


# Patterns whose UTF-8 and Latin-1 programs differ in what they hold: non-ASCII characters written out or as code
# points above Latin-1, ranges from ASCII to beyond it, Python's Unicode \s and \w, case folding (k: the Kelvin sign).
LATIN1_PATTERNS = [r"L\d(?:-|–|/)\d", r"[!-–]+", r"[\x{2000}-\x{200a}a]+", r"\s+\w+", r"(?P<k>k+)(?P<veto>s)?",
                   r"\bsacr(?:um|al)\b", r"[^é\x{3000}]+", r"(?P<a>a)(?P<after>b)", r"x*"]
ASCII_TEXT = st.text(alphabet=st.sampled_from(list("aksKSL12-/!~ \t\nbx_é")), max_size=30).filter(str.isascii)


def _utf8_only(pattern: str, flags: int) -> Any:
    """The pattern compiled so that every text, ASCII too, is matched with its UTF-8 program."""
    compiled = compile_safe(pattern, flags)
    compiled._ascii = compiled._regexp
    return compiled


@pytest.mark.parametrize("pattern", LATIN1_PATTERNS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=60, deadline=None)
@given(text=ASCII_TEXT)
def test_an_ascii_text_is_matched_by_the_latin1_program_as_by_the_utf8_one(pattern: str, flags: int, text: str) -> None:
    latin1, utf8 = compile_safe(pattern, flags), _utf8_only(pattern, flags)
    assert [m._spans for m in latin1.finditer(text)] == [m._spans for m in utf8.finditer(text)]
    for pos in range(len(text) + 1):
        a, b = latin1.match(text, pos), utf8.match(text, pos)
        assert (a and a._spans) == (b and b._spans)
    assert latin1._ascii is not latin1._regexp  # it was made (no fallback to the UTF-8 program)


@pytest.mark.parametrize("pattern", [*LATIN1_PATTERNS, r"\\x{100}", r"\x{0100}", r"\x{00e9}", r"[\x{100}-\x{2fff}]"])
def test_the_latin1_source_is_every_escape_rewritten_though_most_are_not_read(pattern: str) -> None:
    """A source with no code point beyond Latin-1 left (most) is passed on without a rewrite of each escape,
    which would give it unchanged."""
    from reportnlp.nlp import safe_regex

    source = compile_safe(pattern, re.IGNORECASE).source
    classes = (source.replace(safe_regex._WORD, safe_regex._ASCII_WORD).replace(safe_regex._DIGIT, safe_regex._ASCII_DIGIT)
               .replace(safe_regex._SPACE, safe_regex._LATIN1_SPACE))
    classes = "".join(c if c.isascii() else f"\\x{{{ord(c):x}}}" for c in classes)
    assert safe_regex._latin1_source(source) == safe_regex._ESCAPE.sub(safe_regex._latin1_escape, classes)


@pytest.mark.parametrize("pattern", LATIN1_PATTERNS)
@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_matches_lists_what_finditer_gives(pattern: str, text: str) -> None:
    compiled = compile_safe(pattern, re.IGNORECASE)
    assert [(m._spans, m.pos) for m in compiled.matches(text)] == [(m._spans, m.pos) for m in compiled.finditer(text)]


def test_every_shipped_anatomy_rule_has_a_latin1_program() -> None:
    """A rule RE2 cannot read as Latin-1 falls back to its UTF-8 program (same matches): this keeps the fast
    one for the rules every report's anatomy scan runs."""
    from reportnlp.nlp.rules import load_rules

    for rule in load_rules().anatomy["anatomy_rules"]:
        compiled = compile_safe(rule["regex"], re.IGNORECASE)
        assert compiled._ascii_program() is not compiled._regexp, rule["id"]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=80, deadline=None)
@given(text=ASCII_TEXT)
def test_a_set_asks_an_ascii_text_with_its_latin1_form_as_with_its_utf8_one(flags: int, text: str) -> None:
    patterns = SafeSet([compile_safe(p, flags) for p in LATIN1_PATTERNS])
    utf8 = set(patterns._utf8.Match(text.encode()))
    assert patterns.matching(text) == utf8
    assert sorted(patterns.matching_word(text)) == sorted(utf8)
    assert patterns._ascii is not patterns._utf8  # it was made (no fallback to the UTF-8 set)


@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_a_set_names_the_patterns_that_search_finds(text: str) -> None:
    """Any text, ASCII or not: a pattern the set leaves out has no match (a veto group may drop one it names)."""
    compiled = [compile_safe(p, re.IGNORECASE) for p in LATIN1_PATTERNS]
    named = SafeSet(compiled).matching(text)
    assert {i for i, p in enumerate(compiled) if p.search(text) is not None} <= named
    assert sorted(SafeSet(compiled).matching_word(text)) == sorted(named)


def test_the_shipped_anatomy_rules_set_has_a_latin1_form() -> None:
    from reportnlp.nlp.rules import load_rules

    rules = SafeSet([compile_safe(rule["regex"], re.IGNORECASE) for rule in load_rules().anatomy["anatomy_rules"]])
    assert rules._ascii_set() is not rules._utf8
