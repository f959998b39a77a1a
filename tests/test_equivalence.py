"""The lean pipeline parts give exactly what the reference implementations give.

reportnlp matches rules and runs ConText with its own code (components/matching.py, context.py)
and tokenizes per whitespace-free chunk (components/tokenizer.py), for speed. Each is checked
here against the implementation it replaces, on the same rule files: medspaCy's MedspacyMatcher
and ConText, spaCy's Matcher, spaCy's tokenizer on the whole text. Inputs are the sample
reports, seeded generated reports, and seeded random token sequences and rule sets built to hit
the corner cases (ties, overlapping cues, max_scope, terminated_by, type filters, cues that run
over a sentence end, special cases across chunks).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.common.util import prune_overlapping_matches as medspacy_prune
from medspacy.context import ConText, ConTextRule
from medspacy.target_matcher import TargetRule
from spacy.attrs import LIKE_NUM
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

import reportnlp
from reportnlp.nlp.components import matching
from reportnlp.nlp.components.context import ConTextCues, NearCues
from reportnlp.nlp.components.matching import (
    RuleMatcher,
    TokenPatternMatcher,
    _anchors,
    add_token_pattern,
    compile_pattern,
    prune_overlapping_matches,
)
from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.reference import context_rule
from reportnlp.nlp.components.tables import sentence_table
from reportnlp.nlp.components.tokenizer import ReportTokenizer, split_glued, working_text
from reportnlp.nlp.pipeline import EXACT
from reportnlp.nlp.regex_scan import regex_literals
from reportnlp.nlp.rules import load_rules
from reportnlp.nlp.safe_regex import compile_safe

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import reportgen  # noqa: E402

RULES = load_rules()
_BLANK = spacy.blank("en")


@pytest.fixture(scope="module")
def nlp() -> Language:
    """Docs in the folded view the matchers work on (the exact-text Doc is made after them)."""
    nlp = reportnlp.load()
    nlp.disable_pipe(EXACT)
    return nlp


# Scopes a terminator must end after another cue narrowed them, and cues of several words (own sentences).
_SCOPE_TEXTS = [
    "FINDINGS: Sclerotic lesion in T10, which may represent a metastasis; follow-up MRI is recommended.",
    "FINDINGS: Lytic focus of the rib, which can be seen with metastases; bone scan is suggested.",
    "FINDINGS: The blastic focus is no longer visible. Impending pathologic fracture of the femur; no cord "
    "compression. Flare rather than progression of osseous metastases.",
    "PROCEDURE: Cholecystectomy with attempted intraoperative cholangiogram; we aborted further attempts at "
    "cholangiography. Marrow infiltration of the pelvis, suspicious for myeloma.",
]


def _texts() -> list[str]:
    samples = [p.read_bytes().decode("utf-8") for p in sorted((REPO / "corpus_samples").glob("*.txt"))]
    return samples + _SCOPE_TEXTS + [text for _, text in reportgen.generate(40, seed=3)]


def _no_guard(_: int) -> Any:
    import contextlib

    return contextlib.nullcontext()


_LEAN_TARGETS = RuleMatcher(
    _BLANK, [(r["category"], r["literal"], r.get("pattern")) for r in RULES.targets["target_rules"]], _no_guard
)
_LEAN_CUES = RuleMatcher(
    _BLANK, [(r["category"], r["literal"], r.get("pattern")) for r in RULES.context["context_rules"]], _no_guard
)


# --- rule matching -------------------------------------------------------------------------------


def _medspacy_target_matcher(nlp: Language) -> MedspacyMatcher:
    matcher = MedspacyMatcher(nlp, phrase_matcher_attr="LOWER", prune=True)
    rules = RULES.targets["target_rules"]
    matcher.add([TargetRule.from_dict(r) for r in rules])  # the rule files are in TargetRule's own shape
    return matcher


def _lean_target_matcher(nlp: Language) -> RuleMatcher:
    rules = RULES.targets["target_rules"]
    return RuleMatcher(nlp, [(r["category"], r["literal"], r.get("pattern")) for r in rules], _no_guard)


def _as_rules(matcher: MedspacyMatcher, nlp: Language, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """medspaCy's (key, start, end) as (rule index, start, end); its keys end in the rule's index."""
    return [(int(nlp.vocab.strings[key].rsplit("_", 1)[1]), start, end) for key, start, end in matches]


def test_target_matches_equal_medspacy_on_reports(nlp: Language) -> None:
    reference, lean = _medspacy_target_matcher(nlp), _lean_target_matcher(nlp)
    checked = 0
    for text in _texts():
        doc = nlp(text)
        expected = _as_rules(reference, nlp, reference(doc))
        assert lean(doc) == expected
        checked += len(expected)
    assert checked > 1000


def _rule_vocabulary() -> list[str]:
    words: set[str] = set()
    for rule in RULES.targets["target_rules"]:
        if "pattern" not in rule:
            words.update(rule["literal"].lower().split())
        for spec in rule.get("pattern", []):
            for value in spec.values():
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict):
                    words.update(v for v in value.get("IN", []) if isinstance(v, str))
    return sorted(words)


def test_target_matches_equal_medspacy_on_random_word_salad(nlp: Language) -> None:
    """Dense runs of rule words make overlapping, nested and tied matches on every line."""
    reference, lean = _medspacy_target_matcher(nlp), _lean_target_matcher(nlp)
    vocabulary = [*_rule_vocabulary(), "Schmorl's", "MR", "and", ",", "."]
    rng = random.Random(11)
    for _ in range(300):
        doc = nlp(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 40))))
        assert lean(doc) == _as_rules(reference, nlp, reference(doc))


# --- the token-pattern engine against spaCy's Matcher ---------------------------------------------

PATTERNS: list[list[dict[str, Any]]] = [
    [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c"}],
    [{"LOWER": {"IN": ["a", "b"]}, "OP": "?"}, {"LOWER": {"IN": ["b", "c"]}, "OP": "?"}, {"LOWER": "c"}],
    [{"LOWER": "a"}, {"LOWER": {"NOT_IN": ["c", "."]}, "OP": "{0,3}"}, {"LOWER": "c"}],
    [{"LOWER": "b"}, {"OP": "?"}, {"LOWER": "b"}],
    [{"LOWER": "a"}, {"LOWER": "a", "OP": "{1,2}"}],
    [{"LOWER": "b"}, {"IS_ALPHA": True, "OP": "?"}, {"TEXT": "C"}],
    [{"LOWER": {"REGEX": "^[ab]$"}}, {"IS_PUNCT": True}],
    [{"IS_SENT_START": True, "LOWER": "a"}, {"LOWER": "b"}],
    [{"LOWER": "c"}, {"IS_SENT_START": False, "OP": "{,2}"}, {"LOWER": "a"}],
    [{"TEXT": {"IN": ["A", "B"]}}, {"LOWER": "c", "OP": "{2}"}],
    [{"LOWER": "a", "OP": "?"}, {"LOWER": "a", "OP": "?"}],
    [{}, {"LOWER": "c"}],
    [{"LOWER": "a", "OP": "{1,3}"}, {"LOWER": "b"}],
    [{"LOWER": {"IN": ["a", "b"]}, "OP": "{2,3}"}, {"LOWER": "c", "OP": "?"}],
    [{"LOWER": "c", "OP": "?"}, {"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c"}],
]


def _random_doc(nlp: Language, rng: random.Random, words: list[str], n: int) -> Doc:
    doc = Doc(nlp.vocab, words=[rng.choice(words) for _ in range(n)])
    for token in doc:
        token.is_sent_start = token.i == 0 or rng.random() < 0.2
    return doc


def test_token_pattern_engine_finds_what_spacy_matcher_finds() -> None:
    nlp = spacy.blank("en")
    keyed = [(f"P_{i}", p) for i, p in enumerate(PATTERNS)]
    reference = Matcher(nlp.vocab)
    for key, pattern in keyed:
        reference.add(key, [pattern])
    rng = random.Random(5)
    for _ in range(400):
        doc = _random_doc(nlp, rng, ["a", "b", "c", "A", "B", "C", ".", ","], rng.randint(1, 14))
        for key, pattern in keyed:  # one pattern at a time: no ties, so the lean engine answers
            lean = TokenPatternMatcher(nlp, [(key, pattern)], add_token_pattern)
            assert lean.lean
            assert sorted(lean(doc)) == sorted(m for m in reference(doc) if m[0] == nlp.vocab.strings[key])


@pytest.mark.parametrize("own_getter", [False, True])
def test_a_pattern_led_by_like_num_finds_what_spacy_matcher_finds(own_getter: bool) -> None:
    """A new word's LIKE_NUM is computed from its text when the vocab's getter is spaCy's (or its shortcut),
    and read from the lexeme when it is another: both as spaCy's Matcher reads the flag."""
    nlp = spacy.blank("en")
    if own_getter:
        nlp.vocab.lex_attr_getters[LIKE_NUM] = lambda text: text in ("several", "7")
    keyed = [("P_0", [{"LIKE_NUM": True}, {"LOWER": {"IN": ["mets", "met"]}}])]
    lean = TokenPatternMatcher(nlp, keyed, add_token_pattern)
    doc = Doc(nlp.vocab, words=["several", "mets", "12.8", "METS", "seven", "met", "7", "met", "1/2", "mets", "x", "met"])
    assert lean(doc) == lean.spacy_matcher(doc)
    assert len(lean(doc)) == (2 if own_getter else 4)


def test_token_pattern_ties_keep_spacy_matcher_order() -> None:
    nlp = spacy.blank("en")
    keyed = [("FIRST_0", [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]), ("SECOND_1", [{"LOWER": {"IN": ["a"]}}])]
    lean = TokenPatternMatcher(nlp, keyed, add_token_pattern)
    doc = Doc(nlp.vocab, words=["a", "c"])
    assert lean(doc) == lean.spacy_matcher(doc)


_WORD_TEST = st.one_of(
    st.sampled_from(["a", "b", "c"]).map(lambda w: {"LOWER": w}),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True).map(lambda ws: {"LOWER": {"IN": ws}}),
    st.just({"LOWER": {"REGEX": "^[ab]$"}}),
    st.just({}),
)
# Mostly fixed-length patterns (their ties are settled without spaCy's Matcher), some with an operator.
_PATTERN = st.lists(
    st.one_of(_WORD_TEST, _WORD_TEST.map(lambda spec: {**spec, "OP": "?"})), min_size=1, max_size=3
).filter(lambda p: any("OP" not in spec for spec in p))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PATTERN, min_size=2, max_size=6), st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), min_size=1, max_size=12))
def test_ties_keep_what_pruning_spacy_matcher_results_keeps(patterns: list[list[dict[str, Any]]], words: list[str]) -> None:
    """Patterns that match the very same tokens: after medspaCy's pruning, the lean engine keeps the same
    matches as spaCy's Matcher (fixed-length ties are settled by the engine, the others by spaCy)."""
    nlp = _BLANK
    lean = TokenPatternMatcher(nlp, [(f"P_{i}", p) for i, p in enumerate(patterns)], add_token_pattern)
    doc = Doc(nlp.vocab, words=words)
    doc[0].is_sent_start = True
    assert prune_overlapping_matches(lean(doc)) == prune_overlapping_matches(lean.spacy_matcher(doc))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATTERN, min_size=2, max_size=6), st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), min_size=1, max_size=12))
def test_tied_matches_come_in_spacy_matcher_order(patterns: list[list[dict[str, Any]]], words: list[str]) -> None:
    """Matches of the very same tokens come in the order spaCy's Matcher with every pattern gives them, also
    where a Matcher with only the tied patterns settled them (``_tie_matcher``)."""
    nlp = _BLANK
    lean = TokenPatternMatcher(nlp, [(f"P_{i}", p) for i, p in enumerate(patterns)], add_token_pattern)
    doc = Doc(nlp.vocab, words=words)
    doc[0].is_sent_start = True

    def by_tokens(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        return sorted(matches, key=lambda m: (m[1], m[2]))  # stable: the order within the same tokens stays

    assert by_tokens(lean(doc)) == by_tokens(lean.spacy_matcher(doc))


_REGEX_TEST = st.sampled_from(["^[ab]$", "^a", "[A-Z]", "^\\d+$"]).map(lambda rx: {"LOWER": {"REGEX": rx}})
_MEMO_SPEC = st.tuples(st.one_of(_WORD_TEST, _REGEX_TEST, _REGEX_TEST.map(lambda s: {"TEXT": s["LOWER"]})),
                       st.sampled_from([None, "?", "{0,2}"])).map(lambda p: p[0] if p[1] is None else {**p[0], "OP": p[1]})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_MEMO_SPEC, min_size=1, max_size=3).filter(lambda p: any("OP" not in s for s in p)),
             min_size=1, max_size=5),
    st.lists(st.lists(st.sampled_from(["a", "b", "c", "d", "A", "B", "7", "12", "ab"]), min_size=1, max_size=10),
             min_size=1, max_size=8),
)
def test_remembered_regex_answers_and_starts_find_what_spacy_matcher_finds(
    patterns: list[list[dict[str, Any]]], docs: list[list[str]]
) -> None:
    """One engine over many docs, its memo tables tiny (entries dropped all the time): the remembered REGEX
    answers (``_regex_check``) and the patterns each word can start lose and add no match of spaCy's Matcher."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_REMEMBERED", 3)
        patch.setattr(matching, "_WORDS_REMEMBERED", 3)
        patch.setattr(matching, "_REGEX_REMEMBERED", 2)
        lean = TokenPatternMatcher(_BLANK, [(f"P_{i}", p) for i, p in enumerate(patterns)], add_token_pattern)
        for words in docs * 2:  # twice: the second time from the memo tables
            doc = Doc(_BLANK.vocab, words=words)
            doc[0].is_sent_start = True
            assert sorted(lean(doc)) == sorted(lean.spacy_matcher(doc))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aAb1 \u00e9x", max_size=6), min_size=1, max_size=30))
def test_a_remembered_regex_answer_is_the_search(strings: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_REGEX_REMEMBERED", 4)
        for pattern in ("^a", "b$", "\\d", "^[aA]+$", "\u00e9"):
            rx = compile_safe(pattern)
            check = matching._regex_check(rx)
            for s in strings * 2:
                assert check(s) == (rx.search(s) is not None)


def test_a_pattern_opening_with_optional_words_needs_its_first_required_word_within_reach() -> None:
    """Optional "the" / "left" (up to 3) before "foramina": a match needs "foramina" 0 to 3 tokens on, and
    "narrowed" 1 to 4."""
    pattern = [{"LOWER": {"IN": ["the", "left"]}, "OP": "{0,3}"}, {"LOWER": {"IN": ["foramina"]}}, {"LOWER": "narrowed"}]
    elements = compile_pattern(pattern, lambda word, name: False)
    assert elements is not None
    assert _anchors(elements) == [(frozenset({"foramina"}), 0, 3), (frozenset({"narrowed"}), 1, 4)]


def test_a_pattern_looked_up_by_its_first_word_is_anchored_on_a_later_needed_word() -> None:
    """"3-day history": looked up by the number (a REGEX), it needs "day"/"days" one or two tokens on."""
    pattern = [{"LOWER": {"REGEX": "^\\d+$"}}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["day", "days"]}}]
    elements = compile_pattern(pattern, lambda word, name: False)
    assert elements is not None
    assert _anchors(elements) == [(frozenset({"day", "days"}), 1, 2)]


def test_a_pattern_opening_with_any_word_is_anchored_on_its_needed_punctuation() -> None:
    """A field's label of 1-3 words, its ":" and a "[" or "{" (a template's unfilled choice): tried only where
    a ":" is 1 to 3 tokens on and a bracket 2 to 4, not at every word."""
    pattern = [{"IS_ALPHA": True, "OP": "{1,3}"}, {"ORTH": ":"}, {"ORTH": {"IN": ["[", "{"]}}, {"IS_ALPHA": True}]
    elements = compile_pattern(pattern, lambda word, name: False)
    assert elements is not None
    assert _anchors(elements) == [(frozenset({":"}), 1, 3), (frozenset({"[", "{"}), 2, 4)]


def test_a_field_opening_no_bracket_is_not_tried() -> None:
    """The second anchor fails: the pattern's elements are never run there, and the bracketed field still matches."""
    pattern = [{"IS_ALPHA": True, "OP": "{1,3}"}, {"ORTH": ":"}, {"ORTH": {"IN": ["[", "{"]}}, {"IS_ALPHA": True}]
    lean = TokenPatternMatcher(_BLANK, [("P_0", pattern)], add_token_pattern)
    tried: list[int] = []
    ends = matching._ends
    words = ["Canal", ":", "patent", ".", "Cord", "normal", ".", "Fracture", ":", "[", "none", "]"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_ends", lambda *args: tried.append(args[2]) or ends(*args))
        doc = Doc(_BLANK.vocab, words=words)
        assert lean(doc) == lean.spacy_matcher(doc) == [(_BLANK.vocab.strings["P_0"], 7, 11)]
    assert tried == [5, 7]  # "normal" and "Fracture", 1 to 3 words before the ":" of a bracket; not "Canal"


def test_a_report_without_the_bracket_never_tries_the_template_field() -> None:
    """A report whose text holds no "[" or "{" cannot hold a template's unfilled choice: no word of it is a
    place to try the rule (its anchor test would run at every word), and one whose text holds a bracket tries
    it where its anchors say."""
    pattern = [{"IS_ALPHA": True, "OP": "{1,3}"}, {"ORTH": ":"}, {"ORTH": {"IN": ["[", "{"]}}, {"IS_ALPHA": True}]
    lean = TokenPatternMatcher(_BLANK, [("P_0", pattern), ("P_1", [{"LOWER": "cord"}])], add_token_pattern)
    assert [number for number, _ in lean._gates] == [0]
    plain = Doc(_BLANK.vocab, words=["Canal", ":", "patent", ".", "Cord", ":", "normal", "."])
    assert lean(plain) == [(_BLANK.vocab.strings["P_1"], 4, 5)]
    assert lean._lean.newer == {"Canal": (), ":": (), "patent": (), ".": (), "Cord": lean._lean.newer["Cord"],
                                "normal": ()}
    bracket = Doc(_BLANK.vocab, words=["Cord", ":", "[", "normal", "]"])
    assert sorted(lean(bracket)) == sorted(lean.spacy_matcher(bracket)) == sorted(
        [(_BLANK.vocab.strings["P_0"], 0, 4), (_BLANK.vocab.strings["P_1"], 0, 1)])


def test_a_pattern_needing_a_mark_with_a_case_is_not_gated_by_the_text() -> None:
    """Only marks without a letter that has a case gate a report: a word ("met") may be in the text in
    another case than the rule's, so it is left to the anchor test."""
    keyed = [("P_0", [{"LIKE_NUM": True}, {"LOWER": {"IN": ["met", "mets"]}}]),
             ("P_1", [{"IS_ALPHA": True}, {"ORTH": "#"}])]
    lean = TokenPatternMatcher(_BLANK, keyed, add_token_pattern)
    assert lean._gates == [(1, (frozenset({"#"}),))]


_GATED_SPEC = st.one_of(
    st.just({"IS_ALPHA": True, "OP": "{1,2}"}),
    st.sampled_from([":", "[", "a", "B"]).map(lambda w: {"ORTH": w}),
    st.lists(st.sampled_from([":", "[", "{", "b"]), min_size=1, max_size=2, unique=True).map(lambda ws: {"ORTH": {"IN": ws}}),
    st.sampled_from(["a", "b"]).map(lambda w: {"LOWER": w}),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_GATED_SPEC, min_size=1, max_size=3).map(lambda p: [{"IS_ALPHA": True, "OP": "{1,3}"}, *p]),
             min_size=1, max_size=4),
    st.lists(st.lists(st.sampled_from(["a", "A", "b", "B", ":", "[", "{", "c"]), min_size=1, max_size=10),
             min_size=1, max_size=4),
)
def test_patterns_gated_by_the_reports_marks_find_what_spacy_matcher_finds(
    patterns: list[list[dict[str, Any]]], docs: list[list[str]]
) -> None:
    """Patterns opening with any word and needing marks (":", "[", "{"), on reports with and without them, one
    matcher for all of them (its word plans with and without the gated patterns both in use): the same matches
    as spaCy's Matcher, and after pruning the same ones kept."""
    lean = TokenPatternMatcher(_BLANK, [(f"P_{i}", p) for i, p in enumerate(patterns)], add_token_pattern)
    for words in docs:
        doc = Doc(_BLANK.vocab, words=words)
        doc[0].is_sent_start = True
        found, reference = lean(doc), lean.spacy_matcher(doc)
        assert sorted(found) == sorted(reference)
        assert prune_overlapping_matches(found) == prune_overlapping_matches(reference)


def test_a_sentence_start_test_beside_a_word_test_is_looked_up_by_its_words() -> None:
    """"Canal patent." at a sentence start: tried where the word is "canal", not at every token."""
    pattern = [{"LOWER": {"IN": ["canal", "foramina"]}, "IS_SENT_START": True}, {"LOWER": "patent"}]
    lean = TokenPatternMatcher(_BLANK, [("P_0", pattern)], add_token_pattern)
    assert lean.anywhere == []
    assert lean.by_lower == {"canal": {0}, "foramina": {0}}


_SPEC_WITH_OP = st.tuples(_WORD_TEST, st.sampled_from([None, "?", "{0,2}", "{1,2}", "{0,3}"])).map(
    lambda pair: pair[0] if pair[1] is None else {**pair[0], "OP": pair[1]}
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_SPEC_WITH_OP, min_size=1, max_size=4),
    st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), min_size=1, max_size=12),
)
def test_anchored_patterns_find_what_spacy_matcher_finds(pattern: list[dict[str, Any]], words: list[str]) -> None:
    """Skipping starts where a needed word is out of reach loses no match of spaCy's Matcher."""
    lean = TokenPatternMatcher(_BLANK, [("P_0", pattern)], add_token_pattern)
    doc = Doc(_BLANK.vocab, words=words)
    doc[0].is_sent_start = True
    assert sorted(lean(doc)) == sorted(lean.spacy_matcher(doc))


_TEXT_TEST = st.one_of(
    st.sampled_from(["A", "a", "#", "\u0130"]).map(lambda w: {"TEXT": w}),
    st.sampled_from(["^(?:A|#)$", "^[Ab]$", "^A$", "^A", "^(?:A|b+)$"]).map(lambda rx: {"TEXT": {"REGEX": rx}}),
    st.lists(st.sampled_from(["A", "b", "#", "\u0130"]), min_size=1, max_size=3, unique=True).map(
        lambda ws: {"ORTH": {"IN": ws}}
    ),
)
_SPEC_OR_TEXT = st.tuples(st.one_of(_WORD_TEST, _TEXT_TEST), st.sampled_from([None, "?", "{0,2}", "{1,2}"])).map(
    lambda pair: pair[0] if pair[1] is None else {**pair[0], "OP": pair[1]}
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(_SPEC_OR_TEXT, min_size=1, max_size=3).filter(lambda p: any("OP" not in s for s in p)),
             min_size=1, max_size=4),
    st.lists(st.sampled_from(["a", "A", "b", "B", "#", "\u0130", "i\u0307", "c"]), min_size=1, max_size=12),
)
def test_patterns_whose_second_token_is_a_text_test_find_what_spacy_matcher_finds(
    patterns: list[list[dict[str, Any]]], words: list[str]
) -> None:
    """A next word looked up by the lower-case forms of the texts a TEXT / ORTH test accepts ("no #",
    "severe MR") loses no match of spaCy's Matcher, whatever the case of the words (a dotted capital I
    lower-cases to two characters)."""
    lean = TokenPatternMatcher(_BLANK, [(f"P_{i}", p) for i, p in enumerate(patterns)], add_token_pattern)
    doc = Doc(_BLANK.vocab, words=words)
    doc[0].is_sent_start = True
    assert sorted(lean(doc)) == sorted(lean.spacy_matcher(doc))


def test_a_try_with_one_way_to_go_keeps_every_end_of_its_optional_tokens() -> None:
    """From one position an optional token both is and is not taken (two ends), an exact text looked up as
    its spelled-out words ("SCS"), as spaCy's Matcher finds them."""
    pattern = [{"LOWER": "severe"}, {"TEXT": {"REGEX": "^(?:SCS|CCS)$"}, "OP": "?"}, {"ORTH": {"IN": [":", "-"]}, "OP": "?"}]
    lean = TokenPatternMatcher(_BLANK, [("P_0", pattern)], add_token_pattern)
    for words in (["severe", "SCS", ":", "x"], ["Severe", "scs", "-"], ["severe", "CCS"], ["severe"]):
        doc = Doc(_BLANK.vocab, words=words)
        doc[0].is_sent_start = True
        assert sorted(lean(doc)) == sorted(lean.spacy_matcher(doc))
    doc = Doc(_BLANK.vocab, words=["severe", "SCS", ":"])
    assert sorted(end for _, _, end in lean(doc)) == [1, 2, 3]


def test_a_regex_that_spells_out_its_words_is_read_as_those_words() -> None:
    """"severe SCS": {"REGEX": "^(?:SCS|CCS)$"} passes exactly these two texts, so the next word is looked up."""
    assert regex_literals("^(?:SCS|CCS)$") == {"SCS", "CCS"}
    assert regex_literals("^(?:MSCC|MESCC)$") == {"MSCC", "MESCC"}  # a shared first letter, factored
    for open_ended in ("^SCS", "^[CT]\\d$", "(?i)^scs$", "^[^ab]$", "^a+$"):
        assert regex_literals(open_ended) is None
    lean = TokenPatternMatcher(_BLANK, [("P_0", [{"LOWER": "severe"}, {"TEXT": {"REGEX": "^(?:SCS|CCS)$"}}])],
                               add_token_pattern)
    assert lean.patterns[0][2] == frozenset({"scs", "ccs"})


def test_a_text_test_after_the_first_word_gives_the_next_words_to_look_up() -> None:
    """"no #" is tried only where "#" follows "no", "severe MR" where "mr" follows: the words a match needs
    next, in lower case."""
    keyed = [("P_0", [{"LOWER": "no"}, {"ORTH": "#"}]), ("P_1", [{"LOWER": "severe"}, {"TEXT": {"IN": ["MR", "TR"]}}])]
    lean = TokenPatternMatcher(_BLANK, keyed, add_token_pattern)
    assert [second for _, _, second in lean.patterns] == [frozenset({"#"}), frozenset({"mr", "tr"})]


def test_patterns_with_equal_anchors_share_one() -> None:
    """Two rules that both need "foramina" within three tokens: one anchor object, so the matcher can skip
    the second where the first's anchor just failed."""
    lead = {"LOWER": {"IN": ["the", "left"]}, "OP": "{0,3}"}
    keyed = [("P_0", [lead, {"LOWER": "foramina"}, {"LOWER": "narrowed"}]),
             ("P_1", [lead, {"LOWER": "foramina"}, {"LOWER": "patent"}])]
    lean = TokenPatternMatcher(_BLANK, keyed, add_token_pattern)
    assert lean.anchors[0] is lean.anchors[1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_SPEC_WITH_OP, min_size=1, max_size=3),
    st.lists(_SPEC_WITH_OP, min_size=2, max_size=3),
    st.lists(st.sampled_from(["a", "b", "c", "d", "A"]), min_size=1, max_size=12),
)
def test_patterns_sharing_an_anchor_find_what_spacy_matcher_finds(
    lead: list[dict[str, Any]], tails: list[dict[str, Any]], words: list[str]
) -> None:
    """Patterns with one opening and different last tokens (often one anchor): skipping the later ones
    where the shared anchor failed loses no match, and a passed anchor skips none."""
    keyed = [(f"P_{i}", [*lead, tail]) for i, tail in enumerate(tails)]
    lean = TokenPatternMatcher(_BLANK, keyed, add_token_pattern)
    doc = Doc(_BLANK.vocab, words=words)
    doc[0].is_sent_start = True
    assert sorted(lean(doc)) == sorted(lean.spacy_matcher(doc))


def test_fixed_length_ties_are_settled_without_spacy_matcher() -> None:
    """Two rules that both read "may be helpful": the earlier rule's match is kept, as spaCy orders them."""
    nlp = _BLANK
    keyed = [("FIRST_0", [{"LOWER": {"IN": ["may", "could"]}}, {"LOWER": "be"}, {"LOWER": "helpful"}]),
             ("SECOND_1", [{"LOWER": "may"}, {"LOWER": "be"}, {"LOWER": {"IN": ["helpful", "useful"]}}])]
    lean = TokenPatternMatcher(nlp, keyed, add_token_pattern)
    doc = Doc(nlp.vocab, words=["it", "may", "be", "helpful"])
    expected = lean.spacy_matcher(doc)
    lean.spacy_matcher = _NoFallback()  # type: ignore[assignment]
    assert lean(doc) == expected == [(nlp.vocab.strings[k], 1, 4) for k in ("FIRST_0", "SECOND_1")]


def test_other_ties_are_settled_by_spacy_matcher_on_the_tied_tokens_only() -> None:
    """Two rules of different lengths' shapes that match the same tokens: spaCy's Matcher with just those
    two patterns orders them, asked on those tokens alone (a long report is not matched twice, and the
    Matcher with every pattern of the rule file is not built for it)."""
    nlp = _BLANK
    keyed = [("FIRST_0", [{"LOWER": "disc"}, {"LOWER": "is", "OP": "?"}, {"LOWER": "narrowed"}]),
             ("OTHER_1", [{"LOWER": "spine"}]),
             ("SECOND_2", [{"LOWER": "disc"}, {"LOWER": {"IN": ["is", "was"]}}, {"LOWER": "narrowed"}])]
    lean = TokenPatternMatcher(nlp, keyed, add_token_pattern)
    doc = Doc(nlp.vocab, words=["the", "disc", "is", "narrowed", "and", "the", "disc", "is", "narrowed"])
    expected = prune_overlapping_matches(lean.spacy_matcher(doc))
    spy = _Spy(lean.spacy_matcher)
    lean.spacy_matcher = spy  # type: ignore[assignment]
    asked: list[Any] = []
    tie_matcher = lean._tie_matcher

    def tied(keys: frozenset[int]) -> Any:
        matcher = tie_matcher(keys)
        assert len(matcher) == 2  # the two tied patterns, not the third
        return lambda doclike: asked.append(doclike) or matcher(doclike)

    lean._tie_matcher = tied  # type: ignore[method-assign]
    assert prune_overlapping_matches(lean(doc)) == expected
    assert [(span.start, span.end) for span in asked] == [(1, 4), (6, 9)]
    assert spy.asked == []


class _Spy(list):  # type: ignore[type-arg]
    """Stands in for spaCy's Matcher: answers as it does and keeps what it was asked."""

    def __init__(self, matcher: Any) -> None:
        super().__init__([None])
        self.matcher = matcher
        self.asked: list[Any] = []

    def __call__(self, doclike: Any) -> Any:
        self.asked.append(doclike)
        return self.matcher(doclike)


class _NoFallback(list):  # type: ignore[type-arg]
    """Stands in for spaCy's Matcher: has patterns, fails when asked to match."""

    def __init__(self) -> None:
        super().__init__([None])

    def __call__(self, doc: Doc) -> list[Any]:
        raise AssertionError("fell back to spaCy's Matcher")


_TOKEN = st.one_of(
    st.text(alphabet="pcyTNM0123456789isxXabcv,-year'sSchmorlHCTMR?", max_size=8),
    st.sampled_from(["T2N0M0", "pT1N1", "N0,", "M1a", "3v", "Schmorl's", "5-year", "two", "MR", "HCT", "neuroforaminal",
                     "?", ",", "METs", "mr", "Mr"]),
    st.text(max_size=4),
)


@settings(max_examples=500, deadline=None)
@given(_TOKEN)
def test_patterns_a_word_can_start_are_those_its_tests_pass(word: str) -> None:
    """The REGEX tests asked together (RE2's set) before each pattern's own tests, and the patterns
    looked up by the exact text their first token needs ("MR", "?"): the same patterns as asking each
    pattern's tests, for the built-in target and cue rules."""
    from reportnlp.nlp.components.matching import _leading

    for matcher in (_LEAN_TARGETS.token_matcher, _LEAN_CUES.token_matcher):
        lower = word.lower()
        expected = set(matcher.anywhere)
        for number, (_, elements, _) in enumerate(matcher.patterns):
            leading = _leading(elements)
            if any(e.word_test is None for e in leading):  # a position test (IS_SENT_START) ...
                if all(e.lower_words is not None for e in leading) and any(lower in e.lower_words for e in leading):
                    expected.add(number)  # ... beside LOWER words: started at those words (else anywhere)
                continue
            if any(e.word_test(word, lower) for e in leading):  # type: ignore[misc]
                expected.add(number)
        assert matcher._starting(word, lower) == tuple(sorted(expected))


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TOKEN, st.text(max_size=6), st.sampled_from([
    "\u0663v", "\u017fchmorl", "\u212a", "L4", "T1N0M0", "three", "thr", "thirty", "10-year", "year", "Year", "yearly", "sev",
])))
def test_the_word_gate_keeps_every_regex_hit(word: str) -> None:
    """A new word whose opening no anchored REGEX set pattern can have, and holding no literal the others
    need, skips RE2's set: the same hits as asking the set for every word (the shipped target and cue
    rules, arbitrary words)."""
    for matcher in (_LEAN_TARGETS.token_matcher, _LEAN_CUES.token_matcher):
        sets = matcher._regex_sets
        expected = set()
        for is_lower, bank, text in ((True, sets._lower, word.lower()), (False, sets._word, word)):
            if bank is not None:
                expected |= {(is_lower, bank[0][i]) for i in bank[1].matching_word(text)}
        assert sets.hits(word, word.lower()) == expected


def test_a_bank_without_a_word_gate_is_asked_for_every_word() -> None:
    """A REGEX test the gate cannot read (``^\\w``: any word character) leaves its bank without a gate: every new
    word is asked against that bank, and the engine still finds its matches."""
    lean = TokenPatternMatcher(_BLANK, [("P_0", [{"TEXT": {"REGEX": "^\\w"}}, {"LOWER": "x"}])], add_token_pattern)
    assert lean._regex_sets._word is not None and lean._regex_sets._word[2] is None
    assert lean._regex_sets.hits("Kq", "kq") == {(False, "^\\w")}
    doc = Doc(_BLANK.vocab, words=["-", "Kq", "x"])
    assert lean(doc) == [(_BLANK.vocab.strings["P_0"], 1, 3)]


def test_a_word_gate_reads_openings_of_anchored_patterns_and_literals_of_others() -> None:
    from reportnlp.nlp.regex_scan import word_gate

    gate = word_gate(["^[CT]\\d$", "^schmorl", "^(?:[p]?T[0-4])?N[0-3]$"])
    assert gate is not None
    assert gate.heads == {"C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "T0", "T1", "T2", "T3", "T4",
                          "T5", "T6", "T7", "T8", "T9", "sch", "pT0", "pT1", "pT2", "pT3", "pT4", "N0", "N1", "N2",
                          "N3"}  # "T1N0" opens with "T1", like "T1" itself
    digits = word_gate(["^\\d+v$"])
    assert digits is not None and {"5v", "12v", "123"} <= digits.heads and "5" not in digits.heads  # two characters at least
    numbers = word_gate(["^(?:\\d+|three)$", "year$"])
    assert numbers is not None and (numbers.heads, numbers.literals) == (frozenset([*"0123456789", "thr"]), ("year",))
    for refused in (["^(?i)t1"], ["^a*"], ["^[^a]"], ["^\\w"], ["(?:a|b)x?"], ["^t1", "x?"]):
        assert word_gate(refused) is None


def test_a_word_gate_lets_through_what_may_match() -> None:
    from reportnlp.nlp.regex_scan import word_gate

    gate = word_gate(["^[CT]\\d$", "^(?:\\d+|three)$", "year$"])
    assert gate is not None
    for word in ("C4", "T1", "7", "12", "three", "thread", "5-year", "\u0663", "\u017fchmorl", "\u212a1"):
        assert gate.may_match(word), word  # (the last ones: not ASCII, always asked)
    for word in ("L4", "the", "c4", "", "yea", "Year"):
        assert not gate.may_match(word), word


def test_without_re2_sets_every_pattern_is_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should RE2's multi-pattern set refuse a pattern, the REGEX-led patterns are asked one by one."""
    from reportnlp.nlp.components import matching
    from reportnlp.nlp.safe_regex import UnsafeRegex

    def refuse(patterns: list[Any]) -> None:
        raise UnsafeRegex("refused")

    monkeypatch.setattr(matching, "SafeSet", refuse)
    lean = TokenPatternMatcher(_BLANK, [("P_0", [{"LOWER": {"REGEX": "^t[0-4]$"}}, {"LOWER": "n0"}])], add_token_pattern)
    doc = Doc(_BLANK.vocab, words=["T2", "N0"])
    assert lean(doc) == [(_BLANK.vocab.strings["P_0"], 0, 2)]


def test_patterns_the_engine_does_not_cover_go_to_spacy_matcher() -> None:
    nlp = spacy.blank("en")
    lean = TokenPatternMatcher(nlp, [("P_0", [{"LOWER": "a", "OP": "+"}, {"LENGTH": 1}])], add_token_pattern)
    assert not lean.lean
    doc = Doc(nlp.vocab, words=["a", "a", "b"])
    assert lean(doc) == lean.spacy_matcher(doc) != []


def test_pruning_equals_medspacy() -> None:
    rng = random.Random(2)
    for _ in range(5000):
        matches = []
        for _ in range(rng.randint(0, 9)):
            start = rng.randint(0, 12)
            matches.append((rng.randint(0, 3), start, start + rng.randint(1, 5)))
        assert prune_overlapping_matches(list(matches)) == medspacy_prune(list(matches))


# --- ConText -------------------------------------------------------------------------------------


def _context_rule(rule: dict[str, Any], default_max_scope: int | None = None) -> ConTextRule:
    return context_rule(rule, default_max_scope)  # what --matcher medspacy builds


def _medspacy_context(nlp: Language, rules: list[dict[str, Any]], default_max_scope: int | None = None) -> ConText:
    """medspaCy's ConText on our rules; a file's ``default_max_scope`` is given to each rule without a scope
    (medspaCy's own global ``max_scope`` would also replace sentences by windows, which ours never does)."""
    context = ConText(
        nlp, rules=None, span_attrs=None, input_span_type="group", span_group_name=MENTIONS, prune_on_modifier_overlap=True
    )
    context.add([_context_rule(r, default_max_scope) for r in rules])
    return context


def _edges_medspacy(context: ConText, doc: Doc) -> dict[tuple[int, int, str], list[tuple[int, int, str]]]:
    """Per target: (cue start, cue end, rule id) of the cues in its own sentence that modify it."""
    for span in doc.spans[MENTIONS]:
        span._.modifiers = ()
    context(doc)
    # From the graph's edges, which name the target with its label: ``span._.modifiers`` is stored by character
    # offsets, so two concepts on one span ("healing fracture": fracture and benign_bone) would share one list.
    by_target: dict[tuple[int, int, int], list[Any]] = {}
    for target, modifier in doc._.context_graph.edges:
        by_target.setdefault((target.start, target.end, target.label), []).append(modifier)
    out = {}
    for span in doc.spans[MENTIONS]:
        sent = span.sent.start
        out[(span.start, span.end, span.label_)] = sorted(
            (*m.modifier_span, m.rule.metadata["id"])
            for m in by_target.get((span.start, span.end, span.label), ())
            if doc[m.modifier_span[0]].sent.start == sent
        )
    return out


def _edges_lean(cues: ConTextCues, doc: Doc) -> dict[tuple[int, int, str], list[tuple[int, int, str]]]:
    sentences = sentence_table(doc)
    targets = [(s.start, s.end, s.label_) for s in doc.spans[MENTIONS]]
    found = cues.by_sentence(doc, {sentences.sent(start)[0] for start, _, _ in targets})
    return {
        (start, end, label): sorted(
            (m.start, m.end, m.rule.id) for m in found.get(sentences.sent(start)[0], ()) if m.modifies(start, end, label.upper())
        )
        for start, end, label in targets
    }


def test_context_equals_medspacy_on_reports(nlp: Language) -> None:
    rules = RULES.context["context_rules"]
    default = RULES.context.get("default_max_scope")
    reference = _medspacy_context(nlp, rules, default)
    lean = ConTextCues(nlp, rules, _no_guard, default)
    edges = 0
    for text in _texts():
        doc = nlp(text)
        expected = _edges_medspacy(reference, doc)
        assert _edges_lean(lean, doc) == expected
        edges += sum(map(len, expected.values()))
    assert edges > 300


CUE_WORDS = ["neg", "pos", "hyp", "stop", "fake", "old", "no", "not"]
FILLER = ["x", "y", ",", "and"]
LABELS = ["alpha", "beta", "gamma"]


def _random_context_rules(rng: random.Random) -> list[dict[str, Any]]:
    categories = ["NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "TERMINATE", "PSEUDO"]
    rules = []
    for i in range(rng.randint(3, 9)):
        n = rng.choice([1, 1, 2])
        literal = " ".join(rng.choice(CUE_WORDS) for _ in range(n))
        category = rng.choice(categories)
        direction = {"TERMINATE": "TERMINATE", "PSEUDO": "PSEUDO"}.get(
            category, rng.choice(["FORWARD", "BACKWARD", "BIDIRECTIONAL"])
        )
        rule: dict[str, Any] = {"literal": literal, "category": category, "direction": direction, "metadata": {"id": f"r{i}"}}
        if rng.random() < 0.4:
            rule["max_scope"] = rng.randint(1, 4)
        kind = rng.random()
        if kind < 0.2:
            rule["allowed_types"] = rng.sample(LABELS, rng.randint(1, 2))
        elif kind < 0.4:
            rule["excluded_types"] = rng.sample(LABELS, 1)
        if rng.random() < 0.3:
            rule["metadata"]["terminated_by"] = rng.sample(categories[:3], rng.randint(1, 2))
        rules.append(rule)
    if rng.random() < 0.5:  # a token pattern cue, with a sentence-start test
        rules.append({"literal": "p", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "metadata": {"id": "p"},
                      "pattern": [{"LOWER": "no"}, {"IS_SENT_START": False, "OP": "{0,2}"}, {"LOWER": "neg"}]})
    return rules


def _random_targets(doc: Doc, rng: random.Random) -> list[Span]:
    spans, i = [], 0
    while i < len(doc):
        if rng.random() < 0.3:
            length = rng.randint(1, 2)
            spans.append(Span(doc, i, min(i + length, len(doc)), label=rng.choice(LABELS)))
            i += length
        i += 1
    return spans


@pytest.mark.filterwarnings("ignore:.*W036")  # a random rule set may have no token patterns
def test_context_equals_medspacy_on_random_rules_and_sentences() -> None:
    """Random rule sets over word salad: scopes, terminations, type filters, overlapping cues, and
    sentence starts that fall inside a cue (where the lean ConText compares every cue of the doc)."""
    nlp = spacy.blank("en")
    rng = random.Random(17)
    crossing = 0
    for _ in range(250):
        rules = _random_context_rules(rng)
        reference = _medspacy_context(nlp, rules)
        lean = ConTextCues(nlp, rules, _no_guard)
        for _ in range(4):
            doc = _random_doc(nlp, rng, CUE_WORDS + FILLER, rng.randint(2, 24))
            doc.spans[MENTIONS] = _random_targets(doc, rng)
            if not len(doc.spans[MENTIONS]):
                continue
            expected = _edges_medspacy(reference, doc)
            assert _edges_lean(lean, doc) == expected, (rules, [t.text for t in doc])
            crossing += any(m.end > sentence_table(doc).sent(m.start)[1] for ms in
                            lean.by_sentence(doc, set(sentence_table(doc).starts)).values() for m in ms)
    assert crossing > 10  # the whole-doc path was exercised


@pytest.mark.filterwarnings("ignore:.*W036")
def test_context_with_bounded_scopes_equals_medspacy_on_long_sentences() -> None:
    """Every scope bounded (a default scope for the rules without one), long sentences full of cues: the
    sweep that compares only cues within reach of each other gives medspaCy's scopes and edges."""
    nlp = spacy.blank("en")
    rng = random.Random(29)
    for _ in range(120):
        rules = _random_context_rules(rng)
        default = rng.randint(1, 6)
        reference = _medspacy_context(nlp, rules, default)
        lean = ConTextCues(nlp, rules, _no_guard, default)
        for _ in range(3):
            doc = Doc(nlp.vocab, words=[rng.choice(CUE_WORDS + FILLER) for _ in range(rng.randint(20, 80))])
            for token in doc:
                token.is_sent_start = token.i == 0 or rng.random() < 0.03
            doc.spans[MENTIONS] = _random_targets(doc, rng)
            if not len(doc.spans[MENTIONS]):
                continue
            assert _edges_lean(lean, doc) == _edges_medspacy(reference, doc), (rules, default, [t.text for t in doc])
            table = sentence_table(doc)
            for sentence, mods in lean.by_sentence(doc, set(table.starts)).items():
                near = NearCues(mods, lean.max_scope)
                for span in doc.spans[MENTIONS]:
                    if table.sent(span.start)[0] == sentence:
                        label = span.label_.upper()
                        every = [m for m in mods if m.modifies(span.start, span.end, label)]
                        assert [m for m in near.around(span.start, span.end) if m.modifies(span.start, span.end, label)] == every
                        assert near.modifying(span.start, span.end, label) == every


# --- the chunked tokenizer against spaCy's tokenizer on the whole text ------------------------------


def _whole_text(base: Any, text: str) -> tuple[list[str], list[int], list[bool]]:
    """The tokenization ReportTokenizer promises: spaCy's tokens of the whole text, whitespace dropped,
    cut where punctuation is glued to the next word (split_glued), of the working text (working_text: markup read
    as white space, an entity as its character)."""
    text = masked = working_text(text)  # markup's own letters do not count towards a report in capitals
    upper = sum(c.isupper() for c in masked)
    folded = masked.lower() if upper > 2 * sum(c.islower() for c in masked) else masked
    folded = folded if len(folded) == len(text) else masked
    tokens = split_glued([(t.idx, t.text) for t in base(folded) if not t.is_space])
    words = [text[i : i + len(w)] for i, w in tokens]
    starts = [i for i, _ in tokens]
    ends = [*starts[1:], len(text)] if starts else []
    return words, starts, [s + len(w) < e for s, w, e in zip(starts, words, ends, strict=True)]


def _tricky_texts() -> Iterator[str]:
    rng = random.Random(23)
    pieces = [
        *"abAB ()'\":;.,-_*^<>=!?/\n\t\xa0 ",
        "e.g.", "a.m.", "10a.m.", ":)", "(:", "''", "'s", "n't", "can't", " ' ", "(-:", "http://x.org", "U.S.", "Dr.",
        "L4-5", "T12", "1.", ":P", "CANNOT", "İ",
        "Ab.", "A.", "AB.", "ß.", "ǅ.", "É.", "word,", "cannot.", "Cannot,", "dont;", "Mr.", "etc.", "no:", "Ms",
        "<br>", "</p><p>", "&nbsp;", "&amp;", "\\par ", "<b", "&nbsp",
    ]
    for _ in range(3000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


def test_chunked_tokenizer_equals_whole_text_tokenizer(nlp: Language) -> None:
    base = spacy.blank("en").tokenizer
    tokenizer = ReportTokenizer(nlp.vocab, base)
    for text in [*_texts(), *_tricky_texts()]:
        doc = tokenizer(text)
        words, starts, spaces = _whole_text(base, text)
        assert ([t.text for t in doc], doc._.reportnlp_starts, [bool(t.whitespace_) for t in doc]) == (words, starts, spaces)
        ends = [0, *(s + len(w) for s, w in zip(starts, words, strict=True))]
        work = working_text(text)  # a carriage return alone breaks a line there
        assert doc._.reportnlp_breaks == [work.count("\n", ends[i], s) for i, s in enumerate(starts)]
        assert doc._.reportnlp_tokens.lower == [t.lower_ for t in doc]


def _scopes(found: dict[int, list[Any]], sentences: set[int]) -> dict[int, list[tuple[str, int, int, int, int]]]:
    return {
        s: [(m.rule.id, m.start, m.end, m.scope_start, m.scope_end) for m in found.get(s, ())] for s in sorted(sentences)
    }


@pytest.mark.filterwarnings("ignore:.*W036")
def test_context_matched_near_the_targets_equals_the_whole_doc() -> None:
    """ConTextCues matches cues only in the sentences asked for and just before them (``_near``): the
    cues and final scopes of those sentences are the whole-doc path's, also where a cue elsewhere runs
    past its sentence's end (there the whole-doc path compares every cue of the doc)."""
    nlp = spacy.blank("en")
    rng = random.Random(41)
    elsewhere = gated = 0
    for _ in range(400):
        rules = _random_context_rules(rng)
        default = rng.choice([None, rng.randint(1, 6)])
        lean = ConTextCues(nlp, rules, _no_guard, default)
        for _ in range(4):
            doc = _random_doc(nlp, rng, CUE_WORDS + FILLER, rng.randint(2, 80))
            starts = sentence_table(doc).starts or [0]
            sentences = set(rng.sample(starts, rng.randint(1, max(1, len(starts) // rng.choice([1, 4])))))
            whole = lean.by_sentence(doc, sentences, gate=False)
            assert _scopes(lean.by_sentence(doc, sentences), sentences) == _scopes(whole, sentences), (
                rules, [t.text for t in doc], [t.is_sent_start for t in doc], sentences
            )
            table = sentence_table(doc)
            crossing = any(e > table.sent(s)[1] for _, s, e in lean.matcher(doc))
            near = lean._near(doc, table, sentences) if lean.matcher.longest is not None else None
            elsewhere += crossing and near is not None
            gated += near is not None
    assert elsewhere > 20 and gated > 200  # cues crossing elsewhere met the gated path


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([
        "no", "not", "without", "fracture", "effusion", "pneumonia", "metastasis", "history", "of", "possible",
        "This", "He", ",", ".", "?", ":", "\n", "\n\n", "FINDINGS:", "IMPRESSION:", "may", "be", "rule", "out",
        "evidence", "old", "healed", "the", "left", "L4", "since", "prior", "which", "is", "likely", "negative",
    ]), max_size=60),
    st.randoms(use_true_random=False),
)
def test_context_gate_on_the_shipped_rules(extractor: Any, words: list[str], rng: random.Random) -> None:
    """The same on the shipped rules and the real tokenizer and sentence splitter, any mix of words."""
    nlp = extractor.nlp
    doc = nlp.make_doc(" ".join(words))
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    cues = nlp.get_pipe("reportnlp_assertion").cues
    starts = sentence_table(doc).starts or [0]
    if not len(doc):
        return
    sentences = set(rng.sample(starts, rng.randint(1, len(starts))))
    whole = cues.by_sentence(doc, sentences, gate=False)
    assert _scopes(cues.by_sentence(doc, sentences), sentences) == _scopes(whole, sentences)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([
        "no", "not", "evidence", "of", "fracture", "rule", "out", "history", "may", "be", "without", ",", ".", "This",
        "negative", "for", "free", "?", "cannot", "be", "excluded", "likely", "old", "healed", "\n",
    ]), min_size=1, max_size=50),
    st.randoms(use_true_random=False),
)
def test_matches_asked_in_ranges_are_the_whole_docs_starting_there(extractor: Any, words: list[str], rng: random.Random) -> None:
    """``RuleMatcher.raw`` with ranges (token engine started only there, PhraseMatcher asked per range) gives
    the whole doc's matches that start in the ranges, in the same order."""
    nlp = extractor.nlp
    doc = nlp.make_doc(" ".join(words))
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    matcher = nlp.get_pipe("reportnlp_assertion").cues.matcher
    cuts = sorted(set(rng.sample(range(len(doc) + 1), min(len(doc) + 1, rng.randint(2, 6)))))
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    whole = matcher.raw(doc)
    expected = [m for m in whole if any(lo <= m[1] < hi for lo, hi in ranges)]
    assert matcher.raw(doc, ranges) == expected


def test_a_range_at_the_docs_end_asks_the_phrase_matcher_up_to_the_end(extractor: Any) -> None:
    """``RuleMatcher.raw`` makes each range's Span itself, its end clamped to the doc's as ``doc[lo:hi]`` clamps it:
    a cue in the last tokens, with a lead that would run past the end, is found as on the whole doc."""
    nlp = extractor.nlp
    doc = nlp.make_doc("The spine is intact. A fracture cannot be excluded")
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    matcher = nlp.get_pipe("reportnlp_assertion").cues.matcher
    whole = matcher.raw(doc)
    for lo in range(len(doc)):
        ranges = [(lo, len(doc))]
        assert matcher.raw(doc, ranges) == [m for m in whole if lo <= m[1]]
    assert any(end == len(doc) for _, _, end in whole)  # a cue that ends with the doc


def test_every_shipped_token_pattern_runs_in_the_fast_engine() -> None:
    """One pattern the engine does not cover (a SHAPE test, say) hands every report's whole matching to spaCy's
    Matcher: about seven times the CPU a report (session 17's merge of `ignore_gy_slash_fx` found it so)."""
    nlp = reportnlp.load()
    # a pipe's own matchers and those of its parts (the assertion's ConText cues hold theirs: session 23 found an
    # "OP": "*" cue pattern there that the check, reading the pipes alone, did not see)
    parts = [(name, part) for name, pipe in nlp.pipeline for part in (pipe, *vars(pipe).values()) if hasattr(part, "__dict__")]
    matchers = [(name, m) for name, part in parts for m in vars(part).values() if isinstance(m, RuleMatcher)]
    assert {name for name, _ in matchers} >= {"reportnlp_mentions", "reportnlp_assertion"}
    assert [name for name, m in matchers if not m.token_matcher.lean] == []


def test_every_shipped_token_pattern_is_looked_up_by_a_word_or_anchored() -> None:
    """A pattern no word looks up (its first token a flag test, {"IS_ALPHA": true}) and with no needed word
    (anchor) is tried at every token of every report: session 28's template-choice rule, so written, cost a
    public report 5.2 M of its 13.8 M instructions until an ORTH word could anchor it (session 29)."""
    nlp = reportnlp.load()
    parts = [(name, part) for name, pipe in nlp.pipeline for part in (pipe, *vars(pipe).values()) if hasattr(part, "__dict__")]
    engines = [(name, m.token_matcher) for name, part in parts for m in vars(part).values() if isinstance(m, RuleMatcher)]
    assert {name for name, _ in engines} >= {"reportnlp_mentions", "reportnlp_assertion"}
    everywhere = [
        (name, nlp.vocab.strings[engine.patterns[number][0]])
        for name, engine in engines
        for number in [*(n for n, _ in engine._ungated), *engine.anywhere]
        if engine.anchors[number] is None
    ]
    assert everywhere == []
