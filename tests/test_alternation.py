"""A phrase alternation written as a prefix tree matches exactly what the flat, longest-first one matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.alternation import literal_alternation, plain_alternation
from reportnlp.nlp.rules import load_rules

# Words that share prefixes, so phrases are prefixes of one another ("impression", "impressions").
PIECES = ["imp", "impression", "impressions", "Impression", "find", "findings", "ct", "CT", "c", "t", "pelvis",
          "exam", "x-ray", "a", "ab", "abc", "(1)", "hx"]
PHRASE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(" ".join)
PHRASES = st.lists(PHRASE, min_size=1, max_size=8)
GLUE = st.sampled_from([" ", "  ", "\n", "\t", ":", ",", ".", "", "-", " - ", "s"])
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), GLUE, st.text(max_size=3)), max_size=30).map("".join)
# What surrounds the alternation in the section header scans: a following colon, an optional plural.
CONTEXTS = ["(?P<h>{})", "(?P<h>{})[ \\t]*:", "(?<![\\w/-])(?P<h>{})s?(?![\\w-])", "^[ \\t]*(?P<h>{})[ \\t]*(?:,|$)"]


def _matches(pattern: str, flags: int, text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [(m.span(), m.span("h")) for m in re.compile(pattern, flags).finditer(text)]


@settings(max_examples=500, deadline=None)
@given(PHRASES, TEXT, st.sampled_from(CONTEXTS), st.booleans())
def test_tree_matches_what_the_flat_alternation_matches(phrases: list[str], text: str, context: str, ignore: bool) -> None:
    flags = re.MULTILINE | (re.IGNORECASE if ignore else 0)
    tree = context.format(literal_alternation(phrases, ignore_case=ignore))
    flat = context.format(plain_alternation(phrases))
    assert _matches(tree, flags, text) == _matches(flat, flags, text)


@settings(max_examples=300, deadline=None)
@given(PHRASES, TEXT, st.booleans())
def test_tree_and_flat_forms_agree_with_a_separator_that_stops_at_line_breaks(
    phrases: list[str], text: str, ignore: bool
) -> None:
    sep, flags = r"[^\S\r\n]+", re.MULTILINE | (re.IGNORECASE if ignore else 0)
    tree = f"(?P<h>{literal_alternation(phrases, ignore_case=ignore, sep=sep)})"
    assert _matches(tree, flags, text) == _matches(f"(?P<h>{plain_alternation(phrases, sep)})", flags, text)


def test_a_separator_that_stops_at_line_breaks_keeps_a_phrase_on_one_line() -> None:
    pattern = re.compile(literal_alternation(["ct findings", "findings"], ignore_case=True, sep=r"[^\S\r\n]+"), re.I)
    assert [m.group() for m in pattern.finditer("POST-DISCOGRAM CT\nFINDINGS: ct  findings")] == ["FINDINGS", "ct  findings"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted({" ".join(r["literal"].split()) for r in load_rules().sections["section_rules"]})),
                min_size=1, max_size=40),
       st.lists(st.sampled_from(["IMPRESSION", "Findings", "HISTORY OF PRESENT ILLNESS", "CT", "EXAM", ":", "\n", " ",
                                 ",", "1.", "PRE", "OPERATIVE", "DIAGNOSIS", "DIAGNOSES"]), max_size=30).map("".join))
def test_tree_matches_the_flat_form_on_the_section_headers(phrases: list[str], text: str) -> None:
    for ignore in (False, True):
        flags = re.IGNORECASE if ignore else 0
        words = [p.upper() for p in phrases] if not ignore else phrases
        assert _matches(f"(?P<h>{literal_alternation(words, ignore)})", flags, text) == _matches(
            f"(?P<h>{plain_alternation(words)})", flags, text
        )


def test_phrases_outside_ascii_keep_the_flat_form() -> None:
    """Under IGNORECASE "s" and the long s match the same letter: the tree is not used for them."""
    assert literal_alternation(["ſacrum", "sacral"], ignore_case=True) == plain_alternation(["ſacrum", "sacral"])


def test_a_longer_phrase_wins_over_its_prefix() -> None:
    rx = re.compile(literal_alternation(["impression", "impressions", "final impression"], ignore_case=True), re.I)
    assert [m.group(0) for m in rx.finditer("Impressions: FINAL  IMPRESSION")] == ["Impressions", "FINAL  IMPRESSION"]


def test_case_variants_are_one_branch_when_case_is_ignored() -> None:
    """"Findings" and "finding" are one path under IGNORECASE, so the longer still wins."""
    rx = re.compile(literal_alternation(["Finding", "findings"], ignore_case=True), re.I)
    assert rx.match("FINDINGS").group(0) == "FINDINGS"
